"""The tutorial coach: one step at a time, it says what to do next on the quarter
screen and outlines the button to press.

What to do comes from the core's advisor (game/core/advisor.py: pygame-free,
checked for capacity, on-time margin and cash before it recommends a bid or
an investment); this module only turns that advice into the clicks that carry
it out here (which tab, which row, which button) and writes its reason. The
scripted-player test plays the whole tutorial by pressing what the coach
points at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from game.core import advisor
from game.core.actions import PlaceBid, StartCertification
from game.models import views
from game.ui.theme import PALETTE


@dataclass(frozen=True)
class Step:
    key: str
    target: str | None
    params: tuple[tuple[str, Any], ...] = ()
    warnings: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()


DECISION_TABS = {"join_association": "cooperation"}
"""Decisions the coach points at outside the decisions tab (the button's coach target is ``coop:<kind>``)."""

RUNWAY_KEYS = frozenset({"coach.runway_low", "coach.runway_under_one"})
"""The advisor's low-runway warnings (the forecast's shortfall says the same, with the amount)."""


class Coach:
    def __init__(self, screen: Any):
        self.screen = screen
        self.current: Step | None = None
        self._advice: advisor.Advice | None = None
        self._shown = ""

    def forget(self) -> None:
        """The game's state may have changed (the screen is rebuilt): ask the advisor again.
        Between rebuilds (a tab opened, a row selected) its advice is the same, and only
        the clicks that carry it out depend on what the screen shows."""
        self._advice = None
        self._shown = ""

    @property
    def session(self) -> Any:
        return self.screen.session

    def _decision(self, kind: str, key: str, params: dict[str, Any], values: dict[str, Any]) -> Step:
        sc = self.screen
        if values:
            sc.tab_state.setdefault("decisions", {}).setdefault("values", {}).setdefault(kind, {}).update(values)
        if sc.tab != "decisions":
            return Step("tutorial.go_decisions", "tab:decisions", (("action", kind),))
        if sc.tab_state.get("decisions", {}).get("kind") != kind:
            return Step("tutorial.pick_decision", f"decision:{kind}", (("action", kind),))
        return Step(key, "do", tuple(params.items()))

    def step(self) -> Step:
        session, sc = self.session, self.screen
        st, rules = session.state, session.rules
        if self._advice is None:
            self._advice = advisor.advise(st, rules, sc.player)
        advice = self._advice
        warnings = tuple((k, tuple(p.items())) for k, p in advice.warnings)
        step = self._step_for(advice)
        return Step(step.key, step.target, step.params, warnings)

    def _step_for(self, advice: advisor.Advice) -> Step:
        sc = self.screen
        st, rules = self.session.state, self.session.rules
        params = dict(advice.params)
        action = advice.action
        if action is None:
            if advice.key == "tutorial.bankrupt":
                return Step("tutorial.bankrupt", "end_turn")
            return Step(advice.key, "end_turn", tuple(params.items()))
        if isinstance(action, PlaceBid):
            calls = sc.tab_state.setdefault("calls", {})
            if sc.tab != "calls":
                return Step("tutorial.go_calls_bid", "tab:calls")
            if calls.get("rfq") != action.rfq:
                return Step("tutorial.select_call", f"rfq:{action.rfq}", (("rfq", action.rfq),))
            if action.consortium and not calls.get("consortium"):
                return Step("coach.tick_consortium", "consortium")
            if int(calls.get(f"price:{action.rfq}", -1)) != action.price:
                return Step("tutorial.set_price", f"price:{int(round((advice.price_factor or 1.0) * 100))}", (("price", action.price),))
            return Step(advice.key, "bid", tuple(params.items()))
        kind = action.kind
        if kind in DECISION_TABS:
            tab = DECISION_TABS[kind]
            if sc.tab != tab:
                return Step(f"tutorial.go_{tab}", f"tab:{tab}")
            return Step(advice.key, f"coop:{kind}", tuple(params.items()))
        values = {k: v for k, v in action.to_dict().items() if k not in ("type", "firm")}
        if isinstance(action, StartCertification):
            # Look at the call that asks for it first, so the player sees why.
            seen = sc.tab_state.setdefault("coach", {})
            if sc.tab == "calls":
                seen["calls_seen_quarter"] = st.quarter
            if seen.get("calls_seen_quarter") != st.quarter and sc.tab != "decisions":
                return Step("tutorial.look_calls", "tab:calls")
            name = sc.tr.level_text(rules.level.certifications[rules.cert_index[action.certification]].name)
            params["certification"] = name
            if sc.tab == "calls":
                sc.tab_state.setdefault("decisions", {}).setdefault("values", {}).setdefault(kind, {}).update(values)
                return Step("tutorial.missing_certification", "tab:decisions", (("certification", name),))
        return self._decision(kind, advice.key, params, values)

    def text(self, step: Step) -> str:
        tr = self.screen.tr
        params = dict(step.params)
        if "rfq" in params:
            # The call as the calls tab lists it, never its internal id (q4_3).
            call = next((r for r in self.session.state.rfqs if r.id == params["rfq"]), None)
            if call is not None:
                params["rfq"] = views.call_title(self.session, call, tr)
        if "action" in params:
            params["action"] = tr(f"action.{params['action']}")
        out = f"<b>➜ {tr.html(tr('ui.coach.next'))}</b> " + tr.linked(tr(step.key, **params))
        warnings = step.warnings
        if any(key == "coach.cash_short" for key, _ in warnings):
            # The forecast's shortfall says what the low runway says, with the amount: one warning, so the
            # coach's line stays whole in the bottom bar at 1280x720.
            warnings = tuple(w for w in warnings if w[0] not in RUNWAY_KEYS)
        for key, wparams in warnings:
            out = f"<b>⚠ {tr.linked(tr(key, **dict(wparams)))}</b><br>" + out
        return out

    def shown(self, text: str) -> None:
        """The coach's box was built showing ``text``."""
        self._shown = text

    def refresh(self) -> None:
        step = self.step()
        if step != self.current:
            self.current = step
            self.screen.ctx.anim.start("coach", 2.0)
        box = getattr(self.screen, "coach_box", None)
        text = self.text(step)
        if box is not None and box.alive() and text != self._shown:
            self.screen.set_summary(box, text)
            self._shown = text
        element = self.screen.targets.get(step.target) if step.target else None
        if element is not None:
            self.screen.reveal(element)

    def target_element(self) -> Any:
        if self.current is None or self.current.target is None:
            return None
        element = self.screen.targets.get(self.current.target)
        if element is None or not element.alive() or not element.visible:
            return None
        return element

    def draw(self, surface: pygame.Surface) -> None:
        element = self.target_element()
        if element is None:
            return
        p = self.screen.ctx.anim.progress("coach")
        grow = int(self.screen.s(8) * (1.0 - p)) if p is not None else 0
        rect = element.rect.inflate(self.screen.s(10) + 2 * grow, self.screen.s(10) + 2 * grow)
        clip = getattr(element.ui_container, "rect", None)
        if clip is not None and not clip.colliderect(element.rect):
            return
        pygame.draw.rect(surface, PALETTE.warn, rect, width=max(3, self.screen.s(4)), border_radius=self.screen.s(8))
