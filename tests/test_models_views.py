"""The window's pygame-free texts read from the state (game/models/views.py)."""

from __future__ import annotations

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
