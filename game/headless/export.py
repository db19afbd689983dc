"""Export a recorded session: CSVs, the replay, PNG charts and a one-page summary.

Works from a replay file alone (the session is re-simulated), so the
facilitator's button and `python main.py export SESSION --out DIR` give the
same folder. Team names only: no other personal data is written.
"""

from __future__ import annotations

import csv
import html
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from game.core.debrief import key_moments
from game.core.level_loader import LoadedLevel
from game.core.level_terms import CAPABILITIES
from game.core.replay import (
    ReplayError,
    SessionPath,
    _level_for,
    fsync_dir,
    load_replay,
    simulate,
    write_json_atomic,
)
from game.text import explain, t_safe

TEAM_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
"""Okabe-Ito palette: tells teams apart for colour-blind readers too."""


def _name(level: Any, kind: str, ident: str, lang: str) -> str:
    items = {"event": level.events, "policy": level.policies}[kind]
    for it in items:
        if it.id == ident:
            return getattr(it.name, lang)
    return ident


def _mark_name(level: Any, m: dict[str, Any], lang: str) -> str:
    """An event or a policy switch of the time line, named as the summary lists it."""
    if m["kind"] == "policy":
        return _name(level, "policy", str(m.get("policy", "")), lang) + ": " + t_safe("export.on" if m.get("on") else "export.off", lang)
    name = _name(level, "event", str(m.get("event", "")), lang)
    return f"{name} ({t_safe('export.injected', lang)})" if m.get("injected") else name


