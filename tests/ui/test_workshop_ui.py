"""Workshop mode in the window: set-up, pass the laptop, private figures, the
facilitator's PIN and console, and a session driven through the window that
replays headless to the same hashes."""

from __future__ import annotations

import html
import json
import re

import pygame
from pygame_gui.elements import UIButton, UILabel, UITextBox

from game.core.replay import run_replay
from game.ui import paths
from tests.ui.helpers import all_elements, button_with_text, click, key

PIN = "2468"


def start_workshop(app, teams: int = 2, timer: int = 0, pin: str = PIN) -> None:  # noqa: ANN001
    """Title → new game → the tutorial → set-up → workshop set-up → start, all with the mouse."""
    tr = app.tr
    click(app, button_with_text(app, tr("ui.title.new_game")))
    click(app, app.top.targets["continue"])  # the tutorial, first in the list
    assert app.top.name == "setup"
    click(app, app.top.targets["workshop"])
    assert app.top.name == "workshop_setup"
    click(app, button_with_text(app, str(teams)))
    minutes = tr("ui.workshop.timer_off") if timer == 0 else tr("ui.workshop.timer_minutes", minutes=timer)
    click(app, button_with_text(app, minutes))
    app.top.entries["pin0"].set_text(pin)
    app.top.entries["pin1"].set_text(pin)
    click(app, app.top.targets["continue"])
    assert app.top.name == "pass_laptop", getattr(app.top, "problem", None)


def decide(app, kind: str) -> None:  # noqa: ANN001
    click(app, app.top.targets["tab:decisions"])
    click(app, app.top.targets[f"decision:{kind}"])
    click(app, app.top.targets["do"])


def texts(app) -> list[str]:  # noqa: ANN001
    """Every text on the current screen: widgets' text, HTML (tags stripped) and
    tooltips, and what the screen draws itself or shows on hover."""
    out = []
    for e in all_elements(app):
        if isinstance(e, (UILabel, UIButton)) and e.text:
            out.append(e.text)
        if isinstance(e, UITextBox):
            out.append(html.unescape(re.sub(r"<[^>]+>", "", e.html_text.replace("<br>", "\n"))))
        tip = getattr(e, "tool_tip_text", None)
        if tip:
            out.append(tip)
    out += app.top.drawn_texts()
    return out


def test_workshop_setup_refuses_a_bad_pin_and_starts_with_teams_and_colours(app, home):
    tr = app.tr
    click(app, button_with_text(app, tr("ui.title.new_game")))
    click(app, app.top.targets["continue"])
    click(app, app.top.targets["workshop"])
    screen = app.top
    click(app, button_with_text(app, "8"))
    screen.entries["pin0"].set_text("12")
    screen.entries["pin1"].set_text("12")
    click(app, app.top.targets["continue"])
    assert app.top is screen and screen.problem == tr("ui.workshop.problem.pin_digits")
    screen.entries["pin0"].set_text("123456")
    screen.entries["pin1"].set_text("123465")
    click(app, app.top.targets["continue"])
    assert screen.problem == tr("ui.workshop.problem.pin_mismatch")
    screen.entries["pin1"].set_text("123456")
    click(app, app.top.targets["continue"])
    session = app.session
    assert app.top.name == "pass_laptop" and session.players == 8
    ws = session.workshop
    assert len(set(ws.colours)) == 8 and ws.check_pin("123456") and not ws.check_pin("654321")
    # The replay never holds the PIN; the window's own save keeps only a salted hash.
    replay = json.dumps(session.replay_dict())
    assert "123456" not in replay and ws.pin_hash not in replay and "workshop" not in replay
    saved = paths.autosave_path().read_text(encoding="utf-8")
    assert "123456" not in saved and ws.pin_hash in saved


def test_workshop_setup_refuses_a_team_name_its_save_could_not_hold(app, home):
    tr = app.tr
    click(app, button_with_text(app, tr("ui.title.new_game")))
    click(app, app.top.targets["continue"])
    click(app, app.top.targets["workshop"])
    screen = app.top
    for k in (0, 1):
        screen.entries[f"pin{k}"].set_text("123456")
    bad = "Lobos\x1b[31m"  # pasted with a terminal colour code
    screen.entries["name0"].set_text(bad)
    click(app, app.top.targets["continue"])
    assert app.top is screen and screen.problem == tr("ui.workshop.problem.name_chars", name=bad, max=40)
    screen.entries["name0"].set_text("Lobos")
    screen.entries["pin0"].set_text("123456")
    screen.entries["pin1"].set_text("123456")
    click(app, app.top.targets["continue"])
    assert app.top.name == "pass_laptop" and app.session.state.firms.names[0] == "Lobos"


