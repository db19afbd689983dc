"""Replays are portable: the same state hashes on every CPU path and numpy version allowed.

* The golden playthroughs (which carry the state hash after every quarter) are
  re-rendered in a subprocess with every SIMD dispatch target of numpy switched
  off (``NPY_DISABLE_CPU_FEATURES``: AVX2/X86_V3, AVX-512/X86_V4, ICL, SPR...).
* They are re-rendered under the lowest numpy ``pyproject.toml`` allows, in a
  virtual environment this test builds itself (cached in the temp folder).
* ``game/core`` contains no transcendental numpy/libm call and no sampler that
  uses one: everything goes through ``game.core.detmath``.
"""

from __future__ import annotations

import ast
import math
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np
import pytest

from game.core import detmath

ROOT = Path(__file__).resolve().parents[1]

CHECK_GOLDENS = r"""
import sys
import numpy
from tests.golden.regen import GOLDEN_DIR, SPECS, render
bad = []
for spec in SPECS:
    expected = spec.path.read_text(encoding="utf-8").splitlines()
    actual = render(spec)
    if actual != expected:
        first = next(i for i, (a, b) in enumerate(zip(expected + [""], actual + [""])) if a != b)
        bad.append(f"{spec.level}: line {first + 1}: expected {expected[first]!r} got {actual[first] if first < len(actual) else None!r}")
try:
    from numpy._core._multiarray_umath import __cpu_features__ as feats
except ImportError:
    from numpy.core._multiarray_umath import __cpu_features__ as feats
print("numpy", numpy.__version__)
print("features_on", " ".join(k for k, v in feats.items() if v))
print("\n".join(bad) if bad else "GOLDENS OK")
"""

DISPATCH = r"""
try:
    from numpy._core._multiarray_umath import __cpu_dispatch__ as d
except ImportError:
    from numpy.core._multiarray_umath import __cpu_dispatch__ as d
print(" ".join(d))
"""


