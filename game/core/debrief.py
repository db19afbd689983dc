"""Debrief analysis: what mattered most to each team, from a session's reports.

Pure functions over the quarterly reports and state history, shared by the
export and the window's debrief screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core.engine import QuarterReport
from game.core.state import Explanation

# How much each kind of outcome weighs before its money is counted: turning
# points (entering the chain, losing a contract, bankruptcy) outrank routine.
WEIGHT = {
    "finance.bankrupt": 1e12,
    "rfq.won": 4.0,
    "contract.lost": 6.0,
    "contract.dropped": 6.0,
    "cert.granted": 3.0,
    "cert.failed": 2.0,
    "consortium.dissolved": 3.0,
    "consortium.free_riding": 1.5,
    "finance.emergency_loan": 1.5,
    "finance.receivables_discounted": 1.5,
    "programme.approved": 2.0,
    "programme.rejected": 1.0,
    "rfq.lost_follow_source": 1.0,
    "rfq.lost_local": 0.8,
    "contract.bad_scorecard": 1.2,
    "contract.audit_failed": 1.5,
    "innovation.success": 2.0,
    "facilitator.timed_out": 2.0,
    "event.fired": 1.0,
}
ROUTINE: frozenset[str] = frozenset(
    {
        "done.train_staff",
        "done.adopt_practices",
        "done.bid",
        "done.repay_loan",
        "done.decline_invitation",
        "done.invite_to_consortium",
        "done.offer_subcontract",
        "done.free_ride",
    }
)
"""Decisions a firm takes as a matter of course: never a key moment on their own (their
effect shows in the outcomes that follow: a contract won, a certification granted)."""
DECISION_WEIGHT = 0.5
"""A structural decision (a certification started, a consortium founded, a loan, capacity)
weighs half as much as an outcome of the same money: the outcome is what changed the game."""
BASE_IMPACT = 200_000.0
"""Pesos-equivalent of an outcome that names no money (a certification, an event)."""


@dataclass(frozen=True)
class Moment:
    quarter: int
    explanation: Explanation
    impact: float


def _money(e: Explanation) -> float:
    p = e.params
    if e.key == "rfq.won":
        return float(p.get("volume", 0)) * float(p.get("price", 0)) * 4  # a year of the contract
    for key in ("revenue", "amount", "grant", "cost", "penalty", "need"):
        value = p.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(abs(value))
    return 0.0


def key_moments(reports: list[QuarterReport], firm: int, n: int = 3) -> list[Moment]:
    """The ``n`` decisions or events that mattered most to one firm, in quarter order.

    Weighs each explanation by its effect on the outcome: its kind and its money.
    Routine decisions (training, practices, a bid placed; :data:`ROUTINE`) and
    routine notes (a quarter delivered as agreed) are left out, and a structural
    decision weighs half an outcome of the same money. The most important
    outcome of each kind is taken first, then the next most important of any
    kind. Ties go to the earlier quarter.
    """
    scored: list[Moment] = []
    for rep in reports:
        for e in rep.explanations:
            if e.firm not in (firm, -1):
                continue
            weight = WEIGHT.get(e.key)
            if weight is None:
                if not e.key.startswith("done.") or e.key in ROUTINE:
                    continue
                weight = DECISION_WEIGHT  # a structural decision: weighs by what it cost
            impact = weight * max(_money(e), BASE_IMPACT)
            scored.append(Moment(rep.quarter, e, impact))
    scored.sort(key=lambda m: (-m.impact, m.quarter, m.explanation.key))
    # One moment of each kind first (a win, a setback, a decision...), so the
    # debrief tells a story rather than repeating the biggest kind three times.
    out: list[Moment] = []
    kinds: set[str] = set()
    for m in scored:
        if m.explanation.key not in kinds:
            kinds.add(m.explanation.key)
            out.append(m)
            if len(out) == n:
                break
    for m in scored:
        if len(out) == n:
            break
        if m not in out:
            out.append(m)
    return sorted(out, key=lambda m: (m.quarter, -m.impact))
