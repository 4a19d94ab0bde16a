"""find_own_topic / find_own_private_message over real HTTP: the crash-recovery check for topics and messages.

A crash between "Discourse created it" and "the ledger recorded it" must not create a topic or a message
twice: the adapter finds what the bot itself created for an action by the key marker on its first post.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from cotechbot.clock import FixedClock
from cotechbot.forum.discourse import DiscourseForum
from cotechbot.messages import key_marker
from cotechbot.sandbox.discourse import FakeDiscourse

KEY = "sandbox-key-0123456789"
BOT = "cotechbot"
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
BODY = "The weekly digest, with enough words in it to be a topic"


@pytest.fixture
def fake():
    with FakeDiscourse.running(api_key=KEY, api_username=BOT, now=lambda: NOW, validate=True) as forum:
        forum.add_user("ada")
        yield forum


@pytest.fixture
def adapter(fake):
    with DiscourseForum(fake.url, BOT, KEY, name="cotech", clock=FixedClock(NOW), timeout=5.0) as forum:
        yield forum


def test_find_own_topic_finds_the_topic_the_bot_created_for_the_key(fake, adapter):
    """The bot's topic whose first post ends with the key's marker is found; another key's is not."""
    adapter.create_topic("Digest for week 1 of June", f"{BODY}\n\n{key_marker('digest/2025-W23')}")
    created = adapter.create_topic("Digest for week 2 of June", f"{BODY}\n\n{key_marker('digest/2025-W24')}")
    found = adapter.find_own_topic("digest/2025-W24")
    assert found is not None and (found.id, found.topic_id) == (created.id, created.topic_id)
    assert adapter.find_own_topic("digest/2025-W25") is None
    assert adapter.find_own_topic("digest/2025-W24", title="Some other title") is None
    assert adapter.find_own_topic("digest/2025-W24", title="Digest for week 2 of June") == found
    assert fake.contract_violations == []


def test_find_own_topic_ignores_forged_and_quoted_markers(fake, adapter):
    """A member's topic ending with the marker, or the bot's topic quoting it mid-post, is not the bot's."""
    key = "digest/2025-W24"
    fake.create_topic("A member forging the marker", f"{BODY}\n\n{key_marker(key)}", username="ada")
    adapter.create_topic("The bot quoting it", f"{BODY}\n\n{key_marker(key)}\n\nand more text after it")
    assert adapter.find_own_topic(key) is None


def test_find_own_private_message_finds_only_messages(fake, adapter):
    """A message the bot sent is found by its key; find_own_topic never returns a message, and vice versa."""
    sent = adapter.create_private_message(
        "Your request to join", f"Hello ada, welcome.\n\n{key_marker('membership/ada')}", ["ada"]
    )
    topic = adapter.create_topic("A topic with the same key", f"{BODY}\n\n{key_marker('topic/only')}")
    found = adapter.find_own_private_message("membership/ada")
    assert found is not None and (found.id, found.topic_id) == (sent.id, sent.topic_id)
    assert adapter.find_own_topic("membership/ada") is None
    assert adapter.find_own_private_message("topic/only") is None
    assert adapter.find_own_topic("topic/only").topic_id == topic.topic_id
    assert fake.contract_violations == []


def test_sandbox_lists_sent_messages_only_to_their_author_or_an_admin(fake, adapter):
    """/topics/private-messages-sent/{user}.json is 403 for anyone else, like Discourse."""
    adapter.create_private_message("Hello", f"Hello ada, welcome.\n\n{key_marker('k')}", ["ada"])
    fake.add_user("bob")
    as_bob = requests.get(
        f"{fake.url}/topics/private-messages-sent/{BOT}.json",
        headers={"Api-Key": KEY, "Api-Username": "bob"},
        timeout=5,
    )
    assert as_bob.status_code == 403
    as_bot = requests.get(
        f"{fake.url}/topics/private-messages-sent/{BOT}.json",
        headers={"Api-Key": KEY, "Api-Username": BOT},
        timeout=5,
    )
    assert [t["title"] for t in as_bot.json()["topic_list"]["topics"]] == ["Hello"]


def test_public_category_ids_leave_out_restricted_categories_and_their_children(fake, adapter):
    """/categories.json (served to the contract) tells which categories everyone may read: a restricted
    category, and a subcategory of one, are not public; an open subcategory of an open one is."""
    staff = fake.add_category("Stewards", read_restricted=True, allowed_groups=["stewards"])
    inside = fake.add_category("Stewards budget", parent_id=staff.id)
    news = fake.add_category("News")
    local = fake.add_category("Local news", parent_id=news.id)
    public = adapter.public_category_ids()
    assert {1, news.id, local.id} <= public and not {staff.id, inside.id} & public
    assert fake.contract_violations == []
