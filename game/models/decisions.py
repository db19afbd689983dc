"""What the window shows about each decision before it is chosen.

For every action kind the core offers: the parameters the player picks
(with sensible choices computed from the state), what it costs now and
later (with subsidies), the action points it takes, the expected effect,
and — through :func:`game.models.actions.preview` — whether the core would refuse
it and why. Read-only: nothing here changes the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.core import actions as core_actions
from game.core import economics, policies
from game.core.state import KIND_PLAYER
from game.models import actions as ui_actions
from game.models import views

SUBCONTRACT_SHARES = (0.2, 0.33, 0.5)


@dataclass
class Param:
    """One parameter of a decision: a choice among values, or a free text."""

    name: str
    label_key: str
    choices: list[tuple[Any, str]] = field(default_factory=list)
    text: bool = False
    default: Any = None


@dataclass
class Preview:
    kind: str
    values: dict[str, Any]
    cost_now: int
    cost_note: str
    effect: str
    points: int
    refusal_text: str | None


def _firm(session: Any) -> int:
    return session.state.firms.index(session.firm_id())


def visible_rfqs(session: Any) -> list[Any]:
    """Open calls the current firm knows about (public ones, or all if it is well linked)."""
    st, rules = session.state, session.rules
    i = _firm(session)
    informed = policies.informed(st, rules, i)
    return [r for r in st.rfqs if r.public or informed]


def hidden_rfqs(session: Any) -> int:
    return len(session.state.rfqs) - len(visible_rfqs(session))


def candidate_firms(session: Any, exclude_consortium: bool = False, limit: int = 8) -> list[int]:
    """Other live firms to subcontract to or invite: players first, then the most spare capacity."""
    st = session.state
    f = st.firms
    me = _firm(session)
    players = [p for p in range(st.players) if p != me and f.alive[p]]
    others = [i for i in range(st.players, len(f)) if f.alive[i]]
    free = (f.capacity - f.committed).astype(np.float64)
    others.sort(key=lambda i: (-free[i], i))
    out = [i for i in players + others if not (exclude_consortium and f.consortium[i] >= 0)]
    return out[:limit]


def _round(x: float, step: int = 10_000) -> int:
    return int(max(step, round(x / step) * step))


def params_for(session: Any, kind: str, tr: Any) -> list[Param]:
    st, rules, level = session.state, session.rules, session.level
    f = st.firms
    i = _firm(session)
    if kind == "expand_capacity":
        cap = int(f.capacity[i])
        choices = [(max(1, int(cap * p)), tr("ui.param.units", units=tr.num(max(1, int(cap * p))), share=tr.pct(p))) for p in (0.25, 0.5, 1.0)]
        return [Param("units", "ui.param.units_label", choices, default=choices[0][0])]
    if kind == "start_certification":
        choices = []
        for k, cert in enumerate(level.certifications):
            status = ""
            if f.cert_held[i, k]:
                status = " " + tr("ui.param.held")
            elif f.cert_left[i, k] > 0:
                status = " " + tr("ui.param.in_progress")
            choices.append((cert.id, tr.level_text(cert.name) + status))
        default = next((cid for k, (cid, _) in enumerate(choices) if not f.cert_held[i, k] and f.cert_left[i, k] == 0), choices[0][0] if choices else None)
        return [Param("certification", "ui.param.certification", choices, default=default)]
    if kind == "take_loan":
        banks = [level.institutions[k] for k in rules.bank_indexes]
        bank_choices = [(b.id, tr.level_text(b.name)) for b in banks]
        # The same amounts the coach chooses among (the core's loan_choices); 100,000 when the bank lends nothing.
        amounts = (economics.loan_choices(st, rules, i, rules.bank_indexes[0]) if banks else []) or [100_000]
        return [
            Param("bank", "ui.param.bank", bank_choices, default=bank_choices[0][0] if bank_choices else None),
            Param("amount", "ui.param.amount", [(a, tr.money(a)) for a in amounts], default=amounts[0]),
        ]
    if kind == "repay_loan":
        amounts = economics.repay_choices(st, i) or [0]
        return [Param("amount", "ui.param.amount", [(a, tr.money(a)) for a in amounts], default=amounts[-1])]
    if kind == "apply_programme":
        progs = level.programmes
        choices = [(p.id, tr.level_text(p.name)) for p in progs]
        default = choices[0][0] if choices else None
        costs: list[tuple[Any, str]] = []
        if progs:
            prog = progs[0]
            full = int(prog.max_grant / prog.share) if prog.share > 0 else prog.max_grant
            costs = [(c, tr.money(c)) for c in sorted({_round(full / 2), _round(full)})]
        return [
            Param("programme", "ui.param.programme", choices, default=default),
            Param("project_cost", "ui.param.project_cost", costs, default=costs[-1][0] if costs else None),
        ]
    if kind == "found_consortium":
        return [Param("name", "ui.param.consortium_name", text=True, default=tr("ui.coop.default_name", name=f.names[i])[:60])]
    if kind == "join_consortium":
        choices = [
            (c.id, tr("ui.param.consortium", name=c.name, members=len(c.members)))
            for c in st.consortia
            if c.active and (getattr(c, "open", True) or i in getattr(c, "invited", []))
        ]
        return [Param("consortium", "ui.param.consortium_label", choices, default=choices[0][0] if choices else None)]
    if kind == "invite_to_consortium":
        choices = [(f.ids[j], f.names[j] + (f" ({tr('ui.common.player')})" if f.kind[j] == KIND_PLAYER else "")) for j in candidate_firms(session, exclude_consortium=True)]
        return [Param("to_firm", "ui.param.firm", choices, default=choices[0][0] if choices else None)]
    if kind == "decline_invitation":
        choices = [(c.id, c.name) for c in st.consortia if c.active and i in getattr(c, "invited", [])]
        return [Param("consortium", "ui.param.consortium_label", choices, default=choices[0][0] if choices else None)]
    if kind == "offer_subcontract":
        mine = [c for c in st.contracts if c.active and i in c.members and c.subcontractor < 0]
        contracts = [(c.id, tr("ui.param.contract", contract=c.id, volume=tr.num(c.volume), price=tr.money(c.price))) for c in mine]
        firms = [(f.ids[j], f.names[j] + (f" ({tr('ui.common.player')})" if f.kind[j] == KIND_PLAYER else "")) for j in candidate_firms(session)]
        shares = [(s, tr.pct(s)) for s in SUBCONTRACT_SHARES]
        price = int(mine[0].price * 0.9) if mine else 0
        prices = [(p, tr.money(p)) for p in sorted({int(mine[0].price * 0.8), price})] if mine else []
        return [
            Param("contract", "ui.param.contract_label", contracts, default=contracts[0][0] if contracts else None),
            Param("to_firm", "ui.param.firm", firms, default=firms[0][0] if firms else None),
            Param("share", "ui.param.share", shares, default=0.33),
            Param("price", "ui.param.price", prices, default=price if mine else None),
        ]
    if kind == "accept_subcontract":
        offers = [o for o in st.offers if o.to_firm == i]
        choices = [(o.contract_id, tr("ui.param.offer", contract=o.contract_id, by=f.names[o.from_firm], share=tr.pct(o.share), price=tr.money(o.price))) for o in offers]
        return [Param("contract", "ui.param.contract_label", choices, default=choices[0][0] if choices else None)]
    if kind == "sign_university":
        choices = [(inst.id, tr.level_text(inst.name)) for inst in level.institutions if str(getattr(inst.kind, "value", inst.kind)) in ("university", "technology_centre")]
        return [Param("institution", "ui.param.institution", choices, default=choices[0][0] if choices else None)]
    if kind == "apply_supplier_development":
        choices = [(p.id, tr.level_text(p.name)) for p in level.policies if any(str(getattr(e.kind, "value", e.kind)) == "supplier_development" for e in p.effects)]
        return [Param("policy", "ui.param.policy", choices, default=choices[0][0] if choices else None)]
    if kind == "bid":
        calls = visible_rfqs(session)
        choices = [(r.id, views.call_title(session, r, tr) + " · " + tr.tier(r.tier)) for r in calls]
        target = calls[0].target_price if calls else 0
        prices = [(int(target * m), tr.money(int(target * m))) for m in (0.9, 0.95, 1.0)] if calls else []
        params = [
            Param("rfq", "ui.param.rfq_label", choices, default=choices[0][0] if choices else None),
            Param("price", "ui.param.price", prices, default=int(target * 0.95) if calls else None),
        ]
        c = int(f.consortium[i])
        if c >= 0 and st.consortia[c].founder == i:
            params.append(Param("consortium", "ui.param.with_consortium", [(False, tr("ui.common.no")), (True, tr("ui.common.yes"))], default=False))
        return params
    if kind == "serve_local":
        on = not bool(f.serve_local[i])
        return [Param("on", "ui.param.serve_local", [(True, tr("ui.param.serve_on")), (False, tr("ui.param.serve_off"))], default=on)]
    # Any other kind: its own defaults, if it has them.
    return []


def price_choices_for_rfq(session: Any, rfq_id: str, tr: Any) -> list[tuple[int, str]]:
    rfq = next((r for r in session.state.rfqs if r.id == rfq_id), None)
    if rfq is None:
        return []
    return [(int(rfq.target_price * m), tr.money(int(rfq.target_price * m))) for m in (0.9, 0.95, 1.0)]


def _action_cost(session: Any, kind: str, values: dict[str, Any]) -> core_actions.Cost | None:
    """The core's own cost of the decision with these values (None while they are incomplete)."""
    try:
        action = ui_actions.build(kind, session.firm_id(), **{k: v for k, v in values.items() if v is not None})
    except ValueError:
        return None
    return core_actions.cost(session.state, session.rules, action)


