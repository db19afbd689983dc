"""Where a screen goes next: the values its handlers return, and the places they name.

A screen never changes the stack itself. Its button callbacks and its key,
link and text-entry handlers return a navigation value (as in the python-tcod
tutorial 2023's ``StateResult``), which the app applies:

- ``Push(place)``: show ``place`` over this screen (back returns here);
- ``Pop(n)``: close this screen (and ``n - 1`` more under it);
- ``Replace(place)``: show ``place`` instead of this screen;
- ``Reset(places)``: clear the stack and show these (the last on top),
  optionally ending the game in the window (``end_session``);
- ``Quit()``: close the window;
- ``STAY``: handled, stay here (a key or command the screen used);
- ``None``: nothing to do (from a callback), or not handled (from a key or
  command handler: the app then tries its own shortcuts).

A place is plain data naming a screen and what it needs; only
:mod:`game.ui.routing` turns places into screens, so a screen does not import
another screen. Some places are steps of a game rather than one screen
(``NextTurn``: whoever plays now; ``TurnFinished``: the quarter may resolve);
the routing module decides which screen they show.

Pure Python: no pygame, no screens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.core.engine import QuarterReport
    from game.core.level_loader import LoadedLevel
    from game.ui.session import Session
    from game.ui.workshop import Workshop

# -- places: screens --------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    pass


@dataclass(frozen=True)
class LevelSelect:
    pass


@dataclass(frozen=True)
class Setup:
    level: LoadedLevel


@dataclass(frozen=True)
class WorkshopSetup:
    level: LoadedLevel


@dataclass(frozen=True)
class Load:
    pass


@dataclass(frozen=True)
class Settings:
    pass


@dataclass(frozen=True)
class Glossary:
    term: str | None = None


@dataclass(frozen=True)
class Message:
    """A modal message; ``choices`` are (label, callback or None to just close, object id)."""

    title: str
    text: str
    choices: tuple[Choice, ...] = ()
    tone: str = "info"


@dataclass(frozen=True)
class TurnStart:
    pass


@dataclass(frozen=True)
class Quarter:
    pass


@dataclass(frozen=True)
class Report:
    """One quarter's report for one player; ``then`` is what its "next" button does
    (None: the game's next step)."""

    report: QuarterReport
    player: int = 0
    then: Nav | None = None
    next_key: str | None = None


@dataclass(frozen=True)
class End:
    pass


@dataclass(frozen=True)
class Debrief:
    pass


@dataclass(frozen=True)
class Pin:
    """The facilitator's PIN, in front of the console."""


@dataclass(frozen=True)
class Console:
    """The facilitator's console, opened on ``section`` with a status line and a note kept."""

    section: str = "session"
    status: tuple[str, str] | None = None
    note: str = ""


@dataclass(frozen=True)
class Paused:
    pass


@dataclass(frozen=True)
class PassLaptop:
    team: int
    report_only: bool = False


# -- places: steps of a game ----------------------------------------------------------------------


@dataclass(frozen=True)
class NewGame:
    """A new game in the window: ``names`` default to the level's firm name(s)."""

    level: LoadedLevel | str
    players: int = 1
    names: tuple[str, ...] | None = None
    seed: int | None = None


@dataclass(frozen=True)
class NewWorkshop:
    """A facilitated workshop: teams pass the laptop, the facilitator has a console."""

    level: LoadedLevel
    names: tuple[str, ...]
    workshop: Workshop
    seed: int | None = None


@dataclass(frozen=True)
class Resume:
    """A loaded session, shown from where it stands."""

    session: Session = field(compare=False)


@dataclass(frozen=True)
class NextTurn:
    """Whoever plays now: the end screen, a player's turn, the quarter, or the workshop's next step."""


@dataclass(frozen=True)
class TurnFinished:
    """The current player ends its decisions; the quarter resolves after the last one."""


@dataclass(frozen=True)
class TeamAtLaptop:
    """A workshop team takes the laptop: its unread report first (privately), then its quarter."""

    team: int
    report_only: bool = False


Place = (
    Title
    | LevelSelect
    | Setup
    | WorkshopSetup
    | Load
    | Settings
    | Glossary
    | Message
    | TurnStart
    | Quarter
    | Report
    | End
    | Debrief
    | Pin
    | Console
    | Paused
    | PassLaptop
    | NewGame
    | NewWorkshop
    | Resume
    | NextTurn
    | TurnFinished
    | TeamAtLaptop
)

# -- navigation values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Push:
    place: Place


@dataclass(frozen=True)
class Pop:
    count: int = 1


@dataclass(frozen=True)
class Replace:
    place: Place


@dataclass(frozen=True)
class Reset:
    places: tuple[Place, ...]
    end_session: bool = False


@dataclass(frozen=True)
class Quit:
    pass


@dataclass(frozen=True)
class Stay:
    """Handled: stay on this screen."""


STAY = Stay()

Nav = Push | Pop | Replace | Reset | Quit | Stay
"""What a handler may return (or ``None``)."""

NAV_TYPES = (Push, Pop, Replace, Reset, Quit, Stay)

Choice = tuple[str, Callable[[], Nav | None] | None, str | None]
"""(label, callback or None to just close, object id) of a dialog's button."""


def in_game(place: Place) -> Reset:
    """A game's screen over the title (the title stays at the bottom of the stack)."""
    return Reset((Title(), place))


def after_closing(nav: Nav | None) -> Nav:
    """What a dialog's choice does once the dialog is closed: ``nav`` seen from the screen below."""
    if nav is None or isinstance(nav, Stay):
        return Pop()
    if isinstance(nav, Push):
        return Replace(nav.place)
    if isinstance(nav, Pop):
        return Pop(nav.count + 1)
    return nav
