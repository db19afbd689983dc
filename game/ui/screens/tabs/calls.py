"""Tab 4: calls for quotation: each call's requirements side by side with the firm's own
figures, what is missing (in the core's words), and a bid form."""

from __future__ import annotations

import math
from typing import Any

import pygame

from game.core import actions as core_actions
from game.core import rfq as rfq_rules
from game.core.state import DELIVERY, QUALITY, TECHNOLOGY
from game.models import decisions as model
from game.models import views
from game.ui.screens.tabs.base import Tab


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
        left = pygame.Rect(self.rect.x, self.rect.y, int(self.rect.w * 0.33), self.rect.h)
        right = pygame.Rect(left.right + gap, self.rect.y, self.rect.right - left.right - gap, self.rect.h)
        hidden = model.hidden_rfqs(session)
        note_h = sc.text_height(tr("ui.calls.hidden", count=hidden), left.w - self.s(20)) + self.s(8) if hidden else 0
        list_rect = pygame.Rect(left.x, left.y, left.w, left.h - note_h)
        row_h, row_gap = self.s(64), self.s(6)
        inner_w = list_rect.w - self.s(24)
        none_h = sc.html_height(tr.linked(tr("ui.calls.none")), inner_w, "#plain") if not calls else 0
        scroll = sc.scroller(list_rect, max(none_h, len(calls) * (row_h + row_gap)))
        current = self.selected()
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
        if current is not None:
            self._detail(right, current)
        else:
            sc.textbox(right, tr.linked(tr("ui.calls.explain")))

    def _detail(self, rect: pygame.Rect, rfq: Any) -> None:
        sc, tr, session = self.screen, self.tr, self.session
        st, rules = session.state, session.rules
        f = st.firms
        i = self.player
        panel = sc.panel(rect)
        pad = self.s(10)
        w = rect.w - 2 * pad
        y = pad
        lead = views.lead_name(session, rfq.lead_firm, tr)
        issuer = views.issuer_name(session, rfq.issuer, tr)
        head = [
            f"<b>{tr.html(views.call_title(session, rfq, tr))}</b>",
            tr.linked(tr("ui.calls.who", issuer=issuer, lead=lead, tier=tr.tier(rfq.tier))),
            tr.html(tr("ui.calls.terms", part=views.part_name(session, rfq.part_family, tr), volume=tr.num(rfq.volume), duration=rfq.duration, price=tr.money(rfq.target_price), days=rfq.payment_days)),
        ]
        if rfq.reserved_share > 0:
            head.append(tr.linked(tr("ui.calls.reserved", share=tr.pct(rfq.reserved_share))))
        if not rfq.public:
            head.append(tr.html(tr("ui.calls.private")))
        # The call's description (with the reserved volume) whole, the requirements table,
        # the call's figures (cost, margin, displaced local sales) and the bid form fixed;
        # the verdict in full when it fits, else in one sentence that points at the table's
        # ✗ marks (the full reasons on hover). When the table and the figures do not both
        # fit (1280x720), a switch in the table's heading row shows one or the other there.
        head_row_h = self.s(27)
        form_h = self.s(50)
        head_h = sc.html_height("<br>".join(head), w, "#plain")
        verdict, short = self._verdict(rfq)
        price = int(self.memory.get(f"price:{rfq.id}", rfq.target_price))
        money = views.call_money(session, i, rfq.id, price, tr)
        pairs = self._money_columns(money, w)
        short_h = sc.html_height(short, w, "#plain")
        full_h = sc.html_height(verdict, w, "#plain")
        # In order: the table and the figures together, then with rows a little tighter, then
        # the switch (rows tighter only when even the short verdict would reach the bid form).
        chosen = self._chosen_view(rfq)
        for view, row_h in (("both", self.s(23)), ("both", self.s(21)), (chosen, self.s(23)), (chosen, self.s(21))):
            self.view, self.row_h = view, row_h
            table_h = head_row_h + row_h * (7 + len(rfq.certifications)) + self.s(4)
            money_h = head_row_h + row_h * math.ceil(len(money) / pairs) + self.s(4)
            shown_h = table_h + (money_h if view == "both" else 0)
            room = rect.h - (2 * pad + form_h + head_h + self.s(14)) - shown_h
            if short_h <= room:
                break
        # A long call (its title on two lines, reserved volume, not public, a table of
        # certifications) on a short screen: the description scrolls rather than the verdict
        # running under the bid form; how the call reached the firm goes to the title's hover.
        head_tip = None
        if short_h > room and not rfq.public:
            head_tip = head.pop()
            lost = head_h
            head_h = sc.html_height("<br>".join(head), w, "#plain")
            room += lost - head_h
        # A generated title already names the part and the volume: the terms need not repeat them.
        if short_h > room and views.call_title(session, rfq, tr) == tr("ui.calls.generated_title", part=views.part_name(session, rfq.part_family, tr), volume=tr.num(rfq.volume)):
            head[2] = tr.html(tr("ui.calls.terms_after_title", duration=rfq.duration, price=tr.money(rfq.target_price), days=rfq.payment_days))
            lost = head_h
            head_h = sc.html_height("<br>".join(head), w, "#plain")
            room += lost - head_h
        scroll_head = short_h > room
        if scroll_head:
            head_h -= short_h - room
            room = short_h
        verdict_h = full_h if full_h <= room else short_h
        head_box = (sc.document if scroll_head else sc.textbox)(pygame.Rect(pad, y, w, head_h), "<br>".join(head), "#plain", container=panel)
        if head_tip is not None:
            sc.add_hover(head_box, views.strip_html(head_tip))
        y += head_h + self.s(4)
        self.money_labels: list[Any] = []
        if self.view != "money":
            self._requirements(pygame.Rect(pad, y, w, table_h), rfq, panel, heading=self.view == "both")
        if self.view != "requirements":
            top = y + (table_h if self.view == "both" else head_row_h)
            self._money_block(pygame.Rect(pad, top, w, money_h), money, pairs, price, panel, title=self.view == "both")
        if self.view != "both":
            self._view_switch(pygame.Rect(pad, y, w, head_row_h), price, panel)
        y += shown_h
        # What is missing, in the core's words, and the bid form.
        bid = self.my_bid(rfq)
        use_cons = bool(self.memory.get("consortium", False))
        missing = core_actions.bid_requirements(st, rules, i, rfq.id, use_cons)
        shown = verdict if verdict_h == full_h else short
        box = sc.textbox(pygame.Rect(pad, y, w, max(verdict_h, rect.h - y - form_h - pad - self.s(6))), shown, "#plain", container=panel)
        if shown is short:
            sc.add_hover(box, views.strip_html(verdict))
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

    def _requirements(self, rect: pygame.Rect, rfq: Any, panel: Any, heading: bool) -> None:
        """The call's requirements side by side with the firm's figures (``heading``: the
        column names over all four columns; else over the last three, the switch being left)."""
        sc, tr, session = self.screen, self.tr, self.session
        rules, f, i = session.rules, session.state.firms, self.player
        pad, w, y = rect.x, rect.w, rect.y
        row_h = self.row_h
        head_row_h = self.s(27)
        c1, c2, c3 = int(w * 0.40), int(w * 0.19), int(w * 0.23)
        c4 = w - c1 - c2 - c3
        headings = ((0, c1, "ui.calls.col_requirement"), (c1, c2, "ui.calls.col_asked"), (c1 + c2, c3, "ui.calls.col_you"))
        for x, width, key in headings if heading else headings[1:]:
            sc.label(pygame.Rect(pad + x, y, width, head_row_h), tr(key), "#subheading", container=panel)
        y += head_row_h
        tech_need = max(rfq.technology, float(rules.part_min_technology[rfq.part_family]))
        need_cap = rfq.volume * float(rules.part_complexity[rfq.part_family]) * (1.0 - rfq.reserved_share)
        free = views.free_capacity(session, i)
        rows = [
            (tr.capability("quality"), tr.pct(rfq.quality), tr.pct(float(f.cap[i, QUALITY])), f.cap[i, QUALITY] + 1e-9 >= rfq.quality, tr("capability.quality.desc")),
            (tr.capability("delivery"), tr.pct(rfq.delivery), tr.pct(float(f.cap[i, DELIVERY])), f.cap[i, DELIVERY] + 1e-9 >= rfq.delivery, tr("capability.delivery.desc")),
            (tr.capability("technology"), tr.pct(tech_need), tr.pct(float(f.cap[i, TECHNOLOGY])), f.cap[i, TECHNOLOGY] + 1e-9 >= tech_need, tr("capability.technology.desc")),
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
        rows.append((tr("ui.calls.free_capacity"), tr.num(int(need_cap)), tr.num(free), free + 1e-9 >= need_cap, tr("ui.tip.capacity")))
        # Solvency is judged on the net position (the core's rfq.pooled_figures), not on cash.
        net = rfq_rules.pooled_figures(session.state, rfq_rules.pooled(session.state, i, bool(self.memory.get("consortium", False)))).cash
        rows.append((tr("ui.calls.solvency"), tr.money(rfq.min_cash), tr.money(net), net >= rfq.min_cash, tr("ui.tip.solvency")))
        rows.append((tr("ui.calls.on_time_min"), tr.pct(rfq.min_on_time), tr.pct(float(f.on_time[i])), float(f.on_time[i]) + 1e-9 >= rfq.min_on_time, tr("ui.tip.scorecard")))
        rows.append((tr("ui.calls.ppm_max"), tr.num(rfq.max_ppm), tr.num(round(float(f.ppm[i]))), float(f.ppm[i]) <= rfq.max_ppm, tr("ui.tip.scorecard")))
        for name, asked, have, ok, tip in rows:
            sc.label(pygame.Rect(pad, y, c1, row_h), name, tooltip=tip, container=panel)
            sc.label(pygame.Rect(pad + c1, y, c2, row_h), asked, tooltip=tip, container=panel)
            sc.label(pygame.Rect(pad + c1 + c2, y, c3, row_h), have, tooltip=tip, container=panel)
            if ok is not None:
                sc.label(pygame.Rect(pad + c1 + c2 + c3, y, c4, row_h), ("✓ " + tr("ui.common.ok_short")) if ok else ("✗ " + tr("ui.common.missing_short")), "#good" if ok else "#bad", tooltip=tip, container=panel)
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
        name_w = max(sc.text_width(name, "label") for name, *_ in money) + self.s(12)
        # The names' gap gives way first to a long figure (displaced local sales in pieces and pesos).
        value_w = max(sc.text_width(value, "label", None if good is None else ("#good" if good else "#bad")) for _, value, _, good in money) + self.s(6)
        name_w = max(name_w - self.s(8), min(name_w, col_w - value_w))
        for k, (name, value, tip, good) in enumerate(money):
            x = rect.x + (k % pairs) * (col_w + self.s(16))
            top = y + (k // pairs) * row_h
            sc.label(pygame.Rect(x, top, name_w, row_h), name, tooltip=tip, container=panel)
            oid = None if good is None else ("#good" if good else "#bad")
            self.money_labels.append(sc.label(pygame.Rect(x + name_w, top, col_w - name_w, row_h), value, oid, tooltip=tip, container=panel))

    def _refresh_money(self, rfq: Any, price: int) -> None:
        """A typed price updates the figures in place (a rebuild would take the field's focus)."""
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
