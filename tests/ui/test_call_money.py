"""The calls tab shows each call's unit cost, margin at the bid price and the local sales it
would displace (game/models/views.call_money), inside the call panel at 1280x720 (in one sentence under the requirements, and whole behind the
panel's Requisitos / Números switch, in the requirements table's place) and 1920x1080 (under
the table), with nothing covering the bid form."""

from __future__ import annotations

from game.core import economics
from tests.ui.helpers import all_elements, click, make_app, overflows, start_game


def _shown(app) -> list[str]:
    return [e.text for e in all_elements(app) if type(e).__name__ == "UILabel"]


def test_the_call_panel_shows_the_calls_figures_at_the_bid_price(tutorial_app):
    app, lang, size = tutorial_app
    screen = app.top
    screen.tab = "calls"
    screen.rebuild()
    app.step()
    session, tr = app.session, app.tr
    rfq = session.state.rfqs[0]
    if size == (1280, 720):
        # No room for both: the switch is there and the figures are one click away.
        assert "calls_view:money" in screen.targets, sorted(screen.targets)
        assert tr("ui.calls.money.unit_cost") not in _shown(app)
        # Under the requirements, the figures in one sentence (the price, cost, margin, displaced sales).
        from game.models import views

        line = {views.call_money_line(session, 0, rfq.id, rfq.target_price, tr, short) for short in (False, True)}
        assert line & set(_shown(app)), (line, _shown(app))
        ce = economics.call_economics(session.state, session.rules, 0, rfq.id, rfq.target_price)
        assert any(tr.money(ce.unit_cost) in text and tr.money(ce.margin_per_unit) in text for text in line & set(_shown(app)))
        click(app, screen.targets["calls_view:money"])
        app.step()
    else:
        assert "calls_view:money" not in screen.targets
    assert not overflows(app), overflows(app)
    for price_key in (None, "price:90"):
        if price_key is not None:
            click(app, app.top.targets[price_key])
            app.step()
        price = rfq.target_price if price_key is None else int(rfq.target_price * 0.9)
        ce = economics.call_economics(session.state, session.rules, 0, rfq.id, price)
        shown = _shown(app)
        assert tr("ui.calls.money.title", price=price) in shown, shown
        assert tr.money(ce.unit_cost) in shown, (ce.unit_cost, shown)
        assert tr("ui.calls.money.margin_value", unit=ce.margin_per_unit, quarter=ce.margin_per_quarter) in shown
        displaced = (
            tr("ui.calls.money.displaced_value", count=ce.displaced_local_units, margin=ce.displaced_local_margin)
            if ce.displaced_local_units
            else tr("ui.calls.money.displaced_none")
        )
        assert displaced in shown
        assert not overflows(app), overflows(app)
    # A typed price updates the figures in place (the field keeps its focus).
    entry = app.top.entries["price"]
    entry.set_text("199")
    app.top.on_entry_changed(entry, "199")
    ce = economics.call_economics(session.state, session.rules, 0, rfq.id, 199)
    shown = _shown(app)
    assert tr("ui.calls.money.title", price=199) in shown and tr.money(ce.unit_cost) in shown
    assert tr("ui.calls.money.margin_value", unit=ce.margin_per_unit, quarter=ce.margin_per_quarter) in shown


def test_the_solvency_row_judges_the_net_position_as_the_bid_does(home):
    """The requirements table marked 'Solvencia (caja)' ✓ on cash while the verdict refused
    the bid on the net position (cash + receivables - debt): now the row shows the net
    position the core judges, and its mark agrees with the verdict."""
    from game.core import actions as core_actions

    app = make_app("es", (1280, 720))
    try:
        start_game(app, "tutorial")
        session, tr = app.session, app.tr
        f = session.state.firms
        rfq = session.state.rfqs[0]
        # Enough cash for the call's minimum, but debt that sinks the net position under it.
        f.cash[0] = max(int(f.cash[0]), rfq.min_cash + 1)
        f.debt[0] = int(f.cash[0]) + int(f.receivables[0].sum()) - rfq.min_cash + 50_000
        net = int(f.cash[0]) + int(f.receivables[0].sum()) - int(f.debt[0])
        assert int(f.cash[0]) >= rfq.min_cash > net
        refusals = [m.reason for m in core_actions.bid_requirements(session.state, session.rules, 0, rfq.id, False)]
        assert "missing.solvency" in refusals
        screen = app.top
        screen.tab = "calls"
        screen.tab_state.setdefault("calls", {})["calls_view"] = "requirements"
        screen.rebuild()
        app.step()
        labels = sorted((e for e in all_elements(app) if type(e).__name__ == "UILabel"), key=lambda e: (e.rect.y, e.rect.x))
        row = [e.text for e in labels if abs(e.rect.y - next(x for x in labels if x.text == tr("ui.calls.solvency")).rect.y) < 3]
        assert row[1:] == [tr.money(rfq.min_cash), tr.money(net), "✗ " + tr("ui.common.missing_short")], row
        assert not overflows(app), overflows(app)
    finally:
        app.close()
