"""Shared pytest set-up: headless by default (practice 9) and the small-cluster builder."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "disk")
# Validated levels are cached (game/core/level_cache.py) in a folder of the test run, never the user's.
os.environ.setdefault("ENCLAVE_CACHE_DIR", tempfile.mkdtemp(prefix="enclave-cache-tests-"))


@pytest.fixture
def make_game():
    """The one-line fixture builder: ``make_game(seed=3, players=2, smes=4, turns=6)``."""
    from tests.helpers import small_game

    return small_game
