"""The game engine: set up a cluster, take decisions, resolve quarters.

:class:`Game` is the one interface the window, the headless runner, the
tests and the computer players share (in the spirit of OpenSpiel's
``apply_action`` / ``clone`` / ``history``)::

    game = Game.new(loaded_level, seed=7, players=2)
    refusal = game.validate(action)     # pure
    game.apply(action)                  # only valid actions
    report = game.end_quarter()         # computer SMEs decide, the quarter resolves

Each quarter: briefing (events, open calls) -> decisions -> resolution
(awards, production, finance, learning, cooperation, solvency) -> report.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from game.core import (
    contracts,
    cooperation,
    detmath,
    events,
    facilitator,
    finance,
    learning,
    ledger,
    policies,
    rfq,
    safeio,
    scorecard,
    typology,
)
from game.core.actions import InvalidAction, Refusal, apply, try_apply, validate
from game.core.decisions.base import action_points
from game.core.detmath import ordered_sum
from game.core.facilitator import AnyAction, FacilitatorAction
from game.core.level_loader import LoadedLevel
from game.core.level_terms import CAPABILITIES
from game.core.rng import Streams, counter_key
from game.core.rules import Rules, compile_rules
from game.core.serialize import state_hash
from game.core.state import (
    KIND_COMPUTER,
    KIND_PLAYER,
    MANAGEMENT,
    STRATEGIES,
    ClusterMetrics,
    Explanation,
    Firms,
    GameState,
)
from game.core.strategies import Draws, play_all

if TYPE_CHECKING:
    from game.core.level import Level

COMPUTER_KEY = 104_729
"""Key of the computer SMEs' counter-based draws (with the seed and the quarter; see :meth:`Game.computer_decisions`)."""

ENGINE_VERSION = "2.4"
"""Bumped whenever the rules change results: replays record it, and one recorded with
another engine is refused (its hashes could not match). 2.1: the factor's 80% advance
and the supplier-development sponsor's orders (issue 7). 2.2: the model changes of the
session of 2026-12-07 (issue 7's remaining facts), bumped once before any of them landed.
2.3: the model changes of the second session of 2026-12-07 (issue 7's F7, F8 and F19),
bumped once before any of them landed (2.2 was recorded at the last stop). 2.4: the
computer firms decide as arrays over every firm (issue 10): proposals from the state at the
start of the decisions phase, counter-based draws instead of a generator per firm."""


@dataclass(frozen=True)
class PlayerFigures:
    """A player firm's figures at the end of a quarter (the report, and each
    ``state.history`` entry in its dict form)."""

    firm: str
    alive: bool
    cash: int
    debt: int
    receivables: int
    employees: int
    capacity: int
    capabilities: dict[str, float]
    certifications: list[str]
    tier: int
    best_tier: int
    contracts: int
    on_time: float
    ppm: float
    revenue: int
    profit: int

    def to_dict(self) -> dict[str, Any]:
        """``dataclasses.asdict``, written out: the fields are scalars, a dict and a list of scalars."""
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlayerFigures:
        """From a ``state.history`` entry's ``players`` item."""
        return cls(**{f.name: data[f.name] for f in fields(cls)})


@dataclass
class QuarterReport:
    """What happened in one quarter, for the report screen and the headless summary."""

    quarter: int
    explanations: list[Explanation]
    cluster: ClusterMetrics
    players: list[PlayerFigures] = field(default_factory=list)

    def for_firm(self, firm: int) -> list[Explanation]:
        return [e for e in self.explanations if e.firm in (firm, -1)]

    @property
    def life_cycle(self) -> str:
        """The cluster's life-cycle phase at the end of the quarter."""
        return typology.life_cycle(self.cluster.stage)


def _plain(obj: Any) -> dict[str, Any]:
    """``dataclasses.asdict`` of a flat dataclass whose fields are scalars, or dicts and lists of
    scalars (copied): the same dict, without asdict's recursive deep copy (a history entry a quarter)."""
    out: dict[str, Any] = {}
    for name in _field_names(type(obj)):
        value = getattr(obj, name)
        out[name] = dict(value) if type(value) is dict else list(value) if type(value) is list else value
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _draw(rng: np.random.Generator, r, size: int) -> np.ndarray:  # noqa: ANN001
    return rng.uniform(r.low, r.high, size) if r.high > r.low else np.full(size, float(r.low))


