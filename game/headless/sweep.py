"""Batch experiments: many seeds times several policy sets, one CSV row per game.

Each worker process loads and compiles the level once. Rows are written in
a fixed order (policy set, then seed) whatever the number of workers, so the
CSV is the same with 1 or 8 workers, or on a Dask cluster (``scheduler``:
the games go to the cluster's workers in chunks instead of a local process
pool; the level travels with them, so worker machines need Enclave installed
but not the level file).
"""

from __future__ import annotations

import csv
import os
import statistics
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.core.level_loader import LoadedLevel, load_level
from game.core.replay import fsync_dir
from game.core.rules import Rules, compile_rules
from game.headless.export import neutralise
from game.headless.runner import play


@dataclass(frozen=True)
class PolicySet:
    """A named set of catalyst policies switched on (all others off), or the level's defaults."""

    name: str
    switches: dict[str, bool] | None


def parse_policy_sets(items: Iterable[str], loaded: LoadedLevel) -> list[PolicySet]:
    """``default``, ``none``, or ``id+id`` (exactly those on) for each item."""
    import difflib

    known = [p.id for p in loaded.level.policies]
    out = []
    for item in items:
        if item == "default":
            out.append(PolicySet("default", None))
            continue
        on = [] if item == "none" else [p for p in item.split("+") if p]
        for pid in on:
            if pid not in known:
                close = difflib.get_close_matches(pid, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; the level's policies: {', '.join(known) or 'none'}"
                raise ValueError(f"--policies: unknown policy {pid!r} in {loaded.path}{hint}")
        out.append(PolicySet(item, {pid: pid in on for pid in known}))
    return out


_WORKER: dict[str, Any] = {}
_WORKER_LOCK = threading.Lock()


def _init(level: str | LoadedLevel) -> None:
    loaded = load_level(level) if isinstance(level, str) else level
    _WORKER["loaded"] = loaded
    _WORKER["rules"] = compile_rules(loaded.level, loaded.content_hash)
    _WORKER.pop("variant", None)


def _chunk(level: LoadedLevel, jobs: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Run some games of ``level`` on a Dask worker (compiled once per worker process)."""
    with _WORKER_LOCK:
        current = _WORKER.get("loaded")
        if current is None or current.content_hash != level.content_hash:
            _init(level)
    return [_one(job) for job in jobs]


def _games(jobs: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Run some games in a local worker process (its level set by :func:`_init`)."""
    return [_one(job) for job in jobs]


LOCAL_CHUNK = 8
"""Most games in one task of a local worker: enough to spread the round trip, few enough that
the workers finish together (a chunk is at most 1/8 of a worker's share)."""


def local_chunk(total: int, workers: int) -> int:
    """Games per task for ``total`` games on ``workers`` local processes."""
    return max(1, min(LOCAL_CHUNK, total // (workers * 8)))


Variant = tuple[tuple[str, float | int], ...]
"""Level values replaced for a game: ((key path, value), ...), e.g. from ``sensitivity``."""


def _variant_level(variant: Variant) -> tuple[LoadedLevel, Rules]:
    """The worker's level with ``variant``'s values put in (the last one is kept compiled)."""
    cached = _WORKER.get("variant")
    if cached is not None and cached[0] == variant:
        return cached[1], cached[2]
    from game.headless.level_params import with_values

    loaded = with_values(_WORKER["loaded"], variant)
    rules = compile_rules(loaded.level, loaded.content_hash)
    _WORKER["variant"] = (variant, loaded, rules)
    return loaded, rules


def _one(job: tuple[Any, ...]) -> dict[str, Any]:
    order, name, switches, seed, strategies = job[:5]
    variant: Variant | None = job[5] if len(job) > 5 else None
    if variant:
        loaded, rules = _variant_level(variant)
    else:
        loaded = _WORKER["loaded"]
        rules = _WORKER["rules"]
    result = play(loaded, seed, strategies, policies=switches, rules=rules)
    s = result.summary()
    st = result.game.state
    awards = st.awards
    consortium_large = sum(1 for a in awards if a[2] == 1 and a[3] > a[4])
    lone_large = sum(1 for a in awards if a[2] == 0 and a[3] > a[4])
    row: dict[str, Any] = {
        "order": order,
        "level": s["level"],
        "policy_set": name,
        "seed": seed,
        "quarters": s["quarters_played"],
        "state_hash": s["state_hash"],
        "stage": s["cluster"]["stage"],
        "local_share": s["cluster"]["local_share"],
        "tier2_share": s["cluster"]["tier2_share"],
        "tier3_share": s["cluster"]["tier3_share"],
        "alive_share": s["cluster"]["alive_share"],
        "cooperation": s["cluster"]["cooperation"],
        "firms": s["cluster"]["firms"],
        "awards": len(awards),
        "consortium_awards": sum(1 for a in awards if a[2] == 1),
        "consortium_large_wins": consortium_large,
        "lone_large_wins": lone_large,
    }
    for p, out in enumerate(s["players"]):
        row[f"p{p + 1}_strategy"] = out["strategy"]
        row[f"p{p + 1}_objective_met"] = int(out["objective_met"])
        row[f"p{p + 1}_best_tier"] = out["best_tier"]
        row[f"p{p + 1}_alive"] = int(out["alive"])
        row[f"p{p + 1}_score"] = out["scorecard"]["total"]
    return row


Job = tuple[Any, ...]


def iter_jobs(seeds: int, policy_sets: list[PolicySet], strategies: list[str], first_seed: int = 1, variants: list[Variant] | None = None) -> Iterator[Job]:
    """The games of a sweep, one at a time (never a list: a million seeds cost no memory)."""
    vs: list[Variant | None] = list(variants) if variants else [None]
    for k, ps in enumerate(policy_sets):
        for v, variant in enumerate(vs):
            for s in range(seeds):
                yield ((k * len(vs) + v) * seeds + s, ps.name, ps.switches, first_seed + s, strategies, variant)


def _chunks(jobs: Iterator[Job], size: int) -> Iterator[list[Job]]:
    chunk: list[Job] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_flight(tasks: Iterator[Future[list[dict[str, Any]]]], most: int, bar: Any) -> Iterator[dict[str, Any]]:
    """The rows of ``tasks`` in their order, submitting at most ``most`` ahead of the one awaited.

    ``tasks`` is lazy: taking its next item submits a chunk, so memory stays flat."""
    window: deque[Future[list[dict[str, Any]]]] = deque()
    for task in tasks:
        window.append(task)
        if len(window) >= most:
            yield from _rows(window.popleft(), bar)
    while window:
        yield from _rows(window.popleft(), bar)


def _rows(task: Future[list[dict[str, Any]]], bar: Any) -> list[dict[str, Any]]:
    part = task.result()
    if bar:
        bar.update(len(part))
    return part


def iter_sweep(
    loaded: LoadedLevel,
    seeds: int,
    policy_sets: list[PolicySet],
    strategies: list[str],
    workers: int = 1,
    progress: bool = True,
    first_seed: int = 1,
    scheduler: str | None = None,
    variants: list[Variant] | None = None,
) -> Iterator[dict[str, Any]]:
    """One row per game, in job order (policy set, variant, seed) whatever runs them.

    Jobs are generated lazily and only a few per worker are in flight, so memory
    stays flat in the number of seeds.
    """
    total = seeds * len(policy_sets) * (len(variants) if variants else 1)
    jobs = iter_jobs(seeds, policy_sets, strategies, first_seed, variants)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="game", file=sys.stderr, desc="sweep")
    try:
        if scheduler:
            from game.headless.cluster import dask_client, total_threads

            with dask_client(scheduler) as client:
                threads = total_threads(client)
                size = max(1, min(50, total // (threads * 8)))
                level = client.scatter(loaded, broadcast=True, hash=False)
                pool = client.get_executor(pure=False)
                yield from _in_flight((pool.submit(_chunk, level, chunk) for chunk in _chunks(jobs, size)), 2 * threads + 2, bar)
        elif workers <= 1 or total <= 1:
            _init(loaded)
            for job in jobs:
                yield _one(job)
                if bar:
                    bar.update()
        else:
            # The workers get the level itself (forked: no parsing, no pickling on Linux) and
            # the games in chunks, so a game pays no round trip of its own.
            size = local_chunk(total, workers)
            with ProcessPoolExecutor(max_workers=min(workers, total), initializer=_init, initargs=(loaded,)) as procs:
                yield from _in_flight((procs.submit(_games, chunk) for chunk in _chunks(jobs, size)), 2 * workers + 2, bar)
    finally:
        if bar:
            bar.close()


def run_sweep(
    loaded: LoadedLevel,
    seeds: int,
    policy_sets: list[PolicySet],
    strategies: list[str],
    workers: int = 1,
    progress: bool = True,
    first_seed: int = 1,
    scheduler: str | None = None,
    variants: list[Variant] | None = None,
) -> list[dict[str, Any]]:
    """Every game of seeds x policy sets (x level variants, each a set of replaced values), as a list.

    For small sweeps and tests; the ``sweep`` command streams with :func:`iter_sweep`."""
    return list(iter_sweep(loaded, seeds, policy_sets, strategies, workers=workers, progress=progress,
                           first_seed=first_seed, scheduler=scheduler, variants=variants))


def write_csv(rows: list[dict[str, Any]], path: str) -> None:
    if not rows:
        return
    with CsvStream(path) as out:
        for row in rows:
            out.write(row)


class CsvStream:
    """Rows written as they come to a temp file beside ``path``, renamed over it only when complete."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self._fh: Any = None
        self._writer: Any = None
        self._tmp = ""

    def __enter__(self) -> CsvStream:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name[:80]}.", suffix=".tmp", dir=self.path.parent)
        self._fh = os.fdopen(fd, "w", newline="", encoding="utf-8")
        return self

    def write(self, row: dict[str, Any]) -> None:
        if self._writer is None:
            fields = [k for k in row if k != "order"]
            self._writer = csv.DictWriter(self._fh, fieldnames=fields, extrasaction="ignore")
            self._writer.writeheader()
        self._writer.writerow({k: neutralise(v) for k, v in row.items()})

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            if kind is None:
                os.replace(self._tmp, self.path)
                fsync_dir(self.path.parent)
        finally:
            if os.path.exists(self._tmp):
                os.unlink(self._tmp)


def aggregate(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per policy set: means over seeds."""
    out = []
    names = list(dict.fromkeys(r["policy_set"] for r in rows))
    for name in names:
        group = [r for r in rows if r["policy_set"] == name]

        def mean(key: str, group: list[dict[str, Any]] = group) -> float:
            return statistics.fmean(r[key] for r in group)

        stages: dict[str, int] = {}
        for r in group:
            stages[r["stage"]] = stages.get(r["stage"], 0) + 1
        out.append(
            {
                "policy_set": name,
                "games": len(group),
                "tier2_share_%": round(100 * mean("tier2_share"), 2),
                "tier3+_share_%": round(100 * mean("tier3_share"), 2),
                "local_share_%": round(100 * mean("local_share"), 2),
                "alive_%": round(100 * mean("alive_share"), 1),
                "consortium_large_wins": round(mean("consortium_large_wins"), 2),
                "lone_large_wins": round(mean("lone_large_wins"), 2),
                "p1_objective_%": round(100 * mean("p1_objective_met"), 1),
                "stages": " ".join(f"{k}:{v}" for k, v in sorted(stages.items())),
            }
        )
    return out


class Aggregator:
    """Means over seeds per policy set, fed one row at a time (no list of rows kept)."""

    KEYS = ("tier2_share", "tier3_share", "local_share", "alive_share", "consortium_large_wins", "lone_large_wins", "p1_objective_met")

    def __init__(self) -> None:
        self.games = 0
        self._sums: dict[str, dict[str, float]] = {}
        self._counts: dict[str, int] = {}
        self._stages: dict[str, dict[str, int]] = {}

    def add(self, row: dict[str, Any]) -> None:
        name = row["policy_set"]
        self.games += 1
        sums = self._sums.setdefault(name, dict.fromkeys(self.KEYS, 0.0))
        for key in self.KEYS:
            sums[key] += row[key]
        self._counts[name] = self._counts.get(name, 0) + 1
        stages = self._stages.setdefault(name, {})
        stages[row["stage"]] = stages.get(row["stage"], 0) + 1

    def table(self) -> list[dict[str, Any]]:
        out = []
        for name, sums in self._sums.items():
            n = self._counts[name]

            def mean(key: str, sums: dict[str, float] = sums, n: int = n) -> float:
                return sums[key] / n

            out.append(
                {
                    "policy_set": name,
                    "games": n,
                    "tier2_share_%": round(100 * mean("tier2_share"), 2),
                    "tier3+_share_%": round(100 * mean("tier3_share"), 2),
                    "local_share_%": round(100 * mean("local_share"), 2),
                    "alive_%": round(100 * mean("alive_share"), 1),
                    "consortium_large_wins": round(mean("consortium_large_wins"), 2),
                    "lone_large_wins": round(mean("lone_large_wins"), 2),
                    "p1_objective_%": round(100 * mean("p1_objective_met"), 1),
                    "stages": " ".join(f"{k}:{v}" for k, v in sorted(self._stages[name].items())),
                }
            )
        return out


def format_table(table: list[dict[str, Any]]) -> str:
    if not table:
        return "(no games)"
    cols = list(table[0])
    widths = {c: max(len(c), *(len(str(r[c])) for r in table)) for c in cols}
    lines = [" | ".join(c.ljust(widths[c]) for c in cols), "-+-".join("-" * widths[c] for c in cols)]
    for r in table:
        lines.append(" | ".join(str(r[c]).ljust(widths[c]) for c in cols))
    return "\n".join(lines)
