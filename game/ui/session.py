"""A game played in the window: the core game, recorded as a replay, plus whose turn it is.

Every action goes through the core's :class:`~game.core.replay.Recorder`, so
"save as replay" writes a file that ``python main.py replay FILE``
re-simulates to the same hashes. A saved game is that same record (every
quarter's actions and hash, plus the actions already taken this quarter):
loading it re-simulates the game and checks each quarter's hash, so a
damaged or tampered save is refused with a message naming what is wrong,
instead of loading a state that never happened.

Hot-seat: players decide one after another (``current``); the quarter
resolves once every live player has finished.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.core import safeio
from game.core.actions import ActionFormatError, InvalidAction, Refusal
from game.core.engine import Game, QuarterReport
from game.core.level_loader import LoadedLevel, load_level
from game.core.replay import (
    REPLAY_FORMAT,
    Recorder,
    ReplayError,
    check_replay_data,
    recorded_level,
    write_json_atomic,
    write_json_unique,
)
from game.ui import paths
from game.ui.files import FileDamaged, read_object, set_aside

SAVE_FORMAT = "enclave-window-save"
SAVE_VERSION = 1
MAX_PLAYERS = 8


def default_names(tr: Any, loaded: LoadedLevel, players: int) -> list[str]:
    """The players' names before they type their own: the level's firm, numbered if several."""
    base = tr.level_text(loaded.level.player_firm.name)
    if players == 1:
        return [base]
    return [tr("ui.setup.default_name", name=base, n=k + 1) for k in range(players)]


class SaveError(Exception):
    """A save cannot be used; the message names the file, the field and the reason."""


def _action_from_dict(data: Any):  # noqa: ANN202 - a player's (or facilitator's) action
    try:
        from game.core.facilitator import any_action_from_dict
    except ImportError:  # older cores: players' actions only
        from game.core.actions import action_from_dict as any_action_from_dict
    return any_action_from_dict(data)


@dataclass
class Session:
    loaded: LoadedLevel
    recorder: Recorder
    current: int = 0
    done: list[bool] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)
    reports: list[QuarterReport] = field(default_factory=list)
    source: Path | None = None
    """The save file this session was loaded from (None for a new game)."""
    workshop: Any = None
    """A facilitated workshop (:class:`game.ui.workshop.Workshop`), or None."""

    # -- set-up ----------------------------------------------------------------

    @classmethod
    def new(cls, level: str | LoadedLevel, players: int = 1, names: list[str] | None = None, seed: int | None = None) -> Session:
        loaded = level if isinstance(level, LoadedLevel) else load_level(level)
        players = max(1, min(MAX_PLAYERS, int(players)))
        clean = [n.strip()[:40] for n in (names or []) if n and n.strip()]
        recorder = Recorder.start(loaded, seed=seed, players=players, names=clean[:players] or None)
        session = cls(loaded, recorder)
        session.done = [False] * players
        session.current = session._first_undone()
        return session

    # -- the game ----------------------------------------------------------------

    @property
    def game(self) -> Game:
        return self.recorder.game

    @property
    def state(self):  # noqa: ANN201 - GameState
        return self.recorder.game.state

    @property
    def rules(self):  # noqa: ANN201 - Rules
        return self.recorder.game.rules

    @property
    def level(self):  # noqa: ANN201 - Level
        return self.loaded.level

    @property
    def players(self) -> int:
        return int(self.state.players)

    @property
    def finished(self) -> bool:
        return bool(self.state.finished)

    @property
    def quarter(self) -> int:
        return int(self.state.quarter)

    def firm_id(self, player: int | None = None) -> str:
        return self.state.firms.ids[self.current if player is None else player]

    def firm_name(self, player: int | None = None) -> str:
        return self.state.firms.names[self.current if player is None else player]

    def alive(self, player: int) -> bool:
        return bool(self.state.firms.alive[player])

    def validate(self, action: Any) -> Refusal | None:
        return self.game.validate(action)

    def apply(self, action: Any) -> Refusal | None:
        """Apply through the recorder if valid; the refusal otherwise (nothing changes)."""
        refusal = self.game.validate(action)
        if refusal is None:
            self.recorder.apply(action)
            self.pending.append(action.to_dict())
        return refusal

    # -- turns -------------------------------------------------------------------

    def _first_undone(self) -> int:
        for p in range(self.players):
            if not self.done[p] and self.alive(p):
                return p
        return -1

    def finish_turn(self) -> QuarterReport | None:
        """The current player is done; resolves the quarter when every live player is."""
        if self.finished:
            return None
        if 0 <= self.current < len(self.done):
            self.done[self.current] = True
        return self._advance()

    def finish_players(self, players: list[int]) -> QuarterReport | None:
        """These players are done too (the facilitator handed their quarter to the computer)."""
        if self.finished:
            return None
        for p in players:
            if 0 <= p < len(self.done):
                self.done[p] = True
        return self._advance()

    def _advance(self) -> QuarterReport | None:
        nxt = self._first_undone()
        if nxt >= 0:
            self.current = nxt
            return None
        report = self.recorder.end_quarter()
        self.reports.append(report)
        self.pending = []
        self.done = [False] * self.players
        first = self._first_undone()
        self.current = first if first >= 0 else 0
        return report

    def last_report(self) -> QuarterReport | None:
        return self.reports[-1] if self.reports else None

    # -- files -------------------------------------------------------------------

    def replay_dict(self) -> dict[str, Any]:
        return self.recorder.to_dict()

    def save_replay(self, path: Path) -> Path:
        write_json_atomic(path, self.replay_dict())
        return path

    def save_replay_new(self, tag: str = "") -> Path:
        """The replay as a new file in the replays folder; never replaces another file."""
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        return write_json_unique(paths.replays_dir(), f"{self.state.level_id}-{stamp}{tag}", ".replay.json", self.replay_dict())

    def to_save(self) -> dict[str, Any]:
        st = self.state
        return {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            "saved_at": _dt.datetime.now().isoformat(timespec="seconds"),
            "level_id": st.level_id,
            "level_title": {"es": self.level.title.es, "en": self.level.title.en},
            "quarter": int(st.quarter),
            "turns": int(st.turns),
            "finished": bool(st.finished),
            "names": list(st.firms.names[: st.players]),
            "current": self.current,
            "done": list(self.done),
            "pending": list(self.pending),
            "state_hash": self.game.hash(),
            "replay": self.replay_dict(),
            **({"workshop": self.workshop.to_save()} if self.workshop is not None else {}),
        }

    def save(self, path: Path) -> Path:
        """Write atomically; a damaged file at ``path`` is set aside, never written over."""
        try:
            read_object(path)
        except FileDamaged:
            set_aside(path)
        write_json_atomic(path, self.to_save())
        return path

    def save_new(self) -> Path:
        """A new save file in the saves folder, under a name no other save has (exclusive create)."""
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        base = f"{self.state.level_id}-q{self.quarter:02d}-{stamp}"
        return write_json_unique(paths.saves_dir(), base, ".json", self.to_save())

    @classmethod
    def load(cls, path: Path) -> Session:
        try:
            data = read_object(Path(path))
        except FileDamaged as exc:
            raise SaveError(str(exc)) from None
        if data is None:
            raise SaveError(f"{path}: file not found")
        session = cls.from_save(data, str(path))
        session.source = Path(path)
        return session

    @classmethod
    def from_save(cls, data: dict[str, Any], file: str = "(save)") -> Session:
        """Rebuild a session by re-simulating its record; every quarter's hash must match."""
        if data.get("format") != SAVE_FORMAT:
            raise SaveError(f"{file}: format: expected {SAVE_FORMAT!r}, got {data.get('format')!r}")
        if data.get("version") != SAVE_VERSION:
            raise SaveError(f"{file}: version: this program reads version {SAVE_VERSION}, got {data.get('version')!r}")
        replay = _need(data, "replay", dict, file)
        if replay.get("format") != REPLAY_FORMAT:
            raise SaveError(f"{file}: replay.format: expected {REPLAY_FORMAT!r}")
        try:
            check_replay_data(replay, f"{file}: replay")
        except ReplayError as exc:
            raise SaveError(str(exc)) from None
        level_id = _need(replay, "level_id", str, f"{file}: replay")
        level_hash = _need(replay, "level_hash", str, f"{file}: replay")
        loaded = _level(replay.get("level_path"), level_id, level_hash, file)
        seed = _need(replay, "seed", int, f"{file}: replay")
        players = _need(replay, "players", int, f"{file}: replay")
        if not 1 <= players <= MAX_PLAYERS:
            raise SaveError(f"{file}: replay.players: expected 1 to {MAX_PLAYERS}, got {players}")
        names = _need(replay, "names", list, f"{file}: replay")
        policies = _need(replay, "policies", dict, f"{file}: replay")
        turns = _need(replay, "turns", list, f"{file}: replay")
        try:
            recorder = Recorder.start(loaded, seed=seed, players=players, names=[str(n) for n in names] or None, policies=policies or None)
        except (KeyError, TypeError, ValueError) as exc:
            raise SaveError(f"{file}: replay: cannot start the game ({exc})") from None
        session = cls(loaded, recorder)
        session.done = [False] * players
        for k, turn in enumerate(turns):
            where = f"{file}: replay.turns[{k}]"
            if not isinstance(turn, dict):
                raise SaveError(f"{where}: expected an object")
            session._apply_all(_need(turn, "actions", list, where), where)
            if session.finished:
                raise SaveError(f"{where}: the game had already ended")
            session.reports.append(recorder.end_quarter())
            if recorder.game.hash() != turn.get("hash"):
                raise SaveError(f"{where}.hash: the state after quarter {turn.get('quarter')} differs from the recorded one; the save is damaged or was made with other rules")
        session._apply_all(_need(data, "pending", list, file), f"{file}: pending")
        done = data.get("done")
        if isinstance(done, list) and len(done) == players and all(isinstance(d, bool) for d in done):
            session.done = list(done)
        current = data.get("current")
        session.current = current if isinstance(current, int) and 0 <= current < players and not session.done[current] else session._first_undone()
        if session.current < 0:
            session.current = 0
        if "workshop" in data:
            from game.ui.workshop import Workshop

            try:
                session.workshop = Workshop.from_save(data["workshop"], players)
            except ValueError as exc:
                raise SaveError(f"{file}: workshop.{exc}") from None
        expected = data.get("state_hash")
        if isinstance(expected, str) and expected != session.game.hash():
            raise SaveError(f"{file}: state_hash: the game rebuilt from the save does not match it; the save is damaged")
        return session

    def _apply_all(self, actions: list[Any], where: str) -> None:
        for j, raw in enumerate(actions):
            try:
                action = _action_from_dict(raw)
            except ActionFormatError as exc:
                raise SaveError(f"{where}.actions[{j}].{exc}") from None
            try:
                self.recorder.apply(action)
            except InvalidAction as exc:
                raise SaveError(f"{where}.actions[{j}]: refused when re-played ({exc.refusal}); the save is damaged") from None
            if where.endswith("pending"):
                self.pending.append(action.to_dict())


