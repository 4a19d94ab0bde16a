"""`DiscourseForum`: the `Forum` port on top of pydiscourse, with what pydiscourse lacks fixed.

pydiscourse's ``DiscourseClient`` knows the endpoints; we subclass it and keep using its methods
(``latest_posts``, ``latest_topics``, ``posts``, ``post_by_id``, ``create_post``, ``update_post``, ``group``,
``user``…) and its ``_get/_put`` helpers for endpoints it lacks. Its single transport method, ``_request``,
is overridden, because every defect we must fix lives there (API-NOTES §11):

* it calls ``requests.request`` each time, i.e. a new TCP/TLS connection per call → we send through one
  kept-alive ``requests.Session`` per forum;
* it has no timeout by default → every call carries ``timeout`` (default 15 s);
* it sleeps ``wait_seconds + 1`` and retries a 429 up to four times, which can freeze a worker for minutes
  → we pace requests with a token bucket (``cotechbot.forum.ratelimit``) so steady-state 429s do not
  happen, and on a 429 we wait once if the server asks for at most ``max_inline_wait`` seconds, otherwise
  raise ``ForumRateLimited(wait_seconds=…)`` at once (and refuse further calls until the wait is over
  without touching the server) so the worker moves on and retries next cycle;
* it raises ``requests.HTTPError`` subclasses (and ``KeyError`` for a reply without Content-Type) → we
  raise the `cotechbot.errors.ForumError` hierarchy, and turn payloads into `cotechbot.models`.

The override keeps pydiscourse's request shape: the same headers, ``allow_redirects=False``, form bodies,
``None`` for an empty non-JSON success body, and an error for a 2xx JSON body carrying ``errors``.
It is a little more lenient on the success content type (any ``application/json``, charset optional).

**One bad post does not spoil a page.** The list endpoints (``latest_posts``, ``topic``, ``topic_posts``)
validate each post on its own: a post that does not fit `cotechbot.models.Post` (``created_at`` missing,
``id`` not a number, ``polls`` of the wrong shape…) is left out with a ``discourse.post_skipped`` warning
(forum, path, post id when readable, the validation error in one line; once per post and error per
adapter, later repeats at debug) and the valid posts are returned as a `PostList`, a ``list[Post]`` whose
``skipped`` names what was left out, so the sync can keep its cursor math on the ids the forum really served
and tell a skipped post from a deleted one. A broken *envelope* (not JSON, no ``latest_posts``, a topic that
fails validation, a ``/posts.json`` page none of whose posts has a readable id) still raises
``ForumBadResponse``: the cycle stops and the cursor stays.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import quote

import requests
import structlog
from pydantic import BaseModel, SecretStr, ValidationError
from pydiscourse import DiscourseClient

from cotechbot.clock import Clock
from cotechbot.errors import (
    ForumAuthError,
    ForumBadResponse,
    ForumError,
    ForumNotFound,
    ForumRateLimited,
    ForumRejected,
    ForumUnavailable,
)
from cotechbot.forum.membership_reads import DiscourseMembershipReads
from cotechbot.forum.ratelimit import TokenBucket, seconds_source, sleeper_for
from cotechbot.forum.unreachable import unreachable_reason
from cotechbot.messages import ends_with_marker
from cotechbot.models import CalendarEvent, CreatedPost, Group, GroupRequester, Post, Topic, Voter
from cotechbot.settings import mask_url

M = TypeVar("M", bound=BaseModel)

USER_AGENT = "cotechbot/0.1 (+https://github.com/cotech; pydiscourse)"
#: Wait used for a 429 that names no wait (e.g. the per-IP middleware's text/plain answer).
DEFAULT_RATE_LIMIT_WAIT = 10.0


def _error_messages(response: requests.Response) -> list[str]:
    """The forum's own messages from an error body: ``errors`` list, ``error`` string, or nothing."""
    try:
        body = response.json()
    except ValueError:
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


def rate_limit_wait(response: requests.Response, now: datetime | None = None) -> float:
    """Seconds a 429 asks us to wait: ``extras.wait_seconds`` (JSON body), else ``Retry-After``, else 10."""
    try:
        body = response.json()
        wait = body["extras"]["wait_seconds"]
        if isinstance(wait, int | float) and wait >= 0:
            return float(wait)
    except (ValueError, KeyError, TypeError):
        pass
    header = response.headers.get("Retry-After")
    if header:
        header = header.strip()
        try:
            return max(0.0, float(header))
        except ValueError:
            try:
                when = parsedate_to_datetime(header)
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
            except (TypeError, ValueError, IndexError):
                pass
    return DEFAULT_RATE_LIMIT_WAIT


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


