"""The whole bot over real HTTP against a hostile forum (issue 9): members who try to make the bot ping
people (in titles, posts and poll options), the bot's own date-bearing posts, a call edited 3pm → 4pm → 3pm,
an oversized post, and a date in year 9999 — and the operator's `plan` and `calendar` commands afterwards.

One run of three weeks of forum life is shared by the tests below; each checks one promise."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from cotechbot.app import build_worker
from cotechbot.clock import FixedClock
from cotechbot.ledger import PENDING
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.settings import Settings
from tests.mentions import assert_no_mention
from tests.scenario.conftest import API_KEY, BOT, Bot, bot_settings, fast_forum, never_memoised_clock

LONDON = ZoneInfo("Europe/London")
POSTED = datetime(2024, 6, 24, 12, 0, tzinfo=LONDON)  # a Monday
END = datetime(2024, 7, 17, 12, 0, tzinfo=LONDON)
LINK = "https://meet.jit.si/coop"
TRICKS = "@@here `@admins _@moderators &commat;staff ＠everyone [@admins](https://example.org/x) &#64;board"
IMPOSSIBLE = '[date=9999-12-31 time=23:00:00 timezone="Asia/Tokyo"]'
MEMBERS = ("ada", "bryn", "cerys", "dafydd", "efa")
POLL_OPTIONS = [
    "@@admins 3pm Tuesday 9th July 2024",
    "`@admins 3pm Thursday 10th July 2024",  # the 10th is a Wednesday: the check note quotes this option
    "_@moderators 3pm Thursday 11th July 2024",
    "&commat;staff 3pm Friday 12th July 2024",
    "＠everyone 3pm Monday 15th July 2024",
    "[@admins](https://example.org) 3pm Tuesday 16th July 2024",
    IMPOSSIBLE,
]


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@dataclass
class HostileRun:
    bot: Bot
    topics: dict[str, int]
    posts: dict[str, int]
    settings: Settings
    oversized_rows_first_cycle: int


def _oversized_post() -> str:
    """Close to Discourse's 32,000-character limit: hundreds of dated calls (in August, after the run, so
    the cap is what limits them rather than the passing days) and filler."""
    calls = [f"Call at {hour}pm on {day} August 2024." for day in range(1, 29) for hour in range(1, 12)]
    text = "\n\n".join(calls)
    filler = "\n\nWe will also talk about the newsletter and the accounts." * 400
    return (text + filler)[:31_000]


def _run(bot: Bot, start: datetime, end: datetime, step: timedelta = timedelta(days=1)) -> None:
    """Cycles every ``step`` and at every moment something pending falls due, as the scheduler would."""
    at = start
    while at <= end:
        bot.run_at(at)
        upcoming = [
            row.due_at for row in bot.ledger.actions() if row.status == PENDING and at < row.due_at <= end
        ]
        at = min([at + step, *upcoming])


def _poll_raw(close: datetime) -> str:
    attrs = f"type=regular results=always public=true close={close.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    options = "\n".join(f"* {option}" for option in POLL_OPTIONS)
    return f"Which date? {TRICKS}\n\n[poll {attrs}]\n{options}\n[/poll]"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileRun]:
    clock = FixedClock(POSTED)
    forum = FakeDiscourse(api_key=API_KEY, api_username=BOT, now=clock, clock=never_memoised_clock())
    forum.start()
    try:
        database = tmp_path_factory.mktemp("hostile") / "bot.db"
        settings = bot_settings(forum.url, f"sqlite:///{database}")
        bot = Bot(forum, clock, settings, build_worker(settings, clock, forum=fast_forum(settings)))
        topics: dict[str, int] = {}
        posts: dict[str, int] = {}

        def topic(name: str, title: str, raw: str, username: str = "mallory") -> None:
            created, first = forum.create_topic(title, raw, username=username, created_at=POSTED)
            topics[name], posts[name] = created.id, first.id

        topic(
            "tricks",
            f"{TRICKS} meeting",
            f"Members call at 3pm on Tuesday 2nd July at {LINK}. Tell {TRICKS}.",
        )
        # The bot's own posts list dates (standings, results): read as input they would plan reminders.
        topic(
            "own",
            "Social",
            "Social on Friday 12 July 2024 7:30pm: a meeting at 7:30pm on Friday 12th July.",
            BOT,
        )
        posts["own reply"] = forum.reply(
            topics["tricks"],
            "Standings: a meeting at 6:30pm on Wednesday 3rd July leads.",
            username=BOT,
            created_at=POSTED,
        ).id
        topic("edited", "Finance call", f"Finance call at 3pm on Wednesday 3rd July at {LINK}", "chris")
        topic("oversized", "Calls, calls, calls", _oversized_post())
        topic(
            "impossible",
            "Next meetings",
            f"Our next meeting: {IMPOSSIBLE}\n\nAnd a call at 3pm on Thursday 4th July, {LINK}",
        )
        close = london(2024, 6, 28, 17, 0)
        topic("poll", f"{TRICKS} pick a date", _poll_raw(close))
        for member in MEMBERS[:3]:
            forum.vote(posts["poll"], "poll", member, [POLL_OPTIONS[0]])
        forum.vote(posts["poll"], "poll", MEMBERS[3], [POLL_OPTIONS[2]])

        bot.run_at(POSTED)
        oversized = [r for r in bot.ledger.actions() if r.target == f"topic/{topics['oversized']}"]
        _run(bot, POSTED, POSTED + timedelta(hours=1))
        forum.edit_post(
            posts["edited"],
            f"Finance call at 4pm on Wednesday 3rd July at {LINK}",
            at=POSTED + timedelta(hours=1),
        )
        _run(bot, POSTED + timedelta(hours=1), POSTED + timedelta(days=1))
        forum.edit_post(
            posts["edited"],
            f"Finance call at 3pm on Wednesday 3rd July at {LINK}",
            at=POSTED + timedelta(days=1, hours=1),
        )
        _run(bot, POSTED + timedelta(days=1, hours=1), END)
        yield HostileRun(bot, topics, posts, settings, len(oversized))
    finally:
        forum.stop()


def reminder_times(run: HostileRun, name: str) -> list[datetime]:
    return sorted(
        p.created_at.astimezone(LONDON)
        for p in run.bot.bot_posts(run.topics[name])
        if "<!-- cotechbot:reminder:" in p.raw
    )


def test_the_bot_posted_in_every_kind_of_thread(hostile: HostileRun) -> None:
    """The checks below look at real posts: reminders, the poll's check note, standings and result."""
    posted = {topic: len(hostile.bot.bot_posts(topic_id)) for topic, topic_id in hostile.topics.items()}
    assert posted["tricks"] >= 2 and posted["edited"] >= 2 and posted["impossible"] >= 2
    poll_posts = [p.raw for p in hostile.bot.bot_posts(hostile.topics["poll"])]
    for kind in ("poll-check", "poll-result", "reminder"):
        assert any(f"<!-- cotechbot:{kind}" in raw for raw in poll_posts), kind


