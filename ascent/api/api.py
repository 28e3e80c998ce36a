"""The JSON API, version 1, under /api/v1/ (django-ninja).

OpenAPI at /api/v1/openapi.json, browsable docs at /api/v1/docs. Sign in with the
browser's session, or send ``Authorization: Bearer <personal token>`` (``ascent
api_token``; a token may be narrowed to one of its user's roles, and reads only unless
made with ``--write``). The same rules as the pages: an applicant reads and writes their
own applications, a reviewer their own assignments and reviews, staff read everything;
another person's object is a 404. Requests are rate-limited per user (and per address
for anonymous ones): over the limit, 429 with Retry-After.
"""

import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer, django_auth
from ninja.throttling import AnonRateThrottle, UserRateThrottle

from ascent.applications.domain import drafts
from ascent.applications.domain.drafts import draft_answers, submit_application
from ascent.applications.domain.errors import ApplicationError
from ascent.applications.domain.journey import journey_of
from ascent.applications.domain.queries import PUBLIC_CYCLE_STATES
from ascent.applications.models import Applicant, Application, ApplicationStatus
from ascent.common.domain.tokens import token_for_secret
from ascent.common.permissions import is_staff, staff_cycles
from ascent.decisions.models import Decision
from ascent.programs.models import Criterion, Cycle, Program
from ascent.review.domain.errors import ReviewError
from ascent.review.domain.reviewing import assignment_for, queue_of, save_review
from ascent.review.models import Assignment, Review
from ascent.workspace.exports import cycle_table, export_table


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = token_for_secret(token)
        if found is None:
            return None
        request.user, request.api_token = found.user, found
        return found.user


class UserThrottle(UserRateThrottle):
    """Per signed-in user (whatever token or session they use)."""

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is None:
            return None  # anonymous requests have their own limit
        return super().get_cache_key(request)


api = NinjaAPI(
    title="Ascent API", version="1", urls_namespace="api-v1",
    auth=[TokenAuth(), django_auth],
    throttle=[AnonRateThrottle(settings.API_RATE_ANONYMOUS), UserThrottle(settings.API_RATE_USER)],
    description=__doc__,
)  # fmt: skip


# -- schemas -----------------------------------------------------------------------------

MAX_ID = 2**63 - 1  # a database id never exceeds a signed 64-bit integer
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
TableKey = Annotated[str, Path(pattern=r"^[a-z_]{1,40}$")]
ExportFormat = Literal["csv", "xlsx"]


class Pages(LimitOffsetPagination):
    """limit ≤ 1,000 and a bounded offset: a number the database can hold (the fuzzer
    found that an offset of 3.7e20 reached SQLite and failed there)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=10_000_000)


class Detail(Schema):
    detail: str


class Invalid(Schema):
    detail: list[dict[str, Any]]


def answers(ok) -> dict:
    """Every endpoint's documented answers: the result, or a JSON reason."""
    return {200: ok, 400: Detail, 401: Detail, 403: Detail, 404: Detail, 422: Invalid, 429: Detail}


class ProgramOut(Schema):
    id: int
    slug: str
    name: str
    organisation: str
    description: str


class CycleSummary(Schema):
    id: int
    program: str
    slug: str
    name: str
    state: str
    opens_at: dt.datetime
    deadline: dt.datetime
    capacity: int


class CycleOut(CycleSummary):
    form: list[dict[str, Any]]
    requirements: list[dict[str, Any]]
    criteria: list[dict[str, Any]]


class ApplicationOut(Schema):
    id: int
    cycle: int
    status: str
    receipt: str | None
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_cycle(obj) -> int:
        return obj["cycle"] if isinstance(obj, dict) else obj.cycle_id


class Problem(Schema):
    loc: list[str | int] = Field(description='where: ["body", "answers", <the answer\'s path>]')
    msg: str


class ApplicationDetail(ApplicationOut):
    answers: dict[str, Any] = Field(description="the answers stored as valid")
    held_answers: dict[str, Any] = Field(
        description="a draft's answers kept as sent although they need fixing; each has "
        "its problems in ``problems``, and submission refuses them"
    )
    problems: list[Problem] = Field(description="what needs fixing in the draft, by place")
    references: list[dict[str, Any]]
    decision: dict[str, Any] | None


class ApplicationFilter(Schema):
    cycle: int | None = Field(None, ge=1, le=MAX_ID)
    status: ApplicationStatus | None = None


class AssignmentOut(Schema):
    id: int
    application: int
    receipt: str | None
    stage: str
    review_state: str


