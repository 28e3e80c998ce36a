"""WSGI entry point, as served by ``ascent serve``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascent.settings")
application = get_wsgi_application()

from ascent.common.warmup import warm_up  # noqa: E402 (needs the apps loaded above)

# Build now, while the worker boots (or once in gunicorn's master with --preload, which
# `ascent serve` adds whenever workers are recycled), what the first request would build:
# the URL map with every view imported, the translation catalogues, the compiled
# templates. A booting worker takes no request; a worker forked from a warm master is
# ready at once (issue #19).
warm_up()
