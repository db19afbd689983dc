"""What if: the recorded session is saved to the user folder and re-run
(:func:`game.models.debrief.run_what_if`) with one catalyst policy switched, or a
computer strategy in place of one team, from a chosen quarter; the two paths are
shown side by side, with the first quarter that differs marked."""

from __future__ import annotations

from typing import Any

import pygame

from game.models.debrief import WhatIfChoice, WhatIfView, policy_on_at, run_what_if
from game.ui import paths
from game.ui.screens.base import Callback
from game.ui.screens.debrief.base import DebriefBase, Section, team_rgb
from game.ui.screens.parts import short_money
from game.ui.theme import PALETTE
from game.ui.widgets.charts import LineChart, Series
from game.ui.workshop import STRATEGIES


class WhatIfSection(Section):
    name = "whatif"

    def __init__(self, screen: DebriefBase):
        super().__init__(screen)
        session = self.session
        self.choice = WhatIfChoice(quarter=max(1, min(len(session.recorder.turns), session.quarter // 2 or 1)))
        if session.level.policies:
            self.choice.on = not policy_on_at(session, 0, self.choice.quarter)
        else:
            self.choice.mode = "team"
        self.view: WhatIfView | None = None
        self.table_team = 0

    def build(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        level = session.level
        ch = self.choice
        turns = len(session.recorder.turns)
        gap = self.s(12)
        left = pygame.Rect(rect.x, rect.y, self.s(360), rect.h)
        right = pygame.Rect(left.right + gap, rect.y, rect.right - left.right - gap, rect.h)
        panel = self.screen.panel(left)
        pad = self.s(10)
        w = left.w - 2 * pad
        y = pad
        self.screen.label(pygame.Rect(pad, y, w, self.s(28)), tr("ui.debrief.whatif_change"), "#subheading", tooltip=tr("ui.tip.debrief.whatif"), container=panel)
        y += self.s(32)
        half = (w - self.s(8)) // 2
        modes = [("policy", "ui.debrief.mode_policy", bool(level.policies)), ("team", "ui.debrief.mode_team", True)]
        for k, (mode, key, enabled) in enumerate(modes):
            btn = self.screen.button(pygame.Rect(pad + k * (half + self.s(8)), y, half, self.s(38)), tr(key), self._set("mode", mode), object_id="#selected" if ch.mode == mode else None, enabled=enabled, tooltip=tr(f"ui.tip.{key[3:]}"), container=panel)
            self.screen.targets[f"mode:{mode}"] = btn
        y += self.s(46)
        controls_h = self.s(38) * 2 + self.s(52) + self.s(12)
        list_h = left.h - y - controls_h - pad - (self.s(46) if ch.mode == "team" else 0)
        if ch.mode == "policy":
            items = [(k, tr.level_text(p.name)) for k, p in enumerate(level.policies)]
            selected = ch.policy
        else:
            items = [(p, session.state.firms.names[p]) for p in range(session.players)]
            selected = ch.team
        row_h = self.s(36)
        scroll = self.screen.scroller(pygame.Rect(pad, y, w, list_h), len(items) * (row_h + self.s(4)), container=panel)
        for j, (value, label) in enumerate(items):
            btn = self.screen.button(pygame.Rect(0, j * (row_h + self.s(4)), w - self.s(24), row_h), label, self._set("policy" if ch.mode == "policy" else "team", value), class_id="@option", object_id="#selected" if value == selected else None, tooltip=label, container=scroll)
            self.screen.targets[f"{ch.mode}:{value}"] = btn
        y += list_h + self.s(6)
        if ch.mode == "policy":
            for k, (on, key) in enumerate(((True, "ui.debrief.switch_on"), (False, "ui.debrief.switch_off"))):
                btn = self.screen.button(pygame.Rect(pad + k * (half + self.s(8)), y, half, self.s(38)), tr(key), self._set("on", on), object_id="#selected" if ch.on == on else None, tooltip=tr("ui.tip.debrief_switch"), container=panel)
                self.screen.targets[f"on:{on}"] = btn
            y += self.s(46)
        else:
            for k, name in enumerate(STRATEGIES):
                btn = self.screen.button(
                    pygame.Rect(pad + (k % 2) * (half + self.s(8)), y + (k // 2) * self.s(44), half, self.s(38)),
                    tr(f"strategy.{name}"),
                    self._set("strategy", name),
                    object_id="#selected" if ch.strategy == name else None,
                    tooltip=tr(f"ui.console.strategy_tip.{name}") + "\n" + tr("ui.tip.debrief_team"),
                    container=panel,
                )
                self.screen.targets[f"strategy:{name}"] = btn
            y += self.s(92)
        # The quarter of the change.
        aw = self.s(44)
        self.screen.button(pygame.Rect(pad, y, aw, self.s(38)), "◀", self._quarter(-1), enabled=ch.quarter > 1, tooltip=tr("ui.tip.debrief_quarter"), container=panel)
        # "Desde el trimestre 10 de 20", or "Desde T10 de 20" where the words do not fit.
        room = w - 2 * aw - self.s(8)
        when = tr("ui.debrief.from_quarter", quarter=ch.quarter, turns=turns)
        if self.screen.text_width(when, "label", "#center") + self.s(8) > room:
            when = tr("ui.debrief.from_quarter_short", quarter=ch.quarter, turns=turns)
        self.screen.label(pygame.Rect(pad + aw + self.s(4), y, room, self.s(38)), when, "#center", tooltip=tr("ui.tip.debrief_quarter"), container=panel)
        self.screen.button(pygame.Rect(pad + w - aw, y, aw, self.s(38)), "▶", self._quarter(1), enabled=ch.quarter < turns, tooltip=tr("ui.tip.debrief_quarter"), container=panel)
        y += self.s(46)
        btn = self.screen.button(pygame.Rect(pad, left.h - pad - self.s(46), w, self.s(46)), tr("ui.debrief.run"), self.run, object_id="#primary", enabled=turns > 0, tooltip=tr("ui.tip.debrief_run"), container=panel)
        self.screen.targets["run"] = btn
        self._whatif_results(right)

    def _whatif_results(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        view = self.view
        if view is None or view.failed:
            text = self.problem_text(view) if view is not None else tr("ui.debrief.whatif_intro")
            self.screen.textbox(rect, tr.linked(text), "#card_bad" if view is not None else "#plain")
            return
        ch = view.change
        if ch.policy is not None:
            name = next((tr.level_text(p.name) for p in session.level.policies if p.id == ch.policy), ch.policy)
            what = tr("ui.debrief.whatif_policy", name=name, quarter=ch.quarter, state=tr("ui.debrief.state_on") if ch.on else tr("ui.debrief.state_off"))
        else:
            team = session.state.firms.names[session.state.firms.index(ch.firm)]
            what = tr("ui.debrief.whatif_team", team=team, strategy=ch.strategy, quarter=ch.quarter)
        if view.first is None:
            result = tr("ui.debrief.whatif_same")
        else:
            result = tr("ui.debrief.whatif_first", quarter=view.first, skipped=view.skipped)
        summary = f"<b>{tr.html(what)}</b><br>{tr.html(result)}"
        # Measured by pygame_gui on the summary itself: a long policy name in bold wraps wider.
        summary_h = self.screen.html_height(summary, rect.w, "#card_info")
        self.screen.textbox(pygame.Rect(rect.x, rect.y, rect.w, summary_h), summary, "#card_info")
        y = rect.y + summary_h + self.s(6)
        # Which team the figures follow.
        # One row of team buttons, or two when the names would not fit whole.
        n = session.players
        names = session.state.firms.names
        widest = max(self.screen.text_width(names[p]) for p in range(n)) + self.s(30)
        per_row = n if widest * n + self.s(6) * (n - 1) <= rect.w else (n + 1) // 2
        bw = min(self.s(180), (rect.w - self.s(6) * (per_row - 1)) // per_row)
        for p in range(n):
            r, c = divmod(p, per_row)
            btn = self.screen.button(pygame.Rect(rect.x + c * (bw + self.s(6)), y + r * self.s(40), bw, self.s(34)), names[p], self._table_team(p), object_id="#selected" if p == self.table_team else None, tooltip=tr("ui.tip.debrief_table_team", team=names[p]))
            self.screen.targets[f"table_team:{p}"] = btn
        y += self.s(40) * ((n + per_row - 1) // per_row)
        # Two charts: the team's cash and the cluster's local share, recorded (solid) and what if (squares).
        assert view.original is not None and view.changed is not None  # a view that did not fail has both paths
        hist = view.original.game.state.history
        alt = view.changed.game.state.history
        x_label, x_long = self.x_labels(hist)
        first_k = next((k for k, r in enumerate(view.rows) if not r.same), None)
        marks = [(first_k, PALETTE.bad_fill, tr("ui.debrief.paths_split"))] if first_k is not None else []
        chart_h = max(self.s(120), int((rect.bottom - y) * 0.45))
        cw = (rect.w - self.s(10)) // 2
        t = self.table_team
        rec_label, alt_label = tr("ui.debrief.recorded"), tr("ui.debrief.changed")
        cash = [
            Series(rec_label, [h["players"][t]["cash"] for h in hist], team_rgb(session, t)),
            Series(alt_label, [h["players"][t]["cash"] for h in alt], PALETTE.ink, dashed=True),
        ]
        local = [
            Series(rec_label, [h["cluster"]["local_share"] for h in hist], PALETTE.accent),
            Series(alt_label, [h["cluster"]["local_share"] for h in alt], PALETTE.ink, dashed=True),
        ]
        top = max([0.2] + [v * 1.1 for s in local for v in s.values])
        for k, (title, data, fmt, y_range) in enumerate(
            (
                (tr("ui.debrief.chart.team_cash", team=session.state.firms.names[t]), cash, lambda v: short_money(tr, v), None),
                (tr("ui.end.chart.local_share"), local, tr.pct, (0.0, top)),
            )
        ):
            crect = pygame.Rect(rect.x + k * (cw + self.s(10)), y, cw, chart_h)
            chart = LineChart(crect, title, data, fmt, self.screen.ctx.fonts, self.screen.scale, x_label, y_range, False, x_long, markers=marks)
            self.screen.charts.append(chart)
            self.screen.hover_regions.append((crect, chart.hover))
        y += chart_h + self.s(8)
        self._whatif_table(pygame.Rect(rect.x, y, rect.w, rect.bottom - y))

    def table_rows(self) -> list[list[str]]:
        """The side-by-side table as shown: quarter, cash recorded / what if, tier recorded /
        what if, local share recorded / what if (for the team picked)."""
        tr = self.tr
        view = self.view
        out: list[list[str]] = []
        if view is None or not view.rows:
            return out
        t = self.table_team
        first = view.first
        for r in view.rows:
            a, b = r.a, r.b or r.a
            q = r.quarter
            mark = "➜ " if first is not None and q == first else ("* " if first is not None and q > first else "")
            out.append(
                [
                    mark + tr("ui.end.quarter_short", quarter=q),
                    tr.money(a["players"][t]["cash"]),
                    tr.money(b["players"][t]["cash"]),
                    tr(f"ui.tier_short.{int(a['players'][t]['tier'])}"),
                    tr(f"ui.tier_short.{int(b['players'][t]['tier'])}"),
                    tr.pct(a["cluster"]["local_share"]),
                    tr.pct(b["cluster"]["local_share"]),
                ]
            )
        return out

    def _whatif_table(self, rect: pygame.Rect) -> None:
        tr = self.tr
        heads = [
            tr("ui.debrief.col.quarter"),
            tr("ui.debrief.col.cash_recorded"),
            tr("ui.debrief.col.cash_changed"),
            tr("ui.debrief.col.tier_recorded"),
            tr("ui.debrief.col.tier_changed"),
            tr("ui.debrief.col.share_recorded"),
            tr("ui.debrief.col.share_changed"),
        ]
        rows = self.table_rows()
        row_h = self.s(26)
        inner = rect.w - self.s(24)
        first_w = self.s(80)
        col_w = (inner - first_w) // (len(heads) - 1)
        widths = [first_w] + [col_w] * (len(heads) - 1)

        def place(k: int) -> int:
            return sum(widths[:k])

        for k, head in enumerate(heads):
            self.screen.label(pygame.Rect(rect.x + place(k), rect.y, widths[k], row_h), head, "#subheading" if k == 0 else "#soft", tooltip=head)
        scroll = self.screen.scroller(pygame.Rect(rect.x, rect.y + row_h + self.s(2), rect.w, rect.h - row_h - self.s(2)), len(rows) * row_h)
        view = self.view
        for j, cells in enumerate(rows):
            first = view is not None and view.first is not None and view.rows[j].quarter == view.first
            for k, cell in enumerate(cells):
                differs = k in (2, 4, 6) and cell != cells[k - 1]
                oid = "#bad" if differs or (k == 0 and first) else None
                self.screen.label(pygame.Rect(place(k), j * row_h, widths[k], row_h), cell, oid, container=scroll)

    def _set(self, name: str, value: Any) -> Callback:
        def set_value() -> None:
            setattr(self.choice, name, value)
            if name in ("policy", "mode") and self.choice.mode == "policy":
                self.choice.on = not policy_on_at(self.session, self.choice.policy, self.choice.quarter)
            self.screen.rebuild()

        return set_value

    def _quarter(self, step: int) -> Callback:
        def move() -> None:
            turns = len(self.session.recorder.turns)
            self.choice.quarter = max(1, min(turns, self.choice.quarter + step))
            if self.choice.mode == "policy":
                self.choice.on = not policy_on_at(self.session, self.choice.policy, self.choice.quarter)
            self.screen.rebuild()

        return move

    def _table_team(self, p: int) -> Callback:
        def pick() -> None:
            self.table_team = p
            self.screen.rebuild()

        return pick

    def run(self) -> None:
        self.view = run_what_if(self.session, self.choice, paths.replays_dir())
        if self.view.failed:
            self.screen.status = (self.problem_text(self.view), "bad")
        else:
            self.screen.status = (self.tr("ui.debrief.whatif_done"), "good")
            if self.choice.mode == "team":
                self.table_team = self.choice.team
        self.screen.rebuild()

    def problem_text(self, view: WhatIfView) -> str:
        if view.refusal is not None:
            return self.tr("ui.debrief.whatif_refused", reason=self.tr.refusal(view.refusal, self.session.level))
        return view.problem or ""
