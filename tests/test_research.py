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
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
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
