"""Computer players: three strategies that run computer SMEs and can stand in for any player.

A strategy looks at the state and proposes actions in priority order; the
caller applies those that validate (management bandwidth and cash run out
along the way). The computer SMEs' proposals for a quarter are worked out
for all of them at once, as arrays over the firms (:func:`propose`); a
player's stand-in is the same function on one row. Randomness comes from
counter-based draws (:class:`Draws`, :func:`game.core.rng.uniforms`).

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

import bisect
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple, overload

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
)
from game.core.cooperation import ConsortiumIndex
from game.core.decisions.cooperation import has_partners
from game.core.decisions.finance import cheapest_bank
from game.core.detmath import ordered_sum
from game.core.rfq import (
    call_table,
    meets,
    meets_classes,
    net_position,
    pool_key,
    pooled,
    pooled_columns,
    pooled_figures,
    single_figures,
)
from game.core.rng import keyed_uniforms, mixed_uniforms, row_hashes, slot_keys, slot_uniforms
from game.core.rules import Rules
from game.core.state import (
    DELIVERY,
    INNOVATION,
    KIND_PLAYER,
    MANAGEMENT,
    QUALITY,
    STRATEGIES,
    TECHNOLOGY,
    Firms,
    GameState,
    Rfq,
    SubcontractOffer,
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


def _eligible_row(state: GameState, rules: Rules, view: Eligibility, firm: int, consortium: bool, members: list[int] | None = None) -> np.ndarray:
    """(calls,) bool: :func:`eligible_rfqs` as a row over ``view``'s calls (``members``, if given,
    are the firm's pool: :func:`game.core.rfq.pooled`)."""
    if consortium and state.firms.consortium[firm] >= 0:
        row = view.pool_row(state, pooled(state, firm, True) if members is None else members)
        # An informed firm hears of every call: a copy of its row (the view keeps the row).
        return row.copy() if policies.informed(state, rules, firm) else row & view.table.public
    return view.row(state, rules, firm)


def _firm_key(f: Firms, i: int) -> tuple:
    """Everything one firm's eligibility for a call depends on (its figures and what makes it informed)."""
    return (
        f.alive.item(i),
        f.association.item(i),
        f.supplier_dev.item(i),
        f.university.item(i),
        f.tier.item(i),
        tuple(f.cap[i].tolist()),
        f.cert_held[i].tobytes(),
        f.capacity.item(i),
        f.committed.item(i),
        f.cash.item(i),
        f.debt.item(i),
        ordered_sum(f.receivables[i].tolist()),
    )


def _bidder_key(state: GameState, rules: Rules, firm: int, consortium: bool) -> tuple:
    """Everything a bid's eligibility for a call depends on (:func:`eligible_rfqs`): the firm's figures
    (:func:`_firm_key`: what makes it hear of calls, and what it brings alone) or, with ``consortium``,
    whether it hears of calls that are not public (:func:`policies.informed`) and what its pool brings
    (:func:`game.core.rfq.pool_key` of :func:`game.core.rfq.pooled`)."""
    if consortium:
        return (policies.informed(state, rules, firm), pool_key(state, pooled(state, firm, True)))
    return _firm_key(state.firms, firm)


_KEYS_BY_COLUMN = 5


def _firm_keys(f: Firms, rows: np.ndarray | None = None) -> list[tuple]:
    """:func:`_firm_key` of every firm (of firms ``rows``, if given), from whole columns (from
    each row below :data:`_KEYS_BY_COLUMN` rows: gathering twelve columns costs more)."""
    if rows is not None and len(rows) < _KEYS_BY_COLUMN:
        return [_firm_key(f, i) for i in rows.tolist()]
    at = slice(None) if rows is None else rows
    # A matrix's rows gathered with take (as f.cap[rows]: several times cheaper).
    cap, held, receivables = (f.cap, f.cert_held, f.receivables) if rows is None else (m.take(rows, axis=0) for m in (f.cap, f.cert_held, f.receivables))
    return list(
        zip(
            f.alive[at].tolist(),
            f.association[at].tolist(),
            f.supplier_dev[at].tolist(),
            f.university[at].tolist(),
            f.tier[at].tolist(),
            map(tuple, cap.tolist()),
            [row.tobytes() for row in held],
            f.capacity[at].tolist(),
            f.committed[at].tolist(),
            f.cash[at].tolist(),
            f.debt[at].tolist(),
            receivables.sum(axis=1).tolist(),
            strict=True,
        )
    )


class Rows(NamedTuple):
    """Which calls some bidders may bid on alone (``eligible``) and which they hear of and would
    qualify for but for the free capacity of a plant smaller than the call (``beyond``), kept only
    for the bidders ``who`` meet every requirement but capacity of some call (by position among
    those asked about): in a large cluster most firms qualify for no call at all."""

    who: np.ndarray
    eligible: np.ndarray
    """(len(who), calls) bool."""
    beyond: np.ndarray
    """(len(who), calls) bool."""

    def full(self, bidders: int) -> tuple[np.ndarray, np.ndarray]:
        """(eligible, beyond) as (bidders, calls) matrices, every other bidder's rows empty."""
        eligible = np.zeros((bidders, self.eligible.shape[1]), dtype=bool)
        beyond = np.zeros_like(eligible)
        eligible[self.who] = self.eligible
        beyond[self.who] = self.beyond
        return eligible, beyond


