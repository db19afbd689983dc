"""The level format: frozen, typed models of a level file (rules, not state).

A level is data. These pydantic models are the single definition of its
schema; `docs/level.schema.json` is generated from them and `docs/levels.md`
documents them. Unknown keys are errors (``extra="forbid"``). The loader in
:mod:`game.core.level_loader` adds the cross-reference pass.

Money is in integer Mexican pesos, time in quarters, shares in [0, 1].
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from game.core.level_terms import (  # noqa: F401 - CAPABILITIES and StrategyName are read from here too
    CAPABILITIES,
    EffectKind,
    EventEffectKind,
    InstitutionKind,
    ObjectiveKind,
    PolicyLevel,
    StrategyName,
    Tier,
)

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
MAX_PESOS = 10**10
"""Largest sum of money a level may state (10,000 M pesos; shipped levels stay under 25 M).
Bounds like this one keep every int64 sum of a game (cash over 80 quarters and 20,000 firms) in range."""
MAX_UNIT_PESOS = 10**6
"""Largest price or cost of one unit (shipped levels stay under 3,000)."""
MAX_UNITS = 10**6
"""Largest volume or capacity in units per quarter (shipped levels stay under 40,000)."""
Pesos = Annotated[int, Field(ge=0, le=MAX_PESOS)]
UnitPesos = Annotated[int, Field(ge=0, le=MAX_UNIT_PESOS)]
Quarter = Annotated[int, Field(ge=1, le=200)]


def _plain_text(cls: type, value: object) -> object:
    """Texts may hold line breaks and tabs, but no other control character and no lone surrogate."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            for k, ch in enumerate(item):
                code = ord(ch)
                if 0xD800 <= code <= 0xDFFF:
                    raise ValueError(f"contains a lone surrogate (\\u{code:04x}) at position {k}")
                if (code < 32 and ch not in "\n\t") or 0x7F <= code <= 0x9F:
                    raise ValueError(f"contains a control character (\\x{code:02x}) at position {k}")
    return value


def _texts(*fields: str) -> Any:  # noqa: ANN401 - pydantic's decorator proxy
    """The free-text check on the named fields: the model's only fields of plain ``str``.

    Every other field is an ``Id`` (its pattern admits no control character), an enum, a
    literal, a number or a model, so the check is attached only where a text can arrive
    (``tests/test_startup.py`` finds every plain-``str`` field and checks it is here).
    Attaching it to every field (``field_validator("*")``) cost about 5 ms of start-up: pydantic
    inspects the validator once per field."""
    return field_validator(*fields, mode="after")(classmethod(_plain_text))


def _no_items() -> list[Any]:
    """An empty list default. A Python function, not ``list``: pydantic reads a default
    factory's signature, and a builtin's costs a tokenizer pass (about 3 ms at start-up)."""
    return []


def _no_keys() -> dict[Any, Any]:
    """An empty dict default (see :func:`_no_items`)."""
    return {}


