"""The sandbox Discourse behaves like Discourse where cotechbot depends on it (API-NOTES sections in brackets)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from cotechbot.sandbox.discourse import FakeDiscourse, MarkupError
from cotechbot.sandbox.markup import option_id
from tests.contract.sandbox_support import BOT, JSON_CT, KEY, NOW, ManualClock, get, session

BODY = "An opening post with enough words in it."


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def forum(clock) -> Iterator[FakeDiscourse]:
    with FakeDiscourse.running(
        api_key=KEY, api_username=BOT, now=lambda: NOW, clock=clock, validate=True
    ) as fake:
        fake.add_user("ada", admin=True)
        fake.add_user("bryn")
        fake.add_user("cerys")
        yield fake


# -- transport: content type, auth, not found ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/posts.json", "/t/4242.json", "/no/such/route.json", "/latest.json?page=x"]
)
def test_every_json_reply_has_the_exact_content_type(forum, path):
    """Success and error replies alike carry exactly 'application/json; charset=utf-8'."""
    assert get(forum, path).headers["Content-Type"] == JSON_CT


def test_wrong_key_is_403_invalid_access(forum):
    """A wrong Api-Key answers 403 with error_type invalid_access (§0)."""
    response = session(forum, key="not-the-key").get(f"{forum.url}/posts.json")
    assert response.status_code == 403
    assert response.json()["error_type"] == "invalid_access"
    assert response.json()["errors"]


def test_unknown_username_is_403_invalid_access(forum):
    """An Api-Username that is no user answers 403 invalid_access."""
    response = session(forum, username="nobody").get(f"{forum.url}/posts.json")
    assert (response.status_code, response.json()["error_type"]) == (403, "invalid_access")


def test_missing_credentials_are_403(forum):
    """No Api-Key header at all answers 403 (the sandbox is a login-required site)."""
    import requests

    response = requests.get(f"{forum.url}/posts.json", timeout=5)
    assert response.status_code == 403
    assert response.headers["Content-Type"] == JSON_CT
    assert response.json()["error_type"] in {"invalid_access", "not_logged_in"}


def test_query_string_api_key_is_ignored(forum):
    """An api_key in the query string does not authenticate (§0: headers only)."""
    import requests

    response = requests.get(
        f"{forum.url}/posts.json", params={"api_key": KEY, "api_username": BOT}, timeout=5
    )
    assert response.status_code == 403


def test_unknown_topic_is_404_json(forum):
    """An unknown topic id answers 404 not_found with the extras Discourse adds for topics (§10)."""
    response = get(forum, "/t/4242.json")
    assert response.status_code == 404
    body = response.json()
    assert body["error_type"] == "not_found" and {"html", "group"} <= set(body["extras"])


def test_deleted_topic_is_404(forum):
    """A deleted topic answers 404 by default; deleting post 1 deletes the topic (§2)."""
    topic, first = forum.create_topic("A topic that will vanish", BODY)
    forum.delete_post(first.id)
    assert forum.topic(topic.id).deleted_at is not None
    assert get(forum, f"/t/{topic.id}.json").status_code == 404
    assert get(forum, f"/posts/{first.id}.json").status_code == 404


def test_staff_can_read_deleted_when_switched_on(forum):
    """With staff_see_deleted, staff read a deleted post with deleted_at set, as real Discourse shows staff."""
    topic, _ = forum.create_topic("A topic with a deleted reply", BODY)
    reply = forum.reply(topic.id, "A reply someone regretted writing.")
    forum.delete_post(reply.id)
    forum.staff_see_deleted = True
    assert get(forum, f"/posts/{reply.id}.json").json()["deleted_at"] is not None
    assert get(forum, f"/posts/{reply.id}.json", username="bryn").status_code == 404


def test_bare_path_without_accept_json_gets_html(forum):
    """A GET without .json and without Accept JSON gets an HTML page, which pydiscourse would refuse (§0)."""
    s = session(forum)
    del s.headers["Accept"]
    response = s.get(f"{forum.url}/latest")
    assert response.headers["Content-Type"].startswith("text/html")
    s.headers["Accept"] = "application/json"
    assert s.get(f"{forum.url}/latest").headers["Content-Type"] == JSON_CT


# -- /posts.json ---------------------------------------------------------------------------------------------


def test_latest_posts_pages_with_before(forum):
    """/posts.json serves 50 posts id-descending; before=<smallest id> pages back without gaps or overlaps (§1a)."""
    topic, first = forum.create_topic("A long running thread", BODY)
    ids = [first.id] + [forum.reply(topic.id, f"Reply number {n} in the thread").id for n in range(119)]
    seen: list[int] = []
    before = None
    pages = 0
    while True:
        page = get(forum, "/posts.json", **({"before": before} if before else {})).json()["latest_posts"]
        if not page:
            break
        pages += 1
        assert len(page) <= 50
        page_ids = [p["id"] for p in page]
        assert page_ids == sorted(page_ids, reverse=True)
        seen += page_ids
        before = page_ids[-1]
    assert pages == 3
    assert seen == sorted(ids, reverse=True)


def test_latest_posts_only_public_regular_live_posts(forum):
    """/posts.json leaves out PMs, whispers, small actions, deleted posts and restricted categories (§1a)."""
    secret = forum.add_category("Secret", read_restricted=True, allowed_groups=["insiders"])
    topic, first = forum.create_topic("A public topic for the list", BODY)
    kept = forum.reply(topic.id, "A normal reply everybody sees.")
    whisper = forum.reply(topic.id, "A staff whisper", post_type=4)
    small = forum.reply(topic.id, "closed the topic", post_type=3)
    gone = forum.reply(topic.id, "A reply that gets deleted.")
    forum.delete_post(gone.id)
    _, pm = forum.send_pm("A private message", "Just between us two.", "ada", ["bryn"])
    _, hidden = forum.create_topic("Insiders only topic here", BODY, secret.id, username="ada")
    as_bot = {p["id"] for p in get(forum, "/posts.json").json()["latest_posts"]}
    as_member = {p["id"] for p in get(forum, "/posts.json", username="bryn").json()["latest_posts"]}
    assert {first.id, kept.id} <= as_bot and not {whisper.id, small.id, gone.id, pm.id} & as_bot
    assert hidden.id in as_bot and hidden.id not in as_member


def test_latest_posts_carry_raw_cooked_and_topic_fields(forum):
    """Each /posts.json item carries raw, cooked, topic title/slug, category and post_number (§1a)."""
    topic, first = forum.create_topic("Fields on the latest posts", "Hello **world**, a body long enough.")
    item = get(forum, "/posts.json").json()["latest_posts"][0]
    assert (
        item["raw"] == first.raw
        and item["cooked"] == "<p>Hello <strong>world</strong>, a body long enough.</p>"
    )
    assert (item["topic_id"], item["topic_slug"], item["topic_title"]) == (topic.id, topic.slug, topic.title)
    assert item["post_number"] == 1 and item["category_id"] == 1


def test_post_and_topic_ids_never_coincide(forum):
    """Post ids start far from topic ids, so mixing the two up fails instead of passing by luck."""
    topic, first = forum.create_topic("Ids should not coincide", BODY)
    assert topic.id != first.id


# -- /latest.json --------------------------------------------------------------------------------------------


def test_latest_topics_pinned_first_and_more_url_only_when_full(forum):
    """/latest.json: pinned topics lead page 0, later pages skip them, more_topics_url only on a full page (§1b)."""
    pinned, _ = forum.create_topic("An old pinned welcome topic", BODY, created_at=NOW - timedelta(days=99))
    forum.pin_topic(pinned.id, globally=True)
    others = [
        forum.create_topic(f"Ordinary topic number {n}", BODY, created_at=NOW - timedelta(hours=n))[0]
        for n in range(6)
    ]
    page0 = get(forum, "/latest.json", per_page=3).json()["topic_list"]
    assert [t["id"] for t in page0["topics"]] == [pinned.id, others[0].id, others[1].id]
    assert page0["more_topics_url"] == "/latest?per_page=3&page=1"
    page1 = get(forum, "/latest.json", per_page=3, page=1).json()["topic_list"]
    assert [t["id"] for t in page1["topics"]] == [o.id for o in others[2:5]]
    page2 = get(forum, "/latest.json", per_page=3, page=2).json()["topic_list"]
    assert [t["id"] for t in page2["topics"]] == [others[5].id]
    assert "more_topics_url" not in page2


def test_replies_bump_and_edits_do_not(forum):
    """A reply moves its topic to the top of /latest; editing a post changes nothing there (§1b)."""
    old, old_first = forum.create_topic("The older of two topics", BODY, created_at=NOW - timedelta(days=2))
    new, _ = forum.create_topic("The newer of two topics", BODY, created_at=NOW - timedelta(days=1))
    order = lambda: [t["id"] for t in get(forum, "/latest.json").json()["topic_list"]["topics"]]  # noqa: E731
    forum.edit_post(old_first.id, "An edited opening post, still long enough.")
    assert order() == [new.id, old.id]
    forum.reply(old.id, "A fresh reply in the older topic.", created_at=NOW)
    assert order() == [old.id, new.id]


def test_latest_order_created_ascending(forum):
    """order=created&ascending=true lists topics oldest first, without pinning."""
    a, _ = forum.create_topic("First topic created here", BODY, created_at=NOW - timedelta(days=3))
    b, _ = forum.create_topic("Second topic created here", BODY, created_at=NOW - timedelta(days=2))
    forum.pin_topic(b.id, globally=True)
    topics = get(forum, "/latest.json", order="created", ascending="true").json()["topic_list"]["topics"]
    assert [t["id"] for t in topics] == [a.id, b.id]


def test_invalid_page_is_400(forum):
    """A non-integer page answers 400 invalid_parameters (§1b)."""
    response = get(forum, "/latest.json", page="two")
    assert (response.status_code, response.json()["error_type"]) == (400, "invalid_parameters")


@pytest.mark.parametrize("style", ["strings", "objects"])
def test_tag_style_switch(forum, style):
    """tag_style picks strings or {id,name,slug} objects for topic tags, in lists and topic views (§1b)."""
    forum.tag_style = style
    topic, _ = forum.create_topic("A tagged topic for the switch", BODY, tags=["Decision", "governance"])
    listed = get(forum, "/latest.json").json()["topic_list"]["topics"][0]["tags"]
    viewed = get(forum, f"/t/{topic.id}.json").json()["tags"]
    if style == "strings":
        assert listed == viewed == ["decision", "governance"]
    else:
        assert [t["name"] for t in listed] == ["decision", "governance"] and listed == viewed
        assert set(listed[0]) == {"id", "name", "slug"}


def test_tag_and_category_lists(forum):
    """/tag/{name}.json and /c/{slug}/{id}.json list only their topics (§1c)."""
    events = forum.add_category("Events")
    call, _ = forum.create_topic("A call in the events category", BODY, events.id)
    decided, _ = forum.create_topic("Decision: adopt the new logo", BODY, tags=["decision"])
    assert [t["id"] for t in get(forum, "/tag/decision.json").json()["topic_list"]["topics"]] == [decided.id]
    listed = get(forum, f"/c/{events.slug}/{events.id}.json").json()["topic_list"]["topics"]
    assert [t["id"] for t in listed] == [call.id]


# -- topics and posts ----------------------------------------------------------------------------------------


def test_topic_view_first_20_posts_and_full_stream(forum):
    """/t/{id}.json holds the first 20 posts and the ids of all of them; include_raw adds raw (§2)."""
    topic, first = forum.create_topic("A topic with many replies", BODY)
    replies = [forum.reply(topic.id, f"Reply {n} with a few words").id for n in range(29)]
    body = get(forum, f"/t/{topic.id}.json").json()
    assert body["post_stream"]["stream"] == [first.id, *replies]
    assert [p["id"] for p in body["post_stream"]["posts"]] == [first.id, *replies[:19]]
    assert "raw" not in body["post_stream"]["posts"][0]
    raw = get(forum, f"/t/{topic.id}.json", include_raw="true").json()["post_stream"]["posts"][0]["raw"]
    assert raw == BODY


def test_topic_slug_path_and_wrong_slug_redirect(forum):
    """/t/{slug}/{id}.json serves the topic; a wrong slug answers 301 to the canonical URL (§2)."""
    topic, _ = forum.create_topic("The right slug matters", BODY)
    assert get(forum, f"/t/{topic.slug}/{topic.id}.json").json()["id"] == topic.id
    with session(forum) as s:
        response = s.get(f"{forum.url}/t/wrong-slug/{topic.id}.json", allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == f"/t/{topic.slug}/{topic.id}"


def test_topic_posts_by_ids(forum):
    """/t/{id}/posts.json?post_ids[]= returns exactly those posts of the topic (§2)."""
    topic, first = forum.create_topic("Fetching posts by their ids", BODY)
    replies = [forum.reply(topic.id, f"Reply {n} with a few words") for n in range(5)]
    other, other_first = forum.create_topic("Another topic entirely", BODY)
    wanted = [replies[1].id, replies[3].id, other_first.id]
    posts = get(forum, f"/t/{topic.id}/posts.json", **{"post_ids[]": wanted}).json()["post_stream"]["posts"]
    assert [p["id"] for p in posts] == [replies[1].id, replies[3].id]


def test_single_post_has_raw(forum):
    """/posts/{id}.json answers the post with raw (§2)."""
    _, first = forum.create_topic("A single post read", "Raw *markdown* stays raw here.")
    body = get(forum, f"/posts/{first.id}.json").json()
    assert (body["raw"], body["cooked"]) == (
        "Raw *markdown* stays raw here.",
        "<p>Raw <em>markdown</em> stays raw here.</p>",
    )


def test_edit_bumps_version_and_updated_at(forum):
    """edit_post bumps version and updated_at, re-cooks, and leaves the topic's bumped_at alone (§1b)."""
    topic, first = forum.create_topic("An edited announcement", BODY, created_at=NOW - timedelta(days=1))
    bumped = topic.bumped_at
    forum.edit_post(first.id, "The call moved to **Thursday**, same time.")
    body = get(forum, f"/posts/{first.id}.json").json()
    assert body["version"] == 2 and body["updated_at"] == "2024-06-26T12:00:00.000Z"
    assert "<strong>Thursday</strong>" in body["cooked"]
    assert forum.topic(topic.id).bumped_at == bumped


