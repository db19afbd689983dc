"""Calls for quotation (game/core/rfq.py): what a bidder brings and what a call asks."""

from __future__ import annotations

import numpy as np
import pytest

from game.core.rfq import (
    W_DELIVERY,
    W_QUALITY,
    bid_requirements,
    incumbents,
    missing_requirements,
    pooled,
    pooled_figures,
    score_bids,
)
from game.core.state import DELIVERY, QUALITY, Bid, Consortium
from tests.helpers import small_game


def _shaken(seed: int, base: str):  # noqa: ANN202
    game = small_game(seed=seed, players=2, smes=10, base=base)
    rng = np.random.default_rng(seed)
    f = game.state.firms
    f.cap[:] = rng.uniform(0.2, 1.0, f.cap.shape)
    f.cert_held[:] = rng.random(f.cert_held.shape) < 0.5
    cash = rng.integers(0, 5_000_000, len(f))
    f.cash_open[:] += cash - f.cash
    f.cash[:] = cash
    f.committed[:] = f.capacity * rng.uniform(0.0, 1.0, len(f))
    return game


def test_award_scoring_and_bid_check_agree_on_eligibility():
    """score_bids checks every bid on a call at once; it must say what bid_requirements says."""
    both = total = 0
    for seed, base in ((1, "tutorial"), (2, "bajio_automotive"), (3, "queretaro_aerospace"), (4, "cross_clustering_emilia")):
        game = _shaken(seed, base)
        st, rules = game.state, game.rules
        for rfq in st.rfqs:
            bids = [Bid(rfq.id, i, -1, rfq.target_price) for i in range(len(st.firms))]
            table = score_bids(st, rules, rfq, bids, incumbents(st))
            expected = [not bid_requirements(st, rules, i, rfq.id, False) for i in range(len(st.firms))]
            assert table.eligible.tolist() == expected, (base, rfq.id)
            both += sum(expected)
            total += len(expected)
    # Both answers must come up for the agreement to mean something.
    assert 0 < both < total, (both, total)


def test_a_consortium_pools_capacity_cash_certifications_and_weighted_capabilities():
    game = small_game(seed=2, players=2, smes=4)
    st = game.state
    f = st.firms
    f.capacity[0], f.capacity[1] = 300, 100
    f.committed[0], f.committed[1] = 100.0, 150.0  # the second is over-committed: no free capacity, not negative
    f.cap[0, :], f.cap[1, :] = 0.8, 0.4
    f.cert_held[0, :] = False
    f.cert_held[1, :] = False
    f.cert_held[1, 0] = True
    st.consortia.append(Consortium(0, "C", 0, [0, 1], 0.5, 0, 1, True, False))
    f.consortium[0] = f.consortium[1] = 0
    members = pooled(st, 0, True)
    assert members == [0, 1] and pooled(st, 0, False) == [0]
    fig = pooled_figures(st, members)
    assert fig.capacity == 400 and fig.committed == 250 and fig.free == 200
    assert fig.cash == int(f.cash[0]) + int(f.cash[1])
    assert fig.held[0] and not any(fig.held[1:])
    assert fig.caps == pytest.approx([0.8 * 0.75 + 0.4 * 0.25] * 6)
    # A bankrupt member brings nothing.
    f.alive[1] = False
    assert pooled(st, 0, True) == [0]


def test_first_only_gives_the_first_of_every_missing_requirement():
    for seed in range(1, 6):
        game = _shaken(seed, "bajio_automotive")
        st, rules = game.state, game.rules
        for rfq in st.rfqs:
            for i in range(len(st.firms)):
                fig = pooled_figures(st, [i])
                every = missing_requirements(rules, rfq, fig)
                first = missing_requirements(rules, rfq, fig, first_only=True)
                assert first == every[:1]


def test_an_unknown_call_is_refused_by_name():
    game = small_game(seed=1)
    (refusal,) = bid_requirements(game.state, game.rules, 0, "no_such_call", False)
    assert refusal.reason == "refused.no_such_rfq" and refusal.params == {"rfq": "no_such_call"}


def test_a_generator_with_its_own_payment_terms_issues_calls_on_them():
    """A tier-1 supplier may pay its sub-suppliers later than its customer pays it: a generator's
    ``payment_days`` overrides the lead firm's terms (Bajío's local tier-1s' large runs), and a
    generator without it keeps the lead firm's."""
    from game.core.rfq import issue

    game = small_game(seed=3, players=1, smes=4, base="bajio_automotive")
    st, rules = game.state, game.rules
    own = {g.issuer: g.payment_days for g in rules.level.rfq_generators if g.payment_days is not None}
    assert own == {"metalurgica_bajio": 90}
    for k in range(len(st.lead_firm_active)):
        st.lead_firm_active[k] = True  # Nordwagen's chain (Forjas) opens in quarter 4
    st.quarter = 8  # Metalúrgica's tier-2 calls start in quarter 6
    seen: dict[tuple[str, int], set[int]] = {}
    for _ in range(60):
        for r in issue(st, rules):
            seen.setdefault((r.issuer, r.tier), set()).add(r.payment_days - st.payment_shift)
    lead_days = {lf.id: lf.payment_days for lf in rules.level.lead_firms}
    assert 90 in seen[("metalurgica_bajio", 3)]
    assert lead_days["hoshida"] == 60
    # Metalúrgica's tier-2 generator sets no terms: its calls are on Hoshida's; Forjas' large runs
    # are on Nordwagen's own 90 days.
    assert seen[("metalurgica_bajio", 2)] == {60}
    assert seen[("forjas_aguascalientes", 3)] == {lead_days["nordwagen"]} == {90}