class Model(BaseModel):
    """Base for every level model: frozen, strict about unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_max_length=5000)


class Text(Model):
    """A text in Spanish (required, the default language) and English."""

    es: str = Field(min_length=1)
    en: str = Field(min_length=1)

    _plain = _texts("es", "en")


class Range(Model):
    """An inclusive numeric range ``[low, high]`` for drawing starting values."""

    low: float = Field(ge=-1e9, le=1e9)
    high: float = Field(ge=-1e9, le=1e9)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        return self


class Capabilities(Model):
    """Starting capabilities of a firm, each in [0, 1]."""

    quality: Share = 0.3
    delivery: Share = 0.4
    technology: Share = 0.3
    human_capital: Share = 0.3
    innovation: Share = 0.1
    management: Share = 0.3


class CapabilityRanges(Model):
    """Ranges from which computer SMEs draw their starting capabilities."""

    quality: Range = Range(low=0.2, high=0.5)
    delivery: Range = Range(low=0.3, high=0.6)
    technology: Range = Range(low=0.15, high=0.45)
    human_capital: Range = Range(low=0.2, high=0.5)
    innovation: Range = Range(low=0.02, high=0.2)
    management: Range = Range(low=0.15, high=0.45)


class Certification(Model):
    """A certification on the ladder (ISO 9001, IATF 16949, AS9100, ...)."""

    id: Id
    name: Text
    cost: Pesos = Field(description="Total cost of obtaining it, paid in equal parts each quarter of the process.")
    quarters: int = Field(ge=1, le=12, description="Quarters from start to the certification audit.")
    requires: list[Id] = Field(default_factory=_no_items, description="Certifications that must be held before starting.")
    min_quality: Share = Field(0.0, description="Quality capability needed to start the process.")
    min_management: Share = Field(0.0, description="Management capability needed to start the process.")
    upkeep_per_quarter: Pesos = Field(0, description="Surveillance audits and upkeep once held (about 1/12 of cost).")
    upgrade: float = Field(0.0, ge=0.0, le=0.3, description="When the audit passes, quality, delivery and management close this share of their gap to 1 (putting the system's tools to work changes how the plant runs).")


class PartFamily(Model):
    """A family of parts the cluster buys (stampings, harnesses, machined parts...)."""

    id: Id
    name: Text
    unit_cost: UnitPesos = Field(description="Variable cost of one unit for a local SME (materials, energy).")
    complexity: float = Field(1.0, gt=0.0, le=5.0, description="Capacity units one part consumes.")
    min_technology: Share = Field(0.0, description="Technology capability needed to make it at all.")


class TierRequirements(Model):
    """Minimum requirements a bidder must meet for a call of one tier."""

    quality: Share = 0.0
    delivery: Share = 0.0
    technology: Share = 0.0
    certifications: list[Id] = Field(default_factory=_no_items)
    max_ppm: int = Field(100_000, ge=1, le=1_000_000, description="Defects in parts per million the customer tolerates on the scorecard.")
    min_on_time: Share = Field(0.0, description="On-time delivery share the customer tolerates on the scorecard.")
    min_cash: Pesos = Field(0, description="Financial solvency: cash (or credit line) the bidder must show.")


class Tier1Supplier(Model):
    """A tier-1 supplier (comaker) of a lead firm; may be a follow-source."""

    id: Id
    name: Text
    follow_source: bool = Field(True, description="True if it came with the lead firm from abroad.")


class LeadFirm(Model):
    """A foreign lead firm (OEM) anchoring the enclave cluster."""

    id: Id
    name: Text
    origin: str = Field(min_length=2, max_length=40, description="Country of origin, free text.")
    sector: str = Field(min_length=2, max_length=40)
    arrives_quarter: Quarter = Field(1, description="Quarter it starts issuing calls (a later one models a new arrival).")
    follow_source_share: Share = Field(0.7, description="Share of each call's volume reserved for follow-source suppliers (the enclave effect).")
    tier1_suppliers: list[Tier1Supplier] = Field(default_factory=_no_items)
    payment_days: int = Field(90, ge=0, le=360)
    price_down: Share = Field(0.02, description="Yearly price reduction asked on running contracts.")
    requirements: dict[Tier, TierRequirements] = Field(default_factory=_no_keys, description="Minimum requirements per tier (tier1, tier2, tier3).")

    _plain = _texts("origin", "sector")


class RfqSchedule(Model):
    """A call for quotation issued on a fixed quarter."""

    id: Id
    issuer: Id = Field(description="A lead firm id or a tier-1 supplier id.")
    quarter: Quarter
    tier: Tier
    part_family: Id
    volume: int = Field(gt=0, le=MAX_UNITS, description="Units per quarter.")
    duration: int = Field(ge=1, le=40, description="Contract length in quarters.")
    target_price: UnitPesos = Field(description="Price per unit the issuer aims for.")
    payment_days: int | None = Field(None, ge=0, le=360, description="Overrides the issuer's payment terms.")
    requirements: TierRequirements | None = Field(None, description="Overrides the issuer's requirements for this tier, key by key: keys left out keep the lead firm's values.")
    title: Text | None = None


class RfqGenerator(Model):
    """Calls generated each quarter with seeded randomness for one issuer."""

    issuer: Id
    tier: Tier
    part_families: list[Id] = Field(min_length=1)
    per_quarter: float = Field(ge=0.0, le=20.0, description="Expected number of calls per quarter (Poisson mean).")
    volume: Range
    duration: Range
    target_margin: Range = Field(Range(low=0.25, high=0.4), description="Target price as unit cost x (1 + margin).")
    from_quarter: Quarter = 1
    to_quarter: Quarter = 200
    payment_days: int | None = Field(None, ge=0, le=360, description="Overrides the lead firm's payment terms (a tier-1 issuer may pay later than its customer).")

    @model_validator(mode="after")
    def _bounded(self) -> RfqGenerator:
        if self.volume.high > MAX_UNITS:
            raise ValueError(f"volume.high must be at most {MAX_UNITS:,} units, got {self.volume.high:g}")
        if self.duration.high > 40:
            raise ValueError(f"duration.high must be at most 40 quarters, got {self.duration.high:g}")
        if not (-0.9 <= self.target_margin.low and self.target_margin.high <= 10.0):
            raise ValueError("target_margin must lie within -0.9 and 10")
        return self


class Institution(Model):
    """A university, technology centre, bank, government agency or association."""

    id: Id
    kind: InstitutionKind
    name: Text
    fee_per_quarter: Pesos = Field(0, description="Agreement or membership fee each quarter.")
    setup_cost: Pesos = Field(0, description="One-off cost of signing or joining.")
    strength: Share = Field(0.5, description="How much knowledge flows through a link (universities, centres, association).")
    annual_rate: float = Field(0.14, ge=0.0, le=1.0, description="Banks: yearly interest rate to a small firm.")
    medium_firm_discount: float = Field(0.03, ge=0.0, le=0.2, description="Banks: rate cut for medium firms (51+ employees).")
    collateral: float = Field(1.5, ge=0.0, le=5.0, description="Banks: collateral asked, as a multiple of the loan; fixed assets count.")
    max_loan: Pesos = Field(5_000_000, description="Banks: largest loan outstanding per firm.")


class Programme(Model):
    """A public programme a firm applies to: co-financing with an approval delay."""

    id: Id
    name: Text
    supports: Literal["technology", "innovation", "training", "certification", "capacity"]
    share: Share = Field(description="Share of the project cost the programme pays.")
    max_grant: Pesos
    approval_quarters: int = Field(1, ge=0, le=8)
    approval_chance: Share = 0.6
    requires_university: bool = Field(False, description="Needs a university or technology-centre agreement (like CONACYT PEI).")
    max_employees: int = Field(250, ge=1, le=1_000_000)
    budget: Pesos = Field(description="Total the programme can grant over the game.")


class PolicyEffect(Model):
    """One effect of a catalyst policy; which fields matter depends on ``kind``.

    - certification_subsidy: ``share`` of certification cost paid for ``certifications`` (all if empty).
    - credit_guarantee: ``share`` of collateral covered; ``rate_cut`` off the bank rate.
    - training_centre: ``share`` of training cost paid; ``boost`` extra human-capital gain.
    - infrastructure: ``boost`` to delivery of every local firm (roads, power, water).
    - supplier_development: ``lead_firm`` mentors up to ``seats`` firms at a time for ``term_quarters``
      (``boost`` learning per quarter, ``bonus`` in its bid scoring while mentored). Firms apply during a
      window of ``window_quarters`` that opens in ``window_opens`` and again every ``term_quarters``; at the
      window's close the seats go to the applicants that rank best on the published criteria (the mean of
      quality, delivery and management, plus ``cert_weight`` for each certification held).
    - reverse_factoring: ``lead_firm`` lets suppliers discount receivables at ``rate`` a year.
    - local_content_target: ``lead_firm`` (all if empty) cuts follow-source reserve by ``share``; ``bonus`` to local bids.
    - real_services: every call becomes visible; ``share`` off consultancy and management costs; ``boost`` management.
    - cross_clustering: ``boost`` technology and innovation through a European partner district; opens export calls.
    """

    kind: EffectKind
    share: Share = 0.0
    boost: float = Field(0.0, ge=0.0, le=0.2)
    bonus: float = Field(0.0, ge=0.0, le=0.5)
    rate: float = Field(0.0, ge=0.0, le=1.0)
    rate_cut: float = Field(0.0, ge=0.0, le=0.5)
    seats: int = Field(0, ge=0, le=10_000)
    window_opens: int = Field(1, ge=1, le=400, description="supplier_development: quarter the first application window opens.")
    window_quarters: int = Field(2, ge=1, le=40, description="supplier_development: quarters an application window stays open; seats are awarded at its close.")
    term_quarters: int = Field(6, ge=1, le=400, description="supplier_development: quarters a cohort is mentored; a new window opens every term.")
    cert_weight: float = Field(0.05, ge=0.0, le=0.5, description="supplier_development: criteria points for each certification an applicant holds.")
    lead_firm: Id | None = None
    certifications: list[Id] = Field(default_factory=_no_items)


class Eligibility(Model):
    """Which firms a policy serves."""

    max_employees: int = Field(250, ge=1, le=1_000_000)
    min_quality: Share = 0.0
    association_member: bool = False


class Policy(Model):
    """A catalyst policy: public or lead-firm sponsored, at macro, micro or meta level."""

    id: Id
    name: Text
    description: Text
    level: PolicyLevel
    sponsor: Literal["public", "lead_firm"]
    sponsor_id: Id | None = Field(None, description="Lead firm id when sponsor is lead_firm; an institution id when public.")
    active: bool = Field(False, description="Active from the first quarter.")
    budget: Pesos = Field(0, description="Total the sponsor spends on subsidies; 0 means unlimited.")
    eligibility: Eligibility = Eligibility()
    effects: list[PolicyEffect] = Field(min_length=1)


class EventEffect(Model):
    """One effect of an event; which fields matter depends on ``kind``.

    - demand_shift: call and contract volumes times ``factor`` for ``duration`` quarters.
    - exchange_rate: peso moves by ``factor`` (above 1 is a weaker peso: imported follow-source parts cost more).
    - new_lead_firm: ``lead_firm`` starts issuing calls now.
    - content_rule: follow-source reserves fall by ``amount`` (regional content rules).
    - supply_disruption: capacity of every firm times ``factor`` for ``duration`` quarters.
    - audit: every supplier of ``lead_firm`` (all if empty) is checked against its tier requirements.
    - key_staff_leaves: player firms lose ``amount`` of human capital and management.
    - payment_terms: payment days on new and running contracts grow by ``days``.
    - interest_rate: bank rates move by ``amount`` (can be negative).
    - labour_squeeze: wages times ``factor`` for ``duration`` quarters.
    """

    kind: EventEffectKind
    factor: float = Field(1.0, gt=0.0, le=5.0)
    duration: int = Field(1, ge=1, le=40)
    amount: float = Field(0.0, ge=-1.0, le=1.0)
    days: int = Field(0, ge=-180, le=180)
    lead_firm: Id | None = None


class Event(Model):
    """A shock: scheduled on a ``quarter``, drawn each quarter with ``chance``, or only injected."""

    id: Id
    name: Text
    description: Text
    quarter: Quarter | None = Field(None, description="Fires on this quarter.")
    chance: Share = Field(0.0, description="Chance per quarter of firing (seeded); at most once.")
    from_quarter: Quarter = Field(1, description="A chance event can fire from this quarter on.")
    to_quarter: Quarter = Field(200, description="... up to this quarter.")
    history: str | None = Field(None, description="The historical episode it is grounded in.")
    effects: list[EventEffect] = Field(min_length=1)

    _plain = _texts("history")


class PlayerFirm(Model):
    """The starting state of each player's firm."""

    name: Text
    employees: int = Field(ge=1, le=250)
    cash: Pesos
    debt: Pesos = 0
    capacity: int = Field(gt=0, le=MAX_UNITS, description="Capacity units per quarter.")
    fixed_assets: Pesos = Field(description="Machinery and buildings (collateral for loans).")
    capabilities: Capabilities = Capabilities()
    certifications: list[Id] = Field(default_factory=_no_items)


