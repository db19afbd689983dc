"""The validated-level cache (game/core/level_cache.py): a level read back from it is the
validated level, value for value, and plays the same game; anything else in its place
(a changed file, other code, a corrupted, tampered or stale entry, no folder) means the
file is validated anew, with no traceback and no different game."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from game.core import level_cache, level_loader
from game.core.level import Level, TierRequirements
from game.core.level_cache import Record
from game.core.level_loader import LevelError, load_level, parse_yaml, shipped_levels, validate_data
from game.core.rules import DEFAULT_REQUIREMENTS
from game.headless.runner import play
from tests.golden.regen import GOLDEN_DIR, SUFFIX, read_spec, render
from tests.helpers import HEADLESS_ENV, MAIN, ROOT

TUTORIAL = ROOT / "levels" / "tutorial.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test; returns the folder entries go into. The shipped
    levels' own entries are not read meanwhile (these tests are about the user's cache; the
    shipped entries have theirs in tests/test_level_shipped.py)."""
    monkeypatch.setenv("ENCLAVE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(level_cache, "read_shipped", lambda levels_dir, path, text: None)
    return tmp_path / "cache" / "levels"


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the schema passes the loader runs (one per file validated)."""
    seen: list[str] = []
    real = level_loader.validate_data

    def counted(data: Any, file: str) -> Level:  # noqa: ANN401
        seen.append(file)
        return real(data, file)

    monkeypatch.setattr(level_loader, "validate_data", counted)
    return seen


def _validated(path: Path) -> Level:
    return validate_data(parse_yaml(path.read_text(encoding="utf-8"), str(path)), str(path))


def _typed(value: Any) -> Any:  # noqa: ANN401
    """A value as nested tuples naming each part's type: 1 and 1.0, a str and an enum member,
    a record and a model of another class all differ; the keys a model's file set are kept."""
    if isinstance(value, Record) or hasattr(type(value), "model_fields"):
        fields = value.__dict__ if isinstance(value, Record) else type(value).model_fields
        return ("model", type(value).__name__, tuple(sorted(value.model_fields_set)), tuple((k, _typed(getattr(value, k))) for k in fields))
    if isinstance(value, list):
        return ("list", tuple(_typed(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_typed(k), _typed(v)) for k, v in value.items()))
    if isinstance(value, Enum):
        return (type(value).__name__, value.value)
    return (type(value).__name__, value)


@pytest.mark.parametrize("path", shipped_levels(), ids=lambda p: p.stem)
def test_a_cached_level_is_the_validated_one_value_for_value(path: Path, cache: Path, validations: list[str]):
    first = load_level(path)
    assert validations == [str(path)] and isinstance(first.level, Level)
    again = load_level(path)
    assert validations == [str(path)], "the second load validated again"
    assert isinstance(again.level, Record) and type(again.level).__name__ == "Level"
    assert again.content_hash == first.content_hash == level_loader.content_hash(again.level)
    assert _typed(again.level) == _typed(first.level)
    for mode in ("python", "json"):
        assert again.level.model_dump(mode=mode) == first.level.model_dump(mode=mode)
    assert json.dumps(again.level.model_dump(mode="json")) == json.dumps(first.level.model_dump(mode="json"))
    assert repr(again.level) == repr(first.level)
    # Sweep workers get the level pickled.
    assert _typed(pickle.loads(pickle.dumps(again.level))) == _typed(again.level)


@pytest.mark.parametrize("path", shipped_levels(), ids=lambda p: p.stem)
def test_a_cached_level_plays_the_same_game(path: Path, cache: Path, validations: list[str]):
    validated = load_level(path)
    cached = load_level(path)
    assert isinstance(cached.level, Record) and len(validations) == 1
    games = [play(loaded, 11, ["ambitious", "coach"], record=True) for loaded in (validated, cached)]
    hashes = [[turn["hash"] for turn in g.recorder.turns] for g in games]
    assert hashes[0] == hashes[1] and len(hashes[0]) == validated.level.turns
    assert games[0].game.hash() == games[1].game.hash()


@pytest.mark.parametrize("golden", sorted(GOLDEN_DIR.glob(f"*{SUFFIX}")), ids=lambda p: p.name.removesuffix(SUFFIX))
def test_the_golden_playthroughs_from_cached_levels(golden: Path, cache: Path, validations: list[str]):
    spec = read_spec(golden)
    load_level(spec.level)
    assert len(validations) == 1
    assert render(spec) == golden.read_text(encoding="utf-8").splitlines()
    assert len(validations) == 1, "the playthrough did not read the cached level"


def test_a_changed_file_is_validated_anew(tmp_path: Path, cache: Path, validations: list[str]):
    level = tmp_path / "mine.yaml"
    text = TUTORIAL.read_text(encoding="utf-8")
    level.write_text(text, encoding="utf-8")
    assert load_level(level).level.turns == load_level(level).level.turns == 12
    assert len(validations) == 1
    level.write_text(text.replace("turns: 12", "turns: 11"), encoding="utf-8")
    changed = load_level(level)
    assert len(validations) == 2 and changed.level.turns == 11
    assert isinstance(load_level(level).level, Record) and len(validations) == 2
    # A comment only: another text, so another entry (the content hash stays the level's).
    level.write_text(text + "# a note\n", encoding="utf-8")
    noted = load_level(level)
    assert len(validations) == 3 and noted.content_hash == load_level(TUTORIAL).content_hash


def test_other_code_does_not_read_an_entry(cache: Path, validations: list[str], monkeypatch: pytest.MonkeyPatch):
    load_level(TUTORIAL)
    monkeypatch.setattr(level_cache, "_CODE", ["another version of the level models"])
    assert isinstance(load_level(TUTORIAL).level, Level)
    assert len(validations) == 2


def test_a_bad_level_is_never_kept_and_says_the_same_each_time(tmp_path: Path, cache: Path, validations: list[str]):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TUTORIAL.read_text(encoding="utf-8").replace("turns: 12", "turns: 0"), encoding="utf-8")
    messages = []
    for _ in range(2):
        with pytest.raises(LevelError) as err:
            load_level(bad)
        messages.append(str(err.value))
    assert messages[0] == messages[1] and f"{bad}: turns: " in messages[0]
    assert len(validations) == 2
    assert not list(cache.glob("*")) if cache.exists() else True