def test_no_bot_post_can_mention_anyone(hostile: HostileRun) -> None:
    """Every post the bot made, read as Discourse parses it (markdown, entities, full-width forms, raw
    HTML), mentions nobody, and the forum cooked no mention link into any of them — while the words of the
    hostile titles and options are still there."""
    posts = hostile.bot.bot_posts()
    assert len(posts) >= 10
    for post in posts:
        if post.id in (hostile.posts["own"], hostile.posts["own reply"]):
            continue  # written by the test as the bot's user, not by the bot
        assert_no_mention(post.raw)
        assert 'class="mention' not in post.cooked, post.raw
    texts = "\n".join(p.raw for p in posts)
    assert "here" in texts and "moderators" in texts and "board meeting" in texts  # the title's words
    [check] = [p.raw for p in posts if "<!-- cotechbot:poll-check" in p.raw]
    assert "Thursday 10th July 2024" in check and "admins" in check  # the option, quoted harmlessly


def test_nothing_is_planned_from_the_bots_own_posts(hostile: HostileRun) -> None:
    """The bot's own topic and its own reply announce nothing: no row targets them, nothing at their times."""
    actions = hostile.bot.ledger.actions()
    assert not [row for row in actions if row.target == f"topic/{hostile.topics['own']}"]
    own_times = {"2024-07-12T18:30:00+00:00", "2024-07-03T17:30:00+00:00"}
    assert not [row for row in actions if row.payload.get("event_start") in own_times]
    assert [p.id for p in hostile.bot.bot_posts(hostile.topics["own"])] == [hostile.posts["own"]]


