"""Player set-up: 1 to 8 players or teams with names; computer SMEs fill the cluster;
the way to a facilitated workshop."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.core.level_loader import LoadedLevel
from game.ui.nav import Nav, NewGame, Push, WorkshopSetup, in_game
from game.ui.screens.base import Callback, Screen
from game.ui.screens.parts import bottom_bar
from game.ui.session import MAX_PLAYERS, default_names

if TYPE_CHECKING:
    from game.ui.context import Context


class SetupScreen(Screen):
    name = "setup"

    def __init__(self, ctx: Context, loaded: LoadedLevel):
        super().__init__(ctx)
        self.loaded = loaded
        self.players = 1
        self.names = default_names(ctx.tr, loaded, 1)

    def build(self) -> None:
        tr = self.tr
        box = self.box().pad(20)
        self.heading(box.top(40, 6), tr("ui.setup.title", level=tr.level_text(self.loaded.level.title)))
        self.label(box.top(30, 14), tr("ui.setup.explain"), "#soft")
        bottom = box.bottom(50, 12)
        row = box.top(48, 16)
        self.label(pygame.Rect(row.x, row.y, self.s(330), row.h), tr("ui.setup.players"), "#subheading")
        x = row.x + self.s(340)
        for n in range(1, MAX_PLAYERS + 1):
            self.button(pygame.Rect(x, row.y, self.s(56), row.h), str(n), self._set_players(n), object_id="#selected" if n == self.players else None, tooltip=tr("ui.tip.players", n=n))
            x += self.s(64)
        self.label(pygame.Rect(x + self.s(16), row.y, box.rect.right - x - self.s(16), row.h), tr("ui.setup.hot_seat") if self.players > 1 else tr("ui.setup.solo"), "#soft")
        eh = self.s(46)
        if self.players <= 4:
            for k in range(self.players):
                r = box.top(46, 10)
                self.label(pygame.Rect(r.x, r.y, self.s(330), eh), tr("ui.setup.name_of", n=k + 1), tooltip=tr("ui.tip.name"))
                self.entry(pygame.Rect(r.x + self.s(340), r.y, self.s(520), eh), self.names[k], f"name{k}")
        else:
            # Five to eight: two columns of names.
            grid = box.top(4 * 56)
            col_w = (grid.w - self.s(24)) // 2
            lw = self.s(110)
            for k in range(self.players):
                x = grid.x + (k // 4) * (col_w + self.s(24))
                y = grid.y + (k % 4) * self.s(56)
                self.label(pygame.Rect(x, y, lw, eh), tr("ui.setup.name_short", n=k + 1), tooltip=tr("ui.setup.name_of", n=k + 1))
                self.entry(pygame.Rect(x + lw, y, col_w - lw, eh), self.names[k], f"name{k}")
        smes = self.loaded.level.computer_smes.count
        box.top(8)
        self.textbox(box.top(96), tr.linked(tr("ui.setup.computer_smes", count=smes)), "#plain")
        bottom_bar(self, bottom, ("ui.setup.start", self.start))
        back_w = self.button_width(tr("ui.common.back"), "back", minimum=200)
        ww = self.button_width(tr("ui.workshop.open_setup"), minimum=260)
        btn = self.button(pygame.Rect(bottom.x + back_w + self.s(12), bottom.y, ww, bottom.h), tr("ui.workshop.open_setup"), self.workshop, tooltip=tr("ui.tip.workshop"))
        self.targets["workshop"] = btn

    def _read_names(self) -> None:
        for k in range(self.players):
            entry = self.entries.get(f"name{k}")
            if entry is not None:
                self.names[k] = entry.get_text()

    def _set_players(self, n: int) -> Callback:
        def set_players() -> None:
            self._read_names()
            defaults = default_names(self.tr, self.loaded, n)
            old_defaults = default_names(self.tr, self.loaded, self.players)
            names = []
            for k in range(n):
                current = self.names[k] if k < len(self.names) else ""
                keep = current.strip() and not (k < len(old_defaults) and current == old_defaults[k])
                names.append(current if keep else defaults[k])
            self.players, self.names = n, names
            self.rebuild()

        return set_players

    def on_command(self, command: str) -> Nav | None:
        if command == "confirm":
            return self.start()
        return None

    def workshop(self) -> Nav:
        return Push(WorkshopSetup(self.loaded))

    def start(self) -> Nav:
        self._read_names()
        defaults = default_names(self.tr, self.loaded, self.players)
        names = [(n.strip() or d)[:40] for n, d in zip(self.names, defaults, strict=True)]
        return in_game(NewGame(self.loaded, self.players, tuple(names)))
