"""Decisions about money: bank loans and public programmes.

One block per decision: its data, ``cost``, ``check`` and ``execute``; with
them the two figures the finance phase shares (a bank's terms, a
programme's grant).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from game.core import policies
from game.core.decisions.base import FREE, Action, Cost, Refusal
from game.core.detmath import ordered_sum
from game.core.state import Application, Firms, GameState

if TYPE_CHECKING:
    from game.core.level import Institution, Programme
    from game.core.rules import Rules


def loan_terms(state: GameState, rules: Rules, firm: int, bank: int) -> tuple[float, int]:
    """(yearly rate, largest new loan) a bank offers the firm now."""
    return loan_offers(state, rules, firm, [bank])[0]


VECTOR_BANKS = 8
"""Above this many banks :func:`loan_offers` runs on arrays; below, one bank at a time is cheaper."""


def loan_offers(state: GameState, rules: Rules, firm: int, banks: list[int]) -> list[tuple[float, int]]:
    """:func:`loan_terms` of each of ``banks``, reading the firm's figures and guarantees once.

    The rate: the bank's, plus the policy rate's shift, less a credit guarantee's
    cut and the bank's discount for medium firms (over 50 employees), at least 1%.
    The room: fixed assets and receivables as collateral (a guarantee covers a
    share of what the bank asks), up to the bank's largest loan, less the debt.
    """
    f = state.firms
    g_share, cut = policies.credit_guarantee(state, rules, firm)
    assets = _assets(f, firm)
    debt = f.debt.item(firm)
    medium = f.employees.item(firm) > 50
    if len(banks) <= VECTOR_BANKS:
        out = []
        for bank in banks:
            inst = rules.level.institutions[bank]
            out.append((_bank_rate(inst, state.rate_shift, cut, medium), _bank_room(inst, g_share, assets, debt)))
        return out
    rates, rooms = _offer_arrays(state, rules, banks, cut, g_share, medium, assets, debt)
    return list(zip(rates.tolist(), rooms.tolist(), strict=True))


def _assets(f: Firms, firm: int) -> int:
    """What a firm can pledge for a loan: its fixed assets and receivables (added from the left)."""
    return f.fixed_assets.item(firm) + ordered_sum(f.receivables[firm].tolist())


def _bank_rate(inst: Institution, rate_shift: float, cut: float, medium: bool) -> float:
    """The yearly rate of :func:`loan_offers` at one bank."""
    rate = inst.annual_rate + rate_shift - cut
    if medium:
        rate -= inst.medium_firm_discount
    return max(0.01, rate)


def _bank_room(inst: Institution, g_share: float, assets: int, debt: int) -> int:
    """The largest new loan of :func:`loan_offers` at one bank."""
    collateral = inst.collateral * (1.0 - g_share)
    by_collateral = assets / collateral if collateral > 0 else float(inst.max_loan)
    room = min(inst.max_loan, by_collateral) - debt
    return max(0, int(room))


def loan_rate(state: GameState, rules: Rules, firm: int, bank: int) -> float:
    """``loan_terms(...)[0]``: the rate alone, without the firm's collateral."""
    _, cut = policies.credit_guarantee(state, rules, firm)
    return _bank_rate(rules.level.institutions[bank], state.rate_shift, cut, state.firms.employees.item(firm) > 50)


def loan_room(state: GameState, rules: Rules, firm: int, bank: int) -> int:
    """``loan_terms(...)[1]``: the largest new loan alone, without the rate."""
    f = state.firms
    g_share, _ = policies.credit_guarantee(state, rules, firm)
    assets = _assets(f, firm)
    return _bank_room(rules.level.institutions[bank], g_share, assets, f.debt.item(firm))


