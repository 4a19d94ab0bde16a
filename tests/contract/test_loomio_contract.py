"""The fake Loomio answers what Loomio's OpenAPI and API-NOTES allow, and the Loomio adapter reads it right."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from cotechbot.errors import ForumAuthError, ForumNotFound, ForumRateLimited, ForumRejected, ForumUnavailable
from cotechbot.forum.loomio import LoomioClient
from cotechbot.sandbox.loomio import FakeLoomio
from tests.conftest import require_shared

pytestmark = pytest.mark.shared
KEY = "loomio-contract-key"
NOW = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)


@pytest.fixture(params=["current", "legacy"])
def loomio(request) -> Iterator[FakeLoomio]:
    shared = require_shared("reference/loomio/openapi.yaml").parents[2]
    with FakeLoomio.running(
        api_key=KEY, era=request.param, now=lambda: NOW, validate=True, shared_dir=shared
    ) as fake:
        assert fake.validating
        yield fake


def client(fake: FakeLoomio, key: str = KEY) -> LoomioClient:
    return LoomioClient(fake.url, key, legacy_api_key_param=fake.era == "legacy", timeout=5)


def raw_get(fake: FakeLoomio, path: str, **params) -> requests.Response:
    headers = {}
    if fake.era == "legacy":
        params["api_key"] = KEY
    else:
        headers["Authorization"] = f"Bearer {KEY}"
    return requests.get(fake.url + path, params=params, headers=headers, timeout=5)


def test_poll_list_is_a_root_array_with_side_loads_and_meta_newest_created_first(loomio):
    """A list is {polls: [...], outcomes, poll_options, meta: {root, total}}, ordered by created_at desc."""
    group = loomio.add_group("CoTech")
    older = loomio.add_poll(
        group, "Older proposal", closing_at=NOW + timedelta(days=1), created_at=NOW - timedelta(days=2)
    )
    newer = loomio.add_poll(
        group, "Newer proposal", closing_at=NOW + timedelta(days=1), created_at=NOW - timedelta(days=1)
    )
    body = raw_get(loomio, "/api/b2/polls", group_id=group, status="active").json()
    assert [p["id"] for p in body["polls"]] == [newer.id, older.id]
    assert body["meta"] == {"root": "polls", "total": 2}
    assert isinstance(body["poll_options"], list) and isinstance(body["users"], list)
    loomio.assert_no_contract_violations()


def test_show_is_a_one_element_array_with_the_current_outcome_side_loaded(loomio):
    """GET /polls/{id or key} gives polls[0] and the latest outcome under outcomes, joined by current_outcome_id."""
    group = loomio.add_group("CoTech")
    poll = loomio.add_poll(
        group, "Adopt the charter", closing_at=NOW - timedelta(hours=3), created_at=NOW - timedelta(days=5)
    )
    loomio.set_outcome(poll.id, "First wording")
    latest = loomio.set_outcome(poll.id, "Adopted.")
    for ident in (poll.id, poll.key):
        body = raw_get(loomio, f"/api/b2/polls/{ident}").json()
        assert len(body["polls"]) == 1
        assert body["polls"][0]["current_outcome_id"] == latest.id
        assert [o["statement"] for o in body["outcomes"]] == ["Adopted."]
    read = client(loomio).poll(poll.key)
    assert read.outcome is not None and read.outcome.statement == "Adopted."
    assert read.url == f"{loomio.url}/p/{poll.key}"
    loomio.assert_no_contract_violations()


def test_status_filters_leave_drafts_out_of_active_and_discarded_polls_out_of_everything(loomio):
    """active = open and not a draft; closed = closed_at set; all = every non-discarded poll."""
    group = loomio.add_group("CoTech")
    open_poll = loomio.add_poll(group, "Open", closing_at=NOW + timedelta(days=2))
    draft = loomio.add_poll(group, "Draft", closing_at=None)
    closed = loomio.add_poll(group, "Closed", closing_at=NOW - timedelta(days=1))
    gone = loomio.add_poll(group, "Gone", closing_at=NOW + timedelta(days=2))
    loomio.discard_poll(gone.id)
    api = client(loomio)
    assert [p.id for p in api.polls(group, "active")] == [open_poll.id]
    assert [p.id for p in api.polls(group, "closed")] == [closed.id]
    assert {p.id for p in api.polls(group, "all")} == {open_poll.id, draft.id, closed.id}
    with pytest.raises(ForumAuthError):
        api.poll(gone.id)
    loomio.assert_no_contract_violations()


def test_paging_reads_every_page_with_limit_offset_or_per_from(loomio):
    """120 polls come back across three pages, each once, in either era's paging names."""
    group = loomio.add_group("CoTech")
    for n in range(120):
        loomio.add_poll(
            group, f"Proposal {n}", closing_at=NOW + timedelta(days=1), created_at=NOW - timedelta(minutes=n)
        )
    polls = client(loomio).polls(group, "active")
    assert len({p.id for p in polls}) == 120
    pages = [r.query for r in loomio.requests if r.path == "/api/b2/polls"]
    names = ("per", "from") if loomio.era == "legacy" else ("limit", "offset")
    assert [q[names[1]] for q in pages] == ["0", "50", "100"]
    assert all(names[0] in q for q in pages)
    loomio.assert_no_contract_violations()


