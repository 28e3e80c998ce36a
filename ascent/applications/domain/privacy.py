"""An applicant's personal data: download all of it, or delete the account.

Deleting removes what is only the person's (drafts, supporters, answers, the files they
uploaded, name, e-mail, sign-in) and anonymises what the program must keep for its records: that an application
was submitted, when, its status and decision, and the panel's scores, so that past
selections stay explainable and the program's statistics stay true. Letters of reference
are the recommenders', read by the panel only: deleting the account deletes them too.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from ascent.applications.models import (
    Applicant,
    Application,
    ApplicationStatus,
    Reference,
    StoredFile,
    Supporter,
)
from ascent.common.domain.audit import record
from ascent.decisions.models import Decision

from .uploads import delete_stored_files

KEPT = _(
    "For the program's records we keep, without your name, e-mail, answers or files: that "
    "each submitted application existed, its dates, status and decision, and the panel's "
    "scores. Past selections must stay explainable and the program's figures true."
)


def export_data(user) -> bytes:
    """A ZIP archive holding data.json — everything Ascent holds about the user (letters
    of reference excepted: they belong to their writers) — and every file they uploaded,
    under files/<cycle>/<question> - <their file name>."""
    applicant = Applicant.objects.filter(user=user).first()
    data: dict = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "name": user.get_full_name(),
            "joined": user.date_joined.isoformat(),
        },
        "applications": [],
        "supporters": [],
    }
    if applicant is not None:
        data["applicant"] = {"name": applicant.display_name, "organisation": applicant.organisation}
        decisions = {d.application_id: d for d in Decision.objects.filter(
            application__applicant=applicant, released_at__isnull=False)}  # fmt: skip
        for application in (
            Application.objects.filter(applicant=applicant)
            .select_related("cycle__program")
            .order_by("created_at")
        ):
            decision = decisions.get(application.pk)
            data["applications"].append({
                "_id": application.pk, "program": application.cycle.program.name, "cycle": application.cycle.name,
                "status": application.status, "receipt": application.receipt,
                "submitted_at": _iso(application.submitted_at), "answers": application.answers,
                "answers_that_need_fixing": application.held_answers,
                "status_changes": [
                    {"from": t.from_status, "to": t.to_status, "at": _iso(t.at), "reason": t.reason}
                    for t in application.transitions.order_by("at", "pk")
                ],
                "references": [
                    {"recommender": r.recommender_name, "email": r.recommender_email,
                     "relationship": r.relationship, "state": r.state,
                     "requested_at": _iso(r.requested_at), "submitted_at": _iso(r.submitted_at)}
                    for r in application.references.order_by("requested_at")
                ],
                "decision": None if decision is None else {
                    "outcome": decision.outcome, "composite": decision.composite,
                    "rank": decision.rank, "released_at": _iso(decision.released_at),
                    "gap_report": decision.gap,
                },
            })  # fmt: skip
        for supporter in Supporter.objects.filter(applicant=applicant):
            data["supporters"].append({
                "name": supporter.name, "email": supporter.email,
                "relationship": supporter.relationship,
                "shares_gap_reports": supporter.shares_gap_reports,
                "invited_at": _iso(supporter.invited_at), "revoked_at": _iso(supporter.revoked_at),
            })  # fmt: skip
    files = _files_of(applicant)
    for item in data["applications"]:
        pk = item.pop("_id")
        item["files"] = [name for name, stored in files if stored.application_id == pk]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for name, stored in files:
            with default_storage.open(stored.storage_name, "rb") as source:
                archive.writestr(name, source.read())
    record(user, "account.exported", None)
    return buffer.getvalue()


@transaction.atomic
def delete_account(user) -> dict[str, int]:
    """Delete the person's data and anonymise what the program keeps (see KEPT)."""
    counts = {"drafts": 0, "anonymised": 0, "supporters": 0, "letters": 0, "files": 0,
              "embeddings": 0}  # fmt: skip
    applicant = Applicant.objects.filter(user=user).first()
    if applicant is not None:
        counts["files"] = delete_stored_files(
            StoredFile.objects.filter(application__applicant=applicant)
        )
        from ascent.review.domain.embeddings import forget_applicant  # review builds on this app

        counts["embeddings"] = forget_applicant(applicant)  # derived from the answers
        drafts = Application.objects.filter(applicant=applicant, status=ApplicationStatus.DRAFT)
        counts["drafts"] = drafts.count()
        drafts.delete()
        references = Reference.objects.filter(application__applicant=applicant)
        for reference in references:
            if reference.letter_file:
                reference.letter_file.delete(save=False)
        counts["letters"] = references.count()
        references.delete()
        counts["supporters"] = Supporter.objects.filter(applicant=applicant).delete()[0]
        # updated_at too: caches keyed on the applications' last change must see it
        counts["anonymised"] = Application.objects.filter(applicant=applicant).update(
            answers={}, held_answers={}, updated_at=timezone.now()
        )
        applicant.display_name = f"Deleted applicant {applicant.pk}"
        applicant.organisation = ""
        applicant.save(update_fields=["display_name", "organisation"])
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    anonymous = f"deleted-{user.pk}@invalid"
    user.username = user.email = anonymous
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    record(None, "account.deleted", None, user=user.pk, **counts)
    return counts


def _files_of(applicant) -> list[tuple[str, StoredFile]]:
    """The person's uploaded files still stored, each with a readable, unique name."""
    if applicant is None:
        return []
    named, used = [], set()
    for stored in (StoredFile.objects.filter(application__applicant=applicant)
                   .select_related("application__cycle").order_by("application_id", "pk")):  # fmt: skip
        if not default_storage.exists(stored.storage_name):
            continue
        base = get_valid_filename(f"{stored.field_key} - {stored.original_name}") or "file"
        name = f"files/{stored.application.cycle.slug}/{base}"
        while name in used:
            name = name.replace(".", " (copy).", 1) if "." in base else name + " (copy)"
        used.add(name)
        named.append((name, stored))
    return named


def _iso(value) -> str | None:
    return value.isoformat() if value else None
