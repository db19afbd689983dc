"""Property tests of the core with hypothesis (practice 2).

Random sequences of plausible and implausible actions of every kind,
interleaved with the end of quarters and with bursts from the computer
strategies (to reach contracts, consortia and subcontract offers), on small
clusters of several shipped levels. After every step the state invariants
of :func:`tests.helpers.invariant_violations` hold; ``validate`` is pure; a
refused action raises ``InvalidAction`` from ``apply`` and changes nothing;
a valid one applies without error.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import typing

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.core.actions import (
    ACTION_TYPES,
    AcceptSubcontract,
    Action,
    ActionFormatError,
    InvalidAction,
    LeaveConsortium,
    OfferSubcontract,
    PlaceBid,
    Refusal,
    action_from_dict,
)
from game.core.engine import Game, QuarterReport
from game.core.facilitator import (
    FACILITATOR_TYPES,
    FacilitatorAction,
    InjectEvent,
    QuarterNote,
    SwitchPolicy,
    TeamTimedOut,
    any_action_from_dict,
)
from game.core.strategies import STRATEGY_FUNCTIONS
from tests.helpers import invariant_violations, shipped, small_game

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LEVELS = ["tutorial", "cross_clustering_emilia", "bajio_automotive"]
JUNK_IDS = ["", " ", "zz", "p0", "p9", "P1", "sme000", "sme999", "c0", "c999", "q0_0", "ñandú", "p1 ", "../p1"]
BIG_INTS = [2**31, 2**62, 2**63 - 1, 2**63, 2**70, -(2**63), -(2**70)]
REASON = re.compile(r"^(refused|missing)\.[a-z_0-9]+$")


# -- strategies for action fields ---------------------------------------------------


def _ids(real: list[str]) -> st.SearchStrategy[str]:
    """Mostly real ids from the state or level, sometimes nonsense."""
    junk = st.sampled_from(JUNK_IDS)
    if not real:
        return junk
    real_s = st.sampled_from(sorted(real))
    return st.one_of(real_s, real_s, real_s, junk)


def _amounts(plausible: list[int]) -> st.SearchStrategy[int]:
    return st.one_of(
        st.sampled_from(sorted({int(x) for x in plausible} | {0, 1, 50_000, 250_000, 1_000_000})),
        st.integers(-10, 10),
        st.integers(1, 5_000_000),
        st.sampled_from(BIG_INTS),
    )


_SHARES = st.one_of(st.floats(0.04, 0.81), st.floats(), st.sampled_from([0.05, 0.8, 0.0, 1.0]))


def _firm_ids(game: Game) -> st.SearchStrategy[str]:
    f = game.state.firms
    players = st.sampled_from(f.ids[: game.state.players])
    return st.one_of(players, players, players, st.sampled_from(f.ids), st.sampled_from(JUNK_IDS))


def _field_strategy(game: Game, cls: type[Action], name: str, hint: type, firm: int | None) -> st.SearchStrategy:
    s, level = game.state, game.rules.level
    f = s.firms
    mine = [int(f.cash[firm]), int(f.debt[firm]), int(f.capacity[firm]) // 4, int(f.capacity[firm])] if firm is not None else []
    by_name: dict[str, st.SearchStrategy] = {
        "certification": _ids([c.id for c in level.certifications]),
        "bank": _ids([i.id for i in level.institutions]),
        "institution": _ids([i.id for i in level.institutions]),
        "programme": _ids([p.id for p in level.programmes]),
        "policy": _ids([p.id for p in level.policies]),
        "rfq": _ids([r.id for r in s.rfqs]),
        "contract": _ids([c.id for c in s.contracts]),
        "to_firm": _ids(list(f.ids)),
        "name": st.one_of(st.text(max_size=70), st.sampled_from(["Consorcio Norte", "   ", "x" * 61])),
        "units": _amounts(mine),
        "amount": _amounts(mine),
        "project_cost": _amounts(mine + [level.economy.technology_cost]),
        "price": _amounts([r.target_price for r in s.rfqs] + [c.price for c in s.contracts]),
        "share": _SHARES,
    }
    if name == "consortium" and hint is int:
        return st.one_of(st.integers(-2, len(s.consortia) + 1), st.sampled_from(BIG_INTS))
    if name in by_name:
        return by_name[name]
    # A field added later still gets values of its type.
    return {bool: st.booleans(), int: _amounts(mine), float: _SHARES, str: _ids(list(f.ids))}[hint]


def draw_action(data: st.DataObject, game: Game) -> Action:
    """Any kind of action, with fields drawn from the state (real ids) and from nonsense."""
    s = game.state
    f = s.firms
    cls = data.draw(st.sampled_from([ACTION_TYPES[k] for k in sorted(ACTION_TYPES)]), label="kind")
    # Aim some offers, acceptances and bids at things that exist, so they can be valid.
    if cls is OfferSubcontract and s.contracts and data.draw(st.booleans()):
        c = data.draw(st.sampled_from(s.contracts))
        holder = data.draw(st.sampled_from(c.members))
        others = [f.ids[j] for j in range(len(f)) if j != holder and f.alive[j]]
        return OfferSubcontract(
            f.ids[holder],
            c.id,
            data.draw(_ids(others)),
            data.draw(_SHARES),
            data.draw(st.one_of(st.integers(1, c.price), st.integers(-5, 2 * c.price + 5))),
        )
    if cls is AcceptSubcontract and s.offers and data.draw(st.booleans()):
        o = data.draw(st.sampled_from(s.offers))
        return AcceptSubcontract(f.ids[o.to_firm], o.contract_id)
    members = [f.ids[i] for i in np.flatnonzero(f.consortium >= 0)]
    if cls is LeaveConsortium and members and data.draw(st.booleans()):
        return LeaveConsortium(data.draw(st.sampled_from(members)))
    if cls is PlaceBid and s.rfqs and data.draw(st.booleans()):
        r = data.draw(st.sampled_from(s.rfqs))
        factor = data.draw(st.floats(0.0, 1.7))
        return PlaceBid(data.draw(_firm_ids(game)), r.id, int(r.target_price * factor), data.draw(st.booleans()))
    firm_id = data.draw(_firm_ids(game), label="firm")
    firm = f.ids.index(firm_id) if firm_id in f.ids else None
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for fld in dataclasses.fields(cls):
        if fld.name == "firm":
            continue
        kwargs[fld.name] = data.draw(_field_strategy(game, cls, fld.name, hints[fld.name], firm), label=fld.name)
    return cls(firm_id, **kwargs)


def draw_facilitator_action(data: st.DataObject, game: Game) -> FacilitatorAction:
    """A facilitator's action: policy switches, injected events, notes, timed-out teams."""
    level = game.rules.level
    cls = data.draw(st.sampled_from([FACILITATOR_TYPES[k] for k in sorted(FACILITATOR_TYPES)]), label="facilitator")
    if cls is SwitchPolicy:
        return SwitchPolicy(data.draw(_ids([p.id for p in level.policies])), data.draw(st.booleans()))
    if cls is InjectEvent:
        return InjectEvent(data.draw(_ids([e.id for e in level.events])))
    if cls is QuarterNote:
        return QuarterNote(data.draw(st.one_of(st.text(max_size=20), st.sampled_from(["", "  ", "y" * 501]))))
    assert cls is TeamTimedOut, f"new facilitator action {cls.__name__}: teach draw_facilitator_action about it"
    return TeamTimedOut(data.draw(_firm_ids(game)), data.draw(_ids(sorted(STRATEGY_FUNCTIONS))))


