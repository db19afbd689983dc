"""Tests of game.core.level_loader: shipped levels, the broken-level corpus, hashes, schema.

The corpus in ``tests/broken_levels/`` holds small levels derived from
``_base.yaml`` with one defect each (several in the ``several_*`` files). Each
file states what it must produce in its leading ``# expect:`` lines; a file
must yield exactly one issue per ``# expect:`` line, each containing that text.
"""

from __future__ import annotations

import copy
import difflib
import json
from pathlib import Path

import pydantic
import pytest
import yaml

from game.core.level import Level
from game.core.level_loader import (
    LevelError,
    content_hash,
    level_json_schema,
    load_level,
    parse_yaml,
    shipped_levels,
    validate_data,
)

ROOT = Path(__file__).resolve().parents[1]
BROKEN_DIR = Path(__file__).resolve().parent / "broken_levels"
BASE = BROKEN_DIR / "_base.yaml"
BROKEN = sorted(p for p in BROKEN_DIR.glob("*.yaml") if not p.name.startswith("_"))
SCHEMA_FILE = ROOT / "docs" / "level.schema.json"
REGENERATE = "python main.py schema --out docs/level.schema.json"

# One file per kind of defect the loader must catch; deleting one fails a test.
REQUIRED_CASES = {
    "yaml_tab_indent",
    "duplicate_key",
    "top_level_list",
    "empty_file",
    "unknown_key_suggestion",
    "unknown_key_no_match",
    "missing_required_key",
    "wrong_type_int",
    "share_above_one",
    "negative_pesos",
    "bad_tier_enum",
    "bad_institution_kind",
    "bad_effect_kind",
    "bad_id_pattern",
    "range_low_above_high",
    "unknown_certification",
    "unknown_rfq_issuer",
    "tier1_supplier_issues_tier1",
    "rfq_after_last_turn",
    "duplicate_id_across_sections",
    "certification_requires_itself",
    "lead_firm_policy_without_sponsor",
    "supplier_development_without_lead_firm",
    "supplier_development_zero_seats",
    "supplier_development_window_longer_than_term",
    "reverse_factoring_rate_zero",
    "new_lead_firm_without_lead_firm",
    "reach_tier_without_tier",
    "no_bank",
    "several_schema_defects",
    "several_cross_reference_defects",
}


def expectations(path: Path) -> list[str]:
    """The ``# expect:`` lines of a corpus file's leading comment block."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# expect: "):
            out.append(line.removeprefix("# expect: "))
    return out


def issues_of(path: str | Path) -> list[str]:
    with pytest.raises(LevelError) as info:
        load_level(path)
    return [str(issue) for issue in info.value.issues]


def _body(path: Path) -> list[str]:
    """Lines of a level file without its leading comment block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return lines


# --- shipped levels -------------------------------------------------------


def test_there_are_shipped_levels():
    # Guards the parametrised tests below against silently running zero cases.
    assert shipped_levels(), "levels/ has no *.yaml files"


@pytest.mark.parametrize("path", shipped_levels(), ids=lambda p: p.stem)
def test_shipped_level_loads(path: Path):
    loaded = load_level(path)
    # The validated model, or (validated at an earlier load) its record from the cache: the same values.
    validated = validate_data(parse_yaml(path.read_text(encoding="utf-8"), str(path)), str(path))
    assert isinstance(validated, Level)
    assert loaded.level.model_dump() == validated.model_dump()
    assert len(loaded.content_hash) == 16
    # resolve_level_path finds a shipped level by id as levels/<id>.yaml.
    assert loaded.level.id == path.stem, f"{path.name} declares id {loaded.level.id!r}"
    assert load_level(path.stem).content_hash == loaded.content_hash


