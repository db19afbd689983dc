"""Pieces several screens share: the bottom bar, the console button, the workshop clock,
team colour bands, explanation cards and short figures for chart axes.

Screens import these from here, never from another screen (only
:mod:`game.ui.routing` imports screens).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame

from game.ui.nav import Nav, Pin, Pop, Push
from game.ui.screens.base import Callback, Pane, S, Screen
from game.ui.theme import PALETTE
from game.ui.workshop import clock_text, ink_on

if TYPE_CHECKING:
    from game.ui.session import Session
    from game.ui.texts import Tr

FAMILY_TERMS = {"internal": "barrier_internal", "external": "barrier_external", "mixed": "barrier_mixed"}


def card_html(tr: Any, e: Any, level: Any) -> tuple[str, str]:
    """(html, tone) of one explanation card: the family or lever named and linked, then why."""
    body = tr.explain(dataclasses.replace(e, family=None, lever=None), level)
    head = []
    if e.family:
        head.append(f"<a href='glossary:{FAMILY_TERMS.get(e.family, 'levers')}'>{tr.html(tr(f'family.{e.family}'))}</a>")
    if e.lever:
        head.append(f"<a href='glossary:levers'>{tr.html(tr('ui.report.lever', lever=tr(f'lever.{e.lever}')))}</a>")
    mark = {"good": "▲", "bad": "▼"}.get(e.tone, "●")
    title = " · ".join(head) if head else tr.html(tr(f"ui.report.tone.{e.tone}" if e.tone in ("good", "bad") else "ui.report.tone.info"))
    return f"<b>{mark} {title}</b><br>{tr.linked(body)}", e.tone


def bottom_bar(screen: Screen, rect: pygame.Rect, primary: tuple[str, Callback] | None = None, back: bool = True) -> None:
    """Back on the left; the main action and the glossary on the right (the same on every screen)."""
    tr = screen.tr
    if back:
        screen.button(pygame.Rect(rect.x, rect.y, screen.button_width(tr("ui.common.back"), "back", minimum=200), rect.h), tr("ui.common.back"), Pop, command="back")
    gw = screen.button_width(tr("ui.common.glossary"), "glossary", minimum=160)
    screen.glossary_button(pygame.Rect(rect.right - gw, rect.y, gw, rect.h))
    if primary is not None:
        key, callback = primary
        pw = screen.button_width(tr(key), "confirm", "#primary", minimum=260)
        btn = screen.button(pygame.Rect(rect.right - gw - screen.s(12) - pw, rect.y, pw, rect.h), tr(key), callback, object_id="#primary", command="confirm")
        screen.targets["continue"] = btn


def console_button(screen: Screen, rect: pygame.Rect, container: Any = None) -> Any:
    """The small "Facilitation (F9)" button every team screen carries (``rect.w`` 0: as wide as its label)."""
    tr = screen.tr
    w = rect.w or screen.button_width(tr("ui.workshop.console_button"), "console", minimum=150)
    btn = screen.button(pygame.Rect(rect.x, rect.y, w, rect.h), tr("ui.workshop.console_button"), open_console, command="console", tooltip=tr("ui.tip.console"), focus=False, container=container)
    screen.targets["console"] = btn
    return btn


def open_console() -> Nav:
    """F9 or the console button in a workshop: the facilitator's console, behind its PIN."""
    return Push(Pin())


class ClockScreen(Screen):
    """A screen with a label showing the workshop's timer, kept up to date once a second."""

    clock_label: Any = None

    def clock_string(self) -> str:
        session = self.ctx.session
        return clock_text(self.tr, session.workshop if session is not None else None)

    def wants_redraw(self) -> bool:
        lab = self.clock_label
        return lab is not None and lab.alive() and lab.text != self.clock_string()

    def tick_clock(self) -> None:
        lab = self.clock_label
        if lab is None or not lab.alive():
            return
        text = self.clock_string()
        if lab.text != text:
            lab.set_text(text)
            ws = self.session.workshop
            if ws is not None and ws.time_up() and ws.time_up_told != (ws.timer_quarter, ws.timer_team):
                ws.time_up_told = (ws.timer_quarter, ws.timer_team)
                self.ctx.notify(self.tr("ui.workshop.time_up_toast"), "bad")


TAB_COMMANDS = ("tab.map", "tab.firm", "tab.decisions", "tab.calls")
"""The quarter screen's tab keys (1-4), which open a sectioned screen's sections in order."""


