"""Big pages stay cheap: a bounded number of queries, whatever the number of rows."""

import pytest

from ascent.decisions.domain.deciding import decide_cycle
from ascent.review.models import Assignment
from tests.factories import UserFactory

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
