"""Payload → model: pydiscourse's raw dicts become `cotechbot.models`, or a `ForumBadResponse`.

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

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from cotechbot.errors import ForumBadResponse, ForumError
from cotechbot.models import Post


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


def readable_id(value: Any) -> int | None:
    """An id as Discourse sends it (int) or as a broken answer might (digits in a string); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def one_line_error(error: Exception) -> str:
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


def as_dict(payload: Any, path: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ForumBadResponse(f"{path}: expected a JSON object, got {type(payload).__name__}", path=path)
    return payload


def as_list(value: Any, what: str, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ForumBadResponse(f"{path}: expected a list for {what}, got {type(value).__name__}", path=path)
    return value


def event_payload(event: Any, post_id: int | None = None, topic_id: int | None = None) -> dict | None:
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


def chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


#: What a payload of another shape raises while we read it.
SHAPE_ERRORS = (KeyError, TypeError, AttributeError, IndexError, ValueError, RecursionError)


class PayloadReader:
    """Reads payloads of one forum into models, logging (once) what it has to leave out."""

    def __init__(self, log: Any) -> None:
        self._log = log
        #: (post id, error) pairs already warned about, so a bad post re-read every cycle warns once.
        self._skips_reported: dict[tuple[int | None, str], None] = {}

    @contextmanager
    def shape(self, path: str) -> Iterator[None]:
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
        except SHAPE_ERRORS as err:
            self._log.warning("discourse.bad_response", path=path, reason="shape", error=repr(err)[:200])
            raise ForumBadResponse(f"{path}: unexpected payload shape ({err!r})", path=path) from err

    def post(self, payload: Any, path: str, **defaults: Any) -> Post:
        data = dict(as_dict(payload, path))
        for key, value in defaults.items():
            if data.get(key) is None and value is not None:
                data[key] = value
        if "event" in data:
            data["event"] = event_payload(data["event"], data.get("id"), data.get("topic_id"))
        return Post.model_validate(data)

    def posts(self, items: list[Any], path: str, **defaults: Any) -> PostList:
        """Validate the items of a post list one by one; leave out (and log) those that do not fit."""
        posts: list[Post] = []
        skipped: list[SkippedPost] = []
        for item in items:
            try:
                posts.append(self.post(item, path, **defaults))
            except (ForumBadResponse, *SHAPE_ERRORS) as err:
                skipped.append(self._skip(item, path, err, defaults.get("topic_id")))
        return PostList(posts, skipped)

    def _skip(self, item: Any, path: str, error: Exception, topic_id: int | None) -> SkippedPost:
        fields = item if isinstance(item, dict) else {}
        skipped = SkippedPost(
            id=readable_id(fields.get("id")),
            topic_id=readable_id(fields.get("topic_id")) if fields.get("topic_id") is not None else topic_id,
            path=path,
            error=one_line_error(error),
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
