"""Issue 10's start-up fast paths, each pinned to the plain computation.

- Level files are parsed with libyaml when PyYAML has it; anything unusual is parsed
  again by the pure-Python loader, which gives every message for bad input. Both must
  give the same data, and libyaml must really be used for the shipped levels.
- The free-text check of the level models sits on the plain-``str`` fields only, not on
  every field: every such field must carry it, and its message is the one it was.
- ``run --json`` imports neither multiprocessing, the replay module nor difflib (only to word
  an error), and prints the same JSON as the in-process run; a start that validates its
  level does not look for pydantic plugins (it reads every installed package's metadata).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.core import level as level_module
from game.core import level_loader
from game.core.level_loader import LevelError, parse_yaml, shipped_levels, validate_data
from game.headless.runner import play
from tests.helpers import HEADLESS_ENV, MAIN, ROOT, run_cli, shipped

BROKEN_DIR = Path(__file__).resolve().parent / "broken_levels"
TUTORIAL = (ROOT / "levels" / "tutorial.yaml").read_text(encoding="utf-8")

HOSTILE_YAML = {
    "alias": "a: &x [1, 2]\nb: *x\n",
    "alias_bomb": 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: [*b,*b]\n',
    "anchor_without_alias": "a: &x 1\nb: 2\n",
    "duplicate_key": "a: 1\nb: 2\na: 3\n",
    "duplicate_nested_key": "a:\n  b: 1\n  b: 2\n",
    "tab_indent": "a:\n\tb: 1\n",
    "deep_flow": "sources: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep_flow_under_libyaml_limit": "a: " + "[" * 900 + "]" * 900 + "\n",
    "two_documents": "a: 1\n---\nb: 2\n",
    "empty": "",
    "comment_only": "# nothing\n",
    "bad_date": "a: 2016-13-45\n",
    "good_date": "a: 2016-12-05\n",
    "huge_int": "a: " + "9" * 5000 + "\n",
    "unhashable_key": "? [a]\n: 1\n",
    "control_character": "a: \x07\n",
    "bom": "\ufeffa: 1\n",
    "unclosed_quote": 'a: "x\n',
    "bad_mapping": "a: b: c\n",
    "merge_key": "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
    "tags": "a: !!str 1\nb: !!float 2\nc: !!python/object:os.system x\n",
    "scalars": "a: yes\nb: ~\nc: 0x1F\nd: 1_000\ne: .inf\nf: -.nan\ng: 0o17\nh: 1e3\ni: '1'\n",
}


def _python(text: str, file: str = "f.yaml") -> Any:
    """The pure-Python loader's answer: its data, or its LevelError messages."""
    try:
        return ("data", level_loader._parse_python(text, file))
    except LevelError as exc:
        return ("error", [str(i) for i in exc.issues])


def _either(text: str, file: str = "f.yaml") -> Any:
    try:
        return ("data", parse_yaml(text, file))
    except LevelError as exc:
        return ("error", [str(i) for i in exc.issues])


def _same(a: Any, b: Any) -> bool:
    """Equal data, NaN equal to NaN (``.nan`` parses to a float that equals nothing)."""
    return json.dumps(a, sort_keys=True, default=repr) == json.dumps(b, sort_keys=True, default=repr)


needs_libyaml = pytest.mark.skipif(level_loader._FastLoader is None, reason="PyYAML without libyaml: only the pure-Python loader runs")


