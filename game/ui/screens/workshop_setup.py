"""Workshop set-up: 2 to 8 teams with a name and a colour each, the facilitator's PIN
(entered twice) and the timer per quarter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from game.core.level_loader import LoadedLevel
from game.core.safeio import MAX_TEAM_NAME, text_problem
from game.ui.nav import STAY, Nav, NewWorkshop, in_game
from game.ui.screens.base import Callback, Screen
from game.ui.screens.parts import bottom_bar
from game.ui.theme import PALETTE
from game.ui.workshop import (
    MAX_TEAMS,
    MIN_TEAMS,
    PIN_MAX,
    TIMER_CHOICES,
    Workshop,
    hex_rgb,
    valid_pin,
)

if TYPE_CHECKING:
    from game.ui.context import Context

DEFAULT_TEAMS = 4


def default_team_names(tr: Any, teams: int) -> list[str]:
    return [tr(f"ui.workshop.team_default.{k + 1}") for k in range(teams)]


class WorkshopSetupScreen(Screen):
    name = "workshop_setup"

    def __init__(self, ctx: Context, loaded: LoadedLevel):
        super().__init__(ctx)
        self.loaded = loaded
        self.teams = DEFAULT_TEAMS
        self.names = default_team_names(ctx.tr, MAX_TEAMS)
        self.colours = list(range(MAX_TEAMS))
        self.timer = 5
        self.pins = ["", ""]
        self.problem: str | None = None
        self.swatches: list[tuple[pygame.Rect, int]] = []

    def build(self) -> None:
        tr = self.tr
        box = self.box().pad(20)
        self.heading(box.top(40, 6), tr("ui.workshop.setup_title", level=tr.level_text(self.loaded.level.title)))
        self.label(box.top(30, 10), tr("ui.workshop.setup_explain"), "#soft")
        bottom = box.bottom(50, 12)
        # How many teams.
        row = box.top(46, 12)
        lw = self.s(250)
        self.label(pygame.Rect(row.x, row.y, lw, row.h), tr("ui.workshop.teams"), "#subheading")
        x = row.x + lw + self.s(10)
        for n in range(MIN_TEAMS, MAX_TEAMS + 1):
            self.button(pygame.Rect(x, row.y, self.s(56), row.h), str(n), self._set_teams(n), object_id="#selected" if n == self.teams else None, tooltip=tr("ui.tip.teams", n=n))
            x += self.s(62)
        # Names and colours, two columns of four.
        self.swatches = []
        grid = box.top(4 * 52, 12)
        col_w = (grid.w - self.s(24)) // 2
        for k in range(self.teams):
            c, r = k // 4, k % 4
            y = grid.y + r * self.s(52)
            x0 = grid.x + c * (col_w + self.s(24))
            sw = pygame.Rect(x0, y, self.s(64), self.s(44))
            colour = tr(f"ui.colour.{self.colours[k]}")
            self.button(sw, "", self._next_colour(k), tooltip=tr("ui.tip.team_colour", colour=colour))
            self.swatches.append((sw, k))
            label_w = self.s(120)
            self.label(pygame.Rect(x0 + self.s(72), y, label_w, self.s(44)), tr("ui.workshop.team_n", n=k + 1), tooltip=tr("ui.tip.name"))
            self.entry(pygame.Rect(x0 + self.s(72) + label_w, y, col_w - self.s(72) - label_w, self.s(44)), self.names[k], f"name{k}")
        # The facilitator's PIN, twice.
        row = box.top(46, 12)
        self.label(pygame.Rect(row.x, row.y, lw, row.h), tr("ui.workshop.pin"), "#subheading", tooltip=tr("ui.tip.pin"))
        ew = self.s(150)
        x = row.x + lw + self.s(10)
        for k, key in enumerate(("ui.workshop.pin_first", "ui.workshop.pin_again")):
            tw = self.text_width(tr(key), "label") + self.s(14)
            self.label(pygame.Rect(x, row.y, tw, row.h), tr(key), "#soft")
            x += tw
            e = self.entry(pygame.Rect(x, row.y, ew, row.h), self.pins[k], f"pin{k}", max_length=PIN_MAX)
            e.set_allowed_characters("numbers")
            e.set_text_hidden(True)
            x += ew + self.s(24)
        # The timer per quarter.
        row = box.top(46, 12)
        self.label(pygame.Rect(row.x, row.y, lw, row.h), tr("ui.workshop.timer"), "#subheading", tooltip=tr("ui.tip.timer"))
        x = row.x + lw + self.s(10)
        for minutes in TIMER_CHOICES:
            text = tr("ui.workshop.timer_off") if minutes == 0 else tr("ui.workshop.timer_minutes", minutes=minutes)
            w = max(self.s(76), self.text_width(text) + self.s(24))
            self.button(pygame.Rect(x, row.y, w, row.h), text, self._set_timer(minutes), object_id="#selected" if minutes == self.timer else None, tooltip=tr("ui.tip.timer"))
            x += w + self.s(8)
        smes = self.loaded.level.computer_smes.count
        html = tr.linked(tr("ui.workshop.setup_note", count=smes))
        oid = "#plain"
        if self.problem:
            html = f"<b>✗ {tr.html(self.problem)}</b>"
            oid = "#card_bad"
        self.textbox(box.rect, html, oid)
        bottom_bar(self, bottom, ("ui.workshop.start", self.start))

    def draw_over(self, surface: pygame.Surface) -> None:
        from game.headless.export import TEAM_COLOURS

        for rect, k in self.swatches:
            inner = rect.inflate(-self.s(14), -self.s(14))
            pygame.draw.rect(surface, hex_rgb(TEAM_COLOURS[self.colours[k]]), inner, border_radius=self.s(3))
            pygame.draw.rect(surface, PALETTE.ink, inner, 1, border_radius=self.s(3))

    # -- the model ----------------------------------------------------------------------

    def _read(self) -> None:
        for k in range(self.teams):
            entry = self.entries.get(f"name{k}")
            if entry is not None:
                self.names[k] = entry.get_text()
        for k in range(2):
            entry = self.entries.get(f"pin{k}")
            if entry is not None:
                self.pins[k] = entry.get_text()

    def _set_teams(self, n: int) -> Callback:
        def set_teams() -> None:
            self._read()
            self.teams = n
            self.rebuild()

        return set_teams

    def _set_timer(self, minutes: int) -> Callback:
        def set_timer() -> None:
            self._read()
            self.timer = minutes
            self.rebuild()

        return set_timer

    def _next_colour(self, k: int) -> Callback:
        """The next colour, swapped with whichever team had it: colours stay distinct."""

        def next_colour() -> None:
            self._read()
            new = (self.colours[k] + 1) % len(self.colours)
            other = self.colours.index(new)
            self.colours[k], self.colours[other] = new, self.colours[k]
            self.rebuild()

        return next_colour

    def check(self) -> str | None:
        """Why the workshop cannot start yet (None when it can)."""
        tr = self.tr
        names = [n.strip() for n in self.names[: self.teams]]
        if any(not n for n in names):
            return tr("ui.workshop.problem.name_missing")
        if len({n.lower() for n in names}) < len(names):
            return tr("ui.workshop.problem.same_name")
        for n in names:
            if text_problem(n, MAX_TEAM_NAME) is not None:
                return tr("ui.workshop.problem.name_chars", name=n[:MAX_TEAM_NAME].encode("utf-8", "replace").decode("utf-8"), max=MAX_TEAM_NAME)
        if not valid_pin(self.pins[0]):
            return tr("ui.workshop.problem.pin_digits")
        if self.pins[0] != self.pins[1]:
            return tr("ui.workshop.problem.pin_mismatch")
        return None

    def on_command(self, command: str) -> Nav | None:
        if command == "confirm":
            return self.start() or STAY
        return None

    def start(self) -> Nav | None:
        self._read()
        self.problem = self.check()
        if self.problem:
            self.ctx.sounds.play("refused")
            self.rebuild()
            return None
        names = [n.strip() for n in self.names[: self.teams]]
        workshop = Workshop.new(self.pins[0], self.colours[: self.teams], self.timer)
        self.pins = ["", ""]
        return in_game(NewWorkshop(self.loaded, tuple(names), workshop))
