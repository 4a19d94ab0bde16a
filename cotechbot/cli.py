"""The ``cotechbot`` command.

    cotechbot check                 validate settings, the database and the forum connection
    cotechbot once [--now T]        run one cycle (sync, plan, dispatch) as if the clock read T
    cotechbot run                   run the scheduler until SIGTERM/SIGINT
    cotechbot plan [--now T]        list what the bot will do and when
    cotechbot calendar [-o FILE]    write an iCalendar file of the upcoming events the bot knows
    cotechbot digest [--week W] [--now T]  print the weekly digest it would post (2024-W27), posting nothing
    cotechbot decisions [--format md|csv|json] [--since DATE] [--source discourse|loomio]
    cotechbot members log [--group G] [--since DATE]  who joined or left the watched groups, and who did it
    cotechbot when TEXT | --jsonl - read dates and times out of text
    cotechbot demo                  run the bot end to end against the bundled sandbox forum
    cotechbot sandbox [--port N] [--webhook-port N]
                                    serve the sandbox forum alone and print the settings to point the bot at it

Exit codes: 0 success, 1 the work failed (e.g. the forum refused us), 2 bad settings or usage.
"""

from __future__ import annotations

import argparse
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import structlog

from cotechbot import __version__
from cotechbot.clock import Clock, FixedClock, SystemClock
from cotechbot.diagnosis import explain_os_error
from cotechbot.errors import ConfigError, CotechbotError, ForumError
from cotechbot.logging import configure_logging
from cotechbot.settings import Settings, advisories, load_settings

log = structlog.get_logger(__name__)


def parse_instant(text: str) -> datetime | date:
    """Read ``--now``: ISO 8601 with an offset (``2024-07-02T14:50:00+01:00`` or ``…Z``), or a bare date
    (``2024-07-02``: midnight in the forum's zone)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a date") from None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time; write e.g. 2024-07-02T14:50:00+01:00 or 2024-07-02"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no UTC offset; add one, e.g. {value.isoformat()}+00:00"
        )
    return value


def parse_iso_week(text: str) -> str:
    """Read ``--week``: an ISO week such as ``2024-W27``."""
    from cotechbot.capabilities.digest import parse_week

    try:
        return parse_week(text, "UTC").label
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _clock(args: argparse.Namespace, zone: str = "Europe/London") -> Clock:
    now = getattr(args, "now", None)
    if now is None:
        return SystemClock()
    if not isinstance(now, datetime):
        now = datetime.combine(now, time(0, 0), tzinfo=ZoneInfo(zone))
    return FixedClock(now)


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"dry_run": True} if getattr(args, "dry_run", False) else {}
    settings = load_settings(**overrides)
    args.settings = settings  # for the error report in main()
    for note in advisories(settings):
        print(f"cotechbot: warning: {note}", file=sys.stderr)
    configure_logging(level=settings.log_level, fmt=settings.log_format, secrets=settings.secrets())
    return settings


# -- commands ------------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from cotechbot.app import open_forum, open_ledger
    from cotechbot.capabilities.registry import describe_switches

    settings = _settings(args)
    print(f"settings: ok (forum {settings.forum_name!r}, time zone {settings.timezone})")
    for line in describe_switches(settings):
        print(f"  {line}")
    clock = SystemClock()
    ledger = open_ledger(settings, clock)  # migrates: proves the schema can be written
    probe = clock.now().isoformat()
    ledger.set_cursor(settings.forum_name, "check.written_at", probe)  # proves rows can be written
    if ledger.get_cursor(settings.forum_name, "check.written_at") != probe:
        print("database: FAILED — a row written could not be read back", file=sys.stderr)
        return 1
    print(f"database: ok ({ledger.dialect}, schema {ledger.schema_version()}, writable)")
    ledger.dispose()
    if settings.discourse_url is None:
        print(
            "forum: FAILED — no forum configured; set COTECHBOT_DISCOURSE_URL (and the API key and username)",
            file=sys.stderr,
        )
        return 2
    forum = open_forum(settings)
    try:
        print(f"forum: ok ({forum.check()})")
    except ForumError as error:
        print(f"forum: FAILED — {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    from cotechbot.decision_sync import check_loomio

    return check_loomio(settings)


def cmd_once(args: argparse.Namespace) -> int:
    from cotechbot.app import build_worker

    settings = _settings(args)
    if args.now is not None and not settings.dry_run:
        print(
            "cotechbot once: --now without --dry-run acts FOR REAL at a pretend time: "
            "what is due then is posted now",
            file=sys.stderr,
        )
    worker = build_worker(settings, _clock(args, settings.timezone))
    report = worker.cycle()
    if report.dispatch.would_send:
        _print_would_send(report.dispatch.would_send, worker.ledger, settings)
    print(
        f"leader: {report.leader}; topics planned: {report.planned_topics}; "
        f"new actions: {report.planned.inserted}; cancelled: {report.planned.cancelled}; "
        f"sent: {len(report.dispatch.sent)}; skipped: {len(report.dispatch.skipped)}; "
        f"failed: {len(report.dispatch.failed)}"
        + (f"; sync error: {report.sync_error}" if report.sync_error else "")
    )
    return 1 if report.sync_error or report.dispatch.failed else 0


def _print_would_send(rows, ledger, settings) -> None:
    """A dry run's due messages as a person reads them, on stdout (the JSON log has them too)."""
    from cotechbot.messages import local_time
    from cotechbot.planview import describe_post, topic_titles

    titles = topic_titles(ledger, settings.forum_name)
    print(f"Dry run: {len(rows)} message(s) due now would be posted (nothing was sent):\n")
    for row in rows:
        operation = str(row.payload.get("op", row.kind))
        when = local_time(row.due_at, settings.timezone, with_utc=False)
        print(describe_post(f"due {when}", operation, row.payload, titles))


