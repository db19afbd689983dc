"""Workarounds for pygame_gui costs (0.6.14), reported upstream in docs/upstream.md.

Every widget asks the theme for its "combined ids" (``UIAppearanceTheme.
build_all_combined_ids``). The theme caches the answer under a key it makes with
``str(a).join(str(b).join(str(c)).join(str(d)))``: ``str.join`` puts the separator
between every character of its argument, so the key's length is the product of
the id lists' lengths (2 MB for a button inside two containers) and is built again
on every call, hit or miss. Here the answer is cached under the id lists
themselves; a miss still asks pygame_gui (the ids come out the same), and the
theme's own cache of giant keys is emptied after it.

(4) Each widget keeps its picture once (issue 10's memory): a widget's ``image``
is the picture pygame_gui hands it, not a copy of it; a rectangle's blank starting
surface and a label's or button's separate text layer are not kept after drawing
(pygame_gui makes them again, the same, when it draws again); a text box keeps its
picture, not the layers it was composed from, until it must compose it anew.
(5) A shape draws the looks it does not show (hovered, pressed...) when first shown,
not one a frame after every change. (6) A text's size is measured once per font.
(7) A text box draws its text once, from its final layout. (8) A line never starts with
the space after a link (a layout fix, not a cost: see :func:`_split_chunk`).
(2), (4)-(7) draw the same pixels (tests/ui/test_gui_fixes.py).
"""

from __future__ import annotations

import functools
import os
from collections import deque
from typing import Any

import pygame
from i18n import resource_loader
from pygame_gui.core import UIElement
from pygame_gui.core.drawable_shapes.drawable_shape import DrawableShape
from pygame_gui.core.drawable_shapes.rect_drawable_shape import RectDrawableShape
from pygame_gui.core.gui_font_pygame import GUIFontPygame
from pygame_gui.core.text import TextBoxLayout
from pygame_gui.core.text.text_line_chunk import TextLineChunkFTFont
from pygame_gui.core.ui_appearance_theme import UIAppearanceTheme
from pygame_gui.core.utility import basic_blit
from pygame_gui.elements import UIButton, UILabel, UIPanel, UITextBox

_original = UIAppearanceTheme.build_all_combined_ids


def _key(ids: Any) -> tuple[Any, ...] | None:
    return None if ids is None else tuple(ids)


def _build_all_combined_ids(self: Any, element_base_ids: Any, element_ids: Any, class_ids: Any, object_ids: Any) -> list[str]:
    cache: dict[Any, list[str]] | None = self.__dict__.get("_enclave_combined_ids")
    if cache is None:
        cache = self.__dict__["_enclave_combined_ids"] = {}
    key = (_key(element_base_ids), _key(element_ids), _key(class_ids), _key(object_ids))
    found = cache.get(key)
    if found is None:
        found = cache[key] = _original(self, element_base_ids, element_ids, class_ids, object_ids)
        self.unique_theming_ids.clear()
    return found


_original_rebuild = UITextBox.rebuild
_original_set_dimensions = UITextBox.set_dimensions


def _text_box_rebuild(self: Any) -> None:
    """``UITextBox.rebuild`` (2): when the text needs no scroll bar, it sets the box to
    the size it already has, and ``set_dimensions`` then copies the image into a new
    surface and blits it, which the rest of ``rebuild`` draws over (a fifth of a text
    box's set_text). Inside ``rebuild``, a set_dimensions to the same size only does what
    outlives the rebuild: nothing but the flags that ``rebuild`` resets at its end."""
    self.__dict__["_enclave_rebuilding"] = True
    self.__dict__.pop("_enclave_dropped", None)  # all drawn anew here
    try:
        _original_rebuild(self)
    finally:
        self.__dict__["_enclave_rebuilding"] = False
    _drop_text_box_layers(self)


def _text_box_set_dimensions(self: Any, dimensions: Any, clamp_to_container: bool = False) -> None:
    if self.__dict__.get("_enclave_rebuilding") and (int(dimensions[0]), int(dimensions[1])) == tuple(self.relative_rect.size) == tuple(self.rect.size):
        self.should_trigger_full_rebuild = True
        self.full_rebuild_countdown = self.time_until_full_rebuild_after_changing_size
        return
    _original_set_dimensions(self, dimensions, clamp_to_container)


