"""Contract execution: output, defects, lateness, penalties, losing a contract.

Each running contract asks its members (and any subcontractor) for their
share of the quarter's volume. A firm loaded beyond its capacity delivers
late; defects (PPM) fall steeply with quality and technology; both carry
seeded noise from the ``execution`` stream. A quarter below the customer's
thresholds costs a chargeback and a strike; three strikes in a row lose
the contract. Revenue becomes receivables due after the payment terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core import cooperation, detmath, learning, policies
from game.core.rules import Rules
from game.core.state import (
    DELIVERY,
    KIND_PLAYER,
    MANAGEMENT,
    QUALITY,
    RECEIVABLE_QUARTERS,
    TECHNOLOGY,
    Contract,
    GameState,
    raise_capability,
)


def committed_capacity(state: GameState, rules: Rules) -> np.ndarray:
    """Capacity each firm has promised to running contracts and accepted subcontracts."""
    used = np.zeros(len(state.firms), dtype=np.float64)
    for c in state.contracts:
        if c.active:
            commit(used, rules, c)
    return used


def commit(used: np.ndarray, rules: Rules, c: Contract) -> None:
    """Add an active contract's load to ``used`` (each firm's committed capacity), as
    :func:`committed_capacity` adds each contract in turn: after a contract is appended,
    committing it to the previous figures gives exactly the figures computed anew."""
    load = c.volume * float(rules.part_complexity[c.part_family])
    sub = c.subcontract_share if c.subcontractor >= 0 else 0.0
    for m, s in zip(c.members, c.shares, strict=True):
        used[m] += load * s * (1.0 - sub)
    if c.subcontractor >= 0:
        used[c.subcontractor] += load * sub


CHARGEBACK = 0.05
"""Share of a quarter's revenue charged back after a bad scorecard."""
STRIKES_TO_LOSE = 3
BASE_PPM = 20_000.0
PPM_SLOPE = 7.5
"""Defects fall as BASE_PPM * exp(-PPM_SLOPE * quality): about 1,000 PPM at quality 0.4,
250 at 0.6 and 50 at 0.8, so each tier's quality requirement sits at the edge of its
scorecard threshold (DOMAIN_DATA.md section 2)."""
ON_TIME_BASE, ON_TIME_SLOPE = 0.775, 0.25
"""On-time share 0.90 at delivery 0.5, 0.95 at 0.7, ~0.99 at 0.85 (tier thresholds)."""
DROP_WITHOUT_NOTICE = 0.02
"""Chance a quarter that a tier-3 contract is ended with no warning (re-sourcing, a volume cut)."""
CONSORTIUM_COORDINATION = 0.02
"""Coordination cost of a consortium contract, share of its revenue (1-3%)."""


@dataclass
class Production:
    """Per-firm results of this quarter's production (arrays over firms)."""

    load: np.ndarray
    fill: np.ndarray
    on_time: np.ndarray
    ppm: np.ndarray
    revenue: np.ndarray
    materials: np.ndarray
    chain_units: np.ndarray


def book_one(state: GameState, firm: int, amount: int, days: int) -> None:
    """:func:`book_receivable` for one firm, in plain Python (same rounding)."""
    d = max(days, 0) / 90.0
    k = int(d)
    frac = d - k
    first = int(round(amount * (1.0 - frac)))
    for bucket, part in ((k, first), (k + 1, amount - first)):
        if bucket == 0:
            state.firms.receive(firm, part, "collections.sales_now")
        else:
            state.firms.receivables[firm, min(bucket, RECEIVABLE_QUARTERS - 1)] += part


