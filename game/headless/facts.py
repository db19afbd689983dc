"""The model's evidence: issue 7's facts F1-F20, each an experiment defined in code.

A fact names the games it needs (:class:`Exp`: level, policy set, the
players' strategies, and for a few facts a change to the rules such as
every call's payment terms), a metric computed from those games, a target
band with its source, and a verdict. ``python main.py facts`` runs every
game once (games shared by several facts run once), over seeds 1..N, in a
process pool, and prints one row per fact: id, claim, source, band,
measured mean +- standard error (n), PASS/FAIL.

Honesty rules (issue 7 and the project brief):

- Bands are the issue's; a fact that needs a mechanism the model does not
  have yet FAILS with a note saying what is missing. Nothing here is
  hard-coded to pass.
- Where a fact needs a player action that does not exist yet (choosing to
  free-ride, applying to a programme's window), the experiment is written
  against the action's name and reports "not measurable" until the action
  exists in ``game.core.actions``.
- ``--quick`` runs few seeds for CI and checks each fact's *direction*
  (the sign of its comparison, or the band allowing two standard errors of
  noise); the full run (``--seeds 200``) checks the bands themselves.
"""

from __future__ import annotations

import functools
import hashlib
import math
import statistics
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.core.strategies import COACH, STRATEGY_NAMES

BAJIO = "bajio_automotive"
SCENARIOS: tuple[str, ...] = (
    "bajio_automotive",
    "border_maquiladora",
    "cross_clustering_emilia",
    "jalisco_electronics",
    "queretaro_aerospace",
)
TUTORIAL = "tutorial"
BUILT_IN: tuple[str, ...] = STRATEGY_NAMES
"""The strategies a player can be handed to, from the core (not restated here)."""
QUICK_SEEDS = 8
DEFAULT_SEEDS = 200

# Bajío's catalysts (levels/bajio_automotive.yaml).
PUBLIC = "apoyo_certificacion_iatf"
ENTREPRENEURIAL = "desarrollo_proveedores_hoshida"
FACTORING = "factoraje_cadenas"
BOTH = f"{PUBLIC}+{ENTREPRENEURIAL}"


# ---------------------------------------------------------------------------
# Reference data (shared/DOMAIN_DATA.md section 8)

MIN_WAGE_GENERAL = {2016: 73.04, 2017: 80.04, 2018: 88.36, 2019: 102.68, 2020: 123.22, 2021: 141.70, 2022: 172.87, 2023: 207.44, 2024: 248.93, 2025: 278.80}
"""Daily minimum wage, general zone, MXN (CONASAMI; 2016 from CONASAMI's table; DD section 8 from 2017)."""
MIN_WAGE_BORDER = {2019: 176.72, 2020: 185.56, 2021: 213.39, 2022: 260.34, 2023: 312.41, 2024: 374.89, 2025: 419.88}
"""Daily minimum wage in the northern border free zone (ZLFN) from 2019 (DD section 8)."""
BORDER_ZONE_LEVELS = frozenset({"border_maquiladora"})
"""Levels set in the ZLFN (Ciudad Juárez lies in the border free zone)."""
DAYS_PER_QUARTER = 91
EMPLOYER_COST_FACTOR = 1.30
"""The low end of DD section 8's 30-45% employer costs on top of the nominal wage."""

POLICY_RATE = {
    2016: (3.75, 4.25, 4.75, 5.75),
    2017: (6.50, 7.00, 7.00, 7.25),
    2018: (7.50, 7.75, 7.75, 8.25),
    2019: (8.25, 8.25, 7.75, 7.25),
    2020: (6.50, 5.00, 4.25, 4.25),
    2021: (4.00, 4.25, 4.75, 5.50),
    2022: (6.50, 7.75, 9.25, 10.50),
    2023: (11.25, 11.25, 11.25, 11.25),
    2024: (11.00, 11.00, 10.50, 10.00),
    2025: (9.00, 8.00, 7.50, 7.00),
}
"""Banco de México's target rate at the end of each calendar quarter, % (DD section 8 for 2016-2021 and
2023; Banxico's announcements for the 2022 hikes and the 2024-2025 cuts, see docs/calibration.md)."""
SPREAD_BAND = (4.0, 12.0)
"""SME bank rate minus the policy rate, percentage points (DD section 3: +4-8 medium, +7-12 small)."""
TRACKING_TOLERANCE = 1.5
"""How far (pp) a bank's rate change since the level's first quarter may drift from the policy rate's."""


def minimum_wage(level_id: str, year: int) -> float:
    """Legal daily minimum wage for a level's zone; beyond the data, the last known (wages are never cut)."""
    table = MIN_WAGE_BORDER if level_id in BORDER_ZONE_LEVELS and year >= 2019 else MIN_WAGE_GENERAL
    years = sorted(table)
    year = min(max(year, years[0]), years[-1])
    return table[year]


def policy_rate(year: int, quarter: int) -> float:
    years = sorted(POLICY_RATE)
    if year > years[-1]:
        return POLICY_RATE[years[-1]][-1]
    if year < years[0]:
        return POLICY_RATE[years[0]][0]
    return POLICY_RATE[year][quarter]


# ---------------------------------------------------------------------------
# Experiments


@dataclass(frozen=True, order=True)
class Exp:
    """One game configuration, played once per seed."""

    level: str
    policies: str = "default"
    players: tuple[str, ...] = ("cooperative",)
    terms: int = 0
    """0: the level's payment terms; otherwise every call's and lead firm's terms in days."""
    pin_stage: bool = False
    """Hold the typology stage at primordial all game (does anything read the stage?)."""


# -- scripted players (facts only; the built-in strategies live in game.core.strategies)


def _passive(state, rules, firm, rng):  # noqa: ANN001, ANN202
    """Pass every quarter: no bids, no investment, no links."""
    return []


def _loan_to_qualify(state, rules, firm, rng):  # noqa: ANN001, ANN202
    """Cautious, plus: borrow just enough to show the cash a call asks for, then bid on it."""
    from game.core.actions import PlaceBid, bid_requirements
    from game.core.strategies import _borrow, cautious

    out = []
    f = state.firms
    for r in state.rfqs:
        missing = bid_requirements(state, rules, firm, r.id, False)
        if missing and all(m.reason == "missing.solvency" for m in missing):
            need = int(r.min_cash) - int(f.cash[firm]) + 50_000
            loan = _borrow(state, rules, firm, need)
            if loan:
                out += [*loan, PlaceBid(f.ids[firm], r.id, int(r.target_price * 0.97), False)]
    return out + cautious(state, rules, firm, rng)


UNIVERSITY_FEE_QUARTERS = 4
"""The cautious player signs only an agreement whose set-up and this many quarters of fees it can pay
while keeping its reserve (a quarter's wages)."""


def _cautious_university(state, rules, firm, rng):  # noqa: ANN001, ANN202
    """Cautious, plus the strongest university or technology-centre agreement it can keep.

    What a player sees in the cooperation tab: each institution's set-up cost,
    quarterly fee and link strength (the strength scales everything the link
    brings). A cautious player picks the strongest link whose set-up and a
    year of fees leave it a quarter's wages in the bank, the cheaper on a tie,
    and signs as soon as it can afford one. (It used to sign the level's first
    institution in quarter 1 whatever its strength or its cash.)
    """
    from game.core.actions import SignUniversityAgreement
    from game.core.strategies import cautious

    f = state.firms
    out = []
    if f.university[firm] < 0:
        reserve = int(f.employees[firm]) * rules.economy.wage_per_quarter
        unis = [
            inst for inst in rules.level.institutions
            if inst.kind in ("university", "technology_centre")
            and int(f.cash[firm]) - inst.setup_cost - UNIVERSITY_FEE_QUARTERS * inst.fee_per_quarter >= reserve
        ]
        if unis:
            best = max(unis, key=lambda inst: (inst.strength, -inst.setup_cost - UNIVERSITY_FEE_QUARTERS * inst.fee_per_quarter))
            out.append(SignUniversityAgreement(f.ids[firm], best.id))
    return out + cautious(state, rules, firm, rng)


