"""The host in real browsers: Playwright driving Debian's chromium (never a downloaded
browser) against a real uvicorn server on a free loopback port. Three teams in three
browser contexts and the facilitator in a fourth play two quarters; one team reloads
and rejoins; the facilitator switches a policy; the recording replays headless."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from game import text
from game.core.replay import read_json, run_replay
from game.host.room import Room
from game.host.server import running

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PIN = "1357"
TEAMS = ("Alfa", "Beta", "Gamma")
SHOTS = os.environ.get("ENCLAVE_HOST_SCREENSHOTS")
"""A folder to save screenshots of the pages in (for a person to look at), if set."""


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield b
        finally:
            b.close()


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.required
def test_three_teams_and_a_facilitator_play_two_quarters_in_chromium(browser, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    room = Room.new("tutorial", tmp_path / "session.json", teams=3, seed=11, pin=PIN)
    with running(room) as base:
        fac = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        fac.on("dialog", lambda d: d.accept())
        fac.goto(f"{base}/facilitator")
        fac.fill("#pin", "0000")
        fac.click("#login")
        expect(fac.locator("#login-error")).to_be_visible()
        fac.fill("#pin", PIN)
        fac.click("#login")
        expect(fac.locator("#room-code")).to_contain_text(room.room_code)

        teams = []
        for k, name in enumerate(TEAMS):
            ctx = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True)
            page = ctx.new_page()
            page.goto(f"{base}/?room={room.room_code}")
            page.fill("#team-name", name)
            page.click(f"button[data-colour='{k}']")
            page.click("#join")
            expect(page.locator("#waiting")).to_be_visible()
            expect(page.locator("#me")).to_have_text(name)
            teams.append(page)
        expect(fac.locator("#seats tr")).to_have_count(3)
        fac.click("#start")
        for page in teams:
            expect(page.locator("#quarter")).to_have_attribute("data-quarter", "1")

        # Quarter 1: everyone decides at once.
        teams[0].click("#tab-decisions")
        teams[0].click("section.decision[data-kind='train_staff'] button.primary")
        expect(teams[0].locator("#toast")).to_be_visible()
        teams[1].click("#tab-decisions")
        teams[1].click("section.decision[data-kind='join_association'] button.primary")
        expect(teams[1].locator("#toast")).to_be_visible()
        # A refused decision shows the core's reason before acting, with its button disabled.
        repay = teams[2].locator("section.decision[data-kind='repay_loan']")
        teams[2].click("#tab-decisions")
        expect(repay.locator(".refusal")).to_be_visible()
        expect(repay.locator("button.primary")).to_be_disabled()

        # Beta reloads (a refresh, a dropped Wi-Fi) and is still Beta, with its decision kept.
        teams[1].reload()
        expect(teams[1].locator("#me")).to_have_text("Beta")
        expect(teams[1].locator("#quarter")).to_have_attribute("data-quarter", "1")
        assert "team-name" not in teams[1].content()

        # The facilitator switches a policy (it applies from quarter 2).
        first_policy = room.loaded.level.policies[0]
        fac.click(f"#fac-policies li[data-policy='{first_policy.id}'] button.switch")
        expect(fac.locator(f"#fac-policies li[data-policy='{first_policy.id}']")).to_contain_text("(")
        _shot(fac, "facilitator-q1")
        _shot(teams[0], "team-decisions-q1")

        for page in teams:
            page.click("#end-turn")
            page.click("#end-confirm")
        for page in teams + [fac]:
            expect(page.locator("#quarter")).to_have_attribute("data-quarter", "2")
        expect(teams[0].locator("#report li").first).to_be_visible()
        _shot(teams[0], "team-report-q2")

        # Quarter 2: two teams end, the facilitator hands the late one to the computer.
        teams[0].click("#tab-calls")
        teams[0].click("#tab-cooperation")
        teams[0].click("#tab-decisions")
        teams[0].click("section.decision[data-kind='adopt_practices'] button.primary")
        expect(teams[0].locator("#toast")).to_be_visible()
        for page in teams[:2]:
            page.click("#end-turn")
            page.click("#end-confirm")
            expect(page.locator("#ended")).to_be_visible()
        # Wait until the console has redrawn for both ended teams (only the late team keeps
        # its hand-over button); a redraw after the choice would otherwise replace the menu.
        expect(fac.locator("#seats button.hand")).to_have_count(1)
        fac.select_option("#strategy", "cooperative")
        cooperative = text.t("host.fac.close", "es", strategy="cooperative")
        expect(fac.locator("#close-quarter")).to_have_text(cooperative)
        expect(fac.locator("#close-quarter")).to_be_enabled()
        fac.click("#close-quarter")
        for page in teams + [fac]:
            expect(page.locator("#quarter")).to_have_attribute("data-quarter", "3")
        _shot(fac, "facilitator-q3")
        proj = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
        proj.goto(f"{base}/projector")
        expect(proj.locator("#leaderboard li")).to_have_count(3)
        _shot(proj, "projector-q3")

    data = read_json(room.path, "session")
    turns = data["replay"]["turns"]
    assert len(turns) == 2
    assert {"type": "facilitator.switch_policy", "policy": first_policy.id, "on": not first_policy.active} in turns[0]["actions"]
    assert {"type": "train_staff", "firm": "p1"} in turns[0]["actions"]
    assert {"type": "join_association", "firm": "p2"} in turns[0]["actions"]
    assert {"type": "facilitator.timed_out", "firm": "p3", "strategy": "cooperative"} in turns[1]["actions"]
    result = run_replay(room.path)
    assert result.ok, result.reason
    assert result.final_hash == room.game.hash() == data["replay"]["final_hash"]
