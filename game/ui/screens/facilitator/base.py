"""What the console's sections share: the screen's state (the status line, the note being
written, the team swatches), the workshop, and the way a facilitator's action reports back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from game.ui.screens import parts
from game.ui.screens.parts import ClockScreen

if TYPE_CHECKING:
    from game.ui.context import Context
    from game.ui.workshop import Workshop

MAX_NOTE = 500


class ConsoleBase(ClockScreen, parts.SectionedScreen):
    """The console as its sections see it."""

    name = "console"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.section = "session"
        self.status: tuple[str, str] | None = None
        self.note = ""
        self.swatches: list[tuple[pygame.Rect, int]] = []

    @property
    def ws(self) -> Workshop:
        ws = self.session.workshop
        if ws is None:
            raise RuntimeError("the console needs a workshop")
        return ws

    def keep_note(self) -> None:
        entry = self.entries.get("note")
        if entry is not None:
            self.note = entry.get_text()

    def result(self, outcome: Any, good: str) -> bool:
        tr = self.tr
        if outcome.ok:
            self.status = (good, "good")
            self.ctx.sounds.play("ok")
        else:
            reason = tr.refusal(outcome.refusal, self.session.level) if outcome.refusal else tr("ui.refused.incomplete")
            self.status = (tr("ui.console.refused", reason=reason), "bad")
            self.ctx.sounds.play("refused")
        self.ctx.autosave()
        self.rebuild()
        return bool(outcome.ok)


class Section(parts.Section["ConsoleBase"]):
    """One section of the console; its shortcuts to the workshop and the status line."""

    @property
    def ws(self) -> Workshop:
        return self.screen.ws

    def keep_note(self) -> None:
        self.screen.keep_note()

    def result(self, outcome: Any, good: str) -> bool:
        return self.screen.result(outcome, good)

    def team_status(self, p: int) -> tuple[str, str]:
        """(text, tone) of a team this quarter: decided, at the laptop, waiting, bankrupt."""
        tr, session = self.tr, self.session
        if not session.alive(p):
            return "✗ " + tr("ui.console.team_bankrupt"), "bad"
        if session.finished:
            return "✓ " + tr("ui.console.team_finished"), "good"
        timed_out = any(m.get("kind") == "timeout" and m.get("firm") == session.firm_id(p) and m.get("quarter") == session.quarter for m in session.state.timeline)
        if session.done[p]:
            return ("◷ " + tr("ui.console.team_timed_out"), "bad") if timed_out else ("✓ " + tr("ui.console.team_done"), "good")
        if p == session.current:
            return "➜ " + tr("ui.console.team_current"), "info"
        return "… " + tr("ui.console.team_waiting"), "info"
