"""Computer strategies (game/core/strategies.py) ask the rules the engine uses."""

from __future__ import annotations

import numpy as np
import pytest

from game.core import actions, strategies
from game.core.actions import PlaceBid, StartCertification
from game.core.decisions.market import visible
from game.core.engine import Game
from game.core.rfq import bid_requirements
from game.core.state import STRATEGIES
from game.core.strategies import STRATEGY_FUNCTIONS, STRATEGY_NAMES, eligible_rfqs, play_quarter
from tests.helpers import invariant_violations, small_game


def _shake(game: Game, rng: np.random.Generator) -> None:
    """Random figures for every firm: capabilities, certifications, cash, free capacity."""
    f = game.state.firms
    n = len(f)
    f.cap[:] = rng.uniform(0.0, 1.0, f.cap.shape)
    f.cert_held[:] = rng.random(f.cert_held.shape) < 0.4
    cash = rng.integers(0, 6_000_000, n)
    f.cash_open[:] += cash - f.cash
    f.cash[:] = cash
    f.committed[:] = f.capacity * rng.uniform(0.0, 1.0, n)


def _random_states(count: int = 12):  # noqa: ANN202 - yields (game, rng)
    """Seeded games on several levels, a few quarters in, with shaken figures."""
    levels = ("tutorial", "bajio_automotive", "cross_clustering_emilia", "queretaro_aerospace")
    for k in range(count):
        rng = np.random.default_rng([2026, k])
        game = small_game(seed=k + 1, players=2, smes=8, base=levels[k % len(levels)])
        for _ in range(int(rng.integers(0, 4))):
            if not game.finished:
                game.end_quarter()
        if game.finished or not game.state.rfqs:
            continue
        _shake(game, rng)
        yield game, rng


def test_eligible_rfqs_agree_with_the_engines_bid_check():
    checked = agreed_eligible = 0
    for game, _ in _random_states():
        st, rules = game.state, game.rules
        for i in range(len(st.firms)):
            for consortium in (False, True):
                mine = {r.id for r in eligible_rfqs(st, rules, i, consortium)}
                engine = {
                    r.id for r in st.rfqs if visible(st, rules, i, r) and not bid_requirements(st, rules, i, r.id, consortium)
                }
                assert mine == engine, (i, consortium)
                checked += len(st.rfqs)
                agreed_eligible += len(engine)
    # Both answers must have come up often enough for the agreement to mean something.
    assert checked > 200 and 0 < agreed_eligible < checked, (checked, agreed_eligible)


def test_the_bids_a_strategy_proposes_are_legal():
    proposed = 0
    # 24 states: engine 2.0's draws give exactly 20 proposals in the first 12, too few to mean much.
    for game, rng in _random_states(count=24):
        st, rules = game.state, game.rules
        for i in np.flatnonzero(st.firms.alive).tolist():
            for name in STRATEGY_NAMES:
                for action in STRATEGY_FUNCTIONS[name](st, rules, i, rng):
                    if isinstance(action, PlaceBid):
                        proposed += 1
                        assert actions.validate(st, rules, action) is None, (name, action)
    assert proposed > 20


def test_next_certification_is_the_cheapest_the_certification_check_accepts():
    found = 0
    for game, _ in _random_states():
        st, rules = game.state, game.rules
        for i in range(len(st.firms)):
            chosen = strategies._next_certification(st, rules, i)
            startable = [
                StartCertification(st.firms.ids[i], c.id)
                for c in rules.level.certifications
                if StartCertification(st.firms.ids[i], c.id).check(st, rules, i) is None
            ]
            if chosen is None:
                assert startable == []
                continue
            found += 1
            assert chosen.check(st, rules, i) is None
            price = chosen.cost(st, rules, i).full
            assert all(price <= a.cost(st, rules, i).full for a in startable)
            if not st.firms.alive[i]:
                continue
            # With cash and bandwidth to spare, the engine accepts it.
            st.firms.cash[i] += 10**9
            st.firms.cash_open[i] += 10**9
            st.firms.action_points[i] = 5
            assert actions.validate(st, rules, chosen) is None
    assert found > 10


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_play_quarter_takes_only_valid_actions_and_stops_at_no_bandwidth(name: str):
    game = small_game(seed=3, players=1, smes=4, turns=4)
    st, rules = game.state, game.rules
    rng = np.random.default_rng(0)
    offered: list[bool] = []

    def take(action: actions.Action) -> bool:
        assert st.firms.action_points[0] > 0, "offered an action with no bandwidth left"
        ok = game.try_apply(action) is None
        offered.append(ok)
        return ok

    while not game.finished:
        taken = play_quarter(st, rules, 0, name, rng, take)
        assert taken == sum(offered)
        offered.clear()
        assert invariant_violations(st) == []
        game.end_quarter()


def test_play_quarter_without_a_taker_applies_what_the_engine_accepts():
    """The default taker gives the same game as taking through Game.try_apply."""
    a, b = small_game(seed=5, players=2, smes=4, turns=5), small_game(seed=5, players=2, smes=4, turns=5)
    while not a.finished:
        for p, name in enumerate(("growth", "cooperative")):
            play_quarter(a.state, a.rules, p, name, np.random.default_rng([p, a.quarter]))
            play_quarter(b.state, b.rules, p, name, np.random.default_rng([p, b.quarter]), lambda x: b.try_apply(x) is None)
        a.end_quarter()
        b.end_quarter()
        assert a.hash() == b.hash()