def _setup_firms(level: Level, rng: np.random.Generator, players: int, names: list[str] | None) -> Firms:
    smes = level.computer_smes
    n = players + smes.count
    firms = Firms.empty(n, len(level.certifications))
    pf = level.player_firm
    cert_ids = [c.id for c in level.certifications]
    for p in range(players):
        firms.ids[p] = f"p{p + 1}"
        firms.names[p] = names[p] if names and p < len(names) else (pf.name.es if players == 1 else f"{pf.name.es} {p + 1}")
        firms.kind[p] = KIND_PLAYER
        firms.employees[p] = pf.employees
        firms.cash[p] = pf.cash
        firms.debt[p] = pf.debt
        firms.debt_rate[p] = 0.14 if pf.debt else 0.0
        firms.fixed_assets[p] = pf.fixed_assets
        firms.capacity[p] = pf.capacity
        firms.cap[p] = [getattr(pf.capabilities, c) for c in CAPABILITIES]
        for c in pf.certifications:
            firms.cert_held[p, cert_ids.index(c)] = True
    m = smes.count
    if m:
        sl = slice(players, n)
        employees = np.round(_draw(rng, smes.employees, m)).astype(np.int64).clip(1, None)
        firms.employees[sl] = employees
        firms.cash[sl] = np.round(employees * _draw(rng, smes.cash_per_employee, m)).astype(np.int64)
        firms.capacity[sl] = np.round(employees * _draw(rng, smes.capacity_per_employee, m)).astype(np.int64).clip(1, None)
        firms.fixed_assets[sl] = firms.capacity[sl] * 80
        for k, cname in enumerate(CAPABILITIES):
            firms.cap[sl, k] = _draw(rng, getattr(smes.capabilities, cname), m).clip(0.0, 1.0)
        if "iso9001" in cert_ids:
            firms.cert_held[sl, cert_ids.index("iso9001")] = rng.random(m) < smes.iso9001_share
        by_name: dict[str, float] = {str(k): v for k, v in smes.strategies.items()}
        shares = np.array([by_name.get(s, 0.0) for s in STRATEGIES])
        shares = shares / detmath.fsum(shares)
        counts = np.floor(shares * m).astype(int)
        for k in np.argsort(-(shares * m - counts), kind="stable")[: m - counts.sum()]:
            counts[k] += 1
        order = rng.permutation(np.repeat(np.arange(len(STRATEGIES)), counts))
        firms.strategy[sl] = order
        firms.kind[sl] = KIND_COMPUTER
        for j in range(m):
            firms.ids[players + j] = f"sme{j + 1:03d}"
            firms.names[players + j] = f"PyME {j + 1:03d}"
    firms.start_cash[:] = firms.cash
    firms.start_employees[:] = firms.employees
    firms.cash_open[:] = firms.cash
    return firms


