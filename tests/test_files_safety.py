"""Nothing lost: saves never collide, exports never overwrite, CSV cells are never formulas."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.core.facilitator import QuarterNote
from game.core.level_loader import load_level
from game.core.replay import (
    JournaledFile,
    Recorder,
    journal_path,
    read_json,
    write_json_atomic,
    write_json_new,
    write_json_unique,
)
from game.headless import export as export_mod
from game.headless.export import FORMULA_STARTS, ExportRefused, export_session, neutralise

ROOT = Path(__file__).resolve().parents[1]


def test_write_json_new_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_json_new(target, {"n": 1})
    with pytest.raises(FileExistsError):
        write_json_new(target, {"n": 2})
    assert json.loads(target.read_text(encoding="utf-8")) == {"n": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]  # no temp file left behind


def _race(args: tuple[str, int]) -> list[str]:
    folder, who = args
    return [write_json_unique(folder, "cluster-q03-20261206-203000", ".json", {"who": who, "k": k}).name for k in range(15)]


def test_two_windows_saving_in_the_same_second_get_two_files(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        names = sum(pool.map(_race, [(str(tmp_path), 0), (str(tmp_path), 1)]), [])
    assert len(names) == len(set(names)) == 30
    contents = [json.loads((tmp_path / n).read_text(encoding="utf-8")) for n in names]
    assert sorted((c["who"], c["k"]) for c in contents) == sorted((w, k) for w in (0, 1) for k in range(15))


def test_atomic_write_fsyncs_the_folder_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real_fsync(fd)

    def replace(a: str, b: str) -> None:
        calls.append("rename")
        real_replace(a, b)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_json_atomic(tmp_path / "s.json", {"a": 1})
    assert calls == ["file", "rename", "dir"]


def _session(tmp_path: Path, names: list[str], note: str) -> tuple[Path, Recorder]:
    import numpy as np

    from game.core.strategies import STRATEGY_FUNCTIONS

    rec = Recorder.start(load_level("tutorial"), seed=3, players=len(names), names=names)
    rngs = [np.random.default_rng(p) for p in range(len(names))]
    for q in range(1, 4):
        if q == 2:
            assert rec.try_apply(QuarterNote(note)) is None
        for p in range(len(names)):
            for action in STRATEGY_FUNCTIONS["growth"](rec.game.state, rec.game.rules, p, rngs[p]):
                rec.try_apply(action)
        rec.end_quarter()
    path = tmp_path / "session.replay.json"
    rec.save(path)
    return path, rec


PAYLOADS = ["=HYPERLINK(\"http://x\")", "+1+2", "-3+cmd|' /C calc'!A0", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def test_neutralise_each_payload_and_leaves_numbers_alone() -> None:
    for p in PAYLOADS:
        assert neutralise(p) == "'" + p
    assert neutralise(-5) == -5 and neutralise(-0.25) == -0.25 and neutralise(0) == 0
    assert neutralise("Jaguar") == "Jaguar" and neutralise("") == ""


def test_every_csv_neutralises_every_payload(tmp_path: Path) -> None:
    # Names and notes reject control characters, so tab/CR payloads reach the CSV writer directly below.
    printable = [p for p in PAYLOADS if p[0] not in "\t\r"]
    path, _ = _session(tmp_path, printable, printable[0])
    out = tmp_path / "out"
    files = export_session(path, out, lang="es")
    seen = set()
    for f in files:
        if f.suffix != ".csv":
            continue
        for row in csv.reader(open(f, encoding="utf-8", newline="")):
            for cell in row:
                if cell.startswith(FORMULA_STARTS):
                    float(cell)  # only a number may start with - or +: raises for text
                seen.update(p for p in printable if cell == "'" + p)
    assert seen == set(printable)
    # The tab/CR payloads through the same writer every CSV uses.
    target = tmp_path / "direct.csv"
    export_mod._write_csv(target, [{"team": p, "cash": -7} for p in PAYLOADS])
    rows = list(csv.DictReader(open(target, encoding="utf-8", newline="")))
    assert [r["team"] for r in rows] == ["'" + p for p in PAYLOADS] and {r["cash"] for r in rows} == {"-7"}


def test_export_refuses_a_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    path, _ = _session(tmp_path, ["A", "B"], "nota")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    proc = subprocess.run([sys.executable, "main.py", "export", str(path), "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "not empty" in proc.stderr and "--force" in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    proc = subprocess.run([sys.executable, "main.py", "export", str(path), "--out", str(out), "--force"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep" and (out / "teams.csv").exists()


def test_export_never_writes_over_its_own_input(tmp_path: Path) -> None:
    path, rec = _session(tmp_path, ["A", "B"], "nota")
    out = tmp_path / "out"
    out.mkdir()
    own = out / "replay.json"
    own.write_bytes(path.read_bytes())
    # Make the input distinguishable from what the export would write.
    data = json.loads(own.read_text(encoding="utf-8"))
    data["extra"] = "original"
    own.write_text(json.dumps(data), encoding="utf-8")
    before = own.read_bytes()
    with pytest.raises(ExportRefused, match="own input"):
        export_session(own, out, force=True)
    assert own.read_bytes() == before
    proc = subprocess.run([sys.executable, "main.py", "export", str(own), "--out", str(out), "--force"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "own input" in proc.stderr and own.read_bytes() == before


def test_a_failed_export_leaves_no_half_written_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = _session(tmp_path, ["A", "B"], "nota")

    def boom(*args: object) -> list[str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_mod, "_charts", boom)
    out = tmp_path / "out"
    with pytest.raises(OSError):
        export_session(path, out)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.replay.json"]


def test_dollar_signs_in_names_are_plain_text_in_charts(tmp_path: Path) -> None:
    path, _ = _session(tmp_path, ["$x^{2", "Costo $5 y $6", "a_$b$"], "$$")
    files = export_session(path, tmp_path / "out", lang="en")
    assert sum(1 for f in files if f.suffix == ".png") == 5


# -- kill -9 and a full disk on the new-save path ---------------------------------

_SAVER = """
import signal, sys, resource
from game.core.replay import write_json_unique
folder, mode = sys.argv[1], sys.argv[2]
data = {"format": "enclave-save", "payload": ["x" * 1000] * 400}
if mode == "full":
    # A real write error from the kernel: files may not grow past 64 KiB (EFBIG, as ENOSPC would).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
    try:
        write_json_unique(folder, "cluster-q05", ".json", data)
    except OSError as exc:
        print("refused", exc.errno)
        sys.exit(0)
    sys.exit("the save should not fit")