def test_editing_grace_period_keeps_version(forum):
    """With Discourse's grace period on, an author's quick re-edit moves updated_at but not version."""
    forum.editing_grace_period = 300
    _, first = forum.create_topic("A quickly fixed typo", BODY)
    forum.edit_post(first.id, "An opening post with enough words in it!")
    assert (forum.post(first.id).version, forum.post(first.id).updated_at) == (1, NOW)


# -- creating and editing over HTTP ---------------------------------------------------------------------------


def test_create_reply_topic_and_pm(forum):
    """POST /posts.json makes a reply, a tagged topic and a PM, answering the post at top level (§7)."""
    topic, _ = forum.create_topic("Somewhere to reply to", BODY)
    s = session(forum)
    reply = s.post(
        f"{forum.url}/posts.json", data={"topic_id": topic.id, "raw": "A reply from the bot here."}
    ).json()
    assert (reply["topic_id"], reply["post_number"]) == (topic.id, 2)
    new = s.post(
        f"{forum.url}/posts.json",
        data={"title": "A topic made by the bot", "raw": BODY, "tags[]": ["digest", "weekly"]},
    ).json()
    assert forum.topic(new["topic_id"]).tags == ["digest", "weekly"] and new["post_number"] == 1
    pm = s.post(
        f"{forum.url}/posts.json",
        data={
            "title": "About your request",
            "raw": "Welcome aboard!",
            "archetype": "private_message",
            "target_recipients": "bryn,cerys",
        },
    ).json()
    pm_topic = forum.topic(pm["topic_id"])
    assert pm_topic.is_pm and pm_topic.allowed_user_ids == {forum.user(n).id for n in (BOT, "bryn", "cerys")}
    assert [p.id for p in forum.posts_by(BOT)] == [reply["id"], new["id"], pm["id"]]


