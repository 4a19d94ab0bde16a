"""Date polls: detection, checks and the planned lifecycle (check note, standings, closing nudge, result)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import pytest

from cotechbot.capabilities.events import EventRules, plan_reminders
from cotechbot.capabilities.polls import (
    DatePoll,
    PollRules,
    check_poll,
    detect_date_polls,
    last_standings_from,
    needs_non_voters,
    non_voters_among,
    option_text,
    parse_option_html,
    plan_poll,
    should_watch,
)
from cotechbot.ledger import OutboxRow
from cotechbot.models import Poll, PollOption, Post
from cotechbot.sandbox.markup import option_id, render_inline
from cotechbot.settings import Settings
from tests.mentions import assert_no_mention

POSTED = datetime(2024, 2, 20, 10, 0, tzinfo=UTC)
SOON = POSTED + timedelta(minutes=5)
FORUM = "cotech"
TITLE = "Rebooting CoTech in 2024"

# The options of the real poll in thread 001, typo included.
SEED_OPTIONS = [
    "3-4pm Monday 26th February 2024",
    "3-4pm Tuesday 27th February 2024",
    "3-4pm Wednesday 28th February 2024",
    "3-4pm Thursday 29th February 2024",
    "3-4pm Monday 4th March 2024",
    "3-4pm Tuesday 5th March 2014",
    "3-4pm Wednesday 6th March 2024",
    "3-4pm Thursday 7th March 2024",
]
GOOD_OPTIONS = [o for o in SEED_OPTIONS if "2014" not in o]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_post(
    options: list[str] | None = None,
    *,
    votes: list[int | None] | None = None,
    html: list[str] | None = None,
    post_id: int = 501,
    posted: datetime = POSTED,
    **poll_fields: object,
) -> Post:
    """A post carrying one poll whose options are cooked the way Discourse cooks them."""
    texts = options if options is not None else SEED_OPTIONS
    cooked = html if html is not None else [render_inline(t) for t in texts]
    counts = votes if votes is not None else [0] * len(cooked)
    poll = Poll(
        options=[
            PollOption(id=option_id(t), html=h, votes=v)
            for t, h, v in zip(texts, cooked, counts, strict=True)
        ],
        **poll_fields,
    )
    return Post(
        id=post_id,
        topic_id=77,
        post_number=9,
        username="organiser",
        created_at=posted,
        cooked="",
        topic_title=TITLE,
        polls=[poll],
    )


def date_poll(*args: object, **kwargs: object) -> DatePoll:
    """The one date poll detected in ``make_post(...)``, seen five minutes after it was posted."""
    post = make_post(*args, **kwargs)  # type: ignore[arg-type]
    [found] = detect_date_polls([post], post.created_at + timedelta(minutes=5))
    return found


def action_of(plan, kind: str):
    [action] = [a for a in plan.actions if a.kind == kind]
    return action


def raw_of(plan, kind: str) -> str:
    return action_of(plan, kind).payload["raw"]


def kinds(plan) -> list[str]:
    return [a.kind for a in plan.actions]


# ------------------------------------------------------------------------------------------ option html


def test_option_text_strips_tags_and_decodes_entities():
    """Option text comes from a real HTML parse: tags dropped, entities decoded, whitespace squashed."""
    assert (
        option_text("3-4pm <strong>Monday</strong>\n 26th &amp; <em>co</em> &lt;b&gt;")
        == "3-4pm Monday 26th & co <b>"
    )


def test_option_text_ignores_script_and_local_date_fallback_text():
    """Script bodies and the UTC fallback text of a local-date span are not part of the option's words."""
    html = 'Tue <script>alert("Monday 1 Jan")</script>' + render_inline(
        '[date=2025-06-10 time=18:00:00 timezone="Europe/London"]'
    )
    markup = parse_option_html(html)
    assert markup.plain == "Tue"
    assert markup.dates[0]["date"] == "2025-06-10" and markup.dates[0]["timezone"] == "Europe/London"


# ------------------------------------------------------------------------------------------------ detect


def test_seed_poll_is_a_date_poll_and_reads_the_typo_year_from_its_siblings():
    """The real poll is detected; "Tuesday 5th March 2014" reads as 2024-03-05 15:00 UTC with a year flag."""
    poll = date_poll()
    assert (poll.post_id, poll.topic_id, poll.topic_title, poll.name) == (501, 77, TITLE, "poll")
    starts = [o.when.start for o in poll.options]
    assert starts[0] == utc(2024, 2, 26, 15) and poll.options[0].when.end == utc(2024, 2, 26, 16)
    typo = poll.options[5]
    assert typo.text == "3-4pm Tuesday 5th March 2014"
    assert typo.when.start == utc(2024, 3, 5, 15)
    assert typo.when.corrected_from_year == 2014
    assert all(o.when.corrected_from_year is None for i, o in enumerate(poll.options) if i != 5)


