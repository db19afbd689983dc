"""Game text: translation files, value formatting and rendering of explanations.

The core never writes sentences; it emits keys with parameters
(:class:`game.core.state.Explanation`, :class:`game.core.actions.Refusal`).
This module turns them into Spanish (the default) or English sentences for
the window and the headless reports. Templates in ``assets/i18n/<lang>.json``
are ``str.format``-style strings with named placeholders, each figure with
its unit (``{need:money}``, ``{share:percent}``, ``{tier:tier}``...); how a
unit is shown (money, percentages, tier names) and names looked up in the
level live here. Laying out headless reports is :mod:`game.headless.report`.

Plurals follow CLDR's rules for each language, through Babel: a template
written in forms, ``K.one`` and ``K.other`` (and ``K.many`` where the
language has it; missing forms fall back to ``K.other``), is picked by the
count in its first param named in :data:`COUNT_PARAMS`, so "1 convocatoria"
and "2 convocatorias", "te queda 1 punto" and "te quedan 2 puntos" come
from one key. ``K.zero`` is an explicit form for exactly 0, as ICU's
``=0`` ("la respuesta llega este trimestre"). The key ``K`` itself is the
``other`` form when there is no plain ``K``.

Pure Python: no pygame, and no import of the core at module load.

May import: game.core
"""

from __future__ import annotations

import json
import math
import numbers
import re
import string
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGS: tuple[str, ...] = ("es", "en")
DEFAULT_LANG = "es"
# Beside the game package in the source tree, or in a frozen build's data folder (sys._MEIPASS).
I18N_DIR = Path(getattr(sys, "_MEIPASS", None) or Path(__file__).resolve().parent.parent) / "assets" / "i18n"

# ----------------------------------------------------------------------------
# How each parameter is shown. The unit is written in the template itself,
# as in ICU / Fluent: "{need:money}", "{on_time:percent}", "{score:points}",
# "{tier:tier}", "{volume:number}". A placeholder without a unit shows a
# name looked up in the level (rfq, certification, capability, stage...) or,
# for anything else, follows its value: yes/no, a share of 1 as a percentage,
# a number, or the text as it is.

MONEY = "money"
PERCENT = "percent"
POINTS = "points"
TIER = "tier"
NUMBER = "number"
SENTENCE = "sentence"
DESCRIPTION = "description"
UNITS: frozenset[str] = frozenset({MONEY, PERCENT, POINTS, TIER, NUMBER, SENTENCE, DESCRIPTION})
"""The units a template may give a placeholder (``{name:unit}``). Two of them
show a param as more than a value: ``{reason:sentence}`` renders the param (a
text key, such as a ``missing.*`` refusal) as a sentence with the message's other
params; ``{event:description}`` shows the level's description of what the param
names (an event), or the template ``<name>.no_description`` when it has none."""

IF, UNLESS = ".if_", ".unless_"
"""A template may have variants chosen by a param, written in its key: ``K.if_P`` is
used when the message's param ``P`` is set (true, non-zero), ``K.unless_P`` when it is
given and unset (false, zero). The variant's plural forms follow as for any key
(``K.if_P.one``). So which sentence a message reads lives in the templates, beside
the sentence, not in a table here."""

COUNT_PARAMS: tuple[str, ...] = ("count", "quarters", "points", "minutes", "teams", "strikes", "members", "seats", "duration", "turns", "have", "n")
"""The params that choose a template's plural form, in order: the first one the
message has, when it is a whole number."""

PLURAL_FORMS: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")
"""Suffixes of the plural forms of a template (``zero`` is exactly 0; the rest are CLDR's)."""

# Params naming something defined in the level: the level lists to look the id up in, in order.
LEVEL_LISTS: dict[str, tuple[str, ...]] = {
    "certification": ("certifications",),
    "programme": ("programmes", "policies"),
    "policy": ("policies", "programmes"),
    "institution": ("institutions",),
    "bank": ("institutions",),
    "event": ("events",),
    "part_family": ("part_families",),
    "lead_firm": ("lead_firms",),
}


# ----------------------------------------------------------------------------
# Loading


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    return lang


@cache
def _texts(lang: str) -> Mapping[str, str]:
    path = I18N_DIR / f"{lang}.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"{path}: expected a flat JSON object of strings")
    return data


