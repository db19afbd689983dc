"""Load a saved game: every save in the user folder, damaged ones listed with the reason
and refused with a message (never overwritten)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui import paths
from game.ui.nav import STAY, Message, Nav, Push, Resume, in_game
from game.ui.screens.base import Callback, Screen
from game.ui.screens.parts import bottom_bar
from game.ui.session import SaveError, Session, list_saves

if TYPE_CHECKING:
    from game.ui.context import Context


class LoadScreen(Screen):
    name = "load"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.selected = 0

    def build(self) -> None:
        tr = self.tr
        self.saves = list_saves()
        box = self.box().pad(20)
        self.heading(box.top(40, 6), tr("ui.load.title"))
        self.label(box.top(28, 10), tr("ui.load.folder", path=str(paths.saves_dir())), "#soft")
        bottom = box.bottom(50, 12)
        if not self.saves:
            self.textbox(box.rect, tr.html(tr("ui.load.none")))
        else:
            row_h, gap = self.s(64), self.s(6)
            scroll = self.scroller(box.rect, len(self.saves) * (row_h + gap))
            inner_w = box.rect.w - self.s(24)
            for k, info in enumerate(self.saves):
                if info.problem:
                    text = tr("ui.load.damaged_row", file=info.path.name)
                elif info.path.name == paths.autosave_path().name:
                    title = info.title.get(tr.lang) or info.level_id
                    text = tr("ui.load.autosave_row", title=title, quarter=info.quarter, turns=info.turns, when=info.saved_at.replace("T", " "))
                else:
                    title = info.title.get(tr.lang) or info.level_id
                    text = tr("ui.load.row", title=title, quarter=info.quarter, turns=info.turns, names=", ".join(info.names), when=info.saved_at.replace("T", " "))
                tip = info.problem or text
                self.button(pygame.Rect(0, k * (row_h + gap), inner_w, row_h), text, self._pick(k), class_id="@row", object_id="#selected" if k == self.selected else None, tooltip=tip, container=scroll)
        bottom_bar(self, bottom, ("ui.load.load", self.load) if self.saves else None)

    def _pick(self, k: int) -> Callback:
        def pick() -> None:
            self.selected = k
            self.rebuild()

        return pick

    def on_key(self, event: pygame.event.Event) -> Nav | None:
        if event.key in (pygame.K_UP, pygame.K_DOWN) and getattr(self, "saves", None):
            self.selected = (self.selected + (1 if event.key == pygame.K_DOWN else -1)) % len(self.saves)
            self.rebuild()
            return STAY
        return None

    def on_command(self, command: str) -> Nav | None:
        if command == "confirm":
            return self.load() or STAY
        return None

    def load(self) -> Nav | None:
        if not self.saves:
            return None
        info = self.saves[min(self.selected, len(self.saves) - 1)]
        try:
            session = Session.load(info.path)
        except (SaveError, OSError) as exc:
            return Push(Message(self.tr("ui.load.refused_title"), self.tr("ui.load.refused", reason=str(exc)), tone="bad"))
        return in_game(Resume(session))
