"""Headless play: computer strategies stand in for the players.

The stand-in strategies draw from a driver generator seeded from the game
seed and the player's index, never from the game's own streams: a replay
applies the recorded actions without re-running the strategies, so the
game's streams must see exactly the same draws either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from game.core import ledger
from game.core.engine import Game, QuarterReport
from game.core.level_loader import LoadedLevel
from game.core.rules import Rules
from game.core.strategies import COACH, STRATEGY_NAMES, play_quarter

if TYPE_CHECKING:
    from game.core.replay import Recorder


class SpecError(ValueError):
    """A --players spec names an unknown strategy."""


PLAYABLE: tuple[str, ...] = (*STRATEGY_NAMES, COACH)
"""What can play a seat in a headless run: the built-in strategies, and the tutorial's coach
(a player who does what the coach advises)."""


def parse_players(spec: str) -> list[str]:
    """``"growth,cautious"`` -> one strategy per player (1 to 8 players)."""
    names = [s.strip() for s in spec.split(",") if s.strip()]
    if not names:
        raise SpecError(f"--players: give at least one strategy ({', '.join(PLAYABLE)})")
    if len(names) > 8:
        raise SpecError(f"--players: at most 8 players, got {len(names)}")
    for n in names:
        if n not in PLAYABLE:
            import difflib

            close = difflib.get_close_matches(n, PLAYABLE, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SpecError(f"--players: unknown strategy {n!r}{hint} (known: {', '.join(PLAYABLE)})")
    return names


@dataclass
class RunResult:
    game: Game
    reports: list[QuarterReport]
    recorder: Recorder | None
    strategies: list[str]

    def summary(self) -> dict[str, Any]:
        st = self.game.state
        m = st.metrics
        players = []
        for p, strat in enumerate(self.strategies):
            out = self.game.outcome(p)
            out["strategy"] = strat
            out["quarters"] = ledger.quarters(st, p)
            players.append(out)
        f = st.firms
        return {
            "level": st.level_id,
            "level_hash": st.level_hash,
            "seed": st.seed,
            "quarters_played": len(self.reports),
            "finished": st.finished,
            "state_hash": self.game.hash(),
            "players": players,
            "cluster": {
                "stage": m.stage,
                "local_share": round(m.local_share, 4),
                "local_suppliers": m.local_suppliers,
                "tier2_share": round(m.tier2_share, 4),
                "tier3_share": round(float((f.best_tier <= 3).sum() / len(f)), 4),
                "cooperation": round(m.cooperation, 4),
                "alive_share": round(m.alive_share, 4),
                "firms": len(f),
            },
        }


def play(
    loaded: LoadedLevel,
    seed: int | None,
    strategies: list[str],
    turns: int | None = None,
    record: bool = False,
    policies: dict[str, bool] | None = None,
    rules: Rules | None = None,
) -> RunResult:
    """Play a level headless with one stand-in strategy per player."""
    players = len(strategies)
    if record:
        from game.core.replay import Recorder  # only for --record: not imported by a plain run

        recorder = Recorder.start(loaded, seed=seed, players=players, policies=policies)
        game = recorder.game
    else:
        recorder = None
        game = Game.new(loaded, seed=seed, players=players, policies=policies, rules=rules)
    drivers = [np.random.default_rng([game.state.seed, 7919, p]) for p in range(players)]
    try_apply = recorder.try_apply if recorder is not None else game.try_apply

    def take(action: Any) -> bool:
        return try_apply(action) is None

    reports: list[QuarterReport] = []
    limit = turns if turns is not None else game.state.turns
    f = game.state.firms
    while not game.finished and len(reports) < limit:
        for p in range(players):
            if not f.alive[p]:
                continue
            play_quarter(game.state, game.rules, p, strategies[p], drivers[p], take)
        reports.append(recorder.end_quarter() if recorder is not None else game.end_quarter())
    return RunResult(game, reports, recorder, strategies)
