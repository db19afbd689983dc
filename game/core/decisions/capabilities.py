"""Decisions that build a firm's capabilities: people, technology, capacity,
certifications, innovation and management practices.

One block per decision: its data, ``cost``, ``check`` and ``execute``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from game.core import policies
from game.core.decisions.base import FREE, Action, Cost, Refusal
from game.core.state import (
    DELIVERY,
    HUMAN_CAPITAL,
    MANAGEMENT,
    QUALITY,
    TECHNOLOGY,
    GameState,
    raise_capability,
)

if TYPE_CHECKING:
    from game.core.rules import Rules

INNOVATION_QUARTERS = 3
FRONTIER = 0.98
"""A capability this close to 1 has nothing left to buy."""


@dataclass(frozen=True)
class TrainStaff(Action):
    """One round of training for every employee (once a quarter)."""

    kind: ClassVar[str] = "train_staff"

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        full = state.firms.employees.item(i) * rules.economy.training_cost_per_employee
        share, pol = policies.best_share(state, rules, "training_centre", i)
        own = int(round(full * (1.0 - share)))
        return Cost(now=own, subsidy=full - own, policy=pol, share=share)

    @staticmethod
    def costs_now(state: GameState, rules: Rules, rows: np.ndarray) -> np.ndarray:
        """``cost(...).now`` of each firm of ``rows`` (the computer firms plan with it)."""
        full = state.firms.employees[rows].astype(np.int64) * rules.economy.training_cost_per_employee
        share, _ = policies.best_shares(state, rules, "training_centre", rows)
        return np.rint(full * (1.0 - share)).astype(np.int64)

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if state.firms.trained_quarter.item(i) == state.quarter:
            return Refusal("refused.already_trained")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        boost = policies.boost_of(state, rules, "training_centre", i)
        raise_capability(state, i, HUMAN_CAPITAL, 0.10 + boost)
        raise_capability(state, i, QUALITY, 0.03)
        state.firms.trained_quarter[i] = state.quarter
        state.firms.renewed_quarter[i] = state.quarter
        lever = "catalyst" if cost.policy >= 0 else "capability"
        state.explain(i, "done.train_staff", {"cost": cost.now}, "good", lever=lever)


@dataclass(frozen=True)
class BuyTechnology(Action):
    kind: ClassVar[str] = "buy_technology"

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        return Cost(now=rules.economy.technology_cost)

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if state.firms.cap[i, TECHNOLOGY] >= FRONTIER:
            return Refusal("refused.at_frontier")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        f = state.firms
        f.fixed_assets[i] += cost.now
        f.renewed_quarter[i] = state.quarter
        raise_capability(state, i, TECHNOLOGY, 0.15)
        raise_capability(state, i, QUALITY, 0.04)
        f.capacity[i] += int(f.capacity[i] * 0.05)
        state.explain(i, "done.buy_technology", {"cost": cost.now}, "good", lever="capability")


@dataclass(frozen=True)
class ExpandCapacity(Action):
    """Buy ``units`` of capacity; it comes on line next quarter."""

    kind: ClassVar[str] = "expand_capacity"
    units: int

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        return Cost(now=self.units * rules.economy.capacity_cost_per_unit) if self.units > 0 else FREE

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        f = state.firms
        if self.units <= 0:
            return Refusal("refused.bad_amount", {"amount": self.units})
        if self.units > f.capacity[i]:
            return Refusal("refused.expand_too_fast", {"max": int(f.capacity[i])})
        if f.capacity_pending[i] > 0:
            return Refusal("refused.expansion_under_way")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        f = state.firms
        f.fixed_assets[i] += cost.now
        f.capacity_pending[i] += self.units
        state.explain(i, "done.expand_capacity", {"units": self.units, "cost": cost.now}, "info", lever="capability")


@dataclass(frozen=True)
class StartCertification(Action):
    """Start a certification process: paid in equal instalments over its quarters, audited at the end."""

    kind: ClassVar[str] = "start_certification"
    action_points: ClassVar[int] = 2
    certification: str

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        cert = rules.cert_index.get(self.certification)
        if cert is None:
            return FREE
        full = int(rules.cert_cost[cert])
        share, pol = policies.best_share(state, rules, "certification_subsidy", i, cert)
        if pol >= 0:
            share = min(share, policies.budget_left(state, rules, pol) / max(full, 1))
        own = int(round(full * (1.0 - share)))
        quarters = int(rules.cert_quarters[cert])
        per_quarter = own // quarters
        # The first instalment carries the rounding remainder: now + later is exactly ``own``.
        return Cost(now=own - per_quarter * (quarters - 1), later=per_quarter * (quarters - 1), subsidy=full - own, policy=pol, share=share)

    @staticmethod
    def costs_total(state: GameState, rules: Rules, rows: np.ndarray, certs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(``cost(...).total``, ``cost(...).policy``) of certification ``certs[k]`` (an index,
        -1 for none: then 0 and -1) for each firm ``rows[k]``."""
        known = certs >= 0
        full = np.where(known, rules.cert_cost[np.where(known, certs, 0)], 0).astype(np.int64)
        share, pol = policies.best_shares(state, rules, "certification_subsidy", rows, certs)
        for p in sorted(set(pol[pol >= 0].tolist())):
            sel = pol == p
            share[sel] = np.minimum(share[sel], policies.budget_left(state, rules, p) / np.maximum(full[sel], 1))
        return np.rint(full * (1.0 - share)).astype(np.int64), pol

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        cert = rules.cert_index.get(self.certification)
        f = state.firms
        if cert is None:
            return Refusal("refused.unknown_certification", {"certification": self.certification})
        if f.cert_held[i, cert]:
            return Refusal("refused.already_certified", {"certification": self.certification})
        if f.cert_left[i, cert] > 0:
            return Refusal("refused.certification_under_way", {"certification": self.certification})
        for req in rules.cert_requires[cert]:
            if not f.cert_held[i, req]:
                return Refusal("refused.certification_prerequisite", {"certification": rules.level.certifications[req].id})
        if f.cap[i, QUALITY] < rules.cert_min_quality[cert]:
            return Refusal("missing.capability", {"capability": "quality", "need": float(rules.cert_min_quality[cert]), "have": round(float(f.cap[i, QUALITY]), 2)})
        if f.cap[i, MANAGEMENT] < rules.cert_min_management[cert]:
            return Refusal("missing.capability", {"capability": "management", "need": float(rules.cert_min_management[cert]), "have": round(float(f.cap[i, MANAGEMENT]), 2)})
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        cert = rules.cert_index[self.certification]
        f = state.firms
        quarters = int(rules.cert_quarters[cert])
        f.cert_left[i, cert] = quarters
        f.renewed_quarter[i] = state.quarter
        # finance.settle collects this each quarter the process still runs after.
        f.cert_cost_q[i, cert] = cost.total // quarters
        lever = "catalyst" if cost.policy >= 0 else "capability"
        state.explain(
            i,
            "done.start_certification",
            {"certification": self.certification, "cost": cost.total, "quarters": quarters, "subsidy": round(cost.share, 2)},
            "info",
            lever=lever,
        )


