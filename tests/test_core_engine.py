"""Small engine-level checks that the bigger suites do not pin down directly."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from game.core import finance
from game.core.actions import InvalidAction, JoinAssociation, Refusal, TrainStaff
from game.headless.runner import play
from tests.helpers import invariant_violations, shipped, small_game


def test_new_game_puts_players_first_then_computer_smes():
    game = small_game(seed=1, players=2, smes=4)
    f = game.state.firms
    assert f.ids == ["p1", "p2", "sme001", "sme002", "sme003", "sme004"]
    assert list(f.kind) == [0, 0, 1, 1, 1, 1]
    assert game.quarter == 1 and not game.finished
    assert (f.action_points[f.alive] > 0).all()
    assert not invariant_violations(game.state)


def test_apply_refuses_what_validate_refuses_and_changes_nothing():
    game = small_game(seed=1)
    game.apply(TrainStaff("p1"))
    before = game.hash()
    refusal = game.validate(TrainStaff("p1"))
    assert refusal == Refusal("refused.already_trained")
    with pytest.raises(InvalidAction) as info:
        game.apply(TrainStaff("p1"))
    assert info.value.refusal == refusal
    assert game.try_apply(TrainStaff("p1")) == refusal
    assert game.hash() == before


def test_quarter_opens_with_a_fresh_cash_ledger():
    game = small_game(seed=1)
    game.apply(TrainStaff("p1"))
    f = game.state.firms
    assert f.cash_out[0] > 0
    game.end_quarter()
    assert (f.cash_open == f.cash).all() and not f.cash_in.any() and not f.cash_out.any()


@pytest.mark.parametrize("level", ["tutorial", "bajio_automotive"])
def test_a_whole_game_raises_no_numpy_warning(level):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(all="raise"):
            result = play(shipped(level), 2, ["cautious", "growth", "cooperative"])
    assert result.game.finished


def test_quarter_after_the_last_association_member_goes_bankrupt_is_warning_free():
    game = small_game(seed=1, players=2, smes=0)
    game.apply(JoinAssociation("p1"))
    finance.bankrupt(game.state, game.rules, 0)
    assert not game.state.firms.alive[0] and game.state.firms.association[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        game.end_quarter()
    assert not invariant_violations(game.state)


def test_eligibility_failures_agree_with_eligible_and_name_the_criterion():
    from game.core import policies

    game = small_game(seed=2, players=1, smes=6, base="bajio_automotive")
    st, rules = game.state, game.rules
    for k in range(len(rules.level.policies)):
        for i in range(len(st.firms)):
            assert (not policies.eligibility_failures(st, rules, k, i)) == policies.eligible(st, rules, k, i)
    # A firm too large for a policy is told which criterion it misses.
    k = 0
    st.firms.employees[0] = rules.level.policies[k].eligibility.max_employees + 1
    assert "max_employees" in policies.eligibility_failures(st, rules, k, 0)


def test_quarter_report_is_typed_and_matches_the_saved_history():
    from game.core.engine import PlayerFigures
    from game.core.state import ClusterMetrics

    game = small_game(seed=2, players=2, smes=4)
    report = game.end_quarter()
    assert isinstance(report.cluster, ClusterMetrics) and report.cluster == game.state.metrics
    assert [type(p) for p in report.players] == [PlayerFigures, PlayerFigures]
    saved = game.state.history[-1]
    assert [p.to_dict() for p in report.players] == saved["players"]
    assert [PlayerFigures.from_dict(d) for d in saved["players"]] == report.players
    assert report.players[1].firm == "p2" and report.players[0].cash == int(game.state.firms.cash[0])
    from game import text
    from game.headless.report import report_lines

    lines = report_lines(report, "en", None)
    assert f"  Cash: ${report.players[0].cash:,}" in lines
    stage = text.t("report.stage", "en", stage=report.cluster.stage, life_cycle=report.life_cycle)
    assert "  " + stage in lines and report.life_cycle, lines
