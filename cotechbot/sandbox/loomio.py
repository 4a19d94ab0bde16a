"""`FakeLoomio`: an in-memory Loomio b2 API served over real HTTP (werkzeug), for tests and ``cotechbot demo``.

It follows ``../shared/reference/loomio`` (API-NOTES §§1-7, and Loomio's own OpenAPI):

* root arrays with side-loads (``outcomes``, ``poll_options``, ``users``, ``groups``) and ``meta``
  (``{"root", "total"}``; ``total`` left out on a show, as newer servers do); a show is a one-element array;
* ``GET /api/b2/polls?group_id=&status=active|closed|all`` with ``limit``/``offset`` (or the older
  ``per``/``from``), newest created first; drafts (no ``closing_at``) are never ``active``; discarded polls are
  never listed and their show is a 403;
* ``results`` and ``stance_counts`` left out while ``hide_results`` is ``until_closed`` and the poll is open;
* the hourly closing lag: a poll past its ``closing_at`` is closed by the next hourly run (``closed_at`` at the
  next whole hour), so for a while ``closing_at`` is past and ``closed_at`` still null;
* errors by status: 403 for a bad or missing key (or a group the bot cannot see), 404 for an unknown record,
  422 with ``{"errors": {field: [..]}}`` for a bad write, 429 with a plain-text body (``fail_next``);
* both auth eras: ``era="current"`` reads only ``Authorization: Bearer`` (a query ``api_key`` is refused),
  ``era="legacy"`` (3.0.x) reads only the ``api_key`` parameter and ignores the header.

With ``validate=True`` and the reference present, each request's query is checked against the OpenAPI
operation's parameters and each reply against its response schema; violations are recorded and
``assert_no_contract_violations`` raises on them.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from cotechbot.sandbox.loomio_contract import LoomioContract, load_loomio_contract

KEY_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class FakeOutcome:
    id: int
    poll_id: int
    group_id: int
    author_id: int
    statement: str
    created_at: datetime
    latest: bool = True


@dataclass
class FakePoll:
    id: int
    key: str
    group_id: int
    author_id: int
    title: str
    poll_type: str
    details: str
    created_at: datetime
    closing_at: datetime | None
    options: list[str]
    hide_results: str = "off"
    discussion_id: int | None = None
    closed_at: datetime | None = None
    discarded_at: datetime | None = None
    votes: dict[str, int] = field(default_factory=dict)
    voters_count: int = 5
    outcome_ids: list[int] = field(default_factory=list)


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    status: int
    authorization: str | None


class FakeLoomio:
    """See the module docstring. Times come from ``now`` (a callable or an object with ``now()``)."""

    def __init__(
        self,
        *,
        api_key: str = "sandbox-loomio-key",
        era: str = "current",
        now: Callable[[], datetime] | Any | None = None,
        hourly_closing: bool = True,
        validate: bool = False,
        shared_dir: Path | str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if era not in ("current", "legacy"):
            raise ValueError("era must be 'current' (Bearer) or 'legacy' (api_key parameter)")
        if now is None:
            self._now: Callable[[], datetime] = lambda: datetime.now(UTC)
        elif hasattr(now, "now"):
            self._now = now.now
        else:
            self._now = now
        self.api_key = api_key
        self.era = era
        self.hourly_closing = hourly_closing
        self.host = host
        self._port = port
        self.down = False  # True: every request is answered 503, as a server being upgraded
        self._lock = threading.RLock()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._faults: list[tuple[int, str | None]] = []
        self._requests: list[RecordedRequest] = []
        self._violations: list[str] = []
        self._contract: LoomioContract | None = (
            load_loomio_contract(Path(shared_dir) if shared_dir else None) if validate else None
        )
        self.groups: dict[int, dict[str, Any]] = {}
        self.hidden_group_ids: set[int] = set()
        self.polls: dict[int, FakePoll] = {}
        self.outcomes: dict[int, FakeOutcome] = {}
        self._ids = {name: itertools.count(start) for name, start in (("poll", 301), ("outcome", 901))}
        self._keys = itertools.count(1)
        self.users = {3: {"id": 3, "name": "A Member", "username": "amember", "bot": False}}
        self.discussions: dict[int, dict[str, Any]] = {}

    # -- lifecycle --------------------------------------------------------------------------------------
    def start(self) -> FakeLoomio:
        if self._server is None:
            self._server = make_server(self.host, self._port, self._wsgi, threaded=True)
            server = self._server
            self._thread = threading.Thread(
                target=lambda: server.serve_forever(poll_interval=0.02), name="fake-loomio", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)

    def __enter__(self) -> FakeLoomio:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @classmethod
    @contextlib.contextmanager
    def running(cls, **kwargs: Any) -> Iterator[FakeLoomio]:
        fake = cls(**kwargs).start()
        try:
            yield fake
        finally:
            fake.stop()
        fake.assert_no_contract_violations()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake Loomio is not running: call start()")
        return f"http://{self.host}:{self._server.server_port}"

    @property
    def validating(self) -> bool:
        return self._contract is not None

    def now(self) -> datetime:
        value = self._now()
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    # -- logs and faults --------------------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def clear_log(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def contract_violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)

    def assert_no_contract_violations(self) -> None:
        if self._violations:
            raise AssertionError("the fake Loomio broke its contract:\n" + "\n".join(self._violations))

    def fail_next(self, n: int = 1, status: int = 500, *, path: str | None = None) -> None:
        """Answer the next ``n`` requests (to ``path`` only, when given) with ``status``."""
        with self._lock:
            self._faults.extend([(status, path)] * n)

    # -- the Python API (seeding and moving the scenario on) ---------------------------------------------
    def add_group(self, name: str, *, group_id: int | None = None, hidden: bool = False) -> int:
        with self._lock:
            group_id = group_id or 7 + len(self.groups)
            key = self._new_key()
            self.groups[group_id] = {
                "id": group_id,
                "key": key,
                "handle": None,
                "name": name,
                "full_name": name,
                "parent_id": None,
                "enabled": True,
                "polls_count": 0,
            }
            if hidden:
                self.hidden_group_ids.add(group_id)
            return group_id

    def add_poll(
        self,
        group_id: int,
        title: str,
        *,
        closing_at: datetime | None,
        poll_type: str = "proposal",
        details: str = "",
        options: list[str] | None = None,
        hide_results: str = "off",
        created_at: datetime | None = None,
        discussion_id: int | None = None,
    ) -> FakePoll:
        with self._lock:
            poll = FakePoll(
                id=next(self._ids["poll"]),
                key=self._new_key(),
                group_id=group_id,
                author_id=3,
                title=title,
                poll_type=poll_type,
                details=details,
                created_at=created_at or self.now(),
                closing_at=closing_at,
                options=options or ["Agree", "Abstain", "Disagree", "Block"],
                hide_results=hide_results,
                discussion_id=discussion_id,
            )
            self.polls[poll.id] = poll
            return poll

    def add_discussion(self, group_id: int, title: str, *, last_activity_at: datetime) -> int:
        """A thread (3.0.x shape) that polls can live in; side-loaded with its last activity."""
        with self._lock:
            discussion_id = 501 + len(self.discussions)
            self.discussions[discussion_id] = {
                "id": discussion_id,
                "key": self._new_key(),
                "group_id": group_id,
                "title": title,
                "created_at": _iso(last_activity_at),
                "last_activity_at": _iso(last_activity_at),
                "closed_at": None,
            }
            return discussion_id

    def vote(self, poll_id: int, option: str, count: int = 1) -> None:
        with self._lock:
            poll = self.polls[poll_id]
            poll.votes[option] = poll.votes.get(option, 0) + count

    def set_closing_at(self, poll_id: int, closing_at: datetime) -> None:
        with self._lock:
            self.polls[poll_id].closing_at = closing_at

    def close_poll(self, poll_id: int, at: datetime | None = None) -> None:
        """A person closes the poll (early, or now)."""
        with self._lock:
            self.polls[poll_id].closed_at = at or self.now()

    def discard_poll(self, poll_id: int) -> None:
        with self._lock:
            self.polls[poll_id].discarded_at = self.now()

    def set_outcome(self, poll_id: int, statement: str) -> FakeOutcome:
        """A person writes (or rewrites) the outcome: a new row becomes ``latest``, the old one stays."""
        with self._lock:
            poll = self.polls[poll_id]
            for old in poll.outcome_ids:
                self.outcomes[old].latest = False
            outcome = FakeOutcome(
                id=next(self._ids["outcome"]),
                poll_id=poll_id,
                group_id=poll.group_id,
                author_id=3,
                statement=statement,
                created_at=self.now(),
            )
            self.outcomes[outcome.id] = outcome
            poll.outcome_ids.append(outcome.id)
            return outcome

    def _new_key(self) -> str:
        number = next(self._keys)
        letters = []
        for _ in range(8):
            number, digit = divmod(number * 7919 + 13, len(KEY_ALPHABET))
            letters.append(KEY_ALPHABET[digit])
        return "".join(letters)

    def _expire_lapsed(self) -> None:
        """The hourly job: open polls past ``closing_at`` are closed at the first whole hour after it."""
        now = self.now()
        for poll in self.polls.values():
            if poll.closed_at is None and poll.closing_at is not None and poll.closing_at <= now:
                closes = _next_hour(poll.closing_at) if self.hourly_closing else poll.closing_at
                if closes <= now:
                    poll.closed_at = closes

    # -- HTTP -------------------------------------------------------------------------------------------
    def _wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        status, body, content_type = self._answer(request)
        payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        response = Response(payload, status=status, content_type=content_type)
        if status == 429:
            response.headers["Retry-After"] = "60"
        with self._lock:
            self._requests.append(
                RecordedRequest(
                    request.method,
                    request.path,
                    dict(request.args),
                    status,
                    request.headers.get("Authorization"),
                )
            )
        return response(environ, start_response)

    def _answer(self, request: Request) -> tuple[int, Any, str]:
        json_type = "application/json; charset=utf-8"
        with self._lock:
            if self.down:
                return 503, "<html>Loomio is being upgraded</html>", "text/html"
            fault = next((f for f in self._faults if f[1] is None or f[1] == request.path), None)
            if fault is not None:
                self._faults.remove(fault)
                if fault[0] == 429:
                    return 429, "Retry later\n", "text/plain"
                return fault[0], {"exception": "StandardError", "error": "fault injected"}, json_type
            if not self._authorised(request):
                return 403, {"error": "You are not authorized to access this page."}, json_type
            self._expire_lapsed()
            operation = _operation_id(request)
            try:
                status, body = self._route(request)
            except _HttpError as error:
                status, body = error.status, error.body
            if self._contract is not None and operation is not None:
                self._violations.extend(self._contract.check(operation, request, status, body))
            return status, body, json_type

    def _authorised(self, request: Request) -> bool:
        if self.era == "legacy":
            return request.values.get("api_key") == self.api_key
        if "api_key" in request.args:
            return False  # newest servers never read a key from the query string
        header = request.headers.get("Authorization", "")
        return header == f"Bearer {self.api_key}"

    def _route(self, request: Request) -> tuple[int, dict[str, Any]]:
        operation = _operation_id(request)
        if operation == "listPolls":
            return 200, self._list_polls(request)
        if operation == "createPoll":
            return 200, self._create_poll(request)
        if operation == "getPoll":
            return 200, self._show_poll(request.path.rstrip("/").rsplit("/", 1)[1])
        if operation == "listGroups":
            groups = [g for gid, g in self.groups.items() if gid not in self.hidden_group_ids]
            return 200, {"groups": groups, "meta": {"root": "groups", "total": len(groups)}}
        raise _HttpError(404, {"exception": "ActionController::RoutingError", "error": "Not Found"})

    def _list_polls(self, request: Request) -> dict[str, Any]:
        args = request.args
        group_id = _int_arg(args.get("group_id"), "group_id")
        if group_id is None or group_id not in self.groups:
            raise _HttpError(404, {"exception": "ActiveRecord::RecordNotFound", "error": "not found"})
        if group_id in self.hidden_group_ids:
            raise _HttpError(403, {"error": "You are not authorized to access this page."})
        status = args.get("status", "active")
        if status not in ("active", "closed", "all"):
            raise _HttpError(422, {"errors": {"status": ["is not one of active, closed, all"]}})
        limit = _int_arg(args.get("limit", args.get("per")), "limit")
        offset = _int_arg(args.get("offset", args.get("from")), "offset")
        limit, offset = (50 if limit is None else limit), (0 if offset is None else offset)
        if limit < 1 or offset < 0:
            raise _HttpError(422, {"errors": {"limit": ["must be positive"]}})
        chosen = [
            poll
            for poll in self.polls.values()
            if poll.group_id == group_id and poll.discarded_at is None and _has_status(poll, status)
        ]
        chosen.sort(key=lambda p: (p.created_at, p.id), reverse=True)
        page = chosen[offset : offset + limit]
        return self._serialise(page, total=len(chosen))

    def _show_poll(self, ident: str) -> dict[str, Any]:
        poll = next(
            (p for p in self.polls.values() if str(p.id) == ident or p.key == ident),
            None,
        )
        if poll is None:
            raise _HttpError(404, {"exception": "ActiveRecord::RecordNotFound", "error": "not found"})
        if poll.discarded_at is not None or poll.group_id in self.hidden_group_ids:
            raise _HttpError(403, {"error": "You are not authorized to access this page."})
        return self._serialise([poll], total=None)

    def _create_poll(self, request: Request) -> dict[str, Any]:
        data = request.get_json(silent=True) or {}
        data = data.get("poll", data) if isinstance(data, dict) else {}
        errors: dict[str, list[str]] = {}
        if not data.get("title"):
            errors["title"] = ["can't be blank"]
        group_id = data.get("group_id")
        if group_id not in self.groups:
            errors["group"] = ["must exist"]
        closing_at = _parse_time(data.get("closing_at")) if data.get("closing_at") else None
        if closing_at is not None and closing_at <= self.now():
            errors["closing_at"] = ["must be in the future"]
        if errors:
            raise _HttpError(422, {"errors": errors})
        poll = self.add_poll(
            int(str(group_id)),
            str(data["title"]),
            closing_at=closing_at,
            poll_type=str(data.get("poll_type", "proposal")),
            details=str(data.get("details", "")),
            options=list(data.get("options") or []) or None,
            hide_results=str(data.get("hide_results", "off")),
        )
        return self._serialise([poll], total=None)

    def _serialise(self, polls: list[FakePoll], *, total: int | None) -> dict[str, Any]:
        rows, options, outcomes = [], [], []
        for poll in polls:
            row, poll_options = self._poll_json(poll)
            rows.append(row)
            options.extend(poll_options)
            if poll.outcome_ids:
                outcome = self.outcomes[poll.outcome_ids[-1]]
                outcomes.append(_outcome_json(outcome))
        group_ids = sorted({p.group_id for p in polls})
        body: dict[str, Any] = {
            "polls": rows,
            "poll_options": options,
            "groups": [self.groups[g] for g in group_ids if g in self.groups],
            "users": list(self.users.values()) if polls else [],
            # 3.0.x sends ``total: null`` on a show; newer servers leave it out.
            "meta": {"root": "polls", "total": total}
            if total is not None or self.era == "legacy"
            else {"root": "polls"},
        }
        if outcomes:
            body["outcomes"] = outcomes
        threads = sorted({p.discussion_id for p in polls if p.discussion_id in self.discussions})
        if threads:
            body["discussions"] = [self.discussions[t] for t in threads if t is not None]
        return body

    def _poll_json(self, poll: FakePoll) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        option_ids = [poll.id * 10 + index for index in range(len(poll.options))]
        icons = ["agree", "abstain", "disagree", "block"]
        options = [
            {
                "id": option_id,
                "poll_id": poll.id,
                "name": name,
                "priority": index,
                "icon": icons[index] if poll.poll_type == "proposal" and index < 4 else None,
            }
            for index, (option_id, name) in enumerate(zip(option_ids, poll.options, strict=True))
        ]
        decided = sum(poll.votes.values())
        row: dict[str, Any] = {
            "id": poll.id,
            "key": poll.key,
            "poll_type": poll.poll_type,
            "title": poll.title,
            "details": poll.details,
            "details_format": "md",
            "group_id": poll.group_id,
            "discussion_id": poll.discussion_id,
            "author_id": poll.author_id,
            "created_at": _iso(poll.created_at),
            "closing_at": _iso(poll.closing_at),
            "closed_at": _iso(poll.closed_at),
            "discarded_at": _iso(poll.discarded_at),
            "hide_results": poll.hide_results,
            "anonymous": False,
            "voters_count": max(poll.voters_count, decided),
            "decided_voters_count": decided,
            "undecided_voters_count": max(poll.voters_count, decided) - decided,
            "poll_option_names": list(poll.options),
            "poll_option_ids": option_ids,
        }
        hidden = poll.hide_results == "until_closed" and poll.closed_at is None
        if not hidden:
            row["stance_counts"] = [poll.votes.get(name, 0) for name in poll.options]
            row["results"] = [
                {
                    "id": option["id"],
                    "poll_id": poll.id,
                    "name": option["name"],
                    "icon": option["icon"],
                    "rank": index + 1,
                    "score": poll.votes.get(str(option["name"]), 0),
                    "voter_count": poll.votes.get(str(option["name"]), 0),
                }
                for index, option in enumerate(options)
            ]
        if poll.outcome_ids:
            row["current_outcome_id"] = poll.outcome_ids[-1]
        return row, options


def _operation_id(request: Request) -> str | None:
    """The OpenAPI operation a request is, among those the fake serves."""
    parts = [p for p in request.path.split("/") if p]
    if parts[:2] != ["api", "b2"] or len(parts) not in (3, 4):
        return None
    resource, one = parts[2], len(parts) == 4
    return {
        ("polls", False, "GET"): "listPolls",
        ("polls", False, "POST"): "createPoll",
        ("polls", True, "GET"): "getPoll",
        ("groups", False, "GET"): "listGroups",
    }.get((resource, one, request.method))


class _HttpError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def _has_status(poll: FakePoll, status: str) -> bool:
    if status == "all":
        return True
    if status == "closed":
        return poll.closed_at is not None
    return poll.closed_at is None and poll.closing_at is not None


def _int_arg(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise _HttpError(422, {"errors": {name: ["is not a number"]}}) from None


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _parse_time(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise _HttpError(422, {"errors": {"closing_at": ["is not a time"]}}) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _next_hour(moment: datetime) -> datetime:
    hours = math.ceil(moment.timestamp() / 3600)
    return datetime.fromtimestamp(hours * 3600, UTC)


def _outcome_json(outcome: FakeOutcome) -> dict[str, Any]:
    return {
        "id": outcome.id,
        "poll_id": outcome.poll_id,
        "group_id": outcome.group_id,
        "author_id": outcome.author_id,
        "statement": outcome.statement,
        "statement_format": "md",
        "latest": outcome.latest,
        "created_at": _iso(outcome.created_at),
        "review_on": None,
    }


def seed_loomio(fake: FakeLoomio, now: datetime, closes_in: timedelta = timedelta(days=3)) -> dict[str, int]:
    """A CoTech-like Loomio group: one proposal open for ``closes_in``, one closed with an outcome."""
    group = fake.add_group("CoTech")
    open_poll = fake.add_poll(
        group,
        "Adopt the CoTech code of conduct v2",
        closing_at=now + closes_in,
        created_at=now - timedelta(days=4),
        details="As discussed at the spring gathering.",
    )
    closed = fake.add_poll(
        group,
        "Move the monthly call to Thursdays",
        closing_at=now - timedelta(days=2),
        created_at=now - timedelta(days=9),
    )
    fake.vote(closed.id, "Agree", 6)
    fake.vote(closed.id, "Abstain", 1)
    fake.close_poll(closed.id, now - timedelta(days=2))
    fake.set_outcome(closed.id, "Agreed: the monthly call moves to the first Thursday, from next month.")
    return {"group_id": group, "open_poll_id": open_poll.id, "closed_poll_id": closed.id}
