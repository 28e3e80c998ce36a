"""Big pages stay cheap: a bounded number of queries, whatever the number of rows."""

import pytest

from ascent.decisions.domain.deciding import decide_cycle
from ascent.review.models import Assignment
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_board_the_desk_and_a_queue_do_not_grow_with_the_cycle(client, reopened,
                                                                   django_assert_max_num_queries):  # fmt: skip
    decide_cycle(reopened, draws=20)
    client.force_login(UserFactory(is_staff=True))
    # (each staff page: one query for the navigation's "Administration" link, by role)
    with django_assert_max_num_queries(13):
        assert client.get(f"/staff/cycles/{reopened.pk}/board/").status_code == 200
    with django_assert_max_num_queries(17):
        assert client.get(f"/staff/cycles/{reopened.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/staff/cycles/{reopened.pk}/board.csv").status_code == 200
    reviewer = Assignment.objects.filter(stage__cycle=reopened).first().reviewer
    client.force_login(reviewer.user)
    with django_assert_max_num_queries(10):
        page = client.get("/review/")
    assert len(page.context["items"]) > 3


def test_the_api_list_of_applications_is_paginated_and_flat(client, reopened,
                                                            django_assert_max_num_queries):  # fmt: skip
    from ascent.common.domain.tokens import create_token

    _token, secret = create_token(UserFactory(is_staff=True), "q")
    with django_assert_max_num_queries(8):
        page = client.get("/api/v1/applications", {"cycle": reopened.pk, "limit": 50},
                          headers={"Authorization": f"Bearer {secret}"})  # fmt: skip
    assert len(page.json()["items"]) == 50


def test_the_set_up_pages_do_not_grow_with_the_previous_cycle(client, reopened):
    """The set-up page and the live check try every requirement on the previous cycle's
    answers: one query for all of them, whatever their number; the builders' pages read
    the configuration in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ascent.applications.models import Application
    from ascent.programs.models import Cycle

    client.force_login(UserFactory(is_staff=True))
    base = f"/staff/cycles/{reopened.pk}"
    field = reopened.form_fields.exclude(kind__in=["records", "file"]).first()
    check = {"measure-0": f"field:{field.key}", "op-0": "==", "value-0": "x", "combine": "all"}
    pages = [(f"{base}/setup/", {}), (f"{base}/requirements/check/", check),
             (f"{base}/requirements/new/", {}), (f"{base}/requirements/0/", {}),
             (f"{base}/form/new/", {}), (f"{base}/form/0/", {}), (f"{base}/stages/0/", {}),
             (f"/staff/programs/{reopened.program_id}/team/", {})]  # fmt: skip

    def counts():
        found = []
        for url, query in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, query).status_code == 200, url
            found.append(len(queries))
        return found

    before = counts()
    tried = client.get(f"{base}/requirements/check/", check).content.decode()
    assert "would pass" in tried
    previous = Cycle.objects.filter(program=reopened.program).exclude(pk=reopened.pk)
    previous = previous.order_by("-deadline").first()
    answered = Application.objects.filter(cycle=previous).exclude(status="draft")
    assert answered.count() > 10
    for application in list(answered[:10]):  # the previous cycle grows by ten
        application.pk, application.receipt = None, f"{application.receipt}-again"
        application.applicant = ApplicantFactory()
        application.save()
    assert counts() == before
    # Tried once, a rule's result is cached: the next visit reads no answer at all.
    with CaptureQueriesContext(connection) as again:
        client.get(f"{base}/setup/")
    assert len(again) == before[0] - 1
    assert not [q for q in again.captured_queries if '"answers"' in q["sql"]]
    assert max(before) <= 17, dict(zip([url for url, _q in pages], before, strict=True))
