"""Settings: precedence env > file > default, clear one-line errors, secrets kept secret."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel

from cotechbot.errors import ConfigError
from cotechbot.settings import load_settings, parse_duration


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test starts with no COTECHBOT_* variables and a working directory without a config file."""
    import os

    for name in list(os.environ):
        if name.startswith("COTECHBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config" / "cotechbot.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_need_no_configuration() -> None:
    """With nothing set, the bot uses a local SQLite file, London time and the documented reminder offsets."""
    settings = load_settings()
    assert settings.database_url == "sqlite:///cotechbot.db"
    assert settings.timezone == "Europe/London"
    assert settings.dry_run is False
    assert settings.reminder_offsets == [timedelta(days=1), timedelta(minutes=10)]


def test_file_overrides_defaults_and_environment_overrides_file(tmp_path: Path, monkeypatch) -> None:
    """A value in the TOML file beats the default; the same value in the environment beats the file."""
    write_config(tmp_path, 'timezone = "Europe/Paris"\nsync_interval_minutes = 7\n')
    from_file = load_settings()
    assert (from_file.timezone, from_file.sync_interval_minutes) == ("Europe/Paris", 7)
    monkeypatch.setenv("COTECHBOT_TIMEZONE", "America/New_York")
    from_env = load_settings()
    assert (from_env.timezone, from_env.sync_interval_minutes) == ("America/New_York", 7)


def test_config_path_can_come_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    """COTECHBOT_CONFIG points at a TOML file anywhere; a missing one is an error naming it."""
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('forum_name = "loomio-test"\n')
    monkeypatch.setenv("COTECHBOT_CONFIG", str(elsewhere))
    assert load_settings().forum_name == "loomio-test"
    monkeypatch.setenv("COTECHBOT_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="missing.toml"):
        load_settings()


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("COTECHBOT_TIMEZONE", "Mars/Olympus_Mons", "unknown time zone"),
        ("COTECHBOT_DISCOURSE_URL", "forum dot coop", "add https://"),
        ("COTECHBOT_SYNC_INTERVAL_MINUTES", "-5", "greater than 0"),
        ("COTECHBOT_REMINDER_OFFSETS", "1d,soon", "not a duration"),
        ("COTECHBOT_DATABASE_URL", "mysql://x", "sqlite"),
        ("COTECHBOT_DATABASE_URL", "sqlite:///", "names no file"),
        ("COTECHBOT_DATABASE_URL", "sqlite:////", "names a directory, not a file"),
        ("COTECHBOT_DATABASE_URL", "sqlite:///state/", "names a directory, not a file"),
        ("COTECHBOT_DATABASE_URL", "sqlite:///./", "names a directory, not a file"),
        ("COTECHBOT_DRY_RUN", "perhaps", "boolean"),
    ],
)
def test_a_bad_environment_value_is_one_clear_line(
    monkeypatch, variable: str, value: str, expected: str
) -> None:
    """A bad value names the setting, the variable, where it came from and what is wrong, on one line."""
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert "\n" not in message
    assert variable in message and "the environment" in message and expected in message


def test_a_bad_file_value_names_the_file(tmp_path: Path) -> None:
    """A bad value in the TOML file is reported with the file's path as its source."""
    path = write_config(tmp_path, 'timezone = "Nowhere/Special"\n')
    with pytest.raises(ConfigError, match=f"from {path.relative_to(tmp_path)}"):
        load_settings()


def test_unknown_keys_and_broken_toml_are_reported(tmp_path: Path) -> None:
    """A misspelt key or a TOML syntax error is named rather than silently ignored."""
    write_config(tmp_path, 'timezon = "Europe/London"\n')
    with pytest.raises(ConfigError, match="unknown setting 'timezon'"):
        load_settings()
    write_config(tmp_path, 'timezone = "Europe/London\n')
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings()


def test_api_key_is_secret_everywhere(monkeypatch) -> None:
    """The API key is a SecretStr: it is not in the settings' repr, and errors show *** instead."""
    monkeypatch.setenv("COTECHBOT_DISCOURSE_API_KEY", "k3y-that-must-not-leak")
    settings = load_settings()
    assert "k3y-that-must-not-leak" not in repr(settings)
    assert settings.secrets() == ["k3y-that-must-not-leak"]


