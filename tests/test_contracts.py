"""Running contracts (game/core/contracts.py): committed capacity and subcontracts."""

from __future__ import annotations

import numpy as np
import pytest

from game.core import actions
from game.core.contracts import committed_capacity
from game.core.state import Contract, SubcontractOffer
from tests.helpers import small_game


def _contract(members: list[int], shares: list[float], volume: int = 1_000, **extra) -> Contract:  # noqa: ANN003
    return Contract("c1", "r1", "lead", "lead", 3, 0, volume, 100, 60, 1, 8, 20_000, 0.9, members, shares, **extra)


def test_committed_capacity_splits_load_by_share_and_subcontract():
    game = small_game(seed=1, players=3, smes=2)
    st, rules = game.state, game.rules
    load = 1_000 * float(rules.part_complexity[0])
    st.contracts = [_contract([0, 1], [0.75, 0.25], subcontractor=2, subcontract_share=0.2)]
    used = committed_capacity(st, rules)
    assert used[0] == pytest.approx(load * 0.75 * 0.8)
    assert used[1] == pytest.approx(load * 0.25 * 0.8)
    assert used[2] == pytest.approx(load * 0.2)
    assert used.sum() == pytest.approx(load)
    st.contracts[0].active = False
    assert not committed_capacity(st, rules).any()


def test_accepting_a_subcontract_moves_committed_capacity():
    game = small_game(seed=1, players=2, smes=2)
    st, rules = game.state, game.rules
    f = st.firms
    f.capacity[:] = 100_000
    st.contracts = [_contract([0], [1.0])]
    f.committed[:] = committed_capacity(st, rules)
    before = f.committed.copy()
    st.offers = [SubcontractOffer("c1", 0, 1, 0.33, 90, st.quarter)]
    game.apply(actions.AcceptSubcontract("p2", "c1"))
    c = st.contracts[0]
    assert (c.subcontractor, c.subcontract_share, c.subcontract_price) == (1, 0.33, 90)
    assert f.committed[1] - before[1] == pytest.approx(before[0] * 0.33)
    assert f.committed[0] == pytest.approx(before[0] * 0.67)
    assert st.offers == []


def test_committed_capacity_is_kept_up_to_date_through_a_game():
    game = small_game(seed=3, players=1, smes=12, base="bajio_automotive", turns=8)
    seen_work = False
    while not game.finished:
        game.end_quarter()
        st = game.state
        np.testing.assert_allclose(st.firms.committed, committed_capacity(st, game.rules))
        seen_work = seen_work or bool(st.firms.committed.any())
    assert seen_work, "no contract ran: the check above compared zeros"


def test_noise_drawn_for_several_quarters_at_once_is_each_quarters_own_draw():
    """contracts.execution_noise draws quarters ahead and keeps them: each quarter's noise and the
    generator's state after it are those of std_normal(rng, 2n) drawn that quarter, also after the
    stream was moved elsewhere or the game copied."""
    from game.core import contracts, detmath

    game = small_game(seed=4, players=1, smes=6, base="bajio_automotive", turns=12)
    st = game.state
    n = len(st.firms)
    for quarter in range(10):
        if quarter == 4:
            st.rng.execution.random(3)  # the stream moved: the kept draws no longer apply
        if quarter == 7:
            game = game.clone()  # a copy keeps no draws
            st = game.state
        mirror = np.random.Generator(np.random.PCG64(0))
        mirror.bit_generator.state = st.rng.execution.bit_generator.state
        want = detmath.std_normal(mirror, 2 * n)
        got = contracts.execution_noise(st, n)
        assert got.tolist() == want.tolist(), quarter
        assert st.rng.execution.bit_generator.state == mirror.bit_generator.state, quarter
        st.quarter += 1
