"""Charts: every team over the quarters (cash, capabilities, best tier, contracts) in its
colour, point shape and dash (told apart without colour), and the cluster's local share
and stage, with the events (grey) and the facilitator's policy switches (green, tagged
with the policy, over the events) marked as dotted lines on the time axis. Axes fit the
quantity: tiers as whole tiers, contracts as whole numbers from 0, capabilities 0-100%."""

from __future__ import annotations

from typing import Any

import pygame

from game.core.level_terms import CAPABILITIES
from game.ui.screens.debrief.base import Section, team_series
from game.ui.screens.parts import firm_charts
from game.ui.theme import PALETTE
from game.ui.widgets.charts import LineChart, Series


class ChartsSection(Section):
    name = "charts"

    def build(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        st = session.state
        hist = st.history
        n = session.players
        names = st.firms.names
        # The legend: one swatch per team.
        # The legend: each team's line sample and name, on one row or two when the names would not fit whole.
        widest = max((self.screen.text_width(names[p], "label") for p in range(n)), default=0) + self.s(34 + 12)
        per_row = n if widest * n <= rect.w else (n + 1) // 2
        row_h = self.s(30)
        legend = pygame.Rect(rect.x, rect.y, rect.w, row_h * ((n + per_row - 1) // max(1, per_row)))
        item_w = min(self.s(200), (legend.w - self.s(8)) // max(1, per_row))
        for p in range(n):
            r, c = divmod(p, per_row)
            x, y = legend.x + c * item_w, legend.y + r * row_h
            self.screen.samples.append((pygame.Rect(x, y + self.s(6), self.s(30), self.s(18)), team_series(session, p, names[p], [])))
            self.screen.label(pygame.Rect(x + self.s(34), y, item_w - self.s(38), row_h), names[p], tooltip=names[p])
        area = pygame.Rect(rect.x, legend.bottom + self.s(6), rect.w, rect.bottom - legend.bottom - self.s(6))
        if not hist:
            self.screen.textbox(area, tr.html(tr("ui.debrief.no_quarters")))
            return
        x_label, x_long = self.x_labels(hist)
        marks = self.markers()

        def series(fn: Any) -> list[Series]:
            return [team_series(session, p, names[p], [fn(h["players"][p]) for h in hist]) for p in range(n)]

        cash = series(lambda pl: pl["cash"])
        caps = series(lambda pl: sum(pl["capabilities"][c] for c in CAPABILITIES) / len(CAPABILITIES))
        tier = series(lambda pl: min(4, pl["best_tier"]))
        contracts = series(lambda pl: pl["contracts"])
        local = [h["cluster"]["local_share"] for h in hist]
        specs = firm_charts(tr, cash, caps, tier, contracts)
        specs.append((tr("ui.debrief.chart.cluster"), [Series(tr("ui.report.local_share"), local, PALETTE.accent)], tr.pct, (0.0, max(0.2, max(local or [0.0]) * 1.1)), False, None))
        gap = self.s(10)
        cols, rows_n = 3, 2
        cw = (area.w - gap * (cols - 1)) // cols
        ch = (area.h - gap * (rows_n - 1)) // rows_n
        for k, (title, data, fmt, y_range, invert, ticks) in enumerate(specs):
            c, r = k % cols, k // cols
            crect = pygame.Rect(area.x + c * (cw + gap), area.y + r * (ch + gap), cw, ch)
            if k == 4:
                stages = [tr.stage(h["cluster"]["stage"]) for h in hist]
                fmt_share = fmt

                def long_with_stage(i: int, _long: Any = x_long, _stages: list[str] = stages) -> str:
                    return _long(i) + (f" · {_stages[i]}" if i < len(_stages) else "")

                changes = {i: tr.stage(hist[i]["cluster"]["stage"]) for i in range(len(hist)) if i == 0 or hist[i]["cluster"]["stage"] != hist[i - 1]["cluster"]["stage"]}
                chart = LineChart(crect, title, data, fmt_share, self.screen.ctx.fonts, self.screen.scale, x_label, y_range, invert, long_with_stage, markers=marks, legend=False, labels=changes)
            else:
                chart = LineChart(crect, title, data, fmt, self.screen.ctx.fonts, self.screen.scale, x_label, y_range, invert, x_long, markers=marks, legend=False, y_ticks=ticks)
            self.screen.charts.append(chart)
            self.screen.hover_regions.append((crect, chart.hover))
        # The sixth cell: the time line in words.
        cell = pygame.Rect(area.x + 2 * (cw + gap), area.y + ch + gap, cw, ch)
        # The policy switches first, then the events, as many as the cell shows whole;
        # the rest are named when hovering over their line in any chart.
        lines = [f"<b>{tr.html(tr('ui.debrief.timeline'))}</b>", tr.html(tr("ui.debrief.timeline_key"))]
        cl = st.metrics
        tail = [tr.linked(tr("ui.workshop.public_cluster", stage=cl.stage, share=tr.pct(cl.local_share), suppliers=cl.local_suppliers))]
        ordered = sorted(marks, key=lambda m: (m[1] != PALETTE.good_fill, m[0]))
        for n_shown in range(len(ordered), -2, -1):
            listed = [f"<b>{tr.html(x_label(m[0]))}</b> {tr.html(m[2])}" for m in ordered[: max(0, n_shown)]]
            more = [tr.html(tr("ui.debrief.timeline_more", count=len(ordered) - max(0, n_shown)))] if n_shown < len(ordered) and ordered else []
            # Last resort: the cluster's line (its figures are in the chart beside) gives way too.
            html = "<br>".join(lines + listed + more + (tail if n_shown >= 0 else []))
            if self.screen.html_height(html, cell.w, "#plain") <= cell.h:
                break
        self.screen.textbox(cell, html, "#plain")