def load_texts(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """All templates of one language, key -> template (a copy; the file is read once)."""
    return dict(_texts(_check_lang(lang)))


def has_text(key: str, lang: str = DEFAULT_LANG) -> bool:
    """The key has a template (itself, or plural forms ``key.other``...)."""
    texts = _texts(_check_lang(lang))
    return key in texts or f"{key}.other" in texts


@cache
def _plural_rule(lang: str) -> Any:
    from babel import Locale  # CLDR plural rules (one / other; Spanish also has many)

    return Locale.parse(lang).plural_form


def plural_category(count: int | float, lang: str = DEFAULT_LANG) -> str:
    """CLDR's plural category of ``count`` in ``lang``: "one", "other", "many"..."""
    return str(_plural_rule(_check_lang(lang))(abs(count)))


def plural_keys(lang: str = DEFAULT_LANG) -> list[str]:
    """Every key written in plural forms in a language: ``K.one`` with ``K.other`` (or with
    ``K`` itself as the other form, as the core's keys keep their plain key)."""
    texts = _texts(_check_lang(lang))
    return sorted({k.removesuffix(".one") for k in texts if k.endswith(".one")})


def count_of(params: Mapping[str, Any]) -> int | float | None:
    """The count that picks a plural form: the first of :data:`COUNT_PARAMS` in ``params``
    that is a number (not a bool)."""
    for name in COUNT_PARAMS:
        value = params.get(name)
        if value is None or type(value) is str:
            continue  # (the common cases, without the slower ABC checks below)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return float(value) if not isinstance(value, numbers.Integral) else int(value)
    return None


def plural_key(key: str, params: Mapping[str, Any], lang: str) -> str:
    """The template key for ``key`` given its count: ``key.zero`` for exactly 0 when written,
    then CLDR's category form (``key.one``, ``key.many``...), then ``key.other``; ``key``
    itself when it has no forms."""
    texts = _texts(_check_lang(lang))
    count = count_of(params)
    if count is None:
        return key if key in texts or f"{key}.other" not in texts else f"{key}.other"
    if count == 0 and f"{key}.zero" in texts:
        return f"{key}.zero"
    form = f"{key}.{plural_category(count, lang)}"
    if form in texts:
        return form
    if f"{key}.other" in texts:
        return f"{key}.other"
    return key


def placeholders(template: str) -> set[str]:
    """Named fields of a ``str.format`` template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def units(template: str) -> dict[str, str]:
    """The unit each placeholder of a template is shown in ("" when it has none)."""
    return {name: spec or "" for _, name, spec, _ in string.Formatter().parse(template) if name}


# ----------------------------------------------------------------------------
# Formatting values


def format_number(value: int | float) -> str:
    """Thousands separated by commas (as in Mexico and in English): 12,000."""
    if (
        isinstance(value, numbers.Real)
        and not isinstance(value, numbers.Integral)
        and not float(value).is_integer()
    ):
        return f"{value:,.1f}" if abs(value) < 100 else f"{round(value):,}"
    return f"{int(value):,}"


def format_money(pesos: int | float, lang: str = DEFAULT_LANG) -> str:
    """Pesos with a dollar sign and comma thousands, the same in both languages: $1,234,567."""
    _check_lang(lang)
    n = int(round(pesos))
    return f"-${-n:,}" if n < 0 else f"${n:,}"


def format_percent(share: float, lang: str = DEFAULT_LANG) -> str:
    """A share of 1 as a percentage with at most one decimal: 0.953 -> 95.3%."""
    _check_lang(lang)
    pct = round(float(share) * 100.0, 1)
    return f"{pct:.0f}%" if pct.is_integer() else f"{pct:.1f}%"


def _inline(label: str) -> str:
    """A label as used inside a sentence: first letter in lower case."""
    return label[:1].lower() + label[1:] if label else label


def tier_label(tier: int | str, lang: str = DEFAULT_LANG) -> str:
    """ "Nivel 2" / "Tier 2"; 4 (or "none") means outside the chain. Accepts 2, "2" or "tier2"."""
    if isinstance(tier, str):
        tier = 4 if tier == "none" else int(tier.removeprefix("tier"))
    return t_safe(f"tier.{int(tier)}", lang)


def capability_label(name: str, lang: str = DEFAULT_LANG) -> str:
    return t_safe(f"capability.{name}", lang)


def stage_label(stage: str, lang: str = DEFAULT_LANG) -> str:
    return t_safe(f"stage.{stage}", lang)


def life_cycle_label(life_cycle: str, lang: str = DEFAULT_LANG) -> str:
    return t_safe(f"life_cycle.{life_cycle}", lang)


def action_label(kind: str, lang: str = DEFAULT_LANG) -> str:
    return t_safe(f"action.{kind}", lang)


def action_description(kind: str, lang: str = DEFAULT_LANG) -> str:
    return t_safe(f"action.{kind}.desc", lang)


def _unwrap_level(level: Any) -> Any:
    """Accept a Level, a LoadedLevel or Rules (anything with ``.level``)."""
    seen = 0
    while (
        level is not None and not hasattr(level, "events") and hasattr(level, "level") and seen < 3
    ):
        level = level.level
        seen += 1
    return level


def _text_of(text: Any, lang: str) -> str | None:
    """A bilingual level Text (``.es`` / ``.en``) in one language."""
    if text is None:
        return None
    value = getattr(text, lang, None) or getattr(text, DEFAULT_LANG, None)
    return str(value) if value else None


def level_name(level: Any, param: str, ident: Any, lang: str = DEFAULT_LANG) -> str:
    """The level's name for an id (a certification, programme, policy, event...), or the id."""
    level = _unwrap_level(level)
    if level is not None:
        for attr in LEVEL_LISTS.get(param, ()):
            for item in getattr(level, attr, None) or ():
                if getattr(item, "id", None) == ident:
                    name = _text_of(getattr(item, "name", None), lang)
                    if name:
                        return name
    return str(ident)


_GENERATED_CALL = re.compile(r"q(\d+)_\d+$")
"""The id of a call the game generated: q<quarter>_<number> (never shown to a player)."""


def issuer_name(level: Any, issuer: Any, lang: str = DEFAULT_LANG) -> str | None:
    """The name of the firm that issues a call (a lead firm or one of its tier-1
    suppliers), or None when the level does not name it."""
    level = _unwrap_level(level)
    if issuer == "partner_district":
        return t_safe("ui.calls.partner_district", lang)
    for lf in getattr(level, "lead_firms", None) or ():
        if getattr(lf, "id", None) == issuer:
            return _text_of(getattr(lf, "name", None), lang)
        for sup in getattr(lf, "tier1_suppliers", None) or ():
            if getattr(sup, "id", None) == issuer:
                return _text_of(getattr(sup, "name", None), lang)
    return None


def rfq_name(
    level: Any, rfq_id: Any, lang: str = DEFAULT_LANG, part_family: Any = None, issuer: Any = None
) -> str:
    """A call's title from the level, quoted; a generated call (no title) by its part family
    and who issues it ("Soportes estampados" de Autopartes del Centro), or the quarter it
    opened in when the issuer is not known ("Soportes estampados" del T5). Never the
    internal id (q5_8), which means nothing to a player.
    """
    level = _unwrap_level(level)
    if level is not None:
        for sched in getattr(level, "rfqs", None) or ():
            if getattr(sched, "id", None) == rfq_id:
                name = _text_of(getattr(sched, "title", None), lang)
                if name is not None:
                    return f'"{name}"'
                part_family = getattr(sched, "part_family", None)
                break
    if part_family is None:
        return f'"{rfq_id}"'
    family = _Named(level_name(level, "part_family", part_family, lang))
    who = issuer_name(level, issuer, lang) if issuer is not None else None
    if who:
        return t_safe("call.named", lang, family=family, issuer=_Named(who))
    found = _GENERATED_CALL.match(str(rfq_id))
    if found:
        return t_safe("call.named_quarter", lang, family=family, quarter=int(found.group(1)))
    return f'"{family}"'


def _call_of(state: Any, rfq_id: Any) -> Any:
    """The call (or, once awarded, a contract won on it) with this id in a game state."""
    for rfq in getattr(state, "rfqs", None) or ():
        if rfq.id == rfq_id:
            return rfq
    for c in getattr(state, "contracts", None) or ():
        if c.rfq_id == rfq_id:
            return c
    return None


def _part_family_id(level: Any, index: Any) -> Any:
    families = getattr(_unwrap_level(level), "part_families", None) or ()
    return families[index].id if isinstance(index, int) and 0 <= index < len(families) else None


def call_name(level: Any, state: Any, rfq_id: Any, lang: str = DEFAULT_LANG) -> str:
    """A call named for a player, looked up in a game state (part family and issuer)."""
    found = _call_of(state, rfq_id) if state is not None else None
    if found is None:
        return rfq_name(level, rfq_id, lang)
    return rfq_name(level, rfq_id, lang, _part_family_id(level, found.part_family), found.issuer)


def contract_name(level: Any, state: Any, contract_id: Any, lang: str = DEFAULT_LANG) -> str:
    """A contract named for a player by the call it was won on (never its id, c4)."""
    for c in getattr(state, "contracts", None) or ():
        if c.id == contract_id:
            return rfq_name(level, c.rfq_id, lang, _part_family_id(level, c.part_family), c.issuer)
    # An ended contract has left the state; the books kept the call it was won on.
    for q in reversed(getattr(state, "ledger", None) or ()):
        call = (q.get("calls") or {}).get(contract_id)
        if call is not None:
            return rfq_name(level, call["rfq"], lang, _part_family_id(level, call["part_family"]), call["issuer"])
    digits = "".join(ch for ch in str(contract_id) if ch.isdigit())
    return t_safe("call.contract_number", lang, n=int(digits)) if digits else str(contract_id)


class _Named(str):
    """A parameter already turned into its display form."""


def format_value(name: str, value: Any, unit: str = "", lang: str = DEFAULT_LANG, level: Any = None) -> str:
    """One parameter of a message as the player reads it, in the template's ``unit``."""
    if unit and unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r} for {{{name}}}: use one of {', '.join(sorted(UNITS))}")
    if isinstance(value, _Named):
        return str(value)
    if name == "rfq":
        return rfq_name(level, value, lang)
    if name in LEVEL_LISTS:
        return level_name(level, name, value, lang)
    if name == "capability":
        return _inline(capability_label(str(value), lang))
    if name == "strategy":
        return t_safe(f"strategy.{value}", lang)
    if name == "contract":
        return contract_name(level, None, value, lang)
    if name == "stage":
        return stage_label(str(value), lang)
    if name == "life_cycle":
        return _inline(life_cycle_label(str(value), lang))
    if isinstance(value, bool):
        return t_safe("common.yes" if value else "common.no", lang)
    if not unit and isinstance(value, numbers.Real):
        share = not isinstance(value, numbers.Integral) and 0.0 <= float(value) <= 1.0
        unit = PERCENT if share else NUMBER
    try:
        if unit == MONEY:
            return format_money(value, lang)
        if unit == PERCENT:
            return format_percent(value, lang)
        if unit == POINTS:
            return format_number(math.floor(float(value) * 100.0 + 0.5))
        if unit == TIER:
            return _inline(tier_label(value, lang))
        if unit == NUMBER:
            return format_number(value)
    except (TypeError, ValueError):
        pass  # already a text (the window formats some figures itself)
    return str(value)


