"""The level compiled for the engine: ids mapped to indexes, figures to arrays.

Built once per level (and cached per process in batch runs); read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, cast

import numpy as np

from game.core.level_cache import record

if TYPE_CHECKING:
    from game.core.level import LeadFirm, Level, TierRequirements

TIER_NUMBER = {"tier1": 1, "tier2": 2, "tier3": 3}
LINK_KINDS = ("university", "technology_centre")
"""Institutions a firm links to through the ``university`` column (an agreement)."""


def _requirements(**given: float) -> TierRequirements:
    """``TierRequirements(**given)`` as the core reads a level without pydantic (a record of
    :mod:`game.core.level_cache`): the model's defaults for the keys not given
    (``tests/test_level_cache.py`` holds each to the model)."""
    defaults = {"quality": 0.0, "delivery": 0.0, "technology": 0.0, "certifications": [], "max_ppm": 100_000, "min_on_time": 0.0, "min_cash": 0}
    return cast("TierRequirements", record("TierRequirements", {**defaults, **given}, set(given)))


DEFAULT_REQUIREMENTS: dict[int, TierRequirements] = {
    1: _requirements(quality=0.8, delivery=0.85, technology=0.6, max_ppm=50, min_on_time=0.98, min_cash=5_000_000),
    2: _requirements(quality=0.6, delivery=0.7, technology=0.4, max_ppm=250, min_on_time=0.95, min_cash=800_000),
    3: _requirements(quality=0.4, delivery=0.5, max_ppm=1000, min_on_time=0.9, min_cash=150_000),
}
"""Requirements used when a lead firm does not set its own (DOMAIN_DATA.md section 2)."""


class CallGenerator(NamedTuple):
    """A level's call generator (``rfq_generators`` entry) as :func:`game.core.rfq.issue` reads it each quarter."""

    issuer: str
    lead_firm: str
    lead: int
    """Index of the lead firm whose chain the issuer supplies."""
    first: int
    last: int
    """The quarters it issues calls in (inclusive)."""
    per_quarter: float
    tier: int
    parts: list[int]
    """Indexes of the part families it may ask for."""
    volume: tuple[float, float]
    duration: tuple[float, float]
    margin: tuple[float, float]
    payment_days: int
    """The generator's own terms, else the lead firm's."""


@dataclass(frozen=True)
class Rules:
    """Read-only lookups derived from a level."""

    level: Level
    level_hash: str
    cert_index: dict[str, int]
    cert_cost: np.ndarray
    cert_quarters: np.ndarray
    cert_upkeep: np.ndarray
    cert_min_quality: np.ndarray
    cert_min_management: np.ndarray
    cert_requires: list[list[int]]
    cert_order: np.ndarray
    """The certifications by cost, then level order (int64 indexes)."""
    part_index: dict[str, int]
    part_unit_cost: np.ndarray
    part_complexity: np.ndarray
    part_min_technology: np.ndarray
    lead_index: dict[str, int]
    issuer_lead: dict[str, str]
    issuer_follow_source: dict[str, bool]
    institution_index: dict[str, int]
    bank_indexes: list[int]
    policy_index: dict[str, int]
    programme_index: dict[str, int]
    event_index: dict[str, int]
    requirement_table: dict[tuple[str, int], TierRequirements] = field(default_factory=dict)
    institution_terms: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))
    """(institutions, 4) float64: each bank's annual_rate, medium_firm_discount, collateral
    and max_loan (what :func:`game.core.decisions.finance.loan_offers` reads for every bank at once)."""
    link_strength: np.ndarray = field(default_factory=lambda: np.zeros(1))
    """(institutions + 1,) float64: the strength of a university or technology-centre agreement with each
    institution (0 for the other kinds), and 0 last: indexed by the ``university`` column (-1: none)."""
    link_fee: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    """(institutions + 1,) int64: the quarterly fee of an agreement with each university or technology
    centre (0 for the other kinds), and 0 last: indexed by the ``university`` column (-1: none)."""
    association: int = -1
    """Index of the cluster's association among the institutions (-1: none; the loader refuses a second)."""
    association_fee: int = 0
    """The quarterly fee of the cluster's association (0 if it has none)."""
    call_generators: list[CallGenerator] = field(default_factory=list)
    """The level's call generators, in level order."""

    @property
    def economy(self):  # noqa: ANN201 - the Economy model
        return self.level.economy

    def lead_firm(self, lead_id: str) -> LeadFirm:
        return self.level.lead_firms[self.lead_index[lead_id]]

    def requirements(self, lead_id: str, tier: int) -> TierRequirements:
        """A lead firm's minimum requirements for a tier (its own, else the defaults)."""
        return self.requirement_table[(lead_id, tier)]


