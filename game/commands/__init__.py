"""The command line's handlers, one module per family: headless runs (``run``, ``replay``,
``sweep``, ``bench``), the window (``play``, ``tour``, ``bench-ui``, no command), the
workshop files (``export``, ``what-if``) and the workshop host (``host``, ``bench-host``).

Layer: the top, with ``game/cli.py`` (its only importer). May import anything in
``game``: the core, the texts, the headless tools, the window (lazily, inside the
handlers, so ``python main.py run`` never loads pygame).

May import: game
"""
