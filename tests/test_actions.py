"""Player decisions (game/core/actions.py and game/core/decisions/): validate, cost, apply."""

from __future__ import annotations

import numpy as np
import pytest

from game.core import actions
from game.core.actions import (
    ACTION_TYPES,
    Action,
    ApplyProgramme,
    InvalidAction,
    StartCertification,
    TrainStaff,
    action_from_dict,
)
from game.core.engine import Game
from game.core.serialize import state_hash
from game.core.state import MANAGEMENT, QUALITY
from game.core.strategies import STRATEGY_NAMES, play_quarter
from tests.helpers import invariant_violations, small_game


def _ready_for(game, firm: int, cert_id: str) -> None:  # noqa: ANN001
    """Give the firm every prerequisite and the capabilities a certification asks for."""
    rules, f = game.rules, game.state.firms
    k = rules.cert_index[cert_id]
    for r in rules.cert_requires[k]:
        f.cert_held[firm, r] = True
    f.cap[firm, QUALITY] = max(f.cap[firm, QUALITY], float(rules.cert_min_quality[k]))
    f.cap[firm, MANAGEMENT] = max(f.cap[firm, MANAGEMENT], float(rules.cert_min_management[k]))


def _set_cash(game, firm: int, cash: int) -> None:  # noqa: ANN001
    """Set a firm's cash keeping the cash identity (opening cash moves with it)."""
    f = game.state.firms
    f.cash_open[firm] += cash - int(f.cash[firm])
    f.cash[firm] = cash


def test_certification_first_instalment_is_checked_as_paid():
    """iso3834 in cross_clustering_emilia: 220,000 over 3 quarters is 73,334 now (73,333 + the remainder)."""
    game = small_game(base="cross_clustering_emilia", smes=3)
    _ready_for(game, 0, "iso3834")
    action = StartCertification("p1", "iso3834")
    cost = actions.cost(game.state, game.rules, action)
    assert (cost.now, cost.later, cost.total) == (73_334, 146_666, 220_000)

    _set_cash(game, 0, 73_333)
    before = state_hash(game.state)
    refusal = game.validate(action)
    assert refusal is not None and refusal.reason == "refused.not_enough_cash"
    assert refusal.params == {"need": 73_334, "have": 73_333}
    with pytest.raises(InvalidAction):
        game.apply(action)
    assert state_hash(game.state) == before

    _set_cash(game, 0, 73_334)
    assert game.validate(action) is None
    game.apply(action)
    f = game.state.firms
    k = game.rules.cert_index["iso3834"]
    assert int(f.cash[0]) == 0
    # The instalments still to come add up to the rest: nothing is lost or paid twice.
    assert int(f.cert_cost_q[0, k]) * (int(game.rules.cert_quarters[k]) - 1) == cost.later
    assert invariant_violations(game.state) == []


def _take_checking_the_cost(game, seen: set[str]):  # noqa: ANN001, ANN202
    """A taker for play_quarter that applies valid actions and checks what each one paid."""
    st, rules = game.state, game.rules
    f = st.firms

    def take(action: Action) -> bool:
        if game.validate(action) is not None:
            return False
        i = f.index(action.firm)
        cost = actions.cost(st, rules, action)
        out, spent = int(f.cash_out[i]), list(st.policy_spent)
        paid = actions.apply(st, rules, action)
        assert paid == cost, action
        assert int(f.cash_out[i]) - out == cost.now, action
        if cost.policy >= 0:
            budget = rules.level.policies[cost.policy].budget
            assert st.policy_spent[cost.policy] - spent[cost.policy] == min(cost.subsidy, budget - spent[cost.policy])
        assert f.cash[i] >= 0, action
        seen.add(action.kind)
        return True

    return take


def test_apply_pays_exactly_the_cost_it_validated():
    """Over seeded games played by every strategy, each applied action moves cash out by cost().now
    and a policy's budget by the subsidy it pays; cash never goes below zero by a decision."""
    seen: set[str] = set()
    for seed, base in ((3, "tutorial"), (5, "bajio_automotive"), (2, "cross_clustering_emilia")):
        game = small_game(seed=seed, players=len(STRATEGY_NAMES), smes=6, base=base, turns=6)
        take = _take_checking_the_cost(game, seen)
        rngs = [np.random.default_rng([seed, p]) for p in range(game.state.players)]
        while not game.finished:
            for p, name in enumerate(STRATEGY_NAMES):
                if game.state.firms.alive[p]:
                    play_quarter(game.state, game.rules, p, name, rngs[p], take)
            game.end_quarter()
    # The check above must have met the decisions that cost money.
    assert {"train_staff", "start_certification", "adopt_practices", "join_association"} <= seen, seen