def _run(python: str, code: str, env_extra: dict[str, str] | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_extra or {})
    done = subprocess.run([python, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"subprocess failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _check_goldens(python: str, env_extra: dict[str, str] | None = None) -> str:
    out = _run(python, CHECK_GOLDENS, env_extra)
    assert "GOLDENS OK" in out, f"golden replays diverge:\n{out}"
    return out


def test_goldens_verify_with_simd_dispatch_switched_off():
    dispatch = _run(sys.executable, DISPATCH).split()
    assert dispatch, "this numpy dispatches no SIMD targets: nothing to switch off"
    out = _check_goldens(sys.executable, {"NPY_DISABLE_CPU_FEATURES": " ".join(dispatch)})
    on = set(out.split("features_on", 1)[1].splitlines()[0].split())
    assert not on & set(dispatch), f"numpy still reports {on & set(dispatch)} enabled"


def _lowest_numpy() -> str:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    spec = next(d for d in deps if re.match(r"numpy\s*>=", d))
    low = spec.split(">=", 1)[1].split(",")[0].strip()
    return low if low.count(".") >= 2 else f"{low}.0"


def _floor_venv(numpy_version: str) -> Path:
    """A venv with the lowest allowed numpy and the core's other deps, built once per machine."""
    tag = f"py{sys.version_info.major}{sys.version_info.minor}"
    home = Path(tempfile.gettempdir()) / f"enclave-numpy-{numpy_version}-{tag}"
    python = home / "bin" / "python"
    marker = home / "ready"
    if marker.exists() and python.exists():
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(home)], check=True, timeout=300)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    done = subprocess.run(
        [*pip, f"numpy=={numpy_version}", "pydantic>=2.6", "pyyaml>=6.0", "tqdm>=4.66"],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, f"could not install numpy=={numpy_version} into {home}:\n{done.stdout}\n{done.stderr}"
    marker.write_text(numpy_version, encoding="utf-8")
    return python


def test_goldens_verify_under_the_lowest_numpy_pyproject_allows():
    low = _lowest_numpy()
    python = _floor_venv(low)
    out = _check_goldens(str(python))
    assert f"numpy {low}" in out, out


def test_goldens_verify_under_the_lowest_numpy_without_simd_dispatch():
    python = str(_floor_venv(_lowest_numpy()))
    dispatch = _run(python, DISPATCH).split()
    _check_goldens(python, {"NPY_DISABLE_CPU_FEATURES": " ".join(dispatch)})


# --- game/core uses no transcendental numpy/libm call -------------------------------------------

FORBIDDEN_NP = {"exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "power", "float_power", "sin", "cos", "tan",
                "tanh", "sinh", "cosh", "arctan", "arctan2", "arcsin", "arccos", "logaddexp", "hypot", "cbrt"}
FORBIDDEN_MATH = {"exp", "expm1", "log", "log2", "log10", "log1p", "pow", "sin", "cos", "tan", "tanh", "atan", "atan2",
                  "erf", "erfc", "gamma", "lgamma", "hypot", "cbrt", "exp2"}
# Generator samplers that call libm (exp/log/pow) internally; only random/integers/uniform/permutation are exact.
FORBIDDEN_RNG = {"normal", "standard_normal", "lognormal", "poisson", "binomial", "exponential", "standard_exponential",
                 "gamma", "standard_gamma", "beta", "geometric", "negative_binomial", "pareto", "weibull", "triangular",
                 "chisquare", "dirichlet", "logseries", "hypergeometric", "multivariate_normal", "vonmises", "wald",
                 "zipf", "laplace", "logistic", "gumbel", "rayleigh", "power", "standard_cauchy", "standard_t",
                 "noncentral_chisquare", "noncentral_f", "f", "multinomial"}


def _problems(path: Path) -> list[str]:
    out: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "np" and node.attr in FORBIDDEN_NP:
                out.append(f"{path.name}:{node.lineno} np.{node.attr}")
            if node.value.id == "math" and node.attr in FORBIDDEN_MATH:
                out.append(f"{path.name}:{node.lineno} math.{node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in FORBIDDEN_RNG:
            target = node.func.value
            name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
            if "rng" in name or name in ("random", "gen", "generator"):
                out.append(f"{path.name}:{node.lineno} {name}.{node.func.attr}()")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            right = node.right
            const_int = isinstance(right, ast.Constant) and isinstance(right.value, int)
            left_int = isinstance(node.left, ast.Constant) and isinstance(node.left.value, int)
            if not (const_int and left_int):
                out.append(f"{path.name}:{node.lineno} ** (libm pow; use detmath.powi/exp)")
    return out


def test_core_has_no_transcendental_or_libm_sampler_calls():
    problems = []
    for path in sorted((ROOT / "game" / "core").rglob("*.py")):
        if path.name != "detmath.py":
            problems += _problems(path)
    assert problems == [], "non-portable arithmetic in game/core:\n" + "\n".join(problems)


def test_the_scanner_catches_each_kind(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy as np\nimport math\nnp.exp(1.0)\nmath.log(2.0)\nrng.poisson(3.0)\nx = 0.9 ** years\n")
    assert len(_problems(bad)) == 4


# --- detmath itself -------------------------------------------------------------------------------


def test_exp_and_log_are_accurate_to_a_few_ulps():
    xs = np.linspace(-700.0, 700.0, 20001)
    got = detmath.exp_array(xs)
    want = np.array([math.exp(x) for x in xs])
    assert np.max(np.abs(got - want) / want) < 4e-16
    ys = np.exp(np.linspace(-700.0, 700.0, 20001))
    got = detmath.log_array(ys)
    want = np.array([math.log(y) for y in ys])
    assert np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want))) < 4e-16
    assert detmath.exp_array(np.array([-800.0, 800.0])).tolist() == [0.0, math.inf]


def test_scalar_and_array_forms_agree_bit_for_bit():
    xs = np.random.default_rng(3).uniform(-30, 30, 500)
    assert [detmath.exp(x) for x in xs.tolist()] == detmath.exp_array(xs).tolist()
    ys = np.abs(xs) + 1e-3
    assert [detmath.log(y) for y in ys.tolist()] == detmath.log_array(ys).tolist()


def test_powi_fsum_mean():
    assert detmath.powi(0.97, 0) == 1.0
    assert math.isclose(detmath.powi(0.97, 7), 0.97**7, rel_tol=1e-15)
    assert detmath.fsum(np.array([1e16, 1.0, -1e16])) == 1.0  # np.sum gives 0.0 here
    assert detmath.mean(np.array([[1.0, 2.0], [3.0, 4.0]])) == 2.5
    assert detmath.mean([]) == 0.0


