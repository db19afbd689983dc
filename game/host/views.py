"""What each page of the host sees, as JSON: a team's private view, the
facilitator's console and the projector's public facts.

Read-only over the room's game. A team's view holds its own firm's figures
and only public facts of the others (name, colour, position in the chain,
consortium, whether it has decided); the projector holds public facts only.
Texts come from the translation files through :mod:`game.text`, so refusals
and reports read exactly as in the window.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game import text
from game.core import actions as core_actions
from game.core import policies as core_policies
from game.core import scorecard
from game.core.actions import ACTION_TYPES
from game.core.state import CAPABILITIES, KIND_PLAYER, NO_TIER
from game.headless import report
from game.host.room import STRATEGIES, TEAM_COLOURS, Room

DECISIONS: tuple[str, ...] = (
    "bid",
    "train_staff",
    "buy_technology",
    "expand_capacity",
    "start_certification",
    "start_innovation",
    "adopt_practices",
    "take_loan",
    "repay_loan",
    "apply_programme",
    "found_consortium",
    "join_consortium",
    "invite_to_consortium",
    "decline_invitation",
    "leave_consortium",
    "offer_subcontract",
    "accept_subcontract",
    "sign_university",
    "join_association",
    "apply_supplier_development",
    "serve_local",
)
"""The decisions a team page offers, in the order the window's decisions tab lists them."""


def _t(key: str, lang: str, **params: Any) -> str:
    return text.t_safe(key, lang, **params)


def _lt(value: Any, lang: str) -> str:
    return str(getattr(value, lang, None) or getattr(value, "es", None) or value)


def money(pesos: Any, lang: str) -> str:
    return text.format_money(int(pesos), lang)


def pct(share: Any, lang: str) -> str:
    return text.format_percent(float(share), lang)


def tier(t: Any, lang: str) -> str:
    return text.tier_label(int(min(int(t), NO_TIER)), lang)


def timer_view(room: Room) -> dict[str, Any]:
    left = room.timer.seconds_left()
    return {"minutes": room.timer.minutes, "seconds_left": None if left is None else round(left, 1), "paused": room.paused}


def _game_header(room: Room, lang: str) -> dict[str, Any]:
    level = room.loaded.level
    out: dict[str, Any] = {
        "level": _lt(level.title, lang),
        "started": room.started,
        "finished": room.finished,
        "version": room.version,
        "timer": timer_view(room),
        "teams": len(room.seats),
        "max_teams": room.max_teams,
    }
    if room.started:
        st = room.game.state
        out.update(
            quarter=int(st.quarter),
            turns=int(st.turns),
            stage=text.stage_label(st.metrics.stage, lang),
            local_share=pct(st.metrics.local_share, lang),
            local_suppliers=int(st.metrics.local_suppliers),
            waiting=len(room.waiting_for()),
        )
    return out


def _consortium_name(room: Room, firm: int) -> str | None:
    st = room.game.state
    c = int(st.firms.consortium[firm])
    return st.consortia[c].name if c >= 0 else None


def public_teams(room: Room, lang: str) -> list[dict[str, Any]]:
    """What every team may know of every team: name, colour, chain position, consortium, decided."""
    out = []
    for k, seat in enumerate(room.seats):
        row: dict[str, Any] = {"seat": k, "name": seat.name, "colour": TEAM_COLOURS[seat.colour], "claimed": seat.claimed, "connected": room.connected.get(k, 0) > 0}
        if room.started:
            f = room.game.state.firms
            row.update(
                firm=f.ids[k],
                alive=bool(f.alive[k]),
                tier=tier(f.tier[k], lang),
                consortium=_consortium_name(room, k),
                decided=bool(room.done[k]) or not bool(f.alive[k]),
            )
        out.append(row)
    return out


def public_news(room: Room, lang: str) -> list[dict[str, Any]]:
    """This quarter's cluster-wide news (events, policy switches): public to all."""
    st = room.game.state
    level = room.loaded.level
    return [_line(e, lang, level) for e in st.explanations if e.firm == -1]


def _line(e: Any, lang: str, level: Any) -> dict[str, Any]:
    return {"text": text.explain(e, lang, level), "tone": e.tone, "family": e.family, "lever": e.lever}


def policies_view(room: Room, lang: str) -> list[dict[str, Any]]:
    st, rules = room.game.state, room.game.rules
    out = []
    for k, p in enumerate(room.loaded.level.policies):
        pending = st.pending_policies.get(p.id)
        out.append({"id": p.id, "name": _lt(p.name, lang), "level": _t(f"policy_level.{getattr(p.level, 'value', p.level)}", lang), "active": bool(st.policy_active[k]), "pending": pending})
    del rules
    return out


