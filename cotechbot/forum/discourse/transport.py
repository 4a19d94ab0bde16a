"""The wire: one kept-alive session per forum, a request budget, and every failure mapped to `ForumError`.

pydiscourse's ``DiscourseClient`` knows the endpoints, and the adapter uses it for them; but every defect we
must fix lives in its one transport method, ``_request`` (API-NOTES §11), so `SessionClient` routes that
method through a `Transport`:

* pydiscourse calls ``requests.request`` each time, i.e. a new TCP/TLS connection per call → we send through
  one kept-alive ``requests.Session`` per forum;
* it has no timeout by default → every call carries ``timeout`` (default 15 s);
* it sleeps ``wait_seconds + 1`` and retries a 429 up to four times, which can freeze a worker for minutes
  → we pace requests with a token bucket (``cotechbot.forum.ratelimit``) so steady-state 429s do not
  happen, and on a 429 we wait once if the server asks for at most ``max_inline_wait`` seconds, otherwise
  raise ``ForumRateLimited(wait_seconds=…)`` at once (and refuse further calls until the wait is over
  without touching the server) so the worker moves on and retries next cycle. A wait the server names is
  believed up to `cotechbot.forum.ratelimit.MAX_RATE_LIMIT_WAIT`; an absurd or non-finite one cannot pause the adapter for ever;
* it raises ``requests.HTTPError`` subclasses (and ``KeyError`` for a reply without Content-Type) → we
  raise the `cotechbot.errors.ForumError` hierarchy. A body too deeply nested to decode is a bad response,
  not a ``RecursionError`` that would abort the whole cycle.

The request keeps pydiscourse's shape: the same headers, ``allow_redirects=False``, form bodies, ``None`` for
an empty non-JSON success body, and an error for a 2xx JSON body carrying ``errors``. It is a little more
lenient on the success content type (any ``application/json``, charset optional).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests
import structlog
from pydiscourse import DiscourseClient

from cotechbot.clock import Clock
from cotechbot.errors import (
    ForumAuthError,
    ForumBadResponse,
    ForumNotFound,
    ForumRateLimited,
    ForumRejected,
    ForumUnavailable,
)
from cotechbot.forum.ratelimit import (
    TokenBucket,
    rate_limit_wait,
    seconds_source,
    sleeper_for,
)
from cotechbot.forum.unreachable import unreachable_reason
from cotechbot.settings import mask_url

USER_AGENT = "cotechbot/0.1 (+https://github.com/cotech; pydiscourse)"


def _error_messages(response: requests.Response) -> list[str]:
    """The forum's own messages from an error body: ``errors`` list, ``error`` string, or nothing."""
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return []
    if not isinstance(body, dict):
        return []
    errors = body.get("errors")
    if isinstance(errors, list):
        return [str(e) for e in errors if e]
    if isinstance(body.get("error"), str):
        return [body["error"]]
    return []


def _describe(response: requests.Response) -> str:
    messages = _error_messages(response)
    if messages:
        return "; ".join(messages)
    if response.reason:
        return str(response.reason)
    return (response.text or "")[:200]