def test_a_team_never_sees_another_teams_private_figures(app, home):
    """Render team A's screens after a quarter and look for team B's figures and report lines."""
    start_workshop(app, teams=2)
    session = app.session
    tr = app.tr
    # Quarter 1: A trains its staff; B buys technology and borrows.
    assert app.top.name == "pass_laptop" and app.top.team == 0
    click(app, app.top.targets["continue"])
    decide(app, "train_staff")
    click(app, app.top.targets["end_turn"])
    assert app.top.name == "pass_laptop" and app.top.team == 1
    click(app, app.top.targets["continue"])
    decide(app, "take_loan")
    decide(app, "buy_technology")
    click(app, app.top.targets["end_turn"])
    assert session.quarter == 2 and app.top.name == "pass_laptop" and app.top.team == 0
    f = session.state.firms
    a_cash, b_cash = tr.money(int(f.cash[0])), tr.money(int(f.cash[1]))
    assert a_cash != b_cash and int(f.debt[1]) > 0
    report = session.last_report()
    a_lines = {tr.explain(e, session.level) for e in report.for_firm(0)}
    b_lines = {tr.explain(e, session.level) for e in report.explanations if e.firm == 1} - a_lines
    private_b = {b_cash, tr.money(int(f.debt[1])), tr.money(int(f.receivables[1].sum()))} - {a_cash, tr.money(0), tr.money(int(f.receivables[0].sum()))}
    private_b |= b_lines
    assert b_lines, "team B's report has lines of its own"
    seen: dict[str, list[str]] = {}
    seen["pass_laptop"] = texts(app)
    click(app, app.top.targets["continue"])
    assert app.top.name == "report" and app.top.player == 0
    seen["report"] = texts(app)
    assert not [e for e in all_elements(app) if isinstance(e, UIButton) and e.text == f.names[1]], "no button to read B's report"
    click(app, app.top.targets["continue"])
    assert app.top.name == "quarter" and session.current == 0
    from game.ui.screens.tabs import TABS

    for tab in TABS:
        click(app, app.top.targets[f"tab:{tab}"])
        seen[f"quarter:{tab}"] = texts(app)
    for kind in ("invite_to_consortium", "offer_subcontract", "bid"):
        app.top.tab_state["decisions"]["kind"] = kind
        click(app, app.top.targets["tab:decisions"])
        seen[f"decisions:{kind}"] = texts(app)
    assert any(a_cash in t for t in seen["quarter:map"]), "A's own cash is on its screen"
    leaks = [(where, secret) for where, found in seen.items() for secret in private_b for t in found if secret in t]
    assert not leaks, leaks[:5]
    # The pass-the-laptop screen shows nobody's figures at all.
    assert not [t for t in seen["pass_laptop"] if a_cash in t or b_cash in t]


def test_the_console_refuses_a_wrong_pin(app, home):
    start_workshop(app, teams=3)
    tr = app.tr
    click(app, app.top.targets["continue"])
    assert app.top.name == "quarter"
    key(app, pygame.K_F9)
    assert app.top.name == "pin"
    app.top.entries["pin"].set_text("1357")
    key(app, pygame.K_RETURN)
    assert app.top.name == "pin" and app.top.refused
    shown = texts(app)
    assert any(tr("ui.console.pin_wrong") in t for t in shown)
    assert not [s for s in app.stack if s.name == "console"]
    assert not any(tr("ui.console.leaderboard") in t or tr("ui.console.pause") in t for t in shown)
    # The small button opens it too; the right PIN lets the facilitator in.
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "quarter"
    click(app, app.top.targets["console"])
    assert app.top.name == "pin" and not app.top.refused
    app.top.entries["pin"].set_text(PIN)
    click(app, app.top.targets["continue"])
    assert app.top.name == "console"
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "quarter"


