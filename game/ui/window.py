"""Opening the window: the app with the game's routing (``python main.py`` / ``play``),
and the same app without a display for the tour, the tests and the benchmark."""

from __future__ import annotations

import os
import sys

import pygame

from game.ui import nav
from game.ui import settings as ui_settings
from game.ui.app import App
from game.ui.routing import screen_for


def new_app(settings: ui_settings.Settings | None = None, *, headless: bool = False, size: tuple[int, int] | None = None) -> App:
    """A window whose screens follow the game's routing."""
    return App(screen_for, settings, headless=headless, size=size)


def display_problem() -> str | None:
    """Why no window can open here (None if one can)."""
    driver = os.environ.get("SDL_VIDEODRIVER", "")
    if driver in ("dummy", "offscreen"):
        return f"SDL_VIDEODRIVER={driver}"
    if sys.platform.startswith("linux") and not driver and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return "no DISPLAY or WAYLAND_DISPLAY"
    return None


NO_DISPLAY = "error: no display to open the game window ({why}); play headless instead, e.g.: python main.py run --level tutorial --seed 1 --log"


def _startup_problems(app: App, settings: ui_settings.Settings) -> None:
    """A damaged settings file or an unusable user folder: one dialog each; the game goes on with defaults."""
    from game.ui import paths

    title = app.tr("ui.error.startup_title")
    if settings.problem:
        app.navigate(nav.Push(nav.Message(title, app.tr("ui.error.settings_damaged", reason=settings.problem[:600]), tone="bad")))
    if paths.PROBLEM:
        app.navigate(nav.Push(nav.Message(title, app.tr("ui.error.user_folder", reason=paths.PROBLEM[:600]), tone="bad")))


def open_window(start: str = "title", level: str | None = None, lang: str | None = None, players: int = 1) -> int:
    """Open the window (``python main.py`` / ``python main.py play``); exit code."""
    why = display_problem()
    if why is not None:
        print(NO_DISPLAY.format(why=why), file=sys.stderr)
        return 2
    settings = ui_settings.load()
    if lang:
        settings.lang = lang
    try:
        app = new_app(settings)
    except pygame.error as exc:
        print(NO_DISPLAY.format(why=str(exc) or "pygame could not open a window"), file=sys.stderr)
        return 2
    try:
        app.navigate(nav.Reset((nav.Title(),)))
        _startup_problems(app, settings)
        if start == "play" and level:
            app.navigate(nav.in_game(nav.NewGame(level, players)))
        app.run()
    finally:
        app.close()
    return 0