class DecisionOut(Schema):
    application: int
    receipt: str | None
    outcome: str
    rank: int | None
    composite: float | None
    stderr: float | None
    p_selected: float | None
    borderline: bool
    released: bool


# -- endpoints -----------------------------------------------------------------------------


@api.get("/programs", response=answers(list[ProgramOut]), auth=None, tags=["programs"])
def programs(request):
    """Every program (public)."""
    return Program.objects.order_by("name")


@api.get("/cycles", response=answers(list[CycleSummary]), auth=None, tags=["programs"])
@paginate(Pages)
def cycles(request, program: Annotated[str | None, Query(max_length=100)] = None):
    """Public cycles, newest first; ``program`` filters by the program's slug."""
    found = Cycle.objects.filter(state__in=PUBLIC_CYCLE_STATES).select_related("program")
    if program:
        found = found.filter(program__slug=program)
    return [_cycle_summary(c) for c in found.order_by("-deadline", "pk")]


@api.get("/cycles/{cycle_id}", response=answers(CycleOut), auth=None, tags=["programs"])
def cycle(request, cycle_id: Id):
    """A public cycle with its form, requirements (rules as data) and rubric."""
    found = get_object_or_404(Cycle.objects.select_related("program"), pk=cycle_id,
                              state__in=PUBLIC_CYCLE_STATES)  # fmt: skip
    return {
        **_cycle_summary(found),
        "form": [f.to_spec().to_dict() for f in found.form_fields.order_by("position", "id")],
        "requirements": [{"key": r.key, "name": r.name, "description": r.description,
                          "rule": r.rule} for r in found.requirements.order_by("position", "id")],
        "criteria": [{"key": c.key, "name": c.name, "weight": c.weight, "scale": [c.scale_min,
                      c.scale_max], "levels": c.levels}
                     for c in found.criteria.order_by("position", "id")],
    }  # fmt: skip


@api.get("/me/applications", response=answers(list[ApplicationOut]), tags=["applicant"])
def my_applications(request):
    """The signed-in person's applications."""
    _allow(request, "applicant")
    return Application.objects.filter(applicant__user=request.auth).order_by("created_at")


@api.get(
    "/me/applications/{application_id}", response=answers(ApplicationDetail), tags=["applicant"]
)
def my_application(request, application_id: Id):
    """One of the person's applications: answers, references' status (never their
    content) and, once released, the decision with its gap report."""
    _allow(request, "applicant")
    app = get_object_or_404(Application, pk=application_id, applicant__user=request.auth)
    return _application_detail(app)


def _application_detail(app: Application, problems: list | None = None) -> dict:
    decision = Decision.objects.filter(application=app, released_at__isnull=False).first()
    if problems is None:
        problems = draft_answers(app)[1] if app.status == "draft" else []
    return {
        "id": app.pk, "cycle": app.cycle_id, "status": app.status, "receipt": app.receipt,
        "submitted_at": app.submitted_at, "answers": app.answers,
        "held_answers": app.held_answers or {},
        "problems": [{"loc": ["body", "answers", *_path_parts(path)], "msg": str(message)}
                     for path, message in problems],
        "references": [{"recommender": r.recommender_name, "relationship": r.relationship,
                        "state": r.state} for r in app.references.order_by("requested_at")],
        "decision": None if decision is None else {
            "outcome": decision.outcome, "composite": decision.composite, "rank": decision.rank,
            "gap_report": decision.gap},
    }  # fmt: skip


@api.get("/me/journey", response=answers(list[dict[str, Any]]), tags=["applicant"])
def my_journey(request):
    """Every cycle applied to, with the released outcome and the distance to the cutoff."""
    _allow(request, "applicant")
    applicant = Applicant.objects.filter(user=request.auth).first()
    if applicant is None:
        return []
    return [{"cycle": s.cycle.name, "status": s.application.status, "released": s.released,
             "outcome": s.outcome, "distance": s.distance, "cutoff": s.cutoff}
            for s in journey_of(applicant)]  # fmt: skip


@api.get("/me/assignments", response=answers(list[AssignmentOut]), tags=["reviewer"])
def my_assignments(request):
    """The reviewer's queue."""
    _allow(request, "reviewer")
    return [{"id": a.pk, "application": a.application_id, "receipt": a.application.receipt,
             "stage": a.stage.key,
             "review_state": getattr(getattr(a, "review", None), "state", "") or "not started"}
            for a in queue_of(request.auth)]  # fmt: skip


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(description="the form's answers by field key, as stored: "
                                    "numbers, text, dates (YYYY-MM-DD), lists, records")  # fmt: skip


