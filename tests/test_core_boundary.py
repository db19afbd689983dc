"""The core's module boundary (practices 1, 3 and 4), checked by reading the source.

Every module of ``game.core`` is parsed with ``ast``; the tests fail if one
imports anything but the standard library, numpy, yaml, pydantic and
``game.core`` itself (no pygame, pygame_gui, UI, headless or text code),
or calls a module-level random function or the wall clock. numpy's
generator constructors are allowed only in ``rng.py``, where the seeded
streams are built.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import game.core
from tests.helpers import ROOT

CORE_DIR = Path(game.core.__file__).resolve().parent
ALLOWED_THIRD_PARTY = {"numpy", "yaml", "pydantic"}
FORBIDDEN_ANYWHERE = ("pygame", "pygame_gui", "game.ui")
RNG_MODULE = "rng.py"
RNG_CONSTRUCTORS = {
    "numpy.random.Generator",
    "numpy.random.SeedSequence",
    "numpy.random.PCG64",
    "numpy.random.default_rng",
}
WALL_CLOCK = {
    "time.time",
    "time.time_ns",
    "time.perf_counter",
    "time.perf_counter_ns",
    "time.monotonic",
    "time.monotonic_ns",
    "time.localtime",
    "time.gmtime",
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
}


def core_modules() -> list[tuple[str, Path]]:
    """(dotted name, file) of every module in game.core, found with pkgutil."""
    out = []
    for info in pkgutil.walk_packages([str(CORE_DIR)], prefix="game.core."):
        if info.ispkg:
            path = CORE_DIR.joinpath(*info.name.split(".")[2:], "__init__.py")
        else:
            path = CORE_DIR.joinpath(*info.name.split(".")[2:]).with_suffix(".py")
        out.append((info.name, path))
    out.append(("game.core", CORE_DIR / "__init__.py"))
    return sorted(out)


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ImportFrom refers to (resolving relative imports)."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts[: len(parts) - node.level]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(source: str, module: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a module, at any depth."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            out.append((node.lineno, base))
            # `from game import ui` imports game.ui
            out += [(node.lineno, f"{base}.{alias.name}") for alias in node.names if base in ("game", "game.core")]
    return out


def import_problems(source: str, module: str) -> list[str]:
    problems = []
    for line, name in imported_modules(source, module):
        top = name.split(".")[0]
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_ANYWHERE):
            problems.append(f"{module}:{line}: imports {name} (UI code is never imported by the core)")
        elif top == "game":
            if name != "game" and not (name == "game.core" or name.startswith("game.core.")):
                problems.append(f"{module}:{line}: imports {name}, outside game.core")
            elif name == "game":
                problems.append(f"{module}:{line}: imports the top-level game package")
        elif top not in sys.stdlib_module_names and top not in ALLOWED_THIRD_PARTY and top != "__future__":
            problems.append(f"{module}:{line}: imports {name} (only stdlib, numpy, yaml, pydantic)")
    return problems


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> the dotted module path it stands for, from every import."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    names[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def called_names(source: str) -> list[tuple[int, str]]:
    """(line, fully resolved dotted name) of every call through an imported name."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name is None:
                continue
            head, _, rest = name.partition(".")
            if head in aliases:
                out.append((node.lineno, aliases[head] + ("." + rest if rest else "")))
    return out


def nondeterminism_problems(source: str, filename: str) -> list[str]:
    problems = []
    for line, name in called_names(source):
        where = f"{filename}:{line}"
        if name.startswith("random."):
            problems.append(f"{where}: calls {name} (module-level random; use the state's streams)")
        elif name.startswith("numpy.random."):
            if name not in RNG_CONSTRUCTORS:
                problems.append(f"{where}: calls {name} (module-level numpy random; use the state's streams)")
            elif filename != RNG_MODULE:
                problems.append(f"{where}: builds a generator with {name} outside rng.py")
        elif name in WALL_CLOCK:
            problems.append(f"{where}: reads the wall clock with {name}")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sum":
            # Python 3.12's sum() compensates float sums: another last bit than 3.11's, so a replay
            # recorded on one would not verify on the other.
            problems.append(f"{filename}:{node.lineno}: calls the built-in sum (use detmath.ordered_sum or fsum)")
    return problems


