"""Benchmarks that print figures (no pass/fail): `python main.py bench`.

- median time of one quarter's resolution for clusters of 30, 300 and 3,000
  firms (with and without the computer SMEs' decisions);
- a full headless game of the default level;
- sweep throughput in games per second, with local worker processes and on a
  local Dask cluster with as many workers (the overhead ratio, CPU beside wall time);
- peak memory of this process.
"""

from __future__ import annotations

import os
import resource
import statistics
import time

from game.core.engine import Game
from game.core.level_loader import LoadedLevel, content_hash, load_level
from game.headless.runner import play
from game.headless.sweep import PolicySet, run_sweep

BENCH_LEVEL = "bajio_automotive"
DEFAULT_LEVEL = "tutorial"


def _sized(loaded: LoadedLevel, firms: int) -> LoadedLevel:
    level = loaded.level
    smes = level.computer_smes.model_copy(update={"count": firms - 1})
    # Calls scale with the cluster so a big cluster has as much work per firm.
    scale = max(1.0, firms / (level.computer_smes.count + 1))
    gens = [g.model_copy(update={"per_quarter": min(20.0, g.per_quarter * scale)}) for g in level.rfq_generators]
    new = level.model_copy(update={"computer_smes": smes, "rfq_generators": gens})
    return LoadedLevel(new, loaded.path, content_hash(new))


def _quarter_times(loaded: LoadedLevel, firms: int, quarters: int) -> tuple[float, float]:
    """Median ms per quarter: (whole end_quarter, resolution alone)."""
    sized = _sized(loaded, firms)
    whole: list[float] = []
    resolve: list[float] = []
    game = Game.new(sized, seed=1)
    for _ in range(quarters):
        if game.finished:
            game = Game.new(sized, seed=len(whole) + 2)
        t0 = time.perf_counter()
        game.computer_decisions()
        t1 = time.perf_counter()
        game.resolve()
        t2 = time.perf_counter()
        whole.append(t2 - t0)
        resolve.append(t2 - t1)
    return statistics.median(whole) * 1e3, statistics.median(resolve) * 1e3


def run_bench(quick: bool = False, workers: int = 2) -> None:
    try:
        loaded = load_level(BENCH_LEVEL)
    except Exception:  # noqa: BLE001 - fall back to the tutorial if the scenario is missing
        loaded = load_level(DEFAULT_LEVEL)
    print(f"machine: {os.cpu_count()} cores; level for cluster sizes: {loaded.level.id}")
    print("quarter resolution, median ms (computer decisions + resolution | resolution alone):")
    for firms, quarters in ((30, 40), (300, 20), (3000, 8)):
        if quick:
            quarters = max(3, quarters // 4)
        whole, res = _quarter_times(loaded, firms, quarters)
        print(f"  {firms:>5} firms: {whole:8.2f} ms | {res:8.2f} ms  (per firm: {1000 * whole / firms:.1f} us)")

    default = load_level(DEFAULT_LEVEL)
    runs = 3 if quick else 10
    times = []
    for seed in range(runs):
        t0 = time.perf_counter()
        play(default, seed + 1, ["cautious"])
        times.append(time.perf_counter() - t0)
    print(f"full headless game of {default.level.id} ({default.level.turns} quarters): median {statistics.median(times) * 1e3:.1f} ms")

    games = 40 if quick else 400
    seeds = games
    cpu0 = _cpu()
    t0 = time.perf_counter()
    run_sweep(default, seeds, [PolicySet("default", None)], ["cautious"], workers=workers, progress=False)
    elapsed = time.perf_counter() - t0
    cpu = _cpu() - cpu0  # the pool's worker processes have ended, so their CPU time is counted
    print(f"sweep of {default.level.id}: {games} games with {workers} workers in {elapsed:.2f} s = {games / elapsed:.1f} games/s (CPU {cpu:.2f} s)")
    _dask_sweep(default, games, workers, elapsed, cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


def _cpu() -> float:
    """CPU seconds of this process and of its ended child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _worker_cpu() -> float:
    return time.process_time()


def _dask_sweep(default: LoadedLevel, games: int, workers: int, local_wall: float, local_cpu: float) -> None:
    """The same sweep on a local Dask cluster with as many worker processes: its overhead."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("sweep on Dask: skipped (Dask is not installed; pip install -e \".[research]\")")
        return
    t0 = time.perf_counter()
    import logging

    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        start = time.perf_counter() - t0
        with Client(cluster, set_as_default=False) as client:
            before = client.run(_worker_cpu)
            own0 = time.process_time()
            t1 = time.perf_counter()
            run_sweep(default, games, [PolicySet("default", None)], ["cautious"], progress=False, scheduler=cluster.scheduler_address)
            wall = time.perf_counter() - t1
            own = time.process_time() - own0
            after = client.run(_worker_cpu)
    wcpu = sum(after[w] - before[w] for w in after if w in before)
    print(
        f"sweep on a local Dask cluster ({workers} worker processes): {games} games in {wall:.2f} s = {games / wall:.1f} games/s "
        f"(CPU {own + wcpu:.2f} s: workers {wcpu:.2f} s, this process with the scheduler {own:.2f} s; cluster start-up {start:.1f} s not counted)"
    )
    print(f"Dask overhead: {wall / local_wall:.2f}x the wall time and {(own + wcpu) / local_cpu:.2f}x the CPU time of {workers} local worker processes")
