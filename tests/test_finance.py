"""Quarterly finance (game/core/finance.py): instalments, programmes, loans, solvency."""

from __future__ import annotations

import numpy as np

from game.core import finance
from game.core.actions import StartCertification, loan_terms
from game.core.contracts import Production
from game.core.state import MANAGEMENT, QUALITY, Application
from tests.helpers import invariant_violations, small_game


def _quiet(game, firm: int) -> None:  # noqa: ANN001
    """A firm with no running costs, so settle's cash movement is only what a test looks at."""
    f = game.state.firms
    f.employees[firm] = 0
    f.capacity[firm] = 0
    f.cert_held[firm] = False
    f.association[firm] = False
    f.university[firm] = -1
    f.debt[firm] = 0
    f.receivables[firm] = 0


def _no_production(n: int) -> Production:
    zeros = np.zeros(n, dtype=np.int64)
    return Production(zeros.astype(float), zeros.astype(float), zeros.astype(float), zeros.astype(float), zeros, zeros, zeros)


def test_a_certification_costs_exactly_its_price_over_its_quarters():
    """iso3834 in cross_clustering_emilia: 220,000 over 3 quarters, paid 73,334 + 73,333 + 73,333."""
    game = small_game(base="cross_clustering_emilia", smes=2)
    st, rules = game.state, game.rules
    f = st.firms
    k = rules.cert_index["iso3834"]
    for r in rules.cert_requires[k]:
        f.cert_held[0, r] = True
    f.cap[0, QUALITY] = f.cap[0, MANAGEMENT] = 0.99
    action = StartCertification("p1", "iso3834")
    out = int(f.cash_out[0])
    game.apply(action)
    _quiet(game, 0)  # after applying: the prerequisite no longer costs upkeep
    paid = [int(f.cash_out[0]) - out]
    while f.cert_left[0, k] > 0:
        out = int(f.cash_out[0])
        finance.settle(st, rules, _no_production(len(f)))
        finance.certifications(st, rules)
        paid.append(int(f.cash_out[0]) - out)
        if f.cert_held[0, k] or f.cert_left[0, k] == 0:
            break
    assert paid[:3] == [73_334, 73_333, 73_333]
    # An audit may fail: one more quarter of corrective actions is paid again; nothing else is.
    assert sum(paid) in (220_000, 220_000 + 73_333 * (len(paid) - 3))


def test_a_programme_grant_is_capped_by_what_is_left_of_its_budget():
    game = small_game(seed=2, smes=2)
    st, rules = game.state, game.rules
    f = st.firms
    p = 0
    prog = rules.level.programmes[p]
    project = 10 * prog.max_grant
    st.programme_spent[p] = prog.budget - 1_000  # 1,000 left
    st.applications = [Application(0, p, project, st.quarter)]
    f.cash[0] += project
    f.cash_open[0] += project
    before_cash = int(f.cash[0])
    approved = False
    for _ in range(40):  # approval is a seeded draw: retry from a fresh application
        st.applications = [Application(0, p, project, st.quarter)]
        finance.programmes(st, rules)
        if st.programme_spent[p] == prog.budget:
            approved = True
            break
    assert approved, "never approved in 40 draws"
    assert before_cash - int(f.cash[0]) == project - 1_000
    assert invariant_violations(st) == []


def test_loan_terms_floor_and_room():
    game = small_game(seed=1, smes=2)
    st, rules = game.state, game.rules
    bank = rules.bank_indexes[0]
    st.rate_shift = -5.0
    rate, room = loan_terms(st, rules, 0, bank)
    assert rate == 0.01
    st.firms.debt[0] = 10**12
    assert loan_terms(st, rules, 0, bank)[1] == 0


def test_short_of_cash_a_firm_gets_an_emergency_line_or_goes_bankrupt():
    game = small_game(seed=1, players=2, smes=2)
    st, rules = game.state, game.rules
    f = st.firms
    for i, assets in ((0, 10**9), (1, 0)):
        f.fixed_assets[i] = assets
        f.receivables[i] = 0
        f.debt[i] = 0
        f.cash_open[i] -= int(f.cash[i]) + 50_000
        f.cash[i] = -50_000
    finance.solvency(st, rules)
    assert f.alive[0] and int(f.cash[0]) == 0 and int(f.debt[0]) == 50_000
    assert f.debt_rate[0] >= finance.EMERGENCY_PREMIUM
    assert not f.alive[1] and f.bankrupt_quarter[1] == st.quarter


def test_a_firm_without_credit_raises_only_the_factors_advance_on_its_receivables():
    """Factoring on its own (no buyer's confirmation): the factor advances FACTOR_ADVANCE of each invoice
    less the discount and pays the reserve back when the customer pays; long receivables are not cash."""
    game = small_game(seed=1, players=2, smes=2)
    st, rules = game.state, game.rules
    f = st.firms
    face = 1_000_000
    rate = min(loan_terms(st, rules, 0, b)[0] for b in rules.bank_indexes) + finance.EMERGENCY_PREMIUM
    net = finance.FACTOR_ADVANCE - rate / 4.0  # per peso of an invoice due next quarter
    assert 0 < net < finance.FACTOR_ADVANCE < 1.0
    covered, short = int(0.95 * net * face), int(0.5 * (net * face + (1.0 - rate / 4.0) * face))
    for i, need in ((0, covered), (1, short)):
        f.fixed_assets[i] = 0
        f.debt[i] = 10**12  # no credit line has room
        f.receivables[i] = 0
        f.receivables[i, 0] = face
        f.cash_open[i] -= int(f.cash[i]) + need
        f.cash[i] = -need
    assert all(loan_terms(st, rules, 0, b)[1] == 0 for b in rules.bank_indexes)
    finance.solvency(st, rules)
    # Firm 0 needed less than the advance: it survives, and the reserve of what it sold is still owed to it.
    assert f.alive[0] and int(f.cash[0]) >= 0
    sold = int(np.ceil(covered / net))
    assert int(f.receivables[0, 0]) == face - sold + int(sold * (1.0 - finance.FACTOR_ADVANCE))
    # Firm 1 needed more than the advance (though less than the invoice less its discount): bankrupt.
    assert not f.alive[1] and f.bankrupt_quarter[1] == st.quarter
