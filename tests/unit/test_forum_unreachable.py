"""When the forum can't be reached, the error names the URL tried (credentials masked) and why: refused,
DNS, TLS or timeout — not just "ConnectionError". Real sockets on 127.0.0.1; only DNS is stubbed."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from cotechbot.errors import ForumUnavailable
from cotechbot.forum.discourse import DiscourseForum
from tests.unit.test_cli import run_cli


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def reach(host: str, timeout: float = 5.0) -> str:
    forum = DiscourseForum(host, "cotechbot", "secret-key", name="cotech", timeout=timeout)
    with pytest.raises(ForumUnavailable) as failure:
        forum.check()
    return str(failure.value)


@pytest.fixture
def plain_http_port() -> Iterator[int]:
    class Hello(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's spelling)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def test_a_refused_connection_names_the_url_and_says_refused() -> None:
    port = closed_port()

    message = reach(f"http://127.0.0.1:{port}")

    assert f"http://127.0.0.1:{port}/users/cotechbot.json" in message
    assert f"connection refused at 127.0.0.1:{port}" in message
    assert "ConnectionError" not in message


def test_an_unknown_host_is_a_dns_failure(monkeypatch) -> None:
    def no_such_host(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)

    message = reach("https://forum.coops.example")

    assert "https://forum.coops.example/users/cotechbot.json" in message
    assert "DNS lookup failed: no such host 'forum.coops.example'" in message


def test_https_to_a_plain_http_server_is_a_tls_failure(plain_http_port: int) -> None:
    message = reach(f"https://127.0.0.1:{plain_http_port}")

    assert "TLS failed" in message and "scheme" in message


def test_a_forum_that_never_answers_is_a_timeout(silent_port: int) -> None:
    message = reach(f"http://127.0.0.1:{silent_port}", timeout=0.2)

    assert f"http://127.0.0.1:{silent_port}/users/cotechbot.json" in message
    assert "timed out: no answer within 0.2s" in message


def test_check_shows_the_url_tried_with_its_password_masked(tmp_path: Path) -> None:
    port = closed_port()
    env = {
        "COTECHBOT_DISCOURSE_URL": f"http://bot:hunter2-password@127.0.0.1:{port}",
        "COTECHBOT_DISCOURSE_API_KEY": "k",
        "COTECHBOT_DATABASE_URL": f"sqlite:///{tmp_path}/s.db",
    }

    result = run_cli("check", cwd=tmp_path, env=env)

    assert result.returncode == 1
    assert "hunter2-password" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    failed = next(line for line in result.stderr.splitlines() if line.startswith("forum: FAILED"))
    assert f"http://bot:***@127.0.0.1:{port}/users/" in failed
    assert "connection refused" in failed
