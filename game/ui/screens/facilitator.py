"""The facilitator's console (F9 from every team screen, behind the PIN set at start).

Four sections: the session (pause, the timer, who has decided, late teams
handed to a computer strategy, a note on the quarter, the debrief and the
export), the teams (every team's dashboard side by side and a leaderboard),
the cluster and its catalyst policies (switch one on or off from next
quarter) and the level's events (inject one for next quarter).

Everything that touches the game goes through :func:`game.ui.input.facilitate`,
so the core's recorder keeps it in the replay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from game.core.level import CAPABILITIES
from game.core.typology import LIFE_CYCLE
from game.ui import input as ui_input
from game.ui import views
from game.ui.nav import (
    STAY,
    Console,
    Debrief,
    Nav,
    NextTurn,
    Paused,
    Pop,
    Push,
    Replace,
    Reset,
    Title,
)
from game.ui.screens.base import Callback, Screen
from game.ui.screens.parts import ClockScreen, export_to_user_folder, team_band
from game.ui.workshop import STRATEGIES, late_teams

if TYPE_CHECKING:
    from game.ui.context import Context

SECTIONS = ("session", "teams", "cluster", "events")
MAX_NOTE = 500


class PinScreen(Screen):
    """Asks for the facilitator's PIN; a wrong one is refused and nothing else is shown."""

    name = "pin"
    modal = True
    show_glossary_button = False

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.refused = False

    def build(self) -> None:
        tr = self.tr
        w, h = self.ctx.size
        pw, ph = min(w - self.s(80), self.s(560)), self.s(300)
        rect = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        panel = self.panel(rect, "#card_bad" if self.refused else None)
        pad = self.s(18)
        self.heading(pygame.Rect(pad, pad, pw - 2 * pad, self.s(36)), tr("ui.console.pin_title"), container=panel)
        y = pad + self.s(48)
        text = ("✗ " + tr("ui.console.pin_wrong")) if self.refused else tr("ui.console.pin_ask")
        self.label(pygame.Rect(pad, y, pw - 2 * pad, self.s(30)), text, "#bad" if self.refused else "#soft", container=panel)
        y += self.s(44)
        entry = self.entry(pygame.Rect(pad, y, pw - 2 * pad, self.s(46)), "", "pin", container=panel, max_length=6)
        entry.set_allowed_characters("numbers")
        entry.set_text_hidden(True)
        self.manager.set_focus_set(entry)
        bh = self.s(48)
        bw = (pw - 2 * pad - self.s(12)) // 2
        y = ph - pad - bh
        self.button(pygame.Rect(pad, y, bw, bh), tr("ui.console.pin_cancel"), Pop, container=panel)
        ok = self.button(pygame.Rect(pad + bw + self.s(12), y, bw, bh), tr("ui.console.pin_open"), self.submit, object_id="#primary", command="confirm", container=panel)
        self.targets["continue"] = ok

    def submit(self) -> Nav:
        entry = self.entries.get("pin")
        pin = entry.get_text() if entry is not None else ""
        ws = self.session.workshop
        if ws is not None and ws.check_pin(pin):
            return Replace(Console())
        self.refused = True
        self.ctx.sounds.play("refused")
        self.rebuild()
        return STAY

    def on_key(self, event: pygame.event.Event) -> Nav | None:
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return self.submit()
        return None

    def on_entry_finished(self, element: Any, text: str) -> Nav | None:
        if element is self.entries.get("pin"):
            return self.submit()
        return None

    def on_command(self, command: str) -> Nav | None:
        if command == "confirm":
            return self.submit()
        if command == "back":
            return Pop()
        return None


