"""Replay mutation fuzzer (hypothesis): `python main.py replay` on a mutated replay either
verifies, or names the first quarter that really diverges (exit 1), or refuses the file with
one message (exit 2); never a traceback, each within a few seconds.

The oracle is independent of the replay checker: it re-plays the mutated actions on a fresh
game and compares each quarter's state hash with the unmutated recording.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.cli import main
from game.core.actions import ActionFormatError, InvalidAction
from game.core.engine import Game
from game.core.facilitator import any_action_from_dict
from game.core.level_loader import load_level
from game.core.replay import Recorder
from game.core.strategies import STRATEGY_FUNCTIONS

SECONDS = 5.0
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@lru_cache(maxsize=1)
def recorded() -> str:
    """A tutorial session of two teams over 6 quarters with many actions, as replay JSON text."""
    rec = Recorder.start(load_level("tutorial"), seed=8, players=2, names=["Águila", "Jaguar"])
    rngs = [np.random.default_rng([8, p]) for p in range(2)]
    for _ in range(6):
        for p, plan in enumerate(("growth", "cooperative")):
            for action in STRATEGY_FUNCTIONS[plan](rec.game.state, rec.game.rules, p, rngs[p]):
                rec.try_apply(action)
        rec.end_quarter()
    data = rec.to_dict()
    assert sum(len(t["actions"]) for t in data["turns"]) >= 8
    return json.dumps(data)


def original() -> dict[str, Any]:
    return json.loads(recorded())


def run(data: Any, tmp: Path) -> tuple[int, str, float]:
    path = tmp / "fuzz.replay.json"
    path.write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["replay", str(path)])  # an exception here fails the test: a traceback
    secs = time.perf_counter() - start
    assert "Traceback" not in err.getvalue()
    return code, err.getvalue(), secs


def oracle(data: dict[str, Any], hashes: list[str]) -> int | None | str:
    """'bad' if an action is malformed; else the first quarter whose state differs from the
    recording (or whose action is refused); None if the whole session is the same."""
    for turn in data["turns"]:
        for a in turn["actions"]:
            try:
                any_action_from_dict(a)
            except ActionFormatError:
                return "bad"
    game = Game.new(load_level("tutorial"), seed=data["seed"], players=data["players"], names=data["names"], policies=data["policies"])
    for k, turn in enumerate(data["turns"]):
        q = game.quarter
        if turn["quarter"] != q:
            return q  # a renumbered turn: reported where the game is, not at its label
        for a in turn["actions"]:
            try:
                game.apply(any_action_from_dict(a))
            except InvalidAction:
                return q
        game.end_quarter()
        if game.hash() != hashes[k]:
            return q
    return None


def _numeric_fields(action: dict[str, Any]) -> list[str]:
    return [k for k, v in action.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]


@st.composite
def semantic_mutation(draw: st.DrawFn) -> dict[str, Any]:
    data = original()
    turns = [k for k, t in enumerate(data["turns"]) if t["actions"]]
    k = draw(st.sampled_from(turns))
    actions = data["turns"][k]["actions"]
    j = draw(st.integers(0, len(actions) - 1))
    kind = draw(st.sampled_from(["delete", "duplicate", "swap_firm", "nudge_number", "move_later", "move_earlier", "reorder", "renumber"]))
    a = actions[j]
    if kind == "delete":
        del actions[j]
    elif kind == "duplicate":
        actions.insert(j, copy.deepcopy(a))
    elif kind == "swap_firm" and "firm" in a:
        a["firm"] = {"p1": "p2", "p2": "p1"}.get(a["firm"], a["firm"])
    elif kind == "nudge_number" and _numeric_fields(a):
        key = draw(st.sampled_from(_numeric_fields(a)))
        delta = draw(st.sampled_from([-1000, -1, 1, 1000]))
        a[key] = a[key] + delta if isinstance(a[key], int) else a[key] + delta / 10_000
    elif kind == "move_later" and k + 1 < len(data["turns"]):
        data["turns"][k + 1]["actions"].insert(0, actions.pop(j))
    elif kind == "move_earlier" and k > 0:
        data["turns"][k - 1]["actions"].append(actions.pop(j))
    elif kind == "reorder" and len(actions) > 1:
        actions.insert(0, actions.pop(j))
    elif kind == "renumber":
        data["turns"][k]["quarter"] = draw(st.integers(1, 40).filter(lambda n: n != k + 1))
    return data


@FUZZ
@given(semantic_mutation())
def test_a_semantic_change_is_reported_at_the_first_quarter_that_really_diverges(tmp_path_factory: Any, data: dict[str, Any]) -> None:
    hashes = [t["hash"] for t in original()["turns"]]
    expected = oracle(data, hashes)
    code, err, secs = run(data, tmp_path_factory.mktemp("fuzz"))
    assert secs < SECONDS
    if expected == "bad":
        assert code == 2 and err.count("\n") == 1, err
    elif expected is None:
        # Same states every quarter: only the final hash can tell a change in the last turn's
        # pending actions; the session verifies.
        assert code == 0, err
    else:
        m = re.search(r"diverged at quarter (\d+)", err)
        assert code == 1 and m, err
        assert int(m.group(1)) == expected, (expected, err)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def structural_mutation(draw: st.DrawFn) -> Any:
    data = original()
    paths = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(paths))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    how = draw(st.sampled_from(["replace", "delete"]))
    if how == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(JSON)
    return data


@FUZZ
@given(structural_mutation())
def test_any_other_damage_is_one_message_or_a_named_divergence(tmp_path_factory: Any, data: Any) -> None:
    code, err, secs = run(data, tmp_path_factory.mktemp("fuzz"))
    assert secs < SECONDS
    assert code in (0, 1, 2), code
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("error: "), err
    if code == 1:
        assert re.search(r"diverged at quarter \d+", err), err


@FUZZ
@given(st.binary(max_size=200), st.integers(0, 2000))
def test_cut_or_garbled_bytes_are_one_message(tmp_path_factory: Any, junk: bytes, cut: int) -> None:
    text = recorded().encode("utf-8")
    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / "garbled.json"
    path.write_bytes(text[:cut] + junk)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["replay", str(path)])
    assert code == 2 and err.getvalue().count("\n") == 1, err.getvalue()


def test_the_oracle_itself_detects_a_change() -> None:
    data = original()
    hashes = [t["hash"] for t in data["turns"]]
    assert oracle(data, hashes) is None
    k = next(k for k, t in enumerate(data["turns"]) if t["actions"])
    data["turns"][k]["actions"] = []
    assert oracle(data, hashes) == data["turns"][k]["quarter"]
