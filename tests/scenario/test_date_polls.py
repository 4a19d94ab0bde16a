"""Date polls end to end: the real seed poll's typo, standings, the closing nudge, results, winner reminders,
bad polls, and the poll lifecycle in `cotechbot plan` — the real worker, over real HTTP, with a fixed clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cotechbot.ledger import SENT
from cotechbot.sandbox.markup import MarkupError
from tests.conftest import require_shared

LONDON = ZoneInfo("Europe/London")
SEED_THREAD = "samples/forum/001_c0d097f263b5e7a6.txt"
GROUP = "cotech-members"
MEMBERS = ("ada", "bryn", "cerys", "dafydd", "efa")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def every(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    times, at = [], start
    while at <= end:
        times.append(at)
        at += step
    return times


def run_through(bot, times: list[datetime], cycles: int = 1) -> None:
    for at in sorted(times):
        bot.run_at(at, cycles=cycles)


def poll_raw(
    options: list[str],
    attrs: str = "type=regular results=always public=true",
    intro: str = "Which of these times works for you? Vote below please.",
) -> str:
    return f"{intro}\n\n[poll {attrs}]\n" + "\n".join(f"* {o}" for o in options) + "\n[/poll]"


def posts_of_kind(bot, topic_id: int, kind: str) -> list:
    """The bot's posts in a topic that carry an outbox key of ``kind`` (e.g. ``poll-standings``)."""
    return [p for p in bot.bot_posts(topic_id) if f"<!-- cotechbot:{kind}:" in p.raw]


def body(post) -> str:
    """A post's text without the invisible key marker."""
    return post.raw.split("<!-- cotechbot:")[0]


def seed_poll_raw() -> str:
    """The real thread's poll post: its intro sentence and its eight option lines, typo included."""
    thread = require_shared(SEED_THREAD).read_text(encoding="utf-8")
    lines = [line.strip().lstrip("•").strip() for line in thread.splitlines()]
    options = [line for line in lines if re.fullmatch(r"3-4pm \w+day \d+\w\w \w+ 20[12]4", line)]
    assert len(options) == 8 and sum("2014" in o for o in options) == 1
    intro = next(line for line in lines if line.startswith("Regarding a video call"))
    return poll_raw(options, "type=regular results=always public=true chartType=bar", intro=intro)


# ------------------------------------------------------------------------------------------- check note


def test_the_real_seed_poll_gets_one_note_about_its_2014_option(make_bot) -> None:
    """The real thread's poll (posted 20 February 2024) gets exactly one check note, about "5th March 2014"."""
    posted = london(2024, 2, 20, 11, 0)
    bot = make_bot(posted)
    topic, post = bot.forum.create_topic(
        "Rebooting CoTech in 2024", seed_poll_raw(), username="chris", created_at=posted
    )
    run_through(bot, every(posted, london(2024, 3, 9, 12, 0), timedelta(hours=17)), cycles=2)
    [note] = bot.bot_posts(topic.id)
    assert note.created_at == posted
    assert "5th March 2014" in note.raw and "Tuesday 5 March 2024" in note.raw
    assert body(note).count("\n- ") == 1 and "@" not in body(note)
    assert note.raw.rstrip().endswith(f"<!-- cotechbot:poll-check:post/{post.id}/poll -->")
    assert [(row.kind, row.status) for row in bot.ledger.actions()] == [("poll_check", SENT)]


# -------------------------------------------------------------------------------------------- standings


