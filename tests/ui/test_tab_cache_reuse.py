"""A decision or a selection builds the quarter screen's figures and open tab again in
place (issue 10): each widget helper reuses the old widget with the same kind, container,
place and theme ids, giving it the new text only when it changed, and kills the widgets
nobody asked for. These tests hold that path to a fresh build of the same screen: the
same widgets with the same texts and places, the same registries (focus order, coach
targets, tooltips, text fields), and the same pixels in the drawn frame; and they check
that widgets were reused at all, so the path they pin is the one that runs."""

from __future__ import annotations

from typing import Any

import pygame
import pytest

from game.ui.screens.tabs import TABS
from game.ui.tour import stand_in_turn
from tests.ui.helpers import click, make_app, start_game
from tests.ui.test_tab_cache import _records, _shown


def _frame(app: Any) -> bytes:
    """The window's pixels after a frame (no mouse over anything: nothing hovered)."""
    app.step()
    app._draw_frame()
    return pygame.image.tobytes(app.window, "RGB")


def _same_as_fresh(app: Any, what: str) -> None:
    """What the screen shows, records and draws now is what a fresh build of it gives."""
    screen = app.top
    # The mouse far from every widget and the map's pulse over: no hover look or animation
    # frame is what is compared.
    app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=(app.size[0] - 2, app.size[1] - 2), rel=(0, 0), buttons=(0, 0, 0))])
    app.anim.stop_all()
    shown, records, pixels = _shown(app), _records(screen), _frame(app)
    screen.rebuild()
    app.step()
    assert _shown(app) == shown, what
    assert _records(screen) == records, what
    assert _frame(app) == pixels, f"{what}: the frame differs from a fresh build's"


def _widgets(app: Any) -> set[Any]:
    return {e for e in app.manager.get_sprite_group().sprites() if e.alive()}


def _decide(screen: Any) -> None:
    """A decision that changes the state: training when there is the cash, else a loan."""
    from game.models import decisions as model

    cash = int(screen.session.state.firms.cash[0])
    loan = {p.name: p.default for p in model.params_for(screen.session, "take_loan", screen.tr) if p.default is not None}
    assert screen.perform("train_staff") or screen.perform("take_loan", **loan), screen.status
    assert int(screen.session.state.firms.cash[0]) != cash, "the decision did not change the state"


def _mid_game(level: str, size: tuple[int, int], quarters: int) -> Any:
    app = make_app(size=size)
    start_game(app, level)
    for _ in range(quarters):
        stand_in_turn(app.session)
        app.session.finish_turn()
    app.top.rebuild()
    app.step()
    while app.top.warm():
        pass
    return app


@pytest.mark.parametrize(
    ("level", "size", "quarters"),
    [("bajio_automotive", (1280, 720), 2), ("bajio_automotive", (1920, 1080), 5), ("tutorial", (1280, 720), 1)],
    ids=["bajio-1280x720", "bajio-1920x1080", "tutorial-1280x720"],
)
def test_a_decision_in_place_is_a_fresh_build(home: Any, level: str, size: tuple[int, int], quarters: int) -> None:
    app = _mid_game(level, size, quarters)
    try:
        screen = app.top
        screen.show_tab("decisions")
        app.step()
        before = _widgets(app)
        _decide(screen)
        kept = _widgets(app) & before
        # The top bar and tab buttons stay anyway; widgets of the rebuilt parts must be kept too.
        rebuilt = {e for e in screen.figures.elements} | set(screen.built_tabs["decisions"][1].elements)
        assert kept & rebuilt, "no widget of the sidebar, status line or open tab was reused"
        assert rebuilt - before, "nothing was built anew (the status line's sentence changed)"
        _same_as_fresh(app, f"{level} {size} after a decision")
    finally:
        app.close()


def test_stale_tabs_are_built_again_before_they_are_shown(home: Any) -> None:
    """The tabs built ahead showed the state before the decision: each, opened before or
    after the idle wake-ups rebuilt it, shows what a fresh build shows."""
    app = _mid_game("bajio_automotive", (1280, 720), 2)
    try:
        screen = app.top
        screen.show_tab("decisions")
        _decide(screen)
        assert list(screen.built_tabs) == ["decisions"]
        assert sorted(screen.stale_tabs) == sorted(t for t in TABS if t != "decisions")
        # One opened straight away (built again on the way), the rest after the idle wake-ups.
        click(app, screen.targets["tab:firm"])
        _same_as_fresh(app, "firm tab opened while stale")
        _decide(screen)
        while screen.warm():
            pass
        assert not screen.stale_tabs
        for name in TABS:
            click(app, screen.targets[f"tab:{name}"])
            assert screen.tab == name
            _same_as_fresh(app, f"{name} tab after the idle wake-ups")
            while screen.warm():
                pass
    finally:
        app.close()