# ----------------------------------------------------------------------------
# Rendering


def _template(key: str, lang: str) -> str:
    return _texts(_check_lang(lang))[key]


def _fill(template: str, params: Mapping[str, Any], lang: str, level: Any, strict: bool) -> str:
    """The template with each placeholder formatted in its unit; a missing param raises
    KeyError when ``strict``, else shows "?"."""
    out = []
    for literal, name, unit, _conv in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        if name not in params:
            if strict:
                raise KeyError(name)
            out.append("?")
            continue
        value = params[name]
        if unit == SENTENCE and isinstance(value, str) and not isinstance(value, _Named):
            inner = {k: v for k, v in params.items() if k != name}
            out.append(_inline(_render_or_key(value, lang, inner, level, strict)))
        elif unit == DESCRIPTION:
            out.append(_description(level, name, value, lang))
        else:
            out.append(format_value(name, value, unit or "", lang, level))
    return "".join(out)


def _description(level: Any, name: str, ident: Any, lang: str) -> str:
    """The level's description of the thing a param names, in ``lang``, or the template
    ``<name>.no_description``."""
    for attr in LEVEL_LISTS.get(name, ()):
        for item in getattr(_unwrap_level(level), attr, None) or ():
            if getattr(item, "id", None) == ident:
                found = _text_of(getattr(item, "description", None), lang)
                if found:
                    return found
    return t_safe(f"{name}.no_description", lang)


