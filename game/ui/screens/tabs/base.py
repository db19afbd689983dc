"""What the quarter screen's tabs share."""

from __future__ import annotations

from typing import Any

import pygame

from game.ui.screens.base import Pane


class Tab(Pane[Any]):
    name = "tab"

    def __init__(self, screen: Any, rect: pygame.Rect):
        super().__init__(screen)
        self.rect = pygame.Rect(rect)
        self.memory: dict[str, Any] = screen.tab_state.setdefault(self.name, {})
        """What the tab remembers across rebuilds (selection, form values)."""

    @property
    def player(self) -> int:
        return self.screen.player

    def build(self) -> None:
        pass

    def on_command(self, command: str) -> bool:
        return False

    def on_key(self, event: pygame.event.Event) -> bool:
        return False

    def on_entry_changed(self, element: Any, text: str) -> None:
        pass

    def update(self, dt: float) -> None:
        pass

    def draw_under(self, surface: pygame.Surface) -> None:
        pass

    def draw_over(self, surface: pygame.Surface) -> None:
        pass

    def drawn_texts(self) -> list[str]:
        """Texts the tab draws itself (not in widgets), for the privacy test."""
        return []

    def move_selection(self, event: pygame.event.Event, key: str, count: int) -> bool:
        """Up/Down arrows move a list selection kept in ``memory[key]``."""
        if count <= 0 or event.key not in (pygame.K_UP, pygame.K_DOWN):
            return False
        current = int(self.memory.get(key, 0))
        self.memory[key] = (current + (1 if event.key == pygame.K_DOWN else -1)) % count
        self.screen.rebuild_tab()
        return True