@pytest.mark.parametrize("encoding", ["form", "multipart", "json"])
def test_create_accepts_every_body_encoding(forum, encoding):
    """POST /posts.json reads form-encoded, multipart and JSON bodies alike (§0)."""
    fields = {"title": f"A topic sent as {encoding}", "raw": BODY, "tags": ["one", "two"]}
    s = session(forum)
    if encoding == "form":
        response = s.post(
            f"{forum.url}/posts.json", data={"title": fields["title"], "raw": BODY, "tags[]": fields["tags"]}
        )
    elif encoding == "multipart":
        response = s.post(
            f"{forum.url}/posts.json",
            files=[
                ("title", (None, fields["title"])),
                ("raw", (None, BODY)),
                ("tags[]", (None, "one")),
                ("tags[]", (None, "two")),
            ],
        )
    else:
        response = s.post(f"{forum.url}/posts.json", json=fields)
    assert response.status_code == 200, response.text
    assert forum.topic(response.json()["topic_id"]).tags == ["one", "two"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Too short", "raw": BODY}, "Title is too short"),
        ({"title": "A perfectly fine title", "raw": "tiny"}, "Body is too short"),
        ({"title": "A perfectly fine title", "raw": BODY, "category": 999}, "Category is invalid"),
        ({"topic_id": 999, "raw": BODY}, "could not be found"),
        (
            {"title": "A perfectly fine title", "raw": "[poll]\n* only one\n[/poll]\nand enough text"},
            "at least 2",
        ),
        (
            {"title": "A message", "raw": BODY, "archetype": "private_message", "target_recipients": "ghost"},
            "ghost",
        ),
    ],
)
def test_create_refusals_are_422_create_post(forum, data, message):
    """Bad input answers 422 {"action": "create_post", "errors": [...]} with no success key (§7)."""
    response = session(forum).post(f"{forum.url}/posts.json", data=data)
    assert response.status_code == 422
    body = response.json()
    assert body["action"] == "create_post" and "success" not in body
    assert any(message in e for e in body["errors"])


