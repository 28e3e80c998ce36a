"""The program's panel: inviting reviewers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ascent.common.domain.audit import record
from ascent.common.domain.invitations import invited_account
from ascent.common.email import send_templated
from ascent.programs.models import Program
from ascent.review.models import Reviewer
from ascent.review.models.panel import MAX_PAPER, MAX_PAPERS, MAX_STATEMENT

from .embeddings import forget, profile_digests
from .errors import ReviewError


@transaction.atomic
def invite_reviewer(program: Program, *, name: str, email: str, expertise: str = "",
                    load_limit: str = "30", by) -> Reviewer:  # fmt: skip
    """Add a person to the program's panel (creating their account if needed, with no
    password: the e-mail links to setting one) and tell them."""
    name, email = (name or "").strip(), (email or "").strip().lower()
    problems = []
    if not name:
        problems.append(("name", _("say who this is")))
    try:
        validate_email(email)
    except ValidationError:
        problems.append(("email", _("enter a valid e-mail address")))
    limit = _load_limit(load_limit)
    if limit is None:
        problems.append(("load_limit", _("a whole number from 1 to 1000")))
    tags = parse_keywords(expertise)
    if any(len(t) > 50 for t in tags):
        problems.append(("expertise", _("each tag at most 50 characters")))
    if problems:
        raise ReviewError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    user, created = invited_account(email, name)
    if Reviewer.objects.filter(user=user, program=program).exists():
        raise ReviewError(_("email: already on this panel"),
                          problems=[("email", _("already on this panel"))])  # fmt: skip
    reviewer = Reviewer.objects.create(user=user, program=program, display_name=name,
                                       expertise=tags, load_limit=limit)  # fmt: skip
    record(by, "panel.invited", reviewer, program=program.pk)
    send_templated("review/email/invited", {
        "reviewer": reviewer, "program": program, "new_account": created,
        "set_password": settings.SITE_URL + reverse("account_reset_password"),
        "queue": settings.SITE_URL + reverse("workspace:queue"),
    }, [email])  # fmt: skip
    return reviewer


@transaction.atomic
def update_reviewer(reviewer: Reviewer, *, load_limit: str, active: bool, senior: bool,
                    by) -> Reviewer:  # fmt: skip
    """What staff set about a panel member: their load limit per cycle, whether they are
    active (an inactive reviewer is given nothing new) and senior."""
    limit = _load_limit(load_limit)
    if limit is None:
        message = _("a whole number from 1 to 1000")
        raise ReviewError(f"load_limit: {message}", problems=[("load_limit", message)])
    reviewer.load_limit, reviewer.active, reviewer.senior = limit, bool(active), bool(senior)
    reviewer.save(update_fields=["load_limit", "active", "senior"])
    record(by, "panel.reviewer_updated", reviewer, load_limit=limit, active=bool(active),
           senior=bool(senior))  # fmt: skip
    return reviewer


def _load_limit(raw) -> int | None:
    """A load limit as typed: a whole number from 1 to 1000 in ASCII digits, or None."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        return None
    value = int(text)
    return value if 1 <= value <= 1000 else None


def parse_keywords(raw: str) -> list[str]:
    return sorted({t.strip().lower() for t in (raw or "").split(",") if t.strip()})


def parse_papers(raw: str) -> list[str]:
    """Publications typed one after another, separated by an empty line."""
    blocks = (raw or "").replace("\r\n", "\n").split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


@transaction.atomic
def update_profile(reviewer: Reviewer, *, keywords: str, statement: str, papers: str,
                   by) -> Reviewer:  # fmt: skip
    """Save what a reviewer says about their expertise; all of it or, on a problem, none."""
    keywords, statement, papers = ((text or "").replace("\x00", "")  # PostgreSQL's JSON
                                   for text in (keywords, statement, papers))  # has no NUL  # fmt: skip
    tags, texts, statement = (
        parse_keywords(keywords),
        parse_papers(papers),
        statement.strip(),
    )
    problems = []
    if any(len(t) > 50 for t in tags) or len(tags) > 30:
        problems.append(("keywords", _("at most 30 keywords of at most 50 characters each")))
    if len(statement) > MAX_STATEMENT:
        problems.append(("statement", _("at most %(n)s characters") % {"n": f"{MAX_STATEMENT:,}"}))
    if len(texts) > MAX_PAPERS:
        problems.append(("papers", _("at most %(n)s publications") % {"n": MAX_PAPERS}))
    elif any(len(t) > MAX_PAPER for t in texts):
        number = next(i for i, t in enumerate(texts, 1) if len(t) > MAX_PAPER)
        problems.append(("papers", _("publication %(number)s: at most %(n)s characters")
                         % {"number": number, "n": f"{MAX_PAPER:,}"}))  # fmt: skip
    if problems:
        raise ReviewError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    before = profile_digests(reviewer.expertise, reviewer.statement, reviewer.papers)
    reviewer.expertise, reviewer.statement, reviewer.papers = tags, statement, texts
    reviewer.save(update_fields=["expertise", "statement", "papers"])
    forget(before - profile_digests(tags, statement, texts))  # what they took out goes
    record(by, "panel.profile_updated", reviewer, keywords=len(tags), papers=len(texts),
           statement=bool(statement))  # fmt: skip
    return reviewer
