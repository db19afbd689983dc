"""Key presses become commands. Keyboard shortcuts are a table here, so the help texts,
the buttons' labels and the tests read the same bindings. (Choices become core actions
in :mod:`game.models.actions`.)
"""

from __future__ import annotations

import pygame

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
