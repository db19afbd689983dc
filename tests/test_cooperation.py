"""Cooperation as a dilemma: the FreeRide decision and the consortium's common work.

A consortium's members buy through a joint purchasing pool; those who do
their part pay their share of the common work (``cooperation.CONTRIBUTION``
of their input purchases); a free-rider skips it and keeps the pool's
discount, which shrinks for everyone with the share of members doing their
part; the partners see it and trust falls.
"""

from __future__ import annotations

import json

import pytest

from game.core import actions, cooperation
from game.core.actions import (
    FoundConsortium,
    FreeRide,
    InvalidAction,
    InviteToConsortium,
    JoinConsortium,
    action_from_dict,
)
from game.core.replay import Recorder, run_replay
from game.core.serialize import state_hash
from game.core.state import KIND_COMPUTER
from tests.helpers import shipped, small_game


def _partners(seed: int = 3):  # noqa: ANN202
    """A two-player tutorial game in which the two seats founded one consortium in quarter 1."""
    game = small_game(seed=seed, players=2, smes=4)
    # Keep the computer SMEs out of it: the dilemma here is between the two seats.
    game.state.firms.strategy[game.state.firms.kind == KIND_COMPUTER] = 0  # cautious: joins only on invitation
    for action in (FoundConsortium("p1", "Equipos"), InviteToConsortium("p1", "p2"), JoinConsortium("p2", 0)):
        game.apply(action)
    game.end_quarter()
    assert game.state.consortia[0].members == [0, 1]
    return game


def test_free_ride_is_refused_with_a_reason_and_changes_nothing() -> None:
    game = small_game(seed=3, players=2, smes=4)
    before = state_hash(game.state)
    refusal = game.validate(FreeRide("p1"))
    assert refusal is not None and refusal.reason == "refused.not_in_consortium"
    with pytest.raises(InvalidAction):
        game.apply(FreeRide("p1"))
    assert state_hash(game.state) == before
    game.apply(FoundConsortium("p1", "Sola"))
    refusal = game.validate(FreeRide("p1"))
    assert refusal is not None and refusal.reason == "refused.consortium_alone"

    game = _partners()
    game.apply(FreeRide("p1"))
    refusal = game.validate(FreeRide("p1"))
    assert refusal is not None and refusal.reason == "refused.already_free_riding"


def test_free_ride_costs_nothing_now_and_records_the_choice_for_the_quarter() -> None:
    game = _partners()
    f = game.state.firms
    cash, points = int(f.cash[0]), int(f.action_points[0])
    cost = actions.cost(game.state, game.rules, FreeRide("p1"))
    paid = actions.apply(game.state, game.rules, FreeRide("p1"))
    assert paid == cost and cost.now == 0
    assert int(f.cash[0]) == cash - cost.now and int(f.action_points[0]) == points
    assert game.state.consortia[0].shirking == [0]
    game.end_quarter()
    assert game.state.consortia[0].shirking == [], "a free-ride lasts one quarter"
    assert int(f.free_ride[0]) == 1


def _quarter(game, riders: tuple[str, ...]):  # noqa: ANN001, ANN202
    g = game.clone()
    for fid in riders:
        g.apply(FreeRide(fid))
    g.end_quarter()
    return g


def test_free_rider_skips_its_contribution_keeps_the_discount_and_partners_lose() -> None:
    game = _partners()
    both = _quarter(game, ())
    ride = _quarter(game, ("p1",))
    s_both, s_ride = both.state.firms, ride.state.firms
    # The rider pays no contribution: its costs fall; its partner's discount shrinks: its costs rise.
    saving, contributes = cooperation.joint_purchasing(game.state)
    assert saving[0] > 0 and contributes[0] and contributes[1]
    assert int(s_ride.profit[0]) > int(s_both.profit[0])
    assert int(s_ride.profit[1]) < int(s_both.profit[1])
    # The partner sees it: trust falls instead of rising.
    assert ride.state.consortia[0].trust < game.state.consortia[0].trust <= both.state.consortia[0].trust


