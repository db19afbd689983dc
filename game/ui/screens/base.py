"""What every screen shares: building widgets, callbacks, focus order, hover tips.

A screen keeps its own model (what is selected, which tab is open) and
rebuilds its widgets from it whenever it becomes the top of the stack, the
window is resized or the language changes; only the top screen has live
widgets. Buttons carry their callback; key commands come from
:mod:`game.ui.input`.

A screen sees the window through a small :class:`~game.ui.context.Context`
(translations, fonts, scale, notify, session...), and says where to go by
returning a navigation value (:mod:`game.ui.nav`) from its callbacks and
handlers; it never imports the app or another screen.
"""

from __future__ import annotations

import html as html_lib
import re
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pygame
import pygame_gui
from pygame_gui.core import ObjectID, UIContainer, UIElement
from pygame_gui.core.drawable_shapes import RectDrawableShape
from pygame_gui.core.text import TextBoxLayout
from pygame_gui.core.utility import translate
from pygame_gui.elements import (
    UIButton,
    UILabel,
    UIPanel,
    UIScrollingContainer,
    UITextBox,
    UITextEntryLine,
)

from game.ui import input as ui_input
from game.ui.layout import Box, wrap
from game.ui.nav import Glossary, Nav, Push

if TYPE_CHECKING:
    from game.ui.context import Context
    from game.ui.session import Session
    from game.ui.texts import Tr

Callback = Callable[[], "Nav | None"]
"""A button's action: returns where to go (None: stay)."""
HoverText = str | Callable[[tuple[int, int]], str | None]
"""A tooltip: fixed text, or a function of the mouse position (charts: the point under it)."""


class Scroller(UIScrollingContainer):
    """A scrolling list that knows the height of its content (to bring an element into view)."""

    content_height = 0


class Mark:
    """A screen's registries and widgets at one moment (see :meth:`Screen.mark`)."""

    def __init__(self, registries: dict[str, Any], elements: frozenset[Any]):
        self.registries = registries
        self.elements = elements


class Part:
    """Widgets built together (a tab's content) and what the screen recorded about them,
    so they can be hidden and shown again without being rebuilt."""

    def __init__(self, elements: list[Any], entries: dict[str, Any], before: dict[str, dict[Any, Any]]):
        self.elements = elements
        self.entries = entries
        self.before = before
        self.visible: list[bool] = [e.visible for e in elements]


