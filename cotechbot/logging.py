"""Logging with structlog: JSON lines for machines, readable lines for people, secrets never written.

Logs go to stderr (stdout carries command output such as ``cotechbot plan`` or ``when --jsonl``). The format
follows that stream: JSON lines when it is not a terminal (Docker, systemd, CI), coloured console output when
it is. Records from the standard library (pydiscourse, APScheduler, SQLAlchemy) pass through the same
processors, so redaction covers them too.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, MutableMapping
from typing import Any, TextIO

import structlog

REDACTED = "***"
_SENSITIVE_KEYS = frozenset({"api_key", "api-key", "password", "token", "secret", "authorization"})


class SecretRedactor:
    """A structlog processor that replaces known secret values, and values of sensitive keys, with ***."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(
        self, _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        for key, value in list(event_dict.items()):
            event_dict[key] = self._clean(key, value)
        return event_dict

    def _clean(self, key: str, value: Any) -> Any:
        if key.lower() in _SENSITIVE_KEYS and value:
            return REDACTED
        if isinstance(value, str):
            return self._scrub(value)
        if isinstance(value, dict):
            return {k: self._clean(str(k), v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self._clean(key, v) for v in value)
        if isinstance(value, BaseException):
            return self._scrub(repr(value))
        return value

    def _scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def configure_logging(
    *, level: str = "info", fmt: str = "auto", secrets: Iterable[str] = (), stream: TextIO | None = None
) -> None:
    """Set up structlog and the standard library's logging once per process."""
    stream = stream or sys.stderr
    use_console = fmt == "console" or (fmt == "auto" and stream.isatty())
    redactor = SecretRedactor(secrets)
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redactor,
    ]
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=stream.isatty())
        if use_console
        else structlog.processors.JSONRenderer(sort_keys=False)
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, redactor, renderer],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Third-party chatter stays at warning unless we are debugging.
    for noisy in ("urllib3", "pydiscourse", "apscheduler", "alembic", "sqlalchemy", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if level == "debug" else logging.WARNING)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
