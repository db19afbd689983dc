"""What a call or a contract is worth to a firm, at its current figures (pure: nothing changes).

How to call it (the window's call and contract views and the coach use these)::

    from game.core import economics
    ce = economics.call_economics(state, rules, firm, rfq_id, price)   # price None: the call's target
    ce.unit_cost, ce.margin_per_unit, ce.gain_per_quarter, ce.displaced_local_units, ...
    ke = economics.contract_economics(state, rules, firm, contract_id)
    ke.margin_per_quarter, ke.net_to_date, ke.gross_to_date, ke.by_quarter
    for lb in economics.lost_bids(state, firm):          # calls the firm bid on and lost
        lb.winner, lb.yours, lb.rival                     # scores by part: price, quality, delivery...

Figures follow the rules' own formulas (contracts.execute for output,
materials, on-time and defects; the local market's spare-capacity sales;
finance.settle for wages and overhead) without their seeded noise, so they
are what the firm can expect, not what will happen. Money is integer pesos.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.core import contracts, cooperation, detmath, policies
from game.core.decisions.finance import loan_terms
from game.core.finance import AMORTISATION_QUARTERS
from game.core.rules import Rules
from game.core.state import DELIVERY, MANAGEMENT, QUALITY, TECHNOLOGY, GameState


@dataclass(frozen=True)
class CallEconomics:
    """A call seen from one firm, bidding ``price`` a unit (all pesos; units a quarter)."""

    rfq: str
    price: int
    units: int
    """Units a quarter the firm would make: the call's open share (the rest is reserved for follow-sources)."""
    quarters: int
    materials_per_unit: int
    """Inputs at today's exchange rate, less a consortium's pooled saving, plus its purchasing dues."""
    fixed_per_unit: int
    """Wages and overhead per unit of capacity, times the part's complexity: the plant's time the part takes."""
    unit_cost: int
    """materials_per_unit + fixed_per_unit: the full cost of a unit at the firm's current figures."""
    margin_per_unit: int
    """price - unit_cost."""
    margin_per_quarter: int
    """margin_per_unit x units."""
    displaced_local_units: int
    """Local sales a quarter the contract's load would push out of the firm's spare capacity."""
    displaced_local_margin: int
    """What those local sales leave a quarter (price less their inputs)."""
    gain_per_quarter: int
    """What the contract adds to the quarter's profit: (price - materials) x units - displaced_local_margin
    (wages and overhead are paid either way)."""
    cash_first_quarter: int
    """Cash the first quarter brings: the part of revenue paid within it, less the materials (the working-capital gap)."""
    load_after: float
    """Committed load over capacity if the firm wins it (1.0 = full)."""
    on_time_expected: float
    on_time_margin: float
    """Expected on-time share, less the call's minimum (below zero: chargebacks and strikes to expect)."""
    ppm_expected: float
    ppm_margin: float
    """The call's maximum defects, less those expected."""


def _unit_materials(state: GameState, firm: int, part_cost: float) -> float:
    saving, contributes = cooperation.joint_purchasing(state)
    fx_inputs = 1.0 + 0.3 * (state.fx - 1.0)
    per = part_cost * fx_inputs * (1.0 - float(saving[firm]))
    if contributes[firm]:
        per += cooperation.CONTRIBUTION * part_cost * fx_inputs
    return per


def fixed_cost_per_capacity(state: GameState, rules: Rules, firm: int) -> float:
    """Wages and overhead a quarter, per unit of the firm's capacity."""
    f = state.firms
    eco = rules.economy
    wages = float(f.employees[firm]) * eco.wage_per_quarter * state.modifier("wages")
    overhead = float(f.capacity[firm]) * eco.overhead_per_capacity
    return (wages + overhead) / max(float(f.capacity[firm]), 1.0)


def local_units(state: GameState, rules: Rules, firm: int, extra_load: float = 0.0) -> float:
    """Units a quarter the firm sells locally from its spare capacity (with ``extra_load`` more committed)."""
    f = state.firms
    if not (f.serve_local[firm] and f.alive[firm]):
        return 0.0
    capacity = float(f.capacity[firm]) * state.modifier("capacity")
    spare = max(capacity - float(f.committed[firm]) * state.modifier("demand") - extra_load, 0.0)
    demand = float(f.employees[firm]) * rules.economy.local_demand_per_employee * float(contracts.local_standing(state)[firm])
    return min(spare, demand)


def local_margin_per_unit(state: GameState, rules: Rules, firm: int) -> float:
    eco = rules.economy
    return eco.local_unit_cost * (1.0 + eco.local_price_margin) - _unit_materials(state, firm, float(eco.local_unit_cost))


