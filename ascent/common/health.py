"""Health and readiness, for load balancers and supervisors."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """The process answers."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """The process can serve: the database answers. 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return JsonResponse({"status": "unavailable", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ready", "database": connection.vendor})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the logo answers."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("ascent/logo.svg"))
