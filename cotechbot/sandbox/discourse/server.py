"""The HTTP front end: :class:`FakeDiscourse` serves the sandbox forum over real HTTP/1.1 with keep-alive.

Every request goes through the same steps: scripted faults, authentication, the rate limiter, routing
(:mod:`cotechbot.sandbox.discourse.routes`), the handler, contract validation, the request log.
"""

from __future__ import annotations

import contextlib
import html
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from cotechbot.sandbox.discourse.faults import FaultRule, Faults, RateLimiter, rate_limit_body
from cotechbot.sandbox.discourse.forum import SandboxForum
from cotechbot.sandbox.discourse.records import (
    ContractViolation,
    ContractViolationError,
    Post,
    RequestRecord,
    Topic,
    User,
)
from cotechbot.sandbox.discourse.replies import (
    HTML_CONTENT_TYPE,
    INVALID_ACCESS,
    JSON_CONTENT_TYPE,
    NOT_LOGGED_IN,
    HttpError,
    Reply,
    Req,
    flatten_json,
    not_found,
)
from cotechbot.sandbox.discourse.routes import Handler, Router, all_routes
from cotechbot.sandbox.discourse.serializers.webhooks import webhook_payload
from cotechbot.sandbox.discourse.visibility import group_names_of
from cotechbot.sandbox.discourse.webhooks import (
    DISCOURSE_RETRY_DELAYS,
    Webhook,
    WebhookDelivery,
    WebhookSender,
)
from cotechbot.sandbox.schemas import Contracts, load_contracts