def _entry(cache: Path) -> Path:
    (entry,) = cache.glob("level-*.json")
    return entry


def _tamper_value(raw: bytes) -> bytes:
    return raw.replace(b'"turns":12', b'"turns":99')


def _tamper_value_and_digest(raw: bytes) -> bytes:
    """A forged body whose digest is right but which is no level: read as no entry."""
    import hashlib

    head, _, _ = raw.partition(b"\n")
    body = json.dumps({"content_hash": "x", "level": {"m": "Level", "s": [], "f": {"turns": {"z": 1}}}}).encode()
    header = json.loads(head)
    header["body"] = hashlib.sha256(body).hexdigest()
    return json.dumps(header).encode() + b"\n" + body


TAMPERINGS = {
    "value_changed": _tamper_value,
    "truncated": lambda raw: raw[: len(raw) // 2],
    "empty": lambda raw: b"",
    "no_header": lambda raw: raw.partition(b"\n")[2],
    "garbage": lambda raw: bytes(range(256)) * 8,
    "other_key": lambda raw: raw.replace(b'"key": "', b'"key": "0', 1),
    "other_format": lambda raw: raw.replace(b'"format": 1', b'"format": 2', 1),
    "not_utf8": lambda raw: raw.replace(b"Tutorial", b"\xff\xfeTutorial", 1),
    "forged_digest_no_level": _tamper_value_and_digest,
    "deep": lambda raw: raw.partition(b"\n")[0] + b"\n" + b"[" * 100_000,
}


@pytest.mark.parametrize("how", sorted(TAMPERINGS))
def test_a_corrupted_or_tampered_entry_is_validated_anew(how: str, cache: Path, validations: list[str]):
    want = load_level(TUTORIAL)
    entry = _entry(cache)
    entry.write_bytes(TAMPERINGS[how](entry.read_bytes()))
    got = load_level(TUTORIAL)
    assert isinstance(got.level, Level) and len(validations) == 2
    assert got.content_hash == want.content_hash and got.level.turns == 12
    # Written again: the next start reads it.
    again = load_level(TUTORIAL)
    assert isinstance(again.level, Record) and len(validations) == 2 and again.level.turns == 12


def test_an_entry_that_is_a_folder_or_a_pipe_is_passed_by(cache: Path, validations: list[str]):
    load_level(TUTORIAL)
    entry = _entry(cache)
    entry.unlink()
    entry.mkdir()
    assert isinstance(load_level(TUTORIAL).level, Level) and len(validations) == 2
    entry.rmdir()
    os.mkfifo(entry)  # opened for reading, a pipe would wait for a writer forever
    assert isinstance(load_level(TUTORIAL).level, Level) and len(validations) == 3


def test_no_folder_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validations: list[str]):
    monkeypatch.setenv("ENCLAVE_CACHE_DIR", "")
    monkeypatch.setattr(level_cache, "read_shipped", lambda levels_dir, path, text: None)
    assert level_cache.cache_dir() is None
    load_level(TUTORIAL)
    load_level(TUTORIAL)
    assert len(validations) == 2
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ENCLAVE_CACHE_DIR", str(blocker))  # the folder cannot be made
    assert load_level(TUTORIAL).level.turns == 12
    assert len(validations) == 3 and blocker.read_text(encoding="utf-8") == "not a folder"


