"""The supplier-development programme: an application window, seats by published criteria, cohorts.

Issue 7, F4 and F5: firms apply while a window is open (a decision a player
sees and can use); at the window's close the seats go to the applicants that
rank best on the programme's published criteria, whatever the order they
applied in; a cohort is mentored for a term, then graduates.
"""

from __future__ import annotations

from game.core import actions, policies
from game.core.actions import ApplySupplierDevelopment, action_from_dict
from game.core.replay import Recorder, run_replay
from game.core.state import DELIVERY, MANAGEMENT, QUALITY, TECHNOLOGY
from tests.helpers import shipped, small_level

SD = "nordwagen_supplier_development"


def _sd_policies(**changes):  # noqa: ANN003, ANN202
    """The tutorial's policies with the supplier-development effect changed."""
    level = shipped("tutorial").level
    out = []
    for pol in level.policies:
        if pol.id == SD:
            effects = [e.model_copy(update=changes) for e in pol.effects]
            pol = pol.model_copy(update={"effects": effects})
        out.append(pol)
    return out


def _new(seed: int, players: int, **changes):  # noqa: ANN003, ANN202
    from game.core.engine import Game

    loaded = small_level(4, "tutorial", policies=_sd_policies(**changes))
    return Game.new(loaded, seed=seed, players=players, policies={SD: True})


def _pass_quarter(game) -> None:  # noqa: ANN001
    """Resolve a quarter with no computer decisions (the test drives every firm)."""
    game.resolve()


def test_apply_is_free_costs_one_action_point_and_records_the_application():
    game = _new(1, 1)
    st = game.state
    a = ApplySupplierDevelopment("p1", SD)
    cost = a.cost(st, game.rules, 0)
    assert (cost.now, cost.later, cost.subsidy) == (0, 0, 0)
    cash, ap = int(st.firms.cash[0]), int(st.firms.action_points[0])
    assert game.try_apply(a) is None
    assert int(st.firms.cash[0]) == cash and int(st.firms.action_points[0]) == ap - 1
    assert int(st.firms.sd_applied[0]) == game.rules.policy_index[SD]
    assert st.firms.supplier_dev[0] == -1  # applying is not joining
    assert any(e.key == "done.apply_supplier_development" for e in st.explanations)


def test_refusal_reasons():
    game = _new(1, 1, window_opens=3)
    st, rules = game.state, game.rules
    r = game.validate(ApplySupplierDevelopment("p1", SD))
    assert r is not None and r.reason == "refused.window_closed" and r.params == {"opens": 3, "closes": 4}
    assert game.validate(ApplySupplierDevelopment("p1", "nope")).reason == "refused.unknown_programme"
    assert game.validate(ApplySupplierDevelopment("p1", "proauto_certification")).reason == "refused.unknown_programme"
    game = _new(1, 1)
    st, rules = game.state, game.rules
    assert game.try_apply(ApplySupplierDevelopment("p1", SD)) is None
    assert game.validate(ApplySupplierDevelopment("p1", SD)).reason == "refused.already_applied"
    st.firms.sd_applied[0] = -1
    st.firms.supplier_dev[0] = rules.policy_index[SD]
    assert game.validate(ApplySupplierDevelopment("p1", SD)).reason == "refused.already_member"
    st.firms.supplier_dev[0] = -1
    st.firms.cap[0, QUALITY] = 0.0  # below the programme's min_quality? only if it has one
    el = rules.level.policies[rules.policy_index[SD]].eligibility
    if el.min_quality > 0:
        assert game.validate(ApplySupplierDevelopment("p1", SD)).reason == "refused.not_eligible"
    st.policy_active[rules.policy_index[SD]] = False
    assert game.validate(ApplySupplierDevelopment("p1", SD)).reason == "refused.policy_inactive"


def test_seats_go_by_the_published_criteria_not_by_who_applied_first():
    game = _new(1, 2, seats=1, window_quarters=2, term_quarters=4)
    st, rules = game.state, game.rules
    f = st.firms
    f.cap[0, [QUALITY, DELIVERY, MANAGEMENT]] = 0.45  # p1: weaker, applies first
    f.cap[1, [QUALITY, DELIVERY, MANAGEMENT]] = 0.60  # p2: stronger, applies a quarter later
    assert game.try_apply(ApplySupplierDevelopment("p1", SD)) is None
    _pass_quarter(game)
    assert f.supplier_dev[0] == -1 and f.supplier_dev[1] == -1  # nothing awarded before the close
    assert game.try_apply(ApplySupplierDevelopment("p2", SD)) is None
    rep = game.resolve()  # quarter 2: the window closes
    p = rules.policy_index[SD]
    assert int(f.supplier_dev[1]) == p and int(f.sd_since[1]) == 3
    assert int(f.supplier_dev[0]) == -1 and int(f.sd_applied[0]) == -1
    keys = {(e.firm, e.key) for e in rep.explanations}
    assert (1, "sd.selected") in keys and (0, "sd.not_selected") in keys
    lost = next(e for e in rep.explanations if e.key == "sd.not_selected")
    assert lost.params["rank"] == 2 and lost.params["next"] == 5
    # The loser may apply again in the next window (quarters 5-6), not before.
    assert game.validate(ApplySupplierDevelopment("p1", SD)).reason == "refused.window_closed"


