"""The headless commands: run, replay, sweep (as a user types them).

Bad input exits 2 with one clear line on stderr and no traceback; ``run
--json`` prints one JSON object; a recorded run replays; a sweep writes one
CSV row per game and the same CSV whatever the number of workers.
"""

from __future__ import annotations

import csv
import json

import pytest

from game.cli import main
from tests.helpers import run_cli, shipped

BAD_RUNS = {
    "unknown_level": (["run", "--level", "tutorail"], ["tutorail", "did you mean 'tutorial'"]),
    "unknown_strategy": (["run", "--level", "tutorial", "--players", "growth,grwth"], ["--players", "'grwth'", "did you mean 'growth'"]),
    "no_strategy": (["run", "--level", "tutorial", "--players", ","], ["--players"]),
    "zero_turns": (["run", "--level", "tutorial", "--turns", "0"], ["--turns", "at least 1"]),
    "too_many_turns": (["run", "--level", "tutorial", "--turns", "13"], ["--turns", "13", "12"]),
    "turns_not_a_number": (["run", "--level", "tutorial", "--turns", "six"], ["--turns", "'six'"]),
    "negative_seed": (["run", "--level", "tutorial", "--seed", "-1"], ["seed", "-1"]),
    "unknown_flag": (["run", "--level", "tutorial", "--fast"], ["--fast"]),
    "missing_level": (["run"], ["--level"]),
    "unknown_policy": (["run", "--level", "tutorial", "--policy-on", "proauto"], ["'proauto'", "proauto_certification"]),
    "sweep_zero_seeds": (["sweep", "--level", "tutorial", "--seeds", "0", "--out", "x.csv"], ["--seeds"]),
    "sweep_unknown_policy_set": (["sweep", "--level", "tutorial", "--seeds", "1", "--policies", "nope", "--out", "x.csv"], ["--policies", "'nope'"]),
    "facts_unknown_only": (["facts", "--only", "F8,F99", "--seeds", "1"], ["--only", "F99"]),
    "facts_only_off_level": (["facts", "--only", "F18", "--level", "bajio_automotive", "--seeds", "1"], ["--only", "F18", "bajio_automotive"]),
}


