"""Saves and replays (practices 5 and 7).

Save -> load -> continue gives the same hash every quarter as an
uninterrupted game; a recorded replay re-simulates bit for bit; a tampered
one names the first quarter that diverged (exit 1); a malformed one is
refused with one clear line naming the file and the field (exit 2); saves
are written atomically.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.cli import main
from game.core import replay as replay_mod
from game.core.actions import action_from_dict
from game.core.engine import Game
from game.core.replay import (
    Recorder,
    ReplayError,
    load_game,
    load_replay,
    run_replay,
    save_game,
    write_json_atomic,
)
from game.headless.runner import play
from tests.helpers import run_cli, shipped

LEVEL = "tutorial"
SEED = 4
STRATEGIES = ["growth", "cooperative"]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, dict]:
    """A replay of the tutorial played by two stand-in strategies, and its data."""
    path = tmp_path_factory.mktemp("replay") / "tutorial.replay.json"
    result = play(shipped(LEVEL), SEED, STRATEGIES, record=True)
    result.recorder.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["turns"]) == shipped(LEVEL).level.turns
    assert any(t["actions"] for t in data["turns"]), "the stand-ins should act"
    return path, data


def _write(tmp_path: Path, data, name: str = "r.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _new_game(data: dict) -> Game:
    return Game.new(shipped(LEVEL), seed=data["seed"], players=data["players"], names=data["names"])


def _play_turns(game: Game, turns: list[dict], skip_first: int = 0) -> list[str]:
    """Apply recorded actions and end quarters; the first turn may be partly done already."""
    hashes = []
    for k, turn in enumerate(turns):
        for a in turn["actions"][skip_first if k == 0 else 0 :]:
            game.apply(action_from_dict(a))
        game.end_quarter()
        hashes.append(game.hash())
    return hashes


# -- save, load, continue -------------------------------------------------------


@pytest.mark.parametrize("save_at", [0, 4, 9])
@pytest.mark.parametrize("mid_quarter", [False, True], ids=["quarter_start", "mid_quarter"])
def test_save_load_continue_equals_uninterrupted_run(recorded, tmp_path, save_at, mid_quarter):
    _, data = recorded
    turns = data["turns"]
    expected = [t["hash"] for t in turns]
    game = _new_game(data)
    assert _play_turns(game, turns[:save_at]) == expected[:save_at]
    done = 0
    if mid_quarter:
        done = max(1, len(turns[save_at]["actions"]) // 2) if turns[save_at]["actions"] else 0
        for a in turns[save_at]["actions"][:done]:
            game.apply(action_from_dict(a))
    path = tmp_path / "game.save.json"
    save_game(game, path, shipped(LEVEL).path)
    loaded = load_game(path)
    assert loaded.hash() == game.hash(), "loading must restore the exact state"
    assert loaded.quarter == game.quarter
    continued = _play_turns(loaded, turns[save_at:], skip_first=done)
    assert continued == expected[save_at:]
    assert loaded.hash() == data["final_hash"]


def test_load_then_save_again_writes_the_same_file(recorded, tmp_path):
    _, data = recorded
    game = _new_game(data)
    _play_turns(game, data["turns"][:5])
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    save_game(game, first, shipped(LEVEL).path)
    save_game(load_game(first), second, shipped(LEVEL).path)
    assert first.read_bytes() == second.read_bytes()


def test_finished_game_saves_and_loads(recorded, tmp_path):
    _, data = recorded
    game = _new_game(data)
    _play_turns(game, data["turns"])
    assert game.finished
    save_game(game, tmp_path / "end.json", shipped(LEVEL).path)
    loaded = load_game(tmp_path / "end.json")
    assert loaded.finished and loaded.hash() == data["final_hash"]


# -- atomic writes -------------------------------------------------------------


def _fail_midway(data, fh, **kwargs):
    fh.write('{"format": "enclave-save", "state": {"quar')
    raise OSError("disk full (simulated)")


def test_save_over_an_existing_file_is_atomic(recorded, tmp_path, monkeypatch):
    _, data = recorded
    game = _new_game(data)
    path = tmp_path / "slot1.json"
    save_game(game, path, shipped(LEVEL).path)
    good = path.read_bytes()
    game.end_quarter()
    monkeypatch.setattr(replay_mod.json, "dump", _fail_midway)
    with pytest.raises(OSError, match="disk full"):
        save_game(game, path, shipped(LEVEL).path)
    monkeypatch.undo()
    assert path.read_bytes() == good, "a failed save must leave the old file intact"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slot1.json"], "no temp file may be left behind"
    assert load_game(path).quarter == 1


def test_replay_save_is_atomic_too(tmp_path, monkeypatch):
    path = tmp_path / "r.json"
    path.write_text('{"old": true}', encoding="utf-8")
    result = play(shipped(LEVEL), SEED, ["cautious"], turns=2, record=True)
    monkeypatch.setattr(replay_mod.json, "dump", _fail_midway)
    with pytest.raises(OSError):
        result.recorder.save(path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_successful_overwrite_replaces_the_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "out" / "x.json"
    write_json_atomic(path, {"a": 1})
    write_json_atomic(path, {"a": 2, "b": "ñ"})
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": 2, "b": "ñ"}
    assert [p.name for p in path.parent.iterdir()] == ["x.json"]


def test_saving_a_non_finite_number_fails_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "x.json"
    write_json_atomic(path, {"a": 1})
    with pytest.raises(ValueError):
        write_json_atomic(path, {"a": float("nan")})
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


# -- replays: ok and tampered ----------------------------------------------------


def test_recorded_replay_replays_ok_via_cli(recorded):
    path, data = recorded
    proc = run_cli("replay", str(path))
    assert proc.returncode == 0, proc.stderr
    assert f"{len(data['turns'])} quarters" in proc.stdout
    assert data["final_hash"] in proc.stdout


def test_recorded_replay_replays_ok_in_process(recorded):
    path, data = recorded
    result = run_replay(path)
    assert result.ok and result.quarters == len(data["turns"])
    assert result.final_hash == data["final_hash"]


def _first_action(data: dict, kind: str | None = None) -> tuple[int, int]:
    """(turn, action) index of the first recorded action of a kind (any kind if None)."""
    for k, turn in enumerate(data["turns"]):
        for j, a in enumerate(turn["actions"]):
            if kind is None or a["type"] == kind:
                return k, j
    pytest.fail(f"the recorded game has no {kind or 'player'} action; pick other strategies or seed")


def _first_number(data: dict) -> tuple[int, int, str]:
    """The first recorded price (or, failing that, amount) a player typed in."""
    for key in ("price", "amount", "units", "project_cost"):
        for k, turn in enumerate(data["turns"]):
            for j, a in enumerate(turn["actions"]):
                if isinstance(a.get(key), int) and a[key] > 1:
                    return k, j, key
    pytest.fail("the recorded game has no action with a price or amount; pick other strategies or seed")


def test_tampered_price_exits_1_naming_the_quarter(recorded, tmp_path):
    _, data = recorded
    bad = copy.deepcopy(data)
    k, j, key = _first_number(bad)
    bad["turns"][k]["actions"][j][key] -= 1
    proc = run_cli("replay", str(_write(tmp_path, bad)))
    assert proc.returncode == 1, proc.stderr
    quarter = data["turns"][k]["quarter"]
    assert f"diverged at quarter {quarter}:" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("k", [0, 5, 11])
def test_tampered_hash_names_exactly_that_quarter(recorded, tmp_path, k):
    _, data = recorded
    bad = copy.deepcopy(data)
    bad["turns"][k]["hash"] = "0" * 16
    result = run_replay(_write(tmp_path, bad))
    assert not result.ok
    assert result.diverged_quarter == data["turns"][k]["quarter"]
    assert result.expected == "0" * 16 and result.got == data["turns"][k]["hash"]


def test_tampered_hash_exits_1_via_cli(recorded, tmp_path, capsys):
    _, data = recorded
    bad = copy.deepcopy(data)
    bad["turns"][6]["hash"] = "f" * 16
    assert main(["replay", str(_write(tmp_path, bad))]) == 1
    err = capsys.readouterr().err
    assert f"diverged at quarter {data['turns'][6]['quarter']}:" in err and "f" * 16 in err


def test_refused_action_in_replay_names_the_quarter(recorded, tmp_path):
    _, data = recorded
    bad = copy.deepcopy(data)
    k, j = _first_action(bad, "bid")
    bad["turns"][k]["actions"][j]["price"] = 0  # never a valid price
    result = run_replay(_write(tmp_path, bad))
    assert not result.ok and result.diverged_quarter == data["turns"][k]["quarter"]
    assert "refused" in result.reason and "bad_price" in result.reason


def test_dropped_action_in_replay_names_the_quarter(recorded, tmp_path):
    _, data = recorded
    bad = copy.deepcopy(data)
    k, j = _first_action(bad)
    del bad["turns"][k]["actions"][j]
    result = run_replay(_write(tmp_path, bad))
    assert not result.ok and result.diverged_quarter == data["turns"][k]["quarter"]


# -- replays: malformed files (exit 2, one line naming file and field) ---------------


def _set(path: tuple, value):
    def mutate(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple):
    def mutate(d):
        target = d
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _first_bid(d: dict) -> dict:
    return next(a for t in d["turns"] for a in t["actions"] if a["type"] == "bid")


MALFORMED = {
    "wrong_format": (_set(("format",), "enclave-save"), "format"),
    "wrong_version": (_set(("version",), 99), "version"),
    "other_engine": (_set(("engine_version",), "2.0"), "engine_version: recorded with engine '2.0'"),
    "missing_seed": (_delete(("seed",)), "seed: missing"),
    "seed_is_text": (_set(("seed",), "4"), "seed: expected int"),
    "seed_is_bool": (_set(("seed",), True), "seed: expected int"),
    "players_zero": (_set(("players",), 0), "players"),
    "names_short": (_set(("names",), ["solo"]), "names"),
    "policies_not_bool": (_set(("policies",), {"proauto_certification": "yes"}), "policies"),
    "unknown_policy": (_set(("policies",), {"no_such_policy": True}), "policies"),
    "turns_not_list": (_set(("turns",), {"0": []}), "turns: expected list"),
    "turn_not_object": (_set(("turns", 2), [1, 2]), "turns[2]"),
    "turn_missing_hash": (_delete(("turns", 3, "hash")), "turns[3]: hash: missing"),
    "turn_quarter_text": (_set(("turns", 0, "quarter"), "one"), "turns[0]: quarter"),
    "unknown_action_type": (_set(("turns", 0, "actions", 0, "type"), "bribe_official"), "turns[0].actions[0].type"),
    "action_not_object": (_set(("turns", 0, "actions", 0), "bid"), "turns[0].actions[0]"),
    "action_missing_field": (lambda d: _first_bid(d).pop("price"), "price: missing"),
    "action_wrong_type": (lambda d: _first_bid(d).__setitem__("price", "cheap"), "price: expected int"),
    "action_unknown_field": (lambda d: _first_bid(d).__setitem__("discount", 3), "discount: unknown field"),
    "level_changed": (_set(("level_hash",), "0123456789abcdef"), "level_hash"),
    "unknown_level": (lambda d: (d.__setitem__("level_path", "nowhere.yaml"), d.__setitem__("level_id", "nowhere")), "level_path"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_replay_exits_2_naming_file_and_field(recorded, tmp_path, capsys, case):
    _, data = recorded
    bad = copy.deepcopy(data)
    mutate, needle = MALFORMED[case]
    mutate(bad)
    path = _write(tmp_path, bad)
    assert main(["replay", str(path)]) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0] and needle in lines[0], lines[0]
    assert "Traceback" not in err and out == ""


RAW = {
    "garbage_bytes": b"\x89PNG\r\n\x1a\n\x00\xff\xfe",
    "not_json": b"this is not a replay",
    "empty": b"",
    "top_level_list": b"[1, 2, 3]",
    "truncated": None,  # the recorded file cut in half
}


@pytest.mark.parametrize("case", sorted(RAW))
def test_corrupted_replay_file_exits_2(recorded, tmp_path, capsys, case):
    src, _ = recorded
    content = RAW[case] if RAW[case] is not None else src.read_bytes()[: len(src.read_bytes()) // 2]
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    assert main(["replay", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and str(path) in err, err


def test_corrupted_replays_exit_2_without_traceback_in_a_real_process(recorded, tmp_path):
    src, data = recorded
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(src.read_bytes()[:-40])
    bad = copy.deepcopy(data)
    bad["turns"][1]["actions"] = [{"type": "teleport", "firm": "p1"}]
    unknown = _write(tmp_path, bad, "unknown.json")
    for path, needle in ((truncated, "not valid JSON"), (unknown, "turns[1].actions[0].type")):
        proc = run_cli("replay", str(path))
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert str(path) in proc.stderr and needle in proc.stderr, proc.stderr


def test_missing_replay_file_exits_2(tmp_path, capsys):
    assert main(["replay", str(tmp_path / "nope.json")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_load_replay_checks_structure_without_simulating(recorded):
    path, data = recorded
    assert load_replay(path)["final_hash"] == data["final_hash"]


# Replay inputs that currently escape as tracebacks (bugs in game.core).


def test_replay_with_negative_seed_is_bad_input(recorded, tmp_path):
    _, data = recorded
    bad = copy.deepcopy(data)
    bad["seed"] = -1
    path = _write(tmp_path, bad)
    proc = run_cli("replay", str(path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{path}: seed:" in proc.stderr


def test_replay_with_huge_integer_in_float_field_is_bad_input(recorded, tmp_path):
    _, data = recorded
    bad = copy.deepcopy(data)
    bad["turns"][0]["actions"].append({"type": "offer_subcontract", "firm": "p1", "contract": "c1", "to_firm": "p2", "share": 10**400, "price": 1})
    k = len(bad["turns"][0]["actions"]) - 1
    proc = run_cli("replay", str(_write(tmp_path, bad)))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"turns[0].actions[{k}].share:" in proc.stderr


def test_replay_with_lone_surrogate_in_a_name_fails_cleanly(recorded, tmp_path):
    _, data = recorded
    bad = copy.deepcopy(data)
    bad["turns"][0]["actions"].insert(0, {"type": "found_consortium", "firm": "p1", "name": "Consorcio \ud800"})
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(bad), encoding="ascii")  # json.dumps escapes it as \ud800
    proc = run_cli("replay", str(path))
    assert proc.returncode in (1, 2)
    assert "Traceback" not in proc.stderr
    # Either refused as malformed (exit 2) or as an action (exit 1, quarter 1).
    assert "turns[0].actions[0].name" in proc.stderr or "diverged at quarter 1: action 0 refused" in proc.stderr


# -- loading corrupted saves ---------------------------------------------------------


@pytest.fixture
def save_data(recorded, tmp_path) -> tuple[Path, dict]:
    _, data = recorded
    game = _new_game(data)
    _play_turns(game, data["turns"][:3])
    path = tmp_path / "good.save.json"
    save_game(game, path, shipped(LEVEL).path)
    return path, json.loads(path.read_text(encoding="utf-8"))


def _corrupt_save(tmp_path: Path, data: dict, mutate) -> Path:
    bad = copy.deepcopy(data)
    mutate(bad)
    return _write(tmp_path, bad, "bad.save.json")


SAVE_CORRUPTIONS = {
    "missing_column": (_delete(("state", "columns", "cash")), "state.columns.cash: missing"),
    "short_column": (_set(("state", "columns", "cash"), [1, 2]), "state.columns.cash: shape"),
    "nan_in_capabilities": (lambda d: d["state"]["columns"]["cap"][0].__setitem__(0, float("nan")), "state.columns.cap: contains a non-finite"),
    "state_format": (_set(("state", "format"), 7), "state.format"),
    "state_not_object": (_set(("state",), [1]), "state: expected dict"),
    "missing_state": (_delete(("state",)), "state: missing"),
    "file_format": (_set(("format",), "enclave-replay"), "format"),
    "missing_quarter": (_delete(("state", "quarter")), "state.quarter: missing"),
    "level_changed": (_set(("level_hash",), "0123456789abcdef"), "level_hash"),
    "state_level_hash": (_set(("state", "level_hash"), "0123456789abcdef"), "state.level_hash"),
}


@pytest.mark.parametrize("case", sorted(SAVE_CORRUPTIONS))
def test_load_of_corrupted_save_raises_replay_error_naming_the_field(save_data, tmp_path, case):
    _, data = save_data
    mutate, needle = SAVE_CORRUPTIONS[case]
    path = _corrupt_save(tmp_path, data, mutate)
    with pytest.raises(ReplayError) as info:
        load_game(path)
    assert str(path) in str(info.value) and needle in str(info.value), str(info.value)


def test_load_of_truncated_save_raises_replay_error(save_data, tmp_path):
    path, _ = save_data
    cut = tmp_path / "cut.json"
    cut.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ReplayError, match="not valid JSON"):
        load_game(cut)


def test_load_of_save_with_wrong_scalar_type_is_refused(save_data, tmp_path):
    _, data = save_data
    path = _corrupt_save(tmp_path, data, _set(("state", "quarter"), "4"))
    with pytest.raises(ReplayError, match=r"state\.quarter"):
        load_game(path).end_quarter()


def test_load_of_save_with_wrong_list_length_is_refused(save_data, tmp_path):
    _, data = save_data
    path = _corrupt_save(tmp_path, data, _set(("state", "policy_active"), []))
    with pytest.raises(ReplayError, match=r"policy_active"):
        game = load_game(path)
        while not game.finished:
            game.end_quarter()


def test_load_of_save_with_non_numeric_column_names_the_column(save_data, tmp_path):
    _, data = save_data
    path = _corrupt_save(tmp_path, data, lambda d: d["state"]["columns"].__setitem__("cash", ["x"] * len(d["state"]["columns"]["cash"])))
    with pytest.raises(ReplayError, match=r"columns\.cash"):
        load_game(path)


def test_load_of_save_with_malformed_list_item_names_the_item(save_data, tmp_path):
    _, data = save_data
    path = _corrupt_save(tmp_path, data, _set(("state", "offers"), [{"contract_id": "c1"}]))
    with pytest.raises(ReplayError, match=r"offers\[0\]"):
        load_game(path)


def test_replay_with_its_last_turns_removed_is_not_ok(recorded, tmp_path):
    _, data = recorded
    bad = copy.deepcopy(data)
    bad["turns"] = bad["turns"][:5]
    result = run_replay(_write(tmp_path, bad))
    assert not result.ok


def test_replay_saved_mid_quarter_keeps_the_actions_taken_so_far(tmp_path):
    from game.core.actions import TrainStaff
    from game.core.replay import Recorder

    recorder = Recorder.start(shipped(LEVEL), seed=SEED)
    recorder.end_quarter()
    recorder.apply(TrainStaff("p1"))
    path = tmp_path / "mid.json"
    recorder.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    saved = [a for t in data["turns"] for a in t["actions"]] + [a for a in data.get("pending", [])]
    assert {"type": "train_staff", "firm": "p1"} in saved


_TYPED = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=[]),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_TYPED, note=_TYPED)
def test_every_text_accepted_when_typed_loads_back_from_its_replay(tmp_path, name, note):
    """A team name, a consortium's name and a note the game accepts are never what makes
    their replay unloadable (control characters and lone surrogates are refused at once)."""
    from game.core.actions import FoundConsortium
    from game.core.facilitator import QuarterNote

    try:
        rec = Recorder.start(shipped(LEVEL), seed=SEED, players=1, names=[name])
    except ValueError:
        name = "Equipo"
        rec = Recorder.start(shipped(LEVEL), seed=SEED, players=1, names=[name])
    firm = rec.game.state.firms.ids[0]
    accepted = [rec.try_apply(FoundConsortium(firm=firm, name=note)) is None, rec.try_apply(QuarterNote(text=note)) is None]
    rec.end_quarter()
    path = tmp_path / "typed.replay.json"
    rec.save(path)
    result = run_replay(path)
    assert result.ok, result
    data = load_replay(path)
    assert data["names"] == [name]
    assert sum(accepted) == len(data["turns"][0]["actions"])
