"""`python main.py tour`: render every screen to PNG files without a display.

Plays a real session through the window's own code paths (screens, the
input module, the recorder): the title, level choice, set-up, every tab of
the quarter screen at the start and in the middle of a game, a quarterly
report, the hot-seat turn screen, dialogs, the glossary, settings, loading
(with a damaged save refused), the end screen, and a workshop of eight teams
(set-up, pass the laptop, a private report, the PIN, the facilitator's console,
the pause screen, the debrief).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path
from typing import Any


def headless_env(home: str | None = None) -> None:
    """Point SDL at no display and no audio device, and the user folder somewhere safe."""
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "disk"
    os.environ.setdefault("SDL_DISKAUDIOFILE", os.devnull)
    if home is not None:
        os.environ["ENCLAVE_HOME"] = home


def stand_in_turn(session: Any, strategy: str = "ambitious", seed: int = 0) -> None:
    """The current player decides with a headless strategy, through game.ui.input."""
    import numpy as np

    from game.core.strategies import STRATEGY_NAMES, play_quarter
    from game.models import actions as ui_actions

    i = session.current
    rng = np.random.default_rng([seed, i, session.quarter])

    def take(action: Any) -> bool:
        fields = {k: v for k, v in dataclasses.asdict(action).items() if k != "firm"}
        return ui_actions.perform(session, action.kind, **fields).ok

    play_quarter(session.state, session.rules, i, strategy if strategy in STRATEGY_NAMES else "growth", rng, take)


def run_tour(out: str | Path, lang: str = "es", size: tuple[int, int] = (1280, 720), level: str = "tutorial") -> list[Path]:
    """Render every screen into ``out``. The tour's games, saves and settings go into a
    temporary user folder removed afterwards, never into the player's own folder
    (``ENCLAVE_HOME`` or the platform's), which is restored when the tour ends."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get("ENCLAVE_HOME")
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="enclave-tour-") as home:
        headless_env(home)
        try:
            from game.ui.settings import Settings
            from game.ui.window import new_app

            app = new_app(Settings(lang=lang, width=size[0], height=size[1], sound=False), headless=True, size=size)
            try:
                for k, name in enumerate(visit(app, level, Path(home)), start=1):
                    path = out / f"{k:02d}_{name}.png"
                    app.screenshot(path)
                    shots.append(path)
            finally:
                app.close()
        finally:
            if previous is None:
                os.environ.pop("ENCLAVE_HOME", None)
            else:
                os.environ["ENCLAVE_HOME"] = previous
    return shots


