"""The WSGI application of the HTTP face (plain WSGI, no framework; served by waitress, see ``server.py``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from typing import Any

import structlog

from cotechbot.web.health import Health
from cotechbot.web.signature import SIGNATURE_HEADER, signature_matches

log = structlog.get_logger(__name__)
MAX_WEBHOOK_BYTES = 1024 * 1024
# Discourse's X-Discourse-Event-Type values that can change what the bot should do.
TRIGGERING_EVENT_TYPES = frozenset({"post", "topic", "group_user", "group", "ping"})


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def __call__(self, start_response: Callable[..., Any]) -> Iterable[bytes]:
        phrase = HTTPStatus(self.status).phrase
        headers = {**self.headers, "Content-Length": str(len(self.body))}
        start_response(f"{self.status} {phrase}", list(headers.items()))
        return [self.body]


@dataclass(frozen=True)
class Feed:
    """A rendered export: its bytes and when what it shows last changed."""

    body: bytes
    last_modified: datetime | None


@dataclass
class Routes:
    """What the face can do, injected: each is a callable over the ledger built by the shell."""

    webhook_secret: bytes | None
    request_cycle: Callable[[], None]
    health: Callable[[], Health]
    metrics: Callable[[], bytes]
    calendar: Callable[[], Feed]
    # Records a delivery id and says whether it is new; kept in the ledger, so a redelivery to a restarted
    # bot or to another replica is still known.
    first_delivery: Callable[[str], bool]
    decisions: Callable[[str], Feed] | None = None  # "json" | "md"


class HttpFace:
    """A plain WSGI application: six routes need no framework, and the runtime install stays small."""

    def __init__(self, routes: Routes) -> None:
        self.routes = routes
        self._table: dict[str, tuple[str, Callable[[dict[str, Any]], Answer]]] = {
            "/webhooks/discourse": ("POST", self.on_webhook),
            "/calendar.ics": ("GET", self.on_calendar),
            "/decisions.json": ("GET", lambda environ: self._decisions(environ, "json")),
            "/decisions.md": ("GET", lambda environ: self._decisions(environ, "md")),
            "/healthz": ("GET", self.on_healthz),
            "/metrics": ("GET", self.on_metrics),
        }

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        route = self._table.get(path)
        try:
            if route is None:
                answer = _json({"error": "not found"}, 404)
            elif method != route[0] and not (method == "HEAD" and route[0] == "GET"):
                answer = _json({"error": "method not allowed"}, 405)
                answer.headers["Allow"] = route[0]
            else:
                answer = route[1](environ)
        except Exception:
            log.exception("http route failed", path=path)
            answer = _json({"error": "internal error"}, 500)
        if method == "HEAD":
            answer = Answer(answer.status, b"", answer.headers)
        return answer(start_response)

    # -- routes -----------------------------------------------------------------------------------------
    def on_webhook(self, environ: dict[str, Any]) -> Answer:
        body = _read_body(environ)
        if body is None:
            return _json({"error": "the body is over 1 MB"}, 413)
        if not self.routes.webhook_secret:
            return _json({"error": "webhooks are off: set COTECHBOT_WEBHOOK_SECRET"}, 503)
        signature = environ.get("HTTP_" + SIGNATURE_HEADER.upper().replace("-", "_"))
        if not signature_matches(self.routes.webhook_secret, body, signature):
            log.warning("webhook refused: bad or missing signature", remote=environ.get("REMOTE_ADDR"))
            return _json({"error": "bad signature"}, 401)
        try:
            payload = json.loads(body)
        except ValueError:
            return _json({"error": "the body is not JSON"}, 400)
        if not isinstance(payload, dict):
            return _json({"error": "the body is not a JSON object"}, 400)
        delivery = environ.get("HTTP_X_DISCOURSE_EVENT_ID", "")
        if delivery and not self.routes.first_delivery(delivery):
            return _json({"ok": True, "duplicate": True}, 200)
        event_type = environ.get("HTTP_X_DISCOURSE_EVENT_TYPE", "") or next(iter(payload), "")
        triggered = event_type in TRIGGERING_EVENT_TYPES
        if triggered:
            self.routes.request_cycle()
        log.info(
            "webhook accepted",
            discourse_event=environ.get("HTTP_X_DISCOURSE_EVENT", ""),
            event_type=event_type,
            triggered=triggered,
        )
        return _json({"ok": True, "triggered": triggered}, 200)

    def on_calendar(self, environ: dict[str, Any]) -> Answer:
        return _conditional(environ, self.routes.calendar(), "text/calendar; charset=utf-8")

    def _decisions(self, environ: dict[str, Any], fmt: str) -> Answer:
        if self.routes.decisions is None:
            return _json({"error": "the decision log is not enabled"}, 404)
        mimetype = "application/json" if fmt == "json" else "text/markdown"
        return _conditional(environ, self.routes.decisions(fmt), f"{mimetype}; charset=utf-8")

    def on_healthz(self, environ: dict[str, Any]) -> Answer:
        health = self.routes.health()
        return _json(health.body, health.status_code)

    def on_metrics(self, environ: dict[str, Any]) -> Answer:
        return Answer(
            200, self.routes.metrics(), {"Content-Type": "text/plain; version=0.0.4; charset=utf-8"}
        )


def _read_body(environ: dict[str, Any]) -> bytes | None:
    """The raw body, or None when it is over the limit (declared or actual) — never read past the limit."""
    try:
        declared = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_WEBHOOK_BYTES:
        return None
    stream = environ["wsgi.input"]
    body = stream.read(declared) if declared else stream.read(MAX_WEBHOOK_BYTES + 1)
    return None if len(body) > MAX_WEBHOOK_BYTES else body


def _json(body: Any, status: int) -> Answer:
    return Answer(status, json.dumps(body).encode(), {"Content-Type": "application/json; charset=utf-8"})


def _conditional(environ: dict[str, Any], feed: Feed, content_type: str) -> Answer:
    """200 with ETag/Last-Modified, or 304 when the client already has these bytes."""
    etag = '"' + hashlib.sha256(feed.body).hexdigest()[:32] + '"'
    headers = {"Content-Type": content_type, "ETag": etag}
    if feed.last_modified is not None:
        headers["Last-Modified"] = format_datetime(feed.last_modified, usegmt=True)
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        if etag in {tag.strip() for tag in if_none_match.split(",")} or if_none_match.strip() == "*":
            return Answer(304, b"", headers)
    elif feed.last_modified is not None and environ.get("HTTP_IF_MODIFIED_SINCE"):
        try:
            since = parsedate_to_datetime(environ["HTTP_IF_MODIFIED_SINCE"])
        except (TypeError, ValueError):
            since = None
        if (
            since is not None
            and since.tzinfo is not None
            and feed.last_modified.replace(microsecond=0) <= since
        ):
            return Answer(304, b"", headers)
    return Answer(200, feed.body, headers)
