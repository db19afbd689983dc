"""Tab 3: every decision the core offers, with its cost, action points, requirements and
expected effect shown before choosing, and the reason when the core would refuse it."""

from __future__ import annotations

from typing import Any

import pygame

from game.models import actions as ui_actions
from game.models import decisions as model
from game.ui.screens.tabs.base import Tab


class DecisionsTab(Tab):
    name = "decisions"

    def kinds(self) -> list[str]:
        return ui_actions.action_kinds()

    def selected_kind(self) -> str:
        kinds = self.kinds()
        kind = self.memory.get("kind")
        if kind not in kinds:
            kind = kinds[1] if len(kinds) > 1 else kinds[0]
            self.memory["kind"] = kind
        return kind

    def values(self, kind: str, params: list[model.Param]) -> dict[str, Any]:
        store = self.memory.setdefault("values", {}).setdefault(kind, {})
        out = {}
        for prm in params:
            value = store.get(prm.name, prm.default)
            if prm.choices and value not in [v for v, _ in prm.choices]:
                value = prm.default
            out[prm.name] = value
        return out

    def build(self) -> None:
        sc, tr = self.screen, self.tr
        kinds = self.kinds()
        selected = self.selected_kind()
        gap = self.s(12)
        left = pygame.Rect(self.rect.x, self.rect.y, int(self.rect.w * 0.40), self.rect.h)
        right = pygame.Rect(left.right + gap, self.rect.y, self.rect.right - left.right - gap, self.rect.h)
        row_h, row_gap = self.s(40), self.s(4)
        scroll = sc.scroller(left, len(kinds) * (row_h + row_gap))
        inner_w = left.w - self.s(24)
        self.rows: dict[str, Any] = {}
        for k, kind in enumerate(kinds):
            params = model.params_for(self.session, kind, tr)
            pv = model.preview(self.session, kind, self.values(kind, params), tr)
            mark = "✓" if pv.refusal_text is None else "✗"
            points = ui_actions.action_points(kind)
            label = f"{mark} {tr(f'action.{kind}')}"
            suffix = f" · {points} {tr('ui.decisions.ap_short')}"
            text = sc.fit(label, inner_w - self.s(22) - sc.text_width(suffix, "button", class_id="@row"), "button", class_id="@row") + suffix
            tip = tr(f"action.{kind}.desc") + ("" if pv.refusal_text is None else "\n✗ " + pv.refusal_text)
            btn = sc.button(
                pygame.Rect(0, k * (row_h + row_gap), inner_w, row_h),
                text,
                self._select(kind),
                class_id="@row",
                object_id="#selected" if kind == selected else None,
                tooltip=tip,
                container=scroll,
            )
            self.rows[kind] = btn
            sc.targets[f"decision:{kind}"] = btn
        if selected in self.rows:
            sc.reveal(self.rows[selected])
        self._detail(right, selected)

    def _detail(self, rect: pygame.Rect, kind: str) -> None:
        sc, tr = self.screen, self.tr
        panel = sc.panel(rect)
        pad = self.s(12)
        w = rect.w - 2 * pad
        params = model.params_for(self.session, kind, tr)
        values = self.values(kind, params)
        pv = model.preview(self.session, kind, values, tr)
        y = pad
        heading = sc.label(pygame.Rect(pad, y, w, self.s(32)), tr(f"action.{kind}"), "#heading", container=panel)
        y += self.s(36)
        ap_left = int(self.session.state.firms.action_points[self.player])
        facts = [
            f"{tr.html(tr(f'action.{kind}.desc'))}",
            f"<b>{tr.html(tr('ui.decisions.cost'))}</b> {tr.html(tr.money(pv.cost_now) if pv.cost_now else tr('ui.decisions.no_cost'))}" + (f" — {tr.html(pv.cost_note)}" if pv.cost_note else ""),
            f"<b>{tr.html(tr('ui.decisions.points'))}</b> {tr.html(tr('ui.decisions.points_value', points=pv.points, left=ap_left))}",
            f"<b>{tr.html(tr('ui.decisions.effect'))}</b> {tr.linked(pv.effect)}",
        ]
        # Choices on one row, or on as many as their whole names need.
        columns = {prm.name: self._columns([label for _, label in prm.choices[:4]], w) for prm in params if prm.choices}
        form_h = self.s(58) + sum(self.s(28) + self.s(48) * (-(-len(prm.choices[:4]) // columns[prm.name]) if prm.choices else 1) for prm in params if prm.choices or prm.text)
        if pv.refusal_text is None:
            verdict, oid = "✓ " + tr("ui.decisions.possible"), "#good"
        else:
            verdict, oid = "✗ " + tr("ui.decisions.why_not") + " " + pv.refusal_text, "#bad"
        verdict_h = self.s(30) if pv.refusal_text is None else min(self.s(80), sc.text_height(verdict, w))
        text_h = max(self.s(90), rect.h - y - form_h - verdict_h - pad)
        # Cost, points and effect always whole; the decision's description (also the list
        # row's tip) gives way to them, onto the heading's tip, when the panel is short.
        if sc.html_height("<br>".join(facts), w, "#plain") > text_h:
            facts = facts[1:]
            sc.add_hover(heading, tr(f"action.{kind}.desc"))
        # Still too long for the panel (two rows of choices at 1280x720): the figures scroll.
        fits = sc.html_height("<br>".join(facts), w, "#plain") <= text_h
        (sc.textbox if fits else sc.document)(pygame.Rect(pad, y, w, text_h), "<br>".join(facts), "#plain", container=panel)
        y += text_h + self.s(2)
        if pv.refusal_text is None:
            sc.label(pygame.Rect(pad, y, w, verdict_h), verdict, oid, container=panel)
        else:
            sc.textbox(pygame.Rect(pad, y, w, verdict_h), f"<font color='#B34700'><b>{tr.html(verdict)}</b></font>", "#plain", container=panel)
        y += verdict_h + self.s(2)
        for prm in params:
            if not (prm.choices or prm.text):
                continue
            sc.label(pygame.Rect(pad, y, w, self.s(26)), tr(prm.label_key), "#soft", container=panel)
            y += self.s(28)
            if prm.text:
                sc.entry(pygame.Rect(pad, y, w, self.s(40)), str(values.get(prm.name) or ""), f"param:{prm.name}", container=panel, max_length=60)
            else:
                choices = prm.choices[:4]
                n = columns[prm.name]
                cw = (w - self.s(6) * (n - 1)) // n
                for j, (value, label) in enumerate(choices):
                    row, col = divmod(j, n)
                    if col == 0 and row:
                        y += self.s(48)
                    sc.button(
                        pygame.Rect(pad + col * (cw + self.s(6)), y, cw, self.s(40)),
                        label,
                        self._choose(kind, prm.name, value),
                        object_id="#selected" if value == values.get(prm.name) else None,
                        tooltip=label,
                        container=panel,
                    )
            y += self.s(48)
        bw = min(w, self.s(340))
        do = sc.button(
            pygame.Rect(rect.w - pad - bw, rect.h - pad - self.s(46), bw, self.s(46)),
            tr("ui.decisions.do"),
            lambda: self.do(kind),
            object_id="#primary",
            command="confirm",
            enabled=pv.refusal_text is None,
            tooltip=tr("ui.tip.do"),
            container=panel,
        )
        sc.targets["do"] = do
        if kind == "bid":
            sc.button(pygame.Rect(pad, rect.h - pad - self.s(46), min(w - bw - self.s(8), self.s(300)), self.s(46)), tr("ui.decisions.open_calls"), sc._open_tab("calls"), tooltip=tr("ui.tip.tab.calls"), container=panel)

    def _columns(self, labels: list[str], width: int) -> int:
        """Choice buttons a row: all of them when every name fits, else half (two rows), else one."""
        sc = self.screen
        gap = self.s(6)
        n = max(1, len(labels))
        need = max((sc.text_width(label, "button") + self.s(20) for label in labels), default=0)
        for columns in (n, -(-n // 2)):
            if (width - gap * (columns - 1)) // columns >= need:
                return columns
        return 1

    def _select(self, kind: str):  # noqa: ANN202
        def select() -> None:
            self.memory["kind"] = kind
            self.screen.rebuild_tab()

        return select

    def _choose(self, kind: str, name: str, value: Any):  # noqa: ANN202
        def choose() -> None:
            self.memory.setdefault("values", {}).setdefault(kind, {})[name] = value
            self.screen.rebuild_tab()

        return choose

    def on_entry_changed(self, element: Any, text: str) -> None:
        # The screen names its text fields "param:<parameter>".
        name = next((key.split(":", 1)[1] for key, entry in self.screen.entries.items() if entry is element and key.startswith("param:")), None)
        if name:
            kind = self.selected_kind()
            self.memory.setdefault("values", {}).setdefault(kind, {})[name] = text

    def do(self, kind: str) -> None:
        params = model.params_for(self.session, kind, self.tr)
        values = {k: v for k, v in self.values(kind, params).items() if v is not None}
        self.screen.perform(kind, **values)

    def on_command(self, command: str) -> bool:
        if command == "confirm":
            self.do(self.selected_kind())
            return True
        return False

    def on_key(self, event: pygame.event.Event) -> bool:
        kinds = self.kinds()
        if event.key in (pygame.K_UP, pygame.K_DOWN):
            k = kinds.index(self.selected_kind())
            self.memory["kind"] = kinds[(k + (1 if event.key == pygame.K_DOWN else -1)) % len(kinds)]
            self.screen.rebuild_tab()
            return True
        return False
