"""Dates and times in the reader's time zone.

The browser says its zone (the ``tz`` cookie, set by ascent.js from
``Intl.DateTimeFormat().resolvedOptions().timeZone``); every page then renders times in
it, with the zone named beside them. Without the cookie (the first page, no JavaScript)
times are in UTC and say so. A zone that is not a known IANA name is ignored.
"""

from __future__ import annotations

import functools
import zoneinfo

from django.utils import timezone

COOKIE = "tz"


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name or len(name) > 64 or name not in _known():
        return None
    return zoneinfo.ZoneInfo(name)


@functools.lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_of(name: str) -> zoneinfo.ZoneInfo | None:
    """The zone called ``name`` (an IANA name), or None."""
    return _zone(name or "")


class ReaderTimeZoneMiddleware:
    """Renders the request in the reader's zone, and remembers it in their account (once
    per session and change) so that their e-mails use it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.COOKIES.get(COOKIE, "")
        zone = _zone(name)
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        with timezone.override(zone):
            response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        signed_in = user is not None and user.is_authenticated and session is not None
        if signed_in and session.get("tz_saved") != name:
            from ascent.common.models import Preference

            Preference.objects.update_or_create(user=user, defaults={"time_zone": name})
            session["tz_saved"] = name
        return response
