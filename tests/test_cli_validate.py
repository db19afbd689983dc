"""Tests of `python main.py validate`: in-process through game.cli.main and as a subprocess.

Contract (game/cli.py): bad input gives one clear line per problem on stderr,
`file: key.path: reason`, and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.core.level_loader import LevelError, load_level, shipped_levels

ROOT = Path(__file__).resolve().parents[1]
BROKEN_DIR = Path(__file__).resolve().parent / "broken_levels"
SINGLE = BROKEN_DIR / "unknown_key_suggestion.yaml"
MULTI = BROKEN_DIR / "several_schema_defects.yaml"
YAML_ERROR = BROKEN_DIR / "yaml_tab_indent.yaml"
# `file: key.path: reason`, the key path being `(top level)` or dotted keys with [i] indexes.
ISSUE_LINE = re.compile(
    r"^(?P<file>[^:]+): (?P<path>\(top level\)|[a-z_][a-z0-9_]*(\[\d+\])*(\.[a-z0-9_]+(\[\d+\])*)*): (?P<reason>\S.*)$"
)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "disk",
        "PYTHONIOENCODING": "utf-8",
    }
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def expected_issues(path: Path, shown_as: str) -> list[str]:
    with pytest.raises(LevelError) as info:
        load_level(shown_as)
    assert Path(shown_as).resolve() == path.resolve()
    return [str(issue) for issue in info.value.issues]


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- valid levels -------------------------------------------------------------


def test_validate_all_shipped_levels_in_process(capsys: pytest.CaptureFixture[str]):
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    ok_lines = [line for line in out.splitlines() if line.startswith("ok  ")]
    assert len(ok_lines) == len(shipped_levels())
    for path in shipped_levels():
        loaded = load_level(path)
        assert any(f"({loaded.level.id}, hash {loaded.content_hash})" in line for line in ok_lines)


def test_validate_explicit_valid_paths_in_process(capsys: pytest.CaptureFixture[str]):
    paths = [str(p) for p in shipped_levels()] + [str(BROKEN_DIR / "_base.yaml")]
    assert main(["validate", *paths]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert len(out.splitlines()) == len(paths)


def test_validate_all_shipped_levels_subprocess():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.count("ok  ") == len(shipped_levels())


# --- broken levels --------------------------------------------------------------


@pytest.mark.parametrize("level", [SINGLE, MULTI, YAML_ERROR], ids=lambda p: p.stem)
def test_broken_level_in_process(level: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["validate", str(level)]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert out == ""
    lines = err.splitlines()
    issues = expected_issues(level, str(level))
    # One line per issue, exactly as the loader words it, then the summary.
    assert lines == [*issues, "1 of 1 level(s) invalid"]
    for line in lines[:-1]:
        match = ISSUE_LINE.match(line)
        assert match, f"not `file: key.path: reason`: {line!r}"
        assert match["file"] == str(level)


@pytest.mark.parametrize("level", [SINGLE, MULTI, YAML_ERROR], ids=lambda p: p.stem)
def test_broken_level_subprocess(level: Path):
    result = run_cli("validate", rel(level))
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines == [*expected_issues(level, rel(level)), "1 of 1 level(s) invalid"]
    for line in lines[:-1]:
        assert ISSUE_LINE.match(line), f"not `file: key.path: reason`: {line!r}"


def test_multi_defect_file_gives_one_line_per_defect():
    result = run_cli("validate", rel(MULTI))
    assert result.returncode == 2
    expects = [
        line.removeprefix("# expect: ")
        for line in MULTI.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]
    issue_lines = result.stderr.splitlines()[:-1]
    assert len(issue_lines) == len(expects) >= 3
    for text in expects:
        assert sum(text in line for line in issue_lines) == 1, text


def test_mixed_valid_and_broken_reports_both(capsys: pytest.CaptureFixture[str]):
    valid = shipped_levels()[0]
    assert main(["validate", str(valid), str(SINGLE)]) == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"ok  {valid}")
    assert err.splitlines()[-1] == "1 of 2 level(s) invalid"
    assert f"{SINGLE}: lead_firms[0].folow_source_share: unknown key" in err


# --- bad input that is not a level ------------------------------------------------


def test_nonexistent_path_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    missing = tmp_path / "no_such_level.yaml"
    assert main(["validate", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{missing}: (top level): file not found",
        "1 of 1 level(s) invalid",
    ]


def test_nonexistent_path_subprocess():
    result = run_cli("validate", "levels/no_such_level.yaml")
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "levels/no_such_level.yaml: (top level): file not found" in result.stderr.splitlines()


def test_unknown_level_id_suggests_the_closest_subprocess():
    shipped = shipped_levels()[0].stem
    typo = shipped[:-1]
    result = run_cli("validate", typo)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert (
        f"{typo}: (top level): no such level file or shipped level id; did you mean {shipped!r}?"
        in result.stderr
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--bogus"],
        ["validate", "--bogus", "levels/tutorial.yaml"],
        ["--bogus", "validate"],
    ],
    ids=["after-command", "with-path", "before-command"],
)
def test_unknown_flag_in_process(argv: list[str], capsys: pytest.CaptureFixture[str]):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert err.startswith("error: ")
    assert "unrecognized arguments: --bogus" in err
    assert len(err.splitlines()) == 1


def test_unknown_flag_subprocess():
    result = run_cli("validate", "--bogus")
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip() == "error: main.py: unrecognized arguments: --bogus"
