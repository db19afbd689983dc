"""Player settings: language, window size, fullscreen, UI scale, sound.

Kept in ``settings.json`` in the user folder. A damaged settings file is
reported once and the defaults are used; it is set aside (never written
over) the first time the settings are saved again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from game.text import DEFAULT_LANG, LANGS
from game.ui import paths
from game.ui.files import FileDamaged, read_object, write_object

WINDOW_SIZES: tuple[tuple[int, int], ...] = ((1280, 720), (1600, 900), (1920, 1080))
UI_SCALES: tuple[float, ...] = (0.85, 1.0, 1.15, 1.3)
MIN_SIZE = (960, 540)


@dataclass
class Settings:
    lang: str = DEFAULT_LANG
    width: int = 1280
    height: int = 720
    fullscreen: bool = False
    ui_scale: float = 1.0
    sound: bool = True
    problem: str | None = field(default=None, compare=False)
    """Why the file could not be used (shown once), or None."""

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("problem")
        return data


def _clean(data: dict) -> Settings:
    s = Settings()
    lang = data.get("lang")
    if lang in LANGS:
        s.lang = lang
    for name in ("width", "height"):
        value = data.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and 320 <= value <= 10_000:
            setattr(s, name, value)
    s.width, s.height = max(s.width, MIN_SIZE[0]), max(s.height, MIN_SIZE[1])
    if isinstance(data.get("fullscreen"), bool):
        s.fullscreen = data["fullscreen"]
    if isinstance(data.get("sound"), bool):
        s.sound = data["sound"]
    scale = data.get("ui_scale")
    if isinstance(scale, (int, float)) and not isinstance(scale, bool):
        s.ui_scale = min(UI_SCALES, key=lambda u: abs(u - float(scale)))
    return s


def load(path: Path | None = None) -> Settings:
    """The saved settings; defaults (with ``problem`` saying why) when they cannot be read."""
    try:
        path = path or paths.settings_path()
        data = read_object(path)
    except (FileDamaged, OSError) as exc:
        s = Settings()
        s.problem = str(exc)
        return s
    return Settings() if data is None else _clean(data)


def save(settings: Settings, path: Path | None = None) -> None:
    write_object(path or paths.settings_path(), settings.to_dict())


__all__ = ["Settings", "load", "save", "WINDOW_SIZES", "UI_SCALES"]
