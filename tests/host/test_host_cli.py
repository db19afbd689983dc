"""The `host` command: bad input is one message and exit 2; a host process killed with
SIGKILL mid-quarter is resumed from its file and every team rejoins with its token."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from game.cli import main
from game.core.replay import journal_path, read_json, run_replay

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "argv,words",
    [
        (["host"], "--level"),
        (["host", "--level", "no_such_level", "--no-browser"], "no_such_level"),
        (["host", "--level", "tutorial", "--pin", "12", "--no-browser"], "PIN"),
        (["host", "--level", "tutorial", "--teams", "9", "--no-browser"], "--teams"),
        (["host", "--resume", "missing.session.json", "--no-browser"], "missing.session.json"),
    ],
)
def test_bad_input_is_one_message_and_exit_2(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_resume_refuses_a_damaged_file_and_leaves_it_alone(tmp_path, capsys):
    bad = tmp_path / "s.json"
    bad.write_text('{"format": "enclave-window-save", "version": 1, "host": {}, "workshop": {}, "replay": {"format": "enclave-replay"}}')
    before = bad.read_bytes()
    assert main(["host", "--resume", str(bad), "--no-browser"]) == 2
    assert "s.json" in capsys.readouterr().err
    assert bad.read_bytes() == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list[str]) -> tuple[subprocess.Popen, str, int]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "main.py", "host", "--port", str(port), "--no-browser", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    room = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"código de sala: ([A-Z0-9]+)", line)
        if m:
            room = m.group(1)
            break
    assert room, "the host did not print its room code"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    return proc, room, port


def test_a_host_killed_mid_quarter_resumes_and_teams_rejoin_with_their_tokens(tmp_path):
    session = tmp_path / "kill.session.json"
    proc, room, port = _start(["--level", "tutorial", "--teams", "2", "--pin", "5555", "--session", str(session), "--seed", "4"])
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=20) as c:
            toks = [c.post("/api/join", json={"room": room, "name": n}).json()["token"] for n in ("Norte", "Sur")]
            fac = c.post("/api/fac/login", json={"pin": "5555"}).json()["token"]
            assert c.post("/api/fac/do", json={"op": "start"}, headers={"Authorization": f"Bearer {fac}"}).status_code == 200
            for k in range(2):
                assert c.post("/api/team/act", json={"action": {"type": "train_staff"}}, headers={"Authorization": f"Bearer {toks[k]}"}).status_code == 200
            assert c.post("/api/team/end", json={}, headers={"Authorization": f"Bearer {toks[0]}"}).status_code == 200
            assert c.post("/api/team/act", json={"action": {"type": "join_association"}}, headers={"Authorization": f"Bearer {toks[1]}"}).status_code == 200
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # no goodbye: the file must already hold every accepted action
        proc.wait(timeout=10)
        proc.stdout.close()
    # The last changes live in the session's journal (appended and flushed before each
    # answer); every reader takes the latest complete snapshot from file and journal.
    assert journal_path(session).stat().st_size > 0
    recorded = read_json(session, "session")
    assert recorded["replay"]["pending"] == [{"type": "train_staff", "firm": "p1"}, {"type": "train_staff", "firm": "p2"}, {"type": "join_association", "firm": "p2"}]
    assert recorded["done"] == [True, False]
    proc, room2, port = _start(["--resume", str(session)])
    try:
        assert room2 == room
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=20) as c:
            views = [c.get("/api/team/state", headers={"Authorization": f"Bearer {t}"}).json() for t in toks]
            assert [v["me"]["name"] for v in views] == ["Norte", "Sur"]
            assert views[0]["me"]["done"] is True and views[1]["me"]["done"] is False
            r = c.post("/api/team/end", json={}, headers={"Authorization": f"Bearer {toks[1]}"})
            assert r.json()["resolved"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
    # Stopped cleanly: the journal is folded into the file, which alone holds everything.
    assert journal_path(session).stat().st_size == 0
    assert json.loads(session.read_text())["quarter"] == 2
    assert run_replay(session).ok


def _announced(proc: subprocess.Popen) -> list[str]:
    """The lines the host prints before it serves (up to the projector's address)."""
    lines: list[str] = []
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if line.startswith("Projector"):
            break
    return lines


def _answers(url: str) -> bool:
    for _ in range(100):
        try:
            return httpx.get(url, timeout=2).status_code == 200
        except httpx.ConnectError:
            time.sleep(0.05)
        except httpx.HTTPError:
            return False
    return False


def test_bind_opens_the_host_to_the_rooms_network_only_when_asked(tmp_path):
    from game.host.launch import lan_addresses

    lan = lan_addresses()
    # Asked: every join address printed (one per network address of this machine) answers.
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "main.py", "host", "--port", str(port), "--no-browser", "--bind", "0.0.0.0", "--level", "tutorial", "--teams", "2", "--session", str(tmp_path / "lan.json")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = _announced(proc)
        assert any(line.startswith("Listening on the local network") for line in lines), lines
        joins = [line.split(": ", 1)[1] for line in lines if line.startswith("Join / unirse: ")]
        assert joins and [u.split("//")[1].split(":")[0] for u in joins] == (lan or ["127.0.0.1"]), (joins, lan)
        for url in joins:
            assert _answers(url), url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
    # Not asked: loopback only, it says so, and this machine's network addresses get no answer.
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "main.py", "host", "--port", str(port), "--no-browser", "--level", "tutorial", "--teams", "2", "--session", str(tmp_path / "local.json")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = _announced(proc)
        assert any(line.startswith("Bound to 127.0.0.1 only") for line in lines), lines
        assert _answers(f"http://127.0.0.1:{port}/")
        for ip in lan:
            with pytest.raises(OSError):
                socket.create_connection((ip, port), timeout=2).close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
