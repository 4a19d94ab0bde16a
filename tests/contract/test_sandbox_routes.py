"""The sandbox's URL map: werkzeug rules per resource, and `*_routes.py` modules that add endpoints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import cotechbot.sandbox
from cotechbot.sandbox.discourse import FakeDiscourse
from cotechbot.sandbox.discourse.routes import all_routes, extension_modules
from tests.contract.sandbox_support import BOT, KEY, session

EXTENSION = """
from cotechbot.sandbox.discourse.replies import ok
from cotechbot.sandbox.discourse.routes import Route


def echo(forum, req, word):
    return ok({"word": word, "viewer": req.viewer.username, "topics": forum.topic_count})


ROUTES = [Route("GET", "/sandbox-echo/<word>", echo)]
"""


@pytest.fixture
def extension(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A throwaway ``echo_routes.py`` made visible inside the cotechbot.sandbox package."""
    (tmp_path / "echo_routes.py").write_text(EXTENSION)
    monkeypatch.setattr(cotechbot.sandbox, "__path__", [*cotechbot.sandbox.__path__, str(tmp_path)])
    all_routes.cache_clear()
    yield
    all_routes.cache_clear()
    sys.modules.pop("cotechbot.sandbox.echo_routes", None)


def test_a_routes_module_adds_an_endpoint_without_touching_the_core(extension):
    """A `*_routes.py` module's ROUTES are served, behind the same authentication as the core routes."""
    assert "cotechbot.sandbox.echo_routes" in extension_modules()
    with FakeDiscourse.running(api_key=KEY, api_username=BOT) as forum:
        reply = session(forum).get(f"{forum.url}/sandbox-echo/hello.json")
        assert reply.status_code == 200
        assert reply.json() == {"word": "hello", "viewer": BOT, "topics": 0}
        assert session(forum, key="wrong").get(f"{forum.url}/sandbox-echo/hello.json").status_code == 403
        assert forum.requests[0].route is None  # no contract name: not validated


def test_without_the_module_the_path_is_unknown():
    with FakeDiscourse.running(api_key=KEY, api_username=BOT) as forum:
        assert session(forum).get(f"{forum.url}/sandbox-echo/hello.json").status_code == 404


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/t/5/3", "topics.show"),
        ("/t/some-slug/5", "topics.show"),
        ("/t/5/posts", "topics.posts"),
        ("/c/parent/child/7/none", "categories.topics"),
        ("/users/ada", "users.show"),
        ("/groups/7/handle_membership_request", None),  # PUT only
    ],
)
def test_paths_reach_the_routes_discourse_gives_them(path, route):
    forum = FakeDiscourse(api_key=KEY, api_username=BOT)
    found = forum.router.match("GET", path)
    assert (found[0].name if found else None) == route