def test_bodies_over_max_post_length_are_refused_on_create_reply_and_edit(forum):
    """Discourse's max_post_length (32,000): one character more is a 422 for a topic, a reply or an edit."""
    topic, first = forum.create_topic("A topic for long bodies", BODY)
    too_long, longest = "x" * 32_001, "y" * 32_000
    s = session(forum)
    for data in (
        {"title": "A perfectly fine title", "raw": too_long},
        {"topic_id": topic.id, "raw": too_long},
    ):
        response = s.post(f"{forum.url}/posts.json", data=data)
        assert response.status_code == 422
        assert response.json()["errors"] == ["Body is limited to 32000 characters; you entered 32001."]
    refused = s.put(f"{forum.url}/posts/{first.id}.json", data={"post[raw]": too_long})
    assert refused.status_code == 422 and forum.post(first.id).raw == BODY
    assert s.put(f"{forum.url}/posts/{first.id}.json", data={"post[raw]": longest}).status_code == 200
    assert forum.post(first.id).raw == longest


def test_duplicate_title_is_refused(forum):
    """A second topic with an existing title is refused: 'Title has already been used'."""
    forum.create_topic("Weekly digest for the network", BODY)
    response = session(forum).post(
        f"{forum.url}/posts.json", data={"title": "weekly digest for the network", "raw": BODY}
    )
    assert response.status_code == 422 and "Title has already been used" in response.json()["errors"]