FREE_RIDE_ACTION = "FreeRide"
"""The player action F6 needs: a consortium member chooses to deliver less than its share."""


def free_ride_action() -> type | None:
    from game.core import actions

    return getattr(actions, FREE_RIDE_ACTION, None)


def _consortium_player(defect: bool):  # noqa: ANN202
    """Cooperative play in one consortium with the other seat; free-riding on it every quarter if ``defect``.

    The dilemma is between the two seats, so they must be partners: seat 1
    founds a consortium and invites seat 2, who joins it (the cooperative
    strategy alone could put them in different consortia, and then neither
    seat's choice would touch the other). The consortium stays the two
    seats': the founder invites no computer SME. With computer members in
    it, "mutual cooperation" was not mutual (a computer member free-rides
    when short of cash, issue 7's computer players), trust fell about 0.02 a
    quarter whatever the seats chose and the consortium broke up within the
    game, so the seats' 5-year profits measured their partners and the
    timing of a break-up rather than the seats' own choices (issue 7 F6:
    "two seats, cooperate or free-ride (an action a player chooses)").
    """

    def strategy(state, rules, firm, rng):  # noqa: ANN001, ANN202
        from game.core.actions import FoundConsortium, InviteToConsortium, JoinConsortium
        from game.core.strategies import cooperative

        f = state.firms
        out: list[Any] = []
        action = free_ride_action()
        if defect and action is not None and f.consortium[firm] >= 0:
            out.append(action(f.ids[firm]))
        if state.players >= 2 and firm in (0, 1):
            if firm == 0 and f.consortium[0] < 0:
                out += [FoundConsortium(f.ids[0], "Consorcio de los equipos"), InviteToConsortium(f.ids[0], f.ids[1])]
            elif firm == 0 and f.consortium[1] < 0:
                out.append(InviteToConsortium(f.ids[0], f.ids[1]))
            c0 = int(f.consortium[0])
            if firm == 1 and f.consortium[1] < 0 and c0 >= 0 and 1 in state.consortia[c0].invited:
                out.append(JoinConsortium(f.ids[1], c0))
            skip = (FoundConsortium, JoinConsortium, InviteToConsortium) if action is None else (FoundConsortium, JoinConsortium, InviteToConsortium, action)
            # The scripted choice is the only free-riding decision (the cooperative strategy's own rule is left out),
            # and the consortium is the two seats' own: no computer SME is invited, so the payoffs answer the
            # seats' choices, not the computer members' (who free-ride when short of cash) or a break-up's timing.
            out += [a for a in cooperative(state, rules, firm, rng) if not isinstance(a, skip)]
            return out
        return out + [a for a in cooperative(state, rules, firm, rng) if action is None or not isinstance(a, action)]

    return strategy


SCRIPTED: dict[str, Callable[..., list[Any]]] = {
    "passive": _passive,
    "loan_to_qualify": _loan_to_qualify,
    "cautious_university": _cautious_university,
    "cooperate": _consortium_player(False),
    "free_ride": _consortium_player(True),
}


# -- one game -------------------------------------------------------------

_CACHE: dict[tuple[str, int], Any] = {}


def _level(level_id: str, terms: int):  # noqa: ANN202
    """(loaded level, rules) for a level, with every payment term set to ``terms`` days if non-zero."""
    key = (level_id, terms)
    if key not in _CACHE:
        from game.core.level import Level
        from game.core.level_loader import LoadedLevel, load_level
        from game.core.rules import compile_rules

        loaded = load_level(level_id)
        if terms:
            data = loaded.level.model_dump()

            def walk(node: Any) -> None:
                if isinstance(node, dict):
                    for k in node:
                        if k == "payment_days" and node[k] is not None:
                            node[k] = terms
                        else:
                            walk(node[k])
                elif isinstance(node, list):
                    for v in node:
                        walk(v)

            walk(data)
            level = Level.model_validate(data)
            loaded = LoadedLevel(level=level, path=loaded.path, content_hash=f"{loaded.content_hash}-terms{terms}")
        _CACHE[key] = (loaded, compile_rules(loaded.level, loaded.content_hash))
    return _CACHE[key]


def _switches(loaded: Any, spec: str) -> dict[str, bool] | None:
    from game.headless.sweep import parse_policy_sets

    return parse_policy_sets([spec], loaded)[0].switches


def _digest(arrays: Iterable[np.ndarray]) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


