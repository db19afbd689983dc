"""Benchmarks that print figures (no pass/fail): `python main.py bench`.

- one quarter for clusters of 300, 3,000 and 30,000 firms, with lead firms, calls
  and institutions grown in proportion: whole, the computer firms' decisions and
  the resolution apart, CPU time beside wall time, and the ratio to a numpy-only
  kernel of the same per-firm arithmetic (:func:`kernel_quarter`);
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

import numpy as np

from game.core.engine import Game
from game.core.level_loader import LoadedLevel, content_hash, load_level
from game.headless.runner import play
from game.headless.sweep import PolicySet, run_sweep

BENCH_LEVEL = "bajio_automotive"
DEFAULT_LEVEL = "tutorial"


DEFAULT_SIZES = (300, 3000)
"""Cluster sizes timed by default. 30,000 is measured on request (``--sizes``): about
1 s of CPU a quarter (2026-12-08, 00:03 UTC), and the process peaks at about 600 MB with
the kernel's (calls, firms) arrays."""

QUARTERS_AT = {300: 12, 3000: 6}

QUARTER_TARGETS = {3000: (15.0, 3.0), 30000: (150.0, None)}
"""Issue 10's targets for a whole quarter by cluster size: under this many ms, and within
this many times the numpy-only kernel (None: no ratio asked)."""


def target_line(firms: int, whole_ms: float, kernel_ms: float) -> str | None:
    """The issue's target for a quarter at ``firms`` firms and whether this run meets it."""
    if firms not in QUARTER_TARGETS:
        return None
    most_ms, most_ratio = QUARTER_TARGETS[firms]
    ratio = whole_ms / kernel_ms
    met = whole_ms < most_ms and (most_ratio is None or ratio <= most_ratio)
    want = f"under {most_ms:g} ms" + (f" and within {most_ratio:g}x the kernel" if most_ratio is not None else "")
    note = f"; the kernel alone takes {kernel_ms:.1f} ms" if kernel_ms >= most_ms else ""
    return f"         target at {firms} firms: {want}: {'met' if met else 'not met'} ({whole_ms:.1f} ms, {ratio:.1f}x{note})"
"""Quarters timed at a size (fewer for larger clusters; 2 above 3,000)."""


def _sized(loaded: LoadedLevel, firms: int) -> LoadedLevel:
    """The level grown to ``firms`` firms with everything else in proportion.

    The level's lead firms (with their tier-1 suppliers), their call generators and
    the institutions are copied ``firms / (level's firms)`` times under new ids, so a
    30,000-firm cluster has about 100 times the calls, buyers and institutions of a
    300-firm one rather than the same few calls shared by more firms.
    """
    level = loaded.level
    base = level.computer_smes.count + 1
    copies = max(1, round(firms / base))
    leads = list(level.lead_firms)
    gens = list(level.rfq_generators)
    insts = list(level.institutions)
    for n in range(1, copies):
        rename: dict[str, str] = {}
        for lf in level.lead_firms:
            rename[lf.id] = f"{lf.id[:40]}_{n}"
            tier1 = []
            for t in lf.tier1_suppliers:
                rename[t.id] = f"{t.id[:40]}_{n}"
                tier1.append(t.model_copy(update={"id": rename[t.id]}))
            leads.append(lf.model_copy(update={"id": rename[lf.id], "tier1_suppliers": tier1}))
        gens += [g.model_copy(update={"issuer": rename[g.issuer]}) for g in level.rfq_generators if g.issuer in rename]
        insts += [i.model_copy(update={"id": f"{i.id[:40]}_{n}"}) for i in level.institutions]
    smes = level.computer_smes.model_copy(update={"count": firms - 1})
    new = level.model_copy(update={"computer_smes": smes, "lead_firms": leads, "rfq_generators": gens, "institutions": insts})
    return LoadedLevel(new, loaded.path, content_hash(new))


def _quarter_times(loaded: LoadedLevel, firms: int, quarters: int) -> dict[str, float]:
    """Median ms per quarter (whole, computer decisions, resolution), CPU ms per quarter, and the open calls."""
    sized = _sized(loaded, firms)
    whole: list[float] = []
    decide: list[float] = []
    resolve: list[float] = []
    calls: list[int] = []
    game = Game.new(sized, seed=1)
    for _ in range(2):  # the first quarters have few open calls: start from a busy cluster
        game.end_quarter()
    cpu0 = time.process_time()
    for _ in range(quarters):
        if game.finished:
            game = Game.new(sized, seed=len(whole) + 2)
        calls.append(len(game.state.rfqs))
        t0 = time.perf_counter()
        game.computer_decisions()
        t1 = time.perf_counter()
        game.resolve()
        t2 = time.perf_counter()
        whole.append(t2 - t0)
        decide.append(t1 - t0)
        resolve.append(t2 - t1)
    cpu = (time.process_time() - cpu0) / quarters
    med = statistics.median
    return {"whole": med(whole) * 1e3, "decide": med(decide) * 1e3, "resolve": med(resolve) * 1e3, "cpu": cpu * 1e3, "calls": med(calls)}


