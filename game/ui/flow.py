"""How a game moves between screens: start, whose turn, report, end.

Kept apart from the screens so the title, the setup, the quarter screen
and the report all hand over the same way, and the workshop mode can
change the order in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.ui.session import Session

if TYPE_CHECKING:
    from game.ui.app import App


def start_game(app: App, level: str, players: int = 1, names: list[str] | None = None, seed: int | None = None) -> None:
    session = Session.new(level, players=players, names=names, seed=seed)
    begin(app, session)
    app.autosave()


def begin(app: App, session: Session) -> None:
    """Show a (new or loaded) session from its current point."""
    from game.ui.screens.title import TitleScreen

    app.session = session
    app.reset(TitleScreen(app))
    to_turn(app)


def to_turn(app: App) -> None:
    """The next screen for the session: end screen, a player's turn, or the quarter screen."""
    from game.ui.screens.end import EndScreen
    from game.ui.screens.quarter import QuarterScreen
    from game.ui.screens.turn_start import TurnStartScreen

    session = app.session
    if session.finished:
        _show(app, EndScreen(app))
    elif session.players > 1:
        _show(app, TurnStartScreen(app))
    else:
        _show(app, QuarterScreen(app))


def _show(app: App, screen) -> None:  # noqa: ANN001
    """Keep the title at the bottom of the stack and one game screen above it."""
    while len(app.stack) > 1:
        app.top.leave()
        app.stack.pop()
    app.push(screen)


def finish_turn(app: App) -> None:
    """The current player ends its decisions; the quarter resolves after the last one."""
    from game.ui.screens.report import ReportScreen

    session = app.session
    report = session.finish_turn()
    if report is None:
        to_turn(app)
        return
    app.sounds.play("quarter")
    app.autosave()
    _show(app, ReportScreen(app, report))
