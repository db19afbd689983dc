"""`python main.py facts --quick`: every fact's direction, in CI.

The facts (issue 7, F1-F20) are experiments over seeds defined in
game/headless/facts.py. The quick run checks each fact's direction with a
few seeds. A fact listed in KNOWN_FAILURES is expected to fail today
because the model lacks its mechanism (or its player action); it is
marked xfail (strict, only on the assertion of its verdict) with the
reason, so the suite stays green and says so. Every other fact must pass:
the test fails when its direction fails. A known failure that passes is an
XPASS, which strict xfail turns into a failure of the suite: the list
cannot silently go stale, so move the fact out of KNOWN_FAILURES when its
mechanism lands (the list is empty today: every fact's direction is checked).
The quick run's seeds are fixed (1..QUICK_SEEDS, more for a fact whose
direction rests on rare events: Fact.quick_seeds), so a verdict changes only
when the code does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.headless.facts import FACTS

ROOT = Path(__file__).resolve().parents[1]

KNOWN_FAILURES: dict[str, str] = {}
"""Facts the model cannot pass yet, with the missing mechanism. The one place the test reads."""


@pytest.fixture(scope="module")
def quick_results() -> dict[str, dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "main.py", "facts", "--quick", "--workers", "2", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert data["quick"] is True
    return {f["id"]: f for f in data["facts"]}


def test_every_fact_reported(quick_results: dict[str, dict]) -> None:
    assert sorted(quick_results, key=lambda i: int(i[1:])) == [f.id for f in FACTS]
    for f in quick_results.values():
        assert set(f) >= {"id", "measured", "se", "n", "low", "high", "passed"}


def test_known_failures_are_facts() -> None:
    ids = {f.id for f in FACTS}
    assert set(KNOWN_FAILURES) <= ids


def _fact_param(fact_id: str) -> object:
    if fact_id in KNOWN_FAILURES:
        return pytest.param(fact_id, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=KNOWN_FAILURES[fact_id]))
    return fact_id


@pytest.mark.parametrize("fact_id", [_fact_param(f.id) for f in FACTS])
def test_fact_direction(quick_results: dict[str, dict], fact_id: str) -> None:
    # A known failure counts as expected only when its own verdict is FAIL (an AssertionError
    # here); a missing fact or a crash is an error, and a PASS is a strict XPASS (a failure).
    result = quick_results[fact_id]
    assert result["passed"], f"{fact_id} failed its direction: {result['detail']}"


def test_f18_counts_a_game_that_ended_early_at_its_last_quarter():
    """Cross seed 100 with the partnership ends at quarter 6 (every player bankrupt); the
    export share of local value must be read at the quarter the metric was computed."""
    from game.headless.facts import CROSS, PARTNERSHIP, Exp, play_exp

    assert play_exp(Exp(CROSS, PARTNERSHIP), 100)["export_share_of_local"] == 0.0
