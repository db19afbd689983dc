"""The game state: everything that changes during a game, and nothing else.

Per-firm figures live in :class:`Firms`, a table of numpy columns (one row
per local firm: players first, then computer SMEs), so the quarterly rules
are vectorised and a cluster of thousands of firms stays fast. Rules (the
level) are referred to by index into the level's lists; the level itself is
not part of the state but its content hash is.

Money is integer pesos (int64). Capabilities are float64 in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args

import numpy as np

from game.core.level_terms import CAPABILITIES, StrategyName
from game.core.rng import Streams

CAP = {name: i for i, name in enumerate(CAPABILITIES)}
"""Column of each capability in ``Firms.cap``."""

QUALITY, DELIVERY, TECHNOLOGY, HUMAN_CAPITAL, INNOVATION, MANAGEMENT = range(6)

RECEIVABLE_QUARTERS = 5
"""Receivables are kept by due quarter: column k is due k+1 quarters from now."""

NO_TIER = 4
"""``tier`` value of a firm that supplies no lead-firm chain (tiers are 1, 2, 3)."""

EXPORT_ISSUER = "partner_district"
"""The issuer of export orders passed on by a cross-clustering partner district: exports, not local content."""

KIND_PLAYER = 0
KIND_COMPUTER = 1

STRATEGIES: tuple[str, ...] = get_args(StrategyName)
"""The computer SMEs' strategies, in the order of the ``strategy`` column's codes (the level's names)."""

# Columns of the firm table: name -> (dtype, extra shape key or None).
FIRM_COLUMNS: dict[str, tuple[str, str | None]] = {
    "kind": ("int8", None),
    "strategy": ("int8", None),
    "alive": ("bool", None),
    "bankrupt_quarter": ("int16", None),
    "employees": ("int64", None),
    "cash": ("int64", None),
    "debt": ("int64", None),
    "debt_rate": ("float64", None),
    "fixed_assets": ("int64", None),
    "capacity": ("int64", None),
    "capacity_pending": ("int64", None),
    "cap": ("float64", "caps"),
    "receivables": ("int64", "recv"),
    "cert_held": ("bool", "certs"),
    "cert_left": ("int16", "certs"),
    "cert_cost_q": ("int64", "certs"),
    "association": ("bool", None),
    "university": ("int16", None),
    "supplier_dev": ("int16", None),
    "sd_applied": ("int16", None),
    "sd_since": ("int16", None),
    "consortium": ("int32", None),
    "serve_local": ("bool", None),
    "action_points": ("int8", None),
    "trained_quarter": ("int16", None),
    "innovation_left": ("int16", None),
    "innovation_spend": ("int64", None),
    "tier": ("int8", None),
    "best_tier": ("int8", None),
    "on_time": ("float64", None),
    "ppm": ("float64", None),
    "revenue": ("int64", None),
    "profit": ("int64", None),
    "profit_total": ("int64", None),
    "start_cash": ("int64", None),
    "cash_open": ("int64", None),
    "cash_in": ("int64", None),
    "cash_out": ("int64", None),
    "committed": ("float64", None),
    "free_ride": ("int16", None),
    "specialty": ("int16", None),
    "specialty_depth": ("float64", None),
    "start_employees": ("int64", None),
    "renewed_quarter": ("int16", None),
    "local_base": ("float64", None),
}


class Firms:
    """Local firms (players and computer SMEs) as numpy columns, one row each."""

    ids: list[str]
    names: list[str]
    columns: dict[str, np.ndarray]
    # The columns, also as attributes (see FIRM_COLUMNS):
    kind: np.ndarray
    strategy: np.ndarray
    alive: np.ndarray
    bankrupt_quarter: np.ndarray
    employees: np.ndarray
    cash: np.ndarray
    debt: np.ndarray
    debt_rate: np.ndarray
    fixed_assets: np.ndarray
    capacity: np.ndarray
    capacity_pending: np.ndarray
    cap: np.ndarray
    receivables: np.ndarray
    cert_held: np.ndarray
    cert_left: np.ndarray
    cert_cost_q: np.ndarray
    association: np.ndarray
    university: np.ndarray
    supplier_dev: np.ndarray
    sd_applied: np.ndarray
    sd_since: np.ndarray
    consortium: np.ndarray
    serve_local: np.ndarray
    action_points: np.ndarray
    trained_quarter: np.ndarray
    innovation_left: np.ndarray
    innovation_spend: np.ndarray
    tier: np.ndarray
    best_tier: np.ndarray
    on_time: np.ndarray
    ppm: np.ndarray
    revenue: np.ndarray
    profit: np.ndarray
    profit_total: np.ndarray
    start_cash: np.ndarray
    start_employees: np.ndarray
    cash_open: np.ndarray
    cash_in: np.ndarray
    cash_out: np.ndarray
    committed: np.ndarray
    free_ride: np.ndarray
    specialty: np.ndarray
    """Part family the firm specialises in (-1: none yet): learning by specialising."""
    specialty_depth: np.ndarray
    """Quarters of experience in the specialty (capped at learning.SPECIALTY_CAP)."""
    renewed_quarter: np.ndarray
    """Last quarter the firm invested in what it knows: training, technology, management practices,
    a certification, an innovation project or an approved programme (learning.knowledge_engaged)."""
    local_base: np.ndarray
    """Share of its local customers the firm still has (1.0 at the start): it erodes while the firm stays
    outside the knowledge economy and comes back when it engages again (learning.local_customers)."""

    @classmethod
    def empty(cls, n: int, n_certs: int) -> Firms:
        extra = {"caps": len(CAPABILITIES), "recv": RECEIVABLE_QUARTERS, "certs": n_certs}
        cols: dict[str, np.ndarray] = {}
        for name, (dtype, shape_key) in FIRM_COLUMNS.items():
            shape = (n,) if shape_key is None else (n, extra[shape_key])
            cols[name] = np.zeros(shape, dtype=dtype)
        cols["university"][:] = -1
        cols["supplier_dev"][:] = -1
        cols["specialty"][:] = -1
        cols["sd_applied"][:] = -1
        cols["sd_since"][:] = -1
        cols["consortium"][:] = -1
        cols["bankrupt_quarter"][:] = -1
        cols["trained_quarter"][:] = -100
        cols["renewed_quarter"][:] = -100
        cols["local_base"][:] = 1.0
        cols["tier"][:] = NO_TIER
        cols["best_tier"][:] = NO_TIER
        cols["on_time"][:] = 1.0
        cols["alive"][:] = True
        cols["serve_local"][:] = True
        return cls(ids=[f"f{i}" for i in range(n)], names=[""] * n, columns=cols)

    def __init__(self, ids: list[str], names: list[str], columns: dict[str, np.ndarray]):
        self.ids = ids
        self.names = names
        self.columns = columns
        # Columns double as attributes (``firms.cash``) for fast access; replace them
        # only through set_column so both views stay the same arrays.
        self.__dict__.update(columns)
        self._index: dict[str, int] | None = None

    def set_column(self, name: str, values: np.ndarray) -> None:
        self.columns[name] = values
        self.__dict__[name] = values

    def player_rows(self) -> frozenset[int]:
        """Rows of the players' firms: the only ones :meth:`GameState.explain` records for, so a
        rule can skip building the messages of the others. Kept with the ``kind`` column's
        bytes it was read from (the column is set up once; a copy of it read again)."""
        kind = self.kind.tobytes()
        kept = self.__dict__.get("_player_rows")
        if kept is None or kept[0] != kind:
            kept = self.__dict__["_player_rows"] = (kind, frozenset(np.flatnonzero(self.kind == KIND_PLAYER).tolist()))
        return kept[1]

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, firm_id: str) -> int:
        """Row of a firm id (raises ValueError for an unknown id, like list.index)."""
        if self._index is None or len(self._index) != len(self.ids):
            self._index = {fid: k for k, fid in enumerate(self.ids)}
        try:
            return self._index[firm_id]
        except KeyError:
            raise ValueError(firm_id) from None

    def pay(self, firm: int | np.ndarray | slice, amount: int | np.ndarray, line: str) -> None:
        """Money out of a firm (or firms); every cash movement goes through pay/receive.

        ``line`` names the movement in the quarter's cash-flow statement
        (:class:`Books`), so the statement adds up by construction.
        """
        self.columns["cash"][firm] -= amount
        self.columns["cash_out"][firm] += amount
        # One firm paying a Python int (a decision's cost): the line takes -amount as the int64 it
        # becomes anyway, without a 0-d array (the same int64 addition; out of range raises either way).
        self.books.flow(line, firm, -amount if type(firm) is int and type(amount) is int else -np.asarray(amount, dtype=np.int64))

    def pay_lines(self, lines: tuple[str, ...], amounts: np.ndarray) -> None:
        """:meth:`pay` by every firm for each of several lines at once: ``amounts`` is (lines, firms) int64."""
        total = amounts.sum(axis=0)
        self.columns["cash"] -= total
        self.columns["cash_out"] += total
        self.books.add_lines(self.books.cash, lines, -amounts)

    def receive(self, firm: int | np.ndarray | slice, amount: int | np.ndarray, line: str) -> None:
        """Money into a firm (or firms); ``line`` as in :meth:`pay`."""
        self.columns["cash"][firm] += amount
        self.columns["cash_in"][firm] += amount
        self.books.flow(line, firm, amount if type(firm) is int and type(amount) is int else np.asarray(amount, dtype=np.int64))

    @property
    def books(self) -> Books:
        """This quarter's books (created on first use, e.g. for a state built by hand)."""
        books = self.__dict__.get("_books")
        if books is None or books.n != len(self.ids):
            books = Books(len(self.ids))
            self.__dict__["_books"] = books
        return books

    @books.setter
    def books(self, value: Books) -> None:
        self.__dict__["_books"] = value


