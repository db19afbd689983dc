"""Bounded, hostile-input-proof reading of level, replay, save and settings files.

* A file must be a regular file (not /dev/zero, a FIFO or a folder) and is read
  with a size cap, so nothing reads forever or fills memory.
* The JSON reader turns every parse failure into one message: syntax errors,
  NaN/Infinity, overflowing floats, integers of absurd length, deep nesting,
  lone surrogates.
* Texts coming from files (names, notes) refuse control characters and lone
  surrogates; error messages quote at most a short excerpt of any value.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

MAX_LEVEL_BYTES = 1024 * 1024
"""Shipped levels are under 30 KB; a level is refused above 1 MB before parsing
(PyYAML's pure-Python parser needs seconds per megabyte)."""
MAX_JSON_BYTES = 64 * 1024 * 1024
"""Replays and saves: the largest realistic save (20,000 firms, 80 quarters) is far below this."""
MAX_SETTINGS_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 64
MAX_INT_DIGITS = 40
"""No number in a replay or save needs more digits (int64 has 19)."""
EXCERPT = 60
MAX_MESSAGE = 2000


class InputError(Exception):
    """A file or value is unusable; the message names the file (and field) and the reason."""


def need(data: dict[str, Any], key: str, kind: type, where: str, error: type[Exception] = InputError) -> Any:
    """``data[key]`` when it is there and of ``kind`` (a bool is not an int); otherwise
    ``error`` naming ``where.key`` and what was wrong (saves, session files)."""
    if key not in data:
        raise error(f"{where}.{key}: missing")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise error(f"{where}.{key}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A short repr for error messages: long values are cut and their length said."""
    text = value if isinstance(value, str) else repr(value)
    if isinstance(value, str):
        shown = repr(text[:limit]) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text):,} characters)"
    else:
        shown = text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"
    return shown


def shorten(message: str, limit: int = MAX_MESSAGE) -> str:
    """Cap a whole message (a last line of defence against echoing huge input)."""
    if len(message) <= limit:
        return message
    return message[:limit] + f"... ({len(message) - limit:,} more characters)"


def read_capped(path: str | Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or InputError naming the problem."""
    file = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{file}: file not found") from None
    except OSError as exc:
        raise InputError(f"{file}: cannot read the file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, pipe or socket)"
        raise InputError(f"{file}: a {what} must be a regular file; this is {kind}")
    if st.st_size > limit:
        raise InputError(f"{file}: the file is {st.st_size:,} bytes; a {what} may be at most {limit:,} bytes")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(f"{file}: cannot read the file ({exc.strerror or exc})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
            raise InputError(f"{file}: a {what} must be a regular file")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise InputError(f"{file}: the file grew past {limit:,} bytes while being read; a {what} may be at most {limit:,} bytes")
            chunks.append(chunk)
    except OSError as exc:
        raise InputError(f"{file}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_text_capped(path: str | Path, limit: int, what: str) -> str:
    data = read_capped(path, limit, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: cannot read the file: byte {exc.start} is not UTF-8 text") from None


class Overlong(str):
    """Stands in for an integer too long to be a number of the game, so the field check names it."""


def _parse_int(text: str) -> Any:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return Overlong(f"<an integer of {len(text):,} digits>")
    return int(text)


_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Unicode category Cc: C0 controls, DEL and C1 controls."""


MAX_NAME = 200
"""Longest team name a game, a save or a replay may carry."""

MAX_TEAM_NAME = 40
"""Longest team name typed in the window's workshop set-up or on the host's join page."""

MAX_TEXT = 2000
"""Longest text an action may carry (a note, a consortium's name); longer texts are refused."""


def text_problem(value: str, max_len: int = MAX_TEXT) -> dict[str, int] | None:
    """Why a typed text cannot be kept, as params for a message, or None if it can.

    The same rule for every text a player or a facilitator types (a team's name, a note,
    a consortium's name) as for texts read back from files: a text that is accepted here
    is never refused when its save or replay is loaded.
    """
    if len(value) > max_len:
        return {"max": max_len}
    m = _bad_char(value)
    if m:
        return {"position": m.start() + 1, "code": ord(m.group())}
    return None


def _bad_char(value: str) -> re.Match[str] | None:
    """The first lone surrogate, else the first control character."""
    return _SURROGATE.search(value) or _CONTROL.search(value)


def bad_text(value: str) -> str | None:
    """Why a text from a file is refused (lone surrogate or control character), or None."""
    m = _bad_char(value)
    if m is None:
        return None
    code = ord(m.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"contains a lone surrogate (\\u{code:04x}) at position {m.start()}"
    return f"contains a control character (\\x{code:02x}) at position {m.start()}"


def _walk(data: Any, file: str) -> None:
    """Depth limit, and no lone surrogate in any string or key (iterative: no recursion)."""
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        node, depth, where = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InputError(f"{file}: {shorten(where, 200)}: the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
        if isinstance(node, str):
            if _SURROGATE.search(node):
                raise InputError(f"{file}: {shorten(where, 200) or '(top level)'}: the text {excerpt(node)} contains a lone surrogate (not valid Unicode)")
        elif isinstance(node, dict):
            for k, v in node.items():
                key = f"{where}.{k}" if where else str(k)
                stack.append((k, depth + 1, key))
                stack.append((v, depth + 1, key))
        elif isinstance(node, list):
            stack.extend((v, depth + 1, f"{where}[{n}]") for n, v in enumerate(node))


def parse_json(text: str, file: str, what: str) -> Any:
    """json.loads that reports every failure as one InputError naming the file.

    NaN, Infinity and overflowing floats are read as such (the field checks name them);
    an integer longer than any number of the game becomes an :class:`Overlong` text.
    """
    try:
        data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise InputError(f"{file}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); the {what} is corrupted") from None
    except RecursionError:
        raise InputError(f"{file}: the JSON is nested too deeply; the {what} is corrupted") from None
    except (ValueError, OverflowError) as exc:
        raise InputError(f"{file}: not a valid {what}: {shorten(str(exc), 200)}") from None
    _walk(data, file)
    return data


def read_json_capped(path: str | Path, what: str, limit: int = MAX_JSON_BYTES) -> Any:
    return parse_json(read_text_capped(path, limit, what), str(path), what)


def check_writable_file(path: str | Path, what: str) -> Path:
    """Raise InputError unless ``path`` can be created or replaced as a file (checked before work starts)."""
    import tempfile

    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: {what} must be a file name, and this is a folder")
    parent = p.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".enclave-probe-", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"{p}: cannot write {what} there ({exc.strerror or exc})") from None
    if p.exists() and not os.access(p, os.W_OK):
        raise InputError(f"{p}: cannot write {what} there (the file is read-only)")
    return p
