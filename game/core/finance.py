"""Quarterly finance: costs, collections, loans, programmes, taxes, bankruptcy.

Working capital is the squeeze: wages and materials are paid in the
quarter, while chain customers pay 60-120 days later (receivables by due
quarter). Loans amortise over three years at SME rates. A firm that ends a
quarter short of cash gets an emergency credit line if its collateral
allows, and goes bankrupt if not.
"""

from __future__ import annotations

import math

import numpy as np

from game.core.contracts import Production, committed_capacity
from game.core.decisions.capabilities import TrainStaff
from game.core.decisions.finance import loan_offer_matrix, programme_grant
from game.core.detmath import ordered_sum
from game.core.rules import Rules
from game.core.state import (
    DELIVERY,
    HUMAN_CAPITAL,
    INNOVATION,
    MANAGEMENT,
    QUALITY,
    TECHNOLOGY,
    GameState,
    raise_capability,
)

AMORTISATION_QUARTERS = 12
EMERGENCY_PREMIUM = 0.06
"""Extra yearly rate on an emergency credit line."""



PAYMENT_LINES = (
    "payments.materials",
    "payments.wages",
    "payments.overhead",
    "payments.certification_upkeep",
    "payments.memberships",
    "payments.interest",
    "payments.certification_instalments",
    "financing.loan_principal",
)
"""The cash lines :func:`settle` pays every quarter, in order; each but the loan's principal is a cost too."""
COST_LINES = tuple("cost." + line.split(".", 1)[1] for line in PAYMENT_LINES[:-1])
"""The income lines of those costs (all of PAYMENT_LINES but the principal), in the same order."""


def settle(state: GameState, rules: Rules, prod: Production) -> None:
    """Pay the quarter's costs, collect what is due, and book profit and taxes."""
    f = state.firms
    eco = rules.economy
    alive = f.alive
    wages = np.rint(f.employees * eco.wage_per_quarter * state.modifier("wages")).astype(np.int64)
    overhead = np.rint(f.capacity * eco.overhead_per_capacity).astype(np.int64)
    upkeep = (f.cert_held.astype(np.int64) @ rules.cert_upkeep).astype(np.int64)
    # A cluster has one association (the loader refuses a second); agreements by institution.
    fees = np.where(f.association, rules.association_fee, 0) + rules.link_fee[f.university]
    interest = np.rint(f.debt * f.debt_rate / 4.0).astype(np.int64)
    principal = np.where(f.debt > 0, np.minimum(f.debt, np.ceil(f.debt / AMORTISATION_QUARTERS)), 0).astype(np.int64)

    # Certification instalments for processes still running after this quarter.
    cert_running = f.cert_left > 1
    instalments = (np.where(cert_running, f.cert_cost_q, 0)).sum(axis=1).astype(np.int64)

    costs = wages + overhead + upkeep + fees + interest + prod.materials
    # Each cost is paid (and booked) as its own line; together they are the quarter's cash costs.
    books = f.books
    # np.array of the eight int64 rows is np.stack's (8, firms) array, without its wrapper.
    paid = np.where(alive, np.array((prod.materials, wages, overhead, upkeep, fees, interest, instalments, principal)), 0).astype(np.int64)
    f.pay_lines(PAYMENT_LINES, paid)
    books.add_lines(books.income, COST_LINES, -paid[:-1])
    f.debt[:] -= np.where(alive, principal, 0)
    f.debt_rate[:] = np.where(f.debt > 0, f.debt_rate, 0.0)

    # Collections: the receivables due this quarter come in; the rest move one quarter closer.
    due = np.where(alive, f.receivables[:, 0], 0)
    f.receive(slice(None), due, "collections.receivables")
    f.receivables[:, :-1] = f.receivables[:, 1:]
    f.receivables[:, -1] = 0

    profit = prod.revenue - costs - instalments
    tax = np.where(alive & (profit > 0), np.rint(profit * eco.tax_rate), 0).astype(np.int64)
    f.pay(slice(None), tax, "payments.tax")
    books.earn("cost.tax", slice(None), -tax)
    profit = np.where(alive, profit - tax, 0)
    f.revenue[:] = np.where(alive, prod.revenue, 0)
    f.profit[:] = profit
    f.profit_total[:] += profit


def follow_policy_rate(state: GameState, rules: Rules) -> None:
    """Move every bank rate and running loan with the central bank's path (level ``economy.policy_rates``).

    SME credit in Mexico is mostly priced at a spread over the interbank rate,
    which follows Banco de México's target (DD sections 3 and 8).
    """
    path = rules.economy.policy_rates
    q = state.quarter
    if len(path) < 2 or q < 2:
        return
    now, before = path[min(q, len(path)) - 1], path[min(q - 1, len(path)) - 1]
    delta = now - before
    if delta == 0:
        return
    f = state.firms
    state.rate_shift += delta
    f.debt_rate[:] = (f.debt_rate + delta).clip(0.0, None) * (f.debt > 0)
    for p in range(state.players):
        if f.alive[p]:
            state.explain(p, "finance.policy_rate", {"rate": now}, "info")