def test_one_quarter_payoffs_are_a_prisoners_dilemma() -> None:
    """Seat 1's profit in one quarter: temptation > reward > punishment > sucker (same draws in each)."""
    game = _partners()
    t = int(_quarter(game, ("p1",)).state.firms.profit[0])
    r = int(_quarter(game, ()).state.firms.profit[0])
    p = int(_quarter(game, ("p1", "p2")).state.firms.profit[0])
    s = int(_quarter(game, ("p2",)).state.firms.profit[0])
    assert t > r > p > s, (t, r, p, s)


def test_partners_hear_of_it_in_their_report() -> None:
    game = _partners()
    game.apply(FreeRide("p1"))
    report = game.end_quarter()
    assert any(e.key == "consortium.you_shirked" and e.firm == 0 for e in report.explanations)
    assert any(e.key == "consortium.shirked" and e.firm == 1 for e in report.explanations)
    assert not any(e.key == "consortium.shirked" and e.firm == 0 for e in report.explanations)


def test_leaving_drops_a_pending_free_ride() -> None:
    game = _partners()
    game.apply(FreeRide("p2"))
    game.apply(actions.LeaveConsortium("p2"))
    assert game.state.consortia[0].shirking == []


def test_free_ride_round_trips_through_its_dict_form_and_a_replay(tmp_path) -> None:  # noqa: ANN001
    assert action_from_dict({"type": "free_ride", "firm": "p1"}) == FreeRide("p1")
    recorder = Recorder.start(shipped("tutorial"), seed=5, players=2)
    for action in (FoundConsortium("p1", "Equipos"), InviteToConsortium("p1", "p2"), JoinConsortium("p2", 0)):
        assert recorder.try_apply(action) is None
    recorder.end_quarter()
    for _ in range(3):
        assert recorder.try_apply(FreeRide("p1")) is None
        recorder.end_quarter()
    path = tmp_path / "free_ride.replay.json"
    recorder.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sum(a["type"] == "free_ride" for t in data["turns"] for a in t["actions"]) == 3
    result = run_replay(path)
    assert result.ok and result.final_hash == data["final_hash"]


def test_computer_members_free_ride_only_on_what_they_can_see() -> None:
    from game.core.strategies import _free_ride

    game = _partners()
    st, rules = game.state, game.rules
    f = st.firms
    j = 2  # a computer SME joins the seats' consortium
    st.consortia[0].members.append(j)
    f.consortium[j] = 0
    f.cash[j] = 10**9
    st.consortia[0].trust = 0.9
    assert _free_ride(st, rules, j) == []
    st.consortia[0].trust = 0.1  # trust, shown to every member, is low: others have been free-riding
    assert _free_ride(st, rules, j) == [FreeRide(f.ids[j])]
    st.consortia[0].trust = 0.9
    f.cash[j] = 0  # squeezed: price pressure raises the temptation
    assert _free_ride(st, rules, j) == [FreeRide(f.ids[j])]


# -- fairness between seats (issue 7, F17) -------------------------------------


def test_award_ties_go_by_lottery_not_by_firm_row() -> None:
    from game.core.rfq import tie_key

    game = small_game(seed=3, players=2, smes=4)
    st = game.state
    first_wins = sum(tie_key(st, f"q{k}_{k}", 0) > tie_key(st, f"q{k}_{k}", 1) for k in range(400))
    assert 160 <= first_wins <= 240, first_wins
    # The same call, seed and firm always give the same place (deterministic, no draw).
    assert tie_key(st, "q1_1", 1) == tie_key(game.clone().state, "q1_1", 1)


def test_strategy_ties_are_drawn_and_a_clear_best_ignores_the_draw() -> None:
    import numpy as np

    from game.core.strategies import _pick_max

    # A clear best whatever the draw; a tie split by the draw, every tied row reachable, no other row.
    assert {_pick_max(np.array([1.0, 5.0, 2.0]), u) for u in (0.0, 0.3, 0.999)} == {1}
    picks = [_pick_max(np.array([5.0, 2.0, 5.0, 5.0]), u) for u in np.linspace(0.0, 0.999999, 30)]
    assert set(picks) == {0, 2, 3} and picks == sorted(picks)


