"""Line charts over the quarters (end screen, debrief): cash, capabilities, tier, contracts, local share.

Drawn once into a surface; hovering gives the value of the nearest quarter.
Optional markers draw a dotted vertical line at a quarter (an event, a policy
switch, the first quarter a what-if path differs), named in the hover text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from game.ui.theme import PALETTE
from game.ui.widgets.draw import dashed_line, text


@dataclass
class Series:
    label: str
    values: Sequence[float]
    colour: tuple[int, int, int]
    dashed: bool = False


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
        markers: list[tuple[int, tuple[int, int, int], str]] | None = None,
        legend: bool = True,
        labels: dict[int, str] | None = None,
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
        self.markers = markers or []
        """(index of the quarter, colour, name): dotted vertical lines."""
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
        ticks = [lo + (hi - lo) * frac for frac in (0.0, 0.5, 1.0)]
        left = self.s(8) + max(small.size(self.fmt(v))[0] for v in ticks) + self.s(6)
        self.plot = pygame.Rect(left, self.s(34), w - left - self.s(16), h - self.s(34) - self.s(26))
        for frac in (0.0, 0.5, 1.0):
            v = lo + (hi - lo) * frac
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
        for k, colour, _ in self.markers:
            if 0 <= k < n:
                x, _y = self._xy(k, lo, n)
                dashed_line(surf, colour, (x, self.plot.y), (x, self.plot.bottom), max(1, self.s(2)), self.s(3), self.s(4))
        for s in self.series:
            pts = [self._xy(k, v, n) for k, v in enumerate(s.values)]
            if len(pts) >= 2:
                if s.dashed:
                    for a, b in zip(pts, pts[1:], strict=False):
                        pygame.draw.line(surf, s.colour, a, b, self.s(2))
                else:
                    pygame.draw.lines(surf, s.colour, False, pts, self.s(3))
            marker = self.s(3)
            for x, y in pts:
                if s.dashed:
                    pygame.draw.rect(surf, s.colour, pygame.Rect(x - marker, y - marker, 2 * marker, 2 * marker))
                else:
                    pygame.draw.circle(surf, s.colour, (int(x), int(y)), marker)
        if self.labels and self.series:
            first = self.series[0]
            for k, note in self.labels.items():
                if 0 <= k < len(first.values):
                    x, y = self._xy(k, first.values[k], n)
                    pygame.draw.line(surf, PALETTE.ink_soft, (x, y - self.s(4)), (x, y - self.s(12)), 1)
                    anchor = "bottomleft" if k == 0 else ("bottomright" if k == n - 1 else "midbottom")
                    text(surf, small, note, (x, y - self.s(13)), PALETTE.ink, anchor)
        if len(self.series) > 1 and self.legend:
            x = self.plot.x + self.s(4)
            for s in self.series:
                pygame.draw.line(surf, s.colour, (x, self.plot.y + self.s(8)), (x + self.s(16), self.plot.y + self.s(8)), self.s(3))
                r = text(surf, small, s.label, (x + self.s(20), self.plot.y + self.s(8)), PALETTE.ink, "midleft")
                x = r.right + self.s(12)
        return surf

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
        parts += [f"┆ {name}" for j, _, name in self.markers if j == k and name]
        return "\n".join(parts)


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
