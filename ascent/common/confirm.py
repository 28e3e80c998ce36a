"""Nothing destructive happens on one click or a stray Enter: an action that withdraws,
declines, accepts or creates for good first shows a page that says what it will do, and
acts only when that page's own button is pressed (``confirm=yes``). Works without
JavaScript; a plain POST without the confirmation lands on the page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def ask(request: HttpRequest, *, title: str, text: str, button: str, cancel: str,
        danger: bool = True, extra: dict | None = None) -> HttpResponse:  # fmt: skip
    """The confirmation page: it posts back to the same address with confirm=yes (and
    the ``extra`` fields, which say what to do)."""
    return render(request, "confirm.html", {
        "title": title, "text": text, "button": button, "cancel": cancel, "danger": danger,
        "extra": sorted((extra or {}).items()),
    })  # fmt: skip
