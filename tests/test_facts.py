"""`python main.py facts --quick`: every fact's direction, in CI.

The facts (issue 7, F1-F20) are experiments over seeds defined in
game/headless/facts.py. The quick run checks each fact's direction with a
few seeds. A fact listed in KNOWN_FAILURES is expected to fail today
because the model lacks its mechanism (or its player action); it is
marked xfail with the reason, so the suite stays green and says so. Every
other fact must pass: the test fails when its direction fails. When a
mechanism lands and its fact passes, move it out of KNOWN_FAILURES.
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

KNOWN_FAILURES: dict[str, str] = {
    "F4": "supplier development's effect on participants grows over the years instead of fading",
    "F6": "FreeRide exists and one quarter's payoffs are a prisoner's dilemma (tests/test_cooperation.py), but 5-year profits swing with lumpy contract wins: the ordering is not 2 SE clear in every scenario",
    "F7": "every scenario now has large local tier-1 runs and consortia win some (8 seeds: 0.5-1.4 a game), but at least 1 a game in 4 of 5 scenarios is not reached",
    "F8": "a passing firm that starts above the cluster's average still profits from the local market and survives",
    "F10": "the share of tier-3 endings without a warning straddles the 1/3 bar on 8 seeds (35% before learning by specialising, 27% after: 22 endings); fragile, not a mechanism change of F10's own",
    "F14": "catalysts do not shift the year-5 stage distribution up clearly",
    "F15": "chain receivables are diluted by 30-day local sales: 120- vs 60-day terms and factoring's effect are not resolved with 8 seeds",
    "F11": "innovation odds read local competitors in the part family and a university agreement adds quality learning, but on model 2.0 the cautious player reaches tier 2 in 0 of 8 Bajio games with or without it, so the +30% is not measured",
    "F17": "award ties and strategy ties no longer favour the lower row; what remains (40 seeds, Jalisco 26 vs 22, z 0.9) is within noise, but 8 seeds of lumpy outcomes can exceed 2 SE",
    "F19": "scenarios are not balanced across the built-in strategies; the tutorial is met in about half the games",
}
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


@pytest.mark.parametrize("fact_id", [f.id for f in FACTS])
def test_fact_direction(quick_results: dict[str, dict], fact_id: str) -> None:
    if fact_id in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[fact_id])
    result = quick_results[fact_id]
    assert result["passed"], f"{fact_id} failed its direction: {result['detail']}"
