"""Driving the window in tests like a player does: real mouse and key events."""

from __future__ import annotations

from typing import Any

import pygame
from pygame_gui.elements import UIButton, UILabel, UITextBox

from game.ui import nav
from game.ui.app import App
from game.ui.settings import Settings
from game.ui.window import new_app


def make_app(lang: str = "es", size: tuple[int, int] = (1280, 720), title: bool = True) -> App:
    app = new_app(Settings(lang=lang, width=size[0], height=size[1], sound=False), headless=True, size=size)
    if title:
        app.navigate(nav.Reset((nav.Title(),)))
        app.step()
    return app


def start_game(app: App, level: str = "tutorial", players: int = 1) -> None:
    """A new game in the window, as the set-up screen starts one."""
    app.navigate(nav.in_game(nav.NewGame(level, players)))


def show(app: App, *places: nav.Place) -> None:
    """These screens over the title (the session stays)."""
    app.navigate(nav.Reset((nav.Title(), *places)))


def move(app: App, pos: tuple[int, int]) -> None:
    app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))])


def click(app: App, element: Any) -> None:
    """Click the middle of an element, bringing it into view first if it sits in a list."""
    app.top.reveal(element)
    app.step()
    pos = element.rect.center
    move(app, pos)
    app.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)])
    app.step([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)])


def key(app: App, k: int, mod: int = 0, unicode: str = "") -> None:
    app.step([pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode, scancode=0)])
    app.step([pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode=unicode, scancode=0)])


def button_with_text(app: App, text: str) -> UIButton:
    for element in all_elements(app):
        if isinstance(element, UIButton) and text in element.text and element.alive():
            return element
    raise AssertionError(f"no button with {text!r} on {app.top.name}")


def all_elements(app: App) -> list[Any]:
    """Every live UI element in the window (pygame_gui keeps them all in one sprite group)."""
    return [e for e in app.manager.get_sprite_group().sprites() if e.alive()]


def overflows(app: App) -> list[str]:
    """Every label or button whose text is wider or taller than the widget, and every
    text box with a word wider than itself, on the current screen."""
    problems = []
    for element in all_elements(app):
        if not element.alive() or not element.visible:
            continue
        if isinstance(element, (UILabel, UIButton)):
            text = element.text
            if not text:
                continue
            w, h = element.font.size(text)
            room_w = element.rect.w - (4 if isinstance(element, UILabel) else 8)
            if w > room_w or h > element.rect.h + 2:
                problems.append(f"{app.top.name}: {type(element).__name__} {text!r} is {w}x{h}, widget {element.rect.w}x{element.rect.h}")
        elif isinstance(element, UITextBox):
            import html
            import re

            plain = html.unescape(re.sub(r"<[^>]+>", " ", element.html_text.replace("<br>", " ")))
            font = app.manager.get_theme().get_font(["text_box"])
            for word in plain.split():
                if font.size(word)[0] > element.rect.w - 30:
                    problems.append(f"{app.top.name}: word {word!r} wider than its text box ({element.rect.w} px)")
    return problems


def follow_coach(app: App) -> str:
    """Press whatever the tutorial coach points at on the quarter screen (or continue elsewhere)."""
    screen = app.top
    if screen.name == "quarter" and screen.coach is not None:
        step = screen.coach.current
        target = screen.targets.get(step.target) if step and step.target else None
        assert target is not None, f"the coach points at {step} but nothing on screen has that name"
        click(app, target)
        return step.key
    target = screen.targets.get("continue")
    assert target is not None, f"nothing to continue on {screen.name}"
    click(app, target)
    return f"{screen.name}:continue"
