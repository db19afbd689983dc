"""What a screen may use of the window: a small typed context instead of the whole app.

:class:`game.ui.app.App` provides it; a screen sees only these members
(checked by mypy), so no screen reaches the app's stack, its private
members or another screen. Moving between screens is not here: a screen
returns a navigation value (:mod:`game.ui.nav`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pygame_gui

    from game.ui.anim import AnimationClock
    from game.ui.session import Session
    from game.ui.settings import Settings
    from game.ui.sound import Sounds
    from game.ui.texts import Tr
    from game.ui.theme import Fonts


class Context(Protocol):
    """The window's services a screen uses."""

    @property
    def tr(self) -> Tr:
        """Translations in the chosen language."""

    @property
    def fonts(self) -> Fonts:
        """Fonts for drawn text, at the window's scale."""

    @property
    def scale(self) -> float:
        """Pixels per design pixel (the window's size and the chosen UI scale)."""

    @property
    def size(self) -> tuple[int, int]:
        """The window's size in pixels."""

    @property
    def manager(self) -> pygame_gui.UIManager:
        """The widget manager the screen builds its widgets with."""

    @property
    def session(self) -> Session | None:
        """The game being played in the window (None on the title before a game)."""

    @property
    def settings(self) -> Settings:
        """The player's settings (language, size, sound...)."""

    @property
    def sounds(self) -> Sounds:
        """Short sounds (a click, a refusal)."""

    @property
    def anim(self) -> AnimationClock:
        """The animation clock (separate from the game's quarters)."""

    @property
    def focus_index(self) -> int:
        """Which focusable element has the keyboard focus (-1: none)."""

    def set_focus_index(self, index: int) -> None:
        """Move the keyboard focus to the ``index``-th focusable element of the top screen."""

    def notify(self, text: str, tone: str = "info") -> None:
        """A short message over any screen, fading after a few seconds."""

    def autosave(self) -> None:
        """Save the session to the autosave file (a failure is notified, not raised)."""

    def apply_settings(self, new: Settings) -> None:
        """Use and save new settings (rebuilds the screen)."""

    def screens_below(self) -> list[str]:
        """Names of the screens under the top one, bottom first."""

    def widgets_dropped(self, now: bool = True) -> None:
        """A screen killed its widgets: collect them now, before new ones are made."""