def test_a_refused_action_changes_nothing():
    game = small_game(seed=4, smes=3)
    f = game.state.firms
    refused = [
        TrainStaff("nobody"),
        StartCertification("p1", "no_such_cert"),
        actions.BuyTechnology("p1"),
        actions.ExpandCapacity("p1", -5),
        actions.RepayLoan("p1", 10**12),
        actions.TakeLoan("p1", "no_bank", 1_000),
        ApplyProgramme("p1", "no_programme", 100_000),
        actions.PlaceBid("p1", "no_call", 10),
        actions.JoinConsortium("p1", 99),
        actions.LeaveConsortium("p1"),
        actions.AcceptSubcontract("p1", "nothing"),
    ]
    _set_cash(game, 0, 10)  # too poor for anything that costs money
    for action in refused:
        before = state_hash(game.state)
        refusal = game.validate(action)
        assert refusal is not None, action
        with pytest.raises(InvalidAction) as raised:
            game.apply(action)
        assert raised.value.refusal == refusal
        assert state_hash(game.state) == before, action
    assert int(f.cash[0]) == 10


def test_validate_checks_cost_against_cash_before_the_decisions_own_check():
    """The shared order: shared checks, then the cost against cash, then the action's own check."""
    game = small_game(seed=4, smes=3)
    action = TrainStaff("p1")
    game.apply(action)
    assert game.validate(action).reason == "refused.already_trained"
    _set_cash(game, 0, 0)
    assert game.validate(action).reason == "refused.not_enough_cash"
    game.state.firms.action_points[0] = 0
    assert game.validate(action).reason == "refused.no_action_points"


def test_programme_grant_is_one_formula():
    """The window, the application's cost and the decision at approval share programme_grant."""
    game = small_game(seed=4, smes=3)
    rules = game.rules
    prog = rules.level.programmes[0]
    project = 1_000_000
    cost = actions.cost(game.state, rules, ApplyProgramme("p1", prog.id, project))
    grant = min(int(project * prog.share), prog.max_grant)
    assert (cost.subsidy, cost.later, cost.must_hold, cost.now) == (grant, project - grant, project - grant, 0)
    assert actions.programme_grant(prog, project, budget_left=grant - 1) == grant - 1
    assert actions.programme_grant(prog, project, budget_left=-5) == 0


def test_every_decision_round_trips_through_its_dict_form():
    samples = {
        "pass": {}, "train_staff": {}, "buy_technology": {}, "expand_capacity": {"units": 3},
        "start_certification": {"certification": "iso9001"}, "start_innovation": {}, "adopt_practices": {},
        "take_loan": {"bank": "b", "amount": 5}, "repay_loan": {"amount": 5},
        "apply_programme": {"programme": "x", "project_cost": 9}, "found_consortium": {"name": "C"},
        "join_consortium": {"consortium": 0}, "invite_to_consortium": {"to_firm": "p2"},
        "decline_invitation": {"consortium": 0}, "leave_consortium": {},
        "offer_subcontract": {"contract": "c", "to_firm": "p2", "share": 0.3, "price": 7},
        "accept_subcontract": {"contract": "c"}, "sign_university": {"institution": "u"},
        "join_association": {}, "apply_supplier_development": {"policy": "p"},
        "bid": {"rfq": "r", "price": 3, "consortium": True}, "serve_local": {"on": False}, "free_ride": {},
    }
    assert set(samples) == set(ACTION_TYPES)
    for kind, fields in samples.items():
        data = {"type": kind, "firm": "p1", **fields}
        action = action_from_dict(data)
        assert action.to_dict() == data
        assert type(action) is ACTION_TYPES[kind]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Grupo\x07Norte", "refused.text_unprintable"),
        ("Grupo \ud800", "refused.text_unprintable"),
        ("Grupo\x9bNorte", "refused.text_unprintable"),
        ("G" * 2001, "refused.text_too_long"),
    ],
)
def test_a_typed_text_its_save_could_not_hold_is_refused(text, reason):
    """A consortium's name or a facilitator's note with a control character, a lone
    surrogate or an endless length is refused when typed, not when its save is loaded."""
    from game.core.facilitator import QuarterNote

    game = small_game(seed=3)
    firm = game.state.firms.ids[0]
    refusal = game.validate(actions.FoundConsortium(firm=firm, name=text))
    assert refusal is not None and refusal.reason == reason, refusal
    note = game.validate(QuarterNote(text=text))
    assert note is not None and note.reason == reason, note
    assert game.validate(actions.FoundConsortium(firm=firm, name="Grupo Norte")) is None


def test_a_game_refuses_an_unusable_team_name():
    from tests.helpers import shipped

    with pytest.raises(ValueError, match=r"names\[1\]"):
        Game.new(shipped(), seed=1, players=2, names=["Águilas", "Lobos\x1b[31m"])


def test_a_costs_own_init_takes_every_field_with_its_default():
    """Cost writes its fields itself (a frozen dataclass's __init__ is slower): a field added to the
    class must be added to that __init__ too, with the same default, or this fails."""
    import dataclasses
    import inspect

    from game.core.decisions.base import Cost

    params = inspect.signature(Cost.__init__).parameters
    fields = dataclasses.fields(Cost)
    assert [p for p in params if p != "self"] == [f.name for f in fields]
    assert all(params[f.name].default == f.default for f in fields)
    made = Cost(now=5, later=7, subsidy=2, policy=1, share=0.5, must_hold=3)
    assert dataclasses.asdict(made) == {"now": 5, "later": 7, "subsidy": 2, "policy": 1, "share": 0.5, "must_hold": 3}
    assert dataclasses.replace(made, now=9) == Cost(9, 7, 2, 1, 0.5, 3)
