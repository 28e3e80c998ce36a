"""The server-error page: a database that does not answer is "try again in a moment"."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

RETRY_AFTER = 5  # seconds: about what a database restart or fail-over takes


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. While the database restarts, requests fail with a connection error:
    those get 503 with Retry-After (browsers and API clients may try again, nothing
    was written), everything else the plain 500 page. The page uses no database."""
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return django_server_error(request)
    message = _("The service is busy for a moment; nothing was saved. Please try again.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        page = loader.get_template("unavailable.html").render({"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
