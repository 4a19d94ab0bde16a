"""``GET /metrics``: Prometheus text. Counters of this process (forum requests, 429s, cycle durations) and,
read from the ledger at scrape time, the outbox by kind and status and the due-to-posted latency."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client import Counter as CounterMetric
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from cotechbot.actions import Status
from cotechbot.ledger import Ledger

LATENCY_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)
_ID_SEGMENT = re.compile(r"/\d+(?=/|\.json|$)")


def endpoint_label(path: str) -> str:
    """``/t/12/posts.json?x`` → ``/t/:id/posts.json``: one label per endpoint, not per topic."""
    return _ID_SEGMENT.sub("/:id", path.split("?", 1)[0])


class OutboxCollector(Collector):
    def __init__(self, ledger: Ledger, forum: str) -> None:
        self.ledger = ledger
        self.forum = forum

    def collect(self) -> Iterator[GaugeMetricFamily | HistogramMetricFamily]:
        rows = self.ledger.actions(forum=self.forum)
        actions = GaugeMetricFamily(
            "cotechbot_actions", "Outbox actions by kind and status", labels=["forum", "kind", "status"]
        )
        for (kind, status), count in sorted(Counter((r.kind, str(r.status)) for r in rows).items()):
            actions.add_metric([self.forum, kind, status], count)
        yield actions
        delays = sorted(
            max(0.0, (r.sent_at - r.due_at).total_seconds())
            for r in rows
            if r.status == Status.SENT and r.sent_at is not None
        )
        buckets = [(str(bound), sum(1 for d in delays if d <= bound)) for bound in LATENCY_BUCKETS]
        buckets.append(("+Inf", len(delays)))
        latency = HistogramMetricFamily(
            "cotechbot_due_to_posted_seconds",
            "From an action's due time to its post",
            labels=["forum"],
        )
        latency.add_metric([self.forum], buckets, sum_value=sum(delays))
        yield latency


class Metrics:
    """This process's metrics; ``observe_request`` is handed to the forum adapter."""

    def __init__(self, ledger: Ledger, forum: str) -> None:
        self.forum = forum
        self.registry = CollectorRegistry()
        self.requests = CounterMetric(
            "cotechbot_forum_requests",
            "Requests to the forum by endpoint and HTTP status",
            ["forum", "method", "endpoint", "status"],
            registry=self.registry,
        )
        self.rate_limited = CounterMetric(
            "cotechbot_forum_rate_limited", "429 answers from the forum", ["forum"], registry=self.registry
        )
        self.cycle_seconds = Histogram(
            "cotechbot_cycle_duration_seconds",
            "Duration of sync → plan → dispatch cycles",
            ["forum"],
            buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900),
            registry=self.registry,
        )
        self.registry.register(OutboxCollector(ledger, forum))

    def observe_request(self, method: str, path: str, status: int) -> None:
        self.requests.labels(self.forum, method, endpoint_label(path), str(status)).inc()
        if status == 429:
            self.rate_limited.labels(self.forum).inc()

    def observe_cycle(self, seconds: float) -> None:
        self.cycle_seconds.labels(self.forum).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
