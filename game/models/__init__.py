"""Models the window shows that need no window: what-if runs of a recorded session and
exports into a folder. Pure Python (no pygame), so the headless side and the tests read
them too; the screens only lay them out.

May import: game.core, game.text, game.headless
"""
