"""Player-facing text for the window: every string comes from the translation files.

:class:`Tr` binds the language: ``tr("ui.title.new_game")``. Text boxes take
pygame_gui's small HTML subset, so :meth:`Tr.html` escapes text and
:meth:`Tr.linked` also turns glossary terms into links that open the
glossary at that term.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from game import text as core_text

GLOSSARY_TERMS: tuple[str, ...] = (
    "enclave_cluster",
    "lead_firm",
    "tier1",
    "tier2",
    "tier3",
    "follow_source",
    "rfq",
    "catalyst",
    "consortium",
    "subcontracting",
    "university_agreement",
    "association",
    "supplier_development",
    "real_services",
    "reverse_factoring",
    "local_content",
    "cross_clustering",
    "policy_levels",
    "typology",
    "stage_primordial",
    "stage_evolutivo",
    "stage_consolidado",
    "stage_reposicionado",
    "life_cycle",
    "barrier_internal",
    "barrier_external",
    "barrier_mixed",
    "levers",
    "certification",
    "ppm",
    "on_time",
    "payment_terms",
    "runway",
    "action_points",
    "local_share",
    "balanced_scorecard",
    "capabilities",
)
"""Glossary entries: ``glossary.<term>`` (name), ``.desc`` (definition), ``.match`` (words linked in texts)."""


class Tr:
    """Texts of one language."""

    def __init__(self, lang: str, game_state: Callable[[], Any] | None = None):
        core_text._check_lang(lang)
        self.lang = lang
        self.game_state = game_state
        """The state of the game in the window (names calls and contracts in explanations)."""
        self._memo: dict[tuple[Any, ...], str] = {}

    def __call__(self, key: str, **params: Any) -> str:
        # A text is a function of its key and params (in this language): the same text asked
        # again (a screen built again after a click asks most of them) is not rendered again.
        # A param's type is part of the key (1, 1.0 and True render differently), and a float's
        # repr (0.0 and -0.0); a param that cannot be hashed renders each time.
        try:
            memo_key = (key, *[(k, type(v), v, repr(v) if isinstance(v, float) else None) for k, v in params.items()])
            found = self._memo.get(memo_key)
        except TypeError:
            return core_text.t_safe(key, self.lang, **params)
        if found is None:
            if len(self._memo) >= 8192:
                self._memo.clear()
            found = self._memo[memo_key] = core_text.t_safe(key, self.lang, **params)
        return found

    def money(self, pesos: float) -> str:
        return core_text.format_money(pesos, self.lang)

    def pct(self, share: float) -> str:
        return core_text.format_percent(share, self.lang)

    def num(self, value: float) -> str:
        return core_text.format_number(value)

    def tier(self, tier: int | str) -> str:
        return core_text.tier_label(tier, self.lang)

    def capability(self, name: str) -> str:
        return core_text.capability_label(name, self.lang)

    def stage(self, stage: str) -> str:
        return core_text.stage_label(stage, self.lang)

    def level_text(self, text: Any) -> str:
        """A level's bilingual Text in this language."""
        if text is None:
            return ""
        return str(getattr(text, self.lang, None) or getattr(text, "es", "") or "")

    def _state(self) -> Any:
        return self.game_state() if self.game_state is not None else None

    def explain(self, explanation: Any, level: Any = None) -> str:
        return core_text.explain(explanation, self.lang, level, state=self._state())

    def refusal(self, refusal: Any, level: Any = None) -> str:
        return core_text.refusal_text(refusal, self.lang, level, state=self._state())

    @staticmethod
    def html(text: str) -> str:
        """Escaped for a text box; very long words (file paths) get break points after slashes."""
        text = _LONG_WORD.sub(lambda m: m.group(0).replace("/", "/ ").replace("\\", "\\ "), text)
        return html.escape(text, quote=False).replace("\n", "<br>")

    def linked(self, text: str) -> str:
        """Escaped text with the first mention of each glossary term made a link."""
        out = self.html(text)
        pattern, lookup = _term_pattern(self.lang)
        if pattern is None:
            return out
        seen: set[str] = set()

        def link(m: re.Match[str]) -> str:
            term = lookup[m.group(1).lower()]
            if term in seen:
                return m.group(0)
            seen.add(term)
            # The punctuation right after the term goes inside the link: pygame_gui may break a
            # line between the link and the text after it, which would start a line with "." alone.
            return f"<a href='glossary:{term}'>{m.group(0)}</a>"

        return pattern.sub(link, out)


_LONG_WORD = re.compile(r"\S{36,}")


@cache
def _term_pattern(lang: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    lookup: dict[str, str] = {}
    for term in GLOSSARY_TERMS:
        raw = core_text.t_safe(f"glossary.{term}.match", lang)
        if raw == f"glossary.{term}.match":
            continue
        for phrase in raw.split(","):
            phrase = phrase.strip().lower()
            if phrase:
                lookup.setdefault(html.escape(phrase, quote=False), term)
    if not lookup:
        return None, {}
    words = sorted(lookup, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w<'/=-])({body})(?![\w>'])[.,;:!?)]*", re.IGNORECASE), lookup