def test_standings_once_per_period_and_only_when_votes_changed(make_bot) -> None:
    """An `always` poll gets one standings post per day with new votes, and none on a day without changes."""
    posted = london(2024, 4, 8, 9, 0)
    bot = make_bot(posted)
    options = ["2pm Monday 22nd April 2024", "2pm Tuesday 23rd April 2024", "2pm Wednesday 24th April 2024"]
    topic, post = bot.forum.create_topic(
        "Members call: pick a time", poll_raw(options), username="ada", created_at=posted
    )
    bot.run_at(posted)
    bot.forum.vote(post.id, "poll", "bryn", [options[0]])
    bot.forum.vote(post.id, "poll", "cerys", [options[1]])
    run_through(
        bot, every(posted + timedelta(hours=1), posted + timedelta(hours=47), timedelta(hours=4)), cycles=2
    )
    [first] = posts_of_kind(bot, topic.id, "poll-standings")
    day_one = posted + timedelta(days=1)  # a full day of voting, then one summary at the next cycle
    assert day_one <= first.created_at < day_one + timedelta(hours=2)
    assert "2 people have voted" in first.raw and "Monday 22nd April 2024: **1** vote" in first.raw

    bot.forum.vote(post.id, "poll", "dafydd", [options[0]])  # day two: a new vote
    run_through(
        bot, every(posted + timedelta(hours=48), posted + timedelta(hours=71), timedelta(hours=4)), cycles=2
    )
    second = posts_of_kind(bot, topic.id, "poll-standings")[1]
    assert "3 people have voted" in second.raw and "Monday 22nd April 2024: **2** votes" in second.raw

    # day three and four: no votes, so nothing new to say
    run_through(bot, every(posted + timedelta(hours=72), posted + timedelta(hours=120), timedelta(hours=5)))
    assert len(posts_of_kind(bot, topic.id, "poll-standings")) == 2
    assert len(bot.bot_posts(topic.id)) == 2


def test_an_on_close_poll_never_gets_standings(make_bot) -> None:
    """Votes on an `on_close` poll are never summarised while it is open, however many cycles run."""
    posted = london(2024, 4, 8, 9, 0)
    bot = make_bot(posted)
    options = ["2pm Monday 22nd April 2024", "2pm Tuesday 23rd April 2024", "2pm Wednesday 24th April 2024"]
    topic, post = bot.forum.create_topic(
        "Gathering call: pick a time",
        poll_raw(options, "type=regular results=on_close public=true"),
        username="ada",
        created_at=posted,
    )
    bot.run_at(posted)
    for day, user in enumerate(("bryn", "cerys", "dafydd", "efa")):
        bot.forum.vote(post.id, "poll", user, [options[day % 3]])
        run_through(
            bot,
            every(
                posted + timedelta(days=day, hours=1), posted + timedelta(days=day + 1), timedelta(hours=4)
            ),
        )
    assert bot.bot_posts(topic.id) == []
    assert bot.ledger.actions() == []


# ------------------------------------------------------------------------------------------ closing nudge