# -- one step, with its checks -------------------------------------------------------


def _check(game: Game, what: str) -> None:
    problems = invariant_violations(game.state)
    assert not problems, f"after {what}:\n" + "\n".join(problems)


def attempt(game: Game, action: Action | FacilitatorAction) -> Refusal | None:
    """Validate then apply, checking purity, refusals and the invariants."""
    before = game.hash()
    refusal = game.validate(action)
    assert game.hash() == before, f"validate changed the state: {action}"
    if refusal is None:
        game.apply(action)
    else:
        assert isinstance(refusal, Refusal) and REASON.match(refusal.reason), refusal
        assert str(refusal).startswith(refusal.reason)
        with pytest.raises(InvalidAction) as info:
            game.apply(action)
        assert info.value.refusal == refusal
        assert game.hash() == before, f"a refused action changed the state: {action} ({refusal})"
    _check(game, repr(action))
    return refusal


def subcontract(data: st.DataObject, game: Game) -> None:
    """A plausible offer of part of a running contract, then perhaps its acceptance."""
    s = game.state
    f = s.firms
    if game.finished or not s.contracts:
        return
    c = data.draw(st.sampled_from(s.contracts), label="contract")
    holder = data.draw(st.sampled_from(c.members), label="holder")
    others = [j for j in range(len(f)) if j != holder and f.alive[j]]
    if not others:
        return
    to = data.draw(st.sampled_from(others), label="to")
    share = data.draw(st.floats(0.05, 0.8), label="share")
    price = data.draw(st.integers(1, max(c.price, 1)), label="price")
    if attempt(game, OfferSubcontract(f.ids[holder], c.id, f.ids[to], share, price)) is None:
        assert any(o.contract_id == c.id and o.to_firm == to for o in s.offers)
        if data.draw(st.booleans(), label="accept"):
            if attempt(game, AcceptSubcontract(f.ids[to], c.id)) is None:
                assert c.subcontractor == to and not any(o.contract_id == c.id for o in s.offers)


