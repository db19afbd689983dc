"""A scripted player clicks through the whole tutorial level, doing what the coach says."""

from __future__ import annotations

import pytest

from game.core.replay import run_replay
from game.ui import paths
from tests.ui.helpers import button_with_text, click, follow_coach


@pytest.mark.xfail(
    strict=True,
    reason="engine 2.0 (detmath draws, issue 9) with the net-position solvency rule: the player who follows "
    "the coach on the tutorial's seed goes bankrupt; the tutorial's balance must be re-tuned (see the reliab report)",
)
def test_scripted_player_finishes_the_tutorial_and_its_replay_matches(app, home):
    tr = app.tr
    # Title -> level choice -> set-up -> the game, all by clicking.
    click(app, button_with_text(app, tr("ui.title.new_game")))
    assert app.top.name == "level_select"
    assert app.top.levels[app.top.selected].level.id == "tutorial"
    follow_coach(app)
    assert app.top.name == "setup"
    follow_coach(app)
    assert app.top.name == "quarter"
    session = app.session
    steps: list[str] = []
    for _ in range(600):
        if app.top.name == "end":
            break
        steps.append(follow_coach(app))
        assert paths.autosave_path().exists()
    assert app.top.name == "end", steps[-20:]
    assert session.finished
    # The coach had the player look at the calls, start ISO 9001, train, join the association, bid.
    for expected in ("tutorial.look_calls", "tutorial.start_certification", "tutorial.train_staff", "tutorial.join_association", "tutorial.set_price", "tutorial.send_bid"):
        assert expected in steps, expected
    bids = [entry for entry in session.state.log if entry["action"]["type"] == "bid"]
    assert bids and all(b["action"]["price"] < 240 for b in bids)
    outcome = session.game.outcome(0)
    assert outcome["alive"]
    # Following the coach wins the tutorial: ISO 9001, then a call from the Mexican tier-1.
    assert outcome["objective_met"], (outcome["conditions_met_quarter"], steps[-30:])
    # Save the session as a replay from the end screen; it replays headless to the same hash.
    click(app, button_with_text(app, tr("ui.end.save_replay")))
    replays = sorted(paths.replays_dir().glob("*.replay.json"))
    assert replays
    result = run_replay(replays[-1])
    assert result.ok, result.reason
    assert result.final_hash == session.game.hash()