class SectionedScreen(Screen):
    """A screen of sections (the debrief, the facilitator's console): a row of section buttons
    like the quarter screen's tabs, numbered and opened with the same keys."""

    SECTIONS: tuple[str, ...] = ()
    SECTION_TEXT = ""
    """The sections' button texts: ``<SECTION_TEXT><name>`` (a prefix ending in a dot)."""
    SECTION_TIP = ""
    """Their tips: ``<SECTION_TIP><name>``."""
    section = ""

    def section_tabs(self, rect: pygame.Rect) -> None:
        """The section buttons across ``rect``, widened evenly to fill it; the open one selected."""
        tr = self.tr
        font = self.manager.get_theme().get_font(["@tab"])
        gap = self.s(6)
        labels = [f"{k + 1} {tr(self.SECTION_TEXT + name)}" for k, name in enumerate(self.SECTIONS)]
        widths = [font.size(t)[0] + self.s(30) for t in labels]
        extra = max(0, (rect.w - sum(widths) - gap * (len(self.SECTIONS) - 1)) // len(self.SECTIONS))
        x = rect.x
        for name, label, w in zip(self.SECTIONS, labels, widths, strict=True):
            btn = self.button(pygame.Rect(x, rect.y, w + extra, rect.h), label, self.open_section(name), class_id="@tab", object_id="#selected" if name == self.section else None, tooltip=tr(self.SECTION_TIP + name))
            self.targets[f"section:{name}"] = btn
            x += w + extra + gap

    def open_section(self, name: str) -> Callback:
        def open_it() -> None:
            self.section = name
            self.rebuild()

        return open_it

    def section_of_command(self, command: str) -> str | None:
        """The section a tab key (1-4) opens, if ``command`` is one."""
        return dict(zip(TAB_COMMANDS, self.SECTIONS, strict=False)).get(command)


class Section(Pane[S]):
    """One section of a sectioned screen (like a tab of the quarter screen); it lives as long
    as the screen, so what it remembers survives rebuilds."""

    name = "section"

    def build(self, rect: pygame.Rect) -> None:
        """Create the section's widgets in ``rect``."""


def team_band(screen: Screen, surface: pygame.Surface, rect: pygame.Rect, team: int, number: bool = True) -> None:
    """A team's colour swatch (with its number, in black or white to read on it)."""
    session = screen.ctx.session
    ws = session.workshop if session is not None else None
    if ws is None:
        return
    rgb = ws.rgb(team)
    pygame.draw.rect(surface, rgb, rect, border_radius=screen.s(4))
    pygame.draw.rect(surface, PALETTE.ink, rect, 1, border_radius=screen.s(4))
    if number:
        font = screen.ctx.fonts.get(15, bold=True)
        img = font.render(str(team + 1), True, ink_on(rgb))
        surface.blit(img, img.get_rect(center=rect.center))


def short_money(tr: Any, v: float) -> str:
    if abs(v) >= 1_000_000:
        return tr("ui.end.millions", value=f"{v / 1_000_000:.1f}")
    if abs(v) >= 1_000:
        return tr("ui.end.thousands", value=f"{v / 1_000:.0f}")
    return tr.money(v)


def whole_ticks(top: int) -> tuple[int, list[float]]:
    """An axis of whole numbers from 0 reaching past ``top``: (its top, at most six ticks)."""
    step = max(1, -(-max(2, top + 1) // 5))
    end = step * max(2, -(-(top + 1) // step))
    return end, [float(v) for v in range(0, end + 1, step)]


ChartSpec = tuple[str, list[Any], Any, "tuple[float, float] | None", bool, "list[float] | None"]
"""A chart of a firm's path: (title, series, value format, y range, upside down, y ticks)."""


def firm_charts(tr: Any, cash: list[Any], caps: list[Any], tier: list[Any], contracts: list[Any]) -> list[ChartSpec]:
    """The four charts of firms' paths the end screen and the debrief both draw, each
    axis fitting its quantity: cash as it comes, capabilities 0-100%, whole tiers (tier 1
    on top), whole contracts from 0. Each argument is a list of Series (a firm each)."""
    top_contracts = int(max((v for s in contracts for v in s.values), default=0))
    contract_top, contract_ticks = whole_ticks(top_contracts)
    return [
        (tr("ui.end.chart.cash"), cash, lambda v: short_money(tr, v), None, False, None),
        (tr("ui.end.chart.capabilities"), caps, tr.pct, (0.0, 1.0), False, [0.0, 0.25, 0.5, 0.75, 1.0]),
        (tr("ui.end.chart.tier"), tier, lambda v: tier_tick(tr, v), (1.0, 4.0), True, [1.0, 2.0, 3.0, 4.0]),
        (tr("ui.end.chart.contracts"), contracts, lambda v: tr.num(round(v)), (0.0, float(contract_top)), False, contract_ticks),
    ]


def tier_tick(tr: Any, v: float) -> str:
    t = int(round(v))
    return tr("ui.end.tier_tick", n=t) if t < 4 else tr("ui.end.tier_none")


def export_to_user_folder(session: Session | None, tr: Tr) -> tuple[Path | None, str | None]:
    """Export the session into the user folder (the debrief's and the console's button):
    (folder, None) or (None, why not)."""
    from game.core.replay import ReplayError
    from game.models.debrief import NothingToExport, export_into
    from game.ui import paths

    try:
        return export_into(session, paths.user_dir(), paths.replays_dir(), tr.lang), None
    except NothingToExport:
        return None, tr("ui.debrief.nothing_to_export")
    except (OSError, ReplayError, ValueError) as exc:
        return None, str(exc)
