"""The tutorial coach: one step at a time, it says what to do next on the quarter
screen and outlines the button to press.

Steps are worked out from the game state and the screen (which tab is open,
what is selected), so the coach follows the player instead of a script: it
only suggests decisions the core would accept now. The scripted-player test
plays the whole tutorial by pressing what the coach points at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from game.core import actions as core_actions
from game.models import actions as ui_actions
from game.models import decisions as model
from game.ui.theme import PALETTE


@dataclass(frozen=True)
class Step:
    key: str
    target: str | None
    params: tuple[tuple[str, Any], ...] = ()


class Coach:
    def __init__(self, screen: Any):
        self.screen = screen
        self.current: Step | None = None

    @property
    def session(self) -> Any:
        return self.screen.session

    def _valid(self, kind: str, **params: Any) -> bool:
        return ui_actions.preview(self.session, kind, **params).refusal is None

    def _decision(self, kind: str, key: str, **params: Any) -> Step:
        sc = self.screen
        if sc.tab != "decisions":
            return Step("tutorial.go_decisions", "tab:decisions", (("action", kind),))
        if sc.tab_state.get("decisions", {}).get("kind") != kind:
            return Step("tutorial.pick_decision", f"decision:{kind}", (("action", kind),))
        return Step(key, "do", tuple(params.items()))

    def step(self) -> Step:
        session, sc = self.session, self.screen
        st, rules = session.state, session.rules
        f = st.firms
        i = sc.player
        if not f.alive[i]:
            return Step("tutorial.bankrupt", "end_turn")
        if int(f.action_points[i]) <= 0:
            return Step("tutorial.end_turn", "end_turn")
        calls = model.visible_rfqs(session)
        # A call the firm can bid on now: bid.
        for rfq in calls:
            already = any(b.rfq_id == rfq.id and b.firm == i for b in st.bids)
            if already or core_actions.bid_requirements(st, rules, i, rfq.id, False):
                continue
            if not self._valid("bid", rfq=rfq.id, price=int(rfq.target_price)):
                continue
            if sc.tab != "calls":
                return Step("tutorial.go_calls_bid", "tab:calls")
            if sc.tab_state.get("calls", {}).get("rfq") != rfq.id:
                return Step("tutorial.select_call", f"rfq:{rfq.id}")
            competitive = int(rfq.target_price * 0.9)
            if int(sc.tab_state.get("calls", {}).get(f"price:{rfq.id}", rfq.target_price)) > competitive:
                return Step("tutorial.set_price", "price:90")
            return Step("tutorial.send_bid", "bid")
        # A call asks for a certification the firm lacks: look, then start it.
        seen = sc.tab_state.setdefault("coach", {})
        if sc.tab == "calls":
            seen["calls_seen_quarter"] = st.quarter
        for rfq in calls:
            for cert in rfq.certifications:
                cid = rules.level.certifications[cert].id
                if f.cert_held[i, cert] or f.cert_left[i, cert] > 0 or not self._valid("start_certification", certification=cid):
                    continue
                name = self.screen.tr.level_text(rules.level.certifications[cert].name)
                if seen.get("calls_seen_quarter") != st.quarter and sc.tab != "decisions":
                    return Step("tutorial.look_calls", "tab:calls")
                sc.tab_state.setdefault("decisions", {}).setdefault("values", {}).setdefault("start_certification", {})["certification"] = cid
                if sc.tab == "calls":
                    return Step("tutorial.missing_certification", "tab:decisions", (("certification", name),))
                return self._decision("start_certification", "tutorial.start_certification", certification=name)
        if int(f.trained_quarter[i]) != st.quarter and st.quarter <= 6 and self._valid("train_staff"):
            return self._decision("train_staff", "tutorial.train_staff")
        if not f.association[i] and self._valid("join_association"):
            if sc.tab != "cooperation":
                return Step("tutorial.go_cooperation", "tab:cooperation")
            return Step("tutorial.join_association", "coop:join_association")
        return Step("tutorial.end_turn_now", "end_turn")

    def text(self, step: Step) -> str:
        tr = self.screen.tr
        params = dict(step.params)
        if "action" in params:
            params["action"] = tr(f"action.{params['action']}")
        return f"<b>➜ {tr.html(tr('ui.coach.next'))}</b> " + tr.linked(tr(step.key, **params))

    def refresh(self) -> None:
        step = self.step()
        if step != self.current:
            self.current = step
            self.screen.ctx.anim.start("coach", 2.0)
        box = getattr(self.screen, "coach_box", None)
        if box is not None and box.alive():
            box.set_text(self.text(step))
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