@pytest.mark.parametrize("path", shipped_levels(), ids=lambda p: p.stem)
def test_round_trip_gives_equal_model_and_hash(path: Path):
    loaded = load_level(path)
    # Python objects (enum dict keys, nested models).
    again = Level.model_validate(loaded.level.model_dump())
    assert again.model_dump() == loaded.level.model_dump()
    assert content_hash(again) == loaded.content_hash
    # Written out as YAML and read back through the whole loader, cross-references included.
    text = yaml.safe_dump(loaded.level.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
    reread = validate_data(parse_yaml(text, "round-trip.yaml"), "round-trip.yaml")
    assert reread == again
    assert content_hash(reread) == loaded.content_hash
    # And once more: save -> load -> save gives the same text (a fixed point).
    assert (
        yaml.safe_dump(reread.model_dump(mode="json"), allow_unicode=True, sort_keys=False) == text
    )


# --- content hash -----------------------------------------------------------


def test_content_hash_ignores_comments_formatting_and_key_order(tmp_path: Path):
    original = load_level(BASE)
    data = parse_yaml(BASE.read_text(encoding="utf-8"), str(BASE))
    # Same content, different text: no comments, flow style, keys reversed, explicit defaults.
    reordered = dict(reversed(list(data.items())))
    reordered["format"] = 1
    reordered["economy"] = {}
    other = tmp_path / "reformatted.yaml"
    other.write_text(
        "# a different comment\n\n"
        + yaml.safe_dump(reordered, default_flow_style=True, allow_unicode=True),
        encoding="utf-8",
    )
    assert other.read_text(encoding="utf-8") != BASE.read_text(encoding="utf-8")
    assert load_level(other).content_hash == original.content_hash


def test_content_hash_changes_when_a_value_changes():
    data = parse_yaml(BASE.read_text(encoding="utf-8"), str(BASE))
    base_hash = content_hash(validate_data(data, "base"))
    for mutate in (
        lambda d: d.update(seed=d["seed"] + 1),
        lambda d: d["player_firm"].update(cash=d["player_firm"]["cash"] + 1),
        lambda d: d["lead_firms"][0].update(follow_source_share=0.69),
        lambda d: d["rfqs"][0].update(tier="tier2"),
    ):
        changed = copy.deepcopy(data)
        mutate(changed)
        assert content_hash(validate_data(changed, "changed")) != base_hash


# --- frozen models ----------------------------------------------------------


@pytest.mark.parametrize("cached", [False, True], ids=["validated", "cached"])
def test_models_are_frozen(cached: bool):
    # Validated, pydantic refuses with a ValidationError; read from the cache, a record with an AttributeError.
    first = load_level(BASE).level
    level = load_level(BASE).level if cached else validate_data(parse_yaml(BASE.read_text(encoding="utf-8"), str(BASE)), str(BASE))
    assert isinstance(level, Level) != cached and first.model_dump() == level.model_dump()
    refused = AttributeError if cached else pydantic.ValidationError
    with pytest.raises(refused, match="frozen"):
        level.turns = 99  # type: ignore[misc]
    with pytest.raises(refused, match="frozen"):
        level.lead_firms[0].follow_source_share = 0.0  # type: ignore[misc]
    with pytest.raises(refused, match="frozen"):
        level.player_firm.capabilities.quality = 1.0  # type: ignore[misc]
    assert level.turns == 12 and level.lead_firms[0].follow_source_share == 0.7


# --- JSON Schema ------------------------------------------------------------


def test_schema_file_is_up_to_date():
    assert SCHEMA_FILE.exists(), f"{SCHEMA_FILE} is missing; generate it with `{REGENERATE}`"
    on_disk = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    current = level_json_schema()
    if on_disk != current:
        old_defs, new_defs = on_disk.get("$defs", {}), current.get("$defs", {})
        changed = sorted(
            k for k in old_defs.keys() | new_defs.keys() if old_defs.get(k) != new_defs.get(k)
        )
        if {k: v for k, v in on_disk.items() if k != "$defs"} != {
            k: v for k, v in current.items() if k != "$defs"
        }:
            changed.append("Level")
        pytest.fail(
            f"docs/level.schema.json is stale (changed in game/core/level.py: {', '.join(changed)}); "
            f"regenerate it with `{REGENERATE}`"
        )


def test_schema_accepts_valid_and_rejects_broken_levels():
    import jsonschema  # in the test extra: this check never skips

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for path in [*shipped_levels(), BASE]:
        data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        jsonschema.validate(data, schema)  # raises ValidationError if the schema disagrees
    for name in (
        "share_above_one",
        "unknown_key_suggestion",
        "missing_required_key",
        "bad_tier_enum",
    ):
        path = BROKEN_DIR / f"{name}.yaml"
        data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)


