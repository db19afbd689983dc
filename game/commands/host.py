"""The workshop host's commands: ``host`` and ``bench-host`` (thin: the host lives in
:mod:`game.host`)."""

from __future__ import annotations

import argparse
import datetime as _dt
from pathlib import Path

from game.commands.args import EXIT_OK, UsageError, int_at_least


def _cmd_host(args: argparse.Namespace) -> int:
    from game.core.level_loader import LevelError
    from game.host.room import Room, SessionFileError, new_pin

    if args.resume:
        try:
            room = Room.resume(args.resume)
        except SessionFileError as exc:
            raise UsageError(str(exc)) from None
    else:
        if not args.level:
            raise UsageError("host: give --level ID (or --resume FILE)")
        session = args.session or f"enclave-{args.level}-{_dt.datetime.now():%Y%m%d-%H%M%S}.session.json"
        if Path(session).exists():
            raise UsageError(f"{session}: already exists; resume it with --resume {session} or pick another --session")
        pin = args.pin if args.pin is not None else new_pin()
        try:
            room = Room.new(args.level, session, teams=args.teams, seed=args.seed, pin=pin, lang=args.lang, timer_minutes=args.timer)
        except LevelError as exc:
            raise UsageError(str(exc.issues[0])) from None
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(f"{session}: cannot write the session file ({exc.strerror})") from None
    from game.host.launch import HostLaunchError, serve

    try:
        serve(room, args.bind, args.port, open_browser=not args.no_browser, new_pin=pin if not args.resume and args.pin is None else None)
    except HostLaunchError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


def _cmd_bench_host(args: argparse.Namespace) -> int:
    from game.host.bench import run_bench

    run_bench(teams=args.teams, clients=args.clients, actions=args.actions, level=args.level)
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("host", help="host a workshop over the room's network: teams play from their own browsers")
    p.add_argument("--level", metavar="ID", help="the level to play (a shipped id or a file)")
    p.add_argument("--teams", type=int_at_least("--teams", 1), default=4, help="seats in the room (1-8, default 4)")
    p.add_argument("--port", type=int_at_least("--port", 1), default=8765)
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDR", help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: the room's network)")
    p.add_argument("--lang", choices=("es", "en"), default="es")
    p.add_argument("--resume", metavar="FILE", help="continue a session file; every team rejoins with its token")
    p.add_argument("--pin", metavar="PIN", help="the facilitator's PIN, 4 to 6 digits (printed once if not given)")
    p.add_argument("--seed", type=int_at_least("--seed", 0))
    p.add_argument("--timer", type=int_at_least("--timer", 0), default=0, metavar="MIN", help="minutes per quarter (0: no timer)")
    p.add_argument("--session", metavar="FILE", help="where to write the session file")
    p.add_argument("--no-browser", action="store_true", help="do not open the facilitator's page")
    p.set_defaults(func=_cmd_host)

    p = sub.add_parser("bench-host", help="measure the host: teams x websocket clients on loopback")
    p.add_argument("--teams", type=int_at_least("--teams", 1), default=8)
    p.add_argument("--clients", type=int_at_least("--clients", 1), default=5, help="websocket clients per team")
    p.add_argument("--actions", type=int_at_least("--actions", 1), default=200, help="actions timed in all")
    p.add_argument("--level", default="tutorial")
    p.set_defaults(func=_cmd_bench_host)
