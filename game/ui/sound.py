"""Short interface sounds, synthesised (no sound files to ship): a click, a chime, a refusal.

Only in the real window and only when the setting is on; any audio problem
just turns sound off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pygame


class Sounds:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._ready = False
        self._sounds: dict[str, pygame.mixer.Sound] = {}

    def _init(self) -> None:
        self._ready = True
        try:
            import pygame

            pygame.mixer.init(frequency=22050, size=-16, channels=1)
            mixer = pygame.mixer.get_init()
            if mixer is None:
                raise pygame.error("no audio mixer")
            rate, _, channels = mixer

            def tone(freqs: list[float], length: float) -> pygame.mixer.Sound:
                t = np.arange(int(rate * length)) / rate
                wave = sum(np.sin(2 * np.pi * f * t) for f in freqs) / len(freqs)
                env = np.minimum(1.0, (length - t) * 20) * np.minimum(1.0, t * 200)
                data = (wave * env * 0.25 * 32767).astype(np.int16)
                if channels > 1:
                    data = np.repeat(data[:, None], channels, axis=1)
                return pygame.sndarray.make_sound(np.ascontiguousarray(data))

            self._sounds = {
                "click": tone([880.0], 0.04),
                "ok": tone([660.0, 990.0], 0.18),
                "refused": tone([220.0, 233.0], 0.22),
                "quarter": tone([523.0, 659.0, 784.0], 0.35),
            }
        except Exception:  # noqa: BLE001 - no audio device: stay silent
            self.enabled = False

    def play(self, name: str) -> None:
        if not self.enabled:
            return
        if not self._ready:
            self._init()
        snd = self._sounds.get(name)
        if snd is not None:
            try:
                snd.play()
            except Exception:  # noqa: BLE001
                self.enabled = False
