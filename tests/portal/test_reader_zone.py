"""Every date and time in the reader's time zone, with the zone named (issue #15)."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_show_times_in_the_zone_the_browser_gave_and_name_it(client, open_cycle):
    url = f"/programs/{open_cycle.program.slug}/{open_cycle.slug}/"
    plain = client.get(url).content.decode()
    assert "UTC</time>" in plain  # no zone given yet: UTC, and said so
    client.cookies["tz"] = "America/Santiago"
    there = client.get(url).content.decode()
    assert "UTC</time>" not in there
    assert any(zone in there for zone in ("-03</time>", "-04</time>"))  # Chile's offset, named
    client.cookies["tz"] = "../../etc/passwd"  # not a zone: ignored
    assert "UTC</time>" in client.get(url).content.decode()


def test_the_autosave_status_names_the_zone(client, open_cycle, applicant):
    from ascent.applications.models import Application

    client.post(f"/cycles/{open_cycle.pk}/apply/")
    application = Application.objects.get(cycle=open_cycle)
    client.cookies["tz"] = "Asia/Tokyo"
    page = client.post(f"/applications/{application.pk}/",
                       {"full_name": "Ada", "action": "autosave"},
                       headers={"HX-Request": "true"})  # fmt: skip
    assert "(JST)" in page.content.decode()


def test_the_zone_is_remembered_and_e_mails_use_it(
    client, open_cycle, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    from ascent.applications.models import Application
    from ascent.common.models import Preference

    client.cookies["tz"] = "Asia/Tokyo"
    client.get("/journey/")
    assert Preference.objects.get(user=applicant).time_zone == "Asia/Tokyo"
    client.post(f"/cycles/{open_cycle.pk}/apply/")
    application = Application.objects.get(cycle=open_cycle)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/applications/{application.pk}/",
                    {"full_name": "Ada Lovelace", "jet_hours": "1200", "action": "submit"})  # fmt: skip
    [receipt] = mailoutbox
    assert " JST" in receipt.body  # the receipt's time in her zone, named
    assert " UTC" not in receipt.body
