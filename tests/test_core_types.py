"""All of game/ type-checks with mypy: the core, the texts, the headless tools, the models,
the window and the command line (CONVENTIONS.md practice 12; mypy is in the test extra)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_game_type_checks_with_mypy() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "game"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success" in proc.stdout
