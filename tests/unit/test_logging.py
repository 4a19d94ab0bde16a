"""Logging redacts secrets wherever they appear, including in third-party log records."""

from __future__ import annotations

import io
import json
import logging

import structlog

from cotechbot.logging import SecretRedactor, configure_logging


def test_redactor_replaces_secret_values_in_nested_structures() -> None:
    """A secret inside strings, dicts, lists and exceptions is replaced by ***; other text is kept."""
    redact = SecretRedactor(["s3cr3t-key"])
    event = redact(
        None,
        "info",
        {
            "event": "calling with s3cr3t-key",
            "headers": {"Api-Key": "s3cr3t-key", "Accept": "json"},
            "args": ["x", "s3cr3t-key"],
            "error": ValueError("bad key s3cr3t-key"),
            "api_key": "anything",
        },
    )
    flat = json.dumps(event, default=str)
    assert "s3cr3t-key" not in flat
    assert event["headers"]["Accept"] == "json"
    assert event["api_key"] == "***"


def test_stdlib_records_pass_through_the_redactor() -> None:
    """A log line from a library using the standard logging module is redacted and rendered as JSON."""
    stream = io.StringIO()
    configure_logging(level="debug", fmt="json", secrets=["topsecret-123"], stream=stream)
    logging.getLogger("pydiscourse.client").warning("request with key topsecret-123 failed")
    structlog.get_logger("cotechbot.test").info("bound", topic_id=7, token="topsecret-123")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert "topsecret-123" not in stream.getvalue()
    assert lines[0]["event"] == "request with key *** failed"
    assert lines[1]["topic_id"] == 7 and lines[1]["token"] == "***"
