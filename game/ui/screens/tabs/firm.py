"""Tab 2: the firm's dashboard: capabilities, certifications, finances, contracts and scorecards."""

from __future__ import annotations

import pygame

from game.core import ledger
from game.core.level_terms import CAPABILITIES
from game.core.state import RECEIVABLE_QUARTERS
from game.models import views
from game.ui.screens.tabs.base import Tab
from game.ui.theme import PALETTE


class FirmTab(Tab):
    name = "firm"

    def build(self) -> None:
        sc, tr, session = self.screen, self.tr, self.session
        st = session.state
        f = st.firms
        p = self.player
        gap = self.s(12)
        left = pygame.Rect(self.rect.x, self.rect.y, int(self.rect.w * 0.48), self.rect.h)
        right = pygame.Rect(left.right + gap, self.rect.y, self.rect.right - left.right - gap, self.rect.h)
        panel = sc.panel(left)
        pad = self.s(10)
        w = left.w - 2 * pad
        y = pad
        sc.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.firm.capabilities"), "#subheading", container=panel)
        y += self.s(34)
        row_h = self.s(30)
        name_w = int(w * 0.55)
        value_w = self.s(84)
        self.bars: list[tuple[pygame.Rect, float, str]] = []
        for k, cap in enumerate(CAPABILITIES):
            value = float(f.cap[p, k])
            tip = tr(f"capability.{cap}.desc")
            sc.label(pygame.Rect(pad, y, name_w, row_h), tr.capability(cap), tooltip=tip, container=panel)
            bar = pygame.Rect(left.x + pad + name_w, left.y + y + self.s(6), w - name_w - value_w - self.s(8), row_h - self.s(12))
            self.bars.append((bar, value, cap))
            sc.hover_regions.append((bar, tip + " " + tr("ui.firm.bar_tip", value=tr.pct(value))))
            sc.label(pygame.Rect(pad + w - value_w, y, value_w, row_h), tr.pct(value), "#figure_right", tooltip=tip, container=panel)
            y += row_h
        y += self.s(10)
        sc.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.firm.certifications"), "#subheading", container=panel)
        y += self.s(34)
        rules = session.rules
        for k, cert in enumerate(session.level.certifications):
            if f.cert_held[p, k]:
                status, oid = "✓ " + tr("ui.firm.cert_held"), "#good"
            elif f.cert_left[p, k] > 0:
                status, oid = tr("ui.firm.cert_progress", quarters=int(f.cert_left[p, k]), cost=tr.money(int(f.cert_cost_q[p, k]))), None
            else:
                status, oid = tr("ui.firm.cert_none", cost=tr.money(int(rules.cert_cost[k]))), "#soft"
            # The name whole: beside its status when it fits, else on a row of its own above it.
            name = tr.level_text(cert.name)
            cert_w = int(w * 0.34)
            own_row = sc.text_width(name, "label") + self.s(8) > cert_w
            if y + row_h * (2 if own_row else 1) > left.h - pad:
                break
            tip = tr("glossary.certification.desc")
            if own_row:
                sc.label(pygame.Rect(pad, y, w, row_h), name, tooltip=tip, container=panel)
                y += row_h
            else:
                sc.label(pygame.Rect(pad, y, cert_w, row_h), name, tooltip=tip, container=panel)
            sc.label(pygame.Rect(pad + cert_w, y, w - cert_w, row_h), status, oid, tooltip=tip, container=panel)
            y += row_h
        # The firm's whole dashboard (books first) is a document to scroll through.
        sc.document(right, self._details_html())

    def _books_html(self, p: int) -> list[str]:
        """The last closed quarter's books (game/core/ledger through views.books), line by line as
        the report's "Tus cuentas" shows them: the income statement (revenue by contract and
        local sales, each cost, profit) and then the cash-flow reconciliation, opening to
        closing cash to the peso; each group with its total first."""
        tr = self.tr
        h = tr.html
        closed = ledger.quarters(self.session.state, p)
        if not closed:
            return []
        data = views.books(self.session, p, closed[-1]["quarter"], tr)
        if data is None:
            return []

        def rows(items: list[tuple[str, str, int]]) -> list[str]:
            out = []
            for kind, name, value in items:
                text = f"{h(name)}: {h(tr.money(value))}"
                out.append(f"&nbsp;&nbsp;&nbsp;&nbsp;· {text}" if kind == "line" else f"<b>{text}</b>")
            return out

        out = [f"<b>{h(tr('ui.firm.books_title', quarter=data['quarter']))}</b>", f"<i>{h(tr('ui.books.income_title'))}</i>"]
        out += rows(data["income"])
        if data["investments"]:
            out.append(h(tr("ui.books.investments_note", amount=data["investments"])))
        out.append(f"<i>{h(tr('ui.books.cash_title'))}</i>")
        out += rows(data["cash"])
        out.append("")
        return out

    def _details_html(self) -> str:
        tr, session = self.tr, self.session
        st = session.state
        f = st.firms
        p = self.player
        h = tr.html
        out = self._books_html(p)
        out.append(f"<b>{h(tr('ui.firm.finances'))}</b>")
        out.append(h(tr("ui.firm.cash_line", cash=tr.money(int(f.cash[p])), opening=tr.money(int(f.cash_open[p])), cash_in=tr.money(int(f.cash_in[p])), cash_out=tr.money(int(f.cash_out[p])))))
        out.append(h(tr("ui.firm.runway_line", runway=views.runway_text(session, p, tr))))
        rate = float(f.debt_rate[p])
        out.append(h(tr("ui.firm.debt_line", debt=tr.money(int(f.debt[p])), rate=tr.pct(rate))))
        recv = [int(x) for x in f.receivables[p][:RECEIVABLE_QUARTERS]]
        parts = ", ".join(tr("ui.firm.due_in", quarters=k + 1, amount=tr.money(v)) for k, v in enumerate(recv) if v)
        out.append(h(tr("ui.firm.receivables_line", total=tr.money(sum(recv)), schedule=parts or tr("ui.firm.receivables_none"))))
        out.append(h(tr("ui.firm.people_line", employees=tr.num(int(f.employees[p])), capacity=tr.num(int(f.capacity[p])), free=tr.num(views.free_capacity(session, p)), pending=tr.num(int(f.capacity_pending[p])))))
        out.append(h(tr("ui.firm.scorecard_line", on_time=tr.pct(float(f.on_time[p])), ppm=tr.num(round(float(f.ppm[p]))))))
        if f.innovation_left[p] > 0:
            out.append(h(tr("ui.firm.innovation_running", quarters=int(f.innovation_left[p]))))
        for app_ in st.applications:
            if app_.firm == p:
                prog = session.level.programmes[app_.programme]
                out.append(h(tr("ui.firm.application", programme=tr.level_text(prog.name), quarter=app_.decide_quarter)))
        out.append("")
        out.append(f"<b>{h(tr('ui.firm.contracts'))}</b>")
        mine = [c for c in st.contracts if c.active and (p in c.members or c.subcontractor == p)]
        if not mine:
            out.append(h(tr("ui.firm.no_contracts")))
        for c in mine:
            who = views.issuer_name(session, c.issuer, tr)
            ok_time = f.on_time[p] + 1e-9 >= c.min_on_time
            ok_ppm = f.ppm[p] <= c.max_ppm
            mark_t = "✓" if ok_time else "✗"
            mark_p = "✓" if ok_ppm else "✗"
            line = tr(
                "ui.firm.contract_line",
                contract=c.id,
                issuer=who,
                tier=tr.tier(c.tier),
                part=views.part_name(session, c.part_family, tr),
                volume=tr.num(c.volume),
                price=tr.money(c.price),
                end=c.end_quarter,
                days=c.payment_days,
            )
            card = tr(
                "ui.firm.contract_scorecard",
                on_time=tr.pct(float(f.on_time[p])),
                min_on_time=tr.pct(c.min_on_time),
                ppm=tr.num(round(float(f.ppm[p]))),
                max_ppm=tr.num(c.max_ppm),
                strikes=c.strikes,
                mark_time=mark_t,
                mark_ppm=mark_p,
            )
            extra = ""
            if c.subcontractor == p:
                extra = " " + tr("ui.firm.you_subcontract", share=tr.pct(c.subcontract_share))
            elif c.subcontractor >= 0:
                extra = " " + tr("ui.firm.subcontracted_to", firm=st.firms.names[c.subcontractor], share=tr.pct(c.subcontract_share))
            if c.consortium >= 0 and c.consortium < len(st.consortia):
                extra += " " + tr("ui.firm.by_consortium", name=st.consortia[c.consortium].name)
            money = "<br>&nbsp;&nbsp;" + h(views.contract_margin_text(session, p, c, tr)) if p in c.members else ""
            out.append("• " + tr.linked(line + extra) + "<br>&nbsp;&nbsp;" + h(card) + money)
        return "<br>".join(out)

    def draw_over(self, surface: pygame.Surface) -> None:
        for rect, value, _ in getattr(self, "bars", []):
            pygame.draw.rect(surface, PALETTE.panel_alt, rect, border_radius=self.s(3))
            fill = rect.copy()
            fill.w = int(rect.w * max(0.0, min(1.0, value)))
            pygame.draw.rect(surface, PALETTE.accent, fill, border_radius=self.s(3))
            pygame.draw.rect(surface, PALETTE.border, rect, 1, border_radius=self.s(3))
            for q in (0.25, 0.5, 0.75):
                x = rect.x + int(rect.w * q)
                pygame.draw.line(surface, PALETTE.panel, (x, rect.y + 2), (x, rect.bottom - 3), 1)