def test_strategy_names_in_one_place():
    assert STRATEGY_NAMES == tuple(STRATEGY_FUNCTIONS)
    assert STRATEGY_NAMES[: len(STRATEGIES)] == STRATEGIES
    assert "ambitious" in STRATEGY_NAMES and "ambitious" not in STRATEGIES


def _order_beyond(game: Game, firm: int):  # noqa: ANN202 - (state, rules, call)
    """A public call the firm meets on everything but capacity, asking twice its whole plant."""
    import dataclasses

    from game.core.rfq import call_needs

    st, rules = game.state, game.rules
    f = st.firms
    base = next(r for r in st.rfqs if r.tier == 3)
    complexity = float(rules.part_complexity[base.part_family])
    volume = int(2 * float(f.capacity[firm]) / (complexity * (1.0 - base.reserved_share))) + 1
    call = dataclasses.replace(base, id="big", volume=volume, public=True, certifications=list(base.certifications))
    st.rfqs = [call]
    need_q, need_d, need_t, need_cap = call_needs(rules, call)
    assert need_cap > 2 * float(f.capacity[firm]) - 1
    f.cap[firm, :3] = [need_q + 0.1, need_d + 0.1, need_t + 0.1]
    f.cert_held[firm, call.certifications] = True
    f.committed[firm] = 0.0
    f.cash_open[firm] += 5_000_000 - f.cash[firm]
    f.cash[firm] = 5_000_000
    f.action_points[firm] = 5
    return st, rules, call


@pytest.mark.parametrize("name", ["cautious", "growth"])
def test_a_firm_pools_for_an_order_beyond_its_plant_only_when_capacity_is_all_it_lacks(name: str):
    from game.core.actions import FoundConsortium, JoinConsortium

    game = small_game(seed=2, players=1, smes=6, base="bajio_automotive")
    while not any(r.tier == 3 for r in game.state.rfqs):
        game.end_quarter()
    firm = 1
    st, rules, call = _order_beyond(game, firm)
    assert [m.reason for m in bid_requirements(st, rules, firm, call.id, False)] == ["missing.capacity"]
    rng = np.random.default_rng(0)
    proposed = STRATEGY_FUNCTIONS[name](st, rules, firm, rng)
    pooling = [a for a in proposed if isinstance(a, (FoundConsortium, JoinConsortium))]
    assert pooling, proposed
    # A supplier a lead firm develops grows along its sponsor's chain: it does not pool for the order.
    st.firms.supplier_dev[firm] = 0
    assert not [a for a in STRATEGY_FUNCTIONS[name](st, rules, firm, rng) if isinstance(a, (FoundConsortium, JoinConsortium))]
    st.firms.supplier_dev[firm] = -1
    # One that also misses the call's quality has no order to pool for: it founds nothing.
    st.firms.cap[firm, 0] = call.quality - 0.1
    assert not [a for a in STRATEGY_FUNCTIONS[name](st, rules, firm, rng) if isinstance(a, (FoundConsortium, JoinConsortium))]


@pytest.mark.parametrize("name", ["cautious", "growth"])
def test_a_founder_bids_through_its_consortium_when_the_pool_meets_the_order(name: str):
    from game.core.actions import FoundConsortium, JoinConsortium

    game = small_game(seed=2, players=1, smes=6, base="bajio_automotive")
    while not any(r.tier == 3 for r in game.state.rfqs):
        game.end_quarter()
    founder, partner = 1, 2
    st, rules, call = _order_beyond(game, founder)
    f = st.firms
    assert game.try_apply(FoundConsortium(f.ids[founder], "Consorcio de prueba")) is None
    cid = int(f.consortium[founder])
    # A partner just like the founder, whose plant is short of the order but makes it with the
    # founder's free capacity: the pool meets the order, no member's plant does.
    from game.core.rfq import call_needs

    need = call_needs(rules, call)[3]
    free = float(f.capacity[founder] - f.committed[founder])
    assert 0 < free < need
    f.cap[partner] = f.cap[founder]
    f.cert_held[partner] = f.cert_held[founder]
    f.capacity[partner] = need - free / 2
    f.committed[partner] = 0.0
    f.cash_open[partner] += 5_000_000 - f.cash[partner]
    f.cash[partner] = 5_000_000
    f.action_points[partner] = 5
    if f.consortium[partner] < 0:
        assert game.try_apply(JoinConsortium(f.ids[partner], cid)) is None
    assert bid_requirements(st, rules, founder, call.id, True) == []
    f.action_points[founder] = 5
    bids = [a for a in STRATEGY_FUNCTIONS[name](st, rules, founder, np.random.default_rng(0)) if isinstance(a, PlaceBid)]
    assert any(b.rfq == call.id and b.consortium for b in bids), bids
    assert all(actions.validate(st, rules, b) is None for b in bids if b.consortium)
