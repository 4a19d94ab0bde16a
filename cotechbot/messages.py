"""Message templates: markdown written with jinja2, shipped in ``cotechbot/templates/`` and overridable by
files of the same name in ``config/templates/`` (or the folder in ``COTECHBOT_TEMPLATES_DIR``).

Everything a forum user wrote passes through ``no_ping`` or ``inline`` before it lands in a message, so the
bot never @-mentions people by quoting them and never lets a title break the message's markdown.
Each rendered message ends with an HTML comment carrying its outbox key: Discourse keeps it in the raw
text and hides it from readers, and it lets the dispatcher recognise its own post after a crash.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_OVERRIDES = Path("config/templates")
_MENTION = re.compile(r"(?<![\w`])@(?=[\w.-]{1,60})")
_MARKDOWN_BREAKERS = re.compile(r"[\[\]<>*_`#|\\]")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def key_marker(key: str) -> str:
    """The invisible line that names the outbox key inside a post's raw text."""
    return f"<!-- cotechbot:{key.replace('--', '-')} -->"


def no_ping(text: Any) -> str:
    """Drop the @ of mentions and any HTML comments from text a user wrote."""
    return _MENTION.sub("", _COMMENT.sub("", str(text)))


def inline(text: Any, limit: int = 200) -> str:
    """User text made safe to put inside one line of markdown: no mentions, markup or newlines."""
    flat = " ".join(no_ping(text).split())
    flat = _MARKDOWN_BREAKERS.sub("", flat)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def local_time(value: datetime | date, zone: str = "Europe/London", with_utc: bool = True) -> str:
    """Render an instant in the forum's zone, e.g. 'Tuesday 2 July 2024, 15:00 BST (14:00 UTC)'."""
    if not isinstance(value, datetime):
        return f"{value:%A} {value.day} {value:%B %Y}"
    local = value.astimezone(ZoneInfo(zone))
    text = f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {local.tzname()}"
    if with_utc and local.utcoffset():
        text += f" ({value.astimezone(ZoneInfo('UTC')):%H:%M} UTC)"
    return text


def discourse_date(value: datetime, zone: str = "Europe/London") -> str:
    """Discourse's local-dates markup for an instant: each reader sees it in their own time zone."""
    local = value.astimezone(ZoneInfo(zone))
    return f'[date={local:%Y-%m-%d} time={local:%H:%M:%S} timezone="{zone}"]'


def _template_dirs() -> list[Path]:
    override = Path(os.environ.get("COTECHBOT_TEMPLATES_DIR", DEFAULT_OVERRIDES))
    return [override, PACKAGE_TEMPLATES] if override.is_dir() else [PACKAGE_TEMPLATES]


@cache
def _environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=False,  # the output is markdown; user text is cleaned by the filters instead
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        no_ping=no_ping, inline=inline, local_time=local_time, discourse_date=discourse_date
    )
    return environment


def render(template: str, *, key: str, **context: Any) -> str:
    """Render ``template`` (e.g. ``event_reminder.md``) and append the key marker."""
    body = _environment(tuple(_template_dirs())).get_template(template).render(**context).strip()
    return f"{body}\n\n{key_marker(key)}"
