"""Level objectives and the final balanced scorecard."""

from __future__ import annotations

from typing import Any

import numpy as np

from game.core import ledger
from game.core.detmath import ordered_sum
from game.core.rfq import net_position
from game.core.rules import TIER_NUMBER, Rules
from game.core.state import Explanation, GameState


def _condition_true(state: GameState, rules: Rules, firm: int, cond) -> bool:  # noqa: ANN001
    f = state.firms
    if cond.kind == "reach_tier":
        return int(f.best_tier[firm]) <= TIER_NUMBER[cond.tier.value]
    if cond.kind == "hold_certification":
        return bool(f.cert_held[firm, rules.cert_index[cond.certification]])
    if cond.kind == "min_cash":
        # The net position, as a call's solvency minimum judges it (rfq.net_position): money borrowed
        # to show cash does not meet it, money customers owe does (issue 7 F16).
        return int(net_position(state, np.array([firm]))[0]) >= cond.amount
    if cond.kind == "local_share":
        return state.metrics.local_share >= cond.amount
    if cond.kind == "contracts":
        return ordered_sum(1 for c in state.contracts if firm in c.members) >= cond.amount
    raise ValueError(cond.kind)


def check_objectives(state: GameState, rules: Rules) -> None:
    """Record the quarter each player first meets each condition (within its deadline)."""
    conds = rules.level.objective.conditions
    for p in range(state.players):
        if not state.firms.alive[p]:
            continue
        for k, cond in enumerate(conds):
            if state.objective_met[p][k]:
                continue
            if cond.by_quarter is not None and state.quarter > cond.by_quarter:
                continue
            if _condition_true(state, rules, p, cond):
                state.objective_met[p][k] = state.quarter


HEALTH_JUDGED = frozenset({"tutorial"})
"""Levels whose objective also asks for a healthy firm (:func:`health`). The tutorial teaches the money,
so a tier won on emergency credit does not pass it; the other levels keep the objective their files
state (their results, and the facts measured on them, are unchanged). Every level reports its health."""


def objective_met(state: GameState, rules: Rules, firm: int) -> bool:
    """The level's conditions are met (and the firm solvent, if the level asks); in the tutorial,
    the firm must also be healthy (:func:`health`): a tier won on emergency credit is no lesson."""
    met = all(q > 0 for q in state.objective_met[firm])
    if rules.level.objective.stay_solvent and not state.firms.alive[firm]:
        return False
    if met and rules.level.id in HEALTH_JUDGED and health(state, rules, firm):
        return False
    return met


def health(state: GameState, rules: Rules, firm: int) -> list[Explanation]:
    """What went wrong with a player's money, from its books: each as an Explanation with its barrier.

    - ``health.emergency_credit``: the firm ran out of cash and lived on the bank's emergency line (or
      sold its receivables to a factor): working capital, an internal barrier (financial capital).
    - ``health.losses``: cumulative profit below zero: costs above what the firm sells, internal.
    - ``health.all_contracts_lost``: every contract it won was lost to strikes or dropped: lost to
      strikes is internal (delivery and quality below the customer's scorecard), dropped is external.
    Empty when the firm is healthy.
    """
    f = state.firms
    quarters = ledger.quarters(state, firm)
    out: list[Explanation] = []
    rescued = [q for q in quarters if q["cash_flows"].get("financing.emergency_credit") or q["cash_flows"].get("financing.receivables_sold")]
    if rescued:
        amount = ordered_sum(q["cash_flows"].get("financing.emergency_credit", 0) + q["cash_flows"].get("financing.receivables_sold", 0) for q in rescued)
        out.append(Explanation(state.quarter, firm, "health.emergency_credit", {"amount": int(amount), "quarter": int(rescued[0]["quarter"]), "quarters": len(rescued)}, "bad", "internal"))
    if int(f.profit_total[firm]) < 0:
        out.append(Explanation(state.quarter, firm, "health.losses", {"profit": int(f.profit_total[firm])}, "bad", "internal"))
    events = {k: ordered_sum(q.get("contract_events", {}).get(k, 0) for q in quarters) for k in ("won", "lost", "dropped")}
    if events["won"] > 0 and events["lost"] + events["dropped"] >= events["won"]:
        family = "internal" if events["lost"] >= events["dropped"] else "external"
        out.append(Explanation(state.quarter, firm, "health.all_contracts_lost", {"won": events["won"], "lost": events["lost"], "dropped": events["dropped"]}, "bad", family))
    return out


def balanced_scorecard(state: GameState, rules: Rules, firm: int) -> dict[str, Any]:
    """Survival, tier, profit, capabilities, links and jobs, each in [0, 1], and a 0-100 total."""
    f = state.firms
    w = rules.level.score_weights
    tier = int(f.best_tier[firm])
    links = [
        bool(f.association[firm]),
        bool(f.university[firm] >= 0),
        bool(f.consortium[firm] >= 0),
        bool(f.supplier_dev[firm] >= 0),
        any(c.subcontractor == firm or (firm in c.members and c.subcontractor >= 0) for c in state.contracts),
    ]
    parts = {
        "survival": 1.0 if f.alive[firm] else 0.0,
        "tier": {1: 1.0, 2: 2 / 3, 3: 1 / 3}.get(tier, 0.0),
        "profit": float(np.clip(0.5 + 0.5 * f.profit_total[firm] / max(int(f.start_cash[firm]), 1), 0.0, 1.0)),
        "capabilities": float(f.cap[firm].mean()),
        "links": ordered_sum(links) / len(links),
        "jobs": float(np.clip(f.employees[firm] / max(int(f.start_employees[firm]), 1) - 0.5, 0.0, 1.0)),
    }
    weights = w.model_dump()
    total_w = ordered_sum(weights.values()) or 1.0
    total = ordered_sum(parts[k] * weights[k] for k in parts) / total_w
    if not f.alive[firm]:
        total = bankrupt_total(parts, weights)
    return {**{k: round(v, 4) for k, v in parts.items()}, "total": round(100.0 * total, 1)}


BANKRUPT_CEILING = 0.9
"""A bankrupt firm's total stays under this share of the least any survivor scores (docs/levels.md 5.15)."""


def bankrupt_total(parts: dict[str, float], weights: dict[str, float]) -> float:
    """A bankrupt firm's total in [0, 1]: below every survivor's, whatever else it reached.

    A survivor scores at least its survival part (its weight's share of the total, every other part
    at zero). A bankrupt firm's other parts are scored as usual and scaled into ``BANKRUPT_CEILING``
    of that floor: among bankrupt firms the one that got further ranks higher, but none passes a firm
    still in business (issue 7 F8: a tier won on borrowed money and lost in bankruptcy is no success).
    """
    total_w = ordered_sum(weights.values()) or 1.0
    floor = weights["survival"] / total_w
    rest_w = total_w - weights["survival"]
    rest = ordered_sum(parts[k] * weights[k] for k in parts if k != "survival") / rest_w if rest_w > 0 else 0.0
    return BANKRUPT_CEILING * floor * rest
