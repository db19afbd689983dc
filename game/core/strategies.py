"""Computer players: three strategies that run computer SMEs and can stand in for any player.

A strategy looks at the state and proposes actions in priority order; the
caller applies those that validate (management bandwidth and cash run out
along the way). Randomness comes from the game's ``computer`` stream only.

- cautious: keeps two quarters of wages in the bank, climbs the
  certification ladder when it can afford it, bids near the target price on
  calls it already qualifies for, avoids debt; joins the association when its
  report shows local customers leaving.
- growth: borrows to buy technology and capacity, chases every call it
  qualifies for with keen prices, climbs the ladder as fast as possible.
- cooperative: joins the association, a university and any
  supplier-development programme, founds or joins a consortium and bids
  through it, takes subcontract work.

Cautious and growth firms pool only for an order: when a call they see asks
more capacity than their whole plant and capacity is all they lack, they
accept an invitation to a consortium, join an open one or found one, and
the founder then bids through it; a supplier a lead firm develops grows along
its sponsor's chain instead (DD section 5: pooled capacity meets
minimum order sizes; seed paper, after Pyke 1992: SMEs "juntar sus
capacidades de producción para satisfacer pedidos de gran escala").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import overload

import numpy as np

from game.core import actions, cooperation, learning, policies
from game.core.actions import (
    AcceptSubcontract,
    Action,
    AdoptPractices,
    ApplySupplierDevelopment,
    BuyTechnology,
    ExpandCapacity,
    FoundConsortium,
    FreeRide,
    InviteToConsortium,
    JoinAssociation,
    JoinConsortium,
    OfferSubcontract,
    PlaceBid,
    RepayLoan,
    SignUniversityAgreement,
    StartCertification,
    StartInnovationProject,
    TakeLoan,
    TrainStaff,
    loan_offers,
)
from game.core.cooperation import ConsortiumIndex
from game.core.decisions.finance import VECTOR_BANKS, loan_offer_arrays
from game.core.rfq import (
    call_table,
    meets,
    meets_but_capacity,
    pooled,
    pooled_figures,
    single_figures,
)
from game.core.rules import Rules
from game.core.state import (
    DELIVERY,
    INNOVATION,
    MANAGEMENT,
    QUALITY,
    STRATEGIES,
    TECHNOLOGY,
    Firms,
    GameState,
    Rfq,
)

Strategy = Callable[[GameState, Rules, int, np.random.Generator], Iterable[Action]]
"""A strategy proposes a firm's actions in priority order. Most return a list; one that must see each
action's effect before choosing the next (:func:`coach`) yields them, and :func:`play_quarter` applies
each before asking for the next."""


def eligible_rfqs(state: GameState, rules: Rules, firm: int, consortium: bool = False) -> list[Rfq]:
    """Open calls the firm hears of and meets every requirement of.

    Asks the rules the engine uses: :func:`game.core.decisions.market.visible`
    and :func:`game.core.rfq.missing_requirements` (what ``bid_requirements``
    checks), here as arrays over every open call (:func:`game.core.rfq.meets`).
    A firm bidding alone reads its row of the quarter's eligibility matrix
    (:class:`Eligibility`), a consortium its pooled figures.
    """
    if not state.rfqs:
        return []
    view = Eligibility.of(state, rules)
    calls = view.table.calls
    return [calls[k] for k in _eligible_row(state, rules, view, firm, consortium).nonzero()[0].tolist()]


def _eligible_row(state: GameState, rules: Rules, view: Eligibility, firm: int, consortium: bool) -> np.ndarray:
    """(calls,) bool: :func:`eligible_rfqs` as a row over ``view``'s calls."""
    if consortium and state.firms.consortium[firm] >= 0:
        fig = pooled_figures(state, pooled(state, firm, True))
        row = meets(view.table, np.array([fig.caps[:3]]), np.array([fig.held], dtype=bool), np.array([fig.free]), np.array([fig.cash]))[0]
        return row & (view.table.public | policies.informed(state, rules, firm))
    return view.row(state, rules, firm)


def _firm_key(f: Firms, i: int) -> tuple:
    """Everything one firm's eligibility for a call depends on (its figures and what makes it informed)."""
    return (
        bool(f.alive[i]),
        bool(f.association[i]),
        int(f.supplier_dev[i]),
        int(f.university[i]),
        int(f.tier[i]),
        tuple(f.cap[i].tolist()),
        f.cert_held[i].tobytes(),
        int(f.capacity[i]),
        float(f.committed[i]),
        int(f.cash[i]),
        int(f.debt[i]),
        sum(f.receivables[i].tolist()),
    )


