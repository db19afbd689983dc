"""Game text: translation files, value formatting and rendering of explanations.

The core never writes sentences; it emits keys with parameters
(:class:`game.core.state.Explanation`, :class:`game.core.actions.Refusal`).
This module turns them into Spanish (the default) or English sentences for
the window and the headless reports. Templates in ``assets/i18n/<lang>.json``
are plain ``str.format`` strings with named placeholders; every formatting
decision (money, percentages, tier names, names looked up in the level)
lives here, so translators only ever write sentences.

Pure Python: no pygame, and no import of the core at module load.

May import: game.core
"""

from __future__ import annotations

import json
import math
import numbers
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
# How each parameter is shown. A parameter's kind comes from the key's own
# table first (the same name means pesos in one message and units in
# another), then from its name, then from its Python type.

MONEY = "money"
PERCENT = "percent"
POINTS = "points"
TIER = "tier"
NUMBER = "number"
TEXT = "text"

NAME_KINDS: dict[str, str] = {
    # pesos
    "cost": MONEY,
    "amount": MONEY,
    "price": MONEY,
    "revenue": MONEY,
    "penalty": MONEY,
    "grant": MONEY,
    "own": MONEY,
    "cash": MONEY,
    "debt": MONEY,
    "receivables": MONEY,
    "profit": MONEY,
    "profit_total": MONEY,
    # shares of 1
    "on_time": PERCENT,
    "min_on_time": PERCENT,
    "rate": PERCENT,
    "share": PERCENT,
    "reserved": PERCENT,
    "subsidy": PERCENT,
    "chance": PERCENT,
    "trust": PERCENT,
    "quality": PERCENT,
    "local_share": PERCENT,
    # bid scores (price, quality, delivery, relationship; can pass 1)
    "score": POINTS,
    "rival": POINTS,
    "tier": TIER,
    "best_tier": TIER,
    # plain counts and scores
    "total": NUMBER,
    "ppm": NUMBER,
    "max_ppm": NUMBER,
    "volume": NUMBER,
    "units": NUMBER,
    "delivered": NUMBER,
    "quarters": NUMBER,
    "quarter": NUMBER,
    "turns": NUMBER,
    "days": NUMBER,
    "strikes": NUMBER,
    "riders": NUMBER,
    "employees": NUMBER,
    "capacity": NUMBER,
    "contracts": NUMBER,
    "consortium": NUMBER,
}

KEY_KINDS: dict[str, dict[str, str]] = {
    "refused.not_enough_cash": {"need": MONEY, "have": MONEY},
    "missing.solvency": {"need": MONEY, "have": MONEY},
    "programme.no_cofinancing": {"need": MONEY},
    "missing.capability": {"need": PERCENT, "have": PERCENT},
    "contract.audit_failed": {"need": PERCENT, "need_delivery": PERCENT},
    "missing.capacity": {"need": NUMBER, "have": NUMBER},
    "refused.no_action_points": {"need": NUMBER, "have": NUMBER},
    "refused.loan_collateral": {"max": MONEY},
    "refused.bad_price": {"max": MONEY},
    "refused.expand_too_fast": {"max": NUMBER},
    "refused.programme_too_large": {"max": NUMBER},
    "refused.bad_share": {"min": PERCENT, "max": PERCENT},
    "refused.bad_amount": {"amount": NUMBER},
}

NESTED_REASON_KEYS: frozenset[str] = frozenset({"rfq.lost_ineligible", "rfq.missed"})
"""Keys whose ``reason`` param is another key (a ``missing.*`` refusal) whose
params are merged into theirs; the reason is rendered as a sentence."""

DERIVED_PARAMS: dict[str, frozenset[str]] = {
    "event.fired": frozenset({"description"}),
    "event.fired.injected": frozenset({"description"}),
}
"""Placeholders a template may use beyond the params the core passes: they
are computed here (an event's description comes from the level)."""

