"""Saving, loading and hashing the game state (JSON only; never pickle).

The state hash covers every column's dtype, shape and raw bytes, then a
canonical JSON of everything else (sorted keys, exact float reprs), so two
states hash alike exactly when they are the same state.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import numpy as np

from game.core.ledger import books_from_dict, books_to_dict
from game.core.rng import Streams
from game.core.state import (
    FIRM_COLUMNS,
    Application,
    Bid,
    Books,
    ClusterMetrics,
    Consortium,
    Contract,
    Explanation,
    Firms,
    GameState,
    Modifier,
    Rfq,
    SubcontractOffer,
)

SAVE_FORMAT = 1

_LISTS: dict[str, type] = {
    "rfqs": Rfq,
    "bids": Bid,
    "contracts": Contract,
    "consortia": Consortium,
    "offers": SubcontractOffer,
    "applications": Application,
    "modifiers": Modifier,
    "explanations": Explanation,
    "recent_events": Explanation,
}
_SCALARS = (
    "level_id",
    "level_hash",
    "seed",
    "quarter",
    "turns",
    "lead_firm_active",
    "follow_source_share",
    "policy_active",
    "policy_spent",
    "programme_spent",
    "events_fired",
    "supplier_dev_seats",
    "fx",
    "foreign_value",
    "awards",
    "rate_shift",
    "payment_shift",
    "history",
    "log",
    "objective_met",
    "pending_policies",
    "pending_events",
    "timeline",
    "next_contract",
    "next_rfq",
    "players",
    "finished",
)


class SaveError(Exception):
    """A save file could not be read; the message names the field and reason."""


def _plain(state: GameState) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(state, name) for name in _SCALARS}
    for name in _LISTS:
        out[name] = [dataclasses.asdict(item) for item in getattr(state, name)]
    out["metrics"] = dataclasses.asdict(state.metrics)
    out["firm_ids"] = state.firms.ids
    out["firm_names"] = state.firms.names
    out["rng"] = state.rng.to_dict()
    return out


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def state_hash(state: GameState) -> str:
    """A stable hash of the whole state (hex, 16 characters)."""
    h = hashlib.sha256()
    for name in sorted(FIRM_COLUMNS):
        arr = np.ascontiguousarray(state.firms.columns[name])
        h.update(f"{name}|{arr.dtype.str}|{arr.shape}|".encode())
        h.update(arr.tobytes())
    h.update(_canonical(_plain(state)).encode())
    return h.hexdigest()[:16]


def state_to_dict(state: GameState) -> dict[str, Any]:
    """The whole state as JSON-safe data (for save files)."""
    data = _plain(state)
    data["format"] = SAVE_FORMAT
    data["columns"] = {name: state.firms.columns[name].tolist() for name in sorted(FIRM_COLUMNS)}
    # The books (game/core/ledger.py): saved, but not hashed (bookkeeping of what the columns hold).
    data["ledger"] = state.ledger
    data["bid_results"] = state.bid_results
    data["books"] = books_to_dict(state.firms.books)
    return data


_SCALAR_TYPES: dict[str, type | tuple[type, ...]] = {
    "level_id": str,
    "level_hash": str,
    "seed": int,
    "quarter": int,
    "turns": int,
    "lead_firm_active": list,
    "follow_source_share": list,
    "policy_active": list,
    "policy_spent": list,
    "programme_spent": list,
    "events_fired": list,
    "supplier_dev_seats": list,
    "fx": (int, float),
    "rate_shift": (int, float),
    "payment_shift": int,
    "foreign_value": list,
    "awards": list,
    "history": list,
    "log": list,
    "objective_met": list,
    "pending_policies": dict,
    "pending_events": list,
    "timeline": list,
    "next_contract": int,
    "next_rfq": int,
    "players": int,
    "finished": bool,
}
_ITEM_TYPES: dict[str, type | tuple[type, ...]] = {
    "lead_firm_active": bool,
    "follow_source_share": (int, float),
    "policy_active": bool,
    "policy_spent": int,
    "programme_spent": int,
    "events_fired": bool,
    "supplier_dev_seats": int,
    "pending_events": str,
}


def _check_scalar(name: str, value: Any) -> None:
    kind = _SCALAR_TYPES[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, (int, float))):
        raise SaveError(f"{name}: expected {getattr(kind, '__name__', 'a number')}, got {value!r}")
    item = _ITEM_TYPES.get(name)
    if item is not None:
        assert isinstance(value, list)  # checked just above
        for k, v in enumerate(value):
            if not isinstance(v, item) or (isinstance(v, bool) and item is not bool):
                raise SaveError(f"{name}[{k}]: expected {getattr(item, '__name__', 'a number')}, got {v!r}")


def check_against_level(state: GameState, n_leads: int, n_policies: int, n_programmes: int, n_events: int, n_conditions: int) -> None:
    """Lists sized by the level must have the level's sizes (SaveError names the one that does not)."""
    expected = {
        "lead_firm_active": n_leads,
        "follow_source_share": n_leads,
        "policy_active": n_policies,
        "policy_spent": n_policies,
        "supplier_dev_seats": n_policies,
        "programme_spent": n_programmes,
        "events_fired": n_events,
        "objective_met": state.players,
    }
    for name, n in expected.items():
        if len(getattr(state, name)) != n:
            raise SaveError(f"{name}: has {len(getattr(state, name))} entries, the level needs {n}")
    for p, met in enumerate(state.objective_met):
        if not isinstance(met, list) or len(met) != n_conditions or not all(isinstance(x, int) and not isinstance(x, bool) for x in met):
            raise SaveError(f"objective_met[{p}]: expected {n_conditions} quarters")
    if not 1 <= state.players <= len(state.firms):
        raise SaveError(f"players: {state.players} does not fit {len(state.firms)} firms")


