"""Figures the window shows that the core does not keep as such, derived read-only
from the state: a call's title, who issued it, the cash runway, objective progress,
a firm's explanations this quarter."""

from __future__ import annotations

import math
import re
from typing import Any

from game.core import economics, scorecard
from game.core.state import NO_TIER


def issuer_name(session: Any, issuer: str, tr: Any) -> str:
    level = session.level
    for lf in level.lead_firms:
        if lf.id == issuer:
            return tr.level_text(lf.name)
        for sup in lf.tier1_suppliers:
            if sup.id == issuer:
                return tr.level_text(sup.name)
    return tr("ui.calls.partner_district") if issuer == "partner_district" else issuer


def lead_name(session: Any, lead_id: str, tr: Any) -> str:
    for lf in session.level.lead_firms:
        if lf.id == lead_id:
            return tr.level_text(lf.name)
    return lead_id


def call_title(session: Any, rfq: Any, tr: Any) -> str:
    """A scheduled call's own title, else its part family and volume."""
    for sched in session.level.rfqs:
        if sched.id == rfq.id and sched.title is not None:
            return tr.level_text(sched.title)
    part = session.level.part_families[rfq.part_family]
    return tr("ui.calls.generated_title", part=tr.level_text(part.name), volume=tr.num(rfq.volume))


def part_name(session: Any, index: int, tr: Any) -> str:
    return tr.level_text(session.level.part_families[index].name)


def cash_history(session: Any, player: int) -> list[int]:
    return [int(h["players"][player]["cash"]) for h in session.state.history if player < len(h.get("players", []))]


def runway(session: Any, player: int) -> float | None:
    """Quarters the cash lasts at the burn the cash forecast shows (the coach's own figure,
    economics.runway_quarters, so the sidebar and the coach agree); None when cash is not falling."""
    r = economics.runway_quarters(session.state, session.rules, player)
    return None if math.isinf(r) else max(0.0, r)


def runway_text(session: Any, player: int, tr: Any, short: bool = False) -> str:
    r = runway(session, player)
    if r is None:
        return tr("ui.firm.runway_stable")
    if r < 1:
        return tr("ui.firm.runway_critical_short" if short else "ui.firm.runway_critical")
    return tr("ui.firm.runway_short" if short else "ui.firm.runway_quarters", quarters=tr.num(round(r, 1)))


def objective_lines(session: Any, player: int, tr: Any, short: bool = False) -> list[tuple[bool, str]]:
    level = session.level
    met = session.state.objective_met[player] if player < len(session.state.objective_met) else []
    out = []
    for k, cond in enumerate(level.objective.conditions):
        done = bool(met[k]) if k < len(met) else False
        out.append((done, condition_text(tr, level, cond, short)))
    if short and level.objective.stay_solvent:
        out.append((bool(session.state.firms.alive[player]) and session.finished, tr("ui.objective.stay_solvent_short")))
    if short and level.id in scorecard.HEALTH_JUDGED:
        # The tutorial judges health too (scorecard.health): shown as met while nothing has gone wrong.
        out.append((not scorecard.health(session.state, session.rules, player), tr("ui.objective.healthy_short")))
    return out


def firm_explanations(session: Any, player: int) -> list[Any]:
    """This quarter's explanations for the firm (and the cluster's), so far."""
    return [e for e in session.state.explanations if e.firm in (player, -1)]


def tier_text(tier: int, tr: Any) -> str:
    return tr.tier(int(tier)) if int(tier) < NO_TIER else tr.tier(NO_TIER)


def free_capacity(session: Any, player: int) -> int:
    f = session.state.firms
    return int(max(0.0, float(f.capacity[player]) - float(f.committed[player])))


def strip_html(text: str) -> str:
    """The visible text of a pygame_gui HTML string (to measure it)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", text.replace("<br>", "\n")))


def condition_text(tr, level, cond, short: bool = False) -> str:  # noqa: ANN001
    """One objective condition as a sentence (``short``: for the sidebar)."""
    from game.text import level_name

    if short:
        by = tr("ui.objective.by_quarter_short", quarter=cond.by_quarter) if cond.by_quarter else tr("ui.objective.by_end_short")
    else:
        by = tr("ui.objective.by_quarter", quarter=cond.by_quarter) if cond.by_quarter else tr("ui.objective.by_end")
    kind = cond.kind.value if hasattr(cond.kind, "value") else str(cond.kind)
    if kind == "reach_tier":
        what = tr("ui.objective.reach_tier", tier=tier_inline(tr, cond.tier.value))
    elif kind == "hold_certification":
        what = tr("ui.objective.hold_certification", certification=level_name(level, "certification", cond.certification, tr.lang))
    elif kind == "min_cash":
        what = tr("ui.objective.min_cash_short" if short else "ui.objective.min_cash", amount=tr.money(cond.amount))
    elif kind == "local_share":
        what = tr("ui.objective.local_share", share=tr.pct(cond.amount))
    elif kind == "contracts":
        what = tr("ui.objective.contracts", count=int(cond.amount))
    else:
        what = kind
    return f"{what} ({by})"


def tier_inline(tr, tier) -> str:  # noqa: ANN001
    """A tier's name inside a sentence ("nivel 3" / "tier 3")."""
    label = tr.tier(tier)
    return label[:1].lower() + label[1:]