print("ready", flush=True)
while True:
    write_json_unique(folder, "cluster-q05", ".json", data)
"""


def _saver(folder: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _SAVER, str(folder), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_a_save_killed_midway_leaves_only_complete_saves(tmp_path: Path) -> None:
    """kill -9 while saves are being written: every save under its own name is complete
    (the name appears only once the file is whole and on disk); earlier saves are intact."""
    earlier = write_json_unique(tmp_path, "cluster-q04", ".json", {"format": "enclave-save", "quarter": 4})
    for delay in (0.05, 0.2, 0.45):
        proc = _saver(tmp_path, "loop")
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.kill()
        proc.wait()
    named = sorted(p for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert len(named) > 3, named
    for path in named:
        json.loads(path.read_text(encoding="utf-8"))  # complete, or this raises
    assert json.loads(earlier.read_text(encoding="utf-8")) == {"format": "enclave-save", "quarter": 4}


def test_a_full_disk_refuses_the_new_save_and_touches_nothing(tmp_path: Path) -> None:
    earlier = write_json_unique(tmp_path, "cluster-q05", ".json", {"format": "enclave-save", "quarter": 5})
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    proc = _saver(tmp_path, "full")
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out.split()[0] == "refused", out
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before, "no partial save, no temp file left"
    assert earlier.name in before


# -- the host's journaled session file ----------------------------------------------


def test_a_journaled_file_reads_back_its_latest_complete_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "room.session.json"
    journal = JournaledFile(path)
    journal.compact({"format": "s", "n": 0})
    for n in range(1, 6):
        journal.write({"format": "s", "n": n})
    assert json.loads(path.read_text(encoding="utf-8"))["n"] == 0  # the file itself was not rewritten
    assert read_json(path, "session")["n"] == 5
    # A line cut short by a kill was never acknowledged: the reader skips it.
    with open(journal_path(path), "ab") as fh:
        fh.write(b'{"format":"s","n":6,"comm')
    assert read_json(path, "session")["n"] == 5
    journal.close()


def test_a_journal_is_folded_into_its_file_when_full_and_on_close(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from game.core import replay as replay_mod

    monkeypatch.setattr(replay_mod, "JOURNAL_LIMIT", 200)
    path = tmp_path / "room.session.json"
    journal = JournaledFile(path)
    journal.compact({"format": "s", "n": 0})
    folded = []
    for n in range(1, 30):
        journal.write({"format": "s", "pad": "x" * 40, "n": n})
        folded.append(journal_path(path).stat().st_size == 0)
        assert read_json(path, "session")["n"] == n
        assert journal_path(path).stat().st_size <= 200
    assert any(folded) and not all(folded)
    journal.compact({"format": "s", "n": 99})
    assert json.loads(path.read_text(encoding="utf-8"))["n"] == 99 and journal_path(path).stat().st_size == 0
    journal.close()


def test_a_file_newer_than_its_journal_wins(tmp_path: Path) -> None:
    """Killed between folding the snapshot into the file and emptying the journal: the
    journal's older lines must not win over the file."""
    path = tmp_path / "room.session.json"
    write_json_atomic(path, {"format": "s", "n": 9, "commit": 9})
    journal_path(path).write_text("".join(json.dumps({"format": "s", "n": k, "commit": k}) + "\n" for k in range(3, 9)), encoding="utf-8")
    assert read_json(path, "session")["n"] == 9


_JOURNAL_WRITER = """
import sys
from game.core.replay import JournaledFile
journal = JournaledFile(sys.argv[1])
journal.compact({"format": "s", "n": 0, "pad": "x" * 3000})
n = 0
while True:
    n += 1
    journal.write({"format": "s", "n": n, "pad": "x" * 3000})
    print(n, flush=True)
"""


def test_a_journal_killed_at_any_moment_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "room.session.json"
    for delay in (0.1, 0.3, 0.6):
        proc = subprocess.Popen([sys.executable, "-c", _JOURNAL_WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.stdout is not None
        first = proc.stdout.readline()
        time.sleep(delay)
        proc.kill()
        out, _ = proc.communicate()
        acknowledged = int((first + out).split()[-1])
        got = read_json(path, "session")["n"]
        assert got >= acknowledged, (got, acknowledged)
        assert got <= acknowledged + 1
