"""`LoomioClient`: the few b2 reads the decision log needs, typed, over one kept-alive ``requests`` session.

Contract: ``../shared/reference/loomio`` (API-NOTES, OpenAPI). What this adapter relies on:

* **Auth.** Current servers (3.1.3 and later) take the bot user's key only as ``Authorization: Bearer`` and
  refuse it in the query string; 3.0.x servers read only the ``api_key`` parameter. The header is always
  sent; ``legacy_api_key_param`` adds ``?api_key=`` for a 3.0.x server (keys in URLs leak into access logs,
  so it is off by default). A refused key is a 403 on every b2 path (never 401).
* **Shape.** Every reply is an object with a plural root array (``polls``), side-loaded sibling arrays
  (``outcomes``, ``poll_options``, ``users``…) joined on ids (``current_outcome_id``), and ``meta`` whose
  ``total`` may be absent. A show is a one-element array. URLs are not in the JSON: a poll's is ``/p/<key>``.
* **Paging.** ``limit``/``offset`` (newer names) or ``per``/``from`` (3.0.x names, still aliases); polls come
  newest-created first; there is no change feed, so callers diff the ``active`` and ``closed`` lists.
* **Errors** by status code only, never body text: 403 → ``ForumAuthError`` (rotated key, or no access to
  the group), 404 → ``ForumNotFound``, 422 → ``ForumRejected`` with the field messages, 429 (plain text) →
  ``ForumRateLimited`` (``Retry-After`` or 60 s; further calls are refused without sending until then),
  5xx and network failures → ``ForumUnavailable``, a body that is not the JSON expected → ``ForumBadResponse``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests
import structlog
from pydantic import SecretStr, ValidationError

from cotechbot.errors import (
    ForumAuthError,
    ForumBadResponse,
    ForumNotFound,
    ForumRateLimited,
    ForumRejected,
    ForumUnavailable,
)
from cotechbot.forum.ratelimit import rate_limit_wait
from cotechbot.forum.unreachable import unreachable_reason
from cotechbot.loomio_models import LoomioOutcome, LoomioPoll, LoomioPollList

USER_AGENT = "cotechbot/0.1 (decision log)"
PAGE_SIZE = 50
DEFAULT_RATE_LIMIT_WAIT = 60.0
POLL_STATUSES = ("active", "closed", "all")

log = structlog.get_logger(__name__)


class LoomioClient:
    """Reads one Loomio server as the bot user whose key it holds."""

    def __init__(
        self,
        base_url: str,
        api_key: str | SecretStr,
        *,
        legacy_api_key_param: bool = False,
        timeout: float = 15.0,
        session: requests.Session | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        name: str = "loomio",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        self.legacy_api_key_param = legacy_api_key_param
        self.timeout = timeout
        self.name = name
        self.session = session or requests.Session()
        self.session.headers.update(
            {"Accept": "application/json", "User-Agent": USER_AGENT, "Authorization": f"Bearer {self._key}"}
        )
        self._monotonic = monotonic
        self._paused_until = 0.0
        self.requests_made = 0

    def __repr__(self) -> str:  # never show the key
        return f"LoomioClient(base_url={self.base_url!r}, legacy={self.legacy_api_key_param})"

    def close(self) -> None:
        self.session.close()

    # -- reads ------------------------------------------------------------------------------------------
    def poll_page(
        self, group_id: int, status: str, *, offset: int = 0, limit: int = PAGE_SIZE
    ) -> LoomioPollList:
        """One page of a group's polls with ``status`` (active, closed or all), newest created first."""
        if status not in POLL_STATUSES:
            raise ValueError(f"status must be one of {POLL_STATUSES}, not {status!r}")
        paging = (
            {"per": limit, "from": offset}
            if self.legacy_api_key_param
            else {"limit": limit, "offset": offset}
        )
        body = self._get("/api/b2/polls", {"group_id": group_id, "status": status, **paging})
        return LoomioPollList(polls=self._polls(body), total=_total(body))

    def polls(self, group_id: int, status: str, *, max_pages: int = 20) -> list[LoomioPoll]:
        """Every poll of a group with ``status``, across pages (at most ``max_pages`` of 50)."""
        found: list[LoomioPoll] = []
        for page in range(max_pages):
            batch = self.poll_page(group_id, status, offset=page * PAGE_SIZE)
            found.extend(batch.polls)
            if len(batch.polls) < PAGE_SIZE:
                break
        return found

    def poll(self, id_or_key: int | str) -> LoomioPoll:
        """One poll by id or key (a discarded or hidden one raises ``ForumAuthError`` or ``ForumNotFound``)."""
        body = self._get(f"/api/b2/polls/{requests.utils.quote(str(id_or_key), safe='')}", {})
        polls = self._polls(body)
        if len(polls) != 1:
            raise ForumBadResponse(f"{self.name}: a poll show gave {len(polls)} polls, expected one")
        return polls[0]

    def check(self, group_ids: tuple[int, ...] = ()) -> str:
        """Prove the key works by listing one page of each group's active polls."""
        for group_id in group_ids:
            self.poll_page(group_id, "active", limit=1)
        return f"{self.base_url} as the key's user ({len(group_ids)} group(s) readable)"

    # -- transport --------------------------------------------------------------------------------------
    def _get(self, path: str, params: Mapping[str, Any]) -> dict[str, Any]:
        wait = self._paused_until - self._monotonic()
        if wait > 0:
            raise ForumRateLimited(
                f"GET {path}: {self.name} asked us to wait; {wait:.0f}s left, not sending",
                wait_seconds=wait,
                status=None,
                path=path,
            )
        query = dict(params)
        if self.legacy_api_key_param:
            query["api_key"] = self._key
        self.requests_made += 1
        try:
            response = self.session.get(
                self.base_url + path, params=query, timeout=self.timeout, allow_redirects=False
            )
        except requests.RequestException as error:
            reason = unreachable_reason(error, self.base_url + path, self.timeout)
            raise ForumUnavailable(f"GET {path}: cannot reach {self.name}: {reason}", path=path) from error
        status = response.status_code
        log.debug("loomio.request", path=path, status=status)
        if status == 403:
            raise ForumAuthError(
                f"GET {path}: {self.name} refused the bot's key (403): the key was rotated (Loomio makes a new "
                "one when the bot user's password changes) or the bot user cannot see that group; copy the "
                "key from the bot user's API page into COTECHBOT_LOOMIO_API_KEY",
                status=status,
                path=path,
            )
        if status == 404:
            raise ForumNotFound(f"GET {path}: {self.name} has no such record (404)", status=status, path=path)
        if status == 429:
            wait = max(1.0, rate_limit_wait(response, default=DEFAULT_RATE_LIMIT_WAIT))
            self._paused_until = self._monotonic() + wait
            raise ForumRateLimited(
                f"GET {path}: {self.name} is rate limiting us (429); waiting {wait:.0f}s",
                wait_seconds=wait,
                path=path,
            )
        if status == 422 or 400 <= status < 500:
            raise ForumRejected(
                f"GET {path}: {self.name} refused the request ({status})",
                errors=_field_errors(response),
                status=status,
                path=path,
            )
        if status >= 300:
            raise ForumUnavailable(f"GET {path}: {self.name} answered {status}", status=status, path=path)
        try:
            body = response.json()
        except (ValueError, RecursionError) as error:  # nested too deeply is unreadable, not a crash
            raise ForumBadResponse(
                f"GET {path}: {self.name} did not answer readable JSON", path=path
            ) from error
        if not isinstance(body, dict):
            raise ForumBadResponse(f"GET {path}: {self.name} answered a {type(body).__name__}", path=path)
        return body

    def _polls(self, body: Mapping[str, Any]) -> list[LoomioPoll]:
        rows = body.get("polls")
        if not isinstance(rows, list):
            raise ForumBadResponse(f"{self.name}: the reply has no 'polls' array")
        outcomes = {row.get("id"): row for row in _dicts(body.get("outcomes"))}
        activity = _last_activity(body)
        polls = []
        for row in _dicts(rows):
            try:
                outcome_row = outcomes.get(row.get("current_outcome_id"))
                outcome = LoomioOutcome.model_validate(outcome_row) if outcome_row else None
                thread = row.get("topic_id") or row.get("discussion_id")
                polls.append(
                    LoomioPoll.model_validate(
                        {
                            **row,
                            "outcome": outcome,
                            "url": f"{self.base_url}/p/{row.get('key')}",
                            "last_activity_at": activity.get(thread),
                        }
                    )
                )
            except ValidationError as error:
                # One malformed poll does not hide the others; it is read again next cycle.
                log.warning("loomio.poll_skipped", poll_id=row.get("id"), error=_one_line(error))
        return polls


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (row for row in value if isinstance(row, dict))


def _total(body: Mapping[str, Any]) -> int | None:
    meta = body.get("meta")
    total = meta.get("total") if isinstance(meta, dict) else None
    return total if isinstance(total, int) else None


def _last_activity(body: Mapping[str, Any]) -> dict[Any, Any]:
    """Thread last-activity times from the side-loads: ``topics`` (newer) or ``discussions`` (3.0.x)."""
    found: dict[Any, Any] = {}
    for name in ("discussions", "topics"):
        for row in _dicts(body.get(name)):
            if row.get("last_activity_at"):
                found[row.get("id")] = row["last_activity_at"]
    return found


def _field_errors(response: requests.Response) -> list[str]:
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, dict):
        return [f"{field} {message}" for field, messages in errors.items() for message in messages or ()]
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return [body["error"]]
    return []


def _one_line(error: ValidationError) -> str:
    first = error.errors(include_url=False, include_input=False)[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
