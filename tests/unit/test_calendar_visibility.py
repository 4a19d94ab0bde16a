"""The public calendar feed's rule: only events from topics everyone may read (the bot reads as staff)."""

from __future__ import annotations

from datetime import UTC, datetime

from cotechbot.calendar import readable_by_everyone
from cotechbot.models import EventFact, Topic

START = datetime(2024, 7, 2, 14, 0, tzinfo=UTC)
STEWARDS = 7


def event(topic_id: int) -> EventFact:
    return EventFact(
        topic_id=topic_id, post_id=topic_id * 10, title=f"call {topic_id}", start=START, origin="prose"
    )


def test_only_listed_regular_topics_outside_hidden_categories_reach_the_feed() -> None:
    topics = {
        1: Topic(id=1, title="members call", category_id=1),
        2: Topic(id=2, title="stewards call", category_id=STEWARDS),
        3: Topic(id=3, title="unlisted call", category_id=1, visible=False),
        4: Topic(id=4, title="a private message", archetype="private_message"),
        5: Topic(id=5, title="no category", category_id=None),
    }
    events = [event(n) for n in (1, 2, 3, 4, 5, 6)]  # topic 6 is not in the mirror

    kept = readable_by_everyone(events, topics, [STEWARDS])

    assert [e.topic_id for e in kept] == [1, 5]
