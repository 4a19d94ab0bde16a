"""Serving the HTTP face beside the scheduler, with waitress.

Why waitress: a production WSGI server in pure Python (no compiler, no C extension), maintained by the
Pylons project, that runs inside our process on its own threads — so the bot stays one process with one
ledger connection pool, and a slow client never blocks the scheduler. Work a webhook asks for happens on the
cycle trigger's thread after the answer is sent.
"""

from __future__ import annotations

import threading
from typing import Any

import structlog
from waitress.server import create_server

log = structlog.get_logger(__name__)


class BackgroundServer:
    def __init__(self, app: Any, host: str, port: int, threads: int = 4) -> None:
        self._server = create_server(app, host=host, port=port, threads=threads, ident="cotechbot")
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="http", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    @property
    def url(self) -> str:
        return f"http://{self._server.effective_host}:{self.port}"

    def start(self) -> BackgroundServer:
        self._thread.start()
        log.info("http face listening", url=self.url)
        return self

    def _serve(self) -> None:
        # waitress's own run() loops until its sockets close, and closing them from another thread makes
        # the loop fail; so the loop runs in short turns here and the server is closed on this thread.
        server = self._server
        while not self._stopping.is_set():
            server.asyncore.loop(timeout=0.1, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        server.close()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)