def audit_pass_chance(state: GameState, rules: Rules, firm: int, cert: int) -> float:
    """Chance the firm passes a certification's audit at its quality now."""
    margin = float(state.firms.cap[firm, QUALITY]) - float(rules.cert_min_quality[cert])
    return min(max(0.75 + 2.0 * margin, 0.4), 0.98)


RIVALRY = 0.15
"""Innovation odds gained with COMPETITORS_FOR_FULL_RIVALRY or more local competitors in the firm's part family
(seed paper: the enclave's lack of local competition dampens innovation; Cross-Clustering: strong competition
among district firms drives constant incremental innovation) [E]."""
COMPETITORS_FOR_FULL_RIVALRY = 4


def local_competitors(state: GameState, firm: int) -> int:
    """Other live local firms specialised in the firm's part family (0 if it has no specialty yet)."""
    f = state.firms
    family = int(f.specialty[firm])
    if family < 0:
        return 0
    return int(((f.specialty == family) & f.alive).sum()) - 1


def innovation_chance(state: GameState, rules: Rules, firm: int) -> float:
    """Chance an innovation project succeeds: people, university links, past innovation, local competitors."""
    f = state.firms
    uni = int(f.university[firm])
    strength = rules.level.institutions[uni].strength if uni >= 0 else 0.0
    competitors = local_competitors(state, firm)
    rivalry = RIVALRY * min(competitors, COMPETITORS_FOR_FULL_RIVALRY) / COMPETITORS_FOR_FULL_RIVALRY
    return float(np.clip(0.3 + 0.3 * f.cap[firm, HUMAN_CAPITAL] + 0.3 * strength + 0.2 * f.cap[firm, INNOVATION] + rivalry, 0.05, 0.95))


def certifications(state: GameState, rules: Rules) -> None:
    """Advance certification processes; audits at the end pass or fail (seeded)."""
    f = state.firms
    running = f.cert_left > 0
    if not running.any():
        return
    f.cert_left[running] -= 1
    done = running & (f.cert_left == 0)
    rng = state.rng.finance
    players = f.player_rows()
    firms_done, certs_done = done.nonzero()
    for i, cert in zip(firms_done.tolist(), certs_done.tolist(), strict=True):  # Python ints: cheaper indexes
        chance = audit_pass_chance(state, rules, i, cert)
        told = i in players  # only a player's firm is told why (GameState.explain)
        cid = rules.level.certifications[cert].id
        if rng.random() < chance:
            f.cert_held[i, cert] = True
            f.cert_cost_q[i, cert] = 0
            up = float(rules.level.certifications[cert].upgrade)
            if up > 0:
                # The system's tools (process control, problem solving, supplier audits) change how the plant runs.
                for col in (QUALITY, DELIVERY, MANAGEMENT):
                    raise_capability(state, i, col, up)
            if told:
                state.explain(i, "cert.granted", {"certification": cid}, "good", lever="capability")
        else:
            # Failed audit: one more quarter of corrective actions, paid again.
            f.cert_left[i, cert] = 1
            f.pay(i, int(f.cert_cost_q[i, cert]), "investments.certification_reaudit")
            if told:
                state.explain(i, "cert.failed", {"certification": cid, "chance": round(chance, 2)}, "bad", "internal")


def innovation(state: GameState, rules: Rules) -> None:
    """Finish innovation projects: success odds grow with people and university links."""
    f = state.firms
    running = f.innovation_left > 0
    if not running.any():
        return
    f.innovation_left[running] -= 1
    rng = state.rng.finance
    for i in np.flatnonzero(running & (f.innovation_left == 0)):
        uni = f.university[i]
        chance = innovation_chance(state, rules, int(i))
        if rng.random() < chance:
            raise_capability(state, int(i), INNOVATION, 0.2)
            raise_capability(state, int(i), TECHNOLOGY, 0.08)
            raise_capability(state, int(i), QUALITY, 0.03)
            lever = "cooperation" if uni >= 0 else "capability"
            state.explain(int(i), "innovation.success", {"chance": round(chance, 2)}, "good", lever=lever)
        else:
            raise_capability(state, int(i), INNOVATION, 0.05)
            family = "mixed" if uni < 0 else "internal"
            state.explain(int(i), "innovation.failed", {"chance": round(chance, 2), "university": bool(uni >= 0)}, "bad", family)