class Books:
    """The quarter's money by firm, booked where it moves: the ledger's raw entries.

    ``cash``: cash-flow lines (name -> signed pesos per firm), written by
    :meth:`Firms.pay` and :meth:`Firms.receive` and nothing else, so opening
    cash plus the lines is the closing cash by construction. ``income``:
    income-statement lines (name -> signed pesos per firm), written where
    revenue and costs are booked (contracts.execute, finance.settle); with
    the per-contract revenue lines of ``sparse`` they add up to the
    quarter's ``profit`` column. Names are ``group.item`` (see
    game/core/ledger.py). Lines of a few firms (by contract) are kept sparse
    (name -> firm -> pesos), so a cluster of thousands of firms and
    contracts stays small. Pure bookkeeping: not part of the state hash,
    never read by the rules.
    """

    def __init__(
        self,
        n: int,
        cash: dict[str, np.ndarray] | None = None,
        income: dict[str, np.ndarray] | None = None,
        sparse: dict[str, dict[int, int]] | None = None,
        contracts: dict[str, dict[int, int]] | None = None,
        calls: dict[str, dict[str, Any]] | None = None,
    ):
        self.n = n
        self.cash: dict[str, np.ndarray] = cash if cash is not None else {}
        self.income: dict[str, np.ndarray] = income if income is not None else {}
        self.sparse: dict[str, dict[int, int]] = sparse if sparse is not None else {}
        """Income lines of one contract (``revenue.contract.c4``...): firm -> signed pesos."""
        self.contracts: dict[str, dict[int, int]] = contracts if contracts is not None else {}
        """Per contract and item (``"c4|gross"``, ``"c4|materials"``...): firm -> signed pesos, what each contract left."""
        self.calls: dict[str, dict[str, Any]] = calls if calls is not None else {}
        """The call each booked contract was won on (contract id -> ``rfq``, ``part_family`` index,
        ``issuer``), so its lines keep a player's name for it after the contract ends and leaves
        ``GameState.contracts``."""

    def _line(self, table: dict[str, np.ndarray], name: str) -> np.ndarray:
        arr = table.get(name)
        if arr is None:
            arr = table[name] = np.zeros(self.n, dtype=np.int64)
        return arr

    def flow(self, name: str, firm: int | np.ndarray | slice, amount: int | np.ndarray) -> None:
        """Cash line: the same indexing as the cash column's update (so the two agree exactly)."""
        self._line(self.cash, name)[firm] += amount

    def earn(self, name: str, firm: int | np.ndarray | slice, amount: int | np.ndarray) -> None:
        """Income line (signed: revenue positive, costs negative)."""
        self._line(self.income, name)[firm] += np.asarray(amount, dtype=np.int64)

    def add_lines(self, table: dict[str, np.ndarray], names: tuple[str, ...], amounts: np.ndarray) -> None:
        """Several whole lines of ``table`` (:attr:`cash` or :attr:`income`) at once: row k of ``amounts``
        ((lines, firms) int64, a new array the books keep: not to be changed or used again) added to line
        ``names[k]`` of every firm. A line not opened yet this quarter is that row itself (0 + x is x)."""
        for k, name in enumerate(names):
            arr = table.get(name)
            if arr is None:
                table[name] = amounts[k]
            else:
                arr += amounts[k]

    def earn_one(self, name: str, firm: int, amount: int) -> None:
        """Income line of one contract for one firm (kept sparse)."""
        line = self.sparse.setdefault(name, {})
        line[firm] = line.get(firm, 0) + int(amount)

    def call(self, contract: Contract) -> None:
        """Remember the call a contract booked this quarter was won on (see ``calls``)."""
        if contract.id not in self.calls:
            self.calls[contract.id] = {"rfq": contract.rfq_id, "part_family": int(contract.part_family), "issuer": contract.issuer}

    def contract(self, contract_id: str, item: str, firm: int, amount: int) -> None:
        """A contract's own line for one firm (gross, chargebacks, coordination, factoring_discount, subcontracted, materials)."""
        if amount:
            line = self.contracts.setdefault(f"{contract_id}|{item}", {})
            line[firm] = line.get(firm, 0) + int(amount)

    def income_of(self, firm: int) -> dict[str, int]:
        """The firm's income lines this quarter (dense and per contract), zero lines left out."""
        out = {name: v for name, arr in self.income.items() if (v := int(arr[firm])) != 0}
        out.update({name: v for name, line in self.sparse.items() if (v := line.get(firm, 0)) != 0})
        return dict(sorted(out.items()))

    def to_dict(self) -> dict[str, Any]:
        def sparse(table: dict[str, dict[int, int]]) -> dict[str, dict[str, int]]:
            return {k: {str(i): v for i, v in sorted(line.items())} for k, line in sorted(table.items())}

        return {
            "cash": {k: v.tolist() for k, v in sorted(self.cash.items())},
            "income": {k: v.tolist() for k, v in sorted(self.income.items())},
            "sparse": sparse(self.sparse),
            "contracts": sparse(self.contracts),
            "calls": {k: dict(v) for k, v in sorted(self.calls.items())},
        }


