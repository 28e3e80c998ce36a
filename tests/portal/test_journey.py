"""The journey page: every cycle, its outcome, and the distance to the cutoff as a plot."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from ascent.cli.demo_logins import PERSONA, create_demo_logins
from ascent.cli.world_loader import load_world
from ascent.decisions.domain.deciding import decide_cycle, release_decisions
from ascent.portal.charts import distance_chart
from ascent.programs.models import Cycle

pytestmark = pytest.mark.django_db


def test_the_persona_sees_her_journey(client, small_world):
    load_world(small_world)
    last = Cycle.objects.get(slug=small_world.cycles[-1].slug)
    decide_cycle(last, draws=50)  # the loaded world leaves the last cycle to staff
    release_decisions(last)
    create_demo_logins()
    assert client.login(username=PERSONA.username, password=PERSONA.password)
    page = client.get("/journey/")
    assert page.status_code == 200
    steps = page.context["steps"]
    assert len(steps) == len(small_world.journey(small_world.persona))
    assert all(step.released for step in steps)
    assert steps[-1].selected
    assert steps[-1].distance == 0
    # In this small world she was not eligible twice: nothing to plot yet.
    assert [s.outcome for s in steps[:-1]] == ["Not eligible", "Not eligible"]
    assert page.context["chart"] is None
    html = page.content.decode()
    assert "Selected" in html
    # each missed requirement down to the missing amount ("0.2 of the 3 years …")
    missing = [child for step in steps[:-1] for part in step.failed
               for child in part["explanation"].get("children", []) if not child["passed"]]  # fmt: skip
    assert missing
    assert all(child["text"] in html for child in missing)


def test_the_distance_plot_has_a_text_alternative():
    steps = [SimpleNamespace(cycle=SimpleNamespace(name=f"{2020 + i} call"), distance=d)
             for i, d in enumerate([1.5, 0.9, None, 0.4, 0.0])]  # fmt: skip
    chart = distance_chart(steps)
    assert len(chart["points"]) == 4
    assert chart["summary"] == ("Distance to the cutoff, from 2020 call to 2024 call: "
                                "2020 call 1.50; 2021 call 0.90; 2023 call 0.40; 2024 call 0.00.")  # fmt: skip
    ys = [p["y"] for p in chart["points"]]
    assert ys == sorted(ys, reverse=True)  # nearer the cutoff line as the gap shrinks
    html = render_to_string("portal/journey.html", {"steps": [], "chart": chart})
    assert 'role="img"' in html
    assert '<desc id="chart-desc">Distance to the cutoff' in html
    assert "<figcaption>Distance to the cutoff" in html  # the text alternative, visible


def test_the_plot_rounds_and_localises_its_numbers_as_its_labels_and_table_do():
    from django.utils import translation

    steps = [SimpleNamespace(cycle=SimpleNamespace(name=f"{2020 + i} call"), distance=d)
             for i, d in enumerate([1.025, 0.5])]  # fmt: skip
    assert "2020 call 1.03;" in distance_chart(steps)["summary"]  # as floatformat:2 says it
    with translation.override("es"):
        chart = distance_chart(steps)
    assert "2020 call 1,03;" in chart["summary"]
    assert [tick["value"] for tick in chart["ticks"]] == ["0,00", "0,38", "0,75", "1,13", "1,50"]


def test_the_journey_needs_a_sign_in(client):
    page = client.get("/journey/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")


def test_a_not_selected_step_shows_the_map_in_both_languages(client, small_world):
    """Issue #14: per criterion, where the applicant stood, the cohort and the target; the
    chance as re-runs in 100; SVG coordinates never localised (Spanish decimal commas)."""
    import re

    from ascent.applications.models import Application
    from ascent.decisions.models import Decision

    load_world(small_world)
    decision = (Decision.objects.filter(outcome="not_selected", released_at__isnull=False)
                .exclude(gap={}).select_related("application__applicant__user").first())  # fmt: skip
    user = decision.application.applicant.user
    client.force_login(user)
    page = client.get("/journey/")
    step = next(s for s in page.context["steps"] if s.application.pk == decision.application_id)
    assert [row.key for row in step.criteria] == decision.gap["criteria"]
    assert all(row.low < row.merit < row.high for row in step.criteria)
    assert step.chance == round(100 * decision.p_selected)
    html = page.content.decode()
    assert "Where you stood, criterion by criterion" in html
    said = f"in about {step.chance} of 100 re-runs" if step.chance else "fewer than 1 of 100"
    assert said in html
    spanish = client.get("/journey/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Dónde estaba, criterio por criterio" in spanish
    for svg in re.findall(r"<svg.*?</svg>", spanish, flags=re.S):
        coordinates = re.findall(r'\b(?:x|y|cx|cy|x1|x2|y1|y2|points)="([^"]*)"', svg)
        assert coordinates
        assert not any(re.search(r"\d,\d+\s*$", c) and " " not in c for c in coordinates)
    assert Application.objects.filter(pk=decision.application_id).exists()


def test_the_waitlist_position_is_the_place_on_the_list_not_the_rank(client, small_world):
    from ascent.decisions.models import Decision

    load_world(small_world)
    first = (Decision.objects.filter(outcome="waitlisted").select_related("application")
             .order_by("application__cycle", "rank").first())  # fmt: skip
    client.force_login(first.application.applicant.user)
    page = client.get("/journey/")
    step = next(s for s in page.context["steps"] if s.application.pk == first.application_id)
    assert step.waitlist_position == 1
    assert first.rank > 1
    assert "You were number 1 on the waiting list." in page.content.decode()