def test_a_cohort_is_mentored_for_its_term_then_graduates():
    game = _new(1, 1, seats=2, window_quarters=1, term_quarters=3, boost=0.05)
    st, rules = game.state, game.rules
    f = st.firms
    p = rules.policy_index[SD]
    eff = rules.level.policies[p].effects[0]
    assert game.try_apply(ApplySupplierDevelopment("p1", SD)) is None
    game.resolve()  # quarter 1 closes the window
    assert int(f.sd_since[0]) == 2
    seen = []
    for _ in range(4):
        seen.append(bool(policies.sd_mentored_mask(st, rules, p, eff.term_quarters)[0]))
        game.resolve()
    assert seen == [True, True, True, False]  # quarters 2, 3, 4 mentored; 5 not
    # The next window opened in quarter 4 (1 + term) and the firm, a graduate, cannot apply again.
    assert policies.sd_window(eff, 4)[0]
    assert int(f.supplier_dev[0]) == p


def test_graduation_is_explained_and_learning_stops():
    game = _new(1, 1, seats=2, window_quarters=1, term_quarters=2, boost=0.05)
    st, rules = game.state, game.rules
    assert game.try_apply(ApplySupplierDevelopment("p1", SD)) is None
    game.resolve()  # q1: chosen, mentored in q2-q3
    game.resolve()  # q2
    rep = game.resolve()  # q3: last mentored quarter
    assert any(e.key == "sd.graduated" and e.firm == 0 for e in rep.explanations)
    p = rules.policy_index[SD]
    assert not policies.sd_mentored_mask(st, rules, p, 2)[0]


def test_computer_firms_apply_only_while_the_window_is_open_and_the_award_is_deterministic():
    a = _new(3, 1, window_opens=2, window_quarters=1, term_quarters=4)
    b = _new(3, 1, window_opens=2, window_quarters=1, term_quarters=4)
    for g in (a, b):
        g.end_quarter()  # quarter 1: no window, nobody applies
        assert not (g.state.firms.sd_applied >= 0).any()
        g.end_quarter()  # quarter 2: computer SMEs apply and the window closes
    assert a.hash() == b.hash()
    assert (a.state.firms.supplier_dev >= 0).any()


def test_apply_round_trips_and_replays(tmp_path):
    data = {"type": "apply_supplier_development", "firm": "p1", "policy": SD}
    assert action_from_dict(data).to_dict() == data
    rec = Recorder.start(shipped("tutorial"), seed=2, players=1, policies={SD: True})
    assert rec.try_apply(ApplySupplierDevelopment("p1", SD)) is None
    for _ in range(3):
        rec.end_quarter()
    path = tmp_path / "r.json"
    rec.save(path)
    result = run_replay(path)
    assert result.ok and result.final_hash == rec.game.hash()
    assert actions.ACTION_TYPES["apply_supplier_development"] is ApplySupplierDevelopment
    assert int(rec.game.state.firms.supplier_dev[0]) in (-1, rec.game.rules.policy_index[SD])


def test_a_cohort_member_supplies_the_sponsor_for_its_term_then_the_order_ends(monkeypatch):
    """Arráiz et al. (DD section 5): participants' sales rise in year 1 and the effect fades; the
    sponsor's development order is the early part, and it ends with the term."""
    from game.core import contracts

    monkeypatch.setattr(contracts, "DROP_WITHOUT_NOTICE", 1.0)  # a development order is never dropped without notice
    game = _new(1, 2, seats=1, window_quarters=1, term_quarters=3)
    st, rules = game.state, game.rules
    f = st.firms
    f.cap[0, [QUALITY, DELIVERY, MANAGEMENT]] = 0.9  # good scorecards: no strikes
    f.cap[1, [QUALITY, DELIVERY, MANAGEMENT]] = 0.4
    assert game.try_apply(ApplySupplierDevelopment("p1", SD)) is None
    assert game.try_apply(ApplySupplierDevelopment("p2", SD)) is None
    rep = game.resolve()  # quarter 1 closes the window: p1 gets the seat
    p = rules.policy_index[SD]
    orders = [c for c in st.contracts if c.rfq_id.startswith(policies.DEV_ORDER_PREFIX)]
    assert len(orders) == 1
    c = orders[0]
    lead = rules.level.policies[p].effects[0].lead_firm
    lf = rules.level.lead_firms[rules.lead_index[lead]]
    assert (c.members, c.tier, c.issuer, c.lead_firm, c.start_quarter, c.end_quarter) == ([0], 3, lead, lead, 2, 4)
    assert c.price == round(int(rules.part_unit_cost[c.part_family]) * (1 + policies.DEV_ORDER_MARGIN))
    assert c.payment_days == lf.payment_days
    assert float(rules.part_min_technology[c.part_family]) <= float(f.cap[0, TECHNOLOGY])  # a part family it can make
    assert c.volume == int(policies.DEV_ORDER_SHARE * int(f.capacity[0]) / float(rules.part_complexity[c.part_family]))
    assert any(e.firm == 0 and e.key == "sd.order" for e in rep.explanations)
    assert not any(e.firm == 1 and e.key == "sd.order" for e in rep.explanations)  # no seat, no order
    delivered = []
    for _ in range(3):  # quarters 2, 3, 4: the term
        game.resolve()
        delivered.append(c.delivered_total)
    assert delivered[0] > 0 and delivered[0] < delivered[1] < delivered[2]  # produced every quarter of the term
    assert not any(k.rfq_id.startswith(policies.DEV_ORDER_PREFIX) for k in st.contracts)  # ended with the term
    assert int(f.best_tier[0]) == 4  # the order is not an approval as a supplier