class FacilitatorScreen(ClockScreen):
    name = "console"

    def __init__(self, ctx: Context, section: str = "session"):
        super().__init__(ctx)
        self.section = section
        self.status: tuple[str, str] | None = None
        self.note = ""
        self.swatches: list[tuple[pygame.Rect, int]] = []

    @property
    def ws(self) -> Any:
        return self.session.workshop

    # -- frame ------------------------------------------------------------------------------

    def build(self) -> None:
        tr = self.tr
        self.swatches = []
        box = self.box()
        self._top_bar(box.top(56))
        box.pad(10)
        self._sections(box.top(46, 8))
        self._status_line(box.bottom(50, 8))
        getattr(self, f"_build_{self.section}")(box.rect)
        if self.session.finished and self.section == "session":
            self.status = self.status or (tr("ui.console.finished"), "info")

    def _top_bar(self, rect: pygame.Rect) -> None:
        tr, session, ws = self.tr, self.session, self.ws
        bar = self.panel(rect, "#topbar")
        pad = self.s(10)
        bh = rect.h - 2 * pad
        right = rect.w - pad
        gw = self.button_width(tr("ui.common.glossary"), "glossary", minimum=120)
        self.glossary_button(pygame.Rect(right - gw, pad, gw, bh), container=bar)
        right -= gw + self.s(8)
        bw = self.button_width(tr("ui.console.back"), "back", minimum=160)
        self.button(pygame.Rect(right - bw, pad, bw, bh), tr("ui.console.back"), self.close, command="back", tooltip=tr("ui.tip.console_back"), container=bar, focus=False)
        right -= bw + self.s(8)
        key = "ui.console.resume" if ws.paused else "ui.console.pause"
        pw = self.button_width(tr(key), minimum=150)
        btn = self.button(pygame.Rect(right - pw, pad, pw, bh), tr(key), self.toggle_pause, object_id="#primary" if ws.paused else None, tooltip=tr("ui.tip.pause"), container=bar)
        self.targets["pause"] = btn
        right -= pw + self.s(16)
        self.clock_label = None
        if ws.timed:
            cw = self.text_width(tr("ui.workshop.clock_up"), "label", "#topbar_label") + self.s(16)
            self.clock_label = self.label(pygame.Rect(right - cw, pad, cw, bh), self.clock_string(), "#topbar_label", tooltip=tr("ui.tip.clock"), container=bar)
            right -= cw + self.s(8)
        st = session.state
        title = tr("ui.console.title", quarter=st.quarter, turns=st.turns)
        self.label(pygame.Rect(pad, pad, right - pad, bh), title, "#topbar_label", tooltip=title, container=bar)

    def _sections(self, rect: pygame.Rect) -> None:
        tr = self.tr
        font = self.manager.get_theme().get_font(["@tab"])
        gap = self.s(6)
        labels = [f"{k + 1} {tr(f'ui.console.section.{name}')}" for k, name in enumerate(SECTIONS)]
        widths = [font.size(t)[0] + self.s(30) for t in labels]
        extra = max(0, (rect.w - sum(widths) - gap * (len(SECTIONS) - 1)) // len(SECTIONS))
        x = rect.x
        for name, label, w in zip(SECTIONS, labels, widths, strict=True):
            btn = self.button(pygame.Rect(x, rect.y, w + extra, rect.h), label, self._open(name), class_id="@tab", object_id="#selected" if name == self.section else None, tooltip=tr(f"ui.tip.console.{name}"))
            self.targets[f"section:{name}"] = btn
            x += w + extra + gap

    def _status_line(self, rect: pygame.Rect) -> None:
        tr = self.tr
        if self.status is None:
            text, tone = tr("ui.console.status_idle"), "info"
        else:
            text, tone = self.status
        mark = {"good": "✓ ", "bad": "✗ "}.get(tone, "")
        self.textbox(rect, tr.linked(mark + text), {"good": "#card_good", "bad": "#card_bad"}.get(tone, "#card_info"))

    def _open(self, name: str) -> Callback:
        def open_section() -> None:
            self.section = name
            self.rebuild()

        return open_section

    # -- 1: the session -----------------------------------------------------------------------

    def team_status(self, p: int) -> tuple[str, str]:
        """(text, tone) of a team this quarter: decided, at the laptop, waiting, bankrupt."""
        tr, session = self.tr, self.session
        if not session.alive(p):
            return "✗ " + tr("ui.console.team_bankrupt"), "bad"
        if session.finished:
            return "✓ " + tr("ui.console.team_finished"), "good"
        timed_out = any(m.get("kind") == "timeout" and m.get("firm") == session.firm_id(p) and m.get("quarter") == session.quarter for m in session.state.timeline)
        if session.done[p]:
            return ("◷ " + tr("ui.console.team_timed_out"), "bad") if timed_out else ("✓ " + tr("ui.console.team_done"), "good")
        if p == session.current:
            return "➜ " + tr("ui.console.team_current"), "info"
        return "… " + tr("ui.console.team_waiting"), "info"

    def _build_session(self, rect: pygame.Rect) -> None:
        tr, session, ws = self.tr, self.session, self.ws
        gap = self.s(12)
        left = pygame.Rect(rect.x, rect.y, int(rect.w * 0.54), rect.h)
        right = pygame.Rect(left.right + gap, rect.y, rect.right - left.right - gap, rect.h)
        panel = self.panel(left)
        pad = self.s(10)
        w = left.w - 2 * pad
        y = pad
        # The timer.
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.timer"), "#subheading", container=panel)
        y += self.s(32)
        row_h = self.s(40)
        if ws.timed:
            shown = tr("ui.console.timer_length", minutes=ws.timer_minutes)
            lw = int(w * 0.3)
            self.label(pygame.Rect(pad, y, lw, row_h), shown, "#value", tooltip=tr("ui.tip.clock"), container=panel)
            bw = (w - lw - self.s(16)) // 2
            self.button(pygame.Rect(pad + lw + self.s(8), y, bw, row_h), tr("ui.console.add_minute"), self.add_minute, tooltip=tr("ui.tip.add_minute"), container=panel, enabled=not session.finished)
            self.button(pygame.Rect(pad + lw + bw + self.s(16), y, bw, row_h), tr("ui.console.restart_timer"), self.restart_timer, tooltip=tr("ui.tip.restart_timer"), container=panel, enabled=not session.finished)
        else:
            self.label(pygame.Rect(pad, y, w, row_h), tr("ui.console.no_timer"), "#soft", container=panel)
        y += row_h + self.s(10)
        # Who has decided.
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.teams_quarter"), "#subheading", container=panel)
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
            self.swatches.append((sw, p))
            text, tone = self.team_status(p)
            nw = int((col_w - self.s(30)) * 0.45)
            self.label(pygame.Rect(x0 + self.s(30), yy, nw, th), session.state.firms.names[p], container=panel)
            self.label(pygame.Rect(x0 + self.s(30) + nw, yy, col_w - self.s(30) - nw, th), text, {"good": "#good", "bad": "#bad"}.get(tone, "#soft"), container=panel)
        y += rows_n * th + self.s(10)
        # Late teams to the computer.
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.time_up"), "#subheading", tooltip=tr("ui.tip.time_up"), container=panel)
        y += self.s(32)
        sw_ = (w - self.s(6) * (len(STRATEGIES) - 1)) // len(STRATEGIES)
        for k, name in enumerate(STRATEGIES):
            self.button(
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
        btn = self.button(pygame.Rect(pad, y, w, self.s(44)), label, self.hand_over, object_id="#danger" if ws.time_up() else None, enabled=bool(late), tooltip=tr("ui.tip.time_up"), container=panel)
        self.targets["hand_over"] = btn
        # The note and the debrief.
        panel = self.panel(right)
        w = right.w - 2 * pad
        y = pad
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.note", quarter=session.quarter), "#subheading", tooltip=tr("ui.tip.note"), container=panel)
        y += self.s(32)
        entry = self.entry(pygame.Rect(pad, y, w, self.s(42)), self.note, "note", container=panel, max_length=MAX_NOTE)
        if session.finished:
            entry.disable()
        y += self.s(48)
        bw = min(w, self.button_width(tr("ui.console.save_note"), minimum=200))
        btn = self.button(pygame.Rect(pad + w - bw, y, bw, self.s(40)), tr("ui.console.save_note"), self.save_note, tooltip=tr("ui.tip.note"), container=panel, enabled=not session.finished)
        self.targets["save_note"] = btn
        y += self.s(48)
        notes = [m for m in session.state.timeline if m.get("kind") == "note"]
        bottom_h = self.s(44) * 2 + self.s(30) + self.s(20)
        if notes:
            html = "<br>".join(f"<b>{tr.html(tr('ui.end.moment_quarter', quarter=m['quarter']))}</b> {tr.html(m.get('text', ''))}" for m in reversed(notes[-8:]))
        else:
            html = tr.html(tr("ui.console.no_notes"))
        self.textbox(pygame.Rect(pad, y, w, right.h - y - bottom_h), html, "#plain", container=panel)
        y = right.h - bottom_h + self.s(6)
        self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.console.closing"), "#subheading", container=panel)
        y += self.s(34)
        recorded = bool(session.recorder.turns)
        half = (w - self.s(8)) // 2
        btn = self.button(pygame.Rect(pad, y, half, self.s(44)), tr("ui.console.debrief"), self.debrief, enabled=recorded, tooltip=tr("ui.tip.debrief"), container=panel)
        self.targets["debrief"] = btn
        btn = self.button(pygame.Rect(pad + half + self.s(8), y, w - half - self.s(8), self.s(44)), tr("ui.console.export"), self.export, enabled=recorded, tooltip=tr("ui.tip.export"), container=panel)
        self.targets["export"] = btn

    # -- 2: the teams ---------------------------------------------------------------------------

    def _build_teams(self, rect: pygame.Rect) -> None:
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
            panel = self.panel(card)
            pad = self.s(8)
            w = cw - 2 * pad
            self.swatches.append((pygame.Rect(card.x + pad, card.y + pad + self.s(3), self.s(22), self.s(22)), p))
            self.label(pygame.Rect(pad + self.s(28), pad, w - self.s(28), self.s(28)), f.names[p], "#subheading", tooltip=f.names[p], container=panel)
            y = pad + self.s(30)
            status, tone = self.team_status(p)
            self.label(pygame.Rect(pad, y, w, row_h), status, {"good": "#good", "bad": "#bad"}.get(tone, "#soft"), container=panel)
            y += row_h + self.s(4)
            contracts = sum(1 for con in st.contracts if con.active and p in con.members)
            caps = sum(float(f.cap[p, k]) for k in range(len(CAPABILITIES))) / len(CAPABILITIES)
            c_id = int(f.consortium[p])
            rows = [
                ("ui.side.cash", self.money(int(f.cash[p])), tr.money(int(f.cash[p]))),
                ("ui.side.debt", self.money(int(f.debt[p])), tr.money(int(f.debt[p]))),
                ("ui.side.receivables", self.money(int(f.receivables[p].sum())), tr.money(int(f.receivables[p].sum()))),
                ("ui.side.tier", tr(f"ui.tier_short.{int(f.tier[p])}"), None),
                ("ui.side.contracts", tr.num(contracts), None),
                ("ui.console.capabilities", tr.pct(caps), None),
                ("ui.console.points", tr.num(int(f.action_points[p])), None),
                ("ui.console.consortium", st.consortia[c_id].name if 0 <= c_id < len(st.consortia) else tr("ui.common.none"), None),
            ]
            lw = int(w * 0.52)
            for key, value, tip in rows:
                if y + row_h > ch - pad:
                    break
                self.label(pygame.Rect(pad, y, lw, row_h), tr(key), "#soft", container=panel)
                self.label(pygame.Rect(pad + lw, y, w - lw, row_h), value, "#value", tooltip=tip, container=panel)
                y += row_h
        # The leaderboard: the balanced scorecard (0 to 100).
        board = pygame.Rect(grid.right + gap, rect.y, board_w, rect.h)
        panel = self.panel(board)
        pad = self.s(10)
        w = board_w - 2 * pad
        self.label(pygame.Rect(pad, pad, w, self.s(30)), tr("ui.console.leaderboard"), "#subheading", tooltip=tr("glossary.balanced_scorecard.desc"), container=panel)
        y = pad + self.s(36)
        for rank, (p, total, met) in enumerate(self.leaderboard(), start=1):
            self.swatches.append((pygame.Rect(board.x + pad + self.s(30), board.y + y + self.s(5), self.s(20), self.s(20)), p))
            self.label(pygame.Rect(pad, y, self.s(28), self.s(30)), f"{rank}.", "#value", container=panel)
            name_w = w - self.s(58) - self.s(56)
            tip = tr("ui.console.leaderboard_tip", name=f.names[p], total=total, objective=tr("ui.common.yes") if met else tr("ui.common.no"), tier=int(f.best_tier[p]))
            self.label(pygame.Rect(pad + self.s(58), y, name_w, self.s(30)), f.names[p], tooltip=tip, container=panel)
            self.label(pygame.Rect(pad + w - self.s(56), y, self.s(56), self.s(30)), tr.num(total), "#figure_right", tooltip=tip, container=panel)
            y += self.s(34)
        self.textbox(pygame.Rect(pad, y + self.s(6), w, board.h - y - self.s(6) - pad), tr.linked(tr("ui.console.leaderboard_note")), "#plain", container=panel)

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

    # -- 3: the cluster and its policies ----------------------------------------------------------

    def _build_cluster(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        st, level = session.state, session.level
        gap = self.s(12)
        left = pygame.Rect(rect.x, rect.y, int(rect.w * 0.36), rect.h)
        right = pygame.Rect(left.right + gap, rect.y, rect.right - left.right - gap, rect.h)
        panel = self.panel(left)
        pad = self.s(10)
        w = left.w - 2 * pad
        self.label(pygame.Rect(pad, pad, w, self.s(30)), tr("ui.console.cluster"), "#subheading", container=panel)
        y = pad + self.s(36)
        cl = st.metrics
        rows = [
            ("ui.side.stage", tr.stage(cl.stage), "ui.tip.stage"),
            ("ui.console.life_cycle", tr(f"life_cycle.{LIFE_CYCLE[cl.stage]}"), "ui.tip.stage"),
            ("ui.report.local_share", tr.pct(cl.local_share), "ui.tip.local_share"),
            ("ui.report.local_suppliers", tr.num(cl.local_suppliers), "ui.tip.local_suppliers"),
            ("ui.console.tier2_share", tr.pct(cl.tier2_share), "ui.tip.tier2_share"),
            ("ui.console.cooperation", tr.pct(cl.cooperation), "ui.tip.cooperation"),
            ("ui.console.university_links", tr.pct(cl.university_links), "ui.tip.university_links"),
            ("ui.console.association_share", tr.pct(cl.association_share), "ui.tip.association_share"),
            ("ui.console.mean_capability", tr.pct(cl.mean_capability), "ui.tip.mean_capability"),
        ]
        row_h = self.s(30)
        lw = int(w * 0.6)
        for key, value, tip in rows:
            self.label(pygame.Rect(pad, y, lw, row_h), tr(key), "#soft", tooltip=tr(tip), container=panel)
            self.label(pygame.Rect(pad + lw, y, w - lw, row_h), value, "#value", tooltip=tr(tip), container=panel)
            y += row_h
        # Policies: on or off from next quarter.
        self.label(pygame.Rect(right.x, right.y, right.w, self.s(30)), tr("ui.console.policies"), "#subheading", tooltip=tr("ui.tip.console.cluster"))
        area = pygame.Rect(right.x, right.y + self.s(34), right.w, right.h - self.s(34))
        row_h, row_gap = self.s(96), self.s(6)
        scroll = self.scroller(area, max(1, len(level.policies)) * (row_h + row_gap))
        inner = area.w - self.s(24)
        btn_w = self.s(190)
        if not level.policies:
            self.textbox(pygame.Rect(0, 0, inner, row_h), tr.html(tr("ui.policies.none")), container=scroll)
        for k, pol in enumerate(level.policies):
            active = bool(st.policy_active[k])
            pending = st.pending_policies.get(pol.id)
            status = "✓ " + tr("ui.policies.active") if active else "○ " + tr("ui.policies.inactive")
            html = f"<b>{tr.html(tr.level_text(pol.name))}</b> — <b>{tr.html(status)}</b>"
            if pending is not None and pending != active:
                html += "<br><b>➜ " + tr.html(tr("ui.console.policy_pending_on" if pending else "ui.console.policy_pending_off", quarter=st.quarter + 1)) + "</b>"
            html += "<br>" + tr.linked(tr.level_text(pol.description))
            y = k * (row_h + row_gap)
            self.textbox(pygame.Rect(0, y, inner - btn_w - self.s(8), row_h), html, container=scroll)
            target = not (pending if pending is not None else active)
            outcome = ui_input.preview_facilitator(session, "switch_policy", policy=pol.id, on=target)
            label = tr("ui.console.switch_on" if target else "ui.console.switch_off")
            tip = tr("ui.tip.switch_policy", quarter=st.quarter + 1)
            if outcome.refusal is not None:
                tip += "\n✗ " + tr.refusal(outcome.refusal, level)
            btn = self.button(pygame.Rect(inner - btn_w, y, btn_w, row_h), label, self._switch(pol.id, target), enabled=outcome.refusal is None, tooltip=tip, container=scroll)
            self.targets[f"policy:{pol.id}"] = btn

    # -- 4: events ----------------------------------------------------------------------------------

    def _build_events(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        st, level = session.state, session.level
        self.label(pygame.Rect(rect.x, rect.y, rect.w, self.s(30)), tr("ui.console.events", quarter=st.quarter + 1), "#subheading", tooltip=tr("ui.tip.console.events"))
        area = pygame.Rect(rect.x, rect.y + self.s(34), rect.w, rect.h - self.s(34))
        inner = area.w - self.s(24)
        btn_w = self.s(190)
        text_w = inner - btn_w - self.s(8)
        items = []
        for k, ev in enumerate(level.events):
            when = self._event_when(k, ev)
            html = f"<b>{tr.html(tr.level_text(ev.name))}</b> — {tr.html(when)}"
            if ev.id in st.pending_events:
                html += "<br><b>➜ " + tr.html(tr("ui.console.event_pending", quarter=st.quarter + 1)) + "</b>"
            html += "<br>" + tr.linked(tr.level_text(ev.description))
            h = max(self.s(70), self.text_height(views.strip_html(html), text_w))
            items.append((ev, html, h))
        gap = self.s(6)
        scroll = self.scroller(area, sum(h + gap for _, _, h in items) or self.s(80))
        if not items:
            self.textbox(pygame.Rect(0, 0, inner, self.s(70)), tr.html(tr("ui.console.no_events")), container=scroll)
        y = 0
        for ev, html, h in items:
            self.textbox(pygame.Rect(0, y, text_w, h), html, container=scroll)
            outcome = ui_input.preview_facilitator(session, "inject_event", event=ev.id)
            tip = tr("ui.tip.inject_event", quarter=st.quarter + 1)
            if outcome.refusal is not None:
                tip += "\n✗ " + tr.refusal(outcome.refusal, level)
            btn = self.button(pygame.Rect(inner - btn_w, y, btn_w, min(h, self.s(60))), tr("ui.console.inject"), self._inject(ev.id), enabled=outcome.refusal is None, tooltip=tip, container=scroll)
            self.targets[f"event:{ev.id}"] = btn
            y += h + gap

    def _event_when(self, k: int, ev: Any) -> str:
        tr, st = self.tr, self.session.state
        fired = k < len(st.events_fired) and bool(st.events_fired[k])
        if ev.quarter is not None:
            text = tr("ui.console.event_scheduled", quarter=ev.quarter)
        elif ev.chance > 0:
            text = tr("ui.console.event_chance", chance=tr.pct(ev.chance))
        else:
            text = tr("ui.console.event_only_injected")
        if fired:
            text += "; " + tr("ui.console.event_fired")
        return text

    # -- actions ----------------------------------------------------------------------------------

    def _result(self, outcome: Any, good: str) -> bool:
        tr = self.tr
        if outcome.ok:
            self.status = (good, "good")
            self.ctx.sounds.play("ok")
        else:
            reason = tr.refusal(outcome.refusal, self.session.level) if outcome.refusal else tr("ui.refused.incomplete")
            self.status = (tr("ui.console.refused", reason=reason), "bad")
            self.ctx.sounds.play("refused")
        self.ctx.autosave()
        self.rebuild()
        return bool(outcome.ok)

    def _switch(self, policy: str, on: bool) -> Callback:
        def switch() -> None:
            outcome = ui_input.facilitate(self.session, "switch_policy", policy=policy, on=on)
            name = next((self.tr.level_text(p.name) for p in self.session.level.policies if p.id == policy), policy)
            self._result(outcome, self.tr("ui.console.switched_on" if on else "ui.console.switched_off", name=name, quarter=self.session.quarter + 1))

        return switch

    def _inject(self, event: str) -> Callback:
        def inject() -> None:
            outcome = ui_input.facilitate(self.session, "inject_event", event=event)
            name = next((self.tr.level_text(e.name) for e in self.session.level.events if e.id == event), event)
            self._result(outcome, self.tr("ui.console.injected", name=name, quarter=self.session.quarter + 1))

        return inject

    def save_note(self) -> None:
        entry = self.entries.get("note")
        text = entry.get_text() if entry is not None else self.note
        outcome = ui_input.facilitate(self.session, "note", text=text)
        if outcome.ok:
            self.note = ""
        else:
            self.note = text
        self._result(outcome, self.tr("ui.console.noted", quarter=self.session.quarter))

    def _strategy(self, name: str) -> Callback:
        def pick() -> None:
            self._keep_note()
            self.ws.strategy = name
            self.rebuild()

        return pick

    def _keep_note(self) -> None:
        entry = self.entries.get("note")
        if entry is not None:
            self.note = entry.get_text()

    def hand_over(self) -> Nav:
        """Time's up: a computer strategy decides for every team still deciding; the quarter resolves."""
        tr = self.tr
        self._keep_note()
        names = self.session.state.firms.names
        quarter = self.session.quarter
        done = self.time_out_late_teams(self.ws.strategy)
        if not done:
            self.status = (tr("ui.console.nobody_late"), "info")
            self.rebuild()
            return STAY
        self.status = (tr("ui.console.handed_over", names=", ".join(names[p] for p in done), strategy=self.ws.strategy, quarter=quarter), "good")
        # The quarter moved on: the team screens below are stale; keep the console on top.
        return Reset((Title(), NextTurn(), Console(self.section, self.status, self.note)))

    def time_out_late_teams(self, strategy: str) -> list[int]:
        """The facilitator hands every late team's quarter to a computer strategy; the quarter
        then resolves. Returns the teams handed over."""
        session = self.session
        done = [p for p in late_teams(session) if ui_input.facilitate(session, "timed_out", firm=session.firm_id(p), strategy=strategy).ok]
        if not done:
            return []
        report = session.finish_players(done)
        if report is not None:
            self.ctx.sounds.play("quarter")
            self.ctx.autosave()
            self.ctx.notify(self.tr("ui.workshop.resolved", quarter=report.quarter), "good")
        return done

    def toggle_pause(self) -> None:
        self._keep_note()
        if self.ws.paused:
            self.ws.resume()
            self.status = (self.tr("ui.console.resumed"), "good")
        else:
            self.ws.pause()
            self.status = (self.tr("ui.console.paused"), "info")
        self.rebuild()

    def add_minute(self) -> None:
        self._keep_note()
        self.ws.add_time(60)
        self.status = (self.tr("ui.console.minute_added"), "good")
        self.rebuild()

    def restart_timer(self) -> None:
        self._keep_note()
        self.ws.restart_timer()
        self.status = (self.tr("ui.console.timer_restarted", minutes=self.ws.timer_minutes), "good")
        self.rebuild()

    def debrief(self) -> Nav:
        self._keep_note()
        return Push(Debrief())

    def export(self) -> None:
        self._keep_note()
        path, problem = export_to_user_folder(self.session, self.tr)
        if problem:
            self.status = (self.tr("ui.debrief.export_failed", reason=problem), "bad")
        else:
            self.status = (self.tr("ui.debrief.exported", path=str(path)), "good")
        self.rebuild()

    def close(self) -> Nav:
        """Back to the teams: under the pause screen while paused."""
        below = self.ctx.screens_below()
        under = below[-1] if below else None
        paused = self.ws.paused
        if paused and under != "paused":
            return Replace(Paused())
        if not paused and under == "paused":
            return Pop(2)
        return Pop()

    # -- events ------------------------------------------------------------------------------------

    def on_command(self, command: str) -> Nav | None:
        if command == "back":
            return self.close()
        if command.startswith("tab."):
            names = {"tab.map": "session", "tab.firm": "teams", "tab.decisions": "cluster", "tab.calls": "events"}
            if command in names:
                self._keep_note()
                self._open(names[command])()
                return STAY
        if command == "console":
            return STAY
        return None

    def on_entry_changed(self, element: Any, text: str) -> None:
        if element is self.entries.get("note"):
            self.note = text

    def update(self, dt: float) -> None:
        self.tick_clock()

    def draw_over(self, surface: pygame.Surface) -> None:
        for rect, p in self.swatches:
            team_band(self, surface, rect, p, number=False)
