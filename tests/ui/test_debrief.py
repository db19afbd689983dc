"""The debrief at the end of a workshop: every team reads its last report, then the
class charts, cause and effect, what if and questions render in both languages at
both sizes without overflow; the what-if paths are identical before the change;
the export button writes the same folder as `python main.py export`."""

from __future__ import annotations

import csv

import pygame
import pytest

from game.models import actions as ui_actions
from game.ui import nav
from game.ui.session import Session
from game.ui.tour import stand_in_turn
from game.ui.workshop import Workshop
from tests.ui.helpers import button_with_text, click, key, make_app, overflows

TEAMS = ["Águila", "Jaguar", "Colibrí"]
PLANS = ["growth", "cooperative", "cautious"]


def finished_workshop(quarters: int | None = None) -> Session:
    """Three teams through the tutorial with stand-in strategies; the facilitator
    switches a policy on in quarter 3 and injects an event in quarter 5."""
    session = Session.new("tutorial", players=3, names=TEAMS, seed=11)
    session.workshop = Workshop.new("1234", [0, 1, 2], 0)
    while not session.finished and (quarters is None or session.quarter <= quarters):
        if session.quarter == 3 and session.current == 0:
            assert ui_actions.facilitate(session, "switch_policy", policy="nordwagen_supplier_development", on=True).ok
        if session.quarter == 5 and session.current == 0:
            assert ui_actions.facilitate(session, "inject_event", event="plant_audit").ok
        stand_in_turn(session, PLANS[session.current], seed=session.current)
        session.finish_turn()
    return session


@pytest.fixture(scope="module")
def session() -> Session:
    return finished_workshop()


def _to_debrief(app, session: Session) -> None:  # noqa: ANN001
    for p in range(session.players):
        session.workshop.reports_seen.add((session.last_report().quarter, p))
    app.navigate(nav.in_game(nav.Resume(session)))
    assert app.top.name == "debrief"


def test_each_team_reads_its_last_report_then_the_debrief(home):
    session = finished_workshop()
    app = make_app()
    try:
        app.navigate(nav.in_game(nav.Resume(session)))
        for p in range(session.players):
            assert app.top.name == "pass_laptop" and app.top.team == p and app.top.report_only
            click(app, app.top.targets["continue"])
            assert app.top.name == "report" and app.top.player == p and app.top.private
            click(app, app.top.targets["continue"])
        assert app.top.name == "debrief"
        # The end screen (results by team) and back.
        click(app, app.top.targets["results"])
        assert app.top.name == "end"
        click(app, button_with_text(app, app.tr("ui.end.debrief")))
        assert app.top.name == "debrief"
    finally:
        app.close()


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_debrief_renders_without_overflow(lang, size, session, home):
    app = make_app(lang, size, title=False)
    problems = []
    try:
        _to_debrief(app, session)
        screen = app.top
        for section in ("charts", "causes", "whatif", "questions"):
            click(app, screen.targets[f"section:{section}"])
            app.step(dt=1.0)
            problems += [f"{section}: {p}" for p in overflows(app)]
            if section == "charts":
                assert len(screen.charts) == 5
                assert any(colour == (120, 120, 120) for c in screen.charts for _, colour, _ in c.markers), "the injected event is marked"
            if section == "causes":
                assert all(screen.sections["causes"].moments(p) for p in range(session.players))
        click(app, screen.targets["section:whatif"])
        click(app, screen.targets["run"])
        problems += [f"whatif (policy): {p}" for p in overflows(app)]
        click(app, screen.targets["mode:team"])
        click(app, screen.targets["team:1"])
        click(app, screen.targets["run"])
        assert screen.whatif.view is not None and not screen.whatif.view.failed
        problems += [f"whatif (team): {p}" for p in overflows(app)]
    finally:
        app.close()
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("mode", ["policy", "team"])
def test_what_if_paths_are_identical_before_the_change(mode, session, home):
    app = make_app()
    try:
        _to_debrief(app, session)
        screen = app.top
        click(app, screen.targets["section:whatif"])
        if mode == "team":
            click(app, screen.targets["mode:team"])
            click(app, screen.targets["team:2"])
            click(app, screen.targets["strategy:growth"])
        else:
            click(app, screen.targets["policy:0"])  # the certification subsidy, on from the start
        while screen.whatif.choice.quarter < 6:
            screen.whatif._quarter(1)()  # the ▶ button
        click(app, screen.targets["run"])
        view = screen.whatif.view
        assert view is not None and not view.failed, (view.problem, view.refusal) if view else None
        q = screen.whatif.choice.quarter
        assert view.first == q, (view.first, q)
        rows = screen.whatif.table_rows()
        assert len(rows) == session.state.turns
        for r, cells in zip(view.rows, rows, strict=True):
            pairs = [(cells[1], cells[2]), (cells[3], cells[4]), (cells[5], cells[6])]
            if r.quarter < q:
                assert r.same and all(a == b for a, b in pairs), (r.quarter, cells)
            else:
                assert not r.same
        assert rows[q - 1][0].startswith("➜")
        # What the table shows is what the screen draws.
        shown = {e.text for e in app.manager.get_sprite_group().sprites() if hasattr(e, "text") and e.alive()}
        assert rows[0][1] in shown and rows[0][2] in shown
    finally:
        app.close()


