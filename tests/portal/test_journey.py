"""The journey page: every cycle, its outcome, and the distance to the cutoff as a plot."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from ascent.cli.demo_logins import PERSONA, create_demo_logins
from ascent.cli.world_loader import load_world
from ascent.portal.charts import distance_chart

pytestmark = pytest.mark.django_db


def test_the_persona_sees_her_journey(client, small_world):
    load_world(small_world)
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
    assert "Selected" in page.content.decode()


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


def test_the_journey_needs_a_sign_in(client):
    page = client.get("/journey/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
