"""Enclave: a serious game about a local SME in a global value chain.

Layers, each importing only the layers before it (``tests/test_boundaries.py``
reads every import and checks this, and that there is no import cycle):

1. ``core``: the simulation (no pygame, no texts, deterministic);
2. ``text.py``: translations and formatting of what the core emits;
3. ``headless``: runs without a window (runner, sweeps, benchmarks, exports);
4. ``models``: what the window shows that needs no window (what-if, exports);
5. ``ui``: the pygame-ce / pygame_gui window;
6. ``commands`` and ``cli.py``: the command line, on top of everything.

Each package's ``__init__`` docstring (and ``text.py``'s, ``cli.py``'s) has a
``May import:`` line the test enforces.
"""
