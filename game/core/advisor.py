"""The tutorial coach's advice, worked out from the state alone (pure, pygame-free).

:func:`advise` returns the one thing a player's firm should do next, as a
core action with the reason in words (a translation key and its figures),
plus any warnings. The window's coach (game/ui/coach.py) only turns it into
"open this tab, press this button"; a headless test plays the advice to the
end of the tutorial over many seeds.

Before recommending anything that costs money or load, it checks:

- free capacity and the on-time margin a call would leave (a bid that
  would push the plant past ``MAX_LOAD`` or the expected on-time share
  within ``ON_TIME_BUFFER`` of the customer's minimum is not advised:
  that is how chargebacks, strikes and lost contracts start);
- that the contract adds to profit after the local sales it would push out
  (:func:`game.core.economics.call_economics`);
- the runway: cash plus next quarter's collections over the fixed bills,
  after the investment or the contract's first-quarter cash gap; it warns
  when the runway is under ``RUNWAY_WARN`` quarters and suggests a bank
  loan before the bank's emergency line (dearer) is needed;
- that an investment pays back before the game ends.

It never says what is not so: a subsidy is named only when one pays part of
this decision now; calls already bid on are skipped; a consortium's bid is
advised only to the member who may place it (its founder, per
``PlaceBid.check``), and others are told who can.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from game.core import actions, economics
from game.core.actions import (
    Action,
    AdoptPractices,
    JoinAssociation,
    PlaceBid,
    RepayLoan,
    StartCertification,
    TakeLoan,
    TrainStaff,
)
from game.core.decisions.finance import loan_terms
from game.core.decisions.market import visible
from game.core.finance import AMORTISATION_QUARTERS
from game.core.rules import Rules
from game.core.state import DELIVERY, QUALITY, GameState

RUNWAY_WARN = 2.0
"""Quarters of fixed bills under which the coach warns."""
FORECAST_QUARTERS = 3
"""Quarters of cash forecast (economics.cash_forecast) the coach looks ahead."""
CUSHION = 0.3
"""Cash the forecast must keep at its lowest, as a share of a quarter's fixed bills."""
MAX_LOAD = 0.85
"""Committed load over capacity above which a bid is not advised (lateness grows beyond it)."""
ON_TIME_BUFFER = 0.012
"""Margin over a call's on-time minimum a bid must keep (about the quarter's noise, 0.015)."""
PPM_BUFFER = 1.2
"""Expected defects times this must stay within a call's maximum (the quarter's noise is about 25%)."""
PRICE_FACTORS = (0.95, 0.9, 1.0)
"""Prices the coach considers, as shares of the target (the calls tab's quick buttons), in order of preference."""


@dataclass(frozen=True)
class Advice:
    """One piece of advice: do ``action`` (None: end the quarter), because of ``key`` with ``params``."""

    key: str
    action: Action | None = None
    params: dict[str, Any] = field(default_factory=dict)
    price_factor: float | None = None
    """For a bid: the price as a share of the call's target (0.9, 0.95 or 1.0)."""
    warnings: tuple[tuple[str, dict[str, Any]], ...] = ()


def _low_point(state: GameState, rules: Rules, firm: int, spend: int = 0, extra: tuple[economics.Sale, ...] = (), borrow: tuple[int, float] = (0, 0.0), pending: bool = True) -> int:
    """The lowest closing cash of the next FORECAST_QUARTERS quarters, less the cushion the coach keeps.

    ``pending``: count this quarter's bids as won (before spending on anything else);
    the loan rule does not, since a bid may be lost and a loan taken for it costs interest.
    """
    loan, rate = borrow
    loan_bills = math.ceil(loan / AMORTISATION_QUARTERS) + loan * rate / 4.0 if loan > 0 else 0.0
    cushion = int(CUSHION * (economics.fixed_outflows(state, rules, firm) + loan_bills))
    forecast = economics.cash_forecast(state, rules, firm, FORECAST_QUARTERS, extra + (_pending(state, rules, firm) if pending else ()), spend, borrow)
    return min(forecast) - cushion


def _pending(state: GameState, rules: Rules, firm: int) -> tuple[economics.Sale, ...]:
    """This quarter's bids by the firm, as if all were won (the coach counts their cash needs before another)."""
    out = []
    for bid in state.bids:
        if bid.firm != firm:
            continue
        rfq = next((r for r in state.rfqs if r.id == bid.rfq_id), None)
        if rfq is not None:
            out.append(_sale(state, rules, rfq, economics.call_economics(state, rules, firm, rfq.id, bid.price)))
    return tuple(out)