class Eligibility:
    """This quarter's open calls (:class:`game.core.rfq.CallTable`) and which of them
    each firm, bidding alone, hears of and qualifies for: a (firms, calls) matrix;
    and beside it which calls each firm hears of and would qualify for but for the
    free capacity of a plant smaller than the call (``beyond``: :func:`_orders_beyond`).

    Kept in ``state.memo`` for the open calls, the rules and the active policies
    it was computed with. Firms' figures change during the quarter (payments,
    accepted subcontracts, others' awards), so each row also keeps the figures
    it was computed from (:func:`_firm_key`) and is computed again when they differ.
    The whole matrix is built when a single row is first asked for (:meth:`row`); the
    computer firms' decisions compute their rows at once instead (:meth:`rows_now`).
    """

    def __init__(self, state: GameState, rules: Rules):
        self.rules = rules
        self.calls = state.rfqs
        self.count = len(state.rfqs)
        self.policies = list(state.policy_active)
        self.table = call_table(rules, state.rfqs)
        self.id_array = np.array([r.id for r in state.rfqs], dtype=object)
        self.unique_ids = len({r.id for r in state.rfqs}) == self.count
        """Whether no two calls share an id (else :func:`game.core.rfq.open_call` gives a bid the first of them)."""
        self.tiers = np.array([r.tier for r in state.rfqs], dtype=np.int64)
        self._tiers: dict[int, np.ndarray] = {}
        self.targets = np.array([r.target_price for r in state.rfqs], dtype=np.float64)
        """Target prices as floats (exact: pesos below 2**53), as a bid price multiplies them."""
        self.firms = len(state.firms)
        self.need_cap = self.table.need[None, :, 3]
        """(1, calls) the free capacity each call asks (the table's, as :meth:`_rows` compares it)."""
        self._built: tuple[np.ndarray, np.ndarray, list[tuple]] | None = None
        self._pools: dict[tuple[int, ...], tuple[tuple[bytes, ...], np.ndarray]] | None = None
        """By a pool's members: the figures it was read from (:func:`game.core.rfq.pool_key`) and its row (:meth:`pool_row`)."""

    def _build(self, state: GameState, rules: Rules) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
        """The matrices of every firm and the figures each row was computed from."""
        if self._built is None:
            f = state.firms
            caps, held, free, cash = single_figures(state)
            matrix, beyond = self._rows(caps, held, free, cash, f.capacity, policies.informed_mask(state, rules)).full(len(f))
            self._built = (matrix, beyond, _firm_keys(f))
        return self._built

    @property
    def matrix(self) -> np.ndarray:
        """(firms, calls) bool: who may bid on what alone (built by :meth:`row`)."""
        assert self._built is not None, "read a row first"
        return self._built[0]

    @property
    def beyond(self) -> np.ndarray:
        assert self._built is not None, "read a row first"
        return self._built[1]

    @property
    def keys(self) -> list[tuple]:
        assert self._built is not None, "read a row first"
        return self._built[2]

    def _rows(self, caps: np.ndarray, held: np.ndarray, free: np.ndarray, cash: np.ndarray, capacity: np.ndarray, informed: np.ndarray) -> Rows:
        """:class:`Rows` of bidders with these figures (as :func:`game.core.rfq.meets` takes them)
        hearing of every call if ``informed``, else of the public ones."""
        table = self.table
        ok = meets_classes(table, caps, held, cash)
        who = np.flatnonzero(ok.any(axis=1))
        if not len(who):  # no bidder meets any call's requirements but capacity
            return Rows(who, np.zeros((0, len(table.klass)), dtype=bool), np.zeros((0, len(table.klass)), dtype=bool))
        # Rows and columns gathered with take, and 1-D gathers given an axis after (the same values:
        # numpy's indexing by a tuple or of a matrix's rows costs several times as much).
        others = ok.take(who, axis=0).take(table.klass, axis=1) & (table.public[None, :] | informed[who][:, None])
        need_cap = self.need_cap
        short = free[who][:, None] + 1e-9 < need_cap
        return Rows(who, others & ~short, others & short & (need_cap > capacity[who][:, None]))

    @classmethod
    def of(cls, state: GameState, rules: Rules) -> Eligibility:
        """The state's current view, computed anew if the calls, rules or policies changed."""
        view = state.memo.get("eligibility")
        if not (isinstance(view, cls) and view.current(state, rules)):
            view = cls(state, rules)
            state.memo["eligibility"] = view
        return view

    def current(self, state: GameState, rules: Rules) -> bool:
        """Whether this view is of the state's calls, rules and policies now (:meth:`of` keeps it)."""
        return (
            self.rules is rules
            and self.calls is state.rfqs
            and self.count == len(state.rfqs)
            and self.policies == state.policy_active
            and self.firms == len(state.firms)
        )

    def refresh(self, state: GameState, rules: Rules, firm: int) -> None:
        """Compute ``firm``'s rows again if its figures changed since they were computed."""
        f = state.firms
        matrix, beyond_, keys = self._build(state, rules)
        key = _firm_key(f, firm)
        if key != keys[firm]:
            fig = pooled_figures(state, [firm])
            informed = np.array([policies.informed(state, rules, firm)])
            eligible, beyond = self._rows(
                np.array([fig.caps[:3]]), np.array([fig.held], dtype=bool), np.array([fig.free]), np.array([fig.cash]), np.array([fig.capacity]), informed
            ).full(1)
            matrix[firm] = eligible[0]
            beyond_[firm] = beyond[0]
            keys[firm] = key

    def rows_now(self, state: GameState, rules: Rules, rows: np.ndarray) -> Rows:
        """:class:`Rows` of firms ``rows`` with their figures now, computed afresh (the rows
        :meth:`row` and :meth:`beyond_row` give)."""
        f = state.firms
        capacity = f.capacity[rows]
        free = np.maximum(capacity.astype(np.float64) - f.committed[rows], 0.0)
        caps, held = f.cap.take(rows, axis=0)[:, :3], f.cert_held.take(rows, axis=0)  # (f.cap[rows, :3], f.cert_held[rows])
        return self._rows(caps, held, free, net_position(state, rows), capacity, policies.informed_mask(state, rules)[rows])

    def row(self, state: GameState, rules: Rules, firm: int) -> np.ndarray:
        """(calls,) bool: the calls ``firm`` may bid on alone, with its figures now."""
        self.refresh(state, rules, firm)
        return self.matrix[firm]

    def pool_row(self, state: GameState, members: list[int]) -> np.ndarray:
        """(calls,) bool: the calls a pool of ``members`` (a consortium's live members, :func:`game.core.rfq.pooled`)
        meets every requirement of with its figures now (:func:`game.core.rfq.pooled_figures`, :func:`meets`),
        heard of or not. The row is the view's: do not change it.

        The first asked computes the rows of every active consortium of two or more live members at once
        (:func:`game.core.rfq.pooled_columns`, one :func:`meets` matrix); each row is kept with the figures it
        was read from (:func:`game.core.rfq.pool_key`) and computed again when they differ."""
        pools = self._pools
        if pools is None:
            alive = state.firms.alive
            groups = [ms for ms in ([m for m in c.members if alive[m]] for c in state.consortia if c.active) if len(ms) > 1]
            pools = self._pools = {}
            self._pool_rows(state, groups)
        ms = tuple(members)
        key = pool_key(state, members)
        kept = pools.get(ms)
        if kept is None or kept[0] != key:
            self._pool_rows(state, [members])
            kept = pools[ms]
        return kept[1]

    def pool_read_from(self, members: list[int]) -> tuple[bytes, ...]:
        """The figures (:func:`game.core.rfq.pool_key`) the row :meth:`pool_row` last gave for ``members``
        was read from: the pool's key now, right after that :meth:`pool_row`."""
        assert self._pools is not None
        return self._pools[tuple(members)][0]

    def _pool_rows(self, state: GameState, groups: list[list[int]]) -> None:
        """Compute and keep the rows of these groups of members (:meth:`pool_row`)."""
        assert self._pools is not None
        if not groups:
            return
        caps, held, free, cash = pooled_columns(state, groups)
        rows = meets(self.table, caps, held, free, cash)
        for ms, row in zip(groups, rows, strict=True):
            self._pools[tuple(ms)] = (pool_key(state, ms), row)

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


def _wages(state: GameState, rules: Rules, firm: int) -> int:
    return state.firms.employees.item(firm) * rules.economy.wage_per_quarter


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


def _borrow(state: GameState, rules: Rules, firm: int, amount: int) -> list[Action]:
    if amount <= 0 or not rules.bank_indexes:
        return []
    best, room = cheapest_bank(state, rules, firm, rules.bank_indexes)
    amount = min(int(amount), room)
    if amount < 50_000:
        return []
    return [TakeLoan(state.firms.ids[firm], rules.level.institutions[best].id, amount)]


class Unpriced(NamedTuple):
    """Calls a firm would bid on, not priced yet: positions among ``view``'s calls, in call order,
    each priced from the firm's draw of slot ``slot`` plus the position (at ``pos`` in ``draws``)."""

    view: Eligibility
    calls: np.ndarray
    draws: Draws
    pos: int
    slot: int
    discount: float


class BidRun(Sequence[PlaceBid]):
    """One firm's bids on some calls in call order: the first ``len(prices)`` priced already, the
    rest (``unpriced``) priced, a few more each time, and each :class:`PlaceBid` made, only when
    read: a firm's action points end its quarter after a few bids, and a large cluster offers
    a firm hundreds of calls. A bid's price depends only on its firm's draw for that call, so
    when it is priced changes nothing.

    ``since``, if given, is where its calls came from: an :class:`Eligibility` view, the firm's row
    and its figures (:func:`_bidder_key`: with ``consortium``, its pool's too) when every call of the
    run was one of its eligible calls in that view (it heard of it and met every requirement with
    those figures): while the view and the figures are still the state's, so is the eligibility
    (:meth:`eligible_now`)."""

    __slots__ = ("consortium", "firm", "ids", "prices", "since", "unpriced")

    def __init__(
        self,
        firm: str,
        ids: list[str],
        prices: list[int],
        consortium: bool,
        unpriced: Unpriced | None = None,
        since: tuple[Eligibility, int, tuple] | None = None,
    ):
        self.firm, self.ids, self.prices, self.consortium, self.unpriced, self.since = firm, ids, prices, consortium, unpriced, since

    def eligible_now(self, state: GameState, rules: Rules) -> bool:
        """Whether every call of the run is still one its firm hears of and meets every requirement
        of (:func:`game.core.decisions.market.visible`, :func:`game.core.rfq.missing_requirements`):
        the view it came from is the state's now (the same calls, rules and policies), no two calls
        share an id, and the firm's figures are those the view's row read (``since``)."""
        since = self.since
        if since is None:
            return False
        view, firm, key = since
        return view.unique_ids and view.current(state, rules) and _bidder_key(state, rules, firm, self.consortium) == key

    def _price_more(self) -> None:
        """Price as many more calls as are priced (at least 4)."""
        u = self.unpriced
        assert u is not None
        ks, rest = u.calls[: max(4, len(self.prices))], u.calls[max(4, len(self.prices)) :]
        prices = _prices(u.view.targets[ks], u.discount, u.draws.at(np.full(len(ks), u.pos), u.slot + ks))
        self.ids = self.ids + u.view.id_array[ks].tolist()
        self.prices = self.prices + prices.tolist()
        self.unpriced = u._replace(calls=rest) if len(rest) else None

    def __len__(self) -> int:
        return len(self.ids) + (len(self.unpriced.calls) if self.unpriced is not None else 0)

    @overload
    def __getitem__(self, k: int) -> PlaceBid: ...
    @overload
    def __getitem__(self, k: slice) -> list[PlaceBid]: ...
    def __getitem__(self, k: int | slice) -> PlaceBid | list[PlaceBid]:
        if isinstance(k, slice):
            return list(self)[k]
        if k < 0:
            k += len(self)
        while k >= len(self.ids) and self.unpriced is not None:
            self._price_more()
        return PlaceBid(self.firm, self.ids[k], self.prices[k], self.consortium)

    def __iter__(self) -> Iterator[PlaceBid]:
        firm, consortium = self.firm, self.consortium
        k = 0
        while True:
            ids, prices = self.ids, self.prices
            while k < len(ids):
                yield PlaceBid(firm, ids[k], prices[k], consortium)
                k += 1
            if self.unpriced is None:
                return
            self._price_more()

    def __repr__(self) -> str:
        return repr(list(self))


