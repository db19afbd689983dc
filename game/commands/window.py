"""Window commands: play, tour, bench-ui, and ``python main.py`` with no command."""

from __future__ import annotations

import argparse

from game.commands.args import EXIT_OK, UsageError
from game.commands.headless import DEFAULT_LEVEL, _load, _players


def _cmd_play(args: argparse.Namespace) -> int:
    """Open the window straight into a level (one line and exit 2 when there is no display)."""
    _load(args.level)
    from game.ui.window import open_window

    return open_window(start="play", level=args.level, lang=args.lang, players=args.players)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--size must look like 1280x720, got {text!r}") from None
    if not (640 <= w <= 7680 and 360 <= h <= 4320):
        raise argparse.ArgumentTypeError(f"--size {text}: width 640-7680 and height 360-4320")
    return (w, h)


def _cmd_tour(args: argparse.Namespace) -> int:
    """Render every screen to PNG files without a display."""
    _load(args.level)
    from game.ui.tour import run_tour

    try:
        shots = run_tour(args.out, lang=args.lang, size=args.size, level=args.level)
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot write the screens there ({exc.strerror or exc})") from None
    for path in shots:
        print(path)
    print(f"{len(shots)} screens written to {args.out}")
    return EXIT_OK


def _cmd_bench_ui(args: argparse.Namespace) -> int:
    from game.ui.bench import run_bench_ui

    run_bench_ui(quick=args.quick)
    return EXIT_OK


def default_command() -> int:
    """`python main.py` with no command: open the window on the title screen.

    Without a display it says so in one line and exits 2, pointing at `run`.
    """
    from game.ui.window import open_window

    return open_window()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="open the game window straight into a level")
    p.add_argument("--level", default=DEFAULT_LEVEL, metavar="ID")
    p.add_argument("--lang", choices=("es", "en"), default=None, help="default: the saved setting (Spanish at first)")
    p.add_argument("--players", type=_players, default=1, metavar="N", help="1 to 8 players or teams, hot-seat")
    p.set_defaults(func=_cmd_play)

    p = sub.add_parser("tour", help="render every screen of the window to PNG files, without a display")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--lang", choices=("es", "en"), default="es")
    p.add_argument("--size", type=_size, default=(1280, 720), metavar="WxH")
    p.add_argument("--level", default=DEFAULT_LEVEL, metavar="ID")
    p.set_defaults(func=_cmd_tour)

    p = sub.add_parser("bench-ui", help="print the window's frame times, start-up time, idle CPU and memory")
    p.add_argument("--quick", action="store_true", help="fewer frames (a smoke run)")
    p.set_defaults(func=_cmd_bench_ui)
