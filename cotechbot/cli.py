"""The ``cotechbot`` command.

    cotechbot check                 validate settings, the database and the forum connection
    cotechbot once [--now T]        run one cycle (sync, plan, dispatch) as if the clock read T
    cotechbot run                   run the scheduler until SIGTERM/SIGINT
    cotechbot plan [--now T]        list what the bot will do and when
    cotechbot calendar [-o FILE]    write an iCalendar file of the upcoming events the bot knows
    cotechbot when TEXT | --jsonl - read dates and times out of text
    cotechbot demo                  run the bot end to end against the bundled sandbox forum

Exit codes: 0 success, 1 the work failed (e.g. the forum refused us), 2 bad settings or usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime

import structlog

from cotechbot import __version__
from cotechbot.clock import Clock, FixedClock, SystemClock
from cotechbot.errors import ConfigError, CotechbotError, ForumError
from cotechbot.logging import configure_logging
from cotechbot.settings import Settings, load_settings

log = structlog.get_logger(__name__)


def parse_instant(text: str) -> datetime:
    """Read ``--now``: ISO 8601 with an offset (``2024-07-02T14:50:00+01:00`` or ``…Z``)."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no UTC offset; add one, e.g. {text}+00:00")
    return value


def _clock(args: argparse.Namespace) -> Clock:
    return FixedClock(args.now) if getattr(args, "now", None) else SystemClock()


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"dry_run": True} if getattr(args, "dry_run", False) else {}
    settings = load_settings(**overrides)
    configure_logging(level=settings.log_level, fmt=settings.log_format, secrets=settings.secrets())
    return settings


# -- commands ------------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from cotechbot.app import open_forum, open_ledger

    settings = _settings(args)
    print(f"settings: ok (forum {settings.forum_name!r}, time zone {settings.timezone})")
    ledger = open_ledger(settings, SystemClock())
    print(f"database: ok ({ledger.dialect}, schema {ledger.schema_version()})")
    ledger.dispose()
    if settings.discourse_url is None:
        print("forum: not configured (set COTECHBOT_DISCOURSE_URL)")
        return 0
    forum = open_forum(settings, SystemClock())
    try:
        print(f"forum: ok ({forum.check()})")
    except ForumError as error:
        print(f"forum: FAILED — {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_once(args: argparse.Namespace) -> int:
    from cotechbot.app import build_worker

    settings = _settings(args)
    worker = build_worker(settings, _clock(args))
    report = worker.cycle()
    print(
        f"leader: {report.leader}; topics planned: {report.planned_topics}; "
        f"new actions: {report.planned.inserted}; cancelled: {report.planned.cancelled}; "
        f"sent: {len(report.dispatch.sent)}; skipped: {len(report.dispatch.skipped)}; "
        f"failed: {len(report.dispatch.failed)}"
        + (f"; sync error: {report.sync_error}" if report.sync_error else "")
    )
    return 1 if report.sync_error or report.dispatch.failed else 0


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
    from cotechbot.planview import describe_capabilities, describe_plan

    settings = _settings(args)
    clock = _clock(args)
    ledger = open_ledger(settings, clock)
    forum = settings.forum_name
    print(
        describe_plan(
            ledger.actions(forum=forum, statuses=["pending", "claimed"]),
            zone=settings.timezone,
            now=clock.now(),
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
    clock = _clock(args)
    ledger = open_ledger(settings, clock)
    data = upcoming_events_calendar(ledger, settings, clock.now())
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(args.output, "wb") as handle:
            handle.write(data)
        print(f"wrote {args.output}")
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


def cmd_demo(args: argparse.Namespace) -> int:
    from cotechbot.demo import run_demo

    configure_logging(level="warning", fmt="console")
    return run_demo(now=args.now)


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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def add_now(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--now",
            type=parse_instant,
            metavar="ISO-8601",
            help="act as if the clock read this time (e.g. 2024-07-02T14:50:00+01:00)",
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
    when = add("when", cmd_when, "read dates and times out of text")
    when.add_argument("text", nargs="?", help="the text to read (quote it)")
    when.add_argument(
        "--jsonl", metavar="FILE", help='read {"id","text","now","tz"} JSON lines from FILE (- for stdin)'
    )
    when.add_argument("--tz", default="Europe/London", help="the forum's zone (default Europe/London)")
    add_now(when)
    demo = add("demo", cmd_demo, "run the bot end to end against the bundled sandbox forum")
    add_now(demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ConfigError as error:
        print(f"cotechbot: configuration error: {error}", file=sys.stderr)
        return 2
    except CotechbotError as error:
        print(f"cotechbot: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