@pytest.mark.parametrize("case", sorted(BAD_RUNS))
def test_bad_input_exits_2_with_one_clear_line(case, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a sweep that wrongly ran would write here
    argv, needles = BAD_RUNS[case]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert out == ""
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("case", ["unknown_level", "unknown_strategy", "negative_seed", "unknown_flag"])
def test_bad_input_in_a_real_process_has_no_traceback(case):
    argv, needles = BAD_RUNS[case]
    proc = run_cli(*argv)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert all(n in proc.stderr for n in needles)


def test_run_json_prints_one_object():
    proc = run_cli("run", "--level", "tutorial", "--seed", "3", "--players", "cautious,cooperative", "--json")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert isinstance(summary, dict)
    assert len(summary["state_hash"]) == 16 and int(summary["state_hash"], 16) >= 0
    assert summary["seed"] == 3 and summary["level"] == "tutorial"
    assert summary["quarters_played"] == shipped("tutorial").level.turns and summary["finished"] is True
    assert [p["strategy"] for p in summary["players"]] == ["cautious", "cooperative"]
    assert [p["firm"] for p in summary["players"]] == ["p1", "p2"]
    assert summary["cluster"]["stage"] in ("primordial", "evolutivo", "consolidado", "reposicionado")


def test_run_json_gives_each_player_quarters_whose_money_adds_up():
    proc = run_cli("run", "--level", "bajio_automotive", "--seed", "7", "--players", "ambitious,growth", "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    for p in summary["players"]:
        quarters = p["quarters"]
        assert [q["quarter"] for q in quarters] == list(range(1, summary["quarters_played"] + 1))
        keys = {"quarter", "opening_cash", "cash_flows", "closing_cash", "income", "profit", "receivables"}
        for q in quarters:
            assert keys <= set(q), set(q)
            assert all(isinstance(v, int) for v in q["cash_flows"].values())
            assert q["closing_cash"] - q["opening_cash"] == sum(q["cash_flows"].values()), q
            assert q["profit"] == sum(q["income"].values()), q
            assert all(name.split(".")[0] in ("collections", "payments", "investments", "financing") for name in q["cash_flows"])
        for a, b in zip(quarters, quarters[1:], strict=False):
            assert a["closing_cash"] == b["opening_cash"]
        # The statements end where the outcome does.
        assert quarters[-1]["closing_cash"] == p["cash"] and quarters[-1]["debt"] == p["debt"]
        assert sum(q["profit"] for q in quarters) == p["profit_total"]
        assert any(name.startswith("revenue.") for q in quarters for name in q["income"])


def test_run_turns_stops_early(capsys):
    assert main(["run", "--level", "tutorial", "--turns", "3", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["quarters_played"] == 3 and summary["finished"] is False


def test_run_default_seed_is_the_levels(capsys):
    assert main(["run", "--level", "tutorial", "--turns", "2", "--json"]) == 0
    default = json.loads(capsys.readouterr().out)
    seed = shipped("tutorial").level.seed
    assert default["seed"] == seed
    assert main(["run", "--level", "tutorial", "--turns", "2", "--seed", str(seed), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["state_hash"] == default["state_hash"]


def test_run_text_summary(capsys):
    assert main(["run", "--level", "tutorial", "--seed", "2", "--log", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "tutorial" in out and "seed 2" in out and "hash " in out
    assert "--- Q1 ---" in out and "p1 " in out


def test_run_record_then_replay(tmp_path):
    path = tmp_path / "game.replay.json"
    proc = run_cli("run", "--level", "tutorial", "--seed", "5", "--players", "growth,cooperative", "--record", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["final_hash"] == summary["state_hash"]
    assert data["seed"] == 5 and data["players"] == 2
    assert len(data["turns"]) == summary["quarters_played"]
    proc = run_cli("replay", str(path))
    assert proc.returncode == 0, proc.stderr
    assert summary["state_hash"] in proc.stdout


def test_run_plays_a_seat_as_the_coached_player_and_replays(tmp_path, capsys):
    """``--players coach``: a seat does what the tutorial's coach advises (strategies.coach), so
    a researcher can read the coached player's money headless; its recording replays."""
    path = tmp_path / "coach.json"
    assert main(["run", "--level", "tutorial", "--seed", "4", "--players", "coach,cautious", "--record", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [p["strategy"] for p in summary["players"]] == ["coach", "cautious"]
    coached = summary["players"][0]
    assert coached["quarters"] and coached["objective_met"] is True, coached["health"]
    assert json.loads(path.read_text(encoding="utf-8"))["players"] == 2
    assert main(["replay", str(path)]) == 0
    assert summary["state_hash"] in capsys.readouterr().out


def test_run_with_policy_switch_records_it_and_replays(tmp_path, capsys):
    path = tmp_path / "p.json"
    args = ["run", "--level", "tutorial", "--seed", "5", "--turns", "4", "--record", str(path), "--json"]
    assert main([*args, "--policy-on", "nordwagen_supplier_development"]) == 0
    on = json.loads(capsys.readouterr().out)
    assert json.loads(path.read_text(encoding="utf-8"))["policies"] == {"nordwagen_supplier_development": True}
    assert main(["replay", str(path)]) == 0
    capsys.readouterr()
    assert main(args[:-3] + ["--json"]) == 0
    off = json.loads(capsys.readouterr().out)
    assert on["state_hash"] != off["state_hash"]


EXPECTED_COLUMNS = [
    "level", "policy_set", "seed", "quarters", "state_hash", "stage", "local_share",
    "tier2_share", "tier3_share", "alive_share", "cooperation", "firms", "awards",
    "consortium_awards", "consortium_large_wins", "lone_large_wins",
    "p1_strategy", "p1_objective_met", "p1_best_tier", "p1_alive", "p1_score",
]  # fmt: skip


def _read_csv(path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_sweep_writes_one_row_per_game_and_an_aggregate_table(tmp_path):
    out = tmp_path / "sweep.csv"
    proc = run_cli("sweep", "--level", "tutorial", "--seeds", "2", "--workers", "1", "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", "--quiet shows no progress bar"
    columns, rows = _read_csv(out)
    for col in EXPECTED_COLUMNS:
        assert col in columns, f"missing column {col}"
    assert len(rows) == 2
    assert [r["seed"] for r in rows] == ["1", "2"]
    assert all(r["level"] == "tutorial" and r["policy_set"] == "default" for r in rows)
    assert all(r["quarters"] == str(shipped("tutorial").level.turns) for r in rows)
    assert rows[0]["state_hash"] != rows[1]["state_hash"]
    lines = proc.stdout.strip().splitlines()
    assert lines[0].split("|")[0].strip() == "policy_set" and "games" in lines[0]
    assert set(lines[1]) <= {"-", "+"}
    assert lines[2].split("|")[0].strip() == "default" and lines[2].split("|")[1].strip() == "2"
    assert lines[-1] == f"2 games written to {out}"


def test_sweep_rows_match_single_runs(tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["sweep", "--level", "tutorial", "--seeds", "2", "--first-seed", "7", "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    _, rows = _read_csv(out)
    for row in rows:
        assert main(["run", "--level", "tutorial", "--seed", row["seed"], "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["state_hash"] == row["state_hash"]


def test_sweep_gives_the_same_csv_with_one_or_two_workers(tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    common = ["sweep", "--level", "tutorial", "--seeds", "3", "--policies", "default", "none", "--quiet"]
    for path, workers in ((one, "1"), (two, "2")):
        proc = run_cli(*common, "--workers", workers, "--out", str(path))
        assert proc.returncode == 0, proc.stderr
    assert one.read_bytes() == two.read_bytes()
    _, rows = _read_csv(one)
    assert [r["policy_set"] for r in rows] == ["default"] * 3 + ["none"] * 3


def test_facts_only_runs_just_the_named_facts(capsys):
    # F20 needs one short game per level: --only keeps the run to its own games.
    assert main(["facts", "--only", "f20", "--seeds", "1", "--json"]) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in data["facts"]] == ["F20"]
    assert data["facts"][0]["n"] == 6  # five scenarios and the tutorial