def kernel_quarter(firms: int, calls: int, seed: int = 1) -> float:
    """A numpy-only quarter of the same per-firm arithmetic; median ms of 5 runs.

    Wages, output, defects, cash and learning for every firm; the eligibility of
    every firm for every open call (capabilities against requirements, capacity);
    a bid price per eligible firm; scoring on price, quality and delivery; and the
    award of each call to its best bid. The lower bound a vectorised engine could
    reach on this machine (no explanations, no records, no rules beyond these).
    """
    rng = np.random.default_rng(seed)
    caps = rng.uniform(0.1, 0.7, (firms, 6))
    employees = rng.integers(10, 80, firms).astype(np.float64)
    capacity = employees * rng.uniform(750, 1250, firms)
    cash = employees * rng.uniform(2e4, 6e4, firms)
    committed = capacity * rng.uniform(0, 0.8, firms)
    unit_cost = rng.uniform(20, 60, firms)
    req = rng.uniform(0.2, 0.7, (calls, 6))
    volume = rng.uniform(5e3, 2e4, calls)
    target = rng.uniform(30, 90, calls)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        wages = employees * 37_000.0
        output = np.minimum(capacity, committed)
        defects = output * (1.0 - caps[:, 0]) * 1e-3
        revenue = output * unit_cost * 1.25 - defects * unit_cost
        cash_next = cash + revenue - wages - output * unit_cost
        caps_next = caps + 0.02 * (1.0 - caps)
        free = capacity - committed
        # (calls, firms) arrays, a capability at a time, in place: each call's row of firms is
        # contiguous for the award's argmax, and no (firms, calls, 6) array is built (a
        # broadcast reduced with .all(axis=2) costs about five times as much for the same answer).
        by_cap = np.ascontiguousarray(caps_next.T)
        eligible = (volume / 4)[:, None] <= free[None, :]
        for c in range(len(by_cap)):
            eligible &= req[:, c, None] <= by_cap[c][None, :]
        price = unit_cost * (1.0 + 0.2 * by_cap[4])
        score = np.multiply.outer(target, 0.5 / price)
        score += 0.3 * by_cap[0] + 0.2 * by_cap[1]
        np.copyto(score, -np.inf, where=~eligible)
        winner = score.argmax(axis=1)
        awarded = np.isfinite(score[np.arange(calls), winner])
        committed = committed + np.bincount(winner[awarded], weights=volume[awarded] / 4, minlength=firms)
        float(cash_next.sum())
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def run_bench(quick: bool = False, workers: int = 2, sizes: tuple[int, ...] = DEFAULT_SIZES) -> None:
    try:
        loaded = load_level(BENCH_LEVEL)
    except Exception:  # noqa: BLE001 - fall back to the tutorial if the scenario is missing
        loaded = load_level(DEFAULT_LEVEL)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; level for cluster sizes: {loaded.level.id} grown in proportion (lead firms, calls, institutions)")
    print("one quarter, median ms: whole = computer decisions + resolution; CPU ms beside; kernel = numpy-only bound of the same arithmetic")
    per_firm: list[tuple[int, float]] = []
    for firms in sizes:
        quarters = QUARTERS_AT.get(firms, 2)
        if quick:
            quarters = max(2, quarters // 3)
        f = _quarter_times(loaded, firms, quarters)
        kernel = kernel_quarter(firms, max(1, int(f["calls"])))
        print(
            f"  {firms:>6} firms, {f['calls']:>5.0f} open calls: whole {f['whole']:9.1f} ms (CPU {f['cpu']:9.1f})"
            f" | decisions {f['decide']:9.1f} | resolution {f['resolve']:8.1f}"
            f" | kernel {kernel:6.2f} ms, whole/kernel {f['whole'] / kernel:6.1f}x | per firm {1000 * f['whole'] / firms:6.1f} us"
        )
        line = target_line(firms, f["whole"], kernel)
        if line:
            print(line)
        per_firm.append((firms, 1000 * f["whole"] / firms))
    if len(per_firm) > 1:
        (small, first), (large, last) = per_firm[0], per_firm[-1]
        print(f"  cost per firm at {large} firms / at {small} firms: {last / first:.2f} (target: flat from 300 to 30,000 firms)")

    default = load_level(DEFAULT_LEVEL)
    runs = 3 if quick else 10
    times = []
    for seed in range(runs):
        t0 = time.perf_counter()
        play(default, seed + 1, ["cautious"])
        times.append(time.perf_counter() - t0)
    print(f"full headless game of {default.level.id} ({default.level.turns} quarters): median {statistics.median(times) * 1e3:.1f} ms")
    _start_up(runs)

    games = 40 if quick else 200
    cpu0 = _cpu()
    t0 = time.perf_counter()
    run_sweep(loaded, games, [PolicySet("default", None)], ["cautious"], workers=workers, progress=False)
    elapsed = time.perf_counter() - t0
    cpu = _cpu() - cpu0  # the pool's worker processes have ended, so their CPU time is counted
    print(f"sweep of {loaded.level.id}: {games} games with {workers} workers in {elapsed:.2f} s = {games / elapsed:.1f} games/s (CPU {cpu:.2f} s; target 80 games/s on 2 workers)")
    _dask_sweep(loaded, games, workers, elapsed, cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


def _start_up(runs: int) -> None:
    """``run --level tutorial --json`` as a user starts it, against a bare ``import numpy, yaml``:
    the game's own tutorial at a first start (no cache: it starts from its shipped entry,
    ``levels/validated/``, see game/core/level_cache.py); and a level of the user's (the same
    text outside ``levels/``) validated at an earlier start (in a cache folder of this bench's
    own) and with no cache (validated at each start)."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    main = root / "main.py"
    # As an installed game starts: its bytecode cached (a shell or CI that sets
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module of the game at each start).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def timed(cmds: list[tuple[list[str], dict[str, str]]]) -> list[tuple[float, float]]:
        """Median wall and CPU ms of each command, the commands taking turns (a load that
        comes and goes weighs on each alike)."""
        for cmd, extra in cmds:  # warm-up: bytecode written, files in the page cache, the level cached
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env={**env, **extra})
        walls: list[list[float]] = [[] for _ in cmds]
        cpus: list[list[float]] = [[] for _ in cmds]
        for _ in range(runs):
            for k, (cmd, extra) in enumerate(cmds):
                c0 = _cpu()
                t0 = time.perf_counter()
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env={**env, **extra})
                walls[k].append(time.perf_counter() - t0)
                cpus[k].append(_cpu() - c0)
        return [(statistics.median(w) * 1e3, statistics.median(c) * 1e3) for w, c in zip(walls, cpus, strict=True)]

    # The floor under any start that validates a level: the validation library imported and one model built.
    floor = "import numpy, yaml\nfrom pydantic import BaseModel, Field\nclass M(BaseModel):\n    a: int = Field(1, ge=0)\n"
    with tempfile.TemporaryDirectory(prefix="enclave-bench-cache-") as cache:
        mine = Path(cache) / "tutorial.yaml"  # a level of the user's: the tutorial's text, outside levels/
        mine.write_bytes((root / "levels" / "tutorial.yaml").read_bytes())
        run = [sys.executable, str(main), "run", "--level", "tutorial", "--json"]
        run_mine = [sys.executable, str(main), "run", "--level", str(mine), "--json"]
        (first_wall, first_cpu), (bare_wall, bare_cpu), (warm_wall, warm_cpu), (cold_wall, cold_cpu), (floor_wall, floor_cpu) = timed(
            [
                (run, {"ENCLAVE_CACHE_DIR": ""}),
                ([sys.executable, "-c", "import numpy, yaml"], {}),
                (run_mine, {"ENCLAVE_CACHE_DIR": cache}),
                (run_mine, {"ENCLAVE_CACHE_DIR": ""}),
                ([sys.executable, "-c", floor], {}),
            ]
        )
    print(
        f"run --level tutorial --json, a first start (no cache; the shipped level's entry): median {first_wall:.0f} ms (CPU {first_cpu:.0f});"
        f" bare import numpy, yaml: {bare_wall:.0f} ms (CPU {bare_cpu:.0f});"
        f" ratio {first_wall / bare_wall:.1f}x wall, {first_cpu / bare_cpu:.1f}x CPU (target under 2x)"
    )
    print(
        f"  a level of the user's (the same text outside levels/): validated at an earlier start {warm_wall:.0f} ms (CPU {warm_cpu:.0f}),"
        f" {warm_wall / bare_wall:.1f}x wall, {warm_cpu / bare_cpu:.1f}x CPU; with no cache (validated at each start)"
        f" {cold_wall:.0f} ms (CPU {cold_cpu:.0f}), {cold_wall / bare_wall:.1f}x wall, {cold_cpu / bare_cpu:.1f}x CPU;"
        f" the bare import with pydantic and one model: {floor_wall:.0f} ms (CPU {floor_cpu:.0f}),"
        f" {floor_wall / bare_wall:.1f}x wall, {floor_cpu / bare_cpu:.1f}x CPU"
    )


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
