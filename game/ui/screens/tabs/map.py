"""Tab 1: the cluster map."""

from __future__ import annotations

import pygame

from game.ui.anim import pulse
from game.ui.screens.tabs.base import Tab
from game.ui.widgets.cluster_map import ClusterMap


class MapTab(Tab):
    name = "map"

    def build(self) -> None:
        sc = self.screen
        self.map = ClusterMap(self.rect, self.session, self.tr, sc.ctx.fonts, sc.scale, self.player)
        sc.hover_regions.append((self.rect, self.map.hover))

    def drawn_texts(self) -> list[str]:
        return self.map.texts()

    def draw_under(self, surface: pygame.Surface) -> None:
        p = self.screen.ctx.anim.progress("map_pulse")
        self.map.draw(surface, pulse(p) if p is not None else 0.0)
