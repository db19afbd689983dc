"""`python main.py bench-host`: the real host command in a child process on loopback,
with teams x websocket clients, timed from the clients' side.

Figures: an action's round trip (HTTP POST until the reply: validated by the core,
recorded, the session file written and fsynced, every websocket told), the time from
the last team ending a quarter until every client was told it resolved (the quarter's
resolution included), and the host process's peak memory and CPU time (from /proc).
Only loopback traffic; bounded in count and time; the child is stopped at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PIN = "8642"
QUARTERS = 3
TIME_LIMIT = 300.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _proc_figures(pid: int) -> tuple[float, float]:
    """(peak resident MiB, CPU seconds) of a Linux process; (nan, nan) elsewhere."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        hwm = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return hwm, cpu
    except (OSError, AttributeError, ValueError, IndexError):
        return float("nan"), float("nan")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _bench(base: str, ws_url: str, room: str, teams: int, clients: int, actions: int) -> dict[str, Any]:
    import httpx
    from websockets.asyncio.client import connect

    told: dict[int, list[float]] = {}
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        tokens = []
        for k in range(teams):
            r = await http.post("/api/join", json={"room": room, "name": f"Equipo {k + 1}", "colour": k % 8})
            r.raise_for_status()
            tokens.append(r.json()["token"])
        r = await http.post("/api/fac/login", json={"pin": PIN})
        r.raise_for_status()
        fac = r.json()["token"]
        socks = []
        for k in range(teams):
            for _ in range(clients):
                ws = await connect(ws_url, max_size=2**20)
                await ws.send(json.dumps({"role": "team", "token": tokens[k]}))
                assert json.loads(await ws.recv())["type"] == "hello"
                socks.append(ws)

        async def listen(ws: Any) -> None:
            try:
                async for raw in ws:
                    msg = json.loads(raw)
                    if msg.get("event") == "resolved":
                        told.setdefault(int(msg["quarter"]), []).append(time.perf_counter())
            except Exception:  # closed at the end
                return

        listeners = [asyncio.create_task(listen(ws)) for ws in socks]
        auth = [{"Authorization": f"Bearer {t}"} for t in tokens]
        r = await http.post("/api/fac/do", json={"op": "start"}, headers={"Authorization": f"Bearer {fac}"})
        r.raise_for_status()
        trips: list[float] = []
        refused = 0
        fanout: list[float] = []
        resolve_reply: list[float] = []
        per_quarter = max(1, actions // QUARTERS)

        async def team_loop(k: int, n: int) -> None:
            nonlocal refused
            on = True
            for _ in range(n):
                t0 = time.perf_counter()
                r = await http.post("/api/team/act", json={"action": {"type": "serve_local", "on": on}}, headers=auth[k])
                dt = time.perf_counter() - t0
                if r.status_code == 200:
                    trips.append(dt)
                else:
                    refused += 1
                on = not on

        for _q in range(QUARTERS):
            quarter = (await http.get("/api/team/state", headers=auth[0])).json()["game"]["quarter"]
            share = [per_quarter // teams + (1 if k < per_quarter % teams else 0) for k in range(teams)]
            await asyncio.gather(*(team_loop(k, share[k]) for k in range(teams)))
            for k in range(teams - 1):
                (await http.post("/api/team/end", json={}, headers=auth[k])).raise_for_status()
            t0 = time.perf_counter()
            r = await http.post("/api/team/end", json={}, headers=auth[teams - 1])
            resolve_reply.append(time.perf_counter() - t0)
            r.raise_for_status()
            deadline = time.monotonic() + 30
            while len(told.get(quarter, [])) < len(socks) and time.monotonic() < deadline:
                await asyncio.sleep(0.001)
            if len(told.get(quarter, [])) < len(socks):
                raise RuntimeError(f"only {len(told.get(quarter, []))} of {len(socks)} clients were told quarter {quarter} resolved")
            fanout.append(max(told[quarter]) - t0)
        for ws in socks:
            await ws.close()
        for task in listeners:
            task.cancel()
    return {"trips": trips, "refused": refused, "fanout": fanout, "resolve_reply": resolve_reply, "clients": len(socks)}


def run_bench(teams: int = 8, clients: int = 5, actions: int = 200, level: str = "tutorial", out: Any = None) -> dict[str, Any]:
    out = out or sys.stdout
    teams = max(1, min(8, teams))
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="enclave-bench-host-")
    session = Path(folder) / "bench.session.json"
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, str(root / "main.py"), "host", "--level", level, "--teams", str(teams), "--port", str(port), "--pin", PIN, "--session", str(session), "--no-browser"]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=root)
    try:
        room = None
        deadline = time.monotonic() + 60
        assert child.stdout is not None
        while room is None and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                raise RuntimeError(f"the host exited before serving (exit {child.poll()})")
            m = re.search(r"código de sala: ([A-Z0-9]+)", line)
            if m:
                room = m.group(1)
        if room is None:
            raise RuntimeError("the host did not print its room code in time")
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        res = asyncio.run(asyncio.wait_for(_bench(base, f"ws://127.0.0.1:{port}/ws", room, teams, clients, actions), TIME_LIMIT))
        peak_mib, host_cpu = _proc_figures(child.pid)
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    wall = time.perf_counter() - wall0
    trips = [t * 1000 for t in res["trips"]]
    fan = [t * 1000 for t in res["fanout"]]
    reply = [t * 1000 for t in res["resolve_reply"]]
    figures = {
        "teams": teams,
        "clients": res["clients"],
        "actions": len(trips),
        "refused": res["refused"],
        "rtt_p50_ms": statistics.median(trips),
        "rtt_p95_ms": _pct(trips, 0.95),
        "resolved_told_all_ms": fan,
        "resolve_reply_ms": reply,
        "host_peak_mib": peak_mib,
        "host_cpu_s": host_cpu,
        "wall_s": wall,
        "client_cpu_s": time.process_time() - cpu0,
    }
    print(f"bench-host: {teams} teams x {clients} websocket clients = {res['clients']} clients on loopback, level {level}, {QUARTERS} quarters", file=out)
    print(f"action round trip (POST -> validated by the core, recorded, session file fsynced, the team's clients and the console told): p50 {figures['rtt_p50_ms']:.1f} ms, p95 {figures['rtt_p95_ms']:.1f} ms over {len(trips)} actions ({res['refused']} refused)", file=out)
    print(f"last team ends -> all {res['clients']} clients told the quarter resolved: " + ", ".join(f"{v:.0f}" for v in fan) + f" ms (median {statistics.median(fan):.0f} ms; the quarter's resolution included)", file=out)
    print(f"host process: peak memory {peak_mib:.0f} MiB, CPU {host_cpu:.2f} s; whole bench wall {wall:.1f} s, client-side CPU {figures['client_cpu_s']:.2f} s", file=out)
    return figures