def raise_capability(state: GameState, firm: int | np.ndarray | slice, col: int, amount: float | np.ndarray) -> None:
    """Move a capability toward 1 by ``amount`` of the remaining gap (diminishing returns)."""
    cap = state.firms.cap
    if isinstance(firm, (int, np.integer)) and isinstance(amount, float):
        c = cap.item(firm, col)  # float() of the float64 scalar, read without one
        cap[firm, col] = min(1.0, max(0.0, c + amount * (1.0 - c)))
        return
    now = cap[firm, col]  # read once (a view or a copy: written only below)
    cap[firm, col] = (now + amount * (1.0 - now)).clip(0.0, 1.0)


@dataclass
class Rfq:
    """An open call for quotation (bids are taken during the quarter it opens)."""

    id: str
    issuer: str
    lead_firm: str
    tier: int
    part_family: int
    volume: int
    duration: int
    target_price: int
    payment_days: int
    quarter: int
    public: bool
    quality: float
    delivery: float
    technology: float
    certifications: list[int]
    max_ppm: int
    min_on_time: float
    min_cash: int
    reserved_share: float
    export: bool = False


@dataclass
class Bid:
    """A bid placed this quarter: by one firm, or by a consortium through its founder."""

    rfq_id: str
    firm: int
    consortium: int
    price: int


