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