def end_quarter(game: Game) -> None:
    if game.finished:
        before = game.hash()
        with pytest.raises(InvalidAction):
            game.end_quarter()
        assert game.hash() == before
        return
    quarter = game.quarter
    report = game.end_quarter()
    assert isinstance(report, QuarterReport) and report.quarter == quarter
    assert game.quarter == quarter + 1
    assert len(report.players) == game.state.players
    _check(game, f"the end of quarter {quarter}")


@st.composite
def new_games(draw) -> Game:
    level = draw(st.sampled_from(LEVELS), label="level")
    policies = {p.id: draw(st.booleans()) for p in shipped(level).level.policies}
    return small_game(
        seed=draw(st.integers(0, 2**32), label="seed"),
        players=draw(st.integers(1, 3), label="players"),
        smes=draw(st.integers(0, 6), label="smes"),
        base=level,
        policies=policies,
    )


MOVES = ["action"] * 4 + ["strategy", "subcontract", "facilitator", "end_quarter", "end_quarter"]


@SETTINGS
@given(game=new_games(), data=st.data())
def test_random_action_sequences_never_break_the_state(game, data):
    _check(game, "set-up")
    steps = data.draw(st.integers(1, 45), label="steps")
    for _ in range(steps):
        move = data.draw(st.sampled_from(MOVES), label="move")
        if move == "end_quarter":
            end_quarter(game)
        elif move == "subcontract":
            subcontract(data, game)
        elif move == "facilitator":
            attempt(game, draw_facilitator_action(data, game))
        elif move == "strategy" and not game.finished:
            p = data.draw(st.integers(0, game.state.players - 1), label="player")
            name = data.draw(st.sampled_from(sorted(STRATEGY_FUNCTIONS)), label="strategy")
            rng = np.random.default_rng(data.draw(st.integers(0, 2**32), label="driver"))
            if game.state.firms.alive[p]:
                for action in STRATEGY_FUNCTIONS[name](game.state, game.rules, p, rng):
                    attempt(game, action)
        else:
            attempt(game, draw_action(data, game))


@SETTINGS
@given(game=new_games(), data=st.data())
def test_play_to_the_end_keeps_the_invariants_every_quarter(game, data):
    """Whole games (short ones) with a strategy per player: invariants at every quarter."""
    strategies = [data.draw(st.sampled_from(sorted(STRATEGY_FUNCTIONS))) for _ in range(game.state.players)]
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32)))
    quarters = data.draw(st.integers(1, 8))
    while not game.finished and game.quarter <= quarters:
        for p, name in enumerate(strategies):
            if game.state.firms.alive[p]:
                for action in STRATEGY_FUNCTIONS[name](game.state, game.rules, p, rng):
                    if game.validate(action) is None:
                        game.apply(action)
                        _check(game, repr(action))
        end_quarter(game)


