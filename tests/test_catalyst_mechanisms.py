"""Issue 7 F3 and F18 mechanisms: certifying upgrades the plant, computer firms use a public
certification subsidy, and export orders are not local content."""

from __future__ import annotations

import numpy as np

from game.core import finance, typology
from game.core.engine import Game
from game.core.rfq import EXPORT_ISSUER
from game.core.state import DELIVERY, MANAGEMENT, QUALITY, Contract
from game.core.strategies import _subsidised_certification
from tests.helpers import shipped

PUBLIC = "apoyo_certificacion_iatf"


def _bajio(policies: dict[str, bool] | None = None) -> Game:
    return Game.new(shipped("bajio_automotive"), seed=5, players=1, policies=policies)


def test_passing_the_iatf_audit_upgrades_quality_delivery_and_management():
    game = _bajio()
    st, rules = game.state, game.rules
    f = st.firms
    iatf = rules.cert_index["iatf16949"]
    up = rules.level.certifications[iatf].upgrade
    assert up > 0
    f.cap[0, QUALITY] = 0.95  # the audit passes almost surely; the draw is the game's own
    f.cert_left[0, iatf] = 1
    before = f.cap[0, [QUALITY, DELIVERY, MANAGEMENT]].copy()
    finance.certifications(st, rules)
    if f.cert_held[0, iatf]:
        after = f.cap[0, [QUALITY, DELIVERY, MANAGEMENT]]
        assert np.allclose(after, before + up * (1.0 - before))
    else:  # a failed audit changes nothing but the schedule
        assert np.allclose(f.cap[0, [QUALITY, DELIVERY, MANAGEMENT]], before)


def test_a_firm_takes_the_subsidy_only_when_one_is_open_to_it():
    for on in (False, True):
        game = _bajio({PUBLIC: on})
        st, rules = game.state, game.rules
        f = st.firms
        f.cert_held[0, rules.cert_index["iso9001"]] = True
        f.cap[0, QUALITY], f.cap[0, MANAGEMENT] = 0.55, 0.5
        k = rules.lead_index["nordwagen"]
        st.lead_firm_active[k] = True
        action = _subsidised_certification(st, rules, 0, 3)
        if on:
            assert action is not None and action.certification == "iatf16949"
            cost = action.cost(st, rules, 0)
            assert cost.policy == rules.policy_index[PUBLIC] and cost.share > 0
        else:
            assert action is None


def test_export_orders_are_not_local_value():
    game = _bajio()
    st, rules = game.state, game.rules
    q = st.quarter

    def contract(issuer: str) -> Contract:
        return Contract(id=f"x{issuer}", rfq_id="r", issuer=issuer, lead_firm="hoshida", tier=2, part_family=0, volume=100, price=10,
                        payment_days=60, start_quarter=q, end_quarter=q + 4, max_ppm=250, min_on_time=0.9, members=[0], shares=[1.0])

    st.contracts = [contract(EXPORT_ISSUER)]
    assert typology.compute(st, rules).local_value == 0
    st.contracts = [contract(EXPORT_ISSUER), contract("metalurgica_bajio")]
    assert typology.compute(st, rules).local_value == 1000