MODULES = core_modules()


def test_walk_finds_the_core_modules():
    names = {name for name, _ in MODULES}
    for expected in ("game.core.engine", "game.core.actions", "game.core.state", "game.core.rng", "game.core.replay"):
        assert expected in names
    assert all(path.exists() for _, path in MODULES)


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_core_module_imports_only_allowed_packages(module, path):
    problems = import_problems(path.read_text(encoding="utf-8"), module)
    assert not problems, "\n".join(problems)


KNOWN_RANDOMNESS_BUGS: dict[str, str] = {}
RANDOMNESS_PARAMS = [
    pytest.param(m, p, id=m, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_RANDOMNESS_BUGS[m])] if m in KNOWN_RANDOMNESS_BUGS else [])
    for m, p in MODULES
]


@pytest.mark.parametrize(("module", "path"), RANDOMNESS_PARAMS)
def test_core_module_has_no_unseeded_randomness_or_wall_clock(module, path):
    problems = nondeterminism_problems(path.read_text(encoding="utf-8"), path.name)
    assert not problems, "\n".join(problems)


def test_rng_module_builds_its_generators_from_a_seed_sequence():
    calls = {name for _, name in called_names((CORE_DIR / RNG_MODULE).read_text(encoding="utf-8"))}
    assert "numpy.random.SeedSequence" in calls


# The checkers themselves must catch what they are meant to catch.

BAD_IMPORTS = [
    ("import pygame", "pygame"),
    ("import pygame_gui as gui", "pygame_gui"),
    ("from pygame import display", "pygame"),
    ("from game.ui import screens", "game.ui"),
    ("from game import ui", "game.ui"),
    ("from ..ui import widgets", "game.ui"),
    ("from game.headless import runner", "game.headless"),
    ("from game.text import t", "game.text"),
    ("import tqdm", "tqdm"),
    ("def f():\n    import pygame\n", "pygame"),
]


@pytest.mark.parametrize(("source", "needle"), BAD_IMPORTS)
def test_import_checker_catches(source, needle):
    problems = import_problems(source, "game.core.fake")
    assert any(needle in p for p in problems), problems


@pytest.mark.parametrize(
    "source",
    ["import json\nimport numpy as np\nfrom pydantic import BaseModel\nimport yaml",
     "from game.core import rules\nfrom game.core.state import Firms\nfrom . import actions",
     "from __future__ import annotations\nfrom collections.abc import Callable"],
)
def test_import_checker_allows(source):
    assert import_problems(source, "game.core.fake") == []


BAD_CALLS = [
    "import random\nrandom.random()",
    "import random as r\nr.choice([1, 2])",
    "from random import shuffle\nshuffle(x)",
    "import numpy as np\nnp.random.rand(3)",
    "import numpy\nnumpy.random.seed(1)",
    "from numpy import random as npr\nnpr.normal()",
    "import numpy as np\nnp.random.default_rng(1)",
    "import numpy as np\nnp.random.Generator(np.random.PCG64(1))",
    "import time\ntime.time()",
    "from time import perf_counter\nperf_counter()",
    "from datetime import datetime\ndatetime.now()",
    "import datetime\ndatetime.date.today()",
    "total = sum(x * w for x, w in pairs)",
]


@pytest.mark.parametrize("source", BAD_CALLS)
def test_nondeterminism_checker_catches(source):
    assert nondeterminism_problems(source, "engine.py")


def test_nondeterminism_checker_allows_annotations_and_seeded_streams():
    source = (
        "import numpy as np\n"
        "def f(rng: np.random.Generator) -> float:\n"
        "    return rng.random() + rng.normal()\n"
    )
    assert nondeterminism_problems(source, "engine.py") == []
    assert nondeterminism_problems("import numpy as np\nnp.random.SeedSequence(1)", RNG_MODULE) == []


def test_importing_the_core_loads_no_ui_package():
    """Run time check too: importing every core module pulls in no pygame or UI package."""
    code = (
        "import importlib, sys\n"
        f"for name in {[m for m, _ in MODULES]!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pygame', 'pygame_gui', 'tqdm') or m.startswith(('game.ui', 'game.headless', 'game.text')))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"importing game.core loaded: {proc.stdout.strip()}"