class Screen:
    """Base class of the screens."""

    name = "screen"
    modal = False
    """Drawn over a dimmed picture of the screen below (dialogs)."""
    show_glossary_button = True

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.root: UIContainer | None = None
        self.callbacks: dict[Any, Callback] = {}
        self.focusables: list[Any] = []
        self.hover_regions: list[tuple[Any, HoverText]] = []
        """(element or rect, text): tooltips drawn by the app for labels and drawn figures."""
        self.entries: dict[str, UITextEntryLine] = {}
        self._glossary_button: UIButton | None = None
        self.targets: dict[str, Any] = {}
        """Named elements (for the tutorial coach and the scripted-player test)."""
        self.scroll_parent: dict[Any, tuple[UIScrollingContainer, int]] = {}
        """Element -> (its scrolling list, the list's content height), to bring it into view."""
        self.shortened: dict[int, str] = {}
        """id of a label or button -> its full text, when it had to be shortened with an ellipsis."""
        self.scrolling_boxes: list[UITextBox] = []
        """Text boxes that are documents to scroll through (a level's briefing, the policies'
        catalogue, the debrief's questions); every other text box shows its text whole."""
        self._pool: dict[tuple[Any, ...], list[Any]] | None = None
        """While a part is built again (:meth:`rebuild_part`): its old widgets by key, to reuse."""
        self._families: dict[Any, list[Any]] = {}
        """While a part is built again: each old widget and the sprites pygame_gui made for it."""
        self._adopted: dict[Any, Any] = {}
        """While a part is built again: old widgets of a list made anew -> the new list."""

    # -- shortcuts to the context ---------------------------------------------------

    @property
    def tr(self) -> Tr:
        return self.ctx.tr

    @property
    def manager(self) -> pygame_gui.UIManager:
        return self.ctx.manager

    @property
    def scale(self) -> float:
        return self.ctx.scale

    @property
    def session(self) -> Session:
        """The game in the window (screens of a game are only shown while there is one)."""
        session = self.ctx.session
        if session is None:
            raise RuntimeError(f"the {self.name} screen needs a game in the window")
        return session

    def s(self, value: float) -> int:
        return max(1, int(round(value * self.ctx.scale)))

    def save_file(self, write: Callable[[], Any], done: str) -> None:
        """Write a file of the game (``write``: the session's save or replay, giving its path)
        and say where it went (``done``: the message's key), or why it could not be written."""
        try:
            path = write()
        except OSError as exc:
            self.ctx.notify(self.tr("ui.save.failed", reason=str(exc)), "bad")
            return
        self.ctx.notify(self.tr(done, path=str(path)), "good")

    def box(self) -> Box:
        return Box(pygame.Rect((0, 0), self.ctx.size), self.ctx.scale)

    # -- life cycle -----------------------------------------------------------------

    def enter(self) -> None:
        """Becomes the top screen: build its widgets."""
        self.teardown()
        self.root = UIContainer(pygame.Rect((0, 0), self.ctx.size), manager=self.manager)
        self.build()
        if self.show_glossary_button and not self._has_glossary_button():
            self._glossary_corner()

    def build(self) -> None:
        """Create the widgets (subclasses)."""

    def teardown(self) -> None:
        had_widgets = self.root is not None
        if self.root is not None:
            self.root.kill()
        self.root = None
        self.callbacks = {}
        self.focusables = []
        self.hover_regions = []
        self.entries = {}
        self._glossary_button = None
        self.targets = {}
        self.scroll_parent = {}
        self.scrolling_boxes = []
        self.shortened = {}
        if had_widgets:
            # The killed widgets sit in reference cycles: free them now, before
            # the new ones are made, so a rebuild never holds two screens' worth.
            self.ctx.widgets_dropped()

    def rebuild(self) -> None:
        focus = self.ctx.focus_index
        self.enter()
        self.ctx.set_focus_index(focus)

    # -- parts of a screen that come and go without a rebuild -----------------------

    REGISTRIES = ("callbacks", "focusables", "hover_regions", "entries", "targets", "scroll_parent", "shortened", "scrolling_boxes")
    """What a screen records about its widgets, by attribute name (see :class:`Part`)."""

    def mark(self) -> Mark:
        """Where the registries and the manager's widgets stand now: what is built after
        this can be taken out as one :class:`Part` (:meth:`part_since`)."""
        regs = {}
        for name in self.REGISTRIES:
            reg = getattr(self, name)
            regs[name] = len(reg) if isinstance(reg, list) else dict(reg)
        return Mark(regs, frozenset(self.manager.get_sprite_group().sprites()))

    def part_since(self, mark: Mark) -> Part:
        """The widgets built since ``mark`` and their registry entries."""
        entries: dict[str, Any] = {}
        for name in self.REGISTRIES:
            reg, before = getattr(self, name), mark.registries[name]
            if isinstance(reg, list):
                entries[name] = reg[before:]
            else:
                entries[name] = {k: v for k, v in reg.items() if k not in before or before[k] is not v}
        elements = [e for e in self.manager.get_sprite_group().sprites() if e not in mark.elements]
        return Part(elements, entries, {n: mark.registries[n] for n in self.REGISTRIES if isinstance(getattr(self, n), dict)})

    def stash(self, part: Part) -> None:
        """Hide a part and take its entries out of the registries (a hidden button takes
        no focus and shows no tooltip); :meth:`unstash` brings it back as it was."""
        part.visible = [e.visible for e in part.elements]
        group = self.manager.get_sprite_group()
        # Buttons first, quietly: UIButton.hide posts an "unhovered" event even for a button
        # the mouse is not on, and the main loop would wake up and redraw for each (the idle
        # wake-ups that build tabs ahead must not draw). A container's hide then finds its
        # buttons already hidden.
        for element in part.elements:
            if isinstance(element, UIButton) and element.visible and not element.hovered:
                UIElement.hide(element)
        for element in part.elements:
            if element.visible:
                element.hide()
            # Out of the manager's group too: pygame_gui updates every widget of the group
            # each frame, hidden or not.
            element.remove(group)
        self._forget(part)
        for element in part.elements:
            _compact(element)

    def unstash(self, part: Part) -> None:
        group = self.manager.get_sprite_group()
        for element in part.elements:
            if element.__dict__.pop("_enclave_undrawn", False):
                _redraw(element)
            element.add(group)
        for element, visible in zip(part.elements, part.visible, strict=True):
            if visible:
                element.show()
        for element, visible in zip(part.elements, part.visible, strict=True):
            if not visible and element.visible:
                element.hide()
        for name, entries in part.entries.items():
            reg = getattr(self, name)
            if isinstance(reg, list):
                reg.extend(entries)
            else:
                reg.update(entries)

    def drop(self, part: Part) -> None:
        """Kill a part's widgets and take out its registry entries for good."""
        self.stash(part)
        for element in part.elements:
            element.kill()

    def _forget(self, part: Part) -> None:
        """Take a part's entries out of the registries (its widgets stay as they are)."""
        for name, entries in part.entries.items():
            reg = getattr(self, name)
            if isinstance(reg, list):
                gone = {id(x) for x in entries}
                reg[:] = [x for x in reg if id(x) not in gone]
            else:
                before = part.before[name]
                for key in entries:
                    if key in before:
                        reg[key] = before[key]
                    else:
                        reg.pop(key, None)

    def rebuild_part(self, part: Part, build: Callable[[], None]) -> Part:
        """Build a shown part again from the screen's data, reusing its widgets (issue 10).

        ``build`` runs as for a fresh build; each widget helper (:meth:`label`,
        :meth:`button`, :meth:`textbox`, :meth:`panel`, :meth:`scroller`,
        :meth:`container`) first looks for an old widget of the same kind, container,
        place and theme ids, and when it finds one gives it the new text (only if it
        changed: pygame_gui then draws it again) instead of making a widget. The old
        widgets nobody asked for are killed. What the screen then shows and records is
        what a fresh build shows and records (``tests/ui/test_tab_cache_reuse.py``)."""
        self._forget(part)
        group = self.manager.get_sprite_group()
        old = set(part.elements)
        pool: dict[tuple[Any, ...], list[Any]] = {}
        families: dict[Any, list[Any]] = {}
        family: list[Any] | None = None
        # The sprites a widget makes (a scroll bar's buttons, a panel's container) join the
        # group just after it: in the group's order of arrival they follow it.
        for sprite in list(group._spritelayers):
            if sprite not in old:
                continue
            key = sprite.__dict__.get("_enclave_key")
            if key is not None:
                family = families[sprite] = [sprite]
                pool.setdefault(key, []).append(sprite)
            elif family is not None:
                family.append(sprite)
        mark = self.mark()
        self._pool, self._families = pool, families
        try:
            build()
        finally:
            self._pool, self._families, self._adopted = None, {}, {}
        for left in pool.values():
            for element in left:
                element.kill()
        kept = {e for e in old if e.alive()}
        new = self.part_since(mark)
        elements = [e for e in group.sprites() if e in kept or e not in mark.elements]
        return Part(elements, new.entries, new.before)

    MOVABLE = ("label", "button", "textbox")
    """Widgets reused at another place only with the same size (moving one redraws nothing);
    containers (panels) are also reused at another size, keeping what they hold."""
    FIXED = ("scroller",)
    """Widgets reused only at the same place and size (a scrolling list resized by pygame_gui
    keeps its scroll bar's old look)."""

    def _reuse(self, kind: str, container: Any, rect: pygame.Rect, *ids: Any, text: str | None = None) -> tuple[tuple[Any, ...], Any]:
        """The key of a widget about to be made and, while a part is built again, the old
        widget with that key (else None): of the old widgets of that kind, size and theme
        ids in that container, the one with that text and place, else that text, else
        that place, else the first. A reused widget is moved after what this build made
        so far, with the sprites it made: pygame_gui draws the widgets of one layer in the
        order they joined its group, so the result draws as a fresh build would."""
        movable = kind in self.MOVABLE
        if movable:
            key: tuple[Any, ...] = (kind, container, rect.w, rect.h, *ids)
        elif kind in self.FIXED:
            key = (kind, container, rect.x, rect.y, rect.w, rect.h, *ids)
        else:
            key = (kind, container, *ids)
        pool = self._pool
        if pool is None:
            return key, None
        found = pool.get(key)
        if not found:
            return key, None
        best, best_score = -1, -1
        for k, element in enumerate(found):
            if not element.alive():
                continue
            here = element.relative_rect == rect
            score = 2 * (text is not None and _text_of(element) == text) + here
            if score > best_score:
                best, best_score = k, score
                if score == 3:
                    break
        if best < 0:
            found.clear()
            return key, None
        element = found.pop(best)
        new_home = self._adopted.pop(element, None)
        if new_home is not None:
            # Its list was made anew (another size): it moves in, keeping its looks.
            element.set_container(new_home)
            element._update_container_clip()
        group = self.manager.get_sprite_group()
        layers = group._spritelayers
        for sprite in self._families.get(element, [element]):
            if sprite in layers:
                group.change_layer(sprite, layers[sprite])
        if element.relative_rect.topleft != rect.topleft:
            element.set_relative_position(rect.topleft)
        if element.relative_rect.size != rect.size:
            element.set_dimensions(rect.size)  # a container (panel, list): its look is drawn again
        return key, element

    @staticmethod
    def _made(element: Any, key: tuple[Any, ...]) -> Any:
        element.__dict__["_enclave_key"] = key
        return element

    def leave(self) -> None:
        """Stops being the top screen (covered or popped)."""
        self.teardown()

    # -- events ---------------------------------------------------------------------

    def on_command(self, command: str) -> Nav | None:
        """A key command (see game.ui.input.SHORTCUTS): where to go, STAY if used here,
        None if not (the app then tries its own shortcuts)."""
        return None

    def on_key(self, event: pygame.event.Event) -> Nav | None:
        """Any other key press: as :meth:`on_command`."""
        return None

    def on_link(self, target: str) -> Nav | None:
        if target.startswith("glossary:"):
            return Push(Glossary(target.split(":", 1)[1]))
        return None

    def on_entry_changed(self, element: Any, text: str) -> None:
        pass

    def on_entry_finished(self, element: Any, text: str) -> Nav | None:
        """Enter pressed in a text field."""
        return None

    def handle_event(self, event: pygame.event.Event) -> Nav | None:
        return None

    def update(self, dt: float) -> None:
        pass

    def warm(self) -> bool:
        """Work to do while the window is idle (no input): build something ahead, hidden.
        Called by the main loop when it wakes up with nothing to handle; True if it did
        some (then it is called again at the next idle wake-up)."""
        return False

    def wants_redraw(self) -> bool:
        """True when something the screen shows changed on its own (a workshop's timer)."""
        return False

    def drawn_texts(self) -> list[str]:
        """Texts this screen draws itself or shows on hover (for the privacy test):
        the hover tips, plus what subclasses draw (map labels, chart titles)."""
        return [text for _, text in self.hover_regions if isinstance(text, str)]

    def draw_under(self, surface: pygame.Surface) -> None:
        pass

    def draw_over(self, surface: pygame.Surface) -> None:
        pass

    # -- widget helpers ------------------------------------------------------------

    def _container(self, container: Any) -> Any:
        return container if container is not None else self.root

    def _track(self, element: Any, container: Any) -> Any:
        if isinstance(container, Scroller):
            self.scroll_parent[element] = (container, container.content_height)
        return element

    def reveal(self, element: Any) -> None:
        """Scroll a list so that ``element`` is in view (focus moves, the coach points at it)."""
        found = self.scroll_parent.get(element)
        if found is None:
            return
        scroller, content_h = found
        bar = scroller.vert_scroll_bar
        if bar is None or content_h <= 0:
            return
        view_h = scroller.rect.h
        top = element.relative_rect.y
        shown_from = -scroller.scrollable_container.relative_rect.y
        if shown_from <= top and top + element.relative_rect.h <= shown_from + view_h:
            return
        target = max(0, min(top - view_h // 3, content_h - view_h))
        bar.set_scroll_from_start_percentage(target / content_h)
        bar.has_moved_recently = True

    def label(self, rect: pygame.Rect, text: str, object_id: str | None = None, tooltip: str | None = None, container: Any = None) -> UILabel:
        """A one-line label; text too wide for it is shortened with an ellipsis (full text on hover)."""
        shown = self.fit(text, rect.w - self.s(4), "label", object_id)
        parent = self._container(container)
        key, lab = self._reuse("label", parent, rect, object_id, text=shown)
        if lab is None:
            lab = self._made(UILabel(rect, shown, manager=self.manager, container=parent, object_id=ObjectID(object_id=object_id) if object_id else None), key)
        elif lab.text != shown:
            lab.set_text(shown)
        if tooltip or shown != text:
            self.add_hover(lab, tooltip or text)
        if shown != text:
            self.shortened[id(lab)] = text
        return self._track(lab, container)

    def add_hover(self, element: Any, text: HoverText) -> None:
        """A tooltip for an element that has none of its own (labels)."""
        self.hover_regions.append((element, text))

    def team_picker(self, row: pygame.Rect, selected: int, pick: Callable[[int], None]) -> None:
        """One button per player across ``row``; picking one calls ``pick(player)`` and
        rebuilds (for screens that show one player at a time)."""
        session = self.session
        n = session.players
        x = row.x
        for p in range(n):
            name = session.state.firms.names[p]
            w = min(self.s(220), (row.w - self.s(8) * (n - 1)) // n)
            self.button(pygame.Rect(x, row.y, w, row.h), name, self._picked(pick, p), object_id="#selected" if p == selected else None, tooltip=name)
            x += w + self.s(8)

    def _picked(self, pick: Callable[[int], None], p: int) -> Callback:
        def show() -> None:
            pick(p)
            self.rebuild()

        return show

    def button(
        self,
        rect: pygame.Rect,
        text: str,
        on_click: Callback | None,
        *,
        object_id: str | None = None,
        class_id: str | None = None,
        tooltip: str | None = None,
        command: str | None = None,
        enabled: bool = True,
        focus: bool = True,
        container: Any = None,
    ) -> UIButton:
        if command:
            shortcut = ui_input.shortcut_label(command, self.tr.lang)
            text = f"{text} ({shortcut})" if text else shortcut
        shown = self.fit(text, rect.w - self.s(18), "button", object_id, class_id)
        if shown != text and not tooltip:
            tooltip = text
        parent = self._container(container)
        key, btn = self._reuse("button", parent, rect, class_id, object_id, text=shown)
        if btn is None:
            btn = self._made(
                UIButton(
                    rect,
                    shown,
                    manager=self.manager,
                    container=parent,
                    tool_tip_text=tooltip,
                    object_id=ObjectID(class_id=class_id, object_id=object_id),
                ),
                key,
            )
            if not enabled:
                btn.disable()
        else:
            if btn.text != shown:
                btn.set_text(shown)
            if btn.tool_tip_text != tooltip:
                if btn.tool_tip is not None:
                    btn.tool_tip.kill()
                    btn.tool_tip = None
                btn.set_tooltip(tooltip)
            if enabled != btn.is_enabled:
                btn.enable() if enabled else btn.disable()
        if shown != text:
            self.shortened[id(btn)] = text
        if on_click is not None:
            self.callbacks[btn] = on_click
        if focus and enabled:
            self.focusables.append(btn)
        return self._track(btn, container)

    def row_button(self, rect: pygame.Rect, line1: str, line2: str, on_click: Callback, *, selected: bool = False, tooltip: str | None = None, container: Any = None) -> UIButton:
        """A list row of two lines: a main line and a smaller one under it."""
        btn = self.button(rect, line1, on_click, class_id="@row2", object_id="#selected" if selected else None, tooltip=tooltip, container=container)
        pad = self.s(10)
        sub_h = self.s(24)
        self.label(pygame.Rect(rect.x + pad, rect.bottom - sub_h - self.s(4), rect.w - 2 * pad, sub_h), line2, "#row_sub_selected" if selected else "#row_sub", container=container)
        return btn

    def textbox(self, rect: pygame.Rect, html: str, object_id: str | None = None, container: Any = None) -> UITextBox:
        parent = self._container(container)
        key, box = self._reuse("textbox", parent, rect, object_id, text=html)
        if box is not None and box.scroll_bar is not None and box.scroll_bar.scroll_position != 0:
            box.kill()  # scrolled: a fresh build shows it from the top
            box = None
        if box is None:
            box = self._made(UITextBox(html, rect, manager=self.manager, container=parent, object_id=ObjectID(object_id=object_id) if object_id else None), key)
        elif box.html_text != html:
            box.set_text(html)
        return self._track(box, container)

    def document(self, rect: pygame.Rect, html: str, object_id: str | None = None, container: Any = None) -> UITextBox:
        """A text box meant to be scrolled through: a long document read at leisure."""
        box = self.textbox(rect, html, object_id, container)
        self.scrolling_boxes.append(box)
        return box

    def summary(self, rect: pygame.Rect, html: str, object_id: str | None = None, container: Any = None) -> UITextBox:
        """A text box of a fixed size for a text that changes with the game (the status line,
        the coach's advice), so that the layout around it does not: ``html`` shown whole when
        it fits, else as many of its words as fit and an ellipsis, whole on hover (never a
        scroll bar). :meth:`set_summary` changes its text the same way."""
        box = self.textbox(rect, self.fit_html(html, rect.w, rect.h, object_id), object_id, container)
        box.__dict__["_enclave_summary"] = (html, object_id)
        self.add_hover(box, _whole_text(box))
        return box

    def set_summary(self, box: UITextBox, html: str) -> None:
        """Show another text in a :meth:`summary` box, shortened as a build would."""
        object_id = box.__dict__["_enclave_summary"][1]
        shown = self.fit_html(html, box.rect.w, box.rect.h, object_id)
        if box.html_text != shown:
            box.set_text(shown)
        box.__dict__["_enclave_summary"] = (html, object_id)

    def fit_html(self, html: str, width: int, height: int, object_id: str | None = None) -> str:
        """``html`` if a text box ``width`` x ``height`` pixels shows it whole, else its longest
        beginning that fits, cut after a word, with an ellipsis (the tags open there closed)."""
        if self.html_height(html, width, object_id) - 2 <= height:
            return html
        cuts = _cut_points(html)
        lo, hi = 0, len(cuts)  # cuts[:lo] fit (with none, the ellipsis alone); cuts[hi:] do not
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.html_height(_cut(html, cuts[mid - 1]), width, object_id) - 2 <= height:
                lo = mid
            else:
                hi = mid - 1
        return _cut(html, cuts[lo - 1]) if lo else "…"

    def entry(self, rect: pygame.Rect, text: str, name: str, container: Any = None, max_length: int = 40) -> UITextEntryLine:
        # Never reused (a field keeps what is typed, its cursor and focus): a key of its own.
        e = self._made(UITextEntryLine(rect, manager=self.manager, container=self._container(container), initial_text=text), ("entry", object()))
        e.set_text_length_limit(max_length)
        self.entries[name] = e
        self.focusables.append(e)
        return e

    def panel(self, rect: pygame.Rect, object_id: str | None = None, container: Any = None) -> UIPanel:
        parent = self._container(container)
        key, panel = self._reuse("panel", parent, rect, object_id)
        if panel is None:
            panel = self._made(UIPanel(rect, manager=self.manager, container=parent, object_id=ObjectID(object_id=object_id) if object_id else None), key)
        return panel

    def scroller(self, rect: pygame.Rect, content_height: int, container: Any = None) -> Scroller:
        parent = self._container(container)
        height = max(content_height, rect.h - 2)
        key, sc = self._reuse("scroller", parent, rect)
        if sc is not None and sc.vert_scroll_bar is not None and sc.vert_scroll_bar.scroll_position != 0:
            sc.kill()  # scrolled: a fresh build shows it from the top
            sc = None
        if sc is None:
            sc = self._made(Scroller(rect, manager=self.manager, container=parent, allow_scroll_x=False), key)
            sc.content_height = height
            sc.set_scrollable_area_dimensions((rect.w - self.s(20), sc.content_height))
            self._adopt(sc, parent)
        elif sc.content_height != height:
            sc.content_height = height
            sc.set_scrollable_area_dimensions((rect.w - self.s(20), sc.content_height))
        return sc

    def _adopt(self, new: Scroller, parent: Any) -> None:
        """A list made anew where the old one had another size (pygame_gui would draw a resized
        list's scroll bar otherwise than a new one's): the old list's widgets may be reused in
        the new one (moved in, keeping their looks), as if they had been made there; the old
        list is killed with what was not reused."""
        pool = self._pool
        if pool is None:
            return
        old = next((e for key, left in pool.items() if key[0] == "scroller" and key[1] is parent for e in left if e.alive()), None)
        if old is None:
            return
        for key in [k for k in pool if k[1] is old]:
            moved = pool.pop(key)
            pool.setdefault((key[0], new, *key[2:]), []).extend(moved)
            for element in moved:
                self._adopted[element] = new

    def container(self, rect: pygame.Rect, container: Any = None) -> UIContainer:
        """A plain container (no look of its own), to kill and build again as a whole."""
        parent = self._container(container)
        key, inner = self._reuse("container", parent, rect)
        if inner is None:
            inner = self._made(UIContainer(rect, manager=self.manager, container=parent), key)
        return inner

    # -- common pieces ---------------------------------------------------------------

    def _has_glossary_button(self) -> bool:
        return self._glossary_button is not None

    def glossary_button(self, rect: pygame.Rect, container: Any = None) -> UIButton:
        self._glossary_button = self.button(rect, self.tr("ui.common.glossary"), lambda: Push(Glossary(None)), tooltip=self.tr("ui.tip.glossary"), command="glossary", focus=False, container=container)
        return self._glossary_button

    def _glossary_corner(self) -> None:
        w, h = self.s(190), self.s(40)
        self.glossary_button(pygame.Rect(self.ctx.size[0] - w - self.s(10), self.ctx.size[1] - h - self.s(10), w, h))

    def font(self, element: str = "label", object_id: str | None = None, class_id: str | None = None) -> Any:
        """The theme's font for an element with these ids (looked up once per widget manager)."""
        fonts = _FONTS.get(self.manager)
        if fonts is None:
            fonts = _FONTS[self.manager] = {}
        key = (element, object_id, class_id)
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = self.manager.get_theme().get_font([i for i in (object_id, class_id, element) if i])
        return font

    def fit(self, text: str, width: int, element: str = "button", object_id: str | None = None, class_id: str | None = None) -> str:
        """``text`` shortened with an ellipsis to fit ``width`` pixels in that element's font."""
        if element.startswith(("#", "@")):
            element, object_id = "label" if element.startswith("#") else "button", element if element.startswith("#") else None
        font = self.font(element, object_id, class_id)
        if font.size(text)[0] <= width:
            return text
        while text and font.size(text + "…")[0] > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def text_width(self, text: str, element: str = "button", object_id: str | None = None, class_id: str | None = None) -> int:
        return int(self.font(element, object_id, class_id).size(text)[0])

    def button_width(self, text: str, command: str | None = None, object_id: str | None = None, minimum: float = 160) -> int:
        """A button wide enough for its label (and its shortcut)."""
        if command:
            text = f"{text} ({ui_input.shortcut_label(command, self.tr.lang)})"
        return max(self.s(minimum), self.text_width(text, "button", object_id) + self.s(30))

    def text_height(self, text: str, width: int, element: str = "text_box", spacing: float = 1.3) -> int:
        """Height a text box needs to show ``text`` wrapped at ``width`` (plus its padding)."""
        font = self.font(element)
        lines = sum(len(wrap(part, font, max(10, width - self.s(24)))) for part in text.split("\n"))
        return int(lines * font.size("ÁgÑ")[1] * spacing) + self.s(24)

    def html_height(self, html: str, width: int, object_id: str | None = None) -> int:
        """The exact height a text box ``width`` pixels wide needs to show ``html`` whole:
        laid out by pygame_gui's own HTML parser and text layout, as a text box that sizes
        itself does, without drawing it (:class:`_Measure`); remembered per widget manager."""
        cache = _HEIGHTS.get(self.manager)
        if cache is None:
            cache = _HEIGHTS[self.manager] = {}
        key = (html, width, object_id)
        height = cache.get(key)
        if height is None:
            measure = cache.get(("measure", 0, object_id))
            if measure is None:
                measure = cache[("measure", 0, object_id)] = _Measure(self.manager, object_id)
            height = measure.height(html, width)
            if len(cache) >= 4096:
                cache.clear()
            cache[key] = height
        return int(height) + 2

    def heading(self, rect: pygame.Rect, text: str, container: Any = None) -> UILabel:
        return self.label(rect, text, "#heading", container=container)


_TOKEN = re.compile(r"<(/?)([a-zA-Z]+)[^>]*>|[^<]+")
_WORD = re.compile(r"\S+")


def _cut_points(html: str) -> list[tuple[int, tuple[str, ...]]]:
    """Where ``html`` (pygame_gui's subset: b, i, a, font, br) can be cut after a word:
    the position and the tags still open there, innermost last."""
    out: list[tuple[int, tuple[str, ...]]] = []
    open_tags: list[str] = []
    for m in _TOKEN.finditer(html):
        name = m.group(2)
        if name is None:
            out += [(m.start() + w.end(), tuple(open_tags)) for w in _WORD.finditer(m.group(0))]
        elif name.lower() == "br":
            continue
        elif not m.group(1):
            open_tags.append(name.lower())
        elif name.lower() in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name.lower())]
    return out


def _cut(html: str, point: tuple[int, tuple[str, ...]]) -> str:
    """``html`` up to a cut point, its open tags closed, and an ellipsis."""
    at, open_tags = point
    return html[:at] + "".join(f"</{tag}>" for tag in reversed(open_tags)) + "…"


def plain_text(html: str) -> str:
    """What a text box's HTML says, as plain text (a tooltip's)."""
    return html_lib.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "\n", html)))


