"""The Prometheus metrics every process exports, in one place.

Counters and histograms are module-level, as prometheus-client intends: a process
has one registry, and the stages that do the work count it where it happens.
Values that live in Redis (job backlog, dead letters, source health) are read at
scrape time by ``StateCollector`` through probes the composition root sets, so a
scrape of any process shows the shared state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

ARTICLES_READ = Counter("outage_bot_articles_read", "Entries read from sources.")
ARTICLES_NEW = Counter("outage_bot_articles_new", "Articles claimed as new (not seen before).")
ARTICLES_OUTAGE = Counter("outage_bot_articles_outage", "New articles classified as outages.")
INCIDENTS_OPENED = Counter("outage_bot_incidents_opened", "Outage incidents started.")
INCIDENTS_UPDATED = Counter("outage_bot_incidents_updated",
                            "Articles that joined an existing incident.")  # fmt: skip
SUMMARIES = Counter("outage_bot_summaries", "Summaries written, by engine.", ["engine"])
SUMMARY_SECONDS = Histogram(
    "outage_bot_summary_seconds",
    "Time to summarise one batch of articles, by engine.",
    ["engine"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
SLACK_POSTS = Counter("outage_bot_slack_posts", "Slack messages posted or edited.", ["method"])
SLACK_ERRORS = Counter("outage_bot_slack_errors", "Slack API calls that failed.", ["error"])
SLACK_RATE_LIMITED = Counter("outage_bot_slack_rate_limited", "HTTP 429 answers from Slack.")
MODEL_LOADED = Gauge("outage_bot_model_loaded", "1 for the summarizer this process loaded.",
                     ["engine", "fallback"])  # fmt: skip


@dataclass(frozen=True)
class SourceGauge:
    """One source's health as the store records it."""

    name: str
    failures: int
    last_success: float | None  # Unix time


@dataclass
class Probes:
    """Readers of shared state; None: this process has nothing to report there."""

    backlog: Callable[[], int] | None = None
    dead_letters: Callable[[], int] | None = None
    sources: Callable[[], Iterable[SourceGauge]] | None = None


class StateCollector(Collector):
    """Reads the probes at scrape time; a failing probe drops its metrics, never the scrape."""

    def __init__(self) -> None:
        self.probes = Probes()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        probes = self.probes
        for name, doc, probe in (
            ("outage_bot_job_backlog", "Jobs queued and not yet done.", probes.backlog),
            ("outage_bot_job_dead_letters", "Jobs given up after their retries.",
             probes.dead_letters),
        ):  # fmt: skip
            if probe is None:
                continue
            try:
                value = probe()
            except Exception:  # noqa: S112 - Redis down: the scrape still answers
                continue
            yield GaugeMetricFamily(name, doc, value=value)
        if probes.sources is None:
            return
        try:
            sources = list(probes.sources())
        except Exception:  # Redis down: the scrape still answers
            return
        up = GaugeMetricFamily(
            "outage_bot_source_up", "1 when the last read succeeded.", labels=["source"]
        )
        failures = GaugeMetricFamily("outage_bot_source_failures",
                                     "Consecutive failed reads.", labels=["source"])  # fmt: skip
        last = GaugeMetricFamily("outage_bot_source_last_success_timestamp_seconds",
                                 "When the source was last read successfully.",
                                 labels=["source"])  # fmt: skip
        for source in sources:
            up.add_metric([source.name], 0 if source.failures else 1)
            failures.add_metric([source.name], source.failures)
            if source.last_success is not None:
                last.add_metric([source.name], source.last_success)
        yield from (up, failures, last)


STATE = StateCollector()
REGISTRY.register(STATE)


def watch(probes: Probes) -> None:
    """Report these readers of shared state from now on (the composition root calls it)."""
    STATE.probes = probes


def model_loaded(engine: str, fallback: bool) -> None:
    MODEL_LOADED.clear()
    MODEL_LOADED.labels(engine=engine, fallback=str(fallback).lower()).set(1)


def exposition() -> tuple[bytes, str]:
    """The body and content type of a /metrics answer (for a server we already run)."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class MetricsServer:
    """``GET /metrics`` on its own port, in a daemon thread (``clock``, ``worker``, ``run``)."""

    def __init__(self, port: int, host: str = "0.0.0.0") -> None:  # noqa: S104 - scrapers
        server, thread = start_http_server(port, addr=host)
        self._server: WSGIServer = server
        self._thread: threading.Thread = thread

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def counts(text: str) -> Mapping[str, float]:
    """Sample name (with labels) → value from an exposition text; for tests and ``status``."""
    values: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values
