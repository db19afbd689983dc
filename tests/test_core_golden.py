"""Golden playthroughs (practice 6): re-run each one and diff it line by line.

A failure shows a unified diff of the first differences. If the change is
meant (a recalibration, a new rule), regenerate and review:

    python -m tests.golden.regen && git diff tests/golden/
"""

from __future__ import annotations

import difflib
import itertools

import pytest

from tests.golden.regen import GOLDEN_DIR, REGENERATE, SPECS, SUFFIX, read_spec, render

GOLDEN_FILES = sorted(GOLDEN_DIR.glob(f"*{SUFFIX}"))
MAX_DIFF_LINES = 60


def test_every_spec_has_its_golden_file():
    assert {s.path for s in SPECS} == set(GOLDEN_FILES), f"golden files out of step with SPECS; run {REGENERATE}"


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=[p.name.removesuffix(SUFFIX) for p in GOLDEN_FILES])
def test_golden_playthrough_is_unchanged(path):
    spec = read_spec(path)
    assert spec in SPECS, f"{path.name} carries inputs {spec} that regen.py no longer lists"
    expected = path.read_text(encoding="utf-8").splitlines()
    actual = render(spec)
    if actual == expected:
        return
    first = next(k for k, (a, b) in enumerate(itertools.zip_longest(expected, actual)) if a != b)
    diff = list(
        difflib.unified_diff(expected, actual, fromfile=f"tests/golden/{path.name}", tofile="re-run", n=2, lineterm="")
    )
    shown = "\n".join(diff[:MAX_DIFF_LINES]) + (f"\n... ({len(diff) - MAX_DIFF_LINES} more diff lines)" if len(diff) > MAX_DIFF_LINES else "")
    pytest.fail(
        f"{path.name} differs from a re-run, first at line {first + 1}.\n"
        f"If the change is deliberate, regenerate with `{REGENERATE}` and review `git diff tests/golden/`.\n\n{shown}",
        pytrace=False,
    )


def test_golden_file_documents_its_inputs_and_each_quarter():
    for path in GOLDEN_FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert REGENERATE in lines[0]
        spec = read_spec(path)
        quarters = [line for line in lines if line.startswith("== quarter ")]
        summaries = [line for line in lines if " summary " in line]
        assert len(quarters) == len(summaries) >= 1
        assert all("hash=" in s and "stage=" in s and "local_share=" in s for s in summaries)
        assert all("explains" in line for line in lines if line.startswith("Q1 p1 "))
        assert sum(1 for line in lines if line.startswith("Q1 ") and " explains " in line) == len(spec.strategies)
        assert lines[-1].startswith("final: ")


def test_render_is_stable_and_detects_a_change():
    spec = SPECS[0]
    once = render(spec)
    assert render(spec) == once
    other = type(spec)(spec.level, spec.seed + 1, spec.strategies)
    assert render(other) != once
