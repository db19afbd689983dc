"""Catalyst policies: which are active, whom they serve, what they pay for.

Policies are defined in the level (macro, micro or meta level; public or
lead-firm sponsor). Their effects are read here by the other rules, so a
rule never needs to know which policy produced an effect. Budgets are
spent through :func:`spend`, which never goes past what is left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.core.detmath import ordered_sum
from game.core.rules import Rules
from game.core.state import DELIVERY, MANAGEMENT, QUALITY, TECHNOLOGY, Contract, GameState

if TYPE_CHECKING:
    from game.core.level import PolicyEffect


def active_effects(state: GameState, rules: Rules, kind: str) -> list[tuple[int, PolicyEffect]]:
    """(policy index, effect) of every active policy effect of one kind, in level order.

    Kept in ``state.memo`` for the rules and the policies active (read by every firm's
    decisions many times a quarter); the list returned is shared: do not change it."""
    memo = state.memo.get("active_effects")
    if memo is None or memo[0] is not rules or memo[1] != state.policy_active:
        memo = (rules, list(state.policy_active), {})
        state.memo["active_effects"] = memo
    by_kind: dict[str, list[tuple[int, PolicyEffect]]] = memo[2]
    out = by_kind.get(kind)
    if out is None:
        out = by_kind[kind] = _active_effects(state, rules, kind)
    return out


def _active_effects(state: GameState, rules: Rules, kind: str) -> list[tuple[int, PolicyEffect]]:
    out = []
    for i, pol in enumerate(rules.level.policies):
        if state.policy_active[i]:
            for eff in pol.effects:
                if eff.kind == kind:
                    out.append((i, eff))
    return out


def eligible_mask(state: GameState, rules: Rules, policy: int) -> np.ndarray:
    """Which firms a policy serves (alive, small enough, capable enough, member if asked)."""
    el = rules.level.policies[policy].eligibility
    f = state.firms
    mask = f.alive & (f.employees <= el.max_employees) & (f.cap[:, QUALITY] >= el.min_quality)
    if el.association_member:
        mask &= f.association
    return mask


def eligible(state: GameState, rules: Rules, policy: int, firm: int) -> bool:
    el = rules.level.policies[policy].eligibility
    f = state.firms
    return bool(
        f.alive[firm]
        and f.employees[firm] <= el.max_employees
        and f.cap[firm, QUALITY] >= el.min_quality
        and (f.association[firm] or not el.association_member)
    )


def eligibility_failures(state: GameState, rules: Rules, policy: int, firm: int) -> list[str]:
    """Which of a policy's criteria the firm misses ("alive", "max_employees", "min_quality", "association_member")."""
    el = rules.level.policies[policy].eligibility
    f = state.firms
    out = []
    if not f.alive[firm]:
        out.append("alive")
    if f.employees[firm] > el.max_employees:
        out.append("max_employees")
    if f.cap[firm, QUALITY] < el.min_quality:
        out.append("min_quality")
    if el.association_member and not f.association[firm]:
        out.append("association_member")
    return out


def budget_left(state: GameState, rules: Rules, policy: int) -> int:
    budget = rules.level.policies[policy].budget
    if budget == 0:
        return 2**62
    return max(0, budget - state.policy_spent[policy])


def spend(state: GameState, rules: Rules, policy: int, amount: int) -> int:
    """Spend up to ``amount`` of a policy's budget; returns what was spent."""
    paid = min(int(amount), budget_left(state, rules, policy))
    state.policy_spent[policy] += paid
    return paid


def best_share(state: GameState, rules: Rules, kind: str, firm: int, cert: int | None = None) -> tuple[float, int]:
    """Largest ``share`` among active effects of ``kind`` serving ``firm`` with budget left."""
    best, best_policy = 0.0, -1
    cert_id = rules.level.certifications[cert].id if cert is not None else None
    for i, eff in active_effects(state, rules, kind):
        if cert_id is not None and eff.certifications and cert_id not in eff.certifications:
            continue
        if eff.share > best and eligible(state, rules, i, firm) and budget_left(state, rules, i) > 0:
            best, best_policy = eff.share, i
    return best, best_policy


