"""Seeded random streams, part of the game state.

One ``SeedSequence`` per game spawns one numpy ``Generator`` per concern, so
adding a draw in one rule never shifts the draws of another (OpenTTD keeps
game and cosmetic randomness apart for the same reason). The generators'
states are saved with the game; nothing in the core uses module-level random.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

STREAMS: tuple[str, ...] = ("setup", "market", "execution", "events", "finance", "computer")
"""Names of the game-state streams, in spawn order (never reorder: it changes every game)."""


class Streams:
    """The game-state random generators, one per stream name."""

    def __init__(self, seed: int):
        children = np.random.SeedSequence(seed).spawn(len(STREAMS))
        self._gens: dict[str, np.random.Generator] = {
            name: np.random.Generator(np.random.PCG64(child)) for name, child in zip(STREAMS, children, strict=True)
        }

    def __getattr__(self, name: str) -> np.random.Generator:
        try:
            return self.__dict__["_gens"][name]
        except KeyError:
            raise AttributeError(name) from None

    def to_dict(self) -> dict[str, Any]:
        """The generators' bit-generator states, JSON-safe."""
        out = {}
        for name in STREAMS:
            st = self._gens[name].bit_generator.state
            out[name] = {
                "state": str(st["state"]["state"]),
                "inc": str(st["state"]["inc"]),
                "has_uint32": int(st["has_uint32"]),
                "uinteger": int(st["uinteger"]),
            }
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Streams:
        obj = cls.__new__(cls)
        gens = {}
        for name in STREAMS:
            d = data[name]
            bg = np.random.PCG64()
            bg.state = {
                "bit_generator": "PCG64",
                "state": {"state": int(d["state"]), "inc": int(d["inc"])},
                "has_uint32": int(d["has_uint32"]),
                "uinteger": int(d["uinteger"]),
            }
            gens[name] = np.random.Generator(bg)
        obj.__dict__["_gens"] = gens
        return obj


def derived(seed: int, *keys: int) -> np.random.Generator:
    """A generator outside the game's streams, seeded from the game seed and keys.

    For decisions taken on a team's behalf (a timed-out team, a headless
    stand-in): the result is recorded as actions or re-derived identically,
    and the game's own streams are never touched.
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), *map(int, keys)])))


# numpy's SeedSequence (NEP 19) constants, and PCG64's 128-bit multiplier.
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
_M32, _M128 = 0xFFFFFFFF, (1 << 128) - 1


def _pool(entropy: list[np.ndarray]) -> list[np.ndarray]:
    """SeedSequence's entropy pool (4 words) for many entropies of 4 uint32 words at once."""
    u = np.uint32
    const = _INIT_A

    def hashmix(value: np.ndarray) -> np.ndarray:
        nonlocal const
        value = value ^ u(const)
        const = (const * _MULT_A) & _M32
        value = value * u(const)
        return value ^ (value >> u(16))

    def mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        result: np.ndarray = x * u(_MIX_L) - y * u(_MIX_R)
        return result ^ (result >> u(16))

    pool = [hashmix(e) for e in entropy]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mix(pool[dst], hashmix(pool[src]))
    return pool


def _pcg64_states(seed: int, keys: tuple[int, ...], rows: list[int]) -> list[tuple[int, int]]:
    """PCG64 (state, inc) of ``derived(seed, *keys, row)`` for each row, computed as numpy does:
    SeedSequence's pool and generate_state(4, uint64), then PCG64's seeding steps."""
    n = len(rows)
    entropy = [np.full(n, v, dtype=np.uint32) for v in (seed, *keys)] + [np.array(rows, dtype=np.uint32)]
    pool = _pool(entropy)
    u = np.uint32
    const = _INIT_B
    words = []
    for k in range(8):
        value = pool[k % 4] ^ u(const)
        const = (const * _MULT_B) & _M32
        value = value * u(const)
        words.append((value ^ (value >> u(16))).astype(np.uint64))
    val = [(words[2 * k] | (words[2 * k + 1] << np.uint64(32))).tolist() for k in range(4)]
    out = []
    for s_hi, s_lo, i_hi, i_lo in zip(*val, strict=True):
        inc = ((((i_hi << 64) | i_lo) << 1) | 1) & _M128
        state = ((inc + ((s_hi << 64) | s_lo)) * _PCG_MULT + inc) & _M128
        out.append((state, inc))
    return out


EACH_FROM = 12
"""Below this many rows :func:`derived_each` builds each generator with :func:`derived` (its
arrays cost more than a few SeedSequences)."""


def derived_each(seed: int, keys: tuple[int, ...], rows: list[int]) -> Iterator[np.random.Generator]:
    """``derived(seed, *keys, row)`` for each of ``rows`` in turn, without building a
    SeedSequence for each (about 10x cheaper when there are thousands).

    Yields ONE generator, its state set anew for each row: use it before taking the
    next. The states are those :func:`derived` gives (pinned by a test); when a value
    does not fit in 4 words of 32 bits, or there are few rows, the rows go through
    :func:`derived` itself.
    """
    if len(rows) < EACH_FROM or len(keys) != 2 or not all(0 <= int(v) <= _M32 for v in (seed, *keys, *rows)):
        for row in rows:
            yield derived(seed, *keys, row)
        return
    gen = np.random.Generator(np.random.PCG64(0))
    bits = gen.bit_generator
    for state, inc in _pcg64_states(int(seed), tuple(int(k) for k in keys), [int(r) for r in rows]):
        bits.state = {"bit_generator": "PCG64", "state": {"state": state, "inc": inc}, "has_uint32": 0, "uinteger": 0}
        yield gen
