"""Settings: language, window size, fullscreen, UI scale, sound. Applied at once and saved."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pygame

from game.text import LANGS
from game.ui import settings as ui_settings
from game.ui.screens.base import Callback, Screen
from game.ui.screens.parts import bottom_bar


class SettingsScreen(Screen):
    name = "settings"

    def build(self) -> None:
        tr = self.tr
        s = self.ctx.settings
        box = self.box().pad(24)
        self.heading(box.top(40, 16), tr("ui.settings.title"))
        bottom = box.bottom(50, 12)
        rows: list[tuple[str, list[tuple[str, Any, bool]], str]] = [
            ("ui.settings.language", [(tr(f"ui.settings.lang.{lang}"), {"lang": lang}, s.lang == lang) for lang in LANGS], "ui.tip.language"),
            ("ui.settings.window", [(f"{w}×{h}", {"width": w, "height": h}, (s.width, s.height) == (w, h)) for w, h in ui_settings.WINDOW_SIZES], "ui.tip.window"),
            ("ui.settings.fullscreen", [(tr("ui.common.on"), {"fullscreen": True}, s.fullscreen), (tr("ui.common.off"), {"fullscreen": False}, not s.fullscreen)], "ui.tip.fullscreen"),
            ("ui.settings.scale", [(tr.pct(u), {"ui_scale": u}, abs(s.ui_scale - u) < 1e-6) for u in ui_settings.UI_SCALES], "ui.tip.scale"),
            ("ui.settings.sound", [(tr("ui.common.on"), {"sound": True}, s.sound), (tr("ui.common.off"), {"sound": False}, not s.sound)], "ui.tip.sound"),
        ]
        label_w = self.s(300)
        for key, options, tip in rows:
            r = box.top(48, 14)
            self.label(pygame.Rect(r.x, r.y, label_w, r.h), tr(key), "#subheading", tooltip=tr(tip))
            x = r.x + label_w
            bw = self.s(170)
            for label, change, on in options:
                self.button(pygame.Rect(x, r.y, bw, r.h), label, self._apply(change), object_id="#selected" if on else None, tooltip=tr(tip))
                x += bw + self.s(8)
        self.textbox(box.top(90), tr.html(tr("ui.settings.note", path=str(self._path()))), "#plain")
        bottom_bar(self, bottom)

    def _path(self) -> Any:
        from game.ui import paths

        return paths.user_dir()

    def _apply(self, change: dict[str, Any]) -> Callback:
        def apply() -> None:
            new = replace(self.ctx.settings, **change)
            new.problem = None
            self.ctx.apply_settings(new)

        return apply