def test_date_markup_options_are_read_from_their_data_attributes():
    """`[date]` options are read from the cooked span (London time → UTC) and spelled out in the text."""
    options = [
        'Tue [date=2025-06-10 time=18:00:00 timezone="Europe/London"]',
        'Thu [date=2025-06-12 time=18:00:00 timezone="Europe/London"]',
        "Fri [date=2025-06-13 time=09:30:00]",
    ]
    poll = date_poll(options, posted=utc(2025, 6, 1))
    first, second, no_zone = poll.options
    assert first.when.start == utc(2025, 6, 10, 17) and first.when.source == "markup"
    assert second.when.start == utc(2025, 6, 12, 17)
    assert no_zone.when.start == utc(2025, 6, 13, 9, 30)  # no time zone means UTC (API-NOTES §5)
    assert first.text == "Tue 10 June 2025, 18:00 BST"
    assert check_poll(poll) == []


def test_date_range_markup_option_has_an_end():
    """A `[date-range]` option (a from/to pair of spans) reads as one time with an end."""
    options = [
        '[date-range from=2025-06-10T18:00:00 to=2025-06-10T20:00:00 timezone="Europe/London"]',
        '[date-range from=2025-06-11T18:00:00 to=2025-06-11T20:00:00 timezone="Europe/London"]',
    ]
    poll = date_poll(options, posted=utc(2025, 6, 1))
    assert (poll.options[0].when.start, poll.options[0].when.end) == (
        utc(2025, 6, 10, 17),
        utc(2025, 6, 10, 19),
    )


def test_a_poll_whose_options_are_not_mostly_times_is_not_a_date_poll():
    """Half or fewer options reading as times (or a number poll) is not a date poll."""
    half = make_post(
        ["Monday 26th February 2024 at 3pm", "Tuesday 27th February 2024 at 3pm", "Neither", "Don't mind"]
    )
    number = make_post(["1", "2", "3"], type="number")
    yes_no = make_post(["Yes", "No"])
    assert detect_date_polls([half, number, yes_no], SOON) == []
    most = make_post(["Monday 26th February 2024 at 3pm", "Tuesday 27th February 2024 at 3pm", "Neither"])
    [found] = detect_date_polls([most], SOON)
    assert found.options[2].when is None


def test_deleted_posts_are_skipped():
    """A deleted post's poll is not a date poll any more."""
    post = make_post().model_copy(update={"deleted_at": SOON})
    assert detect_date_polls([post], SOON) == []


# ------------------------------------------------------------------------------------------------- check


def test_seed_poll_gets_exactly_one_problem_about_the_2014_option():
    """The real poll yields one problem: the 2014 option's weekday, with Tuesday 5 March 2024 as the fix."""
    poll = date_poll()
    [problem] = check_poll(poll)
    assert problem.kind == "weekday_mismatch"
    assert problem.option_text == "3-4pm Tuesday 5th March 2014"
    assert problem.written_day == date(2014, 3, 5) and problem.suggestions == (date(2024, 3, 5),)


def test_seed_poll_check_note_names_the_typo_and_the_intended_date():
    """The note quotes "5th March 2014", explains the weekday and suggests "Tuesday 5 March 2024"."""
    plan = plan_poll(date_poll(), now=SOON, forum=FORUM)
    [action] = plan.actions
    assert action.key == "poll-check:post/501/poll" and action.kind == "poll_check"
    assert action.source == "poll/501/poll" and action.target == "topic/77"
    assert action.due_at == POSTED and action.expires_at == POSTED + timedelta(days=7)
    raw = action.payload["raw"]
    assert action.payload["op"] == "reply" and action.payload["topic_id"] == 77
    assert "5th March 2014" in raw and "Tuesday 5 March 2024" in raw and "Wednesday" in raw
    assert raw.count("\n- ") == 1 and "@" not in raw
    assert raw.endswith("<!-- cotechbot:poll-check:post/501/poll -->")


def test_weekday_mismatch_without_a_year_typo_offers_both_readings():
    """A weekday that contradicts a date in the right year suggests the nearest such weekday and the date."""
    options = GOOD_OPTIONS[:3] + ["3-4pm Monday 27th February 2024"]
    [problem] = check_poll(date_poll(options))
    assert problem.kind == "weekday_mismatch"
    assert problem.suggestions == (date(2024, 2, 26), date(2024, 2, 27))
    raw = raw_of(plan_poll(date_poll(options), now=SOON, forum=FORUM), "poll_check")
    assert "27 February 2024 is a Tuesday, not a Monday" in raw
    assert "Monday 26 February 2024, or Tuesday 27 February 2024" in raw


