"""The facilitator's PIN, asked before the console opens; a wrong one is refused and
nothing else is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from game.ui.nav import STAY, Console, Nav, Pop, Replace
from game.ui.screens.base import Screen

if TYPE_CHECKING:
    from game.ui.context import Context


class PinScreen(Screen):
    """Asks for the facilitator's PIN; a wrong one is refused and nothing else is shown."""

    name = "pin"
    modal = True
    show_glossary_button = False

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.refused = False

    def build(self) -> None:
        tr = self.tr
        w, h = self.ctx.size
        pw, ph = min(w - self.s(80), self.s(560)), self.s(300)
        rect = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        panel = self.panel(rect, "#card_bad" if self.refused else None)
        pad = self.s(18)
        self.heading(pygame.Rect(pad, pad, pw - 2 * pad, self.s(36)), tr("ui.console.pin_title"), container=panel)
        y = pad + self.s(48)
        text = ("✗ " + tr("ui.console.pin_wrong")) if self.refused else tr("ui.console.pin_ask")
        self.label(pygame.Rect(pad, y, pw - 2 * pad, self.s(30)), text, "#bad" if self.refused else "#soft", container=panel)
        y += self.s(44)
        entry = self.entry(pygame.Rect(pad, y, pw - 2 * pad, self.s(46)), "", "pin", container=panel, max_length=6)
        entry.set_allowed_characters("numbers")
        entry.set_text_hidden(True)
        self.manager.set_focus_set(entry)
        bh = self.s(48)
        bw = (pw - 2 * pad - self.s(12)) // 2
        y = ph - pad - bh
        self.button(pygame.Rect(pad, y, bw, bh), tr("ui.console.pin_cancel"), Pop, container=panel)
        ok = self.button(pygame.Rect(pad + bw + self.s(12), y, bw, bh), tr("ui.console.pin_open"), self.submit, object_id="#primary", command="confirm", container=panel)
        self.targets["continue"] = ok

    def submit(self) -> Nav:
        entry = self.entries.get("pin")
        pin = entry.get_text() if entry is not None else ""
        ws = self.session.workshop
        if ws is not None and ws.check_pin(pin):
            return Replace(Console())
        self.refused = True
        self.ctx.sounds.play("refused")
        self.rebuild()
        return STAY

    def on_key(self, event: pygame.event.Event) -> Nav | None:
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return self.submit()
        return None

    def on_entry_finished(self, element: Any, text: str) -> Nav | None:
        if element is self.entries.get("pin"):
            return self.submit()
        return None

    def on_command(self, command: str) -> Nav | None:
        if command == "confirm":
            return self.submit()
        if command == "back":
            return Pop()
        return None
