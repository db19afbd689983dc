"""Tests of the workshop host. A test marked ``required`` must run in CI: when
CI=true a skip of it (no chromium, no playwright) is turned into a failure."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "required: must run in CI (a skip fails the run when CI=true)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("required") and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} is required in CI but was skipped: {report.longrepr}"

