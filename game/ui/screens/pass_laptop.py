"""Workshop: the neutral "pass the laptop" screen between teams, and the pause screen.

Neither shows a single private figure: only the team called to the laptop
(name and colour), which teams have decided, the timer and what is public to
the whole class (the quarter, the cluster's stage and local share, the
quarter's events and the facilitator's policy switches).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.models import views
from game.ui.nav import STAY, Nav, Replace, TeamAtLaptop
from game.ui.screens.base import Screen
from game.ui.screens.parts import ClockScreen, console_button
from game.ui.theme import PALETTE

if TYPE_CHECKING:
    from game.ui.context import Context


class PassLaptopScreen(ClockScreen):
    """ "Turno de: <team> — pasen la laptop": no figures, one button for the team."""

    name = "pass_laptop"

    def __init__(self, ctx: Context, team: int, report: bool = False):
        super().__init__(ctx)
        self.team = team
        self.report_only = report
        self.band = pygame.Rect(0, 0, 0, 0)
        session = self.session
        if not report and not session.finished and session.workshop is not None:
            session.current = team
            session.workshop.start_turn(session.quarter, team)

    def build(self) -> None:
        tr, session = self.tr, self.session
        st = session.state
        ws = session.workshop
        name = st.firms.names[self.team]
        box = self.box().pad(30)
        top = box.top(40, 10)
        when = tr("ui.turn.quarter", quarter=st.quarter, turns=st.turns) if not session.finished else tr("ui.workshop.final_reports")
        self.label(pygame.Rect(top.x, top.y, top.w // 2, top.h), when, "#subtitle")
        self.clock_label = self.label(pygame.Rect(top.centerx, top.y, top.w // 2, top.h), self.clock_string(), "#subtitle", tooltip=tr("ui.tip.clock"))
        self.band = box.top(14, 16)
        key = "ui.workshop.pass_report" if self.report_only or session.finished else "ui.workshop.pass_turn"
        self.label(box.top(70, 6), tr(key, name=name), "#title")
        colour = tr(f"ui.colour.{ws.colour_index(self.team)}")
        self.label(box.top(34, 18), tr("ui.workshop.pass_hint", colour=colour), "#subtitle")
        bottom = box.bottom(56, 10)
        lines = self._public_lines()
        col_w = box.rect.w * 3 // 4
        need = self.text_height("\n\n".join(views.strip_html(x) for x in lines), col_w)
        self.textbox(pygame.Rect(box.rect.x + box.rect.w // 8, box.rect.y, col_w, min(box.rect.h, need)), "<br><br>".join(lines))
        start_key = "ui.workshop.start_report" if self.report_only or session.finished else "ui.workshop.start_turn"
        bw = self.button_width(tr(start_key, name=name), "confirm", "#primary", minimum=420)
        bw = min(bw, bottom.w - self.s(420))
        btn = self.button(pygame.Rect(bottom.centerx - bw // 2, bottom.y, bw, bottom.h), tr(start_key, name=name), self.start, object_id="#primary", command="confirm")
        self.targets["continue"] = btn
        console_button(self, pygame.Rect(bottom.x, bottom.y, 0, bottom.h))
        gw = self.button_width(tr("ui.common.glossary"), "glossary", minimum=160)
        self.glossary_button(pygame.Rect(bottom.right - gw, bottom.y, gw, bottom.h))
        self.ctx.set_focus_index(self.focusables.index(btn))

    def _public_lines(self) -> list[str]:
        """Only what the whole class may see."""
        tr, session = self.tr, self.session
        st = session.state
        names = st.firms.names
        lines = []
        if not session.finished:
            done = [names[p] for p in range(session.players) if session.done[p]]
            waiting = [names[p] for p in range(session.players) if not session.done[p] and p != self.team and session.alive(p)]
            if done:
                lines.append(tr.html(tr("ui.turn.done", names=", ".join(done))))
            if waiting:
                lines.append(tr.html(tr("ui.turn.waiting", names=", ".join(waiting))))
        cl = st.metrics
        lines.append(tr.linked(tr("ui.workshop.public_cluster", stage=cl.stage, share=tr.pct(cl.local_share), suppliers=cl.local_suppliers)))
        news = [e for e in st.explanations if e.firm == -1]
        if news:
            lines.append(f"<b>{tr.html(tr('ui.workshop.public_news'))}</b><br>" + "<br>".join("• " + tr.linked(tr.explain(e, session.level)) for e in news[:4]))
        return lines

    def start(self) -> Nav:
        return Replace(TeamAtLaptop(self.team, report_only=self.report_only))

    def on_command(self, command: str) -> Nav | None:
        if command == "confirm":
            return self.start()
        if command == "back":
            return STAY  # the teams cannot step back into someone else's screen
        return None

    def update(self, dt: float) -> None:
        self.tick_clock()

    def draw_under(self, surface: pygame.Surface) -> None:
        ws = self.session.workshop
        pygame.draw.rect(surface, ws.rgb(self.team), self.band, border_radius=self.s(4))
        pygame.draw.rect(surface, PALETTE.ink, self.band, 1, border_radius=self.s(4))


class PausedScreen(Screen):
    """The facilitator paused the session: the teams' screens wait under this one."""

    name = "paused"

    def build(self) -> None:
        tr = self.tr
        box = self.box().pad(40)
        box.top(120)
        self.label(box.top(80, 10), "‖ " + tr("ui.workshop.paused_title"), "#title")
        self.label(box.top(40, 10), tr("ui.workshop.paused_text"), "#subtitle")
        bottom = box.bottom(56, 10)
        console_button(self, pygame.Rect(bottom.centerx - self.s(180), bottom.y, self.s(360), bottom.h))

    def on_command(self, command: str) -> Nav | None:
        return STAY if command in ("back", "confirm", "end_turn", "save") or command.startswith("tab.") else None

    def on_key(self, event: pygame.event.Event) -> Nav | None:
        return STAY


