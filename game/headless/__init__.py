"""Runs without a window: the headless runner, sweeps, benchmarks and exports.

May import: game.core, game.text
"""
