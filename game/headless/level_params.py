"""Numeric level values named by key path, for experiments that vary a level.

A path is the level's keys joined with dots, as in the loader's error
messages: ``player_firm.cash``, ``computer_smes.count``,
``lead_firms.0.follow_source_share`` or ``lead_firms[0].follow_source_share``
(a list item by position, as the loader's messages write it) or
``lead_firms.nordwagen.requirements.tier2.quality`` (a list item by its id).
Every path is checked against the level JSON Schema (it must lead to a number)
and against the level itself (the list item must exist); a range is checked
against the schema's bounds and by validating the level at both ends.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from game.core.level_loader import (
    LevelError,
    LoadedLevel,
    content_hash,
    level_json_schema,
    validate_data,
)


class ParamError(ValueError):
    """A --param that names no numeric level value or leaves the schema's bounds."""


@dataclass(frozen=True)
class LevelParam:
    path: str
    low: float
    high: float
    integer: bool
    keys: tuple[str | int, ...]  # the path resolved in the level's data


@functools.cache
def _schema() -> dict[str, Any]:
    return level_json_schema()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref and pick the non-null branch of an optional value."""
    while True:
        if "$ref" in node:
            node = _schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]]
            continue
        branches = node.get("anyOf") or node.get("oneOf") or node.get("allOf")
        if branches:
            real = [b for b in branches if b.get("type") != "null"]
            if len(real) == 1:
                node = real[0]
                continue
        return node


def _numeric(node: dict[str, Any]) -> str | None:
    kind = node.get("type")
    return kind if kind in ("integer", "number") else None


def parse_param(text: str, loaded: LoadedLevel) -> LevelParam:
    """``PATH=LOW:HIGH`` checked against the schema and the level; ParamError names what is wrong."""
    path, sep, rng = text.partition("=")
    path = re.sub(r"\[(\w+)\]", r".\1", path.strip())
    lo_text, sep2, hi_text = rng.partition(":")
    if not sep or not sep2 or not path:
        raise ParamError(f"--param {text!r}: write PATH=LOW:HIGH, e.g. player_firm.cash=500000:3000000")
    try:
        low, high = float(lo_text), float(hi_text)
    except ValueError:
        raise ParamError(f"--param {path}: LOW and HIGH must be numbers, got {lo_text!r} and {hi_text!r}") from None
    if not (math.isfinite(low) and math.isfinite(high)) or not low < high:
        raise ParamError(f"--param {path}: LOW must be smaller than HIGH, got {lo_text}:{hi_text}")
    keys, node = _walk(path, loaded)
    kind = _numeric(node)
    assert kind is not None
    for bound, value in (("LOW", low), ("HIGH", high)):
        reason = _outside(node, value)
        if reason:
            raise ParamError(f"--param {path}: {bound} {value:g} is {reason} (level schema)")
    if kind == "integer" and math.floor(high) < math.ceil(low):
        raise ParamError(f"--param {path}: a whole number is needed and there is none between {low:g} and {high:g}")
    param = LevelParam(path, low, high, kind == "integer", tuple(keys))
    for bound, value in (("LOW", low), ("HIGH", high)):
        try:
            with_values(loaded, ((path, value_for(param, value)),), params={path: param})
        except LevelError as exc:
            issue = exc.issues[0]
            raise ParamError(f"--param {path}: at {bound} {value:g} the level is invalid: {issue.path}: {issue.reason}") from None
    return param


def _outside(node: dict[str, Any], value: float) -> str | None:
    if "minimum" in node and value < node["minimum"]:
        return f"below the minimum {node['minimum']}"
    if "exclusiveMinimum" in node and value <= node["exclusiveMinimum"]:
        return f"not above {node['exclusiveMinimum']}"
    if "maximum" in node and value > node["maximum"]:
        return f"above the maximum {node['maximum']}"
    if "exclusiveMaximum" in node and value >= node["exclusiveMaximum"]:
        return f"not below {node['exclusiveMaximum']}"
    return None


def _walk(path: str, loaded: LoadedLevel) -> tuple[list[str | int], dict[str, Any]]:
    """Resolve each key of ``path`` in the schema and the level's data."""
    node = _resolve(_schema())
    data: Any = loaded.level.model_dump(mode="json")
    keys: list[str | int] = []
    done: list[str] = []
    for part in path.split("."):
        where = ".".join(done) or "the top level"
        kind = node.get("type")
        if kind == "object" and "properties" in node:
            props = node["properties"]
            if part not in props:
                close = difflib.get_close_matches(part, list(props), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; keys there: {', '.join(props)}"
                raise ParamError(f"--param {path}: no key {part!r} at {where} in the level schema{hint}")
            node = _resolve(props[part])
            data = data.get(part) if isinstance(data, dict) else None
            keys.append(part)
        elif kind == "object":  # a mapping such as requirements: {tier2: ...}
            present = list(data) if isinstance(data, dict) else []
            if part not in present:
                raise ParamError(f"--param {path}: {where} has no {part!r} in {loaded.path}; it has: {', '.join(present) or 'nothing'}")
            node = _resolve(node.get("additionalProperties") or {})
            data = data[part]
            keys.append(part)
        elif kind == "array":
            items = data if isinstance(data, list) else []
            ids = [it.get("id") for it in items if isinstance(it, dict)]
            if part.isdigit() and int(part) < len(items):
                index = int(part)
            elif part in ids:
                index = ids.index(part)
            else:
                raise ParamError(
                    f"--param {path}: {where} has no item {part!r} in {loaded.path} "
                    f"(give a position 0-{len(items) - 1} or an id: {', '.join(str(i) for i in ids if i) or 'none'})"
                )
            node = _resolve(node.get("items") or {})
            data = items[index]
            keys.append(index)
        else:
            raise ParamError(f"--param {path}: {where} is a single value, it has no key {part!r}")
        done.append(part)
    if _numeric(node) is None:
        raise ParamError(f"--param {path}: not a number in the level schema (it is {node.get('type', 'a group of keys')}); give a path to a numeric value")
    return keys, node


def parse_params(texts: list[str], loaded: LoadedLevel) -> list[LevelParam]:
    params = [parse_param(t, loaded) for t in texts]
    seen: set[str] = set()
    for p in params:
        if p.path in seen:
            raise ParamError(f"--param {p.path}: given twice")
        seen.add(p.path)
    return params


def with_values(
    loaded: LoadedLevel,
    values: tuple[tuple[str, float | int], ...],
    params: dict[str, LevelParam] | None = None,
) -> LoadedLevel:
    """The level with each path's value replaced, validated again and re-hashed."""
    data = loaded.level.model_dump(mode="json")
    for path, value in values:
        keys = params[path].keys if params and path in params else _keys_in(path, data)
        target: Any = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    level = validate_data(data, f"{loaded.path} with {', '.join(f'{p}={v}' for p, v in values)}")
    return LoadedLevel(level=level, path=loaded.path, content_hash=content_hash(level))


def _keys_in(path: str, data: Any) -> list[str | int]:
    """A checked path's keys in the data (list items by position or id)."""
    keys: list[str | int] = []
    for part in path.split("."):
        if isinstance(data, list):
            ids = [it.get("id") if isinstance(it, dict) else None for it in data]
            index = int(part) if part.isdigit() and int(part) < len(data) else ids.index(part)
            keys.append(index)
            data = data[index]
        else:
            keys.append(part)
            data = data[part]
    return keys


def value_for(param: LevelParam, x: float) -> float | int:
    """A sampled value as the level stores it (whole numbers rounded, kept inside the range)."""
    if param.integer:
        return int(min(max(round(x), math.ceil(param.low)), math.floor(param.high)))
    return float(x)