class Game:
    """A game in progress: the level's rules and the changing state."""

    def __init__(self, rules: Rules, state: GameState):
        self.rules = rules
        self.state = state

    # -- set-up --------------------------------------------------------------

    @classmethod
    def new(
        cls,
        loaded: LoadedLevel,
        seed: int | None = None,
        players: int = 1,
        names: list[str] | None = None,
        policies: dict[str, bool] | None = None,
        rules: Rules | None = None,
    ) -> Game:
        """Start a game of a level: ``players`` player firms first, then computer SMEs.

        ``policies`` switches catalyst policies on or off from the first
        quarter (batch experiments and the facilitator use it).
        """
        for k, name in enumerate(names or []):
            problem = safeio.text_problem(name, safeio.MAX_NAME)
            if problem is not None or not name.strip():
                raise ValueError(f"names[{k}]: {safeio.excerpt(name)} is not a usable team name ({problem or 'empty'})")
        level = loaded.level
        rules = rules or compile_rules(level, loaded.content_hash)
        seed = level.seed if seed is None else int(seed)
        rng = Streams(seed)
        firms = _setup_firms(level, rng.setup, players, names)
        policy_active = [p.active for p in level.policies]
        for pid, on in sorted((policies or {}).items()):
            if pid not in rules.policy_index:
                raise KeyError(pid)
            policy_active[rules.policy_index[pid]] = bool(on)
        sd_seats = [ordered_sum(e.seats for e in p.effects if e.kind == "supplier_development") for p in level.policies]
        state = GameState(
            level_id=level.id,
            level_hash=loaded.content_hash,
            seed=seed,
            quarter=1,
            turns=level.turns,
            firms=firms,
            rng=rng,
            lead_firm_active=[lf.arrives_quarter <= 1 for lf in level.lead_firms],
            follow_source_share=[lf.follow_source_share for lf in level.lead_firms],
            policy_active=policy_active,
            policy_spent=[0] * len(level.policies),
            programme_spent=[0] * len(level.programmes),
            events_fired=[False] * len(level.events),
            supplier_dev_seats=sd_seats,
            players=players,
            objective_met=[[0] * len(level.objective.conditions) for _ in range(players)],
        )
        game = cls(rules, state)
        game._begin_quarter()
        return game

    # -- the OpenSpiel-like surface -------------------------------------------

    def validate(self, action: AnyAction) -> Refusal | None:
        if isinstance(action, FacilitatorAction):
            return facilitator.validate(self.state, self.rules, action)
        return validate(self.state, self.rules, action)

    def apply(self, action: AnyAction) -> None:
        """Apply a player's or the facilitator's action; raises InvalidAction if refused."""
        if isinstance(action, FacilitatorAction):
            facilitator.apply(self.state, self.rules, action)
        else:
            apply(self.state, self.rules, action)

    def try_apply(self, action: AnyAction) -> Refusal | None:
        """Apply if valid; return the refusal otherwise (state untouched)."""
        if not isinstance(action, FacilitatorAction):
            return try_apply(self.state, self.rules, action)  # one check, not validate then apply's own
        refusal = self.validate(action)
        if refusal is None:
            self.apply(action)
        return refusal

    def clone(self) -> Game:
        return Game(self.rules, copy.deepcopy(self.state))

    def hash(self) -> str:
        return state_hash(self.state)

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def quarter(self) -> int:
        return self.state.quarter

    # -- quarter flow ---------------------------------------------------------

    def _begin_quarter(self) -> None:
        st, rules = self.state, self.rules
        f = st.firms
        st.explanations = []
        for k, lf in enumerate(rules.level.lead_firms):
            if lf.arrives_quarter == st.quarter:
                st.lead_firm_active[k] = True
                rfq.baseline_chain(st, rules, k)
        events.expire(st)
        for k in facilitator.begin_quarter(st, rules):
            events.fire(st, rules, k, injected=True)
        for k in events.due(st, rules):
            events.fire(st, rules, k)
        finance.follow_policy_rate(st, rules)
        st.recent_events = [e for e in st.recent_events if e.quarter >= st.quarter - 8]
        st.recent_events += [e for e in st.explanations if e.key == "event.fired"]
        rfq.issue(st, rules)
        f.action_points[:] = np.where(f.alive, action_points(rules, f.cap[:, MANAGEMENT]), 0)
        f.cash_open[:] = f.cash
        f.cash_in[:] = 0
        f.cash_out[:] = 0
        ledger.reset(st)

    def computer_decisions(self) -> None:
        """Let every computer SME decide this quarter with its own strategy.

        Every firm's proposals are worked out at once, as arrays over the firms
        (:func:`game.core.strategies.play_all`), then applied firm by firm in row
        order, each until its action points or cash run out. Each firm's draws are a pure function of the game's seed, the
        quarter, its row and the draw's slot (:func:`game.core.rng.uniforms`): one
        firm's choices never shift another's draws, so two games that differ in one
        player's decision stay comparable (common random numbers), and no firm's
        luck depends on how many draws the firms before it made.
        """
        st, rules = self.state, self.rules
        f = st.firms
        rows = np.flatnonzero((f.kind == KIND_COMPUTER) & f.alive)
        draws = Draws(counter_key(st.seed, COMPUTER_KEY, st.quarter), rows)
        play_all(st, rules, rows, f.strategy[rows], draws)

    def end_quarter(self) -> QuarterReport:
        """Computer SMEs decide, then the quarter resolves; returns its report."""
        if self.state.finished:
            raise InvalidAction(Refusal("refused.game_over"))
        self.computer_decisions()
        return self.resolve()

    def resolve(self) -> QuarterReport:
        st, rules = self.state, self.rules
        rfq.award(st, rules)
        prod = contracts.execute(st, rules)
        finance.settle(st, rules, prod)
        finance.certifications(st, rules)
        finance.innovation(st, rules)
        finance.programmes(st, rules)
        policies.supplier_development_round(st, rules)
        learning.learn(st, rules)
        learning.local_customers(st, rules)
        cooperation.update(st, rules, prod.fill)
        finance.solvency(st, rules)
        finance.capacity_arrivals(st, rules)
        ledger.close_quarter(st)
        st.metrics = typology.compute(st, rules)
        scorecard.check_objectives(st, rules)
        players = [self._player_figures(p) for p in range(st.players)]
        st.history.append(self._snapshot(players))
        report = QuarterReport(st.quarter, list(st.explanations), copy.copy(st.metrics), players)  # scalar fields: replace()'s copy
        st.quarter += 1
        if st.quarter > st.turns or not st.firms.alive[: st.players].any():
            st.finished = True
            st.explanations = []
            st.rfqs = []
        else:
            self._begin_quarter()
        return report

    def _player_figures(self, p: int) -> PlayerFigures:
        st = self.state
        f = st.firms
        return PlayerFigures(
            firm=f.ids[p],
            alive=bool(f.alive[p]),
            cash=int(f.cash[p]),
            debt=int(f.debt[p]),
            receivables=int(f.receivables[p].sum()),
            employees=int(f.employees[p]),
            capacity=int(f.capacity[p]),
            capabilities={c: round(v, 4) for c, v in zip(CAPABILITIES, f.cap[p].tolist(), strict=True)},
            certifications=[self.rules.level.certifications[k].id for k in f.cert_held[p].nonzero()[0].tolist()],
            tier=int(f.tier[p]),
            best_tier=int(f.best_tier[p]),
            contracts=ordered_sum(1 for c in st.contracts if p in c.members),
            on_time=round(float(f.on_time[p]), 4),
            ppm=round(float(f.ppm[p]), 1),
            revenue=int(f.revenue[p]),
            profit=int(f.profit[p]),
        )

    def _snapshot(self, players: list[PlayerFigures]) -> dict[str, Any]:
        """The history entry of the quarter (plain data: saved with the state)."""
        st = self.state
        cluster = _plain(st.metrics)
        cluster["life_cycle"] = typology.life_cycle(st.metrics.stage)
        return {"quarter": st.quarter, "players": [p.to_dict() for p in players], "cluster": cluster}

    # -- results ----------------------------------------------------------------

    def outcome(self, firm: int) -> dict[str, Any]:
        """A player's result: objective met, balanced scorecard, final figures."""
        st, rules = self.state, self.rules
        f = st.firms
        return {
            "firm": f.ids[firm],
            "name": f.names[firm],
            "alive": bool(f.alive[firm]),
            "bankrupt_quarter": int(f.bankrupt_quarter[firm]),
            "objective_met": scorecard.objective_met(st, rules, firm),
            "health": [e.to_dict() for e in scorecard.health(st, rules, firm)],
            "conditions_met_quarter": list(st.objective_met[firm]) if firm < st.players else [],
            "best_tier": int(f.best_tier[firm]),
            "cash": int(f.cash[firm]),
            "debt": int(f.debt[firm]),
            "employees": int(f.employees[firm]),
            "profit_total": int(f.profit_total[firm]),
            "scorecard": scorecard.balanced_scorecard(st, rules, firm),
        }
