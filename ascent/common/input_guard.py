"""Input that no database can store is refused at the edge, for every page and the API.

PostgreSQL's text cannot hold a NUL character (U+0000), and no database can store a
lone UTF-16 surrogate (U+D800 to U+DFFF: they have no UTF-8 form; JSON's "\\ud800" makes
one). Either one reaching a query or a save was a 500. This middleware looks at every
part of a request a view may read — the path, the query string, the headers and
cookies, form fields and file names, and JSON bodies — and refuses the request with a
message naming the parameter: a 422 in the API's own error shape, a 400 page elsewhere.
A body over Django's limit (DATA_UPLOAD_MAX_MEMORY_SIZE) is a 413 that says the limit.

The browser keeps what a person typed when the page says "go back", and no person types
these characters: the fuzzer and attackers do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MAX_JSON_DEPTH = 32  # deeper JSON is refused before any view walks it


def first_unstorable(value: Any, place: tuple = ()) -> tuple | None:
    """The place of the first text (a string, or a key of a mapping) in ``value`` that
    holds an unstorable character, or None."""
    stack = [(value, place)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                return where
        elif isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(key, str) and UNSTORABLE.search(key):
                    return (*where, key)
                stack.append((inner, (*where, key)))
        elif isinstance(item, list | tuple):
            stack.extend((inner, (*where, index)) for index, inner in enumerate(item))
    return None


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                break
            inner = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in inner)
    return deepest


class Refused(Exception):
    def __init__(self, status: int, place: tuple, message: str) -> None:
        super().__init__(message)
        self.status, self.place, self.message = status, place, message


def _places(request: HttpRequest) -> Iterator[tuple[tuple, Any]]:
    """Every part of the request a view may read, with its place."""
    yield ("path",), request.path
    for key, values in request.GET.lists():
        yield ("query", key), [key, *values]
    for name, value in request.META.items():
        if name.startswith("HTTP_") or name == "CONTENT_TYPE":
            yield ("header", name.removeprefix("HTTP_").replace("_", "-").lower()), value
    for name, value in request.COOKIES.items():
        yield ("cookie", name), [name, value]


def _body_places(request: HttpRequest) -> Iterator[tuple[tuple, Any]]:
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    kind = request.content_type or ""
    form = kind in ("application/x-www-form-urlencoded", "multipart/form-data")
    if kind == "application/json" or kind.endswith("+json") or (_is_api(request) and not form):
        yield from _json_places(request)  # the API parses any body as JSON, whatever its type
    elif form:
        for key, values in request.POST.lists():
            yield ("form", key), [key, *values]
        for key, files in request.FILES.lists():
            yield ("form", key), [f.name or "" for f in files]


def _json_places(request: HttpRequest) -> Iterator[tuple[tuple, Any]]:
    raw = request.body
    if not raw:
        return
    message = _("nested more than %(depth)d levels deep") % {"depth": MAX_JSON_DEPTH}
    try:
        data = json.loads(raw)
    except RecursionError:
        raise Refused(422, ("body",), message) from None
    except ValueError as error:
        if "integer string conversion" in str(error):  # over Python's 4,300 digits
            raise Refused(422, ("body",), _("a number has too many digits")) from None
        return  # not JSON: the API's own parser names the problem
    if _depth(data) > MAX_JSON_DEPTH:
        raise Refused(422, ("body",), message)
    yield ("body",), data


def check_request(request: HttpRequest) -> None:
    """Raise Refused for the first part of the request that cannot be stored."""
    for parts in (_places(request), _body_places(request)):
        for place, value in parts:
            where = first_unstorable(value, place)
            if where is not None:
                if place[0] in ("query", "form", "cookie"):
                    where = place  # the parameter's name, not its position in the list
                raise Refused(_status(request, place), where, _unstorable_message())


def _status(request: HttpRequest, place: tuple) -> int:
    return 422 if _is_api(request) and place[0] in ("query", "body", "form") else 400


def _unstorable_message() -> str:
    return _(
        "contains a character that cannot be stored (a NUL, U+0000, or a lone surrogate, "
        "U+D800 to U+DFFF); remove it and try again"
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _too_big() -> Refused:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = _("the request body is larger than the limit of %(size)s bytes") % {
        "size": f"{limit:,}"
    }
    return Refused(413, ("body",), message)


def _too_many_fields() -> Refused:
    message = _("the request has more than %(count)d fields") % {
        "count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    }
    return Refused(400, ("body",), message)


def refusal(request: HttpRequest, refused: Refused) -> HttpResponse:
    name = ".".join(str(p) for p in refused.place[1:]) or refused.place[0]
    if _is_api(request):
        detail = [{"type": "invalid", "loc": list(refused.place), "msg": refused.message}]
        return JsonResponse({"detail": detail}, status=refused.status)
    page = loader.get_template("bad_request.html").render(
        {"name": name, "message": refused.message, "status": refused.status}
    )
    response = HttpResponse(page, status=refused.status)
    response["X-Frame-Options"] = "DENY"  # answered before the clickjacking middleware runs
    return response


class InputGuardMiddleware:
    """Refuses, before any view or query runs, what the database could not store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except Refused as refused:
            return refusal(request, refused)
        except RequestDataTooBig:
            return refusal(request, _too_big())
        except TooManyFieldsSent:
            return refusal(request, _too_many_fields())
        return self.get_response(request)
