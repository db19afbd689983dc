"""Workshop commands: export a session, compare a what-if with the recorded session."""

from __future__ import annotations

import argparse
import json

from game.commands.args import EXIT_OK, UsageError, int_at_least

_quarter = int_at_least("quarter", 1)


def _cmd_export(args: argparse.Namespace) -> int:
    from game.core.replay import ReplayError
    from game.headless.export import export_session

    try:
        files = export_session(args.session, args.out, lang=args.lang, level_override=args.level, force=args.force)
    except ReplayError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot write the export ({exc.strerror or exc})") from None
    for f in files:
        print(f)
    return EXIT_OK


def _cmd_whatif(args: argparse.Namespace) -> int:
    from game.core.replay import ReplayError, WhatIf, WhatIfRefused, what_if

    if (args.policy is None) == (args.team is None):
        raise UsageError("whatif: give either --policy ID (with --on or --off) or --team FIRM_ID --strategy NAME")
    change = WhatIf(quarter=args.quarter, policy=args.policy, on=not args.off, firm=args.team, strategy=args.strategy)
    try:
        original, changed, first = what_if(args.session, change, level_override=args.level)
    except WhatIfRefused as exc:
        from game.text import refusal_text

        why = refusal_text(exc.refusal, "en", exc.loaded.level)
        raise UsageError(f"{args.session}: --quarter {args.quarter}: the change cannot be made then: {why}") from None
    except ReplayError as exc:
        raise UsageError(str(exc)) from None
    st_a, st_b = original.game.state, changed.game.state
    names = {st_a.firms.ids[p]: st_a.firms.names[p] for p in range(st_a.players)}
    rows = []
    for a, b in zip(st_a.history, st_b.history, strict=False):
        rows.append(
            {
                "quarter": a["quarter"],
                "same_state": original.hashes[a["quarter"] - 1] == changed.hashes[b["quarter"] - 1],
                "recorded": [{"team": names[p["firm"]], "firm": p["firm"], "cash": p["cash"], "best_tier": p["best_tier"], "contracts": p["contracts"]} for p in a["players"]],
                "what_if": [{"team": names[p["firm"]], "firm": p["firm"], "cash": p["cash"], "best_tier": p["best_tier"], "contracts": p["contracts"]} for p in b["players"]],
                "local_share": [round(a["cluster"]["local_share"], 4), round(b["cluster"]["local_share"], 4)],
            }
        )
    if args.json:
        print(json.dumps({"first_different_quarter": first, "skipped_actions": len(changed.skipped), "quarters": rows}, ensure_ascii=False))
        return EXIT_OK
    print(f"first quarter that differs: {first}; recorded decisions no longer possible and skipped: {len(changed.skipped)}")
    header = "Q   " + "  ".join(f"{p['team'][:24]:>24}" for p in rows[0]["recorded"]) if rows else ""
    print(header + "   local share")
    for r in rows:
        cells = []
        for a, b in zip(r["recorded"], r["what_if"], strict=True):
            cells.append(f"{a['cash'] / 1e6:6.2f}->{b['cash'] / 1e6:6.2f}M t{a['best_tier']}->t{b['best_tier']}")
        mark = " " if r["same_state"] else "*"
        print(f"{r['quarter']:<3}{mark}" + "  ".join(f"{c:>24}" for c in cells) + f"   {r['local_share'][0]:.1%} -> {r['local_share'][1]:.1%}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a recorded session: CSVs, charts, the replay and a one-page summary")
    p.add_argument("session", metavar="SESSION", help="a replay file")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--lang", choices=("es", "en"), default="es")
    p.add_argument("--level", metavar="PATH_OR_ID", help="use this level file instead of the recorded path")
    p.add_argument("--force", action="store_true", help="write into a folder that is not empty (never over the session file itself)")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("whatif", help="re-run a recorded session with one change and compare the two paths")
    p.add_argument("session", metavar="SESSION", help="a replay file")
    p.add_argument("--quarter", type=_quarter, required=True, help="the quarter in which the change is made (a policy switch acts from the next quarter)")
    p.add_argument("--policy", metavar="ID", help="switch this catalyst policy on (or off with --off)")
    p.add_argument("--off", action="store_true", help="switch the policy off instead of on")
    p.add_argument("--team", metavar="FIRM_ID", help="hand this team (p1, p2, ...) to a computer strategy")
    from game.core.strategies import STRATEGY_NAMES

    p.add_argument("--strategy", default="cautious", choices=STRATEGY_NAMES)
    p.add_argument("--level", metavar="PATH_OR_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_whatif)
