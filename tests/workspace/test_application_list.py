"""The staff list of a cycle's applications: filters, order, pages, export, bad input."""

import csv
import io

import pytest
from django.utils import timezone

from ascent.applications.models import Application, ApplicationStatus, Eligibility
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def test_the_list_pages_through_every_application_at_a_bounded_cost(
    staff_client, reopened, django_assert_max_num_queries
):
    total = Application.objects.filter(cycle=reopened).count()
    url = f"/staff/cycles/{reopened.pk}/applications/"
    with django_assert_max_num_queries(8):
        first = staff_client.get(url)
    assert first.status_code == 200
    page = first.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (total, min(50, total))
    seen = [a.pk for a in page.object_list]
    for number in range(2, page.paginator.num_pages + 1):
        with django_assert_max_num_queries(8):
            seen += [a.pk for a in staff_client.get(url, {"page": number}).context["page"]]
    assert sorted(seen) == sorted(
        Application.objects.filter(cycle=reopened).values_list("pk", flat=True)
    )
    submitted = [
        a.submitted_at
        for a in Application.objects.filter(pk__in=seen[:50]).order_by("submitted_at")
    ]
    assert [a.submitted_at for a in page.object_list] == submitted  # oldest first by default


def test_filters_combine_and_the_export_holds_what_the_filter_shows(staff_client, reopened):
    url = f"/staff/cycles/{reopened.pk}/applications/"
    one = Application.objects.filter(cycle=reopened).exclude(receipt=None).first()
    found = staff_client.get(url, {"q": one.receipt.lower()}).context["page"]
    assert [a.pk for a in found] == [one.pk]
    by_mail = staff_client.get(url, {"q": one.applicant.user.email.upper()}).context["page"]
    assert one.pk in [a.pk for a in by_mail]
    reviewing = list(Application.objects.filter(cycle=reopened, status=S.IN_REVIEW))
    Eligibility.objects.filter(application__cycle=reopened).delete()  # screened on loading
    now = timezone.now()
    Eligibility.objects.bulk_create([
        Eligibility(application=a, eligible=True, screened_on=now.date(), rules_digest="x",
                    screened_at=now, override=False if i == 0 else None,
                    override_reason="staff overruled" if i == 0 else "")
        for i, a in enumerate(reviewing)
    ])  # fmt: skip
    in_review = staff_client.get(url, {"status": S.IN_REVIEW, "eligible": "yes"})
    expected = Application.objects.filter(pk__in=[a.pk for a in reviewing[1:]])
    assert in_review.context["page"].paginator.count == expected.count() > 0
    overruled = staff_client.get(url, {"eligible": "no"}).context["page"]
    assert [a.pk for a in overruled] == [reviewing[0].pk]  # the staff override wins
    unscreened = staff_client.get(url, {"eligible": "unscreened"}).context["page"].paginator
    assert unscreened.count == Application.objects.filter(cycle=reopened).count() - len(reviewing)
    export = staff_client.get(url, {"status": S.IN_REVIEW, "eligible": "yes", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert len(rows) == expected.count()
    assert {r["status"] for r in rows} == {S.IN_REVIEW}
    assert {r["eligible"] for r in rows} == {"1"}
    xlsx = staff_client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    newest = staff_client.get(url, {"sort": "-submitted"}).context["page"].object_list
    assert newest[0].submitted_at >= newest[len(newest) - 1].submitted_at
    none = staff_client.get(url, {"q": "no-such-receipt"})
    assert "No application matches." in none.content.decode()


def test_a_bad_filter_is_refused_by_name(staff_client, reopened):
    url = f"/staff/cycles/{reopened.pk}/applications/"
    refused = staff_client.get(url, {"status": "lost", "sort": "random"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Status: Select a valid choice. lost is not one of the available choices." in html
    assert "Order: Select a valid choice." in html
    long = staff_client.get(url, {"q": "x" * 101})
    assert long.status_code == 400
    assert (
        "Receipt, name or e-mail: Ensure this value has at most 100 characters"
        in long.content.decode()
    )
    # A page number out of range shows the last page rather than an error.
    assert staff_client.get(url, {"page": "999"}).context["page"].number >= 1
    assert staff_client.get(url, {"page": "abc"}).status_code == 200