def test_markup_weekday_mismatch_is_flagged_and_zones_do_not_fake_one():
    """A weekday word beside a `[date]` of another weekday is flagged; 11pm EST on a Tuesday is still Tuesday."""
    markup = [
        'Wed [date=2025-06-10 time=18:00:00 timezone="Europe/London"]',
        'Thu [date=2025-06-12 time=18:00:00 timezone="Europe/London"]',
    ]
    [problem] = check_poll(date_poll(markup, posted=utc(2025, 6, 1)))
    assert (problem.kind, problem.written_day, problem.weekday_named) == (
        "weekday_mismatch",
        date(2025, 6, 10),
        2,
    )
    late = ["Tuesday 5 March 2024 11pm EST", "Wednesday 6 March 2024 11pm EST"]
    poll = date_poll(late)
    assert poll.options[0].when.start == utc(2024, 3, 6, 4) and check_poll(poll) == []


def test_past_date_is_flagged():
    """An option before the moment the poll was posted is flagged as past."""
    options = GOOD_OPTIONS[:3] + ["3-4pm Monday 19th February 2024"]
    [problem] = check_poll(date_poll(options))
    assert (problem.kind, problem.option_text) == ("past", "3-4pm Monday 19th February 2024")
    assert "had already passed" in raw_of(plan_poll(date_poll(options), now=SOON, forum=FORUM), "poll_check")


def test_duplicate_times_are_flagged_once_on_the_later_option():
    """Two options naming the same instant in different words make one duplicate problem."""
    options = GOOD_OPTIONS[:3] + ["Mon 26 Feb 2024, 15:00-16:00"]
    [problem] = check_poll(date_poll(options))
    assert problem.kind == "duplicate" and problem.same_as == GOOD_OPTIONS[0]
    assert "is the same time as" in raw_of(plan_poll(date_poll(options), now=SOON, forum=FORUM), "poll_check")


def test_an_option_in_a_far_off_other_year_is_flagged():
    """A correct-weekday option in a different year, far from the rest, is flagged as an odd year."""
    options = GOOD_OPTIONS[:3] + ["3-4pm Monday 24th February 2025"]
    [problem] = check_poll(date_poll(options))
    assert (problem.kind, problem.usual_year) == ("odd_year", 2024)
    assert "is in 2025, while the other options are in 2024" in raw_of(
        plan_poll(date_poll(options), now=SOON, forum=FORUM), "poll_check"
    )


def test_a_poll_spanning_new_year_is_not_an_odd_year():
    """Options either side of New Year are neighbours, not a year typo."""
    options = [
        "7pm Monday 30th December 2024",
        "7pm Tuesday 31st December 2024",
        "7pm Thursday 2nd January 2025",
    ]
    assert check_poll(date_poll(options, posted=utc(2024, 12, 1))) == []


def test_no_check_note_when_disabled_too_late_closed_or_clean():
    """No note when checks are off, the poll is past its check window or closed, or nothing is wrong."""
    poll = date_poll()
    assert plan_poll(poll, now=SOON, forum=FORUM, rules=PollRules(checks_enabled=False)).actions == ()
    assert plan_poll(poll, now=POSTED + timedelta(days=7), forum=FORUM).actions == ()
    closed = date_poll(status="closed")
    assert "poll_check" not in kinds(plan_poll(closed, now=SOON, forum=FORUM))
    assert plan_poll(date_poll(GOOD_OPTIONS), now=SOON, forum=FORUM).actions == ()


# --------------------------------------------------------------------------------------------- standings

VOTES = [3, 1, 0, 2, 0, 0, 0, 1]  # for GOOD_OPTIONS + 1 more (8 options)
DAY_LATER = POSTED + timedelta(days=1, hours=2)
CLOSE = utc(2024, 2, 24, 12)  # the Saturday before the first option
BEFORE_CLOSE = CLOSE - timedelta(hours=20)
AFTER_CLOSE = CLOSE + timedelta(minutes=7)


def voted_poll(results: str = "always", votes: list[int | None] | None = None, **fields: object) -> DatePoll:
    fields.setdefault("close", CLOSE)
    return date_poll(
        GOOD_OPTIONS + ["3-4pm Friday 8th March 2024"],
        votes=votes or VOTES,
        results=results,
        voters=5,
        **fields,
    )


