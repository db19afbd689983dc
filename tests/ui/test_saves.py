"""Saves, autosave and settings: written atomically, damaged files refused with a
message and never written over."""

from __future__ import annotations

import json

import pytest

from game.ui import paths
from game.ui import settings as ui_settings
from game.ui.session import SaveError, Session, list_saves
from tests.ui.helpers import start_game


def _played(quarters: int = 2) -> Session:
    from game.ui.tour import stand_in_turn

    session = Session.new("tutorial", players=1)
    for _ in range(quarters):
        stand_in_turn(session)
        session.finish_turn()
    return session


def test_save_and_load_round_trip_leaves_no_temp_files(home):
    session = _played()
    path = session.save(paths.saves_dir() / "game.json")
    assert [p.name for p in path.parent.iterdir()] == ["game.json"]
    loaded = Session.load(path)
    assert loaded.game.hash() == session.game.hash()
    assert loaded.quarter == session.quarter == 3
    assert len(loaded.reports) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "not json at all",
        lambda text: text.replace('"price":', '"price":1') if '"price":' in text else text.replace('"seed":11', '"seed":12'),
        lambda text: json.dumps({**json.loads(text), "format": "something-else"}),
    ],
    ids=["truncated", "garbage", "tampered", "wrong_format"],
)
def test_damaged_save_is_refused_with_a_message_and_left_untouched(home, damage):
    session = _played()
    path = session.save(paths.saves_dir() / "game.json")
    damaged = damage(path.read_text(encoding="utf-8"))
    path.write_text(damaged, encoding="utf-8")
    with pytest.raises(SaveError) as err:
        Session.load(path)
    assert "game.json" in str(err.value)
    assert path.read_text(encoding="utf-8") == damaged
    assert any(info.path == path for info in list_saves())


def test_saving_over_a_damaged_file_sets_it_aside(home):
    session = _played(1)
    path = paths.saves_dir() / "slot.json"
    path.write_text("{broken", encoding="utf-8")
    session.save(path)
    aside = list(paths.saves_dir().glob("slot.damaged-*.json"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{broken"
    assert Session.load(path).game.hash() == session.game.hash()


def test_the_load_screen_refuses_a_damaged_save_with_a_message(app, home):
    from game.ui import nav

    path = paths.saves_dir() / "bad.json"
    path.write_text('{"format": "enclave-window-save", "replay": ', encoding="utf-8")
    app.navigate(nav.Push(nav.Load()))
    app.step()
    app.top.selected = next(k for k, info in enumerate(app.top.saves) if info.path == path)
    app.navigate(app.top.load())
    app.step()
    assert app.top.name == "message"
    assert "bad.json" in app.top.text
    assert path.read_text(encoding="utf-8") == '{"format": "enclave-window-save", "replay": '


def test_autosave_every_quarter(app, home):
    from game.ui import nav

    start_game(app, "tutorial")
    assert json.loads(paths.autosave_path().read_text(encoding="utf-8"))["quarter"] == 1
    for q in (2, 3):
        app.navigate(nav.in_game(nav.TurnFinished()))
        data = json.loads(paths.autosave_path().read_text(encoding="utf-8"))
        assert data["quarter"] == q
        assert Session.load(paths.autosave_path()).game.hash() == app.session.game.hash()


def test_continue_refuses_a_damaged_autosave(app, home):
    paths.autosave_path().write_text("{", encoding="utf-8")
    app.top.rebuild()
    app.navigate(app.top.continue_game())
    app.step()
    assert app.top.name == "message"
    assert paths.autosave_path().read_text(encoding="utf-8") == "{"


def test_damaged_settings_use_defaults_and_are_kept_aside(home):
    path = paths.settings_path()
    path.write_text("[1, 2", encoding="utf-8")
    s = ui_settings.load()
    assert s.problem and "settings.json" in s.problem
    assert s.lang == "es" and s.size == (1280, 720)
    s.lang = "en"
    ui_settings.save(s)
    assert ui_settings.load().lang == "en"
    assert [p.read_text(encoding="utf-8") for p in path.parent.glob("settings.damaged-*.json")] == ["[1, 2"]


def test_settings_are_cleaned(home):
    paths.settings_path().write_text(json.dumps({"lang": "fr", "width": 100, "height": 99999, "ui_scale": 7, "sound": "yes"}), encoding="utf-8")
    s = ui_settings.load()
    assert s.lang == "es" and s.width == 1280 and s.height == 720 and s.ui_scale == max(ui_settings.UI_SCALES) and s.sound is True


def test_saves_in_the_same_second_never_replace_each_other(home, monkeypatch):
    import datetime as dt

    import game.ui.session as session_mod

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206
            return dt.datetime(2026, 12, 6, 20, 30, 0)

    monkeypatch.setattr(session_mod._dt, "datetime", Frozen)
    first, second = _played(1), _played(2)
    paths_written = [first.save_new(), second.save_new(), first.save_replay_new(), second.save_replay_new()]
    assert len({p.name for p in paths_written}) == 4
    assert Session.load(paths_written[0]).game.hash() == first.game.hash()
    assert Session.load(paths_written[1]).game.hash() == second.game.hash()
    assert not [p for p in paths.saves_dir().iterdir() if p.name.endswith(".tmp")]
