"""The sidebar shows the receivables by due quarter (what comes in next quarter and what
later), kept after cash and runway when the sidebar is short of room (1280x720, a long
tutorial hint), in agreement with the firm tab's schedule."""

from __future__ import annotations

import pytest

from game.models import views
from game.ui import nav
from game.ui.tour import stand_in_turn
from tests.ui.helpers import all_elements, make_app, overflows, start_game


def _sidebar_rows(app) -> dict[str, str]:
    box = app.top.sidebar_box
    labels = [e for e in all_elements(app) if type(e).__name__ == "UILabel" and e.ui_container.get_container() is box.ui_container.get_container()]
    labels.sort(key=lambda e: (e.rect.y, e.rect.x))
    by_row: dict[int, list] = {}
    for e in labels:
        by_row.setdefault(e.rect.y, []).append(e)
    return {row[0].text: row[1].text for row in by_row.values() if len(row) == 2}


@pytest.mark.parametrize(("lang", "size"), [("es", (1280, 720)), ("en", (1280, 720)), ("es", (1920, 1080))], ids=["es-1280x720", "en-1280x720", "es-1920x1080"])
def test_the_sidebar_shows_what_comes_in_next_quarter_and_later(lang, size, home):
    app = make_app(lang, size)
    try:
        start_game(app, "tutorial")
        session, tr = app.session, app.tr
        seen_money = 0
        for _ in range(6):
            stand_in_turn(session)
            session.finish_turn()
            app.navigate(nav.in_game(nav.Quarter()))
            app.step()
            rows = _sidebar_rows(app)
            due_next, due_later, schedule = views.receivables_due(session, 0)
            assert due_next + due_later == int(session.state.firms.receivables[0].sum())
            assert rows.get(tr("ui.side.due_next")) == tr.money(due_next), (session.quarter, rows)
            if tr("ui.side.due_later") in rows:
                assert rows[tr("ui.side.due_later")] == tr.money(due_later)
            else:
                assert due_later == 0 and size == (1280, 720), (session.quarter, rows)
            seen_money += due_next > 0
            assert not overflows(app), overflows(app)
            app.top.tab = "firm"
            app.top.rebuild()
            app.step()
            shown = " ".join(e.html_text for e in all_elements(app) if type(e).__name__ == "UITextBox")
            if due_next:
                assert tr("ui.firm.due_in", quarters=1, amount=tr.money(due_next)) in shown
            app.top.tab = "map"
            app.top.rebuild()
        assert seen_money >= 3
    finally:
        app.close()