def test_standings_summarise_votes_on_a_results_always_poll():
    """An open `always` poll with votes gets one summary per period, its key naming the period."""
    plan = plan_poll(voted_poll(), now=DAY_LATER, forum=FORUM)
    assert kinds(plan) == ["poll_standings", "poll_closing"]  # the nudge waits in the outbox until it is due
    action = action_of(plan, "poll_standings")
    assert action.key == "poll-standings:post/501/poll:2024-02-21T10:00Z"
    assert action.due_at == POSTED + timedelta(days=1) and action.expires_at == POSTED + timedelta(days=2)
    raw = action.payload["raw"]
    assert "5 people have voted" in raw
    lines = [line for line in raw.splitlines() if line.startswith("- ")]
    assert lines == [
        "- 3-4pm Monday 26th February 2024: **3** votes",
        "- 3-4pm Thursday 29th February 2024: **2** votes",
        "- 3-4pm Tuesday 27th February 2024: **1** vote",
        "- 3-4pm Friday 8th March 2024: **1** vote",
    ]
    assert action.payload["tallies"][option_id(GOOD_OPTIONS[0])] == 3


@pytest.mark.parametrize("results", ["on_vote", "on_close", "staff_only"])
def test_no_standings_unless_everyone_may_see_results(results):
    """Tallies of `on_vote`, `on_close` and `staff_only` polls are never repeated while the poll is open."""
    plan = plan_poll(voted_poll(results), now=DAY_LATER, forum=FORUM)
    assert kinds(plan) == ["poll_closing"]
    assert "vote" not in "".join(
        line for line in plan.actions[0].payload["raw"].splitlines() if line.startswith("- ")
    )


def test_standings_only_when_votes_changed_since_the_last_ones():
    """Tallies equal to the last standings plan nothing; changed tallies plan the period's summary."""
    poll = voted_poll()
    assert kinds(plan_poll(poll, now=DAY_LATER, forum=FORUM, last_standings=poll.tallies)) == ["poll_closing"]
    older = {**poll.tallies, option_id(GOOD_OPTIONS[0]): 2}
    assert "poll_standings" in kinds(plan_poll(poll, now=DAY_LATER, forum=FORUM, last_standings=older))


def test_standings_at_most_once_per_period():
    """Every plan within one period has the same key; the next period has the next one."""
    poll = voted_poll()
    first = action_of(plan_poll(poll, now=DAY_LATER, forum=FORUM), "poll_standings").key
    later_same_day = action_of(
        plan_poll(
            voted_poll(votes=[4, 1, 0, 2, 0, 0, 0, 1]), now=DAY_LATER + timedelta(hours=20), forum=FORUM
        ),
        "poll_standings",
    ).key
    next_day = action_of(
        plan_poll(poll, now=DAY_LATER + timedelta(days=1), forum=FORUM), "poll_standings"
    ).key
    assert first == later_same_day
    assert next_day == "poll-standings:post/501/poll:2024-02-22T10:00Z"
    assert kinds(plan_poll(poll, now=POSTED + timedelta(hours=23), forum=FORUM)) == [
        "poll_closing"
    ]  # too early


def test_no_standings_without_votes_or_with_hidden_counts():
    """Zero votes, or counts the forum hid from the bot, make no summary."""
    assert kinds(plan_poll(voted_poll(votes=[0] * 8), now=DAY_LATER, forum=FORUM)) == ["poll_closing"]
    assert kinds(plan_poll(voted_poll(votes=[None] * 8), now=DAY_LATER, forum=FORUM)) == ["poll_closing"]


def test_last_standings_are_read_from_the_sent_outbox_row():
    """The worker's `last_standings` are the tallies of the newest sent standings for the poll."""

    def row(key, status, sent_at, tallies):
        return OutboxRow(
            key=key,
            kind="poll_standings",
            forum=FORUM,
            source="poll/501/poll",
            target="topic/77",
            due_at=POSTED,
            expires_at=None,
            payload={"tallies": tallies},
            status=status,
            attempts=1,
            claimed_by=None,
            retry_at=None,
            post_ref=None,
            last_error=None,
            sent_at=sent_at,
        )

    rows = [
        row("a", "sent", utc(2024, 2, 21), {"x": 1}),
        row("b", "sent", utc(2024, 2, 22), {"x": 2}),
        row("c", "pending", None, {"x": 3}),
    ]
    assert last_standings_from(rows, "poll/501/poll") == {"x": 2}
    assert last_standings_from(rows, "poll/999/poll") is None


