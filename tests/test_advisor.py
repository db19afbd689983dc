"""The coach's advice (game/core/advisor.py), played and checked headless.

A player who does exactly what the advisor says, to the end of the tutorial,
over 30 seeds: never bankrupt, a profit over the game, never the bank's
emergency line or a sale of receivables, and the tutorial's objective in at
least 27 (the old coach, bidding every call at -10% and training every
quarter, went bankrupt under engine 2.0). The advice never states what is
not so: a subsidy only when one pays, no second bid on a call, a
consortium's bid only from the member who may place it.
"""

from __future__ import annotations

import pytest

from game import text
from game.core import advisor, ledger
from game.core.actions import FoundConsortium, InviteToConsortium, JoinConsortium, PlaceBid
from game.core.engine import Game
from tests.helpers import shipped

SEEDS = range(1, 31)


def play_advice(seed: int, policies: dict[str, bool] | None = None) -> tuple[Game, list[advisor.Advice]]:
    game = Game.new(shipped("tutorial"), seed=seed, players=1, policies=policies)
    st, rules = game.state, game.rules
    given: list[advisor.Advice] = []
    while not game.finished:
        for _ in range(20):
            advice = advisor.advise(st, rules, 0)
            given.append(advice)
            if advice.action is None:
                break
            refusal = game.try_apply(advice.action)
            assert refusal is None, (st.quarter, advice, refusal)
        game.end_quarter()
    return game, given


def _render_all(given: list[advisor.Advice]) -> None:
    """Every piece of advice and every warning has its text, with every figure it names, in both languages."""
    for a in given:
        for key, params in ((a.key, a.params), *a.warnings):
            for lang in ("es", "en"):
                values = dict(params)
                if "action" in values:
                    values["action"] = text.action_label(values["action"], lang)
                assert text.t(key, lang, **values), key


def test_following_the_advice_ends_the_tutorial_healthy_over_30_seeds():
    met = 0
    report = []
    for seed in SEEDS:
        game, given = play_advice(seed)
        _render_all(given)
        out = game.outcome(0)
        quarters = ledger.quarters(game.state, 0)
        rescued = [q["quarter"] for q in quarters if {"financing.emergency_credit", "financing.receivables_sold"} & set(q["cash_flows"])]
        report.append((seed, out["alive"], out["profit_total"], rescued, out["objective_met"]))
        assert out["alive"], report[-1]
        assert out["profit_total"] > 0, report[-1]
        assert rescued == [], report[-1]
        assert out["health"] == [], (report[-1], out["health"])
        met += bool(out["objective_met"])
    assert met >= 27, report


def test_the_advice_names_a_subsidy_only_when_one_pays():
    _, on = play_advice(3)
    _, off = play_advice(3, policies={"proauto_certification": False})
    certs_on = [a for a in on if a.action is not None and a.action.kind == "start_certification"]
    certs_off = [a for a in off if a.action is not None and a.action.kind == "start_certification"]
    assert certs_on and all(a.key == "coach.start_certification_subsidy" and a.params["subsidy"] > 0 for a in certs_on)
    assert certs_off and all(a.key == "coach.start_certification" and a.params["subsidy"] == 0 for a in certs_off)


def test_no_advice_to_bid_twice_on_a_call():
    _, given = play_advice(5)
    seen: set[tuple[str, bool]] = set()
    for a in given:
        if isinstance(a.action, PlaceBid):
            assert a.action.rfq not in {r for r, _ in seen}, a
            seen.add((a.action.rfq, a.action.consortium))
    assert seen


def test_a_consortium_bid_is_advised_only_to_its_founder_and_the_others_are_told_who():
    game = Game.new(shipped("tutorial"), seed=2, players=3)
    st, rules = game.state, game.rules
    iso = rules.cert_index["iso9001"]
    # p2 holds ISO 9001; p1 founds a consortium, p2 joins and brings in p3.
    st.firms.cert_held[1, iso] = True
    assert game.try_apply(FoundConsortium("p1", "Troqueles unidos")) is None
    for member, other in (("p1", "p2"), ("p2", "p3")):
        assert game.try_apply(InviteToConsortium(member, other)) is None
        assert game.try_apply(JoinConsortium(other, 0)) is None
    call = next(r for r in st.rfqs if r.id == "first_brackets")
    # p3 alone misses ISO 9001; with the consortium it qualifies, but only the founder may bid for it.
    _, notes = advisor.bid_advice(st, rules, 2)
    assert ("coach.consortium_founder_bids", {"rfq": call.id, "founder": st.firms.names[0]}) in notes
    assert game.validate(PlaceBid("p3", call.id, call.target_price, True)) is not None
    # The founder's advice on that call, if any, is the consortium's bid, and the core takes it
    # (founding and inviting used its action points; give it this quarter's again).
    st.firms.action_points[0] = 3
    founder, founder_notes = advisor.bid_advice(st, rules, 0)
    if founder is not None and isinstance(founder.action, PlaceBid) and founder.action.rfq == call.id:
        assert founder.action.consortium
        assert game.validate(founder.action) is None
    else:
        assert any(params.get("rfq") == call.id for _, params in founder_notes), founder_notes


