"""Why a request to the forum got no answer, in words an operator can act on.

``requests`` wraps the real cause several layers deep (``ConnectionError`` → urllib3's ``MaxRetryError`` →
``NewConnectionError`` → ``ConnectionRefusedError``), so "ConnectionError" alone says nothing; this walks the
chain and names the cause: refused, DNS, TLS or timeout, with what to check.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps: ``__cause__``/``__context__``, exception args, urllib3's ``reason``."""
    seen: set[int] = set()
    queue: list[BaseException] = [error]
    while queue:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [*current.args, getattr(current, "reason", None), current.__cause__, current.__context__]
        queue.extend(item for item in linked if isinstance(item, BaseException))


def _where(url: str) -> str:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.hostname}:{parts.port or default}"


def unreachable_reason(error: requests.RequestException, url: str, timeout: float) -> str:
    """One phrase: what went wrong reaching ``url`` and what to check (no credentials: only host and port)."""
    causes = list(_causes(error))
    host = urlsplit(url).hostname or url
    if any(isinstance(cause, requests.ConnectTimeout) for cause in causes):
        return f"timed out connecting to {_where(url)} after {timeout:g}s; check the host, port and firewall"
    if any(isinstance(cause, requests.Timeout | socket.timeout) for cause in causes):
        return f"timed out: no answer within {timeout:g}s; the forum may be overloaded or down"
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = cause.verify_message or cause.reason
            return f"TLS failed: the certificate was not accepted ({detail}); check the host name in the URL"
    for cause in causes:
        if isinstance(cause, ssl.SSLError):
            return (
                f"TLS failed ({cause.reason or cause}); check the URL's scheme (https:// to a plain-HTTP "
                "server fails this way) and port"
            )
    if any(isinstance(cause, socket.gaierror) for cause in causes) or any(
        type(cause).__name__ == "NameResolutionError" for cause in causes
    ):
        return f"DNS lookup failed: no such host {host!r}; check the host name in the URL"
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return f"connection refused at {_where(url)}; is the forum up, and are the host and port right?"
    if any(isinstance(cause, ConnectionResetError) for cause in causes):
        return f"the connection to {_where(url)} was reset; a proxy or firewall may be in the way"
    if any(isinstance(cause, requests.exceptions.InvalidURL | requests.URLRequired) for cause in causes):
        return "the URL is not usable; check COTECHBOT_DISCOURSE_URL"
    innermost = causes[-1]
    return f"connection failed ({type(innermost).__name__}: {' '.join(str(innermost).split())[:200]})"
