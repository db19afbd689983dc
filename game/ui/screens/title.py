"""Title: new game, continue (the autosave), load, settings, glossary, quit."""

from __future__ import annotations

import pygame

from game.ui import paths
from game.ui.nav import (
    STAY,
    Glossary,
    LevelSelect,
    Load,
    Message,
    Nav,
    NextTurn,
    Push,
    Quit,
    Resume,
    Settings,
    in_game,
)
from game.ui.screens.base import Screen
from game.ui.session import SaveError, Session


class TitleScreen(Screen):
    name = "title"
    _art: pygame.Surface | None = None

    def build(self) -> None:
        tr = self.tr
        w, h = self.ctx.size
        col_w = self.s(460)
        x = (w - col_w) // 2
        y = int(h * 0.10)
        self.label(pygame.Rect(0, y, w, self.s(80)), tr("ui.title.name"), "#title")
        y += self.s(84)
        self.label(pygame.Rect(0, y, w, self.s(34)), tr("ui.title.tagline"), "#subtitle")
        y += self.s(60)
        bh, gap = self.s(50), self.s(12)
        autosave = paths.autosave_path()
        has_save = autosave.exists()
        items = [
            ("ui.title.new_game", self.new_game, "new_game", True, "ui.tip.new_game", "#primary"),
            ("ui.title.continue", self.continue_game, "continue", has_save, "ui.tip.continue" if has_save else "ui.tip.no_autosave", None),
            ("ui.title.load", self.load, "load", True, "ui.tip.load", None),
            ("ui.title.settings", self.settings, "settings", True, "ui.tip.settings", None),
            ("ui.title.glossary", lambda: Push(Glossary(None)), "glossary", True, "ui.tip.glossary", None),
            ("ui.title.quit", Quit, "quit", True, "ui.tip.quit", "#danger"),
        ]
        for key, callback, command, enabled, tip, oid in items:
            btn = self.button(pygame.Rect(x, y, col_w, bh), tr(key), callback, command=command, tooltip=tr(tip), enabled=enabled, object_id=oid)
            if key == "ui.title.glossary":
                self._glossary_button = btn
            y += bh + gap
        self.label(pygame.Rect(self.s(16), h - self.s(34), w - self.s(32), self.s(26)), tr("ui.title.credits"), "#soft")
        if self.ctx.session is not None and not self.session.finished:
            self.button(pygame.Rect(x, y + self.s(6), col_w, bh), tr("ui.title.back_to_game"), lambda: in_game(NextTurn()), tooltip=tr("ui.tip.back_to_game"))

    def draw_under(self, surface: pygame.Surface) -> None:
        """A quiet picture of an enclave cluster on both sides: a lead firm, its
        tier-1 suppliers, and local SMEs mostly left unlinked."""
        if self._art is None or self._art.get_size() != surface.get_size():
            self._art = _cluster_art(surface.get_size(), self.scale)
        surface.blit(self._art, (0, 0))

    def on_command(self, command: str) -> Nav | None:
        actions = {
            "new_game": self.new_game,
            "continue": self.continue_game,
            "load": self.load,
            "settings": self.settings,
        }
        if command in actions:
            if command == "continue" and not paths.autosave_path().exists():
                return STAY
            return actions[command]() or STAY
        if command == "back":
            return STAY  # the title is the bottom of the stack
        return None

    def new_game(self) -> Nav:
        return Push(LevelSelect())

    def continue_game(self) -> Nav:
        try:
            session = Session.load(paths.autosave_path())
        except SaveError as exc:
            return Push(Message(self.tr("ui.load.refused_title"), self.tr("ui.load.refused", reason=str(exc)), tone="bad"))
        return in_game(Resume(session))

    def load(self) -> Nav:
        return Push(Load())

    def settings(self) -> Nav:
        return Push(Settings())


def _cluster_art(size: tuple[int, int], scale: float) -> pygame.Surface:
    import random

    from game.ui.theme import PALETTE
    from game.ui.widgets.draw import shape

    w, h = size
    art = pygame.Surface(size, pygame.SRCALPHA)
    rng = random.Random(7)  # cosmetic randomness: its own generator, never the game's
    column_w = max(0, (w - int(520 * scale)) // 2 - int(30 * scale))
    if column_w < 80:
        return art
    for side in (0, 1):
        x0 = int(20 * scale) if side == 0 else w - column_w - int(20 * scale)
        lead = (x0 + column_w * 0.5, h * 0.22)
        tier1 = [(x0 + column_w * f, h * 0.42) for f in (0.22, 0.5, 0.78)]
        smes = [(x0 + column_w * rng.uniform(0.08, 0.92), h * rng.uniform(0.58, 0.9)) for _ in range(16)]
        faint = (*PALETTE.grid, 255)
        for t in tier1:
            pygame.draw.line(art, faint, lead, t, max(1, int(2 * scale)))
        for k, sme in enumerate(smes):
            if k % 5 == 0:
                pygame.draw.line(art, (*PALETTE.accent, 90), sme, tier1[k % 3], max(1, int(2 * scale)))
        shape(art, "square", lead, 16 * scale, (*PALETTE.lead_firm, 160), (*PALETTE.ink, 120), 1)
        for k, t in enumerate(tier1):
            colour = PALETTE.follow_source if k != 1 else PALETTE.tier1
            shape(art, "hexagon" if k != 1 else "circle", t, 10 * scale, (*colour, 150), (*PALETTE.ink, 110), 1)
        for k, sme in enumerate(smes):
            colour = PALETTE.good_fill if k % 5 == 0 else PALETTE.sme
            shape(art, "circle", sme, rng.uniform(4, 8) * scale, (*colour, 140), (*PALETTE.ink, 90), 1)
    return art
