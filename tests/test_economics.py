"""game/core/economics.py: a call's unit cost and margin, a contract's net, why a bid was lost.

Each figure is checked against what the rules then do: the margin a contract
is expected to leave is what the books record once the quarter is played;
the lost bid's scores are the award's own, and the winner's beat the firm's.
"""

from __future__ import annotations

import math

import numpy as np

from game.core import economics, ledger
from game.core.actions import ExpandCapacity
from game.core.strategies import play_quarter
from tests.helpers import small_game


def _first_call(game):
    return next(r for r in game.state.rfqs if r.tier == 3)


def test_call_economics_adds_up_and_follows_the_price():
    game = small_game(seed=1, players=1, smes=4)
    st, rules = game.state, game.rules
    rfq = _first_call(game)
    low = economics.call_economics(st, rules, 0, rfq.id, int(rfq.target_price * 0.9))
    high = economics.call_economics(st, rules, 0, rfq.id, rfq.target_price)
    assert low.unit_cost == low.materials_per_unit + low.fixed_per_unit
    assert low.margin_per_unit == low.price - low.unit_cost
    assert low.margin_per_quarter == low.margin_per_unit * low.units
    assert low.units == rfq.volume - round(rfq.volume * rfq.reserved_share)
    assert high.margin_per_quarter - low.margin_per_quarter == (high.price - low.price) * low.units
    assert high.gain_per_quarter > low.gain_per_quarter
    # Materials are the level's part cost (no consortium, exchange rate 1).
    assert low.materials_per_unit == int(rules.part_unit_cost[rfq.part_family])


def test_a_fuller_plant_displaces_local_sales_and_risks_on_time():
    game = small_game(seed=1, players=1, smes=4)
    st, rules = game.state, game.rules
    rfq = _first_call(game)
    free = economics.call_economics(st, rules, 0, rfq.id)
    # Load the plant: the same call on a firm already committed near its capacity.
    st.firms.committed[0] = float(st.firms.capacity[0]) * 0.8
    loaded = economics.call_economics(st, rules, 0, rfq.id)
    assert loaded.load_after > free.load_after
    assert loaded.displaced_local_units > free.displaced_local_units
    assert loaded.displaced_local_margin > 0
    assert loaded.gain_per_quarter < free.gain_per_quarter
    assert loaded.on_time_margin < free.on_time_margin


def _win_a_contract():
    """Play the growth strategy until the player holds a contract that starts this quarter."""
    for seed in range(1, 20):
        game = small_game(seed=seed, players=1, smes=3, turns=12)
        st = game.state
        driver = np.random.default_rng(seed)
        while not game.finished:
            mine = [c for c in st.contracts if 0 in c.members and c.start_quarter == st.quarter and c.subcontractor < 0]
            if mine:
                return game, mine[0]
            play_quarter(st, game.rules, 0, "growth", driver, lambda a, g=game: g.try_apply(a) is None)
            game.end_quarter()
    raise AssertionError("no seed of 1..19 gives the growth player a contract")


def test_contract_margin_is_what_the_books_then_record():
    game, contract = _win_a_contract()
    st, rules = game.state, game.rules
    expected = economics.contract_economics(st, rules, 0, contract.id)
    assert expected.net_to_date == 0 and expected.gross_to_date == 0
    game.end_quarter()
    after = economics.contract_economics(st, rules, 0, contract.id)
    (q, lines), = after.by_quarter
    assert q == st.quarter - 1
    assert lines["net"] == sum(lines[k] for k in ledger.CONTRACT_ITEMS)
    assert after.net_to_date == lines["net"] and after.gross_to_date == lines["gross"]
    if lines["chargebacks"] == 0 and st.firms.on_time[0] >= 0.999:
        # Full delivery, no chargeback: the estimate is the booked net, to rounding.
        assert abs(expected.margin_per_quarter - lines["net"]) <= 2, (expected, lines)
    else:
        assert lines["net"] <= expected.margin_per_quarter
    # The income statement shows the contract's gross and the cash-flow statement the money.
    last = ledger.quarters(st, 0)[-1]
    assert last["income"][f"revenue.contract.{contract.id}"] == lines["gross"]


def test_lost_bids_name_the_winner_and_both_scores():
    found_local = found_follow = False
    for seed in range(1, 12):
        game = small_game(seed=seed, players=2, smes=6, turns=12, base="bajio_automotive")
        st = game.state
        drivers = [np.random.default_rng([seed, p]) for p in (0, 1)]
        while not game.finished:
            for p, name in enumerate(("growth", "ambitious")):
                if st.firms.alive[p]:
                    play_quarter(st, game.rules, p, name, drivers[p], lambda a, g=game: g.try_apply(a) is None)
            game.end_quarter()
        for p in (0, 1):
            for lb in economics.lost_bids(st, p):
                parts = ("price", "quality", "delivery", "relationship", "bonus")
                assert math.isclose(sum(lb.yours[k] for k in parts), lb.yours["total"], abs_tol=1e-3)
                if lb.rival is not None:
                    assert math.isclose(sum(lb.rival[k] for k in parts), lb.rival["total"], abs_tol=1e-3)
                    if lb.eligible:
                        assert lb.rival["total"] >= lb.yours["total"] - 1e-3, lb
                if lb.winner == "follow_source":
                    found_follow = True
                elif lb.winner in st.firms.names:
                    found_local = True
                    assert lb.rival_price is not None
                    winner = st.firms.names.index(lb.winner)
                    assert winner != p and any(winner in c.members for c in st.contracts)
        if found_local and found_follow:
            break
    assert found_local and found_follow


def test_runway_counts_quarters_of_burn():
    game = small_game(seed=2, players=1, smes=3)
    st, rules = game.state, game.rules
    before = economics.runway_quarters(st, rules, 0)
    assert before > 0
    # Spending most of the cash on capacity shortens the runway.
    game.try_apply(ExpandCapacity("p1", int(st.firms.cash[0] * 0.8 / rules.economy.capacity_cost_per_unit)))
    assert economics.runway_quarters(st, rules, 0) < before
