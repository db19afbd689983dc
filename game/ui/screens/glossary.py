"""The glossary of the concepts, reachable from every screen (F1 or the Glossary button);
terms in the game's texts link here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.nav import STAY, Nav, Pop
from game.ui.screens.base import Callback, Screen
from game.ui.texts import GLOSSARY_TERMS

if TYPE_CHECKING:
    from game.ui.context import Context


class GlossaryScreen(Screen):
    name = "glossary"
    show_glossary_button = False

    def __init__(self, ctx: Context, term: str | None = None):
        super().__init__(ctx)
        self.term = term if term in GLOSSARY_TERMS else GLOSSARY_TERMS[0]

    def select(self, term: str | None) -> None:
        if term in GLOSSARY_TERMS:
            self.term = term
            self.rebuild()

    def build(self) -> None:
        tr = self.tr
        box = self.box().pad(20)
        self.heading(box.top(40, 10), tr("ui.glossary.title"))
        bottom = box.bottom(50, 12)
        left = box.left(460, 16)
        row_h, gap = self.s(36), self.s(4)
        terms = sorted(GLOSSARY_TERMS, key=lambda t: tr(f"glossary.{t}").lower())
        self.order = terms
        scroll = self.scroller(left, len(terms) * (row_h + gap))
        inner_w = left.w - self.s(24)
        for k, term in enumerate(terms):
            name = tr(f"glossary.{term}")
            btn = self.button(pygame.Rect(0, k * (row_h + gap), inner_w, row_h), name, self._pick(term), class_id="@row", object_id="#selected" if term == self.term else None, tooltip=name, container=scroll, focus=term == self.term)
            if term == self.term:
                selected = btn
        self.reveal(selected)
        name = tr(f"glossary.{self.term}")
        desc = tr(f"glossary.{self.term}.desc")
        self.textbox(box.rect, f"<b>{tr.html(name)}</b><br><br>{tr.linked(desc)}<br><br><i>{tr.html(tr('ui.glossary.hint'))}</i>")
        self.button(pygame.Rect(bottom.x, bottom.y, self.button_width(tr("ui.common.back"), "back", minimum=200), bottom.h), tr("ui.common.back"), Pop, command="back")

    def _pick(self, term: str) -> Callback:
        def pick() -> None:
            self.select(term)

        return pick

    def on_link(self, target: str) -> Nav | None:
        if target.startswith("glossary:"):
            self.select(target.split(":", 1)[1])
        return None

    def on_key(self, event: pygame.event.Event) -> Nav | None:
        if event.key in (pygame.K_UP, pygame.K_DOWN):
            k = self.order.index(self.term)
            self.select(self.order[(k + (1 if event.key == pygame.K_DOWN else -1)) % len(self.order)])
            return STAY
        return None

    def on_command(self, command: str) -> Nav | None:
        if command == "glossary":
            return STAY
        return None
