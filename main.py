"""Enclave entry point: `python main.py [command] ...` (see README.md)."""

import gc
import os
import sys

from game.cli import main


def _loaded() -> None:
    """The command's modules are imported: their objects live as long as the program, so no
    collection looks at them again (gc.freeze); collections go on for what the command makes."""
    gc.freeze()
    gc.enable()


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
    # Loading a command's modules (the core, pydantic's level models) makes some 40,000 objects
    # that live to the end. No collection runs while they load; _loaded then freezes them, so
    # later collections skip them; and the interpreter's last collections at exit skip them
    # too (together about 45 ms of the 310 ms of CPU of run --json, issue 10). This is the
    # sequence the gc module's documentation gives for a program that forks (sweep workers).
    gc.disable()
    # Enclave uses no pydantic plugin; looking for them (at the first level model built, in a
    # start that validates a level) reads the metadata of every installed package: ~5 ms of CPU.
    # A user's own setting of this variable stands.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code = main(loaded=_loaded)
    gc.freeze()
    sys.exit(code)
