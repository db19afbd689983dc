"""Modal dialogs: a message with buttons, drawn over the dimmed screen below."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.nav import Choice, Nav, Pop, after_closing
from game.ui.screens.base import Callback, Screen

if TYPE_CHECKING:
    from game.ui.context import Context


class MessageScreen(Screen):
    name = "message"
    modal = True
    show_glossary_button = False

    def __init__(self, ctx: Context, title: str, text: str, choices: tuple[Choice, ...] = (), tone: str = "info"):
        super().__init__(ctx)
        self.title = title
        self.text = text
        self.choices: tuple[Choice, ...] = choices or ((ctx.tr("ui.common.ok"), None, "#primary"),)
        self.tone = tone

    def build(self) -> None:
        w, h = self.ctx.size
        pw = min(w - self.s(80), self.s(760))
        n = len(self.choices)
        bh = self.s(48)
        ph = self.s(330) + (bh + self.s(10)) * max(0, n - 2)
        rect = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        panel = self.panel(rect, "#card_bad" if self.tone == "bad" else None)
        pad = self.s(18)
        self.heading(pygame.Rect(pad, pad, pw - 2 * pad, self.s(36)), self.title, container=panel)
        body_h = ph - self.s(36) - 3 * pad - (bh + self.s(10)) * (1 if n <= 2 else n) - self.s(6)
        self.textbox(pygame.Rect(pad, pad + self.s(44), pw - 2 * pad, body_h), self.tr.html(self.text), "#plain", container=panel)
        y = ph - pad - bh - self.s(6)
        if n <= 2:
            bw = (pw - 2 * pad - self.s(12)) // 2 if n == 2 else self.s(240)
            x = pw - pad - bw * n - self.s(12) * (n - 1)
            for label, callback, oid in self.choices:
                self.button(pygame.Rect(x, y, bw, bh), label, self._choose(callback), object_id=oid, container=panel)
                x += bw + self.s(12)
        else:
            y = ph - pad - (bh + self.s(10)) * n - self.s(6)
            for label, callback, oid in self.choices:
                self.button(pygame.Rect(pad, y, pw - 2 * pad, bh), label, self._choose(callback), object_id=oid, container=panel)
                y += bh + self.s(10)
        self.ctx.set_focus_index(0)

    def _choose(self, callback: Callback | None) -> Callback:
        """Close the dialog, then do what the choice does (seen from the screen below)."""

        def run() -> Nav:
            return after_closing(callback() if callback is not None else None)

        return run

    def on_command(self, command: str) -> Nav | None:
        if command == "back":
            return Pop()
        return None
