"""The computer firms' shortcuts give what the plain rules give (issue 10).

Each cache or index the decisions use is checked against the computation it
replaces, over random states: the eligibility matrix against
``bid_requirements`` and ``visible``, rows kept across changed figures, the
calls-by-id dict against a scan, the lead firms' targets against the loops
they replace, ``try_apply`` against ``validate`` + ``apply``. The memo holding
them is neither hashed nor copied.
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np

from game.core import actions, detmath, policies, strategies
from game.core.actions import PlaceBid, loan_offers
from game.core.decisions.finance import VECTOR_BANKS, loan_offer_arrays
from game.core.decisions.market import visible
from game.core.detmath import exp_array
from game.core.rfq import (
    bid_requirements,
    call_needs,
    call_table,
    meets,
    missing_requirements,
    open_call,
    pooled,
    pooled_columns,
    pooled_figures,
)
from game.core.rng import derived, uniforms
from game.core.serialize import state_hash
from game.core.state import QUALITY, TECHNOLOGY, Consortium
from game.core.strategies import Eligibility, LeadTargets, eligible_rfqs
from tests.helpers import small_game

LEVELS = ("tutorial", "bajio_automotive", "cross_clustering_emilia", "queretaro_aerospace")


def _shake(game, rng: np.random.Generator) -> None:  # noqa: ANN001 - a Game
    """Random figures, links and consortia; some capabilities and free capacity exactly at a call's bar."""
    st, rules = game.state, game.rules
    f = st.firms
    n = len(f)
    f.cap[:] = rng.uniform(0.2, 1.0, f.cap.shape)
    f.cert_held[:] = rng.random(f.cert_held.shape) < 0.6
    cash = rng.integers(-500_000, 6_000_000, n)
    f.cash_open[:] += cash - f.cash
    f.cash[:] = cash
    f.debt[:] = rng.integers(0, 2_000_000, n) * (rng.random(n) < 0.3)
    f.receivables[:] = rng.integers(0, 400_000, f.receivables.shape)
    f.committed[:] = f.capacity * rng.uniform(0.0, 1.2, n)
    f.association[:] = rng.random(n) < 0.3
    f.university[:] = np.where(rng.random(n) < 0.2, 0, -1)
    f.tier[:] = rng.choice([1, 2, 3, 4, 4, 4], n)
    f.alive[:] = rng.random(n) < 0.95
    for i in range(n):
        if st.rfqs and rng.random() < 0.4:
            need_q, _, need_t, need_cap = call_needs(rules, st.rfqs[int(rng.integers(len(st.rfqs)))])
            edge = float(rng.choice([0.0, 1e-9, -1e-9, 2e-9, -2e-9]))
            f.cap[i, QUALITY] = min(max(need_q + edge, 0.0), 1.0)
            f.cap[i, TECHNOLOGY] = min(max(need_t - edge, 0.0), 1.0)
            f.committed[i] = float(f.capacity[i]) - need_cap - edge
    # Two consortia of live firms, founded by their first member.
    st.consortia = []
    f.consortium[:] = -1
    for cid in range(2):
        members = [int(m) for m in rng.choice(n, size=3, replace=False) if f.consortium[m] < 0]
        if len(members) >= 2:
            st.consortia.append(Consortium(len(st.consortia), f"C{cid}", members[0], members, 0.5, 0, st.quarter, True, True))
            f.consortium[members] = len(st.consortia) - 1


def _random_states(count: int):  # noqa: ANN202 - yields (game, rng)
    for k in range(count):
        rng = np.random.default_rng([10, k])
        game = small_game(seed=k + 1, players=2, smes=14, base=LEVELS[k % len(LEVELS)])
        for _ in range(int(rng.integers(1, 4))):
            if not game.finished:
                game.end_quarter()
        if game.finished or not game.state.rfqs:
            continue
        if rng.random() < 0.3:
            game.state.policy_active[:] = [bool(x) for x in rng.random(len(game.state.policy_active)) < 0.5]
        _shake(game, rng)
        yield game, rng


def _plain(st, rules, i: int, consortium: bool) -> list[bool]:  # noqa: ANN001
    return [visible(st, rules, i, r) and not bid_requirements(st, rules, i, r.id, consortium) for r in st.rfqs]


def test_the_eligibility_matrix_is_the_bid_check_of_every_firm_for_every_call():
    cells = eligible = 0
    for game, _ in _random_states(32):
        st, rules = game.state, game.rules
        view = Eligibility(st, rules)
        eligible_now, _ = view.rows_now(st, rules, np.arange(len(st.firms))).full(len(st.firms))  # the computer firms' decisions read these
        picked = np.flatnonzero(np.arange(len(st.firms)) % 3 == 1)
        some_now, _ = view.rows_now(st, rules, picked).full(len(picked))
        assert (some_now == eligible_now[picked]).all()
        view.row(st, rules, 0)  # builds the whole matrix
        for i in range(len(st.firms)):
            expected = _plain(st, rules, i, False)
            assert view.matrix[i].tolist() == expected, (st.level_id, i)
            assert eligible_now[i].tolist() == expected, (st.level_id, i)
            cells += len(expected)
            eligible += sum(expected)
    # Both answers must come up often for the agreement to mean something.
    assert cells > 1000 and 50 < eligible < cells - 50, (cells, eligible)


