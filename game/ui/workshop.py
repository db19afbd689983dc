"""A facilitated workshop in the window: teams with colours, the facilitator's PIN,
a timer per quarter, pause, and which private reports each team has seen.

It lives beside the session (``session.workshop``) and never touches the game:
everything the facilitator does to the game goes through
:func:`game.ui.input.facilitate` and the core's recorder. The PIN is kept only
as a salted hash, in memory and in the window's own save file (so a loaded
workshop keeps its PIN); the replay file never holds it.

The timer runs on the wall clock (cosmetic time, like the animations), one
countdown per team turn: it starts when a team is called to the laptop, with
the full length, and stops counting while the facilitator pauses the session
or has the console (or its PIN) open. The facilitator can change its length
mid-session. The pause is kept in the window's save, so a workshop closed
while paused opens paused, with the time that was left.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from game.core.strategies import STRATEGY_NAMES
from game.headless.export import TEAM_COLOURS

MIN_TEAMS = 2
MAX_TEAMS = 8
PIN_MIN, PIN_MAX = 4, 6
TIMER_CHOICES: tuple[int, ...] = (0, 2, 3, 5, 8, 10, 15)
"""Minutes per team turn offered at set-up and in the console (0: no timer)."""
STRATEGIES: tuple[str, ...] = STRATEGY_NAMES
"""Computer strategies the facilitator can hand a late team's quarter to."""
_ROUNDS = 20_000


