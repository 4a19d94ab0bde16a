"""`cotechbot sandbox` serves the sandbox forum alone and prints what points the bot at it; `check` and
`once --dry-run` then work against it by hand, as the README says."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from cotechbot.demo import serve_sandbox
from cotechbot.web.signature import signature_matches
from tests.unit.test_cli import run_cli


def test_check_and_once_work_against_cotechbot_sandbox(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a free port, to prove --port is honoured
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COTECHBOT_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "cotechbot.cli", "sandbox", "--port", str(port)],
        cwd=tmp_path,
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline().strip() for _ in range(3)]
        settings = dict(line.split("=", 1) for line in lines)
        assert set(settings) == {
            "COTECHBOT_DISCOURSE_URL",
            "COTECHBOT_DISCOURSE_API_KEY",
            "COTECHBOT_DISCOURSE_API_USERNAME",
        }
        assert settings["COTECHBOT_DISCOURSE_URL"].rstrip("/").endswith(f":{port}")
        settings["COTECHBOT_DATABASE_URL"] = f"sqlite:///{tmp_path}/state.db"

        check = run_cli("check", cwd=tmp_path, env=settings)
        once = run_cli("once", "--dry-run", cwd=tmp_path, env=settings)

        assert check.returncode == 0, check.stderr
        assert "forum: ok" in check.stdout
        assert once.returncode == 0, once.stderr
        assert "topics planned:" in once.stdout
        # What a dry run would post is readable on stdout: where, and the message as members would see it.
        assert "message(s) due now would be posted (nothing was sent)" in once.stdout
        assert "· a reply in “Video call about the memorandum of understanding" in once.stdout
        assert "A quick look at the dates in this poll" in once.stdout and "<!--" not in once.stdout
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0


def test_with_a_webhook_port_the_sandbox_signs_and_sends_what_members_post() -> None:
    """`cotechbot sandbox --webhook-port N` prints the bot's HTTP settings and sends signed webhooks there."""
    received: list[tuple[dict[str, str], bytes]] = []

    def app(environ, start_response):
        request = Request(environ)
        received.append((dict(request.headers), request.get_data()))
        return Response("{}", content_type="application/json")(environ, start_response)

    receiver = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=lambda: receiver.serve_forever(poll_interval=0.02), daemon=True).start()
    out, stop = io.StringIO(), threading.Event()
    serving = threading.Thread(
        target=serve_sandbox, kwargs={"out": out, "stop": stop, "webhook_port": receiver.server_port}
    )
    serving.start()
    try:
        while out.getvalue().count("\n") < 5 and serving.is_alive():
            serving.join(timeout=0.05)
        settings = dict(line.split("=", 1) for line in out.getvalue().splitlines())
        assert settings["COTECHBOT_HTTP_PORT"] == str(receiver.server_port)
        secret = settings["COTECHBOT_WEBHOOK_SECRET"]
        posted = requests.post(
            f"{settings['COTECHBOT_DISCOURSE_URL']}/posts.json",
            headers={"Api-Key": settings["COTECHBOT_DISCOURSE_API_KEY"], "Api-Username": "ada"},
            json={"title": "A topic posted by hand", "raw": "Enough words to be a valid first post."},
            timeout=10,
        )
        assert posted.status_code == 200
        for _ in range(600):  # at most 30 s: the sender has no reason to be slower than milliseconds
            if len(received) >= 2:
                break
            serving.join(timeout=0.05)
    finally:
        stop.set()
        serving.join(timeout=30)
        receiver.shutdown()
    assert [headers["X-Discourse-Event"] for headers, _ in received] == ["topic_created", "post_created"]
    for headers, body in received:
        assert signature_matches(secret.encode(), body, headers["X-Discourse-Event-Signature"])
