"""Decisions in the market: bids on open calls and the local market.

One block per decision: its data, ``check`` and ``execute`` (neither costs
anything now). What a call asks of a bidder is :func:`game.core.rfq.missing_requirements`
(as :func:`game.core.rfq.bid_requirements` reads it), the same function the award phase uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from game.core import policies
from game.core.decisions.base import Action, Cost, Refusal
from game.core.rfq import Pooled, missing_requirements, open_call, pooled, pooled_figures
from game.core.state import KIND_PLAYER, Bid, GameState, Rfq

if TYPE_CHECKING:
    from game.core.rules import Rules

MAX_BID_FACTOR = 1.5
"""A bid above 1.5 x the target price is refused as not serious."""


def visible(state: GameState, rules: Rules, firm: int, rfq: Rfq) -> bool:
    """Whether the firm hears of a call: public calls, or any if it is well linked."""
    return rfq.public or policies.informed(state, rules, firm)


@dataclass(frozen=True)
class PlaceBid(Action):
    """Bid on an open call; with ``consortium`` the founder bids for its consortium."""

    kind: ClassVar[str] = "bid"
    rfq: str
    price: int
    consortium: bool = False

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        return self.check_with(state, rules, i, {})

    def check_with(
        self,
        state: GameState,
        rules: Rules,
        i: int,
        bidders: dict[tuple[int, bool], Pooled],
        heard: dict[int, bool] | None = None,
        eligible: bool = False,
    ) -> Refusal | None:
        """:meth:`check`, reading what the bidder brings (:func:`game.core.rfq.pooled_figures`)
        from ``bidders`` by (firm, ``consortium``), and keeping it there when read anew; with
        ``heard``, whether firm ``i`` hears of calls that are not public (:func:`visible`) likewise.
        With ``eligible``, the caller knows that firm ``i`` hears of the call and meets every
        requirement of it (:func:`game.core.actions.try_apply_bids`): those two checks are left out."""
        rfq = open_call(state, self.rfq)
        if rfq is None:
            return Refusal("refused.no_such_rfq", {"rfq": self.rfq})
        if not rfq.public and not eligible:
            informed = heard.get(i) if heard is not None else None
            if informed is None:
                informed = visible(state, rules, i, rfq)
                if heard is not None:
                    heard[i] = informed
            if not informed:
                return Refusal("refused.no_such_rfq", {"rfq": self.rfq})
        f = state.firms
        if self.consortium:
            if f.consortium[i] < 0:
                return Refusal("refused.not_in_consortium")
            if state.consortia[int(f.consortium[i])].founder != i:
                return Refusal("refused.not_consortium_founder")
        if (self.rfq, i) in state.bid_keys or (self.consortium and (self.rfq, -1 - int(f.consortium[i])) in state.bid_keys):
            return Refusal("refused.already_bid")
        if not 0 < self.price <= rfq.target_price * MAX_BID_FACTOR:
            return Refusal("refused.bad_price", {"max": int(rfq.target_price * MAX_BID_FACTOR)})
        if eligible:
            return None
        bidder = bidders.get((i, self.consortium))
        if bidder is None:
            bidder = bidders[(i, self.consortium)] = pooled_figures(state, pooled(state, i, self.consortium))
        missing = missing_requirements(rules, rfq, bidder, first_only=True)  # what bid_requirements gives, first only
        return missing[0] if missing else None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        f = state.firms
        cons = f.consortium.item(i) if self.consortium else -1
        state.bids.append(Bid(self.rfq, i, cons, int(self.price)))
        state.bid_keys.add((self.rfq, i))
        if cons >= 0:
            state.bid_keys.add((self.rfq, -1 - cons))
        if f.kind.item(i) != KIND_PLAYER:
            return  # computer SMEs need no report (state.explain)
        rfq = open_call(state, self.rfq)
        assert rfq is not None, self.rfq  # checked when validated
        part = rfq.part_family
        state.explain(
            i,
            "done.bid",
            {"rfq": self.rfq, "part_family": rules.level.part_families[part].id, "price": self.price},
            "info",
            lever="cooperation" if self.consortium else None,
        )


@dataclass(frozen=True)
class ServeLocalMarket(Action):
    """Sell spare capacity to local and regional customers (or stop)."""

    kind: ClassVar[str] = "serve_local"
    action_points: ClassVar[int] = 0
    on: bool = True

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if bool(state.firms.serve_local[i]) == self.on:
            return Refusal("refused.no_change")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        state.firms.serve_local[i] = self.on


DECISIONS: tuple[type[Action], ...] = (PlaceBid, ServeLocalMarket)
