"""The cotechbot command as an operator meets it: help, version, check, and what it prints on mistakes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cotechbot import __version__

SECRET = "e1d2c3b4a5-secret-api-key-0042"


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run ``cotechbot`` in a child process with a clean COTECHBOT_* environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COTECHBOT_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cotechbot.cli", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    """--help names every command an operator needs."""
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("check", "once", "run", "plan", "calendar", "demo"):
        assert command in result.stdout


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    """--version prints the installed version."""
    result = run_cli("--version", cwd=tmp_path)
    assert result.stdout.strip() == f"cotechbot {__version__}"


def test_check_with_a_bad_setting_prints_one_actionable_line(tmp_path: Path) -> None:
    """A bad time zone makes check exit 2 with a single line naming the variable, and no traceback."""
    result = run_cli("check", cwd=tmp_path, env={"COTECHBOT_TIMEZONE": "Europe/Londn"})
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "COTECHBOT_TIMEZONE" in lines[0] and "Europe/Londn" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_check_with_good_settings_migrates_the_database(tmp_path: Path) -> None:
    """check on a fresh directory creates and migrates the SQLite file and reports the schema (and, with no
    forum configured yet, fails that part with exit 2)."""
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert re.search(r"database: ok \(sqlite, schema \d{4}, writable\)", result.stdout)
    assert (tmp_path / "cotechbot.db").exists()


def test_once_rejects_a_naive_now(tmp_path: Path) -> None:
    """--now without a UTC offset is refused at the command line: a naive time could mean anything."""
    result = run_cli("once", "--now", "2024-07-02T14:50:00", cwd=tmp_path)
    assert result.returncode == 2
    assert "no UTC offset" in result.stderr


def test_check_never_prints_the_api_key(tmp_path: Path) -> None:
    """With debug logging and a forum that refuses connections, the API key appears nowhere in the output."""
    result = run_cli(
        "check",
        cwd=tmp_path,
        env={
            "COTECHBOT_DISCOURSE_URL": "http://127.0.0.1:9",
            "COTECHBOT_DISCOURSE_API_KEY": SECRET,
            "COTECHBOT_LOG_LEVEL": "debug",
            "COTECHBOT_REQUEST_TIMEOUT_SECONDS": "2",
        },
    )
    assert result.returncode == 1
    assert "forum: FAILED" in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_logs_are_json_lines_off_a_terminal(tmp_path: Path) -> None:
    """When stderr is not a terminal each log line is a JSON object with a level and an event."""
    result = run_cli(
        "check",
        cwd=tmp_path,
        env={
            "COTECHBOT_DISCOURSE_URL": "http://127.0.0.1:9",
            "COTECHBOT_DISCOURSE_API_KEY": SECRET,
            "COTECHBOT_LOG_LEVEL": "debug",
            "COTECHBOT_REQUEST_TIMEOUT_SECONDS": "2",
        },
    )
    log_lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
    assert log_lines, result.stderr
    for line in log_lines:
        record = json.loads(line)
        assert {"event", "level", "timestamp"} <= record.keys()


@pytest.mark.parametrize("value", ["not-a-time", "2024-13-40T00:00:00+00:00"])
def test_now_must_be_iso_8601(tmp_path: Path, value: str) -> None:
    """--now accepts only ISO 8601 instants."""
    result = run_cli("plan", "--now", value, cwd=tmp_path)
    assert result.returncode == 2 and "ISO 8601" in result.stderr


def test_check_lists_what_is_switched_on_and_off(tmp_path: Path) -> None:
    """`check` names each capability with its kinds of post, and what the environment switched off."""
    result = run_cli(
        "check",
        cwd=tmp_path,
        env={"COTECHBOT_POLLS_STANDINGS": "false", "COTECHBOT_EVENTS_ENABLED": "false"},
    )
    lines = result.stdout.splitlines()
    assert "  events: off" in lines
    [polls] = [line for line in lines if line.startswith("  polls: on")]
    assert "check notes" in polls and polls.endswith("; off: standings")


def test_a_failure_message_never_carries_a_password_from_the_settings() -> None:
    """Issue 9 item 18: whatever an error's text holds, the line `check` prints scrubs the settings' secrets
    (here a driver error quoting the database URL whole)."""
    from cotechbot.cli import describe_failure
    from cotechbot.settings import load_settings

    settings = load_settings(database_url="postgresql://bot:db-pass-word@db.internal/x")
    _, message = describe_failure(ValueError(f"bad URL {settings.database_url}"), settings)
    assert "db-pass-word" not in message and "bot:***@db.internal" in message
