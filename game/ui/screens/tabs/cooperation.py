"""Tab 5: cooperation: consortia, proposals between players, subcontracting,
universities and technology centres, the cluster association, supplier development."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pygame

from game.core import actions as core_actions
from game.core import policies
from game.core.state import KIND_PLAYER
from game.models import actions as ui_actions
from game.models import decisions as model
from game.models import views
from game.ui.screens.tabs.base import Tab

Row = tuple[str, list[tuple[str, Callable[[], None] | None, str, str | None]]]
"""(html, [(button label, callback or None when not possible, tooltip, coach target)])."""


class CooperationTab(Tab):
    name = "cooperation"

    def _act(self, kind: str, **params: Any) -> Callable[[], None]:
        def act() -> None:
            self.screen.perform(kind, **params)

        return act

    def _button(self, kind: str, label: str, target: str | None = None, **params: Any) -> tuple[str, Callable[[], None] | None, str, str | None]:
        """A button for a decision: disabled, with the core's reason as tooltip, if it would be refused."""
        tr = self.tr
        outcome = ui_actions.preview(self.session, kind, **params)
        points = ui_actions.action_points(kind)
        tip = tr(f"action.{kind}.desc") + " " + tr("ui.coop.points", points=points)
        if outcome.refusal is not None:
            return (label, None, tip + "\n✗ " + tr.refusal(outcome.refusal, self.session.level), target)
        return (label, self._act(kind, **params), tip, target)

    def sections(self) -> list[tuple[str, list[Row]]]:
        tr, session = self.tr, self.session
        st, rules, level = session.state, session.rules, session.level
        f = st.firms
        i = self.player
        h = tr.html
        out: list[tuple[str, list[Row]]] = []
        # Consortium.
        rows: list[Row] = []
        c = int(f.consortium[i])
        if c >= 0:
            cons = st.consortia[c]
            names = ", ".join(f.names[m] for m in cons.members)
            rows.append((tr.linked(tr("ui.coop.your_consortium", name=cons.name, members=names, trust=tr.pct(cons.trust), deliveries=cons.joint_deliveries, founder=f.names[cons.founder])), [self._button("leave_consortium", tr("ui.coop.leave")), self._button("free_ride", tr("ui.coop.free_ride"))]))
            if "invite_to_consortium" in ui_actions.action_kinds():
                for j in self._partners(exclude_consortium=True, smes=2 if st.players > 1 else 4):
                    if j in getattr(cons, "invited", []):
                        rows.append((h(tr("ui.coop.invited_waiting", firm=f.names[j])), []))
                        continue
                    if f.kind[j] == KIND_PLAYER and session.workshop is not None:
                        # Another team: its spare capacity is its own business.
                        text = tr("ui.coop.invite_team_row", team=f.names[j])
                    else:
                        who = f.names[j] + (f" ({tr('ui.common.player')})" if f.kind[j] == KIND_PLAYER else "")
                        text = tr("ui.coop.invite_row", firm=who, free=tr.num(int(max(0, f.capacity[j] - f.committed[j]))))
                    rows.append((h(text), [self._button("invite_to_consortium", tr("ui.coop.invite"), to_firm=f.ids[j])]))
        else:
            name = self.memory.get("consortium_name") or tr("ui.coop.default_name", name=f.names[i])[:60]
            found = core_actions.cost(st, session.rules, core_actions.FoundConsortium(f.ids[i], name))
            rows.append((tr.linked(tr("ui.coop.found_row", cost=tr.money(found.now))), [self._button("found_consortium", tr("ui.coop.found"), "coop:found", name=name)]))
            for cons in st.consortia:
                if not cons.active:
                    continue
                invited = i in getattr(cons, "invited", [])
                if not (getattr(cons, "open", True) or invited):
                    continue
                names = ", ".join(f.names[m] for m in cons.members[:4]) + ("…" if len(cons.members) > 4 else "")
                buttons = [self._button("join_consortium", tr("ui.coop.join"), consortium=cons.id)]
                if invited and "decline_invitation" in ui_actions.action_kinds():
                    buttons.append(self._button("decline_invitation", tr("ui.coop.decline"), consortium=cons.id))
                key = "ui.coop.invitation_row" if invited else "ui.coop.consortium_row"
                rows.append((h(tr(key, name=cons.name, members=names, trust=tr.pct(cons.trust))), buttons))
        out.append(("ui.coop.consortia", rows))
        # Subcontracting.
        rows = []
        for o in st.offers:
            if o.to_firm == i:
                rows.append((h(tr("ui.coop.offer_to_you", by=f.names[o.from_firm], contract=o.contract_id, share=tr.pct(o.share), price=tr.money(o.price))), [self._button("accept_subcontract", tr("ui.coop.accept"), contract=o.contract_id)]))
            elif o.from_firm == i:
                rows.append((h(tr("ui.coop.offer_from_you", to=f.names[o.to_firm], contract=o.contract_id, share=tr.pct(o.share), price=tr.money(o.price))), []))
        candidates = self._partners(smes=1)
        for con in st.contracts:
            if not (con.active and i in con.members and con.subcontractor < 0) or not candidates:
                continue
            price = int(con.price * 0.9)
            for j in candidates:
                if j in con.members:
                    continue
                terms = {"contract": con.id, "to_firm": f.ids[j], "share": 0.33, "price": price}
                rows.append(
                    (
                        h(tr("ui.coop.offer_row", contract=con.id, firm=f.names[j], share=tr.pct(0.33), price=tr.money(price))),
                        [self._button("offer_subcontract", tr("ui.coop.offer"), **terms), (tr("ui.coop.choose_terms"), self._to_decision("offer_subcontract", contract=con.id, to_firm=f.ids[j]), tr("ui.tip.choose_terms"), None)],
                    )
                )
        if not rows:
            rows.append((tr.linked(tr("ui.coop.no_subcontracts")), []))
        out.append(("ui.coop.subcontracting", rows))
        # Universities and technology centres.
        rows = []
        for k, inst in enumerate(level.institutions):
            kind = str(getattr(inst.kind, "value", inst.kind))
            if kind not in ("university", "technology_centre"):
                continue
            mine = int(f.university[i]) == k
            setup = core_actions.cost(st, session.rules, core_actions.SignUniversityAgreement(f.ids[i], inst.id)).now
            text = tr("ui.coop.university_row", name=tr.level_text(inst.name), setup=tr.money(setup), fee=tr.money(inst.fee_per_quarter), strength=tr.pct(inst.strength))
            if mine:
                rows.append(("✓ " + tr.linked(text + " " + tr("ui.coop.yours")), []))
            else:
                rows.append((tr.linked(text), [self._button("sign_university", tr("ui.coop.sign"), "coop:sign_university", institution=inst.id)]))
        if not rows:
            rows.append((h(tr("ui.coop.no_universities")), []))
        out.append(("ui.coop.universities", rows))
        # The association.
        rows = []
        assoc = next((inst for inst in level.institutions if str(getattr(inst.kind, "value", inst.kind)) == "association"), None)
        if assoc is not None:
            setup = core_actions.cost(st, session.rules, core_actions.JoinAssociation(f.ids[i])).now
            text = tr("ui.coop.association_row", name=tr.level_text(assoc.name), setup=tr.money(setup), fee=tr.money(assoc.fee_per_quarter))
            if f.association[i]:
                rows.append(("✓ " + tr.linked(text + " " + tr("ui.coop.member")), []))
            else:
                rows.append((tr.linked(text), [self._button("join_association", tr("ui.coop.join"), "coop:join_association")]))
        else:
            rows.append((h(tr("ui.coop.no_association")), []))
        out.append(("ui.coop.association", rows))
        # Supplier development.
        rows = []
        for k, pol in enumerate(level.policies):
            effects = [e for e in pol.effects if str(getattr(e.kind, "value", e.kind)) == "supplier_development"]
            if not effects:
                continue
            active = bool(st.policy_active[k])
            eligible = policies.eligible(st, rules, k, i)
            text = tr("ui.coop.supplier_dev_row", name=tr.level_text(pol.name), seats=policies.sd_open_seats(st, rules, k, effects[0]), status=tr("ui.policies.active") if active else tr("ui.policies.inactive"), eligible=tr("ui.policies.eligible_yes") if eligible else tr("ui.policies.eligible_no"))
            eff = effects[0]
            is_open, opens, closes = policies.sd_window(eff, st.quarter)
            text += " " + (tr("ui.sd.window_open", closes=closes) if is_open else tr("ui.sd.window_next", opens=opens, closes=closes))
            text += " " + tr("ui.sd.criteria", cert=f"{eff.cert_weight:.2f}", term=eff.term_quarters)
            if int(f.supplier_dev[i]) == k:
                rows.append(("✓ " + tr.linked(text + " " + tr("ui.coop.member")), []))
            elif int(f.sd_applied[i]) == k:
                score = float(policies.sd_criteria(st, rules, eff, np.array([i]))[0])
                rows.append(("… " + tr.linked(text + " " + tr("ui.sd.applied", score=f"{score:.3f}")), []))
            else:
                rows.append((tr.linked(text), [self._button("apply_supplier_development", tr("ui.coop.join"), policy=pol.id)]))
        if rows:
            out.append(("ui.coop.supplier_development", rows))
        # Other players (hot-seat): what links you.
        if st.players > 1:
            rows = []
            for p in range(st.players):
                if p == i:
                    continue
                same = int(f.consortium[p]) >= 0 and int(f.consortium[p]) == int(f.consortium[i])
                subs = sum(1 for con in st.contracts if con.active and ((i in con.members and con.subcontractor == p) or (p in con.members and con.subcontractor == i)))
                rows.append((h(tr("ui.coop.player_row", name=f.names[p], tier=views.tier_text(int(f.tier[p]), tr), same=tr("ui.common.yes") if same else tr("ui.common.no"), subs=subs)), []))
            out.append(("ui.coop.players", rows))
        return out

    def _partners(self, exclude_consortium: bool = False, smes: int = 1) -> list[int]:
        """Who to invite or subcontract to: every other live team, then the computer SMEs with most spare capacity."""
        st = self.session.state
        f = st.firms
        ranked = model.candidate_firms(self.session, exclude_consortium=exclude_consortium, limit=len(f))
        teams = [j for j in ranked if j < st.players]
        others = [j for j in ranked if j >= st.players][:smes]
        return teams + others

    def _to_decision(self, kind: str, **values: Any) -> Callable[[], None]:
        def go() -> None:
            memory = self.screen.tab_state.setdefault("decisions", {})
            memory["kind"] = kind
            if values:
                memory.setdefault("values", {}).setdefault(kind, {}).update(values)
            self.screen._open_tab("decisions")()

        return go

    def build(self) -> None:
        sc, tr = self.screen, self.tr
        sections = self.sections()
        min_h, gap, head_h = self.s(78), self.s(6), self.s(34)
        w = self.rect.w - self.s(24)
        btn_w = self.s(220)
        # Each row as tall as its text needs (at least room for two buttons).
        heights = [[max(min_h, sc.html_height(html, w - (btn_w + self.s(8) if buttons else 0))) for html, buttons in rows] for _, rows in sections]
        total = sum(head_h + sum(h + gap for h in hs) + self.s(8) for hs in heights)
        scroll = sc.scroller(self.rect, total)
        y = 0
        for (title_key, rows), hs in zip(sections, heights, strict=True):
            sc.label(pygame.Rect(0, y, w, head_h - self.s(4)), tr(title_key), "#subheading", container=scroll)
            y += head_h
            for (html, buttons), row_h in zip(rows, hs, strict=True):
                text_w = w - (btn_w + self.s(8) if buttons else 0)
                sc.textbox(pygame.Rect(0, y, text_w, row_h), html, container=scroll)
                n = max(1, len(buttons))
                bh = (row_h - self.s(4) * (n - 1)) // n
                for k, (label, callback, tip, target) in enumerate(buttons):
                    btn = sc.button(
                        pygame.Rect(w - btn_w, y + k * (bh + self.s(4)), btn_w, bh),
                        label,
                        callback,
                        enabled=callback is not None,
                        tooltip=tip,
                        container=scroll,
                    )
                    if target:
                        sc.targets[target] = btn
                y += row_h + gap
            y += self.s(8)