def test_meets_is_missing_requirements_for_pooled_figures_of_consortia():
    checked = passed = 0
    for game, _ in _random_states(32):
        st, rules = game.state, game.rules
        table = call_table(rules, st.rfqs)
        for c in st.consortia:
            fig = pooled_figures(st, c.members)
            row = meets(table, np.array([fig.caps[:3]]), np.array([fig.held]), np.array([fig.free]), np.array([fig.cash]))[0]
            assert row.tolist() == [not missing_requirements(rules, r, fig) for r in st.rfqs]
            checked += len(st.rfqs)
            passed += int(row.sum())
    assert checked > 100 and 0 < passed < checked, (checked, passed)


def test_pooled_figures_of_every_group_at_once_are_each_groups_own_bit_for_bit():
    """pooled_columns (the consortia's rows of the quarter, at once) gives what pooled_figures gives
    of each group: the same floats, to the bit, members with no capacity included."""
    groups_checked = 0
    for game, rng in _random_states(24):
        st = game.state
        f = st.firms
        n = len(f)
        f.capacity[rng.random(n) < 0.15] = 0
        f.committed[:] = f.capacity * rng.uniform(0.0, 1.2, n)
        groups = [sorted(rng.choice(n, size=int(rng.integers(1, 6)), replace=False).tolist()) for _ in range(12)]
        groups.append([g for g in groups if len(g) > 1][0][:2])
        f.capacity[groups[-1]] = 0  # a group with no capacity at all: equal weights
        f.committed[groups[-1]] = 0.0
        caps, held, free, cash = pooled_columns(st, groups)
        for k, ms in enumerate(groups):
            fig = pooled_figures(st, ms)
            assert caps[k].tolist() == fig.caps[:3] and held[k].tolist() == fig.held, ms
            assert np.float64(free[k]).tobytes() == np.float64(fig.free).tobytes() and int(cash[k]) == fig.cash, ms
            groups_checked += 1
    assert groups_checked > 100


