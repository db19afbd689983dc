"""Reading and writing the window's JSON files safely.

Writes go through :func:`game.core.replay.write_json_atomic` (temp file,
fsync, rename), so a crash never leaves half a file. A file that cannot be
read is never written over: :func:`set_aside` renames it next to itself
(``name.damaged-N.json``) before anything new takes its place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.core.replay import ReplayError, read_json, write_json_atomic


class FileDamaged(Exception):
    """A file exists but is not usable; the message says which and why."""


def read_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``; None if the file does not exist; FileDamaged otherwise."""
    try:
        if not Path(path).exists():
            return None
    except (OSError, ValueError) as exc:
        raise FileDamaged(f"{str(path)[:300]}: cannot read the file ({exc})") from None
    try:
        return read_json(path, "file")
    except ReplayError as exc:
        raise FileDamaged(str(exc)) from None


def set_aside(path: Path) -> Path | None:
    """Rename a damaged file out of the way (never delete it); returns its new name."""
    if not path.exists():
        return None
    for n in range(1, 1000):
        target = path.with_name(f"{path.stem}.damaged-{n}{path.suffix}")
        if not target.exists():
            path.rename(target)
            return target
    return None


def write_object(path: Path, data: dict[str, Any]) -> None:
    """Write atomically; a damaged file already there is set aside first, not overwritten."""
    try:
        read_object(path)
    except FileDamaged:
        set_aside(path)
    write_json_atomic(path, data)