def _is_set(value: Any) -> bool:
    return bool(value) and value == value  # NaN counts as unset


def _variant(key: str, params: Mapping[str, Any], lang: str) -> str:
    """The template to use for a core key, given its params: the first ``K.if_P`` /
    ``K.unless_P`` written for one of its params that applies, else ``K``; then its
    plural form."""
    texts = _texts(_check_lang(lang))
    for name, value in params.items():
        choice = f"{key}{IF if _is_set(value) else UNLESS}{name}"
        if choice in texts or f"{choice}.other" in texts:
            return plural_key(choice, params, lang)
    return plural_key(key, params, lang)


def base_key(template_key: str) -> str:
    """The message key a template key belongs to: ``K.if_P``, ``K.unless_P`` and plural
    forms (``K.one``...) all belong to ``K``."""
    key = template_key
    for form in PLURAL_FORMS:
        key = key.removesuffix(f".{form}")
    for marker in (IF, UNLESS):
        if marker in key:
            key = key[: key.rindex(marker)]
    return key


def _render_or_key(key: str, lang: str, params: Mapping[str, Any], level: Any, strict: bool) -> str:
    """:func:`_render`, or the key itself when its text is missing (unless ``strict``)."""
    try:
        return _render(key, lang, params, level, strict)
    except KeyError:
        if strict:
            raise
        return key