@dataclass
class Contract:
    """A running supply contract won on a call for quotation."""

    id: str
    rfq_id: str
    issuer: str
    lead_firm: str
    tier: int
    part_family: int
    volume: int
    price: int
    payment_days: int
    start_quarter: int
    end_quarter: int
    max_ppm: int
    min_on_time: float
    members: list[int]
    shares: list[float]
    consortium: int = -1
    strikes: int = 0
    subcontractor: int = -1
    subcontract_share: float = 0.0
    subcontract_price: int = 0
    delivered_total: int = 0
    active: bool = True


@dataclass
class Consortium:
    """A group of local firms pooling capacity and certifications."""

    id: int
    name: str
    founder: int
    members: list[int]
    trust: float = 0.5
    joint_deliveries: int = 0
    founded_quarter: int = 0
    active: bool = True
    open: bool = True
    """Open consortia (founded by computer SMEs) take anyone; a team's consortium takes only those it invites."""
    invited: list[int] = field(default_factory=list)
    shirking: list[int] = field(default_factory=list)
    """Members who chose to free-ride this quarter (:class:`~game.core.decisions.cooperation.FreeRide`):
    they keep the pooled discounts and bids but skip their share of the common work. Cleared at resolution."""


@dataclass
class SubcontractOffer:
    """A standing offer by a contract holder to pass a share of it to another firm."""

    contract_id: str
    from_firm: int
    to_firm: int
    share: float
    price: int
    quarter: int


