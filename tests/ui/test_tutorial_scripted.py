"""A scripted player clicks through the whole tutorial level, doing what the coach says,
and ends it healthy: solvent, with a profit, never on the bank's emergency line."""

from __future__ import annotations

from game.core import ledger
from game.core.replay import run_replay
from game.ui import paths
from tests.ui.helpers import button_with_text, click, follow_coach


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
    by_quarter: dict[int, list[str]] = {}
    for _ in range(600):
        if app.top.name == "end":
            break
        quarter = session.state.quarter
        steps.append(follow_coach(app))
        by_quarter.setdefault(quarter, []).append(steps[-1])
        assert paths.autosave_path().exists()
    assert app.top.name == "end", steps[-20:]
    assert session.finished
    # The coach had the player look at the calls, start ISO 9001 (the subsidy is active), join the association, bid.
    for expected in ("tutorial.look_calls", "coach.start_certification_subsidy", "coach.join_association", "tutorial.set_price"):
        assert expected in steps, expected
    assert any(step.startswith("coach.bid") for step in steps), steps
    bids = [entry for entry in session.state.log if entry["action"]["type"] == "bid"]
    assert bids and all(b["action"]["price"] < 240 for b in bids)
    outcome = session.game.outcome(0)
    assert outcome["alive"]
    # Following the coach wins the tutorial (ISO 9001, then a tier-3 contract) and the firm is healthy:
    # a profit over the game, and never the bank's emergency line nor a sale of receivables.
    assert outcome["objective_met"], (outcome["conditions_met_quarter"], steps[-30:])
    assert outcome["profit_total"] > 0, outcome
    quarters = ledger.quarters(session.state, 0)
    assert len(quarters) == session.state.turns
    rescue = [q["quarter"] for q in quarters if "financing.emergency_credit" in q["cash_flows"] or "financing.receivables_sold" in q["cash_flows"]]
    assert rescue == [], rescue
    # It kept coaching to the last quarter: every quarter's advice gives its reason (a coach.* key
    # naming the call, the cash or the capability), not only which button to press.
    silent = [q for q in range(1, session.state.turns + 1) if not any(k.startswith("coach.") for k in by_quarter.get(q, []))]
    assert silent == [], (silent, by_quarter)
    # Save the session as a replay from the end screen; it replays headless to the same hash.
    click(app, button_with_text(app, tr("ui.end.save_replay")))
    replays = sorted(paths.replays_dir().glob("*.replay.json"))
    assert replays
    result = run_replay(replays[-1])
    assert result.ok, result.reason
    assert result.final_hash == session.game.hash()
