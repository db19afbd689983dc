"""The window's Tr remembers each text it rendered (game/ui/texts.py): a text asked again,
with the same params, is what game.text renders, whatever the params' types."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from game import text as core_text
from game.text import I18N_DIR
from game.ui.texts import Tr


def test_a_remembered_text_is_the_text_rendered_again() -> None:
    for lang in core_text.LANGS:
        tr = Tr(lang)
        keys = sorted(json.loads((I18N_DIR / f"{lang}.json").read_text(encoding="utf-8")))
        cases: list[tuple[str, dict[str, Any]]] = []
        for key in keys[::7]:
            template = core_text._texts(lang)[key]
            names = set(re.findall(r"{(\w+)", template))
            base = core_text.base_key(key)
            for value in (0, 1, 2, 1.0, 1.5, -0.0, 0.0, True, np.int64(3), np.float64(2.5), "x"):
                cases.append((base, {name: value for name in names}))
        cases.append(("ui.quarter.status_idle", {"points": [1]}))  # cannot be hashed: rendered each time
        assert len(cases) > 500
        for _ in range(2):  # the second round comes from memory
            for key, params in cases:
                assert tr(key, **params) == core_text.t_safe(key, lang, **params), (key, params)
        assert tr._memo, "nothing was remembered"
