"""Issue 9's corpus: every hostile or unlucky input named there gives one message and exit 2,
in seconds, never a traceback, a hang or a flood of output.

(Saves/exports/CSV cases: tests/test_files_safety.py; other CPUs and numpy versions:
tests/test_bit_identical.py.)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from pathlib import Path

import pytest

from game.cli import main
from game.core.level_loader import LEVELS_DIR, load_level
from game.core.replay import Recorder, load_game, save_game

TUTORIAL = LEVELS_DIR / "tutorial.yaml"
SECONDS = 10.0


def cli(*args: str) -> tuple[int, str, str, float]:
    """``python main.py ARGS`` in this process: (exit code, stdout, stderr, seconds)."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


def refused(*args: str, needle: str = "", max_lines: int = 1) -> str:
    code, out, err, secs = cli(*args)
    assert code == 2, (code, out[-500:], err[-2000:])
    assert "Traceback" not in err
    assert 1 <= err.count("\n") <= max_lines, err[:3000]
    assert needle in err, err[:3000]
    assert secs < SECONDS, secs
    return err


def _replay(tmp_path: Path, quarters: int = 3, names: list[str] | None = None) -> tuple[Path, dict]:
    rec = Recorder.start(load_level("tutorial"), seed=5, players=2, names=names)
    for _ in range(quarters):
        rec.end_quarter()
    path = tmp_path / "game.replay.json"
    rec.save(path)
    return path, json.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- levels -------------------------------------------------------------------------------------


def test_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for k in range(1, 9):
        prev, cur = chr(ord("a") + k - 1), chr(ord("a") + k)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert bomb.stat().st_size < 3000
    err = refused("validate", str(bomb), needle="aliases", max_lines=2)
    assert len(err) < 1000


def test_a_level_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(TUTORIAL.read_text(encoding="utf-8") + ("# padding " + "x" * 90 + "\n") * 25_000, encoding="utf-8")
    refused("validate", str(big), needle="at most", max_lines=2)
    refused("run", "--level", str(big), needle="at most")


def test_200000_unknown_keys_print_a_bounded_report(tmp_path: Path) -> None:
    text = TUTORIAL.read_text(encoding="utf-8") + "".join(f"z{k:x}: 0\n" for k in range(200_000))
    path = tmp_path / "keys.yaml"
    path.write_text(text, encoding="utf-8")
    refused("validate", str(path), needle="at most", max_lines=2)  # over the size limit: one message
    text = TUTORIAL.read_text(encoding="utf-8") + "".join(f"z{k:x}: 0\n" for k in range(20_000))
    path.write_text(text, encoding="utf-8")
    err = refused("validate", str(path), needle="more problems not shown", max_lines=60)
    assert "19,950 more problems" in err


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("player_firm.cash", 2**63, "player_firm.cash"),
        ("rfqs.0.volume", 1e308, "rfqs[0].volume"),
        ("part_families.0.unit_cost", 10**18, "part_families[0].unit_cost"),
        ("score_weights.profit", 1e308, "score_weights.profit"),
        ("computer_smes.cash_per_employee.high", 1e300, "computer_smes"),
    ],
)
def test_numbers_that_would_overflow_are_refused_by_the_schema(tmp_path: Path, key: str, value: float, field: str) -> None:
    import yaml

    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    node: dict = data
    parts = key.split(".")
    for p in parts[:-1]:
        node = node[int(p)] if p.isdigit() else node.setdefault(p, {})
    node[parts[-1]] = value
    path = tmp_path / "overflow.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused("validate", str(path), needle=field, max_lines=2)
    refused("run", "--level", str(path), needle=field)