def test_long_arrays_sum_exactly_as_math_fsum():
    """fsum adds long float64 arrays in integers (detmath._exact_sum): the same float as math.fsum
    over the list, for values of every size and sign, cancellations and tiny or huge exponents."""
    rng = np.random.default_rng(17)
    n = detmath.EXACT_SUM_FROM
    cases = [
        rng.random(n),
        np.clip(rng.random((4 * n, 6)), 0.05, 1.0),
        rng.normal(0.0, 1.0, 3 * n) * 10.0 ** rng.integers(-30, 30, 3 * n),
        np.concatenate([rng.random(n), -rng.random(n)]),
        rng.choice([1e16, 1.0, -1e16, 0.5, 2.0**-1074, -0.0, 0.0], 2 * n),
        rng.random(n) ** 5 * 1e-300,
        rng.random(n) * 2.0 ** 900,
        np.full(n, 0.1),
        -np.zeros(n),
        np.array([math.inf] + [1.0] * n),
    ]
    for values in cases:
        want = math.fsum(values.ravel().tolist())
        got = detmath.fsum(values)
        assert got == want or (math.isnan(got) and math.isnan(want))
        assert math.copysign(1.0, got) == math.copysign(1.0, want)
        assert detmath.mean(values) == want / values.size or math.isnan(want)
    with pytest.raises(OverflowError):  # as math.fsum: near the float range the partial sums overflow
        detmath.fsum(np.array([1e308, 1e308, -1e308] * n))


def test_normal_quantile_tails_and_centre_agree_with_the_formula():
    """normal_quantile computes the tails only where p is in them: each value is Acklam's formula's."""
    p = np.concatenate([np.linspace(1e-12, 0.05, 500), np.linspace(0.02, 0.98, 500), np.linspace(0.95, 1 - 1e-12, 500)])
    got = detmath.normal_quantile(p)
    for x, z in zip(p.tolist()[::7], got.tolist()[::7], strict=True):
        if detmath._P_LOW <= x <= 1.0 - detmath._P_LOW:
            q = x - 0.5
            r = q * q
            num = sum(c * r ** (5 - k) for k, c in enumerate(detmath._A))
            den = sum(c * r ** (5 - k) for k, c in enumerate((*detmath._B, 1.0)))
            assert math.isclose(z, num * q / den, rel_tol=1e-12)
        else:
            t = math.sqrt(-2.0 * math.log(min(x, 1.0 - x)))
            num = sum(c * t ** (5 - k) for k, c in enumerate(detmath._C))
            den = sum(c * t ** (4 - k) for k, c in enumerate((*detmath._D, 1.0)))
            assert math.isclose(z, (num / den) if x < 0.5 else -(num / den), rel_tol=1e-12)
    assert detmath.normal_quantile(p.reshape(3, 500)).tolist() == got.reshape(3, 500).tolist()


def test_samplers_have_the_right_moments():
    rng = np.random.default_rng(11)
    z = detmath.std_normal(rng, 100_000)
    assert abs(float(z.mean())) < 0.02 and abs(float(z.std()) - 1.0) < 0.02
    ln = detmath.lognormal(rng, 0.0, 0.25, 100_000)
    assert abs(float(np.median(ln)) - 1.0) < 0.01
    for lam in (0.3, 3.5, 40.0, 1200.0):
        draws = np.array([detmath.poisson(rng, lam) for _ in range(4000)])
        assert abs(draws.mean() - lam) < 5 * math.sqrt(lam / 4000) + 0.01, lam
        assert abs(draws.var() / lam - 1.0) < 0.15, lam
    assert detmath.poisson(rng, 0.0) == 0
    with pytest.raises(ValueError):
        detmath.poisson(rng, math.inf)


def test_samplers_use_one_uniform_per_draw():
    a, b = np.random.default_rng(5), np.random.default_rng(5)
    detmath.std_normal(a, 7)
    b.random(7)
    assert a.random() == b.random()
    detmath.poisson(a, 4.0)
    b.random()
    assert a.random() == b.random()


def test_ordered_sum_adds_from_the_left_as_python_311_sum():
    """The core's sums of floats are left to right with no compensation, whatever the Python
    version (3.12's built-in sum would give 1.0 here: a different state, a replay that fails)."""
    from game.core.detmath import ordered_sum

    assert ordered_sum([1e16, 1.0, -1e16]) == 0.0
    assert ordered_sum([0.1] * 10) == 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1
    assert ordered_sum(x for x in (3, 4)) == 7 and isinstance(ordered_sum([2, 5]), int)
    assert ordered_sum([]) == 0
