"""The window's pygame-free texts read from the state (game/models/views.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from game.core import advisor
from game.core.engine import Game, QuarterReport
from game.models import views
from game.ui.texts import Tr
from tests.helpers import shipped


def _tutorial(seed: int) -> Game:
    return Game.new(shipped("tutorial"), seed=seed, players=1)


def _advised_quarters(game: Game) -> Iterator[QuarterReport]:
    """The game played by the coach's advice, one closed quarter at a time."""
    while not game.finished:
        for _ in range(20):
            advice = advisor.advise(game.state, game.rules, 0)
            if advice.action is None:
                break
            assert game.try_apply(advice.action) is None
        yield game.end_quarter()


def _lost_bids(seed: int, wanted: int = 2) -> tuple[Game, list[tuple[int, str, str]]]:
    game = _tutorial(seed)
    lost: list[tuple[int, str, str]] = []
    for report in _advised_quarters(game):
        lost += [(report.quarter, e.key, e.params["rfq"]) for e in report.for_firm(0) if e.key in views.LOST_KEYS]
        if len(lost) >= wanted:
            break
    return game, lost


def test_every_lost_bid_says_who_won_and_why_in_numbers():
    """Seed 7 loses a call to a local SME (quarter 4) and one to a follow-source (quarter 6):
    each card gets both totals and their parts, in Spanish and English."""
    game, lost = _lost_bids(7)
    kinds = {key for _, key, _ in lost}
    assert kinds == {"rfq.lost_local", "rfq.lost_follow_source"}, lost
    for quarter, key, rfq in lost:
        es = views.lost_bid_text(game.state, 0, quarter, rfq, Tr("es"))
        en = views.lost_bid_text(game.state, 0, quarter, rfq, Tr("en"))
        assert es.startswith("Tu oferta: ") and en.startswith("Your bid: "), (es, en)
        assert es.count("puntos (precio ") == 2 and en.count("points (price ") == 2, (es, en)
        if key == "rfq.lost_follow_source":
            assert "El proveedor extranjero: " in es and "The foreign supplier: " in en
        else:
            assert "PyME " in es
    # A call the firm did not bid on has no scores to show.
    assert views.lost_bid_text(game.state, 0, lost[0][0], "no_such_call", Tr("es")) == ""


def test_a_delivered_contract_shows_its_gross_and_its_true_net():
    """'Te dejó' was the contract's billing after penalties; the books give what it really left
    the firm once materials, penalties and coordination are paid (seed 1, quarter 5)."""
    game = _tutorial(1)
    delivered = []
    for report in _advised_quarters(game):
        delivered = [(report.quarter, e) for e in report.for_firm(0) if e.key == "contract.delivered"]
        if delivered:
            break
    st, rules = game.state, game.rules
    quarter, e = delivered[0]
    money = views.contract_money(st, rules, 0, quarter, e.params["contract"])
    assert money is not None
    gross, net = money
    assert gross == e.params["revenue"] and 0 < net < gross, (gross, net)
    assert "netos" in Tr("es")("ui.report.contract_money", gross=gross, net=net)
    assert "netos" not in Tr("es")("contract.delivered", **e.params)


def test_the_certification_note_gives_the_instalments_apply_pays():
    """iso3834 in the Cross-Clustering level: 220,000 over 3 quarters. apply pays 73,334 first (the
    first instalment carries the remainder), then 73,333 twice; the note said '73,333 each'."""
    from types import SimpleNamespace

    from game.models import decisions

    game = Game.new(shipped("cross_clustering_emilia"), seed=1, players=1)
    session = SimpleNamespace(state=game.state, rules=game.rules, level=game.rules.level, firm_id=lambda: game.state.firms.ids[0])
    now, note = decisions.cost_of(session, "start_certification", {"certification": "iso3834"}, Tr("en"))
    assert now == 73_334, now
    assert "$73,334 now and $73,333 in each of the next" in note, note



