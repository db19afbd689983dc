"""Line charts over the quarters (end screen, debrief): cash, capabilities, tier, contracts, local share.

Drawn once into a surface; hovering gives the value of the nearest quarter.
Optional markers draw a dotted vertical line at a quarter (an event, a policy
switch, the first quarter a what-if path differs), named in the hover text; a
marker with a tag (a policy switch) is a solid, bolder line drawn over the
dotted ones, with its tag written at the top of the plot. Each series can have its own point shape
and dash pattern, so lines are told apart without colour; the legend sits
above the plot, never over the data; the y axis can take explicit ticks (whole
tiers, whole contracts from 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from game.ui.theme import PALETTE
from game.ui.widgets.draw import dashed_line, shape, text

MARKER_SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "hexagon", "pentagon", "bar", "cross")
"""Point shapes for series told apart without colour."""
DASHES: tuple[tuple[int, int] | None, ...] = (None, (9, 5), None, (3, 4), None, (9, 5), None, (3, 4))
"""Line patterns for series (None: solid; else dash and gap in design pixels)."""

Marker = tuple
"""(index of the quarter, colour, name) or (index, colour, name, tag): a dotted vertical
line; with a tag it is drawn over the untagged ones and the tag is written at its top."""


@dataclass
class Series:
    label: str
    values: Sequence[float]
    colour: tuple[int, int, int]
    dashed: bool = False
    """A what-if path: thin segments and square points."""
    marker: str = "circle"
    """The points' shape (see MARKER_SHAPES)."""
    dash: tuple[int, int] | None = None
    """The line's pattern (dash, gap) in design pixels; None: solid."""


def series_style(k: int) -> tuple[str, tuple[int, int] | None]:
    """The k-th series' point shape and line pattern: all eight distinct."""
    return MARKER_SHAPES[k % len(MARKER_SHAPES)], DASHES[k % len(DASHES)]


