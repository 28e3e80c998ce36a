import pytest

from ascent.cli.world_loader import load_world
from ascent.programs.models import CycleState
from tests.factories import ApplicationFactory, CycleFactory

pytestmark = pytest.mark.django_db


def test_home_lists_programs_cycles_and_their_counts(
    client, small_world, django_assert_num_queries
):
    load_world(small_world)
    with django_assert_num_queries(3):  # programs, their cycles, the open cycles
        page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Astronaut Candidate Program" in html
    cycles = page.context["programs"][0].cycles.all()
    assert [c.name for c in cycles] == [c.name for c in reversed(small_world.cycles)]
    for cycle, wc in zip(cycles, reversed(small_world.cycles), strict=True):
        assert cycle.application_count == len(wc.person)
        undecided = wc is small_world.cycles[-1]  # loaded reviewed, for staff to decide
        assert cycle.selected_count == (0 if undecided else len(wc.selected))
        assert f'">{wc.name}</a></th>' in html


def test_home_hides_draft_cycles_and_draft_applications(client):
    hidden = CycleFactory(name="Secret call", state=CycleState.DRAFT)
    open_cycle = CycleFactory(program=hidden.program, name="Open call")
    ApplicationFactory(cycle=open_cycle)  # a draft
    html = client.get("/").content.decode()
    assert "Open call" in html
    assert "Secret call" not in html
    assert client.get("/").context["programs"][0].cycles.all()[0].application_count == 0


def test_home_escapes_what_staff_typed(client):
    CycleFactory(program__name="<script>alert(1)</script>")
    html = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_home_without_programs_says_how_to_start(client):
    assert "No program yet" in client.get("/").content.decode()


def test_spanish_by_the_browsers_language_and_by_the_switcher(client, open_cycle):
    page = client.get("/", headers={"accept-language": "es"})
    html = page.content.decode()
    assert '<html lang="es" data-theme="light">' in html
    assert "Programas" in html
    assert "Crear una cuenta" in html
    cycle = client.get(f"/programs/{open_cycle.program.slug}/{open_cycle.slug}/",
                       headers={"accept-language": "es"}).content.decode()  # fmt: skip
    assert "Requisitos" in cycle
    assert "Quedan" in cycle  # the time left, in Spanish
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/", headers={"accept-language": "es"}).content.decode()
    assert "Programs" in english  # the switcher's choice wins over the browser's


def test_the_home_page_leads_to_the_open_cycle_and_a_closed_one_points_to_it(client, open_cycle):
    """Issue #15: no "Apply" on the home page; a closed cycle did not point to the open one."""
    import datetime as dt

    from django.utils import timezone

    from ascent.programs.domain.cycles import copy_cycle
    from ascent.programs.models import CycleState

    home = client.get("/").content.decode()
    assert f"Apply to {open_cycle.name}" in home
    closed = copy_cycle(open_cycle, name="Last year", slug="last-year",
                        opens_at=open_cycle.opens_at - dt.timedelta(days=365),
                        deadline=timezone.now() - dt.timedelta(days=200),
                        state=CycleState.DECIDED)  # fmt: skip
    page = client.get(f"/programs/{closed.program.slug}/{closed.slug}/").content.decode()
    assert "This cycle is not open for applications." in page
    assert f"Apply to {open_cycle.name}, open now" in page


def test_every_page_has_an_icon_and_favicon_ico_is_not_a_404(client):
    assert 'rel="icon"' in client.get("/").content.decode()
    found = client.get("/favicon.ico")
    assert found.status_code == 302
    assert client.get(found["Location"]).status_code in (200, 304) or found["Location"].endswith(
        ".svg"
    )
