"""The tutorial judges health as well as tier (scorecard.health, scorecard.objective_met).

The issue's student: bids on every call at -10%, trains every quarter, starts
ISO 9001 and joins the association. On the tutorial's seed 7 that firm meets
every condition of the objective (ISO 9001, a tier-3 contract, still alive)
while living on emergency credit (seed 2 did on engine 2.3; 7 and 10 do on both); the end used to say the objective was met.
On seed 1 it also loses money and every contract. Now it is not, and the firm is
told what went wrong and which barrier it was, in Spanish and English.
"""

from __future__ import annotations

from game import text
from game.core import scorecard
from game.core.actions import JoinAssociation, PlaceBid, StartCertification, TrainStaff
from game.core.engine import Game
from tests.helpers import shipped


def _naive(seed: int, level: str = "tutorial") -> Game:
    game = Game.new(shipped(level), seed=seed, players=1)
    st = game.state
    while not game.finished:
        game.try_apply(StartCertification("p1", "iso9001"))
        for rfq in list(st.rfqs):
            game.try_apply(PlaceBid("p1", rfq.id, int(rfq.target_price * 0.9)))
        game.try_apply(TrainStaff("p1"))
        game.try_apply(JoinAssociation("p1"))
        game.end_quarter()
    return game


def test_a_tier_won_on_emergency_credit_does_not_meet_the_tutorial():
    game = _naive(7)
    out = game.outcome(0)
    # Every condition met, and alive: the old verdict was "objective met".
    assert out["alive"] and all(q > 0 for q in game.state.objective_met[0])
    assert out["objective_met"] is False
    assert [h["key"] for h in out["health"]] == ["health.emergency_credit"], out["health"]
    assert out["health"][0]["params"]["amount"] > 0


def test_each_problem_is_told_with_its_barrier_in_both_languages():
    game = _naive(1)
    st, rules = game.state, game.rules
    out = game.outcome(0)
    keys = [h["key"] for h in out["health"]]
    assert keys == ["health.emergency_credit", "health.losses", "health.all_contracts_lost"], keys
    assert all(h["family"] in ("internal", "external") and h["tone"] == "bad" for h in out["health"])
    for e in scorecard.health(st, rules, 0):
        for lang in ("es", "en"):
            sentence = text.explain(e, lang, rules.level, strict=True)
            assert text.t("family.internal", lang) in sentence or text.t("family.external", lang) in sentence, sentence
    losses = next(h for h in out["health"] if h["key"] == "health.losses")
    assert losses["params"]["profit"] == out["profit_total"] < 0


def test_health_is_judged_in_the_tutorial_only():
    game = _naive(3, "bajio_automotive")
    out = game.outcome(0)
    # Another level keeps its own objective; the problems are still reported.
    met = all(q > 0 for q in game.state.objective_met[0]) and (out["alive"] or not game.rules.level.objective.stay_solvent)
    assert out["objective_met"] == met
    assert game.rules.level.id not in scorecard.HEALTH_JUDGED
    assert out["health"], "the naive player's problems are reported on any level"
