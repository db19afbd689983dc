"""The one place where a player's or a facilitator's choice becomes a core action.

The window's screens, the coach and the tour never build core actions themselves:
they call :func:`perform` (or :func:`preview` to show, before choosing, whether an
action would be refused and why). Pure Python: the window's key bindings live in
:mod:`game.ui.input`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from game.core.actions import ACTION_TYPES, Action, Refusal

# ----------------------------------------------------------------------------
# Actions


def action_kinds() -> list[str]:
    """Every decision the core offers, in the core's order."""
    return list(ACTION_TYPES)


def action_fields(kind: str) -> list[str]:
    """The parameters an action kind needs besides the firm."""
    cls = ACTION_TYPES[kind]
    return [f.name for f in dataclasses.fields(cls) if f.name != "firm"]


def action_points(kind: str) -> int:
    return int(ACTION_TYPES[kind].action_points)


def build(kind: str, firm: str, **params: Any) -> Action:
    """The core action for a decision; ValueError if the kind or its parameters are wrong."""
    cls = ACTION_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown action {kind!r}")
    names = set(action_fields(kind))
    extra = set(params) - names
    if extra:
        raise ValueError(f"{kind}: unknown parameters {sorted(extra)}")
    try:
        return cls(firm=firm, **params)
    except TypeError as exc:
        raise ValueError(f"{kind}: {exc}") from None


@dataclass(frozen=True)
class Outcome:
    """What happened when the player chose an action."""

    action: Action | None
    refusal: Refusal | None

    @property
    def ok(self) -> bool:
        return self.action is not None and self.refusal is None


def preview(session: Any, kind: str, **params: Any) -> Outcome:
    """Would this decision be accepted now? (pure: the state does not change)."""
    try:
        action = build(kind, session.firm_id(), **params)
    except ValueError:
        return Outcome(None, Refusal("ui.refused.incomplete"))
    return Outcome(action, session.validate(action))


def perform(session: Any, kind: str, **params: Any) -> Outcome:
    """Take a decision for the current player: applied (and recorded) or refused."""
    try:
        action = build(kind, session.firm_id(), **params)
    except ValueError:
        return Outcome(None, Refusal("ui.refused.incomplete"))
    return Outcome(action, session.apply(action))


# ----------------------------------------------------------------------------
# The facilitator's actions (workshop console)

FACILITATOR_KINDS = ("switch_policy", "inject_event", "note", "timed_out")
"""The console's actions: switch a policy (``policy``, ``on``), inject an event
(``event``), note the quarter (``text``), hand a late team's quarter to a
computer strategy (``firm``, ``strategy``)."""


def build_facilitator(kind: str, **params: Any) -> Any:
    """The core's facilitator action; ValueError if the kind or its parameters are wrong."""
    from game.core import facilitator

    cls = {
        "switch_policy": facilitator.SwitchPolicy,
        "inject_event": facilitator.InjectEvent,
        "note": facilitator.QuarterNote,
        "timed_out": facilitator.TeamTimedOut,
    }.get(kind)
    if cls is None:
        raise ValueError(f"unknown facilitator action {kind!r}")
    try:
        return cls(**params)
    except TypeError as exc:
        raise ValueError(f"{kind}: {exc}") from None


def preview_facilitator(session: Any, kind: str, **params: Any) -> Outcome:
    """Would the console's action be accepted now? (pure)."""
    try:
        action = build_facilitator(kind, **params)
    except ValueError:
        return Outcome(None, Refusal("ui.refused.incomplete"))
    return Outcome(action, session.validate(action))


def facilitate(session: Any, kind: str, **params: Any) -> Outcome:
    """Take a facilitator action: applied through the recorder (so it is in the replay) or refused."""
    try:
        action = build_facilitator(kind, **params)
    except ValueError:
        return Outcome(None, Refusal("ui.refused.incomplete"))
    return Outcome(action, session.apply(action))
