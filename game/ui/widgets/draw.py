"""Small drawing helpers shared by the map and the charts."""

from __future__ import annotations

import math

import pygame


def dashed_line(surface: pygame.Surface, colour, a, b, width: int = 1, dash: int = 8, gap: int = 6) -> None:  # noqa: ANN001
    x1, y1 = a
    x2, y2 = b
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 1:
        return
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    pos = 0.0
    while pos < length:
        end = min(pos + dash, length)
        pygame.draw.line(surface, colour, (x1 + dx * pos, y1 + dy * pos), (x1 + dx * end, y1 + dy * end), width)
        pos = end + gap


def shape(surface: pygame.Surface, kind: str, centre, r: float, fill, outline=(26, 26, 26), width: int = 1) -> None:  # noqa: ANN001
    """Shapes that tell node kinds apart without colour: square, circle, diamond, triangle, hexagon."""
    x, y = centre
    if kind == "square":
        rect = pygame.Rect(0, 0, 2 * r, 2 * r)
        rect.center = (int(x), int(y))
        pygame.draw.rect(surface, fill, rect, border_radius=max(1, int(r / 4)))
        pygame.draw.rect(surface, outline, rect, width, border_radius=max(1, int(r / 4)))
        return
    if kind == "circle":
        pygame.draw.circle(surface, fill, (int(x), int(y)), int(r))
        pygame.draw.circle(surface, outline, (int(x), int(y)), int(r), width)
        return
    if kind == "diamond":
        pts = [(x, y - r * 1.2), (x + r * 1.2, y), (x, y + r * 1.2), (x - r * 1.2, y)]
    elif kind == "triangle":
        pts = [(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
    elif kind == "hexagon":
        pts = [(x + r * 1.1 * math.cos(math.pi / 3 * k), y + r * 1.1 * math.sin(math.pi / 3 * k)) for k in range(6)]
    else:  # pentagon
        pts = [(x + r * 1.15 * math.cos(-math.pi / 2 + 2 * math.pi / 5 * k), y + r * 1.15 * math.sin(-math.pi / 2 + 2 * math.pi / 5 * k)) for k in range(5)]
    pygame.draw.polygon(surface, fill, pts)
    pygame.draw.polygon(surface, outline, pts, width)


def ellipsize(font, text: str, width: int) -> str:  # noqa: ANN001
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


def text(surface: pygame.Surface, font, s: str, pos, colour, anchor: str = "topleft", width: int | None = None) -> pygame.Rect:  # noqa: ANN001
    if width is not None:
        s = ellipsize(font, s, width)
    img = font.render(s, True, colour)
    rect = img.get_rect(**{anchor: (int(pos[0]), int(pos[1]))})
    surface.blit(img, rect)
    return rect


def wrapped(surface: pygame.Surface, font, s: str, pos, colour, width: int, max_lines: int = 2, align: str = "center") -> int:  # noqa: ANN001
    """Text wrapped to ``width`` in at most ``max_lines`` lines (the last one ellipsized); returns its height.

    ``pos`` is the top-centre (align="center") or the top-left (align="left") of the block.
    """
    words = s.split()
    lines: list[str] = []
    line = ""
    for word in words:
        probe = f"{line} {word}".strip()
        if font.size(probe)[0] <= width or not line:
            line = probe
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
    y = pos[1]
    for ln in lines:
        ln = ellipsize(font, ln, width)
        img = font.render(ln, True, colour)
        rect = img.get_rect(midtop=(int(pos[0]), int(y))) if align == "center" else img.get_rect(topleft=(int(pos[0]), int(y)))
        surface.blit(img, rect)
        y += font.get_linesize()
    return int(y - pos[1])
