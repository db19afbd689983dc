"""Seeded random streams, part of the game state.

One ``SeedSequence`` per game spawns one numpy ``Generator`` per concern, so
adding a draw in one rule never shifts the draws of another (OpenTTD keeps
game and cosmetic randomness apart for the same reason). The generators'
states are saved with the game; nothing in the core uses module-level random.
"""

from __future__ import annotations

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