def _firm_keys(f: Firms) -> list[tuple]:
    """:func:`_firm_key` of every firm, from whole columns."""
    return list(
        zip(
            f.alive.tolist(),
            f.association.tolist(),
            f.supplier_dev.tolist(),
            f.university.tolist(),
            f.tier.tolist(),
            map(tuple, f.cap.tolist()),
            [row.tobytes() for row in f.cert_held],
            f.capacity.tolist(),
            f.committed.tolist(),
            f.cash.tolist(),
            f.debt.tolist(),
            f.receivables.sum(axis=1).tolist(),
            strict=True,
        )
    )


class Eligibility:
    """This quarter's open calls (:class:`game.core.rfq.CallTable`) and which of them
    each firm, bidding alone, hears of and qualifies for: a (firms, calls) matrix;
    and beside it which calls each firm hears of and would qualify for but for the
    free capacity of a plant smaller than the call (``beyond``: :func:`_orders_beyond`).

    Kept in ``state.memo`` for the open calls, the rules and the active policies
    it was computed with. Firms' figures change during the quarter (payments,
    accepted subcontracts, others' awards), so each row also keeps the figures
    it was computed from (:func:`_firm_key`) and is computed again when they differ.
    """

    def __init__(self, state: GameState, rules: Rules):
        self.rules = rules
        self.calls = state.rfqs
        self.count = len(state.rfqs)
        self.policies = list(state.policy_active)
        self.table = call_table(rules, state.rfqs)
        self.id_array = np.array([r.id for r in state.rfqs], dtype=object)
        self.tiers = np.array([r.tier for r in state.rfqs], dtype=np.int64)
        self._tiers: dict[int, np.ndarray] = {}
        self.targets = np.array([r.target_price for r in state.rfqs], dtype=np.float64)
        """Target prices as floats (exact: pesos below 2**53), as a bid price multiplies them."""
        f = state.firms
        caps, held, free, cash = single_figures(state)
        visible = self.table.public[None, :] | policies.informed_mask(state, rules)[:, None]
        self.matrix, self.beyond = self._rows(caps, held, free, cash, f.capacity, visible)
        self.keys = _firm_keys(f)

    def _rows(self, caps: np.ndarray, held: np.ndarray, free: np.ndarray, cash: np.ndarray, capacity: np.ndarray, visible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(eligible, beyond) for bidders with these figures (as :func:`game.core.rfq.meets` takes them)."""
        need_cap = self.table.need[None, :, 3]
        others = meets_but_capacity(self.table, caps, held, cash) & visible
        short = free[:, None] + 1e-9 < need_cap
        return others & ~short, others & short & (need_cap > capacity[:, None])

    @classmethod
    def of(cls, state: GameState, rules: Rules) -> Eligibility:
        """The state's current view, computed anew if the calls, rules or policies changed."""
        view = state.memo.get("eligibility")
        if not (
            isinstance(view, cls)
            and view.rules is rules
            and view.calls is state.rfqs
            and view.count == len(state.rfqs)
            and view.policies == state.policy_active
            and len(view.keys) == len(state.firms)
        ):
            view = cls(state, rules)
            state.memo["eligibility"] = view
        return view

    def refresh(self, state: GameState, rules: Rules, firm: int) -> None:
        """Compute ``firm``'s rows again if its figures changed since they were computed."""
        f = state.firms
        key = _firm_key(f, firm)
        if key != self.keys[firm]:
            fig = pooled_figures(state, [firm])
            visible = self.table.public | policies.informed(state, rules, firm)
            eligible, beyond = self._rows(
                np.array([fig.caps[:3]]), np.array([fig.held], dtype=bool), np.array([fig.free]), np.array([fig.cash]), np.array([fig.capacity]), visible[None, :]
            )
            self.matrix[firm] = eligible[0]
            self.beyond[firm] = beyond[0]
            self.keys[firm] = key

    def row(self, state: GameState, rules: Rules, firm: int) -> np.ndarray:
        """(calls,) bool: the calls ``firm`` may bid on alone, with its figures now."""
        self.refresh(state, rules, firm)
        return self.matrix[firm]

    def tier_at_least(self, tier: int) -> np.ndarray:
        """(calls,) bool: the calls of tier ``tier`` or a higher number (kept per tier)."""
        mask = self._tiers.get(tier)
        if mask is None:
            mask = self._tiers[tier] = self.tiers >= tier
        return mask

    def beyond_row(self, state: GameState, rules: Rules, firm: int) -> np.ndarray:
        """(calls,) bool: the calls ``firm`` hears of and meets every requirement of but free
        capacity, asking more than its whole plant, with its figures now."""
        self.refresh(state, rules, firm)
        return self.beyond[firm]


def _cost_now(state: GameState, rules: Rules, firm: int, action: Action) -> int:
    """What the action would take from the firm's cash now (the rules' own figure)."""
    return action.cost(state, rules, firm).now


def _wages(state: GameState, rules: Rules, firm: int) -> int:
    return int(state.firms.employees[firm]) * rules.economy.wage_per_quarter


def _next_certification(state: GameState, rules: Rules, firm: int) -> StartCertification | None:
    """The cheapest certification the firm could start now (the action's own check, cash aside)."""
    fid = state.firms.ids[firm]
    best: tuple[int, StartCertification] | None = None
    for cert in rules.level.certifications:
        action = StartCertification(fid, cert.id)
        if action.check(state, rules, firm) is not None:
            continue
        price = action.cost(state, rules, firm).full
        if best is None or price < best[0]:
            best = (price, action)
    return best[1] if best is not None else None


def _bank_array(state: GameState, banks: list[int]) -> np.ndarray:
    """``banks`` as an array, kept in ``state.memo`` for that list."""
    memo = state.memo.get("bank_array")
    if memo is None or memo[0] is not banks or len(memo[1]) != len(banks):
        memo = (banks, np.array(banks, dtype=np.int64))
        state.memo["bank_array"] = memo
    return memo[1]


def _borrow(state: GameState, rules: Rules, firm: int, amount: int) -> list[Action]:
    if amount <= 0 or not rules.bank_indexes:
        return []
    banks = rules.bank_indexes
    if len(banks) > VECTOR_BANKS:
        # The lowest rate, then the lowest bank index, from every bank's terms as arrays.
        rates, rooms = loan_offer_arrays(state, rules, firm, banks)
        tied = np.flatnonzero(rates == rates.min())
        k = int(tied[np.argmin(_bank_array(state, banks)[tied])])  # the first of the lowest bank index
        room = int(rooms[k])
        best = banks[k]
    else:
        offers = dict(zip(banks, loan_offers(state, rules, firm, banks), strict=True))
        best = min(banks, key=lambda b: (offers[b][0], b))
        _, room = offers[best]
    amount = min(int(amount), room)
    if amount < 50_000:
        return []
    return [TakeLoan(state.firms.ids[firm], rules.level.institutions[best].id, amount)]


class BidRun(Sequence[Action]):
    """Bids on some calls at prices already drawn, each :class:`PlaceBid` made only when read:
    a firm's action points end its quarter after a few of them, and a large cluster offers
    a firm hundreds of calls."""

    __slots__ = ("consortium", "firm", "ids", "prices")

    def __init__(self, firm: str, ids: list[str], prices: list[int], consortium: bool):
        self.firm, self.ids, self.prices, self.consortium = firm, ids, prices, consortium

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, k: int) -> Action: ...
    @overload
    def __getitem__(self, k: slice) -> list[Action]: ...
    def __getitem__(self, k: int | slice) -> Action | list[Action]:
        if isinstance(k, slice):
            return list(self)[k]
        return PlaceBid(self.firm, self.ids[k], self.prices[k], self.consortium)

    def __iter__(self) -> Iterator[Action]:
        firm, consortium = self.firm, self.consortium
        for rfq, price in zip(self.ids, self.prices, strict=True):
            yield PlaceBid(firm, rfq, price, consortium)

    def __repr__(self) -> str:
        return repr(list(self))


