"""Replay and save files: recorded sessions re-simulated bit for bit.

A replay holds the level id and content hash, the seed, the engine version,
the set-up (players, names, policy switches), every action taken each
quarter, and the state hash after every quarter, so a failed replay names
the first quarter that diverged. A save holds the whole state. Both are
JSON, written atomically (temp file then rename), so a crash never leaves a
half-written file in place of a good one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.core import safeio
from game.core.actions import ActionFormatError, InvalidAction
from game.core.engine import ENGINE_VERSION, Game, QuarterReport
from game.core.facilitator import AnyAction, any_action_from_dict
from game.core.level_loader import LoadedLevel, load_level
from game.core.serialize import SaveError, check_against_level, state_from_dict, state_to_dict

REPLAY_FORMAT = "enclave-replay"
SAVE_FORMAT = "enclave-save"
FILE_VERSION = 1


class ReplayError(Exception):
    """A replay or save file is unusable; the message names the file, field and reason."""


class WhatIfRefused(ReplayError):
    """A what-if change the game refuses at that quarter; ``refusal`` says why."""

    def __init__(self, message: str, refusal: Any, loaded: Any):
        super().__init__(message)
        self.refusal = refusal
        self.loaded = loaded


def fsync_dir(folder: str | Path) -> None:
    """Flush a folder's entries (a rename) to disk, so a power loss cannot undo a finished save.

    Where folders cannot be opened (Windows), the file system journals renames itself.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temp_json(path: Path, data: Any) -> str:
    """The JSON in a fsynced temp file beside ``path``; returns the temp file's name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return tmp


def write_json_atomic(path: str | Path, data: Any) -> None:
    """Write JSON to a temp file in the same folder, rename it over the target, fsync the folder.

    Only for files that are meant to be replaced (autosave, settings); new saves use
    :func:`write_json_unique`, which never replaces anything.
    """
    path = Path(path)
    tmp = _write_temp_json(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def write_json_new(path: str | Path, data: Any) -> None:
    """Create ``path`` with the JSON, complete or not at all; FileExistsError if it exists.

    The temp file is hard-linked to its name (atomic, and refused if the name is
    taken), so two windows saving at once can never replace each other's file.
    Where hard links are not supported, the name is created exclusively instead.
    """
    path = Path(path)
    tmp = _write_temp_json(path, data)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            with open(tmp, "rb") as src, open(path, "xb") as dst:
                dst.write(src.read())
                dst.flush()
                os.fsync(dst.fileno())
    finally:
        os.unlink(tmp)
    fsync_dir(path.parent)


def write_json_unique(folder: str | Path, stem: str, suffix: str, data: Any) -> Path:
    """Write a new file ``stem[-N]suffix`` in ``folder`` under a name nobody has; returns it."""
    folder = Path(folder)
    for n in range(1, 10_000):
        path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            write_json_new(path, data)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{folder}: no free file name left for {stem}{suffix}")


JOURNAL_SUFFIX = ".journal"
"""A file kept by :class:`JournaledFile` may have ``<name>.journal`` beside it."""

JOURNAL_LIMIT = 4 * 1024 * 1024
"""A journal longer than this is folded back into its file (one atomic write)."""


def journal_path(path: str | Path) -> Path:
    return Path(str(path) + JOURNAL_SUFFIX)


class JournaledFile:
    """A JSON file kept current by appending, for a writer that must be fast and durable.

    Rewriting a whole file costs a temp file, an fsync, a rename and an fsync of the
    folder (about 12 ms on this project's CI disk); appending a line to a journal and
    ``fdatasync`` costs one flush (about 4 ms). Each :meth:`write` appends the whole
    snapshot, numbered by ``commit``, to ``<name>.journal``; when the journal passes
    :data:`JOURNAL_LIMIT`, or on :meth:`compact`, the snapshot is written into the
    file itself (atomically) and the journal emptied. :func:`read_json` returns
    whichever complete snapshot has the highest ``commit``, the file's or a journal
    line's, so a writer killed at any moment (mid-line, mid-compaction) loses nothing
    it had finished writing, and every reader (replay, export, what-if, resume) sees
    the latest state.
    """

    def __init__(self, path: str | Path, commit: int = 0):
        self.path = Path(path)
        self.commit = commit
        self._fd: int | None = None
        self._size = 0

    def write(self, data: dict[str, Any]) -> None:
        """Make ``data`` the file's content, durably, before returning."""
        self.commit += 1
        record = {**data, "commit": self.commit}
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")
        if self._fd is None or self._size + len(line) > JOURNAL_LIMIT:
            self._fold(record)
            return
        os.write(self._fd, line)
        if hasattr(os, "fdatasync"):
            os.fdatasync(self._fd)
        else:  # Windows and macOS: fsync flushes the data too
            os.fsync(self._fd)
        self._size += len(line)

    def compact(self, data: dict[str, Any]) -> None:
        """Make ``data`` the file's content and empty the journal."""
        self.commit += 1
        self._fold({**data, "commit": self.commit})

    def _fold(self, record: dict[str, Any]) -> None:
        write_json_atomic(self.path, record)
        # The file now holds this commit; older journal lines lose to it when read.
        if self._fd is None:
            self._fd = os.open(journal_path(self.path), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            fsync_dir(self.path.parent)
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)
        self._size = 0

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _latest_journal_line(path: str | Path, data: dict[str, Any], what: str) -> dict[str, Any]:
    """The snapshot with the highest ``commit``: the file's or a complete journal line's."""
    journal = journal_path(path)
    if not journal.is_file():
        return data
    try:
        text = safeio.read_text_capped(journal, JOURNAL_LIMIT * 2, f"{what} journal")
    except safeio.InputError as exc:
        raise ReplayError(str(exc)) from None
    best = data
    own = data.get("commit")
    best_commit: int = own if isinstance(own, int) and not isinstance(own, bool) else -1
    for line in text.splitlines():
        try:
            record = safeio.parse_json(line, str(journal), what)
        except safeio.InputError:
            continue  # a line cut short when the writer was killed: never acknowledged
        commit = record.get("commit") if isinstance(record, dict) else None
        if isinstance(commit, int) and not isinstance(commit, bool) and commit > best_commit:
            best, best_commit = record, commit
    return best


def read_json(path: str | Path, what: str, limit: int | None = None) -> dict[str, Any]:
    """A JSON object from a regular file of bounded size; every parse failure is one ReplayError."""
    try:
        data = safeio.read_json_capped(path, what, safeio.MAX_JSON_BYTES if limit is None else limit)
    except safeio.InputError as exc:
        raise ReplayError(str(exc)) from None
    if not isinstance(data, dict):
        raise ReplayError(f"{path}: (top level): a {what} must be a JSON object")
    return _latest_journal_line(path, data, what)


@dataclass
class Recorder:
    """Wraps a game and records what a replay needs while it is played."""

    game: Game
    level_path: str
    players: int
    names: list[str]
    policies: dict[str, bool]
    turns: list[dict[str, Any]] = field(default_factory=list)
    _pending: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def start(cls, loaded: LoadedLevel, seed: int | None = None, players: int = 1, names: list[str] | None = None, policies: dict[str, bool] | None = None) -> Recorder:
        game = Game.new(loaded, seed=seed, players=players, names=names, policies=policies)
        return cls(game, loaded.path, players, list(game.state.firms.names[:players]), dict(sorted((policies or {}).items())))

    def apply(self, action: AnyAction) -> None:
        self.game.apply(action)
        self._pending.append(action.to_dict())

    def try_apply(self, action: AnyAction):  # noqa: ANN201 - Refusal | None
        refusal = self.game.validate(action)
        if refusal is None:
            self.apply(action)
        return refusal

    def end_quarter(self) -> QuarterReport:
        quarter = self.game.quarter
        report = self.game.end_quarter()
        self.turns.append({"quarter": quarter, "actions": self._pending, "hash": self.game.hash()})
        self._pending = []
        return report

    def to_dict(self) -> dict[str, Any]:
        st = self.game.state
        return {
            "format": REPLAY_FORMAT,
            "version": FILE_VERSION,
            "engine_version": ENGINE_VERSION,
            "level_id": st.level_id,
            "level_hash": st.level_hash,
            "level_path": self.level_path,
            "seed": st.seed,
            "players": self.players,
            "names": self.names,
            "policies": self.policies,
            "turns": self.turns,
            "pending": list(self._pending),
            "final_hash": self.game.hash(),
        }

    def save(self, path: str | Path) -> None:
        write_json_atomic(path, self.to_dict())


@dataclass
class ReplayResult:
    ok: bool
    quarters: int
    final_hash: str
    diverged_quarter: int | None = None
    expected: str | None = None
    got: str | None = None
    reason: str = ""


def _field(data: dict[str, Any], key: str, kind: type | tuple[type, ...], file: str) -> Any:
    if key not in data:
        raise ReplayError(f"{file}: {key}: missing")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ReplayError(f"{file}: {key}: expected {names}, got {safeio.excerpt(value)}")
    return value


def recorded_level_path_allowed(level_path: str, file: str) -> bool:
    """A level_path read from a file is followed only under the shipped levels or beside that file."""
    from game.core.level_loader import LEVELS_DIR

    try:
        target = Path(level_path).resolve()
    except (OSError, ValueError, RuntimeError):
        return False
    beside = Path(file.split(": ", 1)[0]).resolve().parent
    return target.is_relative_to(LEVELS_DIR.resolve()) or target.parent == beside


def recorded_level(level_path: Any, level_id: str, level_hash: str, file: str) -> tuple[LoadedLevel | None, bool]:
    """The level a save or session file names, tried by its recorded path, then by id.

    Returns the level whose content hash matches (or None) and whether any level
    was found at all, so the caller can tell "missing" from "changed" in its own
    message. A recorded path is followed only where :func:`recorded_level_path_allowed` says.
    """
    from game.core.level_loader import LevelError, load_level

    loaded = None
    for source in (level_path, level_id):
        if not isinstance(source, str) or not source:
            continue
        if source is level_path and not recorded_level_path_allowed(level_path, file):
            continue
        try:
            loaded = load_level(source)
        except LevelError:
            continue
        if loaded.content_hash == level_hash:
            return loaded, True
    return None, loaded is not None


def _level_for(data: dict[str, Any], file: str, level_override: str | None) -> LoadedLevel:
    from game.core.level_loader import LevelError, LevelIssue

    recorded = data.get("level_path")
    if recorded is not None and not isinstance(recorded, str):
        raise ReplayError(f"{file}: level_path: expected a file name, got {safeio.excerpt(recorded)}")
    if not isinstance(data.get("level_id"), str):
        raise ReplayError(f"{file}: level_id: expected str, got {safeio.excerpt(data.get('level_id'))}")
    if not isinstance(data.get("level_hash"), str):
        raise ReplayError(f"{file}: level_hash: expected str, got {safeio.excerpt(data.get('level_hash'))}")
    if recorded and level_override is None and not recorded_level_path_allowed(recorded, file):
        refused = LevelIssue(recorded[:200], "", "a recorded level_path is only followed under the shipped levels or beside the file; give --level to use it")
        try:
            loaded = load_level(data["level_id"])
        except LevelError:
            raise ReplayError(f"{file}: level_path: cannot load the level ({refused})") from None
        return _check_level_hash(loaded, data, file)
    source = level_override or recorded or data["level_id"]
    try:
        loaded = load_level(source)
    except LevelError as exc:
        if level_override is None and data.get("level_path"):
            try:
                loaded = load_level(data["level_id"])
            except LevelError:
                raise ReplayError(f"{file}: level_path: cannot load the level ({exc.issues[0]})") from None
        else:
            raise ReplayError(f"{file}: level_path: cannot load the level ({exc.issues[0]})") from None
    return _check_level_hash(loaded, data, file)


def _check_level_hash(loaded: LoadedLevel, data: dict[str, Any], file: str) -> LoadedLevel:
    if loaded.content_hash != data["level_hash"]:
        raise ReplayError(
            f"{file}: level_hash: recorded with level content {safeio.excerpt(data['level_hash'])}, but {loaded.path} now hashes to {loaded.content_hash}; the level changed since recording"
        )
    return loaded


MAX_NAME = safeio.MAX_NAME
"""Longest team name a replay may carry."""


def _check_action_texts(action: Any, where: str) -> None:
    """Texts inside an action (names, notes, ids): no control characters, no lone surrogates, bounded."""
    if not isinstance(action, dict):
        return
    for key, value in action.items():
        if isinstance(value, str):
            why = (f"is {len(value):,} characters long (at most {MAX_TEXT})" if len(value) > MAX_TEXT else None) or safeio.bad_text(value)
            if why:
                raise ReplayError(f"{where}.{safeio.excerpt(key, 40)}: the text {safeio.excerpt(value)} {why}")


MAX_TEXT = safeio.MAX_TEXT


def load_replay(path: str | Path) -> dict[str, Any]:
    """Read and check a replay file's structure (not yet re-simulated)."""
    file = str(path)
    data = read_json(path, "replay")
    embedded = data.get("replay")
    if data.get("format") != REPLAY_FORMAT and isinstance(embedded, dict) and embedded.get("format") == REPLAY_FORMAT:
        # A save that carries its session's replay (the window's saves do): use that.
        data = embedded
        file = f"{file}: replay"
    return check_replay_data(data, file)


def check_engine_version(recorded: str, file: str) -> None:
    """ReplayError unless the file was recorded with this engine: another engine's rules give
    other results, so its hashes could only fail, quarter after quarter."""
    if recorded != ENGINE_VERSION:
        raise ReplayError(
            f"{file}: engine_version: recorded with engine {safeio.excerpt(recorded, 40)}, and this program runs engine {ENGINE_VERSION}, "
            "whose rules give other results; open it with the Enclave version that recorded it"
        )


def check_replay_data(data: dict[str, Any], file: str) -> dict[str, Any]:
    """Check a replay's structure, texts and bounds (not yet re-simulated); ReplayError names the field."""
    if data.get("format") != REPLAY_FORMAT:
        raise ReplayError(f"{file}: format: expected {REPLAY_FORMAT!r}, got {safeio.excerpt(data.get('format'))}")
    if _field(data, "version", int, file) != FILE_VERSION:
        raise ReplayError(f"{file}: version: this program reads version {FILE_VERSION}, got {data['version']}")
    check_engine_version(_field(data, "engine_version", str, file), file)
    _field(data, "level_id", str, file)
    _field(data, "level_hash", str, file)
    if not 0 <= _field(data, "seed", int, file) < 2**63:
        raise ReplayError(f"{file}: seed: must be 0 to 2**63-1, got {safeio.excerpt(data['seed'])}")
    _field(data, "final_hash", str, file)
    players = _field(data, "players", int, file)
    if not 1 <= players <= 8:
        raise ReplayError(f"{file}: players: expected 1 to 8, got {players}")
    names = _field(data, "names", list, file)
    if len(names) != players or not all(isinstance(n, str) for n in names):
        raise ReplayError(f"{file}: names: expected {players} names")
    for k, name in enumerate(names):
        why = (f"is {len(name):,} characters long (at most {MAX_NAME})" if len(name) > MAX_NAME else None) or safeio.bad_text(name) or ("is empty" if not name.strip() else None)
        if why:
            raise ReplayError(f"{file}: names[{k}]: the name {safeio.excerpt(name)} {why}")
    policies = _field(data, "policies", dict, file)
    if not all(isinstance(v, bool) for v in policies.values()):
        raise ReplayError(f"{file}: policies: each value must be true or false")
    for key in policies:
        if len(key) > 48 or safeio.bad_text(key):
            raise ReplayError(f"{file}: policies: {safeio.excerpt(key)} is not a policy id")
    turns = _field(data, "turns", list, file)
    pending = data.setdefault("pending", [])
    if not isinstance(pending, list):
        raise ReplayError(f"{file}: pending: expected a list of actions")
    for j, a in enumerate(pending):
        _check_action_texts(a, f"{file}: pending[{j}]")
        try:
            any_action_from_dict(a)
        except ActionFormatError as exc:
            raise ReplayError(f"{file}: pending[{j}].{safeio.shorten(str(exc), 300)}") from None
    for k, turn in enumerate(turns):
        if not isinstance(turn, dict):
            raise ReplayError(f"{file}: turns[{k}]: expected an object")
        _field(turn, "quarter", int, f"{file}: turns[{k}]")
        _field(turn, "hash", str, f"{file}: turns[{k}]")
        actions = _field(turn, "actions", list, f"{file}: turns[{k}]")
        for j, a in enumerate(actions):
            _check_action_texts(a, f"{file}: turns[{k}].actions[{j}]")
            try:
                any_action_from_dict(a)
            except ActionFormatError as exc:
                raise ReplayError(f"{file}: turns[{k}].actions[{j}].{safeio.shorten(str(exc), 300)}") from None
    return data


def run_replay(path: str | Path, level_override: str | None = None) -> ReplayResult:
    """Re-simulate a replay; stops at the first quarter whose hash differs."""
    file = str(path)
    data = load_replay(path)
    loaded = _level_for(data, file, level_override)
    try:
        game = Game.new(loaded, seed=data["seed"], players=data["players"], names=data["names"], policies=data["policies"])
    except KeyError as exc:
        raise ReplayError(f"{file}: policies: unknown policy {exc.args[0]!r} in level {loaded.level.id}") from None
    for k, turn in enumerate(data["turns"]):
        if game.quarter != turn["quarter"]:
            return ReplayResult(False, k, game.hash(), game.quarter, turn["hash"], game.hash(), f"the replay labels this turn quarter {safeio.excerpt(turn['quarter'])}, but the game is at quarter {game.quarter}")
        if game.finished:
            return ReplayResult(False, k, game.hash(), turn["quarter"], turn["hash"], "", "the game ended before this quarter")
        for j, a in enumerate(turn["actions"]):
            try:
                game.apply(any_action_from_dict(a))
            except InvalidAction as exc:
                return ReplayResult(False, k, game.hash(), turn["quarter"], turn["hash"], game.hash(), f"action {j} refused: {exc.refusal}")
        game.end_quarter()
        got = game.hash()
        if got != turn["hash"]:
            return ReplayResult(False, k + 1, got, turn["quarter"], turn["hash"], got, "state hash differs")
    # Actions of a quarter still in progress when the replay was saved.
    for j, a in enumerate(data["pending"]):
        try:
            game.apply(any_action_from_dict(a))
        except InvalidAction as exc:
            return ReplayResult(False, len(data["turns"]), game.hash(), game.quarter, data["final_hash"], game.hash(), f"pending action {j} refused: {exc.refusal}")
    if game.hash() != data["final_hash"]:
        return ReplayResult(False, len(data["turns"]), game.hash(), game.quarter, data["final_hash"], game.hash(), "final state hash differs (turns missing or changed)")
    return ReplayResult(True, len(data["turns"]), game.hash())


def save_game(game: Game, path: str | Path, level_path: str) -> None:
    st = game.state
    write_json_atomic(
        path,
        {
            "format": SAVE_FORMAT,
            "version": FILE_VERSION,
            "engine_version": ENGINE_VERSION,
            "level_id": st.level_id,
            "level_hash": st.level_hash,
            "level_path": level_path,
            "state": state_to_dict(st),
        },
    )


def load_game(path: str | Path, level_override: str | None = None) -> Game:
    """Load a saved game; the level must be the one it was saved with."""
    from game.core.rules import compile_rules

    file = str(path)
    data = read_json(path, "save")
    if data.get("format") != SAVE_FORMAT:
        raise ReplayError(f"{file}: format: expected {SAVE_FORMAT!r}, got {data.get('format')!r}")
    for key in ("level_id", "level_hash"):
        _field(data, key, str, file)
    loaded = _level_for(data, file, level_override)
    try:
        state = state_from_dict(_field(data, "state", dict, file), len(loaded.level.certifications))
        lv = loaded.level
        check_against_level(state, len(lv.lead_firms), len(lv.policies), len(lv.programmes), len(lv.events), len(lv.objective.conditions))
    except SaveError as exc:
        raise ReplayError(f"{file}: state.{exc}") from None
    if state.level_hash != loaded.content_hash:
        raise ReplayError(f"{file}: state.level_hash: does not match the level")
    return Game(compile_rules(loaded.level, loaded.content_hash), state)


@dataclass
class SessionPath:
    """One run of a session: the hash after each quarter, its reports and the final game."""

    game: Game
    hashes: list[str]
    reports: list[QuarterReport]
    skipped: list[tuple[int, dict[str, Any], str]] = field(default_factory=list)


@dataclass(frozen=True)
class WhatIf:
    """One change to a recorded session.

    ``policy``: switch that policy ``on`` (or off) from ``quarter``.
    ``firm`` + ``strategy``: from ``quarter`` on, that team's decisions are
    taken by the computer strategy instead of the recorded ones.
    """

    quarter: int
    policy: str | None = None
    on: bool = True
    firm: str | None = None
    strategy: str | None = None


def simulate(data: dict[str, Any], loaded: LoadedLevel, change: WhatIf | None = None) -> SessionPath:
    """Re-run a loaded replay's session, optionally with one change.

    Without a change every recorded action must be valid (a strict replay).
    With a change, recorded decisions that the changed state no longer
    allows are skipped and listed (the session has taken another path).
    """
    from game.core.facilitator import SwitchPolicy, TeamTimedOut

    game = Game.new(loaded, seed=data["seed"], players=data["players"], names=data["names"], policies=data["policies"])
    path = SessionPath(game, [], [])
    for turn in data["turns"]:
        if game.finished:
            break
        q = game.quarter
        actions = [any_action_from_dict(a) for a in turn["actions"]]
        if change is not None and q >= change.quarter:
            if change.firm is not None:
                actions = [a for a in actions if getattr(a, "firm", None) != change.firm and not (isinstance(a, TeamTimedOut) and a.firm == change.firm)]
                actions.insert(0, TeamTimedOut(change.firm, change.strategy or "cautious"))
            if change.policy is not None and q == change.quarter:
                actions.insert(0, SwitchPolicy(change.policy, change.on))
        for a in actions:
            refusal = game.validate(a)
            if refusal is not None:
                if change is None:
                    raise ReplayError(f"quarter {q}: recorded action refused: {refusal}")
                path.skipped.append((q, a.to_dict(), str(refusal)))
                continue
            game.apply(a)
        path.reports.append(game.end_quarter())
        path.hashes.append(game.hash())
    return path


def what_if(path: str | Path, change: WhatIf, level_override: str | None = None) -> tuple[SessionPath, SessionPath, int | None]:
    """The recorded session and the same session with one change, side by side.

    Returns both paths and the first quarter whose state differs (None if
    the change made no difference).
    """
    from game.core.facilitator import SwitchPolicy, TeamTimedOut
    from game.core.facilitator import validate as facilitator_validate

    file = str(path)
    data = load_replay(path)
    loaded = _level_for(data, file, level_override)
    if change.policy is None and change.firm is None:
        raise ReplayError(f"{file}: what-if: name a policy to switch or a team to hand to a computer strategy")
    if not 1 <= change.quarter <= len(data["turns"]):
        raise ReplayError(f"{file}: what-if: quarter {change.quarter} is outside the recorded 1-{len(data['turns'])}")
    original = simulate(data, loaded)
    probe = simulate({**data, "turns": data["turns"][: change.quarter - 1]}, loaded)
    check = SwitchPolicy(change.policy, change.on) if change.policy is not None else TeamTimedOut(change.firm or "", change.strategy or "")
    refusal = facilitator_validate(probe.game.state, probe.game.rules, check)
    if refusal is not None:
        raise WhatIfRefused(f"{file}: what-if: the change cannot be made in quarter {change.quarter}: {refusal}", refusal, loaded)
    changed = simulate(data, loaded, change)
    first = next((k + 1 for k, (a, b) in enumerate(zip(original.hashes, changed.hashes, strict=False)) if a != b), None)
    return original, changed, first