def programmes(state: GameState, rules: Rules) -> None:
    """Decide the programme applications due this quarter (seeded approval)."""
    rng = state.rng.finance
    keep = []
    f = state.firms
    for app in state.applications:
        if app.decide_quarter > state.quarter:
            keep.append(app)
            continue
        prog = rules.level.programmes[app.programme]
        if not f.alive[app.firm]:
            continue
        left = prog.budget - state.programme_spent[app.programme]
        approved = rng.random() < prog.approval_chance and left > 0
        grant = programme_grant(prog, app.project_cost, left)
        own = app.project_cost - grant
        if not approved:
            state.explain(app.firm, "programme.rejected", {"programme": prog.id}, "bad", "internal")
            continue
        if own > f.cash[app.firm]:
            state.explain(app.firm, "programme.no_cofinancing", {"programme": prog.id, "need": own}, "bad", "internal")
            continue
        state.programme_spent[app.programme] += grant
        f.pay(app.firm, own, "investments.programme_own_part")
        scale = app.project_cost / max(rules.economy.technology_cost, 1)
        i = app.firm
        f.renewed_quarter[i] = state.quarter
        if prog.supports == "technology":
            f.fixed_assets[i] += app.project_cost
            raise_capability(state, i, TECHNOLOGY, min(0.3, 0.15 * scale))
        elif prog.supports == "innovation":
            f.innovation_left[i] = max(int(f.innovation_left[i]), 3)
            raise_capability(state, i, INNOVATION, 0.05)
        elif prog.supports == "training":
            raise_capability(state, i, HUMAN_CAPITAL, min(0.25, 0.1 * app.project_cost / max(TrainStaff(f.ids[i]).cost(state, rules, i).now, 1)))
        elif prog.supports == "certification":
            raise_capability(state, i, QUALITY, 0.05)
        elif prog.supports == "capacity":
            f.capacity_pending[i] += int(app.project_cost / max(rules.economy.capacity_cost_per_unit, 1))
            f.fixed_assets[i] += app.project_cost
        state.explain(i, "programme.approved", {"programme": prog.id, "grant": grant, "own": own}, "good", lever="catalyst")
    state.applications = keep


def capacity_arrivals(state: GameState, rules: Rules) -> None:
    """Capacity bought last quarter comes on line; the firm hires to run it."""
    f = state.firms
    arriving = f.capacity_pending > 0
    if not arriving.any():
        return
    per_worker = np.divide(f.capacity, np.maximum(f.employees, 1)).astype(np.float64)
    hires = np.where(arriving, np.ceil(f.capacity_pending / np.maximum(per_worker, 1.0)), 0).astype(np.int64)
    f.capacity[:] += f.capacity_pending
    f.employees[:] += hires
    f.capacity_pending[:] = 0


SOLVENCY_CELLS = 8192
"""Firm-bank pairs whose loan terms :func:`solvency` computes in one matrix, at least 64 firms (bounded:
a large cluster has thousands of firms short of cash and of banks, though of few distinct terms)."""


def _distinct_banks(state: GameState, rules: Rules) -> list[int]:
    """The banks, the first of each set whose terms (``rules.institution_terms``) are the same:
    :func:`solvency` reads only the lowest rate and whether some bank has room for a need, which
    banks of the same terms offer alike (a large cluster has many banks of few kinds). Kept in
    ``state.memo`` for the rules."""
    memo = state.memo.get("distinct_banks")
    if memo is None or memo[0] is not rules:
        banks = rules.bank_indexes
        first: dict[bytes, int] = {}
        for b in banks:
            first.setdefault(rules.institution_terms[b].tobytes(), b)  # the same bits, the same terms
        memo = state.memo["distinct_banks"] = (rules, list(first.values()))
    return memo[1]