class Proposals(Iterable[Action]):
    """A strategy's actions in priority order, as runs (lists, :class:`BidRun`) read in turn;
    ``+=`` adds a run, ``append`` one action, ``+`` on either side joins as lists do."""

    __slots__ = ("runs",)

    def __init__(self, first: Iterable[Action] = ()):
        self.runs: list[Iterable[Action]] = [first]

    def __iadd__(self, run: Iterable[Action]) -> Proposals:
        self.runs.append(run)
        return self

    def append(self, action: Action) -> None:
        self.runs.append((action,))

    def __add__(self, more: Iterable[Action]) -> Proposals:
        """``proposals + actions``: a new Proposals, these runs first (as a list's ``+``)."""
        out = Proposals()
        out.runs = [*self.runs, more]
        return out

    def __radd__(self, first: Iterable[Action]) -> Proposals:
        """``actions + proposals`` (a scripted strategy putting its own actions first)."""
        out = Proposals(first)
        out.runs += self.runs
        return out

    def __iter__(self) -> Iterator[Action]:
        for run in self.runs:
            yield from run

    def __repr__(self) -> str:
        return repr(list(self))


def _bid_actions(state: GameState, view: Eligibility, firm: int, row: np.ndarray, rng: np.random.Generator, discount: float, consortium: bool) -> BidRun:
    """A bid on each call of ``row``, in call order, priced a draw below the target:
    ``int(target * (1 - discount - 0.03 * u))``, at least 1 peso, with ``u`` drawn for
    each call in turn (one array of draws: the same numbers as one draw a call)."""
    ks = row.nonzero()[0]
    if not len(ks):
        return NO_BIDS  # no call, no draw
    prices = np.maximum((view.targets[ks] * (1.0 - discount - 0.03 * rng.random(len(ks)))).astype(np.int64), 1)
    return BidRun(state.firms.ids[firm], view.id_array[ks].tolist(), prices.tolist(), consortium)


NO_BIDS = BidRun("", [], [], False)
"""The empty run of bids (shared: a BidRun is never changed)."""


