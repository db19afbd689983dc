"""The teams: every team's dashboard side by side, and a leaderboard."""

from __future__ import annotations

import pygame

from game.core.level_terms import CAPABILITIES
from game.ui.layout import wrap
from game.ui.screens.facilitator.base import Section


class TeamsSection(Section):
    name = "teams"

    def build(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        st = session.state
        f = st.firms
        gap = self.s(10)
        board_w = self.s(300)
        grid = pygame.Rect(rect.x, rect.y, rect.w - board_w - gap, rect.h)
        n = session.players
        cols = min(4, n) if n != 5 and n != 6 else 3
        rows_n = (n + cols - 1) // cols
        cw = (grid.w - gap * (cols - 1)) // cols
        ch = (grid.h - gap * (rows_n - 1)) // rows_n
        row_h = self.s(23) if rows_n > 1 else self.s(28)
        for p in range(n):
            c, r = p % cols, p // cols
            card = pygame.Rect(grid.x + c * (cw + gap), grid.y + r * (ch + gap), cw, ch)
            panel = self.screen.panel(card)
            pad = self.s(8)
            w = cw - 2 * pad
            self.screen.swatches.append((pygame.Rect(card.x + pad, card.y + pad + self.s(3), self.s(22), self.s(22)), p))
            self.screen.label(pygame.Rect(pad + self.s(28), pad, w - self.s(28), self.s(28)), f.names[p], "#subheading", tooltip=f.names[p], container=panel)
            y = pad + self.s(30)
            c_id = int(f.consortium[p])
            # The consortium's name whole, on as many rows as the card's width needs; the
            # rows get tighter when the card is short (two rows of cards at 1280x720).
            if 0 <= c_id < len(st.consortia):
                consortium, oid = wrap(st.consortia[c_id].name, self.screen.font("label", "#value"), w - self.s(6)), "#value"
            else:
                consortium, oid = [tr("ui.console.consortium_none")], "#soft"
            card_row_h = min(row_h, (ch - y - pad - self.s(4)) // (8 + len(consortium)))
            status, tone = self.team_status(p)
            self.screen.label(pygame.Rect(pad, y, w, card_row_h), status, {"good": "#good", "bad": "#bad"}.get(tone, "#soft"), container=panel)
            y += card_row_h + self.s(4)
            contracts = sum(1 for con in st.contracts if con.active and p in con.members)
            caps = sum(float(f.cap[p, k]) for k in range(len(CAPABILITIES))) / len(CAPABILITIES)
            rows = [
                ("ui.side.cash", self.money(int(f.cash[p])), tr.money(int(f.cash[p]))),
                ("ui.side.debt", self.money(int(f.debt[p])), tr.money(int(f.debt[p]))),
                ("ui.side.receivables", self.money(int(f.receivables[p].sum())), tr.money(int(f.receivables[p].sum()))),
                ("ui.side.tier", tr(f"ui.tier_short.{int(f.tier[p])}"), None),
                ("ui.side.contracts", tr.num(contracts), None),
                ("ui.console.capabilities", tr.pct(caps), None),
                ("ui.console.points", tr.num(int(f.action_points[p])), None),
            ]
            lw = int(w * 0.52)
            for key, value, tip in rows:
                self.screen.label(pygame.Rect(pad, y, lw, card_row_h), tr(key), "#soft", container=panel)
                self.screen.label(pygame.Rect(pad + lw, y, w - lw, card_row_h), value, "#value", tooltip=tip, container=panel)
                y += card_row_h
            # The consortium by name, across the card (a name is longer than a figure).
            for line in consortium:
                self.screen.label(pygame.Rect(pad, y, w, card_row_h), line, oid, tooltip=tr("ui.console.consortium"), container=panel)
                y += card_row_h
        # The leaderboard: the balanced scorecard (0 to 100).
        board = pygame.Rect(grid.right + gap, rect.y, board_w, rect.h)
        panel = self.screen.panel(board)
        pad = self.s(10)
        w = board_w - 2 * pad
        self.screen.label(pygame.Rect(pad, pad, w, self.s(30)), tr("ui.console.leaderboard"), "#subheading", tooltip=tr("glossary.balanced_scorecard.desc"), container=panel)
        y = pad + self.s(36)
        for rank, (p, total, met) in enumerate(self.leaderboard(), start=1):
            self.screen.swatches.append((pygame.Rect(board.x + pad + self.s(30), board.y + y + self.s(5), self.s(20), self.s(20)), p))
            self.screen.label(pygame.Rect(pad, y, self.s(28), self.s(30)), f"{rank}.", "#value", container=panel)
            name_w = w - self.s(58) - self.s(56)
            tip = tr("ui.console.leaderboard_tip", name=f.names[p], total=total, objective=tr("ui.common.yes") if met else tr("ui.common.no"), tier=int(f.best_tier[p]))
            self.screen.label(pygame.Rect(pad + self.s(58), y, name_w, self.s(30)), f.names[p], tooltip=tip, container=panel)
            self.screen.label(pygame.Rect(pad + w - self.s(56), y, self.s(56), self.s(30)), tr.num(total), "#figure_right", tooltip=tip, container=panel)
            y += self.s(34)
        self.screen.textbox(pygame.Rect(pad, y + self.s(6), w, board.h - y - self.s(6) - pad), tr.linked(tr("ui.console.leaderboard_note")), "#plain", container=panel)

    def money(self, pesos: int) -> str:
        """Pesos in short (the cards are narrow): "$1.52 M", "$830 mil"; the tooltip has them in full."""
        tr = self.tr
        if abs(pesos) >= 1_000_000:
            return tr("ui.console.millions", value=f"{pesos / 1_000_000:.2f}")
        if abs(pesos) >= 10_000:
            return tr("ui.console.thousands", value=f"{pesos / 1_000:.0f}")
        return tr.money(pesos)

    def leaderboard(self) -> list[tuple[int, float, bool]]:
        """(team, scorecard total, objective met), best first (ties: team order)."""
        game = self.session.game
        rows = []
        for p in range(self.session.players):
            out = game.outcome(p)
            rows.append((p, out["scorecard"].get("total", 0), bool(out["objective_met"])))
        rows.sort(key=lambda r: (-r[1], r[0]))
        return rows
