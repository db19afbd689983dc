"""Test helpers: a fixture builder for small clusters, state invariants, CLI runners.

``small_game()`` makes a playable cluster in one line (in the spirit of
Unciv's ``TestGame``): the tutorial level (or another shipped level) with a
handful of computer SMEs, any level field overridden through
``Level.model_copy(update=...)``, re-hashed and wrapped in a ``LoadedLevel``.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from game.core.engine import Game
from game.core.level_loader import LoadedLevel, content_hash, load_level
from game.core.state import FIRM_COLUMNS, GameState

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"
HEADLESS_ENV = {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "disk"}


@functools.cache
def shipped(level_id: str = "tutorial") -> LoadedLevel:
    """A shipped level, loaded once per test process."""
    return load_level(level_id)


def small_level(smes: int | None = 5, base: str = "tutorial", **level_overrides: Any) -> LoadedLevel:
    """A shipped level with ``smes`` computer SMEs and any top-level fields replaced.

    ``smes=None`` keeps the level's own count. The content hash is recomputed,
    so replays recorded on it do not pass for the shipped level.
    """
    loaded = shipped(base)
    level = loaded.level
    update = dict(level_overrides)
    if smes is not None:
        update["computer_smes"] = level.computer_smes.model_copy(update={"count": smes})
    if update:
        level = level.model_copy(update=update)
    return LoadedLevel(level=level, path=loaded.path, content_hash=content_hash(level))


def small_game(
    seed: int = 1,
    players: int = 1,
    smes: int | None = 5,
    base: str = "tutorial",
    policies: dict[str, bool] | None = None,
    **level_overrides: Any,
) -> Game:
    """A new game on a small cluster: ``small_game(seed=3, players=2, smes=4, turns=6)``."""
    return Game.new(small_level(smes, base, **level_overrides), seed=seed, players=players, policies=policies)


def play_hashes(game: Game, quarters: int | None = None) -> list[str]:
    """End quarters (players pass) and return the state hash after each one."""
    out = []
    while not game.finished and (quarters is None or len(out) < quarters):
        game.end_quarter()
        out.append(game.hash())
    return out


def invariant_violations(state: GameState) -> list[str]:
    """Every broken state invariant, as readable strings (empty when all hold).

    Holds at any moment, including in the middle of a quarter: the cash
    identity (cash = opening cash + money in - money out), capabilities in
    [0, 1], finite floats, non-negative receivables, debt and action points,
    only live firms in running contracts, and consortium membership that
    agrees both ways.
    """
    f = state.firms
    out: list[str] = []
    ident = f.cash_open + f.cash_in - f.cash_out
    for i in np.flatnonzero(f.cash != ident):
        out.append(f"cash identity broken for {f.ids[i]}: cash {f.cash[i]} != open {f.cash_open[i]} + in {f.cash_in[i]} - out {f.cash_out[i]}")
    if not ((f.cap >= 0.0) & (f.cap <= 1.0)).all():
        out.append(f"capabilities outside [0, 1]: min {f.cap.min()}, max {f.cap.max()}")
    for name in FIRM_COLUMNS:
        col = f.columns[name]
        if col.dtype.kind == "f" and not np.isfinite(col).all():
            out.append(f"non-finite value in column {name}")
    for name in ("receivables", "debt", "action_points", "capacity", "capacity_pending", "cert_left"):
        col = f.columns[name]
        if (col < 0).any():
            out.append(f"negative {name}: {col.min()}")
    if (f.employees[f.alive] < 1).any():
        out.append("a live firm with no employees")
    for c in state.contracts:
        if not c.active:
            continue
        dead = [f.ids[m] for m in c.members if not f.alive[m]]
        if dead:
            out.append(f"contract {c.id} has bankrupt members {dead}")
        if c.subcontractor >= 0 and not f.alive[c.subcontractor]:
            out.append(f"contract {c.id} has a bankrupt subcontractor {f.ids[c.subcontractor]}")
        if len(c.members) != len(c.shares):
            out.append(f"contract {c.id}: {len(c.members)} members but {len(c.shares)} shares")
    for i in range(len(f)):
        k = int(f.consortium[i])
        if k >= 0 and (k >= len(state.consortia) or not state.consortia[k].active or i not in state.consortia[k].members):
            out.append(f"{f.ids[i]} says it is in consortium {k}, which does not list it")
    for c in state.consortia:
        if c.active:
            for m in c.members:
                if int(f.consortium[m]) != c.id:
                    out.append(f"consortium {c.id} lists {f.ids[m]}, whose consortium is {int(f.consortium[m])}")
    return out


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python main.py ARGS`` in a fresh interpreter, headless, from the repo root."""
    full_env = {**os.environ, **HEADLESS_ENV, **(env or {})}
    return subprocess.run(
        [sys.executable, str(MAIN), *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
