"""Models the window shows that need no window: what-if runs of a recorded session,
exports into a folder, the decision views (parameters, cost, effect, refusal), the
texts read from the state, and the one place where a choice becomes a core action.
Pure Python (no pygame), so the headless side, the coach and the tests read them
too; the screens only lay them out.

May import: game.core, game.text, game.headless
"""