def _valid(state: GameState, rules: Rules, action: Action) -> bool:
    return actions.validate(state, rules, action) is None


def quarters_left(state: GameState) -> int:
    """Quarters still to play, this one included."""
    return state.turns - state.quarter + 1


def bid_advice(state: GameState, rules: Rules, firm: int) -> tuple[Advice | None, list[tuple[str, dict[str, Any]]]]:
    """The best call to bid on now, if any is healthy; and why the others are not (for the text)."""
    f = state.firms
    fid = f.ids[firm]
    notes: list[tuple[str, dict[str, Any]]] = []
    cons = int(f.consortium[firm])
    founder = state.consortia[cons].founder if cons >= 0 else -1
    best: tuple[int, Advice] | None = None
    # Lost a call lately to a local rival's better price score: lead with the lower price.
    recent = [lb for lb in economics.lost_bids(state, firm) if lb.quarter >= state.quarter - 2 and lb.rival is not None]
    on_price = any(lb.rival is not None and lb.rival_price is not None and lb.rival["price"] > lb.yours["price"] for lb in recent)
    factors = (0.9, 0.95, 1.0) if on_price else PRICE_FACTORS
    for rfq in state.rfqs:
        if not visible(state, rules, firm, rfq):
            continue
        if (rfq.id, firm) in state.bid_keys or (cons >= 0 and (rfq.id, -1 - cons) in state.bid_keys):
            continue
        alone_ok = not actions.bid_requirements(state, rules, firm, rfq.id, False)
        group_ok = cons >= 0 and not alone_ok and not actions.bid_requirements(state, rules, firm, rfq.id, True)
        if not alone_ok and not group_ok:
            continue
        if group_ok and founder != firm:
            # Only the founder may bid for a consortium (PlaceBid.check): say who.
            notes.append(("coach.consortium_founder_bids", {"rfq": rfq.id, "founder": f.names[founder]}))
            continue
        if state.quarter >= state.turns:
            # A contract won now would start after the game's last quarter.
            notes.append(("coach.skip_too_late", {"rfq": rfq.id}))
            continue
        losing = True
        for factor in factors:
            price = int(rfq.target_price * factor)
            action = PlaceBid(fid, rfq.id, price, group_ok)
            if not _valid(state, rules, action):
                continue
            ce = economics.call_economics(state, rules, firm, rfq.id, price)
            reason = _bid_problem(state, rules, firm, rfq, ce)
            if reason is not None and reason[0] == "coach.skip_cash" and ce.gain_per_quarter > 0:
                # Healthy but for the working-capital gap, which opens next quarter when the contract starts:
                # bid now if this quarter's cash holds and the bank would lend the gap; borrow once it is won
                # (the loan rule above sees the won contract in the forecast), not before.
                loan = _loan_for(state, rules, firm, (_sale(state, rules, rfq, ce),))
                holds_now = economics.cash_forecast(state, rules, firm, 1, _pending(state, rules, firm))[0] >= 0
                if loan is not None and holds_now:
                    params = {"rfq": rfq.id, "price": price, "unit_cost": ce.unit_cost, "gain": ce.gain_per_quarter, "amount": loan[0].amount, "rate": loan[1], "gap": -ce.cash_first_quarter}
                    adv = Advice("coach.bid_then_borrow", action, params, factor)
                    rank = int(ce.gain_per_quarter * (1.0 if not rules.issuer_follow_source[rfq.issuer] else 0.7))
                    if best is None or rank > best[0]:
                        best = (rank, adv)
                    losing = False
                    break
            if reason is not None:
                notes.append(reason)
                losing = False
                break  # the price does not change load, scorecard or cash gap enough to matter
            if ce.gain_per_quarter <= 0:
                continue  # a loss at this price: try the next one
            losing = False
            follow = bool(rules.issuer_follow_source[rfq.issuer])
            params = {
                "rfq": rfq.id,
                "price": price,
                "unit_cost": ce.unit_cost,
                "gain": ce.gain_per_quarter,
                "load": round(ce.load_after, 2),
                "on_time": ce.on_time_expected,
                "min_on_time": rfq.min_on_time,
            }
            text = "coach.bid_follow_sources" if follow else ("coach.bid_lower" if on_price and factor < 0.95 else "coach.bid")
            adv = Advice(text, action, params, factor)
            rank = int(ce.gain_per_quarter * (1.0 if not follow else 0.7))
            if best is None or rank > best[0]:
                best = (rank, adv)
            break
        if losing:
            notes.append(("coach.skip_loss", {"rfq": rfq.id}))
    return (best[1] if best else None), notes


