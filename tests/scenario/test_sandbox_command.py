"""`cotechbot sandbox` serves the sandbox forum alone and prints what points the bot at it; `check` and
`once --dry-run` then work against it by hand, as the README says."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

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