def _whole_text(box: UITextBox) -> Callable[[tuple[int, int]], str | None]:
    """The hover text of a :meth:`Screen.summary` box: its whole text when it is shortened."""

    def whole(_pos: tuple[int, int]) -> str | None:
        html = box.__dict__["_enclave_summary"][0]
        return None if box.html_text == html else plain_text(html)

    return whole


def _compact(element: Any) -> None:
    """Free what a hidden widget keeps only to change its look quickly (issue 10's memory):
    a button's looks other than the one shown (hovered, pressed, selected, disabled: each a
    surface as large as the button, drawn again by pygame_gui the first time it is needed,
    as for a button just made), the copies of the text it keeps for text effects Enclave
    does not use, and the temporary shapes pygame_gui frees only in a shown widget's update."""
    shape = getattr(element, "drawable_shape", None)
    if shape is None:
        return
    shape.clean_up_temp_shapes()
    shape.need_to_clean_up = False
    if isinstance(shape, RectDrawableShape) and shape.shadow_width == 0:
        # A blank surface kept to start each look from; pygame_gui makes the same blank one
        # when it is missing (not so for rounded shapes or shadows).
        shape.base_surface = None
    if type(element) is UIPanel and shape.active_state.transition is None and not shape.states_to_redraw_queue:
        # A panel's look is a plain rectangle, quick to draw again: not kept while hidden
        # (drawn again by _restore when shown). Its image is that look (gui_fixes (4)).
        shape.active_state.surface = _EMPTY
        shape.active_state.generated = False
        shape.active_state.has_fresh_surface = False
        element.image = _EMPTY
        element._pre_clipped_image = None
        element.__dict__["_enclave_undrawn"] = True
        return
    if not isinstance(element, (UIButton, UILabel)):
        return
    shape.states_to_redraw_queue.clear()
    active = shape.active_state
    for state in shape.states.values():
        state.text_surface = None
        state.pre_text_surface = None
        if state is not active and state.transition is None and active.transition is None:
            state.surface = _EMPTY
            state.generated = False
            state.has_fresh_surface = False


