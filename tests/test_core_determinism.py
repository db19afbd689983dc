"""Determinism (practices 3 and 4): the same inputs give the same state, bit for bit.

Across processes with different hash seeds (catches iteration over sets
and dicts keyed by hash), within one process, and through ``clone()``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from game.core.actions import Pass, TrainStaff
from game.headless.runner import play
from tests.helpers import play_hashes, run_cli, shipped, small_game

RUNS = [
    ("tutorial", ["--seed", "4", "--players", "growth,cooperative"]),
    ("bajio_automotive", ["--seed", "4", "--players", "cautious,growth,cooperative", "--turns", "6"]),
]


@pytest.mark.parametrize(("level", "extra"), RUNS, ids=[r[0] for r in RUNS])
def test_same_hash_in_separate_processes_with_different_hash_seeds(level, extra):
    summaries = []
    for hashseed in ("0", "12345"):
        proc = run_cli("run", "--level", level, *extra, "--json", env={"PYTHONHASHSEED": hashseed})
        assert proc.returncode == 0, proc.stderr
        summaries.append(json.loads(proc.stdout))
    a, b = summaries
    assert a["state_hash"] == b["state_hash"]
    assert a == b
    # The in-process run agrees with both subprocesses.
    turns = int(extra[extra.index("--turns") + 1]) if "--turns" in extra else None
    strategies = extra[extra.index("--players") + 1].split(",")
    result = play(shipped(level), 4, strategies, turns=turns)
    assert result.game.hash() == a["state_hash"]
    assert result.summary()["quarters_played"] == (turns or shipped(level).level.turns)


def _per_turn_hashes(level: str, seed: int, strategies: list[str]) -> list[str]:
    result = play(shipped(level), seed, strategies, record=True)
    return [t["hash"] for t in result.recorder.turns]


def test_same_run_twice_in_process_gives_identical_hashes_every_quarter():
    a = _per_turn_hashes("tutorial", 4, ["growth", "cooperative", "cautious"])
    b = _per_turn_hashes("tutorial", 4, ["growth", "cooperative", "cautious"])
    assert len(a) == shipped("tutorial").level.turns
    assert a == b
    assert len(set(a)) == len(a), "the state should change every quarter"


def test_new_game_is_identical_for_the_same_seed():
    assert small_game(seed=9, players=2).hash() == small_game(seed=9, players=2).hash()


@pytest.mark.parametrize("level", ["tutorial", "bajio_automotive"])
def test_different_seeds_give_different_games(level):
    hashes = {play(shipped(level), seed, ["cautious"], turns=4).game.hash() for seed in (1, 2, 3)}
    assert len(hashes) == 3
    # The seed reaches the computer SMEs' set-up, not only the hash.
    firms = [small_game(seed=s, smes=8).state.firms for s in (1, 2)]
    assert not np.array_equal(firms[0].cash, firms[1].cash)


def test_clone_then_continue_matches_the_original():
    game = small_game(seed=5, players=2, smes=6)
    play_hashes(game, 3)
    game.apply(TrainStaff("p1"))
    clone = game.clone()
    assert clone.hash() == game.hash()
    assert clone.state is not game.state
    assert clone.state.firms.cash is not game.state.firms.cash
    assert play_hashes(clone) == play_hashes(game)
    assert clone.finished and game.finished


def test_clone_is_independent_of_the_original():
    game = small_game(seed=5, smes=6)
    clone = game.clone()
    before = clone.hash()
    game.apply(TrainStaff("p1"))
    game.end_quarter()
    assert clone.hash() == before
    assert clone.quarter == 1 and game.quarter == 2
    fresh = small_game(seed=5, smes=6)
    assert play_hashes(clone) == play_hashes(fresh)


def test_a_pass_changes_nothing_but_the_log():
    """Pass is free: it spends no action points and moves no money."""
    game = small_game(seed=2)
    f = game.state.firms
    cash, points = f.cash.copy(), f.action_points.copy()
    game.apply(Pass("p1"))
    assert np.array_equal(f.cash, cash)
    assert np.array_equal(f.action_points, points)
    assert game.state.log[-1]["action"] == {"type": "pass", "firm": "p1"}
