"""Where the window keeps its files: settings, saves, autosave and exported replays.

``ENCLAVE_HOME`` overrides the folder (tests point it at a temporary one);
otherwise a per-user folder that fits the platform.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR = "enclave"


def user_dir() -> Path:
    """The per-user folder (created on first use)."""
    override = os.environ.get("ENCLAVE_HOME")
    if override:
        base = Path(override).expanduser()
    elif sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "Enclave"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "Enclave"
    else:
        data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        base = Path(data) / APP_DIR
    base.mkdir(parents=True, exist_ok=True)
    return base


def settings_path() -> Path:
    return user_dir() / "settings.json"


def saves_dir() -> Path:
    path = user_dir() / "saves"
    path.mkdir(parents=True, exist_ok=True)
    return path


def autosave_path() -> Path:
    return saves_dir() / "autosave.json"


def replays_dir() -> Path:
    path = user_dir() / "replays"
    path.mkdir(parents=True, exist_ok=True)
    return path
