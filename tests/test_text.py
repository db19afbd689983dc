"""Translation files and text rendering: every key the core emits has a text in
both languages, the texts use only params the core passes, and rendering works."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from game import text
from game.core.actions import ACTION_TYPES, Refusal
from game.core.level import CAPABILITIES
from game.core.state import Explanation
from game.core.typology import LIFE_CYCLE, STAGES
from game.headless import report as headless_report

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "game" / "core"

EMITTERS = frozenset({"explain", "_explain", "_note", "Explanation", "Refusal"})
"""Calls whose key argument is a translation key."""

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")
KEY_KEYWORDS = ("key", "reason")
WRAPPER_KEY_NAMES = frozenset({"key", "reason"})
"""A call may pass its key through a variable only inside the emit wrappers (``_explain(..., key, ...)``)."""


@dataclass
class KeyUse:
    """Where the core emits one key and which params it passes."""

    params: set[str] = field(default_factory=set)
    merges_refusal: bool = False
    where: list[str] = field(default_factory=list)


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _key_and_params(call: ast.Call) -> tuple[ast.expr | None, ast.expr | None]:
    """The key argument and the params argument of an emitter call."""
    for kw in call.keywords:
        if kw.arg in KEY_KEYWORDS:
            params = next((k.value for k in call.keywords if k.arg == "params"), None)
            return kw.value, params
    for pos, arg in enumerate(call.args):
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            after = call.args[pos + 1] if pos + 1 < len(call.args) else None
            after = after or next((k.value for k in call.keywords if k.arg == "params"), None)
            return arg, after
    for arg in call.args:
        if isinstance(arg, ast.Name) and arg.id in WRAPPER_KEY_NAMES:
            return arg, None
    return None, None


def scan_core_ast() -> dict[str, KeyUse]:
    """Every key literal passed to an emitter in game/core, with the dict-literal params next to it."""
    uses: dict[str, KeyUse] = {}
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node.func) not in EMITTERS:
                continue
            key_node, params_node = _key_and_params(node)
            where = f"{path.relative_to(CORE)}:{node.lineno}"
            if isinstance(key_node, ast.Name):
                continue  # the emit wrapper itself, forwarding its ``key`` argument
            assert isinstance(key_node, ast.Constant) and isinstance(key_node.value, str), (
                f"{where}: {ast.unparse(node)[:80]} does not pass its key as a string literal; "
                "the text scanner cannot see it (use a literal, or teach tests/test_text.py)"
            )
            key = key_node.value
            assert KEY_RE.match(key), f"{where}: {key!r} does not look like a translation key"
            use = uses.setdefault(key, KeyUse())
            use.where.append(where)
            if isinstance(params_node, ast.Dict):
                for k in params_node.keys:
                    if k is None:
                        use.merges_refusal = True
                    elif isinstance(k, ast.Constant) and isinstance(k.value, str):
                        use.params.add(k.value)
            elif params_node is not None and not (
                isinstance(params_node, ast.Constant) and params_node.value is None
            ):
                raise AssertionError(
                    f"{where}: params of {key!r} are not a dict literal: {ast.unparse(params_node)}"
                )
    return uses


_CALL_START = re.compile(r"\b(?:explain|_explain|_note|Explanation|Refusal)\(")
_STRING = re.compile(r"""(?P<q>["'])(?P<s>[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)(?P=q)""")
_KEYWORD_KEY = re.compile(r"""\b(?:key|reason)\s*=\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


def scan_core_regex() -> set[str]:
    """An independent text scan: the first key-like string literal inside each emitter call."""
    keys: set[str] = set()
    for path in sorted(CORE.rglob("*.py")):
        src = path.read_text(encoding="utf-8")
        for m in _CALL_START.finditer(src):
            depth, i = 1, m.end()
            while i < len(src) and depth:
                depth += {"(": 1, ")": -1}.get(src[i], 0)
                i += 1
            found = _STRING.search(src, m.end(), i)
            if found:
                keys.add(found.group("s"))
        keys.update(_KEYWORD_KEY.findall(src))
    return keys


CORE_USES = scan_core_ast()
CORE_KEYS = sorted(CORE_USES)
MISSING_REASONS = sorted(k for k in CORE_KEYS if k.startswith("missing."))
ES = text.load_texts("es")
EN = text.load_texts("en")


# ----------------------------------------------------------------------------
# The scanner itself


def test_scanner_finds_the_core_keys() -> None:
    assert len(CORE_KEYS) >= 40, f"the scanner found only {len(CORE_KEYS)} keys: {CORE_KEYS}"
    for known in (
        "rfq.won",
        "rfq.lost_follow_source",
        "contract.bad_scorecard",
        "event.fired",
        "done.train_staff",
        "refused.not_enough_cash",
        "missing.certification",
    ):
        assert known in CORE_USES, known
    assert CORE_USES["rfq.won"].params >= {"rfq", "tier", "volume", "price"}
    assert CORE_USES["event.fired"].params == {"event", "injected"}
    assert (
        CORE_USES["rfq.missed"].merges_refusal and CORE_USES["rfq.lost_ineligible"].merges_refusal
    )
    assert MISSING_REASONS, "no missing.* refusals found"


def test_regex_scan_agrees_with_ast_scan() -> None:
    assert scan_core_regex() == set(CORE_KEYS)


def test_key_like_literals_in_core_have_texts() -> None:
    """A key passed around in a variable still appears as a literal somewhere: catch it too."""
    prefixes = {k.split(".", 1)[0] for k in CORE_KEYS}
    alternatives = "|".join(sorted(prefixes))
    literal = re.compile(r"""["']((?:""" + alternatives + r""")\.[a-z0-9_.]+)["']""")
    found = set()
    for path in sorted(CORE.rglob("*.py")):
        for key in literal.findall(path.read_text(encoding="utf-8")):
            assert key in ES and key in EN, f"{path.name}: {key!r} has no text"
            found.add(key)
    assert found >= set(CORE_KEYS)


# ----------------------------------------------------------------------------
# (a), (b): keys


@pytest.mark.parametrize("lang", text.LANGS)
def test_every_core_key_has_a_text(lang: str) -> None:
    texts = text.load_texts(lang)
    missing = [f"{k} ({CORE_USES[k].where[0]})" for k in CORE_KEYS if k not in texts]
    assert not missing, f"{lang}.json lacks: {missing}"


def test_both_languages_have_the_same_keys() -> None:
    assert sorted(set(ES) - set(EN)) == []
    assert sorted(set(EN) - set(ES)) == []


@pytest.mark.parametrize("lang", text.LANGS)
def test_labels_exist(lang: str) -> None:
    texts = text.load_texts(lang)
    needed = []
    for family in ("internal", "external", "mixed"):
        needed += [f"family.{family}", f"family.{family}.desc"]
    for lever in ("capability", "cooperation", "catalyst"):
        needed += [f"lever.{lever}", f"lever.{lever}.desc"]
    needed += [f"tier.{n}" for n in (1, 2, 3, 4)]
    needed += [f"capability.{c}" for c in CAPABILITIES]
    needed += [f"stage.{s}" for s in STAGES]
    needed += [f"life_cycle.{c}" for c in LIFE_CYCLE.values()]
    for kind in ACTION_TYPES:
        needed += [f"action.{kind}", f"action.{kind}.desc"]
    needed += ["tag.family", "tag.lever", "report.quarter", "report.cash", "summary.objective_met"]
    assert [k for k in needed if k not in texts] == []


@pytest.mark.parametrize("lang", text.LANGS)
def test_templates_are_non_empty_and_parse(lang: str) -> None:
    for key, template in text.load_texts(lang).items():
        assert template.strip(), key
        for _, name, spec, conv in __import__("string").Formatter().parse(template):
            if name is not None:
                assert name.isidentifier(), (
                    f"{lang}:{key}: placeholder {name!r} must be a plain name"
                )
                assert not conv and (not spec or spec in text.UNITS), (
                    f"{lang}:{key}: {{{name}:{spec}}}: a placeholder's unit is one of {sorted(text.UNITS)}"
                )


def test_languages_show_each_placeholder_in_the_same_unit() -> None:
    for key in ES:
        assert text.units(ES[key]) == text.units(EN[key]), key


def test_the_unit_comes_from_the_template() -> None:
    """The same param is pesos in one message and a count in another: the template says which."""
    assert text.t("refused.not_enough_cash", "en", need=150000, have=20000).count("$") == 2
    assert "$" not in text.t("missing.capacity", "en", need=1500, have=900)
    shown = text.t("missing.capability", "en", capability="quality", need=0.45, have=0.3)
    assert "45%" in shown.replace(" ", "") and "30%" in shown.replace(" ", "")
    with pytest.raises(ValueError):
        text.format_value("need", 3, "furlongs")


# ----------------------------------------------------------------------------
# (c): placeholders are params the core passes


VARIANT_KEYS = sorted(k for k in ES if text.base_key(k) != k and text.base_key(k) in CORE_USES)
"""Templates the renderer picks for a core key from its params: ``K.if_P``, ``K.unless_P``
and plural forms (``K.one``)."""


def _allowed_params(key: str) -> set[str]:
    return set(CORE_USES[text.base_key(key)].params)


def _param_chosen() -> list[tuple[str, str, str, str]]:
    """Each param-chosen template key with the variant it belongs to (``K.if_P`` without its
    plural form), its marker and its param: (key, variant, marker, param)."""
    out = []
    for key in VARIANT_KEYS:
        marker = text.IF if text.IF in key else text.UNLESS if text.UNLESS in key else None
        if marker is None:
            continue
        param = key[key.rindex(marker) + len(marker):].split(".")[0]
        out.append((key, key[: key.rindex(marker)] + marker + param, marker, param))
    return out


def test_variants_are_chosen_by_params_the_core_passes() -> None:
    chosen = _param_chosen()
    assert chosen, "the texts have no param-chosen variants; the renderer's rule is untested"
    for key, _variant, _marker, param in chosen:
        assert param in CORE_USES[text.base_key(key)].params, (
            f"{key} is chosen by {param!r}, which the core never passes with {text.base_key(key)}"
        )
        assert key in ES and key in EN, key


def test_each_param_chosen_variant_is_the_one_rendered() -> None:
    """``K.if_P`` is the template when P is set and not when it is unset (and the reverse for
    ``K.unless_P``), so a variant cannot sit unused in the texts."""
    for key, variant_key, marker, param in _param_chosen():
        base = text.base_key(key)
        params = _sample_params(base, CORE_USES[base].params)
        on, off = (1, 0) if marker == text.IF else (0, 1)
        for lang in text.LANGS:
            assert text._variant(base, {**params, param: on}, lang).startswith(variant_key), (key, lang)
            assert not text._variant(base, {**params, param: off}, lang).startswith(variant_key), (key, lang)


def test_base_key_strips_variants_and_plural_forms() -> None:
    assert text.base_key("done.start_certification.if_subsidy.one") == "done.start_certification"
    assert text.base_key("rfq.won.unless_reserved") == "rfq.won"
    assert text.base_key("done.apply_programme.zero") == "done.apply_programme"
    assert text.base_key("rfq.won") == "rfq.won"


@pytest.mark.parametrize("key", CORE_KEYS + VARIANT_KEYS)
def test_placeholders_are_params_the_core_passes(key: str) -> None:
    allowed = _allowed_params(key)
    for lang, texts in (("es", ES), ("en", EN)):
        extra = text.placeholders(texts[key]) - allowed
        assert not extra, (
            f"{lang}:{key} uses {sorted(extra)} but the core passes only {sorted(allowed)}"
        )


def test_languages_use_the_same_placeholders() -> None:
    for key in ES:
        assert text.placeholders(ES[key]) == text.placeholders(EN[key]), key


SAMPLE = {
    "tier": 2,
    "injected": False,
    "university": False,
    "capability": "quality",
    "certification": "iso9001",
    "rfq": "first_brackets",
    "event": "plant_audit",
}


def _sample_params(key: str, names: set[str]) -> dict:
    params = {}
    for name in sorted(names):
        if name in SAMPLE:
            params[name] = SAMPLE[name]
        elif text.units(ES.get(key, "")).get(name) == text.PERCENT:
            params[name] = 0.45
        else:
            params[name] = 12345
    return params


def _cases() -> list[tuple[str, dict]]:
    """One set of params per core key, like the core's own; merged refusals once per missing.* reason."""
    cases = []
    for key in CORE_KEYS:
        use = CORE_USES[key]
        if use.merges_refusal:
            for reason in MISSING_REASONS:
                params = _sample_params(key, use.params - {"reason"})
                params.update(_sample_params(reason, CORE_USES[reason].params))
                params["reason"] = reason
                cases.append((key, params))
        else:
            cases.append((key, _sample_params(key, use.params)))
    # The variants' triggers.
    cases.append(("event.fired", {"event": "plant_audit", "injected": True}))
    cases.append(("innovation.failed", {"chance": 0.4, "university": True}))
    cases.append(
        (
            "done.start_certification",
            {"certification": "iso9001", "cost": 75000, "quarters": 3, "subsidy": 0.5},
        )
    )
    cases.append(
        ("rfq.won", {"rfq": "q2_3", "tier": 3, "volume": 4000, "price": 230, "reserved": 0.0})
    )
    cases.append(
        ("rfq.lost_follow_source", {"rfq": "q2_3", "score": 0.71, "rival": 0.8, "reserved": 0.0})
    )
    for quarters in (0, 1):
        cases.append(("done.apply_programme", {"programme": "fondo_pyme", "quarters": quarters}))
        cases.append(("done.start_innovation", {"cost": 600000, "quarters": quarters}))
        cases.append(
            (
                "done.start_certification",
                {"certification": "iso9001", "cost": 75000, "quarters": quarters, "subsidy": 0.5},
            )
        )
        cases.append(
            (
                "done.start_certification",
                {"certification": "iso9001", "cost": 75000, "quarters": quarters, "subsidy": 0.0},
            )
        )
    return cases


def test_counts_of_one_and_zero_pick_their_own_sentence() -> None:
    one = text.explain(
        Explanation(1, 0, "done.apply_programme", {"programme": "p", "quarters": 1}, "info"), "es"
    )
    zero = text.explain(
        Explanation(1, 0, "done.apply_programme", {"programme": "p", "quarters": 0}, "info"), "es"
    )
    many = text.explain(
        Explanation(1, 0, "done.apply_programme", {"programme": "p", "quarters": 2}, "info"), "es"
    )
    assert "próximo trimestre" in one and "este trimestre" in zero and "2 trimestres" in many
    cert = {"certification": "iso9001", "cost": 1, "quarters": 1, "subsidy": 0.5}
    assert text.explain(Explanation(1, 0, "done.start_certification", cert, "info"), "en").endswith(
        "this very quarter."
    )


@pytest.fixture(scope="module")
def tutorial():
    from game.core.level_loader import load_level

    return load_level(ROOT / "levels" / "tutorial.yaml")


@pytest.mark.parametrize("lang", text.LANGS)
@pytest.mark.parametrize("with_level", [False, True])
def test_every_core_key_renders_with_the_params_the_core_passes(
    lang: str, with_level: bool, tutorial
) -> None:
    level = tutorial if with_level else None
    for key, params in _cases():
        if key.startswith(("refused.", "missing.")):
            out = text.refusal_text(Refusal(key, params), lang, level, strict=True)
        else:
            out = text.explain(Explanation(1, 0, key, params, "info"), lang, level, strict=True)
        assert out.strip(), key
        assert "{" not in out and "}" not in out, f"{lang}:{key}: {out}"
        assert "?" not in out.replace("¿", ""), f"{lang}:{key}: a param was missing: {out}"


# ----------------------------------------------------------------------------
# (d): real explanations


@pytest.mark.parametrize("lang", text.LANGS)
def test_real_explanation_renders_with_family_tag(lang: str) -> None:
    e = Explanation(
        3,
        0,
        "rfq.lost_follow_source",
        {"rfq": "q3_2", "score": 0.612, "rival": 0.705, "reserved": 0.7},
        "bad",
        "external",
    )
    out = text.explain(e, lang)
    assert out and "{" not in out and "}" not in out
    assert out.endswith({"es": "[Barrera externa]", "en": "[External barrier]"}[lang])
    assert "61" in out and "71" in out and "70%" in out


@pytest.mark.parametrize("lang", text.LANGS)
def test_real_explanation_renders_with_lever_tag_and_money(lang: str) -> None:
    e = Explanation(
        2,
        0,
        "programme.approved",
        {"programme": "fondo_pyme", "grant": 450000, "own": 1250000},
        "good",
        lever="catalyst",
    )
    out = text.explain(e, lang)
    assert "$450,000" in out and "$1,250,000" in out
    assert out.endswith({"es": "[Palanca: catalizador]", "en": "[Lever: catalyst]"}[lang])


def test_level_names_replace_ids(tutorial) -> None:
    e = Explanation(
        8, -1, "event.fired", {"event": "plant_audit", "injected": False}, "bad", "external"
    )
    es = text.explain(e, "es", tutorial)
    assert es.startswith("Auditoría de proveedores. La armadora revisa")
    assert text.explain(e, "en", tutorial).startswith("Supplier audit. The vehicle maker")
    won = Explanation(
        2,
        0,
        "rfq.won",
        {"rfq": "first_brackets", "tier": 3, "volume": 3600, "price": 238, "reserved": 0.7},
        "good",
        lever="capability",
    )
    out = text.explain(won, "es", tutorial)
    assert '"Soportes para arneses, 12,000 piezas por trimestre"' in out
    assert "nivel 3" in out and "3,600" in out and "$238" in out
    prog = Explanation(
        2,
        0,
        "done.apply_programme",
        {"programme": "fondo_pyme", "quarters": 1},
        "info",
        lever="catalyst",
    )
    assert "SME technology fund" in text.explain(prog, "en", tutorial)


def test_merged_refusal_is_rendered_as_the_reason(tutorial) -> None:
    e = Explanation(
        1,
        0,
        "rfq.missed",
        {
            "rfq": "first_brackets",
            "tier": 3,
            "reason": "missing.certification",
            "certification": "iso9001",
        },
        "bad",
        "external",
    )
    out = text.explain(e, "es", tutorial)
    assert "ISO 9001" in out and "(nivel 3)" in out and "missing." not in out


def test_a_real_game_renders_in_both_languages(tutorial) -> None:
    """Play the tutorial a few quarters with a computer strategy at the player's seat; render all."""
    from game.core.engine import Game
    from game.core.strategies import STRATEGY_FUNCTIONS

    game = Game.new(tutorial, seed=3, players=1)
    seen: list[Explanation] = []
    refusals: list[Refusal] = []
    rng = __import__("numpy").random.default_rng(0)
    for _ in range(8):
        if game.finished:
            break
        for action in STRATEGY_FUNCTIONS["growth"](game.state, game.rules, 0, rng):
            refusal = game.try_apply(action)
            if refusal is not None:
                refusals.append(refusal)
        report = game.end_quarter()
        seen += report.explanations
        for lang in text.LANGS:
            for line in headless_report.report_lines(report, lang, tutorial):
                assert "{" not in line and "}" not in line
    assert seen, "the game produced no explanations"
    for lang in text.LANGS:
        for e in seen:
            out = text.explain(e, lang, tutorial, strict=True)
            assert out.strip() and "{" not in out and "}" not in out, out
        for r in refusals:
            out = text.refusal_text(r, lang, tutorial, strict=True)
            assert out.strip() and "{" not in out, out
        for line in headless_report.outcome_lines(game.outcome(0), lang):
            assert "{" not in line


# ----------------------------------------------------------------------------
# (e) and the API


def test_keys_the_headless_runner_uses() -> None:
    """game/commands/headless.py prints these with t_safe and no params."""
    for key in (
        "start.headless",
        "report.quarter",
        "summary.objective_met",
        "summary.objective_missed",
    ):
        assert text.t_safe(key, "es") != key and "?" not in text.t_safe(key, "es")
    assert text.t_safe("report.quarter", "es") == "Trimestre"
    assert text.t("report.quarter_n", "en", quarter=3) == "Quarter 3"


def test_t_raises_on_missing_key_and_t_safe_returns_it() -> None:
    with pytest.raises(KeyError):
        text.t("no.such.key")
    with pytest.raises(KeyError):
        text.t("no.such.key", "en")
    assert text.t_safe("no.such.key") == "no.such.key"
    assert text.t_safe("no.such.key", "en") == "no.such.key"


def test_t_raises_on_missing_param_and_t_safe_does_not() -> None:
    with pytest.raises(KeyError):
        text.t("report.cash", "es")
    assert text.t_safe("report.cash", "es") == "Caja: ?"


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'.*es, en"):
        text.load_texts("fr")
    with pytest.raises(ValueError, match="unknown language"):
        text.t("report.cash", "fr", cash=1)


def test_load_texts_is_cached_and_returns_a_copy() -> None:
    a = text.load_texts("es")
    a["report.cash"] = "changed"
    assert text.t("report.cash", "es", cash=5) == "Caja: $5"


def test_explain_never_crashes_on_unknown_key() -> None:
    e = Explanation(1, 0, "future.key", {"x": 1}, "bad", "mixed", None)
    assert text.explain(e, "es") == "future.key [Barrera mixta]"
    assert text.refusal_text(Refusal("refused.future", {}), "en") == "refused.future"


@pytest.mark.parametrize("lang", text.LANGS)
def test_format_money(lang: str) -> None:
    assert text.format_money(1234567, lang) == "$1,234,567"
    assert text.format_money(950, lang) == "$950"
    assert text.format_money(0, lang) == "$0"
    assert text.format_money(-25000, lang) == "-$25,000"
    assert text.format_money(1999.6, lang) == "$2,000"


def test_value_formatting() -> None:
    assert text.format_percent(0.953) == "95.3%"
    assert text.format_percent(0.95) == "95%"
    assert text.format_percent(1.0) == "100%"
    assert text.format_number(12000) == "12,000"
    assert text.tier_label(4, "es") == "Fuera de la cadena"
    assert text.tier_label("tier2", "en") == "Tier 2"
    # The same param name is pesos in one message and units in another.
    assert "$800,000" in text.refusal_text(
        Refusal("missing.solvency", {"need": 800000, "have": 5000}), "es"
    )
    cap = text.refusal_text(Refusal("missing.capacity", {"need": 12000, "have": 9000}), "es")
    assert "12,000" in cap and "$" not in cap
    assert "80%" in text.refusal_text(Refusal("refused.bad_share", {"min": 0.05, "max": 0.8}), "en")


def test_text_module_does_not_import_pygame() -> None:
    tree = ast.parse((ROOT / "game" / "text.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"pygame", "pygame_gui"}