class Transport:
    """Sends API calls for one forum: the session, the budget, the 429 policy and the error mapping."""

    def __init__(
        self,
        host: str,
        api_username: str,
        api_key: str,
        *,
        name: str,
        timeout: float,
        requests_per_minute: float,
        burst: int,
        max_inline_wait: float,
        clock: Clock | None,
        sleep: Callable[[float], None] | None,
        session: requests.Session | None,
    ) -> None:
        self.host = host.rstrip("/")
        self.api_username = api_username
        self.name = name
        self.timeout = timeout
        self.max_inline_wait = max_inline_wait
        self._clock = clock
        sleeper = sleeper_for(clock, sleep)
        self.bucket = TokenBucket(requests_per_minute, burst, now=seconds_source(clock), sleep=sleeper)
        self.session = session or requests.Session()
        self.session.headers.update(
            {
                "Accept": "application/json; charset=utf-8",
                "Api-Key": api_key,
                "Api-Username": api_username,
                "User-Agent": USER_AGENT,
            }
        )
        self.requests_made = 0
        #: 429 answers received (each one, whether we waited it out or raised).
        self.rate_limited_responses = 0
        #: Called with (method, path, status) for every answer the forum gives (the HTTP face's metrics).
        self.response_observers: list[Callable[[str, str, int], None]] = []
        self.log = structlog.get_logger("cotechbot.forum.discourse").bind(forum=name)

    @property
    def shown_host(self) -> str:
        """The host as it may be printed or logged: credentials in the URL are masked."""
        return mask_url(self.host)

    def request(
        self,
        verb: str,
        path: str,
        params: Any = None,
        files: Any = None,
        data: Any = None,
        json: Any = None,
        override_request_kwargs: Any = None,
    ) -> Any:
        """Send one API call through the session, within the budget; map every failure to ForumError."""
        url = self.host + path
        log = self.log.bind(path=path, method=verb)
        extra = dict(override_request_kwargs or {})
        extra.pop("timeout", None)  # a timeout on every call is not negotiable
        waited_out_429 = False
        while True:
            paused = self.bucket.paused_for()
            if paused > self.max_inline_wait:
                raise ForumRateLimited(
                    f"{verb} {path}: {self.name} asked us to wait; {paused:.0f}s left, not sending",
                    wait_seconds=paused,
                    status=None,
                    path=path,
                )
            self.bucket.acquire()
            self.requests_made += 1
            started = time.monotonic()
            try:
                response = self.session.request(
                    verb,
                    url,
                    params=params,
                    files=files,
                    data=data,
                    json=json,
                    allow_redirects=False,
                    timeout=self.timeout,
                    **extra,
                )
            except requests.RequestException as err:
                reason = unreachable_reason(err, url, self.timeout)
                log.warning("discourse.request_failed", reason=reason, error=type(err).__name__)
                raise ForumUnavailable(
                    f"{verb} {mask_url(url)}: cannot reach {self.name}: {reason}", path=path
                ) from err
            elapsed_ms = round((time.monotonic() - started) * 1000)
            log.debug("discourse.request", status=response.status_code, ms=elapsed_ms)
            for observe in self.response_observers:
                observe(verb, path, response.status_code)
            if response.status_code != 429:
                break
            self.rate_limited_responses += 1
            wait = rate_limit_wait(response, self._clock.now() if self._clock else None)
            code = response.headers.get("Discourse-Rate-Limit-Error-Code", "")
            if not waited_out_429 and wait <= self.max_inline_wait:
                waited_out_429 = True
                log.info("discourse.rate_limited", wait_seconds=wait, limit=code, action="wait_and_retry")
                self.bucket.pause(wait)
                continue
            self.bucket.pause(wait)
            log.warning("discourse.rate_limited", wait_seconds=wait, limit=code, action="give_up_this_cycle")
            raise ForumRateLimited(
                f"{verb} {path}: rate limited by {self.name} ({code or 'no code'}); retry in {wait:.0f}s",
                wait_seconds=wait,
                path=path,
            )
        return self.decode(verb, path, response, log)

    def decode(self, verb: str, path: str, response: requests.Response, log: Any) -> Any:
        status = response.status_code
        where = f"{verb} {path}"
        if status >= 400:
            message = _describe(response)
            if status == 404:
                # Not an outage: a deleted topic or a tag nobody uses yet. The caller decides what it means.
                log.info("discourse.not_found", status=status)
            else:
                log.warning("discourse.request_failed", status=status, error=message[:200])
            if status >= 500:
                raise ForumUnavailable(
                    f"{where}: {self.name} answered {status}: {message}", status=status, path=path
                )
            if status == 403:
                raise ForumAuthError(
                    f"{where}: forbidden (403): {message} — check the API key and "
                    f"username {self.api_username!r}",
                    status=status,
                    path=path,
                )
            if status == 404:
                raise ForumNotFound(f"{where}: not found (404)", status=status, path=path)
            raise ForumRejected(
                f"{where}: rejected ({status}): {message}",
                errors=_error_messages(response),
                status=status,
                path=path,
            )
        if 300 <= status < 400:
            location = mask_url(response.headers.get("Location", "?"))
            log.warning("discourse.request_failed", status=status, location=location)
            raise ForumBadResponse(
                f"{where}: unexpected redirect {status} to {location} "
                f"(wrong host or scheme, or an invalid API key?)",
                status=status,
                path=path,
            )
        content_type = response.headers.get("Content-Type", "")
        if not content_type.lower().startswith("application/json"):
            if not response.content.strip():
                return None
            log.warning("discourse.bad_response", status=status, content_type=content_type)
            raise ForumBadResponse(
                f"{where}: expected JSON, got {content_type or 'no content type'!s}", status=status, path=path
            )
        try:
            decoded = response.json()
        except ValueError as err:
            log.warning("discourse.bad_response", status=status, reason="unparsable JSON")
            raise ForumBadResponse(
                f"{where}: unparsable JSON from {self.name}", status=status, path=path
            ) from err
        except RecursionError as err:
            log.warning("discourse.bad_response", status=status, reason="JSON nested too deeply")
            raise ForumBadResponse(
                f"{where}: JSON from {self.name} is nested too deeply to read", status=status, path=path
            ) from err
        if isinstance(decoded, dict) and decoded.get("errors"):
            errors = decoded["errors"] if isinstance(decoded["errors"], list) else [str(decoded["errors"])]
            raise ForumRejected(
                f"{where}: {'; '.join(map(str, errors))}",
                errors=[str(e) for e in errors],
                status=status,
                path=path,
            )
        return decoded


class SessionClient(DiscourseClient):
    """pydiscourse's client with its transport replaced by ours; the adapter holds one as ``client``.

    Only ``_request`` is overridden: every endpoint method of pydiscourse (``latest_posts``, ``posts``,
    ``create_post``, ``update_post``…) and its ``_get``/``_put``/``_post`` helpers work unchanged and return
    pydiscourse's raw dicts, which `cotechbot.forum.discourse.parsing` turns into models.
    """

    def __init__(self, transport: Transport, api_key: str) -> None:
        super().__init__(transport.host, transport.api_username, api_key, timeout=transport.timeout)
        self.transport = transport

    def __repr__(self) -> str:  # never show the key
        return f"SessionClient(host={self.transport.shown_host!r}, api_username={self.api_username!r})"

    def _request(
        self, verb, path, params=None, files=None, data=None, json=None, override_request_kwargs=None
    ):
        return self.transport.request(verb, path, params, files, data, json, override_request_kwargs)
