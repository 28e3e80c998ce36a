import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ascent.programs.domain.setup import create_program
from tests.factories import UserFactory


@pytest.fixture
def made_program():
    """Make a program from a template, as its manager did; returns its draft cycle and
    the manager's signed-in client."""

    def make(template: str = "fellowship", name: str = "Ada Fellowship"):
        user = UserFactory(is_staff=True)
        now = timezone.now()
        cycle = create_program(template=template, name=name, organisation="Ada",
                               cycle_name="2027", opens_at=now,
                               deadline=now + dt.timedelta(days=9), by=user)  # fmt: skip
        client = Client()
        client.force_login(user)
        return cycle, client

    return make