# ----------------------------------------------------------------------------------------------- closing


def test_closing_reminder_names_only_non_voters_of_a_public_group_poll():
    """A public `always` poll limited to a group names exactly the members who have not voted, a day before close."""
    poll = voted_poll(public=True, groups="cotech-members")
    members = ["alice", "bob", "Carol", "dave"]
    voters = ["bob", "carol"]
    assert needs_non_voters(poll, BEFORE_CLOSE) and not needs_non_voters(poll, POSTED + timedelta(days=2))
    plan = plan_poll(poll, now=BEFORE_CLOSE, forum=FORUM, non_voters=non_voters_among(members, voters))
    [action] = plan.actions
    assert action.key == "poll-closing:post/501/poll:2024-02-24T12:00Z" and action.kind == "poll_closing"
    assert (action.due_at, action.expires_at) == (CLOSE - timedelta(hours=24), CLOSE)
    raw = action.payload["raw"]
    assert "Still to vote: @alice, @dave." in raw
    assert "@bob" not in raw and "@Carol" not in raw and "@carol" not in raw
    assert "closes in about 24 hours" in raw


@pytest.mark.parametrize("results", ["on_vote", "on_close", "staff_only"])
def test_closing_reminder_never_names_voters_the_forum_hides(results):
    """While voters are hidden (results not `always`), non-voters are neither fetched nor named: it would leak."""
    poll = voted_poll(results=results, votes=[None] * 8, public=True, groups="cotech-members")
    assert not needs_non_voters(poll, BEFORE_CLOSE)
    [action] = plan_poll(poll, now=BEFORE_CLOSE, forum=FORUM, non_voters=["alice"]).actions
    assert "@" not in action.payload["raw"] and action.payload["mentions"] == []


def test_closing_reminder_on_a_private_poll_mentions_nobody():
    """On a poll whose voters are not public, the nudge is generic even if names were passed."""
    poll = voted_poll(results="on_close", votes=[None] * 8, public=False, groups="cotech-members")
    [action] = plan_poll(poll, now=BEFORE_CLOSE, forum=FORUM, non_voters=["alice"]).actions
    assert "@" not in action.payload["raw"] and action.payload["mentions"] == []


def test_closing_reminder_without_groups_or_names_mentions_nobody():
    """A public poll with no groups, or with non-voters unknown, gets a nudge with no mentions."""
    no_groups = voted_poll(results="on_close", votes=[None] * 8, public=True)
    assert not needs_non_voters(no_groups, BEFORE_CLOSE)
    [action] = plan_poll(no_groups, now=BEFORE_CLOSE, forum=FORUM, non_voters=["alice"]).actions
    assert "@" not in action.payload["raw"]
    grouped = voted_poll(results="on_close", votes=[None] * 8, public=True, groups="cotech-members")
    [action] = plan_poll(grouped, now=BEFORE_CLOSE, forum=FORUM, non_voters=None).actions
    assert "@" not in action.payload["raw"]


def test_closing_reminder_skips_when_everyone_voted_and_drops_odd_usernames():
    """No nudge when every member voted; names that are not usernames are never mentioned."""
    poll = voted_poll(public=True, groups="g")
    assert plan_poll(poll, now=BEFORE_CLOSE, forum=FORUM, non_voters=[]).actions == ()
    [action] = plan_poll(
        poll, now=BEFORE_CLOSE, forum=FORUM, non_voters=["ok_name", "<b>x</b>", "a b"]
    ).actions
    assert action.payload["mentions"] == ["ok_name"] and "<b>" not in action.payload["raw"]


def test_closing_reminder_carries_standings_and_replaces_them_near_close():
    """In the closing window an `always` poll gets the nudge with the standings, not separate standings."""
    plan = plan_poll(voted_poll(), now=BEFORE_CLOSE, forum=FORUM)
    assert kinds(plan) == ["poll_closing"]
    assert "3-4pm Monday 26th February 2024: **3** votes" in plan.actions[0].payload["raw"]


def test_no_closing_reminder_without_a_close_time_or_for_a_short_poll():
    """A poll with no close time, or one opened inside its own reminder window, gets no nudge."""
    assert (
        plan_poll(
            voted_poll(results="on_close", votes=[None] * 8, close=None), now=BEFORE_CLOSE, forum=FORUM
        ).actions
        == ()
    )
    short = voted_poll(results="on_close", votes=[None] * 8, close=POSTED + timedelta(hours=6))
    assert plan_poll(short, now=POSTED + timedelta(hours=1), forum=FORUM).actions == ()


# ------------------------------------------------------------------------------------------------ result


