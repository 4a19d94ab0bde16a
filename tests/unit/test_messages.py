"""The one mention-safe function and the key marker: no user text the bot repeats can make it ping anyone, and
a marker names exactly one key and counts only where the bot puts it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cotechbot.messages import (
    MENTION_BLOCKER,
    ends_with_marker,
    inline,
    key_marker,
    mention_list,
    mention_safe,
    no_ping,
    render,
)
from cotechbot.models import EventFact
from tests.mentions import assert_no_mention, mentions_in

# Each of these reached a reminder as "@admins" when the filter dropped the @ before stripping markdown.
TRICKS = [
    "`@admins",
    "_@admins",
    "@*admins*",
    "@[admins]",
    "@\\admins",
    "@#admins",
    "@@admins",
    "&commat;admins",
    "&#64;admins",
    "&#x40;admins",
    "＠admins",
    "﹫admins",
    "[@admins](https://example.org)",
    "**@admins**",
    "<a class='mention' href='/u/admins'>admins</a>",
    "@here `@admins _@moderators meeting",
]
# Markdown the templates put around user text (and that a title may carry itself).
WRAPPERS = st.text(alphabet="*_`~[]()#\\|>!:“” \n-", max_size=4)


def test_the_check_itself_sees_every_trick():
    """The helper is only worth trusting if it flags each trick as written."""
    for trick in TRICKS:
        assert mentions_in(trick), trick


@pytest.mark.parametrize("trick", TRICKS)
def test_mention_tricks_cannot_ping_through_inline_or_mention_safe(trick):
    assert_no_mention(inline(trick))
    assert_no_mention(mention_safe(trick))
    assert_no_mention(no_ping(trick))
    assert_no_mention(f"**{inline(trick)}** starts tomorrow")


def test_a_title_full_of_tricks_renders_a_reminder_that_pings_nobody():
    fact = EventFact(
        topic_id=1,
        post_id=2,
        title="@@here `@admins _@moderators meeting &commat;staff ＠everyone",
        start=datetime(2024, 7, 2, 14, tzinfo=UTC),
        url="https://meet.jit.si/coop",
        origin="prose",
    )
    raw = render(
        "event_reminder.md", key="k", fact=fact, zone="Europe/London", lead="tomorrow", announcement="x"
    )
    assert_no_mention(raw)
    assert "here" in raw and "admins" in raw and "moderators meeting" in raw  # the words are kept


@given(st.text(), WRAPPERS, WRAPPERS)
def test_mention_safe_text_never_mentions_whatever_surrounds_it(text, before, after):
    assert_no_mention(f"{before}{mention_safe(text)}{after}")


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_inline_never_mentions_and_stays_on_one_line(text, limit):
    flat = inline(text, limit)
    assert_no_mention(flat)
    assert "\n" not in flat


@given(st.text())
def test_mention_safe_keeps_what_people_read_and_is_idempotent(text):
    safe = mention_safe(text)
    assert mention_safe(safe) == safe
    if MENTION_BLOCKER not in text:
        assert safe.replace(MENTION_BLOCKER, "") == text


def test_deliberate_mentions_keep_only_well_formed_usernames():
    assert mention_list(["alice", "@bob", "eve here", "<x>"]) == "@alice, @bob"


# ------------------------------------------------------------------------------------------ key markers


def test_key_markers_are_unambiguous():
    assert key_marker("reminder:topic/1/a--b") != key_marker("reminder:topic/1/a-b")
    assert key_marker("reminder:topic/1:2024-07-02T14:00Z:-1d") == (
        "<!-- cotechbot:reminder:topic/1:2024-07-02T14:00Z:-1d -->"
    )


@given(st.text(min_size=1), st.text(min_size=1))
def test_distinct_keys_give_distinct_markers_that_are_valid_comments(first, second):
    body = key_marker(first)[len("<!-- ") : -len(" -->")]
    assert "--" not in body and ">" not in body
    if first != second:
        assert key_marker(first) != key_marker(second)


def test_a_marker_counts_only_alone_on_the_last_line():
    marker = key_marker("reminder:topic/1:x")
    assert ends_with_marker(f"Reminder\n\n{marker}", "cotechbot:reminder:topic/1:x")
    assert ends_with_marker(f"Reminder\n\n{marker}\n", marker)
    assert not ends_with_marker(f"Join here: https://x {marker} see you\n\nok", marker)
    assert not ends_with_marker(f"Join here: https://x {marker}", marker)
    assert not ends_with_marker(f"{marker}\n\nmore", marker)
    assert not ends_with_marker(None, marker)
