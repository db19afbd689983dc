"""Player decisions: the one entry point that validates and applies them.

Every state change a player (or a computer strategy) makes goes through
here. Each decision is written once, in one block, in a module of
:mod:`game.core.decisions` by domain (capabilities, finance, cooperation,
market): its frozen dataclass, its ``cost``, its ``check`` and its
``execute``. :func:`validate` is pure: the shared checks (game over, firm,
bankruptcy, action points), then the decision's cost against cash, then its
own check; it returns a :class:`Refusal` naming the reason key (a text in
the translation files) or ``None``. :func:`apply` runs only valid actions,
pays exactly the cost it validated, and raises if given an invalid one. The
window, the replay files and the computer players all use these objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from game.core import policies
from game.core.decisions.base import (
    Action,
    ActionFormatError,
    Cost,
    InvalidAction,
    Pass,
    Refusal,
    action_points_for,
    cash_refusal,
    check_text,
    dataclass_from_dict,
)
from game.core.decisions.capabilities import DECISIONS as _CAPABILITIES
from game.core.decisions.capabilities import (
    INNOVATION_QUARTERS,
    AdoptPractices,
    BuyTechnology,
    ExpandCapacity,
    StartCertification,
    StartInnovationProject,
    TrainStaff,
)
from game.core.decisions.cooperation import (
    CONSORTIUM_SETUP_COST,
    AcceptSubcontract,
    ApplySupplierDevelopment,
    DeclineInvitation,
    FoundConsortium,
    FreeRide,
    InviteToConsortium,
    JoinAssociation,
    JoinConsortium,
    LeaveConsortium,
    OfferSubcontract,
    SignUniversityAgreement,
)
from game.core.decisions.cooperation import DECISIONS as _COOPERATION
from game.core.decisions.finance import DECISIONS as _FINANCE
from game.core.decisions.finance import (
    ApplyProgramme,
    RepayLoan,
    TakeLoan,
    loan_offers,
    loan_terms,
    programme_grant,
)
from game.core.decisions.market import DECISIONS as _MARKET
from game.core.decisions.market import MAX_BID_FACTOR, PlaceBid, ServeLocalMarket
from game.core.rfq import Pooled, bid_requirements
from game.core.rules import Rules
from game.core.state import KIND_PLAYER, GameState

_ALL: tuple[type[Action], ...] = (Pass, *_CAPABILITIES, *_FINANCE, *_COOPERATION, *_MARKET)
ACTION_TYPES: dict[str, type[Action]] = {cls.kind: cls for cls in _ALL}
"""Every player decision by its ``kind`` (the ``type`` of its dict form)."""


def action_from_dict(data: Any) -> Action:
    """Rebuild a player's action from its dict form, checking every field's type."""
    action: Action = dataclass_from_dict(data, ACTION_TYPES)
    return action


def _checked(state: GameState, rules: Rules, action: Action) -> tuple[int, Cost] | Refusal:
    """The firm's index and the action's cost if the action is valid, else why not."""
    i = _firm_checked(state, action)
    if isinstance(i, Refusal):
        return i
    cost = action.cost(state, rules, i)
    refusal = cash_refusal(state, i, cost.cash_needed) or action.check(state, rules, i)
    return refusal if refusal is not None else (i, cost)


def _firm_checked(state: GameState, action: Action) -> int | Refusal:
    """The checks every decision shares (game over, firm, bankruptcy, action points): the firm's index, else why not."""
    if state.finished:
        return Refusal("refused.game_over")
    if type(action) not in _KNOWN:
        return Refusal("refused.unknown_action")
    f = state.firms
    try:
        i = f.index(action.firm)  # firm_index without the call
    except ValueError:
        return Refusal("refused.unknown_firm", {"firm": action.firm})
    if not f.alive[i]:
        return Refusal("refused.bankrupt")
    have = f.action_points.item(i)  # a Python int (int() of the int8 scalar, read without one)
    if action.action_points > have:
        return Refusal("refused.no_action_points", {"need": action.action_points, "have": have})
    return i


_KNOWN = frozenset(ACTION_TYPES.values())


def validate(state: GameState, rules: Rules, action: Action) -> Refusal | None:
    """Pure check of one action: a Refusal with a reason key, or None if valid."""
    checked = _checked(state, rules, action)
    return checked if isinstance(checked, Refusal) else None


def cost(state: GameState, rules: Rules, action: Action) -> Cost:
    """What ``action`` would cost its firm now (for the window, strategies and reports)."""
    return action.cost(state, rules, state.firms.index(action.firm))


