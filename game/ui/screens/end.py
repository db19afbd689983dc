"""End of game: objective met or not, the balanced scorecard, charts over the quarters,
the key moments, and a prompt to play again or try another level."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pygame

from game.core.level_terms import CAPABILITIES
from game.core.state import Explanation
from game.ui.nav import Debrief, LevelSelect, Nav, NewGame, Pop, Push, Reset, Title, in_game
from game.ui.screens.base import Screen
from game.ui.screens.parts import firm_charts
from game.ui.theme import PALETTE
from game.ui.widgets.charts import LineChart, Series, quarter_labels

if TYPE_CHECKING:
    from game.ui.context import Context

KEY_MOMENTS = (
    "rfq.won",
    "cert.granted",
    "cert.failed",
    "contract.lost",
    "contract.ended",
    "finance.emergency_loan",
    "finance.bankrupt",
    "programme.approved",
    "innovation.success",
    "consortium.dissolved",
    "done.found_consortium",
    "done.join_consortium",
    "done.sign_university",
    "done.join_association",
    "done.apply_supplier_development",
    "done.accept_subcontract",
    "event.fired",
)
SCORE_PARTS = ("survival", "tier", "profit", "capabilities", "links", "jobs")


class EndScreen(Screen):
    name = "end"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.player = 0
        self.charts: list[LineChart] = []
        self.score_bars: list[tuple[pygame.Rect, float]] = []

    def key_moments(self) -> list[tuple[int, Any]]:
        out = []
        seen_first: set[str] = set()
        for rep in self.session.reports:
            for e in rep.for_firm(self.player):
                if e.key not in KEY_MOMENTS:
                    continue
                if e.key in ("contract.ended", "done.join_association") and e.key in seen_first:
                    continue
                seen_first.add(e.key)
                out.append((rep.quarter, e))
        return out

    def show_player(self, p: int) -> None:
        self.player = p

    def build(self) -> None:
        tr, session = self.tr, self.session
        game = session.game
        out = game.outcome(self.player)
        box = self.box().pad(14)
        self.heading(box.top(38, 4), tr("ui.end.title", level=tr.level_text(session.level.title)))
        if session.players > 1:
            row = box.top(40, 6)
            self.team_picker(row, self.player, self.show_player)
        met = out["objective_met"]
        banner = "✓ " + tr("ui.end.met", name=out["name"]) if met else "✗ " + tr("ui.end.missed", name=out["name"])
        if not out["alive"]:
            banner += " " + tr("ui.end.bankrupt", quarter=out["bankrupt_quarter"])
        problems = out.get("health", [])
        if problems:
            # Health as well as tier: what went wrong with the money, each with its barrier.
            lines = [f"<b>{tr.html(banner)}</b>", tr.html(tr("ui.end.health"))]
            lines += ["✗ " + tr.html(tr.explain(Explanation(**e), session.level)) for e in problems]
            html = "<br>".join(lines)
            # As tall as what went wrong needs, whole.
            self.textbox(box.top(max(52 + 58 * len(problems), self.html_height(html, box.rect.w, "#card_bad") / self.scale), 8), html, "#card_bad")
        else:
            self.textbox(box.top(52, 8), f"<b>{tr.html(banner)}</b>", "#card_good" if met else "#card_bad")
        bottom = box.bottom(50, 10)
        left = box.left(410, 12)
        self._scorecard(left, out)
        self._charts(box.rect)
        x = bottom.x
        buttons = [
            ("ui.end.play_again", self.play_again, "#primary"),
            ("ui.end.another_level", self.another_level, None),
            ("ui.end.save_replay", self.save_replay, None),
            ("ui.end.debrief", self.debrief, None),
            ("ui.end.title_screen", self.to_title, None),
        ]
        gw = self.button_width(tr("ui.common.glossary"), "glossary", minimum=160)
        bw = (bottom.w - gw - self.s(12) - self.s(8) * (len(buttons) - 1)) // len(buttons)
        for key, cb, oid in buttons:
            btn = self.button(pygame.Rect(x, bottom.y, bw, bottom.h), tr(key), cb, object_id=oid, tooltip=tr(key))
            if key == "ui.end.play_again":
                self.targets = {"continue": btn}
            x += bw + self.s(8)
        self.glossary_button(pygame.Rect(bottom.right - gw, bottom.y, gw, bottom.h))

    def _scorecard(self, rect: pygame.Rect, out: dict[str, Any]) -> None:
        tr = self.tr
        panel = self.panel(rect)
        pad = self.s(10)
        w = rect.w - 2 * pad
        y = pad
        card = out["scorecard"]
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.end.scorecard", total=tr.num(card.get("total", 0))), "#subheading", tooltip=tr("glossary.balanced_scorecard.desc"), container=panel)
        y += self.s(34)
        row_h = self.s(27)
        name_w = int(w * 0.52)
        self.score_bars = []
        for part in SCORE_PARTS:
            value = float(card.get(part, 0.0))
            tip = tr(f"ui.end.score_tip.{part}")
            self.label(pygame.Rect(pad, y, name_w, row_h), tr(f"scorecard.{part}"), tooltip=tip, container=panel)
            bar = pygame.Rect(rect.x + pad + name_w, rect.y + y + self.s(6), w - name_w - self.s(80), row_h - self.s(12))
            self.score_bars.append((bar, value))
            self.hover_regions.append((bar, tip + " " + tr.pct(value)))
            self.label(pygame.Rect(pad + w - self.s(72), y, self.s(72), row_h), tr.pct(value), "#value", tooltip=tip, container=panel)
            y += row_h
        y += self.s(8)
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.end.moments"), "#subheading", container=panel)
        y += self.s(32)
        lines = []
        for q, e in self.key_moments():
            body = tr.explain(dataclasses.replace(e, family=None, lever=None), self.session.level)
            mark = {"good": "▲", "bad": "▼"}.get(e.tone, "●")
            lines.append(f"<b>{tr.html(tr('ui.end.moment_quarter', quarter=q))}</b> {mark} {tr.linked(body)}")
        html = "<br>".join(lines) if lines else tr.html(tr("ui.end.no_moments"))
        self.document(pygame.Rect(pad, y, w, rect.h - y - pad), html, "#plain", container=panel)

    def _charts(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        hist = session.state.history
        p = self.player
        x_label, x_long = quarter_labels(tr, hist, session.level.start_year)

        cash = [h["players"][p]["cash"] for h in hist]
        caps = [sum(h["players"][p]["capabilities"][c] for c in CAPABILITIES) / len(CAPABILITIES) for h in hist]
        tier = [min(4, h["players"][p]["best_tier"]) for h in hist]
        contracts = [h["players"][p]["contracts"] for h in hist]
        local = [h["cluster"]["local_share"] for h in hist]
        gap = self.s(10)
        cols, rows_n = 3, 2
        cw = (rect.w - gap * (cols - 1)) // cols
        ch = (rect.h - gap * (rows_n - 1)) // rows_n
        # The same axes as the debrief's charts (whole tiers, whole contracts from 0).
        specs = firm_charts(
            tr,
            [Series(tr("ui.side.cash"), cash, PALETTE.accent)],
            [Series(tr("ui.end.chart.capabilities"), caps, PALETTE.good_fill)],
            [Series(tr("ui.side.tier"), tier, PALETTE.bad_fill)],
            [Series(tr("ui.side.contracts"), contracts, PALETTE.purple)],
        )
        specs.append((tr("ui.end.chart.local_share"), [Series(tr("ui.report.local_share"), local, PALETTE.warn)], tr.pct, (0.0, max(0.2, max(local or [0.0]) * 1.1)), False, None))
        self.charts = []
        for k, (title, series, fmt, y_range, invert, ticks) in enumerate(specs):
            c, r = k % cols, k // cols
            crect = pygame.Rect(rect.x + c * (cw + gap), rect.y + r * (ch + gap), cw, ch)
            chart = LineChart(crect, title, series, fmt, self.ctx.fonts, self.scale, x_label, y_range, invert, x_long, y_ticks=ticks)
            self.charts.append(chart)
            self.hover_regions.append((crect, chart.hover))
        self.summary_rect = pygame.Rect(rect.x + 2 * (cw + gap), rect.y + ch + gap, cw, ch)
        cl = session.state.metrics
        summary = [
            f"<b>{tr.html(tr('ui.end.cluster'))}</b>",
            tr.linked(tr("ui.end.cluster_stage", stage=cl.stage)),
            tr.html(tr("ui.end.cluster_share", share=tr.pct(cl.local_share), suppliers=cl.local_suppliers)),
        ]
        self.textbox(self.summary_rect, "<br>".join(summary))

    def draw_under(self, surface: pygame.Surface) -> None:
        for chart in self.charts:
            chart.draw(surface)

    def draw_over(self, surface: pygame.Surface) -> None:
        for bar, value in self.score_bars:
            pygame.draw.rect(surface, PALETTE.panel_alt, bar, border_radius=self.s(3))
            fill = bar.copy()
            fill.w = int(bar.w * max(0.0, min(1.0, value)))
            pygame.draw.rect(surface, PALETTE.good_fill, fill, border_radius=self.s(3))
            pygame.draw.rect(surface, PALETTE.border, bar, 1, border_radius=self.s(3))

    # -- buttons ---------------------------------------------------------------------------

    def play_again(self) -> Nav:
        session = self.session
        names = tuple(session.state.firms.names[: session.players])
        return in_game(NewGame(session.loaded, session.players, names))

    def another_level(self) -> Nav:
        return Reset((Title(), LevelSelect()), end_session=True)

    def save_replay(self) -> None:
        self.save_file(self.session.save_replay_new, "ui.save.replay_done")

    def debrief(self) -> Nav:
        """The class debrief: charts of every team, key moments, what if, questions, export."""
        below = self.ctx.screens_below()
        if below and below[-1] == "debrief":
            return Pop()
        return Push(Debrief())

    def to_title(self) -> Nav:
        return Reset((Title(),), end_session=True)

    def on_command(self, command: str) -> Nav | None:
        if command == "back":
            return self.to_title()
        return None