def _bids(state: GameState, rules: Rules, firm: int, rng: np.random.Generator, discount: float, max_tier: int = 1, consortium: bool = False) -> Sequence[Action]:
    """Bid on every call :func:`eligible_rfqs` gives of tier ``max_tier`` or above (tier 1 is the top)."""
    if not state.rfqs:
        return []
    view = Eligibility.of(state, rules)
    row = _eligible_row(state, rules, view, firm, consortium)
    if max_tier > 1:
        row = row & view.tier_at_least(max_tier)
    return _bid_actions(state, view, firm, row, rng, discount, consortium)


def _supplier_development(state: GameState, rules: Rules, firm: int) -> list[Action]:
    """Apply to a supplier-development programme whose window is open and whose criteria the firm meets:
    mentoring costs nothing and the lead firm picks by its published criteria (what a player sees)."""
    f = state.firms
    if f.supplier_dev[firm] >= 0 or f.sd_applied[firm] >= 0:
        return []
    return [
        ApplySupplierDevelopment(f.ids[firm], rules.level.policies[p].id)
        for p, eff in policies.supplier_development(state, rules)
        if policies.sd_window(eff, state.quarter)[0] and policies.eligible(state, rules, p, firm)
    ]


def _subsidised_certification(state: GameState, rules: Rules, firm: int, target: int) -> StartCertification | None:
    """A certification the firm can start now with a public subsidy, that an active lead firm asks at tier 2
    or at ``target``: the cheapest for the firm after the subsidy."""
    # None unless some active subsidy with a share, budget left and the firm among those it serves
    # (what policies.best_share asks before a certification's cost names a policy).
    if not any(
        eff.share > 0 and policies.budget_left(state, rules, p) > 0 and policies.eligible(state, rules, p, firm)
        for p, eff in policies.active_effects(state, rules, "certification_subsidy")
    ):
        return None
    fid = state.firms.ids[firm]
    best: tuple[int, str, StartCertification] | None = None
    for cid in LeadTargets.of(state, rules).wanted(target):
        action = StartCertification(fid, cid)
        if action.check(state, rules, firm) is not None:
            continue
        cost = action.cost(state, rules, firm)
        if cost.policy < 0 or cost.share <= 0:
            continue
        if best is None or (cost.total, cid) < best[:2]:
            best = (cost.total, cid, action)
    return best[2] if best is not None else None


def _certify_for(state: GameState, rules: Rules, firm: int, wanted: list[str]) -> list[StartCertification]:
    """Start the next certification on the way to those a tier asks for."""
    f = state.firms
    if (f.cert_left[firm] > 0).any() or all(f.cert_held[firm, rules.cert_index[c]] for c in wanted):
        return []
    nxt = _next_certification(state, rules, firm)
    return [nxt] if nxt is not None else []


def _pick_max(values: np.ndarray, rng: np.random.Generator) -> int:
    """Index of the largest value; ties drawn by lot (the game's stream), not by row.

    ``np.argmax`` gives ties to the lowest row, and identical player seats tie
    often: seat 1 got every subcontract offer and invitation seat 2 was equally
    fit for. A draw is made only when there is a tie.
    """
    top = np.flatnonzero(values == values.max())
    return int(top[0]) if len(top) == 1 else int(top[int(rng.integers(len(top)))])


def _offer_subcontract(state: GameState, rules: Rules, firm: int, rng: np.random.Generator) -> list[Action]:
    """When busy, pass a third of one contract to a firm with room for it, freeing capacity to bid again.

    Vertical cooperation: the holder keeps the customer and a margin; the
    subcontractor fills idle capacity and learns from the customer's demands.
    The holder prefers a firm experienced in the part family (what it makes is
    known in the cluster), then the one with most idle capacity.
    """
    f = state.firms
    if f.committed[firm] < 0.6 * f.capacity[firm]:
        return []
    held = [c for c in state.contracts if c.active and firm in c.members and c.subcontractor < 0]
    if not held:
        return []
    c = max(held, key=lambda k: (k.volume, k.id))
    need = c.volume * float(rules.part_complexity[c.part_family]) / 3.0
    idle = f.capacity - f.committed
    idle[firm] = -1
    idle[~f.alive] = -1
    if idle.max() < need:
        return []
    fit = learning.depths(state, c.part_family)
    fit = np.where(idle >= need, fit, -1.0)
    best = np.flatnonzero(fit == fit.max())
    room = np.full(len(f), -1.0)
    room[best] = idle[best]
    partner = _pick_max(room, rng)
    price = int(c.price * 0.85)
    return [OfferSubcontract(f.ids[firm], c.id, f.ids[partner], 0.33, price)]


