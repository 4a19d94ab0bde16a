"""cotechbot's settings: one pydantic-settings model fed by the environment and an optional TOML file.

Precedence, highest first: environment variables (``COTECHBOT_*``), the TOML file (``COTECHBOT_CONFIG`` or
``config/cotechbot.toml``), then the defaults written here. ``config/cotechbot.example.toml`` documents every
option. ``load_settings`` turns any mistake into one ``ConfigError`` line naming the setting and its source.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.sources import TomlConfigSettingsSource

from cotechbot.decision_settings import DecisionsSection, LoomioSettings
from cotechbot.errors import ConfigError

ENV_PREFIX = "COTECHBOT_"
DEFAULT_CONFIG_FILE = Path("config/cotechbot.toml")

_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: Any) -> timedelta:
    """Read "10m", "2h", "1d", "1w" (or a number of minutes) as a positive duration."""
    if isinstance(value, timedelta):
        duration = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        duration = timedelta(minutes=value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        duration = timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)[0].lower()])
    else:
        raise ValueError(f"{value!r} is not a duration like '10m', '2h' or '1d'")
    if duration <= timedelta(0):
        raise ValueError(f"{value!r} must be a positive duration")
    return duration


def format_duration(duration: timedelta) -> str:
    """The shortest exact spelling of a duration in the units settings accept: 1d, 90m, 2h."""
    seconds = int(duration.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


SQLITE_EXAMPLES = "write e.g. sqlite:///cotechbot.db (relative) or sqlite:////data/cotechbot.db (absolute)"

# How SQLAlchemy (and a lenient reader) splits credentials off a URL: the password runs to the next "@", so
# a password holding "/", "#" or "?" is still one password (urlsplit would end the host part there).
_CREDENTIALS = re.compile(r"^(?P<scheme>[A-Za-z][\w+.-]*://)(?P<user>[^:/@]*)(?::(?P<password>[^@]*))?@")


def mask_url(url: str) -> str:
    """``scheme://user:***@host/…``: a URL fit to print or log, its password (or a lone token) hidden."""
    match = _CREDENTIALS.match(url)
    if match is None:
        return url
    user, password = match.group("user"), match.group("password")
    credentials = f"{user}:***" if password is not None else "***"
    return f"{match.group('scheme')}{credentials}@{url[match.end() :]}"


def url_password(url: str) -> str | None:
    """The password in a URL's credentials, to redact wherever it turns up (a lone user name is not one:
    scrubbing it would hide the very name an error is about, e.g. a missing database role)."""
    match = _CREDENTIALS.match(url)
    return match.group("password") if match is not None else None


_LOCAL_HOSTS = re.compile(r"^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$", re.IGNORECASE)


def is_local_host(host: str | None) -> bool:
    """Whether ``host`` is this machine (plain http to it never crosses a network)."""
    return bool(host) and bool(_LOCAL_HOSTS.match(str(host)))


def _comma_list(value: Any) -> Any:
    """Environment variables carry lists as "a,b,c"; TOML carries real arrays."""
    if isinstance(value, str):
        if value.strip().startswith("["):
            return json.loads(value)
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class EventsSection(BaseModel):
    """``[events]``: COTECHBOT_EVENTS_ENABLED, COTECHBOT_EVENTS_REMINDERS, COTECHBOT_EVENTS_RECURRING_EVERYWHERE."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    reminders: bool = True  # the "starts tomorrow" / "starts in 10 minutes" replies
    # A recurring series ("every Tuesday at 3pm") is reminded of, occurrence by occurrence, only in event
    # topics (event tags or categories) unless this allows it in every topic.
    recurring_everywhere: bool = False


class PollsSection(BaseModel):
    """``[polls]``: each kind of reply about a date poll can be switched off on its own."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    check_notes: bool = True  # "a quick look at the dates in this poll" (weekday/year slips)
    standings: bool = True  # how the vote stands, at most once per poll_standings_interval
    closing_reminders: bool = True  # "this poll closes in about 24 hours"
    closing_names: bool = True  # name who has not voted yet in the closing reminder (off: name nobody)
    results: bool = True  # the winner when the poll closes


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKLY_AT = re.compile(r"^\s*([a-z]+)\s+(\d{1,2}):(\d{2})\s*$", re.IGNORECASE)


