"""Bit-identical arithmetic for everything that feeds the game state.

numpy's ``exp``/``log``/``power`` (and C's libm behind ``**``, ``math.exp`` and
the ``normal``/``lognormal``/``poisson`` samplers of ``numpy.random.Generator``)
may differ in the last bit between numpy versions, libm builds and SIMD paths
(AVX2 / AVX-512 dispatch). One last-bit difference changes a state hash, so a
replay recorded on one laptop would not verify on another.

Everything here is built from IEEE-754 basic operations only (``+ - * /``,
``sqrt``, ``rint``, ``frexp``/``ldexp``), which are correctly rounded and hence
identical on every conforming machine and every numpy path, evaluated in a
fixed order. The accuracy is a few ulps (much better than the game needs);
what matters is that the result is the same everywhere.

Random draws of real numbers use ``Generator.random`` (53 random bits scaled by
2**-53, exact) and the transformations below (:func:`uniform` is numpy's own
``low + (high - low) * random()``, a test holds it to ``Generator.uniform``).
The engine also calls ``Generator.integers`` (a call's part and duration, a
strategy's draw key), ``Generator.permutation`` (the computer firms' strategies
at the start) and ``Generator.uniform`` on arrays (their starting figures):
integer arithmetic or basic operations on those bits, not libm, so they too are
identical on every machine. Across numpy versions, numpy does not promise the
same streams from ``Generator``'s methods (NEP 19); the goldens would show a
change.

Sums that feed the state use :func:`fsum` (``math.fsum``: correctly rounded,
so independent of order and of numpy's pairwise/SIMD summation), or
:func:`ordered_sum` (left to right, as Python 3.11's built-in ``sum``; from
3.12 the built-in compensates float sums, so the core never calls it:
``tests/test_core_boundary.py``).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["exp", "log", "exp_array", "log_array", "powi", "fsum", "ordered_sum", "rounded", "mean", "std_normal", "std_normal_of", "lognormal", "uniform", "poisson"]

# fdlibm's split of ln 2: LN2_HI has trailing zero bits, so k * LN2_HI is exact for |k| < 2**11.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
_EXP_MAX = 709.0
_EXP_MIN = -745.0
# Taylor coefficients 1/k!, each a correctly rounded division (the same everywhere).
_EXP_COEFFS = tuple(1.0 / math.factorial(k) for k in range(14))
# atanh series: log(1+f) = 2s(1 + z/3 + z^2/5 + ...), s = f/(2+f), z = s*s, |s| <= 0.172.
_LOG_COEFFS = tuple(1.0 / (2 * k + 1) for k in range(12))
# The same, highest power first, as _horner takes them.
_EXP_COEFFS_HIGH_FIRST = _EXP_COEFFS[::-1]
_LOG_COEFFS_HIGH_FIRST = _LOG_COEFFS[::-1]
_SQRT_HALF = 0.70710678118654752440


def exp_array(x: np.ndarray) -> np.ndarray:
    """exp(x) elementwise, from basic operations only (a few ulps from the true value)."""
    x = np.asarray(x, dtype=np.float64)
    xc = np.maximum(x, _EXP_MIN)
    np.minimum(xc, _EXP_MAX, out=xc)
    k = np.rint(xc * _INV_LN2)
    r = (xc - k * _LN2_HI) - k * _LN2_LO
    out = np.ldexp(_horner(_EXP_COEFFS_HIGH_FIRST, r), k.astype(np.int32))
    # x.min() and x.max() are these reductions (without ndarray's Python wrappers).
    if x.size and not (np.minimum.reduce(x, axis=None) >= _EXP_MIN and np.maximum.reduce(x, axis=None) <= _EXP_MAX + 0.78):  # false for a NaN too
        out = np.where(x > _EXP_MAX + 0.78, np.inf, out)
        out = np.where(x < _EXP_MIN, 0.0, out)
        out = np.where(np.isnan(x), np.nan, out)
    return out


def log_array(x: np.ndarray) -> np.ndarray:
    """Natural log elementwise for positive finite x, from basic operations only."""
    x = np.asarray(x, dtype=np.float64)
    if x.size and not (x.min() > 0 and x.max() < math.inf):  # false for a NaN too
        raise ValueError("log_array needs positive finite values")
    m, e = np.frexp(x)
    low = m < _SQRT_HALF
    m = np.where(low, m * 2.0, m)
    e = np.where(low, e - 1, e).astype(np.float64)
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    p = _horner(_LOG_COEFFS_HIGH_FIRST, z)
    return e * _LN2_HI + (2.0 * s * p + e * _LN2_LO)


@functools.lru_cache(maxsize=4096)
def exp(x: float) -> float:
    """exp(x) for one number, identical to :func:`exp_array` element by element.

    Remembered for the last 4,096 arguments: the same rates come back every
    quarter (a call generator's Poisson mean, say), and a pure function's answer
    does not change."""
    return float(exp_array(np.array([x], dtype=np.float64))[0])


def log(x: float) -> float:
    """log(x) for one positive number, identical to :func:`log_array`."""
    return float(log_array(np.array([x], dtype=np.float64))[0])


def powi(base: float, n: int) -> float:
    """base ** n for an integer n >= 0 by repeated squaring (no libm ``pow``)."""
    if n < 0:
        raise ValueError("powi needs n >= 0")
    result = 1.0
    b = float(base)
    while n:
        if n & 1:
            result *= b
        b *= b
        n >>= 1
    return result


def fsum(values: Iterable[float] | np.ndarray) -> float:
    """Correctly rounded sum (independent of order and of numpy's summation paths).

    A float64 array of at least EXACT_SUM_FROM values is added exactly in integers
    (:func:`_exact_sum`); anything else by ``math.fsum``. Both give the exact sum, rounded
    to the nearest float (ties to even), so the same number."""
    if isinstance(values, np.ndarray):
        if values.size >= EXACT_SUM_FROM and values.dtype == np.float64:
            exact = _exact_sum(values)
            if exact is not None:
                return exact
        values = values.ravel().tolist()
    return math.fsum(values)


def ordered_sum(values: Iterable[Any]) -> Any:
    """The values added one by one from the left, starting from the integer 0: what Python
    3.11's built-in ``sum`` gives. Python 3.12's ``sum`` adds floats with compensation (a
    different last bit), so a result summed with it would not replay across Python versions."""
    return functools.reduce(operator.add, values, 0)


_ROUND_BELOW = 2.0**30
""":func:`rounded` scales values below this: the product's error (half an ulp, under 2**-23) is far below its margin."""
_ROUND_MARGIN = 1e-6


def rounded(values: np.ndarray, ndigits: int) -> list[float]:
    """``[round(v, ndigits) for v in values.tolist()]`` (Python's correctly rounded decimal
    rounding), for a float64 array, without a ``round`` call per value where that is certain.

    The scaled value ``p = v * 10**ndigits`` is within half an ulp of the exact product; where it
    is below :data:`_ROUND_BELOW` and farther than :data:`_ROUND_MARGIN` from a half, the exact
    product rounds to the same integer ``k`` as ``p`` (``rint``), and ``k / 10**ndigits`` (one
    correctly rounded division) is the double nearest the decimal ``round`` returns. Any other
    value (near a half, large, not finite) is rounded by ``round`` itself."""
    x = np.asarray(values, dtype=np.float64).ravel()
    scale = 10.0**ndigits
    p = x * scale
    out: list[float] = (np.rint(p) / scale).tolist()
    with np.errstate(invalid="ignore"):  # inf - inf for an infinite value (rounded by round below)
        off = np.abs(np.abs(p - np.floor(p)) - 0.5) <= _ROUND_MARGIN
    off |= ~(np.abs(p) < _ROUND_BELOW)
    if off.any():
        for k in np.flatnonzero(off).tolist():
            out[k] = round(float(x[k]), ndigits)
    return out


def mean(values: Iterable[float] | np.ndarray) -> float:
    """Correctly rounded sum divided by the count (0.0 for no values)."""
    if isinstance(values, np.ndarray):
        return fsum(values) / values.size if values.size else 0.0
    vals = list(values)
    return math.fsum(vals) / len(vals) if vals else 0.0


EXACT_SUM_FROM = 512
"""Arrays this long or longer are summed by :func:`_exact_sum` (below it, ``math.fsum`` over a list is cheaper)."""
_HALF_BITS = 27


def _exact_sum(x: np.ndarray) -> float | None:
    """The exact sum of finite float64 values, rounded to the nearest float (ties to even), or None
    (then ``math.fsum`` decides) if some value is not finite or near the float range, or the sum
    is zero (its sign).

    Each value is m * 2**e (``frexp``) with m * 2**53 an integer; those integers are split in two
    halves of at most 27 bits and added exactly in int64 by exponent, then combined in a Python
    integer, which Python's integer division (correctly rounded) turns into the float."""
    flat = x.ravel()
    if not np.isfinite(flat).all():
        return None
    m, e = np.frexp(flat)
    mant = (m * 2.0**53).astype(np.int64)
    low_exp, high_exp = int(e.min()), int(e.max())
    if high_exp > 1000:
        return None  # near the float range, where math.fsum may report an intermediate overflow
    span = high_exp - low_exp + 1
    at = (e - low_exp).astype(np.intp)
    high = np.zeros(span, dtype=np.int64)
    low = np.zeros(span, dtype=np.int64)
    np.add.at(high, at, mant >> _HALF_BITS)
    np.add.at(low, at, mant & ((1 << _HALF_BITS) - 1))
    total = 0
    for k, (h, lo) in enumerate(zip(high.tolist(), low.tolist(), strict=True)):
        total += ((h << _HALF_BITS) + lo) << k
    if total == 0:
        return None
    shift = low_exp - 53
    return float(total << shift) if shift >= 0 else total / (1 << -shift)


# Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01, -1.328068155288572e01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
_P_LOW = 0.02425


def _horner(coeffs: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    """coeffs[0] * x**(n-1) + ... + coeffs[-1] by Horner's rule, in place on a new array:
    p = coeffs[0], then p = p * x + c for each further c (the same operations in the same order)."""
    p = x * coeffs[0]
    p += coeffs[1]
    for c in coeffs[2:]:
        p *= x
        p += c
    return p


def normal_quantile(p: np.ndarray) -> np.ndarray:
    """Inverse of the standard normal CDF for p in (0, 1), from basic operations and sqrt.

    The tails (p below _P_LOW or above 1 - _P_LOW, about 5% of draws) are computed for those
    elements only: each element's value is the same as computing both branches everywhere."""
    p = np.asarray(p, dtype=np.float64)
    flat = p.ravel()
    q = flat - 0.5
    r = q * q
    out = _horner(_A, r) * q / (_horner(_B, r) * r + 1.0)
    tails = np.flatnonzero(~((flat >= _P_LOW) & (flat <= 1.0 - _P_LOW)))
    if tails.size:
        pt = flat[tails]
        lower = pt < 0.5
        t = np.sqrt(-2.0 * log_array(np.where(lower, pt, 1.0 - pt)))
        tail = _horner(_C, t) / (_horner(_D, t) * t + 1.0)
        out[tails] = np.where(lower, tail, -tail)
    return out.reshape(p.shape)


def _open_uniform(rng: np.random.Generator, n: int) -> np.ndarray:
    u = rng.random(n)
    return np.where(u > 0.0, u, 2.0**-54)  # random() is in [0, 1): keep the quantile finite


def std_normal(rng: np.random.Generator, n: int) -> np.ndarray:
    """n standard normal draws by inversion: one ``rng.random`` each."""
    return normal_quantile(_open_uniform(rng, n))


def std_normal_of(u: np.ndarray) -> np.ndarray:
    """The standard normals :func:`std_normal` makes of the uniforms ``u`` (``rng.random``'s), element by element."""
    return normal_quantile(np.where(u > 0.0, u, 2.0**-54))


def normal(rng: np.random.Generator, mu: float, sigma: float, n: int) -> np.ndarray:
    """n normal draws (mu, sigma), bit-identical everywhere."""
    return mu + sigma * std_normal(rng, n)


def lognormal(rng: np.random.Generator, mu: float, sigma: float, n: int) -> np.ndarray:
    """n lognormal draws: exp(mu + sigma * z) with the deterministic exp."""
    return exp_array(mu + sigma * std_normal(rng, n))


_POISSON_CHUNK = 500.0


def uniform(rng: np.random.Generator, low: float, high: float) -> float:
    """One draw of ``rng.uniform(low, high)``, the same float from the same one ``rng.random`` draw:
    numpy's uniform is ``low + (high - low) * next_double`` in doubles, which is what this computes,
    without the sampler's argument handling (about 1.2 us a call); it refuses the ranges numpy refuses."""
    lo = float(low)
    span = float(high) - lo
    if not math.isfinite(span):
        raise OverflowError("high - low range exceeds valid bounds")
    if span < 0.0:
        raise ValueError("high - low < 0")
    return lo + span * rng.random()


def poisson(rng: np.random.Generator, lam: float) -> int:
    """One Poisson(lam) draw by sequential inversion (one ``rng.random`` per chunk).

    lam above 500 is split into equal chunks (a sum of Poissons is Poisson), so
    exp(-lam) never underflows. The loop ends when the tail mass is exhausted.
    """
    if not 0.0 < lam < math.inf:  # not positive and finite (NaN included)
        if lam == 0.0:
            return 0
        raise ValueError(f"poisson needs a finite lam >= 0, got {lam!r}")
    chunks = 1 if lam <= _POISSON_CHUNK else math.ceil(lam / _POISSON_CHUNK)
    part = lam / chunks
    p0 = exp(-part)
    total = 0
    for _ in range(chunks):
        u = rng.random()  # a Python float
        k, p, cdf = 0, p0, p0
        while u > cdf:
            k += 1
            p = p * part / k
            if p == 0.0:
                break
            cdf += p
        total += k
    return total
