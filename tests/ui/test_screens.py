"""Every screen renders in both languages at 1280x720 and 1920x1080, and no text
overflows its widget (labels and buttons measured with their own fonts)."""

from __future__ import annotations

import warnings

import pytest

from game.ui.tour import visit
from tests.ui.helpers import make_app, overflows

SIZES = [(1280, 720), (1920, 1080)]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_renders_without_overflow(lang, size, home):
    app = make_app(lang, size, title=False)
    seen = []
    problems = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for name in visit(app, "tutorial", home):
                seen.append(name)
                assert app.window.get_size() == size
                problems += [f"{name}: {p}" for p in overflows(app)]
        finally:
            app.close()
    too_small = sorted({str(w.message) for w in caught if "too small" in str(w.message)})
    assert not problems, "\n".join(problems[:40])
    assert not too_small, "\n".join(too_small[:40])
    for expected in ("title", "level_select", "setup", "settings", "glossary", "quarter1_map", "quarter1_calls", "report", "report_books", "menu", "load", "load_refused", "turn_start", "end", "workshop_setup", "workshop_pass_laptop", "workshop_report", "workshop_console_teams", "workshop_debrief_whatif"):
        assert expected in seen


SCENARIOS = ("bajio_automotive", "border_maquiladora", "cross_clustering_emilia", "jalisco_electronics", "queretaro_aerospace")


@pytest.mark.parametrize("level", SCENARIOS)
@pytest.mark.parametrize(("lang", "size"), [("es", (1280, 720)), ("en", (1280, 720)), ("es", (1920, 1080))], ids=["es-1280x720", "en-1280x720", "es-1920x1080"])
def test_every_scenario_renders_without_overflow(level, lang, size, home):
    """The scenarios have what the tutorial does not: long firm and lender names, four
    certifications, long policy descriptions, calls with a long description and a table of
    certifications. Every screen of a game and a workshop in each shows its text whole."""
    app = make_app(lang, size, title=False)
    problems = []
    try:
        for name in visit(app, level, home):
            problems += [f"{name}: {p}" for p in overflows(app)]
    finally:
        app.close()
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_report_shows_all_six_capabilities(size, home):
    """The quarterly report lists every capability, inside its panel, at both sizes."""
    from game.core.level import CAPABILITIES
    from tests.ui.helpers import all_elements

    app = make_app("es", size, title=False)
    try:
        for name in visit(app, "tutorial", home):
            if name == "report":
                break
        labels = {e.text: e for e in all_elements(app) if type(e).__name__ == "UILabel"}
        for cap in CAPABILITIES:
            shown = app.tr.capability(cap)
            assert shown in labels, f"{shown} is missing from the report"
            panel = labels[shown].ui_container.get_container().get_rect()
            assert panel.contains(labels[shown].rect), f"{shown} lies outside its panel"
    finally:
        app.close()
