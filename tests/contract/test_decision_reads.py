"""The Discourse reads and writes the decision log adds, against the sandbox checked by the real contracts:
topics by tag across pages (deleted and untagged ones absent), and turning the bot's own post into a wiki."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cotechbot.errors import ForumAuthError
from cotechbot.forum.discourse import DiscourseForum
from cotechbot.sandbox.discourse import FakeDiscourse
from tests.conftest import require_shared

pytestmark = pytest.mark.shared
KEY, BOT = "decision-reads-key", "cotechbot"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_topics_by_tag_page_through_and_leave_out_deleted_and_untagged_topics() -> None:
    shared = require_shared("reference/discourse/openapi.json").parents[2]
    with FakeDiscourse.running(
        api_key=KEY, api_username=BOT, now=lambda: NOW, validate=True, shared_dir=shared
    ) as forum:
        ids = [
            forum.create_topic(
                f"Decision number {n} for the network",
                "Decision: yes, agreed.",
                tags=["decision"],
                username="organiser",
            )[0].id
            for n in range(35)
        ]
        forum.delete_topic(ids[0])
        forum.topic(ids[1]).tags = []
        adapter = DiscourseForum(forum.url, BOT, KEY, requests_per_minute=100_000, burst=1000)
        listed = adapter.topics_tagged("decision")
        assert sorted(t.id for t in listed) == sorted(ids[2:])
        assert all("decision" in t.tags for t in listed)
        assert adapter.topics_tagged("nobody-uses-this") == []


def test_only_staff_make_a_post_a_wiki() -> None:
    shared = require_shared("reference/discourse/openapi.json").parents[2]
    with FakeDiscourse.running(
        api_key=KEY, api_username=BOT, now=lambda: NOW, validate=True, shared_dir=shared
    ) as forum:
        topic, _ = forum.create_topic("Decision log of the network", "The log lives here, kept by the bot.")
        post = forum.reply(topic.id, "The bot's own log post, long enough.", username=BOT)
        forum.add_user("member")
        DiscourseForum(forum.url, BOT, KEY).set_wiki(post.id)
        assert forum.post(post.id).wiki
        assert DiscourseForum(forum.url, BOT, KEY).post(post.id).wiki
        with pytest.raises(ForumAuthError):
            DiscourseForum(forum.url, "member", KEY).set_wiki(post.id, False)
        assert forum.post(post.id).wiki
