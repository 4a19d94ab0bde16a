"""What an operator sees when the storage, the clock flag or an output path is wrong: one line naming the
setting, the cause and the fix, no traceback (unless --debug), and the documented exit code."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.store.conftest import postgres_schema_url
from tests.unit.test_cli import run_cli


@pytest.fixture
def postgres_url():
    """A live server (skipped with its reason when none answers outside CI)."""
    yield from postgres_schema_url()


def assert_one_line_error(result, *fragments: str) -> None:
    assert "Traceback" not in result.stderr
    first = result.stderr.strip().splitlines()[0]
    for fragment in fragments:
        assert fragment in first, result.stderr


def test_a_missing_database_directory_is_one_line_naming_the_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/no/such/dir/state.db"

    result = run_cli("check", cwd=tmp_path, env={"COTECHBOT_DATABASE_URL": url})

    assert result.returncode == 1
    assert_one_line_error(
        result, "COTECHBOT_DATABASE_URL", f"{tmp_path}/no/such/dir does not exist", "create it"
    )


def test_a_read_only_database_fails_the_check_instead_of_saying_ok(tmp_path: Path) -> None:
    ready = run_cli("check", cwd=tmp_path, env={"COTECHBOT_DATABASE_URL": f"sqlite:///{tmp_path}/state.db"})
    assert "database: ok" in ready.stdout
    read_only = f"sqlite:///file:{tmp_path}/state.db?mode=ro&uri=true"

    result = run_cli("check", cwd=tmp_path, env={"COTECHBOT_DATABASE_URL": read_only})

    assert result.returncode == 1
    assert "database: ok" not in result.stdout
    assert_one_line_error(result, "COTECHBOT_DATABASE_URL", "read-only")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("nobody_here@127.0.0.1:5432/test", "no role 'nobody_here'"),
        ("127.0.0.1:5432/no_such_db", "no database"),
    ],
)
def test_postgres_mistakes_are_one_line(tmp_path: Path, postgres_url: str, path: str, expected: str) -> None:
    result = run_cli("check", cwd=tmp_path, env={"COTECHBOT_DATABASE_URL": f"postgresql://{path}"})

    assert result.returncode == 1
    assert_one_line_error(result, "COTECHBOT_DATABASE_URL", expected)


def test_a_wrong_postgres_port_is_one_line_and_hides_the_password(tmp_path: Path) -> None:
    url = "postgresql://bot:hunter2-password@127.0.0.1:1/test"

    result = run_cli("check", cwd=tmp_path, env={"COTECHBOT_DATABASE_URL": url})

    assert result.returncode == 1
    assert "hunter2-password" not in result.stdout + result.stderr
    assert_one_line_error(result, "postgresql://bot:***@127.0.0.1:1/test", "nothing answers")


def test_a_read_only_uri_to_a_missing_file_names_the_file(tmp_path: Path, monkeypatch, capsys) -> None:
    from cotechbot import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "configure_logging", lambda **_: None)  # keep the root logger as pytest set it
    monkeypatch.setenv("COTECHBOT_DATABASE_URL", f"sqlite:///file:{tmp_path}/absent.db?mode=ro&uri=true")

    code = cli.main(["check"])

    assert code == 1
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    assert f"cannot open the SQLite file {tmp_path}/absent.db" in stderr.splitlines()[0], stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/no/such/dir/state.db"

    result = run_cli("check", "--debug", cwd=tmp_path, env={"COTECHBOT_DATABASE_URL": url})

    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_check_without_a_forum_fails_with_exit_2(tmp_path: Path) -> None:
    result = run_cli("check", cwd=tmp_path, env={"COTECHBOT_DATABASE_URL": f"sqlite:///{tmp_path}/s.db"})

    assert result.returncode == 2
    assert "COTECHBOT_DISCOURSE_URL" in result.stderr


def test_now_accepts_a_bare_date_as_midnight_in_the_forum_zone(tmp_path: Path) -> None:
    result = run_cli(
        "plan",
        "--now",
        "2024-07-02",
        cwd=tmp_path,
        env={"COTECHBOT_DATABASE_URL": f"sqlite:///{tmp_path}/s.db"},
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("zone", "utc_hour", "utc_day"), [("Europe/London", 23, 1), ("UTC", 0, 2), ("America/New_York", 4, 2)]
)
def test_a_bare_now_date_is_midnight_in_the_forum_zone(zone: str, utc_hour: int, utc_day: int) -> None:
    from argparse import Namespace
    from datetime import UTC

    from cotechbot.cli import _clock, parse_instant

    now = _clock(Namespace(now=parse_instant("2024-07-02")), zone).now()

    assert now.astimezone(UTC).replace(tzinfo=None) == datetime(2024, 7, utc_day, utc_hour, 0)


def test_now_without_an_offset_suggests_something_that_parses(tmp_path: Path) -> None:
    result = run_cli("plan", "--now", "2024-07-02T14:50", cwd=tmp_path)
    suggestion = result.stderr.split("e.g. ", 1)[1].split()[0]

    again = run_cli(
        "plan",
        "--now",
        suggestion,
        cwd=tmp_path,
        env={"COTECHBOT_DATABASE_URL": f"sqlite:///{tmp_path}/s.db"},
    )

    assert result.returncode == 2
    assert again.returncode == 0, again.stderr


def test_calendar_into_a_missing_directory_is_one_line(tmp_path: Path) -> None:
    result = run_cli(
        "calendar",
        "-o",
        f"{tmp_path}/missing/dir/x.ics",
        cwd=tmp_path,
        env={"COTECHBOT_DATABASE_URL": f"sqlite:///{tmp_path}/s.db"},
    )

    assert result.returncode == 1
    assert_one_line_error(result, "cannot write", "missing/dir/x.ics", "No such file or directory")


def test_every_config_problem_is_shown_not_only_the_first(tmp_path: Path) -> None:
    env = {
        "COTECHBOT_DISCOURSE_URL": "forum.coops.tech",
        "COTECHBOT_DATABASE_URL": "sqlite:///",
        "COTECHBOT_REQUESTS_PER_MINUTE": "0",
    }

    result = run_cli("check", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "3 problems" in result.stderr
    assert "add https:// (https://forum.coops.tech)" in result.stderr
    assert "COTECHBOT_DATABASE_URL): names no file" in result.stderr
    assert "COTECHBOT_REQUESTS_PER_MINUTE" in result.stderr
    assert "more problem" not in result.stderr


def test_a_misspelt_key_in_the_config_file_gets_a_suggestion(tmp_path: Path) -> None:
    config = tmp_path / "bot.toml"
    config.write_text('timezon = "Europe/London"\n', encoding="utf-8")

    result = run_cli("check", cwd=tmp_path, env={"COTECHBOT_CONFIG": str(config)})

    assert result.returncode == 2
    assert "did you mean 'timezone'?" in result.stderr


def test_an_unknown_environment_variable_is_warned_about_with_a_suggestion(tmp_path: Path) -> None:
    env = {"COTECHBOT_TIMEZON": "Europe/Paris", "COTECHBOT_DATABASE_URL": f"sqlite:///{tmp_path}/s.db"}

    result = run_cli("plan", cwd=tmp_path, env=env)

    assert result.returncode == 0
    assert "COTECHBOT_TIMEZON is not a cotechbot setting" in result.stderr
    assert "did you mean COTECHBOT_TIMEZONE?" in result.stderr


def test_a_request_budget_above_discourses_limit_is_warned_about(tmp_path: Path) -> None:
    env = {"COTECHBOT_REQUESTS_PER_MINUTE": "120", "COTECHBOT_DATABASE_URL": f"sqlite:///{tmp_path}/s.db"}

    result = run_cli("plan", cwd=tmp_path, env=env)

    assert result.returncode == 0
    assert "above the 60/min Discourse allows" in result.stderr


def test_once_at_a_pretend_time_without_dry_run_warns_every_time(tmp_path: Path, monkeypatch, capsys) -> None:
    from cotechbot import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "configure_logging", lambda **_: None)  # keep the root logger as pytest set it
    for name, value in {
        "DISCOURSE_URL": "http://127.0.0.1:1",  # nothing answers: the cycle fails fast, after the warning
        "DISCOURSE_API_KEY": "k",
        "DATABASE_URL": f"sqlite:///{tmp_path}/s.db",
    }.items():
        monkeypatch.setenv(f"COTECHBOT_{name}", value)
    warning = "--now without --dry-run acts FOR REAL at a pretend time"
    said = []
    for extra in ([], [], ["--dry-run"]):
        cli.main(["once", "--now", "2024-07-02", *extra])
        said.append(capsys.readouterr())

    assert warning in said[0].err and warning in said[1].err
    assert warning not in said[0].out
    assert warning not in said[2].err


def test_a_missing_library_says_to_reinstall() -> None:
    from cotechbot.cli import describe_failure

    code, message = describe_failure(
        ModuleNotFoundError("No module named 'markdown_it'", name="markdown_it"), None
    )

    assert code == 1
    assert "'markdown_it' is missing" in message and "reinstall" in message
