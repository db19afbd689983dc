"""Enclave entry point: `python main.py [command] ...` (see README.md)."""

import gc
import os
import sys
import types

from game.cli import main

PLUGINS_OFF = ("__all__", "1", "true")
"""The values of ``PYDANTIC_DISABLE_PLUGINS`` with which pydantic looks for no plugin at all."""


def _no_pydantic_plugins() -> None:
    """Enclave uses no pydantic plugin. pydantic looks for them when it builds its first model
    (a start that validates a level): it reads the metadata of every installed package (~5 ms
    of CPU), unless ``PYDANTIC_DISABLE_PLUGINS`` says not to, and even then its plugin loader
    imports ``importlib.metadata`` (email, zipfile, csv...: ~25 ms of CPU, docs/upstream.md).
    Unless the user's own setting of that variable asks for plugins, it is set, and the loader
    is a stand-in whose ``get_plugins`` answers what pydantic's answers then: no plugin
    (``tests/test_startup.py`` checks that pydantic asks its loader for nothing else)."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] not in PLUGINS_OFF or "pydantic.plugin._loader" in sys.modules:
        return
    loader = types.ModuleType("pydantic.plugin._loader", "Enclave's stand-in: no plugins (see main.py).")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]  # as pydantic's own with plugins off
    sys.modules["pydantic.plugin._loader"] = loader


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
    _no_pydantic_plugins()
    code = main(loaded=_loaded)
    gc.freeze()
    sys.exit(code)