def test_identical_create_within_120s_returns_the_first_post(forum, clock):
    """An identical POST within 120 s returns the first post instead of posting twice; after that it posts (§7)."""
    topic, _ = forum.create_topic("A topic for repeated replies", BODY)
    data = {"topic_id": topic.id, "raw": "Reminder: the call starts in ten minutes."}
    s = session(forum)
    first = s.post(f"{forum.url}/posts.json", data=data).json()
    clock.advance(119)
    assert s.post(f"{forum.url}/posts.json", data=data).json()["id"] == first["id"]
    clock.advance(2)
    assert s.post(f"{forum.url}/posts.json", data=data).json()["id"] != first["id"]
    assert len(forum.posts_by(BOT)) == 2


def test_update_post_over_http(forum):
    """PUT /posts/{id}.json with post[raw]/post[edit_reason] answers {"post": ...} with the new version (§7)."""
    _, first = forum.create_topic("The decision log", BODY, username=BOT)
    response = session(forum).put(
        f"{forum.url}/posts/{first.id}.json",
        data={"post[raw]": "Decision log, now with one entry.", "post[edit_reason]": "log"},
    )
    post = response.json()["post"]
    assert (post["version"], post["raw"], post["edit_reason"]) == (
        2,
        "Decision log, now with one entry.",
        "log",
    )


def test_update_post_with_stale_original_text_is_409(forum):
    """post[original_text] that no longer matches answers 409, for safe read-modify-write (§7)."""
    _, first = forum.create_topic("The decision log again", BODY, username=BOT)
    forum.edit_post(first.id, "Someone else changed the log meanwhile.")
    response = session(forum).put(
        f"{forum.url}/posts/{first.id}.json",
        data={"post[raw]": "My new version of the log.", "post[original_text]": BODY},
    )
    assert response.status_code == 409
    assert forum.post(first.id).raw == "Someone else changed the log meanwhile."


def test_update_post_json_body(forum):
    """PUT /posts/{id}.json also accepts a JSON body {"post": {"raw": ...}}."""
    _, first = forum.create_topic("Edited with a JSON body", BODY, username=BOT)
    response = session(forum).put(
        f"{forum.url}/posts/{first.id}.json", json={"post": {"raw": "Edited over JSON, long enough."}}
    )
    assert response.json()["post"]["raw"] == "Edited over JSON, long enough."


# -- polls (§3) ----------------------------------------------------------------------------------------------

POLL = "[poll name=dates type=multiple min=1 max=2 results={results}{public}]\n* Monday\n* Tuesday\n* Wednesday\n[/poll]"


def _poll(forum, results="always", public=True, author="ada"):
    raw = POLL.format(results=results, public=" public=true" if public else "")
    _, post = forum.create_topic(f"When shall we meet ({results}, {public})", raw, username=author)
    return post


def _served_poll(forum, post, username=BOT):
    return get(forum, f"/posts/{post.id}.json", username=username).json()["polls"][0]


def test_poll_options_have_discourse_ids(forum):
    """Poll options get md5 ids of their source text and cooked html (§3)."""
    post = _poll(forum)
    served = _served_poll(forum, post)
    assert [o["id"] for o in served["options"]] == [option_id(t) for t in ("Monday", "Tuesday", "Wednesday")]
    assert served["options"][0]["html"] == "Monday"
    assert 'data-poll-option-id="' + option_id("Monday") + '"' in forum.post(post.id).cooked