def test_a_selection_in_place_is_a_fresh_build(home: Any) -> None:
    from game.models import decisions as model

    app = _mid_game("bajio_automotive", (1280, 720), 0)
    try:
        for _ in range(8):  # a quarter with a few calls open
            if len(model.visible_rfqs(app.session)) >= 3:
                break
            stand_in_turn(app.session)
            app.session.finish_turn()
        app.top.rebuild()
        screen = app.top
        click(app, screen.targets["tab:calls"])
        calls = [r.id for r in model.visible_rfqs(app.session)]
        assert len(calls) >= 3
        for rid in calls[1:4]:
            before = _widgets(app)
            click(app, screen.targets[f"rfq:{rid}"])
            assert screen.tab_state["calls"]["rfq"] == rid
            assert _widgets(app) & set(screen.built_tabs["calls"][1].elements) & before, "no widget of the calls tab was reused"
            _same_as_fresh(app, f"call {rid} selected")
        click(app, screen.targets["tab:decisions"])
        for kind in ("buy_technology", "take_loan"):
            click(app, screen.targets[f"decision:{kind}"])
            _same_as_fresh(app, f"decision {kind} selected")
    finally:
        app.close()


def test_a_scrolled_list_is_built_from_the_top_as_a_fresh_build_is(home: Any) -> None:
    """A list the player scrolled is not reused: a fresh build shows it from the top (and
    then brings the selected row into view), and so does a build in place."""
    app = _mid_game("bajio_automotive", (1280, 720), 2)
    try:
        screen = app.top
        click(app, screen.targets["tab:decisions"])
        scroller = screen.scroll_parent[screen.targets["decision:train_staff"]][0]
        bar = scroller.vert_scroll_bar
        assert bar is not None, "the decisions list does not scroll at 1280x720; the test needs it to"
        bar.set_scroll_from_start_percentage(0.3)
        app.step()
        assert bar.scroll_position != 0
        _decide(screen)
        assert not scroller.alive(), "the scrolled list was reused"
        _same_as_fresh(app, "after scrolling the decisions list")
    finally:
        app.close()


def _bar(screen: Any) -> dict[str, Any]:
    """Where the bottom bar and the panels above it are."""
    out = {"status": tuple(screen.status_box.rect), "content": tuple(screen.content_rect), "sidebar": tuple(screen.sidebar_box.rect)}
    if screen.coach is not None:
        out["coach"] = tuple(screen.coach_box.rect)
    return out


@pytest.mark.parametrize(
    ("level", "size"),
    [("bajio_automotive", (1920, 1080)), ("jalisco_electronics", (1280, 720)), ("tutorial", (1920, 1080))],
    ids=["bajio-1920x1080", "jalisco-1280x720", "tutorial-1920x1080"],
)
def test_the_decisions_of_a_quarter_change_no_size(home: Any, level: str, size: tuple[int, int]) -> None:
    """The bottom bar has a fixed height (issue 10) where the window has the room for it (not
    1280x720 with the coach: QuarterScreen.TAB_ROOM): the first decision of a quarter, whose
    sentence replaces the idle line, the next ones (the coach's advice changes with them) and
    a sentence too long for it leave the status line, the coach and every panel above them
    where they were, so the open tab's widgets are reused; a sentence too long is shortened
    with an ellipsis, whole on hover."""
    from game.ui.bench import _possible_decision

    app = _mid_game(level, size, 6)
    try:
        screen = app.top
        assert (level == "jalisco_electronics") == (screen.coach is None)
        click(app, screen.targets["tab:decisions"])
        assert screen.status is None, "the quarter has begun with a decision already"
        bar, rows = _bar(screen), {k: screen.targets[f"decision:{k}"] for k in ("train_staff", "take_loan")}
        # The decisions bench-ui times: the first of the quarter, and two more (the coach's
        # advice changes with them).
        for k in range(3):
            kind, params = _possible_decision(screen.session, screen.tr)
            assert screen.perform(kind, **params), screen.status
            assert _bar(screen) == bar, f"decision {k + 1} of the quarter ({kind}) moved the bottom bar or resized the panels"
            assert all(row.alive() for row in rows.values()), "the decisions list was made anew"
        long_text = " ".join(["Una frase larga sobre lo que pasó con la decisión y lo que cuesta."] * 12)
        screen.status = (long_text, "bad")
        screen.refresh_figures()
        assert _bar(screen) == bar, "a long status sentence moved the bottom bar or resized the panels"
        box = screen.status_box
        assert box.scroll_bar is None and box.html_text.endswith("…"), box.html_text
        assert len(box.html_text) < len(long_text)
        tip = next(text for element, text in screen.hover_regions if element is box)
        assert callable(tip) and tip(box.rect.center) == "✗ " + long_text
        _same_as_fresh(app, f"{level} {size} with a status sentence too long for its line")
        screen.status = ("Corta.", "good")
        screen.refresh_figures()
        assert _bar(screen) == bar and screen.status_box.html_text == "✓ Corta."
        assert tip(box.rect.center) is None or not box.alive()
    finally:
        app.close()


