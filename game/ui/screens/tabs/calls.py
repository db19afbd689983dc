"""Tab 4: calls for quotation: each call's requirements side by side with the firm's own
figures, what is missing (in the core's words), and a bid form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pygame

from game.core import actions as core_actions
from game.core import rfq as rfq_rules
from game.core.state import DELIVERY, QUALITY, TECHNOLOGY
from game.models import decisions as model
from game.models import views
from game.ui.screens.tabs.base import Tab


@dataclass
class _Plan:
    """Where a call's parts go in its panel (CallsTab._plan): ``view`` "side" (the figures
    beside the requirements table), "both" (under it), or "requirements" / "money" (one of
    them, with a switch); the description's lines and height, whether it scrolls, the line
    moved to its hover, and the verdict whole or in one sentence."""

    view: str
    row_h: int
    pairs: int
    head: list[str]
    head_h: int
    table_h: int
    money_h: int
    shown_h: int
    money: list[Any]
    price: int
    verdict: str
    short: str
    rows: list[tuple[str, str, str, bool, str]]
    """The requirements table as shown (the scorecard's rows merged or not)."""
    tips: list[str] = field(default_factory=list)
    marks_short: bool = False
    merged: bool = False
    line: bool = False
    """The requirements view with the figures' one-line summary under the table."""
    line_short: bool = False
    """That summary without the price (the long one is too wide)."""
    line_text: str = ""
    too_wide: bool = False
    terms_short: bool = False
    scroll_head: bool = False
    hidden: int = 0
    verdict_full: bool = True
    verdict_h: int = 0

    def compromises(self) -> bool:
        """Whether anything gives way (the rank's last two are only tie-breaks)."""
        return any(self.rank()[:-2])

    def rank(self) -> tuple[int, ...]:
        """Lower is better: the table fits, nothing scrolls (else as little as can be), both
        the table and the figures shown, the description whole, the verdict whole, the marks
        with their words."""
        return (self.too_wide, self.scroll_head, self.hidden, self.view not in ("side", "both"), self.view == "requirements" and not self.line, len(self.tips), self.terms_short, self.merged, not self.verdict_full, self.marks_short, -self.row_h, self.view != "side")


@dataclass
class _Content:
    """What a call's panel shows, whatever its size (CallsTab._content): measured once a build
    and weighed in every arrangement of both list widths."""

    variants: list[tuple[list[str], list[str], bool]]
    """The description, longest first: (lines, lines on hover, terms shortened)."""
    verdict: str
    short: str
    price: int
    money: list[Any]
    rows: dict[bool, list[tuple[str, str, str, bool, str]]]
    """The requirements table, and with the scorecard's two rows as one (True)."""
    lines: dict[bool, str]
    """The figures in one sentence, with and without the price (False, True)."""
    chosen: str
    """The view the switch shows (CallsTab._chosen_view)."""


class CallsTab(Tab):
    name = "calls"

    def calls(self) -> list[Any]:
        return model.visible_rfqs(self.session)

    def selected(self) -> Any:
        calls = self.calls()
        if not calls:
            return None
        rid = self.memory.get("rfq")
        found = next((r for r in calls if r.id == rid), None)
        if found is None:
            found = calls[0]
            self.memory["rfq"] = found.id
        return found

    def my_bid(self, rfq: Any) -> Any:
        i = self.player
        return next((b for b in self.session.state.bids if b.rfq_id == rfq.id and b.firm == i), None)

    def build(self) -> None:
        sc, tr, session = self.screen, self.tr, self.session
        calls = self.calls()
        gap = self.s(12)
        current = self.selected()
        left = pygame.Rect(self.rect.x, self.rect.y, int(self.rect.w * 0.33), self.rect.h)
        right = pygame.Rect(left.right + gap, self.rect.y, self.rect.right - left.right - gap, self.rect.h)
        content = self._content(current) if current is not None else None
        plan = self._plan(right, content) if content is not None else None
        if plan is not None and plan.compromises():
            # A long call on a short screen: a narrower list (its rows' titles shortened, whole
            # on hover) gives the call's description, table and figures the width to be read whole.
            narrow = pygame.Rect(left.x, left.y, int(self.rect.w * 0.25), left.h)
            wider = pygame.Rect(narrow.right + gap, self.rect.y, self.rect.right - narrow.right - gap, self.rect.h)
            assert content is not None
            other = self._plan(wider, content)
            if other.rank() < plan.rank():
                left, right, plan = narrow, wider, other
        hidden = model.hidden_rfqs(session)
        note_h = sc.text_height(tr("ui.calls.hidden", count=hidden), left.w - self.s(20)) + self.s(8) if hidden else 0
        list_rect = pygame.Rect(left.x, left.y, left.w, left.h - note_h)
        row_h, row_gap = self.s(64), self.s(6)
        inner_w = list_rect.w - self.s(24)
        none_h = sc.html_height(tr.linked(tr("ui.calls.none")), inner_w, "#plain") if not calls else 0
        scroll = sc.scroller(list_rect, max(none_h, len(calls) * (row_h + row_gap)))
        i = self.player
        if not calls:
            sc.textbox(pygame.Rect(0, 0, inner_w, none_h), tr.linked(tr("ui.calls.none")), "#plain", container=scroll)
        for k, rfq in enumerate(calls):
            missing = core_actions.bid_requirements(session.state, session.rules, i, rfq.id, False)
            bid = self.my_bid(rfq)
            mark = "➜" if bid else ("✓" if not missing else "✗")
            title = views.call_title(session, rfq, tr)
            status = tr("ui.calls.bid_sent") if bid else (tr("ui.calls.eligible") if not missing else tr("ui.calls.not_eligible"))
            btn = sc.row_button(
                pygame.Rect(0, k * (row_h + row_gap), inner_w, row_h),
                f"{mark} {title}",
                f"{tr.tier(rfq.tier)} · {views.issuer_name(session, rfq.issuer, tr)} · {status}",
                self._select(rfq.id),
                selected=current is not None and rfq.id == current.id,
                tooltip=tr("ui.calls.row_tip", title=title, tier=tr.tier(rfq.tier), issuer=views.issuer_name(session, rfq.issuer, tr), status=status),
                container=scroll,
            )
            sc.targets[f"rfq:{rfq.id}"] = btn
        if hidden:
            sc.textbox(pygame.Rect(left.x, list_rect.bottom + self.s(6), left.w, note_h - self.s(6)), tr.linked(tr("ui.calls.hidden", count=hidden)), "#card_info")
        self.plan = plan
        if current is not None and plan is not None:
            self._detail(right, current, plan)
        else:
            sc.textbox(right, tr.linked(tr("ui.calls.explain")))

    def _plan(self, rect: pygame.Rect, content: _Content) -> _Plan:
        """Where the call's parts go in a panel ``rect``, measured before anything is built:
        the description (its title, who asks, the terms, the reserved volume, how the call
        reached the firm), the requirements table, the call's figures (cost, margin, displaced
        local sales), the verdict and the bid form. Every arrangement is weighed and the best
        by ``_Plan.rank`` kept: the figures beside the table (a wide panel) or under it, rows
        a little tighter, before a switch in the table's heading row that shows one or the
        other (a short panel). A long description gives way step by step: how the call reached
        the firm goes to the description's hover, the terms leave out the part and volume a
        generated title already names, who calls goes to the hover too (the list's row names
        the buyer and the tier); the reserved volume stays in view, and only then does the
        description scroll rather than the verdict run under the bid form. The scorecard's
        two rows (on time, PPM) may become one, and a table too wide for the panel (a long
        certification name, a large sum) marks its rows with ✓ or ✗ alone."""
        sc = self.screen
        pad = self.s(10)
        w = rect.w - 2 * pad
        variants, short, price, money = content.variants, content.short, content.price, content.money
        heights = [sc.html_height("<br>".join(lines), w, "#plain") for lines, _, _ in variants]
        head_row_h = self.s(27)
        form_h = self.s(50)
        short_h = sc.html_height(short, w, "#plain")
        full_h = sc.html_height(content.verdict, w, "#plain")
        money_w = sum(self._money_widths(money))
        gap = self.s(24)
        best: _Plan | None = None
        # The requirements view can carry the figures in one sentence under the table, when it fits a line.
        fitting = [short_line for short_line, text in content.lines.items() if sc.text_width(text, "label") + self.s(6) <= w]
        line_fits = bool(fitting)
        arrangements = [("side", False), ("both", False)] + [(content.chosen, line) for line in ((True, False) if line_fits else (False,))]
        for view, line in arrangements:
            if view != "requirements":
                line = False
            table_w = w - money_w - gap if view == "side" else w
            if table_w <= 0:
                continue
            switch_w = self._switch_width() if view in ("requirements", "money") else 0
            pairs = 1 if view == "side" else self._money_columns(money, w)
            for merged, rows in content.rows.items():
                marks_short = sum(self._columns(rows, switch_w, short=False)) > table_w
                too_wide = sum(self._columns(rows, switch_w, short=True)) > table_w
                for row_h in (self.s(23), self.s(21)):
                    table_h = head_row_h + row_h * len(rows) + self.s(4)
                    money_h = head_row_h + row_h * math.ceil(len(money) / pairs) + self.s(4)
                    shown_h = {"side": max(table_h, money_h), "both": table_h + money_h, "money": money_h}.get(view, table_h + (row_h if line else 0))
                    for (lines, tips, terms_short), head_h in zip(variants, heights, strict=True):
                        room = rect.h - (2 * pad + form_h + head_h + self.s(14)) - shown_h
                        hidden = max(0, short_h - room)
                        plan = _Plan(
                            view=view, row_h=row_h, pairs=pairs, head=lines, head_h=head_h - hidden, table_h=table_h, money_h=money_h,
                            shown_h=shown_h, money=money, price=price, verdict=content.verdict, short=short, rows=rows, tips=tips, marks_short=marks_short,
                            too_wide=too_wide, merged=merged, line=line, line_short=line and fitting[0], line_text=content.lines[fitting[0]] if line else "", terms_short=terms_short, scroll_head=hidden > 0, hidden=hidden,
                            verdict_full=full_h <= room + hidden, verdict_h=full_h if full_h <= room + hidden else short_h,
                        )
                        if best is None or plan.rank() < best.rank():
                            best = plan
                        if not hidden:
                            break  # shorter descriptions only rank lower
        assert best is not None
        return best

    def _content(self, rfq: Any) -> _Content:
        """The call's texts and figures for ``_plan``: the description's variants, the verdict,
        the figures at the typed price, the requirements table and the figures' sentence."""
        tr, session = self.tr, self.session
        title = views.call_title(session, rfq, tr)
        who = (
            # A lead firm that calls for its own suppliers is named once.
            tr.linked(tr("ui.calls.who_lead", lead=views.lead_name(session, rfq.lead_firm, tr), tier=tr.tier(rfq.tier)))
            if rfq.issuer == rfq.lead_firm
            else tr.linked(tr("ui.calls.who", issuer=views.issuer_name(session, rfq.issuer, tr), lead=views.lead_name(session, rfq.lead_firm, tr), tier=tr.tier(rfq.tier)))
        )
        terms = tr.html(tr("ui.calls.terms", part=views.part_name(session, rfq.part_family, tr), volume=tr.num(rfq.volume), duration=rfq.duration, price=tr.money(rfq.target_price), days=rfq.payment_days))
        reserved = [tr.linked(tr("ui.calls.reserved", share=tr.pct(rfq.reserved_share)))] if rfq.reserved_share > 0 else []
        private = [tr.html(tr("ui.calls.private"))] if not rfq.public else []
        # The description's variants, longest first: (lines, lines on hover, terms shortened).
        variants: list[tuple[list[str], list[str], bool]] = [([f"<b>{tr.html(title)}</b>", who, terms, *reserved, *private], [], False)]
        if private:
            variants.append((variants[-1][0][:-1], private, False))
        if title == tr("ui.calls.generated_title", part=views.part_name(session, rfq.part_family, tr), volume=tr.num(rfq.volume)):
            short_terms = tr.html(tr("ui.calls.terms_after_title", duration=rfq.duration, price=tr.money(rfq.target_price), days=rfq.payment_days))
            lines, tips, _ = variants[-1]
            variants.append(([lines[0], who, short_terms, *lines[3:]], tips, True))
        lines, tips, terms_short = variants[-1]
        variants.append(([lines[0], *lines[2:]], [who, *tips], terms_short))
        verdict, short = self._verdict(rfq)
        price = int(self.memory.get(f"price:{rfq.id}", rfq.target_price))
        return _Content(
            variants=variants,
            verdict=verdict,
            short=short,
            price=price,
            money=views.call_money(session, self.player, rfq.id, price, tr),
            rows={merged: self._requirement_rows(rfq, merged) for merged in (False, True)},
            lines={short_line: views.call_money_line(session, self.player, rfq.id, price, tr, short_line) for short_line in (False, True)},
            chosen=self._chosen_view(rfq),
        )

    def _detail(self, rect: pygame.Rect, rfq: Any, plan: _Plan) -> None:
        sc, tr, session = self.screen, self.tr, self.session
        st = session.state
        f = st.firms
        i = self.player
        panel = sc.panel(rect)
        pad = self.s(10)
        w = rect.w - 2 * pad
        y = pad
        head_row_h = self.s(27)
        form_h = self.s(50)
        self.view, self.row_h = plan.view, plan.row_h
        head_box = (sc.document if plan.scroll_head else sc.textbox)(pygame.Rect(pad, y, w, plan.head_h), "<br>".join(plan.head), "#plain", container=panel)
        if plan.tips:
            sc.add_hover(head_box, "\n".join(views.strip_html(tip) for tip in plan.tips))
        y += plan.head_h + self.s(4)
        self.money_labels: list[Any] = []
        money_w = sum(self._money_widths(plan.money))
        table_w = w - money_w - self.s(24) if plan.view == "side" else w
        if plan.view != "money":
            self._requirements(pygame.Rect(pad, y, table_w, plan.table_h), plan.rows, panel, heading=plan.view in ("both", "side"), short=plan.marks_short)
        if plan.view == "side":
            self._money_block(pygame.Rect(pad + w - money_w, y, money_w, plan.money_h), plan.money, 1, plan.price, panel, title=True)
        elif plan.view != "requirements":
            top = y + (plan.table_h if plan.view == "both" else head_row_h)
            self._money_block(pygame.Rect(pad, top, w, plan.money_h), plan.money, plan.pairs, plan.price, panel, title=plan.view == "both")
        self.money_line = None
        if plan.line:
            self.money_line = sc.label(pygame.Rect(pad, y + plan.table_h, w, plan.row_h), plan.line_text, tooltip=tr("ui.calls.money.line_tip"), container=panel)
        if plan.view in ("requirements", "money"):
            self._view_switch(pygame.Rect(pad, y, w, head_row_h), plan.price, panel)
        y += plan.shown_h
        # What is missing, in the core's words, and the bid form.
        bid = self.my_bid(rfq)
        use_cons = bool(self.memory.get("consortium", False))
        missing = core_actions.bid_requirements(st, session.rules, i, rfq.id, use_cons)
        shown = plan.verdict if plan.verdict_full else plan.short
        box = sc.textbox(pygame.Rect(pad, y, w, max(plan.verdict_h, rect.h - y - form_h - pad - self.s(6))), shown, "#plain", container=panel)
        if not plan.verdict_full:
            sc.add_hover(box, views.strip_html(plan.verdict))
        price = plan.price
        y = rect.h - pad - form_h
        x = pad
        lw = sc.text_width(tr("ui.calls.price"), "label") + self.s(8)
        sc.label(pygame.Rect(x, y, lw, form_h), tr("ui.calls.price"), tooltip=tr("ui.tip.price"), container=panel)
        x += lw
        entry = sc.entry(pygame.Rect(x, y + self.s(4), self.s(104), form_h - self.s(8)), str(price), "price", container=panel, max_length=9)
        entry.set_allowed_characters("numbers")
        x += self.s(110)
        for mult, key in ((0.9, "ui.calls.minus10"), (0.95, "ui.calls.minus5"), (1.0, "ui.calls.target")):
            bw = sc.text_width(tr(key)) + self.s(22)
            quick = sc.button(pygame.Rect(x, y + self.s(4), bw, form_h - self.s(8)), tr(key), self._set_price(rfq, int(rfq.target_price * mult)), object_id="#selected" if price == int(rfq.target_price * mult) else None, tooltip=tr("ui.tip.price_quick", price=tr.money(int(rfq.target_price * mult))), container=panel)
            sc.targets[f"price:{int(round(mult * 100))}"] = quick
            x += bw + self.s(4)
        c = int(f.consortium[i])
        if c >= 0 and st.consortia[c].founder == i:
            label = ("☑ " if use_cons else "☐ ") + tr("ui.calls.consortium")
            bw = sc.text_width(label) + self.s(24)
            sc.targets["consortium"] = sc.button(pygame.Rect(x, y + self.s(4), bw, form_h - self.s(8)), label, self._toggle_consortium, tooltip=tr("ui.tip.bid_consortium"), container=panel)
            x += bw + self.s(4)
        send = sc.button(
            pygame.Rect(x + self.s(4), y + self.s(4), rect.w - pad - x - self.s(4), form_h - self.s(8)),
            tr("ui.calls.send"),
            lambda: self.send(rfq),
            object_id="#primary",
            enabled=bid is None and not missing,
            tooltip=tr("ui.tip.send_bid"),
            container=panel,
        )
        sc.targets["bid"] = send

    def _requirement_rows(self, rfq: Any, merged: bool = False) -> list[tuple[str, str, str, bool, str]]:
        """The call's requirements beside the firm's figures: (name, asked, the firm's,
        met?, explanation); ``merged``: the scorecard's on-time and PPM rows as one."""
        tr, session = self.tr, self.session
        rules, f, i = session.rules, session.state.firms, self.player
        tech_need = max(rfq.technology, float(rules.part_min_technology[rfq.part_family]))
        need_cap = rfq.volume * float(rules.part_complexity[rfq.part_family]) * (1.0 - rfq.reserved_share)
        free = views.free_capacity(session, i)
        rows = [
            (tr.capability("quality"), tr.pct(rfq.quality), tr.pct(float(f.cap[i, QUALITY])), bool(f.cap[i, QUALITY] + 1e-9 >= rfq.quality), tr("capability.quality.desc")),
            (tr.capability("delivery"), tr.pct(rfq.delivery), tr.pct(float(f.cap[i, DELIVERY])), bool(f.cap[i, DELIVERY] + 1e-9 >= rfq.delivery), tr("capability.delivery.desc")),
            (tr.capability("technology"), tr.pct(tech_need), tr.pct(float(f.cap[i, TECHNOLOGY])), bool(f.cap[i, TECHNOLOGY] + 1e-9 >= tech_need), tr("capability.technology.desc")),
        ]
        for cert in rfq.certifications:
            name = tr.level_text(session.level.certifications[cert].name)
            held = bool(f.cert_held[i, cert])
            if held:
                have = tr("ui.calls.cert_held")
            elif f.cert_left[i, cert] > 0:
                have = tr("ui.calls.cert_progress", quarters=int(f.cert_left[i, cert]))
            else:
                have = tr("ui.calls.cert_missing")
            rows.append((name, tr("ui.calls.cert_required"), have, held, tr("glossary.certification.desc")))
        rows.append((tr("ui.calls.free_capacity"), tr.num(int(need_cap)), tr.num(free), bool(free + 1e-9 >= need_cap), tr("ui.tip.capacity")))
        # Solvency is judged on the net position (the core's rfq.pooled_figures), not on cash.
        net = rfq_rules.pooled_figures(session.state, rfq_rules.pooled(session.state, i, bool(self.memory.get("consortium", False)))).cash
        rows.append((tr("ui.calls.solvency"), tr.money(rfq.min_cash), tr.money(net), bool(net >= rfq.min_cash), tr("ui.tip.solvency")))
        rows.append((tr("ui.calls.on_time_min"), tr.pct(rfq.min_on_time), tr.pct(float(f.on_time[i])), bool(float(f.on_time[i]) + 1e-9 >= rfq.min_on_time), tr("ui.tip.scorecard")))
        rows.append((tr("ui.calls.ppm_max"), tr.num(rfq.max_ppm), tr.num(round(float(f.ppm[i]))), bool(float(f.ppm[i]) <= rfq.max_ppm), tr("ui.tip.scorecard")))
        if merged:
            on_time, ppm = rows.pop(-2), rows.pop()
            asked = tr("ui.calls.scorecard_asked", on_time=rfq.min_on_time, ppm=rfq.max_ppm)
            have = tr("ui.calls.scorecard_you", on_time=float(f.on_time[i]), ppm=round(float(f.ppm[i])))
            rows.append((tr("ui.calls.scorecard"), asked, have, on_time[3] and ppm[3], tr("ui.tip.scorecard")))
        return rows

    def _mark(self, ok: bool, short: bool = False) -> str:
        if short:
            return "✓" if ok else "✗"
        return ("✓ " + self.tr("ui.common.ok_short")) if ok else ("✗ " + self.tr("ui.common.missing_short"))

    def _columns(self, rows: list[tuple[str, str, str, bool, str]], heading_w: int, short: bool) -> list[int]:
        """The table's four columns as wide as their widest text (the column names included,
        ``heading_w`` the switch's buttons over the first one) plus a gap; ``short``: the
        marks without their word."""
        sc, tr = self.screen, self.tr
        gap = self.s(14)
        # Each text is measured once (a plan weighs a dozen arrangements).
        cache: dict[Any, list[int]] = self.__dict__.setdefault("_text_widths", {})
        key = tuple((row[0], row[1], row[2]) for row in rows)
        if key not in cache:
            names = ("ui.calls.col_requirement", "ui.calls.col_asked", "ui.calls.col_you")
            cache[key] = [max([sc.text_width(tr(name), "label", "#subheading")] + [sc.text_width(row[k], "label") for row in rows]) for k, name in enumerate(names)]
        marks = cache.setdefault(("marks", short), [max(sc.text_width(self._mark(ok, short), "label", "#good" if ok else "#bad") for ok in (True, False))])
        widths = [width + gap for width in cache[key]]
        widths[0] = max(widths[0], heading_w + gap)
        widths.append(marks[0] + self.s(6))
        return widths

    def _requirements(self, rect: pygame.Rect, rows: list[tuple[str, str, str, bool, str]], panel: Any, heading: bool, short: bool) -> None:
        """The call's requirements side by side with the firm's figures (``heading``: the
        column names over all four columns; else over the last three, the switch being left).
        Each column as wide as its texts; the room left over goes to the first three."""
        sc, tr = self.screen, self.tr
        pad, w, y = rect.x, rect.w, rect.y
        row_h = self.row_h
        head_row_h = self.s(27)
        widths = self._columns(rows, 0 if heading else self._switch_width(), short)
        extra = max(0, w - sum(widths)) // 3
        c1, c2, c3 = (width + extra for width in widths[:3])
        c4 = w - c1 - c2 - c3
        headings = ((0, c1, "ui.calls.col_requirement"), (c1, c2, "ui.calls.col_asked"), (c1 + c2, c3, "ui.calls.col_you"))
        for x, width, key in headings if heading else headings[1:]:
            sc.label(pygame.Rect(pad + x, y, width, head_row_h), tr(key), "#subheading", container=panel)
        y += head_row_h
        for name, asked, have, ok, tip in rows:
            sc.label(pygame.Rect(pad, y, c1, row_h), name, tooltip=tip, container=panel)
            sc.label(pygame.Rect(pad + c1, y, c2, row_h), asked, tooltip=tip, container=panel)
            sc.label(pygame.Rect(pad + c1 + c2, y, c3, row_h), have, tooltip=tip, container=panel)
            mark_tip = tip if not short else f"{self._mark(ok)}: {tip}"
            sc.label(pygame.Rect(pad + c1 + c2 + c3, y, c4, row_h), self._mark(ok, short), "#good" if ok else "#bad", tooltip=mark_tip, container=panel)
            y += row_h

    def _chosen_view(self, rfq: Any) -> str:
        """Which half the switch shows: the player's choice, else the figures when the firm
        can bid (the requirements are all met) and the requirements when it cannot."""
        chosen = self.memory.get("calls_view")
        if chosen in ("requirements", "money"):
            return str(chosen)
        eligible = self.my_bid(rfq) is None and not core_actions.bid_requirements(self.session.state, self.session.rules, self.player, rfq.id, bool(self.memory.get("consortium", False)))
        return "money" if eligible else "requirements"

    def _view_switch(self, rect: pygame.Rect, price: int, panel: Any) -> None:
        """Two buttons in the table's heading row: the requirements or the call's figures."""
        sc, tr = self.screen, self.tr
        x = rect.x
        for view, key in (("requirements", "ui.calls.view_requirements"), ("money", "ui.calls.view_money")):
            bw = sc.text_width(tr(key)) + self.s(22)
            sc.targets[f"calls_view:{view}"] = sc.button(pygame.Rect(x, rect.y, bw, rect.h), tr(key), self._show_view(view), object_id="#selected" if self.view == view else None, tooltip=tr("ui.calls.view_tip"), container=panel)
            x += bw + self.s(4)
        if self.view == "money":
            title_x = x + self.s(8)
            self.money_title = sc.label(pygame.Rect(title_x, rect.y, rect.right - title_x, rect.h), tr("ui.calls.money.title", price=price), "#subheading", container=panel)

    def _switch_width(self) -> int:
        """The two switch buttons' width with their gap (``_view_switch``)."""
        sc, tr = self.screen, self.tr
        return sum(sc.text_width(tr(key)) + self.s(22) for key in ("ui.calls.view_requirements", "ui.calls.view_money")) + self.s(4)

    def _money_widths(self, money: list[Any]) -> tuple[int, int]:
        """The figures' name and value columns, as wide as their widest texts."""
        sc = self.screen
        name_w = max(sc.text_width(name, "label") for name, *_ in money) + self.s(12)
        value_w = max(sc.text_width(value, "label", None if good is None else ("#good" if good else "#bad")) for _, value, _, good in money) + self.s(6)
        return name_w, value_w

    def _money_columns(self, money: list[Any], w: int) -> int:
        """Two name/figure pairs a row when both fit the width, else one."""
        sc = self.screen
        need = max(sc.text_width(name, "label") for name, *_ in money) + max(sc.text_width(value, "label") for _, value, *_ in money) + self.s(24)
        return 2 if 2 * need + self.s(16) <= w else 1

    def _money_block(self, rect: pygame.Rect, money: list[Any], pairs: int, price: int, panel: Any, title: bool) -> None:
        """The call's figures at the bid price (views.call_money): name and figure, ``pairs`` a row."""
        sc, tr = self.screen, self.tr
        row_h = self.row_h
        y = rect.y
        if title:
            self.money_title = sc.label(pygame.Rect(rect.x, y, rect.w, self.s(27)), tr("ui.calls.money.title", price=price), "#subheading", container=panel)
            y += self.s(27)
        col_w = (rect.w - self.s(16) * (pairs - 1)) // pairs
        name_w, value_w = self._money_widths(money)
        # The names' gap gives way first to a long figure (displaced local sales in pieces and pesos).
        name_w = max(name_w - self.s(8), min(name_w, col_w - value_w))
        for k, (name, value, tip, good) in enumerate(money):
            x = rect.x + (k % pairs) * (col_w + self.s(16))
            top = y + (k // pairs) * row_h
            sc.label(pygame.Rect(x, top, name_w, row_h), name, tooltip=tip, container=panel)
            oid = None if good is None else ("#good" if good else "#bad")
            self.money_labels.append(sc.label(pygame.Rect(x + name_w, top, col_w - name_w, row_h), value, oid, tooltip=tip, container=panel))

    def _refresh_money(self, rfq: Any, price: int) -> None:
        """A typed price updates the figures in place (a rebuild would take the field's focus)."""
        line = getattr(self, "money_line", None)
        if line is not None and line.alive() and self.plan is not None:
            line.set_text(views.call_money_line(self.session, self.player, rfq.id, price, self.tr, self.plan.line_short))
        labels = getattr(self, "money_labels", [])
        if not labels:
            return
        money = views.call_money(self.session, self.player, rfq.id, price, self.tr)
        for label, (_, value, _, _) in zip(labels, money, strict=True):
            label.set_text(value)
        title = getattr(self, "money_title", None)
        if title is not None and title.alive():
            title.set_text(self.tr("ui.calls.money.title", price=price))

    def _show_view(self, view: str):  # noqa: ANN202
        def show() -> None:
            self.memory["calls_view"] = view
            self.screen.rebuild_tab()

        return show

    def _verdict(self, rfq: Any) -> tuple[str, str]:
        """Whether the firm can bid on the call, as HTML: in full (every missing requirement
        in the core's words) and in one sentence."""
        tr, session = self.tr, self.session
        bid = self.my_bid(rfq)
        use_cons = bool(self.memory.get("consortium", False))
        missing = core_actions.bid_requirements(session.state, session.rules, self.player, rfq.id, use_cons)
        if bid is not None:
            text = "➜ " + tr("ui.calls.already_bid", price=tr.money(bid.price))
            return tr.linked(text), tr.linked(text)
        if missing:
            full = "✗ " + tr("ui.calls.missing") + " " + " ".join(tr.refusal(m, session.level) for m in missing)
            return tr.linked(full), tr.linked("✗ " + tr("ui.calls.missing_short"))
        return tr.linked("✓ " + tr("ui.calls.can_bid")), tr.linked("✓ " + tr("ui.calls.can_bid_short"))

    def _select(self, rid: str):  # noqa: ANN202
        def select() -> None:
            self.memory["rfq"] = rid
            self.screen.rebuild_tab()

        return select

    def _set_price(self, rfq: Any, price: int):  # noqa: ANN202
        def set_price() -> None:
            self.memory[f"price:{rfq.id}"] = price
            self.screen.rebuild_tab()

        return set_price

    def _toggle_consortium(self) -> None:
        self.memory["consortium"] = not self.memory.get("consortium", False)
        self.screen.rebuild_tab()

    def on_entry_changed(self, element: Any, text: str) -> None:
        rfq = self.selected()
        if rfq is not None and element is self.screen.entries.get("price"):
            digits = "".join(ch for ch in text if ch.isdigit())[:9]
            if digits:
                self.memory[f"price:{rfq.id}"] = int(digits)
                self._refresh_money(rfq, int(digits))

    def send(self, rfq: Any) -> None:
        price = int(self.memory.get(f"price:{rfq.id}", rfq.target_price))
        params: dict[str, Any] = {"rfq": rfq.id, "price": price}
        if self.memory.get("consortium"):
            params["consortium"] = True
        self.screen.perform("bid", **params)

    def on_command(self, command: str) -> bool:
        rfq = self.selected()
        if command == "confirm" and rfq is not None:
            self.send(rfq)
            return True
        return False

    def on_key(self, event: pygame.event.Event) -> bool:
        calls = self.calls()
        if event.key in (pygame.K_UP, pygame.K_DOWN) and calls:
            ids = [r.id for r in calls]
            k = ids.index(self.selected().id)
            self.memory["rfq"] = ids[(k + (1 if event.key == pygame.K_DOWN else -1)) % len(ids)]
            self.screen.rebuild_tab()
            return True
        return False
