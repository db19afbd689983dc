"""Hot-seat "your turn" screen: whose turn it is, what is new, then hand over.

Shown between players so a team does not see the previous team's screen;
the workshop mode will build on it.
"""

from __future__ import annotations

import pygame

from game.models import decisions as model
from game.ui.nav import STAY, Nav, Quarter, Replace
from game.ui.screens.base import Screen


class TurnStartScreen(Screen):
    name = "turn_start"

    def build(self) -> None:
        tr, session = self.tr, self.session
        st = session.state
        p = session.current
        box = self.box().pad(40)
        self.label(box.top(44, 8), tr("ui.turn.quarter", quarter=st.quarter, turns=st.turns), "#subtitle")
        name = session.firm_name()
        # A long firm or team name in the heading's size where the title's does not hold it.
        whose = tr("ui.turn.your_turn", name=name)
        row = box.top(70, 8)
        self.label(row, whose, "#title" if self.text_width(whose, "label", "#title") + self.s(8) <= row.w else "#heading")
        self.label(box.top(34, 20), tr("ui.turn.hand_over"), "#subtitle")
        done = [st.firms.names[k] for k in range(session.players) if session.done[k]]
        waiting = [st.firms.names[k] for k in range(session.players) if not session.done[k] and k != p and session.alive(k)]
        news = [e for e in st.explanations if e.key.startswith("event.") and e.firm in (-1, p)]
        lines = []
        if news:
            lines.append(f"<b>{tr.html(tr('ui.side.news'))}</b>")
            lines += ["• " + tr.linked(tr.explain(e, session.level)) for e in news]
        calls = model.visible_rfqs(session)
        lines.append(tr.html(tr("ui.turn.calls", count=len(calls), points=int(st.firms.action_points[p]))))
        if done:
            lines.append(tr.html(tr("ui.turn.done", names=", ".join(done))))
        if waiting:
            lines.append(tr.html(tr("ui.turn.waiting", names=", ".join(waiting))))
        bottom = box.bottom(56, 10)
        col = pygame.Rect(box.rect.x + box.rect.w // 8, box.rect.y, box.rect.w * 3 // 4, box.rect.h)
        self.textbox(col, "<br><br>".join(lines))
        bw = self.button_width(tr("ui.turn.start"), "confirm", "#primary", minimum=380)
        btn = self.button(pygame.Rect(bottom.centerx - bw // 2, bottom.y, bw, bottom.h), tr("ui.turn.start"), self.start, object_id="#primary", command="confirm")
        self.targets = {"continue": btn}
        self.ctx.set_focus_index(0)

    def start(self) -> Nav:
        return Replace(Quarter())

    def on_command(self, command: str) -> Nav | None:
        if command == "confirm":
            return self.start()
        if command == "back":
            return STAY
        return None
