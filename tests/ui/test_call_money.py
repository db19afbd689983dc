"""The calls tab shows each call's unit cost, margin at the bid price and the local sales it
would displace (game/models/views.call_money), inside the call panel at 1280x720 (behind the
panel's Requisitos / Números switch, in the requirements table's place) and 1920x1080 (under
the table), with nothing covering the bid form."""

from __future__ import annotations

import pytest

from game.core import economics
from tests.ui.helpers import all_elements, click, make_app, overflows, start_game


def _shown(app) -> list[str]:
    return [e.text for e in all_elements(app) if type(e).__name__ == "UILabel"]


@pytest.mark.parametrize(("lang", "size"), [("es", (1280, 720)), ("en", (1920, 1080))], ids=["es-1280x720", "en-1920x1080"])
def test_the_call_panel_shows_the_calls_figures_at_the_bid_price(lang, size, home):
    app = make_app(lang, size)
    try:
        start_game(app, "tutorial")
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
    finally:
        app.close()
