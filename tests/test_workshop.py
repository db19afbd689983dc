"""Workshop core: teams, facilitator actions, replays, what-if and export."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from game.core.actions import DeclineInvitation, FoundConsortium, InviteToConsortium, JoinConsortium
from game.core.facilitator import (
    InjectEvent,
    QuarterNote,
    SwitchPolicy,
    TeamTimedOut,
    any_action_from_dict,
)
from game.core.level_loader import load_level
from game.core.replay import Recorder, WhatIf, run_replay, what_if
from game.core.strategies import STRATEGY_FUNCTIONS
from game.headless.export import export_session

ROOT = Path(__file__).resolve().parents[1]
TEAMS = ["Águila", "Jaguar", "Colibrí", "Ñandú"]


def _workshop(tmp_path: Path, quarters: int = 8) -> tuple[Path, Recorder]:
    """Four teams in the tutorial cluster; the facilitator injects, switches and times out."""
    loaded = load_level("tutorial")
    rec = Recorder.start(loaded, seed=21, players=4, names=TEAMS)
    game = rec.game
    rngs = [np.random.default_rng([21, p]) for p in range(4)]
    plans = ["growth", "cooperative", "cautious", "ambitious"]
    for q in range(1, quarters + 1):
        if q == 2:
            assert rec.try_apply(SwitchPolicy("nordwagen_supplier_development", True)) is None
            assert rec.try_apply(QuarterNote("Hablen del efecto enclave")) is None
        if q == 3:
            assert rec.try_apply(InjectEvent("plant_audit")) is None
        for p in range(4):
            if q == 4 and p == 2:
                # Team 3 ran out of time: the facilitator hands its quarter to a strategy.
                assert rec.try_apply(TeamTimedOut(game.state.firms.ids[p], "cautious")) is None
                continue
            for action in STRATEGY_FUNCTIONS[plans[p]](game.state, game.rules, p, rngs[p]):
                if game.state.firms.action_points[p] <= 0:
                    break
                rec.try_apply(action)
        rec.end_quarter()
    path = tmp_path / "workshop.replay.json"
    rec.save(path)
    return path, rec


def test_workshop_replays_to_the_same_hashes(tmp_path: Path) -> None:
    path, rec = _workshop(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    kinds = [a["type"] for turn in data["turns"] for a in turn["actions"]]
    assert "facilitator.switch_policy" in kinds and "facilitator.inject_event" in kinds and "facilitator.timed_out" in kinds
    result = run_replay(path)
    assert result.ok, result
    assert result.final_hash == rec.game.hash()
    # The same through the command line, in a fresh process.
    proc = subprocess.run([sys.executable, "main.py", "replay", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    timeline = rec.game.state.timeline
    assert {"quarter": 3, "kind": "policy", "policy": "nordwagen_supplier_development", "on": True} in timeline
    assert any(m["kind"] == "event" and m["event"] == "plant_audit" and m["injected"] and m["quarter"] == 4 for m in timeline)
    assert any(m["kind"] == "timeout" and m["quarter"] == 4 for m in timeline)


def test_timed_out_team_is_told_in_its_report(tmp_path: Path) -> None:
    loaded = load_level("tutorial")
    rec = Recorder.start(loaded, seed=3, players=2)
    assert rec.try_apply(TeamTimedOut("p2", "growth")) is None
    report = rec.end_quarter()
    notes = [e for e in report.explanations if e.firm == 1 and e.key == "facilitator.timed_out"]
    assert len(notes) == 1 and notes[0].params["strategy"] == "growth"
    assert not [e for e in report.explanations if e.firm == 0 and e.key == "facilitator.timed_out"]


def test_policy_switch_takes_effect_next_quarter() -> None:
    loaded = load_level("tutorial")
    rec = Recorder.start(loaded, seed=3, players=1)
    k = rec.game.rules.policy_index["nordwagen_supplier_development"]
    assert rec.game.state.policy_active[k] is False
    assert rec.try_apply(SwitchPolicy("nordwagen_supplier_development", True)) is None
    assert rec.game.state.policy_active[k] is False, "a switch waits for the next quarter"
    rec.end_quarter()
    assert rec.game.state.policy_active[k] is True
    assert any(e.key == "facilitator.policy_switched" for e in rec.game.state.explanations)


@pytest.mark.parametrize(
    "action, reason",
    [
        (SwitchPolicy("no_such_policy", True), "refused.unknown_policy"),
        (SwitchPolicy("proauto_certification", True), "refused.no_change"),
        (InjectEvent("no_such_event"), "refused.unknown_event"),
        (QuarterNote("   "), "refused.bad_note"),
        (QuarterNote("x" * 501), "refused.bad_note"),
        (TeamTimedOut("sme001", "cautious"), "refused.unknown_firm"),
        (TeamTimedOut("p1", "reckless"), "refused.unknown_strategy"),
    ],
)
def test_facilitator_refusals_change_nothing(action, reason) -> None:  # noqa: ANN001
    loaded = load_level("tutorial")
    rec = Recorder.start(loaded, seed=3, players=1)
    before = rec.game.hash()
    refusal = rec.try_apply(action)
    assert refusal is not None and refusal.reason == reason
    assert rec.game.hash() == before


def test_facilitator_actions_round_trip() -> None:
    for a in (SwitchPolicy("x", False), InjectEvent("y"), QuarterNote("nota"), TeamTimedOut("p1", "growth")):
        assert any_action_from_dict(a.to_dict()) == a
    with pytest.raises(ValueError, match="on: expected bool"):
        any_action_from_dict({"type": "facilitator.switch_policy", "policy": "x", "on": "yes"})


def test_consortium_of_a_team_takes_only_invited_teams() -> None:
    loaded = load_level("tutorial")
    rec = Recorder.start(loaded, seed=3, players=3)
    assert rec.try_apply(FoundConsortium("p1", "Bajío Unido")) is None
    cid = int(rec.game.state.firms.consortium[0])
    refusal = rec.try_apply(JoinConsortium("p2", cid))
    assert refusal is not None and refusal.reason == "refused.not_invited"
    assert rec.try_apply(InviteToConsortium("p1", "p2")) is None
    refusal = rec.try_apply(InviteToConsortium("p1", "p3"))
    assert refusal is not None and refusal.reason == "refused.no_action_points"  # founding took 2 of 3
    assert rec.try_apply(JoinConsortium("p2", cid)) is None
    assert rec.try_apply(InviteToConsortium("p2", "p3")) is None  # any member may invite
    assert rec.try_apply(DeclineInvitation("p3", cid)) is None
    c = rec.game.state.consortia[cid]
    assert c.members == [0, 1] and c.invited == []
    refusal = rec.try_apply(JoinConsortium("p3", cid))
    assert refusal is not None and refusal.reason == "refused.not_invited"


@pytest.mark.parametrize("change", [WhatIf(quarter=4, policy="nordwagen_supplier_development", on=False), WhatIf(quarter=5, firm="p2", strategy="growth")])
def test_what_if_differs_exactly_from_the_quarter_of_the_change(tmp_path: Path, change: WhatIf) -> None:
    path, _ = _workshop(tmp_path)
    original, changed, first = what_if(path, change)
    assert first == change.quarter
    q = change.quarter
    assert original.hashes[: q - 1] == changed.hashes[: q - 1]
    assert all(a != b for a, b in zip(original.hashes[q - 1 :], changed.hashes[q - 1 :], strict=True))


def test_what_if_refuses_an_impossible_change(tmp_path: Path) -> None:
    from game.core.replay import ReplayError

    path, _ = _workshop(tmp_path, quarters=4)
    with pytest.raises(ReplayError, match="quarter 9 is outside"):
        what_if(path, WhatIf(quarter=9, policy="nordwagen_supplier_development"))
    with pytest.raises(ReplayError, match="cannot be made in quarter 1"):
        what_if(path, WhatIf(quarter=1, policy="proauto_certification", on=True))


def test_export_has_a_row_per_team_per_quarter_and_every_file(tmp_path: Path) -> None:
    path, rec = _workshop(tmp_path, quarters=6)
    out = tmp_path / "export"
    files = export_session(path, out, lang="es")
    names = {f.name for f in files}
    assert {"teams.csv", "cluster.csv", "events.csv", "explanations.csv", "replay.json", "summary.html"} <= names
    assert {"cash.png", "capabilities.png", "tier.png", "contracts.png", "cluster.png"} <= names
    for f in files:
        assert f.exists() and f.stat().st_size > 0
        if f.suffix == ".png":
            assert f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    teams = list(csv.DictReader(open(out / "teams.csv", encoding="utf-8")))
    assert len(teams) == 4 * 6
    assert sorted({r["team"] for r in teams}) == sorted(TEAMS)
    assert [int(r["quarter"]) for r in teams[:4]] == [1, 1, 1, 1]
    final = [r for r in teams if r["quarter"] == "6"]
    assert [int(r["cash"]) for r in final] == [int(rec.game.state.firms.cash[p]) for p in range(4)]
    events = list(csv.DictReader(open(out / "events.csv", encoding="utf-8")))
    assert {r["kind"] for r in events} >= {"policy", "event", "note", "timeout"}
    summary = (out / "summary.html").read_text(encoding="utf-8")
    for team in TEAMS:
        assert team in summary
    assert summary.count("<li>") >= 5
    # Team names only: no firm ids of computer SMEs or other personal data leak into team rows.
    assert all(r["firm_id"].startswith("p") for r in teams)


def test_export_command_refuses_a_corrupted_session(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "enclave-replay", "version": 1, "turns": [', encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "main.py", "export", str(bad), "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and str(bad) in proc.stderr
    assert not out.exists()


def test_export_and_replay_accept_a_save_that_embeds_its_replay(tmp_path: Path) -> None:
    path, rec = _workshop(tmp_path, quarters=3)
    save = tmp_path / "window.save.json"
    save.write_text(json.dumps({"format": "enclave-window-save", "version": 1, "replay": json.loads(path.read_text(encoding="utf-8"))}), encoding="utf-8")
    assert run_replay(save).ok
    files = export_session(save, tmp_path / "out", lang="en")
    assert (tmp_path / "out" / "replay.json") in files
    exported = json.loads((tmp_path / "out" / "replay.json").read_text(encoding="utf-8"))
    assert exported["format"] == "enclave-replay" and exported["final_hash"] == rec.game.hash()


def test_key_moments_tell_different_kinds_of_story(tmp_path: Path) -> None:
    from game.core.debrief import ROUTINE, WEIGHT, key_moments
    from game.core.replay import _level_for, load_replay, simulate

    path, _ = _workshop(tmp_path)
    data = load_replay(path)
    session = simulate(data, _level_for(data, str(path), None))
    for p in range(4):
        moments = key_moments(session.reports, p)
        assert 1 <= len(moments) <= 3
        assert [m.quarter for m in moments] == sorted(m.quarter for m in moments)
        counted = {
            e.key
            for rep in session.reports
            for e in rep.explanations
            if e.firm in (p, -1) and (e.key in WEIGHT or (e.key.startswith("done.") and e.key not in ROUTINE))
        }
        kinds = [m.explanation.key for m in moments]
        # Three different kinds whenever the session offers three.
        assert len(set(kinds)) == min(3, len(counted)), (kinds, sorted(counted))


def test_key_moments_are_outcomes_not_routine_training(tmp_path: Path) -> None:
    """Every team trained; no team's key moments are its training (its effect shows later),
    and outcomes outrank decisions (before, teams 1 and 2 got joining the association and
    starting a certification as two of their three moments)."""
    from game.core.debrief import ROUTINE, key_moments
    from game.core.replay import _level_for, load_replay, simulate

    path, _ = _workshop(tmp_path)
    data = load_replay(path)
    session = simulate(data, _level_for(data, str(path), None))
    trained = {e.firm for rep in session.reports for e in rep.explanations if e.key == "done.train_staff"}
    assert len(trained) >= 2, "the session should have teams that trained"
    for p in range(4):
        keys = [m.explanation.key for m in key_moments(session.reports, p)]
        assert not set(keys) & ROUTINE, (p, keys)
        # What changed the game (a certification granted, a contract won or lost, an event)
        # outranks the decisions behind it: at most one of the three is a decision.
        assert sum(k.startswith("done.") for k in keys) <= 1, (p, keys)


def test_an_export_mid_session_says_the_session_is_in_progress(tmp_path: Path) -> None:
    from game.text import t

    path, _ = _workshop(tmp_path, quarters=3)
    for lang in ("es", "en"):
        export_session(path, tmp_path / f"out-{lang}", lang=lang)
        page = (tmp_path / f"out-{lang}" / "summary.html").read_text(encoding="utf-8")
        assert t("export.in_progress", lang, quarter=3, turns=12) in page
        assert t("summary.objective_missed", lang) not in page, "mid-session, no team has failed yet"
        assert page.count(t("export.objective_pending", lang)) >= 3


def test_summary_chart_marks_are_numbered_without_overlapping(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from game.headless.export import mark_timeline

    marks = [
        {"kind": "policy", "quarter": 2, "policy": "a", "on": True, "number": 1},
        {"kind": "event", "quarter": 2, "event": "b", "number": 2},
        {"kind": "event", "quarter": 3, "event": "c", "number": 3},
        {"kind": "event", "quarter": 4, "event": "d", "number": 4},
        {"kind": "policy", "quarter": 4, "policy": "a", "on": False, "number": 5},
        {"kind": "event", "quarter": 5, "event": "e", "number": 6},
    ]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    ax.plot(list(range(1, 13)), [k % 4 for k in range(12)])
    labels = mark_timeline(ax, marks)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for label in labels]
    plt.close(fig)
    assert [label.get_text() for label in labels] == ["1,2", "3", "4,5", "6"]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
