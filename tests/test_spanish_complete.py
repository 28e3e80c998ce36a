"""Every page of the permission matrix, and every e-mail, in Spanish: no sentence may be
the English one (issue #15).

Each page is rendered twice, in English and in Spanish, by each role allowed to read it;
a piece of text of two words or more found unchanged in both is English left over. The
program's own texts get a pseudo-translation (each wrapped in «»), so that a place that
skips the program's phrasebook shows up the same way. People's data (names, e-mail
addresses, receipts, what they typed) is the same in both languages by right and is
left out; so are the few words that are the same in both (see SAME).
"""

import html
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from ascent.common.email import render_text
from ascent.programs.domain.content import texts_of
from tests.test_permission_matrix import ACCOUNT_PAGES, RULES, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

# Words that read the same in both languages.
SAME = {"Ascent", "CSV", "XLSX", "PDF", "PNG", "JPEG", "UTC", "ZIP", "JSON", "YAML", "API"}
WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")


def pieces(page: str) -> set[str]:
    """The text of a page: each run between tags, whitespace folded, scripts left out;
    the values of attributes people read (title, aria-label, placeholder, alt) too."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # what is marked translate="no" is data (time-zone names, people's own words)
    page = re.sub(r'<(\w+)\b[^>]*\btranslate="no"[^>]*>.*?</\1>', " ", page, flags=re.S)
    found = set(re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', page))
    found |= set(re.split(r"<[^>]+>", page))
    return {" ".join(html.unescape(text).split()) for text in found} - {""}


def left_in_english(english: str, spanish: str, data: set[str]) -> list[str]:
    same = []
    for text in pieces(english) & pieces(spanish):
        words = [w for w in WORD.findall(text) if w not in SAME]
        if len(words) < 2 or any(item and item in text for item in data):
            continue
        same.append(text)
    return sorted(same)


@pytest.fixture
def pseudo_spanish(world):  # noqa: F811
    """The program's own texts in «Spanish»: every text of the configuration wrapped."""
    from ascent.programs.models import Cycle, Program

    users, values = world
    for cycle in Cycle.objects.all():
        cycle.translations = {"es": {text: f"«{text}»" for text in texts_of(cycle)}}
        cycle.save()
    for program in Program.objects.all():
        program.translations = {"es": {t: f"«{t}»" for t in (program.name, program.organisation,
                                                              program.description) if t}}  # fmt: skip
        program.save()
    return users, values


def people_data(users) -> set[str]:
    """What people typed or are called: the same in every language."""
    from ascent.applications.models import Applicant, Application, Goal, Supporter, SupporterNote
    from ascent.review.models import Reviewer

    data = {u.email for u in users.values()} | {u.username for u in users.values()}
    data |= set(Applicant.objects.values_list("display_name", flat=True))
    data |= set(Reviewer.objects.values_list("display_name", flat=True))
    data |= set(Supporter.objects.values_list("name", flat=True))
    data |= set(Supporter.objects.values_list("email", flat=True))
    data |= set(SupporterNote.objects.values_list("text", flat=True))
    data |= set(Goal.objects.values_list("title", flat=True))
    data |= {r for r in Application.objects.values_list("receipt", flat=True) if r}
    for answers in Application.objects.values_list("answers", flat=True):
        data |= {v for v in (answers or {}).values() if isinstance(v, str)}
    return {d for d in data if d and len(d) > 2}


ROLES = ("anonymous", "applicant", "reviewer", "staff")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_in_spanish(pseudo_spanish, role):
    users, values = pseudo_spanish
    data = people_data(users)
    english, spanish = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="es")
    if role in users:
        english.force_login(users[role])
        spanish.force_login(users[role])
    found = []
    for name, (template, method, roles) in sorted({**RULES, **ACCOUNT_PAGES}.items()):
        if method != "get" or role not in roles:
            continue
        url = template.format(**values)
        en, es = english.get(url), spanish.get(url)
        if en.status_code != 200 or "text/html" not in en.get("Content-Type", ""):
            continue
        assert 'lang="es"' in es.content.decode(), url
        for text in left_in_english(en.content.decode(), es.content.decode(), data):
            found.append(f"{name} {url}: {text!r}")
    assert found == [], "\n".join(found)


EMAILS = (
    "applications/email/submitted", "applications/email/advanced", "applications/email/milestone",
    "applications/email/reminder", "applications/email/reference_request",
    "applications/email/supporter_invite", "applications/email/feedback_request",
    "decisions/email/released", "decisions/email/offer", "review/email/invited",
)  # fmt: skip


def test_every_e_mail_reads_in_spanish(pseudo_spanish):
    """Each e-mail template with every branch we can reach from one context."""
    from ascent.applications.models import Application, Reference, Supporter
    from ascent.decisions.models import Decision, Offer
    from ascent.programs.models import Cycle, Stage

    users, values = pseudo_spanish
    data = people_data(users) | set(Reference.objects.values_list("recommender_name", flat=True))
    data |= {"https://example.org/x", "https://example.org/y"}
    cycle = Cycle.objects.select_related("program").get(pk=values["cycle_id"])
    application = Application.objects.select_related("applicant").get(pk=values["own"])
    decision = Decision.objects.get(pk=values["decision"])
    contexts = []
    base = {
        "application": application, "cycle": cycle, "program": cycle.program,
        "stage": Stage.objects.get(pk=values["stage"]), "supporter": Supporter.objects.first(),
        "applicant": application.applicant, "mentor": Supporter.objects.first(),
        "decision": decision, "offer": Offer.objects.get(pk=values["offer"]),
        "link": "https://example.org/x", "url": "https://example.org/x", "sender_name": "Ana Ruiz",
        "last": application, "distance": 1.25, "waitlist_position": 2, "count": 3,
        "new_account": True, "set_password": "https://example.org/y",
    }  # fmt: skip
    for outcome in ("selected", "not_selected", "waitlisted", "ineligible"):
        for milestone in ("submitted", "advanced", "selected", "updated"):
            for kind in ("opened", "fortnight"):
                contexts.append({**base, "milestone": milestone, "kind": kind,
                                 "decision": type("D", (), {"outcome": outcome, "gap": {},
                                                            "get_outcome_display": outcome})()})  # fmt: skip
    found = set()
    for template in EMAILS:
        for context in contexts:
            rendered = {}
            for language in ("en", "es"):
                with translation.override(language):
                    rendered[language] = "\n".join((
                        render_text(f"{template}_subject.txt", context),
                        render_text(f"{template}.txt", context),
                        render_to_string(f"{template}.html", context),
                    ))  # fmt: skip
            plain = {k: "<p>" + v.replace("\n", "<br>") + "</p>" for k, v in rendered.items()}
            for text in left_in_english(plain["en"], plain["es"], data | {"Ana Ruiz"}):
                found.add(f"{template}: {text!r}")
    assert sorted(found) == [], "\n".join(sorted(found))
