"""The adapter's membership reads against canned answers (``responses``): profiles with and without a visible
email, the staff action log, group paging, and a wrong shape as a bad response."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import responses

from cotechbot.clock import FixedClock
from cotechbot.errors import ForumBadResponse
from cotechbot.forum.discourse import DiscourseForum
from cotechbot.forum.dryrun import DryRunForum
from cotechbot.forum.membership_reads import MembershipReads

HOST = "https://forum.example.coop"


@pytest.fixture
def forum():
    with DiscourseForum(
        HOST, "cotechbot", "key", name="cotech", clock=FixedClock(datetime(2025, 1, 1, tzinfo=UTC))
    ) as f:
        yield f


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def answer(rsps, path: str, body, status: int = 200) -> None:
    rsps.add("GET", HOST + path, body=json.dumps(body), status=status, content_type="application/json")


USER = {
    "id": 9,
    "username": "alice",
    "name": "Alice",
    "created_at": "2024-01-01T00:00:00.000Z",
    "trust_level": 2,
    "post_count": 14,
    "groups": [{"name": "trust_level_1", "automatic": True}, {"name": "chat", "automatic": False}],
}


def test_the_adapter_and_its_dry_run_offer_the_membership_reads(forum) -> None:
    assert isinstance(forum, MembershipReads) and isinstance(DryRunForum(forum), MembershipReads)


def test_a_profile_with_its_email_domain_and_without_automatic_groups(forum, rsps) -> None:
    answer(rsps, "/admin/users/9.json", USER)
    answer(rsps, "/u/alice/emails.json", {"email": "alice@Agile.coop", "secondary_emails": []})
    profile = forum.member_profile(9, "alice")
    assert (profile.trust_level, profile.post_count, profile.groups, profile.email_domain) == (
        2,
        14,
        ("chat",),
        "agile.coop",
    )


def test_an_email_the_forum_hides_is_unknown_not_an_error(forum, rsps) -> None:
    answer(rsps, "/admin/users/9.json", USER)
    answer(rsps, "/u/alice/emails.json", {"errors": ["not permitted"], "error_type": "invalid_access"}, 403)
    assert forum.member_profile(9, "alice").email is None


def test_a_profile_of_another_shape_is_a_bad_response(forum, rsps) -> None:
    answer(rsps, "/admin/users/9.json", {"user": USER})
    with pytest.raises(ForumBadResponse):
        forum.member_profile(9, "alice")


def test_the_staff_action_log_as_group_changes_oldest_first(forum, rsps) -> None:
    entry = {
        "action_name": "add_user_to_group",
        "subject": "members",
        "created_at": "2025-01-02T10:00:00.000Z",
        "acting_user": {"username": "mod"},
        "target_user": {"username": "bob"},
    }
    answer(
        rsps,
        "/admin/logs/staff_action_logs.json",
        {"staff_action_logs": [entry, {**entry, "target_user": None}]},
    )
    answer(rsps, "/admin/logs/staff_action_logs.json", {"staff_action_logs": []})
    [change] = forum.group_changes()
    assert (change.action, change.group, change.username, change.by) == (
        "add_user_to_group",
        "members",
        "bob",
        "mod",
    )


def test_groups_are_read_page_by_page_until_the_total(forum, rsps) -> None:
    answer(
        rsps,
        "/groups.json",
        {"groups": [{"id": 1, "name": "b", "allow_membership_requests": True}], "total_rows_groups": 2},
    )
    answer(rsps, "/groups.json", {"groups": [{"id": 2, "name": "a"}], "total_rows_groups": 2})
    assert [(g.name, g.allow_membership_requests) for g in forum.membership_groups()] == [
        ("a", False),
        ("b", True),
    ]
