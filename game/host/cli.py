"""`python main.py host ...` and `python main.py bench-host`: the commands, kept thin."""

from __future__ import annotations

import argparse
import datetime as _dt
import ipaddress
import socket
import subprocess
import sys
from pathlib import Path

from game.cli import EXIT_OK, UsageError, int_at_least

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (what devices in the room can reach)."""
    found: list[str] = []
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=2).stdout.split()
        found += out
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        found += [ai[4][0] for ai in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    keep = []
    for a in found:
        try:
            ip = ipaddress.ip_address(a)
        except ValueError:
            continue
        if ip.version == 4 and not ip.is_loopback and not ip.is_link_local and a not in keep:
            keep.append(a)
    return keep


def join_urls(bind: str, port: int, room: str) -> list[str]:
    if bind in ("0.0.0.0", ""):
        hosts = lan_addresses() or [LOOPBACK]
    else:
        hosts = [bind]
    return [f"http://{h}:{port}/?room={room}" for h in hosts]


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
    serve(room, args.bind, args.port, open_browser=not args.no_browser, new_pin=pin if not args.resume and args.pin is None else None)
    return EXIT_OK


def announce(room, bind: str, port: int, urls: list[str], out=sys.stdout) -> None:  # noqa: ANN001
    import segno

    print(f"Enclave host · {room.loaded.level.id} · session file: {room.path}", file=out)
    if bind == LOOPBACK or bind.startswith("127."):
        print(f"Bound to {bind} only: devices in the room cannot join. To open it to the room's network: --bind 0.0.0.0", file=out)
        print(f"Solo en {bind}: los dispositivos de la sala no pueden unirse. Para abrirlo a la red de la sala: --bind 0.0.0.0", file=out)
    else:
        print(f"Listening on the local network ({bind}:{port}): anyone on this network with the room code can join.", file=out)
        print(f"Escuchando en la red local ({bind}:{port}): cualquiera en esta red con el código de sala puede unirse.", file=out)
    print(f"Room code / código de sala: {room.room_code}", file=out)
    for u in urls:
        print(f"Join / unirse: {u}", file=out)
    base = urls[0].split("/?")[0]
    print(f"Facilitator / facilitación: {base}/facilitator", file=out)
    print(f"Projector / proyector: {base}/projector", file=out)
    segno.make(urls[0], error="m").terminal(out=out, compact=True)


def serve(room, bind: str, port: int, open_browser: bool = False, new_pin: str | None = None) -> None:  # noqa: ANN001
    import uvicorn

    from game.host.server import create_app

    urls = join_urls(bind, port, room.room_code)
    app = create_app(room, urls)
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((bind, port))
    except OSError as exc:
        raise UsageError(f"--port {port} / --bind {bind}: cannot listen there ({exc.strerror})") from None
    announce(room, bind, port, urls)
    if new_pin is not None:
        print(f"Facilitator PIN / PIN de facilitación: {new_pin} (keep it; --resume keeps the same PIN)")
    if open_browser:
        import webbrowser

        try:
            webbrowser.open(urls[0].split("/?")[0] + "/facilitator")
        except Exception:  # no browser here: the address is printed above
            pass
    config = uvicorn.Config(app, log_level="warning", ws_max_size=16 * 1024, lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def _cmd_bench_host(args: argparse.Namespace) -> int:
    from game.host.bench import run_bench

    run_bench(teams=args.teams, clients=args.clients, actions=args.actions, level=args.level)
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("host", help="host a workshop over the room's network: teams play from their own browsers")
    p.add_argument("--level", metavar="ID", help="the level to play (a shipped id or a file)")
    p.add_argument("--teams", type=int_at_least("--teams", 1), default=4, help="seats in the room (1-8, default 4)")
    p.add_argument("--port", type=int_at_least("--port", 1), default=DEFAULT_PORT)
    p.add_argument("--bind", default=LOOPBACK, metavar="ADDR", help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: the room's network)")
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