def test_a_call_shows_its_unit_cost_margin_and_displaced_local_sales():
    """The calls tab's figures are economics.call_economics at the firm's current figures and
    the bid price: a lower price lowers the margin by the difference on every unit."""
    from types import SimpleNamespace

    from game.core import economics

    game = _tutorial(3)
    st, rules = game.state, game.rules
    session = SimpleNamespace(state=st, rules=rules, level=rules.level)
    rfq = st.rfqs[0]
    for lang in ("es", "en"):
        tr = Tr(lang)
        for price in (rfq.target_price, int(rfq.target_price * 0.9)):
            ce = economics.call_economics(st, rules, 0, rfq.id, price)
            rows = views.call_money(session, 0, rfq.id, price, tr)
            names = [name for name, *_ in rows]
            values = dict((name, value) for name, value, *_ in rows)
            assert names[:3] == [tr("ui.calls.money.unit_cost"), tr("ui.calls.money.margin"), tr("ui.calls.money.displaced")]
            assert values[names[0]] == tr.money(ce.unit_cost)
            assert tr.money(ce.margin_per_unit) in values[names[1]] and tr.money(ce.margin_per_quarter) in values[names[1]]
            assert tr.money(ce.gain_per_quarter) in values[tr("ui.calls.money.gain")]
            if ce.displaced_local_units:
                assert tr.money(ce.displaced_local_margin) in values[names[2]]
            else:
                assert values[names[2]] == tr("ui.calls.money.displaced_none")
    high = economics.call_economics(st, rules, 0, rfq.id, rfq.target_price)
    low = economics.call_economics(st, rules, 0, rfq.id, rfq.target_price - 20)
    assert high.unit_cost == low.unit_cost > 0
    assert high.margin_per_unit - low.margin_per_unit == 20


def test_a_running_contract_shows_its_margin_per_quarter_and_its_net():
    """The firm tab's line under each contract: the margin a quarter at today's figures and,
    once it has produced, the last quarter's net and the net and gross to date from the books."""
    from types import SimpleNamespace

    from game.core import economics

    game = _tutorial(1)
    seen_new = seen_books = False
    for _ in _advised_quarters(game):
        st, rules = game.state, game.rules
        session = SimpleNamespace(state=st, rules=rules, level=rules.level)
        for c in st.contracts:
            if not c.active or 0 not in c.members:
                continue
            ke = economics.contract_economics(st, rules, 0, c.id)
            for lang in ("es", "en"):
                tr = Tr(lang)
                text = views.contract_margin_text(session, 0, c, tr)
                assert tr.money(ke.margin_per_quarter) in text, text
                if ke.by_quarter:
                    quarter, lines = ke.by_quarter[-1]
                    assert tr.money(lines["net"]) in text and tr.money(ke.net_to_date) in text and tr.money(ke.gross_to_date) in text, text
                    seen_books = True
                else:
                    assert text == tr("ui.firm.contract_money_new", margin=ke.margin_per_quarter)
                    seen_new = True
            assert ke.margin_per_quarter > 0
        if seen_books and seen_new:
            break
    assert seen_books and seen_new


ID = re.compile(r"\b[a-z]+\.[a-z_]+\b|_|\bc\d+\b|\bq\d+")
"""What an internal name looks like in player text: a ledger line (cost.wages), a contract (c4), a call (q5_8)."""


def _check_books(session, player: int, quarter: int, tr) -> dict:
    """views.books for one quarter: the rows add up as the ledger does, every name is player text."""
    from game.core import ledger

    data = views.books(session, player, quarter, tr)
    assert data is not None
    q = next(q for q in ledger.quarters(session.state, player) if q["quarter"] == quarter)
    income, cash = data["income"], data["cash"]
    assert income[-1] == ("total", tr("ui.books.profit"), q["profit"])
    assert sum(v for kind, _, v in income if kind == "line") == q["profit"]
    assert cash[0][2] == q["opening_cash"] and cash[-1][2] == q["closing_cash"]
    assert cash[0][2] + sum(v for kind, _, v in cash if kind == "line") == cash[-1][2]
    for rows in (income, cash):
        # Each group's total is the sum of its lines.
        for k, (kind, _, total) in enumerate(rows):
            if kind == "head":
                lines = []
                for kind2, _, v in rows[k + 1 :]:
                    if kind2 != "line":
                        break
                    lines.append(v)
                assert total == sum(lines)
        for _, text, _ in rows:
            assert text and not ID.search(text), text
    assert data["investments"] == -sum(v for n, v in q["cash_flows"].items() if n.startswith("investments."))
    return data