def apply(state: GameState, rules: Rules, action: Action) -> Cost:
    """Run a valid action, paying exactly the cost it was validated with; returns that cost.

    Raises InvalidAction (changing nothing) if the action is refused.
    """
    checked = _checked(state, rules, action)
    if isinstance(checked, Refusal):
        raise InvalidAction(checked)
    return _perform(state, rules, action, *checked)


def try_apply(state: GameState, rules: Rules, action: Action) -> Refusal | None:
    """Apply the action if valid, else return why not (changing nothing): :func:`validate`
    then :func:`apply` with the checks run once, paying the cost they validated."""
    checked = _checked(state, rules, action)
    if isinstance(checked, Refusal):
        return checked
    _perform(state, rules, action, *checked)
    return None


def try_apply_bids(state: GameState, rules: Rules, bids: Iterable[PlaceBid], eligible: bool = False) -> int:
    """:func:`try_apply` of each of one firm's bids in turn while the firm has action points;
    returns how many were applied.

    With ``eligible``, the caller knows every bid's call to be one its firm hears of and meets
    every requirement of now (:meth:`game.core.strategies.BidRun.eligible_now`): those two
    checks of :meth:`PlaceBid.check_with` are left out, every other check is made.

    The same checks and effect as one at a time, with what applying a bid cannot change read
    once: the shared checks but action points (game over, firm, bankruptcy) for each firm, and
    what the bidder brings to a call (:func:`game.core.rfq.pooled_figures`): a bid pays nothing
    and changes none of the figures it pools (capabilities, certifications, capacity, cash,
    debt, members), nor what makes a firm hear of calls that are not public
    (:func:`game.core.decisions.market.visible`)."""
    points = state.firms.action_points
    bidders: dict[tuple[int, bool], Pooled] = {}
    heard: dict[int, bool] = {}
    firm, i = "", -1  # the last bid's firm and its index (-1: refused by a shared check)
    taken = 0
    for bid in bids:
        if bid.firm != firm or i < 0:
            firm = bid.firm
            checked = _firm_checked(state, bid)
            if isinstance(checked, Refusal):
                if checked.reason == "refused.no_action_points":
                    break
                i = -1
                continue
            i = checked
        elif bid.action_points > points.item(i):  # the firm's points as a Python int, without a numpy scalar
            break
        cost = bid.cost(state, rules, i)
        if cash_refusal(state, i, cost.cash_needed) is None and bid.check_with(state, rules, i, bidders, heard, eligible) is None:
            _perform(state, rules, bid, i, cost)
            taken += 1
        if points.item(i) <= 0:
            break
    return taken


def _perform(state: GameState, rules: Rules, action: Action, i: int, paid: Cost) -> Cost:
    """The effect of a checked action of firm ``i``: action points, subsidy, payment, ``execute``."""
    f = state.firms
    if action.action_points:
        # The points were checked (at least the action's): the difference stays in int8's range.
        f.action_points[i] = f.action_points.item(i) - action.action_points
    if f.kind.item(i) == KIND_PLAYER:
        state.log.append({"quarter": state.quarter, "firm": i, "action": action.to_dict()})
    if paid.policy >= 0:
        policies.spend(state, rules, paid.policy, paid.subsidy)
    if paid.now:
        # Every decision that costs cash now is an investment (capabilities, memberships,
        # a consortium's set-up) except paying back a loan, which is financing.
        f.pay(i, paid.now, "financing.loan_repaid" if action.kind == "repay_loan" else f"investments.{action.kind}")
    action.execute(state, rules, i, paid)
    return paid


__all__ = [
    "ACTION_TYPES",
    "AcceptSubcontract",
    "Action",
    "ActionFormatError",
    "AdoptPractices",
    "ApplyProgramme",
    "ApplySupplierDevelopment",
    "BuyTechnology",
    "CONSORTIUM_SETUP_COST",
    "Cost",
    "DeclineInvitation",
    "ExpandCapacity",
    "FoundConsortium",
    "FreeRide",
    "INNOVATION_QUARTERS",
    "InvalidAction",
    "InviteToConsortium",
    "JoinAssociation",
    "JoinConsortium",
    "LeaveConsortium",
    "MAX_BID_FACTOR",
    "OfferSubcontract",
    "Pass",
    "PlaceBid",
    "Refusal",
    "RepayLoan",
    "ServeLocalMarket",
    "SignUniversityAgreement",
    "StartCertification",
    "StartInnovationProject",
    "TakeLoan",
    "TrainStaff",
    "action_from_dict",
    "action_points_for",
    "apply",
    "bid_requirements",
    "check_text",
    "cost",
    "dataclass_from_dict",
    "loan_offers",
    "loan_terms",
    "programme_grant",
    "try_apply",
    "validate",
]
