"""The animation clock: cosmetic time, separate from the turn clock.

The game's time is the core's quarter; it moves only when a quarter
resolves. Animations (a figure counting up, a highlight pulsing on the map)
run on this clock, advanced by the real frame time. While no animation runs
the main loop sleeps on events; :attr:`AnimationClock.busy` tells it when
to keep drawing frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Animation:
    name: str
    start: float
    duration: float

    def progress(self, now: float) -> float:
        if self.duration <= 0:
            return 1.0
        return min(1.0, max(0.0, (now - self.start) / self.duration))


def ease_out(x: float) -> float:
    return 1.0 - (1.0 - x) ** 3


def pulse(x: float, cycles: float = 2.0) -> float:
    """0..1..0 a few times over the animation's life, fading out."""
    return (0.5 - 0.5 * math.cos(2 * math.pi * cycles * x)) * (1.0 - x)


class AnimationClock:
    """Seconds of animation time; animations are named and replaced by name."""

    def __init__(self) -> None:
        self.now = 0.0
        self._running: dict[str, Animation] = {}

    def advance(self, dt: float) -> None:
        self.now += max(0.0, min(dt, 0.25))
        for name in [n for n, a in self._running.items() if a.progress(self.now) >= 1.0]:
            del self._running[name]

    def start(self, name: str, duration: float) -> None:
        self._running[name] = Animation(name, self.now, duration)

    def progress(self, name: str) -> float | None:
        """0..1 while the animation runs, None once it is over (or never started)."""
        anim = self._running.get(name)
        return None if anim is None else anim.progress(self.now)

    def stop_all(self) -> None:
        self._running.clear()

    @property
    def busy(self) -> bool:
        return bool(self._running)
