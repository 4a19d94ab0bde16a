"""Discourse's webhook signature: ``sha256=`` + lowercase hex HMAC-SHA256 of the exact raw body."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Discourse-Event-Signature"


def signature_of(secret: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def signature_matches(secret: bytes, body: bytes, header: str | None) -> bool:
    """Constant-time check of the header against the body; a missing or non-ASCII header never matches."""
    if not header or not secret:
        return False
    try:
        given = header.strip().encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(signature_of(secret, body).encode("ascii"), given)
