"""The facilitator's actions in a workshop: switch a policy, inject an event,
note a quarter, decide a late team's quarter with a computer strategy.

Like player actions they are frozen, serialisable, validated purely and
recorded in replays, so a whole workshop replays headless to the same
hashes. Policy switches and injected events take effect at the start of the
next quarter; the reports and the debrief timeline show them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from game.core.actions import ACTION_TYPES, Action, Refusal, dataclass_from_dict
from game.core.rng import derived
from game.core.rules import Rules
from game.core.state import KIND_PLAYER, Explanation, GameState

FACILITATOR = "facilitator"
MAX_NOTE = 500


@dataclass(frozen=True)
class FacilitatorAction:
    """Base of the facilitator's actions (not tied to a firm)."""

    kind: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, **dataclasses.asdict(self)}


@dataclass(frozen=True)
class SwitchPolicy(FacilitatorAction):
    kind: ClassVar[str] = "facilitator.switch_policy"
    policy: str
    on: bool


@dataclass(frozen=True)
class InjectEvent(FacilitatorAction):
    kind: ClassVar[str] = "facilitator.inject_event"
    event: str


@dataclass(frozen=True)
class QuarterNote(FacilitatorAction):
    kind: ClassVar[str] = "facilitator.note"
    text: str


@dataclass(frozen=True)
class TeamTimedOut(FacilitatorAction):
    """The team ran out of time: the chosen computer strategy decides its quarter."""

    kind: ClassVar[str] = "facilitator.timed_out"
    firm: str
    strategy: str


FACILITATOR_TYPES: dict[str, type[FacilitatorAction]] = {
    cls.kind: cls for cls in (SwitchPolicy, InjectEvent, QuarterNote, TeamTimedOut)
}

AnyAction = Action | FacilitatorAction


def any_action_from_dict(data: Any) -> AnyAction:
    """A player's or the facilitator's action from its dict form."""
    action: AnyAction = dataclass_from_dict(data, {**ACTION_TYPES, **FACILITATOR_TYPES})
    return action


def validate(state: GameState, rules: Rules, action: FacilitatorAction) -> Refusal | None:
    """Pure check of a facilitator action."""
    if state.finished:
        return Refusal("refused.game_over")
    if isinstance(action, SwitchPolicy):
        if action.policy not in rules.policy_index:
            return Refusal("refused.unknown_policy", {"policy": action.policy})
        k = rules.policy_index[action.policy]
        current = state.pending_policies.get(action.policy, state.policy_active[k])
        if current == action.on:
            return Refusal("refused.no_change")
        return None
    if isinstance(action, InjectEvent):
        if action.event not in rules.event_index:
            return Refusal("refused.unknown_event", {"event": action.event})
        if action.event in state.pending_events:
            return Refusal("refused.event_pending", {"event": action.event})
        return None
    if isinstance(action, QuarterNote):
        if not action.text.strip() or len(action.text) > MAX_NOTE:
            return Refusal("refused.bad_note", {"max": MAX_NOTE})
        return None
    if isinstance(action, TeamTimedOut):
        from game.core.strategies import STRATEGY_FUNCTIONS

        try:
            i = state.firms.index(action.firm)
        except ValueError:
            return Refusal("refused.unknown_firm", {"firm": action.firm})
        if state.firms.kind[i] != KIND_PLAYER or not state.firms.alive[i]:
            return Refusal("refused.unknown_firm", {"firm": action.firm})
        if action.strategy not in STRATEGY_FUNCTIONS:
            return Refusal("refused.unknown_strategy", {"strategy": action.strategy})
        return None
    return Refusal("refused.unknown_action")


def _mark(state: GameState, kind: str, **data: Any) -> None:
    state.timeline.append({"quarter": state.quarter, "kind": kind, **data})


def apply(state: GameState, rules: Rules, action: FacilitatorAction) -> None:
    """Run a valid facilitator action (raises InvalidAction otherwise)."""
    from game.core.actions import InvalidAction

    refusal = validate(state, rules, action)
    if refusal is not None:
        raise InvalidAction(refusal)
    state.log.append({"quarter": state.quarter, "firm": -1, "action": action.to_dict()})
    if isinstance(action, SwitchPolicy):
        state.pending_policies[action.policy] = action.on
    elif isinstance(action, InjectEvent):
        state.pending_events.append(action.event)
    elif isinstance(action, QuarterNote):
        _mark(state, "note", text=action.text.strip())
    elif isinstance(action, TeamTimedOut):
        _decide_for(state, rules, action)


def _decide_for(state: GameState, rules: Rules, action: TeamTimedOut) -> None:
    """Let a computer strategy take the team's remaining decisions this quarter.

    Its generator is seeded from the game seed, the quarter and the team, not
    drawn from the game's streams, so the replay only needs this one action.
    """
    from game.core import actions as player_actions
    from game.core.strategies import STRATEGY_FUNCTIONS

    i = state.firms.index(action.firm)
    rng = derived(state.seed, state.quarter, i, 104729)
    taken = 0
    for a in STRATEGY_FUNCTIONS[action.strategy](state, rules, i, rng):
        if state.firms.action_points[i] <= 0:
            break
        if player_actions.validate(state, rules, a) is None:
            player_actions.apply(state, rules, a)
            taken += 1
    state.explanations.append(
        Explanation(state.quarter, i, "facilitator.timed_out", {"strategy": action.strategy, "actions": taken}, "info")
    )
    _mark(state, "timeout", firm=action.firm, strategy=action.strategy)


def begin_quarter(state: GameState, rules: Rules) -> list[int]:
    """Apply what the facilitator queued last quarter; returns event indexes to fire now."""
    for pid, on in sorted(state.pending_policies.items()):
        state.policy_active[rules.policy_index[pid]] = on
        state.explanations.append(
            Explanation(state.quarter, -1, "facilitator.policy_switched", {"policy": pid, "on": on}, "good" if on else "info", None, "catalyst" if on else None)
        )
        _mark(state, "policy", policy=pid, on=on)
    state.pending_policies = {}
    fire = [rules.event_index[e] for e in state.pending_events]
    state.pending_events = []
    return fire


__all__ = ["ACTION_TYPES", "FACILITATOR_TYPES", "AnyAction", "InjectEvent", "QuarterNote", "SwitchPolicy", "TeamTimedOut", "any_action_from_dict", "apply", "begin_quarter", "validate"]
