"""The quarterly report shows the quarter's income statement and cash-flow reconciliation
(its "Tus cuentas" view), every ledger line by name, to the peso as game/core/ledger keeps
them, with nothing cut off at 1280x720 and 1920x1080; the report's cash and profit agree."""

from __future__ import annotations

from game.core import ledger
from game.models import views
from game.ui import nav
from game.ui.tour import stand_in_turn
from tests.ui.helpers import all_elements, click, overflows


def test_the_report_shows_the_quarters_books(tutorial_app):
    app, lang, size = tutorial_app
    session = app.session
    report = None
    for _ in range(5):
        stand_in_turn(session)
        report = session.finish_turn()
    assert report is not None
    app.navigate(nav.Reset((nav.Title(), nav.Report(report, 0))))
    while app.anim.progress("report_in") not in (None, 1.0):
        app.step(dt=1.0)  # until the cash figure's count-up has finished
    app.step()
    tr = app.tr
    labels = [e.text for e in all_elements(app) if type(e).__name__ == "UILabel"]
    assert tr("ui.books.income_title") not in labels
    news_cash = tr.money(report.players[0].cash)
    assert news_cash in labels
    click(app, app.top.targets["report_view:books"])
    app.step(dt=1.0)
    labels = [e.text for e in all_elements(app) if type(e).__name__ == "UILabel"]
    q = next(q for q in ledger.quarters(session.state, 0) if q["quarter"] == report.quarter)
    assert tr("ui.books.income_title") in labels and tr("ui.books.cash_title") in labels
    # The books' closing cash and profit are the report's own figures.
    assert q["closing_cash"] == report.players[0].cash and q["profit"] == report.players[0].profit
    for amount in (q["opening_cash"], q["closing_cash"], q["profit"], *q["income"].values(), *q["cash_flows"].values()):
        assert tr.money(amount) in labels, (amount, labels)
    joined = " ".join(labels)
    for name in (*q["income"], *q["cash_flows"]):
        assert views.ledger_line_name(session, name, tr) in joined, name
    assert not overflows(app), overflows(app)
    click(app, app.top.targets["report_view:news"])
    app.step(dt=1.0)
    assert tr("ui.books.income_title") not in [e.text for e in all_elements(app) if type(e).__name__ == "UILabel"]
