"""``assert_no_mention``: read a bot message the way Discourse would and fail if it could notify anyone.

Discourse turns an @ directly followed by a username character into a mention, in text outside code and
links, after decoding entities; raw HTML in a post can carry its own ``<a class="mention">``. The check
parses the markdown (markdown-it, CommonMark as Discourse uses), then looks again at the whole text with
entities decoded, compatibility forms folded (NFKC: "＠" is "@") and every markdown character removed, so a
mention that appears only once markup is stripped (`` `@admins``, ``@*admins*``, ``@[admins]``) is caught too.
"""

from __future__ import annotations

import html
import re
import unicodedata

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": True})
_AT_WORD = re.compile(r"@(?=\w)")
_MARKDOWN_CHARACTERS = re.compile(r"[\\`*_~\[\]()#|>!]")
_BOT_MARKER = re.compile(r"^\s*<!-- cotechbot:[^\s<>]*? -->\s*$")


def mentions_in(text: str) -> list[str]:
    """Every way ``text`` could mention someone on Discourse (empty when it cannot)."""
    found: list[str] = []
    for block in _PARSER.parse(text):
        if block.type == "html_block" and not _BOT_MARKER.match(block.content):
            found.append(f"raw HTML block {block.content!r}")
        for token in block.children or ():
            if token.type == "html_inline" and not _BOT_MARKER.match(token.content):
                found.append(f"raw HTML {token.content!r}")
            if token.type == "text" and _AT_WORD.search(unicodedata.normalize("NFKC", token.content)):
                found.append(f"mention in text {token.content!r}")
    flattened = _MARKDOWN_CHARACTERS.sub("", unicodedata.normalize("NFKC", html.unescape(text)))
    found.extend(f"mention once markup is stripped: {m.group()!r}" for m in re.finditer(r"@\w+", flattened))
    return found


def assert_no_mention(text: str) -> None:
    found = mentions_in(text)
    assert not found, f"{found} in {text!r}"
