"""Every shipped level plays to its end with the three stand-in strategies (practice 8).

Also checks the explanations the reports carry. The invariant the code
keeps (read from the rules that emit them):

- tone is good, bad or info; family is None, internal, external or mixed;
  lever is None, capability, cooperation or catalyst;
- a player's bad news always names a barrier family and no lever;
- a player's good news always names a lever and no family;
- a player's informational note never names a family (it may name the
  lever an action pulls, e.g. a bid through a consortium);
- cluster-wide notes (firm -1) are fired events whose tone follows the
  shock's direction: bad ones name a barrier family and no lever; good ones
  name no family (a new lead firm or content rule names the catalyst lever,
  a rate cut none); mixed or neutral ones (info) name neither.
"""

from __future__ import annotations

import pytest

from game.core.engine import Game
from game.core.level import Event
from game.core.level_loader import load_level, shipped_levels
from game.headless.runner import play
from tests.helpers import invariant_violations, small_level

STRATEGIES = ["cautious", "growth", "cooperative"]
FAMILIES = {None, "internal", "external", "mixed"}
LEVERS = {None, "capability", "cooperation", "catalyst"}
TONES = {"good", "bad", "info"}
SEEDS = (1, 2)

LEVEL_PATHS = shipped_levels()


def test_there_are_shipped_levels():
    ids = {p.stem for p in LEVEL_PATHS}
    assert {"tutorial", "bajio_automotive"} <= ids
    assert len(ids) >= 5


@pytest.fixture(scope="module", params=[(p, s) for p in LEVEL_PATHS for s in SEEDS], ids=lambda ps: f"{ps[0].stem}-seed{ps[1]}")
def played(request):
    path, seed = request.param
    loaded = load_level(path)
    return loaded, play(loaded, seed, STRATEGIES)


def test_level_plays_to_its_end(played):
    loaded, result = played
    summary = result.summary()
    st = result.game.state
    turns = loaded.level.turns
    assert st.finished
    all_bankrupt = not any(p["alive"] for p in summary["players"])
    if all_bankrupt:
        last = max(p["bankrupt_quarter"] for p in summary["players"])
        assert summary["quarters_played"] == last < turns + 1
    else:
        assert summary["quarters_played"] == turns
    assert len(st.history) == summary["quarters_played"] == len(result.reports)
    assert [r.quarter for r in result.reports] == list(range(1, summary["quarters_played"] + 1))
    assert [p["strategy"] for p in summary["players"]] == STRATEGIES
    assert summary["cluster"]["stage"] in ("primordial", "evolutivo", "consolidado", "reposicionado")
    assert not invariant_violations(st)


def test_outcomes_are_well_formed(played):
    _, result = played
    for p in range(len(STRATEGIES)):
        out = result.game.outcome(p)
        assert out["alive"] == (out["bankrupt_quarter"] == -1)
        assert out["best_tier"] in (1, 2, 3, 4)
        card = out["scorecard"]
        assert 0.0 <= card["total"] <= 100.0
        assert all(0.0 <= v <= 1.0 for k, v in card.items() if k != "total")
        if not out["alive"]:
            assert card["survival"] == 0.0


def test_explanation_tags_use_known_values(played):
    _, result = played
    explanations = [e for r in result.reports for e in r.explanations]
    assert explanations, "a whole game should explain something"
    for e in explanations:
        assert e.tone in TONES, e
        assert e.family in FAMILIES, e
        assert e.lever in LEVERS, e
        assert e.key and "." in e.key, e
        assert -1 <= e.firm < len(STRATEGIES), f"explanations go to players or the cluster only: {e}"


def test_player_explanations_carry_a_family_for_setbacks_and_a_lever_for_gains(played):
    _, result = played
    for r in result.reports:
        for e in r.explanations:
            if e.firm < 0:
                continue
            assert e.quarter == r.quarter, e
            if e.tone == "bad":
                assert e.family is not None and e.lever is None, f"bad news needs a barrier family: {e}"
            elif e.tone == "good":
                assert e.lever is not None and e.family is None, f"good news needs a lever: {e}"
            else:
                assert e.family is None, f"an informational note names no barrier: {e}"


def test_cluster_explanations_are_events_tagged_consistently(played):
    _, result = played
    for r in result.reports:
        for e in r.explanations:
            if e.firm >= 0:
                continue
            assert e.key == "event.fired", e
            assert (e.tone == "bad") == (e.family is not None), e
            if e.tone == "bad":
                assert e.lever is None, e
            if e.tone == "info":
                assert e.lever is None, e
            assert e.lever in (None, "catalyst"), e


def test_report_for_firm_keeps_its_own_and_cluster_notes(played):
    _, result = played
    for r in result.reports:
        mine = r.for_firm(0)
        assert all(e.firm in (0, -1) for e in mine)
        assert len(mine) == sum(1 for e in r.explanations if e.firm in (0, -1))


# The tone of a fired event follows the shock's direction.


def _level_with_event(effects: list[dict]):
    event = Event.model_validate(
        {
            "id": "test_shock",
            "name": {"es": "Choque", "en": "Shock"},
            "description": {"es": "Un choque de prueba", "en": "A test shock"},
            "quarter": 2,
            "effects": effects,
        }
    )
    base = small_level(smes=3)
    return small_level(smes=3, events=[*base.level.events, event])


def _fired(effects: list[dict]):
    game = Game.new(_level_with_event(effects), seed=1)
    game.end_quarter()
    fired = [e for e in game.state.explanations if e.key == "event.fired" and e.params["event"] == "test_shock"]
    assert len(fired) == 1
    return fired[0]


@pytest.mark.parametrize(
    "effect",
    [{"kind": "demand_shift", "factor": 1.3, "duration": 2}, {"kind": "interest_rate", "amount": -0.02}],
    ids=["demand_boom", "rate_cut"],
)
def test_favourable_shock_is_not_reported_as_bad_news(effect):
    e = _fired([effect])
    assert e.tone == "good" and e.family is None


@pytest.mark.parametrize(
    ("effect", "family"),
    [
        ({"kind": "demand_shift", "factor": 0.7, "duration": 2}, "external"),
        ({"kind": "supply_disruption", "factor": 0.8}, "external"),
        ({"kind": "key_staff_leaves", "amount": 0.1}, "internal"),
    ],
    ids=["demand_slump", "disruption", "staff_leave"],
)
def test_harmful_shock_is_bad_news_with_its_family(effect, family):
    e = _fired([effect])
    assert e.tone == "bad" and e.family == family and e.lever is None


def test_a_content_rule_is_good_news_through_the_catalyst_lever():
    e = _fired([{"kind": "content_rule", "amount": 0.1}])
    assert e.tone == "good" and e.lever == "catalyst" and e.family is None
