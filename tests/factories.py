"""factory_boy factories for the domain model."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from ascent.applications.models import Applicant, Application, ApplicationStatus
from ascent.programs.models import Criterion, Cycle, CycleState, FormField, Program, Stage
from ascent.review.models import Assignment, Review, Reviewer


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("correct horse battery staple")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Fellowship {n}")
    slug = factory.Sequence(lambda n: f"fellowship-{n}")
    organisation = "Example Foundation"


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Call {2000 + n}")
    slug = factory.Sequence(lambda n: f"call-{2000 + n}")
    opens_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    deadline = dt.datetime(2026, 3, 31, 17, tzinfo=dt.UTC)
    capacity = 10
    state = CycleState.OPEN


class FormFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormField

    cycle = factory.SubFactory(CycleFactory)
    key = factory.Sequence(lambda n: f"field{n}")
    label = factory.LazyAttribute(lambda o: o.key.replace("_", " ").capitalize())
    kind = "text"
    position = factory.Sequence(int)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    cycle = factory.SubFactory(CycleFactory)
    key = factory.Sequence(lambda n: f"criterion{n}")
    name = factory.Sequence(lambda n: f"Criterion {n}")
    scale_min = 1
    scale_max = 10
    weight = 1.0


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    cycle = factory.SubFactory(CycleFactory)
    key = factory.Sequence(lambda n: f"stage{n}")
    name = "Panel review"
    kind = "review"
    reviews_per_application = 3


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Applicant {n}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    applicant = factory.SubFactory(ApplicantFactory)
    cycle = factory.SubFactory(CycleFactory)
    status = ApplicationStatus.DRAFT


class ReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reviewer

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    display_name = factory.Sequence(lambda n: f"Reviewer {n}")
    load_limit = 20


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    reviewer = factory.SubFactory(ReviewerFactory)
    application = factory.SubFactory(ApplicationFactory)
    stage = factory.SubFactory(StageFactory, cycle=factory.SelfAttribute("..application.cycle"))
    created_at = dt.datetime(2026, 4, 15, tzinfo=dt.UTC)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)


def stored_file_answer(
    application,
    key: str,
    data: bytes = b"%PDF-1.4\n%%EOF",
    name: str = "file.pdf",
    content_type: str = "application/pdf",
) -> dict:
    """A file stored for ``application``'s answer ``key`` (bytes under MEDIA_ROOT and its
    record), as the answer's value; the caller puts it into the answers."""
    import hashlib

    from django.core.files.base import ContentFile

    from ascent.applications.domain.uploads import _store

    extension = {"application/pdf": "pdf", "image/png": "png"}.get(content_type, "jpg")
    return _store(application, key, ContentFile(data), name, len(data), content_type, extension,
                  hashlib.sha256(data).hexdigest()).as_answer()  # fmt: skip


def bearer(user, **scope) -> dict:
    """The Authorization header of a new personal API token of ``user``."""
    from ascent.common.domain.tokens import create_token

    _token, secret = create_token(user, "test", **scope)
    return {"Authorization": f"Bearer {secret}"}
