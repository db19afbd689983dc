"""Cooperation: consortium trust, free-riding and break-ups.

Consortia pool capacity and certifications (see ``actions.bid_requirements``)
and buy together (:func:`joint_purchasing`). Trust grows with joint
deliveries and teamwork and breaks with free-riding: a member that delivers
late or far below the group's quality drags everyone's scorecard, and a
member may choose to free-ride (``decisions.cooperation.FreeRide``): skip its
share of the common work and keep the pooled discount. That is a dilemma:
each member gains by free-riding whatever the others do, yet all do better
when all contribute than when all free-ride. Computer members defect more
when trust is low; a consortium whose trust collapses dissolves.
"""

from __future__ import annotations

import numpy as np

from game.core import detmath
from game.core.rng import counter_key, uniforms
from game.core.rules import Rules
from game.core.state import DELIVERY, KIND_COMPUTER, QUALITY, GameState

FREE_RIDE_GAP = 0.15
WALKOUT_KEY = 130_363
"""Key of a computer member's own draw on walking out (a counter-based draw of the seed, this key, the quarter and the firm's row: :func:`game.core.rng.uniforms`)."""
DISSOLVE_BELOW = 0.15

JOINT_PURCHASING_BASE, JOINT_PURCHASING_STEP, JOINT_PURCHASING_MAX = 0.04, 0.01, 0.08
"""Joint purchasing saves 3-8% of input cost (DD section 5): 4% with one member doing its part, 1% more per
extra member doing it, up to 8% [E], scaled by the share of members doing their part."""
CONTRIBUTION = 0.036
"""Each member's share of the common work (joint purchasing office, shared quality staff), as a share of its
own input purchases: about 2.2% of sales at inputs of ~60% of sales, inside DD section 5's coordination cost
of 1-3% of sales [E]. A free-rider skips it."""
SHIRK_TRUST_HIT = 0.01
"""Trust lost per free-riding member per quarter (the partners see who skipped the common work) [E]."""


def joint_purchasing(state: GameState) -> tuple[np.ndarray, np.ndarray]:
    """(input saving per firm, whether the firm pays its contribution this quarter).

    Every member of a consortium of two or more buys at the pool's price,
    free-riders included (they keep the pooled benefit). The saving grows with
    the number of members doing their part and is scaled by the share doing
    it (the common work is only as good as those who show up). Trust acts on
    the rest of the partnership (collective learning, defections, break-up).
    """
    f = state.firms
    saving = np.zeros(len(f))
    contributes = np.zeros(len(f), dtype=bool)
    alive = f.alive.tolist()
    # Written at once, in consortium order (a later write to a row wins, as when written one by one).
    pooled: list[int] = []
    rates: list[float] = []
    doing_all: list[int] = []
    for c in state.consortia:
        if not c.active:
            continue
        members = [m for m in c.members if alive[m]]
        if len(members) < 2:
            continue
        shirking = c.shirking
        doing = [m for m in members if m not in shirking]
        k = len(doing)
        if k:
            rate = min(JOINT_PURCHASING_MAX, JOINT_PURCHASING_BASE + JOINT_PURCHASING_STEP * (k - 1))
            pooled += members
            rates += [rate * (k / len(members))] * len(members)
            doing_all += doing
    if pooled:
        saving[pooled] = rates
        contributes[doing_all] = True
    return saving, contributes



def leave(state: GameState, firm: int) -> None:
    """Take a firm out of its consortium; trust suffers; an empty consortium closes."""
    f = state.firms
    cid = int(f.consortium[firm])
    if cid < 0:
        return
    c = state.consortia[cid]
    c.members = [m for m in c.members if m != firm]
    c.shirking = [m for m in c.shirking if m != firm]
    f.consortium[firm] = -1
    state.memo.pop("consortia", None)  # a full consortium may have room again (ConsortiumIndex)
    c.trust = max(0.0, c.trust - 0.15)
    if not c.members:
        c.active = False
        c.invited = []
    elif c.founder == firm:
        c.founder = c.members[0]


