"""The conftest hook: in CI a skipped test marked ``required`` fails the run."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

CONFTEST = (Path(__file__).parent / "conftest.py").read_text()


def test_a_skipped_required_test_fails_in_ci_and_only_skips_elsewhere(pytester, monkeypatch):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.required
        def test_needs_a_browser():
            pytest.skip("no chromium here")

        def test_optional():
            pytest.skip("fine to skip")
        """
    )
    monkeypatch.setenv("CI", "true")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(failed=1, skipped=1)
    monkeypatch.delenv("CI")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(skipped=2)