@dataclass
class Application:
    """An application to a public programme awaiting a decision."""

    firm: int
    programme: int
    project_cost: int
    decide_quarter: int


@dataclass
class Modifier:
    """A temporary effect of an event, active until ``until_quarter`` (inclusive)."""

    kind: str
    factor: float
    until_quarter: int
    event_id: str


@dataclass
class Explanation:
    """Why something happened to a firm (or the cluster, firm = -1) this quarter.

    ``key`` names the text in the translation files; ``params`` fills it in.
    ``family`` is the barrier family behind a setback (internal, external,
    mixed); ``lever`` the lever behind a gain (capability, cooperation,
    catalyst). ``tone`` is good, bad or info.
    """

    quarter: int
    firm: int
    key: str
    params: dict[str, Any]
    tone: str = "info"
    family: str | None = None
    lever: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "quarter": self.quarter,
            "firm": self.firm,
            "key": self.key,
            "params": self.params,
            "tone": self.tone,
            "family": self.family,
            "lever": self.lever,
        }


@dataclass
class ClusterMetrics:
    """Cluster-wide figures computed each quarter; the typology stage follows from them."""

    local_share: float = 0.0
    chain_value: int = 0
    local_value: int = 0
    local_suppliers: int = 0
    suppliers_per_lead_firm: float = 0.0
    tier2_share: float = 0.0
    cooperation: float = 0.0
    university_links: float = 0.0
    association_share: float = 0.0
    mean_capability: float = 0.0
    alive_share: float = 1.0
    stage: str = "primordial"


