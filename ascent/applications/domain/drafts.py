"""An applicant's own application: start (or start from last time), save, check, submit,
withdraw. The web pages call these; each checks who may do what and when."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascent.applications.models import Applicant, Application, ApplicationStatus
from ascent.common.domain.audit import record
from ascent.common.email import send_templated
from ascent.engine.forms import validate_answers
from ascent.engine.rules import evaluate
from ascent.programs.domain.content import phrasebook
from ascent.programs.domain.forms import compiled_requirements, form_of
from ascent.programs.models import Cycle, CycleState

from .answers import check_answers
from .errors import ApplicationError
from .explain import explained_lines
from .milestones import notify_supporters
from .screening import screening_day
from .transitions import check_transition, record_transition, transition_application
from .uploads import copy_stored, prune_files, resolve_file_answers, store_upload

S = ApplicationStatus


def applicant_of(user) -> Applicant:
    """The user's applicant profile, created on first use."""
    applicant, _ = Applicant.objects.get_or_create(
        user=user, defaults={"display_name": user.get_full_name() or user.email}
    )
    return applicant


def is_open(cycle: Cycle, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return cycle.state == CycleState.OPEN and cycle.opens_at <= now <= cycle.deadline


def start_application(user, cycle: Cycle, *, from_last: bool = False) -> tuple[Application, dict]:
    """The user's application to ``cycle``, created as a draft if there is none.

    With ``from_last``, a new draft starts from the applicant's latest earlier
    application: every answer whose field still exists (and still fits it) is copied.
    Returns the application and what changed since last time: {"new": [labels of fields
    that did not exist], "changed": [labels whose question changed], "dropped": [...]}.
    """
    if not is_open(cycle):
        raise ApplicationError(_("this cycle is not open for applications"))
    applicant = applicant_of(user)
    existing = Application.objects.filter(applicant=applicant, cycle=cycle).first()
    if existing is not None:
        return existing, {}
    previous = None
    answers, changes = {}, {}
    if from_last:
        previous = (
            Application.objects.filter(applicant=applicant, cycle__program=cycle.program)
            .exclude(cycle=cycle)
            .exclude(status=S.DRAFT)
            .order_by("-cycle__opens_at")
            .first()
        )
        if previous is not None:
            answers, changes = _carry_over(previous, cycle)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                applicant=applicant, cycle=cycle, answers=answers, previous=previous
            )
            if previous is not None:
                _copy_files(previous, application)
    except IntegrityError:  # two tabs at once: the other one made it
        return Application.objects.get(applicant=applicant, cycle=cycle), {}
    record(user, "application.started", application, from_last=previous is not None)
    return application, changes


def _carry_over(previous: Application, cycle: Cycle) -> tuple[dict, dict]:
    old = {spec.key: spec for spec in form_of(previous.cycle)}
    new = form_of(cycle)
    answers, changed, fresh = {}, [], []
    for spec in new:
        before = old.get(spec.key)
        if before is None:
            fresh.append(spec.label)
            continue
        if before != spec:
            changed.append(spec.label)
        value = previous.answers.get(spec.key)
        if value is not None and not validate_answers([spec], {spec.key: value}, complete=False):
            answers[spec.key] = value
    dropped = [spec.label for key, spec in old.items() if key not in {s.key for s in new}]
    return answers, {"new": fresh, "changed": changed, "dropped": dropped}


def _copy_files(previous: Application, application: Application) -> None:
    """The new draft gets its own copy of each file it carries over: replacing it later
    never touches the earlier, submitted application's file."""
    from ascent.applications.models import StoredFile

    answers = application.answers
    for key, value in list(answers.items()):
        if not isinstance(value, dict) or "file" not in value:
            continue
        found = StoredFile.objects.filter(pk=value["file"], application=previous).first()
        if found is None:
            del answers[key]
        else:
            answers[key] = copy_stored(found, application).as_answer()
    application.save(update_fields=["answers"])


def own_application(user, pk: int) -> Application:
    """The application if it is the user's; Application.DoesNotExist otherwise (a page
    answers 404 either way, so guessing ids reveals nothing)."""
    return Application.objects.select_related("cycle__program", "applicant").get(
        pk=pk, applicant__user=user
    )


@dataclass(frozen=True)
class SavedDraft:
    """What a save of a draft did: the answers stored as valid (``kept``), those kept
    as typed because they need fixing (``held``), and each problem as (path, message)."""

    application: Application
    kept: tuple[str, ...]
    held: tuple[str, ...]
    problems: list[tuple[str, str]] = field(default_factory=list)