def test_a_consortiums_row_kept_by_the_view_is_its_pooled_figures_read_anew_as_figures_change():
    """Eligibility.pool_row keeps every consortium's row from its first read and computes a row again
    when its members' figures changed: always what meets gives of pooled_figures read now."""
    changed = cells = eligible = 0
    for game, rng in _random_states(16):
        st, rules = game.state, game.rules
        f = st.firms
        n = len(f)
        for k, start in enumerate(range(0, n - 3, 4)):
            members = list(range(start, start + 2 + k % 3))
            st.consortia.append(Consortium(len(st.consortia), f"C{k}", start, members, 0.5, 0, 1, True, True))
            f.consortium[members] = len(st.consortia) - 1
        view = Eligibility(st, rules)
        for step in range(3):
            for c in st.consortia:
                ms = pooled(st, c.founder, True)
                if not ms:
                    continue
                fig = pooled_figures(st, ms)
                expected = meets(view.table, np.array([fig.caps[:3]]), np.array([fig.held]), np.array([fig.free]), np.array([fig.cash]))[0]
                assert view.pool_row(st, ms).tolist() == expected.tolist(), (st.level_id, step, ms)
                cells += len(expected)
                eligible += int(expected.sum())
            # Some members pay, train or are handed work before the next founder's turn.
            for i in rng.choice(n, size=n // 3, replace=False).tolist():
                f.cash[i] -= int(rng.integers(0, 3_000_000))
                f.committed[i] = f.capacity[i] * rng.uniform(0.0, 1.2)
                f.cap[i, :3] = np.minimum(f.cap[i, :3] + rng.uniform(0.0, 0.2, 3), 1.0)
                changed += 1
    assert changed > 100 and 0 < eligible < cells, (changed, cells, eligible)


def test_a_consortiums_run_of_bids_is_eligible_now_while_its_pools_figures_stay():
    """A consortium's run of bids (BidRun.since) says every call of it is still eligible (so
    try_apply_bids leaves out the visibility and requirement checks) only while neither the founder's
    figures nor its pool's changed: then each call is one bid_requirements and visible let it bid on."""
    runs = calls = grouped = 0
    for game, rng in _random_states(16):
        st, rules = game.state, game.rules
        f = st.firms
        n = len(f)
        founded = []
        for k, start in enumerate(range(0, n - 3, 4)):
            members = list(range(start, start + 2 + k % 3))
            st.consortia.append(Consortium(len(st.consortia), f"C{k}", start, members, 0.5, 0, 1, True, True))
            f.consortium[members] = len(st.consortia) - 1
            founded.append(st.consortia[-1])
        for c in founded:
            run = strategies._bids(st, rules, c.founder, rng, 0.0, consortium=True)
            if not len(run):
                continue
            if len(pooled(st, c.founder, True)) > 1:
                # The founder's own consortium bids read the same calls and figures.
                group = strategies._group_bids(st, rules, c.founder, strategies.Draws(7, np.array([c.founder])), 0, 0.03, False)
                assert [b.rfq for b in group] == [b.rfq for b in run] and group.since[2] == strategies._bidder_key(st, rules, c.founder, True)
                grouped += 1
            assert run.eligible_now(st, rules)
            for bid in run:
                assert visible(st, rules, c.founder, open_call(st, bid.rfq)) and not bid_requirements(st, rules, c.founder, bid.rfq, True)
                calls += 1
            runs += 1
            partner = [m for m in pooled(st, c.founder, True) if m != c.founder][0]
            f.debt[partner] += 1  # the pool's net position moved: read again
            assert not run.eligible_now(st, rules)
            f.debt[partner] -= 1
            assert run.eligible_now(st, rules)
    assert runs > 20 and calls > 40 and grouped > 10, (runs, calls, grouped)


def test_eligible_rfqs_follow_figures_that_change_after_the_matrix_was_built():
    """A row computed before a firm paid, trained or was handed work is computed again."""
    changed = 0
    for game, rng in _random_states(12):
        st, rules = game.state, game.rules
        for i in range(len(st.firms)):
            eligible_rfqs(st, rules, i)  # builds the quarter's matrix and reads every row
        view = st.memo["eligibility"]
        _shake(game, rng)  # everything changes in place: same calls, same policies
        changed += sum(1 for i in range(len(st.firms)) if view.keys[i] != strategies._firm_key(st.firms, i))
        for i in range(len(st.firms)):
            for consortium in (False, True):
                mine = [r.id for r in eligible_rfqs(st, rules, i, consortium)]
                assert mine == [r.id for r, ok in zip(st.rfqs, _plain(st, rules, i, consortium), strict=True) if ok], (i, consortium)
        assert st.memo["eligibility"] is view, "the same calls keep the same matrix, row by row"
    assert changed > 50


def test_a_firms_key_from_its_row_is_the_key_from_whole_columns():
    for game, _ in _random_states(4):
        f = game.state.firms
        assert strategies._firm_keys(f) == [strategies._firm_key(f, i) for i in range(len(f))]


def test_a_new_quarter_or_a_policy_switch_builds_a_new_matrix():
    game = small_game(seed=3, players=1, smes=8, base="bajio_automotive")
    st, rules = game.state, game.rules
    first = Eligibility.of(st, rules)
    assert Eligibility.of(st, rules) is first
    st.policy_active[0] = not st.policy_active[0]
    second = Eligibility.of(st, rules)
    assert second is not first
    game.end_quarter()
    assert Eligibility.of(game.state, rules) is not second


def test_calls_by_id_are_the_first_call_of_that_id():
    for game, _ in _random_states(8):
        st = game.state
        for r in st.rfqs:
            assert open_call(st, r.id) is next(x for x in st.rfqs if x.id == r.id)
        assert open_call(st, "no such call") is None
        st.rfqs = list(reversed(st.rfqs))  # a new list is looked up anew
        for r in st.rfqs:
            assert open_call(st, r.id) is next(x for x in st.rfqs if x.id == r.id)


def test_lead_targets_are_the_loops_they_replace():
    checked = 0
    for k, level in enumerate(LEVELS * 3):
        rng = np.random.default_rng([11, k])
        game = small_game(seed=k + 1, players=1, smes=4, base=level)
        st, rules = game.state, game.rules
        st.lead_firm_active[:] = [bool(x) for x in rng.random(len(st.lead_firm_active)) < 0.6]
        targets = LeadTargets.of(st, rules)
        active = [lf.id for j, lf in enumerate(rules.level.lead_firms) if st.lead_firm_active[j]] or [rules.level.lead_firms[0].id]
        assert targets.lead == active[0]
        for target in (1, 2, 3):
            wanted: set[str] = set()
            for j, lf in enumerate(rules.level.lead_firms):
                if st.lead_firm_active[j]:
                    for tier in sorted({2, target}):
                        wanted.update(rules.requirements(lf.id, tier).certifications)
            assert targets.wanted(target) == sorted(wanted)
        f = st.firms
        for i in range(len(f)):
            f.cert_held[i] = rng.random(f.cert_held.shape[1]) < 0.5
            plain = None
            for lid in active:
                need2 = rules.requirements(lid, 2).certifications
                extra = set(need2) - set(rules.requirements(lid, 3).certifications)
                if extra and all(f.cert_held[i, rules.cert_index[c]] for c in need2):
                    plain = lid
                    break
            mine = next((lid for lid, need2 in targets.tier2_shortcuts if f.cert_held[i, need2].all()), None)
            assert mine == plain
            checked += 1
        st.lead_firm_active[0] = not st.lead_firm_active[0]
        assert LeadTargets.of(st, rules) is not targets
    assert checked > 30


def test_try_apply_is_validate_then_apply():
    for game, _ in _random_states(6):
        st, rules = game.state, game.rules
        twin = game.clone()
        for i in np.flatnonzero(st.firms.alive).tolist():
            for action in strategies.cautious(st, rules, i, np.random.default_rng([5, i])):
                refusal = actions.validate(twin.state, twin.rules, action)
                if refusal is None:
                    actions.apply(twin.state, twin.rules, action)
                assert actions.try_apply(st, rules, action) == refusal
        assert state_hash(st) == state_hash(twin.state)
        bad = PlaceBid(st.firms.ids[0], "no such call", 1)
        assert actions.try_apply(st, rules, bad) == actions.validate(st, rules, bad) is not None


def test_a_run_of_bids_applied_at_once_is_try_apply_of_each_bid_in_turn():
    """try_apply_bids reads the bidder's pooled figures once for the run: the same refusals,
    bids and state as try_apply one bid at a time until the action points run out."""
    applied = refused = 0
    for game, rng in _random_states(24):
        st, rules = game.state, game.rules
        twin = game.clone()
        f = st.firms
        for i in range(len(f)):
            consortium = bool(f.consortium[i] >= 0 and rng.random() < 0.5)
            # The calls it qualifies for, some it does not, one asked twice.
            calls = eligible_rfqs(st, rules, i, consortium) + [r for r in st.rfqs if rng.random() < 0.3] + [st.rfqs[0]]
            calls = [calls[k] for k in rng.permutation(len(calls))]
            prices = [int(r.target_price * rng.choice([0.9, 1.0, 1.6])) for r in calls]
            run = [PlaceBid(f.ids[i], r.id, p, consortium) for r, p in zip(calls, prices, strict=True)]
            run.insert(int(rng.integers(len(run))), PlaceBid(f.ids[i], "no such call", 1, consortium))
            one_by_one = 0
            for bid in run:
                if twin.state.firms.action_points[i] <= 0:
                    break
                refusal = actions.try_apply(twin.state, twin.rules, bid)
                one_by_one += refusal is None
                refused += refusal is not None
            assert actions.try_apply_bids(st, rules, strategies.BidRun(f.ids[i], [b.rfq for b in run], [b.price for b in run], consortium)) == one_by_one
            applied += one_by_one
        assert state_hash(st) == state_hash(twin.state)
        assert st.bids == twin.state.bids and st.explanations == twin.state.explanations
    assert applied > 80 and refused > 300, (applied, refused)


def test_offers_to_a_firm_are_the_scan_of_every_offer_as_offers_are_made_and_taken():
    from game.core.state import SubcontractOffer

    found = 0
    for game, rng in _random_states(8):
        st = game.state
        n = len(st.firms)
        for step in range(40):
            roll = rng.random()
            if roll < 0.6:  # an offer made (OfferSubcontract appends)
                st.offers.append(SubcontractOffer(f"c{step}", int(rng.integers(n)), int(rng.integers(n)), 0.33, 1000, st.quarter))
            elif roll < 0.9:  # offers taken or expired (a new list)
                st.offers = [o for o in st.offers if rng.random() < 0.7]
            for i in range(n):
                mine = strategies._offers_to(st, i)
                assert mine == [o for o in st.offers if o.to_firm == i]
                found += len(mine)
    assert found > 200, found


def test_the_memo_is_not_hashed_and_a_copy_starts_without_it():
    game = small_game(seed=2, players=1, smes=6, base="bajio_automotive")
    st, rules = game.state, game.rules
    before = state_hash(st)
    for i in range(len(st.firms)):
        eligible_rfqs(st, rules, i)
    LeadTargets.of(st, rules)
    assert st.memo and state_hash(st) == before
    assert not copy.deepcopy(st).memo and not game.clone().state.memo


def _plain_loan_terms(state, rules, firm: int, bank: int) -> tuple[float, int]:  # noqa: ANN001
    """The scalar formula loan_offers replaces, one bank at a time (engine 2.0's loan_terms)."""
    inst = rules.level.institutions[bank]
    f = state.firms
    g_share, cut = policies.credit_guarantee(state, rules, firm)
    rate = inst.annual_rate + state.rate_shift - cut
    if f.employees[firm] > 50:
        rate -= inst.medium_firm_discount
    rate = max(0.01, rate)
    collateral = inst.collateral * (1.0 - g_share)
    assets = int(f.fixed_assets[firm]) + int(f.receivables[firm].sum())
    by_collateral = assets / collateral if collateral > 0 else float(inst.max_loan)
    room = min(inst.max_loan, by_collateral) - int(f.debt[firm])
    return rate, max(0, int(room))


def test_loan_offers_are_each_banks_loan_terms():
    checked = 0
    for game, rng in _random_states(16):
        st, rules = game.state, game.rules
        st.rate_shift = float(rng.choice([0.0, -0.02, 0.035, -0.2]))
        f = st.firms
        f.employees[:] = rng.integers(5, 120, len(f))
        f.fixed_assets[:] = rng.integers(0, 20_000_000, len(f))
        for i in range(len(f)):
            # Few banks go one at a time, many (as in bench's grown clusters) on arrays: both as the formula.
            for banks in (rules.bank_indexes, rules.bank_indexes * (VECTOR_BANKS + 1)):
                offers = loan_offers(st, rules, i, banks)
                plain = [_plain_loan_terms(st, rules, i, b) for b in banks]
                assert offers == plain, (st.level_id, i, len(banks))
                assert all(type(rate) is float and type(room) is int for rate, room in offers)
                rates, rooms = loan_offer_arrays(st, rules, i, banks)
                assert list(zip(rates.tolist(), rooms.tolist(), strict=True)) == plain
                checked += len(plain)
    assert checked > 100


def test_a_firms_boost_is_its_entry_of_the_boost_mask():
    checked = 0
    for game, _ in _random_states(16):
        st, rules = game.state, game.rules
        for kind in ("training_centre", "real_services", "infrastructure"):
            mask = policies.boost_mask(st, rules, kind)
            assert [policies.boost_of(st, rules, kind, i) for i in range(len(st.firms))] == mask.tolist()
            checked += int((mask > 0).sum())
    assert checked > 0


def test_remembered_exp_is_exp_array():
    rng = np.random.default_rng(3)
    xs = np.concatenate([rng.uniform(-40.0, 40.0, 300), [0.0, -0.0, 1, -1, 709.0, -745.0]])
    for _ in range(2):  # computed, then remembered
        assert [detmath.exp(float(x)) for x in xs] == exp_array(xs).tolist()
    assert detmath.exp(-1) == detmath.exp(-1.0) == float(exp_array(np.array([-1.0]))[0])


def _plain_orders_beyond(st, rules, i: int) -> list[str]:  # noqa: ANN001
    """The loop :func:`strategies._orders_beyond` replaced: every visible call asking more than
    the firm's plant whose only missing requirement is capacity."""
    own = pooled_figures(st, [i])
    out = []
    for r in st.rfqs:
        if not visible(st, rules, i, r) or call_needs(rules, r)[3] <= own.capacity:
            continue
        missing = missing_requirements(rules, r, own)
        if missing and all(m.reason == "missing.capacity" for m in missing):
            out.append(r.id)
    return out


def test_orders_beyond_a_firm_are_the_plain_scan_of_every_call_before_and_after_figures_change():
    found = checked = 0
    for game, rng in _random_states(24):
        st, rules = game.state, game.rules
        for _ in range(2):
            # Some plants smaller than the calls, so orders beyond them come up.
            small = rng.random(len(st.firms)) < 0.5
            st.firms.capacity[small] = np.maximum(1, st.firms.capacity[small] // 20)
            st.firms.committed[small] = np.minimum(st.firms.committed[small], st.firms.capacity[small])
            _, beyond_now = Eligibility.of(st, rules).rows_now(st, rules, np.arange(len(st.firms))).full(len(st.firms))
            for i in range(len(st.firms)):
                mine = [r.id for r in strategies._orders_beyond(st, rules, i)]
                assert mine == _plain_orders_beyond(st, rules, i), (st.level_id, i)
                assert [r.id for r, b in zip(st.rfqs, beyond_now[i].tolist(), strict=True) if b] == mine, (st.level_id, i)
                found += bool(mine)
                checked += 1
            _shake(game, rng)  # same matrix, rows computed again from the changed figures
    assert checked > 500 and 20 < found < checked - 20, (checked, found)


def _plain_bids(st, rules, i: int, rng, discount: float, max_tier: int = 1, consortium: bool = False) -> list:  # noqa: ANN001
    """What :func:`strategies._bids` computes as arrays, call by call: the firm's draw of each
    eligible call's slot (its position among the open calls), keyed by one draw of ``rng``."""
    key = int(rng.integers(0, 2**63))
    slot = strategies.SLOT_GROUP_BIDS if consortium else strategies.SLOT_BIDS
    out = []
    for k, r in enumerate(st.rfqs):
        if r.tier < max_tier or r not in eligible_rfqs(st, rules, i, consortium):
            continue
        u = float(uniforms(key, i, slot + k)[0])
        price = int(r.target_price * (1.0 - discount - 0.03 * u))
        out.append(PlaceBid(st.firms.ids[i], r.id, max(price, 1), consortium))
    return out


def test_bids_priced_from_one_array_of_draws_are_the_bids_of_one_draw_per_call():
    made = 0
    for game, rng in _random_states(24):
        st, rules = game.state, game.rules
        for i in range(len(st.firms)):
            discount = float(rng.choice([0.0, 0.03, 0.05, 0.07, 1.2]))  # 1.2: prices below zero, floored at 1
            max_tier = int(rng.integers(1, 4))
            consortium = bool(rng.random() < 0.3)
            key = int(rng.integers(1 << 30))
            mine = list(strategies._bids(st, rules, i, derived(key), discount, max_tier, consortium))
            plain = _plain_bids(st, rules, i, derived(key), discount, max_tier, consortium)
            assert mine == plain, (st.level_id, i)
            made += len(mine)
    assert made > 50, made


def test_a_loan_from_the_cheapest_bank_by_arrays_is_the_scan_of_every_banks_terms():
    """Above VECTOR_BANKS banks the lowest rate (then the lowest index) is read from arrays."""
    compared = 0
    for game, rng in _random_states(12):
        st, rules = game.state, game.rules
        banks = [k for k, inst in enumerate(rules.level.institutions) if inst.kind == "bank"]
        if not banks:
            continue
        many = (banks * (VECTOR_BANKS + 2))[: VECTOR_BANKS + 3 + int(rng.integers(5))]
        # A bigger cluster's banks (copies of the same terms tie: the lowest index wins); the rules are shared, so a copy.
        rules = dataclasses.replace(rules, bank_indexes=many)
        for i in range(len(st.firms)):
            amount = int(rng.integers(0, 3_000_000))
            offers = dict(zip(many, loan_offers(st, rules, i, many), strict=True))
            best = min(many, key=lambda b: (offers[b][0], b))
            room = min(amount, offers[best][1])
            expected = [] if amount <= 0 or room < 50_000 else [actions.TakeLoan(st.firms.ids[i], rules.level.institutions[best].id, room)]
            assert strategies._borrow(st, rules, i, amount) == expected
            compared += bool(expected)
    assert compared > 20, compared


def _plain_invitations(st, firm: int) -> list[int]:  # noqa: ANN001
    return [k for k, c in enumerate(st.consortia) if c.active and firm in c.invited]


def _plain_open(st, below: int) -> list[int]:  # noqa: ANN001
    return [k for k, c in enumerate(st.consortia) if c.active and c.open and len(c.members) < below]


def test_the_consortium_index_is_the_scan_of_every_consortium_as_invitations_joins_and_foundings_happen():
    """Built once, then kept by the actions themselves: every read equals the plain scan; so does
    the most trusted open consortium, read from the order kept for the quarter."""
    from game.core import cooperation
    from game.core.cooperation import ConsortiumIndex

    checked = invited = trusted = 0
    for game, rng in _random_states(16):
        st, rules = game.state, game.rules
        f = st.firms
        for c in st.consortia:
            c.trust = float(rng.choice([0.5, rng.random()]))
            c.open = bool(rng.random() < 0.5)  # a team's consortium invites; a computer SME's is open
            c.invited = sorted(int(j) for j in rng.choice(len(f), size=2, replace=False) if f.consortium[j] < 0)
        ConsortiumIndex.of(st)
        for _ in range(40):
            f.action_points[:] = 5
            i = int(rng.integers(len(f)))
            j = int(rng.integers(len(f)))
            pick = rng.random()
            if pick < 0.4:
                act = actions.InviteToConsortium(f.ids[i], f.ids[j])
            elif pick < 0.55:
                act = actions.FoundConsortium(f.ids[i], f"N{i}")
            elif pick < 0.8 and st.consortia:
                act = actions.JoinConsortium(f.ids[i], int(rng.integers(len(st.consortia))))
            elif st.consortia:
                act = actions.DeclineInvitation(f.ids[i], int(rng.integers(len(st.consortia))))
            else:
                continue
            actions.try_apply(st, rules, act)
            if rng.random() < 0.1:
                cooperation.leave(st, i)
            if rng.random() < 0.1:  # a resolution: trust moves, the next quarter opens
                for c in st.consortia:
                    c.trust = float(rng.choice([0.2, 0.5, 0.5, 0.8, rng.random()]))
                st.quarter += 1
            index = ConsortiumIndex.of(st)
            plain_open = _plain_open(st, cooperation.OPEN_BELOW)
            most = max(plain_open, key=lambda k: (st.consortia[k].trust, -st.consortia[k].id)) if plain_open else None
            assert strategies._most_trusted_open(st, index) == most
            trusted += most is not None
            for k in range(len(f)):
                assert index.invitations(st, k) == _plain_invitations(st, k)
                first = _plain_invitations(st, k)
                expected = [actions.JoinConsortium(f.ids[k], st.consortia[first[0]].id)] if first and f.consortium[k] < 0 else []
                assert strategies._accept_invitation(st, k) == expected
                invited += bool(first)
            assert index.open_now(st) == _plain_open(st, cooperation.OPEN_BELOW)
            checked += 1
    assert checked > 300 and invited > 100 and trusted > 100, (checked, invited, trusted)


def test_every_short_firms_loan_terms_at_once_are_each_firms_own_terms():
    """finance.solvency reads the terms of every firm short of cash from one matrix."""
    from game.core.decisions.finance import loan_offer_matrix

    rows = 0
    for game, rng in _random_states(16):
        st, rules = game.state, game.rules
        banks = [k for k, inst in enumerate(rules.level.institutions) if inst.kind == "bank"]
        if not banks:
            continue
        st.firms.employees[:] = rng.integers(5, 120, len(st.firms))  # both sides of the medium-firm discount
        firms = [int(i) for i in rng.permutation(len(st.firms))[: int(rng.integers(1, len(st.firms) + 1))]]
        rates, rooms = loan_offer_matrix(st, rules, firms, banks)
        for n, i in enumerate(firms):
            r1, m1 = loan_offer_arrays(st, rules, i, banks)
            assert rates[n].tobytes() == r1.tobytes() and rooms[n].tolist() == m1.tolist(), (st.level_id, i)
            rows += 1
    assert rows > 50, rows


def test_committing_an_appended_contract_gives_the_committed_capacity_computed_anew():
    """rfq.award adds each new contract's load to the figures instead of summing every contract again."""
    from game.core.contracts import commit, committed_capacity

    contracts = 0
    for game, rng in _random_states(16):
        st, rules = game.state, game.rules
        if not st.contracts:
            continue
        every = list(st.contracts)
        st.contracts = [c for c in every if rng.random() < 0.5]
        used = committed_capacity(st, rules)
        for k in range(8):
            c = copy.deepcopy(every[k % len(every)])
            c.active = True
            c.members = sorted({int(m) for m in rng.integers(len(st.firms), size=int(rng.integers(1, 4)))})
            shares = rng.random(len(c.members))
            c.shares = (shares / shares.sum()).tolist()
            c.volume = int(rng.integers(100, 50_000))
            c.part_family = int(rng.integers(len(rules.part_complexity)))
            if rng.random() < 0.3:
                c.subcontractor, c.subcontract_share = int(rng.integers(len(st.firms))), 0.33
            st.contracts.append(c)
            commit(used, rules, c)
            assert used.tobytes() == committed_capacity(st, rules).tobytes()
            contracts += 1
    assert contracts > 20, contracts


def test_active_effects_kept_for_the_quarter_follow_every_policy_switch():
    kinds = ("training_centre", "certification_subsidy", "credit_guarantee", "real_services", "supplier_development", "local_content_target", "cross_clustering")
    switched = 0
    for game, rng in _random_states(8):
        st, rules = game.state, game.rules
        for _ in range(6):
            for kind in kinds:
                assert policies.active_effects(st, rules, kind) == policies._active_effects(st, rules, kind)
            if st.policy_active:
                k = int(rng.integers(len(st.policy_active)))
                st.policy_active[k] = not st.policy_active[k]  # in place, as the facilitator switches one
                switched += 1
    assert switched > 20


def _plain_subsidised(st, rules, i: int, target: int):  # noqa: ANN001, ANN202
    best = None
    for cid in LeadTargets.of(st, rules).wanted(target):
        action = actions.StartCertification(st.firms.ids[i], cid)
        if action.check(st, rules, i) is not None:
            continue
        cost = action.cost(st, rules, i)
        if cost.policy < 0 or cost.share <= 0:
            continue
        if best is None or (cost.total, cid) < best[:2]:
            best = (cost.total, cid, action)
    return best[2] if best is not None else None


def test_a_subsidised_certification_is_looked_for_only_where_a_subsidy_could_serve_the_firm():
    found = asked = 0
    for game, rng in _random_states(24):
        st, rules = game.state, game.rules
        st.firms.cert_left[:] = 0
        for k in range(len(st.policy_spent)):
            if rng.random() < 0.3:
                st.policy_spent[k] = rules.level.policies[k].budget  # spent out (a budget of 0 has no limit)
        for i in range(len(st.firms)):
            for target in (1, 2, 3):
                mine = strategies._subsidised_certification(st, rules, i, target)
                assert mine == _plain_subsidised(st, rules, i, target), (st.level_id, i, target)
                found += mine is not None
                asked += 1
    assert asked > 500 and found > 20, (asked, found)


def test_proposals_read_as_the_list_of_their_actions_and_join_as_lists_do():
    """A strategy's Proposals (bids made when read) compose like the lists they replaced."""
    game = small_game(seed=4, players=1, smes=10, base="bajio_automotive")
    game.end_quarter()
    st, rules = game.state, game.rules
    seen = 0
    for i in range(len(st.firms)):
        for name in ("cautious", "growth", "cooperative", "ambitious"):
            proposed = strategies.STRATEGY_FUNCTIONS[name](st, rules, i, derived(5, i))
            plain = list(proposed)
            assert list(proposed) == plain  # read twice, the same actions
            first = [actions.JoinAssociation(st.firms.ids[i])]
            assert list(first + proposed) == first + plain
            assert list(proposed + first) == plain + first
            both = strategies.Proposals(first)
            both += proposed
            both.append(first[0])
            assert list(both) == first + plain + first
            seen += len(plain)
    assert seen > 50, seen


def _plain_aim(st, rules, firm: int, reserve: int, borrow: bool, u: float) -> list:  # noqa: ANN001
    """The per-firm loop :func:`strategies._aim_rows` replaced (engine 2.3), with the practices draw ``u``."""
    from game.core.actions import AdoptPractices, BuyTechnology, TrainStaff
    from game.core.state import DELIVERY, MANAGEMENT

    f = st.firms
    fid = f.ids[firm]
    target = max(1, min(int(f.best_tier[firm]), 4) - 1)
    leads = LeadTargets.of(st, rules)
    lead = leads.lead
    if target > 2:
        for lid, need2 in leads.tier2_shortcuts:
            if f.cert_held[firm, need2].all():
                target, lead = 2, lid
                break
    req = rules.requirements(lead, target)
    cash = int(f.cash[firm])
    out: list = []

    def afford(cost: int, action) -> None:  # noqa: ANN001
        nonlocal cash
        if cash - cost >= reserve:
            out.append(action)
            cash -= cost
        elif borrow:
            loan = strategies._borrow(st, rules, firm, cost + reserve - cash)
            if loan:
                out.extend([*loan, action])
                cash = reserve

    certifying = bool((f.cert_left[firm] > 0).any())
    if not certifying:
        for cid in req.certifications:
            if not f.cert_held[firm, rules.cert_index[cid]]:
                nxt = strategies._next_certification(st, rules, firm)
                if nxt is not None:
                    quarters = int(rules.cert_quarters[rules.cert_index[nxt.certification]])
                    afford(nxt.cost(st, rules, firm).total // quarters * 2, nxt)
                break
    if not out and not certifying:
        sub = strategies._subsidised_certification(st, rules, firm, target)
        if sub is not None:
            quarters = int(rules.cert_quarters[rules.cert_index[sub.certification]])
            afford(sub.cost(st, rules, firm).total // quarters * 2, sub)
    caps = f.cap[firm].tolist()
    if caps[TECHNOLOGY] < req.technology + 0.05:
        buy = BuyTechnology(fid)
        afford(buy.cost(st, rules, firm).now, buy)
    if caps[QUALITY] < req.quality + 0.05 and st.quarter - f.trained_quarter[firm] >= 2:
        train = TrainStaff(fid)
        afford(train.cost(st, rules, firm).now, train)
    if (caps[DELIVERY] < req.delivery + 0.05 or caps[MANAGEMENT] < 0.5) and u < 0.5:
        adopt = AdoptPractices(fid)
        afford(adopt.cost(st, rules, firm).now, adopt)
    return out


def test_the_aim_of_every_firm_at_once_is_each_firms_own_aim():
    """Targets, requirement gaps, costs (subsidies included) and the cash and credit chain as arrays
    give each firm's plain loop, action for action (a subsidised certification is read again when
    the firm's turn comes: on an unchanged state it is the same action)."""
    acted = compared = 0
    for game, rng in _random_states(24):
        st, rules = game.state, game.rules
        f = st.firms
        f.best_tier[:] = rng.choice([2, 3, 4, 4], len(f))
        f.cert_left[:] = np.where(rng.random(f.cert_left.shape) < 0.1, 1, 0)
        f.trained_quarter[:] = st.quarter - rng.integers(0, 3, len(f))
        if rng.random() < 0.5:
            # Some subsidies switched on, some budgets nearly spent.
            for p, pol in enumerate(rules.level.policies):
                if any(e.kind in ("certification_subsidy", "training_centre", "real_services") for e in pol.effects) and rng.random() < 0.7:
                    st.policy_active[p] = True
                    if pol.budget:
                        st.policy_spent[p] = int(pol.budget * rng.choice([0.0, 0.9, 0.999]))
        rows = np.flatnonzero(f.alive)
        reserve = f.employees[rows].astype(np.int64) * rules.economy.wage_per_quarter * rng.choice([0.5, 0.75, 1.0], len(rows))
        reserve = reserve.astype(np.int64)
        borrow = rng.random(len(rows)) < 0.4
        u = rng.random(len(rows))
        aims = strategies._aim_rows(st, rules, rows, reserve, borrow, u)
        for k, i in enumerate(rows.tolist()):
            mine = [a for run in aims.get(k, []) for a in run]
            plain = _plain_aim(st, rules, i, int(reserve[k]), bool(borrow[k]), float(u[k]))
            assert mine == plain, (st.level_id, i)
            acted += bool(plain)
            compared += 1
    assert compared > 300 and 50 < acted < compared - 20, (compared, acted)


def test_costs_of_every_firm_at_once_are_each_firms_cost():
    from game.core.actions import AdoptPractices, StartCertification, TrainStaff

    checked = subsidised = 0
    for game, rng in _random_states(16):
        st, rules = game.state, game.rules
        for p, pol in enumerate(rules.level.policies):
            st.policy_active[p] = rng.random() < 0.6
            if pol.budget:
                st.policy_spent[p] = int(pol.budget * rng.choice([0.0, 0.5, 0.999, 1.0]))
        st.memo.clear()
        f = st.firms
        rows = np.arange(len(f))
        certs = rng.integers(-1, len(rules.level.certifications), len(f))
        train, adopt = TrainStaff.costs_now(st, rules, rows), AdoptPractices.costs_now(st, rules, rows)
        total, policy = StartCertification.costs_total(st, rules, rows, certs)
        nxt = strategies._next_certifications(st, rules, rows)
        for i in rows.tolist():
            assert train[i] == TrainStaff(f.ids[i]).cost(st, rules, i).now
            assert adopt[i] == AdoptPractices(f.ids[i]).cost(st, rules, i).now
            if certs[i] >= 0:
                cost = StartCertification(f.ids[i], rules.level.certifications[certs[i]].id).cost(st, rules, i)
                assert (total[i], policy[i]) == (cost.total, cost.policy), i
                subsidised += cost.policy >= 0
            plain = strategies._next_certification(st, rules, i)
            assert nxt[i] == (rules.cert_index[plain.certification] if plain is not None else -1), i
            checked += 1
    assert checked > 200 and subsidised > 10, (checked, subsidised)


def test_history_entries_are_asdict_of_the_figures():
    """The quarter's history entry copies each figure as dataclasses.asdict does (engine._plain)."""
    from game.core.engine import _plain

    game = small_game(seed=3, players=2, smes=10, base="bajio_automotive")
    seen = 0
    for _ in range(4):
        report = game.end_quarter()
        for p in report.players:
            plain = p.to_dict()
            assert plain == dataclasses.asdict(p) and list(plain) == list(dataclasses.asdict(p))
            assert plain["capabilities"] is not p.capabilities and plain["certifications"] is not p.certifications
            seen += 1
        assert _plain(report.cluster) == dataclasses.asdict(report.cluster)
    assert seen == 8


def _one_firm_at_a_time(game) -> None:  # noqa: ANN001 - a Game
    """The computer firms' quarter as the per-firm loop it replaced: each firm planned at its own
    turn from the state then (propose on its row alone), with the same draws."""
    from game.core.engine import COMPUTER_KEY
    from game.core.rng import counter_key
    from game.core.state import KIND_COMPUTER

    st, rules = game.state, game.rules
    f = st.firms
    key = counter_key(st.seed, COMPUTER_KEY, st.quarter)
    for i in np.flatnonzero((f.kind == KIND_COMPUTER) & f.alive).tolist():
        row = np.array([i], dtype=np.int64)
        plan = strategies.propose(st, rules, row, f.strategy[row], strategies.Draws(key, row))[0]
        strategies.play_proposals(st, rules, i, plan.settled())


def test_all_firms_planned_at_once_play_the_game_each_firm_planned_at_its_turn_plays():
    """Planning every computer firm at once from the state at the start of the phase, then
    planning again a firm whose figures another firm's move changed (or every firm once the
    subsidies' budgets did), gives the game each firm planned at its own turn gives: the
    same state after every quarter, on every level, with and without every policy."""
    from game.core.engine import Game
    from game.core.level_loader import load_level

    # Games where planning at the start of the phase alone would differ: a partner accepting work a
    # firm offered lowers its committed capacity before its turn (bajio 4, cross 8), subsidies'
    # budgets spent before a firm's turn (bajio 2), a firm's own earlier actions (its association
    # fee) that the turn's other proposals must not see (border 6); and one game of each other level.
    cases = [("bajio_automotive", 4, False), ("bajio_automotive", 2, True), ("cross_clustering_emilia", 8, True), ("border_maquiladora", 6, False)]
    cases += [("jalisco_electronics", 1, True), ("queretaro_aerospace", 1, False), ("tutorial", 1, True)]
    quarters = 0
    for level, seed, every_policy in cases:
        loaded = load_level(level)
        switches = {p.id: True for p in loaded.level.policies} if every_policy else None
        batch = Game.new(loaded, seed=seed, policies=switches)
        single = Game.new(loaded, seed=seed, policies=switches)
        while not batch.finished:
            batch.computer_decisions()
            batch.resolve()
            _one_firm_at_a_time(single)
            single.resolve()
            assert state_hash(batch.state) == state_hash(single.state), (level, seed, batch.state.quarter)
            quarters += 1
    assert quarters > 100, quarters
