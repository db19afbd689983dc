"""The firm's books: a quarterly income statement and a cash-flow reconciliation.

Every peso that moves goes through :meth:`Firms.pay` / :meth:`Firms.receive`
with a line name, and every revenue or cost line of the profit is booked
where the rules compute it (``contracts.execute``, ``finance.settle``), into
the quarter's :class:`~game.core.state.Books`. So, for every firm and every
quarter, by construction and with no balancing line::

    opening cash + sum(cash_flows) == closing cash
    sum(income) == profit            (the core's ``profit`` column)
    closing cash of quarter q == opening cash of quarter q + 1

Line names are ``group.item``. Cash-flow groups: ``collections`` (customers
paying: receivables due, the part of this quarter's sales paid within it,
reverse factoring, subcontract work), ``payments`` (operating costs and
tax), ``investments`` (decisions paid now: training, technology, capacity,
certification, innovation, practices, memberships, a consortium's set-up;
a failed audit's extra quarter; a programme's own part) and ``financing``
(loans taken and repaid, scheduled principal, emergency credit,
receivables sold to a factor). Income groups: ``revenue`` (by contract,
subcontract work, local sales) and ``cost`` (materials, wages, overhead,
certification upkeep and instalments, memberships, interest, chargebacks,
consortium coordination, subcontractors, reverse-factoring discount, tax).
Investments paid now are not costs of the quarter in the game's profit;
they show in the cash flow as such.

The ledger is bookkeeping only: no rule reads it and it is not part of the
state hash, so adding it changed no result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.core.detmath import ordered_sum
from game.core.state import Books, GameState

GROUPS = ("collections", "payments", "investments", "financing")
"""Cash-flow groups, in statement order."""


def reset(state: GameState) -> None:
    """Open a quarter's books (the engine calls it when the quarter opens)."""
    state.firms.books = Books(len(state.firms))


def close_quarter(state: GameState) -> None:
    """Close the quarter's books: keep every firm's figures (``books_closed``) and append the players' statements."""
    f = state.firms
    books = f.books
    state.books_closed = {
        "quarter": state.quarter,
        "opening": f.cash_open.copy(),
        "closing": f.cash.copy(),
        "profit": f.profit.copy(),
        "cash": {k: v.copy() for k, v in books.cash.items()},
        "income": {k: v.copy() for k, v in books.income.items()},
        "sparse": {k: dict(line) for k, line in books.sparse.items()},
    }
    for p in range(state.players):
        state.ledger.append(statement(state, p))


def _lines(table: dict[str, np.ndarray], firm: int) -> dict[str, int]:
    return {name: v for name, arr in sorted(table.items()) if (v := int(arr[firm])) != 0}


def statement(state: GameState, firm: int) -> dict[str, Any]:
    """One firm's statements for the quarter being closed (JSON-safe; keys as in README ``quarters``)."""
    f = state.firms
    books = f.books
    lines = _contract_lines(books.contracts, firm)
    return {
        "quarter": state.quarter,
        "firm": f.ids[firm],
        "opening_cash": int(f.cash_open[firm]),
        "cash_flows": _lines(books.cash, firm),
        "closing_cash": int(f.cash[firm]),
        "income": books.income_of(firm),
        "profit": int(f.profit[firm]),
        "receivables": f.receivables[firm].tolist(),
        "debt": int(f.debt[firm]),
        "contracts": lines,
        "calls": _calls(books, lines, firm),
        "contract_events": _contract_events(state, firm),
    }


CONTRACT_EVENTS = {"rfq.won": "won", "contract.lost": "lost", "contract.dropped": "dropped", "contract.ended": "ended"}
"""Explanation keys counted in each quarter's ``contract_events`` (won, lost to strikes, dropped without notice, ended)."""


def _contract_events(state: GameState, firm: int) -> dict[str, int]:
    out = dict.fromkeys(CONTRACT_EVENTS.values(), 0)
    for e in state.explanations:
        if e.firm == firm and e.key in CONTRACT_EVENTS:
            out[CONTRACT_EVENTS[e.key]] += 1
    return out


CONTRACT_ITEMS = ("gross", "chargebacks", "coordination", "factoring_discount", "subcontracted", "materials")
"""What a contract left a firm in a quarter: its gross, less each deduction (signed), adding up to ``net``."""


