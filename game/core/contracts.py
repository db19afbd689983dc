"""Contract execution: output, defects, lateness, penalties, losing a contract.

Each running contract asks its members (and any subcontractor) for their
share of the quarter's volume. A firm loaded beyond its capacity delivers
late; defects (PPM) fall steeply with quality and technology; both carry
seeded noise from the ``execution`` stream. A quarter below the customer's
thresholds costs a chargeback and a strike; three strikes in a row lose
the contract. Revenue becomes receivables due after the payment terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core import cooperation, detmath, learning, policies
from game.core.rng import replica
from game.core.rules import Rules
from game.core.state import (
    DELIVERY,
    MANAGEMENT,
    NO_TIER,
    QUALITY,
    RECEIVABLE_QUARTERS,
    TECHNOLOGY,
    Books,
    Contract,
    Firms,
    GameState,
    raise_capability,
)


def committed_capacity(state: GameState, rules: Rules) -> np.ndarray:
    """Capacity each firm has promised to running contracts and accepted subcontracts."""
    complexity = rules.part_complexity.tolist()
    rows: list[int] = []
    loads: list[float] = []
    for c in state.contracts:
        if c.active:
            _loads(c, 1.0, complexity[c.part_family], rows, loads)
    return _row_sums(len(state.firms), rows, loads)


def commit(used: np.ndarray, rules: Rules, c: Contract) -> None:
    """Add an active contract's load to ``used`` (each firm's committed capacity), as
    :func:`committed_capacity` adds each contract in turn: after a contract is appended,
    committing it to the previous figures gives exactly the figures computed anew."""
    rows: list[int] = []
    loads: list[float] = []
    _loads(c, 1.0, float(rules.part_complexity[c.part_family]), rows, loads)
    for m, x in zip(rows, loads, strict=True):
        used[m] += x


def _loads(c: Contract, demand: float, complexity: float, rows: list[int], loads: list[float]) -> None:
    """Append a contract's load on each firm (members' shares, then the subcontractor's part) to ``rows``
    and ``loads``: its volume times ``demand`` times its part's complexity, split by share."""
    units = c.volume * demand * complexity
    sub = c.subcontract_share if c.subcontractor >= 0 else 0.0
    for m, s in zip(c.members, c.shares, strict=True):
        rows.append(m)
        loads.append(units * s * (1.0 - sub))
    if c.subcontractor >= 0:
        rows.append(c.subcontractor)
        loads.append(units * sub)


def _row_sums(n: int, rows: list[int], values: list[float]) -> np.ndarray:
    """(n,) float64: each row's values added in the order given, from 0.0 (as ``out[r] += v`` one by one)."""
    if not rows:
        return np.zeros(n)
    return np.bincount(np.array(rows, dtype=np.intp), weights=np.array(values, dtype=np.float64), minlength=n)


def _dense(n: int, by_row: dict[int, int] | dict[int, float], dtype: type) -> np.ndarray:
    """(n,) array of ``dtype``: ``by_row``'s values at their rows, zero elsewhere."""
    out: np.ndarray = np.zeros(n, dtype=dtype)
    if by_row:
        out[np.fromiter(by_row.keys(), np.intp, len(by_row))] = np.fromiter(by_row.values(), dtype, len(by_row))
    return out


NOISE_DRAWS = 4096
"""About how many of the ``execution`` stream's draws :func:`execution_noise` makes and transforms at once."""


