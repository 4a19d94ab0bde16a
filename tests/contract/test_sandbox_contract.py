"""Every endpoint of the sandbox Discourse answers what the real contracts (../shared openapi + schemas) allow."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest

from cotechbot.sandbox.discourse import ContractViolationError, FakeDiscourse
from cotechbot.sandbox.scenario import ScenarioHandles, cotech_scenario
from cotechbot.sandbox.schemas import Contracts, load_contracts
from tests.conftest import require_shared
from tests.contract.sandbox_support import BOT, JSON_CT, KEY, NOW, session

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def contracts() -> Contracts:
    shared = require_shared("reference/discourse/openapi.json").parents[2]
    loaded = load_contracts(shared)
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module", params=["strings", "objects"])
def forum(request, contracts) -> Iterator[FakeDiscourse]:
    shared = contracts.source.parents[1]
    with FakeDiscourse.running(
        scenario=cotech_scenario(NOW),
        now=lambda: NOW,
        api_key=KEY,
        api_username=BOT,
        validate=True,
        shared_dir=shared,
        tag_style=request.param,
    ) as fake:
        assert fake.validating
        yield fake


@pytest.fixture(scope="module")
def h(forum) -> ScenarioHandles:
    return forum.scenario


def conforms(forum: FakeDiscourse, contracts: Contracts, response, route: str, status: int = 200) -> dict:
    """Assert the reply has the status, the exact content type, and no contract problems (server- and test-side)."""
    assert response.headers["Content-Type"] == JSON_CT
    body = response.json()
    assert response.status_code == status, body
    assert contracts.check(route, status, body) == []
    assert forum.contract_violations == []
    return body


def test_latest_posts_conform(forum, contracts, h):
    """GET /posts.json and its before= page conform to openapi and latest_posts_response.json."""
    s = session(forum)
    first = conforms(forum, contracts, s.get(f"{forum.url}/posts.json"), "posts.latest")
    assert any("polls" in p for p in first["latest_posts"]) and any(
        "event" in p for p in first["latest_posts"]
    )
    before = first["latest_posts"][3]["id"]
    conforms(forum, contracts, s.get(f"{forum.url}/posts.json", params={"before": before}), "posts.latest")


@pytest.mark.parametrize("query", [{}, {"page": 1, "per_page": 5}, {"order": "created", "ascending": "true"}])
def test_latest_topics_conform(forum, contracts, query):
    """GET /latest.json conforms to openapi /latest.json and the /c/ topic-list contracts, on every page."""
    conforms(forum, contracts, session(forum).get(f"{forum.url}/latest.json", params=query), "topics.latest")


def test_category_and_tag_lists_conform(forum, contracts, h):
    """GET /c/{slug}/{id}.json and /tag/{name}.json conform to their topic-list contracts."""
    s = session(forum)
    body = conforms(
        forum, contracts, s.get(f"{forum.url}/c/events/{h.events_category_id}.json"), "categories.topics"
    )
    assert body["topic_list"]["topics"]
    body = conforms(forum, contracts, s.get(f"{forum.url}/tag/decision.json"), "tags.topics")
    assert [t["id"] for t in body["topic_list"]["topics"]] == [h.decision_topic_id]


@pytest.mark.parametrize("variant", ["plain", "include_raw", "slug", "post_number", "pm"])
def test_topic_view_conforms(forum, contracts, h, variant):
    """GET /t/{id}.json in each form (raw, slug, post number, private message) conforms to topic_show."""
    topic = forum.topic(h.date_poll_topic_id)
    paths = {
        "plain": (f"/t/{topic.id}.json", {}),
        "include_raw": (f"/t/{h.calendar_event_topic_id}.json", {"include_raw": "true"}),
        "slug": (f"/t/{topic.slug}/{topic.id}.json", {}),
        "post_number": (f"/t/{topic.id}/2.json", {}),
        "pm": (f"/t/{h.private_message_topic_id}.json", {}),
    }
    path, query = paths[variant]
    conforms(forum, contracts, session(forum).get(forum.url + path, params=query), "topics.show")


def test_topic_posts_conform(forum, contracts, h):
    """GET /t/{id}/posts.json?post_ids[]= conforms to openapi."""
    ids = [p.id for p in forum.topic_posts(h.prose_call_topic_id)]
    response = session(forum).get(
        f"{forum.url}/t/{h.prose_call_topic_id}/posts.json", params={"post_ids[]": ids, "include_raw": "true"}
    )
    body = conforms(forum, contracts, response, "topics.posts")
    assert [p["id"] for p in body["post_stream"]["posts"]] == ids


def test_an_accepted_answer_is_served_as_the_solved_plugin_does_and_conforms(forum, contracts):
    """forum.accept_answer marks one reply: accepted_answer on /posts.json, the topic view and
    /t/{id}/posts.json, all conforming; accepting another reply moves the mark."""
    topic, _ = forum.create_topic("Which bank holds the account", "Options are in the replies below.")
    first = forum.reply(topic.id, "The big high-street bank is the easiest one.")
    second = forum.reply(topic.id, "The Co-operative Bank, as the members agreed.")
    s = session(forum)

    def accepted_ids() -> list[list[int]]:
        latest = conforms(forum, contracts, s.get(f"{forum.url}/posts.json"), "posts.latest")["latest_posts"]
        view = conforms(forum, contracts, s.get(f"{forum.url}/t/{topic.id}.json"), "topics.show")
        stream = conforms(
            forum,
            contracts,
            s.get(f"{forum.url}/t/{topic.id}/posts.json", params={"post_ids[]": [first.id, second.id]}),
            "topics.posts",
        )
        return [
            [p["id"] for p in posts if p["accepted_answer"]]
            for posts in (latest, view["post_stream"]["posts"], stream["post_stream"]["posts"])
        ]

    try:
        forum.accept_answer(first.id)
        assert accepted_ids() == [[first.id]] * 3
        forum.accept_answer(second.id)
        assert accepted_ids() == [[second.id]] * 3
        forum.accept_answer(second.id, accepted=False)
        assert accepted_ids() == [[]] * 3
    finally:
        forum.delete_topic(topic.id)  # the module's forum is shared: leave the scenario as it was


@pytest.mark.parametrize("which", ["date_poll_post_id", "local_dates_poll_post_id", "calendar_event_post_id"])
def test_single_post_conforms(forum, contracts, h, which):
    """GET /posts/{id}.json of poll and event posts conforms to openapi and post_show_response.json."""
    body = conforms(
        forum, contracts, session(forum).get(f"{forum.url}/posts/{getattr(h, which)}.json"), "posts.show"
    )
    assert "raw" in body


def test_create_reply_topic_and_pm_conform(forum, contracts, h):
    """POST /posts.json replies, topics and PMs conform to openapi and topic_create_response.json."""
    s = session(forum)
    reply = s.post(
        f"{forum.url}/posts.json",
        data={"topic_id": h.prose_call_topic_id, "raw": "Reminder: the planning call starts in an hour."},
    )
    conforms(forum, contracts, reply, "posts.create")
    topic = s.post(
        f"{forum.url}/posts.json",
        data={
            "title": f"Digest for the week ({forum.tag_style})",
            "raw": "Here is what happened on the forum this week.",
            "category": h.general_category_id,
            "tags[]": ["digest"],
        },
    )
    conforms(forum, contracts, topic, "posts.create")
    pm = s.post(
        f"{forum.url}/posts.json",
        data={
            "title": "Your membership request",
            "raw": "Thanks, we'll look.",
            "archetype": "private_message",
            "target_recipients": "finn_coop",
        },
    )
    conforms(forum, contracts, pm, "posts.create")


def test_create_failure_conforms(forum, contracts):
    """A refused POST /posts.json is a 422 with exactly {"action": "create_post", "errors": [...]}."""
    body = conforms(
        forum,
        contracts,
        session(forum).post(f"{forum.url}/posts.json", data={"title": "x"}),
        "posts.create",
        422,
    )
    assert set(body) == {"action", "errors"}


def test_update_post_conforms(forum, contracts, h):
    """PUT /posts/{id}.json answers {"post": {...}} conforming to openapi."""
    post_id = forum.topic_posts(h.chatter_topic_ids[1])[1].id
    response = session(forum).put(
        f"{forum.url}/posts/{post_id}.json",
        data={
            "post[raw]": "I can set up a subdomain and a small static site.",
            "post[edit_reason]": "shorter",
        },
    )
    conforms(forum, contracts, response, "posts.update")


@pytest.mark.parametrize("details", [False, True])
def test_events_list_conforms(forum, contracts, details):
    """GET /discourse-post-event/events.json conforms: details to openapi, the summary to API-NOTES §4."""
    params = {"include_details": "true"} if details else {}
    body = conforms(
        forum,
        contracts,
        session(forum).get(f"{forum.url}/discourse-post-event/events.json", params=params),
        "events.details" if details else "events.summary",
    )
    assert len(body["events"]) == 2


def test_single_event_conforms(forum, contracts, h):
    """GET /discourse-post-event/events/{id}.json wraps one openapi events item as {"event": ...}."""
    response = session(forum).get(f"{forum.url}/discourse-post-event/events/{h.calendar_event_post_id}.json")
    conforms(forum, contracts, response, "events.show")


def test_group_endpoints_conform(forum, contracts, h):
    """Group show, members (paged) and requesters conform to their contracts."""
    s = session(forum)
    conforms(forum, contracts, s.get(f"{forum.url}/groups/{h.members_group}.json"), "groups.show")
    conforms(
        forum,
        contracts,
        s.get(f"{forum.url}/groups/{h.members_group}/members.json", params={"limit": 2, "offset": 2}),
        "groups.members",
    )
    body = conforms(
        forum,
        contracts,
        s.get(f"{forum.url}/groups/{h.members_group}/members.json", params={"requesters": "true"}),
        "groups.requesters",
    )
    assert "owners" not in body


def test_membership_request_endpoints_conform(forum, contracts, h):
    """request_membership (200, then 409) and handle_membership_request conform to their contracts."""
    forum.add_user(f"newbie_{forum.tag_style}")
    newbie = session(forum, f"newbie_{forum.tag_style}")
    url = f"{forum.url}/groups/{h.members_group}/request_membership.json"
    conforms(
        forum, contracts, newbie.post(url, data={"reason": "We are a co-op."}), "groups.request_membership"
    )
    conforms(forum, contracts, newbie.post(url, data={"reason": "Again"}), "groups.request_membership", 409)
    user_id = forum.user(f"newbie_{forum.tag_style}").id
    response = session(forum).put(
        f"{forum.url}/groups/{h.members_group_id}/handle_membership_request.json", data={"user_id": user_id}
    )
    conforms(forum, contracts, response, "groups.handle_membership_request")


def test_poll_voters_conform(forum, contracts, h):
    """GET /polls/voters.json conforms for a public poll and answers a conforming 400 for a hidden one."""
    s = session(forum)
    conforms(
        forum,
        contracts,
        s.get(f"{forum.url}/polls/voters.json", params={"post_id": h.date_poll_post_id, "poll_name": "poll"}),
        "polls.voters",
    )
    conforms(
        forum,
        contracts,
        s.get(
            f"{forum.url}/polls/voters.json",
            params={"post_id": h.local_dates_poll_post_id, "poll_name": "gathering"},
        ),
        "polls.voters",
        400,
    )


@pytest.mark.parametrize("path", ["/u/cotechbot.json", "/users/ada.json", "/u/finn_coop.json"])
def test_user_conforms(forum, contracts, path):
    """GET /u/{username}.json and /users/{username}.json conform to openapi and user_get_response.json."""
    conforms(forum, contracts, session(forum).get(forum.url + path), "users.show")


def test_basic_info_conforms(forum, contracts):
    """GET /site/basic-info.json conforms to openapi."""
    conforms(forum, contracts, session(forum).get(f"{forum.url}/site/basic-info.json"), "site.basic_info")


def test_error_replies_conform(forum, contracts):
    """403, 404 and 400 replies carry the JSON error envelope of API-NOTES §10."""
    s = session(forum)
    conforms(forum, contracts, s.get(f"{forum.url}/t/999999.json"), "topics.show", 404)
    conforms(
        forum, contracts, session(forum, key="wrong").get(f"{forum.url}/posts.json"), "posts.latest", 403
    )
    conforms(forum, contracts, s.get(f"{forum.url}/latest.json", params={"page": "x"}), "topics.latest", 400)


# -- the checker itself ------------------------------------------------------------------------------------


def test_violation_becomes_500_and_fails_running(contracts):
    """A reply breaking the contract is answered 500 naming the problem, recorded, and raised on exit."""
    shared = contracts.source.parents[1]
    with (
        pytest.raises(ContractViolationError, match="title"),
        FakeDiscourse.running(api_key=KEY, validate=True, shared_dir=shared) as fake,
    ):
        original = fake.handlers["site.basic_info"]

        def broken(forum, req):
            reply = original(forum, req)
            del reply.body["title"]
            return reply

        fake.handlers["site.basic_info"] = broken
        response = session(fake).get(f"{fake.url}/site/basic-info.json")
        assert response.status_code == 500
        assert response.headers["Content-Type"] == JSON_CT
        assert "contract violation" in response.json()["errors"][0]
        assert len(fake.contract_violations) == 1


def test_validation_is_quietly_off_without_shared(tmp_path):
    """With no reference folder the fake serves unchecked and says so through ``validating``."""
    with FakeDiscourse.running(api_key=KEY, validate=True, shared_dir=tmp_path) as fake:
        assert not fake.validating
        assert session(fake).get(f"{fake.url}/posts.json").status_code == 200


def test_older_file_enforced_where_contracts_agree(contracts, forum):
    """The older schema file still fails a post missing a field both contracts require, but not version drift."""
    body = session(forum).get(f"{forum.url}/posts.json").json()
    assert contracts.check("posts.latest", 200, body) == []  # drift (e.g. discourse-solved fields) tolerated
    broken = copy.deepcopy(body)
    del broken["latest_posts"][0]["topic_slug"]
    problems = contracts.check("posts.latest", 200, broken)
    assert any(p.startswith("openapi") for p in problems)
    assert any(p.startswith("schemas/latest_posts_response.json") for p in problems)


def test_poll_schema_rejects_partial_results(contracts, forum, h):
    """Our poll schema (API-NOTES §3) refuses a poll where only some options carry votes."""
    body = session(forum).get(f"{forum.url}/posts/{h.date_poll_post_id}.json").json()
    del body["polls"][0]["options"][0]["votes"]
    assert any("polls" in p for p in contracts.check("posts.show", 200, body))
