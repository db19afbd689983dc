"""Questions for the discussion, tied to the concepts of the seed documents."""

from __future__ import annotations

import pygame

from game.ui.screens.debrief.base import Section

QUESTIONS = 12
"""``debrief.question.1`` .. ``.12`` (the export prints the first five)."""

class QuestionsSection(Section):
    name = "questions"

    def build(self, rect: pygame.Rect) -> None:
        tr = self.tr
        items = [tr.linked(tr("ui.debrief.questions_intro"))]
        items += [f"<b>{k}.</b> " + tr.linked(tr(f"debrief.question.{k}")) for k in range(1, QUESTIONS + 1)]
        self.screen.document(rect, "<br><br>".join(items), "#plain")
