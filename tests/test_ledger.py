"""The books (game/core/ledger.py): every peso named, for every firm and every quarter.

A hypothesis property over random games (level, seed, players, the stand-in
strategy of each player, and random loans, repayments and big capacity
purchases that push firms into emergency credit and factoring): after every
quarter, for every firm, opening cash + the cash-flow lines == closing cash,
the income lines add up to the quarter's profit, and the closing cash is the
next quarter's opening. Also: the books leave the state hash unchanged and
survive a save.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.core import ledger
from game.core.actions import ExpandCapacity, RepayLoan, TakeLoan
from game.core.serialize import state_from_dict, state_to_dict
from game.core.strategies import STRATEGY_NAMES, play_quarter
from tests.helpers import small_game

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _identities(books: dict, next_opening: np.ndarray | None) -> list[str]:
    bad = []
    q = books["quarter"]
    flows = sum(books["cash"].values(), np.zeros_like(books["opening"]))
    income = sum(books["income"].values(), np.zeros_like(books["profit"]))
    for line in books["sparse"].values():  # per-contract revenue, kept sparse
        for firm, v in line.items():
            income[firm] += v
    for i in range(len(books["opening"])):
        if int(books["opening"][i]) + int(flows[i]) != int(books["closing"][i]):
            lines = {k: int(v[i]) for k, v in books["cash"].items() if v[i]}
            bad.append(f"q{q} firm {i}: opening {int(books['opening'][i])} + {lines} != closing {int(books['closing'][i])}")
        if int(income[i]) != int(books["profit"][i]):
            lines = {k: int(v[i]) for k, v in books["income"].items() if v[i]}
            lines.update({k: line[i] for k, line in books["sparse"].items() if i in line})
            bad.append(f"q{q} firm {i}: income {lines} != profit {int(books['profit'][i])}")
        if next_opening is not None and int(next_opening[i]) != int(books["closing"][i]):
            bad.append(f"q{q} firm {i}: closing {int(books['closing'][i])} != next opening {int(next_opening[i])}")
    unknown = [k for k in list(books["cash"]) if k.split(".", 1)[0] not in ledger.GROUPS]
    unknown += [k for k in list(books["income"]) + list(books["sparse"]) if k.split(".", 1)[0] not in ("revenue", "cost")]
    return bad + [f"unnamed group: {k}" for k in unknown]


@SETTINGS
@given(
    level=st.sampled_from(["tutorial", "bajio_automotive", "cross_clustering_emilia"]),
    seed=st.integers(0, 10_000),
    strategies=st.lists(st.sampled_from(STRATEGY_NAMES), min_size=1, max_size=3),
    shocks=st.lists(st.tuples(st.integers(1, 10), st.sampled_from(["loan", "repay", "capacity"]), st.integers(1, 40)), max_size=8),
)
def test_books_add_up_for_every_firm_every_quarter(level, seed, strategies, shocks):
    game = small_game(seed=seed, players=len(strategies), smes=6, base=level, turns=10)
    st_, rules = game.state, game.rules
    drivers = [np.random.default_rng([seed, p]) for p in range(len(strategies))]
    previous = None
    seen = set()
    while not game.finished:
        for q, kind, size in shocks:
            if q != st_.quarter:
                continue
            fid = st_.firms.ids[0]
            if kind == "loan":
                for bank in rules.bank_indexes:
                    game.try_apply(TakeLoan(fid, rules.level.institutions[bank].id, size * 25_000))
            elif kind == "repay":
                game.try_apply(RepayLoan(fid, min(size * 10_000, int(st_.firms.debt[0]))))
            else:
                game.try_apply(ExpandCapacity(fid, size * 50))
        for p, name in enumerate(strategies):
            if st_.firms.alive[p]:
                play_quarter(st_, rules, p, name, drivers[p], lambda a: game.try_apply(a) is None)
        game.end_quarter()
        books = st_.books_closed
        if previous is not None:
            assert _identities(previous, books["opening"]) == []
        previous = books
        for table in (books["cash"], books["income"], books["sparse"]):
            seen.update(table)
    assert _identities(previous, None) == []
    # The players' statements are the same books, one per player per quarter.
    for p in range(len(strategies)):
        qs = ledger.quarters(st_, p)
        assert [q["quarter"] for q in qs] == list(range(1, len(qs) + 1))
        for a, b in zip(qs, qs[1:], strict=False):
            assert a["closing_cash"] == b["opening_cash"]
        for q in qs:
            assert q["opening_cash"] + sum(q["cash_flows"].values()) == q["closing_cash"]
            assert sum(q["income"].values()) == q["profit"]


def test_books_name_the_movements_that_matter_and_leave_the_hash_alone():
    game = small_game(seed=3, players=1, smes=4, turns=4)
    st_, rules = game.state, game.rules
    bank = rules.level.institutions[rules.bank_indexes[0]].id
    assert game.try_apply(TakeLoan("p1", bank, 100_000)) is None
    flows = st_.firms.books.cash
    assert int(flows["financing.loan_taken"][0]) == 100_000
    # The same game with the books wiped hashes the same: the books are not part of the state hash.
    clone = game.clone()
    clone.state.firms.books = type(st_.firms.books)(len(st_.firms))
    clone.state.ledger = [{"junk": 1}]
    assert clone.hash() == game.hash()
    game.end_quarter()
    q = ledger.quarters(st_, 0)[0]
    assert q["cash_flows"]["financing.loan_taken"] == 100_000
    assert q["cash_flows"]["payments.wages"] < 0 and q["income"]["cost.wages"] == q["cash_flows"]["payments.wages"]
    assert "revenue.local_sales" in q["income"]
    assert q["receivables"] == [int(x) for x in st_.firms.receivables[0]]


def test_books_survive_a_save_mid_quarter():
    game = small_game(seed=5, players=1, smes=4, turns=4)
    game.end_quarter()
    rules = game.rules
    bank = rules.level.institutions[rules.bank_indexes[0]].id
    assert game.try_apply(TakeLoan("p1", bank, 50_000)) is None
    data = state_to_dict(game.state)
    loaded = state_from_dict(data, len(rules.level.certifications))
    assert loaded.ledger == game.state.ledger
    assert int(loaded.firms.books.cash["financing.loan_taken"][0]) == 50_000
    # A save from before the ledger: what moved this quarter is named as unrecorded, not lost.
    del data["books"]
    old = state_from_dict(data, len(rules.level.certifications))
    assert int(old.firms.books.cash["unrecorded.before_ledger"][0]) == 50_000


def test_whole_lines_added_at_once_are_each_line_added_in_turn():
    """Books.add_lines (settle's costs and payments) gives every line what earn/flow gives it line by
    line, whether the line was opened earlier in the quarter or not, and keeps no link between lines."""
    from game.core.state import Books

    rng = np.random.default_rng(5)
    n = 7
    names = ("a.x", "a.y", "a.z")
    amounts = rng.integers(-1000, 1000, (3, n))
    one, many = Books(n), Books(n)
    for books in (one, many):
        books.earn("a.y", slice(None), np.arange(n))
    for k, name in enumerate(names):
        one.earn(name, slice(None), amounts[k])
    many.add_lines(many.income, names, amounts.copy())
    assert {k: v.tolist() for k, v in one.income.items()} == {k: v.tolist() for k, v in many.income.items()}
    many.earn("a.x", 2, 5)  # a later entry on a line made from a row changes that line only
    assert many.income["a.x"][2] == amounts[0, 2] + 5 and many.income["a.z"].tolist() == amounts[2].tolist()


def test_the_players_rows_follow_the_kind_column():
    from game.core.state import KIND_COMPUTER, KIND_PLAYER

    game = small_game(seed=1, players=2, smes=3)
    f = game.state.firms
    assert f.player_rows() == frozenset({0, 1})
    f.kind[1] = KIND_COMPUTER
    f.kind[4] = KIND_PLAYER
    assert f.player_rows() == frozenset({0, 4})