def test_the_call_edited_back_to_3pm_is_reminded_at_the_3pm_times(hostile: HostileRun) -> None:
    """3pm → 4pm → 3pm: the reminders go out the day before at 15:00 and at 14:50 on the day, once each."""
    assert reminder_times(hostile, "edited") == [london(2024, 7, 2, 15, 0), london(2024, 7, 3, 14, 50)]


def test_an_oversized_post_plans_at_most_the_cap(hostile: HostileRun) -> None:
    """Hundreds of calls in one post: at most ``event_max_per_post`` events, two reminders each."""
    rows = [r for r in hostile.bot.ledger.actions() if r.target == f"topic/{hostile.topics['oversized']}"]
    starts = {r.payload["event_start"] for r in rows}
    assert len(starts) == hostile.settings.event_max_per_post
    assert hostile.oversized_rows_first_cycle == len(rows) == 2 * hostile.settings.event_max_per_post


def test_a_year_9999_date_drops_only_itself(hostile: HostileRun) -> None:
    """The impossible date plans nothing and the real call beside it gets both its reminders; the poll
    with an impossible option still announces its winner and turns it into an event."""
    assert reminder_times(hostile, "impossible") == [london(2024, 7, 3, 15, 0), london(2024, 7, 4, 14, 50)]
    assert reminder_times(hostile, "poll") == [london(2024, 7, 8, 15, 0), london(2024, 7, 9, 14, 50)]
    assert all("9999" not in str(row.payload.get("event_start")) for row in hostile.bot.ledger.actions())


def _cli(run: HostileRun, monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], int]:
    from cotechbot import cli

    monkeypatch.setattr(cli, "configure_logging", lambda **_: None)  # keep pytest's root logger
    for name, value in {
        "DATABASE_URL": run.settings.database_url,
        "DISCOURSE_URL": str(run.settings.discourse_url),
        "DISCOURSE_API_KEY": API_KEY,
        "DISCOURSE_API_USERNAME": BOT,
        "FORUM_NAME": run.settings.forum_name,
        "TIMEZONE": "Europe/London",
    }.items():
        monkeypatch.setenv(f"COTECHBOT_{name}", value)
    return cli.main


def test_plan_and_calendar_commands_survive_the_year_9999(
    hostile: HostileRun, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cotechbot plan` and `cotechbot calendar` over this mirror exit 0 and list the real events only."""
    main = _cli(hostile, monkeypatch)
    early = london(2024, 6, 25, 9, 0).isoformat()
    assert main(["plan", "--now", early]) == 0
    out = capsys.readouterr().out
    assert "Upcoming events" in out and "9999" not in out
    output = tmp_path / "events.ics"
    assert main(["calendar", "--now", early, "-o", str(output)]) == 0
    calendar = icalendar.Calendar.from_ical(output.read_bytes())
    starts = {event.decoded("dtstart") for event in calendar.walk("VEVENT")}
    assert datetime(2024, 7, 4, 14, 0, tzinfo=UTC) in starts
    assert all(start.year < 9999 for start in starts)