@needs_libyaml
@pytest.mark.parametrize("path", shipped_levels(), ids=lambda p: p.stem)
def test_libyaml_parses_each_shipped_level_to_the_pure_python_data(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.stem in ("tutorial", "bajio_automotive"):  # the start-up and sweep figures' levels
        assert not level_loader._LIBYAML_DIFFERS.search(text)
    fast = level_loader._parse_fast(text)  # raises if the fast path would fall back
    assert fast == level_loader._parse_python(text, str(path))
    assert parse_yaml(text, str(path)) == fast


@pytest.mark.parametrize("path", sorted(BROKEN_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_corpus_file_parses_as_the_pure_python_loader_parses_it(path: Path):
    text = path.read_text(encoding="utf-8")
    assert _either(text, str(path)) == _python(text, str(path))


@pytest.mark.parametrize("case", sorted(HOSTILE_YAML))
def test_hostile_yaml_gives_the_pure_python_loaders_data_or_message(case: str):
    text = HOSTILE_YAML[case]
    got, want = _either(text), _python(text)
    assert got[0] == want[0], (got, want)
    assert _same(got[1], want[1]), (got, want)


@needs_libyaml
@pytest.mark.parametrize("case", ["alias", "alias_bomb", "duplicate_key", "duplicate_nested_key", "deep_flow", "bad_date", "unhashable_key"])
def test_the_fast_path_leaves_every_refusal_to_the_pure_python_loader(case: str):
    with pytest.raises(Exception):  # noqa: B017, PT011 - any error sends the text to the pure-Python loader
        level_loader._parse_fast(HOSTILE_YAML[case])
    assert _python(HOSTILE_YAML[case])[0] == "error"


TOKENS = [*"ab1 :-\n\t[]{},'\"#&*!|>?%@`~.0x_=\\", "\x85", "\u2028", "\ufeff", "\x00", "\x07", "é", "---", "...", "- ", ": ", "\n  ", "\r\n"]
TUTORIAL_LINES = TUTORIAL.splitlines(keepends=True)


@st.composite
def yamlish(draw: st.DrawFn) -> str:
    """Short texts of YAML's significant characters, or the tutorial with a few characters put in."""
    if draw(st.booleans()):
        return "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=40)))
    lines = list(TUTORIAL_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:j] + draw(st.sampled_from(TOKENS)) + lines[i][j:]
    return "".join(lines)


@settings(max_examples=300, deadline=None)
@given(yamlish())
def test_any_text_parses_as_the_pure_python_loader_parses_it(text: str):
    """Where libyaml and PyYAML differ (tabs, tags, block-scalar headers...), the text goes to PyYAML."""
    assert repr(_either(text)) == repr(_python(text))


# --- the free-text check --------------------------------------------------------------------------


def _free_text(annotation: Any, metadata: list[Any]) -> bool:
    """True if a value of this field can hold a ``str`` that no pattern constrains."""
    if annotation is str:
        return not any(getattr(m, "pattern", None) for m in metadata)
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        more = [m for e in extra for m in ([e, *getattr(e, "metadata", [])])]
        return _free_text(inner, more)
    if isinstance(annotation, type):
        return False  # an enum (a str subclass with fixed values), a model, a number
    if typing.get_origin(annotation) is typing.Literal:
        return False
    return any(_free_text(arg, []) for arg in typing.get_args(annotation))


def _level_models() -> list[type[level_module.Model]]:
    out, todo = [], [level_module.Model]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            out.append(sub)
            todo.append(sub)
    return out


def test_every_plain_text_field_of_the_level_carries_the_text_check():
    free, checked = set(), set()
    for cls in _level_models():
        for name, info in cls.model_fields.items():
            if _free_text(info.annotation, list(info.metadata)):
                free.add(f"{cls.__name__}.{name}")
        for dec in cls.__pydantic_decorators__.field_validators.values():
            if dec.func.__func__ is level_module._plain_text:
                checked.update(f"{cls.__name__}.{f}" for f in dec.info.fields)
    assert {"Text.es", "Text.en", "LeadFirm.origin", "LeadFirm.sector", "Event.history", "Level.sources"} <= free
    assert free == checked


@pytest.mark.parametrize(
    ("where", "reported"),
    [
        (("title", "es"), "title.es"),
        (("lead_firms", 0, "sector"), "lead_firms[0].sector"),
        (("sources", 0), "sources"),
        (("tutorial", 0, "en"), "tutorial[0].en"),
    ],
)
def test_a_control_character_in_a_text_is_reported_as_before(where: tuple[Any, ...], reported: str):
    data = yaml.safe_load(TUTORIAL)
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = "Enc\x07lave"
    with pytest.raises(LevelError) as info:
        validate_data(data, "f.yaml")
    (issue,) = [str(i) for i in info.value.issues]
    assert issue.startswith(f"f.yaml: {reported}: Value error, contains a control character (\\x07) at position 3 (got ")


# --- run --json ----------------------------------------------------------------------------------


def test_run_json_imports_only_what_it_needs_and_prints_what_the_full_import_prints():
    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: sys.stderr.write(' '.join(sorted(m for m in ('multiprocessing', 'game.core.replay', 'game.text', 'difflib') if m in sys.modules))))\n"
        f"sys.argv = [{str(MAIN)!r}, 'run', '--level', 'tutorial', '--json']\n"
        f"import runpy; runpy.run_path({str(MAIN)!r}, run_name='__main__')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **HEADLESS_ENV}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # none of the four was imported
    loaded = shipped("tutorial")
    expected = json.dumps(play(loaded, None, ["cautious"]).summary(), ensure_ascii=False, sort_keys=True) + "\n"
    assert proc.stdout == expected
    assert run_cli("run", "--level", "tutorial", "--json").stdout == expected


def test_a_start_that_validates_its_level_looks_for_no_pydantic_plugin(tmp_path: Path):
    mine = tmp_path / "tutorial.yaml"  # a level of the user's (no shipped entry), with no cache: validated
    mine.write_text(TUTORIAL, encoding="utf-8")
    code = (
        "import sys, atexit\n"
        "def seen():\n"
        "    loader = sys.modules.get('pydantic.plugin._loader')\n"
        "    sys.stderr.write(f\"{'pydantic' in sys.modules} {loader is not None and loader._plugins is not None} {'difflib' in sys.modules}\")\n"
        "atexit.register(seen)\n"
        f"sys.argv = [{str(MAIN)!r}, 'run', '--level', {str(mine)!r}, '--json']\n"
        f"import runpy; runpy.run_path({str(MAIN)!r}, run_name='__main__')\n"
    )
    env = {k: v for k, v in {**os.environ, **HEADLESS_ENV}.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "ENCLAVE_CACHE_DIR": ""}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "True False False"  # validated with pydantic; no plugin lookup; no difflib


# --- sweeps: the level handed to the workers, games in chunks ---------------------------------------


def test_a_sweep_on_two_workers_in_chunks_gives_the_rows_of_one_process():
    from game.headless.sweep import PolicySet, local_chunk, run_sweep
    from tests.helpers import small_level

    # A level that is not its file's (5 computer firms): the workers must play it, not reload the file.
    loaded = small_level(smes=5)
    sets = [PolicySet("default", None), PolicySet("none", {p.id: False for p in loaded.level.policies})]
    assert local_chunk(2 * 20, 2) > 1
    one = run_sweep(loaded, 20, sets, ["cautious"], workers=1, progress=False)
    two = run_sweep(loaded, 20, sets, ["cautious"], workers=2, progress=False)
    assert two == one
    assert [(r["policy_set"], r["seed"]) for r in one] == [(s.name, k) for s in sets for k in range(1, 21)]
    assert one[0]["firms"] == 6


def test_the_program_collects_garbage_again_once_its_modules_are_loaded():
    """main.py holds the collector off while a command's modules load and freezes them: the
    command itself (a long sweep, the window) must run with the collector on."""
    code = (
        "import gc, sys, runpy\n"
        "import game.commands.headless as h\n"
        "plain = h._cmd_run\n"
        "def spy(args):\n"
        "    sys.stderr.write(f'enabled={gc.isenabled()} frozen={gc.get_freeze_count() > 10000}')\n"
        "    return plain(args)\n"
        "h._cmd_run = spy\n"
        f"sys.argv = [{str(MAIN)!r}, 'run', '--level', 'tutorial', '--turns', '1', '--json']\n"
        f"runpy.run_path({str(MAIN)!r}, run_name='__main__')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **HEADLESS_ENV}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "enabled=True frozen=True"
    assert json.loads(proc.stdout)["quarters_played"] == 1
