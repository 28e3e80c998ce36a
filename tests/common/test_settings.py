"""Settings from the environment, run in a fresh process as an operator would."""

import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "ASCENT_ENV": "production",
    "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
    "ALLOWED_HOSTS": "ascent.example.org",
}


def run(code: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        # (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is the test session's, not a deployment's)
        if k not in {"ASCENT_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base.update(ASCENT_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    base.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=base, timeout=60, check=False)  # fmt: skip


SHOW = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ascent.settings'; django.setup();"
    "from django.conf import settings as s;"
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
    " s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS)"
)
CHECK_DEPLOY = (
    "import sys; from django.core.management import execute_from_command_line;"
    "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ascent.settings';"
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)


def test_production_is_secure(tmp_path):
    result = run(SHOW, tmp_path, **PRODUCTION)
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "['ascent.example.org']",
    ]


def test_check_deploy_is_clean_in_production(tmp_path):
    result = run(CHECK_DEPLOY, tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_says_so(tmp_path):
    result = run(SHOW, tmp_path, ASCENT_ENV="production", ALLOWED_HOSTS="x.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment when ASCENT_ENV=production" in result.stderr


def test_production_without_allowed_hosts_says_so(tmp_path):
    result = run(SHOW, tmp_path, ASCENT_ENV="production", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert "ALLOWED_HOSTS must list the site's host names" in result.stderr


def test_an_unknown_environment_is_refused(tmp_path):
    result = run(SHOW, tmp_path, ASCENT_ENV="staging")
    assert "ASCENT_ENV must be 'development' or 'production', not 'staging'" in result.stderr


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path):
    code = SHOW.replace("print(", "print(s.SECRET_KEY, ")
    first = run(code, tmp_path).stdout.split()[0]
    second = run(code, tmp_path).stdout.split()[0]
    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert run(SHOW, tmp_path).stdout.split()[0] == "True"  # DEBUG on in development


CACHE_CHECK = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ascent.settings');"
    "django.setup(); from django.core.cache import cache; from django.conf import settings;"
    "cache.set('ascent-check', 42, 5); print(settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1],"
    " cache.get('ascent-check'))"
)


def test_a_redis_url_shares_the_cache_between_processes(tmp_path):
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    result = run(CACHE_CHECK, tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.stdout.split() == ["RedisCache", "42"], result.stderr
    local = run(CACHE_CHECK, tmp_path)
    assert local.stdout.split() == ["LocMemCache", "42"]


@pytest.mark.django_db
def test_health_and_readiness(client, monkeypatch):
    assert client.get("/health/").json() == {"status": "ok"}
    ready = client.get("/ready/")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    from django.db.backends.utils import CursorWrapper

    def broken(self, *args, **kwargs):
        raise OSError("database gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    down = client.get("/ready/")
    assert down.status_code == 503
    assert down.json() == {"status": "unavailable", "database": "OSError"}


PROXY = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ascent.settings'; django.setup();"
    "from django.test import RequestFactory; from allauth.core.internal.httpkit import get_client_ip;"
    "from django.conf import settings as s;"
    "r = RequestFactory().get('/', HTTP_X_FORWARDED_FOR='203.0.113.9', REMOTE_ADDR='127.0.0.1');"
    "print(get_client_ip(r), s.SESSION_ENGINE.rsplit('.', 1)[-1])"
)


def test_behind_a_proxy_rate_limits_count_the_applicants_address_not_the_proxys(tmp_path):
    assert run(PROXY, tmp_path).stdout.split() == ["127.0.0.1", "db"]
    proxied = run(PROXY, tmp_path, TRUSTED_PROXY_COUNT="1", REDIS_URL="redis://127.0.0.1:6379/0")
    assert proxied.stdout.split() == ["203.0.113.9", "cached_db"], proxied.stderr
    refused = run(PROXY, tmp_path, TRUSTED_PROXY_COUNT="one")
    assert "TRUSTED_PROXY_COUNT must be a whole number" in refused.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("API_RATE_USER", "lots", "API_RATE_USER must look like 600/m (a number per s, m, h or d)"),
        ("API_RATE_ANONYMOUS", "0/m", "API_RATE_ANONYMOUS must look like 600/m"),
        ("ASCENT_JOB_STALE_AFTER", "half an hour",
         "ASCENT_JOB_STALE_AFTER must be a whole number of seconds"),
    ],
)  # fmt: skip
def test_operator_settings_with_a_wrong_value_are_refused_by_name(tmp_path, name, value, message):
    refused = run(SHOW, tmp_path, **{name: value})
    assert refused.returncode != 0
    assert message in refused.stderr
    assert run(SHOW, tmp_path, API_RATE_USER="600/m", ASCENT_JOB_STALE_AFTER="60").returncode == 0