def book_receivable(state: GameState, firms: np.ndarray, amounts: np.ndarray, days: int) -> None:
    """Book revenue as cash now or receivables, split across the quarters the terms span.

    Column ``k`` is collected by :func:`finance.settle` ``k`` quarters after this
    one (settle collects column 0, then shifts the rest one quarter closer), so
    60-day revenue is a third cash now and two thirds next quarter, and 120-day
    revenue two thirds next quarter and a third the quarter after.
    """
    f = state.firms
    d = max(days, 0) / 90.0
    k = int(d)
    frac = d - k
    first = np.round(amounts * (1.0 - frac)).astype(np.int64)
    second = amounts.astype(np.int64) - first
    for bucket, part in ((k, first), (k + 1, second)):
        if bucket == 0:
            np.add.at(f.cash, firms, part)
            np.add.at(f.cash_in, firms, part)
            f.books.flow_at("collections.sales_now", firms, part)
        else:
            col = min(bucket, RECEIVABLE_QUARTERS - 1)
            np.add.at(f.receivables[:, col], firms, part)



def execute(state: GameState, rules: Rules) -> Production:
    """Produce and deliver every running contract, then serve local customers."""
    f = state.firms
    n = len(f)
    q = state.quarter
    demand = state.modifier("demand")
    capacity = f.capacity.astype(np.float64) * state.modifier("capacity")
    running = [c for c in state.contracts if c.active and c.start_quarter <= q <= c.end_quarter]

    # 1. Load on each firm from contracts (members' shares and subcontracted parts).
    load = np.zeros(n)
    for c in running:
        units = c.volume * demand * float(rules.part_complexity[c.part_family])
        sub = c.subcontract_share if c.subcontractor >= 0 else 0.0
        for m, s in zip(c.members, c.shares, strict=True):
            load[m] += units * s * (1.0 - sub)
        if c.subcontractor >= 0:
            load[c.subcontractor] += units * sub
    util = np.divide(load, capacity, out=np.zeros(n), where=capacity > 0)
    fill = np.minimum(1.0, np.divide(capacity, load, out=np.ones(n), where=load > 0))

    # 2. Scorecards per firm, with seeded noise.
    rng = state.rng.execution
    infra = policies.boost_mask(state, rules, "infrastructure")
    cap = f.cap
    on_time = ON_TIME_BASE + ON_TIME_SLOPE * cap[:, DELIVERY] + 0.02 * (cap[:, MANAGEMENT] - 0.5) + infra
    on_time -= 0.3 * np.clip(util - 0.85, 0.0, None)
    on_time = np.clip(on_time + detmath.normal(rng, 0.0, 0.015, n), 0.0, 1.0) * fill
    ppm = BASE_PPM * detmath.exp_array(-PPM_SLOPE * cap[:, QUALITY]) * (1.2 - 0.4 * cap[:, TECHNOLOGY])
    ppm *= 1.0 + 0.5 * np.clip(util - 0.9, 0.0, None)
    ppm *= detmath.lognormal(rng, 0.0, 0.25, n)

    revenue = np.zeros(n, dtype=np.int64)
    materials = np.zeros(n, dtype=np.int64)
    chain_units = np.zeros(n, dtype=np.int64)
    saving, contributes = cooperation.joint_purchasing(state)
    gross_inputs = [0.0] * n
    fx_inputs = 1.0 + 0.3 * (state.fx - 1.0)
    audits = {m.event_id.split(":", 1)[1] for m in state.modifiers if m.kind == "audit" and m.until_quarter >= q}

    market = state.rng.market
    # Per contract the arrays are tiny (one to a few members): plain Python numbers are faster.
    fill_l, on_time_l, ppm_l, saving_l = fill.tolist(), on_time.tolist(), ppm.tolist(), saving.tolist()
    rev = [0] * n
    mat = [0] * n
    chain = [0] * n
    for c in running:
        lf = rules.lead_firm(c.lead_firm)
        years = (q - c.start_quarter) // 4
        price = c.price * detmath.powi(1.0 - lf.price_down, years)
        unit_cost = float(rules.part_unit_cost[c.part_family]) * fx_inputs
        volume = c.volume * demand
        sub = c.subcontract_share if c.subcontractor >= 0 else 0.0
        parts = [(m, s * (1.0 - sub)) for m, s in zip(c.members, c.shares, strict=True)]
        if c.subcontractor >= 0:
            parts.append((c.subcontractor, sub))
        total_share = sum(s for _, s in parts)
        delivered = sum(volume * s * fill_l[m] for m, s in parts)
        c_on_time = sum(on_time_l[m] * s for m, s in parts) / total_share if total_share > 0 else 0.0
        c_ppm = sum(ppm_l[m] * s for m, s in parts) / total_share if total_share > 0 else 0.0
        gross = delivered * price
        bad = c_on_time < c.min_on_time or c_ppm > c.max_ppm
        penalty = CHARGEBACK * gross if bad else 0.0
        coordination = CONSORTIUM_COORDINATION * gross if c.consortium >= 0 else 0.0
        net = gross - penalty - coordination
        f.books.call(c)
        # The holders are paid by the customer; they pay the subcontractor in cash.
        if c.subcontractor >= 0:
            j = c.subcontractor
            sub_units = volume * sub * fill_l[j]
            sub_pay = int(round(sub_units * c.subcontract_price))
            for m, s in zip(c.members, c.shares, strict=True):
                holder_pay = int(round(sub_pay * s))
                f.pay(m, holder_pay, "payments.subcontractors")
                rev[m] -= holder_pay
                f.books.earn("cost.subcontractors", m, -holder_pay)
                f.books.contract(c.id, "subcontracted", m, -holder_pay)
            f.receive(j, sub_pay, "collections.subcontract_work")
            rev[j] += sub_pay
            f.books.earn_one(f"revenue.subcontract.{c.id}", j, sub_pay)
            sub_materials = int(round(sub_units * unit_cost * (1.0 - saving_l[j])))
            mat[j] += sub_materials
            f.books.contract(c.id, "gross", j, sub_pay)
            f.books.contract(c.id, "materials", j, -sub_materials)
            gross_inputs[j] += sub_units * unit_cost
        factoring = policies.reverse_factoring_rate(state, rules, c.lead_firm)
        days = c.payment_days
        for m, s in zip(c.members, c.shares, strict=True):
            member_net = int(round(net * s))
            # Income by contract: the member's gross, less its share of chargebacks and
            # coordination (the gross line is the net plus those, so the lines add to the net).
            member_penalty, member_coordination = int(round(penalty * s)), int(round(coordination * s))
            f.books.earn_one(f"revenue.contract.{c.id}", m, member_net + member_penalty + member_coordination)
            f.books.contract(c.id, "gross", m, member_net + member_penalty + member_coordination)
            f.books.contract(c.id, "chargebacks", m, -member_penalty)
            f.books.contract(c.id, "coordination", m, -member_coordination)
            if member_penalty:
                f.books.earn("cost.chargebacks", m, -member_penalty)
            if member_coordination:
                f.books.earn("cost.consortium_coordination", m, -member_coordination)
            units = volume * s * (1.0 - sub) * fill_l[m]
            member_materials = int(round(units * unit_cost * (1.0 - saving_l[m])))
            mat[m] += member_materials
            f.books.contract(c.id, "materials", m, -member_materials)
            gross_inputs[m] += units * unit_cost
            chain[m] += int(units)
            # Reverse factoring (a public policy on the chain), else the prompt payment a supplier-development
            # sponsor gives the firms it develops (policies.SD_PROMPT_PAYMENT).
            rate = factoring if factoring is not None else policies.prompt_payment_rate(state, rules, c.lead_firm, m)
            if rate is not None and days > 0:
                # Paid now, less the discount for the days advanced.
                paid = int(round(member_net * (1.0 - rate * days / 360.0)))
                f.receive(m, paid, "collections.reverse_factoring")
                rev[m] += paid
                f.books.earn("cost.reverse_factoring_discount", m, paid - member_net)
                f.books.contract(c.id, "factoring_discount", m, paid - member_net)
                if factoring is not None:
                    state.explain(m, "contract.factored", {"contract": c.id, "days": days, "rate": rate}, "good", lever="catalyst")
                else:
                    state.explain(m, "contract.prompt_payment", {"contract": c.id, "days": days, "rate": rate}, "good", lever="catalyst")
            else:
                book_one(state, m, member_net, days)
                rev[m] += member_net
        c.delivered_total += int(delivered)
        if 0 <= c.consortium < len(state.consortia):
            state.consortia[c.consortium].joint_deliveries += 1
        if c.lead_firm in audits or "*" in audits:
            req = rules.requirements(c.lead_firm, c.tier)
            weak = [m for m in c.members if f.cap[m, QUALITY] < req.quality or f.cap[m, DELIVERY] < req.delivery]
            if weak:
                c.strikes += 1
                for m in weak:
                    state.explain(m, "contract.audit_failed", {"contract": c.id, "quality": round(float(f.cap[m, QUALITY]), 2), "need": req.quality, "delivery": round(float(f.cap[m, DELIVERY]), 2), "need_delivery": req.delivery}, "bad", "internal")
        if bad:
            c.strikes += 1
            for m in c.members:
                state.explain(m, "contract.bad_scorecard", {"contract": c.id, "on_time": round(c_on_time, 3), "ppm": int(c_ppm), "min_on_time": c.min_on_time, "max_ppm": c.max_ppm, "penalty": int(penalty), "strikes": c.strikes}, "bad", "internal")
        else:
            c.strikes = max(0, c.strikes - 1)
            lever = "cooperation" if c.consortium >= 0 else "capability"
            for m in c.members:
                state.explain(m, "contract.delivered", {"contract": c.id, "on_time": round(c_on_time, 3), "ppm": int(c_ppm), "revenue": int(net)}, "good", lever=lever)
        if c.strikes >= STRIKES_TO_LOSE:
            c.active = False
            for m in c.members:
                state.explain(m, "contract.lost", {"contract": c.id, "strikes": c.strikes}, "bad", "internal")
        elif c.tier == 3 and c.end_quarter > q and not c.rfq_id.startswith(policies.DEV_ORDER_PREFIX) and market.random() < DROP_WITHOUT_NOTICE:
            # Lower-tier suppliers can be dropped without notice (seed paper): the customer
            # re-sources to a follow-source or cuts the volume, whatever the scorecard says.
            c.active = False
            for m in c.members:
                state.explain(m, "contract.dropped", {"contract": c.id}, "bad", "external")
    revenue += np.array(rev, dtype=np.int64)
    materials += np.array(mat, dtype=np.int64)
    chain_units += np.array(chain, dtype=np.int64)

    # 3. Learning by doing with demanding customers (tier 1-2 teach more than tier 3), faster in the
    # part family a firm specialises in (learning by specialising; subcontract work counts too).
    demanding = np.zeros(n)
    worked: list[tuple[int, int]] = []
    for c in running:
        rate = {1: 0.03, 2: 0.022, 3: 0.012}[c.tier]
        for m in c.members:
            demanding[m] = max(demanding[m], rate * (1.0 + learning.SPECIALISING * learning.depth(state, m, c.part_family)))
            worked.append((m, c.part_family))
        if c.subcontractor >= 0:
            j = c.subcontractor
            demanding[j] = max(demanding[j], rate * 0.6 * (1.0 + learning.SPECIALISING * learning.depth(state, j, c.part_family)))
            worked.append((j, c.part_family))
    learning.specialise(state, worked)
    if demanding.any():
        # Absorptive capacity: a university or technology-centre agreement makes each lesson take.
        boost = learning.absorption(state, rules)
        linked = demanding > 0
        linked &= boost > 1.0
        demanding *= boost
        for m in np.flatnonzero(linked & (f.kind == KIND_PLAYER)).tolist():
            inst = rules.level.institutions[int(f.university[m])]
            state.explain(m, "university.absorption", {"institution": inst.id, "extra": round(float(boost[m]) - 1.0, 2)}, "good", lever="cooperation")
        raise_capability(state, slice(None), QUALITY, demanding)
        raise_capability(state, slice(None), DELIVERY, demanding * 0.8)
        raise_capability(state, slice(None), MANAGEMENT, demanding * 0.4)

    # 4. Local and regional customers buy from spare capacity (thin margins, 30 days).
    eco = rules.economy
    spare = np.clip(capacity - load, 0.0, None)
    local_units = np.where(f.serve_local & f.alive, np.minimum(spare, f.employees * eco.local_demand_per_employee * local_standing(state)), 0.0)
    local_price = eco.local_unit_cost * (1.0 + eco.local_price_margin)
    local_revenue = np.round(local_units * local_price).astype(np.int64)
    local_inputs = local_units * eco.local_unit_cost * fx_inputs
    # Consortium members buy local inputs through the pool too; those doing their part pay
    # their share of the common work (a procurement cost), free-riders do not.
    materials += np.round(local_inputs * (1.0 - saving)).astype(np.int64)
    inputs = local_inputs + np.array(gross_inputs)
    dues = np.where(contributes & f.alive, np.round(cooperation.CONTRIBUTION * inputs), 0).astype(np.int64)
    materials += dues
    for cons in state.consortia:
        for m in cons.shirking:
            state.explain(m, "consortium.you_shirked", {"name": cons.name, "saved": int(round(cooperation.CONTRIBUTION * inputs[m]))}, "info")
    revenue += local_revenue
    f.books.earn("revenue.local_sales", slice(None), local_revenue)
    alive = np.flatnonzero(f.alive)
    book_receivable(state, alive, local_revenue[alive], 30)

    # 5. Scorecards, tier held, contract expiry.
    producing = load > 0
    f.on_time[:] = np.where(producing, on_time, f.on_time)
    f.ppm[:] = np.where(producing, ppm, f.ppm)
    for c in state.contracts:
        if c.active and c.end_quarter <= q:
            c.active = False
            for m in c.members:
                state.explain(m, "contract.ended", {"contract": c.id, "delivered": c.delivered_total}, "info")
    state.contracts = [c for c in state.contracts if c.active]
    tier = np.full(n, 4, dtype=np.int8)
    for c in state.contracts:
        for m in c.members:
            tier[m] = min(tier[m], c.tier)
    f.tier[:] = tier
    f.committed[:] = committed_capacity(state, rules)
    return Production(load, fill, on_time, ppm, revenue, materials, chain_units)


LOCAL_COMPETITION = 1.5
"""How strongly local customers follow capability: a firm 0.1 below the cluster's mean
quality, delivery and technology keeps 15% fewer local orders (docs/calibration.md)."""
LOCAL_STANDING = (0.5, 1.25)


def local_standing(state: GameState) -> np.ndarray:
    """Share of its local demand a firm keeps: firms that fall behind the cluster lose customers.

    Local and regional buyers compare suppliers on quality, delivery and
    technology; the cluster's mean over living firms is the bar. Capabilities
    decay without upkeep (learning.py), so a firm that stops investing drifts
    below the bar and its thin local margin turns into losses: outside the
    knowledge economy a firm is bound to fail (seed paper).
    """
    f = state.firms
    score = f.cap[:, [QUALITY, DELIVERY, TECHNOLOGY]].mean(axis=1)
    alive = f.alive
    bar = float(score[alive].mean()) if alive.any() else 0.0
    lo, hi = LOCAL_STANDING
    # The customers the firm still has (learning.local_customers): fewer the longer it stays outside.
    return np.clip(1.0 + LOCAL_COMPETITION * (score - bar), lo, hi) * f.local_base