def expected_scorecard(state: GameState, rules: Rules, firm: int, load_after: float) -> tuple[float, float]:
    """(on-time share, PPM) the rules expect at a load (committed / capacity), without the noise."""
    f = state.firms
    cap = f.cap[firm]
    infra = float(policies.boost_mask(state, rules, "infrastructure")[firm])
    on_time = contracts.ON_TIME_BASE + contracts.ON_TIME_SLOPE * float(cap[DELIVERY]) + 0.02 * (float(cap[MANAGEMENT]) - 0.5) + infra
    on_time -= 0.3 * max(load_after - 0.85, 0.0)
    on_time = min(max(on_time, 0.0), 1.0) * min(1.0, 1.0 / load_after if load_after > 0 else 1.0)
    ppm = contracts.BASE_PPM * detmath.exp(-contracts.PPM_SLOPE * float(cap[QUALITY])) * (1.2 - 0.4 * float(cap[TECHNOLOGY]))
    ppm *= 1.0 + 0.5 * max(load_after - 0.9, 0.0)
    return on_time, ppm


def call_economics(state: GameState, rules: Rules, firm: int, rfq_id: str, price: int | None = None) -> CallEconomics:
    """The call ``rfq_id`` as the firm would live it at ``price`` (the call's target price if None)."""
    rfq = next(r for r in state.rfqs if r.id == rfq_id)
    f = state.firms
    bid = int(rfq.target_price if price is None else price)
    units = rfq.volume - int(round(rfq.volume * rfq.reserved_share))
    complexity = float(rules.part_complexity[rfq.part_family])
    need = units * complexity
    materials = _unit_materials(state, firm, float(rules.part_unit_cost[rfq.part_family]))
    fixed = fixed_cost_per_capacity(state, rules, firm) * complexity
    unit_cost = int(round(materials + fixed))
    before = local_units(state, rules, firm)
    after = local_units(state, rules, firm, need * state.modifier("demand"))
    displaced = max(before - after, 0.0)
    displaced_margin = int(round(displaced * local_margin_per_unit(state, rules, firm)))
    contribution = int(round((bid - materials) * units))
    d = max(rfq.payment_days, 0) / 90.0
    now_share = (1.0 - d) if d < 1.0 else 0.0
    capacity = max(float(f.capacity[firm]), 1.0)
    load_after = (float(f.committed[firm]) + need) / capacity
    on_time, ppm = expected_scorecard(state, rules, firm, load_after)
    return CallEconomics(
        rfq=rfq.id,
        price=bid,
        units=units,
        quarters=rfq.duration,
        materials_per_unit=int(round(materials)),
        fixed_per_unit=int(round(fixed)),
        unit_cost=unit_cost,
        margin_per_unit=bid - unit_cost,
        margin_per_quarter=(bid - unit_cost) * units,
        displaced_local_units=int(round(displaced)),
        displaced_local_margin=displaced_margin,
        gain_per_quarter=contribution - displaced_margin,
        cash_first_quarter=int(round(bid * units * now_share - materials * units)),
        load_after=round(load_after, 4),
        on_time_expected=round(on_time, 4),
        on_time_margin=round(on_time - rfq.min_on_time, 4),
        ppm_expected=round(ppm, 1),
        ppm_margin=round(rfq.max_ppm - ppm, 1),
    )


@dataclass(frozen=True)
class ContractEconomics:
    """A running (or ended) contract seen from one member firm; pesos."""

    contract: str
    margin_per_quarter: int
    """Expected at today's figures: (price this year - materials) x the firm's units a quarter."""
    net_to_date: int
    """What the contract left the firm so far: gross less chargebacks, coordination, factoring discount,
    subcontracted work and materials (from the books of the quarters played)."""
    gross_to_date: int
    by_quarter: list[tuple[int, dict[str, int]]] = field(default_factory=list)
    """(quarter, the contract's lines that quarter, with ``net``), oldest first."""


