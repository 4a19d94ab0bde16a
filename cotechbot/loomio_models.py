"""Typed Loomio records as the bot reads them from the b2 API (``../shared/reference/loomio`` API-NOTES §4).

Pure values shared by the Loomio adapter (which builds them from a response's root array and side-loads),
the ledger (which keeps the last snapshot of each poll) and the decisions capability (which reads them).
Every datetime is aware UTC. Fields newer servers add and older ones lack are optional; unknown fields are
ignored, so a server of either era reads the same.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from cotechbot.models import ForumModel, UtcDateTime

# Poll types Loomio has shipped (poll_types.yml, plus ``stv`` on newer servers). Others are read all the same
# and summarised by their results alone.
KNOWN_POLL_TYPES = frozenset(
    {"proposal", "poll", "count", "score", "ranked_choice", "meeting", "dot_vote", "check", "question", "stv"}
)


class LoomioOutcome(ForumModel):
    """A person's statement of what a closed poll decided (``outcomes[]``); the poll's current one is joined."""

    id: int
    poll_id: int
    statement: str = ""
    statement_format: str = "md"
    created_at: UtcDateTime | None = None
    review_on: str | None = None

    @field_validator("statement", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return "" if value is None else value


class LoomioResult(ForumModel):
    """One option's line in a poll's ``results`` (absent while the results are hidden)."""

    name: str = ""
    icon: str | None = None
    voter_count: int = 0
    score: float = 0
    rank: int | None = None
    id: int | None = None


class LoomioPoll(ForumModel):
    """A poll or proposal, with its current outcome joined from the side-loads and its URL built from its key."""

    id: int
    key: str
    poll_type: str = "proposal"
    title: str | None = None
    details: str | None = None
    group_id: int | None = None
    discussion_id: int | None = None
    topic_id: int | None = None
    created_at: UtcDateTime
    closing_at: UtcDateTime | None = None  # null: a draft ("work in progress"), never announced
    closed_at: UtcDateTime | None = None  # null: still open (up to an hour after closing_at: hourly job)
    discarded_at: UtcDateTime | None = None
    hide_results: str | None = None
    anonymous: bool = False
    voters_count: int = 0
    decided_voters_count: int = 0
    results: list[LoomioResult] | None = None  # None while hidden
    current_outcome_id: int | None = None
    outcome: LoomioOutcome | None = None
    url: str = ""
    # The thread's last activity, when the server sends it (for the digest's stalled list).
    last_activity_at: UtcDateTime | None = None

    @field_validator("results", mode="before")
    @classmethod
    def _results_rows(cls, value: Any) -> Any:
        return value if value is None or isinstance(value, list) else None

    @property
    def draft(self) -> bool:
        return self.closing_at is None and self.closed_at is None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def known_type(self) -> bool:
        return self.poll_type in KNOWN_POLL_TYPES

    def results_summary(self) -> str:
        """One line: each option's votes, highest first, and how many of the voters voted."""
        if self.results is None:
            return f"{self.decided_voters_count} of {self.voters_count} voted"
        rows = [r for r in self.results if r.id is None or r.id > 0]
        rows.sort(key=lambda r: (-r.voter_count, r.rank if r.rank is not None else 0, r.name))
        parts = [f"{r.name} {r.voter_count}" for r in rows if r.name and r.voter_count > 0]
        tally = ", ".join(parts)
        voted = f"{self.decided_voters_count} of {self.voters_count} voted"
        return f"{tally} ({voted})" if tally else voted


class LoomioPollList(ForumModel):
    """One page of a poll list: the polls and the server's ``meta.total`` (absent on some servers)."""

    polls: list[LoomioPoll] = Field(default_factory=list)
    total: int | None = None
