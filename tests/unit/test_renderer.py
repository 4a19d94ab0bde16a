"""Capabilities render their messages with the renderer they are handed (issue 10): the shell builds it from
the settings (bundled templates, the operator's overrides by name), and no capability loads a template file
or reads the environment itself."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cotechbot.capabilities.base import Facts
from cotechbot.capabilities.registry import build_capabilities, renderer_for
from cotechbot.messages import TemplateRenderer, key_marker, render
from cotechbot.models import EventFact, Post, Topic
from cotechbot.settings import Settings
from tests.conftest import REPO_ROOT

POSTED = datetime(2024, 6, 24, 11, 0, tzinfo=UTC)
CALL = "We are going to have a call at 3pm on Tuesday 2nd July: https://meet.jit.si/coop"
FACT = EventFact(
    topic_id=1, post_id=2, title="Members call", start=datetime(2024, 7, 2, 14, tzinfo=UTC), origin="prose"
)
# What a capability may not do to get at its templates: open files, walk folders, read the environment, or
# build its own jinja environment or renderer.
FORBIDDEN_MODULES = {"os", "pathlib", "jinja2", "importlib.resources"}
FORBIDDEN_NAMES = {"render", "TemplateRenderer", "renderer_for", "PACKAGE_TEMPLATES", "_environment"}
SHELL_SIDE = {"registry.py"}  # where the settings become the renderer every capability is handed


def _capability_modules() -> list[Path]:
    folder = REPO_ROOT / "cotechbot" / "capabilities"
    return [path for path in sorted(folder.rglob("*.py")) if path.name not in SHELL_SIDE]


def test_no_capability_loads_templates_or_reads_the_environment() -> None:
    found = []
    for path in _capability_modules():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            where = f"{path.relative_to(REPO_ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Import):
                found += [f"{where} import {a.name}" for a in node.names if a.name in FORBIDDEN_MODULES]
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module in FORBIDDEN_MODULES:
                    found.append(f"{where} from {node.module}")
                if node.module == "cotechbot.messages":
                    found += [f"{where} imports {a.name}" for a in node.names if a.name in FORBIDDEN_NAMES]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                found.append(f"{where} open()")
    assert not found, "\n".join(found)


class Recording:
    """A renderer that remembers what it was asked to render."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, template: str, *, key: str, **context: Any) -> str:
        self.calls.append((template, key))
        return f"rendered {template}\n\n{key_marker(key)}"


def test_every_capability_renders_with_the_renderer_it_is_handed() -> None:
    recording = Recording()
    settings = Settings(
        forum_name="cotech", discourse_url="https://forum.example.coop", membership={"enabled": True}
    )
    capabilities = {c.name: c for c in build_capabilities(settings, render=recording)}
    post = Post(id=2, topic_id=1, post_number=1, raw=CALL, created_at=POSTED, username="chris")
    facts = Facts(
        forum="cotech",
        zone="Europe/London",
        base_url="https://forum.example.coop",
        topics={1: Topic(id=1, title="Members call")},
        posts={1: [post]},
        topic_ids=[1],
    )

    plan = capabilities["events"].plan(facts, POSTED)

    assert [a.payload["raw"] for a in plan.actions] == [
        "rendered event_reminder.md\n\n" + key_marker(k) for k in (a.key for a in plan.actions)
    ]
    assert recording.calls == [("event_reminder.md", a.key) for a in plan.actions] and plan.actions
    assert capabilities["polls"].rules.render is recording
    assert capabilities["membership"].render is recording
    digest = capabilities["digest"]
    assert digest.render is recording and all(s.rules.render is recording for s in digest.event_sources)


def test_the_operators_templates_replace_the_bundled_ones_by_name(tmp_path: Path, monkeypatch) -> None:
    overrides = tmp_path / "mine"
    overrides.mkdir()
    (overrides / "event_reminder.md").write_text("Our own words about {{ fact.title }}")
    monkeypatch.setenv("COTECHBOT_TEMPLATES_DIR", str(overrides))
    settings = Settings()
    assert settings.templates_dir == overrides
    context = dict(fact=FACT, zone="Europe/London", lead="tomorrow", announcement="https://x.example/t/1/1")

    ours = renderer_for(settings)("event_reminder.md", key="k", **context)
    theirs = renderer_for(settings)("event_time_changed.md", key="k", was=FACT.start, **context)

    assert ours == f"Our own words about Members call\n\n{key_marker('k')}"
    assert "Members call" in theirs and "Our own words" not in theirs  # not overridden: the bundled one


def test_rendering_the_bundled_templates_reads_no_setting_and_no_folder(tmp_path: Path, monkeypatch) -> None:
    """``render`` (tests and tools) and a renderer without overrides ignore the environment and the working
    directory: only the renderer the shell builds from the settings applies the operator's templates."""
    local = tmp_path / "config" / "templates"
    local.mkdir(parents=True)
    (local / "event_reminder.md").write_text("overridden")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COTECHBOT_TEMPLATES_DIR", str(local))
    context = dict(fact=FACT, zone="Europe/London", lead="tomorrow", announcement="https://x.example/t/1/1")

    assert "overridden" not in render("event_reminder.md", key="k", **context)
    assert "overridden" not in TemplateRenderer()("event_reminder.md", key="k", **context)
    assert TemplateRenderer("config/templates")("event_reminder.md", key="k", **context).startswith(
        "overridden"
    )


@pytest.mark.parametrize("folder", [None, "no/such/folder"])
def test_a_missing_overrides_folder_means_the_bundled_templates(folder: str | None) -> None:
    raw = TemplateRenderer(folder)(
        "event_reminder.md", key="k", fact=FACT, zone="UTC", lead="soon", announcement="x"
    )
    assert "Members call" in raw and raw.endswith(key_marker("k"))
