"""UI tests run without a display or an audio device, with the user folder in a temp dir.

The SDL variables are set here, before anything imports pygame (practice 9).
"""

from __future__ import annotations

import os
import tempfile

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "disk"
os.environ.setdefault("SDL_DISKAUDIOFILE", os.devnull)
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("ENCLAVE_HOME", tempfile.mkdtemp(prefix="enclave-ui-tests-"))

import pytest  # noqa: E402


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh, empty user folder for one test."""
    monkeypatch.setenv("ENCLAVE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def app(home):
    """A headless window at 1280x720 in Spanish on the title screen."""
    from tests.ui.helpers import make_app

    a = make_app()
    yield a
    a.close()


@pytest.fixture(params=[("es", (1280, 720)), ("en", (1920, 1080))], ids=["es-1280x720", "en-1920x1080"])
def tutorial_app(request, home):
    """A tutorial game in a headless window, in Spanish at 1280x720 and in English at 1920x1080:
    (app, lang, size)."""
    from tests.ui.helpers import make_app, start_game

    lang, size = request.param
    a = make_app(lang, size)
    start_game(a, "tutorial")
    yield a, lang, size
    a.close()
