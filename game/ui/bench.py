"""`python main.py bench-ui`: the window's figures (not a pass/fail test).

- frame time (median and 95th percentile) on the busiest screen (the quarter
  screen's cluster map and calls, mid-game, with the mouse moving over it) at
  1280x720 and 1920x1080;
- time from start to the first drawn frame (a fresh process);
- CPU use while idle on the quarter screen (the real main loop, no events);
- peak memory (resident set size) of that process.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from game.ui.app import App

ROOT = Path(__file__).resolve().parents[2]


class _TabbedScreen(Protocol):
    tab: str
    tab_state: dict[str, dict[str, Any]]
    coach: Any  # the tutorial's coach (game.ui.coach.Coach), None outside the tutorial

    def rebuild(self) -> None: ...

    def show_tab(self, name: str) -> None: ...

    def rebuild_tab(self) -> None: ...

    def perform(self, kind: str, **params: Any) -> bool: ...


def _quarter_screen(app: App) -> _TabbedScreen:
    """The quarter screen on top, seen as what the benchmark changes (its tab)."""
    if app.top.name != "quarter":
        raise RuntimeError(f"expected the quarter screen, not {app.top.name}")
    return cast(_TabbedScreen, app.top)


def _frames(size: tuple[int, int], frames: int) -> dict[str, float]:
    import pygame

    from game.ui.nav import NewGame, NextTurn, TurnFinished, in_game
    from game.ui.settings import Settings
    from game.ui.tour import stand_in_turn
    from game.ui.window import new_app

    app = new_app(Settings(width=size[0], height=size[1], sound=False), headless=True, size=size)
    app.navigate(in_game(NewGame("bajio_automotive")))
    session = app.session
    assert session is not None
    for _ in range(6):
        stand_in_turn(session)
        session.finish_turn()
    app.navigate(in_game(NextTurn()))
    out: dict[str, float] = {}

    def timed(action: Any) -> tuple[float, float]:
        """Wall and CPU milliseconds of one input and the frame that shows its result."""
        c0, t0 = time.process_time(), time.perf_counter()
        action()
        app.step(dt=1 / 60)
        return (time.perf_counter() - t0) * 1000.0, (time.process_time() - c0) * 1000.0

    def settle() -> None:
        """A player reads before clicking: frames go by, then the loop's idle wake-ups
        (:meth:`App.idle`: garbage collected, the other tabs built ahead)."""
        for _ in range(10):
            app.step(dt=1 / 60)
        for _ in range(12):
            app.idle()

    # A tab switch: the player opens each tab in turn, three rounds, reading in between.
    switches: list[tuple[float, float]] = []
    settle()
    for _ in range(3):
        for tab in ("firm", "decisions", "calls", "cooperation", "policies", "map"):
            quarter = _quarter_screen(app)
            switches.append(timed(lambda q=quarter, t=tab: q.show_tab(t)))
            for _ in range(10):
                app.step(dt=1 / 60)
    # A selection (a call's row, a price): the open tab is built again, the frame stays.
    selections: list[tuple[float, float]] = []
    quarter = _quarter_screen(app)
    quarter.show_tab("calls")
    session_calls = [r.id for r in session.state.rfqs]  # the quarter's open calls
    for k in range(12):
        memory = quarter.tab_state["calls"]
        rid = session_calls[k % max(1, len(session_calls))] if session_calls else None

        def select(m: dict[str, Any] = memory, r: Any = rid) -> None:
            m["rfq"] = r
            _quarter_screen(app).rebuild_tab()

        selections.append(timed(select))
        settle()
    # A decision that changes the state: the screen shows its consequences everywhere.
    # Training when the firm can pay for it, else a loan (with the form's first choices),
    # else another decision the core accepts; a refused one only if none is possible.
    decisions: list[tuple[float, float]] = []
    changed = 0
    for _ in range(4):
        quarter = _quarter_screen(app)
        quarter.show_tab("decisions")
        for _ in range(3):
            kind, params = _possible_decision(session, app.tr)
            before = session.game.hash()
            decisions.append(timed(lambda k=kind, p=params: _quarter_screen(app).perform(k, **p)))
            changed += session.game.hash() != before
            settle()
        stand_in_turn(session)
        app.navigate(in_game(TurnFinished()))
        app.step(dt=1 / 60)
        app.navigate(in_game(NextTurn()))
        settle()
    out["decision_changed_n"] = changed
    for name, runs in (("switch", switches), ("select", selections), ("decision", decisions)):
        out.update({f"{name}_{key}": value for key, value in _responses(runs).items()})
    for tab in ("map", "calls", "decisions"):
        quarter = _quarter_screen(app)
        quarter.tab = tab
        quarter.rebuild()
        times = []
        w, h = size
        for k in range(frames):
            x = int(w * (0.3 + 0.6 * ((k * 37) % 100) / 100))
            y = int(h * (0.2 + 0.7 * ((k * 61) % 100) / 100))
            event = pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(1, 1), buttons=(0, 0, 0))
            t0 = time.perf_counter()
            app.step([event], dt=1 / 60)
            times.append((time.perf_counter() - t0) * 1000.0)
        times.sort()
        out[f"{tab}_median_ms"] = statistics.median(times)
        out[f"{tab}_p95_ms"] = _p95(times)
    app.close()
    return out


def _tutorial_switches(size: tuple[int, int]) -> dict[str, float]:
    """Tab switches in the tutorial's first quarter, the coach on: opening a tab often moves
    its advice (the quarter screen then takes the new advice without a whole rebuild)."""
    from game.ui.nav import NewGame, in_game
    from game.ui.settings import Settings
    from game.ui.window import new_app

    app = new_app(Settings(width=size[0], height=size[1], sound=False), headless=True, size=size)
    app.navigate(in_game(NewGame("tutorial")))
    runs: list[tuple[float, float]] = []
    moved = 0
    for _ in range(3):
        for tab in ("firm", "decisions", "calls", "cooperation", "policies", "map"):
            for _ in range(10):
                app.step(dt=1 / 60)
            for _ in range(12):
                app.idle()
            quarter = _quarter_screen(app)
            before = quarter.coach.current if quarter.coach is not None else None
            c0, t0 = time.process_time(), time.perf_counter()
            quarter.show_tab(tab)
            app.step(dt=1 / 60)
            runs.append(((time.perf_counter() - t0) * 1000.0, (time.process_time() - c0) * 1000.0))
            moved += quarter.coach is not None and quarter.coach.current != before
    app.close()
    return {**_responses(runs), "moved": moved}


def _responses(runs: list[tuple[float, float]]) -> dict[str, float]:
    """p50 and p95 of the wall and CPU milliseconds of (wall, CPU) responses, and how many."""
    walls = sorted(w for w, _ in runs)
    cpus = sorted(c for _, c in runs)
    return {"p50_ms": statistics.median(walls), "p95_ms": _p95(walls), "cpu_p50_ms": statistics.median(cpus), "cpu_p95_ms": _p95(cpus), "n": len(runs)}


def _possible_decision(session: Any, tr: Any) -> tuple[str, dict[str, Any]]:
    """A decision the core would accept now (kind and parameters), for the decision figure."""
    from game.models import actions as ui_actions
    from game.models import decisions as model

    kinds = ["train_staff", "take_loan", *[k for k in ui_actions.action_kinds() if k not in ("train_staff", "take_loan", "bid")]]
    for kind in kinds:
        params = {p.name: p.default for p in model.params_for(session, kind, tr) if p.default is not None}
        if model.preview(session, kind, params, tr).refusal_text is None:
            return kind, params
    return "train_staff", {}


def _p95(sorted_values: list[float]) -> float:
    """The 95th percentile (nearest rank) of sorted values."""
    return sorted_values[max(0, math.ceil(0.95 * len(sorted_values)) - 1)]


def _child(mode: str, seconds: float, size: tuple[int, int] = (1280, 720)) -> dict[str, float]:
    """Run a measurement in a fresh interpreter (start-up time, idle CPU, memory)."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "disk", "SDL_DISKAUDIOFILE": os.devnull, "ENCLAVE_HOME": tempfile.mkdtemp(prefix="enclave-bench-")}
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from game.ui.bench import child_main; child_main({mode!r}, {seconds!r}, {size[0]}, {size[1]})"
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "bench child failed")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall_s"] = wall
    return data