def test_results_are_hidden_until_closed_when_the_poll_says_so(loomio):
    """hide_results=until_closed: no results or stance_counts while open; they appear once it closes."""
    group = loomio.add_group("CoTech")
    poll = loomio.add_poll(
        group, "Secret ballot", closing_at=NOW + timedelta(days=1), hide_results="until_closed"
    )
    loomio.vote(poll.id, "Agree", 3)
    row = raw_get(loomio, f"/api/b2/polls/{poll.id}").json()["polls"][0]
    assert "results" not in row and "stance_counts" not in row
    assert client(loomio).poll(poll.id).results is None
    loomio.close_poll(poll.id)
    read = client(loomio).poll(poll.id)
    assert read.results is not None and "Agree 3" in read.results_summary()
    loomio.assert_no_contract_violations()


def test_the_hourly_job_closes_a_lapsed_poll_at_the_next_whole_hour():
    """closing_at 10:10 → still open at 10:30 (closed_at null), closed at 11:00 once the clock passes it."""
    clock = {"now": NOW}
    with FakeLoomio.running(api_key=KEY, now=lambda: clock["now"]) as fake:
        group = fake.add_group("CoTech")
        poll = fake.add_poll(group, "Lapsing", closing_at=NOW.replace(minute=10))
        assert client(fake).poll(poll.id).closed_at is None
        clock["now"] = NOW.replace(hour=11, minute=5)
        assert client(fake).poll(poll.id).closed_at == NOW.replace(hour=11, minute=0)


def test_errors_map_to_the_forum_error_hierarchy(loomio):
    """403 bad key, 404 unknown poll, 422 bad write, 429 plain text (and no request until its wait is over)."""
    group = loomio.add_group("CoTech")
    with pytest.raises(ForumAuthError, match="COTECHBOT_LOOMIO_API_KEY"):
        client(loomio, key="rotated-key").polls(group, "active")
    with pytest.raises(ForumNotFound):
        client(loomio).poll(999_999)
    with pytest.raises(ForumNotFound):
        client(loomio).polls(424242, "active")
    auth = {"api_key": KEY} if loomio.era == "legacy" else {}
    headers = {} if loomio.era == "legacy" else {"Authorization": f"Bearer {KEY}"}
    refused = requests.post(
        loomio.url + "/api/b2/polls",
        params=auth,
        json={
            "group_id": group,
            "title": "Late",
            "poll_type": "proposal",
            "closing_at": "2020-01-01T00:00:00Z",
        },
        headers=headers,
        timeout=5,
    )
    assert refused.status_code == 422 and "closing_at" in refused.json()["errors"]
    api = client(loomio)
    loomio.fail_next(1, status=429)
    with pytest.raises(ForumRateLimited) as limited:
        api.polls(group, "active")
    assert limited.value.wait_seconds == 60
    sent = len(loomio.requests)
    with pytest.raises(ForumRateLimited):
        api.polls(group, "active")
    assert len(loomio.requests) == sent  # refused without sending
    loomio.fail_next(1, status=502)
    with pytest.raises(ForumUnavailable):
        client(loomio).polls(group, "active")
    loomio.assert_no_contract_violations()


def test_a_refused_page_size_is_a_rejection_not_a_crash():
    """limit=0 is refused with 422 and the adapter raises ForumRejected carrying the field message."""
    with FakeLoomio.running(api_key=KEY, now=lambda: NOW) as fake:
        group = fake.add_group("CoTech")
        with pytest.raises(ForumRejected) as refused:
            client(fake).poll_page(group, "active", limit=0)
        assert refused.value.errors == ["limit must be positive"]


def test_each_auth_era_reads_only_its_own_credential():
    """Current servers: Bearer only, a query api_key is refused; 3.0.x: the api_key parameter only."""
    with FakeLoomio.running(api_key=KEY, era="current", now=lambda: NOW) as current:
        group = current.add_group("CoTech")
        assert client(current).polls(group, "active") == []
        assert current.requests[-1].authorization == f"Bearer {KEY}"
        assert "api_key" not in current.requests[-1].query
        with pytest.raises(ForumAuthError):
            LoomioClient(current.url, KEY, legacy_api_key_param=True).polls(group, "active")
    with FakeLoomio.running(api_key=KEY, era="legacy", now=lambda: NOW) as legacy:
        group = legacy.add_group("CoTech")
        with pytest.raises(ForumAuthError):
            LoomioClient(legacy.url, KEY).polls(group, "active")
        assert LoomioClient(legacy.url, KEY, legacy_api_key_param=True).polls(group, "active") == []


def test_a_request_breaking_the_openapi_is_recorded_as_a_violation():
    """The contract check is live: a list call without group_id and with limit=0 is flagged."""
    shared = require_shared("reference/loomio/openapi.yaml").parents[2]
    with FakeLoomio.running(api_key=KEY, now=lambda: NOW, validate=True, shared_dir=shared) as fake:
        fake.add_group("CoTech")
        requests.get(
            fake.url + "/api/b2/polls",
            params={"status": "open", "group_id": 7},
            headers={"Authorization": f"Bearer {KEY}"},
            timeout=5,
        )
        assert any("status" in v for v in fake.contract_violations)
        fake._violations.clear()