def play_exp(exp: Exp, seed: int) -> dict[str, Any]:
    """Play one game of an experiment and return the figures the facts read."""
    from game.core import typology
    from game.core.actions import PlaceBid, bid_requirements
    from game.core.engine import Game
    from game.core.state import KIND_COMPUTER, QUALITY
    from game.core.strategies import play_quarter, strategy_function

    loaded, rules = _level(exp.level, exp.terms)
    original_stage = typology._stage
    if exp.pin_stage:
        typology._stage = lambda state, m, supplier_share: "primordial"  # type: ignore[assignment]
    try:
        game = Game.new(loaded, seed=seed, players=len(exp.players), policies=_switches(loaded, exp.policies), rules=rules)
        st = game.state
        f = st.firms
        n = len(f)
        years = max(1, (st.turns + 3) // 4)
        funcs = [SCRIPTED.get(s) or strategy_function(s) for s in exp.players]
        drivers = [np.random.default_rng([seed, 7919, p]) for p in range(len(exp.players))]
        start_quality = f.cap[:, QUALITY].copy()
        start_year = rules.level.start_year
        bank_rates = [(k, inst.annual_rate) for k, inst in enumerate(rules.level.institutions) if inst.kind == "bank"]
        wage_ratio_min = math.inf
        rate_spread: list[float] = []
        rate_tracking = 0.0
        first_policy = policy_rate(start_year, 0)
        warned: set[str] = set()
        early: list[list[int]] = []  # [tier, warned]
        recv_sum = rev_sum = 0
        ever_holder = np.zeros(n, dtype=bool)
        ever_sub = np.zeros(n, dtype=bool)
        rev_year = np.zeros((n, years), dtype=np.int64)
        rev_q = np.zeros((n, st.turns), dtype=np.int64)
        lead_value_year: dict[str, list[int]] = {lf.id: [0] * years for lf in rules.level.lead_firms}
        stages: list[str] = []
        borrowed_wins = 0
        borrowed_bids = 0
        wins = 0
        on_time_sum = 0.0
        on_time_n = 0

        def take(action: Any, p: int, bids: dict[str, bool]) -> bool:
            """Apply as the engine would, first noting whether a bid qualifies only thanks to a loan."""
            nonlocal borrowed_bids
            loan_made_it = False
            bid_rfq = action.rfq if isinstance(action, PlaceBid) else None
            if p == 0 and isinstance(action, PlaceBid):
                borrowed = int(f.debt[0]) - int(loaded.level.player_firm.debt)
                r = next((r for r in st.rfqs if r.id == action.rfq), None)
                if borrowed > 0 and r is not None and int(f.cash[0]) - borrowed < r.min_cash:
                    borrowed_bids += 1
                    # Would the bid qualify had the firm not borrowed this game? Ask the game's own rule.
                    f.cash[0] -= borrowed
                    f.debt[0] -= borrowed
                    without = bid_requirements(st, rules, 0, r.id, action.consortium)
                    f.cash[0] += borrowed
                    f.debt[0] += borrowed
                    loan_made_it = any(m.reason == "missing.solvency" for m in without)
            ok = game.try_apply(action) is None
            if ok and loan_made_it and bid_rfq is not None:
                bids[bid_rfq] = True
            return ok

        while not game.finished:
            q = st.quarter
            year = start_year + (q - 1) // 4
            wage = rules.economy.wage_per_quarter * st.modifier("wages")
            floor = minimum_wage(exp.level, year) * DAYS_PER_QUARTER * EMPLOYER_COST_FACTOR
            wage_ratio_min = min(wage_ratio_min, wage / floor)
            pol = policy_rate(year, (q - 1) % 4)
            for _, base in bank_rates:
                rate = 100.0 * (base + st.rate_shift)
                rate_spread.append(rate - pol)
                rate_tracking = max(rate_tracking, abs((rate - 100.0 * base) - (pol - first_policy)))
            bids: dict[str, bool] = {}

            for p, func in enumerate(funcs):
                if f.alive[p]:
                    play_quarter(st, rules, p, func, drivers[p], take=functools.partial(take, p=p, bids=bids))
            before = {c.id: (c, c.strikes) for c in st.contracts if c.active}
            rep = game.end_quarter()
            for e in rep.explanations:
                if e.key == "rfq.won" and e.firm == 0:
                    wins += 1
                if e.key == "rfq.won" and e.firm == 0 and e.params.get("rfq") in bids:
                    borrowed_wins += 1
            now = {c.id for c in st.contracts if c.active}
            for cid, (c, strikes) in before.items():
                # A prior warning: a strike (bad scorecard or failed audit) standing before this quarter,
                # or a notice the model gives (a contract id in ``warned``, from a future mechanism).
                if cid not in now and c.end_quarter > q and c.members:
                    early.append([c.tier, int(strikes > 0 or cid in warned)])
            for e in rep.explanations:
                if e.key == "contract.notice":
                    warned.add(str(e.params.get("contract")))
            holders = sorted({m for c in st.contracts for m in c.members})
            for c in st.contracts:
                if c.subcontractor >= 0:
                    ever_sub[c.subcontractor] = True
                lead_value_year.setdefault(c.lead_firm, [0] * years)[(q - 1) // 4] += int(c.volume * c.price)
            if holders:
                ever_holder[holders] = True
                recv_sum += int(f.receivables[holders].sum())
                rev_sum += int(f.revenue[holders].sum())
                on_time_sum += float(f.on_time[holders].mean())
                on_time_n += 1
            rev_year[:, (q - 1) // 4] += f.revenue
            rev_q[:, q - 1] = f.revenue
            stages.append(st.metrics.stage)
        comp = f.kind == KIND_COMPUTER
        m = st.metrics
        # What the cluster's last local value counted that was export orders: the metric minus the
        # same sum over the chain's own (non-export) contracts running in the last quarter.
        from game.core.rfq import EXPORT_ISSUER

        # At the quarter the metric was last computed: a game that ends early (every player
        # bankrupt) stops before st.turns, and counting from st.turns found no contract at all.
        last = int(st.history[-1]["quarter"]) if st.history else 0
        own_value = sum(c.volume * c.price for c in st.contracts if c.active and c.end_quarter >= last and c.issuer != EXPORT_ISSUER)
        export_value = max(int(m.local_value) - own_value, 0)
        players = []
        for p in range(len(exp.players)):
            out = game.outcome(p)
            players.append(
                {
                    "score": out["scorecard"]["total"],
                    "alive": int(out["alive"]),
                    "best_tier": out["best_tier"],
                    "profit": out["profit_total"],
                    "objective": int(out["objective_met"]),
                    "supplier_dev": int(f.supplier_dev[p] >= 0),
                    "start_quality": float(start_quality[p]),
                }
            )
        return {
            "seed": seed,
            "supply_share": float(((f.tier < 4) & f.alive & comp).sum() / max(comp.sum(), 1)),
            "tier2_share": float(((f.best_tier <= 2) & comp).sum() / max(comp.sum(), 1)),
            "tier1_new": int(((f.best_tier <= 1) & comp).sum()),
            "survival": float((f.alive & comp).sum() / max(comp.sum(), 1)),
            "stage": m.stage,
            "stages": stages,
            "local_share": float(m.local_share),
            "export_share_of_local": float(export_value / m.local_value) if m.local_value else 0.0,
            "mean_capability": float(f.cap[f.alive & comp].mean()) if (f.alive & comp).any() else 0.0,
            "hc_innovation": float(f.cap[f.alive & comp][:, [3, 4]].mean()) if (f.alive & comp).any() else 0.0,
            "net_worth": float(np.where(comp, f.cash - f.debt + f.receivables.sum(axis=1), 0).sum() / max(comp.sum(), 1)),
            "early": early,
            "recv_ratio": recv_sum / rev_sum if rev_sum else 0.0,
            "holders": int(ever_holder.sum()),
            "holder_bankrupt": int((ever_holder & ~f.alive).sum()),
            "consortium_large": sum(1 for a in st.awards if a[2] == 1 and a[3] > a[4]),
            "lone_large": sum(1 for a in st.awards if a[2] == 0 and a[3] > a[4]),
            "on_time": on_time_sum / on_time_n if on_time_n else 0.0,
            "wage_ratio_min": wage_ratio_min,
            "rate_spread_min": min(rate_spread) if rate_spread else 0.0,
            "rate_spread_max": max(rate_spread) if rate_spread else 0.0,
            "rate_tracking": rate_tracking,
            "borrowed_wins": borrowed_wins,
            "borrowed_bids": borrowed_bids,
            "wins": wins,
            "players": players,
            # per-firm columns (for paired comparisons of the same firms across runs)
            "rev_year": rev_year.tolist(),
            "employees": f.employees.tolist(),
            "alive": f.alive.astype(int).tolist(),
            "sd": (f.supplier_dev >= 0).astype(int).tolist(),
            "sd_since": f.sd_since.tolist(),
            "rev_q": rev_q.tolist(),
            "sub": ever_sub.astype(int).tolist(),
            "quality_gain": (f.cap[:, QUALITY] - start_quality).tolist(),
            "start_quality": start_quality.tolist(),
            "best_tier": f.best_tier.tolist(),
            "computer": comp.astype(int).tolist(),
            "lead_value_year": lead_value_year,
            "digest": _digest([f.cash, f.debt, f.cap, f.tier, f.employees]),
        }
    finally:
        typology._stage = original_stage


def _job(job: tuple[Exp, int]) -> tuple[Exp, int, dict[str, Any]]:
    exp, seed = job
    return exp, seed, play_exp(exp, seed)


# ---------------------------------------------------------------------------
# Statistics


def mean_se(values: list[float]) -> tuple[float, float, int]:
    n = len(values)
    if n == 0:
        return math.nan, math.nan, 0
    m = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(n) if n > 1 else math.nan
    return m, se, n


def _z(m: float, se: float) -> float:
    if se != se or se == 0:
        return math.inf if m > 0 else (-math.inf if m < 0 else 0.0)
    return m / se


# ---------------------------------------------------------------------------
# Facts


@dataclass
class Result:
    id: str
    measured: float
    se: float
    n: int
    low: float
    high: float
    passed: bool
    detail: str = ""
    measurable: bool = True

    def to_json(self) -> dict[str, Any]:
        def num(x: float) -> float | None:
            return None if x != x or x in (math.inf, -math.inf) else round(x, 6)

        return {
            "id": self.id,
            "measured": num(self.measured),
            "se": num(self.se),
            "n": self.n,
            "low": num(self.low),
            "high": num(self.high),
            "passed": self.passed,
            "measurable": self.measurable,
            "detail": self.detail,
        }


Runs = dict[Exp, list[dict[str, Any]]]


@dataclass
class Fact:
    id: str
    claim: dict[str, str]
    source: str
    band: str
    exps: Callable[[list[str]], list[Exp]]
    measure: Callable[[Runs, list[str], bool], Result]
    home: str | None = BAJIO
    """The level a single-level fact is defined on (None: every scenario)."""
    measure_note: dict[str, str] = field(default_factory=dict)
    quick_seeds: int = 0
    """A quick run plays this fact's games over at least this many seeds: a fact whose direction
    rests on a rare event (a cautious firm reaching tier 2), on the smallest of many paired gaps
    (F6: 15 gaps, the weakest about 0-1 SE at 8 seeds on engines 2.3 and 2.4 alike) or on the
    largest of several (F17: 5 scenarios' seat gaps, the largest 2.05 SE at 8 seeds on 2.4, 0.9 at
    24) needs more than QUICK_SEEDS to show it."""


def _in_band(m: float, se: float, low: float, high: float, quick: bool) -> bool:
    """Full run: the mean lies in the band. Quick run: within two standard errors of it."""
    if m != m:
        return False
    slack = 2.0 * se if quick and se == se else 0.0
    return low - slack <= m <= high + slack


def _vals(runs: Runs, exp: Exp, key: str) -> list[float]:
    return [float(r[key]) for r in runs[exp]]


def _player(runs: Runs, exp: Exp, key: str, p: int = 0) -> list[float]:
    return [float(r["players"][p][key]) for r in runs[exp]]


def _paired(a: list[float], b: list[float]) -> tuple[float, float, int]:
    """Differences seed by seed over the seeds both games were played on (runs are in seed
    order from 1; a quick run plays some games over more seeds: Fact.quick_seeds)."""
    n = min(len(a), len(b))
    return mean_se([x - y for x, y in zip(a[:n], b[:n], strict=True)])


def _fmt(x: float, pct: bool = False) -> str:
    if x != x:
        return "-"
    return f"{100 * x:.2f}%" if pct else f"{x:.3g}"


BASE = Exp(BAJIO, "none")


# F1 -----------------------------------------------------------------------
def _f1(runs: Runs, levels: list[str], quick: bool) -> Result:
    m, se, n = mean_se(_vals(runs, BASE, "supply_share"))
    return Result("F1", m, se, n, 0.03, 0.12, _in_band(m, se, 0.03, 0.12, quick), "share of computer SMEs holding a chain contract at year 5, no catalysts")


def _f2(runs: Runs, levels: list[str], quick: bool) -> Result:
    m, se, n = mean_se(_vals(runs, BASE, "tier2_share"))
    t1, t1se, _ = mean_se(_vals(runs, BASE, "tier1_new"))
    ok = _in_band(m, se, 0.005, 0.04, quick) and t1 == 0
    return Result("F2", m, se, n, 0.005, 0.04, ok, f"new local tier-1 suppliers per game {t1:.2f} (must be 0)")


# F3 -----------------------------------------------------------------------
def _f3_exps(levels: list[str]) -> list[Exp]:
    return [BASE, Exp(BAJIO, PUBLIC), Exp(BAJIO, ENTREPRENEURIAL), Exp(BAJIO, BOTH)]


def _f3(runs: Runs, levels: list[str], quick: bool) -> Result:
    base = _vals(runs, BASE, "tier2_share")
    pub = _vals(runs, Exp(BAJIO, PUBLIC), "tier2_share")
    ent = _vals(runs, Exp(BAJIO, ENTREPRENEURIAL), "tier2_share")
    both = _vals(runs, Exp(BAJIO, BOTH), "tier2_share")
    g_pub = _paired(pub, base)
    g_ent = _paired(ent, base)
    synergy = mean_se([b - p - e + 2 * z for b, p, e, z in zip(both, pub, ent, base, strict=True)])
    ratio = statistics.fmean(both) / statistics.fmean(base) if statistics.fmean(base) > 0 else math.inf
    need = 0.0 if quick else 3.0
    ok = _z(g_pub[0], g_pub[1]) > need and _z(g_ent[0], g_ent[1]) > need and synergy[0] > 0 and (quick or ratio >= 2.0)
    detail = (
        f"gain public {100 * g_pub[0]:+.2f} pp (z {_z(*g_pub[:2]):.1f}), entrepreneurial {100 * g_ent[0]:+.2f} pp (z {_z(*g_ent[:2]):.1f}), "
        f"together x{ratio:.2f} of baseline; measured = together minus the sum of the single gains (pp)"
    )
    return Result("F3", 100 * synergy[0], 100 * synergy[1], synergy[2], 0.0, math.inf, ok, detail)


# F4 -----------------------------------------------------------------------
def _f4(runs: Runs, levels: list[str], quick: bool) -> Result:
    on, off = runs[Exp(BAJIO, ENTREPRENEURIAL)], runs[BASE]
    eff: list[list[float]] = [[], [], []]
    emp: list[float] = []
    surv: list[float] = []
    lead: list[float] = []
    for a, b in zip(on, off, strict=True):
        # Participants: firms whose mentoring began within the game. A cohort chosen at the last window's
        # close starts after the last quarter: those firms never took part (their sales years were already
        # left out; their jobs and survival were counted).
        turns = len(a["rev_q"][0]) if a["rev_q"] else 0
        idx = [i for i, s in enumerate(a["sd"]) if s and 0 <= a["sd_since"][i] <= turns]
        if not idx:
            continue
        # Years since the firm's mentoring began (Arráiz et al. count years from participation),
        # each firm against itself in the same quarters of the game without the programme.
        for y in range(3):
            ra = rb = 0
            for i in idx:
                start = a["sd_since"][i] - 1 + 4 * y
                if start + 4 > len(a["rev_q"][i]):
                    continue
                ra += sum(a["rev_q"][i][start : start + 4])
                rb += sum(b["rev_q"][i][start : start + 4])
            if rb > 0:
                eff[y].append(ra / rb - 1.0)
        ea, eb = sum(a["employees"][i] for i in idx), sum(b["employees"][i] for i in idx)
        emp.append(ea / eb - 1.0 if eb else 0.0)
        surv.append(statistics.fmean(a["alive"][i] for i in idx) - statistics.fmean(b["alive"][i] for i in idx))
        la, lb = a["lead_value_year"].get("hoshida", [0, 0])[1:], b["lead_value_year"].get("hoshida", [0, 0])[1:]
        lead.append(sum(la) - sum(lb))
    y1, y3 = mean_se(eff[0]), mean_se(eff[2])
    e, s, lv = mean_se(emp), mean_se(surv), mean_se(lead)
    if quick:
        ok = y1[0] > 0 and y3[0] < y1[0]
    else:
        ok = 0.08 <= y1[0] <= 0.25 and y3[0] < y1[0] and e[0] > 0 and s[0] > 0 and lv[0] > 0
    detail = (
        f"participants' sales vs the same firms without the programme, by year since their mentoring began: year 1 {100 * y1[0]:+.1f}%, year 2 "
        f"{100 * mean_se(eff[1])[0]:+.1f}%, year 3 {100 * y3[0]:+.1f}%; employment {100 * e[0]:+.1f}%; survival {100 * s[0]:+.1f} pp; "
        f"lead firm's local sourcing from year 2 {lv[0] / 1e6:+.1f} M"
    )
    return Result("F4", y1[0], y1[1], y1[2], 0.08, 0.25, ok, detail)


# F5 -----------------------------------------------------------------------
def _f5(runs: Runs, levels: list[str], quick: bool) -> Result:
    rs = runs[Exp(BAJIO, ENTREPRENEURIAL)]
    player = [float(r["players"][0]["supplier_dev"]) for r in rs]
    comp: list[float] = []
    for r in rs:
        q0 = r["players"][0]["start_quality"]
        # comparable computer firms: within 0.1 of the player's quality at the start
        idx = [i for i, c in enumerate(r["computer"]) if c and abs(r["start_quality"][i] - q0) <= 0.1]
        comp.append(statistics.fmean(r["sd"][i] for i in idx) if idx else 0.0)
    d = _paired(player, comp)
    p, _, _ = mean_se(player)
    ok = d[0] >= (-2 * d[1] if quick else 0.0) and p > 0
    detail = f"seat rate: player who applies {100 * p:.0f}%, comparable computer firms {100 * statistics.fmean(comp):.0f}%; measured = player minus computer (seats awarded at each window's close by the published criteria)"
    return Result("F5", d[0], d[1], d[2], 0.0, math.inf, ok, detail)


# F6 -----------------------------------------------------------------------
def _f6_exps(levels: list[str]) -> list[Exp]:
    if free_ride_action() is None:
        return []
    return [Exp(lv, "default", (a, b)) for lv in levels for a in ("cooperate", "free_ride") for b in ("cooperate", "free_ride")]


def _f6(runs: Runs, levels: list[str], quick: bool) -> Result:
    if free_ride_action() is None:
        return Result("F6", math.nan, math.nan, 0, 0, 0, False, f"not measurable: no player action game.core.actions.{FREE_RIDE_ACTION} (choosing to free-ride)", measurable=False)
    held = 0
    worst = math.inf
    for lv in levels:
        def prof(a: str, b: str, lv: str = lv) -> list[float]:
            return _player(runs, Exp(lv, "default", (a, b)), "profit")

        t = prof("free_ride", "cooperate")
        r = prof("cooperate", "cooperate")
        d = prof("free_ride", "free_ride")
        s = [x for x in _player(runs, Exp(lv, "default", ("cooperate", "free_ride")), "profit")]
        gaps = [_paired(t, r), _paired(r, d), _paired(d, s)]
        zs = [_z(g[0], g[1]) for g in gaps]
        worst = min(worst, *zs)
        # Quick run: each gap's sign (a zero gap is no ordering); full run: each gap at least 2 SE.
        if all((z > 0) if quick else (z >= 2) for z in zs):
            held += 1
    return Result("F6", held, math.nan, len(levels), len(levels), len(levels), held == len(levels), f"scenarios where temptation > cooperation > defection > sucker (each gap >= 2 SE); worst gap z {worst:.1f}")


# F7 -----------------------------------------------------------------------
def _scen_exps(strategies: tuple[str, ...]) -> Callable[[list[str]], list[Exp]]:
    return lambda levels: [Exp(lv, "default", (s,)) for lv in levels for s in strategies]


def _f7(runs: Runs, levels: list[str], quick: bool) -> Result:
    good = 0
    lone = 0.0
    parts = []
    for lv in levels:
        m, se, _ = mean_se(_vals(runs, Exp(lv, "default", ("cooperative",)), "consortium_large"))
        lone += statistics.fmean(_vals(runs, Exp(lv, "default", ("cooperative",)), "lone_large"))
        parts.append(f"{lv.split('_')[0]} {m:.2f}")
        if m >= 1.0 or (quick and m > 0):
            good += 1
    need = min(4, len(levels))
    ok = good >= need and lone == 0
    return Result("F7", good, math.nan, len(levels), need, len(levels), ok, "consortium wins on calls larger than any member, per game: " + ", ".join(parts) + f"; lone wins larger than the firm {lone:.2f}")


# F8 -----------------------------------------------------------------------
def _f8(runs: Runs, levels: list[str], quick: bool) -> Result:
    surv: list[float] = []
    below = 0
    bankrupt_ok = 0
    parts = []
    for lv in levels:
        passive = _player(runs, Exp(lv, "default", ("passive",)), "score")
        surv += _player(runs, Exp(lv, "default", ("passive",)), "alive")
        pm = statistics.fmean(passive)
        active = {s: statistics.fmean(_player(runs, Exp(lv, "default", (s,)), "score")) for s in BUILT_IN}
        if all(pm < v for v in active.values()):
            below += 1
        scores = [(r["players"][0]["score"], r["players"][0]["alive"]) for s in (*BUILT_IN, "passive") for r in runs[Exp(lv, "default", (s,))]]
        dead = [sc for sc, al in scores if not al]
        live = [sc for sc, al in scores if al]
        if not dead or not live or max(dead) < min(live):
            bankrupt_ok += 1
        parts.append(f"{lv.split('_')[0]} passive {pm:.0f} vs min active {min(active.values()):.0f}")
    m, se, n = mean_se(surv)
    ok = below == len(levels) and bankrupt_ok == len(levels) and (m < 0.9 if not quick else m - 2 * (se if se == se else 0) < 0.9)
    detail = f"measured = a passing firm's 5-year survival; below every active strategy in {below}/{len(levels)} scenarios, bankrupt below every survivor in {bankrupt_ok}/{len(levels)}; " + "; ".join(parts)
    return Result("F8", m, se, n, 0.0, 0.9, ok, detail)


def _f8_exps(levels: list[str]) -> list[Exp]:
    return [Exp(lv, "default", (s,)) for lv in levels for s in (*BUILT_IN, "passive")]


# F9 -----------------------------------------------------------------------
def _f9(runs: Runs, levels: list[str], quick: bool) -> Result:
    m, se, n = mean_se(_vals(runs, BASE, "survival"))
    return Result("F9", m, se, n, 0.75, 0.95, _in_band(m, se, 0.75, 0.95, quick), "share of computer SMEs alive after 5 years, no catalysts")


# F10 ----------------------------------------------------------------------
def _f10(runs: Runs, levels: list[str], quick: bool) -> Result:
    per_game = [sum(1 for t, w in r["early"] if t == 3 and not w) for r in runs[BASE]]
    t3 = [e for r in runs[BASE] for e in r["early"] if e[0] == 3]
    t2 = [e for r in runs[BASE] for e in r["early"] if e[0] <= 2]
    share = sum(1 for _, w in t3 if not w) / len(t3) if t3 else 0.0
    t2_warned = all(w for _, w in t2)
    m, se, n = mean_se([float(x) for x in per_game])
    ok = (m > 0 if quick else m >= 0.5) and share >= 1 / 3 and t2_warned
    detail = f"tier-3 endings before term: {len(t3)} ({100 * share:.0f}% without a prior warning); tier-2 endings {len(t2)}, all after warnings: {t2_warned}"
    return Result("F10", m, se, n, 0.5, math.inf, ok, detail)


# F11 ----------------------------------------------------------------------
INFRA_LEVELS = {"jalisco_electronics": "parque_tecnologico"}


def _f11_exps(levels: list[str]) -> list[Exp]:
    out = [Exp(BAJIO, "none", ("cautious",)), Exp(BAJIO, "none", ("cautious_university",))]
    for lv, pid in INFRA_LEVELS.items():
        out += [Exp(lv, "none"), Exp(lv, pid)]
    return out


def _innovation_reads_rivals() -> bool:
    """Do a firm's innovation odds rise with local competitors in its part family? Asked of the rule itself
    on a Bajío game: the same firm alone in its family, then with four rivals specialised in it."""
    from game.core import finance
    from game.core.engine import Game

    loaded, rules = _level(BAJIO, 0)
    st = Game.new(loaded, seed=1, players=1, policies=_switches(loaded, "none"), rules=rules).state
    f = st.firms
    f.specialty[:] = -1
    f.specialty[0] = 0
    alone = finance.innovation_chance(st, rules, 0)
    f.specialty[1:5] = 0
    return finance.local_competitors(st, 0) == 4 and finance.innovation_chance(st, rules, 0) > alone


def _f11(runs: Runs, levels: list[str], quick: bool) -> Result:

    base = _player(runs, Exp(BAJIO, "none", ("cautious",)), "best_tier")
    uni = _player(runs, Exp(BAJIO, "none", ("cautious_university",)), "best_tier")
    rb = statistics.fmean(1.0 if t <= 2 else 0.0 for t in base)
    ru = statistics.fmean(1.0 if t <= 2 else 0.0 for t in uni)
    rel = (ru / rb - 1.0) if rb > 0 else (math.inf if ru > 0 else 0.0)
    infra = []
    for lv, pid in INFRA_LEVELS.items():
        infra.append(_paired(_vals(runs, Exp(lv, pid), "on_time"), _vals(runs, Exp(lv, "none"), "on_time")))
    infra_ok = all(_z(g[0], g[1]) > (0 if quick else 2) for g in infra)
    competition = _innovation_reads_rivals()
    # Quick run: the gain's sign; no gain (the same reach with and without) is not a direction.
    ok = (rel > 0.0 if quick else rel >= 0.30) and infra_ok and competition
    detail = (
        f"tier-2 reach with a university agreement {100 * ru:.0f}% vs {100 * rb:.0f}% without (measured = relative gain); "
        f"infrastructure policy moves on-time delivery by {', '.join(f'{100 * g[0]:+.2f} pp' for g in infra)}; "
        f"innovation odds read local competitors: {competition}"
    )
    return Result("F11", rel, math.nan, len(base), 0.30, math.inf, ok, detail)


# F12 ----------------------------------------------------------------------
CHANNEL_METRIC = {"macro": "net_worth", "micro": "supply_share", "meta": "hc_innovation"}
"""Each policy level's own indicator: finance and rules (computer SMEs' net worth), division of labour along
the chain (share supplying it), collective innovation and training (human capital and innovation)."""


def _policies_by_level(level_id: str) -> list[tuple[str, str]]:
    loaded, _ = _level(level_id, 0)
    return [(p.id, p.level.value if hasattr(p.level, "value") else str(p.level)) for p in loaded.level.policies]


def _f12_exps(levels: list[str]) -> list[Exp]:
    out = []
    for lv in levels:
        out.append(Exp(lv, "none"))
        out += [Exp(lv, pid) for pid, _ in _policies_by_level(lv)]
    return out


def _f12(runs: Runs, levels: list[str], quick: bool) -> Result:
    best: dict[str, tuple[float, str]] = {}
    for lv in levels:
        for pid, chan in _policies_by_level(lv):
            key = CHANNEL_METRIC.get(chan)
            if key is None:
                continue
            g = _paired(_vals(runs, Exp(lv, pid), key), _vals(runs, Exp(lv, "none"), key))
            z = _z(g[0], g[1])
            if chan not in best or z > best[chan][0]:
                best[chan] = (z, f"{pid}")
    need = 0.0 if quick else 2.0
    measured = sum(1 for c in CHANNEL_METRIC if c in best and best[c][0] > need)
    detail = "; ".join(f"{c} ({CHANNEL_METRIC[c]}): best {best[c][1]} z {best[c][0]:.1f}" if c in best else f"{c}: no policy" for c in CHANNEL_METRIC)
    return Result("F12", measured, math.nan, len(levels), 3, 3, measured == 3, detail)


# F13 ----------------------------------------------------------------------
def _f13(runs: Runs, levels: list[str], quick: bool) -> Result:
    gain_sub: list[float] = []
    gain_other: list[float] = []
    t3_sub: list[float] = []
    t3_other: list[float] = []
    for r in runs[BASE]:
        for i, c in enumerate(r["computer"]):
            if not c:
                continue
            (gain_sub if r["sub"][i] else gain_other).append(r["quality_gain"][i])
            (t3_sub if r["sub"][i] else t3_other).append(1.0 if r["best_tier"][i] <= 3 else 0.0)
    if not gain_sub:
        return Result("F13", math.nan, math.nan, 0, 0, math.inf, False, "no firm took subcontract work")
    gs, go = mean_se(gain_sub), mean_se(gain_other)
    d = gs[0] - go[0]
    se = math.hypot(gs[1] if gs[1] == gs[1] else 0.0, go[1])
    t3 = statistics.fmean(t3_sub) - statistics.fmean(t3_other)
    ok = _z(d, se) > (0 if quick else 2) and t3 > 0
    detail = f"quality gained over the game: subcontractors {gs[0]:.3f} (n {gs[2]}) vs others {go[0]:.3f}; tier-3 entry {100 * statistics.fmean(t3_sub):.0f}% vs {100 * statistics.fmean(t3_other):.0f}% (learning by specialising: faster learning and a bid edge in the specialty part family)"
    return Result("F13", d, se, gs[2], 0.0, math.inf, ok, detail)


# F14 ----------------------------------------------------------------------
STAGE_INDEX = {"primordial": 0, "evolutivo": 1, "consolidado": 2, "reposicionado": 3}


def _f14_exps(levels: list[str]) -> list[Exp]:
    return [BASE, Exp(BAJIO, BOTH), Exp(BAJIO, "none", ("cooperative",), pin_stage=True)]


def _f14(runs: Runs, levels: list[str], quick: bool) -> Result:
    low = [1.0 if r["stage"] in ("primordial", "evolutivo") else 0.0 for r in runs[BASE]]
    jumps = sum(1 for r in runs[BASE] for a, b in zip(r["stages"], r["stages"][1:], strict=False) if b == "reposicionado" and a == "primordial")

    def idx(r: dict[str, Any]) -> float:
        return float(min(STAGE_INDEX[r["stage"]], 2))

    shift = _paired([idx(r) for r in runs[Exp(BAJIO, BOTH)]], [idx(r) for r in runs[BASE]])
    pinned = runs[Exp(BAJIO, "none", ("cooperative",), pin_stage=True)]
    feedback = statistics.fmean(1.0 if a["digest"] != b["digest"] else 0.0 for a, b in zip(pinned, runs[BASE], strict=True))
    m, se, n = mean_se(low)
    ok = _in_band(m, se, 0.8, 1.0, quick) and jumps == 0 and _z(shift[0], shift[1]) > (0 if quick else 2) and feedback > 0
    detail = (
        f"measured = games at primordial/evolutivo in year 5; jumps primordial->reposicionado {jumps}; catalysts shift the stage "
        f"{shift[0]:+.2f} (z {_z(shift[0], shift[1]):.1f}); games whose firms change when the stage is held fixed {100 * feedback:.0f}%"
    )
    return Result("F14", m, se, n, 0.8, 1.0, ok, detail)


# F15 ----------------------------------------------------------------------
def _f15_exps(levels: list[str]) -> list[Exp]:
    return [Exp(BAJIO, "none", terms=60), Exp(BAJIO, "none", terms=120), BASE, Exp(BAJIO, FACTORING)]


def _f15(runs: Runs, levels: list[str], quick: bool) -> Result:
    r60 = _vals(runs, Exp(BAJIO, "none", terms=60), "recv_ratio")
    r120 = _vals(runs, Exp(BAJIO, "none", terms=120), "recv_ratio")
    wc = _paired(r120, r60)

    def bk(exp: Exp) -> list[float]:
        return [r["holder_bankrupt"] / r["holders"] if r["holders"] else 0.0 for r in runs[exp]]

    fb = _paired(bk(BASE), bk(Exp(BAJIO, FACTORING)))
    b120 = _paired(bk(Exp(BAJIO, "none", terms=120)), bk(Exp(BAJIO, "none", terms=60)))
    m, se, n = mean_se(r60)
    need = 0 if quick else 2
    ok = _in_band(m, se, 1 / 3, 1.0, quick) and _z(wc[0], wc[1]) > need and _z(fb[0], fb[1]) > need
    detail = (
        f"measured = contract holders' receivables at quarter end per peso of the quarter's sales, 60-day terms "
        f"(at least 1/3: even 30-day local sales leave a third unpaid; 60-day chain sales two thirds); "
        f"120-day terms {statistics.fmean(r120):.2f} (z vs 60 {_z(wc[0], wc[1]):.1f}); "
        f"contract holders bankrupt at 120 vs 60 days {100 * b120[0]:+.1f} pp (z {_z(b120[0], b120[1]):.1f}); "
        f"reverse factoring cuts contract holders' bankruptcies by {100 * fb[0]:.1f} pp (z {_z(fb[0], fb[1]):.1f})"
    )
    return Result("F15", m, se, n, 1 / 3, 1.0, ok, detail)


# F16 ----------------------------------------------------------------------
def _f16_exps(levels: list[str]) -> list[Exp]:
    return [Exp(BAJIO, "none", ("cautious",)), Exp(BAJIO, "none", ("loan_to_qualify",))]


def _f16(runs: Runs, levels: list[str], quick: bool) -> Result:
    loan, base = Exp(BAJIO, "none", ("loan_to_qualify",)), Exp(BAJIO, "none", ("cautious",))
    gain = _paired(_vals(runs, loan, "wins"), _vals(runs, base, "wins"))
    tries = sum(_vals(runs, loan, "borrowed_bids"))
    m, se, n = mean_se(_vals(runs, loan, "borrowed_wins"))
    ok = m == 0 and tries > 0
    detail = (
        f"measured = calls won per game that the game's own eligibility rule would have refused without this game's loans; "
        f"bids placed on borrowed cash {tries:.0f} (the test needs some); calls won vs the same player without those loans "
        f"{gain[0]:+.2f} a game (z {_z(gain[0], gain[1]):.1f})"
    )
    return Result("F16", m, se, n, 0.0, 0.0, ok, detail)


# F17 ----------------------------------------------------------------------
def _f17_exps(levels: list[str]) -> list[Exp]:
    return [Exp(lv, "default", ("ambitious", "ambitious")) for lv in levels]


def _f17(runs: Runs, levels: list[str], quick: bool) -> Result:
    worst = 0.0
    parts = []
    for lv in levels:
        e = Exp(lv, "default", ("ambitious", "ambitious"))
        a = [1.0 if t <= 2 else 0.0 for t in _player(runs, e, "best_tier", 0)]
        b = [1.0 if t <= 2 else 0.0 for t in _player(runs, e, "best_tier", 1)]
        d = _paired(a, b)
        z = abs(_z(d[0], d[1])) if d[0] != 0 else 0.0
        worst = max(worst, z)
        parts.append(f"{lv.split('_')[0]} {100 * statistics.fmean(a):.0f}% vs {100 * statistics.fmean(b):.0f}%")
    return Result("F17", worst, math.nan, len(levels), 0.0, 2.0, worst <= 2.0, "measured = largest |seat 1 - seat 2| in SE; tier-2 reach " + ", ".join(parts))


# F18 ----------------------------------------------------------------------
CROSS = "cross_clustering_emilia"
PARTNERSHIP = "alianza_cross_clustering"


def _f18_exps(levels: list[str]) -> list[Exp]:
    return [Exp(CROSS, "none"), Exp(CROSS, PARTNERSHIP)]


def _f18(runs: Runs, levels: list[str], quick: bool) -> Result:
    exp_share = _vals(runs, Exp(CROSS, PARTNERSHIP), "export_share_of_local")
    gap = _paired(_vals(runs, Exp(CROSS, PARTNERSHIP), "mean_capability"), _vals(runs, Exp(CROSS, "none"), "mean_capability"))
    m, se, n = mean_se(exp_share)
    ok = m == 0 and _z(gap[0], gap[1]) > (0 if quick else 2)
    detail = f"measured = share of 'local' chain value that is export orders (must be 0); partnership raises local capability by {gap[0]:+.4f} (z {_z(gap[0], gap[1]):.1f})"
    return Result("F18", m, se, n, 0.0, 0.0, ok, detail)


# F19 ----------------------------------------------------------------------
TUTORIAL_PLAYER = COACH
"""F19's coached player in the tutorial: one who does what the tutorial's coach advises
(``strategies.coach``, the advice of ``advisor.advise`` the window's coach shows)."""


def _f19_exps(levels: list[str]) -> list[Exp]:
    return [Exp(lv, "default", (s,)) for lv in levels for s in BUILT_IN] + [Exp(TUTORIAL, "default", (TUTORIAL_PLAYER,))]


def _f19(runs: Runs, levels: list[str], quick: bool) -> Result:
    good = 0
    best_count: dict[str, int] = {}
    parts = []
    for lv in levels:
        rates = {s: statistics.fmean(_player(runs, Exp(lv, "default", (s,)), "objective")) for s in BUILT_IN}
        if sum(1 for v in rates.values() if 0.2 <= v <= 0.6) >= 2:
            good += 1
        top = max(rates, key=lambda s: (rates[s], s))
        best_count[top] = best_count.get(top, 0) + 1
        parts.append(f"{lv.split('_')[0]} " + "/".join(f"{100 * rates[s]:.0f}" for s in BUILT_IN))
    tut = statistics.fmean(_player(runs, Exp(TUTORIAL, "default", (TUTORIAL_PLAYER,)), "objective"))
    dominant = max(best_count.values()) if best_count else 0
    ok = good == len(levels) and dominant <= len(levels) // 2 and tut >= 0.8
    detail = f"scenarios winnable by >= 2 strategies at 20-60%; objective % cautious/growth/cooperative/ambitious: {'; '.join(parts)}; most levels won best by one strategy {dominant}; tutorial (coached: the coach's advice) {100 * tut:.0f}%"
    return Result("F19", good, math.nan, len(levels), len(levels), len(levels), ok, detail)


# F20 ----------------------------------------------------------------------
def _f20_exps(levels: list[str]) -> list[Exp]:
    return [Exp(lv, "default", ("cautious",)) for lv in dict.fromkeys((*levels, TUTORIAL))]


def _f20(runs: Runs, levels: list[str], quick: bool) -> Result:
    bad = 0
    parts = []
    for lv in dict.fromkeys((*levels, TUTORIAL)):
        rs = runs[Exp(lv, "default", ("cautious",))]
        w = min(r["wage_ratio_min"] for r in rs)
        lo = min(r["rate_spread_min"] for r in rs)
        hi = max(r["rate_spread_max"] for r in rs)
        tr = max(r["rate_tracking"] for r in rs)
        fails = []
        if w < 1.0:
            fails.append(f"wage {100 * w:.0f}% of the floor")
        if lo < SPREAD_BAND[0] or hi > SPREAD_BAND[1]:
            fails.append(f"spread {lo:.1f}-{hi:.1f} pp")
        if tr > TRACKING_TOLERANCE:
            fails.append(f"drifts {tr:.1f} pp from Banxico's path")
        bad += bool(fails)
        parts.append(f"{lv.split('_')[0]}: " + (", ".join(fails) if fails else "ok"))
    return Result("F20", bad, math.nan, len(levels) + 1, 0, 0, bad == 0, "measured = levels off the legal wage floor or Banxico's path; " + "; ".join(parts))


def _single(exps: list[Exp]) -> Callable[[list[str]], list[Exp]]:
    return lambda levels: list(exps)


FACTS: list[Fact] = [
    Fact("F1", {"es": "Línea base: PyMEs locales que abastecen la cadena (cualquier nivel) al año 5", "en": "Baseline: local SMEs supplying the chain (any tier) at year 5"},
         "ENAPROCE 2015/2018 (DD §1): 2.2-5.6%, 4.6%", "3-12%", _single([BASE]), _f1),
    Fact("F2", {"es": "Línea base: participación en nivel 2; ningún nuevo nivel 1 local", "en": "Baseline tier-2 share; no new local tier 1"},
         "INA, 'el nivel 1 está completo' (DD §6)", "0.5-4%", _single([BASE]), _f2),
    Fact("F3", {"es": "Catalizador público y empresarial: cada uno sube el nivel 2; juntos, más que la suma", "en": "Public and entrepreneurial catalysts each raise tier 2; together more than the sum"},
         "Cross-Clustering seed", "each gain >= 3 SE; together >= 2x and synergy > 0", _f3_exps, _f3),
    Fact("F4", {"es": "Desarrollo de proveedores: efecto temprano que se desvanece", "en": "Supplier development: an early effect that fades"},
         "Arráiz, Henríquez & Stucchi 2013 (DD §5)", "year 1 +8..+25%, year 3 < year 1, jobs, survival, lead firm up", _single([BASE, Exp(BAJIO, ENTREPRENEURIAL)]), _f4),
    Fact("F5", {"es": "Los lugares del programa se asignan por criterios tras una convocatoria", "en": "Programme seats go by criteria after an application window"},
         "issue 7", "player >= computer firm", _single([Exp(BAJIO, ENTREPRENEURIAL)]), _f5),
    Fact("F6", {"es": "Cooperar es un dilema: tentación > cooperación > defección > ingenuo", "en": "Cooperation is a dilemma: temptation > cooperation > defection > sucker"},
         "DD §5; design brief", "ordering holds, gaps >= 2 SE", _f6_exps, _f6, home=None, quick_seeds=24),
    Fact("F7", {"es": "Los consorcios ganan pedidos mayores que cualquier socio; las firmas solas nunca", "en": "Consortia win calls larger than any member; lone firms never"},
         "DD §5; seed paper", ">= 1 per game in >= 4 of 5 scenarios", _scen_exps(("cooperative",)), _f7, home=None),
    Fact("F8", {"es": "No hacer nada no es seguro", "en": "Doing nothing is not safe"},
         "seed paper: fuera de la economía del conocimiento", "passive below every strategy; survival < 90%", _f8_exps, _f8, home=None),
    Fact("F9", {"es": "Supervivencia a 5 años de las PyMEs", "en": "SMEs' 5-year survival"},
         "INEGI EDN 2020 (DD §8) [E]", "75-95%", _single([BASE]), _f9),
    Fact("F10", {"es": "Nivel 3: contratos perdidos sin aviso", "en": "Tier 3: contracts dropped without notice"},
         "seed paper", ">= 0.5 a game; >= 1/3 unwarned", _single([BASE]), _f10),
    Fact("F11", {"es": "Las barreras mixtas son mecanismos (competencia, universidad, infraestructura)", "en": "Mixed barriers are mechanisms (competition, university, infrastructure)"},
         "seed paper", "university +30% tier-2 reach; each measured", _f11_exps, _f11, quick_seeds=40),
    Fact("F12", {"es": "Políticas macro, micro y meta actúan por canales distintos", "en": "Macro, micro and meta policies act through different channels"},
         "Cross-Clustering seed", "each channel measured (gain >= 2 SE)", _f12_exps, _f12, home=None),
    Fact("F13", {"es": "Subcontratar enseña: aprendizaje por especialización", "en": "Subcontracting teaches: learning by specialising"},
         "seed paper", "measured (gain >= 2 SE)", _single([BASE]), _f13),
    Fact("F14", {"es": "Tipología: etapa sensata y que tiene consecuencias", "en": "Typology: a sensible stage that has consequences"},
         "Cross-Clustering seed (DD §6)", ">= 80% primordial/evolutivo; shift up; feeds back", _f14_exps, _f14),
    Fact("F15", {"es": "Los plazos de pago aprietan el capital de trabajo", "en": "Payment terms squeeze working capital"},
         "DD §2-3", "60-day receivables 1/3-1 of a quarter's sales; 120 > 60; factoring cuts holders' bankruptcies (>= 2 SE)", _f15_exps, _f15),
    Fact("F16", {"es": "La solvencia se juzga en posición neta: pedir prestado para mostrar efectivo no sirve", "en": "Solvency is judged net: borrowing to show cash does not qualify"},
         "issue 7", "0 calls won thanks to loans", _f16_exps, _f16),
    Fact("F17", {"es": "Equidad: asiento 1 y 2 con la misma estrategia", "en": "Fairness: seat 1 and seat 2 with the same strategy"},
         "issue 7", "within 2 SE in every scenario", _f17_exps, _f17, home=None, quick_seeds=24),
    Fact("F18", {"es": "Cross-clustering: exportaciones no son contenido local; la alianza cierra la brecha", "en": "Cross-clustering: exports are not local share; the partnership closes the gap"},
         "Cross-Clustering seed", "export share of local value 0; capability up", _f18_exps, _f18, home=CROSS),
    Fact("F19", {"es": "Balance: cada escenario ganable por dos estrategias", "en": "Balance: every scenario winnable by two strategies"},
         "issue 7", "2 strategies at 20-60%; none best on > half; tutorial >= 80%", _f19_exps, _f19, home=None, quick_seeds=24),
    Fact("F20", {"es": "Salarios sobre el mínimo legal y tasas que siguen a Banxico", "en": "Wages above the legal minimum; rates follow Banxico"},
         "CONASAMI, Banco de México (DD §8)", "0 levels off", _f20_exps, _f20, home=None),
]


# ---------------------------------------------------------------------------
# Running


def select(level: str | None) -> tuple[list[Fact], list[str]]:
    """The facts to run and the scenarios multi-level facts use, given an optional --level."""
    if level is None:
        return list(FACTS), list(SCENARIOS)
    return [f for f in FACTS if f.home is None or f.home == level], [level]


def run_facts(
    facts: list[Fact],
    levels: list[str],
    seeds: int,
    workers: int = 1,
    quick: bool = False,
    progress: bool = True,
) -> list[Result]:
    """Play every game the facts need (each once), then measure each fact."""
    exps: list[Exp] = []
    per_exp: dict[Exp, int] = {}
    for fact in facts:
        for e in fact.exps(levels):
            if e not in exps:
                exps.append(e)
            # A quick run gives a fact that needs them more seeds (shared games get them too).
            per_exp[e] = max(per_exp.get(e, seeds), fact.quick_seeds if quick else 0)
    jobs = [(e, s) for e in exps for s in range(1, per_exp[e] + 1)]
    results: dict[tuple[Exp, int], dict[str, Any]] = {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), unit="game", file=sys.stderr, desc="facts")
    if workers <= 1:
        for job in jobs:
            e, s, out = _job(job)
            results[(e, s)] = out
            if bar:
                bar.update()
    else:
        with ProcessPoolExecutor(max_workers=min(workers, 2)) as pool:
            for e, s, out in pool.map(_job, jobs, chunksize=max(1, len(jobs) // (workers * 16))):
                results[(e, s)] = out
                if bar:
                    bar.update()
    if bar:
        bar.close()
    runs: Runs = {e: [results[(e, s)] for s in range(1, per_exp[e] + 1)] for e in exps}
    measured: list[Result] = []
    for fact in facts:
        fact_levels = levels if fact.home is None else [fact.home]
        try:
            measured.append(fact.measure(runs, fact_levels, quick))
        except KeyError as exc:  # a game the fact needs was not run (level filter)
            measured.append(Result(fact.id, math.nan, math.nan, 0, math.nan, math.nan, False, f"not run: {exc}", measurable=False))
    return measured


def _num(x: float, digits: int = 4) -> str:
    if x != x:
        return "-"
    if x in (math.inf, -math.inf):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{digits}g}"


def format_rows(facts: list[Fact], results: list[Result], lang: str) -> list[list[str]]:
    rows = []
    for fact, r in zip(facts, results, strict=True):
        measured = "n/a" if not r.measurable else f"{_num(r.measured)} ± {_num(r.se, 2)} (n={r.n})"
        rows.append([fact.id, fact.claim[lang], fact.source, fact.band, measured, "PASS" if r.passed else "FAIL"])
    return rows


def format_table(facts: list[Fact], results: list[Result], lang: str) -> str:
    head = ["id", "claim" if lang == "en" else "hecho", "source" if lang == "en" else "fuente", "band" if lang == "en" else "banda", "measured" if lang == "en" else "medido", ""]
    rows = [head, *format_rows(facts, results, lang)]
    widths = [min(60, max(len(r[k]) for r in rows)) for k in range(len(head))]
    lines = []
    for row in rows:
        lines.append(" | ".join(c[: widths[k]].ljust(widths[k]) for k, c in enumerate(row)))
    for fact, r in zip(facts, results, strict=True):
        if r.detail:
            lines.append(f"  {fact.id}: {r.detail}")
    passed = sum(r.passed for r in results)
    lines.append(f"{passed} of {len(results)} facts pass")
    return "\n".join(lines)


def to_json(results: list[Result], seeds: int, quick: bool) -> dict[str, Any]:
    return {"seeds": seeds, "quick": quick, "facts": [r.to_json() for r in results]}


def write_markdown(path: str, facts: list[Fact], results: list[Result], command: str, seeds: int, quick: bool, date: str, note: str = "") -> None:
    from pathlib import Path

    lines = [
        "# Validation: the model's evidence",
        "",
        f"Generated on {date} by `{command}` ({seeds} seeds per experiment{', quick: directions only' if quick else ''}).",
        "Each fact of issue 7 is an experiment defined in `game/headless/facts.py`; bands cite",
        "`shared/DOMAIN_DATA.md`, the seeds or `docs/calibration.md`. ± is the standard error over seeds.",
        "",
        "Reproduce:",
        "",
        "```sh",
        command,
        "```",
        "",
    ]
    if note:
        lines += [note, ""]
    lines += ["| id | claim | source | band | measured ± SE (n) | verdict |", "|---|---|---|---|---|---|"]
    for fact, r in zip(facts, results, strict=True):
        measured = "not measurable" if not r.measurable else f"{_num(r.measured)} ± {_num(r.se, 2)} ({r.n})"
        lines.append(f"| {fact.id} | {fact.claim['en']} / {fact.claim['es']} | {fact.source} | {fact.band} | {measured} | **{'PASS' if r.passed else 'FAIL'}** |")
    lines += ["", "## Details", ""]
    for fact, r in zip(facts, results, strict=True):
        lines.append(f"- **{fact.id}**: {r.detail}")
    passed = sum(r.passed for r in results)
    lines += ["", f"{passed} of {len(results)} facts pass.", ""]
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
