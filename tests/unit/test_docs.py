"""The documents name what the code has: every path, class and function docs/adding-a-capability.md cites
exists, and the README lists every command, capability and settings section the code has."""

from __future__ import annotations

import argparse
import re

from pydantic import BaseModel

from cotechbot.capabilities.registry import REGISTRY
from cotechbot.cli import build_parser
from cotechbot.settings import Settings
from tests.conftest import REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "adding-a-capability.md"
README = REPO_ROOT / "README.md"


def _code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def _package_source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in (REPO_ROOT / "cotechbot").rglob("*.py"))


def test_every_path_the_guide_names_exists() -> None:
    paths = {
        span.split()[0].replace("<name>", "events")
        for span in _code_spans(GUIDE.read_text(encoding="utf-8"))
        if re.match(r"(cotechbot|tests|config|docs)/", span)
    }

    assert paths, "the guide names no path"
    assert sorted(path for path in paths if not (REPO_ROOT / path).exists()) == []


def test_every_class_function_and_field_the_guide_names_is_defined() -> None:
    """A bare name (`Plan`, `Trigger.TOPICS`, `detect_events(posts, …)`, `post_switches`) must be defined in
    the package: a class, a function, a field, a constant, a keyword or a string (an action kind)."""
    source = _package_source()
    names = set()
    for span in _code_spans(GUIDE.read_text(encoding="utf-8")):
        match = re.fullmatch(r"([A-Za-z_][\w.]*)(\(.*\))?", span)
        if match and not re.match(r"cotechbot\.|COTECHBOT_|\w+\.(py|toml|md)$", span):  # not a path or env
            names.add(match.group(1).rsplit(".", 1)[-1])

    assert {"Plan", "Facts", "Need", "detect_events"} <= names
    defined = set(re.findall(r"(?:class|def)\s+(\w+)|(\w+)\s*(?::\s*\S|=)|\"(\w+)\"", source))
    undefined = sorted(names - {name for group in defined for name in group})
    assert undefined == []


def test_the_readme_lists_every_command_and_only_those() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    listed = set(re.findall(r"^\| `cotechbot ([a-z]+)", README.read_text(encoding="utf-8"), re.M))

    assert listed == set(commands.choices)


def test_the_readme_names_every_capability_and_settings_section() -> None:
    text = README.read_text(encoding="utf-8")
    sections = [
        name
        for name, field in Settings.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
    ]

    assert {name for name, _factory in REGISTRY} <= set(sections)
    assert [name for name in sections if f"`[{name}]`" not in text] == []