LOST_KEYS = ("rfq.lost_local", "rfq.lost_follow_source")
"""Explanations of a lost bid: the report adds both scores to them."""


def lost_bid_text(state: Any, firm: int, quarter: int, rfq_id: Any, tr: Any) -> str:
    """Who won a call the firm bid on and lost, and why in numbers: your score and the
    winner's, part by part (price, quality, delivery, relationship), for a local rival as for
    a follow-source. Empty when the awards kept no record of the bid."""
    for lb in economics.lost_bids(state, firm, quarter):
        if lb.rfq != rfq_id or lb.rival is None:
            continue

        def parts(score: dict[str, float]) -> str:
            return str(tr("ui.report.score_parts", total=score["total"], price=score["price"], quality=score["quality"], delivery=score["delivery"], relationship=score["relationship"]))

        winner = tr("ui.report.follow_source") if lb.winner in ("follow_source", "reserved") else lb.winner
        return str(tr("ui.report.lost_scores", yours=parts(lb.yours), winner=winner, rival=parts(lb.rival)))
    return ""


def contract_money(state: Any, rules: Any, firm: int, quarter: int, contract_id: Any) -> tuple[int, int] | None:
    """(gross, net) the contract left the firm in ``quarter``, from the books: the gross it
    billed and what remained after materials, penalties, coordination, factoring and
    subcontracted work. None when the books have no line for it that quarter."""
    ce = economics.contract_economics(state, rules, firm, str(contract_id))
    for q, lines in ce.by_quarter:
        if q == quarter:
            return int(lines.get("gross", 0)), int(lines.get("net", 0))
    return None



def call_money(session: Any, player: int, rfq_id: Any, price: int | None, tr: Any) -> list[tuple[str, str, str, bool | None]]:
    """The call's economics for the firm at its current figures, bidding ``price`` a unit
    (economics.call_economics): rows of (name, figure, explanation, good?) for the calls tab:
    the unit cost, the margin at the bid price (a unit and a quarter), the local sales the
    contract would push out of the firm's spare capacity, what it adds to the quarter's profit
    and the cash its first quarter brings (``good`` None when the figure is neither)."""
    ce = economics.call_economics(session.state, session.rules, player, str(rfq_id), price)
    days = next(r.payment_days for r in session.state.rfqs if r.id == ce.rfq)
    displaced = (
        tr("ui.calls.money.displaced_value", count=ce.displaced_local_units, margin=ce.displaced_local_margin)
        if ce.displaced_local_units > 0
        else tr("ui.calls.money.displaced_none")
    )
    return [
        (tr("ui.calls.money.unit_cost"), tr("ui.calls.money.unit_cost_value", cost=ce.unit_cost), tr("ui.calls.money.unit_cost_tip", materials=ce.materials_per_unit, fixed=ce.fixed_per_unit), None),
        (tr("ui.calls.money.margin"), tr("ui.calls.money.margin_value", unit=ce.margin_per_unit, quarter=ce.margin_per_quarter), tr("ui.calls.money.margin_tip", price=ce.price, units=ce.units), ce.margin_per_unit > 0),
        (tr("ui.calls.money.displaced"), displaced, tr("ui.calls.money.displaced_tip"), None if ce.displaced_local_units == 0 else False),
        (tr("ui.calls.money.gain"), tr("ui.calls.money.gain_value", gain=ce.gain_per_quarter), tr("ui.calls.money.gain_tip"), ce.gain_per_quarter > 0),
        (tr("ui.calls.money.first_cash"), tr("ui.calls.money.first_cash_value", cash=ce.cash_first_quarter), tr("ui.calls.money.first_cash_tip", days=days), ce.cash_first_quarter >= 0),
    ]


def call_money_line(session: Any, player: int, rfq_id: Any, price: int, tr: Any, short: bool = False) -> str:
    """The call's unit cost, margin and displaced local sales at ``price`` in one sentence (the
    calls tab's requirements view, where the figures' block has no room); ``short`` leaves out
    the price (the bid form shows it)."""
    ce = economics.call_economics(session.state, session.rules, player, str(rfq_id), price)
    displaced = tr("ui.calls.money.line_displaced", count=ce.displaced_local_units) if ce.displaced_local_units > 0 else tr("ui.calls.money.line_none")
    text = tr("ui.calls.money.line_short" if short else "ui.calls.money.line", price=ce.price, cost=ce.unit_cost, margin=ce.margin_per_unit, displaced=displaced)
    return str(text)