# ----------------------------------------------------------------------------
# A team's decisions: parameters with sensible choices, cost, the core's refusal


def _round(x: float, step: int = 10_000) -> int:
    return int(max(step, round(x / step) * step))


def _select(name: str, label: str, choices: list[tuple[Any, str]], default: Any = None) -> dict[str, Any]:
    if default is None and choices:
        default = choices[0][0]
    return {"name": name, "label": label, "kind": "select", "choices": [[v, lab] for v, lab in choices], "default": default}


def _number(name: str, label: str, default: int, minimum: int = 0, step: int = 1) -> dict[str, Any]:
    return {"name": name, "label": label, "kind": "number", "default": int(default), "min": minimum, "step": step}


def visible_rfqs(room: Room, firm: int) -> list[Any]:
    st, rules = room.game.state, room.game.rules
    informed = core_policies.informed(st, rules, firm)
    return [r for r in st.rfqs if r.public or informed]


def _other_firms(room: Room, firm: int, exclude_consortium: bool = False, limit: int = 10) -> list[int]:
    st = room.game.state
    f = st.firms
    players = [p for p in range(st.players) if p != firm and f.alive[p]]
    others = [i for i in range(st.players, len(f)) if f.alive[i]]
    free = (f.capacity - f.committed).astype(np.float64)
    others.sort(key=lambda i: (-free[i], i))
    out = [i for i in players + others if not (exclude_consortium and f.consortium[i] >= 0)]
    return out[:limit]


def _firm_label(room: Room, j: int, lang: str) -> str:
    f = room.game.state.firms
    return f.names[j] + (f" ({_t('host.team', lang)})" if f.kind[j] == KIND_PLAYER else "")


