"""The desktop build: `python -m game.build` on this machine, then the built program, headless.

One build (into a temporary folder) serves every test here. The built
program runs from another folder with its own home, so it can only find its
levels, translations, fonts and theme inside the build; afterwards the build
folder must hold exactly the files it had (user files go to the per-user
folder, never next to the executable).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from game.build import executable
from game.headless.runner import play
from tests.helpers import ROOT, shipped

pytestmark = pytest.mark.build  # slow (a PyInstaller build), but runs in CI like every test


def _files(folder) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("build")
    dist, work = base / "dist", base / "work"
    proc = subprocess.run(
        [sys.executable, "-m", "game.build", "--dist", str(dist), "--work", str(work), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    exe = executable(dist)
    assert exe.is_file() and os.access(exe, os.X_OK)
    shutil.rmtree(work)  # only the folder a user gets is left
    home = base / "home"
    home.mkdir()
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENCLAVE_", "XDG_", "PYTHON"))}
    env.update(HOME=str(home), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=os.devnull)
    before = _files(exe.parent)
    yield exe, elsewhere, env, home
    assert _files(exe.parent) == before, "the built program wrote next to the executable"


def _run(built, *args, timeout=600):
    exe, elsewhere, env, _ = built
    return subprocess.run([str(exe), *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=timeout)


def test_the_build_holds_the_data_and_not_the_research_libraries(built):
    exe = built[0]
    inside = exe.parent / "_internal"
    for rel in ("levels/tutorial.yaml", "assets/i18n/es.json", "assets/i18n/en.json", "assets/ui/theme.json", "assets/fonts/DejaVu-LICENSE.txt"):
        assert (inside / rel).is_file(), rel
    assert list((inside / "assets" / "fonts").glob("*.ttf"))
    assert not (inside / "dask").exists() and not (inside / "SALib").exists()


def test_built_run_gives_the_source_trees_state_hash(built):
    proc = _run(built, "run", "--level", "tutorial", "--seed", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    frozen = json.loads(proc.stdout)
    source = play(shipped("tutorial"), 1, ["cautious"]).summary()
    assert frozen["state_hash"] == source["state_hash"]
    assert frozen["level_hash"] == shipped("tutorial").content_hash


def test_built_validate_reads_its_own_levels_and_a_users_file(built, tmp_path):
    exe = built[0]
    proc = _run(built, "validate")
    assert proc.returncode == 0, proc.stderr
    listed = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("ok")]
    assert len(listed) == len(list((ROOT / "levels").glob("*.yaml")))
    assert all(path.startswith(str(exe.parent)) for path in listed), listed  # from inside the build
    mine = tmp_path / "mis niveles" / "taller.yaml"
    mine.parent.mkdir()
    shutil.copy(ROOT / "levels" / "tutorial.yaml", mine)
    proc = _run(built, "validate", str(mine))
    assert proc.returncode == 0 and proc.stdout.startswith(f"ok  {mine}"), proc.stdout + proc.stderr
    broken = tmp_path / "roto.yaml"
    broken.write_text(mine.read_text(encoding="utf-8").replace("turns: 12", "turns: -3"), encoding="utf-8")
    proc = _run(built, "validate", str(broken))
    assert proc.returncode == 2 and f"{broken}: turns:" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_built_tour_renders_the_screens(built, tmp_path):
    out = tmp_path / "tour"
    proc = _run(built, "tour", "--out", str(out), "--lang", "en")
    assert proc.returncode == 0, proc.stderr[-3000:]
    shots = sorted(out.glob("*.png"))
    assert len(shots) >= 30 and proc.stdout.strip().endswith(f"{len(shots)} screens written to {out}")
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000 for p in shots)


def test_built_program_refuses_research_commands_in_one_line(built, tmp_path):
    proc = _run(built, "sensitivity", "--level", "tutorial", "--param", "player_firm.cash=1:2", "--outcome", "p1_score", "--samples", "8", "--out", str(tmp_path / "s"))
    assert proc.returncode == 2 and proc.stderr.strip() == 'error: sensitivity needs SALib: install the research extra (pip install -e ".[research]")', proc.stderr


def test_built_sweep_with_two_worker_processes_gives_the_source_trees_rows(built, tmp_path):
    frozen, source = tmp_path / "frozen.csv", tmp_path / "source.csv"
    common = ["sweep", "--level", "tutorial", "--seeds", "3", "--policies", "default", "none", "--quiet"]
    proc = _run(built, *common, "--workers", "2", "--out", str(frozen))
    assert proc.returncode == 0, proc.stderr[-3000:]
    ran = subprocess.run([sys.executable, str(ROOT / "main.py"), *common, "--out", str(source)], capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stderr
    assert frozen.read_bytes() == source.read_bytes()


def test_built_program_starts_its_own_levels_from_their_shipped_entries(built):
    """The build carries levels/validated/ and the fingerprint it checked them against: the built
    program reads the tutorial's entry (shown by an entry changed on purpose, with its digest
    made to match, that the program then plays) and validates the level when the entry is gone."""
    import hashlib

    exe = built[0]
    entry = exe.parent / "_internal" / "levels" / "validated" / "tutorial.json"
    assert (entry.parent / "CODE").is_file() and len(list(entry.parent.glob("*.json"))) == len(list((ROOT / "levels").glob("*.yaml")))
    good = entry.read_bytes()
    head, _, body = good.partition(b"\n")
    assert b'"turns":12,' in body
    changed = body.replace(b'"turns":12,', b'"turns":11,', 1)
    header = json.loads(head)
    header["body"] = hashlib.sha256(changed).hexdigest()
    try:
        entry.write_bytes(json.dumps(header).encode() + b"\n" + changed)
        proc = _run(built, "run", "--level", "tutorial", "--json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["quarters_played"] == 11  # read from the entry, not validated
        entry.unlink()
        proc = _run(built, "run", "--level", "tutorial", "--json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["quarters_played"] == 12  # no entry: the level validated
    finally:
        entry.write_bytes(good)