def _contract_lines(table: dict[str, dict[int, int]], firm: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key, line in sorted(table.items()):
        v = int(line.get(firm, 0))
        if v == 0:
            continue
        cid, item = key.split("|", 1)
        out.setdefault(cid, dict.fromkeys(CONTRACT_ITEMS, 0))[item] = v
    for lines in out.values():
        lines["net"] = ordered_sum(lines[k] for k in CONTRACT_ITEMS)
    return out


def _calls(books: Books, lines: dict[str, dict[str, int]], firm: int) -> dict[str, dict[str, Any]]:
    """The call behind each contract or subcontract line of the firm's quarter (contract id ->
    ``rfq``, ``part_family`` index, ``issuer``): what names the line once the contract has ended."""
    ids = set(lines)
    for name, line in books.sparse.items():
        kind, _, cid = name.partition(".")[2].partition(".")
        if kind in ("contract", "subcontract") and line.get(firm, 0):
            ids.add(cid)
    return {cid: dict(books.calls[cid]) for cid in sorted(ids) if cid in books.calls}


def quarters(state: GameState, firm: int) -> list[dict[str, Any]]:
    """A player's closed quarters, oldest first."""
    fid = state.firms.ids[firm]
    return [q for q in state.ledger if q.get("firm") == fid]


def group_totals(cash_flows: dict[str, int]) -> dict[str, int]:
    """Cash flows summed by group (collections, payments, investments, financing; signed)."""
    out = dict.fromkeys(GROUPS, 0)
    for name, v in cash_flows.items():
        group = name.split(".", 1)[0]
        out[group] = out.get(group, 0) + v
    return out


def books_to_dict(books: Books) -> dict[str, Any]:
    return books.to_dict()


def books_from_dict(data: Any, n: int) -> Books:
    """Rebuild the open quarter's books from a save (ValueError names the problem)."""
    if not isinstance(data, dict):
        raise ValueError("books: expected an object")
    dense: dict[str, dict[str, np.ndarray]] = {}
    for part in ("cash", "income"):
        raw = data.get(part, {})
        if not isinstance(raw, dict):
            raise ValueError(f"books.{part}: expected an object")
        table = {}
        for name, values in raw.items():
            if not isinstance(values, list) or len(values) != n or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                raise ValueError(f"books.{part}.{name}: expected {n} whole numbers of pesos")
            table[str(name)] = np.array(values, dtype=np.int64)
        dense[part] = table
    sparse: dict[str, dict[str, dict[int, int]]] = {}
    for part in ("sparse", "contracts"):
        raw = data.get(part, {})
        if not isinstance(raw, dict):
            raise ValueError(f"books.{part}: expected an object")
        lines: dict[str, dict[int, int]] = {}
        for name, by_firm in raw.items():
            if not isinstance(by_firm, dict):
                raise ValueError(f"books.{part}.{name}: expected firm -> pesos")
            line: dict[int, int] = {}
            for firm, v in by_firm.items():
                if not (isinstance(firm, str) and firm.isdigit() and int(firm) < n) or not isinstance(v, int) or isinstance(v, bool):
                    raise ValueError(f"books.{part}.{name}: {firm!r} is not a firm row with whole pesos")
                line[int(firm)] = v
            lines[str(name)] = line
        sparse[part] = lines
    raw_calls = data.get("calls", {})
    if not isinstance(raw_calls, dict):
        raise ValueError("books.calls: expected an object")
    calls: dict[str, dict[str, Any]] = {}
    for cid, call in raw_calls.items():
        if not (
            isinstance(call, dict)
            and isinstance(call.get("rfq"), str)
            and isinstance(call.get("issuer"), str)
            and isinstance(call.get("part_family"), int)
            and not isinstance(call.get("part_family"), bool)
        ):
            raise ValueError(f"books.calls.{cid}: expected rfq, part_family and issuer")
        calls[str(cid)] = {"rfq": call["rfq"], "part_family": call["part_family"], "issuer": call["issuer"]}
    return Books(n, dense["cash"], dense["income"], sparse["sparse"], sparse["contracts"], calls)