# --- the broken-level corpus ------------------------------------------------


def test_corpus_covers_every_required_case():
    names = {p.stem for p in BROKEN}
    assert len(BROKEN) >= 20
    assert REQUIRED_CASES <= names, f"missing corpus files: {sorted(REQUIRED_CASES - names)}"


def test_corpus_base_is_valid():
    assert load_level(BASE).level.id == "broken_base"


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_level_reports_its_expected_issues(path: Path):
    expected = expectations(path)
    assert expected, f"{path.name} has no `# expect:` line"
    issues = issues_of(path)
    for text in expected:
        assert any(text in issue for issue in issues), f"{text!r} not among {issues}"
    # One defect, one issue: no cascades, no duplicates, nothing else wrong in the file.
    assert len(issues) == len(expected), issues
    for issue in issues:
        assert issue.startswith(f"{path}: "), f"issue does not name the file: {issue}"


def _standalone(path: Path) -> bool:
    return "standalone" in path.read_text(encoding="utf-8").split("\nformat:")[0]


DERIVED = [p for p in BROKEN if not _standalone(p)]
"""The broken levels written as small edits of _base.yaml (the rest say `standalone`)."""


def test_the_corpus_has_derived_and_standalone_files():
    assert DERIVED and len(DERIVED) < len(BROKEN)


@pytest.mark.parametrize("path", DERIVED, ids=lambda p: p.stem)
def test_broken_level_is_a_small_edit_of_the_base(path: Path):
    # Keeps the corpus honest: each file really is _base.yaml with its defects and no other change.
    changed = [line for line in difflib.ndiff(_body(BASE), _body(path)) if line[:1] in "+-"]
    assert 0 < len(changed) <= 3 * len(expectations(path)), "\n".join(changed)


@pytest.mark.parametrize("name", ["several_schema_defects", "several_cross_reference_defects"])
def test_every_defect_in_a_multi_defect_file_is_reported(name: str):
    path = BROKEN_DIR / f"{name}.yaml"
    expected = expectations(path)
    assert len(expected) >= 3
    issues = issues_of(path)
    assert len(issues) == len(expected), issues
    # Each defect is reported at its own key path.
    paths = [issue.split(": ")[1] for issue in issues]
    assert len(set(paths)) == len(paths), paths


# --- inputs the YAML layer must turn into issues, not tracebacks ------------


def test_deeply_nested_yaml_is_an_issue_not_a_recursion_error(tmp_path: Path):
    path = tmp_path / "deep.yaml"
    path.write_text("sources: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert issues_of(path) == [f"{path}: (top level): the YAML is nested too deeply"]


def test_missing_file_and_unreadable_file(tmp_path: Path):
    missing = tmp_path / "nope.yaml"
    assert issues_of(missing) == [f"{missing}: (top level): file not found"]
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    [issue] = issues_of(binary)
    assert issue.startswith(f"{binary}: (top level): cannot read the file")


def test_unknown_level_id_suggests_a_shipped_one():
    shipped = shipped_levels()[0].stem
    typo = shipped[:-1] if len(shipped) > 3 else shipped + "x"
    [issue] = issues_of(typo)
    assert (
        issue
        == f"{typo}: (top level): no such level file or shipped level id; did you mean {shipped!r}?"
    )