# -- learning by specialising and mixed barriers (issue 7, F11, F13) ------------------


def test_specialty_deepens_with_work_in_a_family_and_erodes_with_other_work() -> None:
    from game.core import learning

    game = small_game(seed=3, players=1, smes=4)
    st = game.state
    learning.specialise(st, [(0, 2)])
    assert (int(st.firms.specialty[0]), float(st.firms.specialty_depth[0])) == (2, 1.0)
    for _ in range(12):
        learning.specialise(st, [(0, 2), (0, 2)])  # the same pair twice in a quarter counts once
    assert float(st.firms.specialty_depth[0]) == learning.SPECIALTY_CAP
    assert learning.depth(st, 0, 2) == 1.0 and learning.depth(st, 0, 1) == 0.0
    learning.specialise(st, [(0, 1)])
    assert int(st.firms.specialty[0]) == 2 and learning.depth(st, 0, 2) < 1.0


def test_a_specialised_bidder_scores_higher_on_calls_in_its_family() -> None:
    from game.core import rfq as rfq_mod
    from game.core.state import Bid

    game = small_game(seed=3, players=2, smes=4)
    st, rules = game.state, game.rules
    call = st.rfqs[0]
    bids = [Bid(call.id, 0, -1, call.target_price), Bid(call.id, 1, -1, call.target_price)]
    st.firms.specialty[1] = call.part_family
    st.firms.specialty_depth[1] = 8.0
    table = rfq_mod.score_bids(st, rules, call, bids, {})
    assert table.score[1] > table.score[0]


def test_work_in_the_specialty_teaches_faster() -> None:
    from game.core import contracts
    from game.core.state import QUALITY, Contract

    game = small_game(seed=3, players=1, smes=4)
    st, rules = game.state, game.rules
    call = st.rfqs[0]
    lead = rules.issuer_lead[call.issuer]
    st.contracts.append(Contract("cx", call.id, call.issuer, lead, 3, call.part_family, 500, call.target_price, 60, st.quarter, st.quarter + 4, 10**6, 0.0, [0], [1.0]))
    novice = game.clone()
    st.firms.specialty[0] = call.part_family
    st.firms.specialty_depth[0] = 8.0
    q0 = float(st.firms.cap[0, QUALITY])
    contracts.execute(st, rules)
    contracts.execute(novice.state, rules)
    assert st.firms.cap[0, QUALITY] - q0 > 1.5 * (novice.state.firms.cap[0, QUALITY] - q0) > 0


def test_innovation_odds_rise_with_local_competitors_in_the_family() -> None:
    from game.core import finance

    game = small_game(seed=3, players=1, smes=5)
    st, rules = game.state, game.rules
    f = st.firms
    f.specialty[0] = 1
    alone = finance.innovation_chance(st, rules, 0)
    f.specialty[1:3] = 1
    two = finance.innovation_chance(st, rules, 0)
    f.specialty[1:6] = 1
    many = finance.innovation_chance(st, rules, 0)
    assert finance.local_competitors(st, 0) == 5
    assert alone < two < many
    f.specialty[1:6] = 2  # rivals in another family do not count
    assert finance.innovation_chance(st, rules, 0) == alone


def test_a_university_agreement_lifts_quality_learning() -> None:
    from game.core import learning
    from game.core.state import QUALITY

    game = small_game(seed=3, players=1, smes=4)
    st, rules = game.state, game.rules
    unis = [k for k, inst in enumerate(rules.level.institutions) if inst.kind in ("university", "technology_centre")]
    assert unis, "the tutorial has a university or technology centre"
    without = game.clone()
    st.firms.university[0] = unis[0]
    learning.learn(st, rules)
    learning.learn(without.state, rules)
    assert st.firms.cap[0, QUALITY] > without.state.firms.cap[0, QUALITY]
