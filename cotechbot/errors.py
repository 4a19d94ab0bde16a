"""cotechbot's exceptions, in one place so callers can see what they might have to handle.

    CotechbotError
    ├── ConfigError              a setting is missing or wrong; the message names it and where it came from
    ├── LedgerError              the state database refused an operation
    │   ├── DuplicateActionError an outbox action with that key already exists
    │   └── NaiveDatetimeError   a datetime without a time zone was offered (also a ValueError)
    └── ForumError               talking to a forum (Discourse or Loomio) failed
        ├── ForumUnavailable     connection refused/reset, timeout, 5xx: try again next cycle
        ├── ForumRateLimited     429 from the forum or our own request budget is spent; has ``wait_seconds``
        ├── ForumAuthError       403 invalid_access / not_logged_in: credentials or permissions are wrong
        ├── ForumNotFound        404: the topic, post or group is gone or invisible to us
        ├── ForumRejected        another 4xx: the forum refused what we sent (has the forum's messages)
        └── ForumBadResponse     the answer was not the JSON we expect (malformed, wrong shape)

Transient errors (``ForumUnavailable``, ``ForumRateLimited``, ``ForumBadResponse`` — a garbled answer may
follow a write that happened) leave state untouched so the next cycle retries;
the others are logged with their context and the item is skipped, never retried in a tight loop.
"""

from __future__ import annotations


class CotechbotError(Exception):
    """Base of every error cotechbot raises on purpose."""


class ConfigError(CotechbotError):
    """A setting is invalid; ``str(error)`` is one line an operator can act on."""


class LedgerError(CotechbotError):
    pass


class DuplicateActionError(LedgerError):
    def __init__(self, key: str) -> None:
        super().__init__(f"an action with key {key!r} is already in the outbox")
        self.key = key


class NaiveDatetimeError(LedgerError, ValueError):
    """cotechbot stores UTC only; a datetime with no zone could mean anything, so it is refused."""


class ForumError(CotechbotError):
    transient: bool = False

    def __init__(self, message: str, *, status: int | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.path = path


class ForumUnavailable(ForumError):
    transient = True


class ForumRateLimited(ForumError):
    transient = True

    def __init__(
        self, message: str, *, wait_seconds: float, status: int | None = 429, path: str | None = None
    ):
        super().__init__(message, status=status, path=path)
        self.wait_seconds = wait_seconds


class ForumAuthError(ForumError):
    pass


class ForumNotFound(ForumError):
    pass


class ForumRejected(ForumError):
    def __init__(
        self,
        message: str,
        *,
        errors: list[str] | None = None,
        status: int | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message, status=status, path=path)
        self.errors = errors or []


class ForumBadResponse(ForumError):
    transient = True
