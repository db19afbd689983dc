"""Navigation values and the routing: where a game goes next, decided in one module."""

from __future__ import annotations

import pytest

from game.ui import nav, routing
from game.ui.session import Session
from game.ui.tour import stand_in_turn
from game.ui.workshop import Workshop


def _played(players: int, quarters: int) -> Session:
    session = Session.new("tutorial", players=players)
    for _ in range(quarters):
        while True:
            stand_in_turn(session)
            if session.finish_turn() is not None:
                break
    return session


def test_a_dialog_choice_is_seen_from_the_screen_below() -> None:
    assert nav.after_closing(None) == nav.Pop()
    assert nav.after_closing(nav.STAY) == nav.Pop()
    assert nav.after_closing(nav.Push(nav.Settings())) == nav.Replace(nav.Settings())
    assert nav.after_closing(nav.Pop()) == nav.Pop(2)
    assert nav.after_closing(nav.Reset((nav.Title(),))) == nav.Reset((nav.Title(),))
    assert nav.after_closing(nav.Quit()) == nav.Quit()


def test_next_turn_solo_hot_seat_and_end() -> None:
    assert routing.next_turn(Session.new("tutorial", players=1)) == nav.Quarter()
    assert routing.next_turn(Session.new("tutorial", players=3)) == nav.TurnStart()
    finished = _played(1, 12)
    assert finished.finished and routing.next_turn(finished) == nav.End()


def test_the_workshop_passes_the_laptop_and_reports_are_read_once() -> None:
    session = _played(3, 1)
    session.workshop = Workshop.new("1234", [0, 1, 2], 5)
    first = routing.next_turn(session)
    assert first == nav.PassLaptop(session.current)
    # The team takes the laptop: its unread report first, then its quarter.
    to_report = routing.team_at_laptop(session, session.current)
    assert isinstance(to_report, nav.Report) and to_report.player == session.current
    assert to_report.then == nav.Replace(nav.Quarter())
    assert routing.team_at_laptop(session, session.current) == nav.Quarter()
    # At the end every team reads its last report, then the debrief.
    done = _played(3, 12)
    done.workshop = Workshop.new("1234", [0, 1, 2], 5)
    seen = []
    place = routing.next_turn(done)
    while isinstance(place, nav.PassLaptop):
        assert place.report_only
        seen.append(place.team)
        report = routing.team_at_laptop(done, place.team, place.report_only)
        assert isinstance(report, nav.Report) and report.then == nav.in_game(nav.NextTurn())
        place = routing.next_turn(done)
    assert seen == [0, 1, 2] and place == nav.Debrief()


def test_the_app_refuses_what_is_not_a_navigation_value(app) -> None:  # noqa: ANN001
    with pytest.raises(TypeError):
        app.navigate(True)
    app.navigate(nav.Push(nav.Glossary("consortium")))
    assert app.top.name == "glossary" and app.screens_below() == ["title"]
    app.navigate(nav.Pop())
    assert app.top.name == "title"
    app.navigate(nav.Reset((nav.Title(), nav.LevelSelect(), nav.Settings())))
    assert app.screens_below() == ["title", "level_select"] and app.top.name == "settings"
    app.navigate(nav.Pop(2))
    assert app.top.name == "title"
