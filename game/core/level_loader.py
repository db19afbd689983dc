"""Loading and validating level files.

Three passes, every error collected before anything is reported:

1. safe YAML parsing (duplicate keys are errors, with their line);
2. the schema pass into the frozen models of :mod:`game.core.level`
   (unknown keys are errors with a "did you mean" suggestion);
3. the cross-reference pass (ids that must exist, be unique, make sense together).

Each error names the file, the key path (``lead_firms[0].tier1_suppliers[1].id``)
and the reason.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import typing
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from game.core import level_cache, safeio
from game.core.detmath import ordered_sum

if TYPE_CHECKING:
    from pydantic import BaseModel

    from game.core.level import Level

# The shipped levels: beside the game package in the source tree, or in the data
# folder of a frozen desktop build (PyInstaller's sys._MEIPASS; see game/build.py).
LEVELS_DIR = Path(getattr(sys, "_MEIPASS", None) or Path(__file__).resolve().parents[2]) / "levels"


@dataclass(frozen=True)
class LevelIssue:
    """One problem found in a level file."""

    file: str
    path: str
    reason: str

    def __str__(self) -> str:
        where = safeio.shorten(self.path, 200) or "(top level)"
        return f"{safeio.shorten(self.file, 300)}: {where}: {safeio.shorten(self.reason, 500)}"


class LevelError(Exception):
    """A level could not be loaded; ``issues`` lists every problem found."""

    def __init__(self, issues: list[LevelIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass(frozen=True)
class LoadedLevel:
    """A validated level with its identity: where it came from and a content hash."""

    level: Level
    path: str
    content_hash: str


MAX_ALIASES = 0
"""YAML anchors/aliases (``&a`` / ``*a``) are refused: a few KB of nested aliases expand to
gigabytes (the "billion laughs"), and no level needs them."""
MAX_ISSUES = 50
"""At most this many problems are reported for one file, then a count of the rest."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys instead of keeping the last, and aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not allowed in level files; write the values out", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):  # `{[a]: 1}`: `key in mapping` would raise TypeError
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (line {key_node.start_mark.line + 1}); "
                f"first defined on an earlier line",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _construct_timestamp(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML resolves `2016-13-45` as a timestamp, then datetime raises a bare ValueError.
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"invalid date {node.value!r}: {exc}", node.start_mark
        ) from None


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _format_loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        # pydantic's marker for an error in a dict key; the key itself is the part before it.
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of ``loc`` (for suggestions)."""
    from pydantic import BaseModel

    from game.core.level import Level

    model: Any = Level
    dict_key_next = False
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if dict_key_next:  # the key of a dict-valued field, e.g. `tier1` in `requirements.tier1`
            dict_key_next = False
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        dict_key_next = _is_dict(field.annotation)
        model = _inner_model(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return model
    return None


def _is_dict(annotation: Any) -> bool:
    """True if ``annotation`` is dict[...] (or Optional[dict[...]])."""
    if typing.get_origin(annotation) is dict:
        return True
    return any(_is_dict(arg) for arg in typing.get_args(annotation))


def _inner_model(annotation: Any) -> Any:
    """Find a BaseModel class inside list[...] / dict[..., ...] / Optional[...]."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _closest(word: str, options: Iterable[str]) -> str | None:
    """The option most like ``word`` (difflib's closest match, at its usual cutoff), or None.
    difflib is imported here, to word a message: a start that finds no error does not."""
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return close[0] if close else None


def _reason(error: Any) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        model = _model_at(loc)
        key = str(loc[-1])
        if model is not None:
            close = _closest(key, model.model_fields)
            if close:
                return f"unknown key {safeio.excerpt(key)}; did you mean {close!r}?"
            return f"unknown key {safeio.excerpt(key)}; allowed keys: {', '.join(model.model_fields)}"
        return f"unknown key {safeio.excerpt(key)}"
    if kind == "missing":
        return "required key is missing"
    if kind == "enum" or kind == "literal_error":
        got = error.get("input")
        expected = error.get("ctx", {}).get("expected", "")
        guess = ""
        if isinstance(got, str) and expected:
            options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
            close = _closest(got, options)
            if close:
                guess = f"; did you mean {close!r}?"
        return f"{safeio.excerpt(got)} is not one of {expected}{guess}"
    msg = error["msg"]
    if "input" in error and kind not in ("model_type", "dict_type", "list_type"):
        return f"{msg} (got {safeio.excerpt(error['input'])})"
    return msg


