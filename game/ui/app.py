"""The window: pygame-ce + pygame_gui, a stack of screens, a loop that sleeps when idle.

Only the top screen has live widgets; a screen rebuilds them from its own
model whenever it becomes the top, the window is resized or the language
changes. The loop waits for events while nothing animates (the animation
clock, :mod:`game.ui.anim`, is separate from the game's quarters), so an
idle window costs almost no CPU. :class:`App` also runs without a display
(``SDL_VIDEODRIVER=dummy``) for the tour, the tests and the benchmark,
driven frame by frame through :meth:`App.step`.

Screens do not change the stack: their handlers return navigation values
(:mod:`game.ui.nav`), which :meth:`App.navigate` applies, turning places into
screens with the routing function it was given (:func:`game.ui.routing.screen_for`,
the one importer of screens). Screens see the app only through
:class:`game.ui.context.Context`.
"""

from __future__ import annotations

import gc
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UITextEntryLine

from game.ui import gui_fixes, nav, paths
from game.ui import input as ui_input
from game.ui import settings as ui_settings
from game.ui.anim import AnimationClock
from game.ui.layout import wrap
from game.ui.sound import Sounds
from game.ui.texts import Tr
from game.ui.theme import FONT_NAME, PALETTE, Fonts, font_paths, font_sizes, scale_for, theme_dict

if TYPE_CHECKING:
    from game.ui.screens.base import Screen
    from game.ui.session import Session

Route = Callable[["App", nav.Place], "Screen"]
"""Turns a place into its screen (:func:`game.ui.routing.screen_for`)."""

IDLE_WAIT_MS = 120
"""How long the loop sleeps waiting for an event when nothing animates."""
TOOLTIP_DELAY = 0.5
TOAST_SECONDS = 4.0
CONSOLE_SCREENS = ("pin", "console")
"""Screens of the facilitator: the workshop timer stands still while one is on top."""


