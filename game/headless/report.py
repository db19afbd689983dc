"""Headless reports: a quarter's report, a player's figures, the cluster and a game's
outcome as lines of text in Spanish or English (the translations and the formatting of
values stay in :mod:`game.text`; this module only lays the lines out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.core.engine import PlayerFigures
from game.text import (
    DEFAULT_LANG,
    capability_label,
    explain,
    format_percent,
    level_name,
    t,
    t_safe,
)


def player_lines(player: PlayerFigures, lang: str = DEFAULT_LANG, level: Any = None) -> list[str]:
    """A player's figures at the end of a quarter (a ``QuarterReport.players`` entry)."""
    lines = []
    if not player.alive:
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
        lines.append(t(f"report.{key}", lang, **{key: getattr(player, key)}))
    lines.append(t("report.tier", lang, tier=player.tier))
    lines.append(t("report.best_tier", lang, tier=player.best_tier))
    certs = [level_name(level, "certification", c, lang) for c in player.certifications]
    lines.append(
        t("report.certifications", lang, certifications=", ".join(certs) or t("common.none", lang))
    )
    if player.capabilities:
        shown = ", ".join(
            f"{capability_label(name, lang)} {format_percent(v, lang)}"
            for name, v in player.capabilities.items()
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
    cluster = getattr(report, "cluster", None)
    metrics = {**vars(cluster), "life_cycle": report.life_cycle} if cluster is not None else None
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
