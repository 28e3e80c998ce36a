"""Every string of the Spanish catalogue is translated, none fuzzy (a guess gettext made
from a similar old string), and each keeps its placeholders."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "ascent" / "locale" / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def _entries() -> list[dict]:
    entries, current, key = [], None, None
    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            current = {"flags": line, "msgid": "", "msgstr": []}
            entries.append(current)
        elif line.startswith("msgid "):
            if current is None or current["msgid"] or current["msgstr"]:
                current = {"flags": "", "msgid": "", "msgstr": []}
                entries.append(current)
            key = "msgid"
            current["msgid"] = _text(line)
        elif line.startswith("msgid_plural "):
            key = "plural"
        elif line.startswith("msgstr"):
            key = "msgstr"
            current["msgstr"].append(_text(line.split(" ", 1)[1]))
        elif line.startswith('"') and current is not None:
            if key == "msgid":
                current["msgid"] += _text(line)
            elif key == "msgstr":
                current["msgstr"][-1] += _text(line)
        elif not line.strip():
            current, key = None, None
    return [e for e in entries if e["msgid"]]


def _text(quoted: str) -> str:
    quoted = quoted.split(" ", 1)[1] if quoted.startswith("msgid") else quoted
    return quoted.strip()[1:-1]


def test_every_string_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 500
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"])] == []


def test_translations_keep_their_placeholders():
    for entry in _entries():
        wanted = sorted(set(PLACEHOLDER.findall(entry["msgid"])))
        for text in entry["msgstr"]:
            assert sorted(set(PLACEHOLDER.findall(text))) == wanted, entry["msgid"]