def test_poll_public_and_close_keys_only_when_set(forum):
    """'public' appears only when true and 'close' only when a close time is set (§3)."""
    private = _served_poll(forum, _poll(forum, public=False))
    assert "public" not in private and "close" not in private and "preloaded_voters" not in private
    _, post = forum.create_topic(
        "A poll that closes", "[poll close=2024-07-01T12:00:00.000Z]\n* Yes\n* No\n[/poll]"
    )
    served = _served_poll(forum, post)
    assert served["close"] == "2024-07-01T12:00:00.000Z"


def test_always_results_show_votes_and_public_voters(forum):
    """results=always shows votes to everyone and, when public, preloaded_voters by option id (§3)."""
    post = _poll(forum)
    forum.vote(post.id, "dates", "bryn", ["Monday", "Tuesday"])
    served = _served_poll(forum, post)
    assert [o["votes"] for o in served["options"]] == [1, 1, 0] and served["voters"] == 1
    assert served["preloaded_voters"][option_id("Monday")][0]["username"] == "bryn"


def test_on_close_hides_votes_from_staff_until_closed(forum):
    """results=on_close omits votes, even for staff, until the poll closes (§3)."""
    post = _poll(forum, results="on_close")
    forum.vote(post.id, "dates", "bryn", ["Monday"])
    hidden = _served_poll(forum, post)
    assert all("votes" not in o for o in hidden["options"]) and "preloaded_voters" not in hidden
    assert hidden["voters"] == 1
    forum.close_poll(post.id, "dates")
    shown = _served_poll(forum, post)
    assert shown["status"] == "closed" and [o["votes"] for o in shown["options"]] == [1, 0, 0]


def test_on_close_opens_when_close_time_passes(forum):
    """A poll whose close time has passed counts as closed: its results show (§3)."""
    raw = "[poll results=on_close close=2024-06-01T00:00:00.000Z]\n* Yes\n* No\n[/poll]"
    _, post = forum.create_topic("A poll closed by its timer", raw)
    served = _served_poll(forum, post)
    assert served["status"] == "closed" and "votes" in served["options"][0]


def test_on_vote_shows_results_to_voters_and_author_only(forum):
    """results=on_vote shows votes to the author and to voters, not to staff who did not vote (§3)."""
    post = _poll(forum, results="on_vote", author="ada")
    forum.vote(post.id, "dates", "bryn", ["Monday"])
    assert "votes" not in _served_poll(forum, post)["options"][0]  # the bot: staff, not a voter
    assert "votes" in _served_poll(forum, post, "bryn")["options"][0]
    assert "votes" in _served_poll(forum, post, "ada")["options"][0]
    assert _served_poll(forum, post, "bryn").get("preloaded_voters") is not None


def test_staff_only_results(forum):
    """results=staff_only shows votes to staff and hides them from members (§3)."""
    post = _poll(forum, results="staff_only")
    forum.vote(post.id, "dates", "bryn", ["Monday"])
    assert "votes" in _served_poll(forum, post)["options"][0]
    assert "votes" not in _served_poll(forum, post, "bryn")["options"][0]


def test_polls_votes_lists_the_callers_own_votes(forum):
    """polls_votes appears only for a caller who voted, with their option ids (§3)."""
    post = _poll(forum)
    forum.vote(post.id, "dates", "bryn", ["Tuesday"])
    assert get(forum, f"/posts/{post.id}.json", username="bryn").json()["polls_votes"] == {
        "dates": [option_id("Tuesday")]
    }
    assert "polls_votes" not in get(forum, f"/posts/{post.id}.json").json()


def test_poll_voters_endpoint(forum):
    """/polls/voters.json lists voters by option for public polls and is 400 for a private one (§3)."""
    post = _poll(forum)
    forum.vote(post.id, "dates", "bryn", ["Monday"])
    forum.vote(post.id, "dates", "cerys", ["Monday", "Wednesday"])
    voters = get(forum, "/polls/voters.json", post_id=post.id, poll_name="dates").json()["voters"]
    assert [u["username"] for u in voters[option_id("Monday")]] == ["bryn", "cerys"]
    private = _poll(forum, public=False)
    response = get(forum, "/polls/voters.json", post_id=private.id, poll_name="dates")
    assert (response.status_code, response.json()["error_type"]) == (400, "invalid_parameters")


def test_vote_validation(forum):
    """vote() refuses closed polls, unknown options and too many choices, and replaces an earlier vote."""
    post = _poll(forum)
    with pytest.raises(KeyError):
        forum.vote(post.id, "dates", "bryn", ["Friday"])
    with pytest.raises(ValueError):
        forum.vote(post.id, "dates", "bryn", ["Monday", "Tuesday", "Wednesday"])
    forum.vote(post.id, "dates", "bryn", ["Monday"])
    forum.vote(post.id, "dates", "bryn", ["Tuesday"])
    assert forum.poll(post.id, "dates").tally()[option_id("Tuesday")] == 1
    forum.close_poll(post.id, "dates")
    with pytest.raises(ValueError):
        forum.vote(post.id, "dates", "cerys", ["Monday"])


