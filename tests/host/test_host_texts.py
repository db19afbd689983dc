"""The host's pages pick plural forms as the window does (game/text.plural_key: K.zero, the
count's CLDR category, K.other) and the facilitator's console says how long each quarter
now lasts when the clock changes, as the window's console does. Real chromium against a
real server, like test_host_browser."""

from __future__ import annotations

import string

import pytest

from game import text
from game.host.room import Room
from game.host.server import running
from tests.host.test_host_browser import PIN, browser  # noqa: F401 - the fixture


def _params(template: str, count: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            out[name] = count if name in text.COUNT_PARAMS else "X"
    return out


@pytest.mark.required
def test_the_pages_plurals_and_timer_messages_are_the_windows(browser, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    room = Room.new("tutorial", tmp_path / "session.json", teams=2, seed=3, pin=PIN)
    with running(room) as base:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{base}/facilitator")
        page.fill("#pin", PIN)
        page.click("#login")
        expect(page.locator("#room-code")).to_contain_text(room.room_code)
        checked = 0
        for lang in text.LANGS:
            page.evaluate("async (l) => { Enclave.setLang(l); await Enclave.loadTexts(); }", lang)
            texts = text.load_texts(lang)
            keys = [k for k in text.plural_keys(lang) if k.startswith("host.")]
            assert {"host.cost", "host.calls.target", "host.proj.waiting", "host.fac.timer_changed", "host.error.room_full"} <= set(keys), keys
            for key in keys:
                template = texts.get(f"{key}.other", texts.get(key, ""))
                for count in (0, 1, 2):
                    params = _params(template, count)
                    shown = page.evaluate("([k, p]) => Enclave.tr(k, p)", [key, params])
                    assert shown == text.t_safe(key, lang, **params), (lang, key, count, shown)
                    checked += 1
        assert checked >= 30
        # The console's timer, in the facilitator's language (Spanish here).
        page.evaluate("async () => { Enclave.setLang('es'); await Enclave.loadTexts(); }")
        page.reload()
        expect(page.locator("#room-code")).to_contain_text(room.room_code)
        for minutes, key in ((1, "host.fac.timer_changed"), (12, "host.fac.timer_changed"), (0, "host.fac.timer_stopped")):
            # Typed and pressed in one go: the console redraws itself on every update it hears.
            page.evaluate("(m) => { document.getElementById('minutes').value = String(m); document.getElementById('set-timer').click(); }", minutes)
            expect(page.locator("#toast")).to_have_text(text.t(key, "es", minutes=minutes))
            assert room.timer.minutes == minutes
        assert text.t("host.fac.timer_changed", "es", minutes=1).endswith("1 minuto.")