def test_consortium_figures_kept_across_a_rounds_calls_score_as_pooled_figures_read_anew():
    """award keeps each consortium's figures that awarding leaves alone (score_bids' ``pools``) and
    reads its committed capacity for each call: the same table as pooled_figures read anew."""
    pooled_bids = eligible_bids = 0
    for seed, base in ((1, "bajio_automotive"), (2, "queretaro_aerospace"), (3, "cross_clustering_emilia")):
        game = _shaken(seed, base)
        st, rules = game.state, game.rules
        f = st.firms
        n = len(f)
        rng = np.random.default_rng(seed)
        for k, start in enumerate(range(0, n - 3, 4)):
            members = list(range(start, start + 2 + k % 3))
            st.consortia.append(Consortium(k, f"C{k}", start, members, 0.5, 0, 1, True, True))
            f.consortium[members] = k
        f.alive[n - 1] = False  # a failed member brings nothing
        pools: dict = {}
        for rfq in st.rfqs:
            bids = [Bid(rfq.id, i, int(f.consortium[i]) if i % 2 else -1, rfq.target_price) for i in range(n - 1)]
            kept = score_bids(st, rules, rfq, bids, incumbents(st), pools)
            fresh = score_bids(st, rules, rfq, bids, incumbents(st))
            assert kept.eligible.tolist() == fresh.eligible.tolist() and kept.score.tolist() == fresh.score.tolist()
            for k, b in enumerate(bids):
                if b.consortium >= 0:
                    fig = pooled_figures(st, kept.members[k])
                    expected = not missing_requirements(rules, rfq, fig)
                    assert bool(kept.eligible[k]) == expected, (base, rfq.id, k)
                    assert kept.parts is not None
                    assert float(kept.parts["quality"][k]) == W_QUALITY * fig.caps[QUALITY]
                    need = rfq.volume * (1.0 - rfq.reserved_share) * float(rules.part_complexity[rfq.part_family])
                    load = (fig.committed + need) / fig.capacity if fig.capacity > 0 else 1.0
                    delivery = fig.caps[DELIVERY] * (1.0 - 0.5 * max(load - 0.6, 0.0))
                    assert float(kept.parts["delivery"][k]) == W_DELIVERY * delivery
                    pooled_bids += 1
                    eligible_bids += expected
            f.committed[:] = f.capacity * rng.uniform(0.0, 1.0, n)  # as awarding a call commits capacity
        assert pools, base
    # Both answers must come up for the agreement to mean something.
    assert 0 < eligible_bids < pooled_bids, (eligible_bids, pooled_bids)


@pytest.mark.parametrize("ndigits", [0, 1, 3, 4])
def test_rounded_is_round_of_each_value(ndigits: int):
    """detmath.rounded (the bid results' scores) gives round(v, ndigits) of each value, the sign of
    a zero included: random scores, values at and one ulp either side of a half, large, tiny and
    non-finite values."""
    import math

    from game.core import detmath

    rng = np.random.default_rng(ndigits)
    halves = (rng.integers(-30_000, 30_000, 20_000) + 0.5) / 10.0**ndigits
    arrays = [
        rng.uniform(-2.0, 2.0, 50_000),
        rng.normal(0.0, 1e-4, 20_000),
        rng.uniform(-1e12, 1e12, 1_000),
        halves,
        np.nextafter(halves, np.inf),
        np.nextafter(halves, -np.inf),
        np.array([0.0, -0.0, 1e-5, -1e-5, -4.999e-5, 5e-5, 1.5e-4, 2.5e-4, 1.00005, math.inf, -math.inf, math.nan, 1e300, 5e-324]),
        np.zeros(0),
    ]
    for values in arrays:
        got = detmath.rounded(values, ndigits)
        want = [round(v, ndigits) for v in values.tolist()]
        assert len(got) == len(want)
        for a, b in zip(got, want, strict=True):
            assert (a == b and math.copysign(1.0, a) == math.copysign(1.0, b)) or (math.isnan(a) and math.isnan(b)), (a, b)


def test_uniform_is_numpys_uniform():
    """detmath.uniform (the calls' volume, duration and margin) draws what rng.uniform draws, from the
    same one draw, and refuses what it refuses."""
    from game.core import detmath

    for low, high in [(1000, 5000), (2.0, 6.0), (0.05, 0.18), (3000, 9000), (-0.9, 10.0), (0.1, 0.1), (0, 2**60)]:
        a, b = np.random.default_rng(7), np.random.default_rng(7)
        assert [a.uniform(low, high) for _ in range(20_000)] == [detmath.uniform(b, low, high) for _ in range(20_000)]
        assert a.bit_generator.state == b.bit_generator.state
    for low, high in [(2.0, 1.0), (0.0, float("inf")), (float("nan"), 1.0)]:
        with pytest.raises((ValueError, OverflowError)) as numpy_err:
            np.random.default_rng(1).uniform(low, high)
        with pytest.raises(numpy_err.type):
            detmath.uniform(np.random.default_rng(1), low, high)
