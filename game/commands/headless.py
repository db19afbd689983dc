"""Headless commands: run, replay, sweep, bench."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from game.commands.args import EXIT_FAIL, EXIT_OK, UsageError, int_at_least

DEFAULT_LEVEL = "tutorial"


def _positive(name: str):  # noqa: ANN202
    return int_at_least(name, 1)


_seed = int_at_least("seed", 0, 2**63 - 1)
MAX_SEEDS = 100_000
"""Largest --seeds of one sweep (rows are streamed, so memory does not grow with it)."""
MAX_WORKERS = 32
"""Largest --workers: more processes than this only contend for the same cores."""
_seeds = int_at_least("--seeds", 1, MAX_SEEDS)
_workers = int_at_least("--workers", 1, MAX_WORKERS)


def _writable(path: str, what: str) -> None:
    """One message, before any game is played, if ``path`` cannot be written."""
    from game.core.safeio import InputError, check_writable_file

    try:
        check_writable_file(path, what)
    except InputError as exc:
        raise UsageError(str(exc)) from None


def _players(text: str) -> int:
    value = int_at_least("--players", 1)(text)
    if value > 8:
        raise argparse.ArgumentTypeError(f"--players must be 1 to 8, got {value}")
    return value


def _load(level: str):  # noqa: ANN202
    from game.core.level_loader import LevelError, load_level

    try:
        return load_level(level)
    except LevelError as exc:
        raise UsageError("\n".join(str(i) for i in exc.issues)) from None


def _strategies(spec: str) -> list[str]:
    from game.headless.runner import SpecError, parse_players

    try:
        return parse_players(spec)
    except SpecError as exc:
        raise UsageError(str(exc)) from None


def _print_text_summary(summary: dict[str, Any], lang: str, level: Any) -> None:
    """The end of a headless game, in the chosen language (ids and the hash stay as they are)."""
    from game.text import format_money, t_safe

    cl = summary["cluster"]
    print(f"{summary['level']}  seed {summary['seed']}  {t_safe('report.quarter', lang)} {summary['quarters_played']}  hash {summary['state_hash']}")
    print(
        "  "
        + t_safe("report.stage", lang, stage=cl['stage'], life_cycle="-").split(" (")[0]
        + "; "
        + t_safe("report.local_share", lang, local_share=f"{cl['local_share']:.1%}")
        + "; "
        + t_safe("report.local_suppliers", lang, local_suppliers=cl["local_suppliers"])
    )
    for p in summary["players"]:
        met = t_safe("summary.objective_met" if p["objective_met"] else "summary.objective_missed", lang).rstrip(".")
        parts = [
            met,
            t_safe("summary.best_tier", lang, tier=t_safe(f"tier.{p['best_tier']}", lang)),
            t_safe("summary.cash", lang, cash=format_money(p["cash"], lang)),
            t_safe("summary.debt", lang, debt=format_money(p["debt"], lang)),
            t_safe("summary.employees", lang, employees=p["employees"]),
            t_safe("summary.score", lang, total=p["scorecard"]["total"]),
        ]
        if not p["alive"]:
            parts.append(t_safe("summary.bankrupt", lang, name=p["name"], quarter=p["bankrupt_quarter"]).rstrip("."))
        print(f"  {p['firm']} {p['name']} [{p['strategy']}]: " + "; ".join(parts))


def _cmd_run(args: argparse.Namespace) -> int:
    from game.headless.runner import play

    loaded = _load(args.level)
    strategies = _strategies(args.players)
    if args.turns is not None and args.turns > loaded.level.turns:
        raise UsageError(f"--turns: {args.turns} is more than the level's {loaded.level.turns} quarters")
    policies = _policy_switches(args.policy_on, args.policy_off, loaded)
    if args.record:
        _writable(args.record, "the replay")
    result = play(loaded, args.seed, strategies, turns=args.turns, record=bool(args.record), policies=policies)
    if args.record and result.recorder is not None:
        try:
            result.recorder.save(args.record)
        except OSError as exc:
            raise UsageError(f"{args.record}: cannot write the replay ({exc.strerror or exc})") from None
    summary = result.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, sort_keys=True))
    else:
        if args.log:
            from game.text import explain

            for rep in result.reports:
                print(f"--- Q{rep.quarter} ---")
                for e in rep.for_firm(0):
                    print("  " + explain(e, args.lang, loaded.level))
        _print_text_summary(summary, args.lang, loaded.level)
        if args.record:
            print(f"replay written to {args.record}")
    return EXIT_OK


def _policy_switches(on: list[str], off: list[str], loaded: Any) -> dict[str, bool] | None:
    if not on and not off:
        return None
    known = [p.id for p in loaded.level.policies]
    out: dict[str, bool] = {}
    for pid, value in [(p, True) for p in on] + [(p, False) for p in off]:
        if pid not in known:
            import difflib  # only to word the message: a run without --policy does not import it

            close = difflib.get_close_matches(pid, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; the level's policies: {', '.join(known) or 'none'}"
            raise UsageError(f"--policy: unknown policy {pid!r} in {loaded.path}{hint}")
        out[pid] = value
    return out


def _cmd_replay(args: argparse.Namespace) -> int:
    from game.core.replay import ReplayError, run_replay

    try:
        result = run_replay(args.file, level_override=args.level)
    except ReplayError as exc:
        raise UsageError(str(exc)) from None
    if result.ok:
        print(f"ok: {result.quarters} quarters replayed, every hash matches (final {result.final_hash})")
        return EXIT_OK
    print(
        f"diverged at quarter {result.diverged_quarter}: {result.reason} (expected {result.expected}, got {result.got})",
        file=sys.stderr,
    )
    return EXIT_FAIL


def _cmd_sweep(args: argparse.Namespace) -> int:
    from game.headless.sweep import (
        Aggregator,
        CsvStream,
        format_table,
        iter_sweep,
        parse_policy_sets,
    )

    loaded = _load(args.level)
    strategies = _strategies(args.players)
    try:
        sets = parse_policy_sets(args.policies or ["default"], loaded)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.first_seed + args.seeds > 2**63:
        raise UsageError(f"--first-seed {args.first_seed} + --seeds {args.seeds} passes the largest seed, 2**63-1")
    _writable(args.out, "the sweep CSV")
    from game.headless.cluster import ClusterError

    agg = Aggregator()
    try:
        with CsvStream(args.out) as out:
            for row in iter_sweep(loaded, args.seeds, sets, strategies, workers=args.workers, progress=not args.quiet,
                                  first_seed=args.first_seed, scheduler=args.scheduler):
                out.write(row)
                agg.add(row)
    except ClusterError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot write the sweep CSV ({exc.strerror or exc}); nothing was replaced") from None
    print(format_table(agg.table()))
    print(f"{agg.games} games written to {args.out}")
    return EXIT_OK


def _cmd_facts(args: argparse.Namespace) -> int:
    from game.headless import facts

    if args.level is not None:
        _load(args.level)
        if args.level not in facts.SCENARIOS and args.level != facts.TUTORIAL:
            raise UsageError(f"--level: facts are defined on the shipped scenarios ({', '.join(facts.SCENARIOS)}), not {args.level!r}")
    seeds = args.seeds or (facts.QUICK_SEEDS if args.quick else facts.DEFAULT_SEEDS)
    chosen, levels = facts.select(args.level)
    if args.only:
        known = {f.id for f in facts.FACTS}
        wanted = [w.strip().upper() for w in args.only.split(",") if w.strip()]
        unknown = [w for w in wanted if w not in known]
        if unknown or not wanted:
            raise UsageError(f"--only: unknown fact id {', '.join(unknown) or repr(args.only)} (facts are {', '.join(f.id for f in facts.FACTS)})")
        chosen = [f for f in chosen if f.id in wanted]
        if not chosen:
            raise UsageError(f"--only: none of {', '.join(wanted)} is defined on --level {args.level}")
    results = facts.run_facts(chosen, levels, seeds, workers=min(args.workers, 2), quick=args.quick, progress=not args.json)
    if args.json:
        print(json.dumps(facts.to_json(results, seeds, args.quick), ensure_ascii=False, sort_keys=True))
    else:
        print(facts.format_table(chosen, results, args.lang))
    if args.out:
        import datetime
        from pathlib import Path

        parts = ["python main.py facts", f"--seeds {seeds}", f"--workers {args.workers}"]
        parts += [f"--level {args.level}"] if args.level else []
        parts += [f"--only {args.only}"] if args.only else []
        parts += ["--quick"] if args.quick else []
        parts += [f"--out {args.out}"]
        command = " ".join(parts)
        path = Path(args.out) / "validation.md"
        facts.write_markdown(str(path), chosen, results, command, seeds, args.quick, datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC'))
        if not args.json:
            print(f"written to {path}")
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAIL


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from pathlib import Path

    loaded = _load(args.level)
    strategies = _strategies(args.players)
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise UsageError("sensitivity needs SALib: install the research extra (pip install -e \".[research]\")") from None
    from game.headless.cluster import ClusterError
    from game.headless.level_params import ParamError, parse_params
    from game.headless.sensitivity import (
        SensitivityError,
        check_outcome,
        check_samples,
        format_indices,
        run_sensitivity,
    )

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out}: is a file; give a folder for indices.csv, samples.csv and indices.png")
    try:
        params = parse_params(args.param, loaded)
        check_samples(args.samples)
        check_outcome(args.outcome, loaded, strategies, args.first_seed)
        indices = run_sensitivity(
            loaded, params, args.outcome, args.samples, args.out, seeds=args.seeds, first_seed=args.first_seed,
            strategies=strategies, workers=args.workers, scheduler=args.scheduler, progress=not args.quiet,
        )
    except (ParamError, SensitivityError, ClusterError) as exc:
        raise UsageError(str(exc)) from None
    print(format_indices(indices))
    sets = args.samples * (len(params) + 2)
    print(f"{sets} parameter sets x {args.seeds} seeds = {sets * args.seeds} games; wrote indices.csv, samples.csv and indices.png to {args.out}")
    return EXIT_OK


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected firm counts joined by commas, e.g. 300,3000; got {text[:40]!r}") from None
    if not sizes or any(not 30 <= n <= 100_000 for n in sizes):
        raise argparse.ArgumentTypeError("each size must be 30 to 100,000 firms")
    return sizes


def _cmd_bench(args: argparse.Namespace) -> int:
    from game.headless.bench import run_bench

    run_bench(quick=args.quick, workers=args.workers, sizes=args.sizes)
    return EXIT_OK


def _headless_start(loaded: Any, lang: str) -> int:
    from game.headless.runner import play
    from game.text import explain, t_safe

    print(t_safe("start.headless", lang))
    result = play(loaded, None, ["cautious"])
    for rep in result.reports:
        print(f"--- {t_safe('report.quarter', lang)} {rep.quarter} ---")
        for e in rep.for_firm(0):
            print("  " + explain(e, lang, loaded.level))
    summary = result.summary()
    _print_text_summary(summary, lang, loaded.level)
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    from game.headless.runner import PLAYABLE

    p = sub.add_parser("run", help="play a level headless with computer players")
    p.add_argument("--level", required=True, metavar="PATH_OR_ID")
    p.add_argument("--seed", type=_seed, default=None, help="default: the level's seed")
    p.add_argument("--turns", type=_positive("--turns"), default=None, help="stop after this many quarters")
    p.add_argument("--players", default="cautious", metavar="SPEC", help="a strategy per player, comma-separated: " + ", ".join(PLAYABLE) + " (coach: does what the tutorial's coach advises)")
    p.add_argument("--record", metavar="FILE", help="write a replay file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--log", action="store_true", help="print player 1's quarterly explanations")
    p.add_argument("--lang", choices=("es", "en"), default="es")
    p.add_argument("--policy-on", action="append", default=[], metavar="ID", help="switch a catalyst policy on from the start")
    p.add_argument("--policy-off", action="append", default=[], metavar="ID", help="switch a catalyst policy off from the start")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("replay", help="re-simulate a replay file and compare every quarter's hash")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--level", metavar="PATH_OR_ID", help="use this level file instead of the recorded path")
    p.set_defaults(func=_cmd_replay)

    p = sub.add_parser("sweep", help="batch runs over seeds and policy sets, one CSV row per game")
    p.add_argument("--level", required=True, metavar="PATH_OR_ID")
    p.add_argument("--seeds", type=_seeds, required=True, metavar="N", help=f"1 to {MAX_SEEDS:,}")
    p.add_argument("--first-seed", type=_seed, default=1)
    p.add_argument("--policies", nargs="+", metavar="SET", help="each SET: default, none, or policy ids joined with + (exactly those on)")
    p.add_argument("--players", default="cautious", metavar="SPEC")
    p.add_argument("--workers", type=_workers, default=1, help=f"1 to {MAX_WORKERS}")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run the games on a Dask cluster (e.g. tcp://10.0.0.5:8786) instead of local workers")
    p.add_argument("--out", required=True, metavar="FILE.csv")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_sweep)

    p = sub.add_parser("facts", help="run issue 7's facts (F1-F20) as experiments over seeds: the model's evidence")
    p.add_argument("--level", default=None, metavar="ID", help="only the facts defined on this scenario")
    p.add_argument("--seeds", type=_seeds, default=None, metavar="N", help="default: 200, or 8 with --quick (F11 and F19 play more: Fact.quick_seeds)")
    p.add_argument("--workers", type=_positive("--workers"), default=1, help="processes (at most 2)")
    p.add_argument("--quick", action="store_true", help="few seeds; check each fact's direction only (CI)")
    p.add_argument("--only", default=None, metavar="F1,F8", help="run only these facts (comma-separated ids); their games only")
    p.add_argument("--json", action="store_true", help="print one JSON object with a facts list")
    p.add_argument("--out", metavar="DIR", help="also write DIR/validation.md")
    p.add_argument("--lang", choices=("es", "en"), default="es")
    p.set_defaults(func=_cmd_facts)

    p = sub.add_parser("sensitivity", help="Sobol sensitivity indices of a sweep column to level parameters (SALib)")
    p.add_argument("--level", required=True, metavar="PATH_OR_ID")
    p.add_argument("--param", action="append", required=True, metavar="PATH=LOW:HIGH", help="a numeric level value by key path and its range; repeat for each parameter")
    p.add_argument("--outcome", required=True, metavar="COLUMN", help="a numeric sweep CSV column, e.g. tier2_share or p1_score")
    p.add_argument("--samples", type=_positive("--samples"), required=True, metavar="N", help="Sobol base samples, a power of 2: N x (params + 2) parameter sets")
    p.add_argument("--seeds", type=_seeds, default=4, metavar="K", help="games per parameter set (the same seeds for every set)")
    p.add_argument("--first-seed", type=_seed, default=1, help="first game seed; also seeds the Sobol scrambling")
    p.add_argument("--players", default="cautious", metavar="SPEC")
    p.add_argument("--workers", type=_workers, default=1)
    p.add_argument("--scheduler", metavar="ADDRESS", help="run the games on a Dask cluster instead of local workers")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_sensitivity)

    p = sub.add_parser("bench", help="print speed and memory figures")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    p.add_argument("--workers", type=_workers, default=2)
    p.add_argument("--sizes", type=_sizes, default=(300, 3000), metavar="N,N,...", help="cluster sizes in firms, 30 to 100,000 each (default 300,3000; 30000 adds about half a minute and 600 MB)")
    p.set_defaults(func=_cmd_bench)