def test_editing_a_poll_keeps_votes_for_surviving_options(forum):
    """Re-editing a poll keeps votes on options that still exist and drops the rest."""
    post = _poll(forum)
    forum.vote(post.id, "dates", "bryn", ["Monday", "Tuesday"])
    forum.edit_post(
        post.id, POLL.format(results="always", public=" public=true").replace("Tuesday", "Friday")
    )
    assert forum.poll(post.id, "dates").votes == {forum.user("bryn").id: [option_id("Monday")]}


def test_invalid_poll_markup_raises(forum):
    """Two unnamed polls in one post are refused, as Discourse's validator does."""
    with pytest.raises(MarkupError, match="multiple polls"):
        forum.create_topic("Two polls no names", "[poll]\n* a\n* b\n[/poll]\n\n[poll]\n* c\n* d\n[/poll]")


# -- events (§4) ---------------------------------------------------------------------------------------------

EVENT = (
    '[event start="{day} 18:00" end="{day} 20:00" timezone="Europe/London" status="public" '
    'name="{name}" reminders="notification.1.hours,bumpTopic.-2.days" url="https://meet.jit.si/x"]\n'
    "Bring a drink.\n[/event]"
)


def _event(forum, day, name, category_id=None):
    _, post = forum.create_topic(f"Event: {name} on {day}", EVENT.format(day=day, name=name), category_id)
    return post


def test_event_markup_creates_the_event(forum):
    """[event] in a first post creates an event: id = post id, times read in its timezone (§4)."""
    post = _event(forum, "2024-07-10", "Summer social")
    body = get(forum, f"/posts/{post.id}.json").json()
    event = body["event"]
    assert event["id"] == post.id and event["name"] == "Summer social"
    assert (event["starts_at"], event["ends_at"]) == ("2024-07-10T17:00:00.000Z", "2024-07-10T19:00:00.000Z")
    assert event["reminders"] == [
        {"value": 1, "unit": "hours", "period": "before", "type": "notification"},
        {"value": 2, "unit": "days", "period": "after", "type": "bumpTopic"},
    ]
    assert 'class="discourse-post-event"' in body["cooked"] and 'data-reminders="' in body["cooked"]


def test_event_only_in_first_post(forum):
    """An [event] in a reply is refused (§4)."""
    topic, _ = forum.create_topic("A topic for a misplaced event", BODY)
    with pytest.raises(MarkupError):
        forum.reply(topic.id, EVENT.format(day="2024-07-10", name="Nope"))


def test_events_list_filters_and_order(forum):
    """events.json filters by after/before/category/post_id, orders asc or desc and honours limit (§4)."""
    events_cat = forum.add_category("Events")
    june = _event(forum, "2024-06-20", "June call", events_cat.id)
    july = _event(forum, "2024-07-20", "July call", events_cat.id)
    august = _event(forum, "2024-08-20", "August call")
    ids = lambda **q: [e["id"] for e in get(forum, "/discourse-post-event/events.json", **q).json()["events"]]  # noqa: E731
    assert ids() == [june.id, july.id, august.id]
    assert ids(order="desc") == [august.id, july.id, june.id]
    assert ids(after="2024-06-26T12:00:00Z") == [july.id, august.id]
    assert ids(before="2024-07-31T00:00:00+00:00") == [june.id, july.id]
    assert ids(category_id=events_cat.id) == [june.id, july.id]
    assert ids(post_id=july.id) == [july.id]
    assert ids(limit=1) == [june.id]


def test_events_after_accepts_an_unencoded_plus_offset(forum):
    """An ISO offset whose '+' arrived as a space (unencoded query) still parses."""
    late = _event(forum, "2024-07-20", "July call")
    _event(forum, "2024-06-20", "June call")
    with session(forum) as s:
        response = s.get(f"{forum.url}/discourse-post-event/events.json?after=2024-06-26T12:00:00+00:00")
    assert [e["id"] for e in response.json()["events"]] == [late.id]


def test_events_details_and_summary_shapes(forum):
    """Without include_details events are summaries; with it they carry status, reminders, stats (§4)."""
    post = _event(forum, "2024-07-10", "Summer social")
    forum.set_attendance(post.id, "bryn", "going")
    summary = get(forum, "/discourse-post-event/events.json").json()["events"][0]
    assert "reminders" not in summary and summary["post"]["topic"]["title"].startswith("Event:")
    details = get(forum, "/discourse-post-event/events.json", include_details="true").json()["events"][0]
    assert details["status"] == "public" and details["stats"]["going"] == 1 and details["reminders"]