def _redraw(element: Any) -> None:
    """A panel's look dropped by :func:`_compact`, drawn again (as pygame_gui first drew it)."""
    shape = element.drawable_shape
    shape.redraw_state(shape.active_state.state_id)
    element._set_image(shape.get_fresh_surface())


_EMPTY = pygame.Surface((0, 0), flags=pygame.SRCALPHA, depth=32)


def _text_of(element: Any) -> str | None:
    """A reusable widget's text (a text box's HTML)."""
    if isinstance(element, UITextBox):
        return str(element.html_text)
    text = getattr(element, "text", None)
    return None if text is None else str(text)


class _Measure:
    """The height of a self-sizing text box with one object id, for any HTML and width,
    without making one each time: a text box made once lends its parser and theme, the
    text is laid out by pygame_gui's ``TextBoxLayout`` as ``UITextBox.rebuild`` does for a
    box of height -1, and nothing is drawn (a probe box drew its text and background;
    tests/ui/test_tab_cache_reuse.py holds both to the same answers)."""

    def __init__(self, manager: Any, object_id: str | None):
        box = UITextBox("x", pygame.Rect(-10000, -100, 300, -1), manager=manager, object_id=ObjectID(object_id=object_id) if object_id else None)
        layout = box.text_box_layout
        assert layout is not None
        self.box = box
        self.inset_w = box.rect.w - box.text_wrap_rect.w
        self.inset_h = box.rect.h - layout.layout_rect.height
        box.kill()

    def height(self, html: str, width: int) -> int:
        box = self.box
        parser = box.parser
        parser.feed(box._pre_parse_text(translate(html)))
        style = parser.default_style
        font = box.ui_theme.get_font_dictionary().find_font(
            font_name=style["font_name"],
            font_size=style["font_size"],
            bold=style["bold"],
            italic=style["italic"],
            antialiased=style["antialiased"],
            script=style["script"],
            direction=style["direction"],
        )
        wrap = pygame.Rect((0, 0), (max(1, width - self.inset_w), -1))
        layout = TextBoxLayout(
            parser.layout_rect_queue,
            wrap,
            pygame.Rect(wrap),
            line_spacing=box.line_spacing,
            default_font_data={"font": font, "font_colour": style["font_colour"], "bg_colour": style["bg_colour"]},
            allow_split_dashes=box.allow_split_dashes,
            text_direction=style["direction"],
            editable=True,
        )
        parser.empty_layout_queue()
        return int(layout.layout_rect.height) + self.inset_h


_HEIGHTS: weakref.WeakKeyDictionary[Any, dict[tuple[str, int, str | None], Any]] = weakref.WeakKeyDictionary()
"""Per widget manager (its theme and fonts): a text box's height by (HTML, width, object id),
measured once (:meth:`Screen.html_height`)."""

_FONTS: weakref.WeakKeyDictionary[Any, dict[tuple[str, str | None, str | None], Any]] = weakref.WeakKeyDictionary()
"""Per widget manager: the theme's font for (element, object id, class id)."""

S = TypeVar("S", bound=Screen)


class Pane(Generic[S]):
    """A piece of a screen that builds into it and lives as long as it does: a tab of the
    quarter screen, a section of the debrief or the console. Its shortcuts to the screen."""

    name = "pane"

    def __init__(self, screen: S):
        self.screen = screen

    @property
    def tr(self) -> Tr:
        return self.screen.tr

    @property
    def session(self) -> Session:
        return self.screen.session

    def s(self, value: float) -> int:
        return self.screen.s(value)