def group_poll(bot, results: str, close: datetime, posted: datetime) -> tuple:
    """A public poll limited to the members' group, two of whose five members vote."""
    bot.forum.add_group(GROUP, members=MEMBERS)
    bot.forum.add_user("outsider")
    options = ["2pm Monday 22nd April 2024", "2pm Tuesday 23rd April 2024", "2pm Wednesday 24th April 2024"]
    attrs = (
        f"type=regular results={results} public=true groups={GROUP} "
        f"close={close.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    )
    topic, post = bot.forum.create_topic(
        "Members call: pick a time", poll_raw(options, attrs), username="ada", created_at=posted
    )
    bot.run_at(posted)
    bot.forum.vote(post.id, "poll", "ada", [options[0]])
    bot.forum.vote(post.id, "poll", "Cerys", [options[1]])  # usernames compare case-insensitively
    with pytest.raises(ValueError):
        bot.forum.vote(post.id, "poll", "outsider", [options[0]])  # not in the group: Discourse refuses
    nudge_at = close - timedelta(hours=24)
    times = every(posted + timedelta(hours=1), close - timedelta(minutes=1), timedelta(hours=7))
    run_through(
        bot, times + [nudge_at, nudge_at + timedelta(seconds=30), nudge_at + timedelta(hours=1)], cycles=2
    )
    return topic, post


def test_closing_reminder_names_only_group_members_who_have_not_voted(make_bot) -> None:
    """A public `always` poll limited to a group is nudged once, a day before close, naming only non-voters."""
    posted, close = london(2024, 4, 8, 9, 0), london(2024, 4, 12, 17, 0)
    bot = make_bot(posted)
    topic, _ = group_poll(bot, "always", close, posted)
    [nudge] = posts_of_kind(bot, topic.id, "poll-closing")
    assert nudge.created_at == close - timedelta(hours=24)
    assert "Still to vote: @bryn, @dafydd, @efa." in nudge.raw
    assert not re.search(r"@(ada|cerys|outsider)\b", nudge.raw, re.IGNORECASE)
    assert "closes in about 24 hours" in nudge.raw and "Friday 12 April 2024, 17:00 BST" in nudge.raw
    assert "So far:" in nudge.raw and "Monday 22nd April 2024: **1** vote" in nudge.raw
    assert bot.bot_posts(topic.id)[-1] is nudge  # no standings of its own in the closing window


def test_closing_reminder_of_an_on_close_poll_names_nobody(make_bot) -> None:
    """While an `on_close` poll hides its voters the nudge names nobody, and the bot never asks who voted."""
    posted, close = london(2024, 4, 8, 9, 0), london(2024, 4, 12, 17, 0)
    bot = make_bot(posted)
    topic, _ = group_poll(bot, "on_close", close, posted)
    [nudge] = bot.bot_posts(topic.id)
    assert nudge.created_at == close - timedelta(hours=24)
    assert "@" not in body(nudge) and "So far" not in nudge.raw and "closes in about 24 hours" in nudge.raw
    assert not [r for r in bot.forum.requests if "voters" in r.path]


# ------------------------------------------------------------------------------------ results and winner


def test_result_at_close_and_winner_reminders_at_london_times(make_bot) -> None:
    """After the close time passes the winner is announced once, then reminded at 15:00 and 14:50 BST."""
    posted = london(2024, 4, 8, 9, 0)
    close = london(2024, 4, 12, 17, 0)
    bot = make_bot(posted)
    options = [
        "3-4pm Monday 22nd April 2024",
        "3-4pm Tuesday 23rd April 2024",
        "3-4pm Wednesday 24th April 2024",
    ]
    attrs = f"type=regular results=always public=true close={close.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    topic, post = bot.forum.create_topic(
        "Members call: pick a time", poll_raw(options, attrs), username="ada", created_at=posted
    )
    bot.run_at(posted)
    for user, choice in (("bryn", 1), ("cerys", 1), ("dafydd", 0)):
        bot.forum.vote(post.id, "poll", user, [options[choice]])
    times = every(posted + timedelta(hours=1), london(2024, 4, 24, 12, 0), timedelta(hours=17))
    times += [
        close,
        close + timedelta(minutes=1),
        london(2024, 4, 22, 15, 0),
        london(2024, 4, 22, 15, 0, 30),
        london(2024, 4, 23, 14, 50),
        london(2024, 4, 23, 14, 50, 5),
        london(2024, 4, 23, 14, 55),
    ]
    run_through(bot, times, cycles=2)

    [result] = posts_of_kind(bot, topic.id, "poll-result")
    assert close <= result.created_at < close + timedelta(minutes=30)
    assert "**3-4pm Tuesday 23rd April 2024** with 2 votes" in result.raw
    assert "Tuesday 23 April 2024, 15:00 BST" in result.raw and "reminders" in result.raw
    reminders = posts_of_kind(bot, topic.id, "reminder")
    assert [p.created_at for p in reminders] == [london(2024, 4, 22, 15, 0), london(2024, 4, 23, 14, 50)]
    assert "tomorrow" in reminders[0].raw and "in 10 minutes" in reminders[1].raw
    assert all("Tuesday 23 April 2024, 15:00 BST (14:00 UTC)" in p.raw for p in reminders)
    kinds = [p.raw.split("<!-- cotechbot:")[1].split(":")[0] for p in bot.bot_posts(topic.id)]
    assert kinds.count("poll-result") == 1 and kinds.count("reminder") == 2
    assert kinds.count("poll-closing") == 1 and kinds.count("poll-standings") == 1