def test_the_reports_books_add_up_and_name_every_line_in_both_languages():
    """Four strategies on a full level and the coach on the tutorial: every closed quarter's
    income statement sums to the profit, the cash flow takes opening to closing cash, and
    every line has a name in Spanish and English (no ledger ids)."""
    from types import SimpleNamespace

    from game.core import ledger
    from game.core.strategies import STRATEGY_NAMES
    from game.headless.runner import play

    run = play(shipped("bajio_automotive"), 2, list(STRATEGY_NAMES))
    tutorial = _tutorial(1)
    for _ in _advised_quarters(tutorial):
        pass
    seen_invest = 0
    for game, players in ((run.game, len(STRATEGY_NAMES)), (tutorial, 1)):
        session = SimpleNamespace(state=game.state, rules=game.rules, level=game.rules.level)
        for p in range(players):
            for q in range(1, game.state.quarter + 1):
                if not any(x["quarter"] == q for x in ledger.quarters(game.state, p)):
                    continue
                for lang in ("es", "en"):
                    data = _check_books(session, p, q, Tr(lang))
                    seen_invest += data["investments"] > 0
    assert seen_invest
    # A contract's revenue is named by the call it was won on, never by its id.
    session = SimpleNamespace(state=tutorial.state, rules=tutorial.rules, level=tutorial.rules.level)
    c = tutorial.state.contracts[0]
    for lang in ("es", "en"):
        text = views.ledger_line_name(session, f"revenue.contract.{c.id}", Tr(lang))
        assert c.id not in text.replace('"', " ").split() and views.part_name(session, c.part_family, Tr(lang)) in text, text


def test_an_ended_contract_keeps_its_call_name_in_the_books():
    """A contract that ended leaves the state, but the quarters it produced in still name its
    revenue line by the call it was won on (the books keep the call), not "contract no. 4"."""
    from types import SimpleNamespace

    from game.core import ledger
    from game.core.strategies import STRATEGY_NAMES
    from game.headless.runner import play
    from game.text import rfq_name, t_safe

    run = play(shipped("bajio_automotive"), 5, list(STRATEGY_NAMES))
    state = run.game.state
    session = SimpleNamespace(state=state, rules=run.game.rules, level=run.game.rules.level)
    running = {c.id for c in state.contracts}
    ended = [
        (q, cid)
        for p in range(len(STRATEGY_NAMES))
        for q in ledger.quarters(state, p)
        for cid in q["contracts"]
        if cid not in running
    ]
    assert ended, "no player's contract ended in this game: pick another seed"
    for q, cid in ended:
        call = q["calls"][cid]
        assert call["rfq"] and call["issuer"], call
        for lang in ("es", "en"):
            tr = Tr(lang)
            text = views.ledger_line_name(session, f"revenue.contract.{cid}", tr)
            number = t_safe("call.contract_number", lang, n=int(cid.lstrip("c")))
            family = session.level.part_families[call["part_family"]].id
            assert number not in text and rfq_name(session.level, call["rfq"], lang, family, call["issuer"]) in text, (cid, text)


def test_every_line_the_core_can_book_has_a_name():
    """Every literal line name in game/core and every decision paid as an investment reads as
    player text in both languages."""
    import re
    from pathlib import Path
    from types import SimpleNamespace

    from game.core import actions

    game = _tutorial(1)
    session = SimpleNamespace(state=game.state, rules=game.rules, level=game.rules.level)
    source = " ".join(p.read_text(encoding="utf-8") for p in Path("game/core").rglob("*.py"))
    names = set(re.findall(r'"((?:collections|payments|investments|financing|revenue|cost)\.[a-z_]+)"', source))
    names |= {"cost." + n.split(".", 1)[1] for n in names if n.startswith("payments.") and n != "payments.subcontractors"}
    names |= {f"investments.{kind}" for kind in actions.ACTION_TYPES if kind not in ("bid", "pass", "take_loan", "repay_loan")}
    assert len(names) > 30, sorted(names)
    for lang in ("es", "en"):
        tr = Tr(lang)
        for name in sorted(names):
            text = views.ledger_line_name(session, name, tr)
            assert text and not text.startswith(("ledger.", "action.")), (name, text)
