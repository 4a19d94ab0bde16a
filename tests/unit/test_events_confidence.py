"""The events layer acts only on readings the date reader is sure of, and on recurring series only where
events live (issue 14: conflict / candidate; issue 16: recurring)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cotechbot.capabilities.events import EventRules, events_in_post, plan_reminders
from cotechbot.models import Post, Topic

RULES = EventRules(base_url="https://forum.example.coop", category_ids=(7,))
# Monday 24 June 2024, noon BST.
POSTED = datetime(2024, 6, 24, 11, 0, tzinfo=UTC)


def post(raw: str, *, category_id: int = 4, post_number: int = 1, created: datetime = POSTED) -> Post:
    return Post(
        id=10,
        topic_id=1,
        post_number=post_number,
        raw=raw,
        cooked="",
        created_at=created,
        topic_title="Members' calls",
        category_id=category_id,
        username="organiser",
    )


def topic(category_id: int = 4, tags: list[str] | None = None) -> Topic:
    return Topic(id=1, title="Members' calls", tags=tags or [], category_id=category_id)


def starts(raw: str, *, rules: EventRules = RULES, category_id: int = 4, now: datetime = POSTED) -> list[str]:
    facts = events_in_post(post(raw, category_id=category_id), topic(category_id), now, rules)
    return [fact.start.astimezone(UTC).isoformat() for fact in facts]


def test_a_confident_reading_is_an_event():
    assert starts("The members' call is on Tuesday 2 July at 3pm.") == ["2024-07-02T14:00:00+00:00"]


@pytest.mark.parametrize(
    "raw",
    [
        # 2 July 2024 is a Tuesday: which day was meant?
        "The members' call is on Wednesday 2 July at 3pm.",
        # the same moment in two zones that disagree
        "The members' call is on Tuesday 2 July at 3pm BST / 16:00 UTC.",
        # a date and its restated weekday disagree
        "Next meeting 2 July (Friday) 1400 UTC.",
    ],
)
def test_a_sentence_the_reader_flags_conflict_plans_nothing(raw):
    """A reading flagged ``conflict`` is a guess: no event, and nothing else from that sentence either."""
    assert starts(raw) == []
    facts = events_in_post(post(raw), topic(), POSTED, RULES)
    assert plan_reminders(facts, POSTED, "cotech", RULES) == []


@pytest.mark.parametrize(
    "raw",
    [
        "Could we do the call on 2nd or 9th July at 3pm?",
        "Shall we have the call today at 2pm or 3pm UTC?",
        "Meeting: Oct 8, 15 or 29th at 3pm",
    ],
)
def test_candidate_times_are_a_proposal_not_an_event(raw):
    assert starts(raw, now=POSTED) == []


SERIES = "Our members' call is every Tuesday at 3pm."


def test_a_recurring_series_in_an_event_category_topic_is_its_next_occurrence():
    """In the events category, "every Tuesday at 3pm" is the next Tuesday's call."""
    assert starts(SERIES, category_id=7) == ["2024-06-25T14:00:00+00:00"]


def test_each_next_occurrence_in_turn_once_the_last_has_gone():
    """Planned a week later, the same post names the Tuesday after (new reminder keys each time)."""
    later = POSTED + timedelta(days=1, hours=6)  # Tuesday 25 June, 18:00 BST: that call is over
    assert starts(SERIES, category_id=7, now=later) == ["2024-07-02T14:00:00+00:00"]


def test_a_recurring_series_in_a_general_topic_is_not_reminded_of():
    assert starts(SERIES, category_id=4) == []


def test_recurring_everywhere_allows_series_in_every_topic():
    rules = EventRules(base_url="https://forum.example.coop", category_ids=(7,), recurring_everywhere=True)
    assert starts(SERIES, category_id=4, rules=rules) == ["2024-06-25T14:00:00+00:00"]


def test_a_series_in_a_reply_of_an_event_topic_is_not_an_announcement():
    """Only the topic's first post announces; a reply mentioning a standing call is conversation."""
    reply = post(SERIES, category_id=7, post_number=3)
    assert events_in_post(reply, topic(7), POSTED, RULES) == []


def test_recurring_everywhere_is_read_from_the_events_section():
    from cotechbot.settings import Settings

    settings = Settings(_env_file=None, events={"recurring_everywhere": True})  # type: ignore[call-arg]
    assert EventRules.from_settings(settings).recurring_everywhere is True
    assert EventRules.from_settings(Settings(_env_file=None)).recurring_everywhere is False  # type: ignore[call-arg]