def _need(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    return safeio.need(data, key, kind, where, SaveError)


def _level(level_path: Any, level_id: str, level_hash: str, file: str) -> LoadedLevel:
    loaded, found = recorded_level(level_path, level_id, level_hash, file)
    if loaded is not None:
        return loaded
    if not found:
        raise SaveError(f"{file}: replay.level_id: cannot find the level {safeio.excerpt(level_id)}")
    raise SaveError(f"{file}: replay.level_hash: the level {safeio.excerpt(level_id)} changed since this game was saved")


# ----------------------------------------------------------------------------
# Save files in the user folder


@dataclass
class SaveInfo:
    path: Path
    level_id: str = ""
    title: dict[str, str] = field(default_factory=dict)
    quarter: int = 0
    turns: int = 0
    names: list[str] = field(default_factory=list)
    saved_at: str = ""
    problem: str | None = None
    """Why the file cannot be loaded (it is still listed, so the player sees it)."""


_SAVE_NAME = re.compile(r"\.damaged-\d+\.json$")


def list_saves() -> list[SaveInfo]:
    """Every save in the user folder, newest first; damaged ones listed with the reason."""
    out = []
    for path in paths.saves_dir().glob("*.json"):
        if _SAVE_NAME.search(path.name) or path.name.startswith("."):
            continue
        info = SaveInfo(path)
        try:
            data = read_object(path)
        except FileDamaged as exc:
            info.problem = str(exc)
            out.append(info)
            continue
        if data is None:
            continue
        if data.get("format") != SAVE_FORMAT:
            info.problem = f"{path}: format: not an Enclave save"
        info.level_id = str(data.get("level_id", ""))
        title = data.get("level_title")
        info.title = title if isinstance(title, dict) else {}
        quarter, turns = data.get("quarter"), data.get("turns")
        info.quarter = quarter if isinstance(quarter, int) else 0
        info.turns = turns if isinstance(turns, int) else 0
        names = data.get("names")
        info.names = [str(n) for n in names] if isinstance(names, list) else []
        info.saved_at = str(data.get("saved_at", ""))
        out.append(info)
    out.sort(key=lambda i: (i.saved_at, i.path.name), reverse=True)
    return out