def parse_weekly_at(value: str) -> tuple[int, int, int]:
    """Read "monday 09:00" as (weekday with Monday 0, hour, minute); three-letter day names are accepted."""
    match = _WEEKLY_AT.match(value)
    day = match.group(1).lower() if match else ""
    weekdays = [i for i, name in enumerate(_WEEKDAYS) if len(day) >= 3 and name.startswith(day)]
    if not match or len(weekdays) != 1 or int(match.group(2)) > 23 or int(match.group(3)) > 59:
        raise ValueError(f"{value!r} is not a weekday and a time like 'monday 09:00'")
    return weekdays[0], int(match.group(2)), int(match.group(3))


class DigestSettings(BaseModel):
    """``[digest]``: the weekly digest topic (COTECHBOT_DIGEST_*). No digest while neither target is set."""

    model_config = SettingsConfigDict(extra="forbid")

    enabled: bool = True
    at: str = "monday 09:00"  # weekday and local time in the forum's zone
    category_id: int | None = Field(None, gt=0)  # post a new topic in this category …
    group: str | None = None  # … or, when set, send it as a private message to this group instead
    skip_empty: bool = False  # post nothing in a week with nothing to report (else a one-line digest)
    title: str = "CoTech weekly digest"  # the week is added: "CoTech weekly digest: week of 1 July 2024"
    stall_tags: Annotated[list[str], NoDecode, BeforeValidator(_comma_list)] = Field(
        default_factory=lambda: ["proposal", "awaiting-decision"]
    )
    # Categories not everyone may read (staff, stewards…): their topics are never listed in the digest.
    hidden_category_ids: Annotated[list[int], NoDecode, BeforeValidator(_comma_list)] = Field(
        default_factory=list
    )

    @field_validator("at")
    @classmethod
    def _weekly_at(cls, value: str) -> str:
        parse_weekly_at(value)
        return value

    @field_validator("title")
    @classmethod
    def _names_a_digest(cls, value: str) -> str:
        if "digest" not in value.lower():
            raise ValueError(f"{value!r} must contain the word 'digest', so readers know what the topic is")
        return value


class MembershipRules(BaseModel):
    """``[membership.rules.<group>]``: what makes a request to that group eligible. Every rule set must pass."""

    model_config = ConfigDict(extra="forbid")
    email_domains: list[str] = Field(default_factory=list)  # e.g. the member co-ops' domains
    required_group: str | None = None  # the requester must already be in this group
    min_trust_level: int | None = Field(None, ge=0, le=4)
    min_account_age_days: int | None = Field(None, ge=0)
    suggest: str | None = None  # the group to suggest when a request looks ineligible
    auto_accept: bool = False  # accept when the rules say eligible (never otherwise)
    auto_decline: bool = False  # decline when the rules say ineligible (never otherwise)


