"""What handlers answer with: replies, Discourse's error bodies, and the parsed request they are given."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.datastructures import MultiDict

from cotechbot.sandbox.discourse.records import User

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"

NOT_FOUND = "The requested URL or resource could not be found."
INVALID_ACCESS = "You are not permitted to view the requested resource. The API username or key is invalid."
NOT_PERMITTED = "You are not permitted to view the requested resource."
NOT_LOGGED_IN = "You need to be logged in to do that."


class HttpError(Exception):
    def __init__(self, status: int, errors: list[str] | str, error_type: str | None = None, extras=None):
        super().__init__(errors)
        self.status = status
        self.errors = [errors] if isinstance(errors, str) else errors
        self.error_type = error_type
        self.extras = extras

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"errors": self.errors}
        if self.error_type:
            body["error_type"] = self.error_type
        if self.extras is not None:
            body["extras"] = self.extras
        return body


class CreatePostError(HttpError):
    """POST /posts.json failures keep the ``{"action":"create_post","errors":[...]}`` shape (§7)."""

    def __init__(self, *messages: str) -> None:
        super().__init__(422, list(messages))

    def body(self) -> dict[str, Any]:
        return {"action": "create_post", "errors": self.errors}


def not_found(topic: bool = False) -> HttpError:
    extras = None
    if topic:
        extras = {
            "title": "Page Not Found",
            "html": '<div class="page-not-found"><h1 class="title">Oops! That page doesn’t exist or is private.</h1></div>',
            "group": None,
        }
    return HttpError(404, NOT_FOUND, "not_found", extras)


def invalid(param: str) -> HttpError:
    return HttpError(400, f"You supplied invalid parameters to the request: {param}", "invalid_parameters")


@dataclass
class Reply:
    status: int
    body: Any  # JSON-able, or bytes for non-JSON
    route: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON_CONTENT_TYPE


@dataclass
class Req:
    method: str
    path: str  # without .json
    args: MultiDict
    params: MultiDict  # query + body, flattened (JSON bodies become post[raw] style keys)
    viewer: User
    groups: tuple[str, ...]

    def get(self, key: str, default: str | None = None) -> str | None:
        value = self.params.get(key)
        return default if value is None else value

    def getlist(self, key: str) -> list[str]:
        return [*self.params.getlist(f"{key}[]"), *self.params.getlist(key)]

    def flag(self, key: str) -> bool:
        return (self.params.get(key) or "").lower() == "true"

    def int(self, key: str, default: int | None = None, *, minimum: int | None = None) -> int | None:
        value = self.params.get(key)
        if value in (None, ""):
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise invalid(key) from None
        if minimum is not None and number < minimum:
            raise invalid(key)
        return number


def flatten_json(data: Any, prefix: str, out: MultiDict) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            flatten_json(value, f"{prefix}[{key}]" if prefix else str(key), out)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict | list):
                flatten_json(item, f"{prefix}[]", out)
            else:
                out.add(f"{prefix}[]", scalar(item))
    elif data is not None:
        out.add(prefix, scalar(data))


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_PLUS_AS_SPACE = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


def parse_iso(value: str, param: str) -> datetime:
    """An ISO-8601 query/body parameter (a ``+`` offset that arrived as a space is repaired)."""
    text = _PLUS_AS_SPACE.sub(r"\1+\2", value.strip()).replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            from dateutil import parser as dateutil_parser

            parsed = dateutil_parser.parse(value)
        except (ValueError, OverflowError):
            raise invalid(param) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def ok(body: Any, route: str | None = None) -> Reply:
    return Reply(200, body, route)