def test_level_texts_refuse_control_characters(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    data["title"]["es"] = "Enclave\x07"
    path = tmp_path / "ctrl.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused("validate", str(path), needle="control character", max_lines=2)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_devices_and_fifos_are_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "level.yaml"
    os.mkfifo(fifo)
    refused("run", "--level", str(fifo), needle="regular file")
    refused("run", "--level", "/dev/zero", needle="regular file")
    refused("replay", "/dev/zero", needle="regular file")
    refused("replay", str(fifo), needle="regular file")


# --- replays and saves --------------------------------------------------------------------------


def test_recorded_level_path_is_followed_only_under_levels_or_beside_the_file(tmp_path: Path) -> None:
    path, data = _replay(tmp_path)
    for evil in ("/dev/zero", str(tmp_path / "fifo"), "/etc/passwd"):
        if evil.endswith("fifo") and hasattr(os, "mkfifo"):
            os.mkfifo(evil)
        code, out, err, secs = cli("replay", str(_write(tmp_path, "evil.json", {**data, "level_path": evil})))
        assert code == 0 and "ok" in out and secs < SECONDS, err  # the shipped level by its id
        unknown = {**data, "level_path": evil, "level_id": "not_shipped"}
        refused("replay", str(_write(tmp_path, "evil2.json", unknown)), needle="level_path")
    # A level copied beside the replay is followed.
    beside = tmp_path / "mine.yaml"
    beside.write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err, _ = cli("replay", str(_write(tmp_path, "beside.json", {**data, "level_path": str(beside), "level_id": "x"})))
    assert code == 0, err


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "enclave-replay", "seed": ' + "9" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
        '{"format": "enclave-replay", "names": ["\\ud800"]}',
        '{"format": "enclave-replay", "seed": NaN, "x": 1e999}',
        "\xff\xfe not utf-8",
    ],
    ids=["5000_digit_int", "deep_nesting", "lone_surrogate", "nan_and_huge_float", "not_utf8"],
)
def test_every_json_parse_failure_is_one_message(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if "\xff" not in text else b"\xff\xfe not utf-8")
    refused("replay", str(path), needle=str(path))
    refused("export", str(path), "--out", str(tmp_path / "out"), needle=str(path))
    with pytest.raises(Exception) as info:
        load_game(path)
    assert type(info.value).__name__ == "ReplayError"
    assert not (tmp_path / "out").exists()


def test_a_replay_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from game.core import safeio

    monkeypatch.setattr(safeio, "MAX_JSON_BYTES", 500)
    path, _ = _replay(tmp_path, quarters=8)
    assert path.stat().st_size > 500
    refused("replay", str(path), needle="at most 500 bytes")


def test_names_with_control_characters_or_surrogates_are_refused(tmp_path: Path) -> None:
    _, data = _replay(tmp_path)
    for bad, needle in (("Eq\x1b[31muipo", "control character"), ("a\u0085b", "control character"), ("x" * 5000, "characters long")):
        refused("replay", str(_write(tmp_path, "n.json", {**data, "names": [bad, "B"]})), needle=needle)


def test_a_long_id_is_echoed_as_a_short_excerpt(tmp_path: Path) -> None:
    _, data = _replay(tmp_path)
    data["turns"][0]["actions"] = [{"type": "join_association", "firm": "p" * 10_000_000}]
    err = refused("replay", str(_write(tmp_path, "long.json", data)))
    assert len(err) < 2000, len(err)
    data["level_id"] = "L" * 10_000_000
    err = refused("replay", str(_write(tmp_path, "long2.json", data)))
    assert len(err) < 5000, len(err)


def test_a_renumbered_quarter_is_reported_where_the_game_diverged(tmp_path: Path) -> None:
    _, data = _replay(tmp_path, quarters=4)
    data["turns"][1]["quarter"] = 7
    code, _, err, _ = cli("replay", str(_write(tmp_path, "renum.json", data)))
    assert code == 1 and "diverged at quarter 2" in err and "quarter 7" in err, err


def test_save_with_a_bad_level_path_or_huge_numbers_is_refused(tmp_path: Path) -> None:
    rec = Recorder.start(load_level("tutorial"), seed=5, players=1)
    rec.end_quarter()
    save = tmp_path / "game.save.json"
    save_game(rec.game, save, "/dev/zero")
    assert load_game(save).hash() == rec.game.hash()  # /dev/zero is not followed; the shipped level is used
    data = json.loads(save.read_text(encoding="utf-8"))
    data["state"]["columns"]["cash"][0] = 10**30
    from game.core.replay import ReplayError

    with pytest.raises(ReplayError, match="cash"):
        load_game(_write(tmp_path, "huge.save.json", data))


# --- flags and output paths ----------------------------------------------------------------------


def test_seeds_and_workers_are_bounded(tmp_path: Path) -> None:
    out = str(tmp_path / "s.csv")
    refused("sweep", "--level", "tutorial", "--seeds", "1000000000", "--out", out, "--quiet", needle="--seeds must be at most")
    refused("sweep", "--level", "tutorial", "--seeds", "2", "--workers", "300", "--out", out, "--quiet", needle="--workers must be at most")
    refused("sweep", "--level", "tutorial", "--seeds", "9" * 5000, "--out", out, needle="whole number")
    assert not Path(out).exists()