def test_old_entries_are_pruned(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(level_cache, "KEEP_ENTRIES", 3)
    cache.mkdir(parents=True)
    (cache / "notes.txt").write_text("someone else's file", encoding="utf-8")
    (cache / "level-1.json").write_text("someone else's file", encoding="utf-8")
    text = TUTORIAL.read_text(encoding="utf-8")
    for k in range(5):
        level = tmp_path / f"l{k}.yaml"
        level.write_text(text + f"# {k}\n", encoding="utf-8")
        load_level(level)
    assert len(list(cache.glob("level-*.json"))) == 4
    assert (cache / "notes.txt").read_text(encoding="utf-8") == "someone else's file"
    assert (cache / "level-1.json").read_text(encoding="utf-8") == "someone else's file"
    assert not list(cache.glob(".level-*"))  # no temporary file left


def test_default_requirements_are_the_models_defaults():
    given = {
        1: {"quality": 0.8, "delivery": 0.85, "technology": 0.6, "max_ppm": 50, "min_on_time": 0.98, "min_cash": 5_000_000},
        2: {"quality": 0.6, "delivery": 0.7, "technology": 0.4, "max_ppm": 250, "min_on_time": 0.95, "min_cash": 800_000},
        3: {"quality": 0.4, "delivery": 0.5, "max_ppm": 1000, "min_on_time": 0.9, "min_cash": 150_000},
    }
    for tier, values in given.items():
        model = TierRequirements(**values)
        typed = _typed(DEFAULT_REQUIREMENTS[tier])
        assert typed[2:] == _typed(model)[2:], tier  # the same keys set and values, class aside


def test_model_copy_is_pydantics(cache: Path):
    validated = load_level(TUTORIAL).level
    cached = load_level(TUTORIAL).level
    assert isinstance(cached, Record)
    for level in (validated, cached):
        lead = level.lead_firms[0]
        assert lead.model_copy(update={"id": "other"}).id == "other" and lead.id != "other"
    a = validated.lead_firms[0].model_copy(update={"payment_days": 10})
    b = cached.lead_firms[0].model_copy(update={"payment_days": 10})
    assert _typed(a)[2:] == _typed(b)[2:]


def test_a_warm_start_imports_no_pydantic_and_prints_the_same(tmp_path: Path):
    # A level of the user's (a copy of the tutorial outside levels/: no shipped entry).
    mine = tmp_path / "mine.yaml"
    mine.write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, **HEADLESS_ENV, "ENCLAVE_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-X", "importtime", str(MAIN), "run", "--level", str(mine), "--json"]
    runs = [subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, cwd=ROOT) for _ in range(2)]
    cold = subprocess.run(cmd, capture_output=True, text=True, env={**env, "ENCLAVE_CACHE_DIR": ""}, check=True, cwd=ROOT)
    assert "pydantic" in runs[0].stderr and "pydantic" in cold.stderr
    assert "pydantic" not in runs[1].stderr
    assert runs[0].stdout == runs[1].stdout == cold.stdout and json.loads(runs[1].stdout)


