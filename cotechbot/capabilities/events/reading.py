"""What a post says, read from its cooked HTML with a real parser (BeautifulSoup).

Only what the author says in their own words can announce a gathering: quotes of other posts
(``aside.quote``, ``blockquote``), code in any form (``pre`` and ``code``: fenced with backticks or tildes,
or indented four spaces — Discourse cooks them all the same way), poll blocks (``div.poll``: the polls
capability reads those), calendar events (``div.discourse-post-event``: read from the post's event) and HTML
comments (the bot's own markers) are dropped before anything is read.

Local dates (``span.discourse-local-date``) come back as ``[date=…]`` tags, the form the date reader and
``_MARKUP`` know, rebuilt only from well-formed ``data-*`` attributes. Each block element starts a new line,
so a sentence never runs from one paragraph into the next.

A post that arrives without cooked HTML (only ``raw``) is cooked here first with markdown-it (CommonMark,
the parser Discourse builds on), with the BBCode blocks Discourse adds (``[quote]``, ``[poll]``,
``[event]``, ``[details]``) removed beforehand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, CData, Comment, NavigableString, PageElement, Tag
from markdown_it import MarkdownIt

from cotechbot.models import Post

_SILENT = (
    "aside.quote, blockquote, pre, code, div.poll, div.discourse-post-event, script, style, template, "
    "svg, math, iframe, object, noscript"
)
_BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "hr"}
    | {"aside", "details", "summary", "section", "article", "header", "footer", "dd", "dt", "dl"}
)
_BBCODE_BLOCKS = re.compile(
    r"\[(quote|poll|event|details)\b[^\]]*\].*?\[/\1\]", re.IGNORECASE | re.DOTALL
)  # lazy, non-nested: a pathological post costs linear time, never a backtracking blow-up
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
_ZONE_NAME = re.compile(r"^[A-Za-z][\w+/-]{0,63}$")
_MARKDOWN = MarkdownIt("commonmark", {"html": True})


@dataclass(frozen=True)
class PostReading:
    """A post's own words, one block per line, and the links it gives, in order."""

    text: str
    links: tuple[str, ...]


def read_post(post: Post) -> PostReading:
    """What ``post`` says in its own words (see the module docstring for what is left out)."""
    html = post.cooked or _cook(post.raw or "")
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for silent in soup.select(_SILENT):
        silent.decompose()
    links = tuple(
        str(a["href"])
        for a in soup.find_all("a", href=True)
        if isinstance(a, Tag) and not {"mention", "mention-group", "hashtag"} & set(a.get("class") or ())
    )
    for span in soup.select("span.discourse-local-date"):
        span.replace_with(_date_tag(span))
    lines = (" ".join(line.split()) for line in _text_by_block(soup).splitlines())
    return PostReading(text="\n".join(line for line in lines if line), links=links)


def _text_by_block(root: Tag) -> str:
    """The text of ``root`` with a line break around every block element and at every ``<br>``, in one walk
    (inserting break nodes into the tree costs a scan of the siblings each: quadratic in a long post). An
    explicit stack, so a deeply nested post cannot exhaust the recursion limit."""
    parts: list[str] = []
    stack: list[PageElement | None] = [root]
    while stack:
        node = stack.pop()
        if node is None or (isinstance(node, Tag) and node.name == "br"):
            parts.append("\n")  # the end of a block, or a line break
        elif isinstance(node, Tag):
            if node.name in _BLOCKS:
                parts.append("\n")
                stack.append(None)
            stack.extend(reversed(node.contents))
        elif type(node) in (NavigableString, CData):
            parts.append(str(node))
    return "".join(parts)


def _cook(raw: str) -> str:
    return _MARKDOWN.render(_BBCODE_BLOCKS.sub("\n", raw))


def _date_tag(span: Tag) -> str:
    """A local-date span as the ``[date=…]`` tag it was written as; malformed attributes are left out, and a
    span without a well-formed date reads as nothing."""
    day = str(span.get("data-date") or "")
    if not _ISO_DAY.match(day):
        return " "
    parts = [f"[date={day}"]
    clock = str(span.get("data-time") or "")
    if _CLOCK.match(clock):
        parts.append(f"time={clock}")
    zone = str(span.get("data-timezone") or "")
    if _ZONE_NAME.match(zone):
        parts.append(f'timezone="{zone}"')
    return " " + " ".join(parts) + "] "