def test_a_poll_closed_by_hand_after_a_week_announces_its_winner(make_bot) -> None:
    """A poll with no close time, closed by its author nine days in, gets its result announced once."""
    posted = london(2024, 4, 1, 9, 0)
    bot = make_bot(posted)
    options = ["6pm Thursday 25th April 2024", "6pm Friday 26th April 2024"]
    topic, post = bot.forum.create_topic(
        "Social: which evening?",
        poll_raw(options, "type=regular results=on_vote"),
        username="ada",
        created_at=posted,
    )
    bot.run_at(posted)
    bot.forum.vote(post.id, "poll", "bryn", [options[1]])
    run_through(bot, every(posted + timedelta(hours=1), posted + timedelta(days=9), timedelta(hours=12)))
    closed = posted + timedelta(days=9, hours=2)
    bot.clock.set(closed)
    bot.forum.close_poll(post.id)
    run_through(bot, every(closed + timedelta(minutes=5), closed + timedelta(days=3), timedelta(hours=5)))
    [result] = posts_of_kind(bot, topic.id, "poll-result")
    assert "**6pm Friday 26th April 2024** with 1 vote" in result.raw
    assert closed < result.created_at <= closed + timedelta(hours=1)


def test_an_old_poll_closed_before_the_bot_arrived_is_not_announced(make_bot) -> None:
    """A bot first reading a forum stays quiet about a poll closed by hand (no `closed_at`) weeks ago."""
    posted = london(2024, 3, 1, 9, 0)
    start = london(2024, 4, 8, 9, 0)
    bot = make_bot(start)
    options = ["6pm Thursday 7th March 2024", "6pm Friday 8th March 2024"]
    topic, post = bot.forum.create_topic(
        "Old social poll", poll_raw(options), username="ada", created_at=posted
    )
    bot.forum.vote(post.id, "poll", "bryn", [options[1]])
    bot.forum.close_poll(post.id)
    run_through(bot, every(start, start + timedelta(days=2), timedelta(hours=6)))
    assert bot.bot_posts() == [] and bot.ledger.actions() == []


def test_a_tie_lists_the_tied_options_and_makes_no_event(make_bot) -> None:
    """A poll closed by hand on a tie lists both top options, asks the organiser, and plans no reminders."""
    posted = london(2024, 4, 8, 9, 0)
    bot = make_bot(posted)
    options = [
        "3-4pm Monday 22nd April 2024",
        "3-4pm Tuesday 23rd April 2024",
        "3-4pm Wednesday 24th April 2024",
    ]
    topic, post = bot.forum.create_topic(
        "Members call: pick a time", poll_raw(options), username="ada", created_at=posted
    )
    bot.run_at(posted)
    for user, choice in (("bryn", 0), ("cerys", 1), ("dafydd", 0), ("efa", 1), ("huw", 2)):
        bot.forum.vote(post.id, "poll", user, [options[choice]])
    bot.run_at(posted + timedelta(hours=3))
    bot.clock.set(posted + timedelta(hours=4))
    bot.forum.close_poll(post.id)
    run_through(
        bot, every(posted + timedelta(hours=4), london(2024, 4, 24, 18, 0), timedelta(hours=19)), cycles=2
    )
    [result] = bot.bot_posts(topic.id)
    assert "tie at 2 votes each" in result.raw and "Could the organiser pick one" in result.raw
    assert "- 3-4pm Monday 22nd April 2024" in result.raw and "- 3-4pm Tuesday 23rd April 2024" in result.raw
    assert "Wednesday" not in result.raw
    assert [row.kind for row in bot.ledger.actions()] == ["poll_result"]


# ---------------------------------------------------------------------------------------------- bad polls


def serve_with_options(forum, post_id: int, keep: int) -> None:
    """Make the forum serve the post's poll with only its first ``keep`` options.

    Discourse (and the sandbox) refuse to save a poll with fewer than two options (a 422), so such a poll
    can only reach the bot from an old or imported post; the test shapes the served poll directly."""
    poll = forum.poll(post_id)
    poll.options = poll.options[:keep]


