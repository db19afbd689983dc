"""The firm tab shows the last closed quarter's books: the income statement by group and
the cash-flow reconciliation beside it, to the peso, as game/core/ledger keeps them."""

from __future__ import annotations

import html
import re

import pytest

from game.core import ledger
from game.ui.tour import stand_in_turn
from tests.ui.helpers import all_elements, make_app, overflows, start_game


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_firm_tab_reconciles_the_quarter_to_the_peso(lang, home):
    app = make_app(lang)
    try:
        start_game(app, "tutorial")
        session = app.session
        for _ in range(3):
            stand_in_turn(session)
            session.finish_turn()
        app.navigate(app.route(app, __import__("game.ui.nav", fromlist=["Quarter"]).Quarter()) and None)
        app.top.tab = "firm"
        app.top.rebuild()
        app.step()
        shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", e.html_text)) for e in all_elements(app) if type(e).__name__ == "UITextBox")
        shown = re.sub(r"\s+", " ", shown)
        q = ledger.quarters(session.state, 0)[-1]
        flows = ledger.group_totals(q["cash_flows"])
        tr = app.tr
        assert q["opening_cash"] + sum(flows.values()) == q["closing_cash"]
        for amount in (q["opening_cash"], flows["collections"], -flows["payments"], -flows["investments"], q["closing_cash"], q["profit"]):
            assert tr.money(amount) in shown, (tr.money(amount), shown[:400])
        assert tr("ui.firm.books_title", quarter=q["quarter"]) in shown
        # Line by line, as the report's books: every income and cash-flow line by name and pesos.
        from game.models import views

        for name, amount in (*q["income"].items(), *q["cash_flows"].items()):
            assert f"{views.ledger_line_name(session, name, tr)}: {tr.money(amount)}" in shown, (name, shown[:600])
        assert not overflows(app)
    finally:
        app.close()


def test_the_firm_tab_shows_each_contracts_margin_per_quarter(tutorial_app):
    from game.models import views
    from game.ui import nav

    app, lang, size = tutorial_app
    session = app.session
    mine: list = []
    for _ in range(8):
        stand_in_turn(session)
        session.finish_turn()
        mine = [c for c in session.state.contracts if c.active and 0 in c.members]
        if mine:
            break
    assert mine, "the stand-in player won no contract in 8 quarters"
    app.navigate(nav.in_game(nav.Quarter()))
    app.top.tab = "firm"
    app.top.rebuild()
    app.step()
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", e.html_text)) for e in all_elements(app) if type(e).__name__ == "UITextBox")
    shown = re.sub(r"\s+", " ", shown)
    for c in mine:
        assert views.contract_margin_text(session, 0, c, app.tr) in shown, shown[-600:]
    assert not overflows(app)
