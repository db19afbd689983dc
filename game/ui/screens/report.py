"""The quarterly report: news and events, results, and cards that explain why,
each naming the barrier family behind a setback or the lever behind a gain."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pygame

from game.core.engine import PlayerFigures, QuarterReport
from game.models import views
from game.ui.nav import STAY, End, Nav, NextTurn, in_game
from game.ui.screens.base import Screen
from game.ui.screens.parts import card_html, console_button

if TYPE_CHECKING:
    from game.ui.context import Context

TONE_ORDER = {"bad": 0, "good": 1, "info": 2}


class ReportScreen(Screen):
    name = "report"

    def __init__(self, ctx: Context, report: QuarterReport, player: int = 0, then: Nav | None = None, next_key: str | None = None):
        super().__init__(ctx)
        self.next_key = next_key
        self.report = report
        self.player = player
        self.then = then
        self.private = ctx.session is not None and ctx.session.workshop is not None
        """Workshop: one team's report only (no buttons to read the other teams')."""
        self.ctx.anim.start("report_in", 0.9)
        self.view = "news"
        self.switch_targets: dict[str, Any] = {}
        """The right side shows the news cards (``news``) or the quarter's books (``books``)."""

    def explanations(self) -> list[Any]:
        items = self.report.for_firm(self.player)
        events = [e for e in items if e.key.startswith("event.")]
        rest = [e for e in items if not e.key.startswith("event.")]
        rest.sort(key=lambda e: TONE_ORDER.get(e.tone, 3))
        return events + rest

    def show_player(self, p: int) -> None:
        self.player = p

    def build(self) -> None:
        tr, session = self.tr, self.session
        rep = self.report
        box = self.box().pad(16)
        head = box.top(42, 6)
        # The switch between the news and the books sits at the right of the heading row,
        # in the same place in both views.
        self.switch_targets = {}
        switch_w = self._view_switch(head)
        head = pygame.Rect(head.x, head.y, head.w - switch_w - self.s(12), head.h)
        if self.private:
            self.heading(head, tr("ui.workshop.report_title", quarter=rep.quarter, name=session.state.firms.names[self.player]))
        else:
            self.heading(head, tr("ui.report.title", quarter=rep.quarter))
        bottom = box.bottom(50, 10)
        if session.players > 1 and not self.private:
            row = box.top(44, 8)
            self.team_picker(row, self.player, self.show_player)
        if self.view == "books":
            # The books take the whole width: the statement and the reconciliation side by side.
            self._books(box.rect)
        else:
            left = box.left(400, 14)
            self._figures(left)
            self._cards(box.rect)
        finished = session.finished
        label = tr(self.next_key) if self.next_key else (tr("ui.report.to_end") if finished else tr("ui.report.continue"))
        bw = self.button_width(label, "confirm", "#primary", minimum=330)
        gw = self.button_width(tr("ui.common.glossary"), "glossary", minimum=160)
        btn = self.button(pygame.Rect(bottom.right - bw - gw - self.s(12), bottom.y, bw, bottom.h), label, self.next, object_id="#primary", command="confirm", tooltip=tr("ui.tip.report_continue"))
        self.targets = {"continue": btn, **{f"report_view:{k}": b for k, b in self.switch_targets.items()}}
        self.glossary_button(pygame.Rect(bottom.right - gw, bottom.y, gw, bottom.h))
        if self.private:
            console_button(self, pygame.Rect(bottom.x, bottom.y, 0, bottom.h))
        self.ctx.set_focus_index(self.focusables.index(btn))

    def _figures(self, rect: pygame.Rect) -> None:
        tr = self.tr
        rep = self.report
        panel = self.panel(rect)
        pad = self.s(10)
        w = rect.w - 2 * pad
        y = pad
        players = rep.players or []
        if self.player >= len(players):
            return
        me = players[self.player]
        history = self.session.state.history
        prev = None
        for k, snap in enumerate(history):
            if snap["quarter"] == rep.quarter and k > 0:
                prev = PlayerFigures.from_dict(history[k - 1]["players"][self.player])
        start_cash = int(self.session.state.firms.start_cash[self.player])
        delta = me.cash - (prev.cash if prev else start_cash)
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.report.results"), "#subheading", container=panel)
        y += self.s(34)
        sign = "▲ +" if delta > 0 else ("▼ " if delta < 0 else "")
        rows = [
            ("ui.side.cash", tr.money(me.cash), "ui.tip.cash", None),
            ("ui.report.cash_change", sign + tr.money(delta), "ui.tip.cash_change", delta < 0),
            ("ui.report.revenue", tr.money(me.revenue), "ui.tip.revenue", None),
            ("ui.report.profit", tr.money(me.profit), "ui.tip.profit", me.profit < 0),
            ("ui.side.debt", tr.money(me.debt), "ui.tip.debt", None),
            ("ui.side.contracts", tr.num(me.contracts), "ui.tip.contracts", None),
            ("ui.report.on_time", tr.pct(me.on_time), "ui.tip.on_time", None),
            ("ui.report.ppm", tr.num(round(me.ppm)), "ui.tip.ppm", None),
            ("ui.side.tier", tr(f"ui.tier_short.{int(me.tier)}"), "ui.tip.tier", None),
        ]
        # Every row fits: the results, the cluster's three and all six capabilities.
        n_rows = len(rows) + (0 if me.alive else 1) + 3 + len(me.capabilities)
        fixed = 2 * pad + self.s(34) + self.s(8) + self.s(34) + self.s(8) + self.s(32)
        row_h = max(self.s(22), min(self.s(25), (rect.h - fixed) // n_rows))
        lw = int(w * 0.56)
        self.animated: list[tuple[Any, int, str]] = []
        for key, value, tip, bad in rows:
            self.label(pygame.Rect(pad, y, lw, row_h), tr(key), "#soft", tooltip=tr(tip), container=panel)
            oid = "#bad_value" if bad else ("#good_value" if bad is False else "#value")
            lab = self.label(pygame.Rect(pad + lw, y, w - lw, row_h), value, oid, tooltip=tr(tip), container=panel)
            if key == "ui.side.cash":
                self.animated.append((lab, me.cash, "money"))
            y += row_h
        if not me.alive:
            self.label(pygame.Rect(pad, y, w, row_h), tr("ui.side.bankrupt"), "#bad", container=panel)
            y += row_h
        y += self.s(8)
        cl = rep.cluster
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.report.cluster"), "#subheading", container=panel)
        y += self.s(34)
        crow = [
            ("ui.side.stage", tr.stage(cl.stage), "ui.tip.stage"),
            ("ui.report.local_share", tr.pct(cl.local_share), "ui.tip.local_share"),
            ("ui.report.local_suppliers", tr.num(cl.local_suppliers), "ui.tip.local_suppliers"),
        ]
        for key, value, tip in crow:
            self.label(pygame.Rect(pad, y, lw, row_h), tr(key), "#soft", tooltip=tr(tip), container=panel)
            self.label(pygame.Rect(pad + lw, y, w - lw, row_h), value, "#value", tooltip=tr(tip), container=panel)
            y += row_h
        # Capabilities and how they moved this quarter (learning, training, audits).
        y += self.s(8)
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.firm.capabilities"), "#subheading", container=panel)
        y += self.s(32)
        before = prev.capabilities if prev else None
        for cap, level_now in me.capabilities.items():
            moved = level_now - before[cap] if before else 0.0
            shown = tr.pct(level_now)
            if abs(moved) >= 0.0005:
                shown += f" ({'▲ +' if moved > 0 else '▼ '}{tr.num(round(moved * 100, 1))})"
            tip = tr(f"capability.{cap}.desc")
            self.label(pygame.Rect(pad, y, lw, row_h), tr.capability(cap), "#soft", tooltip=tip, container=panel)
            self.label(pygame.Rect(pad + lw, y, w - lw, row_h), shown, "#good_value" if moved > 0.0005 else ("#bad_value" if moved < -0.0005 else "#value"), tooltip=tip, container=panel)
            y += row_h

    def _view_switch(self, row: pygame.Rect) -> int:
        """Two buttons at the right end of ``row``: the news cards or the quarter's books; their width."""
        tr = self.tr
        views_ = (("news", "ui.books.view_news"), ("books", "ui.books.view_books"))
        widths = [self.text_width(tr(key)) + self.s(28) for _, key in views_]
        total = sum(widths) + self.s(6)
        x = row.right - total
        for (view, key), bw in zip(views_, widths, strict=True):
            btn = self.button(pygame.Rect(x, row.y, bw, row.h), tr(key), self._show(view), object_id="#selected" if self.view == view else None, tooltip=tr("ui.books.view_tip"))
            self.switch_targets[view] = btn
            x += bw + self.s(6)
        return total

    def _show(self, view: str):  # noqa: ANN202
        def show() -> None:
            self.view = view
            self.rebuild()

        return show

    def _books(self, rect: pygame.Rect) -> None:
        """The quarter's income statement and, beside it, the cash-flow reconciliation from the
        books (views.books): every line named, the groups' totals, profit, opening and closing cash."""
        tr = self.tr
        data = views.books(self.session, self.player, self.report.quarter, tr)
        if data is None:
            self.textbox(rect, tr.html(tr("ui.books.none")))
            return
        gap = self.s(14)
        half = (rect.w - gap) // 2
        income = pygame.Rect(rect.x, rect.y, half, rect.h)
        cash = pygame.Rect(rect.x + half + gap, rect.y, rect.w - half - gap, rect.h)
        note = tr("ui.books.investments_note", amount=data["investments"]) if data["investments"] else None
        self._statement(income, tr("ui.books.income_title"), data["income"], tr("ui.books.income_tip"), note)
        self._statement(cash, tr("ui.books.cash_title"), data["cash"], tr("ui.books.cash_tip"), None)

    def _statement(self, rect: pygame.Rect, title: str, rows: list[tuple[str, str, int]], tip: str, note: str | None) -> None:
        """One statement in a panel: a title, then name and pesos a row (a scrolling list when
        the rows do not fit the panel's height)."""
        tr = self.tr
        panel = self.panel(rect)
        pad = self.s(10)
        w = rect.w - 2 * pad
        self.label(pygame.Rect(pad, pad, w, self.s(30)), title, "#subheading", tooltip=tip, container=panel)
        top = pad + self.s(34)
        row_h = self.s(25)
        amount_w = max(self.text_width(tr.money(v), "label", "#value") for _, _, v in rows) + self.s(10)
        indent = self.s(16)
        # A name too long for its row (a contract's) wraps onto the rows under it.
        laid: list[tuple[str, list[str], int]] = []
        for kind, name, value in rows:
            oid = {"line": None, "head": "#subheading"}.get(kind, "#good" if value >= 0 else "#bad")
            room = w - self.s(24) - amount_w - (indent if kind == "line" else 0) - self.s(6)
            laid.append((kind, self._wrap(name, room, oid), value))
        lines = sum(len(parts) for _, parts, _ in laid) + (2 if note else 0)
        area = pygame.Rect(rect.x + pad, rect.y + top, w, rect.h - top - pad)
        holder: Any = panel
        y0, x0, inner_w = top, pad, w
        if lines * row_h > area.h:
            holder = self.scroller(area, lines * row_h)
            y0, x0, inner_w = 0, 0, w - self.s(24)
        y = y0
        for kind, parts, value in laid:
            left = x0 + (indent if kind == "line" else 0)
            oid = {"line": None, "head": "#subheading"}.get(kind, "#good" if value >= 0 else "#bad")
            for k, part in enumerate(parts):
                self.label(pygame.Rect(left + (indent if k else 0), y + k * row_h, inner_w - amount_w - (left - x0) - (indent if k else 0), row_h), part, oid, tooltip=tip, container=holder)
            self.label(pygame.Rect(x0 + inner_w - amount_w, y, amount_w, row_h), tr.money(value), "#bad_value" if value < 0 else "#value", tooltip=tip, container=holder)
            y += row_h * len(parts)
        if note:
            self.label(pygame.Rect(x0, y + row_h // 2, inner_w, row_h), note, "#soft", tooltip=tip, container=holder)

    def _wrap(self, text: str, width: int, object_id: str | None) -> list[str]:
        """``text`` in lines of at most ``width`` pixels in a label's font, broken at spaces."""
        out: list[str] = []
        line = ""
        for word in text.split(" "):
            trial = f"{line} {word}" if line else word
            if line and self.text_width(trial, "label", object_id) > width:
                out.append(line)
                line = word
            else:
                line = trial
        return [*out, line]

    def _cards(self, rect: pygame.Rect) -> None:
        tr, level = self.tr, self.session.level
        items = self.explanations()
        self.label(pygame.Rect(rect.x, rect.y, rect.w, self.s(30)), tr("ui.report.why"), "#subheading")
        area = pygame.Rect(rect.x, rect.y + self.s(34), rect.w, rect.h - self.s(34))
        if not items:
            self.textbox(area, tr.html(tr("report.no_news")) + "<br><br>" + tr.linked(tr("ui.report.quiet")))
            return
        inner_w = area.w - self.s(24)
        heights = []
        scores = {id(e): self._numbers(e) for e in items}
        for e in items:
            plain = self.tr.explain(dataclasses.replace(e, family=None, lever=None), level)
            if scores[id(e)]:
                plain += "\n" + scores[id(e)]
            heights.append(self.text_height("X\n" + plain, inner_w - self.s(24)))
        total = sum(heights) + self.s(8) * len(items)
        scroll = self.scroller(area, total)
        y = 0
        for e, h in zip(items, heights, strict=True):
            html, tone = card_html(tr, e, level)
            if scores[id(e)]:
                html += "<br>" + tr.html(scores[id(e)])
            self.textbox(pygame.Rect(0, y, inner_w, h), html, {"good": "#card_good", "bad": "#card_bad"}.get(tone, "#card_info"), container=scroll)
            y += h + self.s(8)

    def _numbers(self, e: Any) -> str:
        """The numbers behind a card: both scores of a lost bid; a delivered contract's gross and net."""
        st, tr, quarter = self.session.state, self.tr, self.report.quarter
        if e.key in views.LOST_KEYS:
            return views.lost_bid_text(st, self.player, quarter, e.params.get("rfq"), tr)
        if e.key == "contract.delivered":
            money = views.contract_money(st, self.session.rules, self.player, quarter, e.params.get("contract"))
            if money is not None:
                return str(tr("ui.report.contract_money", gross=money[0], net=money[1]))
        return ""

    def update(self, dt: float) -> None:
        p = self.ctx.anim.progress("report_in")
        for lab, value, _ in getattr(self, "animated", []):
            if not lab.alive():
                continue
            shown = value if p is None else int(value * (0.4 + 0.6 * (1 - (1 - p) ** 3)))
            text = self.tr.money(shown)
            if lab.text != text:
                lab.set_text(text)

    def next(self) -> Nav:
        if self.then is not None:
            return self.then
        if self.session.finished:
            return in_game(End())
        return in_game(NextTurn())

    def on_command(self, command: str) -> Nav | None:
        if command == "confirm":
            return self.next()
        if command == "back":
            return STAY
        return None