@pytest.mark.parametrize("keep", [0, 1], ids=["no options", "one option"])
def test_a_poll_served_with_fewer_than_two_options_is_ignored(make_bot, keep: int) -> None:
    """A poll served with no options or one option is not a date poll: cycles run and nothing is posted."""
    posted = london(2024, 4, 8, 9, 0)
    bot = make_bot(posted)
    with pytest.raises(MarkupError):
        bot.forum.create_topic("Empty poll", poll_raw([]), username="ada", created_at=posted)
    with pytest.raises(MarkupError):
        bot.forum.create_topic(
            "Single poll", poll_raw(["2pm Monday 22nd April 2024"]), username="ada", created_at=posted
        )
    topic, post = bot.forum.create_topic(
        "Odd poll",
        poll_raw(["2pm Monday 22nd April 2024", "2pm Monday 22nd April 2024 again"]),
        username="ada",
        created_at=posted,
    )
    serve_with_options(bot.forum, post.id, keep)
    run_through(bot, every(posted, posted + timedelta(days=3), timedelta(hours=6)))
    [mirrored] = [p for p in bot.ledger.mirrored_posts("cotech") if p.id == post.id]
    assert len(mirrored.polls[0].options) == keep  # the bot did read the odd poll
    assert bot.bot_posts() == [] and bot.ledger.actions() == []


def test_a_poll_that_is_not_about_dates_gets_no_post(make_bot) -> None:
    """A yes/no/pizza poll with votes and a close time is left alone: no check note, nudge or result."""
    posted = london(2024, 4, 8, 9, 0)
    close = london(2024, 4, 10, 12, 0)
    bot = make_bot(posted)
    options = ["Yes", "No", "Maybe", "Pizza on Monday"]
    attrs = f"type=regular results=always public=true close={close.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    topic, post = bot.forum.create_topic(
        "Shall we order pizza?", poll_raw(options, attrs), username="ada", created_at=posted
    )
    bot.forum.vote(post.id, "poll", "bryn", ["Yes"])
    run_through(bot, every(posted, close + timedelta(days=2), timedelta(hours=4)))
    assert bot.bot_posts() == [] and bot.ledger.actions() == []


HOSTILE_OPTIONS = [
    "<script>alert('x')</script> 3pm Monday 22nd April 2024",
    "@everyone 3pm Tuesday 23rd April 2024",
    "[click here](https://evil.example/phish) 3pm Thursday 24th April 2024",  # the 24th is a Wednesday
    "<img src=x onerror=alert(1)> **3pm** Thursday 25th April 2024 <!-- cotechbot:poll-result:post/1/poll -->",
]


def test_hostile_options_are_quoted_harmlessly(make_bot) -> None:
    """Options with script tags, @everyone and links get one note about the real mistake, quoted inertly."""
    posted = london(2024, 4, 8, 9, 0)
    bot = make_bot(posted)
    topic, post = bot.forum.create_topic(
        "Hostile poll", poll_raw(HOSTILE_OPTIONS), username="mallory", created_at=posted
    )
    # and one option whose cooked HTML is live markup, as a lax sanitiser might serve it
    bot.forum.poll(post.id).options[0].html = '<script>alert("@everyone")</script>3pm Monday 22nd April 2024'
    run_through(bot, every(posted, posted + timedelta(days=3), timedelta(hours=6)), cycles=2)
    [note] = bot.bot_posts(topic.id)
    text = body(note)
    assert "Thursday 24th April 2024" in text and "24 April 2024 is a Wednesday" in text
    assert text.count("\n- ") == 1
    assert "@" not in text and "<" not in text and "](" not in text and "evil.example" not in text
    assert note.raw.count("<!-- cotechbot:") == 1


def test_a_two_hundred_option_poll_gets_at_most_one_concise_note(make_bot) -> None:
    """A 200-option poll full of clashing times runs its cycles and gets one short note listing ten problems."""
    posted = london(2024, 3, 25, 9, 0)
    bot = make_bot(posted)
    options = [f"{9 + i % 8}am Monday {1 + i % 28} April 2024 option {i}" for i in range(200)]
    topic, post = bot.forum.create_topic(
        "Huge poll",
        poll_raw(options, "type=multiple results=always min=1 max=50"),
        username="ada",
        created_at=posted,
    )
    for user in MEMBERS:
        bot.forum.vote(post.id, "poll", user, options[:3])
    run_through(bot, every(posted, posted + timedelta(days=2), timedelta(hours=16)), cycles=2)
    notes = posts_of_kind(bot, topic.id, "poll-check")
    assert len(notes) == 1
    assert body(notes[0]).count("\n- ") == 11 and "more." in notes[0].raw and len(notes[0].raw) < 3000
    assert all(len(p.raw) < 3000 for p in bot.bot_posts(topic.id))