def test_finished_game_refuses_everything():
    game = small_game(seed=3, smes=2, turns=2)
    end_quarter(game)
    end_quarter(game)
    assert game.finished
    assert game.validate(ACTION_TYPES["pass"]("p1")) == Refusal("refused.game_over")
    end_quarter(game)  # raises InvalidAction, state unchanged


# -- actions as data -------------------------------------------------------------------


def _builds(cls: type) -> st.SearchStrategy:
    hints = typing.get_type_hints(cls)
    kwargs = {
        fld.name: {bool: st.booleans(), int: st.integers(), float: st.floats(allow_nan=False), str: st.text()}[hints[fld.name]]
        for fld in dataclasses.fields(cls)
    }
    return st.builds(cls, **kwargs)


ANY_ACTION = st.one_of([_builds(ACTION_TYPES[k]) for k in sorted(ACTION_TYPES)])


@settings(max_examples=300, deadline=None)
@given(action=ANY_ACTION)
def test_action_dict_round_trips(action):
    d = action.to_dict()
    assert d["type"] == action.kind and ACTION_TYPES[d["type"]] is type(action)
    def unrepresentable(v: object) -> bool:
        if isinstance(v, bool):
            return False
        if isinstance(v, int):
            return not -(2**63) <= v < 2**63
        return isinstance(v, float) and not math.isfinite(v)

    bad = [k for k, v in d.items() if unrepresentable(v)]
    if bad:
        # Numbers the state cannot hold (beyond int64, inf, nan) are malformed input,
        # reported for the first such field.
        with pytest.raises(ActionFormatError, match=f"^{bad[0]}: (number out of range|not a finite number)"):
            action_from_dict(d)
        return
    assert action_from_dict(d) == action
    assert action_from_dict(json.loads(json.dumps(d))) == action
    assert any_action_from_dict(d) == action


ANY_FACILITATOR_ACTION = st.one_of([_builds(FACILITATOR_TYPES[k]) for k in sorted(FACILITATOR_TYPES)])


@settings(max_examples=100, deadline=None)
@given(action=ANY_FACILITATOR_ACTION)
def test_facilitator_action_dict_round_trips(action):
    d = action.to_dict()
    assert FACILITATOR_TYPES[d["type"]] is type(action)
    assert any_action_from_dict(d) == action
    assert any_action_from_dict(json.loads(json.dumps(d))) == action


def test_every_action_type_is_registered_under_its_kind():
    assert len(ACTION_TYPES) >= 20
    for kind, cls in ACTION_TYPES.items():
        assert cls.kind == kind and dataclasses.is_dataclass(cls)
        assert cls.__dataclass_params__.frozen, f"{cls.__name__} must be frozen"
        hints = typing.get_type_hints(cls)
        sample = {bool: True, int: 1, float: 0.5, str: "x"}
        a = cls(**{fld.name: sample[hints[fld.name]] for fld in dataclasses.fields(cls)})
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.firm = "other"  # type: ignore[misc]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def action_like_dicts(draw) -> dict:
    kinds = sorted(ACTION_TYPES) + sorted(FACILITATOR_TYPES)
    kind = draw(st.one_of(st.sampled_from(kinds), JSON_VALUES))
    d = {"type": kind} if draw(st.integers(0, 9)) else {}
    classes = [*ACTION_TYPES.values(), *FACILITATOR_TYPES.values()]
    names = sorted({fld.name for cls in classes for fld in dataclasses.fields(cls)})
    for name in draw(st.lists(st.sampled_from(names), max_size=6, unique=True)):
        d[name] = draw(JSON_VALUES)
    d.update(draw(st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=2)))
    return d


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(action_like_dicts(), JSON_VALUES))
def test_action_from_dict_accepts_or_names_the_problem(data):
    """Whatever JSON a replay holds, the result is an action or an ActionFormatError."""
    try:
        action = any_action_from_dict(data)
    except ActionFormatError as exc:
        assert str(exc)
        return
    assert isinstance(action, (Action, FacilitatorAction))
    assert action.to_dict()["type"] == data["type"]
