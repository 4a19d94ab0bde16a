"""The long-running scheduler: a thin adapter over APScheduler 3.x.

Jobs live in code and in memory (APScheduler must not share a job store between processes); real state is
in the ledger. Two jobs per forum:
- ``cycle``: sync, plan and dispatch every ``sync_interval_minutes`` (and once at start);
- ``dispatch``: armed for the outbox's next due time, re-armed after every run, so a reminder goes out
  within seconds of its moment instead of at the next sync.
Both use ``coalesce=True`` and ``max_instances=1``. SIGTERM and SIGINT stop the scheduler cleanly: the
running job finishes, nothing new starts.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from cotechbot.diagnosis import explain_storage_error
from cotechbot.ledger import LedgerLost
from cotechbot.settings import Settings
from cotechbot.web.trigger import CycleTrigger
from cotechbot.worker import Worker

log = structlog.get_logger(__name__)
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}


class BotScheduler:
    def __init__(
        self, worker: Worker, settings: Settings, *, on_cycle: Callable[[float], None] | None = None
    ) -> None:
        self.worker = worker
        self.settings = settings
        self.on_cycle = on_cycle
        # Scheduled and webhook-triggered cycles never overlap: whichever comes second waits.
        self._cycle_lock = threading.Lock()
        self._storage_failing: str | None = None
        self.scheduler = BackgroundScheduler(timezone=settings.zone, job_defaults=JOB_DEFAULTS)
        self._arm_lock = threading.Lock()
        self._stopping = False
        self.fatal: BaseException | None = None  # set when the bot must stop (its ledger is gone)

    def start(self) -> None:
        self.scheduler.add_job(
            self._cycle,
            IntervalTrigger(minutes=self.settings.sync_interval_minutes),
            id="cycle",
            name="sync, plan and dispatch",
            next_run_time=datetime.now(UTC),
        )
        self.scheduler.start()
        log.info(
            "scheduler started",
            forum=self.settings.forum_name,
            sync_interval_minutes=self.settings.sync_interval_minutes,
        )

    def shutdown(self) -> None:
        # APScheduler holds its job-store lock while it waits for running jobs, and our jobs re-arm the
        # dispatch job as they end: stop re-arming first, and let an arming in progress finish.
        self._stopping = True
        with self._arm_lock:
            pass
        self.scheduler.shutdown(wait=True)
        log.info("scheduler stopped", forum=self.settings.forum_name)

    def _cycle(self) -> None:
        started = time.monotonic()
        try:
            with self._cycle_lock:
                self.worker.cycle()
        except LedgerLost as error:
            self._fail(error)
        except SQLAlchemyError as error:
            # One clear line per outage, not a traceback every cycle.
            if self._storage_failing is None:
                log.error(
                    "storage is failing; cycles are skipped until it answers again",
                    reason=explain_storage_error(error, self.settings.database_url),
                )
            self._storage_failing = str(error.__class__.__name__)
        except Exception:
            log.exception("cycle failed; the next one runs as scheduled")
        else:
            if self._storage_failing is not None:
                log.warning("storage answers again; cycles resume", was=self._storage_failing)
                self._storage_failing = None
        finally:
            if self.on_cycle is not None:
                self.on_cycle(time.monotonic() - started)
            self.arm_dispatch()

    def cycle_now(self) -> None:
        """One cycle right away (a webhook asked); safe to call from any thread."""
        self._cycle()

    def _fail(self, error: BaseException) -> None:
        """Stop the bot: carrying on could only post everything again."""
        log.critical("the bot stops", reason=str(error))
        self.fatal = error
        self._stopping = True

    def _dispatch(self) -> None:
        try:
            self.worker.dispatch()
        except LedgerLost as error:
            self._fail(error)
        except Exception:
            log.exception("dispatch failed; it will be tried again")
        finally:
            self.arm_dispatch()

    def arm_dispatch(self) -> datetime | None:
        """Schedule the dispatch job for the next due action (or clear it when nothing is pending)."""
        with self._arm_lock:
            if self._stopping:
                return None
            due = self.worker.ledger.next_due_at(self.settings.forum_name)
            if due is None:
                if self.scheduler.get_job("dispatch"):
                    self.scheduler.remove_job("dispatch")
                return None
            # Something already overdue (a retry, or another worker leads) is tried again a second later,
            # not in a tight loop.
            now = datetime.now(UTC)
            run_at = due if due > now else now + timedelta(seconds=1)
            self.scheduler.add_job(
                self._dispatch,
                DateTrigger(run_date=run_at),
                id="dispatch",
                name="dispatch due actions",
                replace_existing=True,
            )
            return run_at


def run_forever(worker: Worker, settings: Settings) -> None:
    """Run until SIGTERM or SIGINT."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.info("stop requested", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    face = HttpFaceRunner(worker, settings) if settings.http_port else None
    bot = BotScheduler(worker, settings, on_cycle=face.metrics.observe_cycle if face else None)
    bot.start()
    if face is not None:
        face.start(bot)
    try:
        while not stop.wait(timeout=1.0) and bot.fatal is None:
            pass
    finally:
        if face is not None:
            face.stop()
        bot.shutdown()
    if bot.fatal is not None:
        raise bot.fatal


class HttpFaceRunner:
    """The HTTP face beside the scheduler: webhooks poke a coalescing trigger that runs ``cycle_now``."""

    def __init__(self, worker: Worker, settings: Settings) -> None:
        from cotechbot.web.metrics import Metrics

        self.worker = worker
        self.settings = settings
        self.metrics = Metrics(worker.ledger, settings.forum_name)
        # The adapter itself, also when a dry run wraps it.
        adapter = getattr(worker.forum, "inner", worker.forum)
        observe = getattr(adapter, "response_observers", None)
        if isinstance(observe, list):
            observe.append(self.metrics.observe_request)
        self.trigger: CycleTrigger | None = None
        self.server: Any = None

    def start(self, bot: BotScheduler) -> None:
        from cotechbot.web.face import build_face
        from cotechbot.web.server import BackgroundServer

        self.trigger = CycleTrigger(bot.cycle_now)
        self.trigger.start()
        app = build_face(
            settings=self.settings,
            ledger=self.worker.ledger,
            clock=self.worker.clock,
            metrics=self.metrics,
            request_cycle=self.trigger.poke,
            leading=lambda: self.worker.leading,
        )
        assert self.settings.http_port is not None
        self.server = BackgroundServer(app, self.settings.http_host, self.settings.http_port).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        if self.trigger is not None:
            self.trigger.stop()
