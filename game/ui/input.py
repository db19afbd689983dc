"""The one place where UI events become core actions (and key presses become commands).

Screens never build core actions themselves: they call :func:`perform`
(or :func:`preview` to show, before choosing, whether an action would be
refused and why). Keyboard shortcuts are a table here, so the help texts,
the buttons' labels and the tests read the same bindings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pygame

from game.core.actions import ACTION_TYPES, Action, Refusal

# ----------------------------------------------------------------------------
# Keyboard

CTRL = pygame.KMOD_CTRL

SHORTCUTS: dict[str, tuple[int, int]] = {
    "glossary": (pygame.K_F1, 0),
    "back": (pygame.K_ESCAPE, 0),
    "save": (pygame.K_s, CTRL),
    "end_turn": (pygame.K_e, CTRL),
    "confirm": (pygame.K_RETURN, CTRL),
    "fullscreen": (pygame.K_F11, 0),
    "tab.map": (pygame.K_1, 0),
    "tab.firm": (pygame.K_2, 0),
    "tab.decisions": (pygame.K_3, 0),
    "tab.calls": (pygame.K_4, 0),
    "tab.cooperation": (pygame.K_5, 0),
    "tab.policies": (pygame.K_6, 0),
    "new_game": (pygame.K_n, 0),
    "continue": (pygame.K_c, 0),
    "load": (pygame.K_l, 0),
    "settings": (pygame.K_o, 0),
    "quit": (pygame.K_q, CTRL),
    "next": (pygame.K_PAGEDOWN, 0),
    "previous": (pygame.K_PAGEUP, 0),
    "console": (pygame.K_F9, 0),
}
"""command -> (key, modifiers). Plain keys are ignored while a text field has focus."""

FOCUS_NEXT = pygame.K_TAB
ACTIVATE_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)


def shortcut_label(command: str, lang: str = "es") -> str:
    """How the key of a command is written on a button: "Ctrl+E", "F1", "1" (names from the texts)."""
    from game.text import t_safe

    key, mods = SHORTCUTS[command]
    raw = pygame.key.name(key)
    name = t_safe(f"ui.key.{raw.replace(' ', '_')}", lang)
    if name.startswith("ui.key."):
        name = raw.upper() if len(raw) == 1 else raw[:1].upper() + raw[1:]
    return t_safe("ui.key.with_ctrl", lang, name=name) if mods & CTRL else name


def command_for(event: pygame.event.Event, typing: bool = False) -> str | None:
    """The command a key press means, or None. ``typing``: a text field has focus."""
    if event.type != pygame.KEYDOWN:
        return None
    ctrl = bool(event.mod & CTRL)
    for command, (key, mods) in SHORTCUTS.items():
        if event.key != key or ctrl != bool(mods & CTRL):
            continue
        if typing and not mods and key not in (pygame.K_ESCAPE, pygame.K_F1, pygame.K_F9, pygame.K_F11, pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            return None
        return command
    return None


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
