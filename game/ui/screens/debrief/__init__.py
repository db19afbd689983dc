"""The debrief: class charts, cause and effect, what if, questions for the discussion,
and the export button.

- **Charts**: every team over the quarters (cash, capabilities, best tier,
  contracts) in its colour, and the cluster's local share and stage, with the
  events (grey) and the facilitator's policy switches (green) marked as dotted
  lines on the time axis.
- **Cause and effect**: each team's three key moments
  (:func:`game.core.debrief.key_moments`) with the barrier family or lever behind each.
- **What if**: the recorded session is saved to the user folder and re-run by
  :func:`game.models.debrief.run_what_if` with one catalyst policy switched, or a
  computer strategy in place of one team, from a chosen quarter; the two paths
  are shown side by side, with the first quarter that differs marked.
- **Questions** tied to the concepts of the seed documents.
- **Export**: :func:`game.headless.export.export_session`, the same function as
  ``python main.py export``, into the user folder.

The package: ``screen.py`` the frame, ``base.py`` what the sections share, one module
per section (``charts``, ``causes``, ``whatif``, ``questions``); the what-if runs and
the export are pygame-free models in :mod:`game.models.debrief`.

May import: game.core, game.text, game.headless, game.models, game.ui, pygame, pygame_gui
Except: game.ui.app, game.ui.routing, game.ui.window, game.ui.tour, game.ui.bench
"""

from game.ui.screens.debrief.screen import DebriefScreen

__all__ = ["DebriefScreen"]
