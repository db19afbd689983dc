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
        if isinstance(element, UIButton) and text in element.text and element.alive() and element.visible:
            return element
    raise AssertionError(f"no button with {text!r} on {app.top.name}")


def all_elements(app: App) -> list[Any]:
    """Every live UI element in the window (pygame_gui keeps them all in one sprite group)."""
    return [e for e in app.manager.get_sprite_group().sprites() if e.alive()]


def _clip_rect(element: Any, scrolling: set[int]) -> tuple[pygame.Rect, bool]:
    """The part of the window where ``element`` can be seen (its containers' rects, intersected),
    and whether it sits in a scrolling list (whose content is meant to be scrolled into view);
    ``scrolling`` holds the ids of the scrolling lists' inner containers."""
    clip = pygame.Rect(element.ui_manager.get_root_container().get_rect())
    scrolled = False
    holder = element.ui_container
    for _ in range(20):
        if holder is None:
            break
        container = holder.get_container()
        if id(container) in scrolling:
            scrolled = True
        clip = clip.clip(container.get_rect())
        nxt = container.ui_container
        holder = None if nxt is container else nxt
    return clip, scrolled


def overflows(app: App, hidden: bool = True) -> list[str]:
    """Every label or button whose text is wider or taller than the widget, every one that
    lies (partly) outside the container it sits in, so its text is hidden below or beside
    the container's edge, every text box with a word wider than itself, and every text box
    whose text runs below its bottom edge (it needs a scroll bar), every label or button
    outside a scrolling list that had to be shortened with an ellipsis (the screen's
    ``shortened``) and every text box of a fixed size shortened so (``Screen.summary``:
    the status line, the coach), unless the screen lists
    it in ``scrolling_boxes`` (documents meant to be scrolled: a level's briefing, the
    debrief's questions). ``hidden=False`` checks widths only."""
    problems = []
    from pygame_gui.elements import UIScrollingContainer

    allowed = {id(b) for b in getattr(app.top, "scrolling_boxes", ())}
    scrolling = {id(e.scrollable_container) for e in all_elements(app) if isinstance(e, UIScrollingContainer)}
    shortened = getattr(app.top, "shortened", {})
    for element in all_elements(app):
        if not element.alive() or not element.visible:
            continue
        if hidden and isinstance(element, (UILabel, UIButton, UITextBox)) and getattr(element, "ui_container", None) is not None:
            clip, scrolled = _clip_rect(element, scrolling)
            what = element.text if isinstance(element, (UILabel, UIButton)) else element.html_text[:60]
            if what and not scrolled and clip.clip(element.rect) != element.rect:
                problems.append(f"{app.top.name}: {type(element).__name__} {what!r} at {tuple(element.rect)} is cut off by its container {tuple(clip)}")
            if not scrolled and id(element) in shortened:
                problems.append(f"{app.top.name}: {type(element).__name__} {element.text!r} is shortened with an ellipsis ({element.rect.w} px) from {shortened[id(element)][:60]!r}")
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
            if hidden and element.scroll_bar is not None and id(element) not in allowed:
                problems.append(f"{app.top.name}: text box {plain[:70]!r}... runs below its bottom edge ({element.rect.w}x{element.rect.h} px)")
            summary = element.__dict__.get("_enclave_summary")
            if hidden and summary is not None and summary[0] != element.html_text:
                problems.append(f"{app.top.name}: text box {plain[:70]!r}... is shortened with an ellipsis ({element.rect.w}x{element.rect.h} px)")
    if hidden:
        problems += overlaps(app)
    return problems


def _shown_text(element: Any) -> str:
    if isinstance(element, UITextBox):
        return str(element.html_text)[:50]
    return str(getattr(element, "text", ""))[:50]


def overlaps(app: App) -> list[str]:
    """Every two texts in the same container whose widgets cover each other (one drawn over
    the other: rows pushed into the bid form), outside scrolling lists. A label inside a button
    (a list row's second line) is meant to be there."""
    from pygame_gui.elements import UITextEntryLine

    kinds = (UILabel, UIButton, UITextBox, UITextEntryLine)
    by_container: dict[int, list[Any]] = {}
    for element in all_elements(app):
        if isinstance(element, kinds) and element.visible and getattr(element, "ui_container", None) is not None and _shown_text(element).strip():
            by_container.setdefault(id(element.ui_container), []).append(element)
    problems = []
    for elements in by_container.values():
        for k, a in enumerate(elements):
            for b in elements[k + 1 :]:
                common = a.rect.clip(b.rect)
                if common.w <= 1 or common.h <= 1:
                    continue
                inside_button = (isinstance(a, UIButton) and a.rect.contains(b.rect)) or (isinstance(b, UIButton) and b.rect.contains(a.rect))
                if inside_button:
                    continue
                problems.append(f"{app.top.name}: {type(a).__name__} {_shown_text(a)!r} at {tuple(a.rect)} and {type(b).__name__} {_shown_text(b)!r} at {tuple(b.rect)} cover each other")
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