def hex_rgb(text: str) -> tuple[int, int, int]:
    text = text.lstrip("#")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def ink_on(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white, whichever reads better on ``rgb`` (white on blue, black on yellow)."""
    r, g, b = rgb
    return (26, 26, 26) if 0.299 * r + 0.587 * g + 0.114 * b > 150 else (255, 255, 255)


def valid_pin(pin: str) -> bool:
    return PIN_MIN <= len(pin) <= PIN_MAX and pin.isascii() and pin.isdigit()


def _hash(pin: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), _ROUNDS).hex()


@dataclass
class Workshop:
    colours: list[int]
    """Each team's colour, an index into the Okabe-Ito TEAM_COLOURS."""
    pin_salt: str
    pin_hash: str
    timer_minutes: int = 0
    strategy: str = "cautious"
    """The computer strategy last picked for late teams."""
    paused: bool = False
    reports_seen: set[tuple[int, int]] = field(default_factory=set)
    """(quarter, team): private reports already shown to that team."""
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)
    timer_quarter: int = 0
    """The quarter of the turn whose timer is running (0: not started yet)."""
    timer_team: int = -1
    """The team whose turn the timer counts (-1: none yet)."""
    held: bool = False
    """The facilitator's console (or its PIN) is open: the timer stands still."""
    _deadline: float | None = None
    _left: float | None = None
    """Seconds left while the timer stands still (paused or held)."""
    time_up_told: tuple[int, int] = (0, -1)
    """The last turn (quarter, team) whose "time's up" the teams were told."""

    @classmethod
    def new(cls, pin: str, colours: list[int], timer_minutes: int = 0, clock: Callable[[], float] | None = None) -> Workshop:
        if not valid_pin(pin):
            raise ValueError("the PIN must be 4 to 6 digits")
        salt = os.urandom(16).hex()
        ws = cls(list(colours), salt, _hash(pin, salt), max(0, int(timer_minutes)))
        if clock is not None:
            ws.clock = clock
        return ws

    # -- the PIN ---------------------------------------------------------------------

    def check_pin(self, pin: str) -> bool:
        if not valid_pin(pin):
            return False
        return hmac.compare_digest(_hash(pin, self.pin_salt), self.pin_hash)

    # -- colours -----------------------------------------------------------------------

    def colour_index(self, team: int) -> int:
        return self.colours[team] % len(TEAM_COLOURS) if 0 <= team < len(self.colours) else team % len(TEAM_COLOURS)

    def colour_hex(self, team: int) -> str:
        return TEAM_COLOURS[self.colour_index(team)]

    def rgb(self, team: int) -> tuple[int, int, int]:
        return hex_rgb(self.colour_hex(team))

    # -- the timer ---------------------------------------------------------------------

    @property
    def timed(self) -> bool:
        return self.timer_minutes > 0

    @property
    def frozen(self) -> bool:
        """The timer stands still: the session is paused or the console is open."""
        return self.paused or self.held

    def start_turn(self, quarter: int, team: int) -> None:
        """Start the timer of this team's turn in this quarter with the full length
        (once: calling it again for the same turn, say after a rebuild, does nothing)."""
        if not self.timed or (self.timer_quarter, self.timer_team) == (quarter, team):
            return
        self.timer_quarter, self.timer_team = quarter, team
        self._set_left(self.timer_minutes * 60.0)

    def _set_left(self, seconds: float) -> None:
        seconds = max(0.0, seconds)
        if self.frozen:
            self._deadline, self._left = None, seconds
        else:
            self._deadline, self._left = self.clock() + seconds, None

    def seconds_left(self) -> float | None:
        """Seconds left in this quarter (None without a timer or before it starts)."""
        if not self.timed or self.timer_quarter == 0:
            return None
        if self._left is not None:
            return max(0.0, self._left)
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - self.clock())

    def time_up(self) -> bool:
        left = self.seconds_left()
        return left is not None and left <= 0.0

    def add_time(self, seconds: float) -> None:
        if self._left is not None:
            self._left = max(0.0, self._left) + seconds
        elif self._deadline is not None:
            self._deadline = max(self._deadline, self.clock()) + seconds

    def restart_timer(self) -> None:
        """The running turn starts again with the full length."""
        if self.timed and self.timer_quarter:
            self._set_left(self.timer_minutes * 60.0)

    def set_minutes(self, minutes: int) -> None:
        """Change the length of a turn mid-session. The running turn keeps the time it
        has already used: its time left moves by the difference (never below zero).
        Turning the timer on starts it with the next team called to the laptop;
        turning it off stops it."""
        minutes = max(0, min(120, int(minutes)))
        left = self.seconds_left()
        old = self.timer_minutes
        self.timer_minutes = minutes
        if minutes == 0:
            self.timer_quarter, self.timer_team = 0, -1
            self._deadline = self._left = None
        elif left is not None and old > 0:
            self._set_left(left + (minutes - old) * 60.0)

    def _freeze(self, was_frozen: bool) -> None:
        """Stop or restart the countdown when ``frozen`` changed."""
        if self.frozen and not was_frozen and self._deadline is not None:
            self._left = max(0.0, self._deadline - self.clock())
            self._deadline = None
        elif not self.frozen and was_frozen and self._left is not None:
            self._deadline = self.clock() + self._left
            self._left = None

    def pause(self) -> None:
        was = self.frozen
        self.paused = True
        self._freeze(was)

    def resume(self) -> None:
        was = self.frozen
        self.paused = False
        self._freeze(was)

    def hold(self, on: bool) -> None:
        """The console (or its PIN) opened (``on``) or closed: the timer stands still meanwhile."""
        was = self.frozen
        self.held = bool(on)
        self._freeze(was)

    # -- save file (never the replay) ---------------------------------------------------

    def to_save(self) -> dict[str, Any]:
        left = self.seconds_left()
        return {
            "colours": list(self.colours),
            "pin_salt": self.pin_salt,
            "pin_hash": self.pin_hash,
            "timer_minutes": self.timer_minutes,
            "strategy": self.strategy,
            "timer_quarter": self.timer_quarter,
            "timer_team": self.timer_team,
            "seconds_left": None if left is None else round(left, 1),
            "paused": self.paused,
        }

    @classmethod
    def from_save(cls, data: Any, players: int) -> Workshop:
        """The workshop part of a save; ValueError naming the field if it is unusable."""
        if not isinstance(data, dict):
            raise ValueError("expected an object")
        colours = data.get("colours")
        if not isinstance(colours, list) or len(colours) != players or not all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c < len(TEAM_COLOURS) for c in colours):
            raise ValueError(f"colours: expected {players} colour numbers 0-{len(TEAM_COLOURS) - 1}")
        salt, digest = data.get("pin_salt"), data.get("pin_hash")
        for name, value in (("pin_salt", salt), ("pin_hash", digest)):
            if not isinstance(value, str) or not value or len(value) > 256 or any(c not in "0123456789abcdef" for c in value):
                raise ValueError(f"{name}: expected a hexadecimal string")
            if len(value) % 2:
                raise ValueError(f"{name}: expected whole bytes (an even number of hexadecimal digits), got {len(value)} digits")
        minutes = data.get("timer_minutes", 0)
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 120:
            raise ValueError("timer_minutes: expected 0 to 120")
        strategy = data.get("strategy", "cautious")
        ws = cls(list(colours), str(salt), str(digest), minutes, strategy if strategy in STRATEGIES else "cautious")
        paused = data.get("paused", False)
        if not isinstance(paused, bool):
            raise ValueError("paused: expected true or false")
        ws.paused = paused
        quarter, team, left = data.get("timer_quarter"), data.get("timer_team", -1), data.get("seconds_left")
        if ws.timed and isinstance(quarter, int) and quarter > 0 and isinstance(left, (int, float)) and not isinstance(left, bool):
            ws.timer_quarter = quarter
            ws.timer_team = team if isinstance(team, int) and not isinstance(team, bool) and 0 <= team < players else -1
            ws._set_left(float(left))
        return ws


def late_teams(session: Any) -> list[int]:
    """Teams still deciding this quarter."""
    if session.finished:
        return []
    return [p for p in range(session.players) if not session.done[p] and session.alive(p)]


def clock_text(tr: Any, ws: Workshop | None) -> str:
    """The timer as the teams see it: "◷ 4:05", "◷ paused", "◷ time's up" ("" without a timer)."""
    if ws is None or not ws.timed:
        return ""
    if ws.paused:
        return tr("ui.workshop.clock_paused")
    left = ws.seconds_left()
    if left is None:
        return tr("ui.workshop.clock", time=f"{ws.timer_minutes}:00")
    if left <= 0:
        return tr("ui.workshop.clock_up")
    return tr("ui.workshop.clock", time=minutes_seconds(left))


def minutes_seconds(seconds: float) -> str:
    s = int(max(0.0, seconds) + 0.999)
    return f"{s // 60}:{s % 60:02d}"


def default_colours(teams: int) -> list[int]:
    return list(range(teams))