def loan_offer_arrays(state: GameState, rules: Rules, firm: int, banks: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`loan_offers` as arrays: (rates float64, rooms int64), one entry per bank."""
    f = state.firms
    g_share, cut = policies.credit_guarantee(state, rules, firm)
    assets = int(f.fixed_assets[firm]) + int(f.receivables[firm].sum())
    return _offer_arrays(state, rules, banks, cut, g_share, bool(f.employees[firm] > 50), assets, int(f.debt[firm]))


def _rate_array(state: GameState, terms: np.ndarray, cut: float, medium: bool) -> np.ndarray:
    """The rates of banks with these terms (rows of ``rules.institution_terms``)."""
    # Elementwise, in the order the scalar formula runs: the same IEEE results.
    rates = terms[:, 0] + state.rate_shift - cut
    if medium:
        rates = rates - terms[:, 1]
    return np.maximum(0.01, rates)


def _offer_arrays(
    state: GameState, rules: Rules, banks: list[int], cut: float, g_share: float, medium: bool, assets: int, debt: int
) -> tuple[np.ndarray, np.ndarray]:
    terms = rules.institution_terms[banks]
    rates = _rate_array(state, terms, cut, medium)
    collaterals = terms[:, 2] * (1.0 - g_share)
    max_loans = terms[:, 3]
    positive = collaterals > 0
    by_collaterals = np.where(positive, float(assets) / np.where(positive, collaterals, 1.0), max_loans)
    rooms = np.maximum(np.trunc(np.minimum(max_loans, by_collaterals) - float(debt)), 0.0).astype(np.int64)
    return rates, rooms


def cheapest_bank(state: GameState, rules: Rules, firm: int, banks: list[int]) -> tuple[int, int]:
    """(bank, room): the one of ``banks`` offering the firm the lowest rate (the lowest bank index
    on a tie), and the largest loan it offers (:func:`loan_offers`).

    Which bank that is depends on the firm only through its guarantee's rate cut and whether it is
    medium-sized, so it is kept in ``state.memo`` for each (cut, size) with the banks, rules and
    policy rate it was found with: a large cluster's firms do not each scan every bank's terms."""
    g_share, cut = policies.credit_guarantee(state, rules, firm)
    medium = bool(state.firms.employees[firm] > 50)
    memo = state.memo.get("cheapest_bank")
    if memo is None or memo[0] is not rules or memo[1] is not banks or memo[2] != len(banks) or memo[3] != state.rate_shift:
        memo = (rules, banks, len(banks), state.rate_shift, {})
        state.memo["cheapest_bank"] = memo
    found: dict[tuple[float, bool], int] = memo[4]
    best = found.get((cut, medium))
    if best is None:
        if len(banks) > VECTOR_BANKS:
            rates = _rate_array(state, rules.institution_terms[banks], cut, medium)
            tied = np.flatnonzero(rates == rates.min()).tolist()
            best = min(banks[k] for k in tied)
        else:
            offers = loan_offers(state, rules, firm, banks)
            best = min(zip(banks, offers, strict=True), key=lambda bo: (bo[1][0], bo[0]))[0]
        found[(cut, medium)] = best
    return best, loan_offers(state, rules, firm, [best])[0][1]


def loan_offer_matrix(state: GameState, rules: Rules, firms: list[int], banks: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`loan_offer_arrays` of each of ``firms``: (rates float64, rooms int64), (firms, banks),
    row by row the same IEEE results (the same operations, broadcast)."""
    f = state.firms
    idx = np.array(firms, dtype=np.int64)
    shares, cuts = policies.credit_guarantees(state, rules, idx)
    g_share, cut = shares[:, None], cuts[:, None]
    assets = (f.fixed_assets[idx] + f.receivables[idx].sum(axis=1)).astype(np.float64)[:, None]
    debt = f.debt[idx].astype(np.float64)[:, None]
    medium = (f.employees[idx] > 50)[:, None]
    bank = rules.institution_terms[banks]
    rates = bank[None, :, 0] + state.rate_shift - cut
    rates = np.where(medium, rates - bank[None, :, 1], rates)
    rates = np.maximum(0.01, rates)
    collaterals = bank[None, :, 2] * (1.0 - g_share)
    max_loans = bank[None, :, 3]
    positive = collaterals > 0
    by_collaterals = np.where(positive, assets / np.where(positive, collaterals, 1.0), max_loans)
    rooms = np.maximum(np.trunc(np.minimum(max_loans, by_collaterals) - debt), 0.0).astype(np.int64)
    return rates, rooms


def programme_grant(prog: Programme, project_cost: int, budget_left: int | None = None) -> int:
    """The grant a programme gives a project: its share, up to its cap (and, when
    deciding, up to what is left of its budget)."""
    grant = min(int(project_cost * prog.share), prog.max_grant)
    return grant if budget_left is None else min(grant, max(budget_left, 0))


@dataclass(frozen=True)
class TakeLoan(Action):
    kind: ClassVar[str] = "take_loan"
    bank: str
    amount: int

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        bank = rules.institution_index.get(self.bank)
        if bank is None or rules.level.institutions[bank].kind != "bank":
            return Refusal("refused.unknown_bank", {"bank": self.bank})
        if self.amount <= 0:
            return Refusal("refused.bad_amount", {"amount": self.amount})
        room = loan_room(state, rules, i, bank)
        if self.amount > room:
            return Refusal("refused.loan_collateral", {"max": room})
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        f = state.firms
        rate = loan_rate(state, rules, i, rules.institution_index[self.bank])
        old = f.debt.item(i)
        f.debt_rate[i] = (f.debt_rate[i] * old + rate * self.amount) / (old + self.amount)
        f.debt[i] += self.amount
        f.receive(i, self.amount, "financing.loan_taken")
        state.explain(i, "done.take_loan", {"amount": self.amount, "rate": round(rate, 4)}, "info")


@dataclass(frozen=True)
class RepayLoan(Action):
    kind: ClassVar[str] = "repay_loan"
    amount: int

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        return Cost(now=self.amount) if self.amount > 0 else FREE

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        if self.amount <= 0:
            return Refusal("refused.bad_amount", {"amount": self.amount})
        if self.amount > state.firms.debt[i]:
            return Refusal("refused.repay_more_than_debt", {"debt": int(state.firms.debt[i])})
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        f = state.firms
        f.debt[i] -= self.amount
        if f.debt[i] == 0:
            f.debt_rate[i] = 0.0
        state.explain(i, "done.repay_loan", {"amount": self.amount}, "info")


@dataclass(frozen=True)
class ApplyProgramme(Action):
    """Apply to a public programme: decided some quarters later; the firm co-finances if approved."""

    kind: ClassVar[str] = "apply_programme"
    programme: str
    project_cost: int

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        p = rules.programme_index.get(self.programme)
        if p is None or self.project_cost <= 0:
            return FREE
        grant = programme_grant(rules.level.programmes[p], self.project_cost)
        own = self.project_cost - grant
        # Nothing is paid now, but the firm must show its own part in the bank to apply.
        return Cost(later=own, subsidy=grant, must_hold=own)

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        p = rules.programme_index.get(self.programme)
        if p is None:
            return Refusal("refused.unknown_programme", {"programme": self.programme})
        prog = rules.level.programmes[p]
        f = state.firms
        if self.project_cost <= 0:
            return Refusal("refused.bad_amount", {"amount": self.project_cost})
        if f.employees[i] > prog.max_employees:
            return Refusal("refused.programme_too_large", {"max": prog.max_employees})
        if prog.requires_university and f.university[i] < 0:
            return Refusal("refused.programme_needs_university")
        if any(app.firm == i and app.programme == p for app in state.applications):
            return Refusal("refused.programme_pending")
        if state.programme_spent[p] >= prog.budget:
            return Refusal("refused.programme_budget_spent")
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        p = rules.programme_index[self.programme]
        prog = rules.level.programmes[p]
        state.applications.append(Application(i, p, self.project_cost, state.quarter + prog.approval_quarters))
        state.explain(i, "done.apply_programme", {"programme": self.programme, "quarters": prog.approval_quarters}, "info", lever="catalyst")


DECISIONS: tuple[type[Action], ...] = (TakeLoan, RepayLoan, ApplyProgramme)
