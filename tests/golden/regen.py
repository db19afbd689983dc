"""Golden playthroughs (practice 6): write them, or re-render them for the test.

Regenerate deliberately, from the repository root, after a change that is
meant to alter results (then review ``git diff tests/golden/``)::

    python -m tests.golden.regen              # every golden file
    python -m tests.golden.regen tutorial     # just one

Each ``<level>.golden.txt`` starts with its own inputs (level, seed,
strategies), so it documents a game as well as guarding it: per quarter,
the actions the stand-in players took (one JSON line each), a summary line
(each player's cash, debt, tier and contracts; the cluster's stage and
local share; the state hash) and the keys of each player's explanations.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from game.core.engine import ENGINE_VERSION
from game.core.level_loader import load_level
from game.headless.runner import play

GOLDEN_DIR = Path(__file__).resolve().parent
REGENERATE = "python -m tests.golden.regen"
SUFFIX = ".golden.txt"


@dataclass(frozen=True)
class GoldenSpec:
    """The inputs of one golden playthrough."""

    level: str
    seed: int
    strategies: tuple[str, ...]

    @property
    def path(self) -> Path:
        return GOLDEN_DIR / f"{self.level}{SUFFIX}"


SPECS: tuple[GoldenSpec, ...] = (
    GoldenSpec("tutorial", 4, ("growth", "cooperative")),
    GoldenSpec("bajio_automotive", 7, ("cautious", "growth", "cooperative")),
)


def _tier(t: int) -> str:
    return "none" if t == 4 else f"tier{t}"


def _tags(e) -> str:  # noqa: ANN001 - an Explanation
    tags = [e.tone] + [x for x in (e.family, e.lever) if x]
    return f"{e.key}[{'/'.join(tags)}]"


def render(spec: GoldenSpec) -> list[str]:
    """The golden file's lines for these inputs (played afresh)."""
    loaded = load_level(spec.level)
    result = play(loaded, spec.seed, list(spec.strategies), record=True)
    turns = result.recorder.turns
    lines = [
        f"# Enclave golden playthrough. Regenerate deliberately with: {REGENERATE}",
        f"level: {spec.level}",
        f"seed: {spec.seed}",
        f"strategies: {','.join(spec.strategies)}",
        f"level_hash: {loaded.content_hash}",
        f"engine_version: {ENGINE_VERSION}",
        f"start_hash: {_start_hash(spec, loaded)}",
    ]
    for turn, report in zip(turns, result.reports, strict=True):
        q = turn["quarter"]
        lines.append(f"== quarter {q}")
        for action in turn["actions"]:
            lines.append(f"Q{q} action {json.dumps(action, sort_keys=True, ensure_ascii=False)}")
        firms = " ".join(
            f"{p.firm}[{'alive' if p.alive else 'bankrupt'} cash={p.cash} debt={p.debt} "
            f"tier={_tier(p.tier)} contracts={p.contracts}]"
            for p in report.players
        )
        cl = report.cluster
        lines.append(f"Q{q} summary {firms} | stage={cl.stage} local_share={cl.local_share:.4f} | hash={turn['hash']}")
        events = [e.params.get("event", "?") for e in report.explanations if e.firm < 0]
        if events:
            lines.append(f"Q{q} events {' '.join(events)}")
        for p, snap in enumerate(report.players):
            keys = [_tags(e) for e in report.explanations if e.firm == p]
            lines.append(f"Q{q} {snap.firm} explains {' '.join(keys) if keys else '-'}")
    st = result.game.state
    lines.append(f"final: quarters={len(turns)} finished={st.finished} stage={st.metrics.stage} hash={result.game.hash()}")
    return lines


def _start_hash(spec: GoldenSpec, loaded) -> str:  # noqa: ANN001
    from game.core.engine import Game

    return Game.new(loaded, seed=spec.seed, players=len(spec.strategies)).hash()


def read_spec(path: Path) -> GoldenSpec:
    """The inputs a golden file carries in its header."""
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("=="):
            break
        if ": " in line and not line.startswith("#"):
            key, _, value = line.partition(": ")
            header[key] = value
    return GoldenSpec(header["level"], int(header["seed"]), tuple(header["strategies"].split(",")))


def write(spec: GoldenSpec) -> bool:
    """Write one golden file; True if its content changed."""
    text = "\n".join(render(spec)) + "\n"
    old = spec.path.read_text(encoding="utf-8") if spec.path.exists() else None
    spec.path.write_text(text, encoding="utf-8")
    return old != text


def main(argv: list[str]) -> int:
    wanted = set(argv)
    unknown = wanted - {s.level for s in SPECS}
    if unknown:
        print(f"unknown golden level(s): {', '.join(sorted(unknown))}; known: {', '.join(s.level for s in SPECS)}", file=sys.stderr)
        return 2
    for spec in SPECS:
        if wanted and spec.level not in wanted:
            continue
        changed = write(spec)
        print(f"{'updated ' if changed else 'unchanged'} {spec.path.relative_to(GOLDEN_DIR.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
