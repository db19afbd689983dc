"""What a Spanish player reads never shows the game's internal ids (calls q5_8, contracts c4,
firms p2) or the English names of the computer strategies: in the window (every screen
of the tour) and in a session's export."""

from __future__ import annotations

import csv
import html
import re

from pygame_gui.elements import UIButton, UILabel, UITextBox

from game.ui.tour import visit
from tests.ui.helpers import all_elements, make_app

INTERNAL_ID = re.compile(r"\b(q\d+_\d+|c\d+|p\d+)\b")
ENGLISH_STRATEGY = re.compile(r"\b(cautious|growth|cooperative|ambitious)\b", re.IGNORECASE)


def _screen_texts(app) -> list[str]:  # noqa: ANN001
    out = []
    for e in all_elements(app):
        if isinstance(e, (UILabel, UIButton)):
            out.append(e.text)
        elif isinstance(e, UITextBox):
            out.append(html.unescape(re.sub(r"<[^>]+>", " ", e.html_text)))
        tip = getattr(e, "tool_tip_text", None)
        if tip:
            out.append(tip)
    return out + app.top.drawn_texts()


def _problems(where: str, texts: list[str]) -> list[str]:
    found = []
    for t in texts:
        for rx in (INTERNAL_ID, ENGLISH_STRATEGY):
            m = rx.search(t or "")
            if m:
                found.append(f"{where}: {m.group(0)!r} in {t[:120]!r}")
    return found


def test_spanish_player_text_has_no_internal_ids_or_english_strategy_names(home, tmp_path):
    from game.models.debrief import export_into

    app = make_app("es", (1280, 720), title=False)
    problems: list[str] = []
    seen = 0
    try:
        for name in visit(app, "tutorial", home):
            seen += 1
            problems += _problems(name, _screen_texts(app))
        # The workshop the tour played, exported in Spanish: what people read in it.
        out = export_into(app.session, tmp_path / "user", tmp_path / "replays", "es")
    finally:
        app.close()
    assert seen > 40
    page = html.unescape(re.sub(r"<[^>]+>", " ", (out / "summary.html").read_text(encoding="utf-8")))
    page = re.sub(r"\b\S+\.png\b", " ", page)  # chart file names are not text
    problems += _problems("summary.html", [page])
    with (out / "explanations.csv").open(encoding="utf-8") as fh:
        problems += _problems("explanations.csv text", [row["text"] for row in csv.DictReader(fh)])
    with (out / "events.csv").open(encoding="utf-8") as fh:
        problems += _problems("events.csv description", [row["description"] for row in csv.DictReader(fh)])
    assert not problems, "\n".join(sorted(set(problems))[:40])


def test_every_decision_in_the_list_shows_its_whole_name(home):
    """The decisions list names each decision whole (no ellipsis) in both languages, from the
    projector's 1280x720 up: a shortened name hides what the decision is until hovered."""
    from tests.ui.helpers import start_game

    cut = []
    for lang in ("es", "en"):
        for size in ((1280, 720), (1024, 768), (1920, 1080)):
            app = make_app(lang, size)
            start_game(app, "bajio_automotive")
            app.top.show_tab("decisions")
            rows = app.top.current_tab.rows
            assert len(rows) > 10
            cut += [f"{lang} {size}: {button.text}" for button in rows.values() if "…" in button.text]
    assert not cut, cut
