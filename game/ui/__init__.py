"""The game window (pygame-ce + pygame_gui): reads the core's state, emits the core's actions.

Layout of the package:

- ``app.py``: the window, the main loop (sleeps on events when idle) and the screen stack.
- ``nav.py``: the navigation values screens return (Push, Pop, Replace, Reset) and the
  places they name; ``routing.py`` turns places into screens and holds the order of
  screens in a game and a workshop (the only importer of screens).
- ``context.py``: the small typed context a screen sees instead of the app.
- ``window.py``: opening the window (the app with the routing).
- ``screens/``: one module per screen (title, level choice, setup, quarter, report, end...).
- ``input.py``: the one module that turns UI events into core actions (and the key map).
- ``session.py``: a game being played in the window, recorded as a replay; saves.
- ``widgets/``: the cluster map and the charts, drawn with pygame.
- ``anim.py``: the animation clock, separate from the turn clock (the core's quarters).

The core (``game/core``) never imports anything from here.

May import: game.core, game.text, game.headless, game.models, pygame, pygame_gui
"""

import os as _os

_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