class App:
    """The window and its screen stack."""

    def __init__(self, route: Route, settings: ui_settings.Settings | None = None, *, headless: bool = False, size: tuple[int, int] | None = None):
        self.route = route
        self.settings = settings or ui_settings.load()
        self.headless = headless
        pygame.display.init()
        pygame.font.init()
        pygame.key.set_repeat(400, 40)
        if not headless:
            pygame.display.set_caption("Enclave")
        self._windowed_size = size or self.settings.size
        self.window = self._open_window(self._windowed_size, self.settings.fullscreen and not headless)
        self.tr = Tr(self.settings.lang, self._game_state)
        self.anim = AnimationClock()
        self.sounds = Sounds(self.settings.sound and not headless)
        self.stack: list[Screen] = []
        self.session: Session | None = None
        self.running = True
        self.focus_index = -1
        self.keyboard_focus = False
        """Draw the focus ring only once the keyboard is used to move around."""
        self._backdrop: pygame.Surface | None = None
        self._toast: tuple[str, str] | None = None
        self._hover: tuple[Any, float] | None = None
        self._mouse = (-1, -1)
        self._resize_to: tuple[int, int] | None = None
        self._make_manager()
        self.frames = 0
        self._garbage = False
        self._last_gc = 0.0
        # Modules, fonts and the theme live as long as the window: keep the
        # collector off them, so collecting after each rebuild takes a few ms.
        gc.collect()
        gc.freeze()

    # -- window and theme ---------------------------------------------------------------

    def _open_window(self, size: tuple[int, int], fullscreen: bool) -> pygame.Surface:
        flags = pygame.FULLSCREEN if fullscreen else pygame.RESIZABLE
        if fullscreen:
            return pygame.display.set_mode((0, 0), flags)
        return pygame.display.set_mode(size, flags)

    @property
    def size(self) -> tuple[int, int]:
        return self.window.get_size()

    def _make_manager(self) -> None:
        gui_fixes.install()
        self.scale = scale_for(self.size, self.settings.ui_scale)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.manager = pygame_gui.UIManager(self.size, theme_dict(self.scale), enable_live_theme_updates=False)
            paths_ = font_paths()
            self.manager.add_font_paths(FONT_NAME, paths_["regular"], paths_["bold"], paths_["italic"], paths_["bold_italic"])
            self.manager.preload_fonts([{"name": FONT_NAME, "point_size": size, "style": style} for size, style in font_sizes(self.scale)])
        self.fonts = Fonts(self.scale)

    def apply_settings(self, new: ui_settings.Settings) -> None:
        """Language, size, fullscreen, scale or sound changed: save and rebuild."""
        old = self.settings
        self.settings = new
        if (new.size, new.fullscreen) != (old.size, old.fullscreen) and not self.headless:
            self._windowed_size = new.size
            self.window = self._open_window(new.size, new.fullscreen)
        elif self.headless and new.size != old.size:
            self.window = self._open_window(new.size, False)
        self.tr = Tr(new.lang, self._game_state)
        self.sounds.enabled = new.sound and not self.headless
        self._make_manager()
        self.rebuild()
        try:
            ui_settings.save(new)
        except OSError as exc:
            self.notify(self.tr("ui.error.settings_not_saved", reason=str(exc)), "bad")

    def toggle_fullscreen(self) -> None:
        s = ui_settings.Settings(**{**self.settings.to_dict(), "fullscreen": not self.settings.fullscreen})
        self.apply_settings(s)

    def rebuild(self) -> None:
        if self.stack:
            self.top.rebuild()

    # -- the stack --------------------------------------------------------------------------

    @property
    def top(self) -> Screen:
        return self.stack[-1]

    def push(self, screen: Screen) -> None:
        if self.stack:
            if screen.modal:
                self._draw_frame()
                self._backdrop = self.window.copy()
            self.top.leave()
        self.stack.append(screen)
        self._enter(screen)

    def pop(self) -> None:
        if len(self.stack) <= 1:
            return
        self.top.leave()
        self.stack.pop()
        self._backdrop = None
        self._enter(self.top)

    def replace(self, screen: Screen) -> None:
        if self.stack:
            self.top.leave()
            self.stack.pop()
        self.stack.append(screen)
        self._backdrop = None
        self._enter(screen)

    def reset(self, *screens: Screen) -> None:
        """Clear the stack and show these screens (the last on top)."""
        if self.stack:
            self.top.leave()
        self.stack = list(screens)
        self._backdrop = None
        self._enter(self.top)

    def _enter(self, screen: Screen) -> None:
        self._garbage = True
        self.focus_index = -1
        self._hover = None
        screen.enter()

    def _game_state(self) -> Any:
        return self.session.state if self.session is not None else None

    def find(self, name: str) -> Screen | None:
        return next((s for s in reversed(self.stack) if s.name == name), None)

    def navigate(self, to: nav.Nav | None) -> None:
        """Apply what a screen's handler returned."""
        match to:
            case None | nav.Stay():
                return
            case nav.Push(place):
                self.push(self.route(self, place))
            case nav.Replace(place):
                self.replace(self.route(self, place))
            case nav.Pop(count):
                for _ in range(count):
                    self.pop()
            case nav.Reset(places, end_session):
                if end_session:
                    self.session = None
                self.reset(*[self.route(self, place) for place in places])
            case nav.Quit():
                self.quit()
            case _:
                raise TypeError(f"a screen returned {to!r}, not a navigation value")
        self._hold_workshop_clock()

    def _hold_workshop_clock(self) -> None:
        """The workshop's timer stands still while the facilitator's console (or its PIN) is open."""
        ws = self.session.workshop if self.session is not None else None
        if ws is not None:
            ws.hold(bool(self.stack) and self.top.name in CONSOLE_SCREENS)

    def screens_below(self) -> list[str]:
        """Names of the screens under the top one, bottom first."""
        return [s.name for s in self.stack[:-1]]

    def widgets_dropped(self, now: bool = True) -> None:
        """Widgets were killed: collect them now (a screen built anew), or at the next idle
        wake-up (``now=False``: a few widgets after a click, whose frame must come first)."""
        self._garbage = True
        if now:
            self.collect_garbage()

    # -- shared services ----------------------------------------------------------------------

    def notify(self, text: str, tone: str = "info") -> None:
        """A short message over any screen (saved, refused...), fading after a few seconds."""
        self._toast = (text, tone)
        self.anim.start("toast", TOAST_SECONDS)

    def open_console(self) -> bool:
        """F9 in a workshop: the facilitator's console, behind its PIN."""
        if self.session is None or self.session.workshop is None or not self.stack:
            return False
        if self.top.name not in ("pin", "console"):
            self.navigate(nav.Push(nav.Pin()))
        return True

    def autosave(self) -> None:
        if self.session is None:
            return
        try:
            self.session.save(paths.autosave_path())
        except OSError as exc:
            self.notify(self.tr("ui.error.autosave_failed", reason=str(exc)), "bad")

    def quit(self) -> None:
        self.running = False

    # -- focus (Tab order) -------------------------------------------------------------------

    def _focusables(self) -> list[Any]:
        return [e for e in self.top.focusables if e.alive() and e.visible and getattr(e, "is_enabled", True)] if self.stack else []

    def set_focus_index(self, index: int) -> None:
        items = self._focusables()
        if not items or index < 0:
            self.focus_index = -1
            return
        self.focus_index = index % len(items)
        element = items[self.focus_index]
        if isinstance(element, UITextEntryLine):
            self.manager.set_focus_set(element)
        else:
            self.manager.set_focus_set(None)
        scroll = getattr(self.top, "reveal", None)
        if scroll is not None:
            scroll(element)

    def move_focus(self, step: int) -> None:
        items = self._focusables()
        if not items:
            return
        if self.focus_index < 0:
            self.set_focus_index(0 if step > 0 else len(items) - 1)
        else:
            self.set_focus_index(self.focus_index + step)

    def focused(self) -> Any:
        items = self._focusables()
        if 0 <= self.focus_index < len(items):
            return items[self.focus_index]
        return None

    def typing(self) -> bool:
        return any(isinstance(e, UITextEntryLine) and e.is_focused for e in self.manager.get_focus_set() or ())

    # -- events -----------------------------------------------------------------------------

    def process(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            if self.session is not None and not self.headless:
                self.autosave()  # closing the window keeps this quarter's decisions too
            self.quit()
            return
        if event.type == pygame.VIDEORESIZE and not self.settings.fullscreen:
            self._resize_to = (max(event.w, ui_settings.MIN_SIZE[0]), max(event.h, ui_settings.MIN_SIZE[1]))
            return
        if event.type == pygame.MOUSEMOTION:
            self._mouse = event.pos
            self._hover = None
        if event.type == pygame.KEYDOWN and self._key(event):
            return
        consumed = self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            self._pressed(event.ui_element)
            return
        if event.type == pygame_gui.UI_TEXT_BOX_LINK_CLICKED:
            self.navigate(self.top.on_link(str(event.link_target)))
            return
        if event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED:
            self.top.on_entry_changed(event.ui_element, event.text)
            return
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED:
            self.navigate(self.top.on_entry_finished(event.ui_element, event.text))
            return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.keyboard_focus = False
            items = self._focusables()
            for k, element in enumerate(items):
                if element.rect.collidepoint(event.pos):
                    self.focus_index = k
                    break
        if not consumed:
            self.navigate(self.top.handle_event(event))

    def _pressed(self, element: Any) -> None:
        callback = self.top.callbacks.get(element)
        if callback is not None:
            self.sounds.play("click")
            self.navigate(callback())

    def _key(self, event: pygame.event.Event) -> bool:
        """Keyboard: Tab focus, Enter on the focused button, shortcuts. True if used."""
        typing = self.typing()
        if event.key == ui_input.FOCUS_NEXT:
            self.keyboard_focus = True
            self.move_focus(-1 if event.mod & pygame.KMOD_SHIFT else 1)
            return True
        command = ui_input.command_for(event, typing)
        if command is not None:
            to = self.top.on_command(command)
            if to is not None:
                self.navigate(to)
                return True
            return self._global_command(command)
        if typing:
            return False
        if event.key in ui_input.ACTIVATE_KEYS:
            element = self.focused()
            if isinstance(element, UIButton) and element.is_enabled and element in self.top.callbacks:
                self._pressed(element)
                return True
        to = self.top.on_key(event)
        if to is None:
            return False
        self.navigate(to)
        return True

    def _global_command(self, command: str) -> bool:
        if command == "glossary":
            if self.top.name != "glossary":
                self.navigate(nav.Push(nav.Glossary(None)))
            return True
        if command == "fullscreen":
            self.toggle_fullscreen()
            return True
        if command == "console":
            return self.open_console()
        if command == "back" and len(self.stack) > 1:
            self.pop()
            return True
        if command == "quit":
            self.quit()
            return True
        return False

    # -- frames -------------------------------------------------------------------------------

    def tick(self, dt: float) -> None:
        if self._resize_to is not None:
            size, self._resize_to = self._resize_to, None
            if size != self.size:
                self.window = self._open_window(size, False)
            self._make_manager()
            self.rebuild()
        self.anim.advance(dt)
        self.manager.update(dt)
        if self.stack:
            self._hold_workshop_clock()
            self.top.update(dt)
        if self._hover is None:
            self._hover = (self._hover_target(), time.perf_counter())

    def _hover_target(self) -> Any:
        if not self.stack:
            return None
        for target, text in reversed(self.top.hover_regions):
            rect = target if isinstance(target, pygame.Rect) else getattr(target, "rect", None)
            if rect is None or not rect.collidepoint(self._mouse):
                continue
            if not isinstance(target, pygame.Rect) and not target.alive():
                continue
            if callable(text):
                found = text(self._mouse)
                if found:
                    return (target, found)
                continue
            return (target, text)
        return None

    def _draw_frame(self) -> None:
        surface = self.window
        surface.fill(PALETTE.bg)
        if self._backdrop is not None and self.top.modal:
            surface.blit(self._backdrop, (0, 0))
            veil = pygame.Surface(self.size, pygame.SRCALPHA)
            veil.fill((20, 20, 20, 150))
            surface.blit(veil, (0, 0))
        if self.stack:
            self.top.draw_under(surface)
        self.manager.draw_ui(surface)
        if self.stack:
            self.top.draw_over(surface)
        self._draw_focus(surface)
        self._draw_hover_tip(surface)
        self._draw_toast(surface)

    def draw(self) -> None:
        self._draw_frame()
        pygame.display.flip()
        self.frames += 1

    def _draw_focus(self, surface: pygame.Surface) -> None:
        """The keyboard focus: a black ring with a white core (only after Tab is used, like :focus-visible)."""
        element = self.focused()
        if element is None or not self.keyboard_focus:
            return
        rect = element.rect.inflate(self.s(8), self.s(8))
        pygame.draw.rect(surface, PALETTE.ink, rect, width=max(3, self.s(5)), border_radius=self.s(6))
        pygame.draw.rect(surface, (255, 255, 255), rect.inflate(-self.s(4), -self.s(4)), width=max(1, self.s(2)), border_radius=self.s(5))

    def s(self, value: float) -> int:
        return max(1, int(round(value * self.scale)))

    def _draw_hover_tip(self, surface: pygame.Surface) -> None:
        if not self._hover or not self._hover[0]:
            return
        (target, text), since = self._hover
        if time.perf_counter() - since < TOOLTIP_DELAY and not self.headless:
            return
        draw_tooltip(surface, self.fonts, self.scale, text, self._mouse)

    def _draw_toast(self, surface: pygame.Surface) -> None:
        if self._toast is None or self.anim.progress("toast") is None:
            return
        text, tone = self._toast
        font = self.fonts.get(19, bold=True)
        colour = {"good": PALETTE.good, "bad": PALETTE.bad}.get(tone, PALETTE.accent_dark)
        lines = wrap(text, font, int(self.size[0] * 0.6))
        h = sum(font.get_linesize() for _ in lines) + self.s(20)
        w = max(font.size(line)[0] for line in lines) + self.s(32)
        rect = pygame.Rect(0, 0, w, h)
        rect.midtop = (self.size[0] // 2, self.s(60))
        pygame.draw.rect(surface, PALETTE.panel, rect, border_radius=self.s(8))
        pygame.draw.rect(surface, colour, rect, width=self.s(3), border_radius=self.s(8))
        y = rect.y + self.s(10)
        for line in lines:
            surface.blit(font.render(line, True, PALETTE.ink), (rect.x + self.s(16), y))
            y += font.get_linesize()

    def needs_frames(self) -> bool:
        """True while something moves (an animation, a resize, one of our tooltips about to show)."""
        if self.anim.busy or self._resize_to is not None:
            return True
        return bool(self._hover and self._hover[0] and time.perf_counter() - self._hover[1] < TOOLTIP_DELAY + 0.1)

    def wants_idle_redraw(self) -> bool:
        """On an idle wake-up: redraw only for a blinking text cursor or a pygame_gui tooltip that is due."""
        if self.typing():
            return True
        if self.stack and self.top.wants_redraw():
            return True
        for element in self.manager.get_sprite_group().sprites():
            if getattr(element, "hovered", False) and getattr(element, "tool_tip_text", None) and getattr(element, "tool_tip", None) is None:
                return True
        return False

    def step(self, events: list[pygame.event.Event] | None = None, dt: float = 1 / 60) -> None:
        """One frame driven from outside (tests, tour, benchmark).

        The events go through pygame's queue like real input, so what pygame_gui
        posts in reply (a button pressed, a link clicked) is handled in this frame too.
        """
        for event in events or []:
            pygame.event.post(event)
        for _ in range(4):
            queued = pygame.event.get()
            if not queued:
                break
            for event in queued:
                self.process(event)
                if not self.running or not self.stack:
                    return
            self.manager.update(0.0)
        self.tick(dt)
        self.draw()

    def run(self) -> None:
        """The main loop: 60 fps while something moves; otherwise sleep until an event.

        An idle wake-up (no event) redraws only if a tooltip is due or a text
        cursor blinks; otherwise nothing is drawn at all.
        """
        clock = pygame.time.Clock()
        self.draw()
        while self.running and self.stack:
            busy = self.needs_frames()
            if busy:
                events = pygame.event.get()
                dt = clock.tick(60) / 1000.0
            else:
                first = pygame.event.wait(IDLE_WAIT_MS)
                events = ([first] if first.type != pygame.NOEVENT else []) + pygame.event.get()
                dt = clock.tick() / 1000.0
            for event in events:
                self.process(event)
                if not self.running:
                    break
            if not self.running:
                break
            if events or busy or self.wants_idle_redraw():
                self.tick(dt)
                self.draw()
            else:
                self.anim.advance(dt)
                self.idle()

    def idle(self) -> bool:
        """A wake-up with nothing to handle: free what a rebuild dropped, else let the top
        screen build ahead (the quarter screen's other tabs), one piece per wake-up, and hand
        back to the system what building it freed (glibc keeps it otherwise, and each piece
        built ahead would start from a larger heap). True if it did either."""
        if self._garbage:
            self.collect_garbage()
            return True
        if self.stack and self.top.warm():
            _trim_heap()
            return True
        return False

    def collect_garbage(self) -> None:
        """After a rebuild: killed widgets sit in reference cycles, so collect them, and hand
        the freed memory back to the system (glibc keeps it otherwise): ~5 ms a click."""
        if self._garbage:
            gc.collect()
            _trim_heap()
            self._garbage = False
            self._last_gc = time.perf_counter()

    def screenshot(self, path: str | Path) -> None:
        self._draw_frame()
        pygame.image.save(self.window, str(path))

    def close(self) -> None:
        for screen in self.stack:
            screen.teardown()
        self.stack = []
        pygame.display.quit()


def _trim_heap() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def draw_tooltip(surface: pygame.Surface, fonts: Fonts, scale: float, text: str, pos: tuple[int, int]) -> None:
    font = fonts.get(17)
    pad = max(4, int(8 * scale))
    lines = wrap(text, font, int(380 * scale))
    w = max(font.size(line)[0] for line in lines) + 2 * pad
    h = font.get_linesize() * len(lines) + 2 * pad
    x = min(pos[0] + int(14 * scale), surface.get_width() - w - 4)
    y = pos[1] + int(20 * scale)
    if y + h > surface.get_height() - 4:
        y = max(4, pos[1] - h - int(8 * scale))
    rect = pygame.Rect(max(4, x), y, w, h)
    pygame.draw.rect(surface, PALETTE.ink, rect, border_radius=4)
    yy = rect.y + pad
    for line in lines:
        surface.blit(font.render(line, True, (255, 255, 255)), (rect.x + pad, yy))
        yy += font.get_linesize()
