"""Structured logs and request timing.

``JsonFormatter`` writes one JSON object per log line (what log collectors read without
parsing rules); ``RequestTimingMiddleware`` gives every request an id, times it, logs one
line per request on ``ascent.request`` and tells the browser and proxies the figures
(``X-Request-ID`` and ``Server-Timing`` headers). ``LOG_FORMAT=json`` (the default in
production) or ``text`` chooses the format.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid

from django.db import connection
from django.utils.functional import empty

request_log = logging.getLogger("ascent.request")

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
# A request id from a proxy is kept only when it is short and plain (it goes into logs).
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC), level, logger, message, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestTimingMiddleware:
    """Times each request; one log line and two response headers per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        started = time.perf_counter()
        queries_before = len(connection.queries) if connection.queries_logged else None
        response = self.get_response(request)
        duration = (time.perf_counter() - started) * 1000
        response["X-Request-ID"] = request.id
        response["Server-Timing"] = f"app;dur={duration:.1f}"
        match = getattr(request, "resolver_match", None)
        # The user only if the request already looked them up (no extra queries here).
        user = getattr(getattr(request, "user", None), "_wrapped", empty)
        fields = {
            "request_id": request.id,
            "method": request.method,
            "path": request.path,
            "route": match.route if match else None,
            "status": response.status_code,
            "duration_ms": round(duration, 1),
            "user_id": user.pk if user is not empty and user.is_authenticated else None,
        }
        if queries_before is not None:
            fields["queries"] = len(connection.queries) - queries_before
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        request_log.log(level, "%s %s %s %.0f ms", request.method, request.path,
                        response.status_code, duration, extra=fields)  # fmt: skip
        return response