def _default_strategies() -> dict[StrategyName, float]:
    return {"cautious": 0.5, "growth": 0.3, "cooperative": 0.2}


class ComputerSmes(Model):
    """The population of computer-run local SMEs."""

    count: int = Field(ge=0, le=20_000)
    employees: Range = Range(low=11, high=80)
    cash_per_employee: Range = Range(low=20_000, high=60_000)
    capacity_per_employee: Range = Range(low=700, high=1300)
    capabilities: CapabilityRanges = CapabilityRanges()
    iso9001_share: Share = Field(0.1, description="Share starting with ISO 9001 (about 1.2% of all units nationally; higher among suppliers).")
    strategies: dict[StrategyName, Share] = Field(
        default_factory=_default_strategies,
        description="Share of computer SMEs run by each strategy.",
    )

    @model_validator(mode="after")
    def _bounded(self) -> ComputerSmes:
        for name, top in (("employees", 10_000), ("cash_per_employee", 10_000_000), ("capacity_per_employee", 10_000)):
            r = getattr(self, name)
            if r.low < 0 or r.high > top:
                raise ValueError(f"{name} must lie within 0 and {top:,}, got {r.low:g} to {r.high:g}")
        return self


class Economy(Model):
    """Economy-wide parameters (wages, local market, costs of each decision)."""

    wage_per_quarter: Pesos = Field(36_000, description="Cost of one worker for a quarter, with benefits.")
    local_unit_cost: UnitPesos = Field(150, description="Materials per unit of the generic parts local and regional customers buy.")
    local_price_margin: float = Field(0.65, ge=-0.5, le=2.0, description="Margin over local_unit_cost when selling to local/regional customers; set it so a firm living on local work alone about breaks even.")
    local_demand_per_employee: int = Field(450, ge=0, le=100_000, description="Units a quarter the local market buys, per employee of a firm serving it: well below capacity, so a firm outside the chain sits half idle.")
    overhead_per_capacity: float = Field(5.0, ge=0.0, le=10_000.0, description="Quarterly fixed cost per unit of capacity (maintenance, rent).")
    training_cost_per_employee: Pesos = 6_000
    technology_cost: Pesos = Field(900_000, description="Cost of one technology upgrade package.")
    capacity_cost_per_unit: UnitPesos = Field(60, description="Capex per unit of quarterly capacity added (machines, floor space).")
    innovation_cost: Pesos = 600_000
    management_cost: Pesos = Field(250_000, description="Cost of adopting management/ICT practices.")
    action_points: int = Field(3, ge=1, le=10, description="Base management bandwidth per quarter.")
    tax_rate: Share = 0.3
    policy_rates: list[Share] = Field(
        default_factory=_no_items,
        description="The central bank's policy rate in each quarter of the level (a share of 1 a year, quarter 1 first). "
        "Banks' annual_rate is their rate in quarter 1; every bank rate and running loan moves with the path after that. "
        "A path shorter than the level keeps its last value; empty means rates move only with interest_rate events.",
    )


