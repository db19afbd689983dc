"""Where the window keeps its files: settings, saves, autosave and exported replays.

``ENCLAVE_HOME`` overrides the folder (tests point it at a temporary one);
otherwise a per-user folder that fits the platform.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR = "enclave"

PROBLEM: str | None = None
"""Why the user folder could not be used (the window says so and carries on in a temporary one)."""


def user_dir() -> Path:
    """The per-user folder (created on first use).

    If it cannot be created or written (a bad ``ENCLAVE_HOME``, a read-only or full
    disk), a folder in the system's temp directory is used instead and
    :data:`PROBLEM` says why, so the game still starts with default settings.
    """
    global PROBLEM
    base = _preferred()
    try:
        base.mkdir(parents=True, exist_ok=True)
        if not os.access(base, os.W_OK | os.X_OK):
            raise PermissionError(13, "the folder is not writable", str(base))
        return base
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        PROBLEM = f"{str(base)[:300]}: cannot use this folder for settings and saves ({reason}); using a temporary folder"
    import tempfile

    fallback = Path(tempfile.gettempdir()) / f"enclave-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def _preferred() -> Path:
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
