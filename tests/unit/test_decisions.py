"""The decision log's pure functions: reading a decision out of a post, filing Loomio polls, revisions, pages
under Discourse's limit, and plans that stay the same for the same facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cotechbot.actions import Status
from cotechbot.capabilities.base import SHARED_DECISIONS, Facts, outbox_view
from cotechbot.capabilities.decisions import (
    LogEntry,
    decision_text,
    forum_filings,
    loomio_filings,
    reconcile,
)
from cotechbot.capabilities.decisions.capability import (
    EXTRA_LOG,
    EXTRA_LOOMIO_POLLS,
    EXTRA_POSTED,
    DecisionRules,
    DecisionsCapability,
)
from cotechbot.capabilities.decisions.export import export
from cotechbot.loomio_models import LoomioOutcome, LoomioPoll
from cotechbot.messages import render
from cotechbot.models import Post, Topic
from tests.mentions import assert_no_mention

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def post(raw: str, number: int = 1, topic_id: int = 5) -> Post:
    return Post(
        id=100 + number, topic_id=topic_id, post_number=number, raw=raw, created_at=NOW, username="amy"
    )


def entry(n: int, decision: str = "Agreed.", **changes) -> LogEntry:
    values = dict(
        decision_id=f"discourse:topic/{n}",
        source="discourse",
        url=f"https://forum.example/t/t/{n}",
        title=f"Decision number {n}",
        decision=decision,
        status="decided",
        tags=("decision",),
        decided_at=NOW - timedelta(days=n),
    )
    values.update(changes)
    return LogEntry(**values)


def poll(**changes) -> LoomioPoll:
    values = dict(
        id=301,
        key="aB3dE5gH",
        title="Adopt the charter",
        created_at=NOW - timedelta(days=5),
        closing_at=NOW - timedelta(days=1),
        closed_at=NOW - timedelta(hours=23),
        url="https://loomio.example/p/aB3dE5gH",
        voters_count=9,
        decided_voters_count=7,
        results=[{"name": "Agree", "voter_count": 6, "id": 1}, {"name": "Block", "voter_count": 1, "id": 2}],
    )
    values.update(changes)
    return LoomioPoll.model_validate(values)


def test_the_decision_is_the_labelled_line_else_the_accepted_answer_else_the_first_paragraph():
    """'Resolved:' wins (any case, bold or quoted); then the solution post; then the first real paragraph."""
    assert decision_text(post("Intro.\n\n> **RESOLVED**: we meet monthly.\n")) == "we meet monthly."
    assert (
        decision_text(post("[poll]\n[/poll]\n\nWe went with option B.\n\nMore.")) == "We went with option B."
    )
    accepted = post("The answer is to use Matrix.", number=4)
    assert decision_text(post("Which chat tool should we use?"), accepted) == "The answer is to use Matrix."


def test_only_topics_with_a_decision_tag_and_a_readable_first_post_are_filed():
    topics = [
        Topic(id=5, title="Hosting", tags=["Decision"], created_at=NOW, slug="hosting"),
        Topic(id=6, title="Chat", tags=["proposal"], created_at=NOW),
        Topic(id=7, title="Unread", tags=["decision"], created_at=NOW),
    ]
    found = forum_filings(
        topics, {5: [post("Agreed: yes.")], 6: [post("x", topic_id=6)]}, ["decision"], "https://f"
    )
    assert list(found) == ["discourse:topic/5"]
    assert found["discourse:topic/5"].url == "https://f/t/hosting/5"


def test_loomio_polls_file_with_outcome_or_awaiting_and_never_open_or_discarded():
    """An outcome makes it decided with a results line; none is awaiting; open and discarded are not filed."""
    decided = poll(current_outcome_id=55, outcome=LoomioOutcome(id=55, poll_id=301, statement="Adopted."))
    filed = loomio_filings(
        [
            decided,
            poll(id=302, key="zzzzzzzz"),
            poll(id=303, key="yyyyyyyy", closed_at=None),
            poll(id=304, key="xxxxxxxx", discarded_at=NOW),
        ]
    )
    assert set(filed) == {"loomio:poll/aB3dE5gH", "loomio:poll/zzzzzzzz"}
    assert filed["loomio:poll/aB3dE5gH"].decision == "Adopted. Results: Agree 6, Block 1 (7 of 9 voted)."
    assert filed["loomio:poll/zzzzzzzz"].status == "awaiting_outcome"
    assert filed["loomio:poll/aB3dE5gH"].tags == ("proposal",)
    odd = loomio_filings([poll(poll_type="future_vote_kind")])
    assert odd["loomio:poll/aB3dE5gH"].tags == ("poll",)  # an unknown poll type is still filed


def test_reconcile_revises_changed_entries_withdraws_gone_ones_and_leaves_unread_sources_alone():
    stored = {e.decision_id: e for e in (entry(1), entry(2))}
    filings = forum_filings(
        [Topic(id=1, title="Decision number 1", tags=["decision"], created_at=NOW, slug="t")],
        {1: [post("Agreed: changed.", topic_id=1)]},
        ["decision"],
        "https://forum.example",
    )
    changed = {e.decision_id: e for e in reconcile(stored, filings, NOW, first_sync=False)}
    assert changed["discourse:topic/1"].revision == 2 and changed["discourse:topic/1"].decision == "changed."
    assert changed["discourse:topic/1"].decided_at == NOW - timedelta(days=1)  # first seen, never moved
    assert changed["discourse:topic/2"].status == "withdrawn"
    assert reconcile(stored, {}, NOW, first_sync=False, sources=("loomio",)) == []


def facts_for(entries, outbox=(), polls=(), posted=None) -> Facts:
    return Facts(
        forum="cotech",
        zone="Europe/London",
        base_url="https://forum.example",
        outbox=tuple(outbox),
        extra={EXTRA_LOG: tuple(entries), EXTRA_LOOMIO_POLLS: tuple(polls), EXTRA_POSTED: posted or {}},
    )


def test_pages_stay_under_discourses_limit_and_list_newest_first():
    """400 long decisions split into several pages, each under 32,000 characters, the newest on page 1."""
    capability = DecisionsCapability(DecisionRules(log_topic_id=1), render)
    entries = [entry(n, decision="word " * 170) for n in range(1, 401)]
    pages = capability.pages(facts_for(entries), entries)
    assert len(pages) > 2 and all(len(page) <= 30_000 for page in pages)  # room for the marker under 32,000
    assert "Decision number 1]" in pages[0] and "Decision number 400]" in pages[-1]
    plan = capability.plan(facts_for(entries), NOW)
    assert [a.key for a in plan.actions] == [
        f"decision_log:cotech:topic/1:page/{n}" for n in range(1, len(pages) + 1)
    ]


def test_an_unchanged_log_plans_no_edit_and_a_changed_one_plans_one_keyed_by_its_content():
    capability = DecisionsCapability(DecisionRules(log_topic_id=1), render)
    entries = [entry(1)]
    created = capability.plan(facts_for(entries), NOW).actions[0]
    sent = outbox_view(
        key=created.key,
        kind=created.kind,
        source=created.source,
        target=created.target,
        status=Status.SENT,
        due_at=created.due_at,
        sent_at=NOW,
        payload=created.payload,
    )
    posted = {created.key: (555, 1)}
    (wiki,) = capability.plan(facts_for(entries, [sent], posted=posted), NOW).actions
    assert (
        wiki.operation.op == "edit_post"
        and wiki.operation.wiki
        and wiki.operation.raw == created.operation.raw
    )
    made_wiki = outbox_view(
        key=wiki.key,
        kind=wiki.kind,
        source=wiki.source,
        target=wiki.target,
        status=Status.SENT,
        due_at=wiki.due_at,
        sent_at=NOW,
        payload=wiki.payload,
    )
    assert capability.plan(facts_for(entries, [sent, made_wiki], posted=posted), NOW).actions == ()
    plan = capability.plan(facts_for([*entries, entry(2)], [sent, made_wiki], posted=posted), NOW)
    (edit,) = plan.actions
    assert edit.operation.op == "edit_post" and edit.operation.post_id == 555
    assert edit.key.startswith("decision_log_edit:cotech:topic/1:page/1:")
    assert (
        capability.plan(facts_for([*entries, entry(2)], [sent], posted=posted), NOW).actions == plan.actions
    )


def test_open_proposals_and_filed_decisions_are_shared_with_the_digest():
    capability = DecisionsCapability(DecisionRules(), render)
    open_poll = poll(id=9, key="openopen", closed_at=None, closing_at=NOW + timedelta(days=2))
    shared = capability.plan(facts_for([entry(1)], polls=[open_poll]), NOW).shares[SHARED_DECISIONS]
    assert {d.id: d.status for d in shared} == {
        "discourse:topic/1": "decided",
        "loomio:poll/openopen": "awaiting_outcome",
    }


def test_exports_are_mention_safe_and_json_has_the_promised_fields():
    hostile = entry(1, decision="@everyone <script>x</script> agreed", title="@admins [click](https://evil)")
    assert_no_mention(export([hostile], "md"))
    (row,) = __import__("json").loads(export([hostile], "json"))
    assert set(row) >= {"id", "source", "url", "title", "decision", "decided_at", "tags"}
    assert row["decided_at"] == "2026-03-01T09:00:00Z"


def test_a_topic_without_a_labelled_line_files_its_accepted_answer():
    """The solved plugin's accepted_answer post is the decision when the first post has no labelled line."""
    solution = Post.model_validate(
        {
            "id": 140,
            "topic_id": 5,
            "post_number": 4,
            "raw": "Use Matrix, with a bridge.",
            "created_at": NOW,
            "accepted_answer": True,
        }
    )
    topics = [Topic(id=5, title="Which chat tool?", tags=["decision"], created_at=NOW)]
    found = forum_filings(
        topics, {5: [post("Which chat tool should we use?"), solution]}, ["decision"], "https://f"
    )
    assert found["discourse:topic/5"].decision == "Use Matrix, with a bridge."
