"""The quarter screen: the cluster map, the firm's dashboard, decisions, calls for
quotation, cooperation and policies, one tab each, around a fixed frame:

- a top bar (firm, quarter, save, menu, glossary),
- the tabs and the end-of-turn button,
- a sidebar with the firm's key figures, the objective and the coach (tutorial),
- a status line with the last decision's result or the reason it was refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from game.models import actions as ui_actions
from game.models import views
from game.ui import input as ui_input
from game.ui.coach import Coach
from game.ui.layout import Box
from game.ui.nav import (
    STAY,
    Message,
    Nav,
    Push,
    Quit,
    Reset,
    Settings,
    Title,
    TurnFinished,
    in_game,
)
from game.ui.screens.base import Callback, Part
from game.ui.screens.parts import ClockScreen, console_button, team_band
from game.ui.screens.tabs import TABS, make_tab

if TYPE_CHECKING:
    from game.ui.context import Context


class QuarterScreen(ClockScreen):
    name = "quarter"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.tab = "map"
        self.status: tuple[str, str] | None = None
        self.tab_state: dict[str, dict[str, Any]] = {name: {} for name in TABS}
        self.targets: dict[str, Any] = {}
        self.coach = Coach(self) if self.session.level.tutorial else None
        self.current_tab: Any = None
        self.tab_looks: dict[str, tuple[Any, Any]] = {}
        """Each tab's button, (not selected, selected): one shown, the other hidden."""
        self.built_tabs: dict[str, tuple[Any, Part]] = {}
        """Tabs built since the last rebuild: the shown one and hidden ones, ready to show."""
        self.stale_tabs: dict[str, tuple[Any, Part]] = {}
        """Tabs built ahead before the game's state changed (hidden): built again in place
        (their widgets reused where their data did not change) before they are shown."""
        self.swatch: pygame.Rect | None = None
        self._player = self.session.current
        self._quarter = self.session.quarter
        self.ctx.anim.start("map_pulse", 2.5)

    @property
    def player(self) -> int:
        return self.session.current

    # -- building -----------------------------------------------------------------------

    def build(self) -> None:
        self.targets = {}
        if (self._player, self._quarter) != (self.session.current, self.session.quarter):
            self._player, self._quarter = self.session.current, self.session.quarter
            self.status = None
        if self.coach is not None:
            self.coach.forget()
        box = self.box()
        self._top_bar(box.top(56))
        box.pad(10)
        self._tabs(box.top(46, 8))
        self.below_tabs = pygame.Rect(box.rect)
        self._build_figures()

    def _build_figures(self) -> None:
        """What a decision changes: the status line (and the coach), the sidebar's figures
        and the open tab; the tabs built ahead are dropped (they showed the old state)."""
        mark = self.mark()
        self._figures()
        self.figures = self.part_since(mark)
        self.built_tabs = {}
        self.stale_tabs = {}
        self.current_tab = self._build_tab(self.tab)
        if self.coach is not None:
            self.coach.refresh()

    def _figures(self) -> None:
        """The status line (and the coach) and the sidebar, around the tabs' content."""
        box = Box(self.below_tabs, self.scale)
        self.bottom_height = self._bottom_height(box.rect.w)
        self._bottom_bar(box.bottom(self.bottom_height, 8))
        side = box.left(320, 12)
        self._sidebar(side)
        self.content_rect = box.rect

    def teardown(self) -> None:
        """Also let go of the kept tabs and named widgets: killed with the screen's widgets,
        they would otherwise keep their pictures for as long as anything holds this screen
        (the quarter that ended, while the next one is built and its tabs built ahead)."""
        self.built_tabs = {}
        self.stale_tabs = {}
        self.tab_looks = {}
        self.current_tab = None
        for name in ("figures", "status_box", "coach_box", "sidebar_box"):
            self.__dict__.pop(name, None)
        super().teardown()

    def refresh_figures(self) -> None:
        """After a decision: build again what shows the game's state, keeping the top bar
        and the tabs (the firm, the quarter and the tab names did not change); the status
        line keeps its height (:meth:`_bottom_height`), so nothing changes size. The status line, the sidebar and the
        open tab are built again in place (:meth:`Screen.rebuild_part`: a widget whose text
        did not change is kept as it is); the tabs built ahead become stale, built again
        the same way when next shown or at an idle wake-up."""
        if self.root is None or (self._player, self._quarter) != (self.session.current, self.session.quarter):
            self.rebuild()
            return
        open_tab = self.built_tabs.pop(self.tab, None)
        if open_tab is None:
            self.rebuild()
            return
        if self.coach is not None:
            self.coach.forget()
        focus = self.ctx.focus_index
        self.stale_tabs.update(self.built_tabs)
        self.built_tabs = {}
        self.figures = self.rebuild_part(self.figures, self._figures)
        self.current_tab = self._rebuild_tab_part(self.tab, open_tab[1])
        if self.coach is not None:
            self.coach.refresh()
        # What was killed sits in reference cycles: collected at the next idle wake-up.
        self.ctx.widgets_dropped(now=False)
        self.ctx.set_focus_index(focus)

    def _build_tab(self, name: str) -> Any:
        mark = self.mark()
        tab = make_tab(name, self, self.content_rect)
        tab.build()
        self.built_tabs[name] = (tab, self.part_since(mark))
        return tab

    def _rebuild_tab_part(self, name: str, part: Part) -> Any:
        """Build a tab again in place of its shown ``part`` (see :meth:`Screen.rebuild_part`)."""
        tab = make_tab(name, self, self.content_rect)
        self.built_tabs[name] = (tab, self.rebuild_part(part, tab.build))
        return tab

    COACH_FILLS = ("decisions",)
    """The tabs whose content the coach's step writes (the decisions form's values,
    :meth:`Coach.step`); the others show the same whatever it advises."""

    def _follow_coach(self) -> bool:
        """After what the screen shows changed (the tab, a selection): if the coach's advice
        changes with it, its next step may have filled in a form a kept tab shows, so those
        tabs (:attr:`COACH_FILLS`) become stale (built again, in place, when shown); the
        coach's box takes the new advice at :meth:`Coach.refresh`. True when the screen must
        be rebuilt whole instead: the new advice needs another height of the bottom bar (a
        window short of room, :meth:`_bottom_height`)."""
        if self.coach is None or self.coach.step() == self.coach.current:
            return False
        for name in self.COACH_FILLS:
            if name in self.built_tabs:
                self.stale_tabs[name] = self.built_tabs.pop(name)
        return self._bottom_height(Box(self.below_tabs, self.scale).rect.w) != self.bottom_height

    def show_tab(self, name: str) -> None:
        """Open a tab. Its content is kept (hidden) until the game's state changes, so going
        back to a tab shows it again without building it (see :meth:`warm`)."""
        if self.root is None or name not in TABS:
            return
        open_tab = self.built_tabs.get(self.tab)
        self.tab = name
        if open_tab is None or self._follow_coach():
            self.rebuild()
            return
        self.stash(open_tab[1])
        cached = self.built_tabs.get(name)
        stale = self.stale_tabs.pop(name, None)
        if cached is not None:
            self.unstash(cached[1])
            self.current_tab = cached[0]
        elif stale is not None:
            self.unstash(stale[1])
            self.current_tab = self._rebuild_tab_part(name, stale[1])
        else:
            self.current_tab = self._build_tab(name)
        for other, looks in self.tab_looks.items():
            shown, hidden = looks[other == name], looks[other != name]
            if hidden.visible:
                hidden.hide()
                shown.show()
                self.targets[f"tab:{other}"] = shown
                self.focusables[self.focusables.index(hidden)] = shown
        if self.coach is not None:
            self.coach.refresh()

    def rebuild_tab(self) -> None:
        """Build the open tab again (its selection or a form value changed; the game's state
        did not): the frame around it stays, and the other tabs keep their content."""
        built = self.built_tabs.pop(self.tab, None)
        if self.root is None or built is None or self._follow_coach():
            self.rebuild()
            return
        focus = self.ctx.focus_index
        self.current_tab = self._rebuild_tab_part(self.tab, built[1])
        if self.coach is not None:
            self.coach.refresh()
        self.ctx.widgets_dropped(now=False)
        self.ctx.set_focus_index(focus)

    def warm(self) -> bool:
        """Idle time: build one tab not built yet, hidden, so opening it later is a show and
        not a build. True if it built one."""
        if self.root is None or self.tab not in self.built_tabs:
            return False
        for name in TABS:
            if name not in self.built_tabs:
                stale = self.stale_tabs.pop(name, None)
                if stale is not None:
                    self.unstash(stale[1])
                    self._rebuild_tab_part(name, stale[1])
                else:
                    self._build_tab(name)
                self.stash(self.built_tabs[name][1])
                return True
        return False

    def _top_bar(self, rect: pygame.Rect) -> None:
        tr, session = self.tr, self.session
        bar = self.panel(rect, "#topbar")
        pad = self.s(10)
        bh = rect.h - 2 * pad
        right = rect.w - pad
        gw = self.button_width(tr("ui.common.glossary"), "glossary", minimum=120)
        mw = self.button_width(tr("ui.quarter.menu"), "back", minimum=100)
        sw = self.button_width(tr("ui.quarter.save"), "save", minimum=120)
        self.glossary_button(pygame.Rect(right - gw, pad, gw, bh), container=bar)
        right -= gw + self.s(8)
        self.button(pygame.Rect(right - mw, pad, mw, bh), tr("ui.quarter.menu"), self.menu, command="back", tooltip=tr("ui.tip.menu"), container=bar, focus=False)
        right -= mw + self.s(8)
        if session.workshop is None:
            # (A workshop saves itself every quarter; Ctrl+S and the menu still save.)
            self.button(pygame.Rect(right - sw, pad, sw, bh), tr("ui.quarter.save"), self.save, command="save", tooltip=tr("ui.tip.save"), container=bar, focus=False)
            right -= sw + self.s(16)
        self.swatch = None
        self.clock_label = None
        if session.workshop is not None:
            cw = self.button_width(tr("ui.workshop.console_button"), "console", minimum=120)
            console_button(self, pygame.Rect(right - cw, pad, cw, bh), container=bar)
            right -= cw + self.s(16)
            if session.workshop.timed:
                cw = self.text_width(tr("ui.workshop.clock", time="88:88"), "label", "#topbar_label") + self.s(16)
                self.clock_label = self.label(pygame.Rect(right - cw, pad, cw, bh), self.clock_string(), "#topbar_label", tooltip=tr("ui.tip.clock"), container=bar)
                right -= cw + self.s(8)
            self.swatch = pygame.Rect(rect.x + pad, rect.y + pad + self.s(4), self.s(28), bh - self.s(8))
            pad_name = pad + self.s(36)
        else:
            pad_name = pad
        year = session.level.start_year + (session.quarter - 1) // 4
        q_in_year = (session.quarter - 1) % 4 + 1
        when = tr("ui.quarter.when", quarter=session.quarter, turns=session.state.turns, year=str(year), q=q_in_year)
        name = session.firm_name()
        who = full_who = name if session.players == 1 else tr("ui.quarter.player_of", name=name, n=self.player + 1, players=session.players)
        # The quarter whole; when the bar is short (a workshop's clock and console button) or
        # the firm's name long, the date gives way, then the name is shortened (whole on hover).
        when_w = self.text_width(when, "label", "#topbar_label") + self.s(16)
        who_w = self.text_width(who, "label", "#topbar_label") + self.s(8)
        if when_w > (right - pad_name) * 0.6 or who_w > right - pad_name - when_w:
            when = tr("ui.turn.quarter", quarter=session.quarter, turns=session.state.turns)
            when_w = self.text_width(when, "label", "#topbar_label") + self.s(16)
            if session.players > 1 and who_w > right - pad_name - when_w:
                who = tr("ui.quarter.player_of_short", name=name, n=self.player + 1, players=session.players)
        when_w = self.text_width(when, "label", "#topbar_label") + self.s(16)
        name_w = right - pad_name - when_w
        self.label(pygame.Rect(pad_name, pad, name_w, bh), who, "#topbar_label", tooltip=full_who, container=bar)
        self.label(pygame.Rect(pad_name + name_w, pad, right - pad_name - name_w, bh), when, "#topbar_label", tooltip=tr("ui.tip.quarter"), container=bar)

    def _tabs(self, rect: pygame.Rect) -> None:
        tr = self.tr
        font = self.manager.get_theme().get_font(["@tab"])
        end_text = f"{tr('ui.quarter.end_turn')} ({ui_input.shortcut_label('end_turn', tr.lang)})"
        end_w = font.size(end_text)[0] + self.s(36)
        x = rect.x
        gap = self.s(6)
        avail = rect.w - end_w - self.s(12)
        labels = [f"{k + 1} {tr(f'ui.tab.{name}')}" for k, name in enumerate(TABS)]
        widths = [font.size(t)[0] + self.s(26) for t in labels]
        extra = max(0, (avail - sum(widths) - gap * (len(TABS) - 1)) // len(TABS))
        # Each tab's button in both looks, the other one hidden: opening a tab swaps them
        # rather than restyling a button (a pygame_gui restyle redraws it, ~10 ms each).
        self.tab_looks = {}
        for name, label, w in zip(TABS, labels, widths, strict=True):
            looks: tuple[Any, ...] = tuple(
                self.button(
                    pygame.Rect(x, rect.y, w + extra, rect.h),
                    label,
                    self._open_tab(name),
                    class_id="@tab",
                    object_id="#selected" if selected else None,
                    tooltip=tr(f"ui.tip.tab.{name}"),
                    focus=False,
                )
                for selected in (False, True)
            )
            self.tab_looks[name] = (looks[0], looks[1])
            shown = looks[name == self.tab]
            looks[name != self.tab].hide()
            self.targets[f"tab:{name}"] = shown
            self.focusables.append(shown)
            x += w + extra + gap
        end_label = tr("ui.quarter.end_turn") if self.session.players == 1 else tr("ui.quarter.end_player_turn")
        btn = self.button(pygame.Rect(rect.right - end_w, rect.y, end_w, rect.h), end_label, self.end_turn, object_id="#primary", command="end_turn", tooltip=tr("ui.tip.end_turn"))
        self.targets["end_turn"] = btn

    def _status(self) -> tuple[str, str]:
        if self.status is None:
            ap = int(self.session.state.firms.action_points[self.player])
            return self.tr("ui.quarter.status_idle", points=ap), "info"
        return self.status

    STATUS_LINES = 3
    """Lines of the status line across the window: the longest sentence a decision gives
    (result or refusal, with its barrier or lever tag) at 1280x720, in both languages."""
    COACH_LINES = 6
    """Lines of the bottom bar beside the coach (its advice with a warning, or a status
    sentence at 42% of the width): the longest seen at 1280x720 and 1920x1080."""
    TAB_ROOM = 480
    """Design pixels the tabs need at least (the decisions form, the call panel, the
    sidebar's figures: tests/ui/test_screens.py; 1280x720 leaves them 491 beside a status
    line of three lines). Beside the coach's six lines they have 565 at 1920x1080 and 495
    at 1600x900, but 419 at 1280x720."""

    def _bottom_height(self, width: int) -> float:
        """The bottom bar's height in design pixels: the same whatever it says, so that a
        decision changes its texts and never the size of the panels above them (issue 10: a
        resized panel's widgets are made anew); as tall as the longest status sentence (and
        coach's advice) needs, a longer one shortened, whole on hover (:meth:`Screen.summary`).
        But a window without the room for the coach's six lines (:attr:`TAB_ROOM`; 1280x720)
        gives the bar only the height its texts now need."""
        status_w = int(width * 0.42) if self.coach is not None else width
        if self.coach is None:
            return max(74.0, self.html_height("<br>".join(["Ág"] * self.STATUS_LINES), status_w, "#card_info") / self.scale)
        coach_w = width - status_w - self.s(10)
        lines = "<br>".join(["Ág"] * self.COACH_LINES)
        fixed = max(74.0, max(self.html_height(lines, status_w, "#card_info"), self.html_height(lines, coach_w, "#coach")) / self.scale)
        if (self.below_tabs.h - self.s(8)) / self.scale - fixed >= self.TAB_ROOM:
            return fixed
        text, _tone = self._status()
        need = max(self.html_height(self.tr.linked("✓ " + text), status_w, "#card_info"), self.html_height(self.coach.text(self.coach.step()), coach_w, "#coach"))
        return max(74.0, min(need / self.scale, 180.0))

    def _bottom_bar(self, rect: pygame.Rect) -> None:
        """The last decision's result (or why it was refused) and, in the tutorial, the coach."""
        tr = self.tr
        text, tone = self._status()
        mark = {"good": "✓ ", "bad": "✗ "}.get(tone, "")
        oid = {"good": "#card_good", "bad": "#card_bad"}.get(tone, "#card_info")
        status_rect = rect
        if self.coach is not None:
            status_rect = pygame.Rect(rect.x, rect.y, int(rect.w * 0.42), rect.h)
            coach_rect = pygame.Rect(status_rect.right + self.s(10), rect.y, rect.right - status_rect.right - self.s(10), rect.h)
            # With the coach's line already (Coach.refresh then finds it shown): a box built
            # again in place is set once, not emptied and set.
            said = self.coach.text(self.coach.step())
            self.coach_box = self.summary(coach_rect, said, "#coach")
            self.coach.shown(said)
        self.status_box = self.summary(status_rect, tr.linked(mark + text), oid)

    def _sidebar(self, rect: pygame.Rect) -> None:
        """The firm's key figures, then the objective and the quarter's hint, both always
        whole. When the window is short of room, the figures the firm tab also shows
        (tier, debt, contracts, in that order) give way first, then the panel's title, then
        free capacity, then action points (also in the status line), then what falls due
        after next quarter and last what comes in next quarter;
        the quarter's news (also in the report and on the map) appear only when they fit."""
        tr, session = self.tr, self.session
        st = session.state
        f = st.firms
        p = self.player
        panel = self.panel(rect)
        pad = self.s(10)
        w = rect.w - 2 * pad
        ap = int(f.action_points[p])
        contracts = sum(1 for c in st.contracts if c.active and p in c.members)
        runway = views.runway(session, p)
        free = views.free_capacity(session, p)
        due_next, due_later, schedule = views.receivables_due(session, p)
        later_text = ", ".join(tr("ui.firm.due_in", quarters=k + 1, amount=tr.money(v)) for k, v in enumerate(schedule) if v and k > 0)
        rows = [
            ("ui.side.cash", tr.money(int(f.cash[p])), tr("ui.tip.cash"), int(f.cash[p]) < 0),
            ("ui.side.runway", views.runway_text(session, p, tr, short=True), tr("ui.tip.runway"), runway is not None and runway < 2),
            ("ui.side.due_next", tr.money(due_next), tr("ui.tip.due_next") + " " + tr("ui.tip.receivables"), False),
            ("ui.side.due_later", tr.money(due_later), tr("ui.tip.due_later", schedule=later_text) if due_later else tr("ui.tip.due_later_none"), False),
            ("ui.side.debt", tr.money(int(f.debt[p])), tr("ui.tip.debt"), False),
            ("ui.side.points", "●" * ap + "○" * max(0, self._points_max() - ap) + f" {ap}", tr("ui.tip.points"), ap == 0),
            ("ui.side.tier", tr(f"ui.tier_short.{int(f.tier[p])}"), tr("ui.tip.tier") + " " + tr("ui.tip.best_tier", tier=tr.tier(int(f.best_tier[p]))), False),
            ("ui.side.contracts", tr.num(contracts), tr("ui.tip.contracts"), False),
            ("ui.side.capacity", tr.num(free), tr("ui.tip.capacity") + " " + tr("ui.side.capacity_value", free=tr.num(free), total=tr.num(int(f.capacity[p]))), free <= 0),
        ]
        if not f.alive[p]:
            rows.insert(0, ("ui.side.bankrupt", "", "", True))
        objective = views.objective_lines(session, p, tr, short=True)
        html = f"<b>{tr.html(tr('ui.side.objective'))}</b><br>" + "<br>".join(("✓ " if done else "○ ") + tr.html(line) for done, line in objective)
        hint, news = self._quarter_hint()
        if hint:
            html += "<br>" + hint
        # Try the whole panel, then with rows a little tighter, then with fewer figures, until
        # the text box shows all its text.
        # Receivables by due quarter stay longest after cash and runway: what comes in next.
        give_way = ["ui.side.tier", "ui.side.debt", "ui.side.contracts", "title", "ui.side.capacity", "ui.side.points", "ui.side.due_later", "ui.side.due_next"]
        hovers = len(self.hover_regions)
        attempts = [(k, row_h) for k in range(len(give_way) + 1) for row_h in (self.s(25), self.s(23))]
        for k, row_h in attempts:
            gone = give_way[:k]
            shown = [r for r in rows if r[0] not in gone]
            last = (k, row_h) == attempts[-1]
            top = pad + (0 if "title" in gone else self.s(34)) + row_h * len(shown) + self.s(4)
            if not last and self.html_height(html, w, "#plain") - 2 > rect.h - top - pad:
                continue  # the objective would scroll (measured, not built): fewer figures
            inner = self.container(pygame.Rect((0, 0), panel.get_container().get_rect().size), container=panel)
            y = pad
            if "title" not in gone:
                self.label(pygame.Rect(pad, y, w, self.s(30)), tr("ui.side.title"), "#subheading", container=inner)
                y += self.s(34)
            # Names as wide as the longest needs, the figures right-aligned in the rest.
            names_w = max((self.text_width(tr(key), "label", "#soft") for key, *_ in shown if key != "ui.side.bankrupt"), default=0) + self.s(8)
            values_w = max((self.text_width(value, "label", "#value") for _, value, *_ in shown), default=0) + self.s(8)
            label_w = max(int(w * 0.45), min(names_w, w - values_w))
            for key, value, tip, warn in shown:
                if key == "ui.side.bankrupt":
                    self.label(pygame.Rect(pad, y, w, row_h), tr(key), "#bad", container=inner)
                else:
                    self.label(pygame.Rect(pad, y, label_w, row_h), tr(key), "#soft", tooltip=tip, container=inner)
                    self.label(pygame.Rect(pad + label_w, y, w - label_w, row_h), value, "#bad_value" if warn else "#value", tooltip=tip, container=inner)
                y += row_h
            y += self.s(4)
            box = pygame.Rect(pad, y, w, rect.h - y - pad)
            if news and self.html_height(html + "<br><br>" + news, w, "#plain") <= box.h:
                self.sidebar_box = self.textbox(box, html + "<br><br>" + news, "#plain", container=inner)
                if self.sidebar_box.scroll_bar is None:
                    return
                self.sidebar_box.kill()
            self.sidebar_box = self.textbox(box, html, "#plain", container=inner)
            if self.sidebar_box.scroll_bar is None or last:
                return
            inner.kill()
            del self.hover_regions[hovers:]

    def _points_max(self) -> int:
        from game.core.actions import action_points_for

        return action_points_for(self.session.state, self.session.rules, self.player)

    def _quarter_hint(self) -> tuple[str, str]:
        """The level's tutorial hint for this quarter and the quarter's news (events), as HTML ("" if none)."""
        tr, level = self.tr, self.session.level
        q = self.session.quarter
        hint = news = ""
        if 0 < q <= len(level.tutorial):
            hint = f"<b>{tr.html(tr('ui.side.hint'))}</b><br>" + tr.linked(tr.level_text(level.tutorial[q - 1]))
        items = [e for e in self.session.state.explanations if e.key.startswith("event.") and e.firm in (-1, self.player)]
        if items:
            news = f"<b>{tr.html(tr('ui.side.news'))}</b><br>" + "<br>".join("• " + tr.linked(tr.explain(e, level)) for e in items[:3])
        return hint, news

    # -- actions ------------------------------------------------------------------------

    def _open_tab(self, name: str) -> Callback:
        def open_tab() -> None:
            self.show_tab(name)
            tab_button = self.targets.get(f"tab:{name}")
            if tab_button is not None and tab_button in self.focusables:
                self.ctx.set_focus_index(self.focusables.index(tab_button))

        return open_tab

    def perform(self, kind: str, **params: Any) -> bool:
        """Take a decision through game.ui.input and show what happened."""
        outcome = ui_actions.perform(self.session, kind, **params)
        tr = self.tr
        if outcome.ok:
            done = [e for e in self.session.state.explanations if e.firm == self.player and e.key.startswith("done.")]
            text = tr.explain(done[-1], self.session.level) if done else tr("ui.quarter.done", action=tr(f"action.{kind}"))
            self.status = (text, "good")
            self.ctx.sounds.play("ok")
        else:
            reason = tr.refusal(outcome.refusal, self.session.level) if outcome.refusal else tr("ui.refused.incomplete")
            self.status = (tr("ui.quarter.refused", action=tr(f"action.{kind}"), reason=reason), "bad")
            self.ctx.sounds.play("refused")
        self.refresh_figures()
        return outcome.ok

    def end_turn(self) -> Nav:
        return in_game(TurnFinished())

    def save(self) -> None:
        self.save_file(self.session.save_new, "ui.save.done")

    def save_replay(self) -> None:
        self.save_file(self.session.save_replay_new, "ui.save.replay_done")

    def menu(self) -> Nav:
        tr = self.tr

        def to_title() -> Nav:
            self.ctx.autosave()
            return Reset((Title(),))

        def settings() -> Nav:
            return Push(Settings())

        return Push(
            Message(
                tr("ui.menu.title"),
                tr("ui.menu.text"),
                (
                    (tr("ui.menu.resume"), None, "#primary"),
                    (tr("ui.menu.save"), self.save, None),
                    (tr("ui.menu.save_replay"), self.save_replay, None),
                    (tr("ui.menu.settings"), settings, None),
                    (tr("ui.menu.to_title"), to_title, None),
                    (tr("ui.menu.quit"), self._quit, "#danger"),
                ),
            )
        )

    def _quit(self) -> Nav:
        self.ctx.autosave()
        return Quit()

    # -- events -------------------------------------------------------------------------

    def on_command(self, command: str) -> Nav | None:
        if command.startswith("tab."):
            name = command[4:]
            if name in TABS:
                self._open_tab(name)()
                return STAY
        if command == "end_turn":
            return self.end_turn()
        if command == "save":
            self.save()
            return STAY
        if command == "back":
            return self.menu()
        if self.current_tab is not None and self.current_tab.on_command(command):
            return STAY
        return None

    def on_key(self, event: pygame.event.Event) -> Nav | None:
        return STAY if self.current_tab is not None and self.current_tab.on_key(event) else None

    def on_entry_changed(self, element: Any, text: str) -> None:
        if self.current_tab is not None:
            self.current_tab.on_entry_changed(element, text)

    def update(self, dt: float) -> None:
        self.tick_clock()
        if self.current_tab is not None:
            self.current_tab.update(dt)

    def drawn_texts(self) -> list[str]:
        out = super().drawn_texts()
        if self.current_tab is not None:
            out += self.current_tab.drawn_texts()
        return out

    def draw_under(self, surface: pygame.Surface) -> None:
        if self.current_tab is not None:
            self.current_tab.draw_under(surface)

    def draw_over(self, surface: pygame.Surface) -> None:
        if self.swatch is not None:
            team_band(self, surface, self.swatch, self.player)
        if self.current_tab is not None:
            self.current_tab.draw_over(surface)
        if self.coach is not None:
            self.coach.draw(surface)
