"""Player decisions as frozen, serialisable actions.

Every state change a player (or a computer strategy) makes goes through
here: :func:`validate` is pure and returns a :class:`Refusal` naming the
reason key (a text in the translation files) or ``None``; :func:`apply`
runs only valid actions and raises if given an invalid one. The window,
the replay files and the computer players all use these same objects.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from game.core import policies
from game.core.rules import Rules
from game.core.state import (
    DELIVERY,
    HUMAN_CAPITAL,
    KIND_PLAYER,
    MANAGEMENT,
    NO_TIER,
    QUALITY,
    TECHNOLOGY,
    Application,
    Bid,
    Consortium,
    GameState,
    SubcontractOffer,
)

CONSORTIUM_SETUP_COST = 50_000
"""Legal set-up of a consortium (an *integradora*) shared by its founder."""

INNOVATION_QUARTERS = 3
MAX_BID_FACTOR = 1.5
"""A bid above 1.5 x the target price is refused as not serious."""


@dataclass(frozen=True)
class Refusal:
    """Why an action cannot be taken; ``reason`` is a translation key."""

    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.params:
            return self.reason
        inner = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.reason} ({inner})"


class InvalidAction(Exception):
    """Raised by :func:`apply` when given an action :func:`validate` refuses."""

    def __init__(self, refusal: Refusal):
        self.refusal = refusal
        super().__init__(str(refusal))


@dataclass(frozen=True)
class Action:
    """Base of every decision: taken by one firm, identified by its id."""

    kind: ClassVar[str] = ""
    action_points: ClassVar[int] = 1
    firm: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, **dataclasses.asdict(self)}


@dataclass(frozen=True)
class Pass(Action):
    kind: ClassVar[str] = "pass"
    action_points: ClassVar[int] = 0


@dataclass(frozen=True)
class TrainStaff(Action):
    kind: ClassVar[str] = "train_staff"


@dataclass(frozen=True)
class BuyTechnology(Action):
    kind: ClassVar[str] = "buy_technology"


@dataclass(frozen=True)
class ExpandCapacity(Action):
    kind: ClassVar[str] = "expand_capacity"
    units: int


@dataclass(frozen=True)
class StartCertification(Action):
    kind: ClassVar[str] = "start_certification"
    action_points: ClassVar[int] = 2
    certification: str


@dataclass(frozen=True)
class StartInnovationProject(Action):
    kind: ClassVar[str] = "start_innovation"
    action_points: ClassVar[int] = 2


@dataclass(frozen=True)
class AdoptPractices(Action):
    """Adopt management and ICT practices (lean, ERP, quality tools)."""

    kind: ClassVar[str] = "adopt_practices"


@dataclass(frozen=True)
class TakeLoan(Action):
    kind: ClassVar[str] = "take_loan"
    bank: str
    amount: int


@dataclass(frozen=True)
class RepayLoan(Action):
    kind: ClassVar[str] = "repay_loan"
    amount: int


@dataclass(frozen=True)
class ApplyProgramme(Action):
    kind: ClassVar[str] = "apply_programme"
    programme: str
    project_cost: int


@dataclass(frozen=True)
class FoundConsortium(Action):
    kind: ClassVar[str] = "found_consortium"
    action_points: ClassVar[int] = 2
    name: str


@dataclass(frozen=True)
class JoinConsortium(Action):
    kind: ClassVar[str] = "join_consortium"
    consortium: int


@dataclass(frozen=True)
class InviteToConsortium(Action):
    """A member invites another firm (a team's consortium takes only those it invites)."""

    kind: ClassVar[str] = "invite_to_consortium"
    to_firm: str


@dataclass(frozen=True)
class DeclineInvitation(Action):
    kind: ClassVar[str] = "decline_invitation"
    action_points: ClassVar[int] = 0
    consortium: int


@dataclass(frozen=True)
class LeaveConsortium(Action):
    kind: ClassVar[str] = "leave_consortium"


@dataclass(frozen=True)
class OfferSubcontract(Action):
    kind: ClassVar[str] = "offer_subcontract"
    contract: str
    to_firm: str
    share: float
    price: int


@dataclass(frozen=True)
class AcceptSubcontract(Action):
    kind: ClassVar[str] = "accept_subcontract"
    contract: str


@dataclass(frozen=True)
class SignUniversityAgreement(Action):
    kind: ClassVar[str] = "sign_university"
    institution: str


@dataclass(frozen=True)
class JoinAssociation(Action):
    kind: ClassVar[str] = "join_association"


@dataclass(frozen=True)
class JoinSupplierDevelopment(Action):
    kind: ClassVar[str] = "join_supplier_development"
    policy: str


@dataclass(frozen=True)
class PlaceBid(Action):
    """Bid on an open call; with ``consortium`` the founder bids for its consortium."""

    kind: ClassVar[str] = "bid"
    rfq: str
    price: int
    consortium: bool = False


@dataclass(frozen=True)
class ServeLocalMarket(Action):
    """Sell spare capacity to local and regional customers (or stop)."""

    kind: ClassVar[str] = "serve_local"
    action_points: ClassVar[int] = 0
    on: bool = True


ACTION_TYPES: dict[str, type[Action]] = {
    cls.kind: cls
    for cls in (
        Pass,
        TrainStaff,
        BuyTechnology,
        ExpandCapacity,
        StartCertification,
        StartInnovationProject,
        AdoptPractices,
        TakeLoan,
        RepayLoan,
        ApplyProgramme,
        FoundConsortium,
        JoinConsortium,
        InviteToConsortium,
        DeclineInvitation,
        LeaveConsortium,
        OfferSubcontract,
        AcceptSubcontract,
        SignUniversityAgreement,
        JoinAssociation,
        JoinSupplierDevelopment,
        PlaceBid,
        ServeLocalMarket,
    )
}


class ActionFormatError(ValueError):
    """An action in a file is malformed; the message names the field."""


def check_text(name: str, value: str) -> None:
    """Refuse text that cannot be written back out (a lone surrogate from JSON, say)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ActionFormatError(f"{name}: not valid text") from None


def action_from_dict(data: Any) -> Action:
    """Rebuild a player's action from its dict form, checking every field's type."""
    action: Action = dataclass_from_dict(data, ACTION_TYPES)
    return action


def dataclass_from_dict(data: Any, registry: Mapping[str, type]) -> Any:
    """Rebuild an action of a type in ``registry`` (keyed by its ``kind``) from its dict form."""
    if not isinstance(data, dict):
        raise ActionFormatError("an action must be an object")
    kind = data.get("type")
    cls = registry.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ActionFormatError(f"type: unknown action type {kind!r}")
    hints = typing.get_type_hints(cls)
    kwargs = {}
    names = {f.name for f in dataclasses.fields(cls)}
    for key in data:
        if key != "type" and key not in names:
            raise ActionFormatError(f"{key}: unknown field for action {kind!r}")
    for f in dataclasses.fields(cls):
        if f.name not in data:
            if f.default is dataclasses.MISSING:
                raise ActionFormatError(f"{f.name}: missing in action {kind!r}")
            continue
        value = data[f.name]
        expected = hints[f.name]
        if isinstance(expected, types.UnionType):
            expected = expected.__args__[0]
        ok = (
            (expected is bool and isinstance(value, bool))
            or (expected is int and isinstance(value, int) and not isinstance(value, bool))
            or (expected is float and isinstance(value, (int, float)) and not isinstance(value, bool))
            or (expected is str and isinstance(value, str))
        )
        if not ok:
            raise ActionFormatError(f"{f.name}: expected {expected.__name__}, got {value!r}")
        if expected is float:
            try:
                value = float(value)
            except OverflowError:
                raise ActionFormatError(f"{f.name}: number out of range") from None
            if value != value or value in (float("inf"), float("-inf")):
                raise ActionFormatError(f"{f.name}: not a finite number")
        elif expected is int and not -(2**63) <= value < 2**63:
            raise ActionFormatError(f"{f.name}: number out of range")
        elif expected is str:
            check_text(f.name, value)
        kwargs[f.name] = value
    return cls(**kwargs)


# ----------------------------------------------------------------------------
# Shared figures used by validate, apply and the window (costs shown up front)


def action_points_available(state: GameState, firm: int) -> int:
    """Management bandwidth left this quarter."""
    return int(state.firms.action_points[firm])


def action_points_for(state: GameState, rules: Rules, firm: int) -> int:
    """Bandwidth a firm gets each quarter: base plus better management."""
    m = state.firms.cap[firm, MANAGEMENT]
    return rules.economy.action_points + int(m >= 0.5) + int(m >= 0.75)


def training_cost(state: GameState, rules: Rules, firm: int) -> tuple[int, float, int]:
    """(cost to the firm, subsidy share, policy index) of one round of training."""
    full = int(state.firms.employees[firm]) * rules.economy.training_cost_per_employee
    share, pol = policies.best_share(state, rules, "training_centre", firm)
    return int(round(full * (1.0 - share))), share, pol


def certification_cost(state: GameState, rules: Rules, firm: int, cert: int) -> tuple[int, float, int]:
    """(cost to the firm, subsidy share, policy index) of a certification process."""
    full = int(rules.cert_cost[cert])
    share, pol = policies.best_share(state, rules, "certification_subsidy", firm, cert)
    if pol >= 0:
        share = min(share, policies.budget_left(state, rules, pol) / max(full, 1))
    return int(round(full * (1.0 - share))), share, pol


def practices_cost(state: GameState, rules: Rules, firm: int) -> int:
    disc = policies.management_discount(state, rules, firm)
    return int(round(rules.economy.management_cost * (1.0 - disc)))


def loan_terms(state: GameState, rules: Rules, firm: int, bank: int) -> tuple[float, int]:
    """(yearly rate, largest new loan) a bank offers the firm now."""
    inst = rules.level.institutions[bank]
    f = state.firms
    g_share, cut = policies.credit_guarantee(state, rules, firm)
    rate = inst.annual_rate + state.rate_shift - cut
    if f.employees[firm] > 50:
        rate -= inst.medium_firm_discount
    rate = max(0.01, rate)
    collateral = inst.collateral * (1.0 - g_share)
    assets = int(f.fixed_assets[firm]) + int(f.receivables[firm].sum())
    by_collateral = assets / collateral if collateral > 0 else float(inst.max_loan)
    room = min(inst.max_loan, by_collateral) - int(f.debt[firm])
    return rate, max(0, int(room))


def pooled(state: GameState, firm: int, use_consortium: bool) -> list[int]:
    """The firms whose capacity and certifications back a bid."""
    f = state.firms
    if use_consortium and f.consortium[firm] >= 0:
        c = state.consortia[int(f.consortium[firm])]
        return [m for m in c.members if f.alive[m]]
    return [firm]


def committed_capacity(state: GameState, rules: Rules) -> np.ndarray:
    """Capacity each firm has promised to running contracts and accepted subcontracts."""
    used = np.zeros(len(state.firms), dtype=np.float64)
    for c in state.contracts:
        if not c.active:
            continue
        load = c.volume * float(rules.part_complexity[c.part_family])
        sub = c.subcontract_share if c.subcontractor >= 0 else 0.0
        for m, s in zip(c.members, c.shares, strict=True):
            used[m] += load * s * (1.0 - sub)
        if c.subcontractor >= 0:
            used[c.subcontractor] += load * sub
    return used


@dataclass(frozen=True)
class Pooled:
    """What a bidder (one firm, or a consortium's live members) brings to a call."""

    caps: list[float]
    """The six capabilities, capacity-weighted across members."""
    held: list[bool]
    """Certifications held by any member."""
    capacity: float
    committed: float
    free: float
    cash: int


def pooled_figures(state: GameState, members: list[int]) -> Pooled:
    """Pool members' figures: capacity and cash add up, certifications count if any
    member holds them, capabilities are capacity-weighted averages."""
    f = state.firms
    if len(members) == 1:
        # One firm: plain Python scalars are far cheaper than numpy on tiny arrays.
        m = members[0]
        capacity = float(f.capacity[m])
        committed = float(f.committed[m])
        return Pooled(f.cap[m].tolist(), [bool(x) for x in f.cert_held[m]], capacity, committed, max(capacity - committed, 0.0), int(f.cash[m]))
    idx = np.array(members, dtype=np.int64)
    weights = f.capacity[idx].astype(np.float64)
    weights = weights / weights.sum() if weights.sum() > 0 else np.full(len(idx), 1.0 / len(idx))
    return Pooled(
        (f.cap[idx] * weights[:, None]).sum(axis=0).tolist(),
        [bool(x) for x in np.any(f.cert_held[idx], axis=0).tolist()],
        float(f.capacity[idx].sum()),
        float(f.committed[idx].sum()),
        float((f.capacity[idx] - f.committed[idx]).clip(min=0).sum()),
        int(f.cash[idx].sum()),
    )


def bid_requirements(state: GameState, rules: Rules, firm: int, rfq_id: str, use_consortium: bool) -> list[Refusal]:
    """Every requirement of a call the firm (or its consortium) misses, empty if eligible.

    Pools figures across consortium members: capacity adds up,
    certifications count if any member holds them, capabilities are
    capacity-weighted averages.
    """
    rfq = next((r for r in state.rfqs if r.id == rfq_id), None)
    if rfq is None:
        return [Refusal("refused.no_such_rfq", {"rfq": rfq_id})]
    fig = pooled_figures(state, pooled(state, firm, use_consortium))
    caps, held, free, cash = fig.caps, fig.held, fig.free, fig.cash
    missing: list[Refusal] = []
    for name, col, need in (
        ("quality", QUALITY, rfq.quality),
        ("delivery", DELIVERY, rfq.delivery),
        ("technology", TECHNOLOGY, max(rfq.technology, float(rules.part_min_technology[rfq.part_family]))),
    ):
        if caps[col] + 1e-9 < need:
            missing.append(Refusal("missing.capability", {"capability": name, "need": round(need, 2), "have": round(float(caps[col]), 2)}))
    for cert in rfq.certifications:
        if not held[cert]:
            missing.append(Refusal("missing.certification", {"certification": rules.level.certifications[cert].id}))
    need_cap = rfq.volume * float(rules.part_complexity[rfq.part_family]) * (1.0 - rfq.reserved_share)
    if free + 1e-9 < need_cap:
        missing.append(Refusal("missing.capacity", {"need": int(need_cap), "have": int(free)}))
    if cash < rfq.min_cash:
        missing.append(Refusal("missing.solvency", {"need": rfq.min_cash, "have": cash}))
    return missing


# ----------------------------------------------------------------------------
# validate


def _firm_index(state: GameState, firm_id: str) -> int | None:
    try:
        return state.firms.index(firm_id)
    except ValueError:
        return None


def validate(state: GameState, rules: Rules, action: Action) -> Refusal | None:
    """Pure check of one action: a Refusal with a reason key, or None if valid."""
    if state.finished:
        return Refusal("refused.game_over")
    i = _firm_index(state, action.firm)
    if i is None:
        return Refusal("refused.unknown_firm", {"firm": action.firm})
    f = state.firms
    if not f.alive[i]:
        return Refusal("refused.bankrupt")
    if action.action_points > f.action_points[i]:
        return Refusal("refused.no_action_points", {"need": action.action_points, "have": int(f.action_points[i])})
    check = _VALIDATORS.get(type(action))
    return check(state, rules, i, action) if check else None


def _cash(state: GameState, i: int, cost: int) -> Refusal | None:
    if cost > state.firms.cash[i]:
        return Refusal("refused.not_enough_cash", {"need": int(cost), "have": int(state.firms.cash[i])})
    return None


def _v_train(state: GameState, rules: Rules, i: int, a: TrainStaff) -> Refusal | None:
    if state.firms.trained_quarter[i] == state.quarter:
        return Refusal("refused.already_trained")
    return _cash(state, i, training_cost(state, rules, i)[0])


def _v_tech(state: GameState, rules: Rules, i: int, a: BuyTechnology) -> Refusal | None:
    if state.firms.cap[i, TECHNOLOGY] >= 0.98:
        return Refusal("refused.at_frontier")
    return _cash(state, i, rules.economy.technology_cost)


def _v_expand(state: GameState, rules: Rules, i: int, a: ExpandCapacity) -> Refusal | None:
    f = state.firms
    if a.units <= 0:
        return Refusal("refused.bad_amount", {"amount": a.units})
    if a.units > f.capacity[i]:
        return Refusal("refused.expand_too_fast", {"max": int(f.capacity[i])})
    if f.capacity_pending[i] > 0:
        return Refusal("refused.expansion_under_way")
    return _cash(state, i, a.units * rules.economy.capacity_cost_per_unit)


def _v_cert(state: GameState, rules: Rules, i: int, a: StartCertification) -> Refusal | None:
    cert = rules.cert_index.get(a.certification)
    f = state.firms
    if cert is None:
        return Refusal("refused.unknown_certification", {"certification": a.certification})
    if f.cert_held[i, cert]:
        return Refusal("refused.already_certified", {"certification": a.certification})
    if f.cert_left[i, cert] > 0:
        return Refusal("refused.certification_under_way", {"certification": a.certification})
    for req in rules.cert_requires[cert]:
        if not f.cert_held[i, req]:
            return Refusal("refused.certification_prerequisite", {"certification": rules.level.certifications[req].id})
    if f.cap[i, QUALITY] < rules.cert_min_quality[cert]:
        return Refusal("missing.capability", {"capability": "quality", "need": float(rules.cert_min_quality[cert]), "have": round(float(f.cap[i, QUALITY]), 2)})
    if f.cap[i, MANAGEMENT] < rules.cert_min_management[cert]:
        return Refusal("missing.capability", {"capability": "management", "need": float(rules.cert_min_management[cert]), "have": round(float(f.cap[i, MANAGEMENT]), 2)})
    cost = certification_cost(state, rules, i, cert)[0]
    # The first quarter's share is paid now; the rest each quarter after.
    return _cash(state, i, cost // int(rules.cert_quarters[cert]))


def _v_innovation(state: GameState, rules: Rules, i: int, a: StartInnovationProject) -> Refusal | None:
    if state.firms.innovation_left[i] > 0:
        return Refusal("refused.innovation_under_way")
    return _cash(state, i, rules.economy.innovation_cost)


def _v_practices(state: GameState, rules: Rules, i: int, a: AdoptPractices) -> Refusal | None:
    if state.firms.cap[i, MANAGEMENT] >= 0.98:
        return Refusal("refused.at_frontier")
    return _cash(state, i, practices_cost(state, rules, i))


def _v_loan(state: GameState, rules: Rules, i: int, a: TakeLoan) -> Refusal | None:
    bank = rules.institution_index.get(a.bank)
    if bank is None or rules.level.institutions[bank].kind != "bank":
        return Refusal("refused.unknown_bank", {"bank": a.bank})
    if a.amount <= 0:
        return Refusal("refused.bad_amount", {"amount": a.amount})
    _, room = loan_terms(state, rules, i, bank)
    if a.amount > room:
        return Refusal("refused.loan_collateral", {"max": room})
    return None


def _v_repay(state: GameState, rules: Rules, i: int, a: RepayLoan) -> Refusal | None:
    if a.amount <= 0:
        return Refusal("refused.bad_amount", {"amount": a.amount})
    if a.amount > state.firms.debt[i]:
        return Refusal("refused.repay_more_than_debt", {"debt": int(state.firms.debt[i])})
    return _cash(state, i, a.amount)


def _v_programme(state: GameState, rules: Rules, i: int, a: ApplyProgramme) -> Refusal | None:
    p = rules.programme_index.get(a.programme)
    if p is None:
        return Refusal("refused.unknown_programme", {"programme": a.programme})
    prog = rules.level.programmes[p]
    f = state.firms
    if a.project_cost <= 0:
        return Refusal("refused.bad_amount", {"amount": a.project_cost})
    if f.employees[i] > prog.max_employees:
        return Refusal("refused.programme_too_large", {"max": prog.max_employees})
    if prog.requires_university and f.university[i] < 0:
        return Refusal("refused.programme_needs_university")
    if any(app.firm == i and app.programme == p for app in state.applications):
        return Refusal("refused.programme_pending")
    if state.programme_spent[p] >= prog.budget:
        return Refusal("refused.programme_budget_spent")
    own_part = a.project_cost - min(int(a.project_cost * prog.share), prog.max_grant)
    return _cash(state, i, own_part)


def _v_found(state: GameState, rules: Rules, i: int, a: FoundConsortium) -> Refusal | None:
    if state.firms.consortium[i] >= 0:
        return Refusal("refused.already_in_consortium")
    if not a.name.strip() or len(a.name) > 60:
        return Refusal("refused.bad_name")
    return _cash(state, i, CONSORTIUM_SETUP_COST)


def _v_join_consortium(state: GameState, rules: Rules, i: int, a: JoinConsortium) -> Refusal | None:
    if state.firms.consortium[i] >= 0:
        return Refusal("refused.already_in_consortium")
    if not 0 <= a.consortium < len(state.consortia) or not state.consortia[a.consortium].active:
        return Refusal("refused.unknown_consortium", {"consortium": a.consortium})
    c = state.consortia[a.consortium]
    if len(c.members) >= 8:
        return Refusal("refused.consortium_full")
    if not c.open and i not in c.invited:
        return Refusal("refused.not_invited", {"consortium": c.name})
    return None


def _v_invite(state: GameState, rules: Rules, i: int, a: InviteToConsortium) -> Refusal | None:
    f = state.firms
    if f.consortium[i] < 0:
        return Refusal("refused.not_in_consortium")
    j = _firm_index(state, a.to_firm)
    if j is None or j == i or not f.alive[j]:
        return Refusal("refused.unknown_firm", {"firm": a.to_firm})
    if f.consortium[j] >= 0:
        return Refusal("refused.already_in_consortium")
    c = state.consortia[int(f.consortium[i])]
    if j in c.invited:
        return Refusal("refused.already_invited")
    if len(c.members) + len(c.invited) >= 8:
        return Refusal("refused.consortium_full")
    return None


def _v_decline(state: GameState, rules: Rules, i: int, a: DeclineInvitation) -> Refusal | None:
    if not 0 <= a.consortium < len(state.consortia) or i not in state.consortia[a.consortium].invited:
        return Refusal("refused.no_invitation")
    return None


def _v_leave(state: GameState, rules: Rules, i: int, a: LeaveConsortium) -> Refusal | None:
    if state.firms.consortium[i] < 0:
        return Refusal("refused.not_in_consortium")
    return None


def _contract(state: GameState, contract_id: str):  # noqa: ANN202
    return next((c for c in state.contracts if c.id == contract_id and c.active), None)


def _v_offer(state: GameState, rules: Rules, i: int, a: OfferSubcontract) -> Refusal | None:
    c = _contract(state, a.contract)
    if c is None or i not in c.members:
        return Refusal("refused.not_your_contract", {"contract": a.contract})
    j = _firm_index(state, a.to_firm)
    if j is None or j == i or not state.firms.alive[j]:
        return Refusal("refused.unknown_firm", {"firm": a.to_firm})
    if j in c.members:
        return Refusal("refused.subcontract_to_member")
    if c.subcontractor >= 0:
        return Refusal("refused.already_subcontracted")
    if not 0.05 <= a.share <= 0.8:
        return Refusal("refused.bad_share", {"min": 0.05, "max": 0.8})
    if not 0 < a.price <= c.price:
        return Refusal("refused.bad_price", {"max": c.price})
    return None


def _v_accept(state: GameState, rules: Rules, i: int, a: AcceptSubcontract) -> Refusal | None:
    offer = next((o for o in state.offers if o.contract_id == a.contract and o.to_firm == i), None)
    if offer is None:
        return Refusal("refused.no_offer", {"contract": a.contract})
    c = _contract(state, a.contract)
    if c is None or c.subcontractor >= 0:
        return Refusal("refused.offer_expired")
    need = c.volume * float(rules.part_complexity[c.part_family]) * offer.share
    free = float(state.firms.capacity[i] - state.firms.committed[i])
    if free < need:
        return Refusal("missing.capacity", {"need": int(need), "have": int(max(free, 0))})
    return None


def _v_university(state: GameState, rules: Rules, i: int, a: SignUniversityAgreement) -> Refusal | None:
    inst = rules.institution_index.get(a.institution)
    if inst is None or rules.level.institutions[inst].kind not in ("university", "technology_centre"):
        return Refusal("refused.unknown_university", {"institution": a.institution})
    if state.firms.university[i] >= 0:
        return Refusal("refused.already_linked")
    return _cash(state, i, rules.level.institutions[inst].setup_cost)


def _association(rules: Rules) -> int:
    for k, inst in enumerate(rules.level.institutions):
        if inst.kind == "association":
            return k
    return -1


def _v_association(state: GameState, rules: Rules, i: int, a: JoinAssociation) -> Refusal | None:
    k = _association(rules)
    if k < 0:
        return Refusal("refused.no_association")
    if state.firms.association[i]:
        return Refusal("refused.already_member")
    return _cash(state, i, rules.level.institutions[k].setup_cost)


def _v_supplier_dev(state: GameState, rules: Rules, i: int, a: JoinSupplierDevelopment) -> Refusal | None:
    p = rules.policy_index.get(a.policy)
    if p is None or not any(e.kind == "supplier_development" for e in rules.level.policies[p].effects):
        return Refusal("refused.unknown_programme", {"programme": a.policy})
    if not state.policy_active[p]:
        return Refusal("refused.policy_inactive")
    if state.firms.supplier_dev[i] >= 0:
        return Refusal("refused.already_member")
    if not policies.eligible(state, rules, p, i):
        return Refusal("refused.not_eligible")
    if state.supplier_dev_seats[p] <= 0:
        return Refusal("refused.no_seats")
    return None


def _v_bid(state: GameState, rules: Rules, i: int, a: PlaceBid) -> Refusal | None:
    rfq = next((r for r in state.rfqs if r.id == a.rfq), None)
    if rfq is None:
        return Refusal("refused.no_such_rfq", {"rfq": a.rfq})
    f = state.firms
    if not rfq.public and not policies.informed(state, rules, i):
        return Refusal("refused.no_such_rfq", {"rfq": a.rfq})
    if a.consortium:
        if f.consortium[i] < 0:
            return Refusal("refused.not_in_consortium")
        if state.consortia[int(f.consortium[i])].founder != i:
            return Refusal("refused.not_consortium_founder")
    if (a.rfq, i) in state.bid_keys or (a.consortium and (a.rfq, -1 - int(f.consortium[i])) in state.bid_keys):
        return Refusal("refused.already_bid")
    if not 0 < a.price <= rfq.target_price * MAX_BID_FACTOR:
        return Refusal("refused.bad_price", {"max": int(rfq.target_price * MAX_BID_FACTOR)})
    missing = bid_requirements(state, rules, i, a.rfq, a.consortium)
    return missing[0] if missing else None


def _v_local(state: GameState, rules: Rules, i: int, a: ServeLocalMarket) -> Refusal | None:
    if bool(state.firms.serve_local[i]) == a.on:
        return Refusal("refused.no_change")
    return None


_VALIDATORS: dict[type, Any] = {
    TrainStaff: _v_train,
    BuyTechnology: _v_tech,
    ExpandCapacity: _v_expand,
    StartCertification: _v_cert,
    StartInnovationProject: _v_innovation,
    AdoptPractices: _v_practices,
    TakeLoan: _v_loan,
    RepayLoan: _v_repay,
    ApplyProgramme: _v_programme,
    FoundConsortium: _v_found,
    JoinConsortium: _v_join_consortium,
    InviteToConsortium: _v_invite,
    DeclineInvitation: _v_decline,
    LeaveConsortium: _v_leave,
    OfferSubcontract: _v_offer,
    AcceptSubcontract: _v_accept,
    SignUniversityAgreement: _v_university,
    JoinAssociation: _v_association,
    JoinSupplierDevelopment: _v_supplier_dev,
    PlaceBid: _v_bid,
    ServeLocalMarket: _v_local,
}


# ----------------------------------------------------------------------------
# apply


def raise_capability(state: GameState, firm: int | np.ndarray | slice, col: int, amount: float | np.ndarray) -> None:
    """Move a capability toward 1 by ``amount`` of the remaining gap (diminishing returns)."""
    cap = state.firms.cap
    if isinstance(firm, (int, np.integer)) and isinstance(amount, float):
        c = float(cap[firm, col])
        cap[firm, col] = min(1.0, max(0.0, c + amount * (1.0 - c)))
        return
    cap[firm, col] = np.clip(cap[firm, col] + amount * (1.0 - cap[firm, col]), 0.0, 1.0)



def apply(state: GameState, rules: Rules, action: Action) -> None:
    """Run a valid action; raises InvalidAction (changing nothing) if it is not."""
    refusal = validate(state, rules, action)
    if refusal is not None:
        raise InvalidAction(refusal)
    i = state.firms.index(action.firm)
    f = state.firms
    f.action_points[i] -= action.action_points
    if f.kind[i] == KIND_PLAYER:
        state.log.append({"quarter": state.quarter, "firm": i, "action": action.to_dict()})
    _APPLIERS[type(action)](state, rules, i, action)


def _a_pass(state: GameState, rules: Rules, i: int, a: Pass) -> None:
    return None


def _a_train(state: GameState, rules: Rules, i: int, a: TrainStaff) -> None:
    cost, share, pol = training_cost(state, rules, i)
    f = state.firms
    if pol >= 0:
        full = int(f.employees[i]) * rules.economy.training_cost_per_employee
        policies.spend(state, rules, pol, full - cost)
    f.pay(i, cost)
    boost = float(policies.boost_mask(state, rules, "training_centre")[i])
    raise_capability(state, i, HUMAN_CAPITAL, 0.10 + boost)
    raise_capability(state, i, QUALITY, 0.03)
    f.trained_quarter[i] = state.quarter
    lever = "catalyst" if pol >= 0 else "capability"
    state.explain(i, "done.train_staff", {"cost": cost}, "good", lever=lever)


def _a_tech(state: GameState, rules: Rules, i: int, a: BuyTechnology) -> None:
    f = state.firms
    cost = rules.economy.technology_cost
    f.pay(i, cost)
    f.fixed_assets[i] += cost
    raise_capability(state, i, TECHNOLOGY, 0.15)
    raise_capability(state, i, QUALITY, 0.04)
    f.capacity[i] += int(f.capacity[i] * 0.05)
    state.explain(i, "done.buy_technology", {"cost": cost}, "good", lever="capability")


def _a_expand(state: GameState, rules: Rules, i: int, a: ExpandCapacity) -> None:
    f = state.firms
    cost = a.units * rules.economy.capacity_cost_per_unit
    f.pay(i, cost)
    f.fixed_assets[i] += cost
    f.capacity_pending[i] += a.units
    state.explain(i, "done.expand_capacity", {"units": a.units, "cost": cost}, "info", lever="capability")


def _a_cert(state: GameState, rules: Rules, i: int, a: StartCertification) -> None:
    cert = rules.cert_index[a.certification]
    f = state.firms
    cost, share, pol = certification_cost(state, rules, i, cert)
    if pol >= 0:
        policies.spend(state, rules, pol, int(rules.cert_cost[cert]) - cost)
    quarters = int(rules.cert_quarters[cert])
    per_q = cost // quarters
    f.pay(i, per_q + cost % quarters)
    f.cert_left[i, cert] = quarters
    f.cert_cost_q[i, cert] = per_q
    lever = "catalyst" if pol >= 0 else "capability"
    state.explain(i, "done.start_certification", {"certification": a.certification, "cost": cost, "quarters": quarters, "subsidy": round(share, 2)}, "info", lever=lever)


def _a_innovation(state: GameState, rules: Rules, i: int, a: StartInnovationProject) -> None:
    f = state.firms
    cost = rules.economy.innovation_cost
    f.pay(i, cost)
    f.innovation_left[i] = INNOVATION_QUARTERS
    f.innovation_spend[i] += cost
    state.explain(i, "done.start_innovation", {"cost": cost, "quarters": INNOVATION_QUARTERS}, "info", lever="capability")


def _a_practices(state: GameState, rules: Rules, i: int, a: AdoptPractices) -> None:
    f = state.firms
    cost = practices_cost(state, rules, i)
    f.pay(i, cost)
    raise_capability(state, i, MANAGEMENT, 0.12 + float(policies.boost_mask(state, rules, "real_services")[i]))
    raise_capability(state, i, DELIVERY, 0.08)
    state.explain(i, "done.adopt_practices", {"cost": cost}, "good", lever="capability")


def _a_loan(state: GameState, rules: Rules, i: int, a: TakeLoan) -> None:
    f = state.firms
    bank = rules.institution_index[a.bank]
    rate, _ = loan_terms(state, rules, i, bank)
    old = int(f.debt[i])
    f.debt_rate[i] = (f.debt_rate[i] * old + rate * a.amount) / (old + a.amount)
    f.debt[i] += a.amount
    f.receive(i, a.amount)
    state.explain(i, "done.take_loan", {"amount": a.amount, "rate": round(rate, 4)}, "info")


def _a_repay(state: GameState, rules: Rules, i: int, a: RepayLoan) -> None:
    f = state.firms
    f.debt[i] -= a.amount
    f.pay(i, a.amount)
    if f.debt[i] == 0:
        f.debt_rate[i] = 0.0
    state.explain(i, "done.repay_loan", {"amount": a.amount}, "info")


def _a_programme(state: GameState, rules: Rules, i: int, a: ApplyProgramme) -> None:
    p = rules.programme_index[a.programme]
    prog = rules.level.programmes[p]
    state.applications.append(Application(i, p, a.project_cost, state.quarter + prog.approval_quarters))
    state.explain(i, "done.apply_programme", {"programme": a.programme, "quarters": prog.approval_quarters}, "info", lever="catalyst")


def _a_found(state: GameState, rules: Rules, i: int, a: FoundConsortium) -> None:
    f = state.firms
    cid = len(state.consortia)
    # A team's consortium is by invitation; one founded by a computer SME is open.
    state.consortia.append(Consortium(cid, a.name.strip(), i, [i], 0.5, 0, state.quarter, True, bool(f.kind[i] != KIND_PLAYER)))
    f.consortium[i] = cid
    f.pay(i, CONSORTIUM_SETUP_COST)
    state.explain(i, "done.found_consortium", {"name": a.name.strip()}, "good", lever="cooperation")


def _a_join_consortium(state: GameState, rules: Rules, i: int, a: JoinConsortium) -> None:
    c = state.consortia[a.consortium]
    if i in c.invited:
        c.invited.remove(i)
    c.members.append(i)
    c.members.sort()
    state.firms.consortium[i] = a.consortium
    state.explain(i, "done.join_consortium", {"name": c.name}, "good", lever="cooperation")


def _a_invite(state: GameState, rules: Rules, i: int, a: InviteToConsortium) -> None:
    j = state.firms.index(a.to_firm)
    c = state.consortia[int(state.firms.consortium[i])]
    c.invited.append(j)
    c.invited.sort()
    state.explain(i, "done.invite_to_consortium", {"name": c.name, "to": state.firms.names[j]}, "info", lever="cooperation")
    state.explain(j, "consortium.invited", {"name": c.name, "by": state.firms.names[i], "consortium": c.id}, "info", lever="cooperation")


def _a_decline(state: GameState, rules: Rules, i: int, a: DeclineInvitation) -> None:
    c = state.consortia[a.consortium]
    c.invited.remove(i)
    state.explain(i, "done.decline_invitation", {"name": c.name}, "info")


def _a_leave(state: GameState, rules: Rules, i: int, a: LeaveConsortium) -> None:
    from game.core import cooperation

    cooperation.leave(state, i)
    state.explain(i, "done.leave_consortium", {}, "info")


def _a_offer(state: GameState, rules: Rules, i: int, a: OfferSubcontract) -> None:
    j = state.firms.index(a.to_firm)
    state.offers = [o for o in state.offers if not (o.contract_id == a.contract and o.to_firm == j)]
    state.offers.append(SubcontractOffer(a.contract, i, j, float(a.share), a.price, state.quarter))
    state.explain(i, "done.offer_subcontract", {"contract": a.contract, "to": state.firms.names[j]}, "info", lever="cooperation")


def _a_accept(state: GameState, rules: Rules, i: int, a: AcceptSubcontract) -> None:
    offer = next(o for o in state.offers if o.contract_id == a.contract and o.to_firm == i)
    c = _contract(state, a.contract)
    c.subcontractor = i
    c.subcontract_share = offer.share
    c.subcontract_price = offer.price
    state.firms.committed[:] = committed_capacity(state, rules)
    state.offers = [o for o in state.offers if o.contract_id != a.contract]
    state.explain(i, "done.accept_subcontract", {"contract": a.contract}, "good", lever="cooperation")
    state.explain(offer.from_firm, "done.subcontract_accepted", {"contract": a.contract, "by": state.firms.names[i]}, "good", lever="cooperation")


def _a_university(state: GameState, rules: Rules, i: int, a: SignUniversityAgreement) -> None:
    k = rules.institution_index[a.institution]
    state.firms.university[i] = k
    state.firms.pay(i, rules.level.institutions[k].setup_cost)
    state.explain(i, "done.sign_university", {"institution": a.institution}, "good", lever="cooperation")


def _a_association(state: GameState, rules: Rules, i: int, a: JoinAssociation) -> None:
    k = _association(rules)
    state.firms.association[i] = True
    state.firms.pay(i, rules.level.institutions[k].setup_cost)
    state.explain(i, "done.join_association", {}, "good", lever="cooperation")


def _a_supplier_dev(state: GameState, rules: Rules, i: int, a: JoinSupplierDevelopment) -> None:
    p = rules.policy_index[a.policy]
    state.firms.supplier_dev[i] = p
    state.supplier_dev_seats[p] -= 1
    state.explain(i, "done.join_supplier_development", {"policy": a.policy}, "good", lever="catalyst")


def _a_bid(state: GameState, rules: Rules, i: int, a: PlaceBid) -> None:
    f = state.firms
    cons = int(f.consortium[i]) if a.consortium else -1
    state.bids.append(Bid(a.rfq, i, cons, int(a.price)))
    state.bid_keys.add((a.rfq, i))
    if cons >= 0:
        state.bid_keys.add((a.rfq, -1 - cons))
    part = next(r.part_family for r in state.rfqs if r.id == a.rfq)
    state.explain(i, "done.bid", {"rfq": a.rfq, "part_family": rules.level.part_families[part].id, "price": a.price}, "info", lever="cooperation" if a.consortium else None)


def _a_local(state: GameState, rules: Rules, i: int, a: ServeLocalMarket) -> None:
    state.firms.serve_local[i] = a.on


_APPLIERS: dict[type, Any] = {
    Pass: _a_pass,
    TrainStaff: _a_train,
    BuyTechnology: _a_tech,
    ExpandCapacity: _a_expand,
    StartCertification: _a_cert,
    StartInnovationProject: _a_innovation,
    AdoptPractices: _a_practices,
    TakeLoan: _a_loan,
    RepayLoan: _a_repay,
    ApplyProgramme: _a_programme,
    FoundConsortium: _a_found,
    JoinConsortium: _a_join_consortium,
    InviteToConsortium: _a_invite,
    DeclineInvitation: _a_decline,
    LeaveConsortium: _a_leave,
    OfferSubcontract: _a_offer,
    AcceptSubcontract: _a_accept,
    SignUniversityAgreement: _a_university,
    JoinAssociation: _a_association,
    JoinSupplierDevelopment: _a_supplier_dev,
    PlaceBid: _a_bid,
    ServeLocalMarket: _a_local,
}


def tier_name(tier: int) -> str:
    return "none" if tier == NO_TIER else f"tier{tier}"