def save_answers(
    application: Application,
    answers: dict,
    *,
    by,
    uploads: dict | None = None,
    keep_files: bool = False,
    drop_files: frozenset[str] = frozenset(),
) -> SavedDraft:
    """Save a page of a draft's answers, files included, and report what was kept.

    Nothing the applicant typed is lost: each valid answer is stored; an answer that does
    not pass the form's checks is kept as typed (``held_answers``) with its problems, to
    be shown beside its field again. ``answers`` replace what was stored. ``uploads``:
    new files by field key (a refused file is a problem of its field, which keeps its
    file). ``keep_files``: a file field the answers leave out keeps its file unless its
    key is in ``drop_files`` (the form posts no file it does not replace). Raises
    ApplicationError only when the draft cannot change at all (submitted, too late)."""
    answers = dict(answers)
    form = form_of(application.cycle)
    specs = {spec.key: spec for spec in form}
    with transaction.atomic():
        # one save of a draft at a time: the files it names are checked, stored and the
        # unused ones deleted together, so no answer ever names a file another save removed
        locked = Application.objects.select_for_update(of=("self",)).select_related(
            "cycle").filter(pk=application.pk).first()  # fmt: skip
        if locked is None or locked.status != S.DRAFT:
            raise ApplicationError(_("a submitted application cannot be edited"))
        if not is_open(locked.cycle):
            raise ApplicationError(_("the deadline has passed; the draft can no longer change"))
        refused_files: list[tuple[str, str]] = []  # its field keeps the file it had
        for spec in form:
            if spec.kind != "file":
                continue
            current = locked.answers.get(spec.key)
            upload = (uploads or {}).get(spec.key)
            if upload is not None:
                try:
                    answers[spec.key] = store_upload(locked, spec.key, upload)
                    continue
                except ApplicationError as error:
                    refused_files += error.problems
            if keep_files and spec.key not in answers and spec.key not in drop_files and current:
                answers[spec.key] = current
        problems = validate_answers(form, answers, complete=False)
        problems += resolve_file_answers(locked, form, answers)
        wrong = {top_key(path) for path, _message in problems}
        problems += refused_files
        valid = {key: value for key, value in answers.items() if key not in wrong}
        held = {key: value for key, value in answers.items() if key in wrong and key in specs
                and specs[key].kind != "file" and _storable(value)
                and len(json.dumps(value)) <= MAX_HELD_CHARS}  # fmt: skip
        Application.objects.filter(pk=locked.pk).update(
            answers=valid, held_answers=held, updated_at=timezone.now()
        )
        application.answers, application.held_answers = valid, held
        prune_files(application)
    if held:
        record(by, "application.draft_held", application, fields=sorted(held))
    return SavedDraft(application, tuple(valid), tuple(held), problems)


MAX_HELD_CHARS = 100_000  # a wrong answer longer than this is reported, not kept


def _storable(value) -> bool:
    """Whether a wrong answer can be kept as sent: JSON every database stores (not
    infinity, not a number beyond what a form holds: those are only reported)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return abs(value) < 2**53
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) < 2**53
    if isinstance(value, list):
        return all(_storable(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _storable(v) for k, v in value.items())
    return False


def top_key(path: str) -> str:
    """``degrees[1].year`` → ``degrees``: an answer is kept or held as a whole."""
    found = re.match(r"[^.\[\]]+", path)
    return found.group() if found else ""


def draft_answers(application: Application) -> tuple[dict, list[tuple[str, str]]]:
    """A draft's answers as the applicant last typed them (held ones over stored ones)
    and the problems of those that need fixing: what the form shows after a reload."""
    held = application.held_answers or {}
    if not held:
        return application.answers, []
    form = form_of(application.cycle)
    return {**application.answers, **held}, validate_answers(form, held, complete=False)


def self_check(application: Application) -> list[dict]:
    """The cycle's requirements on the current answers, explained as screening will."""
    on = screening_day(application.cycle)
    words = phrasebook(application.cycle)
    results = []
    for requirement, compiled in compiled_requirements(application.cycle):
        explanation = evaluate(compiled, application.answers, on=on)
        results.append({"key": requirement.key, "name": words.get(requirement.name, requirement.name),
                        "description": words.get(requirement.description, requirement.description),
                        "passed": explanation.passed,
                        "lines": explained_lines(explanation.to_dict(), words=words)})  # fmt: skip
    return results


