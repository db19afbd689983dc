"""Validated levels kept in the user's cache folder, read back without pydantic.

Validating a level means importing pydantic and building the level models' validators,
about as much CPU as Python and numpy take to start (issue 10). A level file that passed
both passes once is kept here: its validated values, keyed by the file's text and by the
code that validated it. The next start that reads the same text with the same code builds
the level from the kept values as :class:`Record` objects, without parsing YAML or
importing pydantic.

- **Key**: SHA-256 of the level's text, the source of the level models and of the loader
  (``level.py``, ``level_terms.py``, ``level_loader.py``, this module), pydantic's
  ``version.py``, PyYAML's version and Python's. Change any of them and the entry is not
  found: the file is validated anew. Without the sources (a frozen desktop build) there is
  no key and no cache.
- **Entry**: one file ``level-<key>.json`` in :func:`cache_dir` (never beside the level): a
  header line (format, key, SHA-256 of the body) and the body (the content hash and the
  values, each model tagged with its class and the keys the file set). An entry whose key
  or digest does not match, or that cannot be read back for any reason, is ignored and
  written again after validation: a corrupted, truncated or stale entry costs one
  validation, never a traceback or a different game. Only levels that passed validation
  are kept, so a bad level is validated (and reported) at every start.
- **Shipped entries**: the game's own levels ship with theirs in ``levels/validated/``, keyed
  by the level's text and the game's level sources only (:func:`read_shipped`), so they start
  without pydantic from the first start.
- **Trust**: the digest catches corruption, not forgery. Whoever can write the user's cache
  folder can also change the user's levels and programs; ``ENCLAVE_CACHE_DIR`` moves the
  folder, and setting it empty turns the cache off.

A :class:`Record` reads like the pydantic model it was validated as: the same attributes
(enums as the same enum members, lists and dicts in the same order), ``model_fields_set``,
``model_dump`` and ``model_copy`` (what the core and the tools call), equality within
records, pickling (sweep workers). ``tests/test_level_cache.py`` holds every shipped level's
records to its models and a cached game to the validated one, state hash by state hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from enum import Enum
from pathlib import Path
from typing import Any

from game.core.level_terms import ENUMS

FORMAT = 1
"""Layout of an entry; bumped when it changes (it is part of the key)."""
MAX_ENTRY_BYTES = 32 * 1024 * 1024
"""An entry larger than this is not read (a level file is at most a few MB)."""
KEEP_ENTRIES = 64
"""Entries kept in the folder; the oldest beyond this are removed when one is written."""
_SOURCES = ("level.py", "level_terms.py", "level_loader.py", "level_cache.py")


# --- records ----------------------------------------------------------------------------------


class Record:
    """The validated values of one level model, read like the model itself (frozen)."""

    __slots__ = ("__dict__", "model_fields_set")
    model_fields_set: frozenset[str] | set[str]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (record, (type(self).__name__, dict(self.__dict__), set(self.model_fields_set)))

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The values as plain data, as pydantic's ``model_dump`` gives them (``mode="json"``: enums as their values)."""
        return _dump(self, mode == "json")

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Record:
        """A copy with ``update``'s values put in unvalidated, as pydantic's ``model_copy`` does."""
        update = update or {}
        return record(type(self).__name__, {**self.__dict__, **update}, set(self.model_fields_set) | set(update))


_CLASSES: dict[str, type[Record]] = {}


def record(model: str, values: dict[str, Any], fields_set: set[str] | frozenset[str]) -> Record:
    """A record of the level model named ``model`` holding ``values`` (all its fields, in order)."""
    cls = _CLASSES.get(model)
    if cls is None:
        if not model.isidentifier():
            raise ValueError(f"not a model name: {model[:60]!r}")
        cls = _CLASSES[model] = type(model, (Record,), {"__slots__": (), "__module__": __name__})
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    object.__setattr__(obj, "model_fields_set", set(fields_set))
    return obj


def _dump(value: Any, json_mode: bool) -> Any:  # noqa: ANN401
    if isinstance(value, Record):
        return {k: _dump(v, json_mode) for k, v in value.__dict__.items()}
    if isinstance(value, list):
        return [_dump(v, json_mode) for v in value]
    if isinstance(value, dict):
        return {_dump(k, json_mode): _dump(v, json_mode) for k, v in value.items()}
    if json_mode and isinstance(value, Enum):
        return value.value
    if hasattr(type(value), "model_fields"):  # a validated model put into a record by model_copy
        return value.model_dump(mode="json" if json_mode else "python")
    return value


# --- encoding ---------------------------------------------------------------------------------


