"""Plural forms in the translation files (CLDR rules through Babel): every pluralised
key renders with 0, 1 and 2 in both languages, and the sentences agree in number."""

from __future__ import annotations

import string

import pytest

from game import text


def _params(template: str, count: int) -> dict[str, object]:
    """Every placeholder filled: the count params with ``count``, the rest with a plain value."""
    out: dict[str, object] = {}
    for _, name, unit, _ in string.Formatter().parse(template):
        if name is None:
            continue
        if name in text.COUNT_PARAMS:
            out[name] = count
        elif unit in ("money", "number", "points"):
            out[name] = 1234
        elif unit == "percent":
            out[name] = 0.5
        elif unit == "tier":
            out[name] = 2
        else:
            out[name] = "X"
    return out


def test_the_languages_pluralise_the_same_keys():
    es, en = text.plural_keys("es"), text.plural_keys("en")
    assert es == en
    assert len(es) >= 20, es


@pytest.mark.parametrize("lang", text.LANGS)
def test_every_pluralised_key_renders_with_0_1_and_2(lang):
    texts = text.load_texts(lang)
    for key in text.plural_keys(lang):
        other = texts.get(f"{key}.other", texts.get(key))
        assert other is not None, f"{lang}: {key} has a .one form but no other form"
        # The count that picks the form is one of the message's own placeholders.
        counts = [n for n in text.placeholders(other) if n in text.COUNT_PARAMS]
        assert counts, f"{lang}: {key}: no count placeholder ({text.COUNT_PARAMS}) in {other!r}"
        seen = {}
        for n in (0, 1, 2):
            params = _params(other, n)
            params.update(_params(texts[f"{key}.one"], n))
            shown = text.t(key, lang, **params)
            assert shown.strip() and "?" not in shown and "{" not in shown, (lang, key, n, shown)
            seen[n] = shown
        assert seen[1] != seen[2], f"{lang}: {key} reads the same for 1 and 2: {seen[1]!r}"
        assert seen[2] == text.t(f"{key}.other" if f"{key}.other" in texts else key, lang, **_params(other, 2))


@pytest.mark.parametrize(
    ("lang", "key", "params", "expected"),
    [
        ("es", "ui.quarter.status_idle", {"points": 1}, "Te queda 1 punto de acción."),
        ("es", "ui.quarter.status_idle", {"points": 2}, "Te quedan 2 puntos de acción."),
        ("en", "ui.quarter.status_idle", {"points": 1}, "You have 1 action point left."),
        ("en", "ui.quarter.status_idle", {"points": 3}, "You have 3 action points left."),
        ("es", "ui.calls.hidden", {"count": 1}, "Hay 1 convocatoria más que no ves"),
        ("es", "host.error.too_many_devices", {"count": 1}, "Este equipo ya tiene 1 dispositivo."),
        ("en", "host.error.too_many_devices", {"count": 16}, "This team already has 16 devices."),
        ("es", "ui.calls.hidden", {"count": 2}, "Hay 2 convocatorias más que no ves"),
        ("en", "ui.calls.hidden", {"count": 1}, "There is 1 more call you cannot see"),
        ("es", "ui.map.more_smes", {"count": 1}, "y 1 PyME más"),
        ("es", "ui.objective.contracts", {"count": 1}, "Tener 1 contrato a la vez"),
        ("es", "ui.firm.runway_quarters", {"quarters": 1}, "≈ 1 trimestre"),
        ("en", "ui.firm.runway_quarters", {"quarters": 1}, "≈ 1 quarter"),
        ("es", "ui.console.consortium_none", {}, "Sin consorcio"),
        ("es", "ui.firm.receivables_none", {}, "nada pendiente"),
    ],
)
def test_sentences_agree_in_number_and_gender(lang, key, params, expected):
    assert text.t(key, lang, **params).startswith(expected)


def test_spanish_has_a_many_form_and_it_falls_back_to_other():
    """CLDR gives Spanish a "many" category (1,000,000): without a .many form it reads as other."""
    assert text.plural_category(1_000_000, "es") == "many"
    assert text.t("ui.map.more_smes", "es", count=1_000_000) == "y 1,000,000 PyMEs más"


def test_refusals_count_the_points_left():
    from game.core.actions import Refusal

    assert "solo te queda 1 punto de acción" in text.refusal_text(Refusal("refused.no_action_points", {"need": 2, "have": 1}), "es")
    assert "ya no te quedan puntos" in text.refusal_text(Refusal("refused.no_action_points", {"need": 2, "have": 0}), "es")
