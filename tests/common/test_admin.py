"""Every model is in the admin, and staff can open every list and change page."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from ascent.cli.demo_logins import create_demo_logins
from ascent.cli.world_loader import load_world
from ascent.common.admin_scope import PROGRAM_PATHS

pytestmark = pytest.mark.django_db
OUR_APPS = {"common", "programs", "applications", "review", "decisions"}


def test_every_model_is_registered():
    ours = [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]
    missing = [m.__name__ for m in ours if m not in admin.site._registry]
    assert missing == []


def test_staff_can_open_every_list_and_change_page(client, small_world):
    load_world(small_world)
    create_demo_logins()
    assert client.login(username="staff@example.org", password="ascent-staff-demo")
    for model in admin.site._registry:
        if model._meta.app_label not in OUR_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        listing = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        if getattr(admin.site._registry[model], "private", False):
            assert listing.status_code == 403, info  # the applicant's own: not for staff
            continue
        assert listing.status_code == 200, info
        if model._meta.label_lower not in PROGRAM_PATHS:  # no program's: the operators'
            assert listing.context["cl"].result_count == 0, info
            continue
        obj = model.objects.first()
        if obj is not None:
            page = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            assert page.status_code == 200, info


def test_the_application_list_is_searchable_and_filterable(client, small_world):
    load_world(small_world)
    create_demo_logins()
    client.login(username="staff@example.org", password="ascent-staff-demo")
    page = client.get("/admin/applications/application/", {"q": "Maya Castellanos"})
    assert page.context["cl"].result_count == len(small_world.cycles)
    selected = client.get("/admin/applications/application/", {"status__exact": "selected"})
    # the last cycle is loaded undecided: staff decide it
    decided = small_world.cycles[:-1]
    assert selected.context["cl"].result_count == sum(len(c.selected) for c in decided)


def test_a_reviewer_cannot_enter_the_admin(client, small_world):
    load_world(small_world)
    create_demo_logins()
    client.login(username="reviewer1@panel.example.org", password="ascent-reviewer-demo")
    page = client.get("/admin/")
    assert page.status_code == 302
    assert "/admin/login/" in page["Location"]