# ------------------------------------------------------------------------------------------ cotechbot plan


def test_plan_command_shows_each_live_polls_stage(make_bot, monkeypatch, capsys) -> None:
    """`cotechbot plan` lists every live date poll with its lifecycle line and what has already been sent."""
    from cotechbot import cli

    posted = london(2024, 2, 20, 11, 0)
    close = london(2024, 2, 23, 17, 0)
    bot = make_bot(posted)
    seed, seed_post = bot.forum.create_topic(
        "Rebooting CoTech in 2024", seed_poll_raw(), username="chris", created_at=posted
    )
    options = ["3-4pm Monday 26th February 2024", "3-4pm Tuesday 27th February 2024"]
    attrs = f"type=regular results=always public=true close={close.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    call, call_post = bot.forum.create_topic(
        "Members call: pick a time", poll_raw(options, attrs), username="ada", created_at=posted
    )
    bot.forum.create_topic(
        "Shall we order pizza?", poll_raw(["Yes", "No"]), username="ada", created_at=posted
    )
    for user in ("bryn", "cerys"):
        bot.forum.vote(call_post.id, "poll", user, [options[0]])
    bot.run_at(posted + timedelta(minutes=5), cycles=2)

    monkeypatch.setattr(cli, "configure_logging", lambda **_: None)  # keep the root logger as pytest set it
    monkeypatch.setenv("COTECHBOT_DATABASE_URL", bot.settings.database_url)
    monkeypatch.setenv("COTECHBOT_FORUM_NAME", bot.settings.forum_name)
    monkeypatch.setenv("COTECHBOT_TIMEZONE", "Europe/London")
    assert cli.main(["plan", "--now", (posted + timedelta(days=1, hours=1)).isoformat()]) == 0
    out = capsys.readouterr().out
    table, polls = out.split("Date polls")
    assert "poll closing" in table and "Thu 22 Feb 2024 17:00 GMT" in table
    assert polls.startswith(" (2 live):")
    assert (
        "- “Rebooting CoTech in 2024” (poll “poll”): open, 0 voters, results always · check note (1 problem)\n"
        f"    topic {seed.id}, post {seed_post.id}; 8 options, 1 flagged\n"
        "    posted so far: poll check"
    ) in polls
    assert (
        "- “Members call: pick a time” (poll “poll”): open, 2 voters, results always, closes Fri 23 Feb 17:00"
        " · standings"
        " · closing reminder Thu 22 Feb 17:00"
    ) in polls
    assert "pizza" not in polls


def test_a_poll_naming_a_group_its_author_is_not_in_never_pings_that_group(make_bot) -> None:
    """Issue 9 item 13: an outsider's poll limited to the members' group gets a nudge that counts the
    non-voters but @-names nobody."""
    posted, close = london(2024, 4, 8, 9, 0), london(2024, 4, 12, 17, 0)
    bot = make_bot(posted)
    bot.forum.add_group(GROUP, members=MEMBERS)
    bot.forum.add_user("outsider")
    options = ["2pm Monday 22nd April 2024", "2pm Tuesday 23rd April 2024", "2pm Wednesday 24th April 2024"]
    attrs = (
        f"type=regular results=always public=true groups={GROUP} "
        f"close={close.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    )
    topic, post = bot.forum.create_topic(
        "Members call: pick a time", poll_raw(options, attrs), username="outsider", created_at=posted
    )
    bot.run_at(posted)
    bot.forum.vote(post.id, "poll", "ada", [options[0]])
    nudge_at = close - timedelta(hours=24)
    run_through(bot, [nudge_at, nudge_at + timedelta(seconds=30)], cycles=2)
    [nudge] = posts_of_kind(bot, topic.id, "poll-closing")
    assert "@" not in body(nudge) and f"{len(MEMBERS) - 1} members have not voted yet" in nudge.raw