def test_pause_blocks_the_teams_and_stops_the_timer(app, home):
    start_workshop(app, teams=2, timer=5)
    ws = app.session.workshop
    now = [1000.0]
    ws.clock = lambda: now[0]
    ws.restart_timer()
    now[0] += 30
    assert abs(ws.seconds_left() - 270) < 1e-6
    key(app, pygame.K_F9)
    app.top.entries["pin"].set_text(PIN)
    key(app, pygame.K_RETURN)
    click(app, app.top.targets["pause"])
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "paused"
    now[0] += 600
    assert abs(ws.seconds_left() - 270) < 1e-6
    key(app, pygame.K_RETURN, pygame.KMOD_LCTRL)  # the teams cannot go on
    key(app, pygame.K_e, pygame.KMOD_LCTRL)
    assert app.top.name == "paused"
    key(app, pygame.K_F9)
    app.top.entries["pin"].set_text(PIN)
    key(app, pygame.K_RETURN)
    click(app, app.top.targets["pause"])  # resume
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "pass_laptop"
    now[0] += 300
    assert ws.time_up()
    app.step()
    assert app.top.clock_label.text == app.tr("ui.workshop.clock_up")


def _console(app) -> None:  # noqa: ANN001
    key(app, pygame.K_F9)
    app.top.entries["pin"].set_text(PIN)
    key(app, pygame.K_RETURN)
    assert app.top.name == "console"


def test_a_workshop_run_from_the_window_replays_to_the_same_hashes(app, home):
    """Three teams, a policy switch, an injected event, a note and a late team
    handed to a computer strategy, all through the console; saved as a replay."""
    start_workshop(app, teams=3)
    session = app.session
    tr = app.tr
    for quarter in range(1, 4):
        for team in range(3):
            assert app.top.name == "pass_laptop" and app.top.team == team, (quarter, team, app.top.name)
            if quarter == 2 and team == 1:
                # The facilitator steps in while team 2 is at the laptop.
                _console(app)
                click(app, app.top.targets["section:cluster"])
                click(app, app.top.targets["policy:nordwagen_supplier_development"])
                assert app.top.status[1] == "good", app.top.status
                click(app, app.top.targets["section:events"])
                click(app, app.top.targets["event:plant_audit"])
                assert app.top.status[1] == "good", app.top.status
                click(app, app.top.targets["section:session"])
                app.top.entries["note"].set_text("Jaguar y Colibrí hablan de un consorcio")
                click(app, app.top.targets["save_note"])
                assert app.top.status[1] == "good", app.top.status
                key(app, pygame.K_ESCAPE)
            click(app, app.top.targets["continue"])
            if app.top.name == "report":
                assert app.top.player == team
                click(app, app.top.targets["continue"])
            assert app.top.name == "quarter" and session.current == team
            decide(app, "train_staff")
            if quarter == 3 and team == 1:
                # Team 2 runs out of time: the rest of its quarter (and team 3's) goes to the computer.
                _console(app)
                click(app, button_with_text(app, tr("strategy.cooperative")))
                click(app, app.top.targets["hand_over"])
                assert session.quarter == 4
                key(app, pygame.K_ESCAPE)
                break
            click(app, app.top.targets["end_turn"])
    assert session.quarter == 4
    timeline = session.state.timeline
    assert {"quarter": 3, "kind": "policy", "policy": "nordwagen_supplier_development", "on": True} in timeline
    assert any(m["kind"] == "event" and m.get("injected") and m["quarter"] == 3 for m in timeline)
    assert any(m["kind"] == "note" and m["quarter"] == 2 for m in timeline)
    late = [m for m in timeline if m["kind"] == "timeout"]
    assert [m["firm"] for m in late] == ["p2", "p3"] and all(m["strategy"] == "cooperative" for m in late)
    rep = session.last_report()
    assert [e for e in rep.for_firm(1) if e.key == "facilitator.timed_out"]
    # Save as a replay from the in-game menu; it replays headless to the same hash.
    click(app, app.top.targets["continue"])
    click(app, app.top.targets["continue"])
    key(app, pygame.K_ESCAPE)
    click(app, button_with_text(app, tr("ui.menu.save_replay")))
    replays = sorted(paths.replays_dir().glob("*.replay.json"))
    assert len(replays) == 1
    kinds = [a["type"] for t in json.loads(replays[0].read_text(encoding="utf-8"))["turns"] for a in t["actions"]]
    for kind in ("facilitator.switch_policy", "facilitator.inject_event", "facilitator.note", "facilitator.timed_out"):
        assert kind in kinds
    result = run_replay(replays[0])
    assert result.ok, result.reason
    assert result.quarters == 3 and result.final_hash == session.game.hash()
    # The autosave brings the workshop back, PIN and colours included.
    from game.ui.session import Session

    loaded = Session.load(paths.autosave_path())
    assert loaded.game.hash() == session.game.hash()
    assert loaded.workshop.check_pin(PIN) and loaded.workshop.colours == session.workshop.colours