def encode(value: Any) -> Any:  # noqa: ANN401
    """A validated level (pydantic models or records) as JSON data: every object is a tag,
    ``{"m": model, "s": keys set, "f": fields}``, ``{"e": enum, "v": value}`` or ``{"d": [[key, value], ...]}``."""
    if isinstance(value, bool | int | float | str) and not isinstance(value, Enum) or value is None:
        if isinstance(value, float) and value != value:  # NaN: the models refuse it; never kept
            raise ValueError("NaN in a validated level")
        return value
    if isinstance(value, Enum):
        if ENUMS.get(type(value).__name__) is not type(value):
            raise ValueError(f"enum {type(value).__name__} is not a level enum")
        return {"e": type(value).__name__, "v": value.value}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"d": [[encode(k), encode(v)] for k, v in value.items()]}
    fields = getattr(type(value), "model_fields", None)
    if isinstance(value, Record):
        fields = value.__dict__
    if fields is None:
        raise ValueError(f"cannot keep a {type(value).__name__} in a cached level")
    return {"m": type(value).__name__, "s": sorted(value.model_fields_set), "f": {k: encode(getattr(value, k)) for k in fields}}


def decode(data: Any) -> Any:  # noqa: ANN401
    """The inverse of :func:`encode`, with records for models; raises on anything it did not write."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, dict):
        if "m" in data:
            fields = data["f"]
            if not isinstance(fields, dict) or len(data) != 3:
                raise ValueError("bad model tag")
            return record(data["m"], {k: decode(v) for k, v in fields.items()}, set(data["s"]))
        if "e" in data:
            return ENUMS[data["e"]](data["v"])
        if "d" in data and len(data) == 1:
            return {decode(k): decode(v) for k, v in data["d"]}
        raise ValueError("unknown tag")
    if data is None or isinstance(data, bool | int | float | str):
        return data
    raise ValueError("unknown value")


# --- the folder -------------------------------------------------------------------------------


def cache_dir() -> Path | None:
    """Where entries are kept: ``ENCLAVE_CACHE_DIR`` (empty: no cache), else the platform's user cache folder."""
    override = os.environ.get("ENCLAVE_CACHE_DIR")
    if override is not None:
        return Path(override).expanduser() / "levels" if override else None
    try:
        if sys.platform.startswith("win"):
            base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "Enclave" / "Cache"
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches" / "Enclave"
        else:
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "enclave"
    except (RuntimeError, OSError):  # no home folder
        return None
    return base / "levels"


_CODE: list[str | None] = []
_OWN: list[str | None] = []


def _hash_files(h: Any, paths: list[Path]) -> None:  # noqa: ANN401 - a hashlib object
    for path in paths:
        data = path.read_bytes()
        h.update(f"{path.name} {len(data)}\n".encode())
        h.update(data)


def _sources_fingerprint() -> str | None:
    """SHA-256 of the game's own code that validates a level (the level models and the loader,
    ``_SOURCES``) and of :data:`FORMAT`, once per process; None without the sources (a frozen
    build). What a shipped entry is keyed by (:func:`read_shipped`)."""
    if not _OWN:
        h = hashlib.sha256(f"enclave-shipped-level {FORMAT}\n".encode())
        try:
            here = Path(__file__).resolve().parent
            _hash_files(h, [here / name for name in _SOURCES])
            _OWN.append(h.hexdigest())
        except OSError:
            _OWN.append(None)
    return _OWN[0]


def _code_fingerprint() -> str | None:
    """SHA-256 of the code that validates a level (see the module's docstring), once per process."""
    if not _CODE:
        h = hashlib.sha256(f"enclave-level-cache {FORMAT} {sys.version}\n".encode())
        try:
            import importlib.util

            import yaml

            here = Path(__file__).resolve().parent
            spec = importlib.util.find_spec("pydantic")
            origin = spec.origin if spec else None
            if not origin:
                raise OSError("pydantic not found")
            h.update(f"pyyaml {yaml.__version__}\n".encode())
            _hash_files(h, [*(here / name for name in _SOURCES), Path(origin).parent / "version.py"])
            _CODE.append(h.hexdigest())
        except (OSError, ImportError, ValueError):  # a frozen build keeps no sources: no cache
            _CODE.append(None)
    return _CODE[0]


def entry_key(text: str) -> str | None:
    """The key of a level text's entry, or None when nothing may be cached."""
    code = _code_fingerprint()
    if code is None:
        return None
    return hashlib.sha256(code.encode() + b"\n" + text.encode("utf-8", "surrogatepass")).hexdigest()


def _entry_path(folder: Path, key: str) -> Path:
    return folder / f"level-{key[:40]}.json"


def read(text: str) -> tuple[Any, str] | None:
    """The level (as records) and content hash kept for this text, or None (not kept, stale or unreadable)."""
    folder = cache_dir()
    key = entry_key(text) if folder is not None else None
    if folder is None or key is None:
        return None
    return _read_entry(_entry_path(folder, key), {"format": FORMAT, "key": key})


