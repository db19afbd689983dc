"""Enclave entry point: `python main.py [command] ...` (see README.md)."""

import os
import sys

from game.cli import main

if __name__ == "__main__":
    # A frozen desktop build (game/build.py) starting sweep workers with "spawn"
    # (Windows, macOS) must run them, not this program's command line, in the child.
    # Outside a frozen build freeze_support does nothing: multiprocessing (6 ms) is not imported.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    # The windowed desktop build on Windows (game/build.py) has no console: print into nothing.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the program
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.exit(main())