def test_a_model_put_into_a_record_dumps_as_pydantic_dumps_it(cache: Path):
    validated = load_level(TUTORIAL).level
    cached = load_level(TUTORIAL).level
    assert isinstance(cached, Record)
    extra = _validated(TUTORIAL).events[0] if validated.events else validated.certifications[0]
    field = "events" if validated.events else "certifications"
    mixed = [cached.model_copy(update={field: [*getattr(cached, field), extra]}), validated.model_copy(update={field: [*getattr(validated, field), extra]})]
    for mode in ("python", "json"):
        assert mixed[0].model_dump(mode=mode) == mixed[1].model_dump(mode=mode)
    assert level_loader.content_hash(mixed[0]) == level_loader.content_hash(mixed[1])


def test_the_models_offer_nothing_a_record_lacks():
    """A record has a model's fields and the four pydantic members the game calls; a model that
    gained a method, property or computed field would read differently from the cache."""
    from pydantic import BaseModel

    from game.core import level as level_module

    models = [c for c in vars(level_module).values() if isinstance(c, type) and issubclass(c, BaseModel) and c is not BaseModel]
    assert len(models) > 20
    for model in models:
        public = [k for k in vars(model) if not k.startswith("_") and k != "model_config"]
        assert public == [] and model.model_computed_fields == {}, (model.__name__, public)
    for member in ("model_fields_set", "model_dump", "model_copy"):
        assert hasattr(Record, member)


# --- the shipped levels' own entries (levels/validated/) -------------------------------------


def _shipped_copy(tmp_path: Path) -> Path:
    """A copy of levels/ (the level files and their entries) in a folder of the test."""
    folder = tmp_path / "levels"
    (folder / level_cache.SHIPPED_FOLDER).mkdir(parents=True)
    for path in shipped_levels():
        (folder / path.name).write_bytes(path.read_bytes())
        entry = level_cache.shipped_entry_path(level_loader.LEVELS_DIR, path)
        assert entry is not None
        (folder / level_cache.SHIPPED_FOLDER / entry.name).write_bytes(entry.read_bytes())
    return folder