def params_for(room: Room, firm: int, kind: str, lang: str) -> list[dict[str, Any]]:
    st, rules, level = room.game.state, room.game.rules, room.loaded.level
    f = st.firms
    if kind == "expand_capacity":
        return [_number("units", _t("host.param.units", lang), max(1, int(f.capacity[firm]) // 4), 1)]
    if kind == "start_certification":
        choices = []
        for k, cert in enumerate(level.certifications):
            status = " ✓" if f.cert_held[firm, k] else (" …" if f.cert_left[firm, k] > 0 else "")
            choices.append((cert.id, _lt(cert.name, lang) + status))
        default = next((cid for k, (cid, _) in enumerate(choices) if not f.cert_held[firm, k] and f.cert_left[firm, k] == 0), None)
        return [_select("certification", _t("host.param.certification", lang), choices, default)]
    if kind == "take_loan":
        banks = [(level.institutions[k].id, _lt(level.institutions[k].name, lang)) for k in rules.bank_indexes]
        room_left = core_actions.loan_terms(st, rules, firm, rules.bank_indexes[0])[1] if banks else 0
        return [_select("bank", _t("host.param.bank", lang), banks), _number("amount", _t("host.param.amount", lang), _round(room_left / 2) if room_left >= 20_000 else 100_000, 1, 10_000)]
    if kind == "repay_loan":
        return [_number("amount", _t("host.param.amount", lang), max(1, int(f.debt[firm])), 1, 10_000)]
    if kind == "apply_programme":
        progs = [(p.id, _lt(p.name, lang)) for p in level.programmes]
        full = 0
        if level.programmes:
            p0 = level.programmes[0]
            full = int(p0.max_grant / p0.share) if p0.share > 0 else int(p0.max_grant)
        return [_select("programme", _t("host.param.programme", lang), progs), _number("project_cost", _t("host.param.project_cost", lang), _round(full), 1, 10_000)]
    if kind == "found_consortium":
        return [{"name": "name", "label": _t("host.param.consortium_name", lang), "kind": "text", "default": (_t("host.default_consortium", lang, name=f.names[firm]))[:60], "max": 60}]
    if kind == "join_consortium":
        choices = [(c.id, f"{c.name} ({len(c.members)})") for c in st.consortia if c.active and (c.open or firm in c.invited)]
        return [_select("consortium", _t("host.param.consortium", lang), choices)]
    if kind == "invite_to_consortium":
        choices = [(f.ids[j], _firm_label(room, j, lang)) for j in _other_firms(room, firm, exclude_consortium=True)]
        return [_select("to_firm", _t("host.param.firm", lang), choices)]
    if kind == "decline_invitation":
        choices = [(c.id, c.name) for c in st.consortia if c.active and firm in c.invited]
        return [_select("consortium", _t("host.param.consortium", lang), choices)]
    if kind == "offer_subcontract":
        mine = [c for c in st.contracts if c.active and firm in c.members and c.subcontractor < 0]
        contracts = [(c.id, f"{c.id} · {text.format_number(c.volume)} · {money(c.price, lang)}") for c in mine]
        firms = [(f.ids[j], _firm_label(room, j, lang)) for j in _other_firms(room, firm)]
        return [
            _select("contract", _t("host.param.contract", lang), contracts),
            _select("to_firm", _t("host.param.firm", lang), firms),
            _select("share", _t("host.param.share", lang), [(s, pct(s, lang)) for s in (0.2, 0.33, 0.5)], 0.33),
            _number("price", _t("host.param.price", lang), int(mine[0].price * 0.9) if mine else 0, 1, 1000),
        ]
    if kind == "accept_subcontract":
        offers = [o for o in st.offers if o.to_firm == firm]
        choices = [(o.contract_id, _t("host.offer_line", lang, contract=o.contract_id, by=f.names[o.from_firm], share=pct(o.share, lang), price=money(o.price, lang))) for o in offers]
        return [_select("contract", _t("host.param.contract", lang), choices)]
    if kind == "sign_university":
        choices = [(i.id, _lt(i.name, lang)) for i in level.institutions if str(getattr(i.kind, "value", i.kind)) in ("university", "technology_centre")]
        return [_select("institution", _t("host.param.institution", lang), choices)]
    if kind == "apply_supplier_development":
        choices = [(p.id, _lt(p.name, lang)) for p in level.policies if any(str(getattr(e.kind, "value", e.kind)) == "supplier_development" for e in p.effects)]
        return [_select("policy", _t("host.param.policy", lang), choices)]
    if kind == "bid":
        calls = visible_rfqs(room, firm)
        choices = [(r.id, text.rfq_name(level, r.id, lang, level.part_families[r.part_family].name if r.part_family < len(level.part_families) else None) + " · " + tier(r.tier, lang)) for r in calls]
        params = [_select("rfq", _t("host.param.rfq", lang), choices), _number("price", _t("host.param.price", lang), int(calls[0].target_price * 0.95) if calls else 0, 1, 1000)]
        c = int(f.consortium[firm])
        if c >= 0 and st.consortia[c].founder == firm:
            params.append({"name": "consortium", "label": _t("host.param.with_consortium", lang), "kind": "bool", "default": False})
        return params
    if kind == "serve_local":
        return [{"name": "on", "label": _t("host.param.serve_local", lang), "kind": "bool", "default": not bool(f.serve_local[firm])}]
    return []


def cost_now(room: Room, firm: int, action: Any) -> Any:
    """What the decision costs (the core's own Cost: now, later, subsidy)."""
    del firm
    return core_actions.cost(room.game.state, room.game.rules, action)


def default_values(params: list[dict[str, Any]]) -> dict[str, Any]:
    return {p["name"]: p["default"] for p in params if p["default"] is not None}


def preview(room: Room, seat: int, raw: Any, lang: str) -> dict[str, Any]:
    """Would the core take this decision now, and what would it cost? Nothing changes."""
    action = room.parse_team_action(seat, raw)
    refusal = room.game.validate(action)
    reason = None if refusal is None else text.refusal_text(refusal, lang, room.loaded.level)
    if refusal is None and (room.paused or room.done[seat] or room.finished):
        reason = _t("host.error.paused" if room.paused else ("host.error.game_over" if room.finished else "host.error.already_ended"), lang)
    cost = cost_now(room, seat, action)
    return {
        "ok": reason is None,
        "refusal": reason,
        "cost": int(cost.now),
        "cost_text": money(cost.now, lang),
        "later_text": money(cost.later, lang) if cost.later else None,
        "subsidy_text": money(cost.subsidy, lang) if cost.subsidy else None,
        "points": type(action).action_points,
    }


def decisions_view(room: Room, seat: int, lang: str) -> list[dict[str, Any]]:
    out = []
    firm = room.firm_id(seat)
    for kind in DECISIONS:
        params = params_for(room, seat, kind, lang)
        values = default_values(params)
        missing = any(p["kind"] == "select" and not p["choices"] for p in params)
        entry: dict[str, Any] = {
            "kind": kind,
            "label": text.action_label(kind, lang),
            "desc": text.action_description(kind, lang),
            "points": ACTION_TYPES[kind].action_points,
            "params": params,
        }
        if missing:
            entry.update(ok=False, refusal=_t("host.nothing_to_choose", lang), cost=0)
        else:
            try:
                entry.update(preview(room, seat, {"type": kind, "firm": firm, **values}, lang))
            except Exception as exc:  # a default that does not build an action: say so, never crash the page
                entry.update(ok=False, refusal=str(getattr(exc, "key", exc)), cost=0)
        entry.setdefault("cost_text", money(entry["cost"], lang))
        out.append(entry)
    return out


# ----------------------------------------------------------------------------
# Views


def _calls(room: Room, firm: int, lang: str) -> list[dict[str, Any]]:
    st, rules, level = room.game.state, room.game.rules, room.loaded.level
    out = []
    my_bids = {b.rfq_id: b.price for b in st.bids if b.firm == firm}
    for r in visible_rfqs(room, firm):
        fam = level.part_families[r.part_family].name if r.part_family < len(level.part_families) else None
        unmet = core_actions.bid_requirements(st, rules, firm, r.id, False)
        reqs = [
            _t("host.req.capabilities", lang, quality=pct(r.quality, lang), delivery=pct(r.delivery, lang), technology=pct(r.technology, lang)),
        ]
        if r.certifications:
            reqs.append(_t("host.req.certifications", lang, names=", ".join(_lt(level.certifications[k].name, lang) for k in r.certifications)))
        if r.min_cash:
            reqs.append(_t("host.req.cash", lang, cash=money(r.min_cash, lang)))
        out.append(
            {
                "id": r.id,
                "title": text.rfq_name(level, r.id, lang, fam),
                "tier": tier(r.tier, lang),
                "volume": text.format_number(r.volume),
                "target_price": int(r.target_price),
                "target_text": money(r.target_price, lang),
                "quarters": int(r.duration),
                "payment_days": int(r.payment_days),
                "requirements": reqs,
                "unmet": [text.refusal_text(u, lang, level) for u in unmet],
                "my_bid": money(my_bids[r.id], lang) if r.id in my_bids else None,
            }
        )
    return out


def _firm_figures(room: Room, firm: int, lang: str) -> dict[str, Any]:
    st, level = room.game.state, room.loaded.level
    f = st.firms
    return {
        "name": f.names[firm],
        "cash": money(f.cash[firm], lang),
        "debt": money(f.debt[firm], lang),
        "receivables": money(int(f.receivables[firm].sum()), lang),
        "employees": text.format_number(int(f.employees[firm])),
        "capacity": text.format_number(int(f.capacity[firm])),
        "free_capacity": text.format_number(int(max(0.0, float(f.capacity[firm]) - float(f.committed[firm])))),
        "capabilities": [[text.capability_label(c, lang), pct(f.cap[firm, k], lang), round(float(f.cap[firm, k]), 3)] for k, c in enumerate(CAPABILITIES)],
        "certifications": [_lt(level.certifications[k].name, lang) for k in np.flatnonzero(f.cert_held[firm])],
        "certifying": [_lt(level.certifications[k].name, lang) for k in np.flatnonzero(f.cert_left[firm] > 0)],
        "tier": tier(f.tier[firm], lang),
        "best_tier": tier(f.best_tier[firm], lang),
        "action_points": int(f.action_points[firm]),
        "consortium": _consortium_name(room, firm),
        "alive": bool(f.alive[firm]),
    }


def _report(room: Room, seat: int, lang: str) -> dict[str, Any] | None:
    if not room.reports:
        return None
    rep = room.reports[-1]
    level = room.loaded.level
    lines = [_line(e, lang, level) for e in rep.for_firm(seat)]
    figures = report.player_lines(rep.players[seat], lang, level) if seat < len(rep.players) else []
    return {"quarter": rep.quarter, "figures": figures, "lines": lines}


def team_view(room: Room, seat: int, lang: str) -> dict[str, Any]:
    """Everything team ``seat`` may see: its own figures and public facts of the others."""
    s = room.seats[seat]
    out: dict[str, Any] = {
        "me": {"seat": seat, "name": s.name, "colour": TEAM_COLOURS[s.colour]},
        "game": _game_header(room, lang),
        "teams": public_teams(room, lang),
    }
    if not room.started:
        return out
    st, level = room.game.state, room.loaded.level
    f = st.firms
    out["me"].update(firm=f.ids[seat], done=bool(room.done[seat]), alive=bool(f.alive[seat]))
    out["firm"] = _firm_figures(room, seat, lang)
    out["report"] = _report(room, seat, lang)
    if room.finished:
        o = room.game.outcome(seat)
        out["outcome"] = {"lines": report.outcome_lines(o, lang), "score": o["scorecard"]["total"]}
        return out
    out["contracts"] = [
        {"id": c.id, "title": text.rfq_name(level, c.rfq_id, lang, level.part_families[c.part_family].name if c.part_family < len(level.part_families) else None), "tier": tier(c.tier, lang), "volume": text.format_number(c.volume), "price": money(c.price, lang), "until": int(c.end_quarter), "strikes": int(c.strikes)}
        for c in st.contracts
        if c.active and seat in c.members
    ]
    out["calls"] = _calls(room, seat, lang)
    out["offers"] = [
        {"contract": o.contract_id, "from": f.names[o.from_firm], "share": pct(o.share, lang), "price": money(o.price, lang)} for o in st.offers if o.to_firm == seat
    ]
    out["invitations"] = [{"consortium": c.id, "name": c.name} for c in st.consortia if c.active and seat in c.invited]
    out["decisions"] = decisions_view(room, seat, lang)
    out["news"] = [_line(e, lang, level) for e in st.explanations if e.firm in (seat, -1)]
    out["policies"] = policies_view(room, lang)
    return out


def leaderboard(room: Room) -> list[dict[str, Any]]:
    st, rules = room.game.state, room.game.rules
    rows = []
    for k, seat in enumerate(room.seats):
        card = scorecard.balanced_scorecard(st, rules, k)
        rows.append({"seat": k, "name": seat.name, "colour": TEAM_COLOURS[seat.colour], "score": card["total"], "best_tier": int(st.firms.best_tier[k])})
    rows.sort(key=lambda r: (-r["score"], r["seat"]))
    return rows


def facilitator_view(room: Room, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"game": _game_header(room, lang), "room": room.room_code, "teams": public_teams(room, lang), "strategies": list(STRATEGIES), "strategy": room.strategy}
    if not room.started:
        return out
    st, level = room.game.state, room.loaded.level
    f = st.firms
    dash = []
    for k in range(len(room.seats)):
        dash.append(
            {
                **_firm_figures(room, k, lang),
                "seat": k,
                "contracts": sum(1 for c in st.contracts if c.active and k in c.members),
                "mean_capability": pct(f.cap[k].mean(), lang),
                "decided": bool(room.done[k]),
            }
        )
    out["dashboards"] = dash
    out["leaderboard"] = [{**r, "best_tier": tier(r["best_tier"], lang)} for r in leaderboard(room)]
    out["policies"] = policies_view(room, lang)
    out["events"] = [
        {"id": e.id, "name": _lt(e.name, lang), "fired": bool(st.events_fired[k]), "pending": e.id in st.pending_events} for k, e in enumerate(level.events)
    ]
    out["notes"] = [t["text"] for t in st.timeline if t.get("kind") == "note"]
    out["news"] = public_news(room, lang) if not room.finished else []
    m = st.metrics
    out["cluster"] = [
        [_t("metric.stage", lang), text.stage_label(m.stage, lang)],
        [_t("metric.local_share", lang), pct(m.local_share, lang)],
        [_t("metric.local_suppliers", lang), text.format_number(int(m.local_suppliers))],
        [_t("metric.cooperation", lang), pct(m.cooperation, lang)],
        [_t("metric.university_links", lang), pct(m.university_links, lang)],
        [_t("metric.association_share", lang), pct(m.association_share, lang)],
        [_t("metric.mean_capability", lang), pct(m.mean_capability, lang)],
    ]
    return out


def projector_view(room: Room, lang: str) -> dict[str, Any]:
    """Public facts only: leaderboard, the chain map by tier, stage, timer, events."""
    out: dict[str, Any] = {"game": _game_header(room, lang), "teams": public_teams(room, lang)}
    if not room.started:
        return out
    st = room.game.state
    out["leaderboard"] = [{"name": r["name"], "colour": r["colour"], "score": r["score"], "best_tier": tier(r["best_tier"], lang)} for r in leaderboard(room)]
    out["news"] = public_news(room, lang) if not room.finished else []
    f = st.firms
    rows = []
    for t in (1, 2, 3, NO_TIER):
        rows.append({"tier": tier(t, lang), "teams": [k for k in range(len(room.seats)) if int(min(f.tier[k], NO_TIER)) == t]})
    out["map"] = rows
    return out