_EMPTY_SURFACE = pygame.Surface((0, 0), flags=pygame.SRCALPHA, depth=32)


def _layers_droppable(box: Any) -> bool:
    shape = box.drawable_shape
    return (
        box.text_box_layout is not None
        and shape is not None
        and not box.has_edit_cursor
        and box.active_text_effect is None
        and box.background_surf is not None
        and box.background_surf is shape.active_state.surface
    )


def _drop_text_box_layers(box: Any) -> None:
    """(4) A text box keeps, beside its picture, the two layers it was composed from: its
    background (the shape's look) and its laid-out text (as tall as the whole text). They
    are needed again only to compose the picture anew (scrolled, a link hovered, text
    selected), so they are dropped once the picture is made and drawn again the first time
    that happens (:func:`_text_box_setup_final`), then kept."""
    if box.image is None or box.__dict__.get("_enclave_dropped") or not _layers_droppable(box):
        return
    _drop_layers(box)


def _drop_layers(box: Any) -> None:
    layout = box.text_box_layout
    layout.finalised_surface = None
    for row in layout.layout_rows:
        row.target_surface = None
        for chunk in row.items:
            chunk.target_surface = None
    box.drawable_shape.active_state.surface = _EMPTY_SURFACE
    box.background_surf = None
    box.__dict__["_enclave_dropped"] = True


_original_setup_final = UITextBox._setup_final_text_box_image


def _text_box_setup_final(self: Any, drawable_area: Any) -> None:
    """Composes the picture (``UITextBox._setup_final_text_box_image``), first drawing again
    the layers (4) dropped, or the text (7) deferred. While the box is rebuilt, a box whose
    layers are dropped afterwards is composed in its background itself, as pygame_gui
    composes it in a new transparent surface (the background blitted first is copied
    exactly): one surface as large as the box less, made, filled and copied."""
    layout = self.text_box_layout
    if self.__dict__.pop("_enclave_dropped", False):
        # The layers dropped by _drop_text_box_layers, drawn again as pygame_gui drew them.
        shape = self.drawable_shape
        shape.redraw_state(shape.active_state.state_id)
        self.background_surf = shape.get_fresh_surface()
        layout.finalise_to_new()
    elif layout is not None and layout.finalised_surface is None:
        layout.finalise_to_new()  # deferred by _parse_html (7)
    if self.__dict__.get("_enclave_rebuilding") and _layers_droppable(self) and self.background_surf.get_size() == tuple(self.rect.size) and layout.finalised_surface is not None:
        picture = self.background_surf
        offset = (
            self.padding[0] + self.border_width["left"] + self.shadow_width + self.rounded_corner_width_offsets[0],
            self.padding[1] + self.border_width["top"] + self.shadow_width + self.rounded_corner_height_offsets[0],
        )
        basic_blit(picture, layout.finalised_surface, offset, drawable_area)
        _drop_layers(self)
        self._set_image(picture)
        return
    _original_setup_final(self, drawable_area)


_original_parse_html = UITextBox.parse_html_into_style_data
_original_finalise_to_new = TextBoxLayout.finalise_to_new
_parsing = [0]


def _finalise_to_new(self: Any) -> Any:
    if _parsing[0]:
        self.finalised_surface = None
        return None
    return _original_finalise_to_new(self)


def _parse_html(self: Any) -> None:
    """(7) ``UITextBox.parse_html_into_style_data`` lays the text out and draws it at once
    (``finalise_to_new``: a surface as large as the whole text). A text too long for its
    box is then laid out again, narrower beside its new scroll bar, and drawn again: a long
    document was drawn twice, and held twice at once. Here the drawing waits until the
    picture is composed (:func:`_text_box_setup_final`), from the same final layout."""
    _parsing[0] += 1
    try:
        _original_parse_html(self)
    finally:
        _parsing[0] -= 1


_original_search = resource_loader.recursive_search_dir


@functools.lru_cache(maxsize=64)
def _listing(path: str) -> tuple[str, ...]:
    return tuple(os.listdir(path))


