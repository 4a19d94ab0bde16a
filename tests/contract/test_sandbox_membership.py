"""The sandbox's admin reads for membership requests answer what ../shared's openapi allows, and behave as
Discourse does: staff only, a hidden email is a 403, the staff action log names who changed a group."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cotechbot.sandbox import membership_routes as admin
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.sandbox.schemas import load_contracts
from tests.conftest import require_shared
from tests.contract.sandbox_support import BOT, KEY, NOW, get, session

pytestmark = pytest.mark.shared


@pytest.fixture
def forum() -> Iterator[FakeDiscourse]:
    shared = require_shared("reference/discourse/openapi.json").parents[2]
    assert load_contracts(shared) is not None
    with FakeDiscourse.running(
        now=lambda: NOW, api_key=KEY, api_username=BOT, validate=True, shared_dir=shared
    ) as fake:
        assert fake.validating
        fake.add_user("mod", moderator=True)
        fake.add_user("alice", name="Alice", trust_level=2)
        fake.add_group("members", members=["mod"])
        fake.add_group("chat", allow_membership_requests=False, members=["alice"])
        fake.request_membership("members", "alice", "hello")
        yield fake


def test_admin_user_emails_and_groups_conform_and_are_staff_only(forum) -> None:
    alice = forum.user("alice")
    body = get(forum, f"/admin/users/{alice.id}.json").json()
    assert (body["username"], body["trust_level"], [g["name"] for g in body["groups"]]) == (
        "alice",
        2,
        ["chat"],
    )
    assert get(forum, f"/admin/users/{alice.id}.json", username="alice").status_code == 404
    assert get(forum, "/u/alice/emails.json").status_code == 403  # not shown to the bot
    admin.set_email(forum, "alice", "alice@agile.coop")
    assert get(forum, "/u/alice/emails.json").json()["email"] == "alice@agile.coop"
    assert get(forum, "/u/alice/emails.json", username="alice").status_code == 403
    names = [g["name"] for g in get(forum, "/groups.json").json()["groups"]]
    assert names == ["chat", "members"]
    forum.assert_no_contract_violations()


def test_the_staff_action_log_names_who_added_or_removed_whom(forum) -> None:
    members = forum.group("members")
    with session(forum) as s:
        reply = s.put(
            f"{forum.url}/groups/{members.id}/handle_membership_request.json",
            data={"user_id": forum.user("alice").id, "accept": "true"},
            timeout=5,
        )
    assert reply.json() == {"success": "OK"}
    admin.remove_member_by(forum, "members", "alice", by="mod")
    logs = get(forum, "/admin/logs/staff_action_logs.json").json()["staff_action_logs"]
    assert [
        (e["action_name"], e["subject"], e["target_user"]["username"], e["acting_user"]["username"])
        for e in logs
    ] == [
        ("remove_user_from_group", "members", "alice", "mod"),
        ("add_user_to_group", "members", "alice", BOT),
    ]
    only_added = get(forum, "/admin/logs/staff_action_logs.json", action_name="add_user_to_group").json()
    assert len(only_added["staff_action_logs"]) == 1
    assert get(forum, "/admin/logs/staff_action_logs.json", username="alice").status_code == 404
    forum.assert_no_contract_violations()