_FastLoader: Any = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same safe constructors over libyaml's C parser and composer (PyYAML's own
        ``CSafeLoader``): a level parses in about a tenth of the pure-Python loader's time."""

    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


_LIBYAML_DIFFERS = re.compile(r"[\t\r\ufeff!|`@?]|^%|>[-+0-9]*#", re.MULTILINE)
"""What libyaml and PyYAML read differently (found by fuzzing both): tabs and a byte-order
mark inside the text, tags, block-scalar headers, reserved indicators, complex keys,
directives. A text holding any of them goes to the pure-Python loader."""


class _Refused(Exception):
    """The fast path met something it leaves to the pure-Python loader."""


FAST_DEPTH = 64
"""Deepest nesting the fast path takes (a level nests 6 deep). The pure-Python loader composes
recursively and refuses deep nesting at a depth that depends on the stack, so deeper texts go to it."""


def _plain_tree(root: Any) -> None:
    """Raise :class:`_Refused` if a node is reached twice or nests deeper than ``FAST_DEPTH``:
    libyaml's composer turns an alias into the anchored node itself, so a node met twice is an alias."""
    seen: set[int] = set()
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or depth > FAST_DEPTH:
            raise _Refused
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def _parse_fast(text: str) -> Any:
    """The data of a YAML text via libyaml, or raise for anything unusual (see :func:`parse_yaml`)."""
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _plain_tree(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML safely; a syntax error or duplicate key becomes a LevelError.

    A well-formed file is parsed with libyaml (when PyYAML has it). Anything that goes
    wrong there (a syntax error, a duplicate key, an alias, a value that cannot be read)
    is parsed again with the pure-Python loader, which reports it: every message for bad
    input is the pure-Python loader's, whether libyaml is present or not. Both loaders
    give the same data (``tests/test_level_loader.py`` compares them).
    """
    if _FastLoader is not None and not _LIBYAML_DIFFERS.search(text):
        try:
            return _parse_fast(text)
        except Exception:  # noqa: BLE001 - the pure-Python loader says what is wrong
            pass
    return _parse_python(text, file)


def _parse_python(text: str, file: str) -> Any:
    """The pure-Python loader: duplicate keys and aliases refused, every error as a LevelError."""
    try:
        # The SafeLoader subclass's own entry point: safe tags only, duplicate keys refused.
        loader = _UniqueKeyLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LevelError([LevelIssue(file, "", f"{line}{problem}")]) from None
    except RecursionError:  # PyYAML composes recursively: `[[[[...]]]]` thousands deep
        raise LevelError([LevelIssue(file, "", "the YAML is nested too deeply")]) from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer of thousands of digits
        raise LevelError([LevelIssue(file, "", f"a value cannot be read: {safeio.shorten(str(exc), 200)}")]) from None


def validate_data(data: Any, file: str) -> Level:
    """Schema pass then cross-reference pass over parsed level data."""
    from pydantic import ValidationError

    from game.core.level import Level

    if not isinstance(data, dict):
        raise LevelError([LevelIssue(file, "", "a level must be a mapping of keys at the top level")])
    try:
        level = Level.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        issues = [LevelIssue(file, _format_loc(e["loc"]), _reason(e)) for e in errors[:MAX_ISSUES]]
        raise LevelError(_capped(issues, len(errors), file)) from None
    found = cross_reference(level)
    issues = [LevelIssue(file, path, reason) for path, reason in found[:MAX_ISSUES]]
    if issues:
        raise LevelError(_capped(issues, len(found), file))
    return level


def _capped(issues: list[LevelIssue], total: int, file: str) -> list[LevelIssue]:
    if total > len(issues):
        issues = issues + [LevelIssue(file, "", f"... and {total - len(issues):,} more problems not shown")]
    return issues


def content_hash(level: Level) -> str:
    """Hash of the level's validated content (formatting and comments do not count)."""
    canonical = json.dumps(level.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def resolve_level_path(path_or_id: str) -> Path:
    """A path to a file, or the id of a shipped level in ``levels/``."""
    if len(path_or_id) > 4096 or "\x00" in path_or_id:
        raise LevelError([LevelIssue(safeio.excerpt(path_or_id), "", "not a level file name or shipped level id")])
    candidate = Path(path_or_id)
    try:
        exists = candidate.exists()
    except OSError:
        exists = False
    if candidate.suffix in (".yaml", ".yml") or exists:
        return candidate
    shipped = LEVELS_DIR / f"{path_or_id}.yaml"
    if shipped.exists():
        return shipped
    known = sorted(p.stem for p in LEVELS_DIR.glob("*.yaml"))
    close = _closest(path_or_id, known)
    hint = f"; did you mean {close!r}?" if close else f"; shipped levels: {', '.join(known)}"
    raise LevelError([LevelIssue(safeio.shorten(path_or_id, 200), "", f"no such level file or shipped level id{hint}")])


def load_level(path_or_id: str | Path) -> LoadedLevel:
    """Load, validate and hash a level file (or shipped level id)."""
    path = resolve_level_path(str(path_or_id))
    file = str(path)
    try:
        text = safeio.read_text_capped(path, safeio.MAX_LEVEL_BYTES, "level file")
    except safeio.InputError as exc:
        raise LevelError([LevelIssue(file, "", str(exc).removeprefix(f"{file}: "))]) from None
    kept = level_cache.read_shipped(LEVELS_DIR, path, text) or level_cache.read(text)
    if kept is not None:  # validated before (shipped with the game, or kept at an earlier start) with this code: the same values, without pydantic
        return LoadedLevel(level=kept[0], path=file, content_hash=kept[1])
    level = validate_data(parse_yaml(text, file), file)
    loaded = LoadedLevel(level=level, path=file, content_hash=content_hash(level))
    level_cache.write(text, level, loaded.content_hash)
    return loaded


def shipped_levels() -> list[Path]:
    """Every level file shipped in ``levels/``, sorted by name."""
    return sorted(LEVELS_DIR.glob("*.yaml"))


def write_shipped_entries() -> list[Path]:
    """Validate every shipped level anew (never from an entry) and write its shipped entry
    (:func:`game.core.level_cache.write_shipped`); returns the entries written. Raises
    :class:`LevelError` for a shipped level that does not pass, before writing any entry."""
    validated = []
    for path in shipped_levels():
        text = safeio.read_text_capped(path, safeio.MAX_LEVEL_BYTES, "level file")
        level = validate_data(parse_yaml(text, str(path)), str(path))
        validated.append((path, text, level))
    return [level_cache.write_shipped(LEVELS_DIR, path, text, level, content_hash(level)) for path, text, level in validated]


def _duplicates(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    out = []
    for path, ident in items:
        if ident in seen:
            out.append((path, f"duplicate id {ident!r} (also used at {seen[ident]})"))
        else:
            seen[ident] = path
    return out


def _unknown(path: str, ident: str, known: Iterable[str], what: str) -> tuple[str, str]:
    known = sorted(known)
    close = _closest(ident, known)
    hint = f"; did you mean {close!r}?" if close else (f"; known: {', '.join(known)}" if known else "")
    return (path, f"unknown {what} {ident!r}{hint}")


def cross_reference(level: Level) -> list[tuple[str, str]]:
    """Every cross-reference problem in a schema-valid level, as (key path, reason)."""
    errors: list[tuple[str, str]] = []
    certs = {c.id for c in level.certifications}
    parts = {p.id for p in level.part_families}
    leads = {lf.id for lf in level.lead_firms}
    tier1 = {s.id: lf.id for lf in level.lead_firms for s in lf.tier1_suppliers}
    issuers = leads | set(tier1)
    institutions = {i.id: i for i in level.institutions}

    errors += _duplicates([(f"certifications[{i}].id", c.id) for i, c in enumerate(level.certifications)])
    errors += _duplicates([(f"part_families[{i}].id", p.id) for i, p in enumerate(level.part_families)])
    ids = [(f"lead_firms[{i}].id", lf.id) for i, lf in enumerate(level.lead_firms)]
    ids += [
        (f"lead_firms[{i}].tier1_suppliers[{j}].id", s.id)
        for i, lf in enumerate(level.lead_firms)
        for j, s in enumerate(lf.tier1_suppliers)
    ]
    ids += [(f"institutions[{i}].id", inst.id) for i, inst in enumerate(level.institutions)]
    errors += _duplicates(ids)
    errors += _duplicates([(f"rfqs[{i}].id", r.id) for i, r in enumerate(level.rfqs)])
    errors += _duplicates([(f"programmes[{i}].id", p.id) for i, p in enumerate(level.programmes)])
    errors += _duplicates([(f"policies[{i}].id", p.id) for i, p in enumerate(level.policies)])
    errors += _duplicates([(f"events[{i}].id", e.id) for i, e in enumerate(level.events)])

    for i, c in enumerate(level.certifications):
        for j, req in enumerate(c.requires):
            if req not in certs:
                errors.append(_unknown(f"certifications[{i}].requires[{j}]", req, certs, "certification"))
            elif req == c.id:
                errors.append((f"certifications[{i}].requires[{j}]", "a certification cannot require itself"))
    for i, c in enumerate(level.certifications):
        # A chain of prerequisites that loops back can never be started.
        seen, todo = set(), [r for r in c.requires if r in certs and r != c.id]
        by_id = {x.id: x for x in level.certifications}
        while todo:
            r = todo.pop()
            if r == c.id:
                errors.append((f"certifications[{i}].requires", f"prerequisites of {c.id!r} loop back to it"))
                break
            if r not in seen:
                seen.add(r)
                todo.extend(x for x in by_id[r].requires if x in certs)
    for j, cid in enumerate(level.player_firm.certifications):
        if cid not in certs:
            errors.append(_unknown(f"player_firm.certifications[{j}]", cid, certs, "certification"))

    def check_requirements(path: str, req: Any) -> None:
        for k, cid in enumerate(req.certifications):
            if cid not in certs:
                errors.append(_unknown(f"{path}.certifications[{k}]", cid, certs, "certification"))

    for i, lf in enumerate(level.lead_firms):
        if lf.arrives_quarter > level.turns:
            errors.append((f"lead_firms[{i}].arrives_quarter", f"quarter {lf.arrives_quarter} is after the last turn ({level.turns})"))
        for tier, tier_req in lf.requirements.items():
            check_requirements(f"lead_firms[{i}].requirements.{tier.value}", tier_req)

    for i, call in enumerate(level.rfqs):
        p = f"rfqs[{i}]"
        if call.issuer not in issuers:
            errors.append(_unknown(f"{p}.issuer", call.issuer, issuers, "issuer (lead firm or tier-1 supplier)"))
        elif call.issuer in tier1 and call.tier == "tier1":
            errors.append((f"{p}.tier", "a tier-1 supplier issues tier2 or tier3 calls, not tier1"))
        if call.part_family not in parts:
            errors.append(_unknown(f"{p}.part_family", call.part_family, parts, "part family"))
        if call.quarter > level.turns:
            errors.append((f"{p}.quarter", f"quarter {call.quarter} is after the last turn ({level.turns})"))
        if call.requirements is not None:
            check_requirements(f"{p}.requirements", call.requirements)

    for i, g in enumerate(level.rfq_generators):
        p = f"rfq_generators[{i}]"
        if g.issuer not in issuers:
            errors.append(_unknown(f"{p}.issuer", g.issuer, issuers, "issuer (lead firm or tier-1 supplier)"))
        elif g.issuer in tier1 and g.tier == "tier1":
            errors.append((f"{p}.tier", "a tier-1 supplier issues tier2 or tier3 calls, not tier1"))
        for j, pf in enumerate(g.part_families):
            if pf not in parts:
                errors.append(_unknown(f"{p}.part_families[{j}]", pf, parts, "part family"))
        if g.from_quarter > g.to_quarter:
            errors.append((f"{p}.from_quarter", "from_quarter is after to_quarter"))
        if g.from_quarter > level.turns:
            errors.append((f"{p}.from_quarter", f"quarter {g.from_quarter} is after the last turn ({level.turns})"))
        if g.volume.low <= 0:
            errors.append((f"{p}.volume.low", "volumes must be positive"))
        if g.duration.low < 1:
            errors.append((f"{p}.duration.low", "a contract lasts at least one quarter"))

    for i, prog in enumerate(level.programmes):
        if prog.requires_university and not any(
            inst.kind in ("university", "technology_centre") for inst in level.institutions
        ):
            errors.append((f"programmes[{i}].requires_university", "no university or technology centre is defined in institutions"))

    for i, pol in enumerate(level.policies):
        p = f"policies[{i}]"
        if pol.sponsor == "lead_firm":
            if pol.sponsor_id is None:
                errors.append((f"{p}.sponsor_id", "a lead_firm-sponsored policy names its lead firm"))
            elif pol.sponsor_id not in leads:
                errors.append(_unknown(f"{p}.sponsor_id", pol.sponsor_id, leads, "lead firm"))
        elif pol.sponsor_id is not None and pol.sponsor_id not in institutions:
            errors.append(_unknown(f"{p}.sponsor_id", pol.sponsor_id, institutions, "institution"))
        for j, eff in enumerate(pol.effects):
            ep = f"{p}.effects[{j}]"
            if eff.lead_firm is not None and eff.lead_firm not in leads:
                errors.append(_unknown(f"{ep}.lead_firm", eff.lead_firm, leads, "lead firm"))
            for k, cid in enumerate(eff.certifications):
                if cid not in certs:
                    errors.append(_unknown(f"{ep}.certifications[{k}]", cid, certs, "certification"))
            if eff.kind in ("supplier_development", "reverse_factoring") and eff.lead_firm is None:
                errors.append((f"{ep}.lead_firm", f"a {eff.kind.value} effect names its lead firm"))
            if eff.kind == "supplier_development" and eff.seats == 0:
                errors.append((f"{ep}.seats", "a supplier-development programme needs at least one seat"))
            if eff.kind == "supplier_development" and eff.window_quarters > eff.term_quarters:
                errors.append((f"{ep}.window_quarters", f"the application window ({eff.window_quarters} quarters) must fit in the mentoring term ({eff.term_quarters})"))
            if eff.kind == "supplier_development" and eff.window_opens > level.turns:
                errors.append((f"{ep}.window_opens", f"quarter {eff.window_opens} is after the last turn ({level.turns})"))
            if eff.kind == "reverse_factoring" and eff.rate == 0:
                errors.append((f"{ep}.rate", "reverse factoring needs a yearly discount rate above 0"))

    for i, ev in enumerate(level.events):
        p = f"events[{i}]"
        if ev.quarter is not None and ev.quarter > level.turns:
            errors.append((f"{p}.quarter", f"quarter {ev.quarter} is after the last turn ({level.turns})"))
        for j, shock in enumerate(ev.effects):
            if shock.lead_firm is not None and shock.lead_firm not in leads:
                errors.append(_unknown(f"{p}.effects[{j}].lead_firm", shock.lead_firm, leads, "lead firm"))
            if shock.kind == "new_lead_firm" and shock.lead_firm is None:
                errors.append((f"{p}.effects[{j}].lead_firm", "a new_lead_firm effect names the lead firm that arrives"))

    for i, cond in enumerate(level.objective.conditions):
        p = f"objective.conditions[{i}]"
        if cond.kind == "reach_tier" and cond.tier is None:
            errors.append((f"{p}.tier", "a reach_tier condition names a tier"))
        if cond.kind == "hold_certification":
            if cond.certification is None:
                errors.append((f"{p}.certification", "a hold_certification condition names a certification"))
            elif cond.certification not in certs:
                errors.append(_unknown(f"{p}.certification", cond.certification, certs, "certification"))
        if cond.by_quarter is not None and cond.by_quarter > level.turns:
            errors.append((f"{p}.by_quarter", f"quarter {cond.by_quarter} is after the last turn ({level.turns})"))

    associations = [i for i, inst in enumerate(level.institutions) if inst.kind == "association"]
    for i in associations[1:]:
        errors.append((f"institutions[{i}].kind", "a cluster has one association; this is a second one"))
    for i, ev in enumerate(level.events):
        if ev.from_quarter > ev.to_quarter:
            errors.append((f"events[{i}].from_quarter", "from_quarter is after to_quarter"))
    banks = [inst for inst in level.institutions if inst.kind == "bank"]
    if not banks:
        errors.append(("institutions", "at least one bank is needed (firms borrow from banks)"))
    if ordered_sum(level.computer_smes.strategies.values()) <= 0:
        errors.append(("computer_smes.strategies", "the strategy shares add up to zero"))
    return errors


def level_json_schema() -> dict[str, Any]:
    """The JSON Schema of the level format, for editors and docs/level.schema.json."""
    from game.core.level import Level

    schema = Level.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Enclave level"
    return schema
