"""The debrief: class charts, cause and effect, what if, questions for the discussion,
and the export button.

- **Charts**: every team over the quarters (cash, capabilities, best tier,
  contracts) in its colour, and the cluster's local share and stage, with the
  events (grey) and the facilitator's policy switches (green) marked as dotted
  lines on the time axis.
- **Cause and effect**: each team's three key moments
  (:func:`game.core.debrief.key_moments`) with the barrier family or lever behind each.
- **What if**: the recorded session is saved to the user folder and re-run by
  :func:`game.core.replay.what_if` with one catalyst policy switched, or a
  computer strategy in place of one team, from a chosen quarter; the two paths
  are shown side by side, with the first quarter that differs marked.
- **Questions** tied to the concepts of the seed documents.
- **Export**: :func:`game.headless.export.export_session`, the same function as
  ``python main.py export``, into the user folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from game.core.level import CAPABILITIES
from game.headless.export import TEAM_COLOURS
from game.models.debrief import WhatIfChoice, WhatIfView, policy_on_at, run_what_if
from game.ui import paths
from game.ui.nav import STAY, End, Nav, Pop, Push, Reset, Title
from game.ui.screens.base import Callback, Screen, Scroller
from game.ui.screens.parts import (
    card_html,
    export_to_user_folder,
    short_money,
    team_band,
    tier_tick,
)
from game.ui.theme import PALETTE
from game.ui.widgets.charts import LineChart, Series, quarter_labels
from game.ui.workshop import STRATEGIES, hex_rgb

if TYPE_CHECKING:
    from game.ui.context import Context

SECTIONS = ("charts", "causes", "whatif", "questions")
QUESTIONS = 12
"""``debrief.question.1`` .. ``.12`` (the export prints the first five)."""
EVENT_GREY = (120, 120, 120)


def team_rgb(session: Any, team: int) -> tuple[int, int, int]:
    ws = getattr(session, "workshop", None)
    if ws is not None:
        return ws.rgb(team)
    return hex_rgb(TEAM_COLOURS[team % len(TEAM_COLOURS)])


class DebriefScreen(Screen):
    name = "debrief"

    def __init__(self, ctx: Context, section: str = "charts"):
        super().__init__(ctx)
        self.section = section
        self.status: tuple[str, str] | None = None
        self.charts: list[LineChart] = []
        self.swatches: list[tuple[pygame.Rect | tuple[Scroller, pygame.Rect], int]] = []
        """Team colour swatches: a rect in the window, or (a scrolling list, a rect in it)."""
        session = self.session
        self.choice = WhatIfChoice(quarter=max(1, min(len(session.recorder.turns), session.quarter // 2 or 1)))
        if session.level.policies:
            self.choice.on = not policy_on_at(session, 0, self.choice.quarter)
        else:
            self.choice.mode = "team"
        self.view: WhatIfView | None = None
        self.table_team = 0

    # -- frame --------------------------------------------------------------------------------

    def build(self) -> None:
        tr, session = self.tr, self.session
        self.charts, self.swatches = [], []
        box = self.box().pad(12)
        self.heading(box.top(38, 4), tr("ui.debrief.title", level=tr.level_text(session.level.title)))
        self._sections(box.top(44, 8))
        bottom = box.bottom(50, 8)
        self._bottom_bar(bottom)
        status = box.bottom(44, 8)
        text, tone = self.status or (tr("ui.debrief.status_idle"), "info")
        mark = {"good": "✓ ", "bad": "✗ "}.get(tone, "")
        self.textbox(status, tr.html(mark + text), {"good": "#card_good", "bad": "#card_bad"}.get(tone, "#card_info"))
        getattr(self, f"_build_{self.section}")(box.rect)

    def _sections(self, rect: pygame.Rect) -> None:
        tr = self.tr
        font = self.manager.get_theme().get_font(["@tab"])
        gap = self.s(6)
        labels = [f"{k + 1} {tr(f'ui.debrief.section.{name}')}" for k, name in enumerate(SECTIONS)]
        widths = [font.size(t)[0] + self.s(30) for t in labels]
        extra = max(0, (rect.w - sum(widths) - gap * (len(SECTIONS) - 1)) // len(SECTIONS))
        x = rect.x
        for name, label, w in zip(SECTIONS, labels, widths, strict=True):
            btn = self.button(pygame.Rect(x, rect.y, w + extra, rect.h), label, self._open(name), class_id="@tab", object_id="#selected" if name == self.section else None, tooltip=tr(f"ui.tip.debrief.{name}"))
            self.targets[f"section:{name}"] = btn
            x += w + extra + gap

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

    def _open(self, name: str) -> Callback:
        def open_section() -> None:
            self.section = name
            self.rebuild()

        return open_section

    # -- 1: charts --------------------------------------------------------------------------------

    def markers(self) -> list[tuple[int, tuple[int, int, int], str]]:
        """Events (grey) and the facilitator's policy switches (green) at their quarter's index."""
        tr, session = self.tr, self.session
        level = session.level
        index = {h["quarter"]: k for k, h in enumerate(session.state.history)}
        out = []
        for m in session.state.timeline:
            k = index.get(m.get("quarter"))
            if k is None:
                continue
            if m["kind"] == "event":
                name = next((tr.level_text(e.name) for e in level.events if e.id == m.get("event")), str(m.get("event")))
                if m.get("injected"):
                    name = tr("ui.debrief.injected", name=name)
                out.append((k, EVENT_GREY, name))
            elif m["kind"] == "policy":
                name = next((tr.level_text(p.name) for p in level.policies if p.id == m.get("policy")), str(m.get("policy")))
                out.append((k, PALETTE.good_fill, tr("ui.debrief.switched_on" if m.get("on") else "ui.debrief.switched_off", name=name)))
        return out

    def _x_labels(self, hist: list[dict[str, Any]]) -> tuple[Any, Any]:
        return quarter_labels(self.tr, hist, self.session.level.start_year)

    def _build_charts(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        st = session.state
        hist = st.history
        n = session.players
        names = st.firms.names
        # The legend: one swatch per team.
        legend = pygame.Rect(rect.x, rect.y, rect.w, self.s(30))
        x = legend.x
        item_w = min(self.s(200), (legend.w - self.s(8)) // max(1, n))
        for p in range(n):
            self.swatches.append((pygame.Rect(x, legend.y + self.s(6), self.s(18), self.s(18)), p))
            self.label(pygame.Rect(x + self.s(22), legend.y, item_w - self.s(26), legend.h), names[p], tooltip=names[p])
            x += item_w
        area = pygame.Rect(rect.x, legend.bottom + self.s(6), rect.w, rect.bottom - legend.bottom - self.s(6))
        if not hist:
            self.textbox(area, tr.html(tr("ui.debrief.no_quarters")))
            return
        x_label, x_long = self._x_labels(hist)
        marks = self.markers()

        def series(fn: Any) -> list[Series]:
            return [Series(names[p], [fn(h["players"][p]) for h in hist], team_rgb(session, p)) for p in range(n)]

        cash = series(lambda pl: pl["cash"])
        caps = series(lambda pl: sum(pl["capabilities"][c] for c in CAPABILITIES) / len(CAPABILITIES))
        tier = series(lambda pl: min(4, pl["best_tier"]))
        contracts = series(lambda pl: pl["contracts"])
        top_contracts = max((v for s in contracts for v in s.values), default=0)
        local = [h["cluster"]["local_share"] for h in hist]
        specs = [
            (tr("ui.end.chart.cash"), cash, lambda v: short_money(tr, v), None, False),
            (tr("ui.end.chart.capabilities"), caps, tr.pct, (0.0, 1.0), False),
            (tr("ui.end.chart.tier"), tier, lambda v: tier_tick(tr, v), (1.0, 4.0), True),
            (tr("ui.end.chart.contracts"), contracts, lambda v: tr.num(round(v)), (0.0, float(max(2, top_contracts + 1))), False),
            (tr("ui.debrief.chart.cluster"), [Series(tr("ui.report.local_share"), local, PALETTE.accent)], tr.pct, (0.0, max(0.2, max(local or [0.0]) * 1.1)), False),
        ]
        gap = self.s(10)
        cols, rows_n = 3, 2
        cw = (area.w - gap * (cols - 1)) // cols
        ch = (area.h - gap * (rows_n - 1)) // rows_n
        for k, (title, data, fmt, y_range, invert) in enumerate(specs):
            c, r = k % cols, k // cols
            crect = pygame.Rect(area.x + c * (cw + gap), area.y + r * (ch + gap), cw, ch)
            if k == 4:
                stages = [tr.stage(h["cluster"]["stage"]) for h in hist]
                fmt_share = fmt

                def long_with_stage(i: int, _long: Any = x_long, _stages: list[str] = stages) -> str:
                    return _long(i) + (f" · {_stages[i]}" if i < len(_stages) else "")

                changes = {i: tr.stage(hist[i]["cluster"]["stage"]) for i in range(len(hist)) if i == 0 or hist[i]["cluster"]["stage"] != hist[i - 1]["cluster"]["stage"]}
                chart = LineChart(crect, title, data, fmt_share, self.ctx.fonts, self.scale, x_label, y_range, invert, long_with_stage, markers=marks, legend=False, labels=changes)
            else:
                chart = LineChart(crect, title, data, fmt, self.ctx.fonts, self.scale, x_label, y_range, invert, x_long, markers=marks, legend=False)
            self.charts.append(chart)
            self.hover_regions.append((crect, chart.hover))
        # The sixth cell: the time line in words.
        cell = pygame.Rect(area.x + 2 * (cw + gap), area.y + ch + gap, cw, ch)
        lines = [f"<b>{tr.html(tr('ui.debrief.timeline'))}</b>", tr.html(tr("ui.debrief.timeline_key"))]
        for k, _colour, name in marks:
            lines.append(f"<b>{tr.html(x_label(k))}</b> {tr.html(name)}")
        cl = st.metrics
        lines.append(tr.linked(tr("ui.workshop.public_cluster", stage=cl.stage, share=tr.pct(cl.local_share), suppliers=cl.local_suppliers)))
        self.textbox(cell, "<br>".join(lines), "#plain")

    # -- 2: cause and effect -------------------------------------------------------------------------

    def moments(self, team: int) -> list[Any]:
        from game.core.debrief import key_moments

        return key_moments(self.session.reports, team)

    def _build_causes(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        level = session.level
        n = session.players
        intro_h = self.s(52)
        self.textbox(pygame.Rect(rect.x, rect.y, rect.w, intro_h), tr.linked(tr("ui.debrief.causes_intro")), "#plain")
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
                body = tr.explain(m.explanation, level)
                cards.append((html, tone, self.text_height("XX XX\n" + body, card_w, spacing=1.12)))
            h = max([self.s(64)] + [c[2] for c in cards])
            blocks.append((p, cards, h))
        gap = self.s(10)
        scroll = self.scroller(area, sum(h + gap for _, _, h in blocks))
        y = 0
        for p, cards, h in blocks:
            self.label(pygame.Rect(self.s(30), y, name_w - self.s(34), self.s(30)), session.state.firms.names[p], "#subheading", tooltip=session.state.firms.names[p], container=scroll)
            self.swatches.append(((scroll, pygame.Rect(0, y + self.s(5), self.s(22), self.s(22))), p))
            if not cards:
                self.textbox(pygame.Rect(name_w, y, inner - name_w, self.s(64)), tr.html(tr("ui.end.no_moments")), container=scroll)
            for k, (html, tone, _h) in enumerate(cards):
                oid = {"good": "#card_good", "bad": "#card_bad"}.get(tone, "#card_info")
                self.textbox(pygame.Rect(name_w + k * (card_w + self.s(8)), y, card_w, h), html, oid, container=scroll)
            y += h + gap

    # -- 3: what if ------------------------------------------------------------------------------------

    def _build_whatif(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        level = session.level
        ch = self.choice
        turns = len(session.recorder.turns)
        gap = self.s(12)
        left = pygame.Rect(rect.x, rect.y, self.s(360), rect.h)
        right = pygame.Rect(left.right + gap, rect.y, rect.right - left.right - gap, rect.h)
        panel = self.panel(left)
        pad = self.s(10)
        w = left.w - 2 * pad
        y = pad
        self.label(pygame.Rect(pad, y, w, self.s(28)), tr("ui.debrief.whatif_change"), "#subheading", tooltip=tr("ui.tip.debrief.whatif"), container=panel)
        y += self.s(32)
        half = (w - self.s(8)) // 2
        modes = [("policy", "ui.debrief.mode_policy", bool(level.policies)), ("team", "ui.debrief.mode_team", True)]
        for k, (mode, key, enabled) in enumerate(modes):
            btn = self.button(pygame.Rect(pad + k * (half + self.s(8)), y, half, self.s(38)), tr(key), self._set("mode", mode), object_id="#selected" if ch.mode == mode else None, enabled=enabled, tooltip=tr(f"ui.tip.{key[3:]}"), container=panel)
            self.targets[f"mode:{mode}"] = btn
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
        scroll = self.scroller(pygame.Rect(pad, y, w, list_h), len(items) * (row_h + self.s(4)), container=panel)
        for j, (value, label) in enumerate(items):
            btn = self.button(pygame.Rect(0, j * (row_h + self.s(4)), w - self.s(24), row_h), label, self._set("policy" if ch.mode == "policy" else "team", value), class_id="@option", object_id="#selected" if value == selected else None, tooltip=label, container=scroll)
            self.targets[f"{ch.mode}:{value}"] = btn
        y += list_h + self.s(6)
        if ch.mode == "policy":
            for k, (on, key) in enumerate(((True, "ui.debrief.switch_on"), (False, "ui.debrief.switch_off"))):
                btn = self.button(pygame.Rect(pad + k * (half + self.s(8)), y, half, self.s(38)), tr(key), self._set("on", on), object_id="#selected" if ch.on == on else None, tooltip=tr("ui.tip.debrief_switch"), container=panel)
                self.targets[f"on:{on}"] = btn
            y += self.s(46)
        else:
            for k, name in enumerate(STRATEGIES):
                btn = self.button(
                    pygame.Rect(pad + (k % 2) * (half + self.s(8)), y + (k // 2) * self.s(44), half, self.s(38)),
                    tr(f"strategy.{name}"),
                    self._set("strategy", name),
                    object_id="#selected" if ch.strategy == name else None,
                    tooltip=tr(f"ui.console.strategy_tip.{name}") + "\n" + tr("ui.tip.debrief_team"),
                    container=panel,
                )
                self.targets[f"strategy:{name}"] = btn
            y += self.s(92)
        # The quarter of the change.
        aw = self.s(44)
        self.button(pygame.Rect(pad, y, aw, self.s(38)), "◀", self._quarter(-1), enabled=ch.quarter > 1, tooltip=tr("ui.tip.debrief_quarter"), container=panel)
        self.label(pygame.Rect(pad + aw + self.s(4), y, w - 2 * aw - self.s(8), self.s(38)), tr("ui.debrief.from_quarter", quarter=ch.quarter, turns=turns), "#center", tooltip=tr("ui.tip.debrief_quarter"), container=panel)
        self.button(pygame.Rect(pad + w - aw, y, aw, self.s(38)), "▶", self._quarter(1), enabled=ch.quarter < turns, tooltip=tr("ui.tip.debrief_quarter"), container=panel)
        y += self.s(46)
        btn = self.button(pygame.Rect(pad, left.h - pad - self.s(46), w, self.s(46)), tr("ui.debrief.run"), self.run, object_id="#primary", enabled=turns > 0, tooltip=tr("ui.tip.debrief_run"), container=panel)
        self.targets["run"] = btn
        self._whatif_results(right)

    def _whatif_results(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        view = self.view
        if view is None or view.failed:
            text = self.problem_text(view) if view is not None else tr("ui.debrief.whatif_intro")
            self.textbox(rect, tr.linked(text), "#card_bad" if view is not None else "#plain")
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
        summary_h = self.text_height(what + "\n" + result, rect.w, spacing=1.12)
        self.textbox(pygame.Rect(rect.x, rect.y, rect.w, summary_h), f"<b>{tr.html(what)}</b><br>{tr.html(result)}", "#card_info")
        y = rect.y + summary_h + self.s(6)
        # Which team the figures follow.
        n = session.players
        bw = min(self.s(180), (rect.w - self.s(6) * (n - 1)) // n)
        for p in range(n):
            btn = self.button(pygame.Rect(rect.x + p * (bw + self.s(6)), y, bw, self.s(34)), session.state.firms.names[p], self._table_team(p), object_id="#selected" if p == self.table_team else None, tooltip=tr("ui.tip.debrief_table_team", team=session.state.firms.names[p]))
            self.targets[f"table_team:{p}"] = btn
        y += self.s(40)
        # Two charts: the team's cash and the cluster's local share, recorded (solid) and what if (squares).
        assert view.original is not None and view.changed is not None  # a view that did not fail has both paths
        hist = view.original.game.state.history
        alt = view.changed.game.state.history
        x_label, x_long = self._x_labels(hist)
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
            chart = LineChart(crect, title, data, fmt, self.ctx.fonts, self.scale, x_label, y_range, False, x_long, markers=marks)
            self.charts.append(chart)
            self.hover_regions.append((crect, chart.hover))
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
            self.label(pygame.Rect(rect.x + place(k), rect.y, widths[k], row_h), head, "#subheading" if k == 0 else "#soft", tooltip=head)
        scroll = self.scroller(pygame.Rect(rect.x, rect.y + row_h + self.s(2), rect.w, rect.h - row_h - self.s(2)), len(rows) * row_h)
        view = self.view
        for j, cells in enumerate(rows):
            first = view is not None and view.first is not None and view.rows[j].quarter == view.first
            for k, cell in enumerate(cells):
                differs = k in (2, 4, 6) and cell != cells[k - 1]
                oid = "#bad" if differs or (k == 0 and first) else None
                self.label(pygame.Rect(place(k), j * row_h, widths[k], row_h), cell, oid, container=scroll)

    def _set(self, name: str, value: Any) -> Callback:
        def set_value() -> None:
            setattr(self.choice, name, value)
            if name in ("policy", "mode") and self.choice.mode == "policy":
                self.choice.on = not policy_on_at(self.session, self.choice.policy, self.choice.quarter)
            self.rebuild()

        return set_value

    def _quarter(self, step: int) -> Callback:
        def move() -> None:
            turns = len(self.session.recorder.turns)
            self.choice.quarter = max(1, min(turns, self.choice.quarter + step))
            if self.choice.mode == "policy":
                self.choice.on = not policy_on_at(self.session, self.choice.policy, self.choice.quarter)
            self.rebuild()

        return move

    def _table_team(self, p: int) -> Callback:
        def pick() -> None:
            self.table_team = p
            self.rebuild()

        return pick

    def run(self) -> None:
        self.view = run_what_if(self.session, self.choice, paths.replays_dir())
        if self.view.failed:
            self.status = (self.problem_text(self.view), "bad")
        else:
            self.status = (self.tr("ui.debrief.whatif_done"), "good")
            if self.choice.mode == "team":
                self.table_team = self.choice.team
        self.rebuild()

    def problem_text(self, view: WhatIfView) -> str:
        if view.refusal is not None:
            return self.tr("ui.debrief.whatif_refused", reason=self.tr.refusal(view.refusal, self.session.level))
        return view.problem or ""

    # -- 4: questions -----------------------------------------------------------------------------------

    def _build_questions(self, rect: pygame.Rect) -> None:
        tr = self.tr
        items = [tr.linked(tr("ui.debrief.questions_intro"))]
        items += [f"<b>{k}.</b> " + tr.linked(tr(f"debrief.question.{k}")) for k in range(1, QUESTIONS + 1)]
        self.textbox(rect, "<br><br>".join(items), "#plain")

    # -- buttons ------------------------------------------------------------------------------------------

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
        if command.startswith("tab."):
            names = {"tab.map": "charts", "tab.firm": "causes", "tab.decisions": "whatif", "tab.calls": "questions"}
            if command in names:
                self._open(names[command])()
                return STAY
        if command == "confirm" and self.section == "whatif":
            self.run()
            return STAY
        return None

    def drawn_texts(self) -> list[str]:
        return super().drawn_texts() + [c.title for c in self.charts]

    def draw_under(self, surface: pygame.Surface) -> None:
        for chart in self.charts:
            chart.draw(surface)

    def draw_over(self, surface: pygame.Surface) -> None:
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