def submit_application(
    application: Application,
    *,
    by,
    answers: dict | None = None,
    form: tuple | None = None,
    now: dt.datetime | None = None,
):
    """Submit once: a repeat (double click, retry, second tab) returns the submission
    already made. The deadline is the server's clock. Sends the confirmation.

    ``answers``, when given, are the page's answers as the applicant pressed "Submit":
    they are stored with the submission in the same transaction; when they are not
    complete they are kept as the draft (``save_answers``) and the problems raised.
    Without them, the stored draft is submitted: answers held because they need fixing
    are refused as such. ``form``: the cycle's form when the caller has it already."""
    now = now or timezone.now()
    form = form if form is not None else form_of(application.cycle)
    if answers is not None:
        problems = validate_answers(form, answers, complete=True)
        problems += resolve_file_answers(application, form, answers)
        if problems:
            save_answers(application, answers, by=by)
            raise ApplicationError(_("some answers need fixing"), problems=problems)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cycle__program", "applicant__user")
            .get(pk=application.pk)
        )
        if locked.status != S.DRAFT:
            if locked.submitted_at is not None and locked.status != S.WITHDRAWN:
                return locked, False
            raise ApplicationError(_("this application was withdrawn"))
        cycle = locked.cycle
        if cycle.state != CycleState.OPEN or now > cycle.deadline:
            raise ApplicationError(
                _("the deadline passed at %(when)s; this application can no longer be submitted")
                % {"when": f"{timezone.localtime(cycle.deadline):%Y-%m-%d %H:%M %Z}"}
            )
        check_transition(locked, S.SUBMITTED)
        if answers is None:
            check_answers(cycle, {**locked.answers, **(locked.held_answers or {})},
                          complete=True, form=form)  # fmt: skip
        else:
            locked.answers = answers
        # under the lock: every file named is still this application's
        missing = resolve_file_answers(locked, form, locked.answers)
        if missing:
            raise ApplicationError(_("some answers need fixing"), problems=missing)
        _change, fields = record_transition(locked, S.SUBMITTED, by=by,
                                            reason="submitted by the applicant", at=now)  # fmt: skip
        locked.receipt = locked.receipt or _receipt(cycle)  # reopened: the same number
        locked.save(update_fields=[*fields, "receipt", "answers"])
        prune_files(locked)
        send_templated("applications/email/submitted", {"application": locked, "cycle": cycle},
                       [locked.applicant.user.email])  # fmt: skip
        notify_supporters(locked.applicant_id, "submitted", cycle=cycle)
    application.status, application.submitted_at = locked.status, locked.submitted_at
    application.answers, application.receipt = locked.answers, locked.receipt
    return locked, True


def withdraw_application(application: Application, *, by, now: dt.datetime | None = None):
    now = now or timezone.now()
    if application.status not in (S.DRAFT, S.SUBMITTED):
        raise ApplicationError(_("only a draft or a submitted application can be withdrawn here"))
    if now > application.cycle.deadline:
        raise ApplicationError(_("the deadline has passed; write to the program to withdraw"))
    return transition_application(application, S.WITHDRAWN, by=by,
                                  reason="withdrawn by the applicant", at=now)  # fmt: skip


def reopen_application(application: Application, *, by, now: dt.datetime | None = None):
    """Undo the applicant's own withdrawal, until the deadline: the application is a
    draft again, with every answer, to be submitted again (it keeps its receipt)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=application.pk)
        )
        if locked.status != S.WITHDRAWN:
            raise ApplicationError(_("only a withdrawn application can be reopened"))
        if not is_open(locked.cycle, now):
            raise ApplicationError(
                _("the deadline has passed; a withdrawn application can no longer be reopened")
            )
        last = locked.transitions.order_by("-at", "-pk").first()
        if last is None or last.from_status not in (S.DRAFT, S.SUBMITTED):
            raise ApplicationError(_("the program withdrew this application; please write to it"))
        _change, fields = record_transition(locked, S.DRAFT, by=by,
                                            reason="reopened by the applicant", at=now)  # fmt: skip
        locked.submitted_at = None
        locked.save(update_fields=[*fields, "submitted_at"])
    application.status, application.submitted_at = locked.status, None
    return locked


def _receipt(cycle: Cycle) -> str:
    prefix = "".join(word[0] for word in cycle.program.slug.split("-") if word)[:4].upper()
    for _attempt in range(10):
        receipt = f"{prefix or 'APP'}-{cycle.slug.upper()}-{secrets.token_hex(3).upper()}"
        if not Application.objects.filter(receipt=receipt).exists():
            return receipt
    raise ApplicationError(_("could not make a receipt number; please try again"))
