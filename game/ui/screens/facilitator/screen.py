"""The console's frame: the top bar (pause, back), the section buttons and the status
line; each section (session, teams, cluster, events) is a module of this package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from game.ui.nav import STAY, Nav, NextTurn, Paused, Pop, Replace, in_game
from game.ui.screens.facilitator.base import ConsoleBase, Section
from game.ui.screens.facilitator.cluster import ClusterSection
from game.ui.screens.facilitator.events import EventsSection
from game.ui.screens.facilitator.session import SessionSection
from game.ui.screens.facilitator.teams import TeamsSection
from game.ui.screens.parts import team_band

if TYPE_CHECKING:
    from game.ui.context import Context

SECTIONS = ("session", "teams", "cluster", "events")


class FacilitatorScreen(ConsoleBase):
    name = "console"
    SECTIONS = SECTIONS
    SECTION_TEXT = "ui.console.section."
    SECTION_TIP = "ui.tip.console."

    def __init__(self, ctx: Context, section: str = "session"):
        super().__init__(ctx)
        self.section = section
        self.sections: dict[str, Section] = {
            "session": SessionSection(self),
            "teams": TeamsSection(self),
            "cluster": ClusterSection(self),
            "events": EventsSection(self),
        }

    def build(self) -> None:
        tr = self.tr
        self.swatches = []
        box = self.box()
        self._top_bar(box.top(56))
        box.pad(10)
        self.section_tabs(box.top(46, 8))
        self._status_line(box.bottom(50, 8))
        self.sections[self.section].build(box.rect)
        if self.session.finished and self.section == "session":
            self.status = self.status or (tr("ui.console.finished"), "info")

    def _top_bar(self, rect: pygame.Rect) -> None:
        tr, session, ws = self.tr, self.session, self.ws
        bar = self.panel(rect, "#topbar")
        pad = self.s(10)
        bh = rect.h - 2 * pad
        right = rect.w - pad
        gw = self.button_width(tr("ui.common.glossary"), "glossary", minimum=120)
        self.glossary_button(pygame.Rect(right - gw, pad, gw, bh), container=bar)
        right -= gw + self.s(8)
        bw = self.button_width(tr("ui.console.back"), "back", minimum=160)
        self.button(pygame.Rect(right - bw, pad, bw, bh), tr("ui.console.back"), self.close, command="back", tooltip=tr("ui.tip.console_back"), container=bar, focus=False)
        right -= bw + self.s(8)
        key = "ui.console.resume" if ws.paused else "ui.console.pause"
        pw = self.button_width(tr(key), minimum=150)
        btn = self.button(pygame.Rect(right - pw, pad, pw, bh), tr(key), self.toggle_pause, object_id="#primary" if ws.paused else None, tooltip=tr("ui.tip.pause"), container=bar)
        self.targets["pause"] = btn
        right -= pw + self.s(16)
        self.clock_label = None
        if ws.timed:
            cw = self.text_width(tr("ui.workshop.clock_up"), "label", "#topbar_label") + self.s(16)
            self.clock_label = self.label(pygame.Rect(right - cw, pad, cw, bh), self.clock_string(), "#topbar_label", tooltip=tr("ui.tip.clock"), container=bar)
            right -= cw + self.s(8)
        st = session.state
        title = tr("ui.console.title", quarter=st.quarter, turns=st.turns)
        self.label(pygame.Rect(pad, pad, right - pad, bh), title, "#topbar_label", tooltip=title, container=bar)

    def _status_line(self, rect: pygame.Rect) -> None:
        tr = self.tr
        if self.status is None:
            text, tone = tr("ui.console.status_idle"), "info"
        else:
            text, tone = self.status
        mark = {"good": "✓ ", "bad": "✗ "}.get(tone, "")
        self.textbox(rect, tr.linked(mark + text), {"good": "#card_good", "bad": "#card_bad"}.get(tone, "#card_info"))

    def toggle_pause(self) -> None:
        self.keep_note()
        if self.ws.paused:
            self.ws.resume()
            self.status = (self.tr("ui.console.resumed"), "good")
        else:
            self.ws.pause()
            self.status = (self.tr("ui.console.paused"), "info")
        self.ctx.autosave()
        self.rebuild()

    def close(self) -> Nav:
        """Back to the teams: under the pause screen while paused."""
        below = self.ctx.screens_below()
        under = below[-1] if below else None
        paused = self.ws.paused
        if paused and under != "paused":
            return Replace(Paused())
        if not paused and under == "paused":
            # A session opened paused has nothing but the title under the pause screen.
            return Pop(2) if len(below) >= 3 else in_game(NextTurn())
        return Pop()

    def on_command(self, command: str) -> Nav | None:
        if command == "back":
            return self.close()
        section = self.section_of_command(command)
        if section is not None:
            self.keep_note()
            self.open_section(section)()
            return STAY
        if command == "console":
            return STAY
        return None

    def on_entry_changed(self, element: Any, text: str) -> None:
        if element is self.entries.get("note"):
            self.note = text

    def update(self, dt: float) -> None:
        self.tick_clock()

    def draw_over(self, surface: pygame.Surface) -> None:
        for rect, p in self.swatches:
            team_band(self, surface, rect, p, number=False)