class Condition(Model):
    """One condition of the objective, met if true at or before ``by_quarter``."""

    kind: ObjectiveKind
    tier: Tier | None = None
    certification: Id | None = None
    amount: float = Field(0.0, ge=-1e12, le=1e12)
    by_quarter: Quarter | None = None


class Objective(Model):
    """The level's objective: all conditions, and solvency to the end if asked."""

    description: Text
    conditions: list[Condition] = Field(min_length=1)
    stay_solvent: bool = True


class ScoreWeights(Model):
    """Weights of the final balanced scorecard (normalised to sum 1)."""

    survival: float = Field(0.2, ge=0, le=1000)
    tier: float = Field(0.25, ge=0, le=1000)
    profit: float = Field(0.15, ge=0, le=1000)
    capabilities: float = Field(0.15, ge=0, le=1000)
    links: float = Field(0.1, ge=0, le=1000)
    jobs: float = Field(0.15, ge=0, le=1000)


class Level(Model):
    """A whole level file."""

    format: Literal[1] = Field(1, description="Level format version.")
    id: Id
    title: Text
    briefing: Text
    place: Text
    sources: list[str] = Field(min_length=1, description="Where the level's figures come from.")
    turns: int = Field(20, ge=1, le=80)
    start_year: int = Field(2015, ge=1980, le=2100)
    seed: int = Field(1, ge=0, le=2**63 - 1)
    tutorial: list[Text] = Field(default_factory=_no_items, description="Step-by-step hints shown one per quarter.")
    player_firm: PlayerFirm
    computer_smes: ComputerSmes
    economy: Economy = Economy()
    certifications: list[Certification] = Field(min_length=1)
    part_families: list[PartFamily] = Field(min_length=1)
    lead_firms: list[LeadFirm] = Field(min_length=1)
    rfqs: list[RfqSchedule] = Field(default_factory=_no_items)
    rfq_generators: list[RfqGenerator] = Field(default_factory=_no_items)
    institutions: list[Institution] = Field(default_factory=_no_items)
    programmes: list[Programme] = Field(default_factory=_no_items)
    policies: list[Policy] = Field(default_factory=_no_items)
    events: list[Event] = Field(default_factory=_no_items)
    objective: Objective
    score_weights: ScoreWeights = ScoreWeights()

    _plain = _texts("sources")