class LeadTargets:
    """What the computer firms aim at, from the active lead firms' requirements: the same
    for every firm in a quarter, so kept in ``state.memo`` for the lead firms active
    (recomputed when one arrives or leaves)."""

    def __init__(self, state: GameState, rules: Rules):
        self.rules = rules
        self.active_key = list(state.lead_firm_active)
        level = rules.level
        self.active = [lf.id for k, lf in enumerate(level.lead_firms) if state.lead_firm_active[k]]
        aimed = self.active or [level.lead_firms[0].id]
        self.lead = aimed[0]
        """The lead firm whose requirements a firm aims at: the first active one (else the level's first)."""
        self.tier2_shortcuts: list[tuple[str, list[int]]] = []
        """(lead firm, the certifications it asks at tier 2) for each aimed-at lead firm asking one
        there that it does not ask at tier 3, in order: who holds them all aims at tier 2 directly."""
        seen: set[frozenset[str]] = set()
        for lid in aimed:
            need2 = rules.requirements(lid, 2).certifications
            # Only the first lead firm asking a given set can be picked: later ones asking the same are left out.
            if set(need2) - set(rules.requirements(lid, 3).certifications) and frozenset(need2) not in seen:
                seen.add(frozenset(need2))
                self.tier2_shortcuts.append((lid, [rules.cert_index[c] for c in need2]))
        self._wanted: dict[int, list[str]] = {}

    @classmethod
    def of(cls, state: GameState, rules: Rules) -> LeadTargets:
        view = state.memo.get("lead_targets")
        if not (isinstance(view, cls) and view.rules is rules and view.active_key == state.lead_firm_active):
            view = cls(state, rules)
            state.memo["lead_targets"] = view
        return view

    def wanted(self, target: int) -> list[str]:
        """The certifications an active lead firm asks at tier 2 or at ``target``, sorted."""
        if target not in self._wanted:
            wanted: set[str] = set()
            for lid in self.active:
                for tier in sorted({2, target}):
                    wanted.update(self.rules.requirements(lid, tier).certifications)
            self._wanted[target] = sorted(wanted)
        return self._wanted[target]


