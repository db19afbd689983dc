"""The window's screens, one module (or package of sections) each; they form a push/pop
stack (see game/ui/app.py). A screen returns navigation values (game/ui/nav.py) and sees
the window through game/ui/context.py; only game/ui/routing.py imports screens, and
screens share pieces through ``base.py`` and ``parts.py``.

May import: game.core, game.text, game.headless, game.models, game.ui, pygame, pygame_gui
Except: game.ui.app, game.ui.routing, game.ui.window, game.ui.tour, game.ui.bench
"""
