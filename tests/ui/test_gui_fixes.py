"""The pygame_gui combined-id workaround (game/ui/gui_fixes.py) gives every widget the same
theming ids as pygame_gui itself, and the theme no longer keeps multi-megabyte keys."""

from __future__ import annotations

from typing import Any

from game.ui import gui_fixes
from game.ui.tour import stand_in_turn
from tests.ui.helpers import make_app, start_game


def test_the_cached_ids_are_pygame_guis_and_no_giant_key_is_kept(home: Any, monkeypatch: Any) -> None:
    asked: list[tuple[Any, ...]] = []
    original = gui_fixes._original

    def recording(self: Any, *ids: Any) -> list[str]:
        asked.append(tuple(None if x is None else list(x) for x in ids))
        return original(self, *ids)

    calls = []
    patched = gui_fixes._build_all_combined_ids

    def counting(self: Any, *ids: Any) -> list[str]:
        calls.append(1)
        return patched(self, *ids)

    monkeypatch.setattr(gui_fixes, "_original", recording)
    monkeypatch.setattr(gui_fixes, "_build_all_combined_ids", counting)
    app = make_app(size=(1920, 1080))
    try:
        start_game(app, "bajio_automotive")
        stand_in_turn(app.session)
        app.session.finish_turn()
        app.top.rebuild()
        while app.top.warm():
            pass
        theme = app.manager.get_theme()
        assert asked, "no widget asked the theme for its ids"
        for ids in asked:
            assert theme.build_all_combined_ids(*ids) == original(theme, *ids)
        theme.unique_theming_ids.clear()
        for element in app.manager.get_sprite_group().sprites()[:50]:
            element.rebuild_from_changed_theme_data()
        assert max((len(k) for k in theme.unique_theming_ids), default=0) < 10_000
        assert len(calls) > 2 * len(asked), f"{len(calls)} requests, {len(asked)} misses"
    finally:
        app.close()


def test_a_text_box_rebuilt_without_the_same_size_copy_draws_the_same(home: Any, monkeypatch: Any) -> None:
    """gui_fixes skips UITextBox.rebuild's set_dimensions to the size the box already has:
    text boxes of every kind (fixed height, scrolling, sizing themselves, links, set again)
    come out with the same rects, scroll bars and pixels as with pygame_gui's own code."""
    import pygame
    from pygame_gui.core import ObjectID
    from pygame_gui.elements import UITextBox

    texts = [
        "Corta.",
        "<b>Objetivo</b><br>✓ Tener 4 contratos<br>○ Llegar a nivel 2 " + "con un texto largo que pasa a la línea siguiente " * 3,
        "<a href='glossary:tier'>Nivel</a> " + "palabra " * 400,
    ]
    rects = [pygame.Rect(10, 10, 400, 120), pygame.Rect(10, 10, 300, -1), pygame.Rect(10, 10, 250, 60)]

    def boxes(app: Any) -> list[tuple[Any, ...]]:
        out = []
        for html in texts:
            for rect in rects:
                for oid in (None, "#plain", "#card_info"):
                    box = UITextBox(html, rect, manager=app.manager, object_id=ObjectID(object_id=oid) if oid else None)
                    box.set_text(html + " otra vez.")
                    app.manager.update(0.0)
                    out.append((tuple(box.rect), box.scroll_bar is not None, pygame.image.tobytes(box.image, "RGBA")))
                    box.kill()
        return out

    app = make_app(size=(1280, 720))
    try:
        fixed = boxes(app)
        monkeypatch.setattr(UITextBox, "rebuild", gui_fixes._original_rebuild)
        monkeypatch.setattr(UITextBox, "set_dimensions", gui_fixes._original_set_dimensions)
        assert boxes(app) == fixed
    finally:
        app.close()


def test_pygame_guis_translation_lookups_list_each_folder_once(home: Any, monkeypatch: Any) -> None:
    """pygame_gui asks python-i18n for every text; a text with a full stop made it list
    pygame_gui's translation folder each time. With gui_fixes the folder is listed once,
    and translations (pygame_gui's own keys) and plain texts come out as before."""
    import os

    import i18n
    from i18n import resource_loader
    from pygame_gui.core.utility import translate

    make_app(size=(1280, 720)).close()  # the manager sets up python-i18n and gui_fixes is installed
    listed: list[str] = []
    real = os.listdir

    def counting(path: Any) -> list[str]:
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", counting)
    texts = [f"Frase número {k}. Con punto." for k in range(50)] + ["pygame-gui.Cancel", "pygame-gui.OK", "Sin punto"]
    fast = [translate(t) for t in texts]
    assert len(listed) <= 2 * len(i18n.load_path), listed
    assert fast[texts.index("pygame-gui.Cancel")] == "Cancel", "pygame_gui's own translation was not found"
    monkeypatch.setattr(resource_loader, "recursive_search_dir", gui_fixes._original_search)
    assert [translate(t) for t in texts] == fast