def test_lists_read_from_comma_separated_environment_values(monkeypatch) -> None:
    """Lists such as event tags and reminder offsets accept "a,b" in the environment."""
    monkeypatch.setenv("COTECHBOT_EVENT_TAGS", "meetup, social")
    monkeypatch.setenv("COTECHBOT_REMINDER_OFFSETS", "2h,15m")
    settings = load_settings()
    assert settings.event_tags == ["meetup", "social"]
    assert settings.reminder_offsets == [timedelta(hours=2), timedelta(minutes=15)]


@pytest.mark.parametrize(
    ("text", "minutes"), [("10m", 10), ("2h", 120), ("1d", 1440), ("1w", 10080), (45, 45)]
)
def test_durations_read_in_familiar_units(text, minutes: int) -> None:
    """Durations are written 10m, 2h, 1d, 1w, or as a number of minutes."""
    assert parse_duration(text) == timedelta(minutes=minutes)


def test_example_config_documents_every_setting_and_loads(monkeypatch) -> None:
    """Every setting appears in config/cotechbot.example.toml with a comment, and the file itself is valid."""
    from cotechbot.settings import Settings
    from tests.conftest import REPO_ROOT

    example = REPO_ROOT / "config" / "cotechbot.example.toml"
    text = example.read_text()
    for name, field in Settings.model_fields.items():
        section = field.annotation if isinstance(field.annotation, type) else None
        if section is not None and issubclass(section, BaseModel):  # a capability's [section]
            assert f"\n[{name}]\n" in text, f"[{name}] is not documented in the example config"
            for key in section.model_fields:
                documented = text.split(f"\n[{name}]")[1]
                assert re.search(rf"^(# )?{key} =", documented, re.M), f"[{name}] {key} is not documented"
            continue
        assert f"{name} =" in text, f"{name} is not documented in the example config"
    monkeypatch.setenv("COTECHBOT_CONFIG", str(example))
    assert load_settings().forum_name == "cotech"


def test_credentials_in_urls_are_masked_in_the_settings_repr() -> None:
    """Issue 9 item 18: repr(settings) shows neither the database password nor the forum URL's credentials,
    and both are secrets the log redactor and the command line scrub."""
    settings = load_settings(
        database_url="postgresql://bot:db-pass-word@db.internal/cotechbot",
        discourse_url="https://u:forum-pass-word@forum.example.coop",
    )
    shown = repr(settings) + str(settings)
    assert "db-pass-word" not in shown and "forum-pass-word" not in shown
    assert "postgresql://bot:***@db.internal/cotechbot" in shown
    assert {"db-pass-word", "forum-pass-word"} <= set(settings.secrets())


def test_mask_url_hides_a_password_holding_url_delimiters() -> None:
    """Issue 9 item 18: a password with '/', '#' or '?' is masked whole (it runs to the '@', as the database
    driver reads it), not cut at the delimiter with its tail printed."""
    from cotechbot.settings import mask_url

    for password in ("pa/ss-word", "pa#ss-word", "pa?ss-word"):
        masked = mask_url(f"postgresql://bot:{password}@db.internal:5432/cotechbot")
        assert masked == "postgresql://bot:***@db.internal:5432/cotechbot"


@pytest.mark.parametrize(
    "url", ["http://forum.example.coop", "http://10.0.0.5:3000", "http://u:p@coops.tech"]
)
def test_plain_http_to_another_machine_is_refused(url: str) -> None:
    """Issue 9 item 18: the admin API key must not travel in clear: a non-local http:// forum URL is a
    configuration error naming the setting that allows it."""
    with pytest.raises(ConfigError, match="COTECHBOT_ALLOW_INSECURE_HTTP"):
        load_settings(discourse_url=url)
    assert load_settings(discourse_url=url, allow_insecure_http=True).discourse_url is not None


@pytest.mark.parametrize("url", ["http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:9292"])
def test_plain_http_to_this_machine_is_fine(url: str) -> None:
    assert load_settings(discourse_url=url).discourse_url is not None