def _aim(state: GameState, rules: Rules, firm: int, reserve: int, borrow: bool, rng: np.random.Generator) -> list[Action]:
    """Close the biggest gap to the next tier up, as far as cash (and credit, if ``borrow``) allows.

    The target is the requirement set of the first active lead firm for the
    tier just above the firm's best so far: certifications first (they take
    longest), then technology, quality and delivery.
    """
    f = state.firms
    fid = f.ids[firm]
    target = max(1, min(int(f.best_tier[firm]), 4) - 1)
    leads = LeadTargets.of(state, rules)
    lead = leads.lead
    # A firm that already holds a certification a lead firm asks only from tier 2 up (a subsidised
    # IATF, say), and every other it asks there, aims at that tier directly: the rest of the bar is
    # capabilities it can buy.
    if target > 2:
        for lid, need2 in leads.tier2_shortcuts:
            if f.cert_held[firm, need2].all():
                target, lead = 2, lid
                break
    req = rules.requirements(lead, target)
    cash = int(f.cash[firm])
    out: list[Action] = []

    def afford(cost: int, action: Action) -> None:
        nonlocal cash
        if cash - cost >= reserve:
            out.append(action)
            cash -= cost
        elif borrow:
            loan = _borrow(state, rules, firm, cost + reserve - cash)
            if loan:
                out.extend([*loan, action])
                cash = reserve

    certifying = bool((f.cert_left[firm] > 0).any())
    if not certifying:
        for cid in req.certifications:
            cert = rules.cert_index[cid]
            if not f.cert_held[firm, cert]:
                nxt = _next_certification(state, rules, firm)
                if nxt is not None:
                    # Keep two instalments in hand: the first is paid now, the next at the quarter's end.
                    quarters = int(rules.cert_quarters[rules.cert_index[nxt.certification]])
                    afford(nxt.cost(state, rules, firm).total // quarters * 2, nxt)
                break
    if not out and not certifying:
        # A public subsidy open to the firm for a certification some active lead firm asks at tier 2
        # (or at the tier it aims at): the policy view shows both, so take it while budget lasts.
        sub = _subsidised_certification(state, rules, firm, target)
        if sub is not None:
            quarters = int(rules.cert_quarters[rules.cert_index[sub.certification]])
            afford(sub.cost(state, rules, firm).total // quarters * 2, sub)
    caps = f.cap[firm].tolist()
    if caps[TECHNOLOGY] < req.technology + 0.05:
        buy = BuyTechnology(fid)
        afford(_cost_now(state, rules, firm, buy), buy)
    if caps[QUALITY] < req.quality + 0.05 and state.quarter - f.trained_quarter[firm] >= 2:
        train = TrainStaff(fid)
        afford(_cost_now(state, rules, firm, train), train)
    if (caps[DELIVERY] < req.delivery + 0.05 or caps[MANAGEMENT] < 0.5) and rng.random() < 0.5:
        adopt = AdoptPractices(fid)
        afford(_cost_now(state, rules, firm, adopt), adopt)
    return out


POOL_MAX_MEMBERS = cooperation.OPEN_BELOW
"""A firm pooling for an order joins a consortium of fewer members than this (the cooperative
strategy's own limit): a larger group adds coordination more than capacity."""


def _orders_beyond(state: GameState, rules: Rules, firm: int) -> list[Rfq]:
    """Visible open calls the firm meets on every requirement but capacity, and that ask
    more capacity than its whole plant: orders only a pool of firms could make
    (its row of :attr:`Eligibility.beyond`)."""
    if not state.rfqs:
        return []
    view = Eligibility.of(state, rules)
    calls = view.table.calls
    return [calls[k] for k in view.beyond_row(state, rules, firm).nonzero()[0].tolist()]


def _pool_for_orders(state: GameState, rules: Rules, firm: int) -> list[Action]:
    """Answer an order beyond the firm by pooling capacity: accept an invitation to a
    consortium, else join the open one with most trust, else found one.

    Reads what a player sees: the open calls and their requirements, the firm's
    own figures (:func:`_orders_beyond`), its invitations, and the consortia open
    to it with their trust (the cooperation tab).
    """
    f = state.firms
    # A supplier a lead firm develops grows along its sponsor's chain (mentoring, development order,
    # prompt payment, bid preference): it does not pool its plant for another issuer's run.
    if f.consortium[firm] >= 0 or f.supplier_dev[firm] >= 0 or not state.rfqs or not Eligibility.of(state, rules).beyond_row(state, rules, firm).any():
        return []  # no order beyond its plant (_orders_beyond is empty)
    fid = f.ids[firm]
    cs = state.consortia
    index = ConsortiumIndex.of(state)
    for k in index.invitations(state, firm):
        if len(cs[k].members) < POOL_MAX_MEMBERS:
            return [JoinConsortium(fid, cs[k].id)]
    open_ = [cs[k] for k in index.open_now(state)]
    if open_:
        best = max(open_, key=lambda k: (k.trust, -k.id))
        return [JoinConsortium(fid, best.id)]
    if f.cash[firm] > _wages(state, rules, firm):
        return [FoundConsortium(fid, f"Consorcio {f.names[firm]}")]
    return []


def _group_bids(state: GameState, rules: Rules, firm: int, rng: np.random.Generator, discount: float) -> Sequence[Action]:
    """A founder bids for its consortium on the calls the pool qualifies for and that ask more
    capacity than any member's whole plant: the orders it pooled for (smaller calls each member
    bids on alone)."""
    f = state.firms
    c = int(f.consortium[firm])
    members = pooled(state, firm, True)
    if c < 0 or state.consortia[c].founder != firm or len(members) < 2:
        return []
    biggest = max(float(f.capacity[m]) for m in members)
    if not state.rfqs:
        return []
    view = Eligibility.of(state, rules)
    row = _eligible_row(state, rules, view, firm, True) & (view.table.need[:, 3] > biggest)
    return _bid_actions(state, view, firm, row, rng, discount, True)


def _invite(state: GameState, firm: int, consortium, rng: np.random.Generator) -> list[Action]:  # noqa: ANN001 - a Consortium
    """Invite the unattached firm with the most idle capacity (what a consortium lacks most)."""
    f = state.firms
    free = np.where(f.alive & (f.consortium < 0), f.capacity - f.committed, -1.0)
    free[firm] = -1.0
    free[consortium.invited] = -1.0
    j = _pick_max(free, rng)
    return [InviteToConsortium(f.ids[firm], f.ids[j])] if free[j] > 0 else []


def _accept_invitation(state: GameState, firm: int) -> list[Action]:
    """Join the first consortium that invited the firm, if it is in none."""
    if state.firms.consortium[firm] >= 0:
        return []
    invitations = ConsortiumIndex.of(state).invitations(state, firm)
    return [JoinConsortium(state.firms.ids[firm], state.consortia[invitations[0]].id)] if invitations else []


def _accept_offers(state: GameState, firm: int) -> list[Action]:
    """Take subcontract work offered to the firm (validation checks its idle capacity)."""
    return [AcceptSubcontract(state.firms.ids[firm], o.contract_id) for o in state.offers if o.to_firm == firm]


FREE_RIDE_TRUST = 0.2
"""Computer members free-ride when their consortium's trust (shown to every member) is this low."""


def _free_ride(state: GameState, rules: Rules, firm: int) -> list[Action]:
    """Free-ride on the consortium when what a member can see says others do, or cash is squeezed.

    Reads only what a player sees: the consortium's trust (in the cooperation
    tab; it falls when members free-ride) and the firm's own cash against a
    quarter's wages (price pressure raises the temptation to defect, DD section 5).
    """
    f = state.firms
    c = int(f.consortium[firm])
    if c < 0 or sum(1 for m in state.consortia[c].members if f.alive[m]) < 2:
        return []
    if state.consortia[c].trust < FREE_RIDE_TRUST or f.cash[firm] < _wages(state, rules, firm):
        return [FreeRide(f.ids[firm])]
    return []


def cautious(state: GameState, rules: Rules, firm: int, rng: np.random.Generator) -> Proposals:
    f = state.firms
    fid = f.ids[firm]
    wages = _wages(state, rules, firm)
    out = Proposals(_free_ride(state, rules, firm))
    out += _supplier_development(state, rules, firm)
    out += _accept_offers(state, firm)
    out += _pool_for_orders(state, rules, firm)
    out += _group_bids(state, rules, firm, rng, 0.0)
    out += _accept_invitation(state, firm)
    out += _bids(state, rules, firm, rng, 0.0, max_tier=2)
    out += _aim(state, rules, firm, reserve=wages, borrow=False, rng=rng)
    # The report says when local customers leave for suppliers that improve (learning.local_customers):
    # the association is the cheapest way back into the knowledge economy.
    if not f.association[firm] and (rng.random() < 0.15 or f.local_base[firm] < 1.0):
        out.append(JoinAssociation(fid))
    if f.debt[firm] > 0 and f.cash[firm] > 3 * wages:
        out.append(RepayLoan(fid, int(min(f.debt[firm], f.cash[firm] - 2 * wages))))
    return out


def growth(state: GameState, rules: Rules, firm: int, rng: np.random.Generator) -> Proposals:
    f = state.firms
    fid = f.ids[firm]
    wages = _wages(state, rules, firm)
    out = Proposals(_supplier_development(state, rules, firm))
    out += _accept_offers(state, firm)
    out += _pool_for_orders(state, rules, firm)
    out += _group_bids(state, rules, firm, rng, 0.05)
    out += _bids(state, rules, firm, rng, 0.05)
    if not f.association[firm]:
        out.append(JoinAssociation(fid))
    if f.cash[firm] < wages // 2:
        out += _borrow(state, rules, firm, wages)
    # Borrow to climb only with a contract to pay the loans off.
    out += _aim(state, rules, firm, reserve=wages // 2, borrow=bool(f.tier[firm] < 4), rng=rng)
    out += _offer_subcontract(state, rules, firm, rng)
    if f.committed[firm] > 0.7 * f.capacity[firm]:
        expand = ExpandCapacity(fid, int(f.capacity[firm] // 4))
        if f.cash[firm] - _cost_now(state, rules, firm, expand) > wages:
            out.append(expand)
    innovate = StartInnovationProject(fid)
    if f.cap[firm, INNOVATION] < 0.3 and f.cash[firm] - _cost_now(state, rules, firm, innovate) > 2 * wages:
        out.append(innovate)
    return out


def cooperative(state: GameState, rules: Rules, firm: int, rng: np.random.Generator) -> Proposals:
    f = state.firms
    fid = f.ids[firm]
    wages = _wages(state, rules, firm)
    out = Proposals(_free_ride(state, rules, firm))
    out += _supplier_development(state, rules, firm)
    out += _accept_offers(state, firm)
    c = int(f.consortium[firm])
    if c >= 0 and state.consortia[c].founder == firm and len(state.consortia[c].members) >= 2:
        out += _bids(state, rules, firm, rng, 0.03, consortium=True)
    if c >= 0 and not state.consortia[c].open and len(state.consortia[c].members) + len(state.consortia[c].invited) < 4:
        out += _invite(state, firm, state.consortia[c], rng)
    out += _bids(state, rules, firm, rng, 0.03, max_tier=2)
    if not f.association[firm]:
        out.append(JoinAssociation(fid))
    if c < 0:
        # Active consortia of fewer than 5 members (POOL_MAX_MEMBERS), open or inviting the firm (from the index, by index).
        index = ConsortiumIndex.of(state)
        cs = state.consortia
        near = set(index.open_now(state)) | {k for k in index.invitations(state, firm) if len(cs[k].members) < POOL_MAX_MEMBERS}
        open_ = [cs[k] for k in sorted(near)]
        if open_:
            best = max(open_, key=lambda k: (k.trust, -k.id))
            out.append(JoinConsortium(fid, best.id))
        elif rng.random() < 0.3 and f.cash[firm] > wages:
            out.append(FoundConsortium(fid, f"Consorcio {f.names[firm]}"))
    if f.university[firm] < 0 and f.cash[firm] > 2 * wages:
        unis = [inst.id for inst in rules.level.institutions if inst.kind in ("university", "technology_centre")]
        if unis:
            out.append(SignUniversityAgreement(fid, unis[int(rng.integers(len(unis)))]))
    out += _aim(state, rules, firm, reserve=(3 * wages) // 4, borrow=False, rng=rng)
    out += _offer_subcontract(state, rules, firm, rng)
    return out


def _objective_tier(rules: Rules) -> int:
    """The tier the level's objective asks for (tier 2 if it names none)."""
    for cond in rules.level.objective.conditions:
        if cond.kind == "reach_tier" and cond.tier is not None:
            return int(cond.tier.value[-1])
    return 2


def ambitious(state: GameState, rules: Rules, firm: int, rng: np.random.Generator) -> Proposals:
    """A player with a plan: work toward the level objective's tier every quarter.

    Not used for the background SMEs; it shows what deliberate play can reach.
    """
    f = state.firms
    fid = f.ids[firm]
    wages = _wages(state, rules, firm)
    out = Proposals(_supplier_development(state, rules, firm))
    out += _bids(state, rules, firm, rng, 0.07)
    if not f.association[firm]:
        out.append(JoinAssociation(fid))
    if f.cash[firm] < wages // 2:
        out += _borrow(state, rules, firm, wages)
    target = _objective_tier(rules)
    lead = next((lf.id for k, lf in enumerate(rules.level.lead_firms) if state.lead_firm_active[k]), rules.level.lead_firms[0].id)
    req = rules.requirements(lead, target)
    # Clear each bar with a margin, then stop spending: the call also asks for cash in the bank.
    if f.cap[firm, QUALITY] < req.quality + 0.06 and state.quarter - f.trained_quarter[firm] >= 1:
        out.append(TrainStaff(fid))
    if f.cap[firm, DELIVERY] < req.delivery + 0.06 or f.cap[firm, MANAGEMENT] < 0.5:
        out.append(AdoptPractices(fid))
    if f.cap[firm, TECHNOLOGY] < req.technology + 0.05:
        out.append(BuyTechnology(fid))
    out += _certify_for(state, rules, firm, req.certifications)
    if f.university[firm] < 0 and f.cash[firm] > 2 * wages:
        unis = [inst.id for inst in rules.level.institutions if inst.kind in ("university", "technology_centre")]
        if unis:
            out.append(SignUniversityAgreement(fid, unis[0]))
    return out


COACH_STEPS = 20
"""At most this many pieces of advice a quarter (the action points end a quarter well before)."""


def coach(state: GameState, rules: Rules, firm: int, rng: np.random.Generator) -> Iterator[Action]:
    """A coached player: does what the tutorial coach advises (:func:`game.core.advisor.advise`), step by step.

    The advice is worked out again after each action is applied (a bid changes the cash forecast the
    next advice reads), so this yields one action at a time and :func:`play_quarter` applies it before
    asking for the next. It stops when the coach says to end the quarter, or gives the same advice
    twice (the caller refused it). Reads only what the player sees, like the coach.
    """
    # Only a coached player needs the coach (and economics): other runs do not import them.
    from game.core import advisor

    last: Action | None = None
    for _ in range(COACH_STEPS):
        action = advisor.advise(state, rules, firm).action
        if action is None or action == last:
            return
        last = action
        yield action


COACH = "coach"
"""The coached player's name for :func:`play_quarter` and headless runs. Not one of
:data:`STRATEGY_NAMES`: the coach plays a player's firm (it warns and explains for the tutorial);
the built-in strategies are what the scenarios' balance is measured on (fact F19)."""


STRATEGY_FUNCTIONS: dict[str, Strategy] = {"cautious": cautious, "growth": growth, "cooperative": cooperative, "ambitious": ambitious}
"""Strategies by name. The first three run computer SMEs (``state.STRATEGIES``, the
level's names); all can stand in for players."""

STRATEGY_NAMES: tuple[str, ...] = tuple(STRATEGY_FUNCTIONS)
"""Every strategy a player can be handed to (headless runs, the facilitator, what-ifs)."""

assert STRATEGY_NAMES[: len(STRATEGIES)] == STRATEGIES, "the SMEs' strategy codes index STRATEGY_NAMES"


def strategy_function(name: str) -> Strategy:
    """A strategy by name: one of :data:`STRATEGY_NAMES`, or :data:`COACH`."""
    return coach if name == COACH else STRATEGY_FUNCTIONS[name]


def play_quarter(
    state: GameState,
    rules: Rules,
    firm: int,
    strategy: str | Strategy,
    rng: np.random.Generator,
    take: Callable[[Action], bool] | None = None,
) -> int:
    """Let a strategy (by name, or a function of the same shape) take the firm's
    decisions this quarter; returns how many it took.

    The strategy proposes actions in priority order; each is offered to
    ``take`` (by default: applied if :func:`game.core.actions.validate`
    accepts it) until the firm's action points run out. The engine, the
    facilitator's timed-out teams, the headless runner and the window's tour
    all play a quarter through here; ``take`` lets a caller record the
    action or route it through the window's input layer.
    """
    f = state.firms
    propose = strategy_function(strategy) if isinstance(strategy, str) else strategy
    taken = 0
    for action in propose(state, rules, firm, rng):
        if f.action_points[firm] <= 0:
            break
        if take is not None:
            taken += bool(take(action))
        elif actions.try_apply(state, rules, action) is None:
            taken += 1
    return taken