def visit(app: Any, level: str, home: Path):  # noqa: ANN201 - a generator of screen names
    """Show every screen in turn (yielding its name once it is drawn and settled)."""
    from game.ui import nav
    from game.ui.nav import Push, Reset, Title, in_game
    from game.ui.screens.tabs import TABS
    from game.ui.session import Session

    def settle() -> None:
        app.step(dt=1.0)  # let animations finish: the picture shows the settled screen
        app.step(dt=1.0)

    app.navigate(Reset((Title(),)))
    settle()
    yield "title"
    app.navigate(Push(nav.LevelSelect()))
    settle()
    yield "level_select"
    app.navigate(Push(nav.Setup(app.top.levels[0])))
    app.top._set_players(3)()
    settle()
    yield "setup"
    app.top._set_players(6)()
    settle()
    yield "setup_six"
    app.navigate(in_game(nav.Settings()))
    settle()
    yield "settings"
    app.navigate(in_game(nav.Glossary("enclave_cluster")))
    settle()
    yield "glossary"

    # A solo game of the level: every tab in the first quarter.
    app.navigate(in_game(nav.NewGame(level)))
    quarter = app.top
    assert quarter.name == "quarter"
    for tab in TABS:
        quarter.tab = tab
        quarter.rebuild()
        settle()
        yield f"quarter1_{tab}"
    for kind in ("take_loan", "start_certification", "offer_subcontract", "found_consortium"):
        quarter.tab = "decisions"
        quarter.tab_state["decisions"]["kind"] = kind
        quarter.rebuild()
        settle()
        yield f"quarter1_decisions_{kind}"
    quarter.perform("train_staff")
    quarter.perform("buy_technology")
    settle()
    yield "quarter1_after_decisions"
    # Play to the middle of the game with a stand-in, then show the report and the quarter screen.
    session = app.session
    middle = max(2, session.state.turns // 2)
    report = None
    while session.quarter < middle and not session.finished:
        stand_in_turn(session)
        report = session.finish_turn()
    app.autosave()
    if report is not None:
        app.navigate(in_game(nav.Report(report)))
        settle()
        yield "report"
        app.top.view = "books"  # the report's books: the income statement and the cash flow
        app.top.rebuild()
        settle()
        yield "report_books"
    app.navigate(in_game(nav.Quarter()))
    for tab in TABS:
        app.top.tab = tab
        app.top.rebuild()
        settle()
        yield f"quarter{session.quarter}_{tab}"
    app.navigate(app.top.menu())
    settle()
    yield "menu"
    # Saves: one good, one damaged; the load screen lists both and refuses the damaged one.
    session.save_new()
    damaged = home / "saves" / "damaged-save.json"
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_text('{"format": "enclave-window-save", "version": 1, "replay": {', encoding="utf-8")
    app.navigate(in_game(nav.Load()))
    settle()
    yield "load"
    app.top.selected = next(k for k, info in enumerate(app.top.saves) if info.problem)
    app.navigate(app.top.load())
    settle()
    yield "load_refused"
    # Hot-seat: the turn screen of the second team.
    hot = Session.new(level, players=3, names=None)
    app.session = hot
    hot.finish_turn()
    app.navigate(in_game(nav.TurnStart()))
    settle()
    yield "turn_start"
    app.navigate(in_game(nav.Quarter()))
    settle()
    yield "hot_seat_quarter"
    # Finish the solo game and show the end screen.
    app.session = session
    while not session.finished:
        stand_in_turn(session)
        report = session.finish_turn()
    assert report is not None
    app.navigate(in_game(nav.Report(report)))
    settle()
    yield "last_report"
    app.navigate(in_game(nav.End()))
    settle()
    yield "end"
    app.navigate(Push(nav.Message(app.tr("ui.load.refused_title"), app.tr("ui.load.refused", reason="…"))))
    settle()
    yield "message"
    yield from visit_workshop(app, level, settle)


def visit_workshop(app: Any, level: str, settle: Any):  # noqa: ANN201 - a generator of screen names
    """The workshop with eight teams: set-up, pass the laptop, a team's private report and
    quarter, the PIN, every section of the console, the pause screen, and the debrief."""
    from game.core.level_loader import load_level
    from game.models import actions as ui_actions
    from game.ui import nav
    from game.ui.session import Session
    from game.ui.workshop import Workshop

    tr = app.tr
    loaded = load_level(level)
    app.navigate(nav.Reset((nav.Title(), nav.WorkshopSetup(loaded)), end_session=True))
    app.top._set_teams(8)()
    settle()
    yield "workshop_setup"
    names = [tr(f"ui.workshop.team_default.{k + 1}") for k in range(8)]
    session = Session.new(loaded, players=8, names=names, seed=loaded.level.seed)
    session.workshop = Workshop.new("1234", list(range(8)), 5)
    lv = loaded.level
    strategies = ("growth", "cooperative", "cautious", "ambitious")
    while session.quarter < 3 and not session.finished:
        if session.current == 0 and session.quarter == 1 and lv.policies:
            k = next((j for j, pol in enumerate(lv.policies) if not pol.active), 0)
            ui_actions.facilitate(session, "switch_policy", policy=lv.policies[k].id, on=not lv.policies[k].active)
        if session.current == 0 and session.quarter == 2 and lv.events:
            ui_actions.facilitate(session, "inject_event", event=lv.events[-1].id)
        stand_in_turn(session, strategies[session.current % 4], seed=session.current)
        session.finish_turn()
    app.navigate(nav.in_game(nav.Resume(session)))
    settle()
    yield "workshop_pass_laptop"
    app.navigate(app.top.start())
    settle()
    yield "workshop_report"
    app.navigate(app.top.next())
    for tab in ("map", "cooperation"):
        app.top.tab = tab
        app.top.rebuild()
        settle()
        yield f"workshop_quarter_{tab}"
    app.open_console()
    app.top.entries["pin"].set_text("0000")
    app.navigate(app.top.submit())
    settle()
    yield "workshop_pin_wrong"
    app.top.entries["pin"].set_text("1234")
    app.navigate(app.top.submit())
    for section in ("session", "teams", "cluster", "events"):
        app.top.open_section(section)()
        settle()
        yield f"workshop_console_{section}"
    app.top.toggle_pause()
    app.navigate(app.top.close())
    settle()
    yield "workshop_paused"
    session.workshop.resume()
    # To the end, then the debrief.
    while not session.finished:
        stand_in_turn(session, strategies[session.current % 4], seed=session.current)
        session.finish_turn()
    last = session.last_report()
    assert last is not None
    for p in range(session.players):
        session.workshop.reports_seen.add((last.quarter, p))
    app.navigate(nav.in_game(nav.Resume(session)))
    assert app.top.name == "debrief"
    for section in ("charts", "causes", "whatif", "questions"):
        app.top.open_section(section)()
        if section == "whatif":
            app.top.whatif.run()
        settle()
        yield f"workshop_debrief_{section}"
