"""What the debrief's sections share: the screen's shared state (charts, team swatches,
the status line) and a section's shortcuts, the time markers and the quarter labels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from game.headless.export import TEAM_COLOURS
from game.ui.screens import parts
from game.ui.screens.base import Scroller
from game.ui.theme import PALETTE
from game.ui.widgets.charts import LineChart, Series, quarter_labels, series_style
from game.ui.workshop import hex_rgb

if TYPE_CHECKING:
    from game.ui.context import Context

EVENT_GREY = (120, 120, 120)


def team_series(session: Any, team: int, label: str, values: list[float]) -> Series:
    """A team's line: its colour, and a point shape and dash of its own (told apart without colour)."""
    marker, dash = series_style(team)
    return Series(label, values, team_rgb(session, team), marker=marker, dash=dash)


def team_rgb(session: Any, team: int) -> tuple[int, int, int]:
    ws = getattr(session, "workshop", None)
    if ws is not None:
        return ws.rgb(team)
    return hex_rgb(TEAM_COLOURS[team % len(TEAM_COLOURS)])


class DebriefBase(parts.SectionedScreen):
    """The debrief screen as its sections see it: what they draw into."""

    name = "debrief"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.status: tuple[str, str] | None = None
        self.charts: list[LineChart] = []
        self.swatches: list[tuple[pygame.Rect | tuple[Scroller, pygame.Rect], int]] = []
        """Team colour swatches: a rect in the window, or (a scrolling list, a rect in it)."""
        self.samples: list[tuple[pygame.Rect, Series]] = []
        """Legend samples of the teams' lines (colour, point shape and dashes)."""


class Section(parts.Section["DebriefBase"]):
    """One section of the debrief; it remembers (the what-if choice) across rebuilds."""

    def markers(self) -> list[tuple[Any, ...]]:
        """Events (grey) and the facilitator's policy switches (green, with a tag naming the
        policy, drawn over the events) at their quarter's index."""
        tr, session = self.tr, self.session
        level = session.level
        index = {h["quarter"]: k for k, h in enumerate(session.state.history)}
        out: list[tuple[Any, ...]] = []
        for m in session.state.timeline:
            k = index.get(m.get("quarter"))
            if k is None:
                continue
            if m["kind"] == "event":
                name = next((tr.level_text(e.name) for e in level.events if e.id == m.get("event")), str(m.get("event")))
                if m.get("injected"):
                    name = tr("ui.debrief.injected", name=name)
                out.append((k, EVENT_GREY, name))
            elif m["kind"] == "policy":
                name = next((tr.level_text(p.name) for p in level.policies if p.id == m.get("policy")), str(m.get("policy")))
                tag = tr("ui.debrief.policy_tag_on" if m.get("on") else "ui.debrief.policy_tag_off", name=name)
                out.append((k, PALETTE.good_fill, tr("ui.debrief.switched_on" if m.get("on") else "ui.debrief.switched_off", name=name), tag))
        return out

    def x_labels(self, hist: list[dict[str, Any]]) -> tuple[Any, Any]:
        return quarter_labels(self.tr, hist, self.session.level.start_year)