class MembershipSettings(BaseModel):
    """``[membership]``: pending group requests told to the moderators (COTECHBOT_MEMBERSHIP_*); off by default."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = False
    # Groups to watch; empty: every group that allows membership requests.
    groups: Annotated[list[str], NoDecode, BeforeValidator(_comma_list)] = Field(default_factory=list)
    nudge_after: Duration = timedelta(days=3)
    member_check_every: Duration = timedelta(days=1)  # how often member lists are compared (who added whom)
    notices: bool = True  # the PM per request
    nudges: bool = True  # one reply when a request is still pending after nudge_after
    outcomes: bool = True  # one reply when a moderator handled it
    hand_added_alerts: bool = True  # a PM when someone lands in a rules-protected group without meeting it
    rules: dict[str, MembershipRules] = Field(default_factory=dict)


class Settings(BaseSettings):
    """Everything an operator can set. Names map to ``COTECHBOT_<NAME>`` and to TOML keys."""

    # A capability's settings are a section (``[membership]`` in TOML); its environment variables are the
    # section name and the key joined by "_", split once: COTECHBOT_MEMBERSHIP_NUDGE_AFTER → membership.nudge_after.
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        validate_default=True,
        env_nested_delimiter="_",
        env_nested_max_split=1,
    )

    # The forum. Plain http:// to a forum other than this machine would send the admin API key in clear: it
    # is refused unless allow_insecure_http is set (declared first, so the URL's validator can read it).
    allow_insecure_http: bool = False
    discourse_url: AnyHttpUrl | None = None
    discourse_api_key: SecretStr | None = None
    discourse_api_username: str = "system"
    # Users whose posts no capability reads, beside the bot's own (other bots: their posts announce nothing)
    ignore_posts_by: Annotated[list[str], NoDecode, BeforeValidator(_comma_list)] = Field(
        default_factory=list
    )
    forum_name: str = Field("cotech", pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")

    # State and behaviour
    database_url: str = "sqlite:///cotechbot.db"
    timezone: str = "Europe/London"
    dry_run: bool = False
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["auto", "json", "console"] = "auto"
    # A template here replaces the bundled one of the same name (relative to the working directory)
    templates_dir: Path = Path("config/templates")

    # Talking to Discourse politely
    request_timeout_seconds: float = Field(15.0, gt=0, le=300)
    requests_per_minute: int = Field(50, gt=0, le=600)
    max_rate_limit_wait_seconds: float = Field(5.0, ge=0, le=120)
    sync_interval_minutes: int = Field(5, gt=0, le=1440)
    edit_check_interval_minutes: int = Field(30, gt=0, le=10080)
    backfill_max_posts: int = Field(5000, gt=0)
    #: Topics with open polls or upcoming events re-read per sync, taking turns beyond this many.
    watched_topics_per_cycle: int = Field(60, gt=0, le=10000)

    # Events and reminders
    event_category_ids: Annotated[list[int], NoDecode, BeforeValidator(_comma_list)] = Field(
        default_factory=list
    )
    event_tags: Annotated[list[str], NoDecode, BeforeValidator(_comma_list)] = Field(
        default_factory=lambda: ["event", "events"]
    )
    event_cue_words: Annotated[list[str], NoDecode, BeforeValidator(_comma_list)] = Field(
        default_factory=lambda: [
            "call",
            "meeting",
            "meet-up",
            "meetup",
            "gathering",
            "session",
            "workshop",
            "chat",
            "social",
            "assembly",
            "agm",
            "event",
            "hangout",
            "conference",
        ]
    )
    opt_out_tag: str = "no-reminders"
    reminder_offsets: Annotated[list[Duration], NoDecode, BeforeValidator(_comma_list)] = Field(
        default_factory=lambda: [timedelta(days=1), timedelta(minutes=10)], min_length=1
    )
    reminder_grace: Duration = timedelta(minutes=30)
    respect_calendar_reminders: bool = True
    # `cotechbot calendar` and /calendar.ics export only events of topics everyone can read; true: every topic
    # the bot knows, staff-only categories included (for a feed only staff can fetch)
    calendar_all_topics: bool = False
    # At most this many events are read from one post and planned in one topic (more are logged and dropped)
    event_max_per_post: int = Field(10, gt=0, le=1000)
    event_max_per_topic: int = Field(30, gt=0, le=10000)

    # Date polls
    poll_standings_interval: Duration = timedelta(hours=24)
    poll_close_reminder: Duration = timedelta(hours=24)

    # Switches per capability and per kind of post
    events: EventsSection = Field(default_factory=EventsSection)
    polls: PollsSection = Field(default_factory=PollsSection)

    # The weekly digest ([digest]) and when a proposal thread counts as stalled
    digest: DigestSettings = Field(default_factory=DigestSettings)
    stall_days: int = Field(30, gt=0, le=3650)

    # The decision log ([decisions], [loomio]; see cotechbot.decision_settings)
    decision_tags: Annotated[list[str], NoDecode, BeforeValidator(_comma_list)] = Field(
        default_factory=lambda: ["decision"]
    )
    decision_log_topic_id: int | None = Field(None, gt=0)
    decisions: DecisionsSection = Field(default_factory=DecisionsSection)
    loomio: LoomioSettings = Field(default_factory=LoomioSettings)
    # Membership requests ([membership]); the moderators' group gets the notices (COTECHBOT_MODERATOR_GROUP)
    membership: MembershipSettings = Field(default_factory=MembershipSettings)
    moderator_group: str = "moderators"

    # The HTTP face (webhooks, calendar feed, health, metrics): served only when a port is set
    http_port: int | None = Field(None, ge=1, le=65535)
    http_host: str = "127.0.0.1"
    webhook_secret: SecretStr | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as 'Europe/London'"
            ) from None
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgres|postgresql)(\+\w+)?://", value):
            raise ValueError("must start with sqlite:/// or postgresql://")
        sqlite_path = re.match(r"sqlite(?:\+\w+)?://(/?[^?]*)", value.strip())
        if sqlite_path:
            path = sqlite_path.group(1).removeprefix("/")
            if not path:
                raise ValueError(f"names no file; {SQLITE_EXAMPLES}")
            if path.endswith("/") or path.rsplit("/", 1)[-1] in {".", ".."}:
                raise ValueError(f"names a directory, not a file; {SQLITE_EXAMPLES}")
        return value

    @field_validator("discourse_url", mode="before")
    @classmethod
    def _discourse_url_has_a_scheme(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip() and "://" not in value:
            raise ValueError(f"has no scheme; add https:// (https://{value.strip()})")
        return value

    @field_validator("discourse_url")
    @classmethod
    def _no_key_in_clear(cls, url: AnyHttpUrl | None, info: ValidationInfo) -> AnyHttpUrl | None:
        insecure = url is not None and url.scheme == "http" and not is_local_host(url.host)
        if insecure and not info.data.get("allow_insecure_http"):
            raise ValueError(
                "is plain http: the admin API key would cross the network in clear; use https://, or set "
                "COTECHBOT_ALLOW_INSECURE_HTTP=true if you must"
            )
        return url

    def __repr_args__(self) -> Any:
        # repr(settings) ends up in tracebacks and bug reports: credentials in URLs are masked there too.
        for name, value in super().__repr_args__():
            if name in URL_FIELDS and value is not None:
                yield name, mask_url(str(value))
            else:
                yield name, value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def secrets(self) -> list[str]:
        """Every secret value, so logging can redact it wherever it turns up."""
        values = (self.discourse_api_key, self.webhook_secret, self.loomio.api_key)
        found = [s.get_secret_value() for s in values if s and s.get_secret_value()]
        for url in (self.database_url, str(self.discourse_url or "")):
            password = url_password(url)
            if password:
                found.append(password)
        return found

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = config_file_path()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)


def config_file_path() -> Path | None:
    """The TOML file in force: ``COTECHBOT_CONFIG`` if set (it must exist), else the default if present."""
    named = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if named:
        return Path(named)
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Build the settings or raise one ``ConfigError`` line that says what is wrong and where it came from."""
    config_file = config_file_path()
    file_data: dict[str, Any] = {}
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"COTECHBOT_CONFIG names {config_file}, which does not exist")
        try:
            file_data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{config_file} is not valid TOML: {error}") from None
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(_describe(error, config_file, file_data, overrides)) from None