def _recursive_search_dir(splitted_namespace: Any, directory: Any, root_dir: Any, locale: Any = None) -> None:
    """(3) pygame_gui passes every text through ``i18n.t``; python-i18n takes any text with
    a full stop for a namespaced key and lists the translation folders to look for its
    file, on every call (each label, button and text box made or changed). The folders
    are pygame_gui's own and do not change while the window runs: each is listed once.
    Otherwise python-i18n's ``recursive_search_dir`` as it is."""
    config = resource_loader.config
    if locale is None:
        locale = config.get("locale")
    if not splitted_namespace:
        return
    seeked_file = config.get("filename_format").format(namespace=splitted_namespace[0], format=config.get("file_format"), locale=locale)
    dir_content = _listing(os.path.join(root_dir, directory))
    if seeked_file in dir_content:
        resource_loader.load_translation_file(os.path.join(directory, seeked_file), root_dir, locale)
    elif splitted_namespace[0] in dir_content:
        _recursive_search_dir(splitted_namespace[1:], os.path.join(directory, splitted_namespace[0]), root_dir, locale)


_original_set_image = UIElement._set_image
_original_set_image_clip = UIElement._set_image_clip
_original_rect_full_rebuild = RectDrawableShape.full_rebuild_on_size_change
_original_finalise_text = DrawableShape.finalise_text

_SHARING = (UIPanel, UILabel, UIButton, UITextBox)
"""Widgets whose new picture is never drawn on in place once handed over: a shape's state
surface (made anew each time it is drawn again) or a text box's freshly composed picture."""


def _set_image(self: Any, new_image: Any) -> None:
    """(4) ``UIElement._set_image`` keeps a copy of the picture it is given, so a panel,
    label or button holds its look twice (the shape's state and the copy) and a text box
    copies the picture it has just composed. For the widgets in ``_SHARING``, without a
    clip, the picture itself is kept (marked shared: :func:`_set_image_clip` copies it
    before it draws on it in place)."""
    if new_image is not None and self.get_image_clipping_rect() is None and isinstance(self, _SHARING):
        self.image = new_image
        self.__dict__["_enclave_shared"] = True
        return
    self.__dict__["_enclave_shared"] = False
    _original_set_image(self, new_image)


def _set_image_clip(self: Any, rect: Any) -> None:
    if rect is not None and self.__dict__.get("_enclave_shared") and self.image is not None:
        # pygame_gui clears and redraws ``image`` in place here: first make it this widget's own.
        self.image = self.image.copy()
        self.__dict__["_enclave_shared"] = False
    _original_set_image_clip(self, rect)


def _rect_full_rebuild(self: Any) -> None:
    """(4) ``RectDrawableShape`` keeps a blank surface as large as the widget to start each
    of its looks from; without a shadow it is an empty transparent surface, which
    ``redraw_state`` makes itself when it is missing. Not kept."""
    _original_rect_full_rebuild(self)
    if self.shadow_width == 0:
        self.base_surface = None


def _finalise_text(self: Any, state_str: str, text_colour_state_str: str = "", text_shadow_colour_state_str: str = "", only_text_changed: bool = False) -> None:
    """(4) After the text is drawn onto a look, a shape keeps the look without text and the
    text alone (for text effects, and for text entry lines that edit in place), and the
    layout keeps the text alone too. A label's and a button's shape (no effects, nothing
    edited) drops them: the next drawing of a look makes them anew."""
    _original_finalise_text(self, state_str, text_colour_state_str, text_shadow_colour_state_str, only_text_changed)
    if self.editable_text or self.__dict__.get("_enclave_keep_text"):
        return
    state = self.states[state_str]
    state.pre_text_surface = None
    state.text_surface = None
    layout = self.text_box_layout
    if layout is not None:
        layout.finalised_surface = None
        for row in layout.layout_rows:
            row.target_surface = None
            for chunk in row.items:
                chunk.target_surface = None


_original_redraw_all_states = DrawableShape.redraw_all_states


