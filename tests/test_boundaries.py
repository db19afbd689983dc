"""The shape of ``game/`` (practice 14), checked by reading the source.

Every module of ``game`` is parsed with ``ast`` and every import is read,
at any depth (inside functions and ``if TYPE_CHECKING:`` blocks too):

- no import cycle anywhere in ``game`` (the test names the cycle);
- every package's ``__init__`` docstring (and each top-level module's
  docstring) has a ``May import:`` line naming the parts of ``game`` (and the
  window libraries) its modules may import, optionally an ``Except:`` line;
  a module importing anything else of ``game``, or pygame without leave,
  fails with file, line and the rule;
- only :mod:`game.ui.routing` imports screens (the screens' shared pieces,
  their base class and the quarter screen's tabs excepted).

Third-party rules for the core (numpy, yaml, pydantic only; no clock, no
unseeded randomness) stay in ``test_core_boundary.py``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import ROOT

GAME = ROOT / "game"
WINDOW_LIBRARIES = ("pygame", "pygame_gui")
SCREEN_SHARED = {"game.ui.screens", "game.ui.screens.base", "game.ui.screens.parts"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def game_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(GAME.rglob("*.py"))}


MODULES = game_modules()
PACKAGES = {name for name, path in MODULES.items() if path.name == "__init__.py"}


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if module in PACKAGES else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


@dataclass(frozen=True)
class Import:
    line: int
    target: str
    """The module imported: a module of ``game`` (resolved), or a third-party top-level name."""


def imports_of(name: str) -> list[Import]:
    """Every import of a module, resolved to modules of ``game`` where it names one."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    out: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                out.append(Import(node.lineno, _resolve(alias.name)))
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(name, node)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.append(Import(node.lineno, sub if sub in MODULES else _resolve(base)))
    return out


def _resolve(dotted: str) -> str:
    if dotted.split(".")[0] != "game":
        return dotted.split(".")[0]
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {imported module of game: first line}, including the packages a dotted
    import runs (importing ``game.ui.nav`` runs ``game/ui/__init__.py`` first)."""
    graph: dict[str, dict[str, int]] = {}
    for name in MODULES:
        edges: dict[str, int] = {}
        for imp in imports_of(name):
            if imp.target not in MODULES:
                continue
            parts = imp.target.split(".")
            for k in range(1, len(parts) + 1):
                target = ".".join(parts[:k])
                if target != name and not name.startswith(target + "."):
                    edges.setdefault(target, imp.line)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One import cycle (a list of modules, the first repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_no_import_cycle_in_game() -> None:
    graph = import_graph()
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(f"{a} (line {graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False)) + f" -> {cycle[-1]}"


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": 1}, "b": {}}) is None


# ----------------------------------------------------------------------------
# What each package may import, from its own docstring


@dataclass(frozen=True)
class Rule:
    owner: str
    may: tuple[str, ...]
    except_: tuple[str, ...]

    def allows(self, target: str) -> bool:
        if _within(target, self.owner) and not any(_within(target, x) for x in self.except_):
            return True
        if any(_within(target, x) for x in self.except_):
            return False
        return any(_within(target, x) for x in self.may)


def _within(target: str, prefix: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


def _names(docstring: str, label: str) -> tuple[str, ...]:
    for line in docstring.splitlines():
        line = line.strip()
        if line.startswith(label):
            value = line[len(label) :].strip().rstrip(".")
            if value.lower() in ("", "nothing", "nothing of game"):
                return ()
            return tuple(v.strip().strip("`") for v in value.split(",") if v.strip())
    return ()


def rule_for(owner: str) -> Rule:
    doc = ast.get_docstring(ast.parse(MODULES[owner].read_text(encoding="utf-8"))) or ""
    assert "May import:" in doc, f"{MODULES[owner].relative_to(ROOT)}: the docstring must say what it may import (a 'May import:' line)"
    return Rule(owner, _names(doc, "May import:"), _names(doc, "Except:"))


def governing(name: str) -> str:
    """The package (or top-level module of ``game``) whose docstring rules a module."""
    if name in PACKAGES and name != "game":
        return name
    parent = name.rpartition(".")[0]
    if parent == "game":
        return name  # game/text.py, game/cli.py: their own docstring
    return governing(parent)


def test_every_package_says_what_it_may_import() -> None:
    owners = sorted({governing(n) for n in MODULES if n != "game"})
    missing = [str(MODULES[o].relative_to(ROOT)) for o in owners if "May import:" not in (ast.get_docstring(ast.parse(MODULES[o].read_text(encoding="utf-8"))) or "")]
    assert not missing, "no 'May import:' line in the docstring of: " + ", ".join(missing)


def test_every_import_is_allowed_by_its_package() -> None:
    problems = []
    for name in sorted(MODULES):
        if name == "game":
            continue
        rule = rule_for(governing(name))
        for imp in imports_of(name):
            is_game = imp.target == "game" or imp.target.startswith("game.")
            if not is_game and imp.target not in WINDOW_LIBRARIES:
                continue
            if not rule.allows(imp.target):
                where = MODULES[name].relative_to(ROOT)
                problems.append(f"{where}:{imp.line}: imports {imp.target}, but {MODULES[rule.owner].relative_to(ROOT)} allows only {', '.join(rule.may) or 'nothing of game'}" + (f" except {', '.join(rule.except_)}" if rule.except_ else ""))
    assert not problems, "\n".join(problems)


def test_the_rule_reader_refuses_what_is_not_listed() -> None:
    rule = Rule("game.ui.screens", ("game.core", "game.ui", "pygame"), ("game.ui.app",))
    assert rule.allows("game.core.engine") and rule.allows("game.ui.nav") and rule.allows("pygame")
    assert rule.allows("game.ui.screens.base")
    assert not rule.allows("game.ui.app") and not rule.allows("game.headless.export") and not rule.allows("pygame_gui")


def test_only_the_routing_module_imports_screens() -> None:
    screen_modules = {n for n in MODULES if _within(n, "game.ui.screens") and n not in SCREEN_SHARED and not _within(n, "game.ui.screens.tabs")}
    problems = []
    for name in sorted(MODULES):
        if name == "game.ui.routing":
            continue
        for imp in imports_of(name):
            if imp.target not in screen_modules:
                continue
            # A screen made of sections (a package) imports its own sections.
            if imp.target.rpartition(".")[0] in PACKAGES - SCREEN_SHARED and _within(name, imp.target.rpartition(".")[0]):
                continue
            problems.append(f"{MODULES[name].relative_to(ROOT)}:{imp.line}: imports the screen {imp.target} (only game/ui/routing.py does)")
    assert not problems, "\n".join(problems)
