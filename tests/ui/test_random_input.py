"""Thousands of random mouse and key events across every screen: nothing raises."""

from __future__ import annotations

import random

import pygame

from game.ui import nav
from tests.ui.helpers import make_app
from tests.ui.helpers import show as show_over_title

KEYS = [
    pygame.K_TAB, pygame.K_RETURN, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_UP, pygame.K_DOWN,
    pygame.K_LEFT, pygame.K_RIGHT, pygame.K_BACKSPACE, pygame.K_DELETE, pygame.K_F1, pygame.K_F11,
    pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4, pygame.K_5,
    pygame.K_6, pygame.K_7, pygame.K_n, pygame.K_c, pygame.K_l, pygame.K_o, pygame.K_e, pygame.K_s,
    pygame.K_q, pygame.K_a, pygame.K_9, pygame.K_0, pygame.K_HOME, pygame.K_END,
]
MODS = [0, 0, 0, pygame.KMOD_SHIFT, pygame.KMOD_LCTRL]


def _event(rng: random.Random, size: tuple[int, int]) -> pygame.event.Event:
    w, h = size
    pos = (rng.randrange(w), rng.randrange(h))
    r = rng.random()
    if r < 0.35:
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(0, 0, 0))
    if r < 0.55:
        return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=rng.choice([1, 1, 1, 3]))
    if r < 0.75:
        return pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)
    if r < 0.80:
        return pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice([-3, -1, 1, 3]), flipped=False, precise_x=0.0, precise_y=1.0)
    if r < 0.85:
        ch = rng.choice("abcñé 123$-")
        return pygame.event.Event(pygame.TEXTINPUT, text=ch)
    k = rng.choice(KEYS)
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=rng.choice(MODS), unicode="", scancode=0)


def _places(app):  # noqa: ANN001, ANN202
    """(name, a function that shows that screen) for every screen of the window."""
    from game.ui.screens.level_select import shipped
    from game.ui.screens.tabs import TABS
    from game.ui.session import Session
    from game.ui.tour import stand_in_turn

    def over_title(place):  # noqa: ANN001, ANN202
        return lambda: show_over_title(app, place)

    def game(players: int = 1, quarters: int = 0) -> Session:
        session = Session.new("tutorial", players=players)
        for _ in range(quarters):
            while True:
                stand_in_turn(session)
                if session.finish_turn() is not None:
                    break
        return session

    def quarter(tab: str, players: int = 1):  # noqa: ANN202
        def show() -> None:
            app.session = game(players, 2)
            show_over_title(app, nav.Quarter())
            app.top.tab = tab
            app.top.rebuild()

        return show

    def report() -> None:
        app.session = game(1, 3)
        show_over_title(app, nav.Report(app.session.last_report()))

    def turn_start() -> None:
        app.session = game(3, 1)
        app.session.finish_turn()
        show_over_title(app, nav.TurnStart())

    def end() -> None:
        app.session = game(2, 12)
        show_over_title(app, nav.End())

    places = [
        ("title", lambda: app.navigate(nav.Reset((nav.Title(),)))),
        ("level_select", over_title(nav.LevelSelect())),
        ("setup", over_title(nav.Setup(shipped()[1]))),
        ("settings", over_title(nav.Settings())),
        ("glossary", over_title(nav.Glossary("consortium"))),
        ("load", over_title(nav.Load())),
        ("message", over_title(nav.Message("x", "y", (("a", None, None), ("b", None, None), ("c", None, None))))),
        ("report", report),
        ("turn_start", turn_start),
        ("end", end),
    ]
    places += [(f"quarter:{tab}", quarter(tab)) for tab in TABS]
    places += [("quarter:hot_seat", quarter("cooperation", 2))]
    places += _workshop_places(app, game)
    return places


def _workshop_places(app, game):  # noqa: ANN001, ANN202
    """The workshop's screens: set-up, pass the laptop, the console, the pause, the debrief."""
    from game.ui.screens.level_select import shipped
    from game.ui.workshop import Workshop

    def workshop(quarters: int):  # noqa: ANN202
        session = game(3, quarters)
        session.workshop = Workshop.new("1234", [0, 1, 2], 5)
        if session.finished:
            for p in range(3):
                session.workshop.reports_seen.add((session.last_report().quarter, p))
        return session

    def begin(session):  # noqa: ANN001, ANN202
        app.navigate(nav.in_game(nav.Resume(session)))

    def setup() -> None:
        show_over_title(app, nav.WorkshopSetup(shipped()[0]))

    def pass_laptop() -> None:
        begin(workshop(1))

    def console() -> None:
        begin(workshop(2))
        app.navigate(nav.Push(nav.Console()))

    def paused() -> None:
        begin(workshop(1))
        app.session.workshop.pause()
        app.navigate(nav.Push(nav.Paused()))

    def debrief() -> None:
        begin(workshop(12))

    return [("workshop_setup", setup), ("pass_laptop", pass_laptop), ("console", console), ("paused", paused), ("debrief", debrief)]


def test_random_input_across_all_screens(home):
    rng = random.Random(20240611)
    app = make_app("es", (1280, 720))
    size = app.size
    visited: list[str] = []
    events = 0
    try:
        for name, show in _places(app):
            app.running = True
            show()
            app.step()
            assert app.top.name == name.split(":")[0], name
            visited.append(name)
            for _ in range(40):
                if not app.running or not app.stack:
                    app.running = True
                    app.navigate(nav.Reset((nav.Title(),)))
                batch = [_event(rng, size) for _ in range(5)]
                events += len(batch)
                app.step(batch, dt=rng.choice([0.0, 0.016, 0.1]))
    finally:
        app.close()
    assert events >= 3000, events
    assert len(visited) == 22