def _read_entry(path: Path, expected: dict[str, Any]) -> tuple[Any, str] | None:
    """An entry's level (as records) and content hash if its header is ``expected`` plus the
    body's digest, else None (missing, stale, corrupted or unreadable: never raises)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:  # a folder or a pipe in its place
            return None
        with open(path, "rb") as fh:
            raw = fh.read(MAX_ENTRY_BYTES + 1)
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if header != {**expected, "body": hashlib.sha256(body).hexdigest()}:
            return None
        data = json.loads(body)
        content_hash = data["content_hash"]
        level = decode(data["level"])
        if not isinstance(content_hash, str) or type(level).__name__ != "Level":
            return None
        return level, content_hash
    except Exception:  # noqa: BLE001 - a missing, unreadable or corrupted entry is not used: the file is validated
        return None


def write(text: str, level: Any, content_hash: str) -> bool:  # noqa: ANN401
    """Keep a validated level for this text; True if kept. Never raises: a cache that cannot be written is no cache."""
    folder = cache_dir()
    key = entry_key(text) if folder is not None else None
    if folder is None or key is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_entry(_entry_path(folder, key), {"format": FORMAT, "key": key}, level, content_hash)
        _prune(folder)
        return True
    except Exception:  # noqa: BLE001 - a full disk, a read-only folder, a value it cannot keep
        return False


def _write_entry(path: Path, header: dict[str, Any], level: Any, content_hash: str) -> None:  # noqa: ANN401
    """Write an entry (``header`` plus the body's digest, then the body) atomically: a reader sees
    the old file or the new one. Raises what writing raises."""
    import tempfile

    body = json.dumps({"content_hash": content_hash, "level": encode(level)}, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    raw = body.encode("utf-8", "surrogatepass")
    head = json.dumps({**header, "body": hashlib.sha256(raw).hexdigest()}).encode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".level-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(head + b"\n" + raw)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --- shipped entries --------------------------------------------------------------------------

SHIPPED_FOLDER = "validated"
"""The folder of ``levels/`` that holds the shipped levels' entries (:func:`read_shipped`)."""


def shipped_entry_path(levels_dir: Path, path: Path) -> Path | None:
    """Where the entry of a shipped level file is (``levels/validated/<name>.json``), or None
    for a file that is not in ``levels_dir``."""
    try:
        if path.resolve().parent != levels_dir.resolve():
            return None
    except (OSError, RuntimeError):
        return None
    return levels_dir / SHIPPED_FOLDER / f"{path.stem}.json"


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


BUILT_CODE = "CODE"
"""In a frozen desktop build, the file of ``levels/validated/`` that holds the fingerprint of the
level sources the build's entries were checked against (``game/build.py``): the build keeps no
sources to hash."""


def _shipped_fingerprint(levels_dir: Path) -> str | None:
    """:func:`_sources_fingerprint`; in a frozen build, the one the build wrote (:data:`BUILT_CODE`)."""
    code = _sources_fingerprint()
    if code is None and getattr(sys, "frozen", False):
        try:
            code = (levels_dir / SHIPPED_FOLDER / BUILT_CODE).read_text(encoding="ascii").strip() or None
        except (OSError, ValueError):
            return None
    return code


def read_shipped(levels_dir: Path, path: Path, text: str) -> tuple[Any, str] | None:
    """The validated values shipped with the game for a level file of ``levels_dir``, if they
    were written from this very text by this very code (:func:`_sources_fingerprint`), else None.

    The game's own levels then start without pydantic from the first start on, as a cached
    level does. A shipped entry is written by ``python main.py validate --write-shipped``
    (:func:`write_shipped`) and held by ``tests/test_level_cache.py`` to what validation gives
    with the installed pydantic and PyYAML: unlike a cache entry, it is not keyed by their
    versions, which the test run checks instead. A frozen desktop build reads the fingerprint
    its build checked the entries against (:data:`BUILT_CODE`). Anything else (an edited level, other level
    code, a changed or truncated entry) is not used: the file is validated."""
    entry = shipped_entry_path(levels_dir, path)
    code = _shipped_fingerprint(levels_dir)
    if entry is None or code is None:
        return None
    return _read_entry(entry, {"format": FORMAT, "code": code, "text": _text_digest(text)})


def write_shipped(levels_dir: Path, path: Path, text: str, level: Any, content_hash: str) -> Path:  # noqa: ANN401
    """Write the shipped entry of a level file of ``levels_dir`` validated from ``text``; returns
    its path. Raises ValueError for a file outside ``levels_dir`` or without the sources, and what
    writing raises."""
    entry = shipped_entry_path(levels_dir, path)
    code = _sources_fingerprint()
    if entry is None or code is None:
        raise ValueError(f"{path}: not a level of {levels_dir}, or the game's sources are not here")
    entry.parent.mkdir(parents=True, exist_ok=True)
    _write_entry(entry, {"format": FORMAT, "code": code, "text": _text_digest(text)}, level, content_hash)
    os.chmod(entry, 0o644)  # shipped with the game: readable by every user (an entry of the cache is the user's own)
    return entry


_ENTRY_NAME = re.compile(r"level-[0-9a-f]{40}\.json")
"""The name of an entry (:func:`_entry_path`): nothing else in the folder is ever removed."""


def _prune(folder: Path) -> None:
    """Remove the oldest entries beyond :data:`KEEP_ENTRIES` (only files named as this module names them)."""
    entries = []
    for p in folder.glob("level-*.json"):
        if not _ENTRY_NAME.fullmatch(p.name):
            continue
        try:
            entries.append((p.stat().st_mtime, p.name, p))
        except OSError:
            continue
    entries.sort()
    for _, _, p in entries[: max(0, len(entries) - KEEP_ENTRIES)]:
        try:
            p.unlink()
        except OSError:
            pass