@dataclass(frozen=True)
class StartInnovationProject(Action):
    kind: ClassVar[str] = "start_innovation"
    action_points: ClassVar[int] = 2

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        return Cost(now=rules.economy.innovation_cost)

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if state.firms.innovation_left[i] > 0:
            return Refusal("refused.innovation_under_way")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        f = state.firms
        f.innovation_left[i] = INNOVATION_QUARTERS
        f.renewed_quarter[i] = state.quarter
        f.innovation_spend[i] += cost.now
        state.explain(i, "done.start_innovation", {"cost": cost.now, "quarters": INNOVATION_QUARTERS}, "info", lever="capability")


@dataclass(frozen=True)
class AdoptPractices(Action):
    """Adopt management and ICT practices (lean, ERP, quality tools)."""

    kind: ClassVar[str] = "adopt_practices"

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        full = rules.economy.management_cost
        disc = policies.management_discount(state, rules, i)
        own = int(round(full * (1.0 - disc)))
        # A real-services discount: the provider's price is lower, no budget is drawn.
        return Cost(now=own, subsidy=full - own, share=disc)

    @staticmethod
    def costs_now(state: GameState, rules: Rules, rows: np.ndarray) -> np.ndarray:
        """``cost(...).now`` of each firm of ``rows``."""
        disc = policies.management_discounts(state, rules, rows)
        return np.rint(rules.economy.management_cost * (1.0 - disc)).astype(np.int64)

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if state.firms.cap.item(i, MANAGEMENT) >= FRONTIER:
            return Refusal("refused.at_frontier")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        raise_capability(state, i, MANAGEMENT, 0.12 + policies.boost_of(state, rules, "real_services", i))
        state.firms.renewed_quarter[i] = state.quarter
        raise_capability(state, i, DELIVERY, 0.08)
        state.explain(i, "done.adopt_practices", {"cost": cost.now}, "good", lever="capability")


DECISIONS: tuple[type[Action], ...] = (TrainStaff, BuyTechnology, ExpandCapacity, StartCertification, StartInnovationProject, AdoptPractices)
