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


def replica(gen: np.random.Generator) -> np.random.Generator:
    """A new generator in ``gen``'s state: it draws what ``gen`` would draw next, and drawing from
    it leaves ``gen`` as it is (``gen``'s state can then be set to the replica's)."""
    bg = gen.bit_generator
    out = np.random.Generator(type(bg)(0))  # any seed: its state is set next
    out.bit_generator.state = bg.state
    return out


# Counter-based draws: a uniform is a pure function of (seed, keys, row, slot).
_M64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_MIX1, _MIX2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_SLOT_MULT = 0xD1B54A32D192ED03
_U53 = 1.0 / (1 << 53)
"""2**-53, exactly: a 53-bit integer times this is a float in [0, 1)."""


def _splitmix(z: int) -> int:
    """splitmix64's finaliser on one Python int (64 bits)."""
    z &= _M64
    z = ((z ^ (z >> 30)) * _MIX1) & _M64
    z = ((z ^ (z >> 27)) * _MIX2) & _M64
    return z ^ (z >> 31)


def _u64(value: int) -> np.ndarray:
    """A uint64 constant as a 0-d array: an operand numpy takes as it is, where a numpy scalar (or a
    Python int) is converted on every operation (the same values: uint64 with uint64)."""
    out = np.array(value, dtype=np.uint64)
    out.flags.writeable = False
    return out


_U30, _U27, _U31, _U11 = _u64(30), _u64(27), _u64(31), _u64(11)
_UMIX1, _UMIX2, _UGOLDEN, _USLOT = _u64(_MIX1), _u64(_MIX2), _u64(_GOLDEN), _u64(_SLOT_MULT)
_F53 = np.array(_U53, dtype=np.float64)
_F53.flags.writeable = False
"""2**-53 as a 0-d float64 array (as :data:`_U53`)."""


def _splitmix_array(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on a uint64 array (wrapping arithmetic, as on every platform)."""
    z = z ^ (z >> _U30)
    z = z * _UMIX1
    z = z ^ (z >> _U27)
    z = z * _UMIX2
    return z ^ (z >> _U31)


def counter_key(seed: int, *keys: int) -> int:
    """The 64-bit key of a family of counter-based draws: the game seed and keys hashed in turn."""
    h = _splitmix(int(seed) + _GOLDEN)
    for k in keys:
        h = _splitmix((h ^ (int(k) & _M64)) + _GOLDEN)
    return h


def uniforms(key: int, rows: np.ndarray | int, slots: np.ndarray | int) -> np.ndarray:
    """Uniform draws in [0, 1), one for each (row, slot) pair (the arrays broadcast).

    A counter-based generator, as Random123's or JAX's: each draw is splitmix64
    of (``key`` from :func:`counter_key`, row, slot), so a row's draws never
    depend on which other rows or slots were drawn, nor in what order, and every
    firm's draws for a quarter come from one array operation. Integer arithmetic
    on uint64 and one exact conversion (53 bits to float64): the same on every
    platform. Scalars give an array of one draw.
    """
    return slot_uniforms(row_hashes(key, rows), slots)


def row_hashes(key: int, rows: np.ndarray | int) -> np.ndarray:
    """The first half of :func:`uniforms`: what its draws of ``rows`` share whatever the slot
    (a caller drawing many slots of the same rows computes it once)."""
    r = np.atleast_1d(np.asarray(rows, dtype=np.int64)).astype(np.uint64)
    return _splitmix_array(r * _UGOLDEN + _u64(key & _M64))


def slot_uniforms(hashes: np.ndarray, slots: np.ndarray | int) -> np.ndarray:
    """The second half of :func:`uniforms`: the draws of ``slots`` of the rows of ``hashes``
    (:func:`row_hashes`; the arrays broadcast)."""
    return keyed_uniforms(hashes, slot_keys(slots))


def slot_keys(slots: np.ndarray | int) -> np.ndarray:
    """What :func:`slot_uniforms` mixes into a row's hash for each of ``slots`` (a caller drawing
    the same slots again and again computes it once: :func:`keyed_uniforms`)."""
    out: np.ndarray = np.atleast_1d(np.asarray(slots, dtype=np.int64)).astype(np.uint64) * _USLOT
    return out


def keyed_uniforms(hashes: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """:func:`slot_uniforms` of the slots whose :func:`slot_keys` are ``keys`` (the arrays broadcast)."""
    return mixed_uniforms(hashes ^ keys)


def mixed_uniforms(mixed: np.ndarray) -> np.ndarray:
    """:func:`keyed_uniforms` of ``hashes ^ keys`` given as ``mixed`` (a caller may join the mixed
    values of several draws of a kind and draw them in one operation)."""
    x = _splitmix_array(mixed + _UGOLDEN)
    out: np.ndarray = (x >> _U11).astype(np.float64) * _F53
    return out