def best_shares(state: GameState, rules: Rules, kind: str, rows: np.ndarray, certs: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`best_share` for many firms at once: (share, policy) arrays over ``rows``
    (with ``certs``, the certification each row asks about, -1 for none)."""
    n = len(rows)
    best = np.zeros(n, dtype=np.float64)
    policy = np.empty(n, dtype=np.int64)
    policy.fill(-1)  # (np.full: the same array, through a dearer Python function)
    for i, eff in active_effects(state, rules, kind):
        if eff.share <= 0 or budget_left(state, rules, i) <= 0:
            continue
        better = (eff.share > best) & eligible_mask(state, rules, i)[rows]
        if certs is not None:
            if eff.certifications:
                covered = np.array([rules.cert_index.get(c, -2) for c in eff.certifications], dtype=np.int64)
                better &= np.isin(certs, covered)
            better &= certs >= 0
        best = np.where(better, eff.share, best)
        policy = np.where(better, i, policy)
    return best, policy


def credit_guarantees(state: GameState, rules: Rules, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`credit_guarantee` of each firm of ``rows``: (shares, rate cuts) as float64 arrays."""
    share = np.zeros(len(rows), dtype=np.float64)
    cut = np.zeros(len(rows), dtype=np.float64)
    for i, eff in active_effects(state, rules, "credit_guarantee"):
        served = eligible_mask(state, rules, i)[rows]
        share = np.where(served, np.maximum(share, eff.share), share)
        cut = np.where(served, np.maximum(cut, eff.rate_cut), cut)
    return share, cut


def credit_guarantee(state: GameState, rules: Rules, firm: int) -> tuple[float, float]:
    """(share of collateral covered, rate cut) from active credit guarantees."""
    share, cut = 0.0, 0.0
    for i, eff in active_effects(state, rules, "credit_guarantee"):
        if eligible(state, rules, i, firm):
            share = max(share, eff.share)
            cut = max(cut, eff.rate_cut)
    return share, cut


def boost_mask(state: GameState, rules: Rules, kind: str) -> np.ndarray:
    """Per-firm sum of the ``boost`` of active effects of ``kind`` that serve it."""
    out = np.zeros(len(state.firms), dtype=np.float64)
    for i, eff in active_effects(state, rules, kind):
        if eff.boost > 0:
            out += eff.boost * eligible_mask(state, rules, i)
    return out


def boost_of(state: GameState, rules: Rules, kind: str, firm: int) -> float:
    """``boost_mask(state, rules, kind)[firm]``, for one firm without building the mask."""
    out = 0.0
    for i, eff in active_effects(state, rules, kind):
        if eff.boost > 0:
            out += eff.boost * (1.0 if eligible(state, rules, i, firm) else 0.0)
    return out


def supplier_development(state: GameState, rules: Rules, lead_firm: str | None = None) -> list[tuple[int, PolicyEffect]]:
    """Active supplier-development programmes (of one lead firm if given)."""
    return [
        (i, eff)
        for i, eff in active_effects(state, rules, "supplier_development")
        if lead_firm is None or eff.lead_firm == lead_firm
    ]


def local_content(state: GameState, rules: Rules, lead_firm: str) -> tuple[float, float]:
    """(cut in follow-source reserve, bonus to local bids) for one lead firm's chain."""
    cut, bonus = 0.0, 0.0
    for _, eff in active_effects(state, rules, "local_content_target"):
        if eff.lead_firm is None or eff.lead_firm == lead_firm:
            cut = max(cut, eff.share)
            bonus = max(bonus, eff.bonus)
    return cut, bonus


def reverse_factoring_rate(state: GameState, rules: Rules, lead_firm: str) -> float | None:
    """Yearly discount rate if the lead firm's chain has reverse factoring, else None."""
    rates = [eff.rate for _, eff in active_effects(state, rules, "reverse_factoring") if eff.lead_firm == lead_firm]
    return min(rates) if rates else None


def real_services(state: GameState, rules: Rules) -> bool:
    return bool(active_effects(state, rules, "real_services"))


def cross_clustering(state: GameState, rules: Rules) -> float:
    """Combined boost of active cross-clustering partnerships (0 if none)."""
    return ordered_sum(eff.boost for _, eff in active_effects(state, rules, "cross_clustering"))


def management_discount(state: GameState, rules: Rules, firm: int) -> float:
    """Share off management/consultancy costs from real services serving the firm."""
    best = 0.0
    for i, eff in active_effects(state, rules, "real_services"):
        if eligible(state, rules, i, firm):
            best = max(best, eff.share)
    return best


def management_discounts(state: GameState, rules: Rules, rows: np.ndarray) -> np.ndarray:
    """:func:`management_discount` of each firm of ``rows``."""
    best = np.zeros(len(rows), dtype=np.float64)
    for i, eff in active_effects(state, rules, "real_services"):
        best = np.where(eligible_mask(state, rules, i)[rows], np.maximum(best, eff.share), best)
    return best


def informed_mask(state: GameState, rules: Rules) -> np.ndarray:
    """Firms that hear about every call: linked to the cluster's information channels.

    Lack of information is the main reason SMEs give for staying out of value
    chains (ENAPROCE 2015, ~73%). Association members, firms in a
    supplier-development programme, firms with a university agreement, firms
    already supplying the chain and, where real services run, everyone, see
    all calls; others only see the public ones.
    """
    f = state.firms
    if real_services(state, rules):
        return f.alive.copy()
    informed = f.association | (f.supplier_dev >= 0) | (f.university >= 0) | (f.tier < 4)
    informed |= f.cap[:, MANAGEMENT] >= 0.7
    return informed & f.alive


def informed(state: GameState, rules: Rules, firm: int) -> bool:
    """Scalar form of :func:`informed_mask` for one firm."""
    f = state.firms
    if not f.alive[firm]:
        return False
    if real_services(state, rules):
        return True
    return bool(
        f.association[firm]
        or f.supplier_dev[firm] >= 0
        or f.university[firm] >= 0
        or f.tier[firm] < 4
        or f.cap[firm, MANAGEMENT] >= 0.7
    )


# -- supplier development: application windows, published criteria, cohorts ----------------


def sd_window(eff: PolicyEffect, quarter: int) -> tuple[bool, int, int]:
    """(window open now, quarter the current or next window opens, quarter it closes).

    Windows open in ``window_opens`` and again every ``term_quarters``; each
    stays open ``window_quarters``. The cohort chosen at a window's close is
    mentored for the ``term_quarters`` after it, so cohorts follow each other.
    """
    first, term, length = int(eff.window_opens), max(int(eff.term_quarters), 1), int(eff.window_quarters)
    if quarter < first:
        return False, first, first + length - 1
    k = (quarter - first) % term
    start = quarter - k
    if k < length:
        return True, start, start + length - 1
    return False, start + term, start + term + length - 1


def sd_mentored_mask(state: GameState, rules: Rules, policy: int, term: int) -> np.ndarray:
    """Firms a supplier-development programme mentors this quarter (its current cohort)."""
    f = state.firms
    q = state.quarter
    return f.alive & (f.supplier_dev == policy) & (f.sd_since >= 0) & (f.sd_since <= q) & (q < f.sd_since + term)


def sd_criteria(state: GameState, rules: Rules, eff: PolicyEffect, firms: np.ndarray) -> np.ndarray:
    """The programme's published ranking: mean of quality, delivery and management,
    plus ``cert_weight`` for each certification held."""
    f = state.firms
    caps = f.cap[firms][:, [QUALITY, DELIVERY, MANAGEMENT]]
    held = f.cert_held[firms].sum(axis=1).astype(np.float64)
    return (caps[:, 0] + caps[:, 1] + caps[:, 2]) / 3.0 + float(eff.cert_weight) * held


def supplier_development_round(state: GameState, rules: Rules) -> None:
    """Close application windows: award the seats by the published criteria; graduate finished cohorts.

    Runs in the resolution of every quarter. At a window's close, applicants
    still eligible are ranked by :func:`sd_criteria` (ties: lower firm index,
    a fixed rule); the best fill the seats not held by a cohort still being
    mentored. When had they applied does not matter, only the criteria.
    """
    f = state.firms
    q = state.quarter
    for p, eff in supplier_development(state, rules):
        pid = rules.level.policies[p].id
        term = int(eff.term_quarters)
        # Graduation: the cohort's last mentored quarter is this one.
        done = f.alive & (f.supplier_dev == p) & (f.sd_since >= 0) & (f.sd_since + term - 1 == q)
        for i in np.flatnonzero(done):
            state.explain(int(i), "sd.graduated", {"policy": pid}, "info", lever="catalyst")
        is_open, _, closes = sd_window(eff, q)
        if not (is_open and closes == q):
            continue
        applied = f.alive & (f.sd_applied == p)
        still = applied & eligible_mask(state, rules, p)
        for i in np.flatnonzero(applied & ~still):
            state.explain(int(i), "sd.not_eligible", {"policy": pid}, "bad", "external")
        cand = np.flatnonzero(still)
        mentored_next = int((f.alive & (f.supplier_dev == p) & (f.sd_since >= 0) & (f.sd_since <= q + 1) & (q + 1 < f.sd_since + term)).sum())
        free = max(int(eff.seats) - mentored_next, 0)
        if len(cand):
            score = sd_criteria(state, rules, eff, cand)
            order = sorted(range(len(cand)), key=lambda k: (-float(score[k]), int(cand[k])))
            chosen = [int(cand[k]) for k in order[:free]]
            # With no seat free the cut-off is above the best applicant (reported as the best score).
            cutoff = float(score[order[len(chosen) - 1]]) if chosen else float(score[order[0]])
            _, next_open, _ = sd_window(eff, q + 1)
            for rank, k in enumerate(order):
                firm = int(cand[k])
                mine, cut, n_app = round(float(score[k]), 3), round(cutoff, 3), len(cand)
                if firm in chosen:
                    f.supplier_dev[firm] = p
                    f.sd_since[firm] = q + 1
                    state.explain(
                        firm, "sd.selected",
                        {"policy": pid, "score": mine, "cutoff": cut, "rank": rank + 1, "applicants": n_app, "quarters": term},
                        "good", lever="catalyst",
                    )
                    development_order(state, rules, p, eff, firm)
                else:
                    state.explain(
                        firm, "sd.not_selected",
                        {"policy": pid, "score": mine, "cutoff": cut, "rank": rank + 1, "applicants": n_app, "seats": free, "next": next_open},
                        "bad", "external",
                    )
        f.sd_applied[applied] = -1
        state.supplier_dev_seats[p] = max(free - min(free, len(cand)), 0)


DEV_ORDER_SHARE = 0.09
"""Capacity a development order takes: the sponsor buys this share of a mentored firm's plant a quarter
(in units of its part family's complexity) for the programme's first yearly stage [E]. Arráiz, Henríquez &
Stucchi 2013 (DD section 5): participants' sales rise +16% in year 1, +11.2% in year 2 and +8.5% in year 3;
the sponsor's orders are what shows at once, and they end with the stage, so the effect fades to what the
firm keeps (its crew, capabilities, contracts won on calls)."""
DEV_ORDER_QUARTERS = 4
"""A development order runs the programme's first yearly stage (at most the cohort's term): Chile's programme
funds implementation in yearly stages after the diagnosis (DD section 4); the mentoring and the bid
preference go on to the term's end."""
DEV_ORDER_CREW = 0.3
"""Workers a firm hires for a development order, as a share of the order's capacity at its plant's capacity
per worker: the sponsor's part runs on a cell with its own trained operators, about a third of them new hires
(the rest come from a plant that runs half idle outside the chain), who stay when the order ends (Arráiz et
al., DD section 5: participants' employment +8-9.6%; here about +4%) [E]."""
SD_PROMPT_PAYMENT = 0.095
"""Yearly discount at which a programme's sponsor pays its participants' invoices on its chain at once, from
their selection on (during the term and after it): the sponsor enrols the suppliers it develops in its
supply-chain finance, as NAFIN's Cadenas Productivas does "para el desarrollo de proveedores" (DD section 3:
the buyer confirms the payable and carries the credit risk; discount about a buyer-grade rate + 1-3 pp, here
Bajío's reverse-factoring rate) [E]. A cash cushion: Arráiz et al. find participants' survival +2-2.6 pp."""
DEV_ORDER_MARGIN = 0.2
"""A development order's price over the part's unit cost: the low end of tier-3 target margins (levels' 0.18-0.3) [E]."""
DEV_ORDER_PREFIX = "sd:"
"""A development order's ``rfq_id`` is this prefix and the programme's id (it answers no call)."""


def development_order(state: GameState, rules: Rules, policy: int, eff: PolicyEffect, firm: int) -> Contract | None:
    """The sponsor's order to a firm entering its programme's cohort: tier-3 work for the cohort's term.

    In Chile's supplier-development programme the sponsor develops firms that
    supply it (DD section 4): mentoring happens on real orders. The order is a
    tier-3 contract of the sponsor for ``DEV_ORDER_SHARE`` of the firm's
    capacity, in its specialty if its technology allows, else in the simplest
    part family it can make; priced ``DEV_ORDER_MARGIN`` over the unit cost,
    paid on the sponsor's terms, scored on its tier-3 scorecard (three bad
    quarters lose it), never dropped without notice, and it ends with the term.
    It does not make the firm an approved supplier (``best_tier`` moves only
    on calls won).
    """
    f = state.firms
    lead = eff.lead_firm
    if lead is None or lead not in rules.lead_index:
        return None
    tech = float(f.cap[firm, TECHNOLOGY])
    makeable = [k for k in range(len(rules.part_complexity)) if float(rules.part_min_technology[k]) <= tech]
    if not makeable:
        return None
    spec = int(f.specialty[firm])
    part = spec if spec in makeable else min(makeable, key=lambda k: (float(rules.part_complexity[k]), k))
    complexity = float(rules.part_complexity[part])
    free = max(float(f.capacity[firm]) - float(f.committed[firm]), 0.0)
    volume = int(min(DEV_ORDER_SHARE * float(f.capacity[firm]), free) / complexity)
    if volume <= 0:
        return None
    req = rules.requirements(lead, 3)
    lf = rules.level.lead_firms[rules.lead_index[lead]]
    term = min(max(int(eff.term_quarters), 1), DEV_ORDER_QUARTERS)
    q = state.quarter
    contract = Contract(
        id=f"c{state.next_contract}",
        rfq_id=f"{DEV_ORDER_PREFIX}{rules.level.policies[policy].id}",
        issuer=lead,
        lead_firm=lead,
        tier=3,
        part_family=part,
        volume=volume,
        price=int(round(int(rules.part_unit_cost[part]) * (1.0 + DEV_ORDER_MARGIN))),
        payment_days=int(lf.payment_days),
        start_quarter=q + 1,
        end_quarter=q + term,
        max_ppm=int(req.max_ppm),
        min_on_time=float(req.min_on_time),
        members=[firm],
        shares=[1.0],
    )
    state.next_contract += 1
    state.contracts.append(contract)
    f.committed[firm] += volume * complexity
    # The order's cell gets its own operators: the plant's capacity per worker sets how many.
    per_worker = max(float(f.capacity[firm]) / max(int(f.employees[firm]), 1), 1.0)
    crew = int(np.ceil(DEV_ORDER_CREW * volume * complexity / per_worker))
    f.employees[firm] += crew
    state.explain(
        firm, "sd.order",
        {"policy": rules.level.policies[policy].id, "volume": volume, "part_family": rules.level.part_families[part].id, "price": contract.price, "until": contract.end_quarter, "days": contract.payment_days, "crew": crew},
        "good", lever="catalyst",
    )
    return contract


def prompt_payment_rate(state: GameState, rules: Rules, lead_firm: str, firm: int) -> float | None:
    """Yearly discount at which ``lead_firm`` pays ``firm`` at once as its supplier-development sponsor
    (``SD_PROMPT_PAYMENT``), if the firm was chosen for one of its programmes; else None."""
    f = state.firms
    p = int(f.supplier_dev[firm])
    if p < 0 or not state.policy_active[p] or int(f.sd_since[firm]) < 0:
        return None
    for eff in rules.level.policies[p].effects:
        if eff.kind == "supplier_development" and eff.lead_firm == lead_firm:
            return SD_PROMPT_PAYMENT
    return None


def sd_open_seats(state: GameState, rules: Rules, policy: int, eff: PolicyEffect) -> int:
    """Seats the next cohort of a programme will have (the current cohort's seats free up at its end)."""
    q = state.quarter
    _, _, closes = sd_window(eff, q)
    f = state.firms
    term = int(eff.term_quarters)
    busy = int((f.alive & (f.supplier_dev == policy) & (f.sd_since >= 0) & (f.sd_since <= closes + 1) & (closes + 1 < f.sd_since + term)).sum())
    return max(int(eff.seats) - busy, 0)