def _peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM: reset by exec, unlike ru_maxrss after a fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child_main(mode: str, seconds: float, width: int = 1280, height: int = 720) -> None:
    t_start = time.perf_counter()
    from game.ui.nav import NewGame, NextTurn, Reset, Title, TurnFinished, in_game
    from game.ui.settings import Settings
    from game.ui.window import new_app

    app = new_app(Settings(sound=False), headless=True, size=(width, height))
    app.navigate(Reset((Title(),)))
    app.draw()
    first_frame = time.perf_counter() - t_start
    out = {"first_frame_s": first_frame}
    if mode == "idle":
        import pygame

        from game.ui.screens.tabs import TABS
        from game.ui.tour import stand_in_turn

        # A session: four quarters of the Bajío level, every tab of the quarter
        # screen opened each quarter, the report after each; then the real loop
        # idles on the quarter screen.
        app.navigate(in_game(NewGame("bajio_automotive")))
        for _ in range(4):
            for tab in TABS:
                quarter = _quarter_screen(app)
                quarter.tab = tab
                quarter.rebuild()
                app.step(dt=1 / 60)
            stand_in_turn(app.session)
            app.navigate(in_game(TurnFinished()))
            app.step(dt=1 / 60)
            app.navigate(in_game(NextTurn()))
            app.step(dt=1 / 60)
        app.draw()
        # The real loop, idle: no events at all, for ``seconds``, once the
        # start-up animations (the map's highlight, the coach) have finished.
        app.anim.stop_all()
        # The idle wake-ups after a rebuild first build the other tabs ahead (one a wake-up,
        # App.idle as the main loop calls it); that is the last click's work, timed here, and
        # the idle figure is what follows.
        c0 = time.process_time()
        wakeups = 0
        while app.idle():
            wakeups += 1
        out["warm_cpu_ms"] = (time.process_time() - c0) * 1000.0
        out["warm_wakeups"] = wakeups
        pygame.time.set_timer(pygame.QUIT, int(seconds * 1000), loops=1)
        c0 = time.process_time()
        w0 = time.perf_counter()
        app.run()
        out["idle_cpu_share"] = (time.process_time() - c0) / max(1e-9, time.perf_counter() - w0)
        out["idle_seconds"] = time.perf_counter() - w0
    out["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(out))


def run_bench_ui(quick: bool = False) -> dict[str, float]:
    from game.ui.tour import headless_env

    headless_env(os.environ.get("ENCLAVE_HOME") or tempfile.mkdtemp(prefix="enclave-bench-"))
    frames = 60 if quick else 300
    results: dict[str, float] = {}
    print("Enclave window benchmark (SDL dummy video driver; figures, not a pass/fail test)")
    for size in ((1280, 720), (1920, 1080)):
        r = _frames(size, frames)
        label = f"{size[0]}x{size[1]}"
        for tab in ("map", "calls", "decisions"):
            med, p95 = r[f"{tab}_median_ms"], r[f"{tab}_p95_ms"]
            results[f"{label}_{tab}_median_ms"] = med
            results[f"{label}_{tab}_p95_ms"] = p95
            print(f"  frame time, quarter screen ({tab}) {label}: median {med:.2f} ms, p95 {p95:.2f} ms  (target p95 < 8 ms)")
        for name, what, target in (
            ("switch", "a tab switch", 16),
            ("select", "a selection (the open tab built again in place)", 50),
            ("decision", "a decision (state changed: status line, sidebar and open tab built again in place)", 50),
        ):
            for key in ("p50_ms", "p95_ms", "cpu_p50_ms", "cpu_p95_ms"):
                results[f"{label}_{name}_{key}"] = r[f"{name}_{key}"]
            print(
                f"  {what} {label}, input to drawn frame over {int(r[f'{name}_n'])}: wall p50 {r[f'{name}_p50_ms']:.1f} ms, p95 {r[f'{name}_p95_ms']:.1f} ms; "
                f"CPU p50 {r[f'{name}_cpu_p50_ms']:.1f} ms, p95 {r[f'{name}_cpu_p95_ms']:.1f} ms  (target p95 < {target} ms)"
                + (f"; {int(r['decision_changed_n'])} of them changed the state" if name == "decision" else "")
            )
        t = _tutorial_switches(size)
        for key in ("p50_ms", "p95_ms", "cpu_p50_ms", "cpu_p95_ms"):
            results[f"{label}_tutorial_switch_{key}"] = t[key]
        print(
            f"  a tab switch in the tutorial {label} (the coach on; it moved on {int(t['moved'])} of {int(t['n'])}): wall p50 {t['p50_ms']:.1f} ms, "
            f"p95 {t['p95_ms']:.1f} ms; CPU p50 {t['cpu_p50_ms']:.1f} ms, p95 {t['cpu_p95_ms']:.1f} ms  (target p95 < 16 ms)"
        )
    start = _child("start", 0)
    results["first_frame_s"] = start["first_frame_s"]
    print(f"  start to first drawn frame: {start['first_frame_s']:.2f} s in-process, {start['wall_s']:.2f} s with interpreter start  (target < 2 s)")
    for size in ((1280, 720), (1920, 1080)):
        label = f"{size[0]}x{size[1]}"
        idle = _child("idle", 3.0 if quick else 10.0, size)
        results[f"{label}_idle_cpu_share"] = idle["idle_cpu_share"]
        results[f"{label}_peak_rss_mb"] = idle["peak_rss_mb"]
        print(f"  building the other tabs ahead after a rebuild {label}: {idle['warm_cpu_ms']:.0f} ms CPU over {int(idle['warm_wakeups'])} idle wake-ups")
        print(f"  idle quarter screen {label}: {idle['idle_cpu_share'] * 100:.1f}% of one core over {idle['idle_seconds']:.1f} s  (target < 10%)")
        print(f"  peak memory (RSS) of a session {label} (4 quarters, every tab, reports, then idle): {idle['peak_rss_mb']:.0f} MB  (target < 150 MB at 1920x1080)")
    return results
