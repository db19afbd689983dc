"""The level's events: inject one for next quarter."""

from __future__ import annotations

from typing import Any

import pygame

from game.models import actions as ui_actions
from game.models import views
from game.ui.screens.base import Callback
from game.ui.screens.facilitator.base import Section


class EventsSection(Section):
    name = "events"

    def build(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        st, level = session.state, session.level
        self.screen.label(pygame.Rect(rect.x, rect.y, rect.w, self.s(30)), tr("ui.console.events", quarter=st.quarter + 1), "#subheading", tooltip=tr("ui.tip.console.events"))
        area = pygame.Rect(rect.x, rect.y + self.s(34), rect.w, rect.h - self.s(34))
        inner = area.w - self.s(24)
        btn_w = self.s(190)
        text_w = inner - btn_w - self.s(8)
        items = []
        for k, ev in enumerate(level.events):
            when = self._event_when(k, ev)
            html = f"<b>{tr.html(tr.level_text(ev.name))}</b> — {tr.html(when)}"
            if ev.id in st.pending_events:
                html += "<br><b>➜ " + tr.html(tr("ui.console.event_pending", quarter=st.quarter + 1)) + "</b>"
            html += "<br>" + tr.linked(tr.level_text(ev.description))
            h = max(self.s(70), self.screen.text_height(views.strip_html(html), text_w))
            items.append((ev, html, h))
        gap = self.s(6)
        scroll = self.screen.scroller(area, sum(h + gap for _, _, h in items) or self.s(80))
        if not items:
            self.screen.textbox(pygame.Rect(0, 0, inner, self.s(70)), tr.html(tr("ui.console.no_events")), container=scroll)
        y = 0
        for ev, html, h in items:
            self.screen.textbox(pygame.Rect(0, y, text_w, h), html, container=scroll)
            outcome = ui_actions.preview_facilitator(session, "inject_event", event=ev.id)
            tip = tr("ui.tip.inject_event", quarter=st.quarter + 1)
            if outcome.refusal is not None:
                tip += "\n✗ " + tr.refusal(outcome.refusal, level)
            btn = self.screen.button(pygame.Rect(inner - btn_w, y, btn_w, min(h, self.s(60))), tr("ui.console.inject"), self._inject(ev.id), enabled=outcome.refusal is None, tooltip=tip, container=scroll)
            self.screen.targets[f"event:{ev.id}"] = btn
            y += h + gap

    def _event_when(self, k: int, ev: Any) -> str:
        tr, st = self.tr, self.session.state
        fired = k < len(st.events_fired) and bool(st.events_fired[k])
        if ev.quarter is not None:
            text = tr("ui.console.event_scheduled", quarter=ev.quarter)
        elif ev.chance > 0:
            text = tr("ui.console.event_chance", chance=tr.pct(ev.chance))
        else:
            text = tr("ui.console.event_only_injected")
        if fired:
            text += "; " + tr("ui.console.event_fired")
        return text

    def _inject(self, event: str) -> Callback:
        def inject() -> None:
            outcome = ui_actions.facilitate(self.session, "inject_event", event=event)
            name = next((self.tr.level_text(e.name) for e in self.session.level.events if e.id == event), event)
            self.result(outcome, self.tr("ui.console.injected", name=name, quarter=self.session.quarter + 1))

        return inject
