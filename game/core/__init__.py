"""The simulation: state, rules, actions, levels, replays (see docs/architecture.md).

Third-party: numpy, pyyaml, pydantic only, no wall clock, no unseeded randomness
(``tests/test_core_boundary.py``).

May import: nothing of game
"""