@pytest.mark.parametrize("seed", [1, 7])
def test_the_advice_warns_before_the_cash_runs_out(seed):
    """Whenever the advisor's own forecast shows the cash falling short, it says so (a loan, or a warning)."""
    game = Game.new(shipped("tutorial"), seed=seed, players=1)
    st, rules = game.state, game.rules
    # Spend most of the cash: the next advice must be about it.
    st.firms.cash[0] = 100_000
    advice = advisor.advise(st, rules, 0)
    warned = {k for k, _ in advice.warnings}
    assert advice.key == "coach.take_loan" or "coach.cash_short" in warned or "coach.runway_under_one" in warned, advice
    # 100,000 pesos do not last one quarter: the warning says so instead of "about 0.1 quarters".
    assert "coach.runway_under_one" in warned and "coach.runway_low" not in warned


def test_the_runway_warning_counts_quarters_only_from_one_up(monkeypatch):
    """Between one and two quarters of cash the warning gives the number; under one it says the
    quarter is not covered (never "about 0 quarters")."""
    from game.core import economics
    from game.text import t

    game = Game.new(shipped("tutorial"), seed=1, players=1)
    st, rules = game.state, game.rules
    said = {}
    for runway in (0.0, 0.4, 1.0, 1.6):
        monkeypatch.setattr(economics, "runway_quarters", lambda *_a, r=runway: r)
        warned = [(k, p) for k, p in advisor.advise(st, rules, 0).warnings if k.startswith("coach.runway")]
        assert len(warned) == 1, warned
        key, params = warned[0]
        said[runway] = key
        for lang in ("es", "en"):
            sentence = t(key, lang, **params)
            assert "{" not in sentence and " 0 trimestres" not in sentence and " 0 quarters" not in sentence, sentence
    assert said == {0.0: "coach.runway_under_one", 0.4: "coach.runway_under_one", 1.0: "coach.runway_low", 1.6: "coach.runway_low"}


def test_no_bid_advised_in_the_last_quarter():
    """A contract won in the last quarter would start after the game: the coach says so instead."""
    game = Game.new(shipped("tutorial"), seed=4, players=1)
    st, rules = game.state, game.rules
    while st.quarter < st.turns:
        for _ in range(20):
            advice = advisor.advise(st, rules, 0)
            if advice.action is None:
                break
            assert game.try_apply(advice.action) is None
        game.end_quarter()
    advice = advisor.advise(st, rules, 0)
    assert not isinstance(advice.action, PlaceBid), advice
    _, notes = advisor.bid_advice(st, rules, 0)
    eligible = [r.id for r in st.rfqs if advisor.visible(st, rules, 0, r) and not advisor.actions.bid_requirements(st, rules, 0, r.id, False)]
    assert eligible, "seed 4 should have an eligible call in the last quarter"
    assert {p["rfq"] for k, p in notes if k == "coach.skip_too_late"} == set(eligible)


def test_no_loan_is_advised_for_a_bid_not_yet_won():
    """A bid may be lost: its working capital is borrowed once the contract is won. The old
    rule counted this quarter's bids as won and borrowed at once (seed 7 took loans of
    $2,000,000, $1,150,000 and $460,000 for bids it then lost, paying interest on idle cash)."""
    from game.core.actions import TakeLoan

    for seed in (7, 2, 11):
        game = Game.new(shipped("tutorial"), seed=seed, players=1)
        st, rules = game.state, game.rules
        while not game.finished:
            bid_this_quarter = False
            for _ in range(20):
                advice = advisor.advise(st, rules, 0)
                if advice.action is None:
                    break
                if isinstance(advice.action, TakeLoan):
                    assert not bid_this_quarter, (seed, st.quarter, advice)
                bid_this_quarter |= isinstance(advice.action, PlaceBid)
                assert game.try_apply(advice.action) is None
            game.end_quarter()