def contract_margin_text(session: Any, player: int, contract: Any, tr: Any) -> str:
    """A running contract's margin per quarter at the firm's current figures (its price this
    year less materials, times the firm's units: economics.contract_economics), with what the
    books say it left the firm in the last quarter it produced and in all, net and gross."""
    ke = economics.contract_economics(session.state, session.rules, player, str(contract.id))
    if not ke.by_quarter:
        return str(tr("ui.firm.contract_money_new", margin=ke.margin_per_quarter))
    quarter, lines = ke.by_quarter[-1]
    return str(tr("ui.firm.contract_money", margin=ke.margin_per_quarter, quarter=quarter, last=lines["net"], net=ke.net_to_date, gross=ke.gross_to_date))


def ledger_line_name(session: Any, name: str, tr: Any) -> str:
    """A line of the books (game/core/ledger: ``group.item``) as the player reads it: a contract's
    revenue by the call it was won on, an investment by the decision that paid it, the rest by
    its own text (``ledger.<name>``). Never the internal name."""
    from game.text import contract_name, has_text

    group, _, item = name.partition(".")
    if group == "revenue" and item.startswith(("contract.", "subcontract.")):
        kind, _, cid = item.partition(".")
        return str(tr(f"ledger.revenue.{kind}", name=contract_name(session.level, session.state, cid, tr.lang)))
    if has_text(f"ledger.{name}", tr.lang):
        return str(tr(f"ledger.{name}"))
    if group == "investments" and has_text(f"action.{item}", tr.lang):
        return str(tr(f"action.{item}"))
    raise KeyError(f"the books' line {name!r} has no text in {tr.lang}")


def _revenue_order(name: str) -> tuple[int, str]:
    return (0 if ".contract." in name else 1 if ".subcontract." in name else 2, name)


def books(session: Any, player: int, quarter: int, tr: Any) -> dict[str, Any] | None:
    """A closed quarter's books laid out for the window: ``income`` and ``cash`` as rows of
    (kind, text, signed pesos) with kind ``head`` (a group or a title with its total),
    ``line`` (one line of the ledger) or ``total`` (profit; opening and closing cash), and
    ``investments`` (paid this quarter, outside the profit). The income rows add up to the
    profit and the cash rows take the opening cash to the closing cash, to the peso, as
    game/core/ledger keeps them. None when the quarter is not closed."""
    from game.core import ledger

    q = next((q for q in ledger.quarters(session.state, player) if q["quarter"] == quarter), None)
    if q is None:
        return None
    income = q["income"]
    revenue = sorted((n for n in income if n.startswith("revenue.")), key=_revenue_order)
    costs = sorted((n for n in income if not n.startswith("revenue.")), key=lambda n: income[n])
    inc: list[tuple[str, str, int]] = [("head", tr("ui.books.revenue_total"), sum(income[n] for n in revenue))]
    inc += [("line", ledger_line_name(session, n, tr), income[n]) for n in revenue]
    inc.append(("head", tr("ui.books.costs_total"), sum(income[n] for n in costs)))
    inc += [("line", ledger_line_name(session, n, tr), income[n]) for n in costs]
    inc.append(("total", tr("ui.books.profit"), int(q["profit"])))
    flows = q["cash_flows"]
    cash: list[tuple[str, str, int]] = [("total", tr("ui.books.opening"), int(q["opening_cash"]))]
    for group in ledger.GROUPS:
        names = sorted((n for n in flows if n.split(".", 1)[0] == group), key=lambda n: -abs(flows[n]))
        if not names:
            continue
        cash.append(("head", tr(f"ledger.group.{group}"), sum(flows[n] for n in names)))
        cash += [("line", ledger_line_name(session, n, tr), flows[n]) for n in names]
    cash.append(("total", tr("ui.books.closing"), int(q["closing_cash"])))
    invested = -sum(v for n, v in flows.items() if n.startswith("investments."))
    return {"quarter": quarter, "income": inc, "cash": cash, "investments": invested}


def receivables_due(session: Any, player: int) -> tuple[int, int, list[int]]:
    """What the firm's customers owe it, by when it comes in: (next quarter, later quarters,
    the amount due in 1, 2, ... quarters), the state's own schedule (``Firms.receivables``)."""
    due = [int(x) for x in session.state.firms.receivables[player]]
    return (due[0] if due else 0), sum(due[1:]), due