class LineChart:
    def __init__(
        self,
        rect: pygame.Rect,
        title: str,
        series: list[Series],
        fmt: Callable[[float], str],
        fonts,  # noqa: ANN001
        scale: float,
        x_label: Callable[[int], str],
        y_range: tuple[float, float] | None = None,
        invert: bool = False,
        x_long: Callable[[int], str] | None = None,
        markers: list[Marker] | None = None,
        legend: bool = True,
        labels: dict[int, str] | None = None,
        y_ticks: Sequence[float] | None = None,
    ):
        self.rect = pygame.Rect(rect)
        self.title = title
        self.series = series
        self.fmt = fmt
        self.fonts = fonts
        self.scale = scale
        self.x_label = x_label
        self.y_range = y_range
        self.invert = invert
        self.x_long = x_long or x_label
        # Untagged markers (events) first, tagged ones (policy switches) drawn over them.
        self.markers = sorted(markers or [], key=lambda m: len(m) > 3 and bool(m[3]))
        """(index of the quarter, colour, name[, tag]): dotted vertical lines."""
        self.y_ticks = list(y_ticks) if y_ticks is not None else None
        self.tags: list[tuple[pygame.Rect, str]] = []
        """Where each marker's tag was written (in the chart's own coordinates)."""
        self.label_rects: list[tuple[pygame.Rect, str]] = []
        """Where each note of ``labels`` was written (a note with no free place is not drawn)."""
        self.legend_rects: list[pygame.Rect] = []
        self.legend = legend
        self.labels = labels or {}
        """index -> a short note drawn above the first series' point (the cluster's stage when it changes)."""
        self._surface: pygame.Surface | None = None
        self.plot = pygame.Rect(0, 0, 0, 0)

    def s(self, v: float) -> int:
        return max(1, int(round(v * self.scale)))

    def _bounds(self) -> tuple[float, float]:
        if self.y_range is not None:
            return self.y_range
        values = [v for s in self.series for v in s.values]
        if not values:
            return (0.0, 1.0)
        lo, hi = min(values), max(values)
        lo = min(lo, 0.0)
        if hi - lo < 1e-9:
            hi = lo + 1.0
        return (lo, hi + (hi - lo) * 0.08)

    def _xy(self, k: int, v: float, n: int) -> tuple[float, float]:
        lo, hi = self._bounds()
        x = self.plot.x + (self.plot.w * (k / max(1, n - 1)) if n > 1 else self.plot.w / 2)
        frac = (v - lo) / (hi - lo)
        if self.invert:
            frac = 1.0 - frac
        y = self.plot.bottom - self.plot.h * frac
        return x, y

    def _render(self) -> pygame.Surface:
        w, h = self.rect.size
        surf = pygame.Surface((w, h))
        surf.fill(PALETTE.panel)
        pygame.draw.rect(surf, PALETTE.grid, surf.get_rect(), 1)
        title_font = self.fonts.get(16, bold=True)
        small = self.fonts.get(14)
        text(surf, title_font, self.title, (self.s(8), self.s(6)), PALETTE.ink, width=w - self.s(16))
        lo, hi = self._bounds()
        ticks = self.ticks()
        left = self.s(8) + max(small.size(self.fmt(v))[0] for v in ticks) + self.s(6)
        top = self.s(34)
        self.legend_rects = []
        if len(self.series) > 1 and self.legend:
            # The legend on its own row under the title, off the data.
            x, y_leg = left, top + self.s(2)
            for s in self.series:
                self._legend_swatch(surf, s, (x, y_leg + self.s(7)))
                r = text(surf, small, s.label, (x + self.s(26), y_leg + self.s(7)), PALETTE.ink, "midleft")
                self.legend_rects.append(pygame.Rect(x, y_leg, r.right - x, self.s(14)))
                x = r.right + self.s(14)
            top += self.s(20)
        self.plot = pygame.Rect(left, top, w - left - self.s(16), h - top - self.s(26))
        for v in ticks:
            frac = (v - lo) / (hi - lo) if hi > lo else 0.0
            y = self.plot.bottom - self.plot.h * (1.0 - frac if self.invert else frac)
            pygame.draw.line(surf, PALETTE.grid, (self.plot.x, y), (self.plot.right, y), 1)
            text(surf, small, self.fmt(v), (self.plot.x - self.s(4), y), PALETTE.ink_soft, "midright")
        n = max((len(s.values) for s in self.series), default=0)
        if n:
            for k in sorted({0, n - 1, (n - 1) // 2}):
                x, _ = self._xy(k, lo, n)
                anchor = "topleft" if k == 0 and n > 1 else ("topright" if k == n - 1 and n > 1 else "midtop")
                if anchor == "topleft":
                    x -= self.s(4)
                elif anchor == "topright":
                    x += self.s(8)
                text(surf, small, self.x_label(k), (x, self.plot.bottom + self.s(4)), PALETTE.ink_soft, anchor)
        self.tags = []
        stacked: dict[int, int] = {}
        for m in self.markers:
            k, colour = m[0], m[1]
            tag = m[3] if len(m) > 3 else ""
            if 0 <= k < n:
                x, _y = self._xy(k, lo, n)
                if tag:
                    # Solid and bolder: it covers an event's dotted line at the same quarter.
                    pygame.draw.line(surf, colour, (x, self.plot.y), (x, self.plot.bottom), max(2, self.s(3)))
                else:
                    dashed_line(surf, colour, (x, self.plot.y), (x, self.plot.bottom), max(1, self.s(2)), self.s(3), self.s(4))
                if tag:
                    # The tag at the top of its line, on the side with room, stacked when several share a quarter.
                    row = stacked.get(k, 0)
                    stacked[k] = row + 1
                    img_w = small.size(tag)[0]
                    right_side = x + self.s(4) + img_w <= self.plot.right
                    pos = (x + self.s(4), self.plot.y + self.s(2) + row * self.s(16)) if right_side else (x - self.s(4), self.plot.y + self.s(2) + row * self.s(16))
                    box = pygame.Rect(0, 0, img_w + self.s(4), self.s(15))
                    if right_side:
                        box.topleft = (pos[0] - self.s(2), pos[1])
                    else:
                        box.topright = (pos[0] + self.s(2), pos[1])
                    pygame.draw.rect(surf, PALETTE.panel, box)
                    pygame.draw.rect(surf, colour, box, 1)
                    text(surf, small, tag, (box.x + self.s(2), box.y), PALETTE.ink, "topleft")
                    self.tags.append((box, tag))
        for s in self.series:
            pts = [self._xy(k, v, n) for k, v in enumerate(s.values)]
            if len(pts) >= 2:
                if s.dashed:
                    for a, b in zip(pts, pts[1:], strict=False):
                        pygame.draw.line(surf, s.colour, a, b, self.s(2))
                elif s.dash is not None:
                    for a, b in zip(pts, pts[1:], strict=False):
                        dashed_line(surf, s.colour, a, b, self.s(3), self.s(s.dash[0]), self.s(s.dash[1]))
                else:
                    pygame.draw.lines(surf, s.colour, False, pts, self.s(3))
            marker = self.s(3)
            for x, y in pts:
                if s.dashed:
                    pygame.draw.rect(surf, s.colour, pygame.Rect(x - marker, y - marker, 2 * marker, 2 * marker))
                else:
                    self._point(surf, s, (x, y), marker)
        self.label_rects = []
        if self.labels and self.series:
            # Each note above its point, else below it, where it covers neither a policy's tag
            # nor another note and stays inside the plot; a note with no such place is left to
            # the hover (which names the quarter's stage) rather than drawn over another text.
            first = self.series[0]
            taken = [box for box, _ in self.tags]
            for k, note in self.labels.items():
                if not 0 <= k < len(first.values):
                    continue
                x, y = self._xy(k, first.values[k], n)
                w, h = small.size(note)
                for above in (True, False):
                    box = pygame.Rect(0, 0, w, h)
                    box.centerx = x
                    if k == 0:
                        box.left = x
                    elif k == n - 1:
                        box.right = x
                    if above:
                        box.bottom = y - self.s(13)
                    else:
                        box.top = y + self.s(13)
                    if self.plot.contains(box) and box.collidelist(taken) < 0:
                        tick = (y - self.s(4), y - self.s(12)) if above else (y + self.s(4), y + self.s(12))
                        pygame.draw.line(surf, PALETTE.ink_soft, (x, tick[0]), (x, tick[1]), 1)
                        text(surf, small, note, box.topleft, PALETTE.ink, "topleft")
                        taken.append(box)
                        self.label_rects.append((box, note))
                        break
        return surf

    def ticks(self) -> list[float]:
        """The y axis' ticks: the explicit ones, or the bottom, middle and top."""
        if self.y_ticks is not None:
            return self.y_ticks
        lo, hi = self._bounds()
        return [lo + (hi - lo) * frac for frac in (0.0, 0.5, 1.0)]

    def _point(self, surf: pygame.Surface, s: Series, centre: tuple[float, float], r: int) -> None:
        if s.marker == "circle":
            pygame.draw.circle(surf, s.colour, (int(centre[0]), int(centre[1])), r)
        elif s.marker == "bar":
            pygame.draw.rect(surf, s.colour, pygame.Rect(centre[0] - r - 1, centre[1] - max(1, r // 2), 2 * r + 2, max(2, r)))
        elif s.marker == "cross":
            x, y = centre
            pygame.draw.line(surf, s.colour, (x - r - 1, y - r - 1), (x + r + 1, y + r + 1), max(2, r // 2 + 1))
            pygame.draw.line(surf, s.colour, (x - r - 1, y + r + 1), (x + r + 1, y - r - 1), max(2, r // 2 + 1))
        else:
            shape(surf, s.marker, centre, r + 1, s.colour, s.colour, 1)

    def _legend_swatch(self, surf: pygame.Surface, s: Series, mid_left: tuple[int, int]) -> None:
        x, y = mid_left
        if s.dashed:
            dashed_line(surf, s.colour, (x, y), (x + self.s(20), y), self.s(2), self.s(4), self.s(3))
            pygame.draw.rect(surf, s.colour, pygame.Rect(x + self.s(10) - self.s(3), y - self.s(3), self.s(6), self.s(6)))
        else:
            if s.dash is not None:
                dashed_line(surf, s.colour, (x, y), (x + self.s(20), y), self.s(3), self.s(s.dash[0]), self.s(s.dash[1]))
            else:
                pygame.draw.line(surf, s.colour, (x, y), (x + self.s(20), y), self.s(3))
            self._point(surf, s, (x + self.s(10), y), self.s(3))

    def draw(self, surface: pygame.Surface) -> None:
        if self._surface is None:
            self._surface = self._render()
        surface.blit(self._surface, self.rect)

    def hover(self, pos: tuple[int, int]) -> str | None:
        if not self.rect.collidepoint(pos) or not self.series:
            return None
        n = max(len(s.values) for s in self.series)
        if n == 0:
            return None
        px = pos[0] - self.rect.x - self.plot.x
        k = int(round(px / max(1, self.plot.w) * (n - 1))) if n > 1 else 0
        k = max(0, min(n - 1, k))
        parts = [self.x_long(k)]
        for s in self.series:
            if k < len(s.values):
                parts.append(f"{s.label}: {self.fmt(s.values[k])}")
        parts += [f"┆ {m[2]}" for m in self.markers if m[0] == k and m[2]]
        return "\n".join(parts)


def draw_sample(surface: pygame.Surface, s: Series, rect: pygame.Rect, scale: float) -> None:
    """A legend's sample of a series: its line pattern and point shape, in its colour."""
    chart = LineChart(rect, "", [s], str, None, scale, str)
    y = rect.centery
    if s.dash is not None:
        dashed_line(surface, s.colour, (rect.x, y), (rect.right, y), chart.s(3), chart.s(s.dash[0]), chart.s(s.dash[1]))
    else:
        pygame.draw.line(surface, s.colour, (rect.x, y), (rect.right, y), chart.s(3))
    chart._point(surface, s, (rect.centerx, y), chart.s(4))


def quarter_labels(tr: Callable[..., str], hist: Sequence[dict], start_year: int) -> tuple[Callable[[int], str], Callable[[int], str]]:
    """Short ("T3") and long ("T3 · 2017") labels for the k-th point of a history."""

    def quarter(k: int) -> int:
        return int(hist[k]["quarter"]) if k < len(hist) else k + 1

    def short(k: int) -> str:
        return tr("ui.end.quarter_short", quarter=quarter(k))

    def long(k: int) -> str:
        q = quarter(k)
        return tr("ui.end.quarter_long", quarter=q, year=str(start_year + (q - 1) // 4))

    return short, long
