"""Research tools past one machine: sweeps on a Dask cluster.

The test starts a real Dask cluster itself (a scheduler in this process and
two worker processes, loopback only) and sends the sweep to it by address,
as a researcher would with ``dask scheduler`` / ``dask worker``.
"""

from __future__ import annotations

import csv

import pytest

from game.cli import main


@pytest.fixture(scope="module")
def dask_address():
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


def test_sweep_on_dask_gives_the_local_rows_bit_for_bit_and_in_order(dask_address, tmp_path, capsys):
    common = [
        "sweep", "--level", "tutorial", "--seeds", "5", "--first-seed", "3",
        "--policies", "default", "none", "--players", "cautious,cooperative", "--quiet",
    ]
    local, remote = tmp_path / "local.csv", tmp_path / "dask.csv"
    assert main([*common, "--workers", "2", "--out", str(local)]) == 0
    local_out = capsys.readouterr().out
    assert main([*common, "--scheduler", dask_address, "--out", str(remote)]) == 0
    remote_out = capsys.readouterr().out
    assert remote.read_bytes() == local.read_bytes()
    # the aggregate table is the same too (only the file name differs in the last line)
    assert remote_out.splitlines()[:-1] == local_out.splitlines()[:-1]
    with open(remote, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["policy_set"], r["seed"]) for r in rows] == [
        (ps, str(s)) for ps in ("default", "none") for s in range(3, 8)
    ]
    assert len({r["state_hash"] for r in rows}) > 1
    # the games really ran in the cluster's worker processes, not here
    from distributed import Client

    with Client(dask_address, set_as_default=False) as client:
        loaded_on = client.run(_worker_has_the_level)
    assert any(loaded_on.values()), loaded_on


def _worker_has_the_level() -> bool:
    from game.headless import sweep

    loaded = sweep._WORKER.get("loaded")
    return loaded is not None and loaded.level.id == "tutorial"