def _fake_clock(ws):  # noqa: ANN001, ANN202
    now = [1000.0]
    ws.clock = lambda: now[0]
    ws.restart_timer()
    return now


def test_the_timer_runs_per_team_turn_and_stands_still_while_the_console_is_open(app, home):
    start_workshop(app, teams=2, timer=5)
    ws = app.session.workshop
    now = _fake_clock(ws)
    assert app.top.name == "pass_laptop" and app.top.team == 0
    now[0] += 200
    assert abs(ws.seconds_left() - 100) < 1e-6
    # The facilitator opens the console for a minute: the team's time stands still.
    key(app, pygame.K_F9)
    now[0] += 30
    app.top.entries["pin"].set_text(PIN)
    key(app, pygame.K_RETURN)
    assert app.top.name == "console"
    now[0] += 60
    assert abs(ws.seconds_left() - 100) < 1e-6
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "pass_laptop"
    now[0] += 10
    assert abs(ws.seconds_left() - 90) < 1e-6
    # Team 1 ends its turn; team 2 gets the full five minutes of its own.
    click(app, app.top.targets["continue"])
    decide(app, "train_staff")
    click(app, app.top.targets["end_turn"])
    assert app.top.name == "pass_laptop" and app.top.team == 1
    assert abs(ws.seconds_left() - 300) < 1e-6
    now[0] += 299
    assert not ws.time_up()


def test_the_facilitator_changes_the_timer_mid_session(app, home):
    start_workshop(app, teams=2, timer=5)
    ws = app.session.workshop
    now = _fake_clock(ws)
    now[0] += 60
    _console(app)
    click(app, app.top.targets["timer_longer"])
    assert ws.timer_minutes == 8
    assert app.top.status == (app.tr("ui.console.timer_changed", minutes=8), "good")
    assert abs(ws.seconds_left() - (240 + 180)) < 1e-6, "the running turn gains the difference"
    click(app, app.top.targets["timer_shorter"])
    click(app, app.top.targets["timer_shorter"])
    assert ws.timer_minutes == 3 and abs(ws.seconds_left() - 120) < 1e-6
    key(app, pygame.K_ESCAPE)
    # The next team's turn lasts the new length; the save keeps it.
    click(app, app.top.targets["continue"])
    click(app, app.top.targets["end_turn"])
    assert app.top.team == 1 and abs(ws.seconds_left() - 180) < 1e-6
    from game.ui.session import Session

    assert Session.load(paths.autosave_path()).workshop.timer_minutes == 3


def test_the_pause_survives_closing_and_reopening(app, home):
    from game.ui import nav
    from game.ui.session import Session

    start_workshop(app, teams=2, timer=5)
    ws = app.session.workshop
    now = _fake_clock(ws)
    now[0] += 100
    _console(app)
    click(app, app.top.targets["pause"])
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "paused"
    # The window closes; later the autosave is opened again (with another clock).
    loaded = Session.load(paths.autosave_path())
    assert loaded.workshop.paused
    later = [50_000.0]
    loaded.workshop.clock = lambda: later[0]
    app.navigate(nav.in_game(nav.Resume(loaded)))
    assert app.top.name == "paused", "a workshop closed while paused opens paused"
    later[0] += 900
    assert abs(loaded.workshop.seconds_left() - 200) < 1e-6
    _console(app)
    click(app, app.top.targets["pause"])  # resume
    key(app, pygame.K_ESCAPE)
    assert app.top.name == "pass_laptop" and app.top.team == 0
    later[0] += 50
    assert abs(loaded.workshop.seconds_left() - 150) < 1e-6