class Memo(dict):  # type: ignore[type-arg]
    """Figures derived from the state and kept for reuse (open calls by id, the computer
    firms' eligibility for them): never saved, hashed or iterated. Each entry keeps what it
    was computed from and its owner computes it again when that changed. A copy of the
    state starts with an empty memo."""

    def __copy__(self) -> Memo:
        return Memo()

    def __deepcopy__(self, memo: dict[int, Any]) -> Memo:
        return Memo()


@dataclass
class GameState:
    """Everything that changes in a game."""

    level_id: str
    level_hash: str
    seed: int
    quarter: int
    turns: int
    firms: Firms
    rng: Streams
    lead_firm_active: list[bool]
    follow_source_share: list[float]
    policy_active: list[bool]
    policy_spent: list[int]
    programme_spent: list[int]
    events_fired: list[bool]
    supplier_dev_seats: list[int]
    rfqs: list[Rfq] = field(default_factory=list)
    bids: list[Bid] = field(default_factory=list)
    bid_keys: set[tuple[str, int]] = field(default_factory=set, repr=False, compare=False)
    """Derived from ``bids`` ((call, firm) and (call, -1 - consortium)); not saved, never iterated."""
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)
    """Derived figures kept for reuse (see :class:`Memo`); not saved, not hashed."""
    contracts: list[Contract] = field(default_factory=list)
    consortia: list[Consortium] = field(default_factory=list)
    offers: list[SubcontractOffer] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    modifiers: list[Modifier] = field(default_factory=list)
    foreign_value: list[list[int]] = field(default_factory=list)
    """Chain work held by follow-sources: [last quarter, pesos per quarter, lead firm index]."""
    awards: list[list[int]] = field(default_factory=list)
    """Each award to local firms: [quarter, tier, by a consortium (0/1), capacity needed, largest member's capacity]."""
    fx: float = 1.0
    rate_shift: float = 0.0
    payment_shift: int = 0
    metrics: ClusterMetrics = field(default_factory=ClusterMetrics)
    explanations: list[Explanation] = field(default_factory=list)
    recent_events: list[Explanation] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)
    objective_met: list[list[int]] = field(default_factory=list)
    pending_policies: dict[str, bool] = field(default_factory=dict)
    """Policy switches the facilitator queued; they take effect next quarter."""
    pending_events: list[str] = field(default_factory=list)
    """Events the facilitator injected; they fire next quarter."""
    timeline: list[dict[str, Any]] = field(default_factory=list)
    """Events, policy switches, notes and timeouts by quarter, for the debrief's time axis."""
    ledger: list[dict[str, Any]] = field(default_factory=list, compare=False)
    """Each closed quarter's statements for the players (game/core/ledger.py): bookkeeping of
    movements the firm columns already hold, saved with the game but not part of the state hash."""
    bid_results: list[dict[str, Any]] = field(default_factory=list, compare=False)
    """Each call a player bid on: every bid's score by part, the follow-source's, the winner
    (rfq.award); bookkeeping for "why did I lose", saved but not part of the state hash."""
    books_closed: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The last closed quarter's books for every firm (ledger.close_quarter); not saved, not hashed."""
    next_contract: int = 1
    next_rfq: int = 1
    players: int = 1
    finished: bool = False

    def explain(
        self,
        firm: int,
        key: str,
        params: dict[str, Any] | None = None,
        tone: str = "info",
        family: str | None = None,
        lever: str | None = None,
    ) -> None:
        """Record why something happened to a player's firm (computer SMEs need no report)."""
        if self.firms.kind.item(firm) == KIND_PLAYER:
            self.explanations.append(Explanation(self.quarter, firm, key, params or {}, tone, family, lever))

    def modifier(self, kind: str) -> float:
        """Product of the active modifiers of one kind (1.0 if none)."""
        f = 1.0
        for m in self.modifiers:
            if m.kind == kind and m.until_quarter >= self.quarter:
                f *= m.factor
        return f