@pytest.mark.parametrize("tab", ["decisions", "calls", "firm", "cooperation"])
def test_a_taller_or_shorter_bottom_bar_resizes_the_kept_panels_as_a_fresh_build(home: Any, monkeypatch: Any, tab: str) -> None:
    """Were the bottom bar to change height between two builds in place (it does not: see
    the test above; a tab's own panels still can, with what it shows), the sidebar and the
    tab's panels and lists are kept at their new size (not made again), and what is drawn
    is still what a fresh build draws."""
    from game.ui.screens.quarter import QuarterScreen

    app = _mid_game("bajio_automotive", (1280, 720), 1)
    try:
        screen = app.top
        click(app, screen.targets[f"tab:{tab}"])
        for height in (180.0, 74.0):
            monkeypatch.setattr(QuarterScreen, "_bottom_height", lambda self, width, h=height: h)
            content = pygame.Rect(screen.content_rect)
            before = _widgets(app)
            screen.refresh_figures()
            assert screen.content_rect.h != content.h, "the bottom bar kept its height; the test needs it to change"
            assert _widgets(app) & before & set(screen.built_tabs[tab][1].elements), "nothing of the tab was reused"
            _same_as_fresh(app, f"{tab} with the bottom bar at another height")
    finally:
        app.close()


def test_a_hidden_tab_keeps_only_the_looks_it_shows(home: Any) -> None:
    """A tab built ahead (or left) keeps one look per button; the others (hovered, pressed,
    selected) are drawn again when first needed, as for a button just made, and come out as
    a fresh build's."""
    app = _mid_game("bajio_automotive", (1280, 720), 2)
    try:
        screen = app.top
        _tab, part = screen.built_tabs["decisions"]
        buttons = [e for e, shown in zip(part.elements, part.visible, strict=True) if type(e).__name__ == "UIButton" and shown]
        assert buttons
        for button in buttons:
            shape = button.drawable_shape
            drawn = [name for name, state in shape.states.items() if state.generated]
            assert drawn == [shape.active_state.state_id], drawn
            assert not shape.states_to_redraw_queue

        def looks() -> dict[str, list[bytes]]:
            out: dict[str, list[bytes]] = {}
            for kind in ("train_staff", "take_loan"):
                shape = screen.targets[f"decision:{kind}"].drawable_shape
                for state in ("hovered", "active", "normal"):
                    shape.set_active_state(state)
                    out.setdefault(kind, []).append(pygame.image.tobytes(shape.get_active_state_surface(), "RGBA"))
            return out

        click(app, screen.targets["tab:decisions"])
        kept = looks()
        screen.rebuild()
        for _ in range(10):  # a fresh build draws its buttons' other looks over the next frames
            app.step()
        assert looks() == kept
    finally:
        app.close()


