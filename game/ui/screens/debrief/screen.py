"""The debrief's frame: the section buttons, the status line, back, results and export;
each section (charts, causes, what if, questions) is a module of this package."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui.nav import STAY, End, Nav, Pop, Push, Reset, Title
from game.ui.screens.debrief.base import DebriefBase, Section, team_rgb
from game.ui.screens.debrief.causes import CausesSection
from game.ui.screens.debrief.charts import ChartsSection
from game.ui.screens.debrief.questions import QuestionsSection
from game.ui.screens.debrief.whatif import WhatIfSection
from game.ui.screens.parts import export_to_user_folder, team_band
from game.ui.theme import PALETTE
from game.ui.widgets.charts import draw_sample

if TYPE_CHECKING:
    from pathlib import Path

    from game.ui.context import Context

SECTIONS = ("charts", "causes", "whatif", "questions")


class DebriefScreen(DebriefBase):
    name = "debrief"
    SECTIONS = SECTIONS
    SECTION_TEXT = "ui.debrief.section."
    SECTION_TIP = "ui.tip.debrief."

    def __init__(self, ctx: Context, section: str = "charts"):
        super().__init__(ctx)
        self.section = section
        self.exported: Path | None = None
        self.whatif = WhatIfSection(self)
        self.sections: dict[str, Section] = {
            "charts": ChartsSection(self),
            "causes": CausesSection(self),
            "whatif": self.whatif,
            "questions": QuestionsSection(self),
        }

    def build(self) -> None:
        tr, session = self.tr, self.session
        self.charts, self.swatches, self.samples = [], [], []
        box = self.box().pad(12)
        self.heading(box.top(38, 4), tr("ui.debrief.title", level=tr.level_text(session.level.title)))
        self.section_tabs(box.top(44, 8))
        bottom = box.bottom(50, 8)
        self._bottom_bar(bottom)
        status = box.bottom(44, 8)
        text, tone = self.status or (tr("ui.debrief.status_idle"), "info")
        mark = {"good": "✓ ", "bad": "✗ "}.get(tone, "")
        self.textbox(status, tr.html(mark + text), {"good": "#card_good", "bad": "#card_bad"}.get(tone, "#card_info"))
        self.sections[self.section].build(box.rect)

    def _bottom_bar(self, rect: pygame.Rect) -> None:
        tr = self.tr
        x = rect.x
        below = self.ctx.screens_below()
        back_key = "ui.common.back" if len(below) > 1 else "ui.end.title_screen"
        bw = self.button_width(tr(back_key), "back", minimum=170)
        self.button(pygame.Rect(x, rect.y, bw, rect.h), tr(back_key), self.back, command="back")
        x += bw + self.s(10)
        if self.session.finished and "end" not in below:
            rw = self.button_width(tr("ui.debrief.results"), minimum=200)
            self.targets["results"] = self.button(pygame.Rect(x, rect.y, rw, rect.h), tr("ui.debrief.results"), self.results, tooltip=tr("ui.tip.debrief_results"))
        gw = self.button_width(tr("ui.common.glossary"), "glossary", minimum=160)
        self.glossary_button(pygame.Rect(rect.right - gw, rect.y, gw, rect.h))
        ew = self.button_width(tr("ui.console.export"), minimum=240)
        btn = self.button(pygame.Rect(rect.right - gw - self.s(10) - ew, rect.y, ew, rect.h), tr("ui.console.export"), self.export, object_id="#primary", tooltip=tr("ui.tip.export"), enabled=bool(self.session.recorder.turns))
        self.targets["export"] = btn

    def export(self) -> None:
        path, problem = export_to_user_folder(self.session, self.tr)
        if problem:
            self.status = (self.tr("ui.debrief.export_failed", reason=problem), "bad")
            self.ctx.sounds.play("refused")
        else:
            self.exported = path
            self.status = (self.tr("ui.debrief.exported", path=str(path)), "good")
            self.ctx.sounds.play("ok")
        self.rebuild()

    def results(self) -> Nav:
        return Push(End())

    def back(self) -> Nav:
        if len(self.ctx.screens_below()) > 1:
            return Pop()
        return Reset((Title(),), end_session=True)

    def on_command(self, command: str) -> Nav | None:
        if command == "back":
            return self.back()
        section = self.section_of_command(command)
        if section is not None:
            self.open_section(section)()
            return STAY
        if command == "confirm" and self.section == "whatif":
            self.whatif.run()
            return STAY
        return None

    def drawn_texts(self) -> list[str]:
        return super().drawn_texts() + [c.title for c in self.charts]

    def draw_under(self, surface: pygame.Surface) -> None:
        for chart in self.charts:
            chart.draw(surface)

    def draw_over(self, surface: pygame.Surface) -> None:
        for rect, series in self.samples:
            draw_sample(surface, series, rect, self.scale)
        for where, p in self.swatches:
            if isinstance(where, tuple):
                scroll, rel = where
                inner = scroll.scrollable_container.rect
                rect = rel.move(inner.topleft)
                if not scroll.rect.contains(rect):
                    continue
            else:
                rect = where
            if self.session.workshop is not None:
                team_band(self, surface, rect, p, number=False)
            else:
                pygame.draw.rect(surface, team_rgb(self.session, p), rect, border_radius=self.s(4))
                pygame.draw.rect(surface, PALETTE.ink, rect, 1, border_radius=self.s(4))
