"""Cause and effect: each team's three key moments (:func:`game.core.debrief.key_moments`)
with the barrier family or lever behind each."""

from __future__ import annotations

from typing import Any

import pygame

from game.ui.screens.debrief.base import Section
from game.ui.screens.parts import card_html


class CausesSection(Section):
    name = "causes"

    def moments(self, team: int) -> list[Any]:
        from game.core.debrief import key_moments

        return key_moments(self.session.reports, team)

    def build(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        level = session.level
        n = session.players
        intro_h = self.s(52)
        self.screen.textbox(pygame.Rect(rect.x, rect.y, rect.w, intro_h), tr.linked(tr("ui.debrief.causes_intro")), "#plain")
        area = pygame.Rect(rect.x, rect.y + intro_h + self.s(6), rect.w, rect.h - intro_h - self.s(6))
        name_w = self.s(190)
        inner = area.w - self.s(24)
        card_w = (inner - name_w - self.s(8) * 3) // 3
        blocks = []
        for p in range(n):
            cards = []
            for m in self.moments(p):
                html, tone = card_html(tr, m.explanation, level)
                html = f"<b>{tr.html(tr('ui.end.moment_quarter', quarter=m.quarter))}</b> " + html
                # The card's own layout (quarter, family or lever, then why), measured by pygame_gui: an
                # estimate from the bare text ran short when the head line wrapped (a catalyst win, Spanish, 1280x720).
                oid = {"good": "#card_good", "bad": "#card_bad"}.get(tone, "#card_info")
                cards.append((html, tone, self.screen.html_height(html, card_w, oid)))
            h = max([self.s(64)] + [c[2] for c in cards])
            blocks.append((p, cards, h))
        gap = self.s(10)
        scroll = self.screen.scroller(area, sum(h + gap for _, _, h in blocks))
        y = 0
        for p, cards, h in blocks:
            self.screen.label(pygame.Rect(self.s(30), y, name_w - self.s(34), self.s(30)), session.state.firms.names[p], "#subheading", tooltip=session.state.firms.names[p], container=scroll)
            self.screen.swatches.append(((scroll, pygame.Rect(0, y + self.s(5), self.s(22), self.s(22))), p))
            if not cards:
                self.screen.textbox(pygame.Rect(name_w, y, inner - name_w, self.s(64)), tr.html(tr("ui.end.no_moments")), container=scroll)
            for k, (html, tone, _h) in enumerate(cards):
                oid = {"good": "#card_good", "bad": "#card_bad"}.get(tone, "#card_info")
                self.screen.textbox(pygame.Rect(name_w + k * (card_w + self.s(8)), y, card_w, h), html, oid, container=scroll)
            y += h + gap