def _render(key: str, lang: str, params: Mapping[str, Any], level: Any, strict: bool) -> str:
    template = _template(_variant(key, params, lang), lang)
    return _fill(template, params, lang, level, strict)


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The text for ``key`` with ``params`` formatted; raises KeyError if the key (or a param) is missing."""
    return _render(key, lang, params, None, strict=True)


def t_safe(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """Like :func:`t` but never raises on a missing key: returns the key itself (for the UI).

    Missing params show as "?". An unknown language still raises ValueError:
    that is a programming error, not a text gap.
    """
    _check_lang(lang)
    if not has_text(key, lang):
        return key
    try:
        return _render(key, lang, params, None, strict=False)
    except (KeyError, ValueError, IndexError, AttributeError):
        return key


def _tag(family: str | None, lever: str | None, lang: str) -> str:
    tags = []
    if family:
        tags.append(t_safe("tag.family", lang, family=t_safe(f"family.{family}", lang)))
    if lever:
        tags.append(t_safe("tag.lever", lang, lever=_inline(t_safe(f"lever.{lever}", lang))))
    return " ".join(tags)


def explain(
    explanation: Any,
    lang: str = DEFAULT_LANG,
    level: Any = None,
    strict: bool = False,
    state: Any = None,
) -> str:
    """An Explanation as a sentence, with its barrier family and lever appended.

    ``state`` (the game's state), when given, names calls and contracts by their
    part family and the firm that issued them instead of their ids.

    ``level`` (a Level, LoadedLevel or Rules) lets names replace ids: events,
    calls, certifications, programmes, policies, institutions. With
    ``strict`` a missing key or param raises KeyError (tests); otherwise the
    key itself is shown, so a window never crashes on a text gap.
    """
    _check_lang(lang)
    key = explanation.key
    params = dict(explanation.params or {})
    found = _call_of(state, params["rfq"]) if state is not None and "rfq" in params else None
    if found is not None:
        params.pop("part_family", None)
        params["rfq"] = _Named(call_name(level, state, params["rfq"], lang))
    elif "rfq" in params and "part_family" in params:
        # Name the call once here; the part family itself is not in the sentence.
        params["rfq"] = _Named(rfq_name(level, params["rfq"], lang, params.pop("part_family")))
    if "contract" in params and state is not None:
        params["contract"] = _Named(contract_name(level, state, params["contract"], lang))
    body = _render_or_key(key, lang, params, level, strict)
    tag = _tag(getattr(explanation, "family", None), getattr(explanation, "lever", None), lang)
    return f"{body} {tag}" if tag else body


def refusal_text(
    refusal: Any, lang: str = DEFAULT_LANG, level: Any = None, strict: bool = False, state: Any = None
) -> str:
    """Why an action was refused, as a sentence (the key itself if the text is missing)."""
    _check_lang(lang)
    params = dict(refusal.params or {})
    if state is not None and "contract" in params:
        params["contract"] = _Named(contract_name(level, state, params["contract"], lang))
    if state is not None and "rfq" in params and _call_of(state, params["rfq"]) is not None:
        params["rfq"] = _Named(call_name(level, state, params["rfq"], lang))
    return _render_or_key(refusal.reason, lang, params, level, strict)
