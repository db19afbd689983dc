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
