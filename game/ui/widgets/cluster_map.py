"""The cluster map: lead firms, their tier-1 suppliers, follow-sources, local SMEs,
institutions and the links between them, with the player's firm highlighted and
the cluster's typology stage shown.

Read-only: built from the game state each time the quarter screen is built,
drawn once into a cached surface; hovering a node gives its figures.
Shapes as well as colours tell the kinds apart (colour-blind safe).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pygame

from game.core.state import NO_TIER
from game.core.typology import LIFE_CYCLE, STAGES
from game.ui.theme import PALETTE
from game.ui.widgets.draw import dashed_line, shape, text, wrapped
from game.ui.workshop import ink_on

MAX_SMES_DRAWN = 120
INSTITUTION_SHAPES = {"university": "triangle", "technology_centre": "triangle", "bank": "square", "government": "pentagon", "association": "pentagon"}
INSTITUTION_COLOURS = {"university": "good_fill", "technology_centre": "good_fill", "bank": "yellow", "government": "info", "association": "warn"}


@dataclass
class Node:
    key: str
    kind: str
    pos: tuple[float, float]
    r: float
    tip: str
    label: str = ""
    shape: str = "circle"
    fill: tuple[int, int, int] = (150, 150, 150)
    player: bool = False
    links: list[str] = field(default_factory=list)


class ClusterMap:
    """Builds the nodes and links from the state, draws them, answers hover."""

    def __init__(self, rect: pygame.Rect, session: Any, tr: Any, fonts: Any, scale: float, player: int):
        self.rect = pygame.Rect(rect)
        self.session = session
        self.tr = tr
        self.fonts = fonts
        self.scale = scale
        self.player = player
        self.nodes: dict[str, Node] = {}
        self.edges: list[tuple[str, str, str]] = []
        self.more_smes = 0
        self.legend_h = 0
        self._surface: pygame.Surface | None = None
        self.workshop = getattr(session, "workshop", None)
        """A workshop: teams in their colours, and another team's node shows only public facts."""
        self._layout()

    def s(self, v: float) -> int:
        return max(1, int(round(v * self.scale)))

    # -- model -------------------------------------------------------------------------

    def _layout(self) -> None:
        st, level, tr = self.session.state, self.session.level, self.tr
        f = st.firms
        w, h = self.rect.size
        self.legend_h = self.s(58)
        inst_w = int(w * 0.22)
        area_w = w - inst_w
        top = self.s(64)
        line = self.fonts.get(15).get_linesize()
        # Bands from the top: a caption, the lead firms and their names (two lines),
        # a caption, the tier-1 suppliers and their names (two lines), a caption, the SMEs.
        self.band_y = {"lead": top}
        lead_y = top + line + self.s(22)
        self.band_y["tier1"] = lead_y + self.s(17) + self.s(6) + 2 * self.fonts.get(16, bold=True).get_linesize() + self.s(4)
        t1_y = self.band_y["tier1"] + line + self.s(16)
        self.band_y["local"] = t1_y + self.s(11) + self.s(4) + 2 * line + self.s(6)
        sme_top = self.band_y["local"] + line + self.s(4)
        leads = level.lead_firms
        n_leads = max(1, len(leads))
        slot = area_w / n_leads
        for k, lf in enumerate(leads):
            cx = slot * (k + 0.5)
            active = bool(st.lead_firm_active[k])
            key = f"lead:{lf.id}"
            tip = tr("ui.map.tip.lead_firm", name=tr.level_text(lf.name), share=tr.pct(st.follow_source_share[k]), days=lf.payment_days)
            if not active:
                tip += "\n" + tr("ui.map.tip.not_arrived", quarter=lf.arrives_quarter)
            self.nodes[key] = Node(key, "lead", (cx, lead_y), self.s(17), tip, tr.level_text(lf.name), "square", PALETTE.lead_firm if active else PALETTE.panel_alt)
            subs = lf.tier1_suppliers
            for j, sup in enumerate(subs):
                sx = cx + (j - (len(subs) - 1) / 2) * min(slot / max(len(subs), 1), self.s(150))
                skey = f"t1:{sup.id}"
                kind = "follow" if sup.follow_source else "tier1"
                tip = tr("ui.map.tip.follow_source" if sup.follow_source else "ui.map.tip.tier1", name=tr.level_text(sup.name), lead=tr.level_text(lf.name))
                self.nodes[skey] = Node(skey, kind, (sx, t1_y), self.s(11), tip, tr.level_text(sup.name), "hexagon" if sup.follow_source else "circle", PALETTE.follow_source if sup.follow_source else PALETTE.tier1)
                self.edges.append(("supply", skey, key))
        # Institutions: a column on the right.
        insts = level.institutions
        for k, inst in enumerate(insts):
            inst_top = top + line + self.s(6)
            y = inst_top + (h - self.legend_h - inst_top) * (k + 0.5) / max(1, len(insts))
            kind = inst.kind.value if hasattr(inst.kind, "value") else str(inst.kind)
            key = f"inst:{inst.id}"
            tip = tr("ui.map.tip.institution", name=tr.level_text(inst.name), kind=tr(f"ui.institution.{kind}"))
            if inst.setup_cost or inst.fee_per_quarter:
                tip += "\n" + tr("ui.map.tip.institution_costs", setup=tr.money(inst.setup_cost), fee=tr.money(inst.fee_per_quarter))
            self.nodes[key] = Node(key, "institution", (area_w + inst_w * 0.16, y), self.s(10), tip, tr.level_text(inst.name), INSTITUTION_SHAPES.get(kind, "circle"), PALETTE.named(INSTITUTION_COLOURS.get(kind, "institution")))
        # Local SMEs: players first, then firms in the chain, then the rest.
        alive = f.alive
        order = list(range(st.players))
        in_chain = [i for i in range(st.players, len(f)) if f.tier[i] < NO_TIER]
        rest = [i for i in range(st.players, len(f)) if f.tier[i] >= NO_TIER]
        drawn = (order + in_chain + rest)[:MAX_SMES_DRAWN]
        self.more_smes = len(f) - len(drawn)
        rows_h = h - self.legend_h - sme_top - self.s(8)
        n = max(1, len(drawn))
        cell = self.s(64)
        while cell > self.s(12):
            cols = max(1, int(area_w // cell))
            if math.ceil(n / cols) * cell <= rows_h:
                break
            cell -= self.s(2)
        cols = max(1, min(n, int(area_w // cell)))
        n_rows = math.ceil(n / cols)
        cell_w = cell
        cell_h = min(cell, rows_h / max(1, n_rows))
        x0 = (area_w - cols * cell_w) / 2
        self.cell = cell
        max_emp = max(1, int(f.employees.max()))
        for slot_k, i in enumerate(drawn):
            r_ = slot_k // cols
            c_ = slot_k % cols
            x = x0 + cell_w * (c_ + 0.5)
            y = sme_top + cell_h * (r_ + 0.5)
            is_player = i < st.players
            big = min(1.0, cell / self.s(44))
            r = self.s(14) * max(0.7, big) if is_player else self.s(4 + 7 * big * math.sqrt(float(f.employees[i]) / max_emp))
            fill = PALETTE.player if is_player else (PALETTE.good_fill if f.tier[i] < NO_TIER else PALETTE.sme)
            if is_player and self.workshop is not None:
                fill = self.workshop.rgb(i)
            if not alive[i]:
                fill = PALETTE.panel_alt
            key = f"firm:{i}"
            self.nodes[key] = Node(key, "sme", (x, y), r, self._firm_tip(i), f.names[i] if is_player else "", "circle", fill, player=is_player)
        for c in st.contracts:
            if not c.active:
                continue
            target = f"t1:{c.issuer}" if f"t1:{c.issuer}" in self.nodes else f"lead:{c.lead_firm}"
            for m in c.members:
                if f"firm:{m}" in self.nodes:
                    self.edges.append(("contract", f"firm:{m}", target))
            if c.subcontractor >= 0 and c.members and f"firm:{c.subcontractor}" in self.nodes and f"firm:{c.members[0]}" in self.nodes:
                self.edges.append(("subcontract", f"firm:{c.members[0]}", f"firm:{c.subcontractor}"))
        for cons in st.consortia:
            if not cons.active:
                continue
            members = [m for m in cons.members if f"firm:{m}" in self.nodes]
            for a, b in zip(members, members[1:], strict=False):
                self.edges.append(("consortium", f"firm:{a}", f"firm:{b}"))
        for i in drawn:
            u = int(f.university[i])
            if u >= 0:
                self.edges.append(("university", f"firm:{i}", f"inst:{level.institutions[u].id}"))
            if f.association[i]:
                assoc = next((inst for inst in level.institutions if str(getattr(inst.kind, "value", inst.kind)) == "association"), None)
                if assoc is not None:
                    self.edges.append(("association", f"firm:{i}", f"inst:{assoc.id}"))

    def _firm_tip(self, i: int) -> str:
        st, tr = self.session.state, self.tr
        f = st.firms
        if self.workshop is not None and i < st.players and i != self.player:
            return self._public_tip(i)
        contracts = sum(1 for c in st.contracts if c.active and i in c.members)
        lines = [f.names[i] + (f" ({tr('ui.map.you')})" if i == self.player else "")]
        if not f.alive[i]:
            lines.append(tr("ui.map.tip.bankrupt"))
        lines.append(tr("ui.map.tip.firm", employees=int(f.employees[i]), tier=tr.tier(int(f.tier[i])), contracts=contracts))
        links = []
        if f.consortium[i] >= 0:
            links.append(tr("ui.map.legend.consortium"))
        if f.university[i] >= 0:
            links.append(tr("ui.map.legend.university"))
        if f.association[i]:
            links.append(tr("ui.map.legend.association"))
        if links:
            lines.append(tr("ui.map.tip.links", links=", ".join(links)))
        return "\n".join(lines)

    def _public_tip(self, i: int) -> str:
        """Another team in a workshop: its name, colour, place in the chain and consortium only."""
        st, tr = self.session.state, self.tr
        f = st.firms
        colour = tr(f"ui.colour.{self.workshop.colour_index(i)}") if self.workshop is not None else ""
        lines = [tr("ui.map.tip.team", name=f.names[i], colour=colour)]
        if not f.alive[i]:
            lines.append(tr("ui.map.tip.bankrupt"))
        lines.append(tr("ui.map.tip.team_tier", tier=int(f.tier[i])))
        c = int(f.consortium[i])
        if c >= 0 and c < len(st.consortia):
            lines.append(tr("ui.map.tip.team_consortium", name=st.consortia[c].name))
        return "\n".join(lines)

    def texts(self) -> list[str]:
        """Every text the map draws or shows on hover."""
        return [t for node in self.nodes.values() for t in (node.label, node.tip) if t]

    # -- drawing -------------------------------------------------------------------------

    def surface(self) -> pygame.Surface:
        if self._surface is None:
            self._surface = self._render()
        return self._surface

    def _render(self) -> pygame.Surface:
        tr = self.tr
        w, h = self.rect.size
        surf = pygame.Surface((w, h))
        surf.fill(PALETTE.panel)
        pygame.draw.rect(surf, PALETTE.grid, surf.get_rect(), 1)
        inst_x = int(w * 0.78)
        pygame.draw.line(surf, PALETTE.grid, (inst_x, self.s(60)), (inst_x, h - self.legend_h), 1)
        small = self.fonts.get(15)
        label_font = self.fonts.get(16, bold=True)
        self._draw_stage(surf)
        text(surf, small, tr("ui.map.band.lead_firms"), (self.s(8), self.band_y["lead"]), PALETTE.ink_soft)
        text(surf, small, tr("ui.map.band.tier1"), (self.s(8), self.band_y["tier1"]), PALETTE.ink_soft)
        caption = tr("ui.map.band.local")
        r = text(surf, small, caption, (self.s(8), self.band_y["local"]), PALETTE.ink_soft)
        players = [n for n in self.nodes.values() if n.player]
        if players:
            me = self.nodes.get(f"firm:{self.player}")
            who = tr("ui.map.you_are", name=me.label) if me is not None else ""
            shape(surf, "circle", (r.right + self.s(16), r.centery), self.s(6), PALETTE.player, PALETTE.ink, 1)
            text(surf, label_font, who, (r.right + self.s(28), r.centery), PALETTE.bad, "midleft", width=inst_x - r.right - self.s(40))
        if self.more_smes > 0:
            text(surf, small, tr("ui.map.more_smes", count=self.more_smes), (inst_x - self.s(8), h - self.legend_h - self.s(4)), PALETTE.ink_soft, "bottomright")
        text(surf, small, tr("ui.map.band.institutions"), (inst_x + self.s(8), self.band_y["lead"]), PALETTE.ink_soft)
        styles = {
            "supply": (PALETTE.grid, 2, "solid"),
            "contract": (PALETTE.accent_dark, 2, "solid"),
            "subcontract": (PALETTE.purple, 3, "dash"),
            "consortium": (PALETTE.warn, 3, "dash"),
            "university": (PALETTE.good_fill, 1, "dash"),
            "association": ((233, 200, 140), 1, "solid"),
        }
        for kind in ("association", "supply", "university", "contract", "consortium", "subcontract"):
            colour, width, style = styles[kind]
            for k, a, b in self.edges:
                if k != kind:
                    continue
                pa, pb = self.nodes[a].pos, self.nodes[b].pos
                if style == "dash":
                    dashed_line(surf, colour, pa, pb, self.s(width), self.s(7), self.s(5))
                else:
                    pygame.draw.line(surf, colour, pa, pb, self.s(width))
        for node in self.nodes.values():
            shape(surf, node.shape, node.pos, node.r, node.fill, PALETTE.ink, max(1, self.s(1.5 if node.player else 1)))
            if node.player:
                pygame.draw.circle(surf, PALETTE.ink, (int(node.pos[0]), int(node.pos[1])), int(node.r + self.s(4)), max(2, self.s(3)))
        n_leads = max(1, len(self.session.level.lead_firms))
        n_t1 = max(1, sum(1 for n in self.nodes.values() if n.kind in ("tier1", "follow")))
        for node in self.nodes.values():
            if node.kind == "lead":
                wrapped(surf, label_font, node.label, (node.pos[0], node.pos[1] + node.r + self.s(4)), PALETTE.ink, int(inst_x / n_leads) - self.s(10))
            elif node.kind in ("tier1", "follow"):
                wrapped(surf, small, node.label, (node.pos[0], node.pos[1] + node.r + self.s(3)), PALETTE.ink, min(self.s(150), int(inst_x / n_t1)) - self.s(6))
            elif node.kind == "institution":
                left = node.pos[0] + node.r + self.s(8)
                lh = small.get_linesize()
                wrapped(surf, small, node.label, (left, node.pos[1] - lh), PALETTE.ink, int(w - left - self.s(6)), align="left")
            elif node.player and self.session.state.players > 1:
                # Hot-seat: each team's node carries its number (names are in the tooltips).
                number = node.key.split(":")[1]
                ink = ink_on(node.fill) if self.workshop is not None else (255, 255, 255)
                text(surf, self.fonts.get(14, bold=True), str(int(number) + 1), node.pos, ink, "center")
        self._draw_legend(surf)
        return surf

    def _draw_stage(self, surf: pygame.Surface) -> None:
        tr = self.tr
        stage = self.session.state.metrics.stage
        font = self.fonts.get(16, bold=True)
        small = self.fonts.get(15)
        x, y = self.s(8), self.s(8)
        label = tr("ui.map.stage_label")
        r = text(surf, font, label, (x, y + self.s(6)), PALETTE.ink)
        x = r.right + self.s(10)
        avail = self.rect.w - x - self.s(10)
        box_w = max(self.s(60), (avail - self.s(8) * 3) // 4)
        for k, name in enumerate(STAGES):
            rect = pygame.Rect(x + k * (box_w + self.s(8)), y, box_w, self.s(40))
            current = name == stage
            pygame.draw.rect(surf, PALETTE.accent if current else PALETTE.panel_alt, rect, border_radius=self.s(4))
            pygame.draw.rect(surf, PALETTE.ink if current else PALETTE.grid, rect, max(1, self.s(2 if current else 1)), border_radius=self.s(4))
            colour = (255, 255, 255) if current else PALETTE.ink_soft
            mark = "▶ " if current else ""
            text(surf, font if current else small, mark + tr.stage(name), (rect.centerx, rect.y + self.s(2)), colour, "midtop", width=rect.w - self.s(6))
            text(surf, small, tr(f"life_cycle.{LIFE_CYCLE[name]}"), (rect.centerx, rect.bottom - self.s(2)), colour, "midbottom", width=rect.w - self.s(6))
        self.stage_rect = pygame.Rect(x, y, 4 * box_w + 3 * self.s(8), self.s(40)).move(self.rect.topleft)

    def _legend_items(self) -> list[tuple[str, str, Any]]:
        return [
            ("shape", "ui.map.legend.you" if self.session.state.players == 1 else "ui.map.legend.teams", ("circle", PALETTE.player)),
            ("shape", "ui.map.legend.lead_firm", ("square", PALETTE.lead_firm)),
            ("shape", "ui.map.legend.tier1", ("circle", PALETTE.tier1)),
            ("shape", "ui.map.legend.follow_source", ("hexagon", PALETTE.follow_source)),
            ("shape", "ui.map.legend.sme_in_chain", ("circle", PALETTE.good_fill)),
            ("shape", "ui.map.legend.sme", ("circle", PALETTE.sme)),
            ("shape", "ui.map.legend.institution", ("triangle", PALETTE.good_fill)),
            ("line", "ui.map.legend.contract", (PALETTE.accent_dark, "solid")),
            ("line", "ui.map.legend.consortium", (PALETTE.warn, "dash")),
            ("line", "ui.map.legend.subcontract", (PALETTE.purple, "dash")),
            ("line", "ui.map.legend.university", (PALETTE.good_fill, "dash")),
        ]

    def _draw_legend(self, surf: pygame.Surface) -> None:
        font = self.fonts.get(15)
        w, h = surf.get_size()
        y0 = h - self.legend_h
        pygame.draw.line(surf, PALETTE.grid, (0, y0), (w, y0), 1)
        x, y = self.s(10), y0 + self.s(8)
        line_h = self.s(22)
        for kind, key, spec in self._legend_items():
            label = self.tr(key)
            item_w = self.s(26) + font.size(label)[0] + self.s(14)
            if x + item_w > w - self.s(6):
                x, y = self.s(10), y + line_h
            cy = y + line_h // 2
            if kind == "shape":
                shape(surf, spec[0], (x + self.s(9), cy), self.s(6), spec[1], PALETTE.ink, 1)
            else:
                if spec[1] == "dash":
                    dashed_line(surf, spec[0], (x, cy), (x + self.s(20), cy), self.s(3), self.s(5), self.s(3))
                else:
                    pygame.draw.line(surf, spec[0], (x, cy), (x + self.s(20), cy), self.s(3))
            text(surf, font, label, (x + self.s(26), cy), PALETTE.ink, "midleft")
            x += item_w

    def draw(self, surface: pygame.Surface, pulse: float = 0.0) -> None:
        surface.blit(self.surface(), self.rect)
        if pulse > 0:
            node = self.nodes.get(f"firm:{self.player}")
            if node is not None:
                cx, cy = self.rect.x + node.pos[0], self.rect.y + node.pos[1]
                pygame.draw.circle(surface, PALETTE.focus, (int(cx), int(cy)), int(node.r + self.s(6) + self.s(14) * pulse), max(2, self.s(3)))

    def hover(self, pos: tuple[int, int]) -> str | None:
        if not self.rect.collidepoint(pos):
            return None
        x, y = pos[0] - self.rect.x, pos[1] - self.rect.y
        best, best_d = None, float("inf")
        for node in self.nodes.values():
            d = math.hypot(node.pos[0] - x, node.pos[1] - y)
            if d <= node.r + self.s(6) and d < best_d:
                best, best_d = node, d
        if best is not None:
            return best.tip
        if getattr(self, "stage_rect", None) is not None and self.stage_rect.collidepoint(pos):
            stage = self.session.state.metrics.stage
            return self.tr("ui.map.tip.stage", stage=stage, desc=self.tr(f"stage.{stage}.desc"))
        return None

    def player_in_chain(self) -> bool:
        return bool(np.any(self.session.state.firms.tier[: self.session.state.players] < NO_TIER))
