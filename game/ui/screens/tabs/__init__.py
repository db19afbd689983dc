"""The tabs of the quarter screen, one module each.

May import: game.core, game.text, game.headless, game.models, game.ui, pygame, pygame_gui
Except: game.ui.app, game.ui.routing, game.ui.window, game.ui.tour, game.ui.bench
"""

from __future__ import annotations

from typing import Any

TABS: tuple[str, ...] = ("map", "firm", "decisions", "calls", "cooperation", "policies")


def make_tab(name: str, screen: Any, rect: Any) -> Any:
    from game.ui.screens.tabs.calls import CallsTab
    from game.ui.screens.tabs.cooperation import CooperationTab
    from game.ui.screens.tabs.decisions import DecisionsTab
    from game.ui.screens.tabs.firm import FirmTab
    from game.ui.screens.tabs.map import MapTab
    from game.ui.screens.tabs.policies import PoliciesTab

    cls = {
        "map": MapTab,
        "firm": FirmTab,
        "decisions": DecisionsTab,
        "calls": CallsTab,
        "cooperation": CooperationTab,
        "policies": PoliciesTab,
    }[name]
    return cls(screen, rect)
