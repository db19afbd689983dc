"""Workarounds for pygame_gui costs (0.6.14), reported upstream in docs/upstream.md.

Every widget asks the theme for its "combined ids" (``UIAppearanceTheme.
build_all_combined_ids``). The theme caches the answer under a key it makes with
``str(a).join(str(b).join(str(c)).join(str(d)))``: ``str.join`` puts the separator
between every character of its argument, so the key's length is the product of
the id lists' lengths (2 MB for a button inside two containers) and is built again
on every call, hit or miss. Here the answer is cached under the id lists
themselves; a miss still asks pygame_gui (the ids come out the same), and the
theme's own cache of giant keys is emptied after it.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from i18n import resource_loader
from pygame_gui.core.ui_appearance_theme import UIAppearanceTheme
from pygame_gui.elements import UITextBox

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
    try:
        _original_rebuild(self)
    finally:
        self.__dict__["_enclave_rebuilding"] = False


def _text_box_set_dimensions(self: Any, dimensions: Any, clamp_to_container: bool = False) -> None:
    if self.__dict__.get("_enclave_rebuilding") and (int(dimensions[0]), int(dimensions[1])) == tuple(self.relative_rect.size) == tuple(self.rect.size):
        self.should_trigger_full_rebuild = True
        self.full_rebuild_countdown = self.time_until_full_rebuild_after_changing_size
        return
    _original_set_dimensions(self, dimensions, clamp_to_container)


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


def install() -> None:
    """Use the workarounds above (idempotent)."""
    UIAppearanceTheme.build_all_combined_ids = _build_all_combined_ids  # type: ignore[method-assign]
    UITextBox.rebuild = _text_box_rebuild  # type: ignore[method-assign]
    UITextBox.set_dimensions = _text_box_set_dimensions  # type: ignore[method-assign]
    resource_loader.recursive_search_dir = _recursive_search_dir