VARIANTS: dict[str, str] = {
    "event.fired.injected": "event.fired",
    "innovation.failed.with_university": "innovation.failed",
    "done.start_certification.subsidised": "done.start_certification",
    "rfq.won.no_reserve": "rfq.won",
    "rfq.lost_follow_source.no_reserve": "rfq.lost_follow_source",
    "done.start_certification.one": "done.start_certification",
    "done.start_certification.subsidised.one": "done.start_certification",
    "done.start_innovation.one": "done.start_innovation",
    "done.apply_programme.one": "done.apply_programme",
    "done.apply_programme.zero": "done.apply_programme",
}
"""Template keys chosen here from a core key and its params (variant -> core key).

Besides the cases in :func:`_variant`, a template ``K.one`` / ``K.zero`` is
used when the count in :data:`COUNT_PARAM` is 1 / 0, so a sentence never
reads "1 trimestres"."""

COUNT_PARAM = "quarters"

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
    return key in _texts(_check_lang(lang))


def placeholders(template: str) -> set[str]:
    """Named fields of a ``str.format`` template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


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


def rfq_name(level: Any, rfq_id: Any, lang: str = DEFAULT_LANG, part_family: Any = None) -> str:
    """A call's title from the level (or its part family's name), quoted; the id otherwise.

    A generated call has no title: given its ``part_family`` it reads
    "part family name (id)", so a player can find it in the calls list.
    """
    level = _unwrap_level(level)
    name = None
    if level is not None:
        for sched in getattr(level, "rfqs", None) or ():
            if getattr(sched, "id", None) == rfq_id:
                name = _text_of(getattr(sched, "title", None), lang)
                if name is None:
                    name = level_name(
                        level, "part_family", getattr(sched, "part_family", None), lang
                    )
                break
        if name is None and part_family is not None:
            name = f"{level_name(level, 'part_family', part_family, lang)} ({rfq_id})"
    return f'"{name if name is not None else rfq_id}"'


def _event(level: Any, event_id: Any) -> Any:
    level = _unwrap_level(level)
    for ev in getattr(level, "events", None) or ():
        if getattr(ev, "id", None) == event_id:
            return ev
    return None


def _kind(key: str, name: str, value: Any) -> str:
    kinds = KEY_KINDS.get(key)
    if kinds and name in kinds:
        return kinds[name]
    if name in NAME_KINDS:
        return NAME_KINDS[name]
    if isinstance(value, bool):
        return TEXT
    if (
        isinstance(value, numbers.Real)
        and not isinstance(value, numbers.Integral)
        and 0.0 <= float(value) <= 1.0
    ):
        return PERCENT
    if isinstance(value, numbers.Real):
        return NUMBER
    return TEXT


class _Named(str):
    """A parameter already turned into its display form."""


def format_value(
    key: str, name: str, value: Any, lang: str = DEFAULT_LANG, level: Any = None
) -> str:
    """One parameter of a message as the player reads it."""
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
    if name == "stage":
        return stage_label(str(value), lang)
    if name == "life_cycle":
        return _inline(life_cycle_label(str(value), lang))
    if isinstance(value, bool):
        return t_safe("common.yes" if value else "common.no", lang)
    kind = _kind(key, name, value)
    try:
        if kind == MONEY:
            return format_money(value, lang)
        if kind == PERCENT:
            return format_percent(value, lang)
        if kind == POINTS:
            return format_number(math.floor(float(value) * 100.0 + 0.5))
        if kind == TIER:
            return _inline(tier_label(value, lang))
        if kind == NUMBER:
            return format_number(value)
    except (TypeError, ValueError):
        pass
    return str(value)


# ----------------------------------------------------------------------------
# Rendering


class _Lenient(dict):
    """Params for a template that shows "?" for anything missing instead of raising."""

    def __missing__(self, name: str) -> str:
        return "?"


def _template(key: str, lang: str) -> str:
    return _texts(_check_lang(lang))[key]


def _fill(template: str, values: Mapping[str, str], strict: bool) -> str:
    if strict:
        return template.format_map(dict(values))
    return template.format_map(_Lenient(values))


def _variant(key: str, params: Mapping[str, Any], lang: str) -> str:
    """The template to use for a core key, given its params."""
    if key == "event.fired" and params.get("injected"):
        choice = "event.fired.injected"
    elif key == "innovation.failed" and params.get("university"):
        choice = "innovation.failed.with_university"
    elif key == "done.start_certification" and (params.get("subsidy") or 0) > 0:
        choice = "done.start_certification.subsidised"
    elif key in ("rfq.won", "rfq.lost_follow_source") and params.get("reserved", 1) == 0:
        choice = f"{key}.no_reserve"
    else:
        choice = key
    if not has_text(choice, lang):
        choice = key
    count = params.get(COUNT_PARAM)
    if isinstance(count, numbers.Integral) and not isinstance(count, bool) and count in (0, 1):
        counted = f"{choice}.{'one' if count == 1 else 'zero'}"
        if has_text(counted, lang):
            return counted
    return choice


def _render_or_key(key: str, lang: str, params: Mapping[str, Any], level: Any, strict: bool) -> str:
    """:func:`_render`, or the key itself when its text is missing (unless ``strict``)."""
    try:
        return _render(key, lang, params, level, strict)
    except KeyError:
        if strict:
            raise
        return key


def _render(key: str, lang: str, params: Mapping[str, Any], level: Any, strict: bool) -> str:
    template_key = _variant(key, params, lang)
    template = _template(template_key, lang)
    values: dict[str, str] = {}
    for name, value in params.items():
        values[name] = format_value(key, name, value, lang, level)
    if key in NESTED_REASON_KEYS and isinstance(params.get("reason"), str):
        reason = params["reason"]
        inner = {k: v for k, v in params.items() if k != "reason"}
        values["reason"] = _inline(_render_or_key(reason, lang, inner, level, strict))
    if key == "event.fired":
        ev = _event(level, params.get("event"))
        description = _text_of(getattr(ev, "description", None), lang) if ev is not None else None
        values["description"] = description or _template("event.no_description", lang)
    return _fill(template, values, strict)


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
    explanation: Any, lang: str = DEFAULT_LANG, level: Any = None, strict: bool = False
) -> str:
    """An Explanation as a sentence, with its barrier family and lever appended.

    ``level`` (a Level, LoadedLevel or Rules) lets names replace ids: events,
    calls, certifications, programmes, policies, institutions. With
    ``strict`` a missing key or param raises KeyError (tests); otherwise the
    key itself is shown, so a window never crashes on a text gap.
    """
    _check_lang(lang)
    key = explanation.key
    params = dict(explanation.params or {})
    if "rfq" in params and "part_family" in params:
        # Name the call once here; the part family itself is not in the sentence.
        params["rfq"] = _Named(rfq_name(level, params["rfq"], lang, params.pop("part_family")))
    body = _render_or_key(key, lang, params, level, strict)
    tag = _tag(getattr(explanation, "family", None), getattr(explanation, "lever", None), lang)
    return f"{body} {tag}" if tag else body


def refusal_text(
    refusal: Any, lang: str = DEFAULT_LANG, level: Any = None, strict: bool = False
) -> str:
    """Why an action was refused, as a sentence (the key itself if the text is missing)."""
    _check_lang(lang)
    return _render_or_key(refusal.reason, lang, dict(refusal.params or {}), level, strict)


# ----------------------------------------------------------------------------
# Headless reports


def player_lines(
    player: Mapping[str, Any], lang: str = DEFAULT_LANG, level: Any = None
) -> list[str]:
    """A player's figures from a quarter snapshot (``QuarterReport.players`` entry)."""
    lines = []
    if not player.get("alive", True):
        lines.append(t_safe("report.bankrupt", lang))
    for key in (
        "cash",
        "debt",
        "receivables",
        "revenue",
        "profit",
        "employees",
        "capacity",
        "contracts",
        "on_time",
        "ppm",
    ):
        if key in player:
            lines.append(t(f"report.{key}", lang, **{key: player[key]}))
    if "tier" in player:
        lines.append(t("report.tier", lang, tier=player["tier"]))
    if "best_tier" in player:
        lines.append(t("report.best_tier", lang, tier=player["best_tier"]))
    if "certifications" in player:
        certs = [level_name(level, "certification", c, lang) for c in player["certifications"]]
        lines.append(
            t(
                "report.certifications",
                lang,
                certifications=", ".join(certs) or t("common.none", lang),
            )
        )
    caps = player.get("capabilities")
    if caps:
        shown = ", ".join(
            f"{capability_label(name, lang)} {format_percent(v, lang)}" for name, v in caps.items()
        )
        lines.append(t("report.capabilities", lang, capabilities=shown))
    return lines