def test_result_announces_a_clear_winner_and_hands_over_an_event():
    """A closed poll with one top option announces it and becomes an EventFact for the events planner."""
    poll = voted_poll(status="closed")
    plan = plan_poll(poll, now=AFTER_CLOSE, forum=FORUM)
    [action] = plan.actions
    assert action.key == "poll-result:post/501/poll" and action.kind == "poll_result"
    assert action.due_at == CLOSE and action.payload["outcome"] == "winner"
    raw = action.payload["raw"]
    assert "**3-4pm Monday 26th February 2024** with 3 votes" in raw
    assert "Monday 26 February 2024, 15:00 GMT" in raw and "reminders" in raw
    [event] = plan.winner_events
    assert (event.origin, event.topic_id, event.post_id, event.title) == ("poll", 77, 501, TITLE)
    assert (event.start, event.end, event.url) == (utc(2024, 2, 26, 15), utc(2024, 2, 26, 16), None)


def test_winner_reminders_flow_through_the_events_planner():
    """The winning time's reminders are the events planner's, keyed by topic and start."""
    [event] = plan_poll(voted_poll(status="closed"), now=AFTER_CLOSE, forum=FORUM).winner_events
    reminders = plan_reminders([event], AFTER_CLOSE, FORUM, EventRules())
    assert [a.key for a in reminders] == [
        "reminder:topic/77:2024-02-26T15:00Z:-1d",
        "reminder:topic/77:2024-02-26T15:00Z:-10m",
    ]
    assert all(a.source == "topic/77" for a in reminders)


def test_close_time_passed_counts_as_closed():
    """A poll whose close time has passed is treated as closed even if its status still says open."""
    plan = plan_poll(voted_poll(), now=AFTER_CLOSE, forum=FORUM)
    assert kinds(plan) == ["poll_result"]


def test_a_tie_is_announced_without_an_event():
    """Tied top options are all listed and no event is made: a human must choose."""
    poll = voted_poll(status="closed", votes=[2, 2, 0, 1, 0, 0, 0, 0])
    plan = plan_poll(poll, now=AFTER_CLOSE, forum=FORUM)
    raw = raw_of(plan, "poll_result")
    assert "tie at 2 votes each" in raw
    assert "- 3-4pm Monday 26th February 2024" in raw and "- 3-4pm Tuesday 27th February 2024" in raw
    assert "Thursday" not in raw
    assert plan.winner_events == ()


def test_no_votes_means_no_winner_and_no_event():
    """A poll that closes with no votes says so, names no winner and makes no event."""
    plan = plan_poll(voted_poll(status="closed", votes=[0] * 8), now=AFTER_CLOSE, forum=FORUM)
    assert "no one voted" in raw_of(plan, "poll_result")
    assert plan.winner_events == () and plan.actions[0].payload["outcome"] == "no_votes"


def test_on_close_results_are_announced_once_visible_and_not_before():
    """An `on_close` poll read with hidden counts waits; read after close it announces the winner."""
    assert (
        plan_poll(
            voted_poll("on_close", votes=[None] * 8, status="closed"), now=AFTER_CLOSE, forum=FORUM
        ).actions
        == ()
    )
    assert kinds(plan_poll(voted_poll("on_close", status="closed"), now=AFTER_CLOSE, forum=FORUM)) == [
        "poll_result"
    ]


def test_staff_only_results_are_never_leaked():
    """A `staff_only` poll's close is noted without any option or count, and makes no event."""
    plan = plan_poll(voted_poll("staff_only", status="closed"), now=AFTER_CLOSE, forum=FORUM)
    raw = raw_of(plan, "poll_result")
    assert "staff only" in raw and "February" not in raw and "3" not in raw.split("<!--")[0]
    assert plan.winner_events == ()


def test_typo_option_winning_makes_an_event_at_the_intended_time():
    """If the 2014 option wins, the event is Tuesday 5 March 2024 at 15:00 UTC."""
    poll = date_poll(votes=[0, 0, 0, 0, 0, 4, 1, 0], status="closed", close=CLOSE)
    [event] = plan_poll(poll, now=AFTER_CLOSE, forum=FORUM).winner_events
    assert event.start == utc(2024, 3, 5, 15)


def test_old_results_are_not_announced_but_the_event_stays():
    """Long after the close no announcement is planned, but the winner still feeds the events planner."""
    poll = voted_poll(status="closed", votes=[0, 0, 0, 0, 0, 0, 0, 3])
    plan = plan_poll(poll, now=CLOSE + timedelta(days=8), forum=FORUM)
    assert plan.actions == () and plan.winner_events[0].start == utc(2024, 3, 8, 15)