class SubmittedOut(ApplicationOut):
    already: bool = Field(description="true when this was a repeat: the first submission stands")


class ReviewIn(Schema):
    scores: dict[str, int] = Field(description="a whole-number score by criterion key")
    comments: str = Field("", max_length=20_000)
    confidence: int | None = Field(None, ge=1, le=5, description="1 (a guess) to 5 (expert)")
    submit: bool = False


class ReviewOut(Schema):
    assignment: int
    state: str
    scores: dict[str, int]


class Unprocessable(Exception):
    """A 422 whose detail names each problem's place, as the schema's own checks do."""

    def __init__(self, problems: list[tuple[str, str]], place) -> None:
        self.detail = [{"type": "invalid", "loc": place(path), "msg": str(message)}
                       for path, message in problems]  # fmt: skip


@api.exception_handler(Unprocessable)
def unprocessable(request, exc: Unprocessable):
    return api.create_response(request, {"detail": exc.detail}, status=422)


def _answer_problems(error: ApplicationError) -> Unprocessable:
    """An answer's problem at ["body", "answers", <its path>]; any other at ["application"]."""
    if not error.problems:
        return Unprocessable([("", str(error))], lambda _path: ["application"])
    return Unprocessable(error.problems, lambda path: ["body", "answers", *_path_parts(path)])


def _path_parts(path: str) -> list:
    """``degrees[1].year`` (the engine's paths) → ["degrees", 1, "year"], as pydantic's."""
    return [int(p) if p.isascii() and p.isdigit() and len(p) < 10 else p
            for p in re.findall(r"[^.\[\]]+", path)]  # fmt: skip


@api.put("/me/applications/{application_id}/answers", response=answers(ApplicationDetail),
         tags=["applicant"])  # fmt: skip
def save_answers(request, application_id: Id, body: AnswersIn):
    """Save a draft's answers (all of them, replacing what was stored). Incomplete is
    fine. Nothing sent is lost: valid answers are stored in ``answers``; a wrong one is
    kept as sent in ``held_answers`` and its problem, naming the field and the rule, is
    listed in ``problems`` (still 200). Submission refuses held answers (422). A draft
    that can no longer change (submitted, deadline passed) is a 422."""
    _allow(request, "applicant", write=True)
    app = get_object_or_404(Application.objects.select_related("cycle"), pk=application_id,
                            applicant__user=request.auth)  # fmt: skip
    try:
        saved = drafts.save_answers(app, body.answers, by=request.auth)
    except ApplicationError as error:
        raise _answer_problems(error) from error
    return _application_detail(app, saved.problems)


@api.post("/me/applications/{application_id}/submit", response=answers(SubmittedOut),
          tags=["applicant"])  # fmt: skip
def submit(request, application_id: Id):
    """Submit the stored answers, once: a repeat answers 200 with the first submission's
    receipt (``already`` true). Missing answers or a passed deadline are a 422."""
    _allow(request, "applicant", write=True)
    app = get_object_or_404(Application.objects.select_related("cycle"), pk=application_id,
                            applicant__user=request.auth)  # fmt: skip
    try:
        submitted, fresh = submit_application(app, by=request.auth)
    except ApplicationError as error:
        raise _answer_problems(error) from error
    return {"id": submitted.pk, "cycle": submitted.cycle_id, "status": submitted.status,
            "receipt": submitted.receipt, "submitted_at": submitted.submitted_at,
            "already": not fresh}  # fmt: skip


@api.put("/me/assignments/{assignment_id}/review", response=answers(ReviewOut),
         tags=["reviewer"])  # fmt: skip
def review(request, assignment_id: Id, body: ReviewIn):
    """Save the reviewer's scores as a draft, or submit them (``submit``: every criterion
    scored). A submitted review no longer changes (422)."""
    _allow(request, "reviewer", write=True)
    try:
        assignment = assignment_for(request.auth, assignment_id)
    except Assignment.DoesNotExist:
        raise Http404 from None
    criteria = {c.key: c for c in Criterion.objects.filter(cycle=assignment.application.cycle)}
    unknown = [(key, f"no criterion {key!r} (known: {', '.join(sorted(criteria))})")
               for key in body.scores if key not in criteria]  # fmt: skip
    if unknown:
        raise Unprocessable(unknown, lambda key: ["body", "scores", key])
    by_pk = {f"score-{c.pk}": key for key, c in criteria.items()}
    try:
        saved = save_review(assignment, scores={criteria[k].pk: str(v) for k, v in body.scores.items()},
                            comments=body.comments,
                            confidence=str(body.confidence or ""),
                            submit=body.submit, by=request.auth)  # fmt: skip
    except ReviewError as error:

        def place(path: str) -> list[str]:
            if path in by_pk:
                return ["body", "scores", by_pk[path]]
            return ["body", path] if path else ["review"]

        raise Unprocessable(error.problems or [("", str(error))], place) from error
    keys = {c.pk: key for key, c in criteria.items()}
    return {"assignment": assignment.pk, "state": saved.state,
            "scores": {keys[s.criterion_id]: s.value for s in saved.scores.all()}}  # fmt: skip


