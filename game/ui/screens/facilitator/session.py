"""The session: pause and the timer, who has decided, late teams handed to a computer
strategy, a note on the quarter, the debrief and the export."""

from __future__ import annotations

import pygame

from game.models import actions as ui_actions
from game.ui.nav import STAY, Console, Debrief, Nav, NextTurn, Push, Reset, Title
from game.ui.screens.base import Callback
from game.ui.screens.facilitator.base import MAX_NOTE, Section
from game.ui.screens.parts import export_to_user_folder
from game.ui.workshop import STRATEGIES, TIMER_CHOICES, late_teams


class SessionSection(Section):
    name = "session"

    def build(self, rect: pygame.Rect) -> None:
        tr, session, ws = self.tr, self.session, self.ws
        gap = self.s(12)
        left = pygame.Rect(rect.x, rect.y, int(rect.w * 0.54), rect.h)
        right = pygame.Rect(left.right + gap, rect.y, rect.right - left.right - gap, rect.h)
        panel = self.screen.panel(left)
        pad = self.s(10)
        w = left.w - 2 * pad
        y = pad
        # The timer.
        self.screen.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.timer"), "#subheading", container=panel)
        y += self.s(32)
        row_h = self.s(40)
        lw = int(w * 0.34)
        shown = tr("ui.console.timer_length", minutes=ws.timer_minutes) if ws.timed else tr("ui.console.no_timer")
        self.screen.label(pygame.Rect(pad, y, lw, row_h), shown, "#value", tooltip=tr("ui.tip.clock"), container=panel)
        bw = (w - lw - self.s(16)) // 2
        live = not session.finished
        btn = self.screen.button(pygame.Rect(pad + lw + self.s(8), y, bw, row_h), tr("ui.console.timer_shorter"), self._timer_length(-1), tooltip=tr("ui.tip.timer_length"), container=panel, enabled=live and ws.timed)
        self.screen.targets["timer_shorter"] = btn
        btn = self.screen.button(pygame.Rect(pad + lw + bw + self.s(16), y, bw, row_h), tr("ui.console.timer_longer"), self._timer_length(+1), tooltip=tr("ui.tip.timer_length"), container=panel, enabled=live and ws.timer_minutes < TIMER_CHOICES[-1])
        self.screen.targets["timer_longer"] = btn
        if ws.timed:
            y += row_h + self.s(6)
            bw = (w - self.s(8)) // 2
            self.screen.button(pygame.Rect(pad, y, bw, row_h), tr("ui.console.add_minute"), self.add_minute, tooltip=tr("ui.tip.add_minute"), container=panel, enabled=live)
            self.screen.button(pygame.Rect(pad + bw + self.s(8), y, w - bw - self.s(8), row_h), tr("ui.console.restart_timer"), self.restart_timer, tooltip=tr("ui.tip.restart_timer"), container=panel, enabled=live)
        y += row_h + self.s(10)
        # Who has decided.
        self.screen.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.teams_quarter"), "#subheading", container=panel)
        y += self.s(32)
        n = session.players
        cols = 1 if n <= 4 else 2
        col_w = (w - self.s(10) * (cols - 1)) // cols
        rows_n = (n + cols - 1) // cols
        th = self.s(28)
        for p in range(n):
            c, r = p // rows_n, p % rows_n
            x0 = pad + c * (col_w + self.s(10))
            yy = y + r * th
            sw = pygame.Rect(left.x + x0, left.y + yy + self.s(4), self.s(22), th - self.s(8))
            self.screen.swatches.append((sw, p))
            text, tone = self.team_status(p)
            nw = int((col_w - self.s(30)) * 0.45)
            self.screen.label(pygame.Rect(x0 + self.s(30), yy, nw, th), session.state.firms.names[p], container=panel)
            self.screen.label(pygame.Rect(x0 + self.s(30) + nw, yy, col_w - self.s(30) - nw, th), text, {"good": "#good", "bad": "#bad"}.get(tone, "#soft"), container=panel)
        y += rows_n * th + self.s(10)
        # Late teams to the computer.
        self.screen.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.time_up"), "#subheading", tooltip=tr("ui.tip.time_up"), container=panel)
        y += self.s(32)
        sw_ = (w - self.s(6) * (len(STRATEGIES) - 1)) // len(STRATEGIES)
        for k, name in enumerate(STRATEGIES):
            self.screen.button(
                pygame.Rect(pad + k * (sw_ + self.s(6)), y, sw_, self.s(38)),
                tr(f"strategy.{name}"),
                self._strategy(name),
                object_id="#selected" if name == ws.strategy else None,
                tooltip=tr(f"ui.console.strategy_tip.{name}"),
                container=panel,
            )
        y += self.s(44)
        late = late_teams(session)
        label = tr("ui.console.hand_over", count=len(late), strategy=ws.strategy)
        btn = self.screen.button(pygame.Rect(pad, y, w, self.s(44)), label, self.hand_over, object_id="#danger" if ws.time_up() else None, enabled=bool(late), tooltip=tr("ui.tip.time_up"), container=panel)
        self.screen.targets["hand_over"] = btn
        # The note and the debrief.
        panel = self.screen.panel(right)
        w = right.w - 2 * pad
        y = pad
        self.screen.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.note", quarter=session.quarter), "#subheading", tooltip=tr("ui.tip.note"), container=panel)
        y += self.s(32)
        entry = self.screen.entry(pygame.Rect(pad, y, w, self.s(42)), self.screen.note, "note", container=panel, max_length=MAX_NOTE)
        if session.finished:
            entry.disable()
        y += self.s(48)
        bw = min(w, self.screen.button_width(tr("ui.console.save_note"), minimum=200))
        btn = self.screen.button(pygame.Rect(pad + w - bw, y, bw, self.s(40)), tr("ui.console.save_note"), self.save_note, tooltip=tr("ui.tip.note"), container=panel, enabled=not session.finished)
        self.screen.targets["save_note"] = btn
        y += self.s(48)
        notes = [m for m in session.state.timeline if m.get("kind") == "note"]
        bottom_h = self.s(44) * 2 + self.s(30) + self.s(20)
        if notes:
            html = "<br>".join(f"<b>{tr.html(tr('ui.end.moment_quarter', quarter=m['quarter']))}</b> {tr.html(m.get('text', ''))}" for m in reversed(notes[-8:]))
        else:
            html = tr.html(tr("ui.console.no_notes"))
        self.screen.textbox(pygame.Rect(pad, y, w, right.h - y - bottom_h), html, "#plain", container=panel)
        y = right.h - bottom_h + self.s(6)
        self.screen.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.closing"), "#subheading", container=panel)
        y += self.s(34)
        recorded = bool(session.recorder.turns)
        half = (w - self.s(8)) // 2
        btn = self.screen.button(pygame.Rect(pad, y, half, self.s(44)), tr("ui.console.debrief"), self.debrief, enabled=recorded, tooltip=tr("ui.tip.debrief"), container=panel)
        self.screen.targets["debrief"] = btn
        btn = self.screen.button(pygame.Rect(pad + half + self.s(8), y, w - half - self.s(8), self.s(44)), tr("ui.console.export"), self.export, enabled=recorded, tooltip=tr("ui.tip.export"), container=panel)
        self.screen.targets["export"] = btn

    def save_note(self) -> None:
        entry = self.screen.entries.get("note")
        text = entry.get_text() if entry is not None else self.screen.note
        outcome = ui_actions.facilitate(self.session, "note", text=text)
        if outcome.ok:
            self.screen.note = ""
        else:
            self.screen.note = text
        self.result(outcome, self.tr("ui.console.noted", quarter=self.session.quarter))

    def _strategy(self, name: str) -> Callback:
        def pick() -> None:
            self.keep_note()
            self.ws.strategy = name
            self.screen.rebuild()

        return pick

    def hand_over(self) -> Nav:
        """Time's up: a computer strategy decides for every team still deciding; the quarter resolves."""
        tr = self.tr
        self.keep_note()
        names = self.session.state.firms.names
        quarter = self.session.quarter
        done = self.time_out_late_teams(self.ws.strategy)
        if not done:
            self.screen.status = (tr("ui.console.nobody_late"), "info")
            self.screen.rebuild()
            return STAY
        self.screen.status = (tr("ui.console.handed_over", names=", ".join(names[p] for p in done), strategy=self.ws.strategy, quarter=quarter), "good")
        # The quarter moved on: the team screens below are stale; keep the console on top.
        return Reset((Title(), NextTurn(), Console(self.screen.section, self.screen.status, self.screen.note)))

    def time_out_late_teams(self, strategy: str) -> list[int]:
        """The facilitator hands every late team's quarter to a computer strategy; the quarter
        then resolves. Returns the teams handed over."""
        session = self.session
        done = [p for p in late_teams(session) if ui_actions.facilitate(session, "timed_out", firm=session.firm_id(p), strategy=strategy).ok]
        if not done:
            return []
        report = session.finish_players(done)
        if report is not None:
            self.screen.ctx.sounds.play("quarter")
            self.screen.ctx.autosave()
            self.screen.ctx.notify(self.tr("ui.workshop.resolved", quarter=report.quarter), "good")
        return done

    def add_minute(self) -> None:
        self.keep_note()
        self.ws.add_time(60)
        self.screen.status = (self.tr("ui.console.minute_added"), "good")
        self.screen.rebuild()

    def _timer_length(self, step: int) -> Callback:
        """The next shorter (``step`` -1) or longer (+1) length among the set-up's choices."""

        def change() -> None:
            self.keep_note()
            now = self.ws.timer_minutes
            if step > 0:
                minutes = next((m for m in TIMER_CHOICES if m > now), now)
            else:
                minutes = next((m for m in reversed(TIMER_CHOICES) if m < now), 0)
            self.ws.set_minutes(minutes)
            if minutes:
                self.screen.status = (self.tr("ui.console.timer_changed", minutes=minutes), "good")
            else:
                self.screen.status = (self.tr("ui.console.timer_stopped"), "info")
            self.screen.ctx.autosave()
            self.screen.rebuild()

        return change

    def restart_timer(self) -> None:
        self.keep_note()
        self.ws.restart_timer()
        self.screen.status = (self.tr("ui.console.timer_restarted", minutes=self.ws.timer_minutes), "good")
        self.screen.rebuild()

    def debrief(self) -> Nav:
        self.keep_note()
        return Push(Debrief())

    def export(self) -> None:
        self.keep_note()
        path, problem = export_to_user_folder(self.session, self.tr)
        if problem:
            self.screen.status = (self.tr("ui.debrief.export_failed", reason=problem), "bad")
        else:
            self.screen.status = (self.tr("ui.debrief.exported", path=str(path)), "good")
        self.screen.rebuild()
