"""The room: the host's one authority over a workshop played from many browsers.

Seats (one per team) with their tokens, the lobby, simultaneous quarters, the
facilitator's PIN, timer and pause, and the session file. Web-free: the
server turns requests into calls here and a :class:`HostError` into a 4xx.

Every accepted change goes through the core's :class:`Recorder` and is
followed by an atomic write of the session file, in the same format as the
window's saves (a replay embedded, plus a ``workshop`` part the window reads
and a ``host`` part with the seats), so ``replay``, ``export``, ``whatif``
and the window's debrief open it. Tokens are kept only as SHA-256 digests
in the file, the PIN only as the window's salted PBKDF2 digest.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.core import safeio
from game.core.actions import ActionFormatError, InvalidAction, Refusal
from game.core.engine import QuarterReport
from game.core.facilitator import TeamTimedOut, any_action_from_dict
from game.core.level_loader import LoadedLevel, load_level
from game.core.replay import (
    REPLAY_FORMAT,
    JournaledFile,
    Recorder,
    ReplayError,
    check_engine_version,
    recorded_level,
    write_json_atomic,
)

SAVE_FORMAT = "enclave-window-save"
"""The window's save format: the host's session file is one, so the window opens it."""
SAVE_VERSION = 1
LOBBY_FORMAT = "enclave-host-lobby"
"""A session file written before the game starts (no replay yet)."""
HOST_VERSION = 1

TEAM_COLOURS: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
"""Okabe-Ito, the same eight as the window's workshop and the exports."""
STRATEGIES: tuple[str, ...] = ("cautious", "growth", "cooperative", "ambitious")
MIN_TEAMS, MAX_TEAMS = 1, 8
MAX_NAME = safeio.MAX_TEAM_NAME
PIN_MIN, PIN_MAX = 4, 6
PIN_ROUNDS = 20_000
"""PBKDF2 rounds, as the window's workshop (so the window accepts the same PIN)."""
ROOM_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
"""No 0/O, 1/I/L, 2/Z, 5/S, 8/B: read aloud and typed on a phone without mistakes."""
MAX_TOKENS_PER_SEAT = 16
PIN_TRIES = 5
PIN_LOCK_SECONDS = 30.0


class HostError(Exception):
    """A request the host refuses: an HTTP status, a translation key and its params."""

    def __init__(self, status: int, key: str, params: dict[str, Any] | None = None, refusal: Refusal | None = None):
        super().__init__(key)
        self.status = status
        self.key = key
        self.params = params or {}
        self.refusal = refusal