def _bid_problem(state: GameState, rules: Rules, firm: int, rfq: Any, ce: economics.CallEconomics) -> tuple[str, dict[str, Any]] | None:
    """Why a call is not healthy for the firm now (None if it is)."""
    if ce.load_after > MAX_LOAD:
        return ("coach.skip_capacity", {"rfq": rfq.id, "load": round(ce.load_after, 2)})
    if ce.on_time_margin < ON_TIME_BUFFER:
        return ("coach.skip_on_time", {"rfq": rfq.id, "on_time": ce.on_time_expected, "min_on_time": rfq.min_on_time})
    if ce.ppm_expected * PPM_BUFFER > rfq.max_ppm:
        return ("coach.skip_defects", {"rfq": rfq.id, "ppm": int(ce.ppm_expected), "max_ppm": rfq.max_ppm})
    if _low_point(state, rules, firm, extra=(_sale(state, rules, rfq, ce),)) < 0:
        return ("coach.skip_cash", {"rfq": rfq.id, "gap": -ce.cash_first_quarter})
    return None


def _sale(state: GameState, rules: Rules, rfq: Any, ce: economics.CallEconomics) -> economics.Sale:
    """The call as a contract the cash forecast can add (it starts next quarter)."""
    complexity = float(rules.part_complexity[rfq.part_family])
    return economics.Sale(ce.units, ce.price, ce.materials_per_unit, rfq.payment_days, state.quarter + 1, complexity, state.quarter + rfq.duration)


def _loan_for(state: GameState, rules: Rules, firm: int, extra: tuple[economics.Sale, ...] = (), pending: bool = True) -> tuple[TakeLoan, float] | None:
    """The smallest loan offered (economics.loan_choices) by the cheapest bank that keeps the cash forecast (with ``extra``) above the
    cushion, its own principal and interest included; None if the bank would not lend that much."""
    if not rules.bank_indexes:
        return None
    bank = min(rules.bank_indexes, key=lambda b: (loan_terms(state, rules, firm, b)[0], b))
    rate, _ = loan_terms(state, rules, firm, bank)
    for amount in economics.loan_choices(state, rules, firm, bank):
        if _low_point(state, rules, firm, extra=extra, borrow=(amount, rate), pending=pending) >= 0:
            loan = TakeLoan(state.firms.ids[firm], rules.level.institutions[bank].id, amount)
            return (loan, round(rate, 4)) if _valid(state, rules, loan) else None
    return None


def _audit_quality(state: GameState, rules: Rules, firm: int) -> float:
    """Quality a running certification's audit asks for, with a margin (0 if none is running)."""
    f = state.firms
    running = [c for c in range(len(rules.level.certifications)) if f.cert_left[firm, c] > 0]
    return max((rules.level.certifications[c].min_quality + 0.1 for c in running), default=0.0)


def _needed_certifications(state: GameState, rules: Rules, firm: int) -> list[int]:
    """Certifications the visible calls or the level's objective ask for that the firm lacks and is not earning."""
    f = state.firms
    wanted: list[int] = []
    for rfq in state.rfqs:
        if visible(state, rules, firm, rfq):
            wanted += [c for c in rfq.certifications if c not in wanted]
    for cond in rules.level.objective.conditions:
        cid = getattr(cond, "certification", None)
        if cid is not None and cid in rules.cert_index and rules.cert_index[cid] not in wanted:
            wanted.append(rules.cert_index[cid])
    return [c for c in wanted if not f.cert_held[firm, c] and f.cert_left[firm, c] <= 0]


