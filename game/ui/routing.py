"""The order of screens in a game and a workshop: the one module that imports screens.

A screen returns a navigation value naming a place (:mod:`game.ui.nav`);
:func:`screen_for` turns a place into its screen. Places that are steps of a
game rather than one screen are decided here, in one place:

- a new game, a new workshop or a loaded session start from ``NextTurn``;
- ``NextTurn``: the end screen once the game is over, "your turn" between
  hot-seat players, the quarter screen for one player; in a workshop, the
  laptop passes: a bankrupt team (or everyone, at the end) reads its last
  report first, then the team whose turn it is, then the debrief;
- ``TurnFinished``: the player's decisions are in; after the last player the
  quarter resolves and its report is shown (in a workshop, each team reads
  its own report privately when it next takes the laptop);
- ``TeamAtLaptop``: the team's unread report first, then its quarter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.ui import nav
from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.dialog import MessageScreen
from game.ui.screens.end import EndScreen
from game.ui.screens.facilitator import FacilitatorScreen, PinScreen
from game.ui.screens.glossary import GlossaryScreen
from game.ui.screens.level_select import LevelSelectScreen
from game.ui.screens.load import LoadScreen
from game.ui.screens.pass_laptop import PassLaptopScreen, PausedScreen
from game.ui.screens.quarter import QuarterScreen
from game.ui.screens.report import ReportScreen
from game.ui.screens.settings_screen import SettingsScreen
from game.ui.screens.setup import SetupScreen
from game.ui.screens.title import TitleScreen
from game.ui.screens.turn_start import TurnStartScreen
from game.ui.screens.workshop_setup import WorkshopSetupScreen
from game.ui.session import MAX_PLAYERS, Session, default_names

if TYPE_CHECKING:
    from game.ui.app import App
    from game.ui.screens.base import Screen


def screen_for(app: App, place: nav.Place) -> Screen:
    """The screen that shows ``place`` (running the game's step first, for steps)."""
    match place:
        case nav.Title():
            return TitleScreen(app)
        case nav.LevelSelect():
            return LevelSelectScreen(app)
        case nav.Setup(level):
            return SetupScreen(app, level)
        case nav.WorkshopSetup(level):
            return WorkshopSetupScreen(app, level)
        case nav.Load():
            return LoadScreen(app)
        case nav.Settings():
            return SettingsScreen(app)
        case nav.Glossary(term):
            return GlossaryScreen(app, term)
        case nav.Message(title, text, choices, tone):
            return MessageScreen(app, title, text, choices, tone)
        case nav.TurnStart():
            return TurnStartScreen(app)
        case nav.Quarter():
            return QuarterScreen(app)
        case nav.Report(report, player, then, next_key):
            return ReportScreen(app, report, player=player, then=then, next_key=next_key)
        case nav.End():
            return EndScreen(app)
        case nav.Debrief():
            return DebriefScreen(app)
        case nav.Pin():
            return PinScreen(app)
        case nav.Console(section, status, note):
            console = FacilitatorScreen(app, section)
            console.status, console.note = status, note
            return console
        case nav.Paused():
            return PausedScreen(app)
        case nav.PassLaptop(team, report_only):
            return PassLaptopScreen(app, team, report=report_only)
        case nav.NewGame(level, players, names, seed):
            return _new_game(app, level, players, names, seed)
        case nav.NewWorkshop(level, names, workshop, seed):
            session = Session.new(level, players=len(names), names=list(names), seed=seed)
            session.workshop = workshop
            return _begin(app, session)
        case nav.Resume(session):
            app.session = session
            if session.workshop is not None and session.workshop.paused and not session.finished:
                # Closed while paused: it opens paused; the console's resume leads on to the next turn.
                return PausedScreen(app)
            return screen_for(app, nav.NextTurn())
        case nav.NextTurn():
            return screen_for(app, next_turn(_session(app)))
        case nav.TurnFinished():
            return screen_for(app, turn_finished(app))
        case nav.TeamAtLaptop(team, report_only):
            return screen_for(app, team_at_laptop(_session(app), team, report_only))
    raise TypeError(f"not a place: {place!r}")


def _session(app: App) -> Session:
    if app.session is None:
        raise RuntimeError("no game in the window")
    return app.session


def _new_game(app: App, level: object, players: int, names: tuple[str, ...] | None, seed: int | None) -> Screen:
    from game.core.level_loader import LoadedLevel, load_level

    loaded = level if isinstance(level, LoadedLevel) else load_level(str(level))
    players = max(1, min(MAX_PLAYERS, players))
    chosen = list(names) if names else default_names(app.tr, loaded, players)
    return _begin(app, Session.new(loaded, players=players, names=chosen, seed=seed))


def _begin(app: App, session: Session) -> Screen:
    """Show a new session from its first turn, then save it (the first screen may start
    the workshop's quarter, which the save keeps)."""
    app.session = session
    screen = screen_for(app, nav.NextTurn())
    app.autosave()
    return screen


def next_turn(session: Session) -> nav.Place:
    """The next screen for the session: end screen, a player's turn, or the quarter screen."""
    if session.workshop is not None:
        return workshop_next(session)
    if session.finished:
        return nav.End()
    if session.players > 1:
        return nav.TurnStart()
    return nav.Quarter()


def turn_finished(app: App) -> nav.Place:
    """The current player ends its decisions; the quarter resolves after the last one."""
    session = _session(app)
    report = session.finish_turn()
    if report is None:
        return next_turn(session)
    app.sounds.play("quarter")
    app.autosave()
    if session.workshop is not None:
        # Each team reads its own report privately, when it next takes the laptop.
        app.notify(app.tr("ui.workshop.resolved", quarter=report.quarter), "good")
        return next_turn(session)
    return nav.Report(report)


def workshop_next(session: Session) -> nav.Place:
    """Who takes the laptop next: a team to read its last report (bankrupt teams, or
    everyone at the end), the team whose turn it is, or the debrief once all is read."""
    ws = session.workshop
    assert ws is not None
    rep = session.last_report()
    if rep is not None:
        unseen = [p for p in range(session.players) if (rep.quarter, p) not in ws.reports_seen]
        if session.finished:
            return nav.PassLaptop(unseen[0], report_only=True) if unseen else nav.Debrief()
        gone = [p for p in unseen if not session.alive(p)]
        if gone:
            return nav.PassLaptop(gone[0], report_only=True)
    return nav.PassLaptop(session.current)


def team_at_laptop(session: Session, team: int, report_only: bool = False) -> nav.Place:
    """The team at the laptop: its unread report first (privately), then its quarter."""
    ws = session.workshop
    assert ws is not None
    rep = session.last_report()
    if rep is not None and (rep.quarter, team) not in ws.reports_seen:
        ws.reports_seen.add((rep.quarter, team))
        if report_only or session.finished:
            return nav.Report(rep, player=team, then=nav.in_game(nav.NextTurn()), next_key="ui.workshop.report_pass")
        return nav.Report(rep, player=team, then=nav.Replace(nav.Quarter()), next_key="ui.workshop.report_to_quarter")
    if report_only or session.finished:
        return next_turn(session)
    return nav.Quarter()
