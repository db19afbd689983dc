"""Counter-based draws (game/core/rng.py ``uniforms``): what the computer firms decide from (issue 10).

A draw is a pure function of (key, row, slot): the same in any order, any
batch and any process; one row's draws do not depend on the other rows drawn
with it; the values look uniform and independent across rows, slots and keys.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from game.core.rng import counter_key, uniforms

ROOT = str(Path(__file__).resolve().parents[1])


def test_a_draw_is_a_pure_function_of_key_row_and_slot():
    key = counter_key(7, 91, 3)
    rows = np.arange(500)
    slots = np.arange(40)
    grid = uniforms(key, rows[:, None], slots[None, :])
    assert grid.shape == (500, 40)
    # Element by element, shuffled, in any batch: the same numbers.
    rng = np.random.default_rng(0)
    pick_r = rng.integers(0, 500, 300)
    pick_s = rng.integers(0, 40, 300)
    assert (uniforms(key, pick_r, pick_s) == grid[pick_r, pick_s]).all()
    assert [float(uniforms(key, int(r), int(s))[0]) for r, s in zip(pick_r[:20], pick_s[:20], strict=True)] == grid[pick_r[:20], pick_s[:20]].tolist()
    # Another key (seed, key or quarter) gives other numbers.
    for other in (counter_key(8, 91, 3), counter_key(7, 92, 3), counter_key(7, 91, 4), counter_key(7, 91)):
        assert not np.isclose(uniforms(other, rows, 0), grid[:, 0]).any()


def test_one_rows_draws_do_not_depend_on_the_other_rows_drawn():
    key = counter_key(2026, 12, 7)
    alone = uniforms(key, np.full(30, 17), np.arange(30))
    for others in (np.arange(17), np.arange(18, 3000), np.array([4, 17, 2999, 17])):
        rows = np.sort(np.append(others, 17))
        grid = uniforms(key, rows[:, None], np.arange(30)[None, :])
        assert (grid[np.flatnonzero(rows == 17)[0]] == alone).all()


def test_draws_are_uniform_and_uncorrelated():
    key = counter_key(1, 2, 3)
    grid = uniforms(key, np.arange(2000)[:, None], np.arange(100)[None, :])
    flat = grid.ravel()
    assert 0.0 <= flat.min() and flat.max() < 1.0
    n = flat.size
    # Mean and variance of U(0, 1) within 5 standard errors; each decile within 5 SE of a tenth.
    assert abs(flat.mean() - 0.5) < 5 * (1 / 12) ** 0.5 / n**0.5
    assert abs(flat.var() - 1 / 12) < 5 * (1 / 180) ** 0.5 / n**0.5
    deciles = np.bincount((flat * 10).astype(int), minlength=10) / n
    assert np.all(np.abs(deciles - 0.1) < 5 * (0.09 / n) ** 0.5), deciles
    # Neighbouring rows, neighbouring slots and neighbouring keys are uncorrelated.
    bound = 5 / grid.shape[0] ** 0.5
    assert abs(np.corrcoef(grid[:, 0], grid[:, 1])[0, 1]) < bound
    assert abs(np.corrcoef(grid[:-1, 5], grid[1:, 5])[0, 1]) < bound
    assert abs(np.corrcoef(grid[:, 3], uniforms(counter_key(1, 2, 4), np.arange(2000), 3))[0, 1]) < bound
    # A draw below p happens about p of the time in every column (the strategies' 0.15, 0.3, 0.5).
    for p in (0.15, 0.3, 0.5):
        share = (grid < p).mean(axis=0)
        assert np.all(np.abs(share - p) < 5 * (p * (1 - p) / grid.shape[0]) ** 0.5), (p, share.min(), share.max())


def test_draws_are_the_same_in_another_process_and_raise_no_warning():
    code = (
        "import warnings, numpy as np\n"
        "warnings.simplefilter('error')\n"
        "from game.core.rng import counter_key, uniforms\n"
        "u = uniforms(counter_key(2**70 + 5, -3, 2**40), np.array([0, 1, 2**40, -1]), np.array([0, 2**21 + 5, 7, 1]))\n"
        "print(u.tobytes().hex())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "123", "PATH": ""}, cwd=ROOT)
    here = uniforms(counter_key(2**70 + 5, -3, 2**40), np.array([0, 1, 2**40, -1]), np.array([0, 2**21 + 5, 7, 1]))
    assert out.stdout.strip() == here.tobytes().hex()
    # Pinned: the numbers every platform must give (integer arithmetic and one exact conversion).
    assert uniforms(counter_key(1, 2, 3), np.array([0, 1]), np.array([0, 0])).tolist() == PINNED


PINNED = [0.6352231276134392, 0.6900230619880093]
"""uniforms(counter_key(1, 2, 3), [0, 1], [0, 0]) as first computed (2026-12-07, x86-64)."""