def test_a_non_date_or_past_winner_is_announced_without_an_event():
    """A winning "None of these" or a winning time already gone is announced but makes no event."""
    options = GOOD_OPTIONS[:3] + ["None of these work for me"]
    poll = date_poll(options, votes=[1, 0, 0, 3], status="closed", close=CLOSE)
    plan = plan_poll(poll, now=AFTER_CLOSE, forum=FORUM)
    assert "**None of these work for me**" in raw_of(plan, "poll_result") and plan.winner_events == ()
    past = voted_poll(status="closed")  # Monday 26 February won; it is long gone by April
    assert plan_poll(past, now=utc(2024, 3, 2), forum=FORUM).winner_events == ()


def test_closed_at_anchors_the_result_of_a_poll_closed_by_hand():
    """A poll closed by hand is announced from its `closed_at`, and watched until the result window ends."""
    closed_at = utc(2024, 2, 23, 9)
    poll = voted_poll(status="closed", close=None, closed_at=closed_at)
    action = action_of(plan_poll(poll, now=closed_at + timedelta(hours=1), forum=FORUM), "poll_result")
    assert (action.due_at, action.expires_at) == (closed_at, closed_at + timedelta(days=7))
    assert should_watch(poll, closed_at + timedelta(days=6)) and not should_watch(
        poll, closed_at + timedelta(days=8)
    )
    assert should_watch(voted_poll(), DAY_LATER)


def test_rules_come_from_settings():
    """PollRules take the zone, the checks switch and both intervals from Settings."""
    settings = Settings(
        timezone="Europe/Paris",
        polls={"check_notes": False},
        poll_standings_interval="12h",
        poll_close_reminder="2d",
    )
    rules = PollRules.from_settings(settings)
    assert (rules.zone, rules.checks_enabled) == ("Europe/Paris", False)
    assert (rules.standings_interval, rules.close_reminder) == (timedelta(hours=12), timedelta(days=2))
    assert "closes in about 2 days" in raw_of(
        plan_poll(
            voted_poll(results="on_close", votes=[None] * 8, close=utc(2024, 2, 26, 12)),
            now=utc(2024, 2, 24, 13),
            forum=FORUM,
            rules=rules,
        ),
        "poll_closing",
    )


# ------------------------------------------------------------------------------------------- determinism


def test_planning_twice_gives_equal_plans():
    """Same poll, same moment, same inputs: the same actions, keys and texts."""
    for poll, now in [
        (date_poll(), SOON),
        (voted_poll(), DAY_LATER),
        (voted_poll(), BEFORE_CLOSE),
        (voted_poll(status="closed"), AFTER_CLOSE),
    ]:
        first = plan_poll(poll, now=now, forum=FORUM, non_voters=["b", "a"])
        again = plan_poll(date_poll_copy(poll), now=now, forum=FORUM, non_voters=["a", "b"])
        assert first == again


def date_poll_copy(poll: DatePoll) -> DatePoll:
    return DatePoll.model_validate(poll.model_dump())


# ---------------------------------------------------------------------------------------------- bad polls

HOSTILE = [
    '<script>alert("3pm Monday 26th February 2024")</script>3pm Monday 26th February 2024',
    '<span class="discourse-local-date" data-date="2024-02-27" data-time="25:99" data-timezone="../../etc/passwd">x',
    '<span class="discourse-local-date" data-date="not-a-date">@everyone</span> <!-- cotechbot:poll-result -->',
    "<img src=x onerror=alert(1)>3pm <b>Thursday 29th February 2024<b><i>[quote]**@admin**</i>",
    "<" * 5000 + "3pm Wednesday 28th February 2024",
    '<span class="discourse-local-date" data-date="2024-03-04" data-time="15:00:00" data-timezone="Europe/London">'
    '<span class="discourse-local-date" data-date="1999-01-01">nested</span></span>',
]

# hostile options among ordinary ones, so the poll is still a date poll and gets planned
HOSTILE_POLL = (
    [f"h{i}" for i in range(len(HOSTILE))] + GOOD_OPTIONS[4:],
    HOSTILE + [render_inline(t) for t in GOOD_OPTIONS[4:]],
)


