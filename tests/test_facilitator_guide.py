"""docs/facilitator.md explains how to read the firm's books in the window, in Spanish and
English, with the window's own words: every label it quotes is a text the window shows
today (so renaming one in assets/i18n without the guide fails here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = {"es": "### Leer las cuentas de la empresa", "en": "### Reading the firm's books"}
MUST_QUOTE = (
    "ui.side.cash", "ui.side.runway", "ui.side.due_next", "ui.side.due_later", "ui.firm.books_title",
    "ui.books.revenue_total", "ui.books.costs_total", "ui.books.profit", "ui.books.opening", "ui.books.closing",
    "ui.firm.finances", "ui.firm.contracts",
    "ui.books.view_news", "ui.books.view_books", "ui.books.income_title", "ui.books.cash_title",
    "ui.calls.view_requirements", "ui.calls.view_money", "ui.calls.money.margin", "ui.calls.money.displaced",
    "ui.calls.money.first_cash",
)  # fmt: skip


def _shown(template: str) -> str:
    """A template as the guide quotes it: placeholders gone (a quarter as N), spaces tidied."""
    text = re.sub(r"\{quarter\}", "N", template)
    text = re.sub(r"\{[^}]+\}", "", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ([.,:;)])", r"\1", text).strip()


def _section(lang: str) -> str:
    guide = (ROOT / "docs" / "facilitator.md").read_text(encoding="utf-8")
    start = guide.index(SECTIONS[lang])
    end = guide.index("\n## ", start)
    return guide[start:end]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_guide_reads_the_books_with_the_windows_words(lang):
    texts = json.loads((ROOT / "assets" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    section = _section(lang)
    quoted = set(re.findall(r'"([^"\n]+)"', section.replace("\n  ", " ").replace("\n", " ")))
    known = {_shown(v) for v in texts.values()}
    unknown = sorted(q for q in quoted if _shown(q) not in known and not any(part.strip() in known for part in q.split(" / ")))
    assert not unknown, f"quoted in the guide but not shown by the window: {unknown}"
    missing = [k for k in MUST_QUOTE if f'"{_shown(texts[k])}"' not in " ".join(f'"{_shown(q)}"' for q in quoted)]
    assert not missing, f"the guide does not say where to find: {[texts[k] for k in missing]}"