class FakeDiscourse(SandboxForum):
    """An in-memory Discourse with a real HTTP front end; see the package docstring for the whole API."""

    def __init__(
        self,
        *,
        api_key: str = "sandbox-api-key",
        api_username: str = "cotechbot",
        now: Callable[[], datetime] | Any | None = None,
        clock: Callable[[], float] = time.monotonic,
        rate_limit_per_minute: int | None = None,
        tag_style: str = "strings",
        validate: bool = False,
        shared_dir: Path | str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        title: str = "CoTech sandbox",
    ) -> None:
        super().__init__(api_username=api_username, now=now, clock=clock, tag_style=tag_style, title=title)
        self.api_key = api_key
        self.host = host
        self._port = port
        self.faults = Faults()
        self._limiter = RateLimiter(rate_limit_per_minute, clock)
        self.router = Router(all_routes())
        #: endpoint (``module.function``) → handler; a test may swap one on this forum alone
        self.handlers: dict[str, Handler] = {e: r.handler for e, r in self.router.by_endpoint.items()}
        self._log_lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._violations: list[ContractViolation] = []
        self._connections_opened = 0
        self._open_sockets: set[socket.socket] = set()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.scenario: Any = None
        self.webhooks: list[Webhook] = []
        self._webhook_sender: WebhookSender | None = None
        self._contracts: Contracts | None = None
        if validate:
            self._contracts = load_contracts(Path(shared_dir) if shared_dir is not None else None)

    @classmethod
    @contextlib.contextmanager
    def running(
        cls, scenario: Callable[[FakeDiscourse], Any] | None = None, **kwargs: Any
    ) -> Iterator[FakeDiscourse]:
        """Serve a new forum (seeded by ``scenario(forum)`` when given) for the duration of the block.

        On a clean exit, raises :class:`ContractViolationError` if any reply broke the contract.
        """
        forum = cls(**kwargs)
        if scenario is not None:
            forum.scenario = scenario(forum)
        forum.start()
        try:
            yield forum
        except BaseException:
            forum.stop()
            raise
        forum.stop()
        forum.assert_no_contract_violations()

    def __enter__(self) -> FakeDiscourse:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> FakeDiscourse:
        """Bind 127.0.0.1 on a free port (or the given one) and serve from a daemon thread."""
        if self._server is not None:
            return self
        forum = self

        class Handler(WSGIRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 120  # idle keep-alive connections are dropped after this many seconds

            def run_wsgi(self) -> None:
                # Werkzeug 3's own run_wsgi always sends "Connection: close" and then drains the socket, which
                # would swallow the next request on a kept-alive connection. Our app reads every request body
                # in full and answers with a Content-Length, so the stream is at the next request line and
                # the connection can stay open unless the client asked to close it.
                if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
                    self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                environ = self.make_environ()
                state: dict[str, Any] = {}
                chunks: list[bytes] = []

                def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
                    state["status"], state["headers"] = status, headers
                    return chunks.append

                result = self.server.app(environ, start_response)
                try:
                    chunks.extend(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
                body = b"".join(chunks)
                code, _, reason = state["status"].partition(" ")
                self.send_response(int(code), reason)
                for key, value in state["headers"]:
                    if key.lower() not in ("content-length", "connection"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                if self.close_connection:
                    self.send_header("Connection", "close")
                self.end_headers()
                if environ["REQUEST_METHOD"] != "HEAD":
                    self.wfile.write(body)
                self.wfile.flush()

            def setup(self) -> None:
                super().setup()
                # headers and body go out in separate writes: without TCP_NODELAY, Nagle plus the client's
                # delayed ACK adds ~40 ms to every small reply on a kept-alive connection
                with contextlib.suppress(OSError):
                    self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                forum._connection_opened(self.connection)

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    forum._connection_closed(self.connection)

            def log(self, type: str, message: str, *args: Any) -> None:  # our own request log instead
                pass

        self._stopping.clear()
        self._server = make_server(self.host, self._port, self._wsgi, threaded=True, request_handler=Handler)
        self._server.block_on_close = False  # type: ignore[attr-defined]
        server = self._server
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.02), name="fake-discourse", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, drop open keep-alive connections and queued webhooks. Safe to call twice."""
        if self._webhook_sender is not None:
            self._webhook_sender.stop()
            self._webhook_sender = None
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        with self._log_lock:
            sockets = list(self._open_sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake forum is not running: call start() or use FakeDiscourse.running()")
        return f"http://{self.host}:{self._server.server_port}"

    @property
    def validating(self) -> bool:
        """True when replies are being checked against the contracts (``validate=True`` and ../shared found)."""
        return self._contracts is not None

    def _connection_opened(self, sock: socket.socket) -> None:
        with self._log_lock:
            self._connections_opened += 1
            self._open_sockets.add(sock)

    def _connection_closed(self, sock: socket.socket) -> None:
        with self._log_lock:
            self._open_sockets.discard(sock)

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted since start (or the last :meth:`clear_log`)."""
        with self._log_lock:
            return self._connections_opened

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log, oldest first."""
        with self._log_lock:
            return list(self._requests)

    @property
    def contract_violations(self) -> list[ContractViolation]:
        with self._log_lock:
            return list(self._violations)

    def clear_log(self) -> None:
        """Forget logged requests, counted connections and recorded contract violations."""
        with self._log_lock:
            self._requests.clear()
            self._violations.clear()
            self._connections_opened = 0

    def assert_no_contract_violations(self) -> None:
        violations = self.contract_violations
        if violations:
            raise ContractViolationError(
                f"the fake Discourse served {len(violations)} repl(ies) breaking the contract:\n"
                + "\n".join(str(v) for v in violations)
            )

    def set_rate_limit(self, per_minute: int | None) -> None:
        """Switch the site-wide admin-API limit on (requests per minute) or off (None)."""
        self._limiter.limit = per_minute

    # ------------------------------------------------------------------------------------------ webhooks

    def add_webhook(
        self,
        url: str,
        secret: str | None = None,
        *,
        retry_delays: tuple[float, ...] = DISCOURSE_RETRY_DELAYS,
        timeout: float = 20.0,
    ) -> Webhook:
        """Send topic and post events to ``url`` from now on (see :mod:`.webhooks`)."""
        with self.lock:
            hook = Webhook(
                id=len(self.webhooks) + 1, url=url, secret=secret, retry_delays=retry_delays, timeout=timeout
            )
            self.webhooks.append(hook)
            if self._webhook_sender is None:
                self._webhook_sender = WebhookSender(self._instance_url)
            if self._announce not in self.listeners:
                self.listeners.append(self._announce)
            return hook

    def ping_webhook(self, hook: Webhook) -> None:
        if self._webhook_sender is not None:
            self._webhook_sender.enqueue(hook, "ping", {"ping": "OK"})

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every delivery attempt so far, oldest first."""
        return self._webhook_sender.deliveries if self._webhook_sender is not None else []

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        """Block until no delivery is queued or in flight; False if that took longer than ``timeout``."""
        return self._webhook_sender is None or self._webhook_sender.wait_idle(timeout)

    def _announce(self, event: str, topic: Topic, post: Post) -> None:
        sender = self._webhook_sender
        if sender is None:
            return
        payload = webhook_payload(self, event, topic, post)
        for hook in self.webhooks:
            sender.enqueue(hook, event, payload)

    def _instance_url(self) -> str:
        server = self._server
        return f"http://{self.host}:{server.server_port}" if server is not None else ""

    def _wsgi(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        request.get_data()  # drain the body first: keep-alive needs the stream at the next request line
        started = time.perf_counter()
        at = self.clock()
        username = request.headers.get("Api-Username")
        reply, fault = self._answer(request)
        if (
            reply.route
            and reply.content_type == JSON_CONTENT_TYPE
            and self._contracts is not None
            and isinstance(reply.body, dict | list)
            and fault is None
        ):
            problems = self._contracts.check(reply.route, reply.status, reply.body)
            if problems:
                violation = ContractViolation(
                    reply.route, request.method, request.full_path.rstrip("?"), reply.status, tuple(problems)
                )
                with self._log_lock:
                    self._violations.append(violation)
                reply = Reply(
                    500,
                    {"errors": [f"contract violation: {violation}"], "error_type": "contract_violation"},
                    reply.route,
                )
        if isinstance(reply.body, bytes):
            payload = reply.body
        elif reply.body is None:
            payload = b""
        else:
            try:
                payload = json.dumps(reply.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            except (TypeError, ValueError) as error:
                reply = Reply(500, None, reply.route)
                payload = json.dumps(
                    {
                        "errors": [f"fake Discourse could not encode its reply: {error!r}"],
                        "error_type": "server_error",
                    }
                ).encode("utf-8")
        response = Response(payload, status=reply.status)
        response.headers["Content-Type"] = reply.content_type
        for key, value in reply.headers.items():
            response.headers[key] = value
        record = RequestRecord(
            method=request.method,
            path=request.path,
            query={k: request.args.getlist(k) for k in request.args},
            status=reply.status,
            at=at,
            duration=time.perf_counter() - started,
            username=username,
            route=reply.route,
            fault=fault,
        )
        with self._log_lock:
            self._requests.append(record)
        return response(environ, start_response)

    def _answer(self, request: Request) -> tuple[Reply, str | None]:
        path = request.path
        rule = self.faults._take(path)
        if rule is not None and rule.kind == "slow":
            self._stopping.wait(rule.seconds)
        elif rule is not None:
            return self._fault_reply(rule), rule.kind
        try:
            return self._route(request), (rule.kind if rule else None)
        except HttpError as error:
            return Reply(error.status, error.body(), self._route_name(request)), (rule.kind if rule else None)
        except Exception as error:  # a bug in the fake: answer like Discourse would, but say what broke
            return Reply(
                500, {"errors": [f"fake Discourse internal error: {error!r}"], "error_type": "server_error"}
            ), None

    def _fault_reply(self, rule: FaultRule) -> Reply:
        if rule.kind == "fail":
            return Reply(
                rule.status, {"errors": [f"Injected fault: HTTP {rule.status}"], "error_type": "server_error"}
            )
        if rule.kind == "malformed":
            return Reply(200, b'{"latest_posts":[{"id":1,"raw":"trunc', content_type=JSON_CONTENT_TYPE)
        return self._rate_limited(rule.wait_seconds)

    def _rate_limited(self, wait: int) -> Reply:
        return Reply(
            429,
            rate_limit_body(wait),
            headers={
                "Retry-After": str(wait),
                "Discourse-Rate-Limit-Error-Code": "admin_api_key_rate_limit",
            },
        )

    def _route_name(self, request: Request) -> str | None:
        path = request.path[:-5] if request.path.endswith(".json") else request.path
        found = self.router.match(request.method, path)
        return found[0].name if found else None

    def _authenticate(self, request: Request) -> User:
        key = request.headers.get("Api-Key")
        username = request.headers.get("Api-Username")
        if not key:
            raise HttpError(403, NOT_LOGGED_IN, "not_logged_in")
        if key != self.api_key or not username:
            raise HttpError(403, INVALID_ACCESS, "invalid_access")
        user = self.users_by_name.get(username.lower())
        if user is None:
            raise HttpError(403, INVALID_ACCESS, "invalid_access")
        return user

    def _params(self, request: Request) -> MultiDict:
        params = MultiDict(request.args)
        if request.method in ("POST", "PUT", "DELETE", "PATCH"):
            if request.mimetype == "application/json":
                data = request.get_json(silent=True)
                if data is None and request.get_data():
                    raise HttpError(400, "The request body is not valid JSON.", "invalid_parameters")
                if isinstance(data, dict):
                    flatten_json(data, "", params)
            else:
                for key in request.form:
                    for value in request.form.getlist(key):
                        params.add(key, value)
        return params

    def _route(self, request: Request) -> Reply:
        path = request.path
        suffix_json = path.endswith(".json")
        if suffix_json:
            path = path[:-5]
        wants_json = suffix_json or "json" in (request.headers.get("Accept") or "")
        with self.lock:
            viewer = self._authenticate(request)
        wait = self._limiter.check()
        if wait is not None:
            reply = self._rate_limited(wait)
            reply.route = self._route_name(request)
            return reply
        found = self.router.match(request.method, path)
        if found is None:
            raise not_found()
        route, values = found
        if not wants_json and route.method == "GET":
            page = f"<html><head><title>{html.escape(self.title)}</title></head><body></body></html>"
            return Reply(200, page.encode(), None, content_type=HTML_CONTENT_TYPE)
        params = self._params(request)
        with self.lock:
            req = Req(request.method, path, request.args, params, viewer, tuple(group_names_of(self, viewer)))
            reply = self.handlers[route.endpoint](self, req, **values)
        if reply.route is None:
            reply.route = route.name
        return reply
