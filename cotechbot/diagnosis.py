"""Turning failures an operator can fix into one line: which setting, what went wrong, what to do.

Used by the command line (and the scheduler's outage log) instead of a traceback. Only the driver's own
message is read — never SQLAlchemy's rendering of the statement, whose parameters can hold post contents.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from cotechbot.settings import mask_url

DATABASE_SETTING = "COTECHBOT_DATABASE_URL"


def _sqlite_path(url: str) -> Path | None:
    try:
        database = make_url(url).database
    except ArgumentError:
        return None
    if database and database.startswith("file:"):  # a URI filename (?uri=true): the path follows
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database) if database and database != ":memory:" else None


def _driver_message(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error.__class__.__name__)
    return " ".join(text.split())


def explain_storage_error(error: SQLAlchemyError, url: str) -> str:
    """One line for a database failure, naming the setting, the (masked) URL, the cause and the fix."""
    shown = mask_url(url)
    message = _driver_message(error)
    lowered = message.lower()
    where = f"{DATABASE_SETTING}={shown}"
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if "readonly" in lowered or "read-only" in lowered:
            return (
                f"{where}: the SQLite file {path} is read-only (or on a read-only file system); "
                "make it and its directory writable by the bot, or point the URL elsewhere"
            )
        if "unable to open" in lowered and path is not None and not path.parent.is_dir():
            return (
                f"{where}: the directory {path.parent} does not exist; create it or point the URL at a "
                "directory that does"
            )
        if "unable to open" in lowered:
            return f"{where}: cannot open the SQLite file {path}; check the path and its permissions"
        if "disk i/o" in lowered or "no such table" in lowered:
            return f"{where}: the SQLite file {path} is damaged or was removed while running ({message})"
        return f"{where}: SQLite failed: {message}"
    role = re.search(r'role "([^"]+)" does not exist', message)
    if role:
        return (
            f"{where}: PostgreSQL has no role {role.group(1)!r}; create it (createuser {role.group(1)}) "
            "or put an existing user in the URL"
        )
    database = re.search(r'database "([^"]+)" does not exist', message)
    if database:
        return (
            f"{where}: PostgreSQL has no database {database.group(1)!r}; create it (createdb) or fix the URL"
        )
    if "connection refused" in lowered or "is the server running" in lowered:
        return f"{where}: nothing answers at that host and port; start PostgreSQL or fix the host/port in the URL"
    if "password authentication failed" in lowered:
        return f"{where}: PostgreSQL refused the password; fix the credentials in the URL"
    if "timeout" in lowered or "timed out" in lowered:
        return f"{where}: PostgreSQL did not answer in time; check the host and the network"
    return f"{where}: the database failed: {message}"


def explain_os_error(error: OSError, what: str) -> str:
    reason = error.strerror or type(error).__name__
    target = error.filename or ""
    return f"cannot {what} {target}: {reason}".replace("  ", " ")