def cluster_lines(cluster: Mapping[str, Any], lang: str = DEFAULT_LANG) -> list[str]:
    """The cluster's stage and local share from a quarter snapshot."""
    lines = []
    if "stage" in cluster:
        life = cluster.get("life_cycle", "")
        lines.append(t("report.stage", lang, stage=cluster["stage"], life_cycle=life))
    if "local_share" in cluster:
        lines.append(t("report.local_share", lang, local_share=cluster["local_share"]))
    if "local_suppliers" in cluster:
        lines.append(t("report.local_suppliers", lang, local_suppliers=cluster["local_suppliers"]))
    return lines


def report_lines(
    report: Any, lang: str = DEFAULT_LANG, level: Any = None, firm: int | None = 0
) -> list[str]:
    """A QuarterReport as text lines: header, the firm's figures, what happened and why, the cluster.

    ``firm`` picks one player's view (its explanations and the cluster's);
    ``None`` shows every explanation.
    """
    lines = [t("report.quarter_n", lang, quarter=report.quarter)]
    players = list(getattr(report, "players", []) or [])
    if firm is not None and 0 <= firm < len(players):
        lines += ["  " + line for line in player_lines(players[firm], lang, level)]
    lines.append(t("report.news", lang))
    explanations = (
        report.for_firm(firm)
        if firm is not None and hasattr(report, "for_firm")
        else list(report.explanations)
    )
    if explanations:
        lines += ["  - " + explain(e, lang, level) for e in explanations]
    else:
        lines.append("  " + t("report.no_news", lang))
    metrics = getattr(report, "metrics", None)
    if metrics:
        lines.append(t("report.cluster", lang))
        lines += ["  " + line for line in cluster_lines(metrics, lang)]
    return lines


