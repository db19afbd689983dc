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

Random draws use only ``Generator.random`` (53 random bits scaled by 2**-53,
exact) and the transformations below, so they are identical on every numpy
version the project allows.

Sums that feed the state use :func:`fsum` (``math.fsum``: correctly rounded,
so independent of order and of numpy's pairwise/SIMD summation).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

import numpy as np

__all__ = ["exp", "log", "exp_array", "log_array", "powi", "fsum", "mean", "std_normal", "lognormal", "poisson"]

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
_SQRT_HALF = 0.70710678118654752440


def exp_array(x: np.ndarray) -> np.ndarray:
    """exp(x) elementwise, from basic operations only (a few ulps from the true value)."""
    x = np.asarray(x, dtype=np.float64)
    xc = np.clip(x, _EXP_MIN, _EXP_MAX)
    k = np.rint(xc * _INV_LN2)
    r = (xc - k * _LN2_HI) - k * _LN2_LO
    p = np.full(r.shape, _EXP_COEFFS[-1])
    for c in reversed(_EXP_COEFFS[:-1]):
        p = p * r + c
    out = np.ldexp(p, k.astype(np.int32))
    out = np.where(x > _EXP_MAX + 0.78, np.inf, out)
    out = np.where(x < _EXP_MIN, 0.0, out)
    return np.where(np.isnan(x), np.nan, out)


def log_array(x: np.ndarray) -> np.ndarray:
    """Natural log elementwise for positive finite x, from basic operations only."""
    x = np.asarray(x, dtype=np.float64)
    if np.any(~(x > 0)) or np.any(~np.isfinite(x)):
        raise ValueError("log_array needs positive finite values")
    m, e = np.frexp(x)
    low = m < _SQRT_HALF
    m = np.where(low, m * 2.0, m)
    e = np.where(low, e - 1, e).astype(np.float64)
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    p = np.full(z.shape, _LOG_COEFFS[-1])
    for c in reversed(_LOG_COEFFS[:-1]):
        p = p * z + c
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
    """Correctly rounded sum (independent of order and of numpy's summation paths)."""
    if isinstance(values, np.ndarray):
        values = values.ravel().tolist()
    return math.fsum(values)


def mean(values: Iterable[float] | np.ndarray) -> float:
    """Correctly rounded sum divided by the count (0.0 for no values)."""
    vals = values.ravel().tolist() if isinstance(values, np.ndarray) else list(values)
    return math.fsum(vals) / len(vals) if vals else 0.0


# Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01, -1.328068155288572e01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
_P_LOW = 0.02425


def _horner(coeffs: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    p = np.full(x.shape, coeffs[0])
    for c in coeffs[1:]:
        p = p * x + c
    return p


def normal_quantile(p: np.ndarray) -> np.ndarray:
    """Inverse of the standard normal CDF for p in (0, 1), from basic operations and sqrt."""
    p = np.asarray(p, dtype=np.float64)
    q = p - 0.5
    r = q * q
    central = _horner(_A, r) * q / (_horner(_B, r) * r + 1.0)
    tail_p = np.where(p < 0.5, p, 1.0 - p)
    t = np.sqrt(-2.0 * log_array(tail_p))
    tail = _horner(_C, t) / (_horner(_D, t) * t + 1.0)
    tail = np.where(p < 0.5, tail, -tail)
    return np.where((p >= _P_LOW) & (p <= 1.0 - _P_LOW), central, tail)


def _open_uniform(rng: np.random.Generator, n: int) -> np.ndarray:
    u = rng.random(n)
    return np.where(u > 0.0, u, 2.0**-54)  # random() is in [0, 1): keep the quantile finite


def std_normal(rng: np.random.Generator, n: int) -> np.ndarray:
    """n standard normal draws by inversion: one ``rng.random`` each."""
    return normal_quantile(_open_uniform(rng, n))


def normal(rng: np.random.Generator, mu: float, sigma: float, n: int) -> np.ndarray:
    """n normal draws (mu, sigma), bit-identical everywhere."""
    return mu + sigma * std_normal(rng, n)


def lognormal(rng: np.random.Generator, mu: float, sigma: float, n: int) -> np.ndarray:
    """n lognormal draws: exp(mu + sigma * z) with the deterministic exp."""
    return exp_array(mu + sigma * std_normal(rng, n))


_POISSON_CHUNK = 500.0


def poisson(rng: np.random.Generator, lam: float) -> int:
    """One Poisson(lam) draw by sequential inversion (one ``rng.random`` per chunk).

    lam above 500 is split into equal chunks (a sum of Poissons is Poisson), so
    exp(-lam) never underflows. The loop ends when the tail mass is exhausted.
    """
    if not lam > 0.0 or not math.isfinite(lam):
        if lam == 0.0:
            return 0
        raise ValueError(f"poisson needs a finite lam >= 0, got {lam!r}")
    chunks = max(1, math.ceil(lam / _POISSON_CHUNK))
    part = lam / chunks
    p0 = exp(-part)
    total = 0
    for _ in range(chunks):
        u = float(rng.random())
        k, p, cdf = 0, p0, p0
        while u > cdf:
            k += 1
            p = p * part / k
            if p == 0.0:
                break
            cdf += p
        total += k
    return total
