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
