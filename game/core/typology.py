"""The cluster's metrics and its stage in the district typology.

Stages follow the Cross-Clustering seed's table (Primordial, Evolutivo,
Consolidado, Reposicionado) with thresholds from DOMAIN_DATA.md section 6:
the national share of inputs and the local suppliers per lead firm, plus
the institutional signs (associations, cooperation, university links) the
table lists for a consolidated district. A re-sourcing shock (a content
rule, a new lead firm) opens a window in which a developed cluster is
*reposicionado*. Stages drop only when metrics fall well below a threshold.
"""

from __future__ import annotations

import numpy as np

from game.core import detmath
from game.core.rules import Rules
from game.core.state import EXPORT_ISSUER, ClusterMetrics, GameState

STAGES: tuple[str, ...] = ("primordial", "evolutivo", "consolidado", "reposicionado")
LIFE_CYCLE: dict[str, str] = {
    "primordial": "aglomeracion",
    "evolutivo": "emergente",
    "consolidado": "maduro",
    "reposicionado": "transformacion",
}
"""The life-cycle label shown beside each stage (agglomeration ... transformation)."""

EVOLUTIVO_SHARE, CONSOLIDADO_SHARE = 0.05, 0.15
EVOLUTIVO_SUPPLIERS, CONSOLIDADO_SUPPLIERS = 0.10, 0.30
"""Share of local firms supplying the chain (the per-lead-firm counts scaled to the cluster's size)."""
HYSTERESIS = 0.8
RESOURCING_WINDOW = 4


def compute(state: GameState, rules: Rules) -> ClusterMetrics:
    f = state.firms
    q = state.quarter
    alive = f.alive

    def count(mask: np.ndarray) -> int:
        """A bool array's number of True values, as its int(.sum()) (without numpy's reduction wrapper)."""
        return int(np.count_nonzero(mask))

    alive_count = count(alive)
    n_alive = max(alive_count, 1)
    # Export orders passed on by a partner district are exports, not local content of the chain.
    local_value = detmath.ordered_sum(c.volume * c.price for c in state.contracts if c.active and c.end_quarter >= q and c.issuer != EXPORT_ISSUER)
    state.foreign_value = [v for v in state.foreign_value if v[0] >= q]
    foreign = detmath.ordered_sum([v[1] for v in state.foreign_value])
    chain = local_value + foreign
    suppliers = count((f.tier < 4) & alive)
    active_leads = max(detmath.ordered_sum(state.lead_firm_active), 1)
    in_consortium = f.consortium >= 0
    subcontracting = np.zeros(len(f), dtype=bool)
    for c in state.contracts:
        if c.subcontractor >= 0:
            subcontracting[c.subcontractor] = True
            subcontracting[c.members] = True
    m = ClusterMetrics(
        local_share=local_value / chain if chain else 0.0,
        chain_value=int(chain),
        local_value=int(local_value),
        local_suppliers=suppliers,
        suppliers_per_lead_firm=suppliers / active_leads,
        tier2_share=float(count(f.best_tier <= 2) / len(f)),
        cooperation=float(count((in_consortium | subcontracting) & alive) / n_alive),
        university_links=float(count((f.university >= 0) & alive) / n_alive),
        association_share=float(count(f.association & alive) / n_alive),
        mean_capability=detmath.mean(f.cap[alive]) if alive_count else 0.0,
        alive_share=float(alive_count / len(f)),
    )
    m.stage = _stage(state, m, suppliers / n_alive)
    return m


def _stage(state: GameState, m: ClusterMetrics, supplier_share: float) -> str:
    previous = STAGES.index(state.metrics.stage)
    if previous == 3:
        previous = 2

    def level(h: float) -> int:
        share_level = 2 if m.local_share >= CONSOLIDADO_SHARE * h else (1 if m.local_share >= EVOLUTIVO_SHARE * h else 0)
        supplier_level = 2 if supplier_share >= CONSOLIDADO_SUPPLIERS * h else (1 if supplier_share >= EVOLUTIVO_SUPPLIERS * h else 0)
        lvl = min(share_level, supplier_level)
        if lvl == 2 and (m.association_share < 0.25 * h or m.cooperation < 0.1 * h):
            lvl = 1  # a consolidated district has strong associations and local networks
        return lvl

    current = level(1.0)
    if current < previous and level(HYSTERESIS) >= previous:
        current = previous
    resourcing = any(
        e.quarter >= state.quarter - RESOURCING_WINDOW
        and e.key == "event.fired"
        and e.lever == "catalyst"
        for e in state.recent_events
    )
    if resourcing and current >= 1 and previous >= 1:
        # Repositioning needs a developed cluster: a primordial one that a shock lifts is merely evolving.
        return "reposicionado"
    return STAGES[current]


STAGE_SPILLOVER: dict[str, float] = {"primordial": 1.0, "evolutivo": 1.25, "consolidado": 1.5, "reposicionado": 1.5}
"""How much the association's services and the spillovers between members are worth at each stage:
a consolidated district has strong associations and local networks (Cross-Clustering typology)."""


def spillover(stage: str) -> float:
    return STAGE_SPILLOVER[stage]


def life_cycle(stage: str) -> str:
    return LIFE_CYCLE[stage]
