"""The commands that open the window, the tour, the idle loop and the translation keys."""

from __future__ import annotations

import os
import re
import struct
import time
from pathlib import Path

import pygame

from game import text
from game.ui.texts import GLOSSARY_TERMS
from tests.helpers import run_cli

UI_DIR = Path(__file__).resolve().parents[2] / "game" / "ui"


def test_no_display_gives_one_line_and_exit_2():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    for args in ([], ["play", "--level", "tutorial"]):
        proc = run_cli(*args, env={**env, "SDL_VIDEODRIVER": "dummy"})
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr
        assert "python main.py run" in lines[0]
        assert proc.stdout == ""


def test_play_refuses_bad_input_in_one_line():
    for args in (["play", "--level", "nope"], ["play", "--players", "9"], ["tour", "--out", "x", "--size", "big"]):
        proc = run_cli(*args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_tour_writes_a_png_for_every_screen(tmp_path, home):
    from game.cli import main

    out = tmp_path / "shots"
    assert main(["tour", "--out", str(out), "--lang", "en", "--size", "1280x720"]) == 0
    shots = sorted(out.glob("*.png"))
    names = [p.stem.split("_", 1)[1] for p in shots]
    for expected in ("title", "level_select", "setup", "quarter1_map", "quarter1_calls", "report", "end", "glossary", "load_refused", "turn_start"):
        assert expected in names
    assert any(re.match(r"quarter([2-9]|1\d)_map", n) for n in names), "a mid-game quarter screen"
    head = shots[0].read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1280, 720)


def test_tour_never_writes_into_the_user_folder(tmp_path, home):
    """The tour plays games, saves and loads: all of it in a temporary folder of its own."""
    from game.cli import main

    home.mkdir(parents=True, exist_ok=True)
    (home / "mine.txt").write_text("the player's own file", encoding="utf-8")
    out = tmp_path / "shots"
    assert main(["tour", "--out", str(out), "--lang", "es", "--size", "1280x720"]) == 0
    assert len(list(out.glob("*.png"))) > 40
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert left == ["mine.txt"], f"the tour wrote into ENCLAVE_HOME: {left}"
    assert os.environ["ENCLAVE_HOME"] == str(home)


def test_idle_window_sleeps_on_events(app, home):
    from tests.ui.helpers import start_game

    start_game(app, "tutorial")
    app.anim.stop_all()
    app.step()
    frames = app.frames
    pygame.time.set_timer(pygame.QUIT, 1000, loops=1)
    t0, c0 = time.perf_counter(), time.process_time()
    app.run()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert wall >= 0.9
    assert app.frames - frames <= 4, "an idle window should not redraw"
    assert cpu / wall < 0.5


def _ui_keys() -> set[str]:
    keys: set[str] = set()
    for path in UI_DIR.rglob("*.py"):
        src = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"""["']((?:ui|tutorial|glossary)\.[a-z0-9_.]+[a-z0-9_])["']""", src))
    return keys


def test_every_window_text_exists_in_both_languages():
    keys = _ui_keys()
    assert len(keys) > 200
    for lang in text.LANGS:
        missing = sorted(k for k in keys if not text.has_text(k, lang))
        assert not missing, f"{lang}.json lacks {missing}"
    for term in GLOSSARY_TERMS:
        for suffix in ("", ".desc", ".match"):
            for lang in text.LANGS:
                assert text.has_text(f"glossary.{term}{suffix}", lang)
    from game.ui.screens.tabs import TABS

    for lang in text.LANGS:
        for tab in TABS:
            assert text.has_text(f"ui.tab.{tab}", lang) and text.has_text(f"ui.tip.tab.{tab}", lang)
        for kind in ("certification_subsidy", "credit_guarantee", "training_centre", "infrastructure", "supplier_development", "reverse_factoring", "local_content_target", "real_services", "cross_clustering"):
            assert text.has_text(f"ui.policy_effect.{kind}", lang)
        for kind in ("university", "technology_centre", "bank", "government", "association"):
            assert text.has_text(f"ui.institution.{kind}", lang)
        for part in ("survival", "tier", "profit", "capabilities", "links", "jobs"):
            assert text.has_text(f"ui.end.score_tip.{part}", lang)
    from game.ui.screens.debrief.screen import DebriefScreen
    from game.ui.screens.facilitator.screen import FacilitatorScreen

    for screen in (DebriefScreen, FacilitatorScreen):
        for name in screen.SECTIONS:
            for lang in text.LANGS:
                assert text.has_text(screen.SECTION_TEXT + name, lang) and text.has_text(screen.SECTION_TIP + name, lang), (screen.name, name)


def test_every_action_has_an_expected_effect():
    from game.core.actions import ACTION_TYPES

    for lang in text.LANGS:
        missing = [k for k in ACTION_TYPES if not text.has_text(f"ui.effect.{k}", lang)]
        assert not missing, missing


def test_levels_origin_and_sector_are_translated():
    from game.core.level_loader import load_level, shipped_levels
    from game.ui.screens.level_select import slug

    for path in shipped_levels():
        for lf in load_level(path).level.lead_firms:
            for lang in text.LANGS:
                assert text.has_text(f"ui.country.{slug(lf.origin)}", lang), lf.origin
                assert text.has_text(f"ui.sector.{slug(lf.sector)}", lang), lf.sector


def test_resize_and_scale_rebuild_the_layout(app, home):
    from dataclasses import replace

    from tests.ui.helpers import overflows, start_game

    start_game(app, "tutorial")
    app.step([pygame.event.Event(pygame.VIDEORESIZE, w=1600, h=900, size=(1600, 900))])
    assert app.size == (1600, 900) and app.top.name == "quarter"
    assert abs(app.scale - (1 + (1600 / 1280 - 1) / 2)) < 1e-6, "a bigger window gets room as well as bigger text"
    assert not overflows(app)
    app.apply_settings(replace(app.settings, ui_scale=1.15, lang="en"))
    app.step()
    assert app.tr.lang == "en" and app.top.name == "quarter"
    assert not overflows(app)
    app.toggle_fullscreen()
    app.step()
    assert app.settings.fullscreen and app.top.name == "quarter"


def test_play_opens_the_window_straight_into_the_level(home, monkeypatch):
    from game.ui import app as app_module
    from game.ui import window

    seen = {}

    def fake_run(self):  # noqa: ANN001, ANN202 - stands in for the real loop
        seen["screen"] = self.top.name
        seen["lang"] = self.tr.lang
        if self.session is not None:
            seen["players"] = self.session.players
            seen["level"] = self.session.level.id

    monkeypatch.setattr(window, "display_problem", lambda: None)
    monkeypatch.setattr(app_module.App, "run", fake_run)
    assert window.open_window(start="play", level="bajio_automotive", lang="en", players=3) == 0
    assert seen == {"screen": "turn_start", "players": 3, "level": "bajio_automotive", "lang": "en"}
    assert window.open_window() == 0
    assert seen["screen"] == "title"