class Proposals(Iterable[Action]):
    """A strategy's actions in priority order, as runs (lists, :class:`BidRun`) read in turn;
    ``+=`` adds a run, ``append`` one action, ``+`` on either side joins as lists do."""

    __slots__ = ("runs",)

    def __init__(self, first: Iterable[Action] = ()):
        self.runs: list[Iterable[Action]] = [first]

    @classmethod
    def of_runs(cls, runs: list[Iterable[Action]]) -> Proposals:
        """These runs in turn (the list is kept, not copied)."""
        out = cls.__new__(cls)
        out.runs = runs
        return out

    def settled(self) -> Proposals:
        """These proposals with each :class:`Later` run worked out now (at the start of the firm's
        turn: what it reads of the other firms then, before any of its own actions is applied)."""
        runs: list[Iterable[Action]] = []
        for run in self.runs:
            if type(run) is Later:
                run = run.fn(*run.args)
                if type(run) is Proposals:
                    runs += run.runs
                    continue
            if run:  # an empty run proposes nothing: dropped (an empty BidRun has no length)
                runs.append(run)
        self.runs = runs
        return self

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


NO_BIDS = BidRun("", [], [], False)
"""The empty run of bids (shared: a BidRun is never changed)."""


class Later(Iterable[Action]):
    """Proposals worked out only when the firm's turn comes (:meth:`Proposals.settled`): what
    depends on the other firms' moves this quarter (invitations, open consortia, partners,
    subcontract offers, who has idle capacity), read then, as a player would. ``fn`` reads the
    state and changes nothing; it returns the actions (a :class:`Proposals` of runs is spliced in)."""

    __slots__ = ("args", "fn")

    def __init__(self, fn: Callable[..., Iterable[Action]], *args: object):
        self.fn, self.args = fn, args

    def __iter__(self) -> Iterator[Action]:
        yield from self.fn(*self.args)

    def __repr__(self) -> str:
        return repr(list(self))


# The slots of a deciding firm's draws in a quarter (rng.uniforms): one per choice, one per call for bids.
SLOT_PRACTICES, SLOT_ASSOCIATION, SLOT_FOUND, SLOT_UNIVERSITY, SLOT_INVITE, SLOT_SUBCONTRACT = range(6)
SLOT_BIDS = 1 << 20
"""A bid's price draw: this plus the call's position among the quarter's open calls."""
SLOT_GROUP_BIDS = 1 << 21
"""A consortium bid's price draw: this plus the call's position."""


_COLUMN_KEYS: dict[int, np.ndarray] = {}
"""(1, slots) :func:`game.core.rng.slot_keys` of slots 0 to ``slots`` - 1, by ``slots`` (:meth:`Draws.columns`)."""


def _column_keys(slots: int) -> np.ndarray:
    keys = _COLUMN_KEYS.get(slots)
    if keys is None:
        keys = _COLUMN_KEYS[slots] = slot_keys(np.arange(slots))[None, :]
    return keys


