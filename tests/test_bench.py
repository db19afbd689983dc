"""The benchmark's clusters grow in proportion, so large sizes measure a large cluster."""

from __future__ import annotations

from game.core.engine import Game
from game.core.level import Level
from game.headless.bench import _sized
from tests.helpers import run_cli, shipped


def test_a_grown_cluster_has_buyers_calls_and_institutions_in_proportion():
    base = shipped("bajio_automotive")
    firms = base.level.computer_smes.count + 1
    grown = _sized(base, 10 * firms).level
    Level.model_validate(grown.model_dump())  # unique ids, every issuer known
    assert grown.computer_smes.count + 1 == 10 * firms
    assert len(grown.lead_firms) == 10 * len(base.level.lead_firms)
    assert len(grown.institutions) == 10 * len(base.level.institutions)
    rate = sum(g.per_quarter for g in grown.rfq_generators)
    assert abs(rate - 10 * sum(g.per_quarter for g in base.level.rfq_generators)) < 1e-9
    small, big = (Game.new(_sized(base, n), seed=3) for n in (firms, 10 * firms))
    for game in (small, big):
        for _ in range(3):
            game.end_quarter()
    assert len(big.state.rfqs) >= 5 * max(1, len(small.state.rfqs)), (len(small.state.rfqs), len(big.state.rfqs))


def test_bench_refuses_a_bad_size_list():
    for bad in ("10", "300,x", "200000"):
        r = run_cli("bench", "--sizes", bad)
        assert r.returncode == 2 and "argument --sizes" in r.stderr and "firm" in r.stderr and "Traceback" not in r.stderr


def test_bench_says_whether_a_quarter_meets_the_issues_target():
    from game.headless.bench import target_line

    assert target_line(300, 10.0, 1.0) is None
    assert "met (12.0 ms, 2.4x)" in target_line(3000, 12.0, 5.0)
    assert "not met (12.0 ms, 4.0x)" in target_line(3000, 12.0, 3.0)
    assert "not met (20.0 ms" in target_line(3000, 20.0, 10.0)
    line = target_line(3000, 40.0, 16.0)
    assert "not met" in line and "the kernel alone takes 16.0 ms" in line
    assert "met (140.0 ms" in target_line(30000, 140.0, 100.0) and "not met" not in target_line(30000, 140.0, 100.0)
