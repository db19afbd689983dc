"""Events: scheduled or seeded shocks from the level, and injected ones.

Events fire at the start of a quarter, so the briefing can announce them and
players can react before the quarter resolves.
"""

from __future__ import annotations

from game.core.rules import Rules
from game.core.state import HUMAN_CAPITAL, KIND_PLAYER, MANAGEMENT, Explanation, GameState, Modifier

EFFECT_FAMILY = {
    "demand_shift": "external",
    "exchange_rate": "external",
    "supply_disruption": "external",
    "audit": "external",
    "payment_terms": "external",
    "key_staff_leaves": "internal",
    "interest_rate": "internal",
    "labour_squeeze": "mixed",
}
"""Barrier family each kind of shock belongs to (new lead firms and content rules open doors instead)."""


def _harm(kind: str, eff) -> int:  # noqa: ANN001 - an EventEffect
    """+1 if the effect hurts local firms, -1 if it helps them, 0 if it is mixed or neutral."""
    if kind == "demand_shift":
        return 1 if eff.factor < 1 else (-1 if eff.factor > 1 else 0)
    if kind == "exchange_rate":
        return 0  # dearer imported inputs, but dearer follow-source parts too
    if kind == "payment_terms":
        return 1 if eff.days > 0 else (-1 if eff.days < 0 else 0)
    if kind == "interest_rate":
        return 1 if eff.amount > 0 else (-1 if eff.amount < 0 else 0)
    if kind == "labour_squeeze":
        return 1 if eff.factor > 1 else (-1 if eff.factor < 1 else 0)
    if kind == "supply_disruption":
        return 1 if eff.factor < 1 else 0
    if kind in ("audit", "key_staff_leaves"):
        return 1
    return -1  # new lead firms and content rules open doors


def due(state: GameState, rules: Rules) -> list[int]:
    """Indexes of the level's events that fire this quarter (scheduled, then drawn)."""
    out = []
    rng = state.rng.events
    for k, ev in enumerate(rules.level.events):
        if state.events_fired[k]:
            continue
        if ev.quarter is not None:
            if ev.quarter == state.quarter:
                out.append(k)
        elif ev.chance > 0 and ev.from_quarter <= state.quarter <= ev.to_quarter and rng.random() < ev.chance:
            out.append(k)
    return out


def fire(state: GameState, rules: Rules, k: int, injected: bool = False) -> None:
    """Apply one event's effects now."""
    ev = rules.level.events[k]
    state.events_fired[k] = True
    q = state.quarter
    f = state.firms
    family = None
    lever = None
    harm = 0
    for eff in ev.effects:
        until = q + eff.duration - 1
        kind = eff.kind.value
        h = _harm(kind, eff)
        harm += h
        if h > 0:
            family = family or EFFECT_FAMILY.get(kind)
        if kind == "demand_shift":
            state.modifiers.append(Modifier("demand", eff.factor, until, ev.id))
        elif kind == "exchange_rate":
            state.fx *= eff.factor
        elif kind == "new_lead_firm":
            assert eff.lead_firm is not None  # the loader requires it
            k = rules.lead_index[eff.lead_firm]
            if not state.lead_firm_active[k]:
                from game.core.rfq import baseline_chain

                state.lead_firm_active[k] = True
                baseline_chain(state, rules, k)
            lever = "catalyst"
        elif kind == "content_rule":
            state.follow_source_share = [max(0.0, s - eff.amount) for s in state.follow_source_share]
            lever = "catalyst"
        elif kind == "supply_disruption":
            state.modifiers.append(Modifier("capacity", eff.factor, until, ev.id))
        elif kind == "audit":
            state.modifiers.append(Modifier("audit", 1.0, q, f"{ev.id}:{eff.lead_firm or '*'}"))
        elif kind == "key_staff_leaves":
            players = f.kind == KIND_PLAYER
            loss = abs(eff.amount) or 0.1
            f.cap[players, HUMAN_CAPITAL] = (f.cap[players, HUMAN_CAPITAL] * (1.0 - loss)).clip(0.05, 1.0)
            f.cap[players, MANAGEMENT] = (f.cap[players, MANAGEMENT] * (1.0 - loss / 2)).clip(0.05, 1.0)
            f.employees[players] = (f.employees[players] - 1).clip(1, None)
        elif kind == "payment_terms":
            state.payment_shift += eff.days
            for c in state.contracts:
                c.payment_days = max(0, c.payment_days + eff.days)
        elif kind == "interest_rate":
            state.rate_shift += eff.amount
            f.debt_rate[:] = (f.debt_rate + eff.amount).clip(0.0, None) * (f.debt > 0)
        elif kind == "labour_squeeze":
            state.modifiers.append(Modifier("wages", eff.factor, until, ev.id))
    tone = "bad" if harm > 0 else ("good" if harm < 0 else "info")
    state.timeline.append({"quarter": q, "kind": "event", "event": ev.id, "injected": injected})
    state.explanations.append(
        Explanation(q, -1, "event.fired", {"event": ev.id, "injected": injected}, tone, family if tone == "bad" else None, lever if tone == "good" else None)
    )


def expire(state: GameState) -> None:
    """Drop modifiers whose time is over."""
    state.modifiers = [m for m in state.modifiers if m.until_quarter >= state.quarter]