def execution_noise(state: GameState, n: int) -> np.ndarray:
    """This quarter's execution noise: ``detmath.std_normal(state.rng.execution, 2 * n)``, the
    stream's only draws (2n a quarter, n the number of firms).

    The draws of the quarters up to the last turn, as many as NOISE_DRAWS holds (one quarter at
    least), are drawn at once from a copy of the generator, quarter by quarter, and made normal
    in one call (element by element, the same values): kept in ``state.memo`` with the
    generator's state before and after each quarter's draws. A quarter whose generator is in the
    state the kept draws start from takes them and leaves the generator in the state drawing
    them leaves it; any other (a copied or loaded game, another stream state) draws anew.
    """
    gen = state.rng.execution
    bg = gen.bit_generator
    now = bg.state
    kept = state.memo.get("execution_noise")
    if kept is None or kept[0] != n or kept[1] >= len(kept[3]) or kept[2][kept[1]] != now:
        quarters = max(1, min(NOISE_DRAWS // max(2 * n, 1), state.turns - state.quarter + 1))
        copy = replica(gen)
        states = [now]
        uniforms = []
        for _ in range(quarters):
            uniforms.append(copy.random(2 * n))
            states.append(copy.bit_generator.state)
        z = detmath.std_normal_of(np.concatenate(uniforms)).reshape(quarters, 2 * n)
        kept = [n, 0, states, z]
        state.memo["execution_noise"] = kept
    k = kept[1]
    kept[1] = k + 1
    bg.state = kept[2][k + 1]
    return kept[3][k]


CHARGEBACK = 0.05
"""Share of a quarter's revenue charged back after a bad scorecard."""
STRIKES_TO_LOSE = 3
BASE_PPM = 20_000.0
PPM_SLOPE = 7.5
"""Defects fall as BASE_PPM * exp(-PPM_SLOPE * quality): about 1,000 PPM at quality 0.4,
250 at 0.6 and 50 at 0.8, so each tier's quality requirement sits at the edge of its
scorecard threshold (DOMAIN_DATA.md section 2)."""
ON_TIME_BASE, ON_TIME_SLOPE = 0.775, 0.25
"""On-time share 0.90 at delivery 0.5, 0.95 at 0.7, ~0.99 at 0.85 (tier thresholds)."""
DROP_WITHOUT_NOTICE = 0.02
"""Chance a quarter that a tier-3 contract is ended with no warning (re-sourcing, a volume cut)."""
CONSORTIUM_COORDINATION = 0.02
"""Coordination cost of a consortium contract, share of its revenue (1-3%)."""
CUSTOMER_LESSON = {1: 0.03, 2: 0.022, 3: 0.012}
"""Learning by doing a quarter with a demanding customer, by the contract's tier (tier 1-2 teach more)."""


@dataclass
class Production:
    """Per-firm results of this quarter's production (arrays over firms)."""

    load: np.ndarray
    fill: np.ndarray
    on_time: np.ndarray
    ppm: np.ndarray
    revenue: np.ndarray
    materials: np.ndarray
    chain_units: np.ndarray


class _Moves:
    """The money :func:`execute`'s loop over contracts moves, by line and firm, booked at once at its
    end (:meth:`apply`) through :meth:`Firms.pay` / :meth:`Firms.receive` and :meth:`Books.earn`:
    integer pesos, so the same sums in any order; lines are created in the order first used."""

    def __init__(self) -> None:
        self.cash: dict[str, tuple[bool, dict[int, int]]] = {}
        """Cash line -> (paid out, pesos by firm)."""
        self.income: dict[str, dict[int, int]] = {}
        self.due: dict[tuple[int, int], int] = {}
        """(firm, receivables column) -> pesos."""

    def _cash(self, line: str, out: bool, firm: int, amount: int) -> None:
        entry = self.cash.get(line)
        if entry is None:
            entry = self.cash[line] = (out, {})
        by_firm = entry[1]
        by_firm[firm] = by_firm.get(firm, 0) + amount

    def pay(self, firm: int, amount: int, line: str) -> None:
        self._cash(line, True, firm, amount)

    def receive(self, firm: int, amount: int, line: str) -> None:
        self._cash(line, False, firm, amount)

    def earn(self, line: str, firm: int, amount: int) -> None:
        by_firm = self.income.get(line)
        if by_firm is None:
            by_firm = self.income[line] = {}
        by_firm[firm] = by_firm.get(firm, 0) + amount

    def book(self, firm: int, amount: int, bucket: int, first_share: float) -> None:
        """:func:`book_receivable` for one firm (the same rounding): ``first_share`` of the amount
        in ``bucket``, the rest in the next; bucket 0 is cash now."""
        first = int(round(amount * first_share))
        for k, part in ((bucket, first), (bucket + 1, amount - first)):
            if k == 0:
                self._cash("collections.sales_now", False, firm, part)
            else:
                key = (firm, min(k, RECEIVABLE_QUARTERS - 1))
                self.due[key] = self.due.get(key, 0) + part

    def apply(self, f: Firms, books: Books) -> None:
        for line, (out, by_firm) in self.cash.items():
            rows = np.fromiter(by_firm.keys(), np.intp, len(by_firm))
            amounts = np.fromiter(by_firm.values(), np.int64, len(by_firm))
            if out:
                f.pay(rows, amounts, line)
            else:
                f.receive(rows, amounts, line)
        for line, by_firm in self.income.items():
            books.earn(line, np.fromiter(by_firm.keys(), np.intp, len(by_firm)), np.fromiter(by_firm.values(), np.int64, len(by_firm)))
        for (firm, col), part in self.due.items():
            f.receivables[firm, col] += part


def _receivable_split(days: int) -> tuple[int, float]:
    """(quarter bucket, share of the amount in it) of revenue paid under ``days`` terms (:func:`book_receivable`)."""
    d = max(days, 0) / 90.0
    k = int(d)
    return k, 1.0 - (d - k)


def book_receivable(state: GameState, firms: np.ndarray | slice, amounts: np.ndarray, days: int) -> None:
    """Book revenue as cash now or receivables, split across the quarters the terms span
    (``firms`` are distinct rows, or a slice).

    Column ``k`` is collected by :func:`finance.settle` ``k`` quarters after this
    one (settle collects column 0, then shifts the rest one quarter closer), so
    60-day revenue is a third cash now and two thirds next quarter, and 120-day
    revenue two thirds next quarter and a third the quarter after.
    """
    f = state.firms
    bucket, first_share = _receivable_split(days)
    first = np.rint(amounts * first_share).astype(np.int64)
    second = amounts.astype(np.int64) - first
    for k, part in ((bucket, first), (bucket + 1, second)):
        if k == 0:
            f.receive(firms, part, "collections.sales_now")
        else:
            f.receivables[firms, min(k, RECEIVABLE_QUARTERS - 1)] += part


def execute(state: GameState, rules: Rules) -> Production:
    """Produce and deliver every running contract, then serve local customers."""
    f = state.firms
    n = len(f)
    q = state.quarter
    books = f.books
    # Only a player's firm is told why (GameState.explain): the others' messages are not built.
    players = f.player_rows()
    demand = state.modifier("demand")
    capacity = f.capacity.astype(np.float64) * state.modifier("capacity")
    running = [c for c in state.contracts if c.active and c.start_quarter <= q <= c.end_quarter]
    complexity = rules.part_complexity.tolist()

    # 1. Load on each firm from contracts (members' shares and subcontracted parts).
    rows: list[int] = []
    loads: list[float] = []
    for c in running:
        _loads(c, demand, complexity[c.part_family], rows, loads)
    load = _row_sums(n, rows, loads)
    util = np.divide(load, capacity, out=np.zeros(n), where=capacity > 0)
    fill = np.minimum(1.0, np.divide(capacity, load, out=np.ones(n), where=load > 0))

    # 2. Scorecards per firm, with seeded noise.
    infra = policies.boost_mask(state, rules, "infrastructure")
    cap = f.cap
    on_time = ON_TIME_BASE + ON_TIME_SLOPE * cap[:, DELIVERY] + 0.02 * (cap[:, MANAGEMENT] - 0.5) + infra
    on_time -= 0.3 * np.maximum(util - 0.85, 0.0)  # np.clip(x, 0.0, None) is this ufunc call
    # One standard normal draw per firm for its on-time share, then one per firm for its defects: the
    # uniforms and values of detmath.normal(rng, 0.0, 0.015, n) then detmath.lognormal(rng, 0.0, 0.25, n),
    # drawn and transformed at once. The defects' exp and the noise's are one exp_array call too.
    z = execution_noise(state, n)
    on_time = (on_time + (0.0 + 0.015 * z[:n])).clip(0.0, 1.0) * fill
    exps = detmath.exp_array(np.concatenate((-PPM_SLOPE * cap[:, QUALITY], 0.0 + 0.25 * z[n:])))
    ppm = BASE_PPM * exps[:n] * (1.2 - 0.4 * cap[:, TECHNOLOGY])
    ppm *= 1.0 + 0.5 * np.maximum(util - 0.9, 0.0)
    ppm *= exps[n:]

    saving, contributes = cooperation.joint_purchasing(state)
    fx_inputs = 1.0 + 0.3 * (state.fx - 1.0)
    audits = {m.event_id.split(":", 1)[1] for m in state.modifiers if m.kind == "audit" and m.until_quarter >= q}

    market = state.rng.market
    # Per contract the arrays are tiny (one to a few members): plain Python numbers are faster. Per-firm
    # sums are kept by firm (dicts) and the money moves at the end of the loop (_Moves): integer pesos
    # add up to the same in any order, and the floats (gross inputs) are added in the same order.
    fill_l, on_time_l, ppm_l, saving_l = fill.tolist(), on_time.tolist(), ppm.tolist(), saving.tolist()
    unit_costs = rules.part_unit_cost.tolist()
    rev: dict[int, int] = {}
    mat: dict[int, int] = {}
    chain: dict[int, int] = {}
    gross_inputs: dict[int, float] = {}
    moves = _Moves()
    factoring_of: dict[str, float | None] = {}
    for c in running:
        lf = rules.lead_firm(c.lead_firm)
        years = (q - c.start_quarter) // 4
        price = c.price * detmath.powi(1.0 - lf.price_down, years)
        unit_cost = float(unit_costs[c.part_family]) * fx_inputs
        volume = c.volume * demand
        sub = c.subcontract_share if c.subcontractor >= 0 else 0.0
        parts = [(m, s * (1.0 - sub)) for m, s in zip(c.members, c.shares, strict=True)]
        if c.subcontractor >= 0:
            parts.append((c.subcontractor, sub))
        # Four sums in one pass, each added from the left from the integer 0 (as detmath.ordered_sum).
        total_share: float = 0
        delivered: float = 0
        on_time_sum: float = 0
        ppm_sum: float = 0
        for m, s in parts:
            total_share += s
            delivered += volume * s * fill_l[m]
            on_time_sum += on_time_l[m] * s
            ppm_sum += ppm_l[m] * s
        c_on_time = on_time_sum / total_share if total_share > 0 else 0.0
        c_ppm = ppm_sum / total_share if total_share > 0 else 0.0
        gross = delivered * price
        bad = c_on_time < c.min_on_time or c_ppm > c.max_ppm
        penalty = CHARGEBACK * gross if bad else 0.0
        coordination = CONSORTIUM_COORDINATION * gross if c.consortium >= 0 else 0.0
        net = gross - penalty - coordination
        books.call(c)
        # The holders are paid by the customer; they pay the subcontractor in cash.
        if c.subcontractor >= 0:
            j = c.subcontractor
            sub_units = volume * sub * fill_l[j]
            sub_pay = int(round(sub_units * c.subcontract_price))
            for m, s in zip(c.members, c.shares, strict=True):
                holder_pay = int(round(sub_pay * s))
                moves.pay(m, holder_pay, "payments.subcontractors")
                rev[m] = rev.get(m, 0) - holder_pay
                moves.earn("cost.subcontractors", m, -holder_pay)
                books.contract(c.id, "subcontracted", m, -holder_pay)
            moves.receive(j, sub_pay, "collections.subcontract_work")
            rev[j] = rev.get(j, 0) + sub_pay
            books.earn_one(f"revenue.subcontract.{c.id}", j, sub_pay)
            sub_materials = int(round(sub_units * unit_cost * (1.0 - saving_l[j])))
            mat[j] = mat.get(j, 0) + sub_materials
            books.contract(c.id, "gross", j, sub_pay)
            books.contract(c.id, "materials", j, -sub_materials)
            gross_inputs[j] = gross_inputs.get(j, 0.0) + sub_units * unit_cost
        if c.lead_firm not in factoring_of:
            factoring_of[c.lead_firm] = policies.reverse_factoring_rate(state, rules, c.lead_firm)
        factoring = factoring_of[c.lead_firm]
        days = c.payment_days
        bucket, first_share = _receivable_split(days)
        for m, s in zip(c.members, c.shares, strict=True):
            member_net = int(round(net * s))
            # Income by contract: the member's gross, less its share of chargebacks and
            # coordination (the gross line is the net plus those, so the lines add to the net).
            member_penalty, member_coordination = int(round(penalty * s)), int(round(coordination * s))
            books.earn_one(f"revenue.contract.{c.id}", m, member_net + member_penalty + member_coordination)
            books.contract(c.id, "gross", m, member_net + member_penalty + member_coordination)
            books.contract(c.id, "chargebacks", m, -member_penalty)
            books.contract(c.id, "coordination", m, -member_coordination)
            if member_penalty:
                moves.earn("cost.chargebacks", m, -member_penalty)
            if member_coordination:
                moves.earn("cost.consortium_coordination", m, -member_coordination)
            units = volume * s * (1.0 - sub) * fill_l[m]
            member_materials = int(round(units * unit_cost * (1.0 - saving_l[m])))
            mat[m] = mat.get(m, 0) + member_materials
            books.contract(c.id, "materials", m, -member_materials)
            gross_inputs[m] = gross_inputs.get(m, 0.0) + units * unit_cost
            chain[m] = chain.get(m, 0) + int(units)
            # Reverse factoring (a public policy on the chain), else the prompt payment a supplier-development
            # sponsor gives the firms it develops (policies.SD_PROMPT_PAYMENT).
            rate = factoring if factoring is not None else policies.prompt_payment_rate(state, rules, c.lead_firm, m)
            if rate is not None and days > 0:
                # Paid now, less the discount for the days advanced.
                paid = int(round(member_net * (1.0 - rate * days / 360.0)))
                moves.receive(m, paid, "collections.reverse_factoring")
                rev[m] = rev.get(m, 0) + paid
                moves.earn("cost.reverse_factoring_discount", m, paid - member_net)
                books.contract(c.id, "factoring_discount", m, paid - member_net)
                if m in players and factoring is not None:
                    state.explain(m, "contract.factored", {"contract": c.id, "days": days, "rate": rate}, "good", lever="catalyst")
                elif m in players:
                    state.explain(m, "contract.prompt_payment", {"contract": c.id, "days": days, "rate": rate}, "good", lever="catalyst")
            else:
                moves.book(m, member_net, bucket, first_share)
                rev[m] = rev.get(m, 0) + member_net
        c.delivered_total += int(delivered)
        if 0 <= c.consortium < len(state.consortia):
            state.consortia[c.consortium].joint_deliveries += 1
        if c.lead_firm in audits or "*" in audits:
            req = rules.requirements(c.lead_firm, c.tier)
            weak = [m for m in c.members if f.cap[m, QUALITY] < req.quality or f.cap[m, DELIVERY] < req.delivery]
            if weak:
                c.strikes += 1
                for m in weak:
                    if m in players:
                        state.explain(m, "contract.audit_failed", {"contract": c.id, "quality": round(float(f.cap[m, QUALITY]), 2), "need": req.quality, "delivery": round(float(f.cap[m, DELIVERY]), 2), "need_delivery": req.delivery}, "bad", "internal")
        told = [m for m in c.members if m in players]
        if bad:
            c.strikes += 1
            for m in told:
                state.explain(m, "contract.bad_scorecard", {"contract": c.id, "on_time": round(c_on_time, 3), "ppm": int(c_ppm), "min_on_time": c.min_on_time, "max_ppm": c.max_ppm, "penalty": int(penalty), "strikes": c.strikes}, "bad", "internal")
        else:
            c.strikes = max(0, c.strikes - 1)
            lever = "cooperation" if c.consortium >= 0 else "capability"
            for m in told:
                state.explain(m, "contract.delivered", {"contract": c.id, "on_time": round(c_on_time, 3), "ppm": int(c_ppm), "revenue": int(net)}, "good", lever=lever)
        if c.strikes >= STRIKES_TO_LOSE:
            c.active = False
            for m in told:
                state.explain(m, "contract.lost", {"contract": c.id, "strikes": c.strikes}, "bad", "internal")
        elif c.tier == 3 and c.end_quarter > q and not c.rfq_id.startswith(policies.DEV_ORDER_PREFIX) and market.random() < DROP_WITHOUT_NOTICE:
            # Lower-tier suppliers can be dropped without notice (seed paper): the customer
            # re-sources to a follow-source or cuts the volume, whatever the scorecard says.
            c.active = False
            for m in told:
                state.explain(m, "contract.dropped", {"contract": c.id}, "bad", "external")
    moves.apply(f, books)
    revenue = _dense(n, rev, np.int64)
    materials = _dense(n, mat, np.int64)
    chain_units = _dense(n, chain, np.int64)

    # 3. Learning by doing with demanding customers (tier 1-2 teach more than tier 3), faster in the
    # part family a firm specialises in (learning by specialising; subcontract work counts too).
    lessons: dict[int, float] = {}
    worked: list[tuple[int, int]] = []
    for c in running:
        rate = CUSTOMER_LESSON[c.tier]
        for m in c.members:
            lessons[m] = max(lessons.get(m, 0.0), rate * (1.0 + learning.SPECIALISING * learning.depth(state, m, c.part_family)))
            worked.append((m, c.part_family))
        if c.subcontractor >= 0:
            j = c.subcontractor
            lessons[j] = max(lessons.get(j, 0.0), rate * 0.6 * (1.0 + learning.SPECIALISING * learning.depth(state, j, c.part_family)))
            worked.append((j, c.part_family))
    learning.specialise(state, worked)
    demanding = _dense(n, lessons, np.float64)
    if demanding.any():
        # Absorptive capacity: a university or technology-centre agreement makes each lesson take.
        boost = learning.absorption(state, rules)
        linked = demanding > 0
        linked &= boost > 1.0
        demanding *= boost
        for m in sorted(p for p in players if linked[p]):
            inst = rules.level.institutions[int(f.university[m])]
            state.explain(m, "university.absorption", {"institution": inst.id, "extra": round(float(boost[m]) - 1.0, 2)}, "good", lever="cooperation")
        raise_capability(state, slice(None), QUALITY, demanding)
        raise_capability(state, slice(None), DELIVERY, demanding * 0.8)
        raise_capability(state, slice(None), MANAGEMENT, demanding * 0.4)

    # 4. Local and regional customers buy from spare capacity (thin margins, 30 days).
    eco = rules.economy
    spare = np.maximum(capacity - load, 0.0)
    local_units = np.where(f.serve_local & f.alive, np.minimum(spare, f.employees * eco.local_demand_per_employee * local_standing(state)), 0.0)
    local_price = eco.local_unit_cost * (1.0 + eco.local_price_margin)
    local_revenue = np.rint(local_units * local_price).astype(np.int64)
    local_inputs = local_units * eco.local_unit_cost * fx_inputs
    # Consortium members buy local inputs through the pool too; those doing their part pay
    # their share of the common work (a procurement cost), free-riders do not.
    materials += np.rint(local_inputs * (1.0 - saving)).astype(np.int64)
    inputs = local_inputs + _dense(n, gross_inputs, np.float64)
    dues = np.where(contributes & f.alive, np.rint(cooperation.CONTRIBUTION * inputs), 0).astype(np.int64)
    materials += dues
    for cons in state.consortia:
        for m in cons.shirking:
            if m in players:
                state.explain(m, "consortium.you_shirked", {"name": cons.name, "saved": int(round(cooperation.CONTRIBUTION * inputs[m]))}, "info")
    revenue += local_revenue
    books.earn("revenue.local_sales", slice(None), local_revenue)
    book_receivable(state, slice(None), local_revenue, 30)  # nothing for a failed firm (it sells nothing)

    # 5. Scorecards, tier held, contract expiry.
    producing = load > 0
    np.copyto(f.on_time, on_time, where=producing)
    np.copyto(f.ppm, ppm, where=producing)
    for c in state.contracts:
        if c.active and c.end_quarter <= q:
            c.active = False
            for m in c.members:
                if m in players:
                    state.explain(m, "contract.ended", {"contract": c.id, "delivered": c.delivered_total}, "info")
    state.contracts = [c for c in state.contracts if c.active]
    held: dict[int, int] = {}
    for c in state.contracts:
        for m in c.members:
            held[m] = min(held.get(m, NO_TIER), c.tier)
    tier = np.full(n, NO_TIER, dtype=np.int8)
    if held:
        tier[list(held)] = list(held.values())
    f.tier[:] = tier
    f.committed[:] = committed_capacity(state, rules)
    return Production(load, fill, on_time, ppm, revenue, materials, chain_units)


LOCAL_COMPETITION = 1.5
"""How strongly local customers follow capability: a firm 0.1 below the cluster's mean
quality, delivery and technology keeps 15% fewer local orders (docs/calibration.md)."""
LOCAL_STANDING = (0.5, 1.25)


def local_standing(state: GameState) -> np.ndarray:
    """Share of its local demand a firm keeps: firms that fall behind the cluster lose customers.

    Local and regional buyers compare suppliers on quality, delivery and
    technology; the cluster's mean over living firms is the bar. Capabilities
    decay without upkeep (learning.py), so a firm that stops investing drifts
    below the bar and its thin local margin turns into losses: outside the
    knowledge economy a firm is bound to fail (seed paper).
    """
    f = state.firms
    cap = f.cap
    score = (cap[:, QUALITY] + cap[:, DELIVERY] + cap[:, TECHNOLOGY]) / 3.0  # the row mean, added in this order
    alive = f.alive
    live = score[alive]
    # ndarray.mean of floats: numpy's sum divided by the count (the same division, without its wrapper).
    bar = float(np.add.reduce(live)) / len(live) if len(live) else 0.0
    lo, hi = LOCAL_STANDING
    # The customers the firm still has (learning.local_customers): fewer the longer it stays outside.
    return (1.0 + LOCAL_COMPETITION * (score - bar)).clip(lo, hi) * f.local_base
