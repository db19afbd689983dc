"""A workaround for a pygame_gui cost (0.6.14), reported upstream in docs/upstream.md.

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

from typing import Any

from pygame_gui.core.ui_appearance_theme import UIAppearanceTheme

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


def install() -> None:
    """Use the cache above for every theme (idempotent)."""
    UIAppearanceTheme.build_all_combined_ids = _build_all_combined_ids  # type: ignore[method-assign]
