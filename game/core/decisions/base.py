"""What every decision shares: the action base, its cost, refusals, the dict form.

A decision is a frozen dataclass deriving from :class:`Action` with three
methods side by side (OpenTTD's test run / execute run, with a
``CommandCost``):

- ``cost(state, rules, i)``: a :class:`Cost`, what the firm pays now, what
  later, and what a subsidy covers. Pure; safe on malformed parameters
  (then it is :data:`FREE` and ``check`` refuses).
- ``check(state, rules, i)``: the decision's own conditions, a
  :class:`Refusal` or ``None``. Pure.
- ``execute(state, rules, i, cost)``: the effect, given the cost that was
  validated (the payment itself is made by :func:`game.core.actions.apply`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from game.core import safeio
from game.core.state import MANAGEMENT, GameState

if TYPE_CHECKING:
    from game.core.rules import Rules


@dataclass(frozen=True)
class Refusal:
    """Why an action cannot be taken; ``reason`` is a translation key."""

    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.params:
            return self.reason
        inner = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.reason} ({inner})"


class InvalidAction(Exception):
    """Raised by ``apply`` when given an action ``validate`` refuses."""

    def __init__(self, refusal: Refusal):
        self.refusal = refusal
        super().__init__(str(refusal))


@dataclass(frozen=True, init=False)
class Cost:
    """What a decision costs, in integer pesos.

    ``now`` is paid from the firm's cash when the decision is applied and is
    what validation checks against cash (with ``must_hold``); ``later`` is
    paid in later quarters (certification instalments, a programme's own
    part once approved); ``subsidy`` is covered by someone else: by the
    budget of ``policy`` when the decision is applied (``policy`` >= 0), or
    by a programme's grant once approved. ``share`` is the subsidy's share
    as the policy states it (for the window).
    """

    now: int = 0
    later: int = 0
    subsidy: int = 0
    policy: int = -1
    share: float = 0.0
    must_hold: int = 0
    """Cash the firm must show now without paying it yet (a programme's co-financing)."""

    def __init__(self, now: int = 0, later: int = 0, subsidy: int = 0, policy: int = -1, share: float = 0.0, must_hold: int = 0):
        # The dataclass's own __init__ with the fields written straight into the instance's
        # dict, not through one object.__setattr__ call each (a frozen dataclass's way): a cost
        # is built for every action applied, and this takes well under half the time.
        d = self.__dict__
        d["now"] = now
        d["later"] = later
        d["subsidy"] = subsidy
        d["policy"] = policy
        d["share"] = share
        d["must_hold"] = must_hold

    @property
    def total(self) -> int:
        """What the firm pays in all, now and later."""
        return self.now + self.later

    @property
    def full(self) -> int:
        """The price before any subsidy."""
        return self.now + self.later + self.subsidy

    @property
    def cash_needed(self) -> int:
        return self.now + self.must_hold


FREE = Cost()


def cash_refusal(state: GameState, i: int, need: int) -> Refusal | None:
    """The one cash check: ``need`` pesos against the firm's cash."""
    have = state.firms.cash.item(i)  # int() of the int64 scalar, read without one
    if need > have:
        return Refusal("refused.not_enough_cash", {"need": int(need), "have": have})
    return None


def firm_index(state: GameState, firm_id: str) -> int | None:
    try:
        return state.firms.index(firm_id)
    except ValueError:
        return None


def action_points(rules: Rules, management: np.ndarray) -> np.ndarray:
    """Bandwidth each firm gets each quarter: base plus better management (vectorised)."""
    return rules.economy.action_points + (management >= 0.5).astype(np.int8) + (management >= 0.75).astype(np.int8)


def action_points_for(state: GameState, rules: Rules, firm: int) -> int:
    """Bandwidth one firm gets each quarter."""
    return int(action_points(rules, state.firms.cap[firm : firm + 1, MANAGEMENT])[0])


@dataclass(frozen=True)
class Action:
    """Base of every decision: taken by one firm, identified by its id."""

    kind: ClassVar[str] = ""
    action_points: ClassVar[int] = 1
    firm: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, **dataclasses.asdict(self)}

    def cost(self, state: GameState, rules: Rules, i: int) -> Cost:
        """What taking the decision costs firm ``i`` now (free unless overridden)."""
        return FREE

    def check(self, state: GameState, rules: Rules, i: int) -> Refusal | None:
        """The decision's own conditions (after the shared ones and the cash check)."""
        return None

    def execute(self, state: GameState, rules: Rules, i: int, cost: Cost) -> None:
        """The decision's effect; ``cost`` is the one validated and already paid."""
        return None


@dataclass(frozen=True)
class Pass(Action):
    """Take no decision (the end of a team's quarter in a replay)."""

    kind: ClassVar[str] = "pass"
    action_points: ClassVar[int] = 0


# ----------------------------------------------------------------------------
# Dict form (replays, saves, the network later)


class ActionFormatError(ValueError):
    """An action in a file is malformed; the message names the field."""


def text_refusal(value: str) -> Refusal | None:
    """Refuse a free text an action would store (a consortium's name, a note) that its save
    could not hold: too long, a control character, a lone surrogate (the shared rule in
    :func:`game.core.safeio.text_problem`). Ids need no such check: an id that names
    nothing is refused by the decision's own lookup."""
    problem = safeio.text_problem(value)
    if problem is not None and "max" in problem:
        return Refusal("refused.text_too_long", {"max": problem["max"]})
    if problem is not None:
        return Refusal("refused.text_unprintable", {"position": problem["position"]})
    return None


def check_text(name: str, value: str) -> None:
    """Refuse text that cannot be written back out (a lone surrogate from JSON, say)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ActionFormatError(f"{name}: not valid text") from None


def dataclass_from_dict(data: Any, registry: Mapping[str, type]) -> Any:
    """Rebuild an action of a type in ``registry`` (keyed by its ``kind``) from its dict form."""
    if not isinstance(data, dict):
        raise ActionFormatError("an action must be an object")
    kind = data.get("type")
    cls = registry.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ActionFormatError(f"type: unknown action type {kind!r}")
    hints = typing.get_type_hints(cls)
    kwargs = {}
    names = {f.name for f in dataclasses.fields(cls)}
    for key in data:
        if key != "type" and key not in names:
            raise ActionFormatError(f"{key}: unknown field for action {kind!r}")
    for f in dataclasses.fields(cls):
        if f.name not in data:
            if f.default is dataclasses.MISSING:
                raise ActionFormatError(f"{f.name}: missing in action {kind!r}")
            continue
        value = data[f.name]
        expected = hints[f.name]
        if isinstance(expected, types.UnionType):
            expected = expected.__args__[0]
        ok = (
            (expected is bool and isinstance(value, bool))
            or (expected is int and isinstance(value, int) and not isinstance(value, bool))
            or (expected is float and isinstance(value, (int, float)) and not isinstance(value, bool))
            or (expected is str and isinstance(value, str))
        )
        if not ok:
            raise ActionFormatError(f"{f.name}: expected {expected.__name__}, got {value!r}")
        if expected is float:
            try:
                value = float(value)
            except OverflowError:
                raise ActionFormatError(f"{f.name}: number out of range") from None
            if value != value or value in (float("inf"), float("-inf")):
                raise ActionFormatError(f"{f.name}: not a finite number")
        elif expected is int and not -(2**63) <= value < 2**63:
            raise ActionFormatError(f"{f.name}: number out of range")
        elif expected is str:
            check_text(f.name, value)
        kwargs[f.name] = value
    return cls(**kwargs)
