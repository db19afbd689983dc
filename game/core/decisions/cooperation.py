"""Decisions to cooperate: consortia, subcontracts, universities, the
association and supplier-development programmes.

One block per decision: its data, ``cost``, ``check`` and ``execute``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from game.core import cooperation, policies
from game.core.contracts import committed_capacity
from game.core.decisions.base import FREE, Action, Cost, Refusal, firm_index, text_refusal
from game.core.state import KIND_PLAYER, Consortium, Contract, GameState, SubcontractOffer

if TYPE_CHECKING:
    from game.core.rules import Rules

CONSORTIUM_SETUP_COST = 50_000
"""Legal set-up of a consortium (an *integradora*) paid by its founder."""
CONSORTIUM_MAX_MEMBERS = 8
MAX_NAME = 60
SUBCONTRACT_SHARE = (0.05, 0.8)
"""Smallest and largest share of a contract that can be subcontracted."""


def _active_contract(state: GameState, contract_id: str) -> Contract | None:
    return next((c for c in state.contracts if c.id == contract_id and c.active), None)


@dataclass(frozen=True)
class FoundConsortium(Action):
    kind: ClassVar[str] = "found_consortium"
    action_points: ClassVar[int] = 2
    name: str

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        return Cost(now=CONSORTIUM_SETUP_COST)

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        bad = text_refusal(self.name)
        if bad is not None:
            return bad
        if state.firms.consortium.item(i) >= 0:
            return Refusal("refused.already_in_consortium")
        if not self.name.strip() or len(self.name) > MAX_NAME:
            return Refusal("refused.bad_name")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        f = state.firms
        cid = len(state.consortia)
        # A team's consortium is by invitation; one founded by a computer SME is open.
        state.consortia.append(Consortium(cid, self.name.strip(), i, [i], 0.5, 0, state.quarter, True, bool(f.kind[i] != KIND_PLAYER)))
        f.consortium[i] = cid
        state.explain(i, "done.found_consortium", {"name": self.name.strip()}, "good", lever="cooperation")


@dataclass(frozen=True)
class JoinConsortium(Action):
    kind: ClassVar[str] = "join_consortium"
    consortium: int

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if state.firms.consortium.item(i) >= 0:
            return Refusal("refused.already_in_consortium")
        if not 0 <= self.consortium < len(state.consortia) or not state.consortia[self.consortium].active:
            return Refusal("refused.unknown_consortium", {"consortium": self.consortium})
        c = state.consortia[self.consortium]
        if len(c.members) >= CONSORTIUM_MAX_MEMBERS:
            return Refusal("refused.consortium_full")
        if not c.open and i not in c.invited:
            return Refusal("refused.not_invited", {"consortium": c.name})
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        c = state.consortia[self.consortium]
        if i in c.invited:
            c.invited.remove(i)
        c.members.append(i)
        c.members.sort()
        state.firms.consortium[i] = self.consortium
        state.explain(i, "done.join_consortium", {"name": c.name}, "good", lever="cooperation")


@dataclass(frozen=True)
class InviteToConsortium(Action):
    """A member invites another firm (a team's consortium takes only those it invites)."""

    kind: ClassVar[str] = "invite_to_consortium"
    to_firm: str

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        f = state.firms
        if f.consortium[i] < 0:
            return Refusal("refused.not_in_consortium")
        j = firm_index(state, self.to_firm)
        if j is None or j == i or not f.alive[j]:
            return Refusal("refused.unknown_firm", {"firm": self.to_firm})
        if f.consortium[j] >= 0:
            return Refusal("refused.already_in_consortium")
        c = state.consortia[int(f.consortium[i])]
        if j in c.invited:
            return Refusal("refused.already_invited")
        if len(c.members) + len(c.invited) >= CONSORTIUM_MAX_MEMBERS:
            return Refusal("refused.consortium_full")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        j = state.firms.index(self.to_firm)
        c = state.consortia[int(state.firms.consortium[i])]
        c.invited.append(j)
        c.invited.sort()
        cooperation.note_invitation(state, j, int(state.firms.consortium[i]))
        state.explain(i, "done.invite_to_consortium", {"name": c.name, "to": state.firms.names[j]}, "info", lever="cooperation")
        state.explain(j, "consortium.invited", {"name": c.name, "by": state.firms.names[i], "consortium": c.id}, "info", lever="cooperation")


@dataclass(frozen=True)
class DeclineInvitation(Action):
    kind: ClassVar[str] = "decline_invitation"
    action_points: ClassVar[int] = 0
    consortium: int

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if not 0 <= self.consortium < len(state.consortia) or i not in state.consortia[self.consortium].invited:
            return Refusal("refused.no_invitation")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        c = state.consortia[self.consortium]
        c.invited.remove(i)
        state.explain(i, "done.decline_invitation", {"name": c.name}, "info")


@dataclass(frozen=True)
class LeaveConsortium(Action):
    kind: ClassVar[str] = "leave_consortium"

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if state.firms.consortium[i] < 0:
            return Refusal("refused.not_in_consortium")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        cooperation.leave(state, i)
        state.explain(i, "done.leave_consortium", {}, "info")


def has_partners(state: GameState, c: Consortium) -> bool:
    """Whether at least two of the consortium's members are alive (counted only up to two): a member
    free-rides only on partners (:class:`FreeRide`'s check, and the computer firms' rule)."""
    alive, live = state.firms.alive, 0
    for m in c.members:
        if alive[m]:
            live += 1
            if live == 2:
                return True
    return False


@dataclass(frozen=True)
class FreeRide(Action):
    """Free-ride this quarter: keep the consortium's pooled discounts, capacity and
    certifications, but skip the firm's share of the common work (the joint
    purchasing office, shared quality staff) and save its cost.

    The dilemma (design brief: "partners can free-ride"): the rider saves its
    contribution (:data:`game.core.cooperation.CONTRIBUTION`), while the pool's
    discount, which scales with the share of members doing their part, falls
    for everyone, and the partners see it and trust falls. Chosen one quarter
    at a time; costs no management time.
    """

    kind: ClassVar[str] = "free_ride"
    action_points: ClassVar[int] = 0

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        cid = state.firms.consortium.item(i)
        if cid < 0:
            return Refusal("refused.not_in_consortium")
        c = state.consortia[cid]
        if not has_partners(state, c):
            return Refusal("refused.consortium_alone", {"consortium": c.name})
        if i in c.shirking:
            return Refusal("refused.already_free_riding", {"consortium": c.name})
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        c = state.consortia[state.firms.consortium.item(i)]
        c.shirking.append(i)
        c.shirking.sort()
        state.explain(i, "done.free_ride", {"name": c.name}, "info")


@dataclass(frozen=True)
class OfferSubcontract(Action):
    kind: ClassVar[str] = "offer_subcontract"
    contract: str
    to_firm: str
    share: float
    price: int

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        c = _active_contract(state, self.contract)
        if c is None or i not in c.members:
            return Refusal("refused.not_your_contract", {"contract": self.contract})
        j = firm_index(state, self.to_firm)
        if j is None or j == i or not state.firms.alive[j]:
            return Refusal("refused.unknown_firm", {"firm": self.to_firm})
        if j in c.members:
            return Refusal("refused.subcontract_to_member")
        if c.subcontractor >= 0:
            return Refusal("refused.already_subcontracted")
        low, high = SUBCONTRACT_SHARE
        if not low <= self.share <= high:
            return Refusal("refused.bad_share", {"min": low, "max": high})
        if not 0 < self.price <= c.price:
            return Refusal("refused.bad_price", {"max": c.price})
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        j = state.firms.index(self.to_firm)
        state.offers = [o for o in state.offers if not (o.contract_id == self.contract and o.to_firm == j)]
        state.offers.append(SubcontractOffer(self.contract, i, j, float(self.share), self.price, state.quarter))
        state.explain(i, "done.offer_subcontract", {"contract": self.contract, "to": state.firms.names[j]}, "info", lever="cooperation")


@dataclass(frozen=True)
class AcceptSubcontract(Action):
    kind: ClassVar[str] = "accept_subcontract"
    contract: str

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        offer = next((o for o in state.offers if o.contract_id == self.contract and o.to_firm == i), None)
        if offer is None:
            return Refusal("refused.no_offer", {"contract": self.contract})
        c = _active_contract(state, self.contract)
        if c is None or c.subcontractor >= 0:
            return Refusal("refused.offer_expired")
        need = c.volume * float(rules.part_complexity[c.part_family]) * offer.share
        free = float(state.firms.capacity[i] - state.firms.committed[i])
        if free < need:
            return Refusal("missing.capacity", {"need": int(need), "have": int(max(free, 0))})
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        offer = next(o for o in state.offers if o.contract_id == self.contract and o.to_firm == i)
        c = _active_contract(state, self.contract)
        assert c is not None  # checked
        c.subcontractor = i
        c.subcontract_share = offer.share
        c.subcontract_price = offer.price
        state.firms.committed[:] = committed_capacity(state, rules)
        state.offers = [o for o in state.offers if o.contract_id != self.contract]
        state.explain(i, "done.accept_subcontract", {"contract": self.contract}, "good", lever="cooperation")
        state.explain(offer.from_firm, "done.subcontract_accepted", {"contract": self.contract, "by": state.firms.names[i]}, "good", lever="cooperation")


@dataclass(frozen=True)
class SignUniversityAgreement(Action):
    kind: ClassVar[str] = "sign_university"
    institution: str

    def _institution(self, rules: Rules) -> int | None:
        k = rules.institution_index.get(self.institution)
        if k is None or rules.level.institutions[k].kind not in ("university", "technology_centre"):
            return None
        return k

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        k = self._institution(rules)
        return FREE if k is None else Cost(now=rules.level.institutions[k].setup_cost)

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if self._institution(rules) is None:
            return Refusal("refused.unknown_university", {"institution": self.institution})
        if state.firms.university[i] >= 0:
            return Refusal("refused.already_linked")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        state.firms.university[i] = rules.institution_index[self.institution]
        state.explain(i, "done.sign_university", {"institution": self.institution}, "good", lever="cooperation")


@dataclass(frozen=True)
class JoinAssociation(Action):
    kind: ClassVar[str] = "join_association"

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        k = rules.association
        return FREE if k < 0 else Cost(now=rules.level.institutions[k].setup_cost)

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if rules.association < 0:
            return Refusal("refused.no_association")
        if state.firms.association[i]:
            return Refusal("refused.already_member")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        state.firms.association[i] = True
        state.explain(i, "done.join_association", {}, "good", lever="cooperation")


@dataclass(frozen=True)
class ApplySupplierDevelopment(Action):
    """Apply to a lead firm's supplier-development programme while its window is open.

    Free; the seats are awarded when the window closes, to the applicants
    that rank best on the programme's published criteria
    (:func:`game.core.policies.sd_criteria`), not to whoever applied first.
    """

    kind: ClassVar[str] = "apply_supplier_development"
    policy: str

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        p = rules.policy_index.get(self.policy)
        if p is None or not any(e.kind == "supplier_development" for e in rules.level.policies[p].effects):
            return Refusal("refused.unknown_programme", {"programme": self.policy})
        if not state.policy_active[p]:
            return Refusal("refused.policy_inactive")
        f = state.firms
        if f.supplier_dev[i] >= 0:
            return Refusal("refused.already_member")
        if f.sd_applied[i] >= 0:
            return Refusal("refused.already_applied")
        eff = next(e for e in rules.level.policies[p].effects if e.kind == "supplier_development")
        is_open, opens, closes = policies.sd_window(eff, state.quarter)
        if not is_open:
            return Refusal("refused.window_closed", {"opens": opens, "closes": closes})
        if not policies.eligible(state, rules, p, i):
            return Refusal("refused.not_eligible")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        p = rules.policy_index[self.policy]
        eff = next(e for e in rules.level.policies[p].effects if e.kind == "supplier_development")
        _, _, closes = policies.sd_window(eff, state.quarter)
        state.firms.sd_applied[i] = p
        score = float(policies.sd_criteria(state, rules, eff, np.array([i]))[0])
        state.explain(i, "done.apply_supplier_development", {"policy": self.policy, "closes": closes, "score": round(score, 3)}, "info", lever="catalyst")


DECISIONS: tuple[type[Action], ...] = (
    FoundConsortium,
    JoinConsortium,
    InviteToConsortium,
    DeclineInvitation,
    LeaveConsortium,
    FreeRide,
    OfferSubcontract,
    AcceptSubcontract,
    SignUniversityAgreement,
    JoinAssociation,
    ApplySupplierDevelopment,
)
