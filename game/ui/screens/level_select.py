"""Level choice with the scenario briefing: place, lead firms, what is asked, objective, length."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

import pygame

from game.core.level_loader import LevelError, LoadedLevel, load_level, shipped_levels
from game.models.views import condition_text
from game.ui.nav import STAY, Nav, Push, Setup
from game.ui.screens.base import Callback, Screen
from game.ui.screens.parts import bottom_bar

if TYPE_CHECKING:
    from game.ui.context import Context


@cache
def _shipped() -> tuple[LoadedLevel, ...]:
    out = []
    for path in shipped_levels():
        try:
            out.append(load_level(path))
        except LevelError:
            continue
    out.sort(key=lambda lv: (lv.level.id != "tutorial", lv.level.id))
    return tuple(out)


def shipped() -> tuple[LoadedLevel, ...]:
    return _shipped()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def origin_label(tr, origin: str) -> str:  # noqa: ANN001
    key = f"ui.country.{slug(origin)}"
    text = tr(key)
    return origin if text == key else text


def sector_label(tr, sector: str) -> str:  # noqa: ANN001
    key = f"ui.sector.{slug(sector)}"
    text = tr(key)
    return sector if text == key else text


def briefing_html(tr, loaded: LoadedLevel) -> str:  # noqa: ANN001
    lv = loaded.level
    parts = [f"<b>{tr.html(tr.level_text(lv.title))}</b>"]
    parts.append(f"<b>{tr.html(tr('ui.briefing.place'))}</b> {tr.html(tr.level_text(lv.place))}")
    parts.append(tr.linked(tr.level_text(lv.briefing)))
    leads = []
    for lf in lv.lead_firms:
        tier1 = ", ".join(
            tr.level_text(s.name) + (f" ({tr('ui.map.follow_source')})" if s.follow_source else f" ({tr('ui.map.local_tier1')})")
            for s in lf.tier1_suppliers
        )
        line = tr("ui.briefing.lead_firm", name=tr.level_text(lf.name), origin=origin_label(tr, lf.origin), sector=sector_label(tr, lf.sector))
        if lf.arrives_quarter > 1:
            line += " " + tr("ui.briefing.arrives", quarter=lf.arrives_quarter)
        if tier1:
            line += " " + tr("ui.briefing.tier1", suppliers=tier1)
        leads.append("• " + tr.linked(line))
    parts.append(f"<b>{tr.html(tr('ui.briefing.lead_firms'))}</b><br>" + "<br>".join(leads))
    asked = []
    for lf in lv.lead_firms:
        for key in sorted(lf.requirements, key=lambda k: k.value):
            req = lf.requirements[key]
            names = {c.id: tr.level_text(c.name) for c in lv.certifications}
            certs = ", ".join(names.get(c, c) for c in req.certifications) or tr("ui.common.none")
            asked.append("• " + tr.html(tr("ui.briefing.requirement", lead=tr.level_text(lf.name), tier=tr.tier(key.value), quality=tr.pct(req.quality), delivery=tr.pct(req.delivery), certifications=certs)))
    if asked:
        parts.append(f"<b>{tr.html(tr('ui.briefing.asked'))}</b><br>" + "<br>".join(asked))
    conds = "<br>".join("• " + tr.html(condition_text(tr, lv, c)) for c in lv.objective.conditions)
    solvent = ("<br>• " + tr.html(tr("ui.objective.stay_solvent"))) if lv.objective.stay_solvent else ""
    parts.append(f"<b>{tr.html(tr('ui.briefing.objective'))}</b> {tr.linked(tr.level_text(lv.objective.description))}<br>{conds}{solvent}")
    parts.append(f"<b>{tr.html(tr('ui.briefing.length'))}</b> {tr.html(tr('ui.briefing.length_value', turns=lv.turns, year=str(lv.start_year), smes=lv.computer_smes.count))}")
    return "<br><br>".join(parts)


class LevelSelectScreen(Screen):
    name = "level_select"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.levels = shipped()
        self.selected = 0

    def build(self) -> None:
        tr = self.tr
        box = self.box().pad(20)
        self.heading(box.top(40, 10), tr("ui.levels.title"))
        bottom = box.bottom(50, 12)
        left = box.left(340, 16)
        bh, gap = self.s(56), self.s(8)
        y = left.y
        for k, loaded in enumerate(self.levels):
            title = tr.level_text(loaded.level.title)
            short = title.split(":")[0].strip()
            self.row_button(pygame.Rect(left.x, y, left.w, bh), short, tr("ui.levels.row_turns", turns=loaded.level.turns), self._pick(k), selected=k == self.selected, tooltip=title)
            y += bh + gap
        self.document(box.rect, briefing_html(tr, self.levels[self.selected]) if self.levels else "")
        bottom_bar(self, bottom, ("ui.levels.choose", self.choose))

    def _pick(self, k: int) -> Callback:
        def pick() -> None:
            self.selected = k
            self.rebuild()

        return pick

    def on_key(self, event: pygame.event.Event) -> Nav | None:
        if event.key in (pygame.K_UP, pygame.K_DOWN) and self.levels:
            self.selected = (self.selected + (1 if event.key == pygame.K_DOWN else -1)) % len(self.levels)
            self.rebuild()
            return STAY
        return None

    def on_command(self, command: str) -> Nav | None:
        if command == "confirm":
            return self.choose() or STAY
        return None

    def choose(self) -> Nav | None:
        if self.levels:
            return Push(Setup(self.levels[self.selected]))
        return None