def state_from_dict(data: Any, n_certs: int) -> GameState:
    """Rebuild a state from save data; any problem raises SaveError naming the field."""
    if not isinstance(data, dict):
        raise SaveError("the save is not a JSON object")
    if data.get("format") != SAVE_FORMAT:
        raise SaveError(f"format: expected {SAVE_FORMAT}, got {data.get('format')!r}")
    try:
        ids = list(data["firm_ids"])
        n = len(ids)
        firms = Firms.empty(n, n_certs)
        firms.ids = [str(x) for x in ids]
        firms.names = [str(x) for x in data["firm_names"]]
        cols = data["columns"]
        for name, (dtype, _) in FIRM_COLUMNS.items():
            if name not in cols:
                raise SaveError(f"columns.{name}: missing")
            try:
                arr = np.asarray(cols[name], dtype=dtype)
            except (TypeError, ValueError, OverflowError) as exc:
                raise SaveError(f"columns.{name}: not a table of numbers ({exc})") from None
            if arr.shape != firms.columns[name].shape:
                raise SaveError(
                    f"columns.{name}: shape {arr.shape} does not match {firms.columns[name].shape}"
                )
            if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
                raise SaveError(f"columns.{name}: contains a non-finite number")
            firms.set_column(name, arr)
        kwargs: dict[str, Any] = {}
        for name in _SCALARS:
            if name not in data:
                raise SaveError(f"{name}: missing")
            _check_scalar(name, data[name])
            kwargs[name] = data[name]
        for name, cls in _LISTS.items():
            if not isinstance(data.get(name), list):
                raise SaveError(f"{name}: expected a list")
            items = []
            for k, item in enumerate(data[name]):
                try:
                    items.append(cls(**item))
                except TypeError as exc:
                    raise SaveError(f"{name}[{k}]: malformed ({exc})") from None
            kwargs[name] = items
        kwargs["metrics"] = ClusterMetrics(**data["metrics"])
        kwargs["rng"] = Streams.from_dict(data["rng"])
    except SaveError:
        raise
    except KeyError as exc:
        raise SaveError(f"{exc.args[0]}: missing") from None
    except (TypeError, ValueError, OverflowError) as exc:
        raise SaveError(f"malformed value: {exc}") from None
    state = GameState(firms=firms, **kwargs)
    state.bid_keys = bid_keys(state.bids)
    _load_books(state, data)
    return state


def _load_books(state: GameState, data: dict[str, Any]) -> None:
    """The ledger and the open quarter's books; a save from before the ledger has neither."""
    ledger = data.get("ledger", [])
    if not isinstance(ledger, list) or not all(isinstance(q, dict) for q in ledger):
        raise SaveError("ledger: expected a list of quarter statements")
    state.ledger = ledger
    results = data.get("bid_results", [])
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise SaveError("bid_results: expected a list of call results")
    state.bid_results = results
    n = len(state.firms)
    if "books" in data:
        try:
            state.firms.books = books_from_dict(data["books"], n)
        except (ValueError, OverflowError) as exc:
            raise SaveError(str(exc)) from None
    else:
        # Saved before the ledger existed: what moved earlier this quarter was not recorded by line.
        books = Books(n)
        books.flow("unrecorded.before_ledger", slice(None), (state.firms.cash - state.firms.cash_open).astype(np.int64))
        state.firms.books = books


def bid_keys(bids: list[Bid]) -> set[tuple[str, int]]:
    """The duplicate-bid index of a list of bids (see GameState.bid_keys)."""
    keys = set()
    for b in bids:
        keys.add((b.rfq_id, b.firm))
        if b.consortium >= 0:
            keys.add((b.rfq_id, -1 - b.consortium))
    return keys