def outcome_lines(outcome: Mapping[str, Any], lang: str = DEFAULT_LANG) -> list[str]:
    """A player's final result (``Game.outcome``) as text lines."""
    name = outcome.get("name") or outcome.get("firm", "")
    lines = [t("summary.title", lang) + f": {name}"]
    lines.append(
        t(
            "summary.objective_met" if outcome.get("objective_met") else "summary.objective_missed",
            lang,
        )
    )
    if outcome.get("alive", True):
        lines.append(t("summary.survived", lang, name=name))
    else:
        lines.append(
            t("summary.bankrupt", lang, name=name, quarter=outcome.get("bankrupt_quarter", 0))
        )
    if "best_tier" in outcome:
        lines.append(t("summary.best_tier", lang, tier=outcome["best_tier"]))
    for key in ("profit_total", "cash", "debt", "employees"):
        if key in outcome:
            lines.append(t(f"summary.{key}", lang, **{key: outcome[key]}))
    card = outcome.get("scorecard") or {}
    if "total" in card:
        lines.append(t("summary.score", lang, total=card["total"]))
        parts = [
            f"{t_safe(f'scorecard.{k}', lang)} {format_percent(v, lang)}"
            for k, v in card.items()
            if k != "total"
        ]
        if parts:
            lines.append("  " + ", ".join(parts))
    return lines