def update(state: GameState, rules: Rules, fill: np.ndarray) -> None:
    """Trust after this quarter's joint work; free-riders; computer defections; break-ups."""
    f = state.firms
    joint = {c.consortium for c in state.contracts if c.consortium >= 0 and c.start_quarter <= state.quarter}
    # Each computer member's walk-out draw, a counter-based draw of (seed, WALKOUT_KEY, quarter, row), all at once:
    # a firm is in one consortium, so no consortium's members change before its turn below.
    # The figures read below, as lists (nothing here changes them): plain Python numbers for a few members each.
    alive, computer = f.alive.tolist(), (f.kind == KIND_COMPUTER).tolist()
    players = f.player_rows()
    quality, delivery, filled = f.cap[:, QUALITY].tolist(), f.cap[:, DELIVERY].tolist(), fill.tolist()
    rows = sorted({m for c in state.consortia if c.active for m in c.members if alive[m] and computer[m]})
    walk = dict(zip(rows, uniforms(counter_key(state.seed, WALKOUT_KEY, state.quarter), np.array(rows, dtype=np.int64), 0).tolist(), strict=True)) if rows else {}
    for c in state.consortia:
        if not c.active:
            continue
        members = [m for m in c.members if alive[m]]
        if len(members) < 2:
            continue
        # Chosen free-riding: the partners see who skipped the common work.
        shirking = c.shirking
        shirkers = [m for m in members if m in shirking] if shirking else []
        if shirkers:
            c.trust = max(0.0, c.trust - SHIRK_TRUST_HIT * len(shirkers))
            for m in shirkers:
                f.free_ride[m] += 1
            for m in members:
                if m not in c.shirking and m in players:
                    state.explain(m, "consortium.shirked", {"name": c.name, "riders": len(shirkers), "trust": round(c.trust, 2)}, "bad", "mixed")
        if c.id in joint:
            # Riders among the partners of a joint contract (figures read only here).
            told = [m for m in members if m in players]  # only a player's firm is told why (GameState.explain)
            mean_q = detmath.mean([quality[m] for m in members])
            riders = [m for m in members if filled[m] < 0.8 or quality[m] < mean_q - FREE_RIDE_GAP or delivery[m] < 0.3]
            if riders:
                c.trust = max(0.0, c.trust - 0.08 * len(riders))
                for m in riders:
                    f.free_ride[m] += 1
                for m in told:
                    state.explain(m, "consortium.free_riding", {"name": c.name, "riders": len(riders), "trust": round(c.trust, 2)}, "bad", "mixed")
            else:
                c.trust = min(1.0, c.trust + 0.06 * (1.0 - c.trust))
                for m in told:
                    state.explain(m, "consortium.trust_up", {"name": c.name, "trust": round(c.trust, 2)}, "good", lever="cooperation")
        # Computer members walk out more often when trust is low.
        for m in members:
            if computer[m] and walk[m] < 0.04 * (1.0 - c.trust):
                leave(state, m)
                for other in c.members:
                    state.explain(other, "consortium.defection", {"name": c.name, "firm": f.names[m]}, "bad", "mixed")
        if c.active and c.trust < DISSOLVE_BELOW:
            for m in list(c.members):
                state.explain(m, "consortium.dissolved", {"name": c.name}, "bad", "mixed")
                leave(state, m)
            c.active = False
    for c in state.consortia:
        c.shirking = []
    state.offers = [o for o in state.offers if o.quarter >= state.quarter]


OPEN_BELOW = 5
"""Computer firms join a consortium of fewer members than this (``strategies.POOL_MAX_MEMBERS``):
the open consortia :class:`ConsortiumIndex` lists."""


class ConsortiumIndex:
    """Which consortia invited each firm, and which are open: built once from
    ``state.consortia`` and kept in ``state.memo``, so a firm's invitations are
    not a scan of every consortium (issue 10).

    Both are supersets, checked again on every read (a consortium only closes,
    an invitation is only withdrawn, an open consortium never turns closed):
    an invitation made later is added by :func:`note_invitation` (the one
    place that invites), a consortium founded later is read when first seen.
    """

    def __init__(self, state: GameState):
        self.consortia = state.consortia
        self.seen = 0
        self.invited: dict[int, list[int]] = {}
        self.open: list[int] = []
        self._read(state)

    def _read(self, state: GameState) -> None:
        for k in range(self.seen, len(state.consortia)):
            c = state.consortia[k]
            for j in c.invited:
                self.add(j, k)
            if c.active and c.open:
                self.open.append(k)
        self.seen = len(state.consortia)

    def add(self, firm: int, k: int) -> None:
        got = self.invited.setdefault(firm, [])
        if k not in got:
            got.append(k)
            got.sort()

    @classmethod
    def of(cls, state: GameState) -> ConsortiumIndex:
        index = state.memo.get("consortia")
        if not isinstance(index, cls) or index.consortia is not state.consortia or index.seen > len(state.consortia):
            index = cls(state)
            state.memo["consortia"] = index
        elif index.seen < len(state.consortia):
            index._read(state)
        return index

    def invitations(self, state: GameState, firm: int) -> list[int]:
        """Active consortia whose invitation ``firm`` holds, by index: the scan
        ``[k for k, c in enumerate(state.consortia) if c.active and firm in c.invited]``."""
        cs = state.consortia
        return [k for k in self.invited.get(firm, ()) if cs[k].active and firm in cs[k].invited]

    def open_now(self, state: GameState) -> list[int]:
        """Active open consortia of fewer than :data:`OPEN_BELOW` members, by index.

        One that closed or filled up is dropped for good: members leave only
        through :func:`leave`, which drops the index."""
        cs = state.consortia
        self.open = [k for k in self.open if cs[k].active and len(cs[k].members) < OPEN_BELOW]
        return list(self.open)


def note_invitation(state: GameState, firm: int, k: int) -> None:
    """Record in the index (if built) that consortium ``k`` invited ``firm``."""
    index = state.memo.get("consortia")
    if isinstance(index, ConsortiumIndex) and index.consortia is state.consortia:
        index.add(firm, k)
