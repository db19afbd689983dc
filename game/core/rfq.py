"""Calls for quotation: issuing them, and awarding them against competitors.

Lead firms and their tier-1 suppliers issue calls at the start of a quarter;
firms bid during it; at resolution each call is awarded. A share of every
call is reserved for follow-source suppliers (the enclave effect); on the
open share, eligible local bids compete with each other and, more often on
the upper tiers, with a follow-source bid that is strong on quality and
delivery but carries an import premium that moves with the exchange rate.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import operator
from dataclasses import dataclass

import numpy as np

from game.core import detmath, learning, policies
from game.core.contracts import commit, committed_capacity
from game.core.decisions.base import Refusal
from game.core.rules import TIER_NUMBER, Rules
from game.core.state import (
    DELIVERY,
    EXPORT_ISSUER,
    QUALITY,
    TECHNOLOGY,
    Bid,
    Contract,
    GameState,
    Rfq,
)


def pooled(state: GameState, firm: int, use_consortium: bool) -> list[int]:
    """The firms whose capacity and certifications back a bid."""
    f = state.firms
    if use_consortium and f.consortium[firm] >= 0:
        c = state.consortia[int(f.consortium[firm])]
        return [m for m in c.members if f.alive[m]]
    return [firm]


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
    """The net position a call's solvency minimum judges (:func:`net_position`), summed over members."""


def pooled_figures(state: GameState, members: list[int]) -> Pooled:
    """Pool members' figures: capacity and cash add up, certifications count if any
    member holds them, capabilities are capacity-weighted averages."""
    f = state.firms
    if len(members) == 1:
        # One firm: plain Python scalars are far cheaper than numpy on tiny arrays.
        m = members[0]
        capacity = float(f.capacity[m])
        committed = float(f.committed[m])
        net = int(f.cash[m]) + detmath.ordered_sum(f.receivables[m].tolist()) - int(f.debt[m])
        return Pooled(f.cap[m].tolist(), f.cert_held[m].tolist(), capacity, committed, max(capacity - committed, 0.0), net)
    # A few members: their rows as Python lists (one gather a column), added as numpy would. Lists of
    # floats go to math.fsum directly (what detmath.fsum does with a list); the weighted capabilities
    # are the products v * w of each column, as map(mul) gives them.
    idx = np.array(members, dtype=np.int64)
    capacity_of = f.capacity[idx].tolist()
    committed_of = f.committed[idx].tolist()
    capacities = [float(c) for c in capacity_of]
    total = math.fsum(capacities)
    weights = [c / total for c in capacities] if total > 0 else [1.0 / len(idx)] * len(idx)
    return Pooled(
        [math.fsum(map(operator.mul, col, weights)) for col in zip(*f.cap[idx].tolist(), strict=True)],
        [any(col) for col in zip(*f.cert_held[idx].tolist(), strict=True)],
        float(detmath.ordered_sum(capacity_of)),
        _float_sum(committed_of),
        _float_sum([max(float(a) - c, 0.0) for a, c in zip(capacity_of, committed_of, strict=True)]),
        detmath.ordered_sum(f.cash[idx].tolist()) + detmath.ordered_sum(f.receivables[idx].sum(axis=-1).tolist()) - detmath.ordered_sum(f.debt[idx].tolist()),
    )


def pool_key(state: GameState, members: list[int]) -> tuple[bytes, ...]:
    """Everything :func:`pooled_figures` reads of ``members`` (who they are, and their capabilities,
    certifications, capacity, committed capacity, cash, receivables and debt), as bytes: figures
    read from equal keys are equal."""
    f = state.firms
    idx = np.array(members, dtype=np.int64)
    return (
        idx.tobytes(),
        f.cap.take(idx, 0).tobytes(),
        f.cert_held.take(idx, 0).tobytes(),
        f.capacity.take(idx).tobytes(),
        f.committed.take(idx).tobytes(),
        f.cash.take(idx).tobytes(),
        f.receivables.take(idx, 0).tobytes(),
        f.debt.take(idx).tobytes(),
    )