class Draws:
    """The uniform draws of the firms deciding a quarter, ``rows`` (firm rows, by position):
    each a pure function of (``key``, firm row, slot) (:func:`game.core.rng.uniforms`), so one
    firm's choices never shift another's draws (common random numbers), and every firm's draws
    of one kind come from one array operation."""

    __slots__ = ("_hashes", "key", "rows")

    def __init__(self, key: int, rows: np.ndarray):
        self.key, self.rows = key, rows
        self._hashes: np.ndarray | None = None

    @classmethod
    def of_generator(cls, rng: np.random.Generator, firm: int) -> Draws:
        """One firm's draws keyed by one draw of ``rng`` (a player's stand-in, whose generator lives outside the state)."""
        return cls(int(rng.integers(0, 2**63)), np.array([firm], dtype=np.int64))

    @property
    def hashes(self) -> np.ndarray:
        """(rows,) what every draw of each deciding firm shares (:func:`game.core.rng.row_hashes`), computed once."""
        if self._hashes is None:
            self._hashes = row_hashes(self.key, self.rows)
        return self._hashes

    def column(self, slot: int) -> np.ndarray:
        """(rows,) the draw of ``slot`` of every deciding firm."""
        return slot_uniforms(self.hashes, slot)

    def columns(self, slots: int) -> np.ndarray:
        """(rows, slots) the draws of slots 0 to ``slots`` - 1 of every deciding firm."""
        return keyed_uniforms(self.hashes[:, None], _column_keys(slots))

    def columns_and_at(self, slots: int, pos: np.ndarray, at_slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(:meth:`columns` of ``slots``, :meth:`at` of ``pos`` and ``at_slots``) drawn together in one
        array operation (the same draws: each a function of its row's hash and its slot only)."""
        h = self.hashes
        n = len(h) * slots
        mixed = np.concatenate(((h[:, None] ^ _column_keys(slots)).reshape(n), h[pos] ^ slot_keys(at_slots)))
        u = mixed_uniforms(mixed)
        return u[:n].reshape(len(h), slots), u[n:]

    def at(self, pos: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """The draw of slot ``slots[k]`` of the firm at position ``pos[k]``."""
        return slot_uniforms(self.hashes[pos], slots)

    def one(self, pos: int, slot: int) -> float:
        return float(slot_uniforms(self.hashes[pos : pos + 1], slot)[0])


def _prices(targets: np.ndarray, discount: np.ndarray | float, u: np.ndarray) -> np.ndarray:
    """Bid prices a draw below the target: ``int(target * (1 - discount - 0.03 * u))``, at least 1 peso."""
    return np.maximum((targets * (1.0 - discount - 0.03 * u)).astype(np.int64), 1)


def _bid_actions(
    state: GameState, view: Eligibility, firm: int, row: np.ndarray, draws: Draws, pos: int, slot: int, discount: float, consortium: bool, key: tuple | None = None
) -> BidRun:
    """A bid on each call of ``row`` (calls the firm, or its consortium, is eligible for in ``view`` with
    its figures now: :func:`_eligible_row`, whose figures are ``key``, :func:`_bidder_key` if not given),
    in call order, priced from the firm's draw for each call (when read)."""
    ks = row.nonzero()[0]
    if not len(ks):
        return NO_BIDS
    if key is None:
        key = _bidder_key(state, view.rules, firm, consortium)
    return BidRun(state.firms.ids[firm], [], [], consortium, Unpriced(view, ks, draws, pos, slot, discount), (view, firm, key))


def _bids(state: GameState, rules: Rules, firm: int, rng: np.random.Generator, discount: float, max_tier: int = 1, consortium: bool = False) -> Sequence[Action]:
    """Bid on every call :func:`eligible_rfqs` gives of tier ``max_tier`` or above (tier 1 is the top),
    priced from draws keyed by one draw of ``rng`` (a player's stand-in: :func:`ambitious`)."""
    if not state.rfqs:
        return []
    view = Eligibility.of(state, rules)
    row = _eligible_row(state, rules, view, firm, consortium)
    if max_tier > 1:
        row = row & view.tier_at_least(max_tier)
    return _bid_actions(state, view, firm, row, Draws.of_generator(rng, firm), 0, SLOT_GROUP_BIDS if consortium else SLOT_BIDS, discount, consortium)


def _supplier_development_rows(state: GameState, rules: Rules, rows: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(programme id, which of ``rows`` apply to it): each supplier-development programme whose window
    is open and whose published criteria a firm meets, for firms in none and with no application."""
    open_ = [(p, eff) for p, eff in policies.supplier_development(state, rules) if policies.sd_window(eff, state.quarter)[0]]
    if not open_:
        return []
    f = state.firms
    free = (f.supplier_dev[rows] < 0) & (f.sd_applied[rows] < 0)
    return [(rules.level.policies[p].id, free & policies.eligible_mask(state, rules, p)[rows]) for p, _ in open_]


def _supplier_development(state: GameState, rules: Rules, firm: int) -> list[Action]:
    """Apply to a supplier-development programme whose window is open and whose criteria the firm meets:
    mentoring costs nothing and the lead firm picks by its published criteria (what a player sees).
    (:func:`_supplier_development_rows` on one row.)"""
    fid = state.firms.ids[firm]
    return [ApplySupplierDevelopment(fid, pid) for pid, mask in _supplier_development_rows(state, rules, np.array([firm])) if mask[0]]


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


def _pick_max(values: np.ndarray, u: float) -> int:
    """Index of the largest value; ties drawn by lot (``u``, a uniform draw), not by row.

    ``np.argmax`` gives ties to the lowest row, and identical player seats tie
    often: seat 1 got every subcontract offer and invitation seat 2 was equally
    fit for.
    """
    top = np.flatnonzero(values == values.max())
    return int(top[0]) if len(top) == 1 else int(top[min(int(u * len(top)), len(top) - 1)])


def _offer_subcontract(state: GameState, rules: Rules, firm: int, u: float) -> list[Action]:
    """When busy, pass a third of one contract to a firm with room for it, freeing capacity to bid again.

    Vertical cooperation: the holder keeps the customer and a margin; the
    subcontractor fills idle capacity and learns from the customer's demands.
    The holder prefers a firm experienced in the part family (what it makes is
    known in the cluster), then the one with most idle capacity (ties drawn with ``u``).
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
    partner = _pick_max(room, u)
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
        self.shortcut_certs = [np.array(need2, dtype=np.int64) for _, need2 in self.tier2_shortcuts]
        """Each of :attr:`tier2_shortcuts`' certifications as an index array."""
        self._wanted: dict[int, list[str]] = {}
        self._aims: tuple[np.ndarray, np.ndarray] | None = None

    def aims(self) -> tuple[np.ndarray, np.ndarray]:
        """What a firm aiming at tier ``t`` of lead firm ``k`` needs, by ``k * 8 + t`` (``k`` 0 for
        :attr:`lead`, ``k`` + 1 for the ``k``-th of :attr:`tier2_shortcuts`; tiers 1 to 3): (quality,
        delivery, technology) as a (codes, 3) float array and the certifications as (codes, certifications) bool."""
        if self._aims is None:
            rules = self.rules
            lead_ids = [self.lead] + [lid for lid, _ in self.tier2_shortcuts]
            needs = np.zeros((8 * len(lead_ids), 3))
            certs = np.zeros((8 * len(lead_ids), len(rules.level.certifications)), dtype=bool)
            for k, lid in enumerate(lead_ids):
                for tier in (1, 2, 3):
                    req = rules.requirements(lid, tier)
                    needs[8 * k + tier] = req.quality, req.delivery, req.technology
                    certs[8 * k + tier, [rules.cert_index[c] for c in req.certifications]] = True
            self._aims = (needs, certs)
        return self._aims

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


def _next_certifications(state: GameState, rules: Rules, rows: np.ndarray) -> np.ndarray:
    """(rows,) the certification (an index, -1 for none) :func:`_next_certification` gives each firm:
    the cheapest (by full price, the first in level order on a tie) whose own check it passes."""
    f = state.firms
    held = f.cert_held.take(rows, axis=0)  # (f.cert_held[rows]: take gathers a matrix's rows cheaper)
    ok = ~held & (f.cert_left.take(rows, axis=0) <= 0)
    ok &= f.cap[:, QUALITY][rows][:, None] >= rules.cert_min_quality[None, :]
    ok &= f.cap[:, MANAGEMENT][rows][:, None] >= rules.cert_min_management[None, :]
    for c, requires in enumerate(rules.cert_requires):
        for req in requires:
            ok[:, c] &= held[:, req]
    order = rules.cert_order  # by price, then level order
    if not len(order):
        return np.full(len(rows), -1, dtype=np.int64)
    ranked = ok.take(order, axis=1)  # cheapest first: the first passing in each row
    return np.where(ranked.any(axis=1), order[ranked.argmax(axis=1)], -1)


def _aim_rows(state: GameState, rules: Rules, rows: np.ndarray, reserve: np.ndarray, borrow: np.ndarray, practices_draw: np.ndarray) -> dict[int, list[Iterable[Action]]]:
    """Close the biggest gap to the next tier up, as far as cash (and credit, where ``borrow``) allows,
    for every firm of ``rows`` at once: {position in rows: runs of actions} for the firms that act.

    The target is the requirement set of the first active lead firm for the
    tier just above the firm's best so far: certifications first (they take
    longest), then technology, quality and delivery. Each step is taken if the
    cash left after the steps before it keeps ``reserve`` (else, where
    ``borrow``, with a loan). Practices are adopted on half the quarters a gap
    calls for them (``practices_draw`` < 0.5).
    """
    f = state.firms
    m = len(rows)
    out: dict[int, list[Iterable[Action]]] = {}
    if not m:
        return out
    ids = f.ids
    leads = LeadTargets.of(state, rules)
    target = np.maximum(1, np.minimum(f.best_tier[rows], 4) - 1).astype(np.int64)
    combo = target.copy()  # what each firm aims at: k * 8 + tier for lead firm k (LeadTargets.aims), k 0 here
    # A firm that already holds a certification a lead firm asks only from tier 2 up (a subsidised
    # IATF, say), and every other it asks there, aims at that tier directly: the rest of the bar is
    # capabilities it can buy.
    held = f.cert_held.take(rows, axis=0)  # (f.cert_held[rows]: take gathers a matrix's rows cheaper)
    free = target > 2
    for k, need2 in enumerate(leads.shortcut_certs):
        hit = free & held.take(need2, axis=1).all(axis=1)
        if np.count_nonzero(hit):
            target[hit] = 2
            combo[hit] = (k + 1) * 8 + 2
            free &= ~hit
    needs, certs = leads.aims()
    req_q, req_d, req_t = needs.take(combo, axis=0).T
    req_certs = certs.take(combo, axis=0)
    cash = f.cash[rows].astype(np.int64)
    certifying = (f.cert_left.take(rows, axis=0) > 0).any(axis=1)
    loans: dict[tuple[int, int], list[Action]] = {}
    borrows = np.count_nonzero(borrow) > 0  # (borrow.any(): np.count_nonzero is cheaper on a few values, as on thousands)

    def afford(step: int, want: np.ndarray, cost: np.ndarray | int) -> np.ndarray:
        """Which firms wanting a step take it at ``cost`` (each firm's, or the same for all), cash
        (this function's own array) paid as they do."""
        if not np.count_nonzero(want):
            return want  # no firm wants it: nothing taken, cash as it was
        left = cash - cost
        ok = want & (left >= reserve)
        np.copyto(cash, left, where=ok)
        for k in (want & ~ok & borrow).nonzero()[0].tolist() if borrows else ():
            loan = _borrow(state, rules, int(rows[k]), int((cost if isinstance(cost, int) else cost[k]) + reserve[k] - cash[k]))
            if loan:
                loans[(step, k)] = loan
                ok[k] = True
                cash[k] = reserve[k]
        return ok

    # 1. The next certification on the ladder, keeping two instalments in hand (the first is paid
    # now, the next at the quarter's end).
    want = ~certifying & (req_certs & ~held).any(axis=1)
    cert_actions: dict[int, Action] = {}
    took = want
    if np.count_nonzero(want):
        nxt = np.where(want, _next_certifications(state, rules, rows), -1)
        total, _ = StartCertification.costs_total(state, rules, rows, nxt)
        quarters = rules.cert_quarters[np.maximum(nxt, 0)].astype(np.int64)
        cert_ids = [c.id for c in rules.level.certifications]
        took = afford(0, nxt >= 0, total // quarters * 2)
        for k in took.nonzero()[0].tolist():
            cert_actions[k] = StartCertification(ids[int(rows[k])], cert_ids[int(nxt[k])])
    # 2. Else a public subsidy open to the firm for a certification some active lead firm asks at
    # tier 2 (or at the tier it aims at): the policy view shows both, so take it while budget lasts.
    subsidies = [
        p for p, eff in policies.active_effects(state, rules, "certification_subsidy") if eff.share > 0 and policies.budget_left(state, rules, p) > 0
    ]
    if subsidies:
        served = np.zeros(m, dtype=bool)
        for p in subsidies:
            served |= policies.eligible_mask(state, rules, p)[rows]
        sub_cost = np.zeros(m, dtype=np.int64)
        subs: dict[int, StartCertification] = {}
        for k in (served & ~certifying & ~took).nonzero()[0].tolist():
            sub = _subsidised_certification(state, rules, int(rows[k]), int(target[k]))
            if sub is not None:
                subs[k] = sub
                q = int(rules.cert_quarters[rules.cert_index[sub.certification]])
                sub_cost[k] = sub.cost(state, rules, int(rows[k])).total // q * 2
        if subs:
            want_sub = np.zeros(m, dtype=bool)
            want_sub[list(subs)] = True
            took_sub = afford(0, want_sub, sub_cost)
            for k in took_sub.nonzero()[0].tolist():
                cert_actions[k] = subs[k]
    # 3. Technology, 4. training (once in two quarters), 5. practices.
    caps = f.cap.take(rows, axis=0)
    tech = afford(1, caps[:, TECHNOLOGY] < req_t + 0.05, int(rules.economy.technology_cost))
    trainable = (caps[:, QUALITY] < req_q + 0.05) & (state.quarter - f.trained_quarter[rows] >= 2)
    # afford reads a step's cost only where the firm wants the step: the others' costs as they come.
    train = afford(2, trainable, TrainStaff.costs_now(state, rules, rows)) if np.count_nonzero(trainable) else trainable
    adoptable = ((caps[:, DELIVERY] < req_d + 0.05) | (caps[:, MANAGEMENT] < 0.5)) & (practices_draw < 0.5)
    adopt = afford(3, adoptable, AdoptPractices.costs_now(state, rules, rows)) if np.count_nonzero(adoptable) else adoptable
    steps: list[tuple[np.ndarray, Callable[[str], Action]]] = [(tech, BuyTechnology), (train, TrainStaff), (adopt, AdoptPractices)]
    acting = (tech | train | adopt).nonzero()[0].tolist()
    for k in sorted(set(acting) | set(cert_actions)):
        fid = ids[int(rows[k])]
        runs: list[Iterable[Action]] = []
        if k in cert_actions:
            if (0, k) in loans:
                runs.append(loans[(0, k)])
            runs.append((cert_actions[k],))
        for step, (taken, cls) in enumerate(steps, start=1):
            if taken[k]:
                if (step, k) in loans:
                    runs.append(loans[(step, k)])
                runs.append((cls(fid),))
        out[k] = runs
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
    """Answer an order beyond the firm (its row of :attr:`Eligibility.beyond` has a call, seen when
    the firm's proposals were made) by pooling capacity: accept an invitation to a consortium,
    else join the open one with most trust, else found one.

    Reads what a player sees: the open calls and their requirements, the firm's
    own figures (:func:`_orders_beyond`), its invitations, and the consortia open
    to it with their trust (the cooperation tab).
    """
    f = state.firms
    if f.consortium.item(firm) >= 0 or f.supplier_dev.item(firm) >= 0:
        return []
    fid = f.ids[firm]
    cs = state.consortia
    index = ConsortiumIndex.of(state)
    for k in index.invitations(state, firm):
        if len(cs[k].members) < POOL_MAX_MEMBERS:
            return [JoinConsortium(fid, cs[k].id)]
    best = _most_trusted_open(state, index)
    if best is not None:
        return [JoinConsortium(fid, cs[best].id)]
    if f.cash.item(firm) > _wages(state, rules, firm):
        return [FoundConsortium(fid, f"Consorcio {f.names[firm]}")]
    return []


def _most_trusted_open(state: GameState, index: ConsortiumIndex) -> int | None:
    """The open consortium (:meth:`game.core.cooperation.ConsortiumIndex.open_now`) with the most
    trust, the lowest id on a tie (``max`` by (trust, -id)), or None.

    Read from the open consortia sorted so, kept in ``state.memo`` for the index and the quarter:
    trust changes only when a member leaves (:func:`game.core.cooperation.leave`, which drops the
    index) and in the resolution (:func:`game.core.cooperation.update`), before the quarter ends.
    One that closed or filled up stays so while the index lives (as ``open_now`` drops it), and
    consortia founded since are put in their place: a large cluster's firms do not each scan every
    open consortium."""
    cs = state.consortia
    memo = state.memo.get("open_by_trust")
    if memo is None or memo[0] is not index or memo[1] != state.quarter:
        memo = [index, state.quarter, index.seen, sorted(index.open, key=lambda k: (-cs[k].trust, cs[k].id))]
        state.memo["open_by_trust"] = memo
    order: list[int] = memo[3]
    if memo[2] < index.seen:  # founded since the order was made
        for k in index.open:
            if k >= memo[2]:
                bisect.insort(order, k, key=lambda j: (-cs[j].trust, cs[j].id))
        memo[2] = index.seen
    dead = 0
    for k in order:
        c = cs[k]
        if c.active and len(c.members) < cooperation.OPEN_BELOW:
            break
        dead += 1
    if dead:
        del order[:dead]
    return order[0] if order else None


def _group_bids(state: GameState, rules: Rules, firm: int, draws: Draws, pos: int, discount: float, beyond_plant: bool) -> Sequence[Action]:
    """A founder bids for its consortium on the calls the pool qualifies for (with ``beyond_plant``,
    only those asking more capacity than any member's whole plant: the orders it pooled for;
    smaller calls each member bids on alone)."""
    f = state.firms
    c = int(f.consortium[firm])
    if c < 0 or state.consortia[c].founder != firm or not state.rfqs:
        return []
    members = pooled(state, firm, True)
    if len(members) < 2:
        return []
    view = Eligibility.of(state, rules)
    row = _eligible_row(state, rules, view, firm, True, members)
    if beyond_plant:
        row = row & (view.table.need[:, 3] > max(float(f.capacity[m]) for m in members))
    if not np.count_nonzero(row):
        return NO_BIDS
    # What the row was read from (_bidder_key): whether the founder hears of every call and its pool's figures, as pool_row just read them.
    return _bid_actions(state, view, firm, row, draws, pos, SLOT_GROUP_BIDS, discount, True, (policies.informed(state, rules, firm), view.pool_read_from(members)))


def _invite(state: GameState, firm: int, draws: Draws, pos: int) -> list[Action]:
    """Invite the unattached firm with the most idle capacity (what a consortium lacks most), if the
    firm's consortium is closed and has room (fewer than 4 members and invitations); ties drawn
    from the firm's draws."""
    f = state.firms
    c = f.consortium.item(firm)
    if c < 0:
        return []
    consortium = state.consortia[c]
    if consortium.open or len(consortium.members) + len(consortium.invited) >= 4:
        return []
    free = np.where(f.alive & (f.consortium < 0), f.capacity - f.committed, -1.0)
    free[firm] = -1.0
    free[consortium.invited] = -1.0
    j = _pick_max(free, draws.one(pos, SLOT_INVITE))
    return [InviteToConsortium(f.ids[firm], f.ids[j])] if free[j] > 0 else []


def _accept_invitation(state: GameState, firm: int) -> list[Action]:
    """Join the first consortium that invited the firm, if it is in none."""
    index = ConsortiumIndex.of(state)
    if not index.invited.get(firm) or state.firms.consortium.item(firm) >= 0:
        return []
    invitations = index.invitations(state, firm)
    return [JoinConsortium(state.firms.ids[firm], state.consortia[invitations[0]].id)] if invitations else []


def _accept_offers(state: GameState, firm: int) -> list[Action]:
    """Take subcontract work offered to the firm (validation checks its idle capacity)."""
    return [AcceptSubcontract(state.firms.ids[firm], o.contract_id) for o in _offers_to(state, firm)]


def _offers_to(state: GameState, firm: int) -> list[SubcontractOffer]:
    """``[o for o in state.offers if o.to_firm == firm]``, from an index by receiving firm kept in
    ``state.memo`` for the list and length it was built from (offers are appended to the list or
    the list is replaced, never changed in place): a large cluster's firms each look at theirs only."""
    offers = state.offers
    memo = state.memo.get("offers_to")
    if memo is None or memo[0] is not offers or memo[1] != len(offers):
        by_firm: dict[int, list[SubcontractOffer]] = {}
        for o in offers:
            by_firm.setdefault(o.to_firm, []).append(o)
        memo = (offers, len(offers), by_firm)
        state.memo["offers_to"] = memo
    return memo[2].get(firm, [])


def _join_or_found(state: GameState, rules: Rules, firm: int, u: float) -> list[Action]:
    """The cooperative firm in no consortium joins the one with most trust among those open to it or
    inviting it (fewer than 5 members), else founds one on a third of its quarters (``u`` < 0.3) if
    its cash covers a quarter's wages."""
    f = state.firms
    if f.consortium.item(firm) >= 0:
        return []
    index = ConsortiumIndex.of(state)
    cs = state.consortia
    near = [k for k in index.invitations(state, firm) if len(cs[k].members) < POOL_MAX_MEMBERS]
    most_trusted = _most_trusted_open(state, index)
    if most_trusted is not None:
        near.append(most_trusted)
    if near:
        best = max((cs[k] for k in near), key=lambda k: (k.trust, -k.id))
        return [JoinConsortium(f.ids[firm], best.id)]
    if u < 0.3 and f.cash.item(firm) > _wages(state, rules, firm):
        return [FoundConsortium(f.ids[firm], f"Consorcio {f.names[firm]}")]
    return []


def _replies(state: GameState, firm: int, cautious: bool) -> list[Action]:
    """:func:`_links` of a firm that, when its proposals are made, has no order to pool for and
    neither founded its consortium (its bids, :func:`_group_bids`) nor is a cooperative member of
    a closed one (:func:`_invite`), if it is in one (most firms): subcontract work offered to it,
    then (``cautious``) an invitation it holds, if it is in no consortium, as one run (runs of
    single actions are applied in turn as one list is). What another firm's move may bring it
    this quarter, read at its turn."""
    out = _accept_offers(state, firm) if state.offers else []
    if cautious:
        out += _accept_invitation(state, firm)
    return out


def _links(state: GameState, rules: Rules, firm: int, code: int, draws: Draws, pos: int, pool: bool, in_consortium: bool) -> Proposals:
    """What a firm does about the other firms' moves this quarter, read when its turn reaches it:
    subcontract work offered to it; then, for cautious and growth firms, pooling for an order
    beyond its plant (``pool``), the founder's consortium bids and (cautious) an invitation;
    for cooperative ones, the founder's consortium bids and inviting a partner. A firm with none
    of these to do (no ``pool``; no consortium, or one it did not found and, if cooperative,
    an open one) is given :func:`_replies` instead, the same actions."""
    runs: list[Iterable[Action]] = []
    if state.offers and _offers_to(state, firm):
        runs.append(_accept_offers(state, firm))
    if code == COOPERATIVE:
        if in_consortium:
            runs.append(_group_bids(state, rules, firm, draws, pos, 0.03, False))
            runs.append(_invite(state, firm, draws, pos))
        return Proposals.of_runs(runs)
    if pool:
        runs.append(_pool_for_orders(state, rules, firm))
    if in_consortium:
        runs.append(_group_bids(state, rules, firm, draws, pos, 0.0 if code == CAUTIOUS else 0.05, True))
    if code == CAUTIOUS:
        invitation = _accept_invitation(state, firm)
        if invitation:
            runs.append(invitation)
    return Proposals.of_runs(runs)


FREE_RIDE_TRUST = 0.2
"""Computer members free-ride when their consortium's trust (shown to every member) is this low."""


def _free_ride(state: GameState, rules: Rules, firm: int) -> list[Action]:
    """Free-ride on the consortium when what a member can see says others do, or cash is squeezed.

    Reads only what a player sees: the consortium's trust (in the cooperation
    tab; it falls when members free-ride) and the firm's own cash against a
    quarter's wages (price pressure raises the temptation to defect, DD section 5).
    """
    f = state.firms
    c = f.consortium.item(firm)
    if c < 0 or not has_partners(state, state.consortia[c]):
        return []
    if state.consortia[c].trust < FREE_RIDE_TRUST or f.cash.item(firm) < _wages(state, rules, firm):
        return [FreeRide(f.ids[firm])]
    return []


CAUTIOUS, GROWTH, COOPERATIVE = (STRATEGIES.index(name) for name in ("cautious", "growth", "cooperative"))
"""The computer SMEs' strategy codes (``Firms.strategy``)."""

DISCOUNTS = {CAUTIOUS: 0.0, GROWTH: 0.05, COOPERATIVE: 0.03}
"""Each strategy's bid price below the target (before the draw's 0-3%)."""
_DISCOUNT_BY_CODE = np.array([DISCOUNTS[c] for c in range(len(DISCOUNTS))])
RESERVES = {CAUTIOUS: (1, 1), GROWTH: (1, 2), COOPERATIVE: (3, 4)}
"""Each strategy's cash reserve as a fraction of a quarter's wages (numerator, denominator): a
cautious firm keeps them all, a growth firm half, a cooperative one three quarters."""
_RESERVE_SHARE = np.array([RESERVES[c] for c in range(len(RESERVES))], dtype=np.int64).T.copy()
"""(2, codes): :data:`RESERVES`' numerators and denominators by strategy code (``wages * num // den``)."""


def propose(state: GameState, rules: Rules, rows: np.ndarray, codes: np.ndarray, draws: Draws) -> list[Proposals]:
    """Every deciding firm's proposals for the quarter, worked out for all of them at once from the
    state now: ``rows`` (firm rows), ``codes`` (each one's strategy: cautious, growth or cooperative),
    ``draws`` (their draws, by the same positions). Returns each firm's :class:`Proposals`, in
    ``rows`` order, applied later firm by firm (:func:`play_proposals`).

    - cautious: keeps a quarter's wages in the bank, climbs the certification
      ladder when it can afford it, bids at the target price (less 0-3%) on the
      tier-2 and tier-3 calls it already qualifies for, avoids debt and repays
      it when cash is ample; joins the association on 15% of its quarters, or
      when its report shows local customers leaving.
    - growth: joins the association, borrows when cash is short and to climb
      (only with a contract to pay the loans off: a tier above 4), bids 5% keener on every call
      it qualifies for, passes work to subcontractors when busy, expands a
      plant over 70% committed and starts innovation when cash allows.
    - cooperative: joins the association, a university and any
      supplier-development programme, joins or founds a consortium, invites
      partners and bids through it (3% keener), takes and offers subcontract work.

    Each works from the firm's own figures and the eligibility of every firm
    for every open call (one matrix); what depends on the other firms' moves
    this quarter (offers, invitations, open consortia, partners, who has idle
    capacity) is read when the firm's turn comes (:class:`Later`), and
    :func:`play_all` plans a firm again at its turn if another firm's move
    changed what its plan read (:func:`_moved`).
    """
    f = state.firms
    m = len(rows)
    rows = np.asarray(rows, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    ids = f.ids
    wage = rules.economy.wage_per_quarter
    wages = f.employees[rows].astype(np.int64) * wage
    cash = f.cash[rows].astype(np.int64)
    cautious_, growth_, coop_ = codes == CAUTIOUS, codes == GROWTH, codes == COOPERATIVE
    consortium = f.consortium[rows]
    member = consortium >= 0
    row_list, code_list = rows.tolist(), codes.tolist()
    present = set(code_list)
    # What each firm bids on alone, and the orders beyond its plant (one matrix each).
    bidding: dict[int, tuple[int, int, int]] = {}  # position -> (calls, first among k_nz, priced)
    prices: list[int] = []
    bid_ids: list[str] = []
    pool = [False] * m
    who = np.zeros(0, dtype=np.int64)
    choice: np.ndarray | None = None
    if state.rfqs:
        view = Eligibility.of(state, rules)
        who, eligible, beyond = view.rows_now(state, rules, rows)
    if len(who):
        eligible &= ~(cautious_ | coop_)[who][:, None] | view.tier_at_least(2)[None, :]
        sub, k_nz = eligible.nonzero()
        counts = np.bincount(sub, minlength=len(who))
        firsts = counts.cumsum() - counts
        # Each firm's first calls, as many as its action points, priced now; the rest when read (BidRun).
        points = f.action_points[rows[who]].astype(np.int64)
        priced = np.arange(len(sub)) - firsts[sub] < points[sub]
        pos_p, k_p = who[sub[priced]], k_nz[priced]
        # Every one-per-quarter draw of every firm, and the priced bids' draws, from one array operation.
        choice, u_bids = draws.columns_and_at(SLOT_SUBCONTRACT + 1, pos_p, SLOT_BIDS + k_p)
        prices = _prices(view.targets[k_p], _DISCOUNT_BY_CODE[codes[pos_p]], u_bids).tolist()
        bid_ids = view.id_array[k_p].tolist()
        for k, n, first, n_priced in zip(who.tolist(), counts.tolist(), firsts.tolist(), np.minimum(counts, points).tolist(), strict=True):
            if n:
                bidding[k] = (n, first, n_priced)
        # The figures each bidding firm's row was read from (its run's calls stay eligible while they do).
        keys = dict(zip(bidding, _firm_keys(f, rows[list(bidding)]), strict=True))
        reaching = beyond.any(axis=1)
        if np.count_nonzero(reaching):
            # Cautious and growth firms in no consortium nor supplier-development programme pool for an order beyond their plant.
            at = who[reaching]
            for k in at[(codes[at] != COOPERATIVE) & (consortium[at] < 0) & (f.supplier_dev[rows[at]] < 0)].tolist():
                pool[k] = True
    applying: dict[int, list[str]] = {}  # position -> the programmes it applies to, in order
    for pid, mask in _supplier_development_rows(state, rules, rows):
        for k in mask.nonzero()[0].tolist():
            applying.setdefault(k, []).append(pid)
    # Each strategy's aim: its reserve, and whether it borrows to climb.
    reserve = wages * _RESERVE_SHARE[0][codes] // _RESERVE_SHARE[1][codes]
    climb_on_credit = growth_ & (f.tier[rows] < 4) if GROWTH in present else growth_  # (no firm: all False)
    if choice is None:
        choice = draws.columns(SLOT_SUBCONTRACT + 1)  # every one-per-quarter draw of every firm
    aims = _aim_rows(state, rules, rows, reserve, climb_on_credit, choice[:, SLOT_PRACTICES])
    association = f.association[rows]
    join = ~association & (~cautious_ | (choice[:, SLOT_ASSOCIATION] < 0.15) | (f.local_base[rows] < 1.0))
    if np.count_nonzero(join):
        # A computer firm whose cash is short of the fee now is refused joining at its turn for cash
        # (a refusal leaves no trace): only its own actions move its cash in this phase, and none
        # before the join in its run brings cash in (loans come after it), so it proposes no join.
        # The fee is the same for every firm (JoinAssociation.cost reads the rules only): kept in
        # state.memo for the rules.
        memo = state.memo.get("association_fee")
        if memo is None or memo[0] is not rules:
            memo = state.memo["association_fee"] = (rules, JoinAssociation(ids[row_list[0]]).cost(state, rules, row_list[0]).cash_needed)
        fee = memo[1]
        join &= (cash >= fee) | (f.kind[rows] == KIND_PLAYER)
    joins = join.tolist()
    # What only some strategies read, worked out only when some firm follows one of them.
    no = [False] * m
    repay, repay_amount, short, busy, expand, innovate, sign = no, no, no, no, no, no, no
    if CAUTIOUS in present:
        debt = f.debt[rows].astype(np.int64)
        repay = (cautious_ & (debt > 0) & (cash > 3 * wages)).tolist()
        if True in repay:  # (read only where a firm repays)
            repay_amount = np.minimum(debt, cash - 2 * wages).tolist()
    capacity = f.capacity[rows].astype(np.int64)
    if GROWTH in present or COOPERATIVE in present:
        committed = f.committed[rows]
        busy_ = committed >= 0.6 * capacity
        busy = busy_.tolist()
        subcontract_draw = choice[:, SLOT_SUBCONTRACT].tolist()
    if GROWTH in present:
        short = (growth_ & (cash < wages // 2)).tolist()
        units = capacity // 4
        expand_cost = np.where(units > 0, units * rules.economy.capacity_cost_per_unit, 0)
        expand = (growth_ & (committed > 0.7 * capacity) & (cash - expand_cost > wages)).tolist()
        innovate = (growth_ & (f.cap[:, INNOVATION][rows] < 0.3) & (cash - rules.economy.innovation_cost > 2 * wages)).tolist()
    unis: list[str] = []
    if COOPERATIVE in present:
        unis = [inst.id for inst in rules.level.institutions if inst.kind in ("university", "technology_centre")]
        if unis:
            sign = (coop_ & (f.university[rows] < 0) & (cash > 2 * wages)).tolist()
        uni_draw = choice[:, SLOT_UNIVERSITY].tolist()
        found_draw = choice[:, SLOT_FOUND].tolist()
    in_consortium = member.tolist()
    # Who may hold subcontract work offered to it, or an invitation, at its turn (any other firm is
    # given no _replies: it would find none). One made before these proposals (the state now), or
    # one made in this phase by a firm before it among ``rows``: this phase offers work only in a
    # busy growth or cooperative firm's _offer_subcontract, and invites only in a cooperative
    # member's of a closed consortium (_links: _invite; a consortium never closes, and a firm's
    # membership changes only by its own moves). A firm planned again at its turn (_moved) may
    # offer work its plan did not: that follows an accepted offer, so a firm after the first that
    # holds one now, or after the first busy one, is given _replies.
    offered = {o.to_firm for o in state.offers}
    offers_from = invites_from = m
    if GROWTH in present or COOPERATIVE in present:
        offerers = (busy_ & ~cautious_).nonzero()[0]
        if len(offerers):
            offers_from = int(offerers[0]) + 1
    if offered:
        holders = np.isin(rows, list(offered)).nonzero()[0]
        if len(holders):
            offers_from = min(offers_from, int(holders[0]) + 1)
    # Members whose _links reads more than _replies: a founder (its consortium's bids: _group_bids
    # bids for a founder only) and a cooperative member of a closed consortium (it may invite:
    # _invite; the first of them is where invitations made in the phase may start). A
    # consortium's founder and openness do not change in the phase.
    leading: set[int] = set()
    for k in member.nonzero()[0].tolist():
        c = state.consortia[consortium.item(k)]
        inviter = code_list[k] == COOPERATIVE and not c.open
        if inviter and invites_from == m:
            invites_from = k + 1
        if inviter or c.founder == row_list[k]:
            leading.add(k)
    invited: dict[int, list[int]] = ConsortiumIndex.of(state).invited if CAUTIOUS in present else {}
    wage_list = wages.tolist()
    out: list[Proposals] = []
    start = 0
    for k in range(m):
        i, code = row_list[k], code_list[k]
        fid = ids[i]
        runs: list[Iterable[Action]] = []
        if in_consortium[k] and code != GROWTH:
            # Its partners may join or leave before its turn: read then.
            runs.append(Later(_free_ride, state, rules, i))
        if k in applying:
            runs += [(ApplySupplierDevelopment(fid, pid),) for pid in applying[k]]
        if pool[k] or k in leading:
            runs.append(Later(_links, state, rules, i, code, draws, k, pool[k], in_consortium[k]))
        elif k >= offers_from or i in offered or (code == CAUTIOUS and (k >= invites_from or i in invited)):
            runs.append(Later(_replies, state, i, code == CAUTIOUS))
        if k in bidding:
            n, first, n_priced = bidding[k]
            end = start + n_priced
            rest = None
            if n_priced < n:
                rest = Unpriced(view, k_nz[first + n_priced : first + n], draws, k, SLOT_BIDS, DISCOUNTS[code])
            runs.append(BidRun(fid, bid_ids[start:end], prices[start:end], False, rest, (view, i, keys[k])))
            start = end
        if code == CAUTIOUS:
            if k in aims:
                runs += aims[k]
            if joins[k]:
                runs.append((JoinAssociation(fid),))
            if repay[k]:
                runs.append((RepayLoan(fid, int(repay_amount[k])),))
        elif code == GROWTH:
            if joins[k]:
                runs.append((JoinAssociation(fid),))
            if short[k]:
                runs.append(_borrow(state, rules, i, wage_list[k]))
            if k in aims:
                runs += aims[k]
            if busy[k]:
                runs.append(Later(_offer_subcontract, state, rules, i, subcontract_draw[k]))
            if expand[k]:
                runs.append((ExpandCapacity(fid, int(capacity[k] // 4)),))
            if innovate[k]:
                runs.append((StartInnovationProject(fid),))
        else:
            if joins[k]:
                runs.append((JoinAssociation(fid),))
            if not in_consortium[k]:
                runs.append(Later(_join_or_found, state, rules, i, found_draw[k]))
            if sign[k]:
                runs.append((SignUniversityAgreement(fid, unis[min(int(uni_draw[k] * len(unis)), len(unis) - 1)]),))
            if k in aims:
                runs += aims[k]
            if busy[k]:
                runs.append(Later(_offer_subcontract, state, rules, i, subcontract_draw[k]))
        out.append(Proposals.of_runs(runs))
    return out


def _subsidy_signature(state: GameState, rules: Rules) -> tuple[int, ...]:
    """What the planned costs read of the subsidies' budgets: whether each is spent (a training
    subsidy needs budget left) and, below the dearest certification, how much is left (a
    certification's subsidy is cut to what is left)."""
    dearest = int(rules.cert_cost.max()) if len(rules.cert_cost) else 0
    out: list[int] = []
    for kind in ("certification_subsidy", "training_centre"):
        for p, _ in policies.active_effects(state, rules, kind):
            out.append(min(policies.budget_left(state, rules, p), dearest + 1))
    return tuple(out)


def _signature_read(state: GameState) -> tuple[list[bool], list[int]]:
    """A copy of what :func:`_subsidy_signature` reads of the state: the policies active and what each has spent."""
    return list(state.policy_active), list(state.policy_spent)


def _moved(state: GameState, firm: int, committed: float) -> bool:
    """Whether another firm's move this quarter changed what a firm's plan read of its own figures:
    its committed capacity falls when a partner accepts work it offered last quarter."""
    return state.firms.committed.item(firm) != committed  # the float compared without a numpy scalar


REPLAN_WINDOW = 32
"""Once the subsidies' budgets change, :func:`play_all` plans this many firms ahead at a time
(doubling while nothing changes), rather than every firm left."""


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector off for a while (as it was after): objects made
    meanwhile without reference cycles are freed by their counts as usual."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def play_all(state: GameState, rules: Rules, rows: np.ndarray, codes: np.ndarray, draws: Draws) -> None:
    """The computer firms' quarter: every firm's proposals worked out at once (:func:`propose`),
    then applied firm by firm in row order (:func:`play_proposals`).

    A firm whose figures another firm's move changed before its turn (:func:`_moved`) is
    planned again at its turn: :func:`propose` on its row, with the same draws (a firm's draws
    depend on its row and slot only). Once the subsidies' budgets read by the plans change
    (:func:`_subsidy_signature`), the plans of the firms still to play are dropped and the next
    ones are made again from the state then, a window of firms at a time (:data:`REPLAN_WINDOW`,
    doubling while the budgets stay as they were), as the first plans were made for all. So
    each firm decides from the state at its turn, as a player would.

    The plans are many small objects, made and dropped within the phase: the cyclic garbage
    collector is held off meanwhile (:func:`_cyclic_gc_paused`), else its full collections walk
    the whole state again and again (a quarter of the phase at 30,000 firms).
    """
    with _cyclic_gc_paused():
        _play_all(state, rules, rows, codes, draws)


def _play_all(state: GameState, rules: Rules, rows: np.ndarray, codes: np.ndarray, draws: Draws) -> None:
    m = len(rows)
    row_list = rows.tolist()
    plans = propose(state, rules, rows, codes, draws)
    committed = state.firms.committed[rows].tolist()
    signature = _subsidy_signature(state, rules)
    # What the signature reads of the state (the policies active and their spending): while they
    # are as they were when it was last worked out, so is the signature.
    read = _signature_read(state)
    start, end, window = 0, m, REPLAN_WINDOW
    for k, i in enumerate(row_list):
        replan = k == end
        if not replan and signature and (state.policy_spent != read[1] or state.policy_active != read[0]):
            read = _signature_read(state)
            replan = _subsidy_signature(state, rules) != signature
        if replan:
            window = window * 2 if k == end else REPLAN_WINDOW
            start, end = k, min(k + window, m)
            plans = propose(state, rules, rows[start:end], codes[start:end], Draws(draws.key, rows[start:end]))
            committed[start:end] = state.firms.committed[rows[start:end]].tolist()
            signature = _subsidy_signature(state, rules)
            read = _signature_read(state)
        plan = plans[k - start]
        if _moved(state, i, committed[k]):
            plan = propose(state, rules, rows[k : k + 1], codes[k : k + 1], Draws(draws.key, rows[k : k + 1]))[0]
        if plan.runs:  # a plan of no runs applies nothing (most firms in a quiet quarter)
            _apply_runs(state, rules, i, plan.settled().runs)


def _one(code: int) -> Strategy:
    def strategy(state: GameState, rules: Rules, firm: int, rng: np.random.Generator) -> Proposals:
        return propose(state, rules, np.array([firm], dtype=np.int64), np.array([code]), Draws.of_generator(rng, firm))[0].settled()

    return strategy


cautious = _one(CAUTIOUS)
cautious.__name__ = cautious.__qualname__ = "cautious"
cautious.__doc__ = """A cautious firm's proposals (:func:`propose` on one row; its draws keyed by one draw of ``rng``)."""
growth = _one(GROWTH)
growth.__name__ = growth.__qualname__ = "growth"
growth.__doc__ = """A growth firm's proposals (:func:`propose` on one row; its draws keyed by one draw of ``rng``)."""
cooperative = _one(COOPERATIVE)
cooperative.__name__ = cooperative.__qualname__ = "cooperative"
cooperative.__doc__ = """A cooperative firm's proposals (:func:`propose` on one row; its draws keyed by one draw of ``rng``)."""


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
    propose_ = strategy_function(strategy) if isinstance(strategy, str) else strategy
    return play_proposals(state, rules, firm, propose_(state, rules, firm, rng), take)


def play_proposals(state: GameState, rules: Rules, firm: int, proposals: Iterable[Action], take: Callable[[Action], bool] | None = None) -> int:
    """Offer a firm's proposals in turn to ``take`` (by default: apply each that
    :func:`game.core.actions.validate` accepts, validating it once) until its action
    points run out; returns how many were taken."""
    if take is None and type(proposals) is Proposals:
        return _apply_runs(state, rules, firm, proposals.runs)
    f = state.firms
    taken = 0
    for action in proposals:
        if f.action_points[firm] <= 0:
            break
        if take is not None:
            taken += bool(take(action))
        elif actions.try_apply(state, rules, action) is None:
            taken += 1
    return taken


def _apply_runs(state: GameState, rules: Rules, firm: int, runs: list[Iterable[Action]]) -> int:
    """:func:`play_proposals` applying a :class:`Proposals`' runs in turn: a run of bids at once
    (:func:`game.core.actions.try_apply_bids`, told whether its calls are still eligible:
    :meth:`BidRun.eligible_now`, read before its first bid, as its bids change none of the
    figures it reads), a :class:`Later` run worked out when reached; returns how many actions
    were applied."""
    points = state.firms.action_points
    taken = 0
    for run in runs:
        if points.item(firm) <= 0:  # the firm's points as a Python int, without a numpy scalar
            return taken
        if type(run) is Later:
            run = run.fn(*run.args)
        if type(run) is BidRun:
            taken += actions.try_apply_bids(state, rules, run, run.eligible_now(state, rules))
        elif type(run) is Proposals:
            taken += _apply_runs(state, rules, firm, run.runs)
        else:
            for action in run:
                if points.item(firm) <= 0:
                    return taken
                if actions.try_apply(state, rules, action) is None:
                    taken += 1
    return taken
