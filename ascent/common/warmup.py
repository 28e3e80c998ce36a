"""What a web worker would otherwise build in its first request (issue #19).

Nothing here touches the database: with gunicorn's ``--preload`` this runs in the master
process, and a connection opened there would be shared by every forked worker.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils.translation import trans_real

import ascent


def warm_up() -> dict[str, int]:
    """Import every view, load every catalogue and compile Ascent's own templates.
    Returns what was done, for the tests and the benchmark."""
    get_resolver().reverse_dict  # noqa: B018 (reading it builds the map)
    for code, _ in settings.LANGUAGES:
        trans_real.translation(code)  # loads and keeps the catalogue
    return {"templates": _compile_templates()}


def _compile_templates() -> int:
    """Compile every template under ascent/ through the engine's loaders, so that the
    cached loader (the production default) keeps them. Returns how many compiled."""
    engine = engines["django"]
    root = Path(ascent.__file__).parent
    compiled = 0
    for folder in root.glob("**/templates"):
        for path in folder.rglob("*"):
            if path.suffix not in {".html", ".txt", ".svg", ".xml"}:
                continue
            try:
                engine.get_template(path.relative_to(folder).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue
            compiled += 1
    return compiled