def cmd_run(args: argparse.Namespace) -> int:
    from cotechbot.app import build_worker
    from cotechbot.scheduler import run_forever

    settings = _settings(args)
    worker = build_worker(settings, SystemClock())
    run_forever(worker, settings)
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from cotechbot.app import open_ledger
    from cotechbot.capabilities.registry import build_capabilities
    from cotechbot.facts import FactsReader
    from cotechbot.planview import describe_capabilities, describe_plan, topic_titles

    settings = _settings(args)
    clock = _clock(args, settings.timezone)
    ledger = open_ledger(settings, clock)
    forum = settings.forum_name
    print(
        describe_plan(
            ledger.actions(forum=forum, statuses=["pending", "claimed"]),
            zone=settings.timezone,
            now=clock.now(),
            titles=topic_titles(ledger, forum),
        )
    )
    print()
    facts = FactsReader(ledger, settings).read()
    print(describe_capabilities(build_capabilities(settings), facts, ledger, clock.now()))
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from cotechbot.app import open_ledger
    from cotechbot.calendar import upcoming_events_calendar

    settings = _settings(args)
    clock = _clock(args, settings.timezone)
    ledger = open_ledger(settings, clock)
    data = upcoming_events_calendar(ledger, settings, clock.now())
    if args.output == "-":
        sys.stdout.buffer.write(data)
        return 0
    try:
        with open(args.output, "wb") as handle:
            handle.write(data)
    except OSError as error:
        print(f"cotechbot calendar: {explain_os_error(error, 'write')}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from cotechbot.app import open_ledger
    from cotechbot.digest_preview import preview_digest

    settings = _settings(args)
    now = _clock(args, settings.timezone).now() if args.now is not None else None
    ledger = open_ledger(settings, SystemClock())
    print(preview_digest(settings, ledger, week=args.week, now=now))
    return 0


def cmd_decisions(args: argparse.Namespace) -> int:
    from cotechbot.app import open_ledger
    from cotechbot.decisions_cli import decisions_text, since_instant

    settings = _settings(args)
    ledger = open_ledger(settings, SystemClock())
    since = since_instant(args.since, settings.timezone)
    sys.stdout.write(decisions_text(ledger, settings, args.format, since=since, source=args.source))
    return 0


def cmd_members(args: argparse.Namespace) -> int:
    from cotechbot.app import open_ledger
    from cotechbot.capabilities.membership.planning import format_member_log

    settings = _settings(args)
    ledger = open_ledger(settings, SystemClock())
    since = args.since
    if since is not None and not isinstance(since, datetime):
        since = datetime.combine(since, time(0, 0), tzinfo=ZoneInfo(settings.timezone))
    state = ledger.state_items(settings.forum_name, "membership")
    print(format_member_log(state, settings.timezone, group=args.group, since=since))
    return 0


def cmd_when(args: argparse.Namespace) -> int:
    from datetime import UTC

    from cotechbot.when import format_table, read_times, run_jsonl

    if args.jsonl is not None:
        if args.jsonl == "-":
            errors = run_jsonl(sys.stdin, sys.stdout)
        else:
            with open(args.jsonl, encoding="utf-8") as lines:
                errors = run_jsonl(lines, sys.stdout)
        if errors:
            print(
                f'cotechbot when: {errors} line(s) could not be read (see their "error" field)',
                file=sys.stderr,
            )
        return 0
    if not args.text:
        print(
            "cotechbot when: give TEXT to read, or --jsonl - to read JSON lines from stdin", file=sys.stderr
        )
        return 2
    now = args.now or datetime.now(UTC)
    try:
        mentions = read_times(args.text, now, args.tz)
    except ValueError as error:
        print(f"cotechbot when: {error}", file=sys.stderr)
        return 2
    print(format_table(args.text, mentions, args.tz))
    return 0


SANDBOX_EXTRA = (
    "the sandbox forum needs the sandbox extra: pip install 'cotechbot[sandbox]' (make demo does it)"
)


def cmd_demo(args: argparse.Namespace) -> int:
    try:
        from cotechbot.demo import run_demo
    except ModuleNotFoundError as error:
        raise ConfigError(f"{SANDBOX_EXTRA} ({error.name} is missing)") from None

    configure_logging(level="warning", fmt="console")
    return run_demo(now=_clock(args).now() if args.now else None)


def cmd_sandbox(args: argparse.Namespace) -> int:
    try:
        from cotechbot.demo import serve_sandbox
    except ModuleNotFoundError as error:
        raise ConfigError(f"{SANDBOX_EXTRA} ({error.name} is missing)") from None

    configure_logging(level="warning", fmt="console")
    return serve_sandbox(port=args.port, webhook_port=args.webhook_port)


# -- parser --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cotechbot",
        description="Organising assistant for CoTech's Discourse forum: event reminders, date polls, "
        "membership requests, digests and a decision log.",
        epilog="Settings come from COTECHBOT_* environment variables and config/cotechbot.toml "
        "(or the file in COTECHBOT_CONFIG); see config/cotechbot.example.toml.",
    )
    parser.add_argument("--version", action="version", version=f"cotechbot {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=False, help="show full tracebacks instead of one-line errors"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    def add_now(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--now",
            type=parse_instant,
            metavar="ISO-8601",
            help="act as if the clock read this time (2024-07-02T14:50:00+01:00, or 2024-07-02 for midnight "
            "in the forum's zone)",
        )

    add(name="check", handler=cmd_check, help_text="validate settings, the database and the forum connection")
    once = add("once", cmd_once, "run one cycle: sync, plan, dispatch")
    add_now(once)
    once.add_argument("--dry-run", action="store_true", help="read and plan, but post nothing")
    run = add("run", cmd_run, "run the scheduler until SIGTERM or SIGINT")
    run.add_argument("--dry-run", action="store_true", help="read and plan, but post nothing")
    plan = add("plan", cmd_plan, "list what the bot will do and when")
    add_now(plan)
    calendar = add("calendar", cmd_calendar, "write an iCalendar file of the upcoming events the bot knows")
    calendar.add_argument("-o", "--output", default="cotechbot.ics", help="file to write, or - for stdout")
    add_now(calendar)
    digest = add("digest", cmd_digest, "print the weekly digest the bot would post, posting nothing")
    digest.add_argument(
        "--week",
        type=parse_iso_week,
        metavar="YYYY-Www",
        help="the ISO week, e.g. 2024-W27 (default: this week)",
    )
    add_now(digest)
    from cotechbot.decisions_cli import add_arguments as add_decision_arguments

    decisions = add("decisions", cmd_decisions, "print the decision log (forum and Loomio) from the ledger")
    add_decision_arguments(decisions, parse_instant)
    members = add("members", cmd_members, "who joined or left the watched groups, and who did it")
    members.add_argument("what", choices=["log"], help="log: every recorded addition and removal")
    members.add_argument("--group", help="only this group")
    members.add_argument("--since", type=parse_instant, metavar="DATE", help="only changes from this date on")
    when = add("when", cmd_when, "read dates and times out of text")
    when.add_argument("text", nargs="?", help="the text to read (quote it)")
    when.add_argument(
        "--jsonl", metavar="FILE", help='read {"id","text","now","tz"} JSON lines from FILE (- for stdin)'
    )
    when.add_argument("--tz", default="Europe/London", help="the forum's zone (default Europe/London)")
    add_now(when)
    demo = add("demo", cmd_demo, "run the bot end to end against the bundled sandbox forum")
    add_now(demo)
    sandbox = add("sandbox", cmd_sandbox, "serve the bundled sandbox forum alone, to try the bot by hand")
    sandbox.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    sandbox.add_argument(
        "--webhook-port",
        type=int,
        default=None,
        help="send signed webhooks to the bot's HTTP face on this local port (run the bot with the printed settings)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if getattr(args, "debug", False):
            traceback.print_exc()
        code, message = describe_failure(error, getattr(args, "settings", None))
        print(f"cotechbot: {message}", file=sys.stderr)
        if not getattr(args, "debug", False) and code == 1:
            print("cotechbot: run again with --debug for the full traceback", file=sys.stderr)
        return code


def describe_failure(error: Exception, settings: Settings | None) -> tuple[int, str]:
    """The exit code and the one line an operator sees for a failure that ended a command; no secret the
    settings hold (API key, webhook secret, passwords in URLs) ever appears in it."""
    code, message = _describe_failure(error, settings)
    for secret in settings.secrets() if settings is not None else ():
        if len(secret) >= 4:  # as the log redactor: a one-letter password would mangle every word
            message = message.replace(secret, "***")
    return code, message


def _describe_failure(error: Exception, settings: Settings | None) -> tuple[int, str]:
    from sqlalchemy.exc import SQLAlchemyError

    from cotechbot.diagnosis import explain_os_error, explain_storage_error

    if isinstance(error, ConfigError):
        return 2, f"configuration error: {error}"
    if isinstance(error, CotechbotError):
        return 1, f"{type(error).__name__}: {error}"
    if isinstance(error, SQLAlchemyError):
        url = settings.database_url if settings is not None else "(unknown)"
        return 1, f"storage error: {explain_storage_error(error, url)}"
    if isinstance(error, OSError):
        return 1, explain_os_error(error, "use")
    if isinstance(error, ModuleNotFoundError):
        return 1, (
            f"the library {error.name!r} is missing from this installation; reinstall cotechbot with its "
            "dependencies (pip install -c constraints.txt .)"
        )
    return 1, f"unexpected {type(error).__name__}: {' '.join(str(error).split())[:300]}"


if __name__ == "__main__":
    sys.exit(main())