@pytest.mark.parametrize(
    "address, needle",
    [("nonsense://x", "'nonsense://x' is not a scheduler address"), ("tcp://127.0.0.1", "missing port")],
)
def test_a_bad_scheduler_address_is_one_clear_error(address, needle, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["sweep", "--level", "tutorial", "--seeds", "1", "--scheduler", address, "--out", str(out), "--quiet"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --scheduler: ") and needle in lines[0], captured.err
    assert not out.exists()


# --- sensitivity ------------------------------------------------------------------------------

# start_year only labels the calendar: it cannot change a game. The player's starting cash
# decides what the firm can afford (certification, bids), so it moves the player's score.
SENSITIVITY = [
    "sensitivity", "--level", "tutorial", "--param", "start_year=2000:2030",
    "--param", "player_firm.cash=200000:3000000", "--outcome", "p1_score",
    "--samples", "16", "--seeds", "1", "--quiet",
]


def _indices(folder) -> dict[str, dict[str, float]]:
    with open(folder / "indices.csv", newline="", encoding="utf-8") as fh:
        return {r["param"]: {k: float(v) for k, v in r.items() if k != "param"} for r in csv.DictReader(fh)}


def test_sensitivity_gives_a_dead_parameter_zero_and_a_live_one_a_large_index(tmp_path, capsys):
    out = tmp_path / "sens"
    assert main([*SENSITIVITY, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "player_firm.cash" in printed and "64 games" in printed
    ix = _indices(out)
    assert set(ix) == {"start_year", "player_firm.cash"}
    assert abs(ix["start_year"]["S1"]) < 0.01 and abs(ix["start_year"]["ST"]) < 0.01, ix
    assert ix["player_firm.cash"]["S1"] > 0.5 and ix["player_firm.cash"]["ST"] > 0.5, ix
    assert all(v >= 0 for v in (ix["player_firm.cash"]["S1_conf"], ix["player_firm.cash"]["ST_conf"]))
    with open(out / "samples.csv", newline="", encoding="utf-8") as fh:
        samples = list(csv.DictReader(fh))
    assert len(samples) == 16 * (2 + 2)
    cash = [int(r["player_firm.cash"]) for r in samples]
    years = [int(r["start_year"]) for r in samples]
    assert min(cash) >= 200000 and max(cash) <= 3000000 and min(years) >= 2000 and max(years) <= 2030
    assert len({r["mean_p1_score"] for r in samples}) > 3, "the values were put into the level"
    png = (out / "indices.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_sensitivity_on_dask_gives_the_local_indices(dask_address, tmp_path, capsys):
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert main([*SENSITIVITY, "--workers", "2", "--out", str(local)]) == 0
    assert main([*SENSITIVITY, "--scheduler", dask_address, "--out", str(remote)]) == 0
    capsys.readouterr()
    for name in ("indices.csv", "samples.csv"):
        assert (remote / name).read_bytes() == (local / name).read_bytes(), name


BAD_SENSITIVITY = {
    "unknown_key": (["--param", "player_firm.cahs=1:2"], ["player_firm.cahs", "no key 'cahs'", "did you mean 'cash'"]),
    "not_a_number": (["--param", "player_firm.name=1:2"], ["player_firm.name", "not a number"]),
    "no_such_item": (["--param", "lead_firms.9.price_down=0:0.1"], ["lead_firms.9.price_down", "no item '9'"]),
    "above_schema": (["--param", "lead_firms.nordwagen.follow_source_share=0.5:1.5"], ["follow_source_share", "HIGH 1.5", "maximum 1"]),
    "below_schema": (["--param", "start_year=1900:2000"], ["start_year", "LOW 1900", "minimum 1980"]),
    "reversed": (["--param", "player_firm.cash=5:1"], ["player_firm.cash", "LOW must be smaller"]),
    "no_range": (["--param", "player_firm.cash"], ["PATH=LOW:HIGH"]),
}


@pytest.mark.parametrize("case", sorted(BAD_SENSITIVITY))
def test_a_bad_param_is_one_clear_error_naming_it(case, tmp_path, capsys):
    extra, needles = BAD_SENSITIVITY[case]
    out = tmp_path / "sens"
    argv = ["sensitivity", "--level", "tutorial", *extra, "--outcome", "p1_score", "--samples", "8", "--out", str(out), "--quiet"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --param"), captured.err
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert captured.out == "" and not out.exists()


@pytest.mark.parametrize(
    "extra, needle",
    [(["--outcome", "p1_scor"], "did you mean 'p1_score'"), (["--outcome", "stage"], "not a numeric sweep column"),
     (["--outcome", "p1_score", "--samples", "10"], "power of 2")],
)
def test_a_bad_outcome_or_sample_count_is_one_clear_error(extra, needle, tmp_path, capsys):
    out = tmp_path / "sens"
    argv = ["sensitivity", "--level", "tutorial", "--param", "player_firm.cash=1:2", "--samples", "8", *extra, "--out", str(out), "--quiet"]
    assert main(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], lines
    assert not out.exists()


def test_a_list_item_is_named_by_position_or_id_and_the_value_lands_there():
    from game.headless.level_params import parse_param, with_values
    from tests.helpers import shipped

    loaded = shipped("tutorial")
    by_pos = parse_param("lead_firms[0].requirements.tier2.quality=0.3:0.9", loaded)
    by_id = parse_param("lead_firms.nordwagen.requirements.tier2.quality=0.3:0.9", loaded)
    assert by_pos.keys == by_id.keys == ("lead_firms", 0, "requirements", "tier2", "quality")
    assert not by_pos.integer and parse_param("computer_smes.count=2:20", loaded).integer
    changed = with_values(loaded, (("lead_firms.nordwagen.requirements.tier2.quality", 0.31),))
    assert changed.level.lead_firms[0].requirements["tier2"].quality == 0.31
    assert changed.content_hash != loaded.content_hash