def cost_of(session: Any, kind: str, values: dict[str, Any], tr: Any) -> tuple[int, str]:
    """(pesos paid now, a note on the full cost, subsidies and later payments).

    The figures are the core's (each decision's ``cost``); only the wording is here.
    """
    st, rules, level = session.state, session.rules, session.level
    i = _firm(session)
    econ = rules.economy
    cost = _action_cost(session, kind, values)
    if cost is None:
        return 0, ""
    subsidised = ""
    if cost.policy >= 0 and cost.share > 0:
        subsidised = tr("ui.cost.subsidised", share=tr.pct(cost.share), policy=tr.level_text(level.policies[cost.policy].name))
    if kind == "train_staff":
        return cost.now, subsidised
    if kind == "expand_capacity":
        return cost.now, tr("ui.cost.per_unit", cost=tr.money(econ.capacity_cost_per_unit))
    if kind == "start_certification":
        k = rules.cert_index.get(values.get("certification") or "")
        if k is None:
            return 0, ""
        quarters = int(rules.cert_quarters[k])
        # The first instalment carries the remainder (what apply pays), the others total // quarters.
        later = (cost.total - cost.now) // max(1, quarters - 1) if quarters > 1 else 0
        note = tr("ui.cost.certification", total=tr.money(cost.total), quarters=quarters, first=tr.money(cost.now), per_quarter=tr.money(later), upkeep=tr.money(int(rules.cert_upkeep[k])))
        return cost.now, note + ("; " + subsidised if subsidised else "")
    if kind == "adopt_practices":
        return cost.now, (tr("ui.cost.discount", full=tr.money(cost.full)) if cost.subsidy > 0 else "")
    if kind == "take_loan":
        k = rules.institution_index.get(values.get("bank") or "")
        if k is None:
            return 0, ""
        rate, room = core_actions.loan_terms(st, rules, i, k)
        amount = int(values.get("amount") or 0)
        return cost.now, tr("ui.cost.loan", rate=tr.pct(rate), interest=tr.money(amount * rate / 4), room=tr.money(room))
    if kind == "apply_programme":
        k = rules.programme_index.get(values.get("programme") or "")
        if k is None:
            return 0, ""
        prog = level.programmes[k]
        return cost.now, tr("ui.cost.programme", own=tr.money(cost.later), grant=tr.money(cost.subsidy), chance=tr.pct(prog.approval_chance), quarters=prog.approval_quarters)
    if kind == "sign_university":
        k = rules.institution_index.get(values.get("institution") or "")
        if k is None:
            return 0, ""
        return cost.now, tr("ui.cost.fee", fee=tr.money(level.institutions[k].fee_per_quarter))
    if kind == "join_association":
        assoc = next((inst for inst in level.institutions if str(getattr(inst.kind, "value", inst.kind)) == "association"), None)
        if assoc is None:
            return 0, ""
        return cost.now, tr("ui.cost.fee", fee=tr.money(assoc.fee_per_quarter))
    return cost.now, ""


def effect_text(session: Any, kind: str, values: dict[str, Any], tr: Any) -> str:
    key = f"ui.effect.{kind}"
    text = tr(key)
    if text == key:
        return tr("ui.effect.unknown")
    st, rules = session.state, session.rules
    i = _firm(session)
    f = st.firms
    if kind == "expand_capacity":
        return tr(key, units=tr.num(int(values.get("units") or 0)), capacity=tr.num(int(f.capacity[i])))
    if kind == "start_certification":
        k = rules.cert_index.get(values.get("certification") or "")
        quarters = int(rules.cert_quarters[k]) if k is not None else 0
        return tr(key, quarters=quarters)
    if kind == "take_loan":
        return tr(key, amount=tr.money(int(values.get("amount") or 0)))
    return text


def preview(session: Any, kind: str, values: dict[str, Any], tr: Any) -> Preview:
    usable = {k: v for k, v in values.items() if v is not None}
    outcome = ui_actions.preview(session, kind, **usable)
    cost, note = cost_of(session, kind, values, tr)
    refusal = None
    if outcome.refusal is not None:
        refusal = tr.refusal(outcome.refusal, session.level)
    return Preview(kind, values, cost, note, effect_text(session, kind, values, tr), ui_actions.action_points(kind), refusal)
