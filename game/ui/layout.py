"""Rectangle cutting for layouts that scale (in the spirit of "rectcut").

Screens lay themselves out from the window rectangle by cutting strips off
its sides, in design pixels multiplied by the current scale, so the same
code gives a 1280x720, a 1920x1080 or a resized window.
"""

from __future__ import annotations

from typing import Any

import pygame


class Box:
    """A rectangle that hands out strips of itself."""

    def __init__(self, rect: pygame.Rect, scale: float = 1.0):
        self.rect = pygame.Rect(rect)
        self.scale = scale

    def s(self, value: float) -> int:
        return max(0, int(round(value * self.scale)))

    def top(self, h: float, gap: float = 0) -> pygame.Rect:
        h, g = self.s(h), self.s(gap)
        out = pygame.Rect(self.rect.x, self.rect.y, self.rect.w, min(h, self.rect.h))
        self.rect.y += h + g
        self.rect.h = max(0, self.rect.h - h - g)
        return out

    def bottom(self, h: float, gap: float = 0) -> pygame.Rect:
        h, g = self.s(h), self.s(gap)
        out = pygame.Rect(self.rect.x, self.rect.bottom - h, self.rect.w, min(h, self.rect.h))
        self.rect.h = max(0, self.rect.h - h - g)
        return out

    def left(self, w: float, gap: float = 0) -> pygame.Rect:
        w, g = self.s(w), self.s(gap)
        out = pygame.Rect(self.rect.x, self.rect.y, min(w, self.rect.w), self.rect.h)
        self.rect.x += w + g
        self.rect.w = max(0, self.rect.w - w - g)
        return out

    def right(self, w: float, gap: float = 0) -> pygame.Rect:
        w, g = self.s(w), self.s(gap)
        out = pygame.Rect(self.rect.right - w, self.rect.y, min(w, self.rect.w), self.rect.h)
        self.rect.w = max(0, self.rect.w - w - g)
        return out

    def left_frac(self, frac: float, gap: float = 0) -> pygame.Rect:
        return self.left(self.rect.w * frac / self.scale if self.scale else 0, gap)

    def pad(self, amount: float) -> Box:
        p = self.s(amount)
        self.rect = self.rect.inflate(-2 * p, -2 * p)
        return self

    def child(self) -> Box:
        return Box(self.rect, self.scale)


def columns(rect: pygame.Rect, n: int, gap: int) -> list[pygame.Rect]:
    """``n`` equal columns across ``rect`` separated by ``gap`` pixels."""
    w = (rect.w - gap * (n - 1)) / n
    return [pygame.Rect(int(rect.x + k * (w + gap)), rect.y, int(w), rect.h) for k in range(n)]


def rows(rect: pygame.Rect, n: int, gap: int) -> list[pygame.Rect]:
    h = (rect.h - gap * (n - 1)) / n
    return [pygame.Rect(rect.x, int(rect.y + k * (h + gap)), rect.w, int(h)) for k in range(n)]


def wrap(text: str, font: Any, width: int) -> list[str]:
    """Greedy word wrap for drawn text (tooltips, map labels)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            probe = f"{line} {word}".strip()
            if font.size(probe)[0] <= width or not line:
                line = probe
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines
