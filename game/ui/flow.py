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


def start_workshop(app: App, level, names: list[str], workshop, seed: int | None = None) -> None:  # noqa: ANN001
    """A facilitated workshop: teams pass the laptop, the facilitator has a console."""
    session = Session.new(level, players=len(names), names=names, seed=seed)
    session.workshop = workshop
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
    if session.workshop is not None:
        _show(app, workshop_screen(app))
    elif session.finished:
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
    if session.workshop is not None:
        # Each team reads its own report privately, when it next takes the laptop.
        app.notify(app.tr("ui.workshop.resolved", quarter=report.quarter), "good")
        to_turn(app)
        return
    _show(app, ReportScreen(app, report))


# ----------------------------------------------------------------------------
# Workshop: pass the laptop, private reports, late teams, the debrief


def workshop_screen(app: App):  # noqa: ANN201 - a Screen
    """Who takes the laptop next: a team to read its last report (bankrupt teams, or
    everyone at the end), the team whose turn it is, or the debrief once all is read."""
    from game.ui.screens.debrief import DebriefScreen
    from game.ui.screens.pass_laptop import PassLaptopScreen

    session = app.session
    ws = session.workshop
    rep = session.last_report()
    if rep is not None:
        unseen = [p for p in range(session.players) if (rep.quarter, p) not in ws.reports_seen]
        if session.finished:
            return PassLaptopScreen(app, unseen[0], report=True) if unseen else DebriefScreen(app)
        gone = [p for p in unseen if not session.alive(p)]
        if gone:
            return PassLaptopScreen(app, gone[0], report=True)
    return PassLaptopScreen(app, session.current)


def team_takes_laptop(app: App, team: int, report_only: bool = False) -> None:
    """The team at the laptop: its unread report first (privately), then its quarter."""
    from game.ui.screens.quarter import QuarterScreen
    from game.ui.screens.report import ReportScreen

    session = app.session
    ws = session.workshop
    rep = session.last_report()
    if rep is not None and (rep.quarter, team) not in ws.reports_seen:
        ws.reports_seen.add((rep.quarter, team))
        if report_only or session.finished:
            app.replace(ReportScreen(app, rep, player=team, on_next=lambda: to_turn(app), next_key="ui.workshop.report_pass"))
        else:
            app.replace(ReportScreen(app, rep, player=team, on_next=lambda: app.replace(QuarterScreen(app)), next_key="ui.workshop.report_to_quarter"))
        return
    if report_only or session.finished:
        to_turn(app)
        return
    app.replace(QuarterScreen(app))


def late_teams(session: Session) -> list[int]:
    """Teams still deciding this quarter."""
    if session.finished:
        return []
    return [p for p in range(session.players) if not session.done[p] and session.alive(p)]


def time_out_late_teams(app: App, strategy: str) -> list[int]:
    """The facilitator hands every late team's quarter to a computer strategy; the quarter
    then resolves. Returns the teams handed over."""
    from game.ui import input as ui_input

    session = app.session
    late = late_teams(session)
    done = []
    for p in late:
        if ui_input.facilitate(session, "timed_out", firm=session.firm_id(p), strategy=strategy).ok:
            done.append(p)
    if not done:
        return []
    report = session.finish_players(done)
    if report is not None:
        app.sounds.play("quarter")
        app.autosave()
        app.notify(app.tr("ui.workshop.resolved", quarter=report.quarter), "good")
    return done
