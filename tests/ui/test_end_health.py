"""The end screen judges health as well as tier: the issue's student (every call at -10%, training
every quarter) ends the tutorial with every condition met but on emergency credit; the end screen
says the objective was missed and what went wrong with the money, with the barrier, in both languages."""

from __future__ import annotations

import pytest

from game.core.actions import JoinAssociation, PlaceBid, StartCertification, TrainStaff
from game.ui import nav
from tests.ui.helpers import all_elements, make_app, show, start_game


@pytest.mark.parametrize("lang", ["es", "en"])
def test_end_screen_names_what_went_wrong_with_the_money(lang):
    app = make_app(lang)
    start_game(app, "tutorial")
    app.step()
    session = app.session
    game = session.game
    st = game.state
    while not game.finished:
        game.try_apply(StartCertification("p1", "iso9001"))
        for rfq in list(st.rfqs):
            game.try_apply(PlaceBid("p1", rfq.id, int(rfq.target_price * 0.9)))
        game.try_apply(TrainStaff("p1"))
        game.try_apply(JoinAssociation("p1"))
        game.end_quarter()
    out = game.outcome(0)
    assert out["health"], "the naive student should end unhealthy on the window's tutorial seed"
    assert not out["objective_met"]
    show(app, nav.End())
    app.step()
    assert app.top.name == "end"
    texts = " ".join(str(getattr(e, "html_text", "") or getattr(e, "text", "")) for e in all_elements(app))
    tr = app.tr
    assert tr.html(tr("ui.end.health")) in texts
    assert tr.html(tr("family.internal")) in texts
    for problem in out["health"]:
        first_words = tr(problem["key"], **problem["params"]).split(":")[0]
        assert tr.html(first_words) in texts, (problem["key"], first_words)


def test_the_end_screens_charts_read_whole_tiers_and_contracts(home):
    """The end screen drew the tier chart with three ticks (tier 1, tier 2, out) and the line
    of a tier 3 firm between two of them unnamed, and contracts from its own rounded range:
    the same axes as the debrief's now (whole tiers 1-4, whole contracts from 0)."""
    app = make_app("es", (1280, 720))
    try:
        start_game(app, "tutorial")
        game = app.session.game
        while not game.finished:
            for rfq in list(game.state.rfqs):
                game.try_apply(PlaceBid("p1", rfq.id, rfq.target_price))
            game.end_quarter()
        show(app, nav.End())
        app.step()
        tr = app.tr
        charts = {c.title: c for c in app.top.charts}
        assert charts[tr("ui.end.chart.tier")].ticks() == [1.0, 2.0, 3.0, 4.0]
        contracts = charts[tr("ui.end.chart.contracts")]
        ticks = contracts.ticks()
        assert ticks[0] == 0.0 and all(v.is_integer() for v in ticks), ticks
        assert ticks[-1] >= max(v for s in contracts.series for v in s.values)
        assert charts[tr("ui.end.chart.capabilities")].ticks() == [0.0, 0.25, 0.5, 0.75, 1.0]
    finally:
        app.close()
