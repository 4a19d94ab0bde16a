"""Each capability and each kind of post can be switched off in the config; what is off is never posted and
what was already planned is withdrawn — the real worker over real HTTP, with a fixed clock."""

from __future__ import annotations

from datetime import timedelta

from cotechbot.actions import Status
from tests.scenario.test_date_polls import group_poll, london, posts_of_kind, run_through

EVENT_POST = "Our next members' call is at 3pm on Tuesday 23rd April 2024. Link to follow."


def test_switched_off_poll_replies_are_never_posted_and_the_others_still_are(make_bot) -> None:
    """With standings and the closing names off, the poll still gets its closing reminder, naming nobody."""
    posted, close = london(2024, 4, 8, 9, 0), london(2024, 4, 12, 17, 0)
    bot = make_bot(posted, polls={"standings": False, "closing_names": False})
    topic, _ = group_poll(bot, "always", close, posted)
    assert posts_of_kind(bot, topic.id, "poll-standings") == []
    [nudge] = posts_of_kind(bot, topic.id, "poll-closing")
    assert "closes in about 24 hours" in nudge.raw and "Still to vote" not in nudge.raw


def test_every_kind_of_post_is_on_by_default() -> None:
    """Nothing is off unless the operator says so."""
    from cotechbot.settings import Settings

    polls = Settings().polls
    assert polls.standings and polls.closing_names and polls.closing_reminders and polls.results


def test_switching_reminders_off_withdraws_the_planned_ones(make_bot) -> None:
    """Reminders planned while on are cancelled on the next cycle once `[events] reminders = false`."""
    posted = london(2024, 4, 15, 9, 0)
    bot = make_bot(posted)
    topic, _ = bot.forum.create_topic("Members' call", EVENT_POST, username="ada", created_at=posted)
    bot.run_at(posted)
    assert {row.status for row in bot.ledger.actions()} == {Status.PENDING}

    quiet = make_bot(posted + timedelta(minutes=5), events={"reminders": False})
    quiet.forum.create_topic("Members' call", EVENT_POST, username="ada", created_at=posted)
    run_through(quiet, [posted + timedelta(minutes=5), london(2024, 4, 23, 14, 55)])
    assert quiet.bot_posts() == []
    rows = quiet.ledger.actions()  # the same ledger: the reminders planned above are withdrawn, not lost
    assert rows and {row.status for row in rows} == {Status.CANCELLED}


def test_a_switched_off_capability_plans_nothing(make_bot) -> None:
    """`[events] enabled = false`: an announced call gets no reminders at all."""
    posted = london(2024, 4, 15, 9, 0)
    bot = make_bot(posted, events={"enabled": False})
    topic, _ = bot.forum.create_topic("Members' call", EVENT_POST, username="ada", created_at=posted)
    run_through(bot, [posted, london(2024, 4, 22, 15, 0), london(2024, 4, 23, 14, 50)])
    assert bot.bot_posts(topic.id) == [] and bot.ledger.actions() == []
