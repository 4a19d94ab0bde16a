"""Message templates: markdown written with jinja2, shipped in ``cotechbot/templates/`` and overridable by
files of the same name in the ``templates_dir`` setting (``config/templates/``, ``COTECHBOT_TEMPLATES_DIR``).

Capabilities never load templates or read the environment: the shell builds one ``TemplateRenderer`` from
the settings and the registry hands it to every capability (a ``Renderer`` is any callable with its
signature). ``render`` renders the bundled templates alone, for tests and tools.

Everything a forum user wrote passes through ``mention_safe`` last before it lands in a message (templates
apply it to every ``{{ … }}`` they print, after the filters), so the bot never @-mentions people by quoting
them; ``inline`` also keeps a title from breaking the message's markdown. The only deliberate mentions are
the usernames a capability passes through the ``mention_list`` filter.
Each rendered message ends with an HTML comment carrying its outbox key: Discourse keeps it in the raw
text and hides it from readers, and it lets the dispatcher recognise its own post after a crash.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
_MARKDOWN_BREAKERS = re.compile(r"[\[\]<>*_`#|\\]")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# Word joiner (U+2060): zero-width, invisible, not whitespace and not a username character, so "@\u2060admins"
# reads as "@admins" but Discourse's mention rule (an @ directly followed by a username character) can never
# match it, whatever markdown is around it or stripped from it. A look-alike glyph would change what people
# read and copy; a backslash escape or code span is undone or broken by the markdown around it.
MENTION_BLOCKER = "\u2060"
# Every character whose NFKC form is "@", "<" or "&" (full-width and small forms): an @ starts a mention, a
# "<" starts raw HTML (an ``<a class="mention">`` or a comment forging the bot's marker), an "&" starts an
# entity such as ``&commat;`` that Discourse decodes to "@" before it looks for mentions.
_AT_OR_TAG = re.compile("([@\ufe6b\uff20<\ufe64\uff1c])(?!\u2060)")
_ENTITY_START = re.compile("([&\ufe60\uff06])(?=#?[0-9A-Za-z]{1,32};)")
_USERNAME = re.compile(r"^[\w.-]{1,60}$")
_MAX_URL = 2000
# scheme, a host of letters, digits, dots and hyphens, an optional port, then only URL characters that carry
# no markup: not whitespace, quotes, backticks, angle brackets, @, backslashes or braces
_STRICT_URL = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::\d{1,5})?(?:[/?#][\w\-.~%!$&()*+,;=:/?#\[\]]*)?",
    re.ASCII,
)
_ENTITY_LIKE = re.compile(r"&#?\w+;")


def key_marker(key: str) -> str:
    """The invisible line that names the outbox key inside a post's raw text.

    An HTML comment may not contain "--", so runs of dashes are percent-encoded (with "%" itself, "<", ">"
    and whitespace): distinct keys always give distinct markers, and keys without those characters read as
    before."""
    encoded = re.sub(r"[%<>\s]", _percent, key)
    encoded = re.sub(r"-{2,}", lambda m: "%2D" * len(m.group()), encoded)
    return f"<!-- cotechbot:{encoded} -->"


def _percent(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"%{code:02X}" if code < 0x80 else f"%u{code:06X}"  # fixed widths keep the encoding one-to-one


def ends_with_marker(raw: str | None, marker: str) -> bool:
    """Whether ``raw`` carries ``marker`` (a whole marker, or the text inside its comment) where the bot puts
    it: alone on its last line. A marker quoted or pasted anywhere else in a post does not count."""
    body = marker[5:-4] if marker.startswith("<!-- ") and marker.endswith(" -->") else marker
    lines = (raw or "").rstrip().splitlines()
    return bool(lines) and lines[-1].strip() == f"<!-- {body} -->"


def mention_safe(text: Any) -> str:
    """Text a user wrote, made unable to @-mention anyone or inject HTML however Discourse parses it.

    Apply it last, after any other cleaning: a word joiner goes after every @ and "<" (and the "&" of an
    entity), so no later step can reassemble a mention. Idempotent, and visible text is unchanged."""
    text = _ENTITY_START.sub("\\1" + MENTION_BLOCKER, str(text))
    return _AT_OR_TAG.sub("\\1" + MENTION_BLOCKER, text)


def no_ping(text: Any) -> str:
    """User text with HTML comments dropped, made mention-safe (the multi-line counterpart of ``inline``)."""
    return mention_safe(_COMMENT.sub("", str(text)))


def inline(text: Any, limit: int = 200) -> str:
    """User text made safe to put inside one line of markdown: no mentions, markup or newlines."""
    flat = " ".join(_COMMENT.sub("", str(text)).split())
    flat = _MARKDOWN_BREAKERS.sub("", flat)
    flat = flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
    return mention_safe(flat)


def strict_http_url(text: Any) -> str | None:
    """``text`` when it is one plain http(s) URL the bot may repeat, else None: no whitespace, no ``<``/``>``
    (markup, comments), no ``@`` (credentials, mentions), no quotes or backticks, no entities, a host name."""
    url = str(text or "").strip()
    if len(url) > _MAX_URL or not _STRICT_URL.fullmatch(url) or _ENTITY_LIKE.search(url):
        return None
    return url


def mention_list(usernames: Any) -> Markup:
    """The deliberate mentions a capability chose ("@alice, @bob"): only well-formed usernames survive."""
    names = [str(name).lstrip("@") for name in usernames]
    return Markup(", ".join(f"@{name}" for name in names if _USERNAME.match(name)))


def _finalize(value: Any) -> Any:
    """Every value a template prints is made mention-safe, unless a filter marked it deliberate."""
    if isinstance(value, Markup) or value is None or isinstance(value, int | float):
        return value
    return mention_safe(value)


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


@cache
def _environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=False,  # the output is markdown; user text is cleaned by the filters instead
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    environment.filters.update(
        no_ping=no_ping,
        inline=inline,
        mention_safe=mention_safe,
        mention_list=mention_list,
        local_time=local_time,
        discourse_date=discourse_date,
    )
    return environment


class Renderer(Protocol):
    """Renders a message template with its context and appends the key marker."""

    def __call__(self, template: str, *, key: str, **context: Any) -> str: ...


class TemplateRenderer:
    """The bundled templates, each replaced by a file of the same name in ``overrides`` when there is one."""

    def __init__(self, overrides: Path | str | None = None) -> None:
        # resolved now: a relative folder means the one in the working directory the renderer was built in
        # (and the cached jinja environment of one folder is never reused for another of the same name)
        folder = Path(overrides).resolve() if overrides is not None else None
        self.folders = (folder, PACKAGE_TEMPLATES) if folder and folder.is_dir() else (PACKAGE_TEMPLATES,)

    def __call__(self, template: str, *, key: str, **context: Any) -> str:
        """Render ``template`` (e.g. ``event_reminder.md``) and append the key marker."""
        body = _environment(self.folders).get_template(template).render(**context).strip()
        return f"{body}\n\n{key_marker(key)}"


BUNDLED = TemplateRenderer()


def render(template: str, *, key: str, **context: Any) -> str:
    """Render one of the bundled templates (no overrides): for tests and tools, never read from a setting."""
    return BUNDLED(template, key=key, **context)
