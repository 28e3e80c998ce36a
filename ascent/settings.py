"""Django settings for Ascent.

Only technical settings live here, each read from the environment; the policy that
program staff change (deadlines, rubrics, requirements, quotas) lives in the database.

Environment:
- ``ASCENT_ENV``: ``development`` (default) or ``production``. Production turns off
  DEBUG and turns on secure cookies, HTTPS redirects and HSTS.
- ``DATABASE_URL``: default an SQLite file under ``var/``; e.g. ``postgres://u@host/db``.
- ``SECRET_KEY``: required in production; in development one is generated once and
  kept in ``var/secret_key``.
- ``ALLOWED_HOSTS``: comma-separated; required in production.
- ``ASCENT_SITE_NAME``: the name e-mails give the site (default ``Ascent``).
- ``ASCENT_VAR_DIR``: where the SQLite file, secret key and uploads live (default ``var/``).
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ASCENT_VAR_DIR", BASE_DIR / "var"))

ASCENT_ENV = os.environ.get("ASCENT_ENV", "development")
if ASCENT_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"ASCENT_ENV must be 'development' or 'production', not {ASCENT_ENV!r}."
    )
PRODUCTION = ASCENT_ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") == "1"


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _development_secret_key() -> str:
    """Generate the key once and keep it, so sessions survive a restart of the demo."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when ASCENT_ENV=production."
        )
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must list the site's host names when ASCENT_ENV=production."
    )
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
# The site's address for links in e-mails sent outside a request (reminders, tasks).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "ascent.common",
    "ascent.programs",
    "ascent.applications",
    "ascent.review",
    "ascent.decisions",
    "ascent.portal",
    "ascent.workspace",
    "ascent.api",
    "ascent.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ascent.common.observability.RequestTimingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ascent.common.reader_zone.ReaderTimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the session, a form or the API's body: a NUL is a 400/422.
    "ascent.common.input_guard.InputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Accounts (django-allauth): sign in by e-mail, verified before first use; failed
# logins, sign-ups and reset e-mails are rate-limited by allauth's defaults.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_SIGNUP_FORM_CLASS = "ascent.portal.forms.SignupForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Confirming the e-mail signs the person in and takes them where they were going (the
# cycle they wanted to apply to); the e-mail address is the only identifier they see.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USER_DISPLAY = "ascent.portal.adapter.user_display"
# The name e-mails and pages give the site: the organisation's or the program's.
SITE_NAME = os.environ.get("ASCENT_SITE_NAME", "Ascent").strip() or "Ascent"
ACCOUNT_ADAPTER = "ascent.portal.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"

ROOT_URLCONF = "ascent.urls"
WSGI_APPLICATION = "ascent.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides of installed apps' templates (allauth's layouts).
        "DIRS": [BASE_DIR / "ascent" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ascent.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer commits; IMMEDIATE takes the write lock at
    # BEGIN so that two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if not str(DATABASES["default"]["NAME"]).startswith(":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Tests use a file too, not shared-cache memory: with it, concurrent writers queue on
    # the IMMEDIATE lock as in production instead of failing with "table is locked".
    # One file per test process, so that two runs side by side never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-ascent-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "ascent" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploads live outside any directory the web server publishes; views serve them after a
# permission check.
MEDIA_ROOT = VAR_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

# Development keeps every e-mail in the database, where staff read it at /outbox/;
# production sends by SMTP (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS) unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "ascent.common.email.OutboxBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ascent <noreply@localhost>")
# Where people who received an invitation or a reference request they did not want can
# report it (said in every such e-mail); DEFAULT_FROM_EMAIL's address when unset.
ASCENT_ABUSE_EMAIL = os.environ.get("ASCENT_ABUSE_EMAIL", "")

# Background tasks (django-tasks). "immediate" runs a task inside the request or command
# that starts it: right for one machine and the demo. "database" queues it in the
# database for `ascent worker` processes, on this machine or others (the default in
# production). "redis" queues it in Redis (REDIS_URL) for the same `ascent worker`
# processes, which then run RQ's worker: for a site whose database should not carry
# the queue.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
}
_tasks = os.environ.get("ASCENT_TASKS", "database" if PRODUCTION else "immediate")
if _tasks not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"ASCENT_TASKS must be one of {', '.join(TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_tasks]}}
# A running job whose heartbeat is older than this (seconds) lost its worker: the next
# `ascent worker` to start queues it again. A job beats each time it reports progress,
# so this must be longer than its longest silent step (solving a 20,000 × 3,000 assignment).
try:
    JOB_STALE_AFTER = int(os.environ.get("ASCENT_JOB_STALE_AFTER", "1800"))
except ValueError:
    raise ImproperlyConfigured("ASCENT_JOB_STALE_AFTER must be a whole number of seconds") from None
if _tasks == "redis":
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured("ASCENT_TASKS=redis needs REDIS_URL (redis://host:6379/0)")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    # A job may run long (assigning 20,000 applications): an hour before RQ gives up.
    RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"], "DEFAULT_TIMEOUT": 3600}}

# The cache holds rate limits (failed sign-ins) and is per process by default; with
# several web processes or machines set REDIS_URL so that they share one.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
         "KEY_PREFIX": "ascent"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}  # fmt: skip
# Sessions are read on every request: with Redis, from the cache (written through to the
# database, so a Redis restart signs nobody out).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Behind a reverse proxy every request comes from the proxy's address: the sign-in rate
# limits would count all applicants as one. TRUSTED_PROXY_COUNT=1 (one proxy that sets
# X-Forwarded-For) takes the client's address from that header instead.
try:
    ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
except ValueError:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT must be a whole number (0 without a proxy)"
    ) from None

NINJA_NUM_PROXIES = ALLAUTH_TRUSTED_PROXY_COUNT  # the API's rate limits count addresses too

# API rate limits ("number/period", period s, m, h or d): per signed-in user, and per
# address for anonymous requests. Over the limit the API answers 429 with Retry-After.
API_RATE_USER = os.environ.get("API_RATE_USER", "1200/m")
API_RATE_ANONYMOUS = os.environ.get("API_RATE_ANONYMOUS", "120/m")
for _name in ("API_RATE_USER", "API_RATE_ANONYMOUS"):
    if not re.fullmatch(r"[1-9][0-9]*/(s|m|h|d)", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must look like 600/m (a number per s, m, h or d)")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The same strict Content-Security-Policy in development and production, so that the
# tests see what the site serves: scripts and styles from the site only, never inline
# (no <script> body, no on...= handler, no style=""), and no framing. The API's docs
# (Swagger UI, served from django-ninja's static files) keep to it too. Django's debug
# pages (404 and 500 with DEBUG on) go without it: django-csp leaves them alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if os.environ.get("SECURE_PROXY_SSL_HEADER") == "1":
        # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to standard error, one JSON object per line in production (LOG_FORMAT=json)
# or plain text in development; every request is one line on "ascent.request" with its
# id, route, status and duration (REQUEST_LOG_LEVEL=WARNING keeps only the failures).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ascent.common.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # A line per task state change is noise at INFO; failures still show.
    "loggers": {
        "django_tasks": {"level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
        "ascent.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        # A reviewer's malformed .bib is their input, answered on the page, not a fault.
        "bibtexparser": {"level": "ERROR"},
    },
}