def test_the_export_button_writes_the_session_folder(session, home):
    app = make_app()
    try:
        _to_debrief(app, session)
        click(app, app.top.targets["export"])
        out = app.top.exported
        assert out is not None and out.parent == home / "exports"
        assert app.top.status[1] == "good" and str(out) in app.top.status[0]
        for name in ("teams.csv", "cluster.csv", "events.csv", "explanations.csv", "replay.json", "summary.html", "cash.png", "capabilities.png", "tier.png", "contracts.png", "cluster.png"):
            assert (out / name).is_file(), name
        with open(out / "teams.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 3 * session.state.turns
        assert {r["team"] for r in rows} == set(TEAMS)
        with open(out / "events.csv", encoding="utf-8") as fh:
            kinds = {r["kind"] for r in csv.DictReader(fh)}
        assert {"event", "policy"} <= kinds
        assert "1234" not in (out / "replay.json").read_text(encoding="utf-8")
    finally:
        app.close()


def test_the_console_reaches_the_debrief_mid_game(home):
    session = finished_workshop(quarters=3)
    app = make_app()
    try:
        app.navigate(nav.in_game(nav.Resume(session)))
        assert app.top.name == "pass_laptop"
        app.open_console()
        app.top.entries["pin"].set_text("1234")
        app.navigate(app.top.submit())
        click(app, app.top.targets["debrief"])
        assert app.top.name == "debrief"
        assert not overflows(app)
        key(app, pygame.K_ESCAPE)
        assert app.top.name == "console"
    finally:
        app.close()


def _chart(series, markers=None, legend=False, size=(420, 240)):  # noqa: ANN001, ANN202
    from game.ui.theme import Fonts
    from game.ui.widgets.charts import LineChart

    chart = LineChart(pygame.Rect((0, 0), size), "T", series, str, Fonts(1.0), 1.0, str, (0.0, 10.0), markers=markers, legend=legend)
    return chart, chart._render()


def test_policy_switches_are_drawn_over_events_and_tagged(home):
    from game.ui.widgets.charts import Series

    make_app().close()  # pygame and its fonts ready
    policy, grey = (0, 158, 115), (120, 120, 120)
    flat = [Series("a", [0.0] * 6, (200, 0, 0))]
    # The switch comes first in the time line, the event at the same quarter after it.
    chart, surf = _chart(flat, [(2, policy, "Programa encendido", "▲ Programa"), (2, grey, "Auditoría")])
    x = round(chart.plot.x + chart.plot.w * 2 / 5)
    column = [surf.get_at((x + dx, y))[:3] for dx in (-1, 0, 1) for y in range(chart.plot.y + 30, chart.plot.bottom - 10)]
    assert policy in column and grey not in column, "the event's line is drawn over the policy switch"
    assert [t for _, t in chart.tags] == ["▲ Programa"]
    box = chart.tags[0][0]
    assert chart.plot.contains(box) and box.h >= 10


def test_team_lines_are_told_apart_without_colour(home):
    from game.ui.widgets.charts import Series, series_style

    make_app().close()
    styles = [series_style(p) for p in range(8)]
    assert len(set(styles)) == 8
    grey = (90, 90, 90)
    pictures = []
    for marker, dash in styles:
        _, surf = _chart([Series("t", [1.0, 5.0, 3.0, 8.0, 2.0, 6.0], grey, marker=marker, dash=dash)])
        pictures.append(pygame.image.tobytes(surf, "RGB"))
    assert len(set(pictures)) == 8, "two teams' lines look the same in one colour"


def test_the_what_if_legend_sits_off_the_data(home):
    from game.ui.widgets.charts import Series

    make_app().close()
    chart, _ = _chart([Series("Lo que pasó", [9.0, 9.5, 9.8], (0, 0, 200)), Series("¿Y si...?", [9.9, 9.7, 9.9], (0, 0, 0), dashed=True)], legend=True)
    assert len(chart.legend_rects) == 2
    assert not any(r.colliderect(chart.plot) for r in chart.legend_rects)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_class_charts_axes_fit_their_quantity(session, home, size):
    app = make_app("es", size)
    try:
        _to_debrief(app, session)
        charts = {c.title: c for c in app.top.charts}
        tr = app.tr
        assert charts[tr("ui.end.chart.tier")].ticks() == [1.0, 2.0, 3.0, 4.0], "tiers as whole tiers"
        contracts = charts[tr("ui.end.chart.contracts")].ticks()
        assert contracts[0] == 0.0 and all(float(v).is_integer() for v in contracts), contracts
        top = max(v for s in charts[tr("ui.end.chart.contracts")].series for v in s.values)
        assert contracts[-1] >= top
        caps = charts[tr("ui.end.chart.capabilities")]
        assert caps.ticks()[0] == 0.0 and caps.ticks()[-1] == 1.0
        team_styles = {(s.marker, s.dash) for s in charts[tr("ui.end.chart.cash")].series}
        assert len(team_styles) == session.players
    finally:
        app.close()


def test_stage_notes_cover_no_policy_tag_and_no_other_note(home):
    """The class's cluster chart wrote 'Evolving' over the tag of the policy switched on in
    quarter 2, where the chain held locally rose near the top: a stage note is drawn above
    its point, else below it, never over a tag or another note, and stays inside the plot."""
    from game.ui.theme import Fonts
    from game.ui.widgets.charts import LineChart, Series

    make_app().close()
    policy = (0, 158, 115)
    values = [1.0, 1.2, 9.6, 9.8, 9.7, 2.0, 2.2, 9.5]
    notes = {0: "Primordial", 2: "Evolutivo", 3: "Reposicionado", 5: "Primordial", 7: "Evolutivo"}
    chart = LineChart(pygame.Rect(0, 0, 420, 240), "T", [Series("a", values, (0, 0, 200))], str, Fonts(1.0), 1.0, str, (0.0, 10.0), markers=[(1, policy, "Apoyo", "▲ Apoyo estatal a la certificación")], labels=notes)
    chart._render()
    boxes = [box for box, _ in chart.tags] + [box for box, _ in chart.label_rects]
    assert chart.tags and len(chart.label_rects) >= 3
    for k, a in enumerate(boxes):
        assert chart.plot.contains(a)
        for b in boxes[k + 1 :]:
            assert not a.colliderect(b), (a, b)