def contract_economics(state: GameState, rules: Rules, firm: int, contract_id: str) -> ContractEconomics:
    """A contract's margin per quarter and its true net to date (with the gross) for a player's firm."""
    fid = state.firms.ids[firm]
    by_quarter = [(int(q["quarter"]), dict(q["contracts"][contract_id])) for q in state.ledger if q.get("firm") == fid and contract_id in q.get("contracts", {})]
    net = detmath.ordered_sum(lines["net"] for _, lines in by_quarter)
    gross = detmath.ordered_sum(lines["gross"] for _, lines in by_quarter)
    margin = 0
    c = next((c for c in state.contracts if c.id == contract_id), None)
    if c is not None and firm in c.members:
        lf = rules.lead_firm(c.lead_firm)
        years = (state.quarter - c.start_quarter) // 4 if state.quarter >= c.start_quarter else 0
        price = c.price * detmath.powi(1.0 - lf.price_down, years)
        share = c.shares[c.members.index(firm)] * (1.0 - (c.subcontract_share if c.subcontractor >= 0 else 0.0))
        units = c.volume * state.modifier("demand") * share
        materials = _unit_materials(state, firm, float(rules.part_unit_cost[c.part_family]))
        margin = int(round((price - materials) * units))
    return ContractEconomics(contract_id, margin, net, gross, by_quarter)


@dataclass(frozen=True)
class LostBid:
    """A call the firm bid on and did not win: who won and the scores, part by part."""

    quarter: int
    rfq: str
    winner: str | None
    """A firm's name, ``follow_source``, ``reserved`` (all of it went to follow-sources) or None (no eligible bid)."""
    yours: dict[str, float]
    """Your bid's score by part (price, quality, delivery, relationship, bonus) and ``total``."""
    rival: dict[str, float] | None
    """The winner's score by part and ``total`` (the follow-source's when it won); None if nobody won."""
    eligible: bool
    price: int
    rival_price: int | None


def lost_bids(state: GameState, firm: int, quarter: int | None = None) -> list[LostBid]:
    """Calls the firm bid on (alone or in a consortium) and lost, from the awards' records; ``quarter`` filters."""
    fid = state.firms.ids[firm]
    out: list[LostBid] = []
    for r in state.bid_results:
        if quarter is not None and r["quarter"] != quarter:
            continue
        mine = next((b for b in r["bidders"] if fid in b["members"]), None)
        if mine is None or mine["won"]:
            continue
        rival: dict[str, Any] | None = None
        rival_price = None
        name: str | None = r["winner"]
        if r["winner"] == "follow_source" and r["follow_source"] is not None:
            rival = {**r["follow_source"]["scores"], "total": r["follow_source"]["total"]}
        else:
            won = next((b for b in r["bidders"] if b["won"]), None)
            if won is not None:
                rival = {**won["scores"], "total": won["total"]}
                rival_price = int(won["price"])
                name = won["name"]
        out.append(LostBid(int(r["quarter"]), r["rfq"], name, {**mine["scores"], "total": mine["total"]}, rival, bool(mine["eligible"]), int(mine["price"]), rival_price))
    return out


def fixed_outflows(state: GameState, rules: Rules, firm: int) -> int:
    """What the firm must pay next quarter whatever it sells (finance.settle's formulas): wages,
    overhead, certification upkeep and instalments, memberships, interest and loan principal."""
    f = state.firms
    eco = rules.economy
    wages = round(float(f.employees[firm]) * eco.wage_per_quarter * state.modifier("wages"))
    overhead = round(float(f.capacity[firm]) * eco.overhead_per_capacity)
    upkeep = int(np.dot(f.cert_held[firm].astype(np.int64), rules.cert_upkeep))
    fees = 0
    for k, inst in enumerate(rules.level.institutions):
        if inst.kind == "association" and f.association[firm]:
            fees += inst.fee_per_quarter
        if inst.kind in ("university", "technology_centre") and f.university[firm] == k:
            fees += inst.fee_per_quarter
    debt = int(f.debt[firm])
    interest = round(debt * float(f.debt_rate[firm]) / 4.0)
    principal = min(debt, math.ceil(debt / AMORTISATION_QUARTERS)) if debt > 0 else 0
    instalments = int(np.where(f.cert_left[firm] > 1, f.cert_cost_q[firm], 0).sum())
    return int(wages + overhead + upkeep + fees + interest + principal + instalments)


@dataclass(frozen=True)
class Sale:
    """A contract the forecast should add: ``units`` a quarter at ``price`` from quarter ``start``."""

    units: float
    price: float
    materials_per_unit: float
    payment_days: int
    start: int
    complexity: float = 1.0
    end: int = 10**6


def _split(amount: float, days: int) -> list[tuple[int, float]]:
    """(quarters from now, share) of revenue paid under ``days`` terms (as contracts.book_receivable)."""
    d = max(days, 0) / 90.0
    k = int(d)
    frac = d - k
    return [(k, amount * (1.0 - frac)), (k + 1, amount * frac)]