def test_the_order_runs_the_first_yearly_stage_hires_its_crew_and_the_sponsor_pays_at_once():
    """Arráiz et al. (DD section 5): participants' sales rise early and fade, their employment and survival
    rise. The order ends after the programme's first yearly stage even in a longer term; its cell's crew is
    hired and stays; the sponsor pays a participant's invoices on its chain at once (a cash cushion)."""
    game = _new(1, 2, seats=1, window_quarters=1, term_quarters=6)
    st, rules = game.state, game.rules
    f = st.firms
    f.cap[0, [QUALITY, DELIVERY, MANAGEMENT]] = 0.9
    staff, capacity = int(f.employees[0]), int(f.capacity[0])
    assert game.try_apply(ApplySupplierDevelopment("p1", SD)) is None
    rep = game.resolve()
    (c,) = [c for c in st.contracts if c.rfq_id.startswith(policies.DEV_ORDER_PREFIX)]
    assert c.end_quarter - c.start_quarter + 1 == policies.DEV_ORDER_QUARTERS < 6
    crew = -(-policies.DEV_ORDER_CREW * c.volume * float(rules.part_complexity[c.part_family]) // (capacity / staff))
    assert int(f.employees[0]) == staff + int(crew) > staff
    assert any(e.firm == 0 and e.key == "sd.order" and e.params["crew"] == int(f.employees[0]) - staff for e in rep.explanations)
    assert policies.prompt_payment_rate(st, rules, c.lead_firm, 0) == policies.SD_PROMPT_PAYMENT
    assert policies.prompt_payment_rate(st, rules, c.lead_firm, 1) is None  # not chosen: paid on the usual terms
    rep = game.resolve()  # the order's first quarter
    assert any(e.firm == 0 and e.key == "contract.prompt_payment" and e.params["contract"] == c.id for e in rep.explanations)
    for _ in range(policies.DEV_ORDER_QUARTERS):
        game.resolve()
    assert not any(k.rfq_id.startswith(policies.DEV_ORDER_PREFIX) for k in st.contracts)  # the stage ended
    assert int(f.employees[0]) == staff + int(crew)  # the crew stays
    assert policies.prompt_payment_rate(st, rules, c.lead_firm, 0) == policies.SD_PROMPT_PAYMENT  # and so does the cushion


def test_a_university_agreement_makes_a_customer_s_lessons_take(monkeypatch):
    """Seed paper: the weak university link limits SMEs' technological and productive development. With an
    agreement, a firm learns more from the same customer (learning.UNIVERSITY_ABSORPTION x link strength)."""
    from game.core import learning
    from game.core.actions import SignUniversityAgreement

    gains = {}
    for absorb in (0.0, learning.UNIVERSITY_ABSORPTION):
        monkeypatch.setattr(learning, "UNIVERSITY_ABSORPTION", absorb)
        game = _new(1, 1, seats=1, window_quarters=1)
        st, rules = game.state, game.rules
        f = st.firms
        f.cap[0, [QUALITY, DELIVERY, MANAGEMENT]] = 0.6
        uni = next(inst for inst in rules.level.institutions if inst.kind in ("university", "technology_centre"))
        f.cash[0] += 1_000_000
        assert game.try_apply(SignUniversityAgreement("p1", uni.id)) is None
        assert game.try_apply(ApplySupplierDevelopment("p1", SD)) is None
        game.resolve()  # chosen: the development order starts next quarter
        before = float(f.cap[0, DELIVERY])
        rep = game.resolve()
        gains[absorb] = float(f.cap[0, DELIVERY]) - before
        told = [e for e in rep.explanations if e.firm == 0 and e.key == "university.absorption"]
        assert bool(told) == (absorb > 0)
        if told:
            assert told[0].params == {"institution": uni.id, "extra": round(absorb * uni.strength, 2)}
    assert gains[learning.UNIVERSITY_ABSORPTION] > gains[0.0] > 0
