"""The decision log, as pure functions: what each source says the log should hold (a forum topic tagged as a
decision, a closed Loomio poll) and how the stored log changes when it is read again.

* **Forum.** A topic tagged with one of ``decision_tags``: its decision is a line of the first post starting
  "Decision:", "Agreed:" or "Resolved:", else the accepted (solution) post, else the first paragraph.
  ``decided_at`` is when the bot first saw the tag (the topic's creation on the first sync).
* **Loomio.** A closed, non-discarded poll: with an outcome it is decided (the statement and a results line),
  without one it is "closed, awaiting outcome" and is completed when one appears. ``decided_at`` is when
  it closed. Drafts and open polls are never filed.
* **Revisions.** An entry whose text, title, status or tags change gets the next revision (the store keeps
  every one); an entry whose source is gone (untagged, deleted, discarded) is marked withdrawn, never erased.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from cotechbot.loomio_models import LoomioPoll
from cotechbot.models import Decision, Post, Topic

DECISION_LINE = re.compile(
    r"^[\s>*_#-]*(?:decision|agreed|resolved)\s*[*_]*\s*:\s*[*_]*\s*(?P<text>\S.*?)[\s*_]*$",
    re.IGNORECASE,
)
AWAITING_OUTCOME = "closed, awaiting outcome"
MAX_DECISION_CHARS = 1000
_MARKUP_LINE = re.compile(r"^\s*(\[/?\w+[^\]]*\]|<[^>]+>|!\[|---+\s*$)")


@dataclass(frozen=True)
class Filing:
    """What one source says the log should hold for it now (``decided_at`` is a candidate, see ``reconcile``)."""

    decision_id: str
    source: str
    url: str
    title: str
    decision: str
    status: str
    tags: tuple[str, ...]
    decided_at: datetime | None
    closing_at: datetime | None = None


@dataclass(frozen=True)
class LogEntry:
    """One row of the stored log: the current revision of a decision."""

    decision_id: str
    source: str
    url: str
    title: str
    decision: str
    status: str
    tags: tuple[str, ...]
    decided_at: datetime
    closing_at: datetime | None = None
    revision: int = 1

    def same_content(self, filing: Filing) -> bool:
        return (self.url, self.title, self.decision, self.status, self.tags) == (
            filing.url,
            filing.title,
            filing.decision,
            filing.status,
            filing.tags,
        )

    def as_decision(self) -> Decision:
        return Decision(
            id=self.decision_id,
            source="loomio" if self.source == "loomio" else "discourse",
            url=self.url,
            title=self.title,
            decision=self.decision,
            decided_at=self.decided_at,
            tags=list(self.tags),
            status=self.status if self.status in ("decided", "awaiting_outcome", "withdrawn") else "decided",
            closing_at=self.closing_at,
        )


# -- the forum ------------------------------------------------------------------------------------------
def decision_text(first_post: Post | None, accepted: Post | None = None) -> str:
    """The decision a topic states: a labelled line of the first post, else the accepted answer, else the
    first paragraph of the first post."""
    raw = (first_post.text if first_post is not None else "") or ""
    for line in raw.splitlines():
        match = DECISION_LINE.match(line)
        if match:
            return _flat(match.group("text"))
    if accepted is not None and accepted.text:
        return first_paragraph(accepted.text)
    return first_paragraph(raw)


def first_paragraph(raw: str) -> str:
    for block in re.split(r"\n\s*\n", raw or ""):
        lines = [line for line in block.splitlines() if line.strip() and not _MARKUP_LINE.match(line)]
        if lines:
            return _flat(" ".join(lines))
    return ""


def _flat(text: str) -> str:
    flat = " ".join(re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL).split())
    return flat if len(flat) <= MAX_DECISION_CHARS else flat[: MAX_DECISION_CHARS - 1].rstrip() + "…"


def forum_filings(
    topics: Iterable[Topic],
    posts: Mapping[int, Sequence[Post]],
    decision_tags: Iterable[str],
    base_url: str,
) -> dict[str, Filing]:
    """Every regular topic carrying one of ``decision_tags`` whose first post the bot has read."""
    wanted = {tag.lower() for tag in decision_tags if tag}
    found: dict[str, Filing] = {}
    for topic in topics:
        tags = tuple(sorted(t for t in topic.tags))
        if topic.archetype != "regular" or not wanted & {t.lower() for t in tags}:
            continue
        topic_posts = [p for p in posts.get(topic.id, ()) if p.deleted_at is None]
        first = next((p for p in topic_posts if p.post_number == 1), None)
        if first is None:
            continue
        accepted = next((p for p in topic_posts if p.accepted_answer), None)
        decision_id = f"discourse:topic/{topic.id}"
        found[decision_id] = Filing(
            decision_id=decision_id,
            source="discourse",
            url=f"{base_url}/t/{topic.slug or 'topic'}/{topic.id}",
            title=_flat(topic.title),
            decision=decision_text(first, accepted),
            status="decided",
            tags=tags,
            decided_at=topic.created_at,
        )
    return found


# -- Loomio ---------------------------------------------------------------------------------------------
def loomio_decision_id(poll: LoomioPoll) -> str:
    return f"loomio:poll/{poll.key}"


def loomio_filings(polls: Iterable[LoomioPoll]) -> dict[str, Filing]:
    """Every closed, non-discarded poll: decided with its outcome, or awaiting one."""
    found: dict[str, Filing] = {}
    for poll in polls:
        if poll.closed_at is None or poll.discarded_at is not None:
            continue
        results = f"Results: {poll.results_summary()}."
        statement = _flat(poll.outcome.statement) if poll.outcome is not None else ""
        decision_id = loomio_decision_id(poll)
        found[decision_id] = Filing(
            decision_id=decision_id,
            source="loomio",
            url=poll.url,
            title=_flat(poll.title or f"Loomio {poll.poll_type} {poll.key}"),
            decision=f"{statement} {results}" if statement else f"{AWAITING_OUTCOME}. {results}",
            status="decided" if statement else "awaiting_outcome",
            tags=(poll.poll_type if poll.known_type else "poll",),
            decided_at=poll.closed_at,
        )
    return found


def open_proposals(polls: Iterable[LoomioPoll]) -> list[Decision]:
    """Open, announced-able polls as decisions still to be made (the digest lists those closing soon)."""
    return [
        Decision(
            id=loomio_decision_id(poll),
            source="loomio",
            url=poll.url,
            title=_flat(poll.title or poll.key),
            decided_at=poll.created_at,
            status="awaiting_outcome",
            closing_at=poll.closing_at,
            tags=[poll.poll_type],
        )
        for poll in polls
        if poll.closed_at is None and poll.closing_at is not None and poll.discarded_at is None
    ]


# -- the stored log -------------------------------------------------------------------------------------
def reconcile(
    entries: Mapping[str, LogEntry],
    filings: Mapping[str, Filing],
    now: datetime,
    *,
    first_sync: bool,
    sources: Iterable[str] = ("discourse", "loomio"),
) -> list[LogEntry]:
    """The entries to write: new ones (revision 1), changed ones (next revision) and ones whose source is
    gone (withdrawn). A forum decision first seen after the first sync is dated ``now`` (the tag was just
    added); on the first sync, and for Loomio, the source's own moment is used."""
    changed: list[LogEntry] = []
    for decision_id, filing in sorted(filings.items()):
        entry = entries.get(decision_id)
        if entry is None:
            use_source_time = filing.decided_at is not None and (first_sync or filing.source == "loomio")
            decided_at = filing.decided_at if use_source_time and filing.decided_at else now
            changed.append(
                LogEntry(
                    decision_id=decision_id,
                    source=filing.source,
                    url=filing.url,
                    title=filing.title,
                    decision=filing.decision,
                    status=filing.status,
                    tags=filing.tags,
                    decided_at=decided_at,
                    closing_at=filing.closing_at,
                )
            )
        elif not entry.same_content(filing):
            changed.append(
                replace(
                    entry,
                    url=filing.url,
                    title=filing.title,
                    decision=filing.decision,
                    status=filing.status,
                    tags=filing.tags,
                    revision=entry.revision + 1,
                )
            )
    read = frozenset(sources)  # a source not read this time withdraws nothing
    for decision_id, entry in sorted(entries.items()):
        if decision_id not in filings and entry.source in read and entry.status != "withdrawn":
            changed.append(replace(entry, status="withdrawn", revision=entry.revision + 1))
    return changed


def newest_first(entries: Iterable[LogEntry]) -> list[LogEntry]:
    return sorted(entries, key=lambda e: (e.decided_at, e.decision_id), reverse=True)
