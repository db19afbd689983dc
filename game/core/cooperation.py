"""Cooperation: consortium trust, free-riding and break-ups.

Consortia pool capacity and certifications (see ``actions.bid_requirements``)
and buy together (``contracts._joint_purchasing``). Trust grows with joint
deliveries and breaks with free-riding: a member that delivers late or far
below the group's quality drags everyone's scorecard. Computer members
defect more when trust is low; a consortium whose trust collapses dissolves.
"""

from __future__ import annotations

import numpy as np

from game.core import detmath
from game.core.rules import Rules
from game.core.state import DELIVERY, KIND_COMPUTER, QUALITY, GameState

FREE_RIDE_GAP = 0.15
DISSOLVE_BELOW = 0.15



def leave(state: GameState, firm: int) -> None:
    """Take a firm out of its consortium; trust suffers; an empty consortium closes."""
    f = state.firms
    cid = int(f.consortium[firm])
    if cid < 0:
        return
    c = state.consortia[cid]
    c.members = [m for m in c.members if m != firm]
    f.consortium[firm] = -1
    c.trust = max(0.0, c.trust - 0.15)
    if not c.members:
        c.active = False
        c.invited = []
    elif c.founder == firm:
        c.founder = c.members[0]


def update(state: GameState, rules: Rules, fill: np.ndarray) -> None:
    """Trust after this quarter's joint work; free-riders; computer defections; break-ups."""
    f = state.firms
    rng = state.rng.computer
    joint = {c.consortium for c in state.contracts if c.consortium >= 0 and c.start_quarter <= state.quarter}
    for c in state.consortia:
        if not c.active:
            continue
        members = [m for m in c.members if f.alive[m]]
        if len(members) < 2:
            continue
        idx = np.array(members, dtype=np.int64)
        mean_q = detmath.mean(f.cap[idx, QUALITY])
        riders = [m for m in members if fill[m] < 0.8 or f.cap[m, QUALITY] < mean_q - FREE_RIDE_GAP or f.cap[m, DELIVERY] < 0.3]
        if c.id in joint:
            if riders:
                c.trust = max(0.0, c.trust - 0.08 * len(riders))
                for m in riders:
                    f.free_ride[m] += 1
                for m in members:
                    state.explain(m, "consortium.free_riding", {"name": c.name, "riders": len(riders), "trust": round(c.trust, 2)}, "bad", "mixed")
            else:
                c.trust = min(1.0, c.trust + 0.06 * (1.0 - c.trust))
                for m in members:
                    state.explain(m, "consortium.trust_up", {"name": c.name, "trust": round(c.trust, 2)}, "good", lever="cooperation")
        # Computer members walk out more often when trust is low.
        for m in members:
            if f.kind[m] == KIND_COMPUTER and rng.random() < 0.04 * (1.0 - c.trust):
                leave(state, m)
                for other in c.members:
                    state.explain(other, "consortium.defection", {"name": c.name, "firm": f.names[m]}, "bad", "mixed")
        if c.active and c.trust < DISSOLVE_BELOW:
            for m in list(c.members):
                state.explain(m, "consortium.dissolved", {"name": c.name}, "bad", "mixed")
                leave(state, m)
            c.active = False
    state.offers = [o for o in state.offers if o.quarter >= state.quarter]