def test_edit_moves_and_removal_deletes_the_event(forum):
    """Editing the [event] moves it; removing the markup or deleting the topic removes it (§4)."""
    post = _event(forum, "2024-07-10", "Summer social")
    forum.edit_post(post.id, EVENT.format(day="2024-07-11", name="Summer social"))
    assert forum.event(post.id).starts_at.day == 11
    forum.edit_post(post.id, "No event any more, sorry everyone.")
    assert forum.event(post.id) is None
    other = _event(forum, "2024-07-12", "Another")
    forum.delete_topic(forum.post(other.id).topic_id)
    assert get(forum, "/discourse-post-event/events.json").json()["events"] == []


# -- groups (§6) ---------------------------------------------------------------------------------------------


def test_group_members_paging_and_meta(forum):
    """members.json honours limit/offset with meta.total, so pydiscourse's pagination terminates (§6)."""
    names = [f"member{n:02d}" for n in range(7)]
    forum.add_group("cotech-members", members=names, owners=["ada"])
    pages = [get(forum, "/groups/cotech-members/members.json", limit=3, offset=o).json() for o in (0, 3, 6)]
    assert [p["meta"]["total"] for p in pages] == [8, 8, 8]
    collected = [m["username"] for p in pages for m in p["members"]]
    assert sorted(collected) == sorted([*names, "ada"]) and len(collected) == 8
    assert [o["username"] for o in pages[0]["owners"]] == ["ada"]
    assert get(forum, "/groups/cotech-members/members.json", limit=1001).status_code == 400


def test_requesters_and_handling(forum):
    """requesters=true lists pending requests; accept present (even =false) accepts, absent denies (§6)."""
    group = forum.add_group("cotech-members", owners=["ada"])
    forum.request_membership(
        "cotech-members", "bryn", "We are a co-op", requested_at=NOW - timedelta(hours=2)
    )
    forum.request_membership("cotech-members", "cerys", None, requested_at=NOW - timedelta(hours=1))
    body = get(forum, "/groups/cotech-members/members.json", requesters="true").json()
    assert [m["username"] for m in body["members"]] == ["cerys", "bryn"] and "owners" not in body
    assert body["members"][1]["reason"] == "We are a co-op"
    s = session(forum)
    url = f"{forum.url}/groups/{group.id}/handle_membership_request.json"
    assert s.put(url, data={"user_id": forum.user("bryn").id, "accept": "false"}).json() == {"success": "OK"}
    assert s.put(url, data={"user_id": forum.user("cerys").id}).json() == {"success": "OK"}
    assert forum.user("bryn").id in group.members and forum.user("cerys").id not in group.members
    assert group.requests == {}
    assert s.put(url, data={"user_id": forum.user("cerys").id}).status_code == 400


def test_requesters_need_owner_or_staff(forum):
    """A plain member asking for requesters gets 403 (§6)."""
    forum.add_group("cotech-members", members=["bryn"], owners=["ada"])
    assert (
        get(forum, "/groups/cotech-members/members.json", username="bryn", requesters="true").status_code
        == 403
    )


def test_request_membership_over_http(forum):
    """POST request_membership creates the request and a PM to owners; a repeat is 409 (§6)."""
    forum.add_group("cotech-members", owners=["ada"])
    s = session(forum, "bryn")
    url = f"{forum.url}/groups/cotech-members/request_membership.json"
    first = s.post(url, data={"reason": "Our co-op builds websites."}).json()
    assert first["success"] == "OK" and first["relative_url"].startswith("/t/")
    assert [t.title for t in forum.private_messages("ada")] == ["Membership request for @cotech-members"]
    assert s.post(url, data={"reason": "again"}).status_code == 409


def test_group_show(forum):
    """/groups/{name}.json carries id, allow_membership_requests and user_count (§6)."""
    group = forum.add_group("cotech-members", members=["bryn"], allow_membership_requests=True)
    body = get(forum, "/groups/cotech-members.json").json()["group"]
    assert (body["id"], body["allow_membership_requests"], body["user_count"]) == (group.id, True, 1)
    assert get(forum, "/groups/nope.json").status_code == 404


# -- users -----------------------------------------------------------------------------------------------------


def test_user_endpoint_for_credentials_check(forum):
    """/u/{username}.json and /users/{username}.json answer the user; unknown users are 404."""
    assert get(forum, f"/u/{BOT}.json").json()["user"]["admin"] is True
    assert get(forum, "/users/bryn.json").json()["user"]["username"] == "bryn"
    assert get(forum, "/u/ghost.json").status_code == 404
