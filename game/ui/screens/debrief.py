"""The debrief (placeholder while it is being built)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.ui.screens.base import Screen


def export_to_user_folder(app: Any) -> tuple[Path | None, str | None]:
    return None, "not yet"


class DebriefScreen(Screen):
    name = "debrief"