@dataclass(frozen=True)
class SkippedPost:
    """A post a list endpoint served that failed validation: left out of the result, never stored."""

    #: The post's id when the payload has a readable one (an int, or a string of digits), else None.
    id: int | None
    topic_id: int | None
    #: The API path it came from, e.g. ``/posts.json``.
    path: str
    #: The validation error in one line (field and message; never the payload).
    error: str


class PostList(list[Post]):
    """The valid posts of a list endpoint, in the order served, plus ``skipped``: the items left out.

    To a caller that does not care it is a plain ``list[Post]``; the sync reads ``skipped`` so its cursor
    math uses every id the forum served and a skipped post is not mistaken for a deleted one.
    """

    def __init__(self, posts: Iterable[Post] = (), skipped: Iterable[SkippedPost] = ()) -> None:
        super().__init__(posts)
        self.skipped: list[SkippedPost] = list(skipped)

    @property
    def served_ids(self) -> list[int]:
        """Ids of the valid posts, then the readable ids of the skipped ones."""
        return [p.id for p in self] + [s.id for s in self.skipped if s.id is not None]


def _readable_id(value: Any) -> int | None:
    """An id as Discourse sends it (int) or as a broken answer might (digits in a string); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _one_line_error(error: Exception) -> str:
    """A validation failure in one short line: ``field: message (+n more)``, without the offending input."""
    if isinstance(error, ValidationError):
        errors = error.errors(include_url=False, include_input=False)
        first = errors[0] if errors else {"loc": (), "msg": "invalid"}
        where = ".".join(str(part) for part in first.get("loc", ())) or "post"
        text = f"{where}: {first.get('msg', 'invalid')}"
        if len(errors) > 1:
            text += f" (+{len(errors) - 1} more)"
    elif isinstance(error, ForumBadResponse):
        text = str(error)
    else:
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.split())[:200]


class DiscourseForum(DiscourseMembershipReads, DiscourseClient):
    """The `cotechbot.forum.port.Forum` port for one Discourse site.

    One instance per forum: it owns the kept-alive session and the request budget, so share it between
    everything that talks to that forum (sync, dispatch, check) within a process.
    """

    #: Ids per ``/t/{id}/posts.json?post_ids[]=…`` request (Discourse's own client asks for 20 at a time).
    post_ids_per_request: int = 50
    #: How many of the API user's most recent posts `find_own_post` looks at.
    own_post_scan: int = 20

    def __init__(
        self,
        host: str,
        api_username: str,
        api_key: str | SecretStr,
        *,
        name: str = "discourse",
        timeout: float = 15.0,
        requests_per_minute: float = 50,
        burst: int = 5,
        max_inline_wait: float = 5.0,
        clock: Clock | None = None,
        sleep: Callable[[float], None] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        super().__init__(host.rstrip("/"), api_username, key, timeout=timeout)
        self.name = name
        self.max_inline_wait = max_inline_wait
        self._clock = clock
        self._sleep = sleeper_for(clock, sleep)
        self._now_seconds = seconds_source(clock)
        self.bucket = TokenBucket(requests_per_minute, burst, now=self._now_seconds, sleep=self._sleep)
        self.session = session or requests.Session()
        self.session.headers.update(
            {
                "Accept": "application/json; charset=utf-8",
                "Api-Key": key,
                "Api-Username": api_username,
                "User-Agent": USER_AGENT,
            }
        )
        self._requests_made = 0
        #: 429 answers received (each one, whether we waited it out or raised).
        self.rate_limited_responses = 0
        #: Called with (method, path, status) for every answer the forum gives (the HTTP face's metrics).
        self.response_observers: list[Callable[[str, str, int], None]] = []
        self._log = structlog.get_logger(__name__).bind(forum=name)
        #: (post id, error) pairs already warned about, so a bad post re-read every cycle warns once.
        self._skips_reported: dict[tuple[int | None, str], None] = {}

    @classmethod
    def from_settings(
        cls,
        settings: Any,
        *,
        name: str | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> DiscourseForum:
        """Build from `cotechbot.settings.Settings` (``discourse_url``, ``discourse_api_key``, …)."""
        return cls(
            str(settings.discourse_url),
            settings.discourse_api_username,
            settings.discourse_api_key,
            name=name or getattr(settings, "forum_name", None) or "discourse",
            timeout=float(getattr(settings, "request_timeout_seconds", 15)),
            requests_per_minute=float(getattr(settings, "requests_per_minute", 50)),
            burst=int(getattr(settings, "request_burst", 5)),
            max_inline_wait=float(getattr(settings, "max_rate_limit_wait_seconds", 5.0)),
            clock=clock,
            sleep=sleep,
        )

    def __repr__(self) -> str:  # never show the key
        return f"DiscourseForum(name={self.name!r}, host={self.host!r}, api_username={self.api_username!r})"

    @property
    def requests_made(self) -> int:
        return self._requests_made

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> DiscourseForum:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------------
    # transport (overrides pydiscourse)
    # ------------------------------------------------------------------------------------------------
    def _request(
        self, verb, path, params=None, files=None, data=None, json=None, override_request_kwargs=None
    ):
        """Send one API call through the session, within the budget; map every failure to ForumError."""
        url = self.host + path
        log = self._log.bind(path=path, method=verb)
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
            self._requests_made += 1
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
        return self._decode(verb, path, response, log)

    def _decode(self, verb: str, path: str, response: requests.Response, log: Any) -> Any:
        status = response.status_code
        where = f"{verb} {path}"
        if status >= 400:
            message = _describe(response)
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
            location = response.headers.get("Location", "?")
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
        if isinstance(decoded, dict) and decoded.get("errors"):
            errors = decoded["errors"] if isinstance(decoded["errors"], list) else [str(decoded["errors"])]
            raise ForumRejected(
                f"{where}: {'; '.join(map(str, errors))}",
                errors=[str(e) for e in errors],
                status=status,
                path=path,
            )
        return decoded

    # ------------------------------------------------------------------------------------------------
    # payload → model helpers
    # ------------------------------------------------------------------------------------------------
    @contextmanager
    def _shape(self, path: str) -> Iterator[None]:
        """Turn "the JSON had another shape" (KeyError, TypeError, a failed model) into ForumBadResponse."""
        try:
            yield
        except ForumError:
            raise
        except ValidationError as err:
            self._log.warning(
                "discourse.bad_response", path=path, reason="validation", errors=err.error_count()
            )
            raise ForumBadResponse(
                f"{path}: payload does not fit the model: {err.errors()[0]['loc']}: {err.errors()[0]['msg']}",
                path=path,
            ) from err
        except (KeyError, TypeError, AttributeError, IndexError, ValueError) as err:
            self._log.warning("discourse.bad_response", path=path, reason="shape", error=repr(err)[:200])
            raise ForumBadResponse(f"{path}: unexpected payload shape ({err!r})", path=path) from err

    @staticmethod
    def _dict(payload: Any, path: str) -> dict[str, Any]:
        if not isinstance(payload, dict):
            raise ForumBadResponse(f"{path}: expected a JSON object, got {type(payload).__name__}", path=path)
        return payload

    @staticmethod
    def _list(value: Any, what: str, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise ForumBadResponse(
                f"{path}: expected a list for {what}, got {type(value).__name__}", path=path
            )
        return value

    @staticmethod
    def _event_payload(event: Any, post_id: int | None = None, topic_id: int | None = None) -> dict | None:
        """Flatten an event (post JSON or events.json) for `CalendarEvent`; None when it has no start."""
        if not isinstance(event, dict) or not event.get("starts_at"):
            return None
        flat = dict(event)
        nested: dict[str, Any] = event["post"] if isinstance(event.get("post"), dict) else {}
        flat.setdefault("post_id", nested.get("id", post_id if post_id is not None else event.get("id")))
        topic: dict[str, Any] = nested["topic"] if isinstance(nested.get("topic"), dict) else {}
        flat.setdefault("topic_id", topic.get("id", topic_id))
        flat.pop("post", None)
        return flat

    def _post_model(self, payload: Any, path: str, **defaults: Any) -> Post:
        data = dict(self._dict(payload, path))
        for key, value in defaults.items():
            if data.get(key) is None and value is not None:
                data[key] = value
        if "event" in data:
            data["event"] = self._event_payload(data["event"], data.get("id"), data.get("topic_id"))
        return Post.model_validate(data)

    def _post_list(self, items: list[Any], path: str, **defaults: Any) -> PostList:
        """Validate the items of a post list one by one; leave out (and log) those that do not fit."""
        posts: list[Post] = []
        skipped: list[SkippedPost] = []
        for item in items:
            try:
                posts.append(self._post_model(item, path, **defaults))
            except (ForumBadResponse, KeyError, TypeError, AttributeError, IndexError, ValueError) as err:
                skipped.append(self._skip(item, path, err, defaults.get("topic_id")))
        return PostList(posts, skipped)

    def _skip(self, item: Any, path: str, error: Exception, topic_id: int | None) -> SkippedPost:
        fields = item if isinstance(item, dict) else {}
        skipped = SkippedPost(
            id=_readable_id(fields.get("id")),
            topic_id=_readable_id(fields.get("topic_id")) if fields.get("topic_id") is not None else topic_id,
            path=path,
            error=_one_line_error(error),
        )
        seen = (skipped.id, skipped.error)
        first_time = seen not in self._skips_reported
        if first_time:
            if len(self._skips_reported) >= 1000:
                self._skips_reported.pop(next(iter(self._skips_reported)))
            self._skips_reported[seen] = None
        (self._log.warning if first_time else self._log.debug)(
            "discourse.post_skipped",
            path=path,
            post_id=skipped.id,
            topic_id=skipped.topic_id,
            error=skipped.error,
        )
        return skipped

    # ------------------------------------------------------------------------------------------------
    # reading
    # ------------------------------------------------------------------------------------------------
    def latest_posts(self, before: int | None = None, **kwargs: Any) -> PostList:
        """One page of ``/posts.json``; posts failing validation are left out (see the module docstring)."""
        path = "/posts.json"
        payload = super().latest_posts(before=before, **kwargs)
        with self._shape(path):
            items = self._list(self._dict(payload, path)["latest_posts"], "latest_posts", path)
            page = self._post_list(items, path)
        if items and not page.served_ids:
            raise ForumBadResponse(
                f"{path}: none of the {len(items)} posts on the page has a readable id, "
                f"so there is no way to page past them",
                path=path,
            )
        return page

    def latest_topics(self, page: int = 0, per_page: int = 100, **kwargs: Any) -> list[Topic]:
        path = "/latest.json"
        payload = super().latest_topics(page=page, per_page=per_page, **kwargs)
        with self._shape(path):
            topics = self._dict(self._dict(payload, path)["topic_list"], path)["topics"]
            return [Topic.model_validate(t) for t in self._list(topics, "topics", path)]

    def topics_tagged(self, tag: str, max_pages: int = 20) -> list[Topic]:
        """Every visible topic carrying ``tag`` (``/tag/{tag}.json``, page by page); [] for a tag nobody uses.
        Deleted and untagged topics are not listed, which is how the decision log notices them."""
        path = f"/tag/{quote(tag.lower(), safe='')}.json"
        found: list[Topic] = []
        for page in range(max_pages):
            try:
                payload = self._get(path, page=page)
            except ForumNotFound:
                return found
            with self._shape(path):
                topic_list = self._dict(self._dict(payload, path)["topic_list"], path)
                found += [Topic.model_validate(t) for t in self._list(topic_list["topics"], "topics", path)]
            if not topic_list.get("more_topics_url"):
                break
        return found

    def topic(self, topic_id: int, include_raw: bool = True, **kwargs: Any) -> tuple[Topic, list[Post]]:
        path = f"/t/{topic_id}.json"
        if include_raw:
            kwargs["include_raw"] = "true"
        # pydiscourse's topic() needs the slug and a wrong slug answers 301, so ask by id alone.
        payload = self._get(path, **kwargs)
        with self._shape(path):
            body = self._dict(payload, path)
            topic = Topic.model_validate(body)
            stream_block = self._dict(body["post_stream"], path)
            items = self._list(stream_block.get("posts", []), "post_stream.posts", path)
            first = self._post_list(
                items,
                path,
                topic_id=topic.id,
                topic_title=topic.title,
                topic_slug=topic.slug,
                category_id=topic.category_id,
            )
            stream = [
                int(i)
                for i in self._list(stream_block.get("stream", first.served_ids), "post_stream.stream", path)
            ]
        have = {p.id: p for p in first}
        skipped = list(first.skipped)
        known_bad = {s.id for s in skipped if s.id is not None}
        missing = [i for i in stream if i not in have and i not in known_bad]
        if missing:
            rest = self.topic_posts(topic_id, missing)
            skipped.extend(rest.skipped)
            for post in rest:
                have[post.id] = post.model_copy(
                    update={
                        "topic_title": post.topic_title or topic.title,
                        "topic_slug": post.topic_slug or topic.slug,
                        "category_id": post.category_id
                        if post.category_id is not None
                        else topic.category_id,
                    }
                )
        order = {post_id: n for n, post_id in enumerate(stream)}
        posts = sorted(have.values(), key=lambda p: (order.get(p.id, len(order)), p.post_number))
        return topic, PostList(posts, skipped)

    def topic_posts(self, topic_id: int, post_ids: Sequence[int] = (), **kwargs: Any) -> PostList:
        path = f"/t/{topic_id}/posts.json"
        posts = PostList()
        for chunk in _chunks(list(post_ids), self.post_ids_per_request):
            payload = self.posts(topic_id, post_ids=chunk, include_raw="true", **kwargs)
            with self._shape(path):
                items = self._dict(self._dict(payload, path)["post_stream"], path)["posts"]
                page = self._post_list(self._list(items, "post_stream.posts", path), path, topic_id=topic_id)
            posts.extend(page)
            posts.skipped.extend(page.skipped)
        return posts

    def post(self, post_id: int, *_: Any, **kwargs: Any) -> Post:
        path = f"/posts/{post_id}.json"
        payload = self.post_by_id(post_id, **kwargs)
        with self._shape(path):
            return self._post_model(payload, path)

    def events(
        self, after: datetime | None = None, *, limit: int = 200, max_pages: int = 10
    ) -> list[CalendarEvent]:
        """Events from discourse-calendar, with details, ordered by start; pages on when a page is full."""
        path = "/discourse-post-event/events.json"
        seen: dict[int, CalendarEvent] = {}
        cursor = after
        for _ in range(max_pages):
            query: dict[str, Any] = {"include_details": "true", "order": "asc", "limit": limit}
            if cursor is not None:
                query["after"] = cursor.astimezone(UTC).isoformat().replace("+00:00", "Z")
            payload = self._get(path, **query)
            with self._shape(path):
                items = self._list(self._dict(payload, path)["events"], "events", path)
                page: list[CalendarEvent] = []
                for item in items:
                    flat = self._event_payload(item)
                    if flat is None:
                        self._log.info(
                            "discourse.event_skipped",
                            path=path,
                            reason="no start",
                            event_id=item.get("id") if isinstance(item, dict) else None,
                        )
                        continue
                    page.append(CalendarEvent.model_validate(flat))
            fresh = [e for e in page if e.id not in seen]
            for event in fresh:
                seen[event.id] = event
            if len(items) < limit or not fresh:
                break
            cursor = max(e.starts_at for e in page)
        return sorted(seen.values(), key=lambda e: (e.starts_at, e.id))

    def group(self, name: str) -> Group:
        path = f"/groups/{name}.json"
        payload = super().group(name)
        with self._shape(path):
            return Group.model_validate(self._dict(payload, path)["group"])

    def group_requesters(self, name: str, *, page_size: int = 50) -> list[GroupRequester]:
        return self._group_member_pages(name, GroupRequester, page_size, requesters="true")

    def group_member_usernames(self, name: str, *, page_size: int = 50) -> list[str]:
        return [member.username for member in self._group_member_pages(name, Voter, page_size)]

    def _group_member_pages(self, name: str, model: type[M], page_size: int, **params: str) -> list[M]:
        """Every page of ``/groups/{name}/members.json`` (members, or requesters with ``requesters=true``)."""
        path = f"/groups/{name}/members.json"
        found: list[M] = []
        offset = 0
        while True:
            payload = self._get(path, limit=page_size, offset=offset, **params)
            with self._shape(path):
                body = self._dict(payload, path)
                items = self._list(body["members"], "members", path)
                found.extend(model.model_validate(m) for m in items)
                total = (body.get("meta") or {}).get("total")
            offset += len(items)
            if not items or len(items) < page_size or (isinstance(total, int) and offset >= total):
                return found

    def poll_voters(
        self, post_id: int, poll_name: str, *, page_size: int = 50, max_pages: int = 40
    ) -> dict[str, list[Voter]]:
        path = "/polls/voters.json"
        result: dict[str, dict[int, Voter]] = {}
        for page in range(1, max_pages + 1):
            payload = self._get(path, post_id=post_id, poll_name=poll_name, limit=page_size, page=page)
            with self._shape(path):
                voters = self._dict(payload, path)["voters"]
                groups = {"": voters} if isinstance(voters, list) else self._dict(voters, path)
                full = False
                for option_id, users in groups.items():
                    bucket = result.setdefault(str(option_id), {})
                    users = self._list(users, f"voters[{option_id}]", path)
                    for user in users:
                        voter = Voter.model_validate(user)
                        bucket.setdefault(voter.id, voter)
                    full = full or len(users) >= page_size
            if not full:
                break
        return {option: list(voters.values()) for option, voters in result.items()}

    def find_own_post(self, topic_id: int, marker: str) -> int | None:
        """Scan the API user's most recent posts in the topic (one or two requests) for ``marker``."""
        path = f"/t/{topic_id}.json"
        me = self.api_username.lower()
        payload = self._get(path, username_filters=self.api_username, include_raw="true")
        with self._shape(path):
            block = self._dict(self._dict(payload, path)["post_stream"], path)
            first = self._post_list(
                self._list(block.get("posts", []), "posts", path), path, topic_id=topic_id
            )
            stream = [int(i) for i in self._list(block.get("stream", first.served_ids), "stream", path)]
        recent = stream[-self.own_post_scan :]
        have = {p.id: p for p in first if p.id in set(recent)}
        unreadable = [s for s in first.skipped if s.id is None or s.id in set(recent)]
        missing = [i for i in recent if i not in have and i not in {s.id for s in unreadable}]
        if missing:
            rest = self.topic_posts(topic_id, missing)
            have.update({p.id: p for p in rest})
            unreadable.extend(rest.skipped)
        for post in sorted(have.values(), key=lambda p: p.post_number, reverse=True):
            if post.username.lower() == me and ends_with_marker(post.raw, marker):
                return post.id
        if unreadable:
            # One of the posts we could not read may be ours: saying "not posted" could post twice.
            raise ForumBadResponse(
                f"{path}: {len(unreadable)} of the API user's recent posts could not be read, so a post "
                f"carrying the marker cannot be ruled out",
                path=path,
            )
        return None

    def check(self) -> str:
        path = f"/users/{self.api_username}.json"
        with self._shape(path):
            user = self._dict(self.user(self.api_username), path)
            roles = [r for r in ("admin", "moderator") if user.get(r)]
            return (
                f"{self.name}: {mask_url(self.host)} reachable; signed in as {user['username']} "
                f"(id {user['id']}{', ' + ', '.join(roles) if roles else ''})"
            )

    # ------------------------------------------------------------------------------------------------
    # writing
    # ------------------------------------------------------------------------------------------------
    def _created(self, payload: Any, path: str) -> CreatedPost:
        with self._shape(path):
            body = self._dict(payload, path)
            if body.get("action") == "enqueued":
                raise ForumRejected(
                    f"{path}: the post was queued for approval instead of published",
                    errors=["enqueued"],
                    path=path,
                )
            if "id" not in body and isinstance(body.get("post"), dict):
                body = body["post"]
            return CreatedPost.model_validate(body)

    def handle_membership_request(self, group_id: int, user_id: int, accept: bool) -> None:
        # The server only tests whether ``accept`` is present: to deny, leave it out (API-NOTES §6).
        form: dict[str, Any] = {"user_id": user_id}
        if accept:
            form["accept"] = "true"
        self._put(f"/groups/{group_id}/handle_membership_request.json", **form)

    def create_reply(self, topic_id: int, raw: str) -> CreatedPost:
        return self._created(self.create_post(raw, topic_id=topic_id), "/posts")

    def create_topic(
        self, title: str, raw: str, category_id: int | None = None, tags: Iterable[str] = ()
    ) -> CreatedPost:
        return self._created(
            self.create_post(raw, category_id=category_id, title=title, tags=list(tags)), "/posts"
        )

    def create_private_message(self, title: str, raw: str, recipients: Iterable[str]) -> CreatedPost:
        names = ",".join(r.strip() for r in recipients if r and r.strip())
        if not names:
            raise ForumRejected("a private message needs at least one recipient", errors=["no recipients"])
        return self._created(
            self.create_post(raw, title=title, archetype="private_message", target_recipients=names), "/posts"
        )

    def set_wiki(self, post_id: int, wiki: bool = True) -> None:
        """Make a post a wiki (or not): ``PUT /posts/{id}/wiki.json``; staff only."""
        self._put(f"/posts/{post_id}/wiki.json", wiki="true" if wiki else "false")

    def edit_post(self, post_id: int, raw: str, edit_reason: str = "") -> Post:
        path = f"/posts/{post_id}"
        payload = self.update_post(post_id, raw, edit_reason)
        with self._shape(path):
            body = self._dict(payload, path)
            return self._post_model(body.get("post", body), path)
