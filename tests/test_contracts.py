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
