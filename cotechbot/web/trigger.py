"""Coalescing "run a cycle now" requests: a burst of webhooks becomes one or two cycles, never two at once.

A single thread waits for a poke, clears it, then runs the cycle; pokes that arrive while it runs set the
flag again, so exactly one more cycle follows and sees everything they announced.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import structlog

log = structlog.get_logger(__name__)


class CycleTrigger:
    def __init__(self, run: Callable[[], object], name: str = "webhook-cycles") -> None:
        self._run = run
        self._name = name
        self._wanted = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._finished = threading.Condition()
        self.runs = 0
        self.pokes = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Ask for a cycle soon; returns at once."""
        self.pokes += 1
        self._wanted.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping = True
        self._wanted.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wait_for_runs(self, count: int, timeout: float) -> bool:
        """Block until at least ``count`` cycles have finished (for callers that must know work happened)."""
        with self._finished:
            return self._finished.wait_for(lambda: self.runs >= count, timeout)

    def _loop(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopping:
                return
            self._wanted.clear()
            try:
                self._run()
            except Exception:
                log.exception("a triggered cycle failed; polling carries on")
            with self._finished:
                self.runs += 1
                self._finished.notify_all()
