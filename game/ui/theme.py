"""The theme: colours, fonts and sizes, scaled to the window and the UI-scale setting.

``assets/ui/theme.json`` is the one theme file. Its font sizes are for a
1280x720 window at UI scale 1; :func:`scale_for` gives the factor for the
current window, :func:`theme_dict` a copy with sizes scaled and font paths
resolved, ready for ``pygame_gui.UIManager``. Custom drawing (the map, the
charts) uses the same palette and fonts through :class:`Fonts`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
THEME_PATH = ROOT / "assets" / "ui" / "theme.json"
BASE_SIZE = (1280, 720)
FONT_NAME = "dejavu"

Colour = tuple[int, int, int]


@cache
def _raw() -> dict[str, Any]:
    return json.loads(THEME_PATH.read_text(encoding="utf-8"))


def hex_colour(text: str) -> Colour:
    text = text.lstrip("#")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


@dataclass(frozen=True)
class Palette:
    """Named colours of the theme as RGB tuples (``PALETTE.good``), from the theme file's
    ``_palette`` table, which must name exactly these fields."""

    bg: Colour
    panel: Colour
    panel_alt: Colour
    ink: Colour
    ink_soft: Colour
    border: Colour
    accent: Colour
    accent_dark: Colour
    good: Colour
    good_fill: Colour
    bad: Colour
    bad_fill: Colour
    warn: Colour
    info: Colour
    purple: Colour
    yellow: Colour
    focus: Colour
    player: Colour
    lead_firm: Colour
    tier1: Colour
    follow_source: Colour
    sme: Colour
    institution: Colour
    grid: Colour

    @classmethod
    def from_table(cls, table: dict[str, str], where: str = "theme.json _palette") -> Palette:
        names = [f.name for f in fields(cls)]
        missing = [n for n in names if n not in table]
        unknown = [n for n in table if n not in names]
        if missing or unknown:
            raise ValueError(f"{where}: missing colours {missing}, unknown colours {unknown}")
        return cls(**{n: hex_colour(table[n]) for n in names})

    def named(self, name: str) -> Colour:
        """A colour by its name in the theme (for tables that map kinds to colour names)."""
        if name not in PALETTE_NAMES:
            raise KeyError(f"no colour {name!r} in the palette")
        value: Colour = getattr(self, name)
        return value


PALETTE_NAMES = frozenset(f.name for f in fields(Palette))
PALETTE = Palette.from_table(_raw()["_palette"])


def font_paths() -> dict[str, str]:
    return {style: str(ROOT / rel) for style, rel in _raw()["_fonts"].items()}


LARGE_WINDOW_GROWTH = 0.5
"""How much of a window's extra size past 1280x720 goes into bigger text and widgets;
the rest is room: a 1920x1080 window draws at 1.25 and lays out 1536x864 design
pixels (more rows, wider columns), rather than the 1280x720 layout blown up 1.5 times."""


def scale_for(size: tuple[int, int], ui_scale: float = 1.0) -> float:
    """How much bigger than the 1280x720 design the UI is drawn.

    A smaller window shrinks everything (down to 0.6); a bigger one grows text and
    widgets by half its extra size (:data:`LARGE_WINDOW_GROWTH`) and gives the screens
    the rest as space of their own.
    """
    w, h = size
    fit = min(w / BASE_SIZE[0], h / BASE_SIZE[1])
    if fit > 1.0:
        fit = 1.0 + (fit - 1.0) * LARGE_WINDOW_GROWTH
    return max(0.6, fit) * ui_scale


def px(value: float, scale: float) -> int:
    return max(1, int(round(value * scale)))


def theme_dict(scale: float) -> dict[str, Any]:
    """The theme for pygame_gui with font sizes scaled and font files resolved."""
    data = copy.deepcopy({k: v for k, v in _raw().items() if not k.startswith("_")})
    paths = font_paths()
    for block in data.values():
        font = block.get("font") if isinstance(block, dict) else None
        if font is not None:
            font["size"] = str(px(float(font["size"]), scale))
            font["regular_path"] = paths["regular"]
            font["bold_path"] = paths["bold"]
            font["italic_path"] = paths["italic"]
            font["bold_italic_path"] = paths["bold_italic"]
        misc = block.get("misc") if isinstance(block, dict) else None
        if misc:
            for key in ("rect_width", "text_horiz_alignment_padding", "text_vert_alignment_padding", "shape_corner_radius"):
                if key in misc:
                    misc[key] = str(px(float(misc[key]), scale))
            if "padding" in misc:
                a, b = (float(v) for v in misc["padding"].split(","))
                misc["padding"] = f"{px(a, scale)},{px(b, scale)}"
    return data


def font_sizes(scale: float) -> list[tuple[int, str]]:
    """Every (size, style) the theme uses at this scale, to preload them."""
    out: set[tuple[int, str]] = set()
    for block in _raw().values():
        font = block.get("font") if isinstance(block, dict) else None
        if font is not None:
            size = px(float(font["size"]), scale)
            style = "bold" if font.get("bold") == "1" else ("italic" if font.get("italic") == "1" else "regular")
            out.add((size, style))
            out.add((size, "bold"))  # HTML <b> and <i> in text boxes
            out.add((size, "italic"))
    return sorted(out)


class Fonts:
    """pygame fonts for custom drawing (map, charts), at a given scale."""

    def __init__(self, scale: float):
        self.scale = scale
        self._cache: dict[tuple[int, bool], Any] = {}

    def get(self, size: float, bold: bool = False):  # noqa: ANN201 - pygame.font.Font
        import pygame

        key = (px(size, self.scale), bold)
        font = self._cache.get(key)
        if font is None:
            paths = font_paths()
            font = pygame.font.Font(paths["bold" if bold else "regular"], key[0])
            self._cache[key] = font
        return font
