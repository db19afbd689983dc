"""Local customers leave a firm outside the knowledge economy (issue 7, F8).

The seed paper: firms outside the knowledge economy are bound to fail. A firm
that, in a quarter, has no chain work, no link, nothing running and no recent
investment in what it knows loses ``learning.EROSION`` of the local customers
it still has; an engaged firm wins them back. The report says which.
"""

from __future__ import annotations

import pytest

from game.core import contracts, economics, learning
from game.core.actions import JoinAssociation, TrainStaff
from game.text import t
from tests.helpers import small_game


def _passing_game(seed: int = 1):  # noqa: ANN202
    # Bajío's player firm, no computer SMEs: nobody but the player acts, and the player passes.
    return small_game(seed=seed, smes=0, base="bajio_automotive")


def test_a_firm_that_passes_loses_local_customers_every_quarter_and_is_told_why():
    game = _passing_game()
    st, rules = game.state, game.rules
    f = st.firms
    shares = []
    for _ in range(6):
        rep = game.end_quarter()
        shares.append(float(f.local_base[0]))
        told = [e for e in rep.explanations if e.firm == 0 and e.key == "local.customers_leaving"]
        assert len(told) == 1 and told[0].tone == "bad" and told[0].family == "internal"
        assert told[0].params["share"] == pytest.approx(shares[-1], abs=1e-3)
    expected = [(1.0 - learning.EROSION) ** (k + 1) for k in range(6)]
    assert shares == pytest.approx(expected)
    # Its local demand falls with them (what the local market buys from it, contracts.local_standing).
    standing = contracts.local_standing(st)
    f.local_base[0] = 1.0
    assert float(standing[0]) == pytest.approx(float(contracts.local_standing(st)[0]) * shares[-1])
    # The cash forecast a player sees counts the smaller local demand too.
    demand_now = economics.local_units(st, rules, 0)
    f.local_base[0] = shares[-1]
    assert economics.local_units(st, rules, 0) < demand_now


def test_the_erosion_stops_at_the_loyal_core():
    game = _passing_game()
    f = game.state.firms
    f.local_base[0] = learning.LOCAL_BASE_FLOOR
    game.end_quarter()
    assert float(f.local_base[0]) == pytest.approx(learning.LOCAL_BASE_FLOOR)


def test_training_keeps_the_customers_for_a_year_then_they_start_to_leave():
    game = _passing_game()
    st = game.state
    f = st.firms
    assert game.try_apply(TrainStaff("p1")) is None
    for q in range(1, learning.RENEWAL_QUARTERS + 1):
        rep = game.end_quarter()
        assert float(f.local_base[0]) == 1.0, q
        assert not any(e.key == "local.customers_leaving" for e in rep.explanations)
    rep = game.end_quarter()
    assert float(f.local_base[0]) == pytest.approx(1.0 - learning.EROSION)
    assert any(e.key == "local.customers_leaving" for e in rep.explanations)


def test_engaging_again_wins_the_customers_back():
    game = _passing_game()
    f = game.state.firms
    for _ in range(5):
        game.end_quarter()
    low = float(f.local_base[0])
    assert game.try_apply(JoinAssociation("p1")) is None
    rep = game.end_quarter()
    assert float(f.local_base[0]) == pytest.approx(low + learning.REGAIN)
    assert [e.key for e in rep.explanations if e.key.startswith("local.")] == ["local.customers_back"]
    for _ in range(10):
        game.end_quarter()
    assert float(f.local_base[0]) == 1.0


@pytest.mark.parametrize("source", ["contract", "university", "consortium", "certification", "innovation", "technology", "nothing"])
def test_what_counts_as_engagement(source: str):
    game = _passing_game()
    st, rules = game.state, game.rules
    f = st.firms
    if source == "contract":
        f.tier[0] = 3
    elif source == "university":
        f.university[0] = next(k for k, inst in enumerate(rules.level.institutions) if inst.kind in ("university", "technology_centre"))
    elif source == "consortium":
        f.consortium[0] = 0
    elif source == "certification":
        f.cert_left[0, 0] = 2
    elif source == "innovation":
        f.innovation_left[0] = 1
    elif source == "technology":
        f.renewed_quarter[0] = st.quarter - learning.RENEWAL_QUARTERS + 1
    assert bool(learning.knowledge_engaged(st, rules)[0]) is (source != "nothing")
    if source == "technology":
        f.renewed_quarter[0] = st.quarter - learning.RENEWAL_QUARTERS
        assert not learning.knowledge_engaged(st, rules)[0]


def test_the_report_texts_exist_in_both_languages():
    for lang in ("es", "en"):
        for key in ("local.customers_leaving", "local.customers_back"):
            text = t(key, lang, share=0.85, lost=learning.EROSION)
            assert "85" in text and "{" not in text, (lang, key, text)
