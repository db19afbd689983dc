"""Tab 6: catalyst policies (active or not, sponsor, level, budget, eligibility, effects)
and public programmes."""

from __future__ import annotations

import pygame

from game.core import policies as core_policies
from game.ui.screens.tabs.base import Tab


class PoliciesTab(Tab):
    name = "policies"

    def _effect(self, eff) -> str:  # noqa: ANN001
        tr = self.tr
        kind = str(getattr(eff.kind, "value", eff.kind))
        lead = ""
        if eff.lead_firm:
            lead = next((tr.level_text(lf.name) for lf in self.session.level.lead_firms if lf.id == eff.lead_firm), eff.lead_firm)
        text = tr(f"ui.policy_effect.{kind}", share=tr.pct(eff.share), boost=tr.pct(eff.boost), bonus=tr.pct(eff.bonus), rate=tr.pct(eff.rate), rate_cut=tr.pct(eff.rate_cut), seats=eff.seats, lead=lead or tr("ui.policies.all_lead_firms"))
        if kind == "supplier_development":
            # The application window and the published criteria (issue 7, F5).
            is_open, opens, closes = core_policies.sd_window(eff, self.session.state.quarter)
            window = tr("ui.sd.window_open", closes=closes) if is_open else tr("ui.sd.window_next", opens=opens, closes=closes)
            text += ". " + window + " " + tr("ui.sd.criteria", cert=f"{eff.cert_weight:.2f}", term=eff.term_quarters)
        return text

    def html(self) -> str:
        tr, session = self.tr, self.session
        st, rules, level = session.state, session.rules, session.level
        i = self.player
        h = tr.html
        out = [tr.linked(tr("ui.policies.intro"))]
        if not level.policies:
            out.append(h(tr("ui.policies.none")))
        for k, pol in enumerate(level.policies):
            active = bool(st.policy_active[k])
            level_name = tr(f"policy_level.{pol.level.value if hasattr(pol.level, 'value') else pol.level}")
            if pol.sponsor == "lead_firm":
                sponsor = next((tr.level_text(lf.name) for lf in level.lead_firms if lf.id == pol.sponsor_id), pol.sponsor_id or "")
                sponsor = tr("ui.policies.sponsor_lead", name=sponsor)
            else:
                inst = next((tr.level_text(x.name) for x in level.institutions if x.id == pol.sponsor_id), None)
                sponsor = tr("ui.policies.sponsor_public", name=inst or tr("ui.policies.government"))
            budget = tr("ui.policies.unlimited") if pol.budget == 0 else tr("ui.policies.budget_left", left=tr.money(core_policies.budget_left(st, rules, k)), total=tr.money(pol.budget))
            el = pol.eligibility
            criteria = {
                "max_employees": tr("ui.policies.max_employees", n=el.max_employees),
                "min_quality": tr("ui.policies.min_quality", quality=tr.pct(el.min_quality)),
                "association_member": tr("ui.policies.association_member"),
            }
            needs = [criteria["max_employees"]]
            if el.min_quality > 0:
                needs.append(criteria["min_quality"])
            if el.association_member:
                needs.append(criteria["association_member"])
            failures = core_policies.eligibility_failures(st, rules, k, i)
            failing = [criteria[c] for c in failures if c in criteria]
            eligible = not failures
            status = "✓ " + tr("ui.policies.active") if active else "○ " + tr("ui.policies.inactive")
            if eligible:
                you = "✓ " + tr("ui.policies.eligible_yes")
            elif failing:
                you = "✗ " + tr("ui.policies.eligible_no_because", missing=", ".join(failing))
            else:
                you = "✗ " + tr("ui.policies.eligible_no")
            effects = "; ".join(self._effect(e) for e in pol.effects)
            colour = "#007A5A" if active else "#4D4D4D"
            out.append(
                f"<b>{h(tr.level_text(pol.name))}</b> — <font color='{colour}'><b>{h(status)}</b></font><br>"
                + h(tr("ui.policies.meta", level=level_name, sponsor=sponsor, budget=budget))
                + "<br>"
                + tr.linked(tr.level_text(pol.description))
                + "<br>"
                + tr.linked(tr("ui.policies.effects", effects=effects))
                + "<br>"
                + h(tr("ui.policies.eligibility", needs=", ".join(needs)))
                + f" <b>{h(you)}</b>"
            )
        if level.programmes:
            out.append(f"<b>{h(tr('ui.policies.programmes'))}</b>")
            for k, prog in enumerate(level.programmes):
                left = max(0, prog.budget - st.programme_spent[k])
                out.append(
                    "• "
                    + h(
                        tr(
                            "ui.policies.programme_row",
                            name=tr.level_text(prog.name),
                            share=tr.pct(prog.share),
                            max_grant=tr.money(prog.max_grant),
                            chance=tr.pct(prog.approval_chance),
                            quarters=prog.approval_quarters,
                            left=tr.money(left),
                        )
                    )
                    + (" " + h(tr("ui.policies.needs_university")) if prog.requires_university else "")
                )
        return "<br><br>".join(out)

    def build(self) -> None:
        sc = self.screen
        sc.document(pygame.Rect(self.rect), self.html())
