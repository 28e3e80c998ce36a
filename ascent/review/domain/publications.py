"""A reviewer's publications read from a file: BibTeX, as reference managers, Google
Scholar and ORCID export it, or a CSV table with a title column and an abstract column.

Each publication becomes one text, "Title. Abstract", as the profile page stores typed
ones. A file with any problem is refused whole, each problem named by its line, so that
nothing is half-imported.
"""

from __future__ import annotations

import csv
import io
import re

import bibtexparser
from django.utils.translation import gettext as _
from pylatexenc.latex2text import LatexNodes2Text

from .errors import ReviewError

MAX_FILE = 2 * 1024 * 1024  # bytes: a long career's .bib is a few hundred kilobytes
KINDS = ("bib", "csv")
MAX_ENTRIES = 500  # a profile keeps 50 publications; a file of more is refused unread
MAX_FIELD = 20_000  # characters of a title or abstract decoded (a publication keeps 5,000)
SHOWN = 20  # problems listed; the rest are counted
ENTRY = re.compile(r"@\s*\w*\s*[{(]")


def read_publications(name: str, content: bytes) -> list[str]:
    """The publications of a BibTeX or CSV file, in the file's order, or a ReviewError
    whose ``problems`` are ("file", message) pairs, one per line at fault."""
    kind = (name or "").rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
    if kind not in KINDS:
        raise _refused([_("choose a BibTeX file (.bib) or a CSV file (.csv)")])
    if len(content) > MAX_FILE:
        raise _refused([_("the file is larger than 2 MB")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise _refused([_("line %(line)s: the file is not UTF-8 text; save it as UTF-8")
                        % {"line": line}]) from None  # fmt: skip
    text = text.replace("\x00", "")  # PostgreSQL's JSON cannot hold a NUL
    entries = len(ENTRY.findall(text)) if kind == "bib" else text.count("\n")
    if entries > MAX_ENTRIES:
        raise _refused([_("the file holds more than %(n)s entries; a profile keeps at most "
                          "50 publications: export only your own recent ones") % {"n": MAX_ENTRIES}])  # fmt: skip
    texts, problems = (_from_bibtex if kind == "bib" else _from_csv)(text)
    if len(problems) > SHOWN:
        problems = [*problems[:SHOWN], _("and %(n)s more lines like these") % {
            "n": f"{len(problems) - SHOWN:,}"}]  # fmt: skip
    if problems:
        raise _refused(problems)
    if not texts:
        raise _refused([_("the file holds no publication")])
    return texts


def _refused(messages: list[str]) -> ReviewError:
    return ReviewError("; ".join(messages), problems=[("file", m) for m in messages])


def _publication(title: str, abstract: str) -> str:
    title, abstract = " ".join(title.split()), " ".join(abstract.split())
    if abstract and title and title[-1] not in ".?!":
        title += "."
    return f"{title} {abstract}".strip()


def _from_bibtex(text: str) -> tuple[list[str], list[str]]:
    library = bibtexparser.parse_string(text)
    problems: list[tuple[int, str]] = []
    for block in library.failed_blocks:
        # The parser's own words, in English, say what it expected; the line is ours.
        problems.append((block.start_line + 1,
                         _("line %(line)s: this entry cannot be read (a brace or quote is "
                           "not closed, or a comma is missing)") % {"line": block.start_line + 1}))  # fmt: skip
    texts = []
    for entry in library.entries:
        fields = {key.lower(): str(field.value) for key, field in entry.fields_dict.items()}
        title = _plain(_decoded(fields.get("title", "")))
        if not title:
            problems.append((entry.start_line + 1,
                             _("line %(line)s: the entry %(key)s has no title")
                             % {"line": entry.start_line + 1, "key": entry.key}))  # fmt: skip
            continue
        texts.append(_publication(title, _plain(_decoded(fields.get("abstract", "")))))
    return texts, [message for _line, message in sorted(problems)]


def _decoded(value: str) -> str:
    """LaTeX accents and commands as the characters they make ("Nu{\\~n}ez" → "Nuñez"),
    only for the two fields kept, and only as long as a publication can be."""
    value = value[:MAX_FIELD]
    try:
        return LatexNodes2Text(keep_braced_groups=True).latex_to_text(value)
    except Exception:  # a malformed LaTeX value is kept as typed
        return value


def _plain(value: str) -> str:
    """BibTeX keeps capitals with braces ("{M}ars"); readers do not see them."""
    return value.replace("{", "").replace("}", "")


def _from_csv(text: str) -> tuple[list[str], list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    texts, problems = [], []
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        titles = [i for i, cell in enumerate(header) if cell in ("title", "título", "titulo")]
        abstracts = [i for i, cell in enumerate(header) if cell in ("abstract", "resumen")]
        if not titles:
            return [], [_("line 1: the first line names the columns, and one of them is "
                          "\"title\" (an \"abstract\" column is optional)")]  # fmt: skip
        title_at, abstract_at = titles[0], abstracts[0] if abstracts else None
        number = reader.line_num + 1  # a quoted abstract may span lines
        for row in reader:
            line, number = number, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            title = row[title_at].strip() if title_at < len(row) else ""
            if not title:
                problems.append(_("line %(line)s: the title is empty") % {"line": line})
                continue
            abstract = (
                row[abstract_at] if abstract_at is not None and abstract_at < len(row) else ""
            )
            texts.append(_publication(title, abstract))
    except csv.Error:
        problems.append(_("line %(line)s: this line cannot be read as CSV (a quote is not "
                          "closed, or a cell is too long)") % {"line": reader.line_num})  # fmt: skip
    return texts, problems
