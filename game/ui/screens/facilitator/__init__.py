"""The facilitator's console (F9 from every team screen, behind the PIN set at start).

Four sections: the session (pause, the timer, who has decided, late teams
handed to a computer strategy, a note on the quarter, the debrief and the
export), the teams (every team's dashboard side by side and a leaderboard),
the cluster and its catalyst policies (switch one on or off from next
quarter) and the level's events (inject one for next quarter).

Everything that touches the game goes through :func:`game.ui.input.facilitate`,
so the core's recorder keeps it in the replay.

The package: ``pin.py`` the PIN screen, ``screen.py`` the console's frame, ``base.py``
what its sections share, one module per section (``session``, ``teams``, ``cluster``,
``events``).

May import: game.core, game.text, game.headless, game.models, game.ui, pygame, pygame_gui
Except: game.ui.app, game.ui.routing, game.ui.window, game.ui.tour, game.ui.bench
"""

from game.ui.screens.facilitator.pin import PinScreen
from game.ui.screens.facilitator.screen import FacilitatorScreen

__all__ = ["FacilitatorScreen", "PinScreen"]
