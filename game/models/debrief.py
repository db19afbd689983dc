"""The debrief's models: a recorded session re-run with one change (what if), and the
session exported into a folder (the same files as ``python main.py export``).

A session here is anything with the window session's recording interface
(``recorder``, ``state``, ``level``, ``firm_id``, ``save_replay``): the window's
:class:`game.ui.session.Session`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.core.actions import Refusal
from game.core.replay import (
    ReplayError,
    SessionPath,
    WhatIf,
    WhatIfRefused,
    what_if,
    write_json_unique,
)
from game.headless.export import export_session


class NothingToExport(Exception):
    """No quarter has been played yet."""


def session_replay_file(session: Any, folder: Path) -> Path:
    """The session's replay, written into ``folder`` (what-if and export read it)."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return write_json_unique(folder, f"{session.state.level_id}-{stamp}-debrief", ".replay.json", session.replay_dict())


def export_into(session: Any, user_dir: Path, replays_dir: Path, lang: str) -> Path:
    """Export the session (CSV, replay, charts, summary) into a new folder under
    ``user_dir/exports``; returns that folder. Raises NothingToExport, OSError,
    ReplayError or ValueError."""
    if session is None or not session.recorder.turns:
        raise NothingToExport
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = user_dir / "exports" / f"{session.state.level_id}-{stamp}"
    n = 2
    while out.exists():
        out = out.with_name(f"{session.state.level_id}-{stamp}-{n}")
        n += 1
    export_session(session_replay_file(session, replays_dir), out, lang=lang)
    return out


@dataclass
class WhatIfChoice:
    mode: str = "policy"
    """"policy": switch a catalyst policy; "team": a computer strategy in place of a team."""
    policy: int = 0
    on: bool = True
    team: int = 0
    strategy: str = "cautious"
    quarter: int = 1


@dataclass
class WhatIfRow:
    quarter: int
    same: bool
    """Both paths have the same state hash after this quarter."""
    a: dict[str, Any]
    """The recorded quarter's snapshot."""
    b: dict[str, Any] | None
    """The changed path's snapshot (None once it has stopped)."""


@dataclass
class WhatIfView:
    change: WhatIf
    original: SessionPath | None = None
    changed: SessionPath | None = None
    first: int | None = None
    skipped: int = 0
    refusal: Refusal | None = None
    """The change was refused by the rules (the window says why)."""
    problem: str | None = None
    """The replay could not be written or read."""
    rows: list[WhatIfRow] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.refusal is not None or self.problem is not None


def policy_on_at(session: Any, k: int, quarter: int) -> bool:
    """Was policy ``k`` on during ``quarter`` in the recorded session? (set-up, then the switches)."""
    level = session.level
    pid = level.policies[k].id
    on = bool(session.recorder.policies.get(pid, level.policies[k].active))
    for m in session.state.timeline:
        if m.get("kind") == "policy" and m.get("policy") == pid and int(m["quarter"]) <= quarter:
            on = bool(m["on"])
    return on


def run_what_if(session: Any, choice: WhatIfChoice, replays_dir: Path) -> WhatIfView:
    """Save the session's replay and re-run it with the change; both paths side by side."""
    if choice.mode == "policy":
        pol = session.level.policies[choice.policy]
        change = WhatIf(quarter=choice.quarter, policy=pol.id, on=choice.on)
    else:
        change = WhatIf(quarter=choice.quarter, firm=session.firm_id(choice.team), strategy=choice.strategy)
    view = WhatIfView(change)
    try:
        original, changed, first = what_if(session_replay_file(session, replays_dir), change)
    except WhatIfRefused as exc:
        view.refusal = exc.refusal
        return view
    except (ReplayError, OSError) as exc:
        view.problem = str(exc)
        return view
    view.original, view.changed, view.first, view.skipped = original, changed, first, len(changed.skipped)
    a_hist, b_hist = original.game.state.history, changed.game.state.history
    for k, a in enumerate(a_hist):
        same = k < len(original.hashes) and k < len(changed.hashes) and original.hashes[k] == changed.hashes[k]
        view.rows.append(WhatIfRow(a["quarter"], same, a, b_hist[k] if k < len(b_hist) else None))
    return view