@pytest.mark.parametrize("path", shipped_levels(), ids=lambda p: p.stem)
def test_a_shipped_level_starts_from_its_entry_the_validated_level(path: Path, validations: list[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ENCLAVE_CACHE_DIR", "")  # no user cache: what a first start reads
    text = path.read_text(encoding="utf-8")
    kept = level_cache.read_shipped(level_loader.LEVELS_DIR, path, text)
    assert kept is not None, f"{path.name}: levels/validated/ is stale; run python main.py validate --write-shipped"
    loaded = load_level(path)
    assert validations == [] and isinstance(loaded.level, Record)
    validated = _validated(path)
    assert loaded.content_hash == kept[1] == level_loader.content_hash(validated)
    assert _typed(loaded.level) == _typed(validated)
    assert json.dumps(loaded.level.model_dump(mode="json")) == json.dumps(validated.model_dump(mode="json"))


def test_writing_the_shipped_entries_again_gives_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validations: list[str]):
    folder = _shipped_copy(tmp_path)
    before = {p.name: p.read_bytes() for p in (folder / level_cache.SHIPPED_FOLDER).iterdir()}
    for p in (folder / level_cache.SHIPPED_FOLDER).iterdir():
        p.unlink()
    monkeypatch.setattr(level_loader, "LEVELS_DIR", folder)
    written = level_loader.write_shipped_entries()
    assert len(validations) == len(shipped_levels()) == len(written)  # each validated anew, none read back
    assert {p.name: p.read_bytes() for p in written} == before


def test_a_stale_or_changed_shipped_entry_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validations: list[str]):
    monkeypatch.setenv("ENCLAVE_CACHE_DIR", "")
    folder = _shipped_copy(tmp_path)
    monkeypatch.setattr(level_loader, "LEVELS_DIR", folder)
    level = folder / "tutorial.yaml"
    entry = folder / level_cache.SHIPPED_FOLDER / "tutorial.json"
    assert isinstance(load_level("tutorial").level, Record) and validations == []
    # The level edited: validated.
    text = level.read_text(encoding="utf-8")
    level.write_text(text.replace("turns: 12", "turns: 11"), encoding="utf-8")
    assert isinstance(load_level("tutorial").level, Level) and load_level("tutorial").level.turns == 11
    assert len(validations) == 2
    level.write_text(text, encoding="utf-8")
    # The entry's body changed by a byte, cut short, or replaced by a folder: validated.
    good = entry.read_bytes()
    for bad in (good.replace(b'"turns":12', b'"turns":13'), good[: len(good) // 2], b""):
        entry.write_bytes(bad)
        assert load_level("tutorial").level.turns == 12
    assert len(validations) == 5
    entry.unlink()
    entry.mkdir()
    assert isinstance(load_level("tutorial").level, Level) and len(validations) == 6
    entry.rmdir()
    entry.write_bytes(good)
    # Other level code: validated.
    monkeypatch.setattr(level_cache, "_OWN", ["another version of the level models"])
    assert isinstance(load_level("tutorial").level, Level) and len(validations) == 7
    monkeypatch.setattr(level_cache, "_OWN", [])
    # The same text beside another folder's levels: not a shipped level, validated.
    elsewhere = tmp_path / "mine" / "tutorial.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(text, encoding="utf-8")
    assert level_cache.read_shipped(folder, elsewhere, text) is None
    assert isinstance(load_level(elsewhere).level, Level) and len(validations) == 8
    assert isinstance(load_level("tutorial").level, Record) and len(validations) == 8


def test_the_first_start_of_a_shipped_level_imports_no_pydantic_and_prints_the_same(tmp_path: Path):
    env = {**os.environ, **HEADLESS_ENV, "ENCLAVE_CACHE_DIR": ""}
    cmd = [sys.executable, "-X", "importtime", str(MAIN), "run", "--level", "tutorial", "--json"]
    shipped = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    mine = tmp_path / "tutorial.yaml"  # the same text, not shipped: validated
    mine.write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    validated = subprocess.run(cmd[:-2] + [str(mine), "--json"], capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    assert "pydantic" not in shipped.stderr and "pydantic" in validated.stderr
    assert shipped.stdout == validated.stdout and json.loads(shipped.stdout)


def test_write_shipped_takes_no_path():
    out = subprocess.run([sys.executable, str(MAIN), "validate", "--write-shipped", "levels/tutorial.yaml"], capture_output=True, text=True, env={**os.environ, **HEADLESS_ENV}, cwd=ROOT)
    assert out.returncode == 2 and "takes no PATH" in out.stderr and "Traceback" not in out.stderr
