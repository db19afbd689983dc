"""Widgets drawn with pygame: the cluster map and the charts.

May import: game.core, game.text, game.ui, pygame, pygame_gui
Except: game.ui.screens, game.ui.app, game.ui.routing, game.ui.window, game.ui.tour, game.ui.bench
"""