def _redraw_all_states(self: Any, force_full_redraw: bool = False) -> None:
    """(5) When a shape's text or size changes, pygame_gui draws its first look at once and
    queues every other look (a button's hovered, selected, pressed and disabled ones) to be
    drawn one a frame, whether or not it is ever shown: after a decision that changes many
    list rows, the frames that follow draw dozens of looks nobody sees. Here the first look
    and the one shown are drawn at once, as pygame_gui would, and the others are marked
    not drawn: ``set_active_state`` draws a look that is not drawn when it is first shown
    (pygame_gui's own path for the disabled look), with the same code."""
    if self.editable_text:
        _original_redraw_all_states(self, force_full_redraw)
        return
    wanted = [state_id for state_id, state in self.states.items() if state.should_auto_pregen or force_full_redraw]
    self.states_to_redraw_queue = deque()
    first = wanted[0]
    self.redraw_state(first)
    active = self.active_state.state_id
    if active != first and active in wanted:
        self.redraw_state(active)
    for state_id in wanted:
        if state_id not in (first, active):
            state = self.states[state_id]
            state.generated = False
            state.surface = _EMPTY_SURFACE
            state.has_fresh_surface = False


_original_get_rect = GUIFontPygame.get_rect


def _get_rect(self: Any, text: str) -> pygame.Rect:
    """(6) pygame_gui measures a text by drawing it (``GUIFontPygame.get_rect`` renders it
    and takes the picture's size; ``size`` calls it too), every time it lays out or Enclave
    fits a label: most of the texts of a screen rebuilt after a decision were measured the
    rebuild before. The size is remembered per font (with its underline and antialiasing,
    which can change it); a text not seen yet is measured by pygame_gui."""
    sizes = self.__dict__.get("_enclave_sizes")
    if sizes is None:
        sizes = self.__dict__["_enclave_sizes"] = {}
    key = (text, self.underline, self.antialiased)
    found = sizes.get(key)
    if found is None:
        if len(sizes) >= 8192:
            sizes.clear()
        rect = _original_get_rect(self, text)
        found = sizes[key] = (rect.x, rect.y, rect.w, rect.h)
    return pygame.Rect(found)


_original_split = TextLineChunkFTFont.split


def _split_chunk(self: Any, requested_x: int, line_width: int, row_start_x: int, allow_split_dashes: bool = True) -> Any:
    """(8) A run of text that starts with a space, right after a link that ends at the line's
    edge (``the <a>call.</a> You lack...``), cannot be split where pygame_gui looks (after its
    first space: the space alone does not fit either), so pygame_gui moves the whole run down
    and the next line starts with that space, one letter in from every other line. Here the
    leading spaces are dropped where the line breaks, as between the words of one run: the
    rest goes down and the next line starts with its first word (spaces alone, between two
    links, go down as an empty run)."""
    text = self.text
    spaces = len(text) - len(text.lstrip(" "))
    if spaces and self.x != row_start_x and self.font.get_rect(text[:spaces]).width >= requested_x:
        self.text = text[spaces:]
        return self._perform_normal_split(0)  # an empty run stays on this line; the words go down
    return _original_split(self, requested_x, line_width, row_start_x, allow_split_dashes)


def install() -> None:
    """Use the workarounds above (idempotent)."""
    GUIFontPygame.get_rect = _get_rect  # type: ignore[method-assign]
    DrawableShape.redraw_all_states = _redraw_all_states  # type: ignore[method-assign]
    UIElement._set_image = _set_image  # type: ignore[method-assign]
    UIElement._set_image_clip = _set_image_clip  # type: ignore[method-assign]
    RectDrawableShape.full_rebuild_on_size_change = _rect_full_rebuild  # type: ignore[method-assign]
    DrawableShape.finalise_text = _finalise_text  # type: ignore[method-assign]
    UIAppearanceTheme.build_all_combined_ids = _build_all_combined_ids  # type: ignore[method-assign]
    UITextBox.rebuild = _text_box_rebuild  # type: ignore[method-assign]
    UITextBox.set_dimensions = _text_box_set_dimensions  # type: ignore[method-assign]
    UITextBox._setup_final_text_box_image = _text_box_setup_final  # type: ignore[method-assign]
    UITextBox.parse_html_into_style_data = _parse_html  # type: ignore[method-assign]
    TextBoxLayout.finalise_to_new = _finalise_to_new  # type: ignore[method-assign]
    TextLineChunkFTFont.split = _split_chunk  # type: ignore[method-assign]
    resource_loader.recursive_search_dir = _recursive_search_dir