def pooled_columns(state: GameState, groups: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What :func:`pooled_figures` gives for each group of members, as :func:`meets` takes them:
    (caps: quality, delivery and technology; held; free; cash), a row a group, for every group at
    once (:meth:`_Pool.of_all`, :meth:`_Pool.committed_free`)."""
    pools = _Pool.of_all(state, groups)
    kept = [pools[tuple(ms)] for ms in groups]
    free = [pool.committed_free(state)[1] for pool in kept]
    return (
        np.array([pool.caps for pool in kept], dtype=np.float64).reshape(len(kept), 3),
        np.array([pool.held for pool in kept], dtype=bool).reshape(len(kept), state.firms.cert_held.shape[1]),
        np.array(free, dtype=np.float64),
        np.array([pool.cash for pool in kept], dtype=np.int64),
    )


_IN_ORDER_BELOW = 8
"""numpy adds fewer float64 values than this one by one from the left (its pairwise summation's
smallest block); more, in an order of its own."""


def _float_sum(values: list[float]) -> float:
    """What ``float(np.array(values).sum())`` gives: added from the left below
    :data:`_IN_ORDER_BELOW` values (no array needed), else by numpy."""
    if len(values) < _IN_ORDER_BELOW:
        return float(detmath.ordered_sum(values))
    return float(np.array(values, dtype=np.float64).sum())


def net_position(state: GameState, firms: np.ndarray) -> np.ndarray:
    """What a call's solvency minimum judges: cash plus receivables minus debt.

    A loan adds as much debt as cash, so borrowing to show cash does not meet
    a financial requirement; money owed by customers does count.
    """
    f = state.firms
    return f.cash[firms] + f.receivables[firms].sum(axis=-1) - f.debt[firms]


def call_needs(rules: Rules, rfq: Rfq) -> tuple[float, float, float, float]:
    """The figures a call asks of a bidder: quality, delivery, technology (at least its part
    family's own minimum) and free capacity (the open share's volume times the part's complexity)."""
    family = rfq.part_family
    return (
        rfq.quality,
        rfq.delivery,
        max(rfq.technology, float(rules.part_min_technology[family])),
        rfq.volume * float(rules.part_complexity[family]) * (1.0 - rfq.reserved_share),
    )


def missing_requirements(rules: Rules, rfq: Rfq, fig: Pooled, first_only: bool = False) -> list[Refusal]:
    """Every requirement of ``rfq`` a bidder with figures ``fig`` misses (the first, if ``first_only``)."""
    caps, held, free, cash = fig.caps, fig.held, fig.free, fig.cash
    missing: list[Refusal] = []
    need_q, need_d, need_t, need_cap = call_needs(rules, rfq)
    for name, col, need in (("quality", QUALITY, need_q), ("delivery", DELIVERY, need_d), ("technology", TECHNOLOGY, need_t)):
        if caps[col] + 1e-9 < need:
            missing.append(Refusal("missing.capability", {"capability": name, "need": round(need, 2), "have": round(float(caps[col]), 2)}))
            if first_only:
                return missing
    for cert in rfq.certifications:
        if not held[cert]:
            missing.append(Refusal("missing.certification", {"certification": rules.level.certifications[cert].id}))
            if first_only:
                return missing
    if free + 1e-9 < need_cap:
        missing.append(Refusal("missing.capacity", {"need": int(need_cap), "have": int(free)}))
        if first_only:
            return missing
    if cash < rfq.min_cash:
        missing.append(Refusal("missing.solvency", {"need": rfq.min_cash, "have": cash}))
    return missing


@dataclass(frozen=True)
class CallTable:
    """Open calls as arrays: what each asks (:func:`call_needs`, the certifications, the
    solvency minimum), so every bidder is checked against every call at once (:func:`meets`)."""

    calls: list[Rfq]
    public: np.ndarray
    """(calls,) bool: announced publicly (others reach only informed firms)."""
    need: np.ndarray
    """(calls, 4) float64: quality, delivery, technology, free capacity (:func:`call_needs`)."""
    certs: np.ndarray
    """(calls, certifications) bool: the certifications each call asks."""
    min_cash: np.ndarray
    """(calls,) int64: the solvency minimum (:func:`net_position`)."""
    klass: np.ndarray
    """(calls,) int64: each call's requirements but capacity, as an index into the ``class_`` arrays:
    calls of one lead firm and tier ask the same, so a large cluster's calls ask few distinct sets."""
    class_need: np.ndarray
    """(classes, 3) float64: quality, delivery, technology."""
    class_certs: np.ndarray
    """(classes, certifications) bool."""
    class_min_cash: np.ndarray
    """(classes,) int64."""
    class_cert_bits: np.ndarray
    """(classes, bytes) uint8: ``class_certs`` packed eight to a byte (np.packbits, little bit order)."""


def call_table(rules: Rules, calls: list[Rfq]) -> CallTable:
    certs = np.zeros((len(calls), len(rules.level.certifications)), dtype=bool)
    for k, r in enumerate(calls):
        certs[k, r.certifications] = True
    need = np.array([call_needs(rules, r) for r in calls], dtype=np.float64).reshape(len(calls), 4)
    min_cash = np.array([r.min_cash for r in calls], dtype=np.int64)
    classes: dict[tuple, int] = {}
    klass: list[int] = []
    firsts: list[int] = []  # the first call of each class
    for k, (row, held, cash) in enumerate(zip(need.tolist(), certs.tolist(), min_cash.tolist(), strict=True)):
        c = classes.setdefault((*row[:3], tuple(held), cash), len(firsts))
        if c == len(firsts):
            firsts.append(k)
        klass.append(c)
    return CallTable(
        list(calls),
        np.array([r.public for r in calls], dtype=bool),
        need,
        certs,
        min_cash,
        np.array(klass, dtype=np.int64),
        need[firsts, :3],
        certs[firsts],
        min_cash[firsts],
        np.packbits(certs[firsts], axis=1, bitorder="little"),
    )


def meets(table: CallTable, caps: np.ndarray, held: np.ndarray, free: np.ndarray, cash: np.ndarray) -> np.ndarray:
    """(bidders, calls) bool: which calls each bidder misses no requirement of.

    The same comparisons as :func:`missing_requirements`, on arrays: ``caps`` is
    (bidders, 3+) quality, delivery, technology first; ``held`` (bidders,
    certifications) bool; ``free`` and ``cash`` (bidders,) as in :class:`Pooled`.
    """
    ok = meets_but_capacity(table, caps, held, cash)
    ok &= ~(free[:, None] + 1e-9 < table.need[None, :, 3])
    return ok


def meets_but_capacity(table: CallTable, caps: np.ndarray, held: np.ndarray, cash: np.ndarray) -> np.ndarray:
    """(bidders, calls) bool: which calls each bidder misses no requirement of but free
    capacity (:func:`meets` without its capacity comparison)."""
    return meets_classes(table, caps, held, cash)[:, table.klass]


def meets_classes(table: CallTable, caps: np.ndarray, held: np.ndarray, cash: np.ndarray) -> np.ndarray:
    """(bidders, classes) bool: :func:`meets_but_capacity` for each class of the calls' requirements
    (``table.klass``): the comparisons of :func:`missing_requirements` but capacity."""
    need = table.class_need
    have = caps[:, :3] + 1e-9  # quality, delivery, technology (QUALITY, DELIVERY, TECHNOLOGY: 0, 1, 2)
    miss = have[:, QUALITY, None] < need[None, :, 0]
    miss |= have[:, DELIVERY, None] < need[None, :, 1]
    miss |= have[:, TECHNOLOGY, None] < need[None, :, 2]
    # A certification asked and not held: each bidder's and each class's certifications packed as
    # bits, eight to a byte (one byte for up to eight certifications; the classes' packed with the table).
    held_bits = np.packbits(np.asarray(held, dtype=bool), axis=1, bitorder="little")
    asked_bits = table.class_cert_bits
    for byte in range(asked_bits.shape[1]):
        miss |= (~held_bits[:, byte, None] & asked_bits[None, :, byte]) != 0
    miss |= cash[:, None] < table.class_min_cash[None, :]
    return ~miss


def single_figures(state: GameState) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every firm's own figures for :func:`meets` (caps, held, free, cash): what
    :func:`pooled_figures` gives for one firm, for all firms at once."""
    f = state.firms
    free = np.maximum(f.capacity.astype(np.float64) - f.committed, 0.0)
    return f.cap[:, :3], f.cert_held, free, net_position(state, np.arange(len(f)))


def open_call(state: GameState, rfq_id: str) -> Rfq | None:
    """The open call with this id (the first, should two share one), or None.

    Looked up in a dict kept in ``state.memo`` for the current list of calls
    (calls are never changed once open; a new list is a new quarter's).
    """
    calls = state.rfqs
    memo = state.memo.get("calls_by_id")
    if memo is None or memo[0] is not calls or memo[1] != len(calls):
        by_id: dict[str, Rfq] = {}
        for r in calls:
            by_id.setdefault(r.id, r)
        memo = (calls, len(calls), by_id)
        state.memo["calls_by_id"] = memo
    return memo[2].get(rfq_id)


def bid_requirements(state: GameState, rules: Rules, firm: int, rfq_id: str, use_consortium: bool, bidder: Pooled | None = None) -> list[Refusal]:
    """Every requirement of a call the firm (or its consortium) misses, empty if eligible.

    Pools figures across consortium members (see :func:`pooled_figures`); ``bidder``, if
    given, is those figures already read.
    """
    rfq = open_call(state, rfq_id)
    if rfq is None:
        return [Refusal("refused.no_such_rfq", {"rfq": rfq_id})]
    if bidder is None:
        bidder = pooled_figures(state, pooled(state, firm, use_consortium))
    return missing_requirements(rules, rfq, bidder)


# Weights of the issuer's bid scoring (price, quality, delivery, relationship).
W_PRICE, W_QUALITY, W_DELIVERY, W_RELATION = 0.45, 0.25, 0.15, 0.15

FOLLOW_SOURCE_QUALITY = 0.88
FOLLOW_SOURCE_DELIVERY = 0.93
FOLLOW_SOURCE_RELATION = 0.8
IMPORT_PREMIUM = 0.06
"""Follow-source parts cost ~6% more landed (logistics, duties) at the starting exchange rate."""

FOLLOW_SOURCE_BIDS = {1: 0.95, 2: 0.5, 3: 0.3}
"""Chance a follow-source also bids on the open share, by tier (they chase the high-value links)."""

PUBLIC_CALL_SHARE = 0.35
"""Share of generated calls announced publicly; the rest reach only linked firms."""



def _requirements_for(rules: Rules, lead_id: str, tier: int, override) -> dict:  # noqa: ANN001
    req = rules.requirements(lead_id, tier)
    if override is not None:
        # Only the keys the call writes replace the lead firm's requirements.
        req = req.model_copy(update={k: getattr(override, k) for k in override.model_fields_set})
    return {
        "quality": req.quality,
        "delivery": req.delivery,
        "technology": req.technology,
        "certifications": sorted(rules.cert_index[c] for c in req.certifications),
        "max_ppm": req.max_ppm,
        "min_on_time": req.min_on_time,
        "min_cash": req.min_cash,
    }


def _lead_requirements(state: GameState, rules: Rules, lead_id: str, tier: int) -> dict:
    """``_requirements_for(rules, lead_id, tier, None)``: a lead firm's own requirements for a tier, which
    depend on the rules alone, kept in ``state.memo`` for the rules (the dict is read, never changed:
    each call copies its certifications)."""
    memo: tuple[Rules, dict[tuple[str, int], dict]] | None = state.memo.get("lead_requirements")
    if memo is None or memo[0] is not rules:
        memo = state.memo["lead_requirements"] = (rules, {})
    kept = memo[1]
    req = kept.get((lead_id, tier))
    if req is None:
        req = kept[(lead_id, tier)] = _requirements_for(rules, lead_id, tier, None)
    return req


RESERVE_BY_TIER = {1: 1.0, 2: 0.8, 3: 0.5}
"""Follow-sources guard the high-value links hardest; local SMEs are left the lowest (seed paper)."""


def reserved_share(state: GameState, rules: Rules, issuer: str, tier: int) -> float:
    """Share of a call's volume reserved for follow-sources, after content rules and targets."""
    lead_id = rules.issuer_lead[issuer]
    base = state.follow_source_share[rules.lead_index[lead_id]] * RESERVE_BY_TIER[tier]
    if not rules.issuer_follow_source[issuer]:
        base *= 0.5  # a local tier-1 has no imported network of its own to protect
    cut, _ = policies.local_content(state, rules, lead_id)
    return float(max(0.0, base - cut))


def issue(state: GameState, rules: Rules) -> list[Rfq]:
    """Open this quarter's calls: the scheduled ones, then the generated ones."""
    q = state.quarter
    level = rules.level
    demand = state.modifier("demand")
    payment_shift = state.payment_shift
    out: list[Rfq] = []
    for sched in level.rfqs:
        lead_id = rules.issuer_lead[sched.issuer]
        if sched.quarter != q or not state.lead_firm_active[rules.lead_index[lead_id]]:
            continue
        lf = rules.lead_firm(lead_id)
        tier = TIER_NUMBER[sched.tier.value]
        days = sched.payment_days if sched.payment_days is not None else lf.payment_days
        out.append(
            Rfq(
                id=sched.id,
                issuer=sched.issuer,
                lead_firm=lead_id,
                tier=tier,
                part_family=rules.part_index[sched.part_family],
                volume=max(1, int(sched.volume * demand)),
                duration=sched.duration,
                target_price=sched.target_price,
                payment_days=max(0, days + payment_shift),
                quarter=q,
                public=True,
                reserved_share=reserved_share(state, rules, sched.issuer, tier),
                **_requirements_for(rules, lead_id, tier, sched.requirements),
            )
        )
    rng = state.rng.market
    # Each generated call of an issuer and tier asks the same (the lead firm's requirements, the reserve):
    # worked out once per quarter; each call gets its own list of certifications.
    asks: dict[tuple[str, int], tuple[float, dict]] = {}
    unit_cost = rules.part_unit_cost.tolist()
    for gen in rules.call_generators:
        if not (gen.first <= q <= gen.last) or not state.lead_firm_active[gen.lead]:
            continue
        count = detmath.poisson(rng, gen.per_quarter * demand)
        if not count:
            continue
        tier = gen.tier
        ask = asks.get((gen.issuer, tier))
        if ask is None:
            ask = asks[(gen.issuer, tier)] = (reserved_share(state, rules, gen.issuer, tier), _lead_requirements(state, rules, gen.lead_firm, tier))
        for _ in range(count):
            part = gen.parts[int(rng.integers(len(gen.parts)))]
            volume = int(detmath.uniform(rng, *gen.volume))
            duration = int(round(detmath.uniform(rng, *gen.duration)))
            margin = detmath.uniform(rng, *gen.margin)
            public = bool(rng.random() < PUBLIC_CALL_SHARE)
            out.append(
                Rfq(
                    id=f"q{q}_{state.next_rfq}",
                    issuer=gen.issuer,
                    lead_firm=gen.lead_firm,
                    tier=tier,
                    part_family=part,
                    volume=max(1, volume),
                    duration=max(1, duration),
                    target_price=int(round(unit_cost[part] * (1.0 + margin))),
                    payment_days=max(0, gen.payment_days + payment_shift),
                    quarter=q,
                    public=public,
                    reserved_share=ask[0],
                    **{**ask[1], "certifications": list(ask[1]["certifications"])},
                )
            )
            state.next_rfq += 1
    boost = policies.cross_clustering(state, rules)
    if boost > 0 and rng.random() < 0.5:
        # The partner district passes on an export order: no follow-source reserve.
        part = int(rng.integers(len(rules.part_unit_cost)))
        lead_id = level.lead_firms[0].id
        out.append(
            Rfq(
                id=f"q{q}_{state.next_rfq}",
                issuer=EXPORT_ISSUER,
                lead_firm=lead_id,
                tier=2,
                part_family=part,
                volume=int(detmath.uniform(rng, 3000, 9000)),
                duration=int(rng.integers(4, 9)),
                target_price=int(round(int(rules.part_unit_cost[part]) * 1.45)),
                payment_days=60,
                quarter=q,
                public=False,
                reserved_share=0.0,
                export=True,
                **_requirements_for(rules, lead_id, 2, None),
            )
        )
        state.next_rfq += 1
    state.rfqs = out
    return out


def generators_of(state: GameState, rules: Rules) -> dict[str, list]:
    """The level's call generators by the lead firm their issuer belongs to, in level order
    (kept in ``state.memo`` for the rules: a large cluster has many lead firms)."""
    memo = state.memo.get("generators_of")
    if memo is None or memo[0] is not rules:
        by_lead: dict[str, list] = {}
        for gen in rules.level.rfq_generators:
            by_lead.setdefault(rules.issuer_lead[gen.issuer], []).append(gen)
        memo = (rules, by_lead)
        state.memo["generators_of"] = memo
    return memo[1]


def baseline_chain(state: GameState, rules: Rules, lead_idx: int) -> None:
    """Book the supply base a lead firm arrives with, all of it held by follow-sources.

    The enclave starts with the chain already running on imported suppliers:
    the steady-state value of the contracts its own call generators imply
    (calls a quarter x mean value x mean duration), rolling off quarter by
    quarter as new awards take their place.
    """
    lead = rules.level.lead_firms[lead_idx]
    for gen in generators_of(state, rules).get(lead.id, ()):
        units = 0.5 * (gen.volume.low + gen.volume.high)
        cost = detmath.mean([float(rules.part_unit_cost[rules.part_index[p]]) for p in gen.part_families])
        price = cost * (1.0 + 0.5 * (gen.target_margin.low + gen.target_margin.high))
        duration = max(1, int(round(0.5 * (gen.duration.low + gen.duration.high))))
        per_quarter = int(gen.per_quarter * units * price)
        for k in range(1, duration + 1):
            state.foreign_value.append([state.quarter + k, per_quarter, lead_idx])


def incumbents(state: GameState) -> dict[tuple[str, int], int]:
    """(issuer, firm) -> strikes of the firm's first running contract with that issuer."""
    out: dict[tuple[str, int], int] = {}
    for c in state.contracts:
        if c.active:
            for m in c.members:
                out.setdefault((c.issuer, m), c.strikes)
    return out


@dataclass
class BidTable:
    """This call's bids as arrays: pooled figures, eligibility and the issuer's scores."""

    bids: list[Bid]
    members: list[list[int]]
    eligible: np.ndarray
    score: np.ndarray
    helped: np.ndarray
    parts: dict[str, np.ndarray] | None = None
    """The score's weighted parts (price, quality, delivery, relationship, local-content bonus), which add up to it."""


@dataclass(frozen=True)
class _Pool:
    """The figures of :func:`pooled_figures` for two or more members that the award of a call
    leaves alone (capabilities, certifications, capacity, net position), kept for the
    quarter's awards (:func:`award`): only the members' committed capacity changes as calls
    are awarded, so that part is read for each call (:meth:`committed_free`)."""

    idx: np.ndarray
    capacities: list[float]
    caps: list[float]
    """Quality, delivery and technology, capacity-weighted (the first three of ``Pooled.caps``)."""
    held: list[bool]
    capacity: float
    cash: int

    @classmethod
    def of(cls, state: GameState, members: list[int]) -> _Pool:
        return cls.of_all(state, [members])[tuple(members)]

    @classmethod
    def of_all(cls, state: GameState, groups: list[list[int]]) -> dict[tuple[int, ...], _Pool]:
        """The pools of several groups of members (by their members; a group of one gives what
        :func:`pooled_figures` gives of one firm too), their rows gathered at once: each group's
        capacity, certifications and net position reduced over its own run of rows (``reduceat``:
        np.any's and ndarray.sum's reductions, integers exactly), the weights and weighted
        capabilities elementwise, and each group's weighted sums by math.fsum."""
        f = state.firms
        sizes = [len(ms) for ms in groups]
        starts = [0, *itertools.accumulate(sizes[:-1])]
        flat = np.array([m for ms in groups for m in ms], dtype=np.int64)
        capacity_of = f.capacity.take(flat)
        capacities = capacity_of.astype(np.float64)
        # A group's capacity: the int64 sum of its members' (exact), as a float: what math.fsum (detmath.fsum
        # of a list) gives of the capacities as floats, and float(ordered_sum) of the ints, below 2**53.
        totals = np.add.reduceat(capacity_of, starts).astype(np.float64)
        # Each member's weight c / total (1 / size where the total is 0) and its weighted quality, delivery
        # and technology, each one IEEE division or product as Python's; their sums by math.fsum below.
        per_member = np.repeat(totals, sizes)
        weights = np.divide(capacities, per_member, out=np.repeat(1.0 / np.array(sizes, dtype=np.float64), sizes), where=per_member > 0)
        weighted = (f.cap.take(flat, axis=0)[:, :3] * weights[:, None]).T.tolist()
        held_all = np.logical_or.reduceat(f.cert_held.take(flat, axis=0), starts, axis=0).tolist()
        net_all = np.add.reduceat(net_position(state, flat), starts).tolist()
        capacities_all = capacities.tolist()
        fsum = math.fsum
        out: dict[tuple[int, ...], _Pool] = {}
        for ms, start, size, held, total, net in zip(groups, starts, sizes, held_all, totals.tolist(), net_all, strict=True):
            end = start + size
            out[tuple(ms)] = cls(
                flat[start:end],
                capacities_all[start:end],
                [fsum(col[start:end]) for col in weighted],
                held,
                total,
                net,
            )
        return out

    def committed_free(self, state: GameState) -> tuple[float, float]:
        """(committed, free) as :func:`pooled_figures` sums them (:func:`_float_sum`, numpy's sum), from
        the members' committed capacity now."""
        committed = state.firms.committed[self.idx].tolist()
        return _float_sum(committed), _float_sum([max(a - c, 0.0) for a, c in zip(self.capacities, committed, strict=True)])


_BID_FIRM = operator.attrgetter("firm")
_BID_PRICE = operator.attrgetter("price")


def score_bids(
    state: GameState,
    rules: Rules,
    rfq: Rfq,
    bids: list[Bid],
    incumbent: dict[tuple[str, int], int],
    pools: dict[tuple[int, ...], _Pool] | None = None,
) -> BidTable:
    """Check and score every bid on a call at once.

    A consortium bids as one: capacity and cash add up, certifications count
    if any member holds them, capabilities are capacity-weighted averages.
    Score = price (target / price, capped) + quality + delivery (discounted
    when the bidder is loaded near capacity) + relationship (incumbency,
    supplier-development programme) + any local-content bonus.

    ``pools`` keeps each consortium's figures that awarding calls leaves alone, by its live
    members, for the next calls of the same award round (:func:`award`); None keeps none.
    """
    f = state.firms
    n = len(bids)
    alive = f.alive
    consortia = state.consortia
    members = [[m for m in consortia[b.consortium].members if alive[m]] if b.consortium >= 0 else [b.firm] for b in bids]
    firms = np.fromiter(map(_BID_FIRM, bids), np.int64, n)
    # Fancy indexing makes new arrays: the consortia's rows are written into these, not into the columns.
    caps = f.cap[firms, :3]
    capacity = f.capacity[firms].astype(np.float64)
    committed = f.committed[firms]
    free = np.maximum(capacity - committed, 0.0)
    cash = net_position(state, firms)
    held = f.cert_held[firms]
    pooled_rows = [k for k, b in enumerate(bids) if b.consortium >= 0]
    if pooled_rows:
        if pools is None:
            pools = {}
        fig_caps: list[list[float]] = []
        fig_held: list[list[bool]] = []
        fig_capacity: list[float] = []
        fig_committed: list[float] = []
        fig_free: list[float] = []
        fig_cash: list[int] = []
        for k in pooled_rows:
            ms = members[k]
            if len(ms) == 1:
                fig = pooled_figures(state, ms)
                fig_caps.append(fig.caps[:3])
                fig_held.append(fig.held)
                fig_capacity.append(fig.capacity)
                fig_committed.append(fig.committed)
                fig_free.append(fig.free)
                fig_cash.append(fig.cash)
                continue
            key = tuple(ms)
            pool = pools.get(key)
            if pool is None:
                pool = pools[key] = _Pool.of(state, ms)
            c, fr = pool.committed_free(state)
            fig_caps.append(pool.caps)
            fig_held.append(pool.held)
            fig_capacity.append(pool.capacity)
            fig_committed.append(c)
            fig_free.append(fr)
            fig_cash.append(pool.cash)
        caps[pooled_rows] = fig_caps
        held[pooled_rows] = fig_held
        capacity[pooled_rows] = fig_capacity
        committed[pooled_rows] = fig_committed
        free[pooled_rows] = fig_free
        cash[pooled_rows] = fig_cash
    need = rfq.volume * (1.0 - rfq.reserved_share) * float(rules.part_complexity[rfq.part_family])
    tech_need = max(rfq.technology, float(rules.part_min_technology[rfq.part_family]))
    # Quality, delivery and technology (caps' columns) against the call's, in one comparison.
    # (.all(axis=1) is logical_and.reduce along the rows; np.clip(x, 0.0, None) is np.maximum(x, 0.0).)
    every = np.logical_and.reduce
    eligible = every(caps + 1e-9 >= np.array((rfq.quality, rfq.delivery, tech_need)), axis=1) & (free + 1e-9 >= need) & (cash >= rfq.min_cash)
    if rfq.certifications:
        eligible &= every(held[:, rfq.certifications], axis=1)
    # Issuers discount bidders already loaded near capacity: more work, more risk of lateness.
    load = np.divide(committed + need, capacity, out=np.ones(n), where=capacity > 0)
    delivery = caps[:, DELIVERY] * (1.0 - 0.5 * np.maximum(load - 0.6, 0.0))
    rel = [0.2] * n
    helped = [False] * n
    programmes = policies.supplier_development(state, rules, rfq.lead_firm)
    q = state.quarter
    if programmes:
        for k in range(n):
            for pol, eff in programmes:
                # The lead firm prefers the cohort it is mentoring now, not past graduates.
                if any(f.supplier_dev[m] == pol and 0 <= f.sd_since[m] <= q < f.sd_since[m] + eff.term_quarters for m in members[k]):
                    rel[k] += 0.3 + eff.bonus / W_RELATION
                    helped[k] = True
                    break
    # The issuer's incumbents (firm -> strikes), read once: incumbent.get((issuer, m)) for each member.
    issuer = rfq.issuer
    mine = {m: strikes for (i, m), strikes in incumbent.items() if i == issuer}
    if mine:
        strikes_of = mine.get
        for k, ms in enumerate(members):
            for m in ms:
                strikes = strikes_of(m)
                if strikes is not None:
                    rel[k] += 0.3 if strikes == 0 else -0.2 * strikes
                    break
    # Proven experience in the part family (learning by specialising) reassures the issuer: the deepest member's.
    # Each bid's members are a run of the list (none is empty: the bidder is a live member); with no
    # consortium's bid each run is the bidder alone, and the deepest is its own depth.
    if pooled_rows:
        depth = learning.depths(state, rfq.part_family, np.array([m for ms in members for m in ms], dtype=np.intp))
        starts = np.cumsum([0] + [len(ms) for ms in members[:-1]])
        deepest = np.maximum.reduceat(depth, starts)
    else:
        deepest = learning.depths(state, rfq.part_family, firms)
    rel_all = np.array(rel) + learning.SPECIALTY_RELATION * deepest
    _, bonus = policies.local_content(state, rules, rfq.lead_firm)
    # float(max(price, 1)) of each bid (exact: prices are integers well below 2**53).
    prices = np.maximum(np.fromiter(map(_BID_PRICE, bids), np.float64, n), 1.0)
    price_score = np.minimum(rfq.target_price / prices, 1.3)
    parts = {
        "price": W_PRICE * price_score,
        "quality": W_QUALITY * caps[:, QUALITY],
        "delivery": W_DELIVERY * delivery,
        "relationship": W_RELATION * rel_all.clip(0.0, 1.5),
        "bonus": np.full(n, float(bonus)),
    }
    # Summed in the same order as ever, so the scores are the same floats.
    score = parts["price"] + parts["quality"] + parts["delivery"] + parts["relationship"] + bonus
    return BidTable(bids, members, eligible, score, np.array(helped, dtype=bool) | (bonus > 0), parts)


def follow_source_parts(state: GameState) -> dict[str, float]:
    """The follow-source's score in the same parts as :func:`score_bids` (they add up to :func:`follow_source_score`)."""
    premium = (1.0 + IMPORT_PREMIUM) * state.fx
    return {
        "price": W_PRICE / premium,
        "quality": W_QUALITY * FOLLOW_SOURCE_QUALITY,
        "delivery": W_DELIVERY * FOLLOW_SOURCE_DELIVERY,
        "relationship": W_RELATION * FOLLOW_SOURCE_RELATION,
        "bonus": 0.0,
    }


def _record_result(state: GameState, rfq: Rfq, table: BidTable | None, winner: str | None, fs: dict[str, float] | None, won: int | None, player_bid: bool) -> None:
    """Keep a call's scores when a player bid on it (``player_bid``: a player's firm is among
    the bidders' members) in ``state.bid_results`` (bookkeeping, not hashed)."""
    f = state.firms
    if table is None or table.parts is None or not player_bid:
        return
    ids, names = f.ids, f.names
    # Every part and the totals rounded in one call (detmath.rounded: round(v, 4) of each), then cut
    # back into score_bids' parts, in its order, and the totals.
    n = len(table.bids)
    flat = detmath.rounded(np.concatenate((*table.parts.values(), table.score)), 4)
    *by_part, totals = (flat[k * n : (k + 1) * n] for k in range(len(table.parts) + 1))
    scores = [dict(zip(table.parts, row, strict=True)) for row in zip(*by_part, strict=True)]
    member_id = ids.__getitem__
    bidders = [
        {
            "firm": ids[bid.firm],
            "name": names[bid.firm],
            "members": list(map(member_id, members)),
            "consortium": bid.consortium,
            "price": bid.price,
            "eligible": eligible,
            "scores": score,
            "total": total,
            "won": False,
        }
        for bid, members, eligible, score, total in zip(table.bids, table.members, table.eligible.tolist(), scores, totals, strict=True)
    ]
    if won is not None:
        bidders[won]["won"] = True
    state.bid_results.append({
        "quarter": state.quarter,
        "rfq": rfq.id,
        "target_price": rfq.target_price,
        "winner": winner,
        "follow_source": None if fs is None else {"scores": {k: round(v, 4) for k, v in fs.items()}, "total": round(detmath.ordered_sum(fs.values()), 4)},
        "bidders": bidders,
    })


def follow_source_score(state: GameState) -> float:
    premium = (1.0 + IMPORT_PREMIUM) * state.fx
    return (
        W_PRICE / premium
        + W_QUALITY * FOLLOW_SOURCE_QUALITY
        + W_DELIVERY * FOLLOW_SOURCE_DELIVERY
        + W_RELATION * FOLLOW_SOURCE_RELATION
    )



MISSING_FAMILY = {
    "missing.certification": "external",
    "missing.capability": "external",
    "missing.solvency": "external",
    "missing.capacity": "internal",
}
"""Barrier family behind each unmet requirement: the lead firm's high entry
requirements in quality, delivery, certification and financing are external
barriers (seed paper); lacking the physical capital to make the volume is internal."""


def tie_key(state: GameState, rfq_id: str, firm: int) -> int:
    """A bidder's place in a call's tie-break lottery: a hash of the game's seed, the call and the firm's id.

    Equal scores (integer prices collide often) used to go to the lower firm
    index, so seat 1 beat seat 2 on every tie. The lottery is deterministic,
    needs no random draw and does not depend on the order bids arrive in or
    on a firm's row; over many calls each bidder wins its ties equally often.
    """
    digest = hashlib.sha256(f"{state.seed}|{rfq_id}|{state.firms.ids[firm]}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def award(state: GameState, rules: Rules) -> list[Contract]:
    """Award every call open this quarter; returns the new contracts."""
    f = state.firms
    new: list[Contract] = []
    fs_score = follow_source_score(state)
    rng = state.rng.market
    # Only a player's firm is told why (GameState.explain): the others' messages are not built.
    player_rows = f.player_rows()
    players = [p for p in sorted(player_rows) if f.alive[p]]
    committed_anew = False
    # Each call's bids by a live firm, in the order placed (awarding calls fails no firm).
    alive = f.alive.tolist()
    bids_by_rfq: dict[str, list] = {}
    for bid in state.bids:
        if alive[bid.firm]:
            bids_by_rfq.setdefault(bid.rfq_id, []).append(bid)
    incumbent = incumbents(state)
    # The consortia's figures no award changes (score_bids), for every consortium bid of two or more
    # live members, read at once (the same figures as read at each one's first call).
    groups: dict[tuple[int, ...], list[int]] = {}
    for bids in bids_by_rfq.values():
        for bid in bids:
            if bid.consortium >= 0:
                ms = [m for m in state.consortia[bid.consortium].members if alive[m]]
                if len(ms) > 1:
                    groups.setdefault(tuple(ms), ms)
    pools = _Pool.of_all(state, list(groups.values())) if groups else {}
    missed_figures: dict[int, tuple[float, Pooled]] = {}  # the players' own figures (_explain_missed)
    for rfq in state.rfqs:
        lead_idx = rules.lead_index[rfq.lead_firm]
        reserved = int(round(rfq.volume * rfq.reserved_share))
        open_volume = rfq.volume - reserved
        if reserved > 0 and not rfq.export:
            state.foreign_value.append([state.quarter + rfq.duration, reserved * rfq.target_price, lead_idx])
        # Follow-sources compete for the calls of the lead firm and of the foreign tier-1s
        # that brought them; a Mexican tier-1's calls are fought over by local firms only.
        draw = rng.random()
        follow_bids = (not rfq.export) and rules.issuer_follow_source[rfq.issuer] and bool(draw < FOLLOW_SOURCE_BIDS[rfq.tier])
        best: tuple[float, int, list[int], int, int, bool] | None = None
        best_tie: int | None = None
        best_row = -1
        bidders: list[int] = []
        table: BidTable | None = None
        live = bids_by_rfq.get(rfq.id, [])
        if live:
            table = score_bids(state, rules, rfq, live, incumbent, pools)
            members_of = table.members
            bidders = [m for ms in members_of for m in ms]
            if not player_rows.isdisjoint(bidders):
                for k in (~table.eligible).nonzero()[0].tolist():
                    # Capacity may have gone to a call awarded earlier this quarter.
                    if not player_rows.isdisjoint(members_of[k]):
                        bid = live[k]
                        missing = bid_requirements(state, rules, bid.firm, rfq.id, bid.consortium >= 0)
                        why = missing[0] if missing else None
                        for m in members_of[k]:
                            if why is not None:
                                state.explain(m, "rfq.lost_ineligible", {"rfq": rfq.id, "part_family": rules.level.part_families[rfq.part_family].id, "reason": why.reason, **why.params}, "bad", MISSING_FAMILY.get(why.reason, "external"))
            # The highest eligible score wins; equal scores go to the call's lottery (tie_key), drawn only
            # for a tie: the highest key, the first bid of it if two are equal (the bids read in order).
            rows = table.eligible.nonzero()[0]
            if len(rows):
                eligible_scores = table.score[rows]
                at_top = rows[eligible_scores == eligible_scores.max()].tolist()
                best_row = at_top[0]
                if len(at_top) > 1:
                    best_tie = tie_key(state, rfq.id, live[best_row].firm)
                    for k in at_top[1:]:
                        tie = tie_key(state, rfq.id, live[k].firm)
                        if tie > best_tie:
                            best_tie, best_row = tie, k
                bid = live[best_row]
                best = (float(table.score[best_row]), bid.firm, members_of[best_row], bid.price, bid.consortium, bool(table.helped[best_row]))
        fs_parts = follow_source_parts(state) if follow_bids else None
        player_bid = not player_rows.isdisjoint(bidders)
        if open_volume <= 0:
            _record_result(state, rfq, table, "reserved", None, None, player_bid)
            for m in sorted(set(bidders) & player_rows):
                state.explain(m, "rfq.all_reserved", {"rfq": rfq.id, "part_family": rules.level.part_families[rfq.part_family].id}, "bad", "external")
            continue
        if best is None or (follow_bids and fs_score > best[0]):
            _record_result(state, rfq, table, "follow_source" if follow_bids else None, fs_parts, None, player_bid)
            if not rfq.export:
                state.foreign_value.append([state.quarter + rfq.duration, open_volume * rfq.target_price, lead_idx])
            if best is not None and table is not None:
                # Every eligible local bid lost to the follow-source; each hears its own score.
                for k in table.eligible.nonzero()[0].tolist():
                    for m in table.members[k]:
                        if m in player_rows:
                            state.explain(m, "rfq.lost_follow_source", {"rfq": rfq.id, "part_family": rules.level.part_families[rfq.part_family].id, "score": round(float(table.score[k]), 3), "rival": round(fs_score, 3), "reserved": round(rfq.reserved_share, 2)}, "bad", "external")
            # Visible calls a player did not bid on: say what kept it out.
            bidding = set(bidders)
            for p in players:
                if p not in bidding:
                    _explain_missed(state, rules, p, rfq, missed_figures)
            continue
        score, winner, members, price, cons, helped = best
        _record_result(state, rfq, table, f.ids[winner], fs_parts, best_row, player_bid)
        # A few members: Python floats (detmath.fsum of an array this short is math.fsum of its list;
        # each share the same division numpy makes element by element).
        caps = [max(float(f.capacity[m] - f.committed[m]), 0.0) for m in members]
        caps_total = math.fsum(caps)
        shares = [c / caps_total for c in caps] if caps_total > 0 else [1.0 / len(members)] * len(members)
        contract = Contract(
            id=f"c{state.next_contract}",
            rfq_id=rfq.id,
            issuer=rfq.issuer,
            lead_firm=rfq.lead_firm,
            tier=rfq.tier,
            part_family=rfq.part_family,
            volume=open_volume,
            price=price,
            payment_days=rfq.payment_days,
            start_quarter=state.quarter + 1,
            end_quarter=state.quarter + rfq.duration,
            max_ppm=rfq.max_ppm,
            min_on_time=rfq.min_on_time,
            members=list(members),
            shares=[float(s) for s in shares],
            consortium=cons,
        )
        state.next_contract += 1
        state.contracts.append(contract)
        need = int(open_volume * float(rules.part_complexity[rfq.part_family]))
        state.awards.append([state.quarter, rfq.tier, int(cons >= 0), need, int(max(f.capacity[m] for m in members))])
        new.append(contract)
        if committed_anew:
            commit(f.committed, rules, contract)  # the same sums as committed_capacity: contracts were only appended since
        else:
            f.committed[:] = committed_capacity(state, rules)
            committed_anew = True
        for m in members:
            incumbent.setdefault((rfq.issuer, m), 0)
            f.tier[m] = min(int(f.tier[m]), rfq.tier)
            f.best_tier[m] = min(int(f.best_tier[m]), rfq.tier)
            if m in player_rows:
                lever = "cooperation" if cons >= 0 else ("catalyst" if helped else "capability")
                state.explain(m, "rfq.won", {"rfq": rfq.id, "part_family": rules.level.part_families[rfq.part_family].id, "tier": rfq.tier, "volume": open_volume, "price": price, "reserved": round(rfq.reserved_share, 2)}, "good", lever=lever)
        bidding = set(bidders)
        for m in sorted((bidding - set(members)) & player_rows):
            state.explain(m, "rfq.lost_local", {"rfq": rfq.id, "part_family": rules.level.part_families[rfq.part_family].id, "winner": f.names[winner]}, "bad", "internal")
        for p in players:
            if p not in bidding:
                _explain_missed(state, rules, p, rfq, missed_figures)
    state.bids = []
    state.bid_keys = set()
    return new


def _explain_missed(state: GameState, rules: Rules, firm: int, rfq: Rfq, figures: dict[int, tuple[float, Pooled]] | None = None) -> None:
    """A player did not bid on a call: say whether it even heard of it, or what it lacked.

    ``figures`` keeps each player's own figures (:func:`pooled_figures`) for the award round
    (:func:`award`), with the committed capacity they were read at: awarding calls changes no
    other figure of a firm, so they are read again only when that changed."""
    if not rfq.public and not policies.informed(state, rules, firm):
        state.explain(firm, "rfq.not_informed", {"rfq": rfq.id, "part_family": rules.level.part_families[rfq.part_family].id, "tier": rfq.tier}, "bad", "mixed")
        return
    bidder: Pooled | None = None
    if figures is not None:
        committed = float(state.firms.committed[firm])
        kept = figures.get(firm)
        if kept is None or kept[0] != committed:
            kept = figures[firm] = (committed, pooled_figures(state, [firm]))
        bidder = kept[1]
    missing = bid_requirements(state, rules, firm, rfq.id, False, bidder)
    if missing:
        m = missing[0]
        state.explain(firm, "rfq.missed", {"rfq": rfq.id, "part_family": rules.level.part_families[rfq.part_family].id, "tier": rfq.tier, "reason": m.reason, **m.params}, "bad", MISSING_FAMILY.get(m.reason, "external"))
