"""Command line: `python main.py COMMAND ...` (the top layer: imports the command handlers
in :mod:`game.commands`, which may import everything else).

Every command reports bad input as one clear message on stderr naming the
file, the field and the reason, and exits 2, without a traceback.

May import: game.commands, game.core
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from game.commands.args import EXIT_BAD_INPUT, EXIT_FAIL, EXIT_OK, UsageError, int_at_least

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAIL", "EXIT_OK", "UsageError", "int_at_least", "main"]


MAX_MESSAGE = 4000
"""An error message is cut here: input is never echoed whole."""


def _shorten(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + f"... ({len(message) - MAX_MESSAGE:,} more characters)"


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so one handler prints every error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _cmd_validate(args: argparse.Namespace) -> int:
    from game.core.level_loader import LevelError, load_level, shipped_levels, write_shipped_entries

    if args.write_shipped:
        if args.paths:
            raise UsageError("validate --write-shipped: takes no PATH (it validates every shipped level)")
        try:
            written = write_shipped_entries()
        except LevelError as exc:
            for issue in exc.issues:
                print(_shorten(str(issue)), file=sys.stderr)
            print("no shipped entry written: a shipped level is invalid", file=sys.stderr)
            return EXIT_BAD_INPUT
        except (OSError, ValueError) as exc:
            raise UsageError(f"validate --write-shipped: cannot write the entries ({exc})") from None
        for entry in written:
            print(f"wrote {entry}")
        return EXIT_OK
    paths = args.paths or [str(p) for p in shipped_levels()]
    failed = 0
    for path in paths:
        try:
            loaded = load_level(path)
        except LevelError as exc:
            failed += 1
            for issue in exc.issues:
                print(_shorten(str(issue)), file=sys.stderr)
            continue
        print(f"ok  {loaded.path}  ({loaded.level.id}, hash {loaded.content_hash})")
    if failed:
        print(f"{failed} of {len(paths)} level(s) invalid", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from game.core.level_loader import level_json_schema

    text = json.dumps(level_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{args.out}: cannot write the schema there ({exc.strerror or exc})") from None
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="main.py", description="Enclave: una PyME en la cadena global.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("validate", help="check level files (all shipped levels if none given)")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument(
        "--write-shipped",
        action="store_true",
        help="developers: validate every shipped level anew and write levels/validated/, what the game's own levels start from without pydantic",
    )
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("schema", help="print or write the level JSON Schema")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(func=_cmd_schema)

    from game.commands import headless, host, window, workshop

    headless.register(sub)
    window.register(sub)
    workshop.register(sub)
    host.register(sub)
    return parser


def main(argv: Sequence[str] | None = None, loaded: Callable[[], None] | None = None) -> int:
    """Run a command line; ``loaded`` is called once the command modules are imported
    (``main.py`` settles the garbage collector there)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if loaded is not None:
        loaded()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            from game.commands.window import default_command

            return default_command()
        return int(args.func(args))
    except UsageError as exc:
        print(f"error: {_shorten(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        # A file or folder the command had to read or write (full disk, read-only folder...).
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"error: {_shorten(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as command-line tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