def cash_forecast(
    state: GameState,
    rules: Rules,
    firm: int,
    quarters: int = 2,
    extra: tuple[Sale, ...] = (),
    spend: int = 0,
    borrow: tuple[int, float] = (0, 0.0),
) -> list[int]:
    """Closing cash the firm can expect at the end of this quarter and the next ones, if it spends ``spend``
    now, borrows ``borrow`` (amount, yearly rate) and wins the ``extra`` contracts: receivables as they fall
    due, running contracts and local sales paid by their terms, less materials, the fixed bills
    (:func:`fixed_outflows`, with the new loan's principal and interest) and the tax on a profit."""
    f = state.firms
    eco = rules.economy
    q0 = state.quarter
    loan, rate = borrow
    cash = float(f.cash[firm]) - spend + loan
    due = [float(x) for x in f.receivables[firm]] + [0.0] * (quarters + 2)
    bills = float(fixed_outflows(state, rules, firm)) + (math.ceil(loan / AMORTISATION_QUARTERS) + loan * rate / 4.0 if loan > 0 else 0.0)
    sales: list[Sale] = list(extra)
    for c in state.contracts:
        if firm not in c.members or not c.active:
            continue
        lf = rules.lead_firm(c.lead_firm)
        years = max(q0 - c.start_quarter, 0) // 4
        share = c.shares[c.members.index(firm)] * (1.0 - (c.subcontract_share if c.subcontractor >= 0 else 0.0))
        materials = _unit_materials(state, firm, float(rules.part_unit_cost[c.part_family]))
        units = c.volume * state.modifier("demand") * share
        price = c.price * detmath.powi(1.0 - lf.price_down, years)
        sales.append(Sale(units, price, materials, c.payment_days, c.start_quarter, float(rules.part_complexity[c.part_family]), c.end_quarter))
    out: list[int] = []
    local_price = eco.local_unit_cost * (1.0 + eco.local_price_margin)
    local_materials = _unit_materials(state, firm, float(eco.local_unit_cost))
    for t in range(quarters):
        q = q0 + t
        running = [s for s in sales if s.start <= q <= s.end]
        extra_load = detmath.ordered_sum(s.units * s.complexity for s in extra if s.start <= q <= s.end)
        local = local_units(state, rules, firm, extra_load)
        revenue = local * local_price + detmath.ordered_sum(s.units * s.price for s in running)
        materials = local * local_materials + detmath.ordered_sum(s.units * s.materials_per_unit for s in running)
        for k, part in _split(local * local_price, 30):
            due[t + k] += part
        for s in running:
            for k, part in _split(s.units * s.price, s.payment_days):
                due[t + k] += part
        profit = revenue - materials - bills
        tax = profit * eco.tax_rate if profit > 0 else 0.0
        cash += due[t] - materials - bills - tax
        out.append(int(round(cash)))
    return out


def runway_quarters(state: GameState, rules: Rules, firm: int) -> float:
    """Quarters the firm's cash lasts at the burn its forecast shows (:func:`cash_forecast` over two
    quarters); infinite when the forecast gains cash. The coach warns under two."""
    cash = float(state.firms.cash[firm])
    forecast = cash_forecast(state, rules, firm, 2)
    low = min(forecast)
    if low < 0:
        # It runs out within the forecast: count the quarters it gets through.
        return float(next(t for t, c in enumerate(forecast) if c < 0))
    burn = (cash - forecast[-1]) / len(forecast)
    if burn <= 0:
        return math.inf
    return max(cash, 0.0) / burn


LOAN_SHARES = (0.1, 0.25, 0.5, 1.0)
"""The loan amounts offered (the decisions tab's buttons and the coach): shares of what the bank would lend."""


def loan_choices(state: GameState, rules: Rules, firm: int, bank: int) -> list[int]:
    """Loan amounts to offer the firm at a bank: LOAN_SHARES of its room, rounded down to 10,000 pesos."""
    _, room = loan_terms(state, rules, firm, bank)
    if room < 10_000:
        return []
    return sorted({max(10_000, int(room * p) // 10_000 * 10_000) for p in LOAN_SHARES})


REPAY_SHARES = (0.25, 0.5, 1.0)
"""The repayments offered (the decisions tab's buttons and the coach): shares of the firm's debt."""


def repay_choices(state: GameState, firm: int) -> list[int]:
    """Repayment amounts to offer: REPAY_SHARES of the debt (at least one peso each)."""
    debt = int(state.firms.debt[firm])
    return sorted({max(1, int(debt * p)) for p in REPAY_SHARES}) if debt > 0 else []


def net_position(state: GameState, firm: int) -> int:
    """Cash plus receivables less debt."""
    f = state.firms
    return int(f.cash[firm]) + int(np.sum(f.receivables[firm])) - int(f.debt[firm])