def compile_rules(level: Level, level_hash: str) -> Rules:
    certs = level.certifications
    cert_index = {c.id: i for i, c in enumerate(certs)}
    parts = level.part_families
    issuer_lead: dict[str, str] = {}
    issuer_follow: dict[str, bool] = {}
    for lf in level.lead_firms:
        issuer_lead[lf.id] = lf.id
        issuer_follow[lf.id] = True
        for s in lf.tier1_suppliers:
            issuer_lead[s.id] = lf.id
            issuer_follow[s.id] = s.follow_source
    cert_cost = np.array([c.cost for c in certs], dtype=np.int64)
    lead_index = {lf.id: i for i, lf in enumerate(level.lead_firms)}
    part_index = {p.id: i for i, p in enumerate(parts)}
    generators = [
        CallGenerator(
            g.issuer,
            issuer_lead[g.issuer],
            lead_index[issuer_lead[g.issuer]],
            g.from_quarter,
            g.to_quarter,
            g.per_quarter,
            TIER_NUMBER[g.tier.value],
            [part_index[p] for p in g.part_families],
            (g.volume.low, g.volume.high),
            (g.duration.low, g.duration.high),
            (g.target_margin.low, g.target_margin.high),
            level.lead_firms[lead_index[issuer_lead[g.issuer]]].payment_days if g.payment_days is None else g.payment_days,
        )
        for g in level.rfq_generators
    ]
    return Rules(
        level=level,
        level_hash=level_hash,
        cert_index=cert_index,
        cert_cost=cert_cost,
        cert_quarters=np.array([c.quarters for c in certs], dtype=np.int16),
        cert_upkeep=np.array([c.upkeep_per_quarter for c in certs], dtype=np.int64),
        cert_min_quality=np.array([c.min_quality for c in certs], dtype=np.float64),
        cert_min_management=np.array([c.min_management for c in certs], dtype=np.float64),
        cert_requires=[[cert_index[r] for r in c.requires] for c in certs],
        cert_order=np.lexsort((np.arange(len(certs)), cert_cost)),
        part_index=part_index,
        part_unit_cost=np.array([p.unit_cost for p in parts], dtype=np.int64),
        part_complexity=np.array([p.complexity for p in parts], dtype=np.float64),
        part_min_technology=np.array([p.min_technology for p in parts], dtype=np.float64),
        lead_index=lead_index,
        issuer_lead=issuer_lead,
        issuer_follow_source=issuer_follow,
        institution_index={inst.id: i for i, inst in enumerate(level.institutions)},
        bank_indexes=[i for i, inst in enumerate(level.institutions) if inst.kind == "bank"],
        policy_index={p.id: i for i, p in enumerate(level.policies)},
        programme_index={p.id: i for i, p in enumerate(level.programmes)},
        event_index={e.id: i for i, e in enumerate(level.events)},
        requirement_table={
            (lf.id, tier): next((req for key, req in lf.requirements.items() if TIER_NUMBER[key.value] == tier), DEFAULT_REQUIREMENTS[tier])
            for lf in level.lead_firms
            for tier in (1, 2, 3)
        },
        link_strength=np.array([i.strength if i.kind in LINK_KINDS else 0.0 for i in level.institutions] + [0.0], dtype=np.float64),
        link_fee=np.array([i.fee_per_quarter if i.kind in LINK_KINDS else 0 for i in level.institutions] + [0], dtype=np.int64),
        call_generators=generators,
        association=next((k for k, i in enumerate(level.institutions) if i.kind == "association"), -1),
        association_fee=next((int(i.fee_per_quarter) for i in level.institutions if i.kind == "association"), 0),
        institution_terms=np.array(
            [[i.annual_rate, i.medium_firm_discount, i.collateral, float(i.max_loan)] for i in level.institutions], dtype=np.float64
        ).reshape(len(level.institutions), 4),
    )
