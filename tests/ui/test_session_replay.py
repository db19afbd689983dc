"""A hot-seat session played through the window replays headless to the same hash;
a game saved mid-quarter loads back to the same state and carries on."""

from __future__ import annotations

import pygame

from game.core.replay import run_replay
from game.models import actions as ui_actions
from game.ui import paths
from tests.ui.helpers import button_with_text, click, key


def _decide(app, kind: str) -> None:
    """Open Decisions, pick a decision and press "Do it", with the mouse."""
    screen = app.top
    click(app, screen.targets["tab:decisions"])
    click(app, app.top.targets[f"decision:{kind}"])
    click(app, app.top.targets["do"])


def test_hot_seat_session_replays_to_the_same_hash(app, home):
    tr = app.tr
    click(app, button_with_text(app, tr("ui.title.new_game")))
    click(app, app.top.targets["continue"])  # the tutorial, first in the list
    click(app, button_with_text(app, "2"))  # two teams
    assert app.top.players == 2
    click(app, app.top.targets["continue"])
    session = app.session
    assert session.players == 2
    for quarter in range(1, 4):
        for team in range(2):
            assert app.top.name == "turn_start"
            click(app, app.top.targets["continue"])
            assert app.top.name == "quarter" and session.current == team
            _decide(app, "train_staff")
            assert session.state.firms.trained_quarter[team] == quarter
            if team == 0:
                _decide(app, "adopt_practices")
            click(app, app.top.targets["end_turn"])
        assert app.top.name == "report"
        click(app, app.top.targets["continue"])
    assert session.quarter == 4
    # Save as a replay from the in-game menu.
    click(app, app.top.targets["continue"])
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "message"
    click(app, button_with_text(app, tr("ui.menu.save_replay")))
    replays = sorted(paths.replays_dir().glob("*.replay.json"))
    assert len(replays) == 1
    result = run_replay(replays[0])
    assert result.ok, result.reason
    assert result.quarters == 3
    assert result.final_hash == session.game.hash()


def test_save_mid_quarter_load_and_continue(app, home):
    from game.ui.session import Session

    tr = app.tr
    click(app, button_with_text(app, tr("ui.title.new_game")))
    click(app, app.top.targets["continue"])
    click(app, app.top.targets["continue"])
    session = app.session
    _decide(app, "train_staff")
    key(app, pygame.K_s, pygame.KMOD_CTRL)  # save
    saves = [p for p in paths.saves_dir().glob("*.json") if p.name != "autosave.json"]
    assert len(saves) == 1
    before = session.game.hash()
    # Load it from the title's load screen.
    key(app, pygame.K_ESCAPE)
    click(app, button_with_text(app, tr("ui.menu.to_title")))
    assert app.top.name == "title"
    click(app, button_with_text(app, tr("ui.title.load")))
    assert app.top.name == "load"
    k = next(i for i, info in enumerate(app.top.saves) if info.path == saves[0])
    app.top.selected = k
    app.top.rebuild()
    click(app, app.top.targets["continue"])
    assert app.top.name == "quarter"
    loaded = app.session
    assert loaded is not session
    assert loaded.game.hash() == before
    # The loaded game carries on exactly like the original would.
    session.apply(ui_actions.build("adopt_practices", session.firm_id()))
    _decide(app, "adopt_practices")
    assert loaded.game.hash() == session.game.hash()
    click(app, app.top.targets["end_turn"])
    session.finish_turn()
    assert loaded.game.hash() == session.game.hash()
    assert Session.load(paths.autosave_path()).game.hash() == loaded.game.hash()
