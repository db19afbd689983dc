"""Level choice with the scenario briefing: place, lead firms, what is asked, objective, length."""

from __future__ import annotations

import re
from functools import cache

import pygame

from game.core.level_loader import LevelError, LoadedLevel, load_level, shipped_levels
from game.ui.screens.base import Screen


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


def condition_text(tr, level, cond, short: bool = False) -> str:  # noqa: ANN001
    """One objective condition as a sentence (``short``: for the sidebar)."""
    from game.text import level_name

    if short:
        by = tr("ui.objective.by_quarter_short", quarter=cond.by_quarter) if cond.by_quarter else tr("ui.objective.by_end_short")
    else:
        by = tr("ui.objective.by_quarter", quarter=cond.by_quarter) if cond.by_quarter else tr("ui.objective.by_end")
    kind = cond.kind.value if hasattr(cond.kind, "value") else str(cond.kind)
    if kind == "reach_tier":
        what = tr("ui.objective.reach_tier", tier=tier_inline(tr, cond.tier.value))
    elif kind == "hold_certification":
        what = tr("ui.objective.hold_certification", certification=level_name(level, "certification", cond.certification, tr.lang))
    elif kind == "min_cash":
        what = tr("ui.objective.min_cash", amount=tr.money(cond.amount))
    elif kind == "local_share":
        what = tr("ui.objective.local_share", share=tr.pct(cond.amount))
    elif kind == "contracts":
        what = tr("ui.objective.contracts", count=int(cond.amount))
    else:
        what = kind
    return f"{what} ({by})"


def tier_inline(tr, tier) -> str:  # noqa: ANN001
    """A tier's name inside a sentence ("nivel 3" / "tier 3")."""
    label = tr.tier(tier)
    return label[:1].lower() + label[1:]


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


def bottom_bar(screen: Screen, rect: pygame.Rect, primary: tuple[str, object] | None = None, back: bool = True) -> None:
    """Back on the left; the main action and the glossary on the right (the same on every screen)."""
    tr = screen.tr
    if back:
        screen.button(pygame.Rect(rect.x, rect.y, screen.button_width(tr("ui.common.back"), "back", minimum=200), rect.h), tr("ui.common.back"), screen.app.pop, command="back")
    gw = screen.button_width(tr("ui.common.glossary"), "glossary", minimum=160)
    screen.glossary_button(pygame.Rect(rect.right - gw, rect.y, gw, rect.h))
    if primary is not None:
        key, callback = primary
        pw = screen.button_width(tr(key), "confirm", "#primary", minimum=260)
        btn = screen.button(pygame.Rect(rect.right - gw - screen.s(12) - pw, rect.y, pw, rect.h), tr(key), callback, object_id="#primary", command="confirm")
        screen.targets["continue"] = btn


class LevelSelectScreen(Screen):
    name = "level_select"

    def __init__(self, app):  # noqa: ANN001
        super().__init__(app)
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
            text = tr("ui.levels.row", title=short, turns=loaded.level.turns)
            self.button(pygame.Rect(left.x, y, left.w, bh), text, self._pick(k), class_id="@option", object_id="#selected" if k == self.selected else None, tooltip=title)
            y += bh + gap
        self.textbox(box.rect, briefing_html(tr, self.levels[self.selected]) if self.levels else "")
        bottom_bar(self, bottom, ("ui.levels.choose", self.choose))

    def _pick(self, k: int):  # noqa: ANN202
        def pick() -> None:
            self.selected = k
            self.rebuild()

        return pick

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key in (pygame.K_UP, pygame.K_DOWN) and self.levels:
            self.selected = (self.selected + (1 if event.key == pygame.K_DOWN else -1)) % len(self.levels)
            self.rebuild()
            return True
        return False

    def on_command(self, command: str) -> bool:
        if command == "confirm":
            self.choose()
            return True
        return False

    def choose(self) -> None:
        from game.ui.screens.setup import SetupScreen

        if self.levels:
            self.app.push(SetupScreen(self.app, self.levels[self.selected]))

