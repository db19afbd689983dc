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

from game.core.actions import (
    ACTION_TYPES,
    Action,
    InvalidAction,
    Refusal,
    dataclass_from_dict,
)
from game.core.decisions.base import text_refusal
from game.core.rng import derived
from game.core.rules import Rules
from game.core.state import KIND_PLAYER, Explanation, GameState
from game.core.strategies import STRATEGY_NAMES, play_quarter

FACILITATOR = "facilitator"
MAX_NOTE = 500


def _mark(state: GameState, kind: str, **data: Any) -> None:
    state.timeline.append({"quarter": state.quarter, "kind": kind, **data})


@dataclass(frozen=True)
class FacilitatorAction:
    """Base of the facilitator's actions (not tied to a firm): a ``check`` and an ``execute``."""

    kind: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, **dataclasses.asdict(self)}

    def check(self, state: GameState, rules: Rules) -> Refusal | None:
        return Refusal("refused.unknown_action")

    def execute(self, state: GameState, rules: Rules) -> None:
        return None


@dataclass(frozen=True)
class SwitchPolicy(FacilitatorAction):
    """Switch a policy on or off from the start of the next quarter."""

    kind: ClassVar[str] = "facilitator.switch_policy"
    policy: str
    on: bool

    def check(self, state: GameState, rules: Rules) -> Refusal | None:
        if self.policy not in rules.policy_index:
            return Refusal("refused.unknown_policy", {"policy": self.policy})
        k = rules.policy_index[self.policy]
        current = state.pending_policies.get(self.policy, state.policy_active[k])
        if current == self.on:
            return Refusal("refused.no_change")
        return None

    def execute(self, state: GameState, rules: Rules) -> None:
        state.pending_policies[self.policy] = self.on


@dataclass(frozen=True)
class InjectEvent(FacilitatorAction):
    """Fire a level event at the start of the next quarter."""

    kind: ClassVar[str] = "facilitator.inject_event"
    event: str

    def check(self, state: GameState, rules: Rules) -> Refusal | None:
        if self.event not in rules.event_index:
            return Refusal("refused.unknown_event", {"event": self.event})
        if self.event in state.pending_events:
            return Refusal("refused.event_pending", {"event": self.event})
        return None

    def execute(self, state: GameState, rules: Rules) -> None:
        state.pending_events.append(self.event)


@dataclass(frozen=True)
class QuarterNote(FacilitatorAction):
    kind: ClassVar[str] = "facilitator.note"
    text: str

    def check(self, state: GameState, rules: Rules) -> Refusal | None:
        bad = text_refusal(self.text)
        if bad is not None:
            return bad
        if not self.text.strip() or len(self.text) > MAX_NOTE:
            return Refusal("refused.bad_note", {"max": MAX_NOTE})
        return None

    def execute(self, state: GameState, rules: Rules) -> None:
        _mark(state, "note", text=self.text.strip())


@dataclass(frozen=True)
class TeamTimedOut(FacilitatorAction):
    """The team ran out of time: the chosen computer strategy decides its quarter."""

    kind: ClassVar[str] = "facilitator.timed_out"
    firm: str
    strategy: str

    def check(self, state: GameState, rules: Rules) -> Refusal | None:
        try:
            i = state.firms.index(self.firm)
        except ValueError:
            return Refusal("refused.unknown_firm", {"firm": self.firm})
        if state.firms.kind[i] != KIND_PLAYER or not state.firms.alive[i]:
            return Refusal("refused.unknown_firm", {"firm": self.firm})
        if self.strategy not in STRATEGY_NAMES:
            return Refusal("refused.unknown_strategy", {"strategy": self.strategy})
        return None

    def execute(self, state: GameState, rules: Rules) -> None:
        """Let the strategy take the team's remaining decisions this quarter.

        Its generator is seeded from the game seed, the quarter and the team, not
        drawn from the game's streams, so the replay only needs this one action.
        """
        i = state.firms.index(self.firm)
        rng = derived(state.seed, state.quarter, i, 104729)
        taken = play_quarter(state, rules, i, self.strategy, rng)
        state.explanations.append(
            Explanation(state.quarter, i, "facilitator.timed_out", {"strategy": self.strategy, "actions": taken}, "info")
        )
        _mark(state, "timeout", firm=self.firm, strategy=self.strategy)


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
    return action.check(state, rules)


def apply(state: GameState, rules: Rules, action: FacilitatorAction) -> None:
    """Run a valid facilitator action (raises InvalidAction otherwise)."""
    refusal = validate(state, rules, action)
    if refusal is not None:
        raise InvalidAction(refusal)
    state.log.append({"quarter": state.quarter, "firm": -1, "action": action.to_dict()})
    action.execute(state, rules)


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