def solvency(state: GameState, rules: Rules) -> None:
    """Firms short of cash get an emergency line if collateral allows; otherwise bankruptcy."""
    f = state.firms
    short = (f.alive & (f.cash < 0)).nonzero()[0]  # np.flatnonzero of a row
    banks = _distinct_banks(state, rules)
    players = f.player_rows()
    failed = False
    # Every bank's terms for the firms short of cash, SOLVENCY_CELLS firm-bank pairs at a time, and each firm's
    # need: a firm's terms and cash read only its own figures, which no other firm's rescue or
    # bankruptcy changes; so the credit lines of a chunk are opened at once, and the firms without
    # one sell receivables or fail in row order (each firm's explanations in that order).
    chunk = max(64, SOLVENCY_CELLS // max(len(banks), 1))
    for start in range(0, len(short), chunk):
        rows = short[start : start + chunk]
        needs = -f.cash[rows]
        offered = np.zeros(len(rows), dtype=bool)
        lowest: list[float] = []
        rates_now: list[float] = []
        if banks:
            rates, rooms = loan_offer_matrix(state, rules, rows.tolist(), banks)
            # The lowest rate among banks with room for the need; the first such bank on a tie.
            enough = rooms >= needs[:, None]
            offered = np.logical_or.reduce(enough, axis=1)  # np.any's reduction
            lowest = rates.min(axis=1).tolist()
            rate = rates[np.arange(len(rows)), np.where(enough, rates, np.inf).argmin(axis=1)] + EMERGENCY_PREMIUM
            lend, need, rate = rows[offered], needs[offered], rate[offered]
            if lend.size:
                old = f.debt[lend]
                f.debt_rate[lend] = (f.debt_rate[lend] * old + rate * need) / (old + need)
                f.debt[lend] += need
                f.receive(lend, need, "financing.emergency_credit")
                rates_now = rate.tolist()
        lent = 0
        for r, (i, need_i, got) in enumerate(zip(rows.tolist(), needs.tolist(), offered.tolist(), strict=True)):
            if got:
                if i in players:  # only a player's firm is told why (GameState.explain)
                    state.explain(i, "finance.emergency_loan", {"amount": need_i, "rate": round(rates_now[lent], 4)}, "bad", "internal")
                lent += 1
            elif not (banks and _discount_receivables(state, i, need_i, lowest[r])):
                bankrupt(state, rules, i, recommit=False)
                failed = True
    if failed:
        f.committed[:] = committed_capacity(state, rules)


FACTOR_ADVANCE = 0.8
"""Share of an invoice's face a factor advances to a firm that sells it on its own (factoraje financiero
with recourse); the rest (the reserve) comes back when the customer pays [E]. Reverse factoring differs
because the large buyer confirms the payable and carries the credit risk (DD section 3: NAFIN Cadenas
Productivas), so its supplier is paid the whole invoice less the discount (``contracts.execute``)."""


def _discount_receivables(state: GameState, i: int, need: int, bank_rate: float) -> bool:
    """Sell receivables to a factor, nearest due first, to cover ``need``; True if they cover it.

    Factoraje financiero: the factor advances ``FACTOR_ADVANCE`` of each
    invoice now, less a discount at the firm's best bank rate (``bank_rate``) plus the
    emergency premium for the quarters it still had to run, and holds the
    rest as a reserve it pays back when the customer pays (it stays a
    receivable of the firm, due when it was). Used only when no credit line
    is enough. A firm carrying long receivables can raise at most
    ``FACTOR_ADVANCE`` of them: the squeeze of long payment terms.
    """
    f = state.firms
    faces = f.receivables[i].tolist()  # the firm's row, as Python integers (written back as changed)
    if ordered_sum(faces) <= 0:
        return False
    rate = bank_rate + EMERGENCY_PREMIUM
    raised = 0
    sold = 0
    held = 0
    for k, face in enumerate(faces):
        if face <= 0:
            continue
        net_per_peso = FACTOR_ADVANCE - rate * (k + 1) / 4.0
        if net_per_peso <= 0:
            break
        take = min(face, math.ceil((need - raised) / net_per_peso))
        reserve = int(take * (1.0 - FACTOR_ADVANCE))
        f.receivables[i, k] = face - (take - reserve)
        held += reserve
        got = int(take * net_per_peso)
        raised += got
        sold += take
        if raised >= need:
            break
    f.receive(i, raised, "financing.receivables_sold")
    state.explain(i, "finance.receivables_discounted", {"amount": sold, "cash": raised, "reserve": held, "rate": round(rate, 4)}, "bad", "internal")
    return raised >= need


def bankrupt(state: GameState, rules: Rules, i: int, recommit: bool = True) -> None:
    """The firm fails: out of its consortium, its contracts and offers; its partners share its work.
    ``recommit=False`` leaves the committed capacity to the caller (:func:`solvency`, once for all
    the firms that fail: the figures only depend on the contracts left)."""
    from game.core import cooperation

    f = state.firms
    f.alive[i] = False
    f.bankrupt_quarter[i] = state.quarter
    f.tier[i] = 4
    if f.consortium[i] >= 0:
        cooperation.leave(state, i)
    for c in state.contracts:
        if i in c.members:
            k = c.members.index(i)
            del c.members[k]
            share = c.shares.pop(k)
            if not c.members:
                c.active = False
            else:
                total = ordered_sum(c.shares) or 1.0
                c.shares = [s / total for s in c.shares]
                c.volume = int(c.volume * (1.0 - share))
        if c.subcontractor == i:
            c.subcontractor = -1
            c.subcontract_share = 0.0
    state.contracts = [c for c in state.contracts if c.active]
    state.offers = [o for o in state.offers if o.from_firm != i and o.to_firm != i]
    if recommit:
        f.committed[:] = committed_capacity(state, rules)
    state.explain(i, "finance.bankrupt", {"cash": int(f.cash[i]), "debt": int(f.debt[i])}, "bad", "internal")

