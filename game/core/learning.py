"""Learning: capabilities grow by interacting and spill over through links; they decay without upkeep.

Learning by doing with demanding customers happens in :mod:`game.core.contracts`.
Here: learning by interacting in a supplier-development programme (mentoring
and audits), spillovers through university and association links, collective
learning inside consortia, the cross-clustering partnership, and decay.
"""

from __future__ import annotations

import numpy as np

from game.core import detmath, policies, typology
from game.core.rules import Rules
from game.core.state import (
    DELIVERY,
    HUMAN_CAPITAL,
    INNOVATION,
    MANAGEMENT,
    QUALITY,
    TECHNOLOGY,
    GameState,
    raise_capability,
)

SPECIALTY_CAP = 8.0
"""Quarters of work in one part family for full depth of specialisation [E]."""
SPECIALISING = 1.0
"""Learning from customers in the firm's specialty is up to (1 + SPECIALISING) times faster at full depth
(Cross-Clustering seed: "learning by specializing"; the rate is our estimate [E])."""
SPECIALTY_RELATION = 0.3
"""Relationship points a bid gains on a call in the bidder's specialty at full depth (proven parts,
fewer launch problems) [E]; times the issuer's relationship weight 0.15, up to +0.045 of score."""


def depth(state: GameState, firm: int, family: int) -> float:
    """How deep a firm's experience in a part family is, 0..1 (0 outside its specialty)."""
    f = state.firms
    if int(f.specialty[firm]) != family:
        return 0.0
    return float(min(f.specialty_depth[firm], SPECIALTY_CAP) / SPECIALTY_CAP)


def specialise(state: GameState, worked: list[tuple[int, int]]) -> None:
    """Count a quarter of work in each (firm, part family) pair, in the order given.

    Work in the specialty deepens it; work in another family erodes it, and a
    firm whose depth runs out takes the new family as its specialty (a
    majority count: the family it has worked in most lately wins).
    """
    f = state.firms
    for m, fam in dict.fromkeys(worked):
        if int(f.specialty[m]) == fam:
            f.specialty_depth[m] = min(float(f.specialty_depth[m]) + 1.0, SPECIALTY_CAP)
        elif int(f.specialty[m]) < 0 or f.specialty_depth[m] <= 1.0:
            f.specialty[m] = fam
            f.specialty_depth[m] = 1.0
        else:
            f.specialty_depth[m] -= 1.0


UNIVERSITY_QUALITY = 0.015
"""Quality gained a quarter through a university or technology-centre agreement, as a share of the gap
to 1, times the institution's strength [E]."""

UNIVERSITY_ABSORPTION = 0.5
"""How much more a firm with a university or technology-centre agreement learns from its customers, times
the institution's strength (absorptive capacity): the residents, graduates and lab work the agreement brings
know the methods its customers audit (metrology, process control, PPAP), so the quality and delivery lessons
of each contract take. The seed paper names the weak university link a mixed barrier that limits SMEs'
"desarrollo tecnológico y productivo" (INADEM 2016, cited there); the rate is our estimate [E]."""


def link_strength(state: GameState, rules: Rules) -> np.ndarray:
    """(firms,) the strength of each firm's university or technology-centre agreement (0 without one)."""
    f = state.firms
    out = np.zeros(len(f))
    if (f.university >= 0).any():
        for k, inst in enumerate(rules.level.institutions):
            if inst.kind in ("university", "technology_centre"):
                out[f.university == k] = inst.strength
    return out


def absorption(state: GameState, rules: Rules) -> np.ndarray:
    """(firms,) the factor on what each firm learns from its customers: 1 + UNIVERSITY_ABSORPTION * link strength."""
    return 1.0 + UNIVERSITY_ABSORPTION * link_strength(state, rules)


DECAY = np.array([0.004, 0.004, 0.008, 0.012, 0.015, 0.004])
"""Quarterly loss per capability without upkeep (technology ages, people leave, know-how fades)."""
FLOOR = 0.05


def learn(state: GameState, rules: Rules) -> None:
    f = state.firms
    n = len(f)
    alive = f.alive

    # Supplier development: mentors and audits lift quality, delivery and management.
    # Only the cohort being mentored learns; graduates keep what they learnt (and it decays).
    for p, eff in policies.supplier_development(state, rules):
        members = policies.sd_mentored_mask(state, rules, p, int(eff.term_quarters))
        if members.any():
            raise_capability(state, members, QUALITY, eff.boost)
            raise_capability(state, members, DELIVERY, eff.boost)
            raise_capability(state, members, MANAGEMENT, eff.boost * 0.6)

    # University and technology-centre agreements: technology and innovation flow in, and applied
    # process engineering (metrology, testing, student residencies) lifts quality: the weak
    # university link the seed paper names as a mixed barrier limits "el desarrollo tecnológico
    # y productivo" of SMEs.
    if (f.university >= 0).any():
        strength = link_strength(state, rules)
        raise_capability(state, slice(None), INNOVATION, 0.03 * strength)
        raise_capability(state, slice(None), TECHNOLOGY, 0.015 * strength)
        raise_capability(state, slice(None), HUMAN_CAPITAL, 0.01 * strength)
        raise_capability(state, slice(None), QUALITY, UNIVERSITY_QUALITY * strength)

    # The association: information and collective learning from the cluster's better firms.
    assoc = [inst for inst in rules.level.institutions if inst.kind == "association"]
    members = f.association & alive
    if assoc and members.any():
        s = assoc[0].strength * typology.spillover(state.metrics.stage)
        mean_q = detmath.mean(f.cap[members, QUALITY])
        gap = np.clip(mean_q - f.cap[:, QUALITY], 0.0, None)
        f.cap[members, QUALITY] += 0.1 * s * gap[members]
        raise_capability(state, members, MANAGEMENT, 0.012 * s)

    # Consortia: members close part of the gap to their best member, a little more with trust
    # (a free-rider still learns: know-how is a pooled benefit it keeps).
    for c in state.consortia:
        if c.active and len(c.members) >= 2:
            idx = np.array(c.members, dtype=np.int64)
            best = f.cap[idx].max(axis=0)
            f.cap[idx] += 0.06 * (0.5 + 0.5 * c.trust) * (best - f.cap[idx])

    # Cross-clustering: a European partner district shares technology and methods.
    for p, eff in policies.active_effects(state, rules, "cross_clustering"):
        mask = policies.eligible_mask(state, rules, p)
        raise_capability(state, mask, TECHNOLOGY, eff.boost)
        raise_capability(state, mask, INNOVATION, eff.boost)
        raise_capability(state, mask, MANAGEMENT, eff.boost * 0.5)

    # Infrastructure improves delivery for everyone it serves.
    infra = policies.boost_mask(state, rules, "infrastructure")
    if infra.any():
        raise_capability(state, slice(None), DELIVERY, infra * 0.25)

    # Decay without upkeep: training keeps human capital, contracts keep quality.
    recent_training = (state.quarter - f.trained_quarter) <= 4
    decay = np.tile(DECAY, (n, 1))
    decay[recent_training, HUMAN_CAPITAL] = 0.0
    decay[f.tier < 4, QUALITY] = 0.0
    decay[f.university >= 0, INNOVATION] = 0.0
    f.cap[:] = np.where(alive[:, None], np.clip(f.cap - decay * f.cap, FLOOR, 1.0), f.cap)
    np.clip(f.cap, 0.0, 1.0, out=f.cap)