@pytest.mark.parametrize(("level", "size"), [("bajio_automotive", (1920, 1080)), ("tutorial", (1280, 720))])
def test_a_measured_text_height_is_what_a_text_box_takes(home: Any, monkeypatch: Any, level: str, size: tuple[int, int]) -> None:
    """Screen.html_height lays the text out without drawing it: for every text the screens
    measure over a few quarters (status line, coach, sidebar, tabs), a self-sizing text box
    made by pygame_gui takes the same height."""
    from pygame_gui.core import ObjectID
    from pygame_gui.elements import UITextBox

    from game.ui.screens import base

    asked: set[tuple[str, int, str | None]] = set()
    measure = base.Screen.html_height

    def recording(self: Any, html: str, width: int, object_id: str | None = None) -> int:
        asked.add((html, width, object_id))
        return measure(self, html, width, object_id)

    monkeypatch.setattr(base.Screen, "html_height", recording)
    app = _mid_game(level, size, 0)
    try:
        for _ in range(3):
            for name in TABS:
                app.top.show_tab(name)
            stand_in_turn(app.session)
            app.session.finish_turn()
            app.top.rebuild()
        assert len(asked) >= 10
        for html, width, object_id in sorted(asked, key=repr):
            box = UITextBox(html, pygame.Rect(-4 * width - 100, -100, width, -1), manager=app.manager, object_id=ObjectID(object_id=object_id) if object_id else None)
            assert measure(app.top, html, width, object_id) == int(box.rect.h) + 2, (object_id, width, html[:80])
            box.kill()
    finally:
        app.close()


def test_a_shortened_summary_closes_its_tags_and_fills_its_box(home: Any) -> None:
    """Screen.fit_html cuts HTML after a word: the longest beginning that fits, its open
    tags closed, then an ellipsis; one more word would not fit; a text that fits is kept."""
    import re

    from game.ui.screens.base import _cut, _cut_points, plain_text

    app = make_app(size=(1280, 720))
    try:
        screen = app.top
        html = "<b>⚠ " + "Aviso largo con cifras $1,234 &amp; más. " * 4 + "</b><br><b>➜ Ahora:</b> " + " ".join(f"paso <a href='glossary:term'>término {k}</a> y <i>algo</i>" for k in range(30))
        width, height = 500, 120
        assert screen.fit_html("<b>corto</b>", width, height) == "<b>corto</b>"
        shown = screen.fit_html(html, width, height)
        assert shown.endswith("…") and shown != html
        assert screen.html_height(shown, width) - 2 <= height
        tags = re.findall(r"<(/?)(b|i|a)\b[^>]*>", shown)
        assert [t for c, t in tags if not c].count("a") == [t for c, t in tags if c].count("a")
        assert [t for c, t in tags if not c].count("b") == [t for c, t in tags if c].count("b")
        cuts = _cut_points(html)
        k = next(k for k, point in enumerate(cuts) if _cut(html, point) == shown)
        assert screen.html_height(_cut(html, cuts[k + 1]), width) - 2 > height, "one more word would have fitted"
        assert plain_text(html).startswith("⚠ Aviso largo con cifras $1,234 & más.") and "\n➜ Ahora:" in plain_text(html)
    finally:
        app.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_a_tab_switch_that_moves_the_coach_is_a_fresh_build(home: Any, size: tuple[int, int]) -> None:
    """In the tutorial, opening a tab often changes the coach's next step (it may fill in a
    decision's form a kept tab shows): the kept tabs become stale and the coach's box takes
    the new advice, with no whole rebuild unless the bottom bar must change height. What
    the screen then shows, records and draws is what a fresh build gives, and the path ran."""
    app = make_app(size=size)
    start_game(app, "tutorial")
    app.step()
    try:
        screen = app.top
        whole: list[str] = []
        rebuild = screen.rebuild
        screen.rebuild = lambda: (whole.append(screen.tab), rebuild())  # type: ignore[method-assign]
        moved = 0
        for tab in ("firm", "calls", "decisions", "cooperation", "calls", "decisions", "map", "decisions"):
            while screen.warm():
                pass
            before = screen.coach.current
            whole.clear()
            screen.show_tab(tab)
            if screen.coach.current != before:
                moved += 1
                assert not whole, f"opening {tab} rebuilt the screen whole"
                _same_as_fresh(app, f"the coach moved on opening {tab}")
        assert moved >= 3, f"the coach moved on {moved} tab switches only: the path is not pinned"
    finally:
        app.close()


def test_bench_ui_times_the_tutorials_tab_switches_with_the_coach_moving(home: Any) -> None:
    """bench-ui's tutorial figure times what it says: 18 tab switches, the coach moving on some."""
    from game.ui.bench import _tutorial_switches

    t = _tutorial_switches((1280, 720))
    assert t["n"] == 18 and t["moved"] >= 3, t
    assert 0 < t["p50_ms"] <= t["p95_ms"] and 0 < t["cpu_p50_ms"] <= t["cpu_p95_ms"], t
