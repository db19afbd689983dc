"""The names a level's values take (capabilities, strategies, kinds, tiers), without pydantic.

:mod:`game.core.level` builds its models with these, and the core reads them from here, so
a game started from a cached level (:mod:`game.core.level_cache`) never imports pydantic.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

CAPABILITIES: tuple[str, ...] = (
    "quality",
    "delivery",
    "technology",
    "human_capital",
    "innovation",
    "management",
)
"""The six firm capabilities, each in [0, 1]; order is the column order in the core."""

StrategyName = Literal["cautious", "growth", "cooperative"]


class Tier(StrEnum):
    """Supplier tier of a call for quotation (1 is closest to the lead firm)."""

    TIER1 = "tier1"
    TIER2 = "tier2"
    TIER3 = "tier3"


class InstitutionKind(StrEnum):
    UNIVERSITY = "university"
    TECHNOLOGY_CENTRE = "technology_centre"
    BANK = "bank"
    GOVERNMENT = "government"
    ASSOCIATION = "association"


class PolicyLevel(StrEnum):
    MACRO = "macro"
    MICRO = "micro"
    META = "meta"


class EffectKind(StrEnum):
    CERTIFICATION_SUBSIDY = "certification_subsidy"
    CREDIT_GUARANTEE = "credit_guarantee"
    TRAINING_CENTRE = "training_centre"
    INFRASTRUCTURE = "infrastructure"
    SUPPLIER_DEVELOPMENT = "supplier_development"
    REVERSE_FACTORING = "reverse_factoring"
    LOCAL_CONTENT_TARGET = "local_content_target"
    REAL_SERVICES = "real_services"
    CROSS_CLUSTERING = "cross_clustering"


class EventEffectKind(StrEnum):
    DEMAND_SHIFT = "demand_shift"
    EXCHANGE_RATE = "exchange_rate"
    NEW_LEAD_FIRM = "new_lead_firm"
    CONTENT_RULE = "content_rule"
    SUPPLY_DISRUPTION = "supply_disruption"
    AUDIT = "audit"
    KEY_STAFF_LEAVES = "key_staff_leaves"
    PAYMENT_TERMS = "payment_terms"
    INTEREST_RATE = "interest_rate"
    LABOUR_SQUEEZE = "labour_squeeze"


class ObjectiveKind(StrEnum):
    REACH_TIER = "reach_tier"
    HOLD_CERTIFICATION = "hold_certification"
    MIN_CASH = "min_cash"
    LOCAL_SHARE = "local_share"
    CONTRACTS = "contracts"


ENUMS: dict[str, type[StrEnum]] = {
    e.__name__: e for e in (Tier, InstitutionKind, PolicyLevel, EffectKind, EventEffectKind, ObjectiveKind)
}
"""Every enum of the level models, by name (how a cached level names them)."""
