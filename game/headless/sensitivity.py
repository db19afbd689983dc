"""Global sensitivity analysis of a level's parameters (`python main.py sensitivity`).

Parameter sets are drawn with SALib's Sobol sequence (Saltelli's scheme,
N x (D + 2) sets for D parameters, first-order and total indices only). Each
set is the level with those values put in; every set is played with the same
seeds (common random numbers) through the sweep machinery, locally or on a
Dask cluster, and the outcome is the mean of a sweep CSV column over the
seeds. SALib then gives the first-order (S1) and total (ST) indices with
bootstrap confidence intervals.

Writes to the output folder: ``indices.csv`` (parameter, S1, S1_conf, ST,
ST_conf), ``samples.csv`` (every parameter set and its outcome) and
``indices.png`` (a bar chart of both indices with their intervals).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.core.level_loader import LoadedLevel
from game.headless.level_params import LevelParam, value_for
from game.headless.sweep import PolicySet, Variant, run_sweep


class SensitivityError(ValueError):
    """Bad input found before any game runs: the outcome column, the sample count."""


@dataclass(frozen=True)
class Index:
    param: str
    s1: float
    s1_conf: float
    st: float
    st_conf: float


def numeric_columns(loaded: LoadedLevel, strategies: list[str], seed: int) -> list[str]:
    """The sweep CSV's numeric columns for this level and players (from one real game)."""
    from game.headless import sweep

    sweep._init(loaded)
    row = sweep._one((0, "default", None, seed, strategies))
    return [k for k, v in row.items() if k not in ("order", "seed") and isinstance(v, int | float) and not isinstance(v, bool)]


def check_outcome(outcome: str, loaded: LoadedLevel, strategies: list[str], seed: int) -> None:
    import difflib

    columns = numeric_columns(loaded, strategies, seed)
    if outcome not in columns:
        close = difflib.get_close_matches(outcome, columns, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise SensitivityError(f"--outcome: {outcome!r} is not a numeric sweep column; {hint}numeric columns: {', '.join(columns)}")


def check_samples(samples: int) -> None:
    if samples < 2 or samples & (samples - 1):
        raise SensitivityError(f"--samples must be a power of 2 (the Sobol sequence is balanced then), e.g. 64 or 256; got {samples}")


def draw(params: list[LevelParam], samples: int, seed: int) -> tuple[dict[str, Any], Any]:
    """SALib's problem and its Sobol parameter sets (N x (D + 2) rows)."""
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(params), "names": [p.path for p in params], "bounds": [[p.low, p.high] for p in params]}
    x = sobol_sample.sample(problem, samples, calc_second_order=False, scramble=True, seed=seed)
    return problem, x


def run_sensitivity(
    loaded: LoadedLevel,
    params: list[LevelParam],
    outcome: str,
    samples: int,
    out_dir: str,
    seeds: int = 4,
    first_seed: int = 1,
    strategies: list[str] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
) -> list[Index]:
    import numpy as np
    from SALib.analyze import sobol

    strategies = strategies or ["cautious"]
    problem, x = draw(params, samples, first_seed)
    variants: list[Variant] = [tuple((p.path, value_for(p, v)) for p, v in zip(params, row, strict=True)) for row in x]
    rows = run_sweep(
        loaded, seeds, [PolicySet("default", None)], strategies, workers=workers, progress=progress,
        first_seed=first_seed, scheduler=scheduler, variants=variants,
    )
    y = np.array([float(np.mean([r[outcome] for r in rows[i * seeds : (i + 1) * seeds]])) for i in range(len(variants))])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _write_samples(out / "samples.csv", params, variants, y, outcome)
    if float(np.var(y)) == 0.0:
        indices = [Index(p.path, 0.0, 0.0, 0.0, 0.0) for p in params]
    else:
        res = sobol.analyze(problem, y, calc_second_order=False, num_resamples=200, conf_level=0.95, print_to_console=False, seed=first_seed)
        indices = [
            Index(p.path, float(res["S1"][i]), float(res["S1_conf"][i]), float(res["ST"][i]), float(res["ST_conf"][i]))
            for i, p in enumerate(params)
        ]
    _write_indices(out / "indices.csv", indices)
    _chart(out / "indices.png", indices, loaded, outcome, samples, seeds, len(variants))
    return indices


def _write_samples(path: Path, params: list[LevelParam], variants: list[Variant], y: Any, outcome: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["sample", *(p.path for p in params), f"mean_{outcome}"])
        for i, (variant, value) in enumerate(zip(variants, y, strict=True)):
            w.writerow([i, *(v for _, v in variant), repr(float(value))])


def _write_indices(path: Path, indices: list[Index]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["param", "S1", "S1_conf", "ST", "ST_conf"])
        for ix in indices:
            w.writerow([ix.param, *(repr(v) for v in (ix.s1, ix.s1_conf, ix.st, ix.st_conf))])


def _chart(path: Path, indices: list[Index], loaded: LoadedLevel, outcome: str, samples: int, seeds: int, sets: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(indices)
    fig, ax = plt.subplots(figsize=(8, 2.2 + 0.7 * n), dpi=100)
    ys = list(range(n))[::-1]
    h = 0.38
    # Okabe-Ito blue and vermillion, as in the game's palette
    ax.barh([y + h / 2 for y in ys], [i.s1 for i in indices], height=h, xerr=[i.s1_conf for i in indices],
            color="#0072B2", label="first order (S1)", capsize=3)
    ax.barh([y - h / 2 for y in ys], [i.st for i in indices], height=h, xerr=[i.st_conf for i in indices],
            color="#D55E00", label="total (ST)", capsize=3, hatch="//", edgecolor="white")
    for y, i in zip(ys, indices, strict=True):
        ax.annotate(f"{i.s1:.2f}", (max(i.s1, 0.0) + i.s1_conf, y + h / 2), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        ax.annotate(f"{i.st:.2f}", (max(i.st, 0.0) + i.st_conf, y - h / 2), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(ys, [i.param for i in indices])
    ax.axvline(0, color="black", linewidth=0.8)
    hi = max([1.0] + [i.st + i.st_conf for i in indices] + [i.s1 + i.s1_conf for i in indices])
    lo = min([0.0] + [i.s1 - i.s1_conf for i in indices])
    ax.set_xlim(min(-0.05, lo - 0.05), hi + 0.12)
    ax.set_xlabel("Sobol index (bars: 95% confidence interval)")
    ax.set_title(f"{loaded.level.id}: sensitivity of {outcome}\n{sets} parameter sets (N={samples}) x {seeds} seeds", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if n < 3 else -0.2), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def format_indices(indices: list[Index]) -> str:
    width = max(len("param"), *(len(i.param) for i in indices))
    lines = [f"{'param'.ljust(width)} | S1 (95% CI)        | ST (95% CI)"]
    lines.append("-" * width + "-+--------------------+-------------------")
    for i in indices:
        s1 = f"{i.s1:6.3f} ± {i.s1_conf:.3f}"
        st = f"{i.st:6.3f} ± {i.st_conf:.3f}"
        lines.append(f"{i.param.ljust(width)} | {s1:<18} | {st}")
    return "\n".join(lines)

