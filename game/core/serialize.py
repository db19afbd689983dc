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

from game.core.rng import Streams
from game.core.state import (
    FIRM_COLUMNS,
    Application,
    Bid,
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
    return data


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
            arr = np.asarray(cols[name], dtype=dtype)
            if arr.shape != firms.columns[name].shape:
                raise SaveError(
                    f"columns.{name}: shape {arr.shape} does not match {firms.columns[name].shape}"
                )
            if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
                raise SaveError(f"columns.{name}: contains a non-finite number")
            firms.set_column(name, arr)
        kwargs: dict[str, Any] = {name: data[name] for name in _SCALARS}
        for name, cls in _LISTS.items():
            kwargs[name] = [cls(**item) for item in data[name]]
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
    return state


def bid_keys(bids: list[Bid]) -> set[tuple[str, int]]:
    """The duplicate-bid index of a list of bids (see GameState.bid_keys)."""
    keys = set()
    for b in bids:
        keys.add((b.rfq_id, b.firm))
        if b.consortium >= 0:
            keys.add((b.rfq_id, -1 - b.consortium))
    return keys
