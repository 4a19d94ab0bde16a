"""The WSGI application of the HTTP face (werkzeug routing; served by waitress, see ``server.py``)."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from cotechbot.web.health import Health
from cotechbot.web.signature import SIGNATURE_HEADER, signature_matches

log = structlog.get_logger(__name__)
MAX_WEBHOOK_BYTES = 1024 * 1024
# Discourse's X-Discourse-Event-Type values that can change what the bot should do.
TRIGGERING_EVENT_TYPES = frozenset({"post", "topic", "group_user", "group", "ping"})
REMEMBERED_DELIVERIES = 1000


class LimitedRequest(Request):
    max_content_length = MAX_WEBHOOK_BYTES


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
    decisions: Callable[[str], Feed] | None = None  # "json" | "md"


class HttpFace:
    url_map = Map(
        [
            Rule("/webhooks/discourse", methods=["POST"], endpoint="webhook"),
            Rule("/calendar.ics", methods=["GET"], endpoint="calendar"),
            Rule("/decisions.json", methods=["GET"], endpoint="decisions_json"),
            Rule("/decisions.md", methods=["GET"], endpoint="decisions_md"),
            Rule("/healthz", methods=["GET"], endpoint="healthz"),
            Rule("/metrics", methods=["GET"], endpoint="metrics"),
        ]
    )

    def __init__(self, routes: Routes) -> None:
        self.routes = routes
        self._deliveries: OrderedDict[str, None] = OrderedDict()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = LimitedRequest(environ)
        try:
            endpoint, _ = self.url_map.bind_to_environ(environ).match()
            response = getattr(self, f"on_{endpoint}")(request)
        except HTTPException as error:
            response = _json({"error": error.name}, error.code or 500)
        except Exception:
            log.exception("http route failed", path=request.path)
            response = _json({"error": "internal error"}, 500)
        return response(environ, start_response)

    # -- routes -----------------------------------------------------------------------------------------
    def on_webhook(self, request: Request) -> Response:
        if request.content_length is not None and request.content_length > MAX_WEBHOOK_BYTES:
            raise RequestEntityTooLarge()
        body = request.get_data(cache=False)  # raises 413 for a longer body sent without a length
        if not self.routes.webhook_secret:
            return _json({"error": "webhooks are off: set COTECHBOT_WEBHOOK_SECRET"}, 503)
        if not signature_matches(self.routes.webhook_secret, body, request.headers.get(SIGNATURE_HEADER)):
            log.warning("webhook refused: bad or missing signature", remote=request.remote_addr)
            return _json({"error": "bad signature"}, 401)
        delivery = request.headers.get("X-Discourse-Event-Id", "")
        if delivery and delivery in self._deliveries:
            return _json({"ok": True, "duplicate": True}, 200)
        try:
            payload = json.loads(body)
        except ValueError:
            return _json({"error": "the body is not JSON"}, 400)
        if not isinstance(payload, dict):
            return _json({"error": "the body is not a JSON object"}, 400)
        if delivery:
            self._deliveries[delivery] = None
            while len(self._deliveries) > REMEMBERED_DELIVERIES:
                self._deliveries.popitem(last=False)
        event_type = request.headers.get("X-Discourse-Event-Type", "") or next(iter(payload), "")
        triggered = event_type in TRIGGERING_EVENT_TYPES
        if triggered:
            self.routes.request_cycle()
        log.info(
            "webhook accepted",
            discourse_event=request.headers.get("X-Discourse-Event", ""),
            event_type=event_type,
            triggered=triggered,
        )
        return _json({"ok": True, "triggered": triggered}, 200)

    def on_calendar(self, request: Request) -> Response:
        return _conditional(request, self.routes.calendar(), "text/calendar; charset=utf-8")

    def on_decisions_json(self, request: Request) -> Response:
        return self._decisions(request, "json", "application/json; charset=utf-8")

    def on_decisions_md(self, request: Request) -> Response:
        return self._decisions(request, "md", "text/markdown; charset=utf-8")

    def _decisions(self, request: Request, fmt: str, mimetype: str) -> Response:
        if self.routes.decisions is None:
            return _json({"error": "the decision log is not enabled"}, 404)
        return _conditional(request, self.routes.decisions(fmt), mimetype)

    def on_healthz(self, request: Request) -> Response:
        health = self.routes.health()
        return _json(health.body, health.status_code)

    def on_metrics(self, request: Request) -> Response:
        return Response(self.routes.metrics(), 200, content_type="text/plain; version=0.0.4; charset=utf-8")


def _json(body: Any, status: int) -> Response:
    return Response(json.dumps(body), status, content_type="application/json; charset=utf-8")


def _conditional(request: Request, feed: Feed, content_type: str) -> Response:
    response = Response(feed.body, 200, content_type=content_type)
    response.add_etag()
    if feed.last_modified is not None:
        response.last_modified = feed.last_modified
    return response.make_conditional(request)