@api.get("/applications", response=answers(list[ApplicationOut]), tags=["staff"])
@paginate(Pages)
def applications(request, filters: Query[ApplicationFilter]):
    """Staff: every application, filtered by cycle and status, paginated."""
    _allow(request, "staff")
    found = (Application.objects.filter(cycle__in=staff_cycles(request.auth))
             .exclude(status=ApplicationStatus.DRAFT).order_by("pk"))  # fmt: skip
    if filters.cycle is not None:
        found = found.filter(cycle_id=filters.cycle)
    if filters.status is not None:
        found = found.filter(status=filters.status)
    return found


@api.get("/cycles/{cycle_id}/decisions", response=answers(list[DecisionOut]), tags=["staff"])
@paginate(Pages)
def decisions(request, cycle_id: Id):
    """Staff: the cycle's decisions (released or not), best rank first."""
    _allow(request, "staff")
    get_object_or_404(staff_cycles(request.auth), pk=cycle_id)
    rows = Decision.objects.filter(cycle_id=cycle_id).select_related("application")
    return [{"application": d.application_id, "receipt": d.application.receipt,
             "outcome": d.outcome, "rank": d.rank, "composite": d.composite, "stderr": d.stderr,
             "p_selected": d.p_selected, "borderline": d.borderline,
             "released": d.released_at is not None}
            for d in rows.order_by("rank", "application_id")]  # fmt: skip


EXPORT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@api.get(
    "/cycles/{cycle_id}/exports/{table}", response={k: v for k, v in answers(None).items() if k != 200},
    tags=["staff"],
    openapi_extra={"responses": {200: {"description": "the table as a file", "content": {
        kind: {"schema": {"type": "string", "format": "binary"}} for kind in EXPORT_TYPES.values()}}}},
)  # fmt: skip
def export(request, cycle_id: Id, table: TableKey, format: ExportFormat = "csv"):
    """Staff: one of the cycle's tables as CSV or XLSX, as the staff pages export them:
    ``applications`` (every submitted one), ``board`` (the ranking with its uncertainty),
    or an analytics table (``funnel``, ``scores``, ``agreement``, ``reviewers``, ``repeat``)."""
    _allow(request, "staff")
    found = get_object_or_404(staff_cycles(request.auth), pk=cycle_id)
    rows = cycle_table(found, table)
    if rows is None:
        raise HttpError(404, f"no table {table!r} for this cycle")
    return export_table(rows, format, f"{found.slug}-{table}")


@api.get("/me/assignments/{assignment_id}/review", response=answers(ReviewOut), tags=["reviewer"])
def my_review(request, assignment_id: Id):
    """The reviewer's own review of an assigned application (scores by criterion key)."""
    _allow(request, "reviewer")
    try:
        assignment = assignment_for(request.auth, assignment_id)
    except Assignment.DoesNotExist:
        raise Http404 from None
    saved = Review.objects.filter(assignment=assignment).first()
    if saved is None:
        return {"assignment": assignment.pk, "state": "not started", "scores": {}}
    return {"assignment": assignment.pk, "state": saved.state,
            "scores": {s.criterion.key: s.value for s in saved.scores.select_related("criterion")}}  # fmt: skip


def _allow(request, role: str, *, write: bool = False) -> None:
    """The one check of every endpoint: a token narrowed to another role, or reading
    only, stops here (403); staff endpoints need staff. Ownership is the queries' part
    (another person's object is a 404)."""
    token = getattr(request, "api_token", None)
    if token is not None and token.role and token.role != role:
        raise HttpError(403, f"this token acts only as {token.role}")
    if write and token is not None and token.read_only:
        raise HttpError(403, "this token is read-only; make one with --write to change data")
    if role == "staff" and not is_staff(request.auth):
        raise HttpError(403, "staff only")


def _cycle_summary(c: Cycle) -> dict:
    return {"id": c.pk, "program": c.program.slug, "slug": c.slug, "name": c.name,
            "state": c.state, "opens_at": c.opens_at, "deadline": c.deadline,
            "capacity": c.capacity}  # fmt: skip


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)
