"""Discourse's outgoing webhooks (API notes §9), so the bot's HTTP face is driven the way a real forum drives it.

``forum.add_webhook(url, secret=None, *, retry_delays=DISCOURSE_RETRY_DELAYS, timeout=20.0)`` subscribes ``url``
to ``topic_created`` (type ``topic``) and ``post_created`` / ``post_edited`` (type ``post``) for topics,
replies and private messages alike, written over HTTP or through the Python API. ``forum.ping_webhook(hook)``
sends ``{"ping":"OK"}``.

Each delivery is ``POST url`` with the body ``{"<type>": {...}}`` and Discourse's headers: ``Content-Type:
application/json``, ``User-Agent: Discourse/<version>``, ``X-Discourse-Instance``, ``X-Discourse-Event-Id``
(a new id per attempt, as Discourse's emit job creates a new event record each time), ``X-Discourse-Event-Type``,
``X-Discourse-Event`` and, only when the hook has a secret, ``X-Discourse-Event-Signature: sha256=<hex HMAC>``.

Deliveries leave from one background thread, never from the thread that wrote the post. A 2xx answer ends
a delivery; 404 and 410 are not retried; anything else (another status, a refused connection, a timeout) is
tried again after each of ``retry_delays`` in turn — Discourse's 1, 5, 25 and 125 minutes by default; tests
pass shorter ones. ``forum.webhook_deliveries`` logs every attempt; ``forum.wait_for_webhooks(timeout)``
blocks until nothing is queued or in flight (retries still waiting count as queued).
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

DISCOURSE_RETRY_DELAYS = (60.0, 300.0, 1500.0, 7500.0)
NOT_RETRIED = frozenset({404, 410})
USER_AGENT = "Discourse/3.4.0"
EVENT_TYPES = {"topic_created": "topic", "post_created": "post", "post_edited": "post", "ping": "ping"}


@dataclass(kw_only=True, eq=False)
class Webhook:
    id: int
    url: str
    secret: str | None = None
    retry_delays: tuple[float, ...] = DISCOURSE_RETRY_DELAYS
    timeout: float = 20.0


@dataclass(frozen=True)
class WebhookDelivery:
    """One attempt to deliver one event to one hook."""

    hook_id: int
    event: str  # X-Discourse-Event, e.g. post_created
    event_type: str  # X-Discourse-Event-Type, e.g. post
    delivery_id: int  # X-Discourse-Event-Id
    attempt: int  # 1 for the first try
    body: bytes
    headers: dict[str, str]
    status: int | None  # None: no answer (refused, timed out)
    error: str | None
    sent_at: float  # time.monotonic() when it left
    duration: float

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(order=True)
class _Queued:
    due: float
    seq: int
    hook: Webhook = field(compare=False)
    event: str = field(compare=False)
    body: bytes = field(compare=False)
    attempt: int = field(compare=False, default=1)


def signature_header(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSender:
    """The delivery thread: a queue ordered by when each attempt is due."""

    def __init__(self, instance_url: Callable[[], str]) -> None:
        self._instance_url = instance_url
        self._queue: list[_Queued] = []
        self._changed = threading.Condition()
        self._seq = itertools.count()
        self._delivery_ids = itertools.count(1)
        self._in_flight = 0
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._deliveries: list[WebhookDelivery] = []
        self._session = requests.Session()  # only ever used on the delivery thread

    def enqueue(self, hook: Webhook, event: str, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with self._changed:
            heapq.heappush(self._queue, _Queued(time.monotonic(), next(self._seq), hook, event, body))
            self._changed.notify_all()
        self._ensure_started()

    @property
    def deliveries(self) -> list[WebhookDelivery]:
        with self._changed:
            return list(self._deliveries)

    def wait_idle(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: not self._queue and not self._in_flight, timeout)

    def stop(self) -> None:
        """Stop delivering; what is still queued is dropped (the forum is going away)."""
        with self._changed:
            self._stopping = True
            self._queue.clear()
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._session.close()

    def _ensure_started(self) -> None:
        with self._changed:
            if self._thread is not None or self._stopping:
                return
            self._thread = threading.Thread(target=self._loop, name="sandbox-webhooks", daemon=True)
        self._thread.start()

    def _next(self) -> _Queued | None:
        with self._changed:
            while True:
                if self._stopping:
                    return None
                if self._queue:
                    wait = self._queue[0].due - time.monotonic()
                    if wait <= 0:
                        self._in_flight += 1
                        return heapq.heappop(self._queue)
                    self._changed.wait(wait)
                else:
                    self._changed.wait()

    def _loop(self) -> None:
        while (item := self._next()) is not None:
            try:
                self._attempt(item)
            finally:
                with self._changed:
                    self._in_flight -= 1
                    self._changed.notify_all()

    def _attempt(self, item: _Queued) -> None:
        hook, event_type = item.hook, EVENT_TYPES[item.event]
        delivery_id = next(self._delivery_ids)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Discourse-Instance": self._instance_url(),
            "X-Discourse-Event-Id": str(delivery_id),
            "X-Discourse-Event-Type": event_type,
            "X-Discourse-Event": item.event,
        }
        if hook.secret:
            headers["X-Discourse-Event-Signature"] = signature_header(hook.secret, item.body)
        sent_at = time.monotonic()
        status: int | None = None
        error: str | None = None
        try:
            answer = self._session.post(
                hook.url, data=item.body, headers=headers, timeout=hook.timeout, allow_redirects=False
            )
            status = answer.status_code
        except requests.RequestException as problem:
            error = type(problem).__name__
        delivery = WebhookDelivery(
            hook.id,
            item.event,
            event_type,
            delivery_id,
            item.attempt,
            item.body,
            headers,
            status,
            error,
            sent_at,
            time.monotonic() - sent_at,
        )
        with self._changed:
            self._deliveries.append(delivery)
            if delivery.delivered or status in NOT_RETRIED or item.attempt > len(hook.retry_delays):
                return
            retry_at = time.monotonic() + hook.retry_delays[item.attempt - 1]
            heapq.heappush(
                self._queue,
                _Queued(retry_at, next(self._seq), hook, item.event, item.body, item.attempt + 1),
            )