def _describe(
    error: ValidationError, config_file: Path | None, file_data: dict[str, Any], overrides: dict[str, Any]
) -> str:
    """Every problem, one line each: the setting, its value (secrets masked), where it came from, what to do."""
    lines = [_describe_one(problem, config_file, file_data, overrides) for problem in error.errors()]
    if len(lines) == 1:
        return lines[0]
    return f"{len(lines)} problems:\n  " + "\n  ".join(lines)


def _describe_one(
    problem: Any, config_file: Path | None, file_data: dict[str, Any], overrides: dict[str, Any]
) -> str:
    location = [str(part) for part in problem["loc"]]
    name = location[0] if location else "settings"
    dotted = ".".join(location) or name
    setting_path = []  # the setting itself, without list positions: reminder_offsets.1 → reminder_offsets
    for part in problem["loc"]:
        if not isinstance(part, str):
            break
        setting_path.append(part)
    env_name = f"{ENV_PREFIX}{'_'.join(setting_path or [name]).upper()}"
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "extra_forbidden":
        known = _known_names(location[:-1])
        guess = difflib.get_close_matches(location[-1], known, n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        where = config_file or "the settings"
        return (
            f"unknown setting {dotted!r} in {where}{hint} (see config/cotechbot.example.toml for the names)"
        )
    if name in overrides:
        source, shown = "the command line", overrides[name]
    elif env_name in os.environ:
        source, shown = "the environment", os.environ[env_name]
    elif name in file_data:
        source, shown = str(config_file), file_data[name]
    else:
        source, shown = "the default", problem.get("input")
    if name in SECRET_FIELDS:
        shown = "***"
    elif isinstance(shown, str) and "://" in shown:
        shown = mask_url(shown)
    return f"setting {dotted} = {shown!r} from {source} ({env_name}): {message}"


def _known_names(section: list[str]) -> list[str]:
    model: Any = Settings
    for part in section:
        field = model.model_fields.get(part)
        model = field.annotation if field is not None else None
        if not isinstance(model, type) or not hasattr(model, "model_fields"):
            return []
    return list(model.model_fields)


def unknown_environment_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """``COTECHBOT_*`` variables that name no setting (a typo is otherwise silently ignored), with a guess."""
    environ = os.environ if environ is None else environ
    known = {f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields}
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
            known |= {f"{ENV_PREFIX}{name.upper()}_{sub.upper()}" for sub in annotation.model_fields}
    known |= {f"{ENV_PREFIX}CONFIG", f"{ENV_PREFIX}TEST_POSTGRES_URL", f"{ENV_PREFIX}SHARED_DIR"}
    warnings = []
    for variable in sorted(environ):
        if variable.startswith(ENV_PREFIX) and variable not in known:
            guess = difflib.get_close_matches(variable, sorted(known), n=1)
            hint = f"; did you mean {guess[0]}?" if guess else ""
            warnings.append(f"{variable} is not a cotechbot setting and is ignored{hint}")
    return warnings


#: Discourse's default limit for admin API keys, all of them together (DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE).
DISCOURSE_ADMIN_REQUESTS_PER_MINUTE = 60


def advisories(settings: Settings) -> list[str]:
    """Settings that load but are likely to hurt, one line each."""
    notes = unknown_environment_variables()
    if settings.requests_per_minute > DISCOURSE_ADMIN_REQUESTS_PER_MINUTE:
        notes.append(
            f"COTECHBOT_REQUESTS_PER_MINUTE={settings.requests_per_minute} is above the "
            f"{DISCOURSE_ADMIN_REQUESTS_PER_MINUTE}/min Discourse allows all admin API keys together by default; "
            "expect 429s unless the forum's limit was raised"
        )
    return notes


SECRET_FIELDS = frozenset({"discourse_api_key", "webhook_secret", "loomio"})
#: Settings holding URLs that may carry credentials (masked wherever a setting is shown).
URL_FIELDS = frozenset({"database_url", "discourse_url"})