def advise(state: GameState, rules: Rules, firm: int) -> Advice:
    """What the firm should do next (see the module's docstring)."""
    f = state.firms
    fid = f.ids[firm]
    if not f.alive[firm]:
        return Advice("tutorial.bankrupt")
    runway = economics.runway_quarters(state, rules, firm)
    warnings: list[tuple[str, dict[str, Any]]] = []
    bills = economics.fixed_outflows(state, rules, firm)
    if runway < RUNWAY_WARN:
        money = {"cash": int(f.cash[firm]), "bills": bills}
        if runway >= 1:
            warnings.append(("coach.runway_low", {"quarters": round(runway, 1), **money}))
        else:  # "about 0 quarters" reads as nonsense: say it does not last the quarter
            warnings.append(("coach.runway_under_one", money))
    if int(f.action_points[firm]) <= 0:
        return Advice("tutorial.end_turn", warnings=tuple(warnings))
    left = quarters_left(state)

    # 1. Cash first: a bank loan now is cheaper than the emergency line a short quarter brings.
    #    Only for what the firm faces for sure: a bid placed this quarter may be lost, so its
    #    working capital is borrowed once it is won (coach.bid_then_borrow says so when it bids).
    short = _low_point(state, rules, firm, pending=False)
    if short < 0:
        loan = _loan_for(state, rules, firm, pending=False)
        if loan is not None:
            return Advice("coach.take_loan", loan[0], {"amount": loan[0].amount, "rate": loan[1]}, warnings=tuple(warnings))
        warnings.append(("coach.cash_short", {"short": -short}))

    # 2. A healthy call: bid.
    bid, notes = bid_advice(state, rules, firm)
    if bid is not None:
        return Advice(bid.key, bid.action, bid.params, bid.price_factor, tuple(warnings))

    # 3. A certification the calls or the objective ask for, if it is earned in time and the cash allows.
    for cert in _needed_certifications(state, rules, firm):
        c = rules.level.certifications[cert]
        action = StartCertification(fid, c.id)
        if c.quarters >= left or not _valid(state, rules, action):
            continue
        cost = actions.cost(state, rules, action)
        if _low_point(state, rules, firm, cost.now + cost.later) < 0:
            notes.append(("coach.skip_investment_cash", {"action": action.kind}))
            continue
        text = "coach.start_certification_subsidy" if cost.subsidy > 0 else "coach.start_certification"
        return Advice(text, action, {"certification": c.id, "cost": cost.now + cost.later, "subsidy": cost.subsidy, "quarters": c.quarters}, warnings=tuple(warnings))

    # 4. The capability that keeps a call out of reach: delivery for on-time, quality for defects,
    #    once a quarter and only while it can still pay back.
    reasons = {key for key, _ in notes}
    if left >= 3:
        fixes: list[tuple[Action, str]] = []
        if "coach.skip_on_time" in reasons:
            fixes.append((AdoptPractices(fid), "coach.adopt_practices"))
        if "coach.skip_defects" in reasons or f.cap[firm, QUALITY] < _audit_quality(state, rules, firm):
            fixes.append((TrainStaff(fid), "coach.train_staff"))
        for fix, text in fixes:
            if int(f.trained_quarter[firm]) == state.quarter and fix.kind == "train_staff":
                continue
            fix_cost = actions.cost(state, rules, fix)
            if not _valid(state, rules, fix):
                continue
            if _low_point(state, rules, firm, fix_cost.now) < 0:
                notes.append(("coach.skip_investment_cash", {"action": fix.kind}))
                continue
            if fix_cost.subsidy > 0:
                text += "_subsidy"
            params = {"cost": fix_cost.now, "subsidy": fix_cost.subsidy, "delivery": round(float(f.cap[firm, DELIVERY]), 2), "quality": round(float(f.cap[firm, QUALITY]), 2)}
            return Advice(text, fix, params, warnings=tuple(warnings))

    # 5. The association: calls that are not public, for a small fee.
    if not f.association[firm] and left >= 3:
        join = JoinAssociation(fid)
        join_cost = actions.cost(state, rules, join)
        if _valid(state, rules, join) and _low_point(state, rules, firm, join_cost.now) >= 0:
            return Advice("coach.join_association", join, {"cost": join_cost.now}, warnings=tuple(warnings))

    # 6. Idle cash against a dear loan: pay back what the forecast can spare (the largest offered amount).
    repaid = any(e["quarter"] == state.quarter and e["firm"] == firm and e["action"].get("type") == "repay_loan" for e in state.log)
    if int(f.debt[firm]) > 0 and not repaid and not _pending(state, rules, firm):
        rate = float(f.debt_rate[firm])
        for amount in reversed(economics.repay_choices(state, firm)):
            repay = RepayLoan(fid, amount)
            if _valid(state, rules, repay) and _low_point(state, rules, firm, borrow=(-amount, rate)) >= 0:
                return Advice("coach.repay_loan", repay, {"amount": amount, "rate": round(rate, 4), "interest": int(round(amount * rate / 4.0))}, warnings=tuple(warnings))

    # 7. Nothing healthy to do: say why and end the quarter.
    if notes:
        first, params = notes[0]
        return Advice(first, None, params, warnings=tuple(warnings))
    return Advice("coach.end_turn_now", None, {"runway": round(runway, 1) if math.isfinite(runway) else None}, warnings=tuple(warnings))