class SessionFileError(Exception):
    """A session file cannot be resumed; the message names the file, field and reason."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pin_digest(pin: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ROUNDS).hex()


def valid_pin(pin: Any) -> bool:
    return isinstance(pin, str) and PIN_MIN <= len(pin) <= PIN_MAX and pin.isascii() and pin.isdigit()


def new_room_code(length: int = 5) -> str:
    return "".join(secrets.choice(ROOM_ALPHABET) for _ in range(length))


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def clean_name(name: Any) -> str:
    """A team name as typed, trimmed; HostError if it is empty, too long or not printable."""
    if not isinstance(name, str):
        raise HostError(422, "host.error.name_type")
    name = " ".join(name.split())
    if not name:
        raise HostError(422, "host.error.name_missing")
    if len(name) > MAX_NAME:
        raise HostError(422, "host.error.name_long", {"max": MAX_NAME})
    if not name.isprintable() or any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise HostError(422, "host.error.name_chars")
    return name


@dataclass
class Seat:
    name: str
    colour: int
    tokens: list[str] = field(default_factory=list)
    """SHA-256 digests of the tokens that act for this seat (devices of one team)."""

    @property
    def claimed(self) -> bool:
        return bool(self.tokens)


@dataclass
class Timer:
    """Minutes per quarter on the wall clock (cosmetic: never part of the game)."""

    minutes: int = 0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    quarter: int = 0
    deadline: float | None = None
    left: float | None = None
    """Seconds left while paused."""

    def start(self, quarter: int, paused: bool) -> None:
        if self.minutes <= 0 or self.quarter == quarter:
            return
        self.quarter = quarter
        full = self.minutes * 60.0
        self.deadline, self.left = (None, full) if paused else (self.clock() + full, None)

    def seconds_left(self) -> float | None:
        if self.minutes <= 0 or self.quarter == 0:
            return None
        if self.left is not None:
            return max(0.0, self.left)
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock())

    def pause(self) -> None:
        if self.deadline is not None:
            self.left, self.deadline = max(0.0, self.deadline - self.clock()), None

    def resume(self) -> None:
        if self.left is not None:
            self.deadline, self.left = self.clock() + self.left, None

    def add(self, seconds: float) -> None:
        if self.left is not None:
            self.left += seconds
        elif self.deadline is not None:
            self.deadline = max(self.deadline, self.clock()) + seconds

    def set_minutes(self, minutes: int, quarter: int, paused: bool) -> None:
        self.minutes, self.quarter, self.deadline, self.left = minutes, 0, None, None
        if quarter:
            self.start(quarter, paused)


@dataclass
class Room:
    loaded: LoadedLevel
    path: Path
    """The session file, rewritten atomically after every accepted change."""
    room_code: str
    pin_salt: str
    pin_hash: str
    seed: int
    max_teams: int
    lang: str = "es"
    seats: list[Seat] = field(default_factory=list)
    recorder: Recorder | None = None
    done: list[bool] = field(default_factory=list)
    reports: list[QuarterReport] = field(default_factory=list)
    fac_tokens: list[str] = field(default_factory=list)
    paused: bool = False
    strategy: str = "cautious"
    timer: Timer = field(default_factory=Timer)
    version: int = 0
    """Bumped on every change the clients should fetch."""
    connected: dict[int, int] = field(default_factory=dict)
    """Seat -> websocket connections open now (not saved)."""
    pin_failures: int = 0
    pin_locked_until: float = 0.0
    autosave: bool = True
    """Write the session file after every change here; the server sets it False and
    writes through its :class:`~game.host.server.Saver` before answering instead."""
    dirty: int = 0
    """Changes not yet known to be written (when ``autosave`` is off)."""
    commit: int = 0
    """The session file's commit number when it was resumed (see JournaledFile)."""
    journal: JournaledFile | None = None
    """The server's writer of the session file (None when the room saves by itself)."""

    # -- creation -----------------------------------------------------------------

    @classmethod
    def new(cls, level: str | LoadedLevel, path: str | Path, teams: int = 4, seed: int | None = None, pin: str | None = None, lang: str = "es", timer_minutes: int = 0) -> Room:
        loaded = level if isinstance(level, LoadedLevel) else load_level(level)
        if not MIN_TEAMS <= teams <= MAX_TEAMS:
            raise ValueError(f"--teams: expected {MIN_TEAMS} to {MAX_TEAMS}, got {teams}")
        if pin is not None and not valid_pin(pin):
            raise ValueError("--pin: the PIN must be 4 to 6 digits")
        salt = os.urandom(16).hex()
        room = cls(
            loaded,
            Path(path),
            new_room_code(),
            salt,
            pin_digest(pin or new_pin(), salt),
            loaded.level.seed if seed is None else int(seed),
            teams,
            lang,
        )
        room.timer.minutes = max(0, int(timer_minutes))
        room.save()
        return room

    # -- what the game is doing ---------------------------------------------------

    @property
    def started(self) -> bool:
        return self.recorder is not None

    @property
    def game(self):  # noqa: ANN201 - Game
        if self.recorder is None:
            raise HostError(409, "host.error.not_started")
        return self.recorder.game

    @property
    def finished(self) -> bool:
        return self.recorder is not None and bool(self.recorder.game.state.finished)

    def alive(self, seat: int) -> bool:
        return self.recorder is not None and bool(self.recorder.game.state.firms.alive[seat])

    def firm_id(self, seat: int) -> str:
        return str(self.game.state.firms.ids[seat])

    def waiting_for(self) -> list[int]:
        """Live seats that have not ended this quarter."""
        if self.recorder is None or self.finished:
            return []
        return [s for s in range(len(self.seats)) if self.alive(s) and not self.done[s]]

    # -- tokens ------------------------------------------------------------------

    def seat_of(self, token: Any) -> int:
        """The seat a token acts for; HostError 401 if none."""
        if not isinstance(token, str) or not 16 <= len(token) <= 128:
            raise HostError(401, "host.error.no_seat")
        d = digest(token)
        for k, seat in enumerate(self.seats):
            if any(hmac.compare_digest(d, t) for t in seat.tokens):
                return k
        raise HostError(401, "host.error.no_seat")

    def check_facilitator(self, token: Any) -> None:
        if not isinstance(token, str) or not 16 <= len(token) <= 128:
            raise HostError(401, "host.error.facilitator_only")
        d = digest(token)
        if not any(hmac.compare_digest(d, t) for t in self.fac_tokens):
            raise HostError(401, "host.error.facilitator_only")

    def login(self, pin: Any, now: float | None = None) -> str:
        """A facilitator token for the right PIN; a few wrong PINs lock the door briefly."""
        now = time.monotonic() if now is None else now
        if now < self.pin_locked_until:
            raise HostError(429, "host.error.pin_locked", {"seconds": int(self.pin_locked_until - now) + 1})
        if not valid_pin(pin) or not hmac.compare_digest(pin_digest(pin, self.pin_salt), self.pin_hash):
            self.pin_failures += 1
            if self.pin_failures >= PIN_TRIES:
                self.pin_failures, self.pin_locked_until = 0, now + PIN_LOCK_SECONDS
            raise HostError(403, "host.error.wrong_pin")
        self.pin_failures = 0
        token = secrets.token_urlsafe(24)
        self.fac_tokens = (self.fac_tokens + [digest(token)])[-32:]
        self._changed(bump=False)
        return token

    # -- joining -----------------------------------------------------------------

    def check_room(self, code: Any) -> None:
        if not isinstance(code, str) or not hmac.compare_digest(code.strip().upper().encode(), self.room_code.encode()):
            raise HostError(403, "host.error.wrong_room")

    def join(self, code: Any, name: Any = None, colour: Any = None, seat: Any = None) -> tuple[int, str]:
        """Claim a seat: a new team in the lobby, or a free seat of a started game."""
        self.check_room(code)
        if colour is not None and (not isinstance(colour, int) or isinstance(colour, bool) or not 0 <= colour < len(TEAM_COLOURS)):
            raise HostError(422, "host.error.colour_type", {"max": len(TEAM_COLOURS) - 1})
        if not self.started:
            team = clean_name(name)
            if len(self.seats) >= self.max_teams:
                raise HostError(409, "host.error.room_full", {"teams": self.max_teams})
            if any(s.name.casefold() == team.casefold() for s in self.seats):
                raise HostError(409, "host.error.name_taken", {"name": team})
            taken = {s.colour for s in self.seats}
            if colour is None:
                colour = next(c for c in range(len(TEAM_COLOURS)) if c not in taken)
            elif colour in taken:
                raise HostError(409, "host.error.colour_taken")
            self.seats.append(Seat(team, colour))
            k = len(self.seats) - 1
        else:
            free = [k for k, s in enumerate(self.seats) if not s.claimed and self.alive(k)]
            if seat is None and isinstance(name, str):
                seat = next((k for k in free if self.seats[k].name.casefold() == " ".join(name.split()).casefold()), None)
            if seat is None and len(free) == 1:
                seat = free[0]
            if not isinstance(seat, int) or isinstance(seat, bool) or seat not in free:
                raise HostError(409, "host.error.no_free_seat")
            k = seat
            if colour is not None and colour not in {s.colour for j, s in enumerate(self.seats) if j != k}:
                self.seats[k].colour = colour
        token = secrets.token_urlsafe(24)
        self.seats[k].tokens.append(digest(token))
        self._changed()
        return k, token

    def add_device(self, seat: int) -> str:
        """Another token for the same seat (a second phone of the same team)."""
        if len(self.seats[seat].tokens) >= MAX_TOKENS_PER_SEAT:
            raise HostError(409, "host.error.too_many_devices", {"count": MAX_TOKENS_PER_SEAT})
        token = secrets.token_urlsafe(24)
        self.seats[seat].tokens.append(digest(token))
        self._changed(bump=False)
        return token

    def free_seat(self, seat: Any) -> None:
        """Kick: every token of the seat stops working; another device may claim it."""
        k = self._seat_index(seat)
        self.seats[k].tokens = []
        if not self.started:
            del self.seats[k]
        self._changed()

    def _seat_index(self, seat: Any) -> int:
        if not isinstance(seat, int) or isinstance(seat, bool) or not 0 <= seat < len(self.seats):
            raise HostError(422, "host.error.bad_seat")
        return seat

    # -- the game ------------------------------------------------------------------

    def start(self) -> None:
        if self.started:
            raise HostError(409, "host.error.already_started")
        if not self.seats:
            raise HostError(409, "host.error.no_teams")
        names = [s.name for s in self.seats]
        self.recorder = Recorder.start(self.loaded, seed=self.seed, players=len(self.seats), names=names)
        self.done = [False] * len(self.seats)
        self.timer.start(self.game.quarter, self.paused)
        self._changed()

    def _check_team_can_act(self, seat: int) -> None:
        if not self.started:
            raise HostError(409, "host.error.not_started")
        if self.finished:
            raise HostError(409, "host.error.game_over")
        if self.paused:
            raise HostError(409, "host.error.paused")
        if not self.alive(seat):
            raise HostError(409, "host.error.bankrupt")
        if self.done[seat]:
            raise HostError(409, "host.error.already_ended")

    def team_action(self, seat: int, raw: Any, dry_run: bool = False) -> Refusal | None:
        """Validate (and unless ``dry_run`` apply) a team's action. Refused -> HostError 409."""
        action = self.parse_team_action(seat, raw)
        if not dry_run:
            self._check_team_can_act(seat)
        refusal = self.game.validate(action)
        if dry_run:
            return refusal
        if refusal is not None:
            raise HostError(409, "host.error.refused", refusal=refusal)
        assert self.recorder is not None
        self.recorder.apply(action)
        self._changed()
        return None

    def parse_team_action(self, seat: int, raw: Any) -> Any:
        if not self.started:
            raise HostError(409, "host.error.not_started")
        if not isinstance(raw, dict):
            raise HostError(422, "host.error.action_type")
        mine = self.firm_id(seat)
        if "firm" in raw and raw["firm"] != mine:
            raise HostError(403, "host.error.not_your_firm")
        kind = raw.get("type")
        if not isinstance(kind, str) or kind.startswith("facilitator."):
            raise HostError(403 if isinstance(kind, str) else 422, "host.error.not_a_team_action")
        try:
            return any_action_from_dict({**raw, "firm": mine})
        except ActionFormatError as exc:
            raise HostError(422, "host.error.bad_action", {"detail": str(exc)}) from None

    def end_turn(self, seat: int) -> QuarterReport | None:
        self._check_team_can_act(seat)
        self.done[seat] = True
        return self._maybe_resolve()

    def _maybe_resolve(self) -> QuarterReport | None:
        if self.waiting_for():
            self._changed()
            return None
        assert self.recorder is not None
        report = self.recorder.end_quarter()
        self.reports.append(report)
        self.done = [False] * len(self.seats)
        if not self.finished:
            self.timer.start(self.game.quarter, self.paused)
        self._changed()
        return report

    def facilitator_action(self, raw: Any) -> None:
        """A recorded facilitator action (policy, event, note) in its dict form."""
        if not self.started:
            raise HostError(409, "host.error.not_started")
        try:
            action = any_action_from_dict(raw)
        except ActionFormatError as exc:
            raise HostError(422, "host.error.bad_action", {"detail": str(exc)}) from None
        if not type(action).kind.startswith("facilitator.") or isinstance(action, TeamTimedOut):
            raise HostError(422, "host.error.not_a_facilitator_action")
        refusal = self.game.validate(action)
        if refusal is not None:
            raise HostError(409, "host.error.refused", refusal=refusal)
        assert self.recorder is not None
        self.recorder.apply(action)
        self._changed()

    def hand_to_computer(self, seats: list[int] | None, strategy: Any) -> QuarterReport | None:
        """Late teams' quarters decided by a computer strategy (recorded); resolves if all are done."""
        if not self.started:
            raise HostError(409, "host.error.not_started")
        if self.finished:
            raise HostError(409, "host.error.game_over")
        if strategy not in STRATEGIES:
            raise HostError(422, "host.error.bad_strategy", {"strategies": ", ".join(STRATEGIES)})
        late = self.waiting_for()
        if seats is None:
            seats = late
        for s in seats:
            if self._seat_index(s) not in late:
                raise HostError(409, "host.error.not_late", {"team": self.seats[s].name})
        assert self.recorder is not None
        actions = [TeamTimedOut(self.firm_id(s), str(strategy)) for s in seats]
        for action in actions:  # all checked before any is applied: nothing half-done
            refusal = self.game.validate(action)
            if refusal is not None:
                raise HostError(409, "host.error.refused", refusal=refusal)
        self.strategy = str(strategy)
        for s, action in zip(seats, actions, strict=True):
            self.recorder.apply(action)
            self.done[s] = True
        return self._maybe_resolve()

    def set_paused(self, paused: bool) -> None:
        if paused == self.paused:
            return
        self.paused = paused
        (self.timer.pause if paused else self.timer.resume)()
        self._changed()

    def set_timer(self, minutes: Any) -> None:
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 120:
            raise HostError(422, "host.error.bad_minutes")
        self.timer.set_minutes(minutes, self.game.quarter if self.started and not self.finished else 0, self.paused)
        self._changed()

    def add_minute(self) -> None:
        self.timer.add(60.0)
        self._changed()

    # -- files -------------------------------------------------------------------

    def _changed(self, bump: bool = True) -> None:
        if bump:
            self.version += 1
        self.dirty += 1
        if self.autosave:
            self.save()

    def workshop_part(self) -> dict[str, Any]:
        left = self.timer.seconds_left()
        return {
            "colours": [s.colour for s in self.seats],
            "pin_salt": self.pin_salt,
            "pin_hash": self.pin_hash,
            "timer_minutes": self.timer.minutes,
            "strategy": self.strategy,
            "timer_quarter": self.timer.quarter,
            "seconds_left": None if left is None else round(left, 1),
        }

    def host_part(self) -> dict[str, Any]:
        return {
            "version": HOST_VERSION,
            "room": self.room_code,
            "max_teams": self.max_teams,
            "lang": self.lang,
            "paused": self.paused,
            "seats": [{"name": s.name, "colour": s.colour, "tokens": list(s.tokens)} for s in self.seats],
            "facilitator_tokens": list(self.fac_tokens),
        }

    def to_file(self) -> dict[str, Any]:
        level = self.loaded.level
        if self.recorder is None:
            return {
                "format": LOBBY_FORMAT,
                "version": SAVE_VERSION,
                "saved_at": _dt.datetime.now().isoformat(timespec="seconds"),
                "level_id": level.id,
                "level_hash": self.loaded.content_hash,
                "level_path": self.loaded.path,
                "seed": self.seed,
                "workshop": self.workshop_part(),
                "host": self.host_part(),
            }
        st = self.recorder.game.state
        replay = self.recorder.to_dict()
        replay["turns"] = list(replay["turns"])  # a snapshot: the server may write it from another thread
        waiting = self.waiting_for()
        return {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            "saved_at": _dt.datetime.now().isoformat(timespec="seconds"),
            "level_id": st.level_id,
            "level_title": {"es": level.title.es, "en": level.title.en},
            "quarter": int(st.quarter),
            "turns": int(st.turns),
            "finished": bool(st.finished),
            "names": list(st.firms.names[: st.players]),
            "current": waiting[0] if waiting else 0,
            "done": list(self.done),
            "pending": list(replay["pending"]),
            "state_hash": replay["final_hash"],
            "replay": replay,
            "workshop": self.workshop_part(),
            "host": self.host_part(),
        }

    def save(self) -> None:
        write_json_atomic(self.path, self.to_file())

    def close(self) -> None:
        """Fold the journal into the session file (a host stopping cleanly leaves one file)."""
        if self.journal is not None:
            self.journal.compact(self.to_file())
            self.journal.close()
            self.journal = None

    @classmethod
    def resume(cls, path: str | Path) -> Room:
        """Rebuild a room from its session file by re-simulating the recorded game."""
        from game.core.replay import ReplayError, read_json

        file = str(path)
        try:
            data = read_json(path, "session")
        except ReplayError as exc:
            raise SessionFileError(str(exc)) from None
        fmt = data.get("format")
        if fmt not in (SAVE_FORMAT, LOBBY_FORMAT):
            raise SessionFileError(f"{file}: format: expected a host session ({SAVE_FORMAT!r} or {LOBBY_FORMAT!r}), got {fmt!r}")
        host = _need(data, "host", dict, file)
        ws = _need(data, "workshop", dict, file)
        if fmt == LOBBY_FORMAT:
            loaded = _level(data.get("level_path"), _need(data, "level_id", str, file), _need(data, "level_hash", str, file), file)
            seed = _need(data, "seed", int, file)
        else:
            replay = _need(data, "replay", dict, file)
            if replay.get("format") != REPLAY_FORMAT:
                raise SessionFileError(f"{file}: replay.format: expected {REPLAY_FORMAT!r}")
            loaded = _level(replay.get("level_path"), _need(replay, "level_id", str, f"{file}: replay"), _need(replay, "level_hash", str, f"{file}: replay"), file)
            seed = _need(replay, "seed", int, f"{file}: replay")
        room_code = _need(host, "room", str, f"{file}: host")
        salt, pin_hash = _need(ws, "pin_salt", str, f"{file}: workshop"), _need(ws, "pin_hash", str, f"{file}: workshop")
        room = cls(loaded, Path(path), room_code, salt, pin_hash, seed, _need(host, "max_teams", int, f"{file}: host"), str(host.get("lang", "es")))
        for j, raw in enumerate(_need(host, "seats", list, f"{file}: host")):
            where = f"{file}: host.seats[{j}]"
            if not isinstance(raw, dict):
                raise SessionFileError(f"{where}: expected an object")
            tokens = _need(raw, "tokens", list, where)
            if not all(isinstance(t, str) and len(t) == 64 for t in tokens):
                raise SessionFileError(f"{where}.tokens: expected SHA-256 digests")
            colour = _need(raw, "colour", int, where)
            room.seats.append(Seat(_need(raw, "name", str, where), colour % len(TEAM_COLOURS), list(tokens)))
        room.fac_tokens = [t for t in host.get("facilitator_tokens", []) if isinstance(t, str) and len(t) == 64]
        room.paused = bool(host.get("paused", False))
        strategy = ws.get("strategy")
        room.strategy = strategy if strategy in STRATEGIES else "cautious"
        minutes = ws.get("timer_minutes", 0)
        room.timer.minutes = minutes if isinstance(minutes, int) and not isinstance(minutes, bool) and 0 <= minutes <= 120 else 0
        if fmt == SAVE_FORMAT:
            room._replay(data, file)
            quarter, left = ws.get("timer_quarter"), ws.get("seconds_left")
            if room.timer.minutes and isinstance(quarter, int) and quarter > 0 and isinstance(left, (int, float)) and not isinstance(left, bool):
                room.timer.quarter = quarter
                if room.paused:
                    room.timer.left = max(0.0, float(left))
                else:
                    room.timer.deadline = room.timer.clock() + max(0.0, float(left))
            elif room.started and not room.finished:
                room.timer.start(room.game.quarter, room.paused)
        room.version = 1
        commit = data.get("commit")
        room.commit = commit if isinstance(commit, int) and not isinstance(commit, bool) and commit >= 0 else 0
        return room

    def _replay(self, data: dict[str, Any], file: str) -> None:
        replay = data["replay"]
        try:
            check_engine_version(_need(replay, "engine_version", str, f"{file}: replay"), f"{file}: replay")
        except ReplayError as exc:
            raise SessionFileError(str(exc)) from None
        players = _need(replay, "players", int, f"{file}: replay")
        names = _need(replay, "names", list, f"{file}: replay")
        if players != len(self.seats) or [str(n) for n in names] != [s.name for s in self.seats]:
            raise SessionFileError(f"{file}: host.seats: the seats do not match the replay's {players} teams")
        policies = _need(replay, "policies", dict, f"{file}: replay")
        try:
            self.recorder = Recorder.start(self.loaded, seed=self.seed, players=players, names=[str(n) for n in names], policies=policies or None)
        except (KeyError, TypeError, ValueError) as exc:
            raise SessionFileError(f"{file}: replay: cannot start the game ({exc})") from None
        for k, turn in enumerate(_need(replay, "turns", list, f"{file}: replay")):
            where = f"{file}: replay.turns[{k}]"
            if not isinstance(turn, dict):
                raise SessionFileError(f"{where}: expected an object")
            self._apply_all(_need(turn, "actions", list, where), where)
            if self.finished:
                raise SessionFileError(f"{where}: the game had already ended")
            self.reports.append(self.recorder.end_quarter())
            if self.recorder.game.hash() != turn.get("hash"):
                raise SessionFileError(f"{where}.hash: the state after quarter {turn.get('quarter')} differs from the recorded one; the file is damaged or was made with other rules")
        self._apply_all(_need(replay, "pending", list, f"{file}: replay"), f"{file}: replay.pending")
        if self.recorder.game.hash() != replay.get("final_hash"):
            raise SessionFileError(f"{file}: replay.final_hash: the game rebuilt from the file does not match it; the file is damaged")
        done = data.get("done")
        if isinstance(done, list) and len(done) == players and all(isinstance(d, bool) for d in done):
            self.done = list(done)
        else:
            self.done = [False] * players

    def _apply_all(self, actions: list[Any], where: str) -> None:
        assert self.recorder is not None
        for j, raw in enumerate(actions):
            try:
                self.recorder.apply(any_action_from_dict(raw))
            except ActionFormatError as exc:
                raise SessionFileError(f"{where}[{j}].{exc}") from None
            except InvalidAction as exc:
                raise SessionFileError(f"{where}[{j}]: refused when re-played ({exc.refusal}); the file is damaged") from None


def _need(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    return safeio.need(data, key, kind, where, SessionFileError)


def _level(level_path: Any, level_id: str, level_hash: str, file: str) -> LoadedLevel:
    loaded, found = recorded_level(level_path, level_id, level_hash, file)
    if loaded is not None:
        return loaded
    if not found:
        raise SessionFileError(f"{file}: level_id: cannot find the level {level_id!r}")
    raise SessionFileError(f"{file}: level_hash: the level {level_id!r} changed since this session was recorded")
