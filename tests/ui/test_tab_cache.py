"""The quarter screen keeps each tab's content until the game's state changes (issue 10):
opening a tab again shows what was built, and what the screen records about its widgets
(focus order, coach targets, tooltips, text fields) is the same as if it had been built
afresh, so the cache changes when work is done, never what the player sees or can do."""

from __future__ import annotations

from typing import Any

import pygame
import pytest
from pygame_gui.elements import UIButton, UILabel, UITextBox

from game.ui.screens.tabs import TABS
from game.ui.tour import stand_in_turn
from tests.ui.helpers import click, make_app, start_game


def _shown(app: Any) -> list[tuple[str, str, tuple[int, int, int, int]]]:
    """Every visible widget with text, by kind, text and place."""
    out = []
    for element in app.manager.get_sprite_group().sprites():
        if element.alive() and element.visible and isinstance(element, (UIButton, UILabel, UITextBox)):
            text = element.html_text if isinstance(element, UITextBox) else element.text
            out.append((type(element).__name__, text, tuple(element.rect)))
    return sorted(out)


def _records(screen: Any) -> dict[str, Any]:
    """What the screen records about its widgets, comparable across two builds."""

    def text_of(element: Any) -> str:
        return getattr(element, "text", None) or getattr(element, "html_text", "") or type(element).__name__

    return {
        "focus": [text_of(e) for e in screen.focusables],
        "targets": sorted(screen.targets),
        "entries": sorted(screen.entries),
        "hovers": sorted(t for _, t in screen.hover_regions if isinstance(t, str)),
        "callbacks": sorted(text_of(e) for e in screen.callbacks if e.visible),
    }


@pytest.fixture
def mid_game(home: Any) -> Any:
    app = make_app(size=(1280, 720))
    start_game(app, "bajio_automotive")
    for _ in range(1):
        stand_in_turn(app.session)
        app.session.finish_turn()
    app.top.rebuild()
    app.step()
    while app.top.warm():  # the idle wake-ups build every other tab ahead
        pass
    yield app
    app.close()


def test_a_cached_tab_is_what_a_fresh_build_shows(mid_game: Any) -> None:
    app = mid_game
    screen = app.top
    assert sorted(screen.built_tabs) == sorted(TABS)
    for name in (*TABS[1:], TABS[0], "calls"):
        click(app, screen.targets[f"tab:{name}"])
        assert screen.tab == name
        cached_view, cached_records = _shown(app), _records(screen)
        app.step()
        cached_picture = pygame.image.tobytes(app.window, "RGB")
        screen.rebuild()  # the same tab built afresh
        app.step()
        assert _shown(app) == cached_view, name
        assert _records(screen) == cached_records, name
        app.step()
        # Drawn the same too (a hidden tab's panels are drawn again when it is shown).
        assert pygame.image.tobytes(app.window, "RGB") == cached_picture, name
        while app.top.warm():
            pass


def test_hidden_tabs_leave_the_manager_and_the_focus_order(mid_game: Any) -> None:
    app = mid_game
    screen = app.top
    group = set(app.manager.get_sprite_group().sprites())
    for name, (_tab, part) in screen.built_tabs.items():
        inside = [e for e in part.elements if e in group]
        if name == screen.tab:
            assert inside == part.elements
        else:
            assert inside == [], f"hidden tab {name} still in the manager's group"
            assert not any(e in screen.focusables for e in part.elements)
    selected = [name for name, looks in screen.tab_looks.items() if looks[1].visible]
    assert selected == [screen.tab]
    assert all(looks[0].visible != looks[1].visible for looks in screen.tab_looks.values())


def test_a_decision_drops_every_cached_tab(mid_game: Any) -> None:
    app = mid_game
    screen = app.top
    assert len(screen.built_tabs) == len(TABS)
    click(app, screen.targets["tab:decisions"])
    points = int(app.session.state.firms.action_points[0])
    assert screen.perform("train_staff"), app.top.status
    app.step()
    assert int(app.session.state.firms.action_points[0]) < points, "the decision did not change the state"
    assert list(app.top.built_tabs) == ["decisions"], "tabs built on the old state were kept"


@pytest.mark.parametrize("level", ["bajio_automotive", "tutorial"])
def test_a_decision_rebuilds_the_figures_not_the_frame(home: Any, level: str) -> None:
    """After a decision the top bar and the tab buttons stay (the same widgets), and the
    screen shows and records what a fresh build would; in the tutorial, with the coach."""
    app = make_app(size=(1280, 720))
    try:
        start_game(app, level)
        app.step()
        screen = app.top
        click(app, screen.targets["tab:decisions"])
        frame = [screen.targets["tab:map"], screen.targets["tab:calls"], screen.targets["end_turn"]]
        assert screen.perform("train_staff"), screen.status
        app.step()
        assert all(e.alive() for e in frame)
        assert screen.targets["tab:map"] is frame[0]
        shown, records = _shown(app), _records(screen)
        screen.rebuild()
        app.step()
        assert _shown(app) == shown
        assert _records(screen) == records
    finally:
        app.close()


def test_the_coach_names_a_generated_call_as_the_calls_tab_does(home: Any) -> None:
    """Bajío's calls are generated (no title): the coach said 'No ofertes en "q4_3"'."""
    import re

    app = make_app(size=(1280, 720))
    try:
        start_game(app, "bajio_automotive")
        for _ in range(3):
            stand_in_turn(app.session)
            app.session.finish_turn()
        app.top.rebuild()
        coach = app.top.coach
        assert coach is not None
        named = 0
        for tab in TABS:
            app.top.show_tab(tab)
            step = coach.step()
            said = coach.text(step)
            assert not re.search(r"\bq\d+_\d+\b", said), said
            named += "rfq" in dict(step.params)
        assert named, "no step of the coach named a call here; the test needs one"
    finally:
        app.close()


def test_the_coach_shows_one_cash_warning_when_both_apply(home: Any) -> None:
    """The forecast's shortfall (with the amount) replaces the low-runway warning: both
    together ran the coach's box past the bottom bar's 180-pixel cap at 1280x720."""
    from game.ui.coach import Step

    app = make_app(size=(1280, 720))
    try:
        start_game(app, "tutorial")
        coach = app.top.coach
        assert coach is not None
        step = Step(
            "tutorial.end_quarter",
            "end_turn",
            (),
            (("coach.runway_low", (("quarters", 0.5), ("cash", 1000), ("bills", 900000))), ("coach.cash_short", (("short", 250000),))),
        )
        said = coach.text(step)
        assert said.count("⚠") == 1
        assert "250,000" in said
        runway_only = Step(step.key, step.target, (), step.warnings[:1])
        assert coach.text(runway_only).count("⚠") == 1
    finally:
        app.close()
