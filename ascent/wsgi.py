"""WSGI entry point, as served by ``ascent serve``."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascent.settings")
application = get_wsgi_application()

# Import every view and build the URL map now, while the worker boots, rather than in
# its first request: that took 1.7 s, felt by someone each time gunicorn recycles a
# worker (--max-requests). A booting worker takes no request; the others serve.
get_resolver().reverse_dict  # noqa: B018 (reading it builds the map)
