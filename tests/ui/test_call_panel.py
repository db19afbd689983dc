"""Every call a player meets in the first quarters of every level shows its panel whole, at
1280x720 in both languages and at 1920x1080: the description, with the share of the volume
the lead firm keeps for the suppliers that followed it from abroad, without a scroll bar; the
requirements table with nothing cut off or shortened; the call's figures (unit cost, margin,
displaced local sales) on screen, beside or under the table, or at 1280x720 in one sentence
under it (behind the panel's switch only where not even that line is left);
nothing under the bid form. The scenario tours see the first quarter and one more; later
quarters bring calls with three certifications, eight-digit solvency thresholds and a tall
coach's bar, which is where the panel used to cut or scroll."""

from __future__ import annotations

import html
import re

import pytest

from game.models import views
from game.ui import nav
from game.ui.tour import stand_in_turn
from tests.ui.helpers import all_elements, click, make_app, overflows

LEVELS = ("tutorial", "bajio_automotive", "border_maquiladora", "cross_clustering_emilia", "jalisco_electronics", "queretaro_aerospace")
QUARTERS = 8


def _plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text.replace("<br>", " "))).split())


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(("lang", "size"), [("es", (1280, 720)), ("en", (1280, 720)), ("es", (1920, 1080))], ids=["es-1280x720", "en-1280x720", "es-1920x1080"])
def test_every_call_panel_shows_the_call_whole(level, lang, size, home):
    app = make_app(lang, size, title=False)
    try:
        app.navigate(nav.in_game(nav.NewGame(level)))
        session, tr = app.session, app.tr
        seen = reserved = figures = 0
        for _ in range(QUARTERS):
            app.navigate(nav.in_game(nav.Quarter()))
            screen = app.top
            screen.tab = "calls"
            screen.rebuild()
            app.step()
            for rfq in screen.current_tab.calls():
                click(app, screen.targets[f"rfq:{rfq.id}"])
                app.step()
                where = f"{level} quarter {session.quarter}, call {rfq.id}"
                assert not overflows(app), (where, overflows(app)[:5])
                title = tr.html(views.call_title(session, rfq, tr))
                boxes = [e for e in all_elements(app) if type(e).__name__ == "UITextBox" and e.visible and f"<b>{title}</b>" in e.html_text]
                assert len(boxes) == 1, (where, len(boxes))
                head = boxes[0]
                assert head.scroll_bar is None and head not in screen.scrolling_boxes, f"{where}: the description scrolls"
                if rfq.reserved_share > 0:
                    reserved += 1
                    sentence = _plain(tr.linked(tr("ui.calls.reserved", share=tr.pct(rfq.reserved_share))))
                    assert sentence in _plain(head.html_text), (where, _plain(head.html_text))
                shown = {e.text for e in all_elements(app) if type(e).__name__ == "UILabel" and e.visible}
                view = screen.current_tab.view
                if view in ("requirements", "money"):
                    assert "calls_view:money" in screen.targets and "calls_view:requirements" in screen.targets, where
                if view in ("both", "side"):
                    assert tr("ui.calls.money.unit_cost") in shown and tr("ui.calls.col_asked") in shown, where
                # The figures on screen: their block, or under the requirements their sentence.
                price = rfq.target_price
                line = {views.call_money_line(session, 0, rfq.id, price, tr, short) for short in (False, True)}
                if tr("ui.calls.money.unit_cost") in shown or line & shown:
                    figures += 1
                seen += 1
            if session.finished:
                break
            stand_in_turn(session)
            session.finish_turn()
        assert seen >= QUARTERS, f"{level}: only {seen} calls seen"
        # At 1280x720 a call with three certifications under the coach's tallest warning has
        # no line to spare: its figures are behind the switch. Nowhere else.
        assert figures >= (seen if size == (1920, 1080) else seen - 2), f"{level}: the figures on screen in {figures} of {seen} calls"
    finally:
        app.close()
