"""Learning: capabilities grow by interacting and spill over through links; they decay without upkeep.

Learning by doing with demanding customers happens in :mod:`game.core.contracts`.
Here: learning by interacting in a supplier-development programme (mentoring
and audits), spillovers through university and association links, collective
learning inside consortia, the cross-clustering partnership, and decay.
"""

from __future__ import annotations

import itertools

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


def depths(state: GameState, family: int, rows: list[int] | np.ndarray | slice = slice(None)) -> np.ndarray:
    """:func:`depth` of every firm (or of the firms of ``rows``) in a part family, as one array."""
    f = state.firms
    return np.where(f.specialty[rows] == family, np.minimum(f.specialty_depth[rows], SPECIALTY_CAP) / SPECIALTY_CAP, 0.0)


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
    return rules.link_strength[state.firms.university]


def absorption(state: GameState, rules: Rules) -> np.ndarray:
    """(firms,) the factor on what each firm learns from its customers: 1 + UNIVERSITY_ABSORPTION * link strength."""
    return 1.0 + UNIVERSITY_ABSORPTION * link_strength(state, rules)


RENEWAL_QUARTERS = 4
"""An investment in what the firm knows (training, technology, management practices, a certification, an
innovation project, an approved programme) keeps it in the knowledge economy this many quarters [E]."""
EROSION = 0.03
"""Share of its remaining local customers a firm loses each quarter it spends outside the knowledge economy
(:func:`knowledge_engaged`) [E]; docs/calibration.md."""
REGAIN = 0.05
"""Share of its starting local customers a firm wins back each quarter it is engaged again, up to all [E]."""
LOCAL_BASE_FLOOR = 0.2
"""The loyal core a firm keeps however long it stays outside (neighbours, repair work) [E]."""
ASSOCIATION_ENGAGES = True
"""Membership of the cluster's association counts as engagement (information and collective learning)."""


def knowledge_engaged(state: GameState, rules: Rules) -> np.ndarray:
    """(firms,) bool: the firm is in the knowledge economy this quarter.

    The seed paper: firms outside the knowledge economy are bound to fail; SMEs
    acquire the competences they lack mainly from external sources: their chain
    customers and suppliers, other firms, universities and research centres,
    training, and the administration's programmes (Capó, Expósito y Masiá 2007,
    cited there). A firm is engaged when, this quarter, it works for a chain
    customer (a contract or subcontract), holds a link (a university or
    technology centre, a consortium, a supplier-development programme, the
    association), has a certification or innovation project running, or has
    invested in training, technology, practices or a programme within the last
    RENEWAL_QUARTERS quarters.
    """
    f = state.firms
    q = state.quarter
    engaged = (q - f.renewed_quarter.astype(np.int64)) < RENEWAL_QUARTERS
    engaged |= (q - f.trained_quarter.astype(np.int64)) < RENEWAL_QUARTERS
    engaged |= (f.cert_left > 0).any(axis=1)
    engaged |= f.innovation_left > 0
    engaged |= (f.university >= 0) | (f.consortium >= 0) | (f.supplier_dev >= 0)
    if ASSOCIATION_ENGAGES:
        engaged |= f.association
    engaged |= f.tier < 4
    for c in state.contracts:
        if c.active and c.subcontractor >= 0:
            engaged[c.subcontractor] = True
    return engaged & f.alive


def local_customers(state: GameState, rules: Rules) -> None:
    """Local buyers move to suppliers that learn: a firm outside the knowledge economy loses EROSION of its
    local customers a quarter (imports and follow-sources undercut plain commodity work); an engaged firm wins
    back REGAIN a quarter. The share kept (``local_base``) scales its local demand (contracts.local_standing)."""
    f = state.firms
    engaged = knowledge_engaged(state, rules)
    before = f.local_base.copy()
    out = f.alive & ~engaged
    back = f.alive & engaged & (before < 1.0)
    f.local_base[:] = np.where(out, np.maximum(before * (1.0 - EROSION), LOCAL_BASE_FLOOR), before)
    f.local_base[:] = np.where(back, np.minimum(before + REGAIN, 1.0), f.local_base)
    for p in range(state.players):
        if out[p]:
            state.explain(p, "local.customers_leaving", {"share": round(float(f.local_base[p]), 3), "lost": EROSION}, "bad", "internal")
        elif back[p]:
            state.explain(p, "local.customers_back", {"share": round(float(f.local_base[p]), 3)}, "good", lever="capability")


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
    members = f.association & alive
    if rules.association >= 0 and members.any():
        s = rules.level.institutions[rules.association].strength * typology.spillover(state.metrics.stage)
        mean_q = detmath.mean(f.cap[members, QUALITY])
        gap = np.maximum(mean_q - f.cap[:, QUALITY], 0.0)  # np.clip(x, 0.0, None) is this ufunc call
        f.cap[members, QUALITY] += 0.1 * s * gap[members]
        raise_capability(state, members, MANAGEMENT, 0.012 * s)

    # Consortia: members close part of the gap to their best member, a little more with trust
    # (a free-rider still learns: know-how is a pooled benefit it keeps).
    # A firm is in one consortium at most: every consortium's members move at once.
    groups = [c for c in state.consortia if c.active and len(c.members) >= 2]
    if groups:
        sizes = [len(c.members) for c in groups]
        rows = np.array([m for c in groups for m in c.members], dtype=np.intp)
        caps = f.cap[rows]
        # Each group's first row (the running sum of the sizes before it) and np.repeat's method calls.
        best = np.maximum.reduceat(caps, [0, *itertools.accumulate(sizes[:-1])], axis=0).repeat(sizes, axis=0)
        rate = np.array([0.06 * (0.5 + 0.5 * c.trust) for c in groups]).repeat(sizes)
        f.cap[rows] = caps + rate[:, None] * (best - caps)

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
    decay = np.empty((n, len(DECAY)))
    decay[:] = DECAY  # every row DECAY (np.tile's rows, without its reshapes)
    decay[recent_training, HUMAN_CAPITAL] = 0.0
    decay[f.tier < 4, QUALITY] = 0.0
    decay[f.university >= 0, INNOVATION] = 0.0
    f.cap[:] = np.where(alive[:, None], (f.cap - decay * f.cap).clip(FLOOR, 1.0), f.cap)
    f.cap.clip(0.0, 1.0, out=f.cap)
