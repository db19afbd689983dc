"""The cluster and its catalyst policies: switch one on or off from next quarter."""

from __future__ import annotations

import pygame

from game.core.typology import LIFE_CYCLE
from game.models import actions as ui_actions
from game.ui.screens.base import Callback
from game.ui.screens.facilitator.base import Section


class ClusterSection(Section):
    name = "cluster"

    def build(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        st, level = session.state, session.level
        gap = self.s(12)
        left = pygame.Rect(rect.x, rect.y, int(rect.w * 0.36), rect.h)
        right = pygame.Rect(left.right + gap, rect.y, rect.right - left.right - gap, rect.h)
        panel = self.screen.panel(left)
        pad = self.s(10)
        w = left.w - 2 * pad
        self.screen.label(pygame.Rect(pad, pad, w, self.s(30)), tr("ui.console.cluster"), "#subheading", container=panel)
        y = pad + self.s(36)
        cl = st.metrics
        rows = [
            ("ui.side.stage", tr.stage(cl.stage), "ui.tip.stage"),
            ("ui.console.life_cycle", tr(f"life_cycle.{LIFE_CYCLE[cl.stage]}"), "ui.tip.stage"),
            ("ui.report.local_share", tr.pct(cl.local_share), "ui.tip.local_share"),
            ("ui.report.local_suppliers", tr.num(cl.local_suppliers), "ui.tip.local_suppliers"),
            ("ui.console.tier2_share", tr.pct(cl.tier2_share), "ui.tip.tier2_share"),
            ("ui.console.cooperation", tr.pct(cl.cooperation), "ui.tip.cooperation"),
            ("ui.console.university_links", tr.pct(cl.university_links), "ui.tip.university_links"),
            ("ui.console.association_share", tr.pct(cl.association_share), "ui.tip.association_share"),
            ("ui.console.mean_capability", tr.pct(cl.mean_capability), "ui.tip.mean_capability"),
        ]
        row_h = self.s(30)
        lw = int(w * 0.6)
        for key, value, tip in rows:
            self.screen.label(pygame.Rect(pad, y, lw, row_h), tr(key), "#soft", tooltip=tr(tip), container=panel)
            self.screen.label(pygame.Rect(pad + lw, y, w - lw, row_h), value, "#value", tooltip=tr(tip), container=panel)
            y += row_h
        # Policies: on or off from next quarter.
        self.screen.label(pygame.Rect(right.x, right.y, right.w, self.s(30)), tr("ui.console.policies"), "#subheading", tooltip=tr("ui.tip.console.cluster"))
        area = pygame.Rect(right.x, right.y + self.s(34), right.w, right.h - self.s(34))
        row_h, row_gap = self.s(96), self.s(6)
        inner = area.w - self.s(24)
        btn_w = self.s(190)
        text_w = inner - btn_w - self.s(8)
        # Each policy's row as tall as its text needs (name, status, what it does), never shorter than the button.
        texts = []
        for k, pol in enumerate(level.policies):
            active = bool(st.policy_active[k])
            pending = st.pending_policies.get(pol.id)
            status = "✓ " + tr("ui.policies.active") if active else "○ " + tr("ui.policies.inactive")
            html = f"<b>{tr.html(tr.level_text(pol.name))}</b> — <b>{tr.html(status)}</b>"
            if pending is not None and pending != active:
                html += "<br><b>➜ " + tr.html(tr("ui.console.policy_pending_on" if pending else "ui.console.policy_pending_off", quarter=st.quarter + 1)) + "</b>"
            html += "<br>" + tr.linked(tr.level_text(pol.description))
            texts.append((html, max(row_h, self.screen.html_height(html, text_w))))
        scroll = self.screen.scroller(area, max(row_h, sum(h + row_gap for _, h in texts)))
        if not level.policies:
            self.screen.textbox(pygame.Rect(0, 0, inner, row_h), tr.html(tr("ui.policies.none")), container=scroll)
        y = 0
        for k, (pol, (html, h)) in enumerate(zip(level.policies, texts, strict=True)):
            active = bool(st.policy_active[k])
            pending = st.pending_policies.get(pol.id)
            self.screen.textbox(pygame.Rect(0, y, text_w, h), html, container=scroll)
            target = not (pending if pending is not None else active)
            outcome = ui_actions.preview_facilitator(session, "switch_policy", policy=pol.id, on=target)
            label = tr("ui.console.switch_on" if target else "ui.console.switch_off")
            tip = tr("ui.tip.switch_policy", quarter=st.quarter + 1)
            if outcome.refusal is not None:
                tip += "\n✗ " + tr.refusal(outcome.refusal, level)
            btn = self.screen.button(pygame.Rect(inner - btn_w, y, btn_w, row_h), label, self._switch(pol.id, target), enabled=outcome.refusal is None, tooltip=tip, container=scroll)
            self.screen.targets[f"policy:{pol.id}"] = btn
            y += h + row_gap

    def _switch(self, policy: str, on: bool) -> Callback:
        def switch() -> None:
            outcome = ui_actions.facilitate(self.session, "switch_policy", policy=policy, on=on)
            name = next((self.tr.level_text(p.name) for p in self.session.level.policies if p.id == policy), policy)
            self.result(outcome, self.tr("ui.console.switched_on" if on else "ui.console.switched_off", name=name, quarter=self.session.quarter + 1))

        return switch