def test_unwritable_output_paths_give_one_message(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    bad = blocker / "sub"
    refused("run", "--level", "tutorial", "--turns", "1", "--record", str(bad / "r.json"), needle=str(bad))
    code, _, err, secs = cli("sweep", "--level", "tutorial", "--seeds", "1", "--out", str(bad / "s.csv"), "--quiet")
    assert code == 2 and err.count("\n") == 1 and secs < 5, err  # checked before the first game
    refused("schema", "--out", str(bad / "schema.json"), needle=str(bad))
    refused("tour", "--out", str(bad), needle=str(bad))
    refused("export", str(_replay(tmp_path)[0]), "--out", str(bad), needle=str(bad))
    refused("sweep", "--level", "tutorial", "--seeds", "1", "--out", str(tmp_path), "--quiet", needle="folder")


def test_sweep_streams_rows_in_order_and_replaces_its_output_only_when_done(tmp_path: Path) -> None:
    import csv

    from game.headless import sweep

    out = tmp_path / "s.csv"
    out.write_text("old,content\n", encoding="utf-8")
    jobs = sweep.iter_jobs(10**12, [sweep.PolicySet("default", None)], ["cautious"])
    assert next(jobs)[0] == 0 and next(jobs)[0] == 1  # a generator: a trillion seeds cost nothing up front
    code, stdout, err, _ = cli("sweep", "--level", "tutorial", "--seeds", "3", "--workers", "2", "--out", str(out), "--quiet")
    assert code == 0, err
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert [int(r["seed"]) for r in rows] == [1, 2, 3] and "3 games written" in stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


def test_score_weights_cannot_make_json_print_nan(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    data["score_weights"] = {"survival": 1000, "tier": 1000, "profit": 1000, "capabilities": 1000, "links": 1000, "jobs": 1000}
    path = tmp_path / "weights.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, err, _ = cli("run", "--level", str(path), "--turns", "2", "--json")
    assert code == 0, err
    assert "NaN" not in out and "Infinity" not in out
    json.loads(out)


# --- the window -----------------------------------------------------------------------------------


def test_window_settings_and_user_folder_problems_start_with_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from game.ui import paths
    from game.ui import settings as ui_settings

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ENCLAVE_HOME", str(home))
    for text in ("[" * 100_000, '{"lang": "\\ud800"}', "\xff", '{"lang": "en", "width": 1e999}'):
        (home / "settings.json").write_bytes(text.encode("utf-8") if text != "\xff" else b"\xff")
        s = ui_settings.load()
        assert (s.problem and "settings.json" in s.problem) or text.startswith('{"lang": "en"'), (text[:20], s)
        assert s.width == ui_settings.Settings().width
    # A number too long to mean anything is ignored like any wrong value: defaults, no crash.
    (home / "settings.json").write_text('{"lang": ' + "9" * 5000 + ', "width": ' + "9" * 5000 + "}", encoding="utf-8")
    s = ui_settings.load()
    assert (s.lang, s.width) == (ui_settings.Settings().lang, ui_settings.Settings().width)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ENCLAVE_HOME", str(blocker / "home"))
    monkeypatch.setattr(paths, "PROBLEM", None)
    folder = paths.user_dir()
    assert folder.is_dir() and paths.PROBLEM and str(blocker) in paths.PROBLEM
    assert ui_settings.load().problem is None or isinstance(ui_settings.load().problem, str)


def test_window_start_up_shows_a_dialog_for_a_bad_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from game.ui import paths
    from game.ui import settings as ui_settings
    from game.ui.window import _startup_problems
    from tests.ui.helpers import make_app

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ENCLAVE_HOME", str(blocker / "home"))
    monkeypatch.setattr(paths, "PROBLEM", None)
    settings = ui_settings.load()
    app = make_app()
    try:
        _startup_problems(app, settings)
        app.step()
        assert app.top.name == "message"
        assert str(blocker) in app.top.text  # type: ignore[attr-defined]
    finally:
        app.close()


def test_window_load_refuses_hostile_saves_with_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from game.ui.session import SaveError, Session

    monkeypatch.setenv("ENCLAVE_HOME", str(tmp_path / "home"))
    for text in ('{"format": "enclave-window-save", "v": ' + "9" * 5000 + "}", "[" * 100_000, '{"x": "\\udc00"}'):
        path = tmp_path / "s.json"
        path.write_bytes(text.encode("utf-8"))
        with pytest.raises(SaveError):
            Session.load(path)


def test_odd_length_pin_salt_is_refused_at_load() -> None:
    from game.ui.workshop import Workshop

    good = Workshop.new("1234", [0, 1])
    data = good.to_save()
    assert Workshop.from_save(data, 2).check_pin("1234")
    with pytest.raises(ValueError, match="pin_salt"):
        Workshop.from_save({**data, "pin_salt": data["pin_salt"][:-1]}, 2)
