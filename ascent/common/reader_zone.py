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


class ReaderTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = _zone(request.COOKIES.get(COOKIE, ""))
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
