"""A run of bids taken from the eligibility matrix skips the checks the matrix made (issue 10).

:meth:`game.core.strategies.BidRun.eligible_now` lets :func:`game.core.actions.try_apply_bids`
leave out a bid's visibility and requirements checks (:meth:`PlaceBid.check_with` with
``eligible``) while the view the run's calls came from is the state's and its firm's figures are
those the view's row read. These tests check that the checks left out could not have refused:
the full check gives the same answer for every bid the shortcut checks, in played games and in
random states whose firms' figures (any column) change after the runs were proposed; and
games played with and without the shortcut end in the same state.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.core import strategies
from game.core.decisions.market import PlaceBid
from game.core.engine import Game
from game.core.level_loader import load_level
from game.core.rfq import open_call
from game.core.state import FIRM_COLUMNS, KIND_PLAYER
from game.core.strategies import BidRun, Draws
from game.headless.bench import _sized
from tests.helpers import play_hashes, small_game
from tests.test_decision_caches import _random_states

LEVELS = ("bajio_automotive", "cross_clustering_emilia", "queretaro_aerospace", "tutorial")


@pytest.fixture
def checked_both_ways(monkeypatch):  # noqa: ANN001, ANN201 - pytest's fixture
    """Every check_with made with ``eligible`` is made again in full and must give the same answer;
    yields the counts of (shortcut checks, bids among them accepted)."""
    counts = [0, 0]
    plain = PlaceBid.check_with

    def both(self, state, rules, i, bidders, heard=None, eligible=False):  # noqa: ANN001, ANN202
        got = plain(self, state, rules, i, bidders, heard, eligible)
        if eligible:
            full = plain(self, state, rules, i, {}, {}, False)
            assert got == full, (self, full)
            counts[0] += 1
            counts[1] += got is None
        return got

    monkeypatch.setattr(PlaceBid, "check_with", both)
    yield counts


def test_every_bid_checked_without_the_eligibility_checks_passes_them_in_played_games(checked_both_ways):
    for k in range(16):
        play_hashes(Game.new(load_level(LEVELS[k % len(LEVELS)]), seed=k + 1, players=1))
    for k in range(6):
        play_hashes(small_game(seed=k + 1, players=1, smes=24, base=LEVELS[k % len(LEVELS)]), 8)
    play_hashes(Game.new(_sized(load_level("bajio_automotive"), 600), seed=7, players=1), 8)
    shortcut, accepted = checked_both_ways
    assert shortcut > 2000 and accepted > 2000, checked_both_ways


def test_games_end_the_same_with_and_without_the_shortcut(monkeypatch):
    for k in range(4):
        level = LEVELS[k % len(LEVELS)]
        with_it = play_hashes(small_game(seed=k + 11, players=1, smes=30, base=level), 8)
        monkeypatch.setattr(BidRun, "eligible_now", lambda self, state, rules: False)
        without = play_hashes(small_game(seed=k + 11, players=1, smes=30, base=level), 8)
        monkeypatch.undo()
        assert with_it == without, level


def _runs(state, rules) -> list[BidRun]:  # noqa: ANN001
    """The bid runs the computer firms' proposals take from the eligibility matrix now."""
    f = state.firms
    rows = np.flatnonzero((f.kind != KIND_PLAYER) & f.alive)
    plans = strategies.propose(state, rules, rows, f.strategy[rows], Draws(12345, rows))
    return [run for plan in plans for run in plan.runs if type(run) is BidRun and run.since is not None]


def _changed(f, i: int, name: str, rng: np.random.Generator) -> None:  # noqa: ANN001 - Firms
    """Change firm ``i``'s ``name`` column: one cell of it, a little or a lot, or flipped."""
    col = getattr(f, name)
    cell = (i, int(rng.integers(col.shape[1]))) if col.ndim == 2 else i
    old = col[cell]
    if col.dtype == bool:
        col[cell] = not old
    elif col.dtype.kind == "f":
        col[cell] = old + float(rng.choice([1e-12, -1e-12, 0.05, -0.05, 0.5, -0.5])) * (abs(old) or 1.0)
    else:
        limits = np.iinfo(col.dtype)
        col[cell] = min(max(int(old) + int(rng.choice([1, -1, 1000, -1000, 10**6, -(10**6)])), limits.min), limits.max)


def test_a_run_is_eligible_now_only_while_the_full_check_agrees_whatever_figure_changes():
    """After the runs are proposed one column of some firms changes (any column, not only those
    the guard reads): a run still said eligible gets the full check's answer for every bid."""
    trusted = refused_after = stale = 0
    for game, rng in _random_states(32):  # random figures, many near a call's bar
        st, rules = game.state, game.rules
        runs = _runs(st, rules)
        assert all(run.eligible_now(st, rules) for run in runs), "nothing changed since they were proposed"
        f = st.firms
        for run in runs:
            i = run.since[1]
            before = [PlaceBid.check_with(bid, st, rules, i, {}, {}) for bid in run]
            assert before == [None] * len(before), "the matrix's calls pass the full check"
            for name in rng.choice(list(FIRM_COLUMNS), size=8):
                kept = getattr(f, name).copy()
                _changed(f, i, str(name), rng)
                for bid in run:
                    full = PlaceBid.check_with(bid, st, rules, i, {}, {})
                    if run.eligible_now(st, rules):
                        assert PlaceBid.check_with(bid, st, rules, i, {}, {}, True) == full is None, (name, bid, full)
                        trusted += 1
                    else:
                        stale += 1
                        refused_after += full is not None
                getattr(f, name)[:] = kept
            assert run.eligible_now(st, rules)
    # The guard let bids through after some column changed, and turned some runs away whose bids the full check refuses.
    assert trusted > 300 and stale > 100 and refused_after > 10, (trusted, stale, refused_after)


def test_a_run_is_not_eligible_now_once_the_calls_policies_or_ids_differ():
    game = small_game(seed=5, players=1, smes=24, base="bajio_automotive")
    game.end_quarter()
    st, rules = game.state, game.rules
    runs = _runs(st, rules)
    assert runs and all(run.eligible_now(st, rules) for run in runs)
    st.policy_active[0] = not st.policy_active[0]
    assert not any(run.eligible_now(st, rules) for run in runs)
    st.policy_active[0] = not st.policy_active[0]
    assert all(run.eligible_now(st, rules) for run in runs)
    calls = st.rfqs
    st.rfqs = list(calls)  # the same calls in a new list: a new quarter's, as far as a view knows
    assert not any(run.eligible_now(st, rules) for run in runs)
    st.rfqs = calls
    # Two calls sharing an id: open_call gives a bid the first, which need not be the row's call.
    st.rfqs = [*calls, open_call(st, runs[0][0].rfq)]
    again = _runs(st, rules)
    assert again and not any(run.eligible_now(st, rules) for run in again)


def test_the_keys_of_some_firms_are_their_keys_one_by_one():
    for game, rng in _random_states(4):
        f = game.state.firms
        for n in (0, 1, strategies._KEYS_BY_COLUMN - 1, strategies._KEYS_BY_COLUMN, len(f)):
            rows = np.sort(rng.choice(len(f), size=min(n, len(f)), replace=False)).astype(np.int64)
            assert strategies._firm_keys(f, rows) == [strategies._firm_key(f, i) for i in rows.tolist()]