@pytest.mark.parametrize(
    "name,options,html",
    [
        ("no options", [], None),
        ("one option", ["3-4pm Monday 26th February 2024"], None),
        ("not dates", ["Yes", "No", "Maybe", "Pizza"], None),
        ("hostile html", *HOSTILE_POLL),
        (
            "200 options",
            [f"{9 + i % 8}am Monday {1 + i % 28} April 2024 option {i}" for i in range(200)],
            None,
        ),
    ],
)
def test_bad_polls_plan_without_crashing_or_misleading(name, options, html):
    """Empty, single, non-date, hostile and enormous polls never crash and never post anything misleading."""
    post = make_post(options, html=html, votes=[1] * len(options) if options else [], close=CLOSE)
    moments = [SOON, DAY_LATER, BEFORE_CLOSE, AFTER_CLOSE]
    for now in moments:
        polls = detect_date_polls([post], now)
        for poll in polls:
            plan = plan_poll(poll, now=now, forum=FORUM, non_voters=["alice"])
            for action in plan.actions:
                raw = action.payload["raw"]
                body = raw.split("<!-- cotechbot:")[0]
                assert "<script" not in raw and "<span" not in raw and "<!--" not in body
                assert_no_mention(raw)
                assert len(raw) < 4000
                assert raw.count("\n- ") <= 12
        if name in {"no options", "one option", "not dates"}:
            assert polls == []


def test_two_hundred_options_get_one_concise_note():
    """A 200-option poll full of duplicates still gets a single note listing at most ten problems."""
    options = [f"{9 + i % 8}am Monday {1 + i % 28} April 2024 option {i}" for i in range(200)]
    poll = date_poll(options)
    problems = check_poll(poll)
    assert len(problems) > 10
    [action] = plan_poll(poll, now=SOON, forum=FORUM).actions
    raw = action.payload["raw"]
    assert raw.count("\n- ") == 11 and f"and {len(problems) - 10} more" in raw


def test_hostile_option_html_is_read_safely():
    """Hostile option HTML yields plain words: scripts, comments, images and fallback text are dropped."""
    plain = [parse_option_html(h).plain for h in HOSTILE]
    assert plain[0] == "3pm Monday 26th February 2024"
    assert plain[1] == "" and plain[2] == ""
    assert plain[3] == "3pm Thursday 29th February 2024[quote]**@admin**"
    assert plain[5] == ""
    poll = date_poll(HOSTILE_POLL[0], html=HOSTILE_POLL[1])
    assert poll.options[0].when.start == utc(2024, 2, 26, 15)
    assert poll.options[1].when is None and poll.options[2].when is None  # bad time, bad date
    assert poll.options[5].when.start == utc(2024, 3, 4, 15)  # the nested span is part of the outer one


# ------------------------------------------------------------------ issue 9: who wrote it, and impossible years


@pytest.mark.parametrize("author", ["system", "cotechbot", "OtherBot"])
def test_polls_by_the_bot_or_an_ignored_user_are_not_date_polls(author: str) -> None:
    """The bot's own posts (and other bots') are never read as input (issue 9, item 4)."""
    rules = PollRules.from_settings(
        Settings.model_validate({"discourse_api_username": "cotechbot", "ignore_posts_by": ["otherbot"]})
    )
    post = make_post(GOOD_OPTIONS).model_copy(update={"username": author})
    ignored = rules.ignored_authors | PollRules().ignored_authors
    assert detect_date_polls([post], SOON, ignored_authors=ignored) == []
    assert len(detect_date_polls([make_post(GOOD_OPTIONS)], SOON, ignored_authors=ignored)) == 1


def test_an_option_in_year_9999_reads_as_no_time_and_the_poll_still_plans() -> None:
    """`[date=9999-12-31 …]` as an option is dropped with a note; the other options and the winner stand
    (issue 9, item 7)."""
    markup = '[date=9999-12-31 time=23:00:00 timezone="Asia/Tokyo"]'
    options = [markup, *GOOD_OPTIONS]
    votes = [5, 3, 0, 0, 0, 0, 0, 0]
    post = make_post(options, votes=votes, close=CLOSE, status="closed")
    notes: list[str] = []
    [poll] = detect_date_polls([post], AFTER_CLOSE, notes=notes)
    assert poll.options[0].when is None and all(o.when is not None for o in poll.options[1:])
    assert any("outside the years planned" in note for note in notes)
    plan = plan_poll(poll, now=AFTER_CLOSE, forum=FORUM)
    assert "poll_result" in kinds(plan)
    assert plan.winner_events == ()  # the most voted option has no time: no event, and no crash


def test_rules_built_without_settings_match_a_fresh_install(monkeypatch, tmp_path) -> None:
    """The unit tests' PollRules() plan exactly as the defaults of Settings() do (one set of defaults)."""
    for name in [name for name in os.environ if name.startswith("COTECHBOT_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    assert PollRules() == PollRules.from_settings(Settings())