def _team_rows(path: SessionPath) -> list[dict[str, Any]]:
    rows = []
    for snap in path.game.state.history:
        for p in snap["players"]:
            row = {
                "quarter": snap["quarter"],
                "team": path.game.state.firms.names[path.game.state.firms.index(p["firm"])],
                "firm_id": p["firm"],
                "alive": int(p["alive"]),
                "cash": p["cash"],
                "debt": p["debt"],
                "receivables": p["receivables"],
                "employees": p["employees"],
                "capacity": p["capacity"],
            }
            row.update({c: p["capabilities"][c] for c in CAPABILITIES})
            row.update(
                {
                    "certifications": ";".join(p["certifications"]),
                    "tier": p["tier"],
                    "best_tier": p["best_tier"],
                    "contracts": p["contracts"],
                    "on_time": p["on_time"],
                    "ppm": p["ppm"],
                    "revenue": p["revenue"],
                    "profit": p["profit"],
                    "cluster_stage": snap["cluster"]["stage"],
                    "cluster_local_share": round(snap["cluster"]["local_share"], 4),
                }
            )
            rows.append(row)
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a live formula in Excel/LibreOffice (CSV injection)."""


def neutralise(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: numbers stay numbers, risky text gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write_csv(path: Path, rows: list[dict[str, Any]], fields: list[str] | None = None) -> None:
    fields = fields or (list(rows[0]) if rows else ["quarter"])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)


def _charts(path: SessionPath, out: Path, level: Any, lang: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        return _draw_charts(plt, path, out, level, lang)


def timeline_marks(st: Any) -> list[dict[str, Any]]:
    """The events and policy switches of a session, numbered in time order (1, 2...): the
    charts show the numbers, the summary names them."""
    marks = [m for m in st.timeline if m["kind"] in ("event", "policy")]
    return [dict(m, number=k) for k, m in enumerate(marks, start=1)]


def mark_timeline(ax: Any, marks: list[dict[str, Any]]) -> list[Any]:
    """Each event (grey, dotted) and policy switch (green, solid, drawn over the events) as a
    vertical line with its number at the top; the numbers of one quarter share one label,
    so no two labels overlap. Returns the labels (matplotlib texts)."""
    by_quarter: dict[int, list[dict[str, Any]]] = {}
    for m in marks:
        by_quarter.setdefault(int(m["quarter"]), []).append(m)
    labels = []
    for quarter, ms in sorted(by_quarter.items()):
        policy = any(m["kind"] == "policy" for m in ms)
        if any(m["kind"] == "event" for m in ms):
            ax.axvline(quarter, color="#999999", linestyle=":", linewidth=1, zorder=1)
        if policy:
            ax.axvline(quarter, color="#009E73", linestyle="-", linewidth=1.6, zorder=2)
        numbers = ",".join(str(m["number"]) for m in ms)
        labels.append(
            ax.annotate(numbers, (quarter, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2), textcoords="offset points",
                        fontsize=7, ha="center", va="bottom", color="#009E73" if policy else "#666666")
        )
    # Neighbouring quarters' labels would touch: every other one goes up a row.
    for k, label in enumerate(labels):
        if k % 2:
            label.set_position((0, 11))
    return labels


def _draw_charts(plt: Any, path: SessionPath, out: Path, level: Any, lang: str) -> list[str]:
    """The PNG charts; team and event names are plain text (``$`` is not math)."""

    st = path.game.state
    hist = st.history
    quarters = [h["quarter"] for h in hist]
    players = st.players
    names = st.firms.names[:players]
    markers = timeline_marks(st)

    def mark(ax: Any) -> None:
        ax.xaxis.get_major_locator().set_params(integer=True)
        mark_timeline(ax, markers)

    def series(fn: Any) -> list[list[float]]:
        return [[fn(h["players"][p]) for h in hist] for p in range(players)]

    charts = [
        ("cash.png", t_safe("export.chart.cash", lang), series(lambda p: p["cash"] / 1e6), t_safe("export.axis.mdp", lang)),
        ("capabilities.png", t_safe("export.chart.capabilities", lang), series(lambda p: sum(p["capabilities"].values()) / len(CAPABILITIES)), "0-1"),
        ("tier.png", t_safe("export.chart.tier", lang), series(lambda p: 4 - p["best_tier"]), t_safe("export.axis.tier", lang)),
        ("contracts.png", t_safe("export.chart.contracts", lang), series(lambda p: p["contracts"]), ""),
    ]
    written = []
    for fname, title, data, ylabel in charts:
        fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
        for p in range(players):
            ax.plot(quarters, data[p], marker="o", markersize=3, color=TEAM_COLOURS[p % len(TEAM_COLOURS)], label=names[p])
        if fname == "tier.png":
            ax.set_yticks([0, 1, 2, 3], [t_safe(f"tier.{k}", lang) for k in (4, 3, 2, 1)])
        ax.set_title(title)
        ax.set_xlabel(t_safe("report.quarter", lang))
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        mark(ax)
        ax.legend(loc="upper left", fontsize=8)
        fig.tight_layout()
        fig.savefig(out / fname)
        plt.close(fig)
        written.append(fname)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    ax.plot(quarters, [100 * h["cluster"]["local_share"] for h in hist], color="#0072B2", marker="o", markersize=3, label=t_safe("export.chart.local_share", lang))
    for k, h in enumerate(hist):
        ax.annotate(t_safe(f"stage.{h['cluster']['stage']}", lang)[:4], (quarters[k], 100 * h["cluster"]["local_share"]), fontsize=6, textcoords="offset points", xytext=(0, 5), ha="center")
    ax.set_title(t_safe("export.chart.cluster", lang))
    ax.set_xlabel(t_safe("report.quarter", lang))
    ax.set_ylabel("%")
    ax.grid(alpha=0.3)
    mark(ax)
    fig.tight_layout()
    fig.savefig(out / "cluster.png")
    plt.close(fig)
    written.append("cluster.png")
    return written


EXPORT_FILES = ("teams.csv", "cluster.csv", "events.csv", "explanations.csv", "replay.json", "cash.png",
                "capabilities.png", "tier.png", "contracts.png", "cluster.png", "summary.html")


class ExportRefused(ReplayError):
    """The export folder is not a safe place to write (not empty, or it holds the input)."""


def check_export_target(out: Path, inputs: list[Path], force: bool) -> None:
    """Refuse a non-empty folder unless forced, and any folder where the export would replace an input."""
    if out.exists() and not out.is_dir():
        raise ExportRefused(f"{out}: --out must be a folder, and this is a file")
    targets = {os.path.realpath(out / name) for name in EXPORT_FILES}
    for src in inputs:
        if os.path.realpath(src) in targets:
            raise ExportRefused(f"{out}: the export would write over its own input {src}; choose another folder")
    if out.is_dir() and not force and any(out.iterdir()):
        raise ExportRefused(f"{out}: the folder is not empty; choose an empty or new folder, or add --force to write into it")


def export_session(replay_file: str | Path, out_dir: str | Path, lang: str = "es", level_override: str | None = None, force: bool = False) -> list[Path]:
    """Write the export folder for a recorded session; returns the files written.

    Everything is written to a hidden folder beside ``out_dir`` first and moved in
    at the end, so a failure leaves no half-written export behind.
    """
    out = Path(out_dir)
    inputs = [Path(replay_file)] + ([Path(level_override)] if level_override else [])
    check_export_target(out, inputs, force)
    data = load_replay(replay_file)
    loaded: LoadedLevel = _level_for(data, str(replay_file), level_override)
    inputs.append(Path(loaded.path))
    check_export_target(out, inputs, force)
    path = simulate(data, loaded)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name[:60]}.", suffix=".partial", dir=out.parent))
    try:
        names = _write_export(staging, data, loaded, path, lang)
        _move_in(staging, out, names, force)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / n for n in names]


def _move_in(staging: Path, out: Path, names: list[str], force: bool) -> None:
    if not out.exists():
        try:
            os.rename(staging, out)
            fsync_dir(out.parent)
            return
        except OSError:
            if not out.is_dir():
                raise
    if not force and any(out.iterdir()):
        raise ExportRefused(f"{out}: the folder is not empty; choose an empty or new folder, or add --force to write into it")
    for n in names:
        os.replace(staging / n, out / n)
    fsync_dir(out)


def _write_export(out: Path, data: dict[str, Any], loaded: LoadedLevel, path: SessionPath, lang: str) -> list[str]:
    level = loaded.level
    st = path.game.state
    team_rows = _team_rows(path)
    _write_csv(out / "teams.csv", team_rows)
    cluster_rows = [{"quarter": h["quarter"], **{k: v for k, v in h["cluster"].items()}} for h in st.history]
    _write_csv(out / "cluster.csv", cluster_rows)
    event_rows = []
    for m in st.timeline:
        ident = m.get("event") or m.get("policy") or m.get("firm") or ""
        if m["kind"] == "event":
            name = _name(level, "event", ident, lang) + (" (" + t_safe("export.injected", lang) + ")" if m.get("injected") else "")
        elif m["kind"] == "policy":
            name = _name(level, "policy", ident, lang) + ": " + t_safe("export.on" if m["on"] else "export.off", lang)
        elif m["kind"] == "timeout":
            name = st.firms.names[st.firms.index(ident)] + ": " + t_safe(f"strategy.{m['strategy']}", lang)
        else:
            name = m.get("text", "")
        event_rows.append({"quarter": m["quarter"], "kind": m["kind"], "id": ident, "description": name})
    _write_csv(out / "events.csv", event_rows, ["quarter", "kind", "id", "description"])
    cause_rows = []
    for rep in path.reports:
        for e in rep.explanations:
            if e.firm >= st.players:
                continue
            cause_rows.append(
                {
                    "quarter": rep.quarter,
                    "team": st.firms.names[e.firm] if e.firm >= 0 else "",
                    "key": e.key,
                    "tone": e.tone,
                    "family": e.family or "",
                    "lever": e.lever or "",
                    "text": explain(e, lang, level, state=st),
                }
            )
    _write_csv(out / "explanations.csv", cause_rows, ["quarter", "team", "key", "tone", "family", "lever", "text"])
    # The replay itself (also when the session came from a save that embeds it).
    write_json_atomic(out / "replay.json", data)
    files = ["teams.csv", "cluster.csv", "events.csv", "explanations.csv", "replay.json"]
    charts = _charts(path, out, level, lang)
    files += charts
    (out / "summary.html").write_text(_summary_html(path, level, lang, charts), encoding="utf-8")
    files.append("summary.html")
    return files


def _summary_html(path: SessionPath, level: Any, lang: str, charts: list[str]) -> str:
    game = path.game
    st = game.state
    e = html.escape
    in_progress = not game.finished
    rows = []
    outcomes = sorted((game.outcome(p) for p in range(st.players)), key=lambda o: -o["scorecard"]["total"])
    for rank, o in enumerate(outcomes, 1):
        if o["objective_met"]:
            met = t_safe("summary.objective_met", lang)
        elif in_progress:
            met = t_safe("export.objective_pending", lang)
        else:
            met = t_safe("summary.objective_missed", lang)
        rows.append(
            f"<tr><td>{rank}</td><td>{e(o['name'])}</td><td>{o['scorecard']['total']}</td><td>{e(met)}</td>"
            f"<td>{e(t_safe('tier.' + str(o['best_tier']), lang))}</td><td>${o['cash']:,}</td><td>{o['employees']}</td></tr>"
        )
    marks = timeline_marks(st)
    mark_items = "".join(
        f"<li value=\"{m['number']}\"><b>{e(t_safe('report.quarter', lang))} {m['quarter']}</b>: {e(_mark_name(level, m, lang))}</li>" for m in marks
    )
    status = (
        f"<p class=\"status\">{e(t_safe('export.in_progress', lang, quarter=len(st.history), turns=st.turns))}</p>" if in_progress else ""
    )
    moments = []
    for p in range(st.players):
        items = "".join(
            f"<li><b>{e(t_safe('report.quarter', lang))} {m.quarter}</b>: {e(explain(m.explanation, lang, level, state=st))}</li>"
            for m in key_moments(path.reports, p)
        )
        moments.append(f"<h3>{e(st.firms.names[p])}</h3><ol>{items}</ol>")
    questions = "".join(f"<li>{e(t_safe(f'debrief.question.{k}', lang))}</li>" for k in range(1, 6))
    imgs = "".join(f'<img src="{c}" alt="{c}">' for c in charts)
    cl = st.metrics
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{e(level.title.es if lang == 'es' else level.title.en)}</title>
<style>
.status {{ background: #FFF4CE; border-left: 4px solid #E69F00; padding: 0.4em 0.8em; }}
body {{ font-family: "Noto Sans", "DejaVu Sans", sans-serif; margin: 1.5em; color: #111; }}
h1 {{ font-size: 1.5em; margin-bottom: 0.2em; }} h2 {{ font-size: 1.15em; margin-top: 1em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #999; padding: 0.25em 0.6em; text-align: left; }}
img {{ width: 48%; margin: 0.5%; }} .meta {{ color: #444; }}
@media print {{ img {{ width: 47%; }} body {{ margin: 0.5cm; font-size: 10pt; }} }}
</style></head><body>
<h1>{e(getattr(level.title, lang))}</h1>
<p class="meta">{e(getattr(level.place, lang))} · {e(t_safe('export.quarters', lang))}: {len(st.history)} · {e(t_safe('export.stage', lang))}: {e(t_safe('stage.' + cl.stage, lang))} · {e(t_safe('export.local_share', lang))}: {100 * cl.local_share:.1f}%</p>
{status}<h2>{e(t_safe('export.leaderboard', lang))}</h2>
<table><tr><th>#</th><th>{e(t_safe('export.team', lang))}</th><th>{e(t_safe('export.score', lang))}</th><th>{e(t_safe('export.objective', lang))}</th><th>{e(t_safe('export.best_tier', lang))}</th><th>{e(t_safe('export.cash', lang))}</th><th>{e(t_safe('export.employees', lang))}</th></tr>{''.join(rows)}</table>
<h2>{e(t_safe('export.charts', lang))}</h2>{imgs}
<h3>{e(t_safe('export.timeline', lang))}</h3><ol class="marks">{mark_items}</ol>
<h2>{e(t_safe('export.key_moments', lang))}</h2>{''.join(moments)}
<h2>{e(t_safe('export.questions', lang))}</h2><ol>{questions}</ol>
</body></html>
"""
