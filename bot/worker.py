"""The scale-out processes: a clock that polls and queues work, workers that do it.

``outage-bot run`` does everything in one loop. For more than one machine the
same work is split in two through a Redis Stream (``bot.queue``):

- ``Clock.tick`` reads the sources and files what is new (as ``run`` does), then
  queues a *summarize* job for the lead article of each incident waiting for a
  channel, in that channel's summary language, and a *deliver* job for each
  channel whose digest is due. Summaries are then written once, by whichever
  worker is free, into the summary cache, in parallel across workers.
- ``Worker.run_once`` takes jobs: a summarize job warms the summary cache; a
  deliver job builds the channel's digest (its summaries now mostly cached) and
  delivers it. A job is acknowledged only after it succeeded; one that raised is
  retried after the reclaim idle time and dead-lettered after five attempts.

Delivery claims each item before posting it (``bot.delivery``), so a job that is
run twice (a retry, or two workers that both reclaimed it) never posts twice.
Nothing here builds a client: every collaborator is passed in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.channels import ChannelDirectory
from bot.config import ChannelConfig
from bot.delivery import DeliveryReport, ProblemReporter, Sink, deliver
from bot.entities import EntityCatalog
from bot.errors import ChannelUnavailable, OutageBotError
from bot.lease import Heartbeat
from bot.pipeline import (
    Intelligence,
    PollReport,
    build_digest,
    ingest,
    lead_articles,
    pending_incidents,
)
from bot.queue import Job, JobQueue
from bot.schedule import is_due
from bot.schema import Article
from bot.slack.pacing import Pacer
from bot.sources.fetch import SafeFetcher
from bot.store import Store
from bot.summarize.base import Summarizer

log = logging.getLogger(__name__)

JOBS = "jobs"  # the stream both processes share
SUMMARIZE = "summarize"
DELIVER = "deliver"
# A job idle this long has lost its worker: a live worker touches the jobs it holds
# every HEARTBEAT_S (bot.lease), however long they take (a digest of forty incidents
# posts for about a minute), so only a dead worker's jobs ever get this idle.
RECLAIM_AFTER_MS = 90 * 1000
HEARTBEAT_S = 20.0


def job_queue(store: Store) -> JobQueue:
    """The queue between ``outage-bot clock`` and ``outage-bot worker``."""
    return JobQueue(store, JOBS)


def last_digest(store: Store, channel: str) -> datetime | None:
    raw = store.redis.get(store.keys.last_digest(channel))
    return datetime.fromisoformat(str(raw)) if raw else None


@dataclass(frozen=True)
class TickReport:
    poll: PollReport
    summaries: int  # summarize jobs queued
    deliveries: tuple[str, ...]  # channels whose digest was queued


class Clock:
    """Polls the sources and queues the work that follows (one tick per interval)."""

    def __init__(
        self,
        store: Store,
        directory: ChannelDirectory,
        intelligence: Intelligence,
        queue: JobQueue,
        *,
        fetcher: SafeFetcher | None = None,
    ) -> None:
        self._store = store
        self._directory = directory
        self._intelligence = intelligence
        self._queue = queue
        self._fetcher = fetcher

    def tick(self, now: datetime) -> TickReport:
        # Channels and feeds set up in Slack are re-read every tick: no restart needed.
        channels = self._directory.channels()
        poll = ingest(self._directory.sources(), self._store, channels, now, self._intelligence,
                      self._fetcher)  # fmt: skip
        summaries = 0
        deliveries = []
        for channel in channels:
            incidents = pending_incidents(self._store, channel.id, now)
            wanted = None if channel.summary_language == "source" else channel.summary_language
            leads = [a for a in lead_articles(self._store, incidents, wanted) if a is not None]
            summaries += sum(self._queue_summary(a, channel.summary_language) for a in leads)
            if not is_due(channel, last_digest(self._store, channel.id), now):
                continue
            # Marked when queued, not when delivered, so the next tick does not queue it
            # again while a busy worker has not got to it (as ``run`` marks an empty digest).
            self._store.redis.set(self._store.keys.last_digest(channel.id), now.isoformat())
            if leads and self._queue_delivery(channel):
                deliveries.append(channel.id)
        return TickReport(poll, summaries, tuple(deliveries))

    def _queue_summary(self, article: Article, language: str) -> bool:
        # One job per text and language, whichever channels want it; an hour later it may
        # be queued again, which costs a cache hit (or redoes a fallback summary).
        job = {"kind": SUMMARIZE, "article": article.id, "language": language}
        return (
            self._queue.add(job, once=f"{SUMMARIZE}:{article.content_hash}:{language}") is not None
        )

    def _queue_delivery(self, channel: ChannelConfig) -> bool:
        # At most one deliver job per channel waits at a time (the worker releases the
        # token when it starts): realtime channels are due every tick.
        job = {"kind": DELIVER, "channel": channel.id}
        return self._queue.add(job, once=f"{DELIVER}:{channel.id}") is not None


@dataclass
class WorkReport:
    done: int = 0
    failed: int = 0  # attempts that raised (retried later, or dead-lettered)
    delivered: list[DeliveryReport] = field(default_factory=list)

    def add(self, other: WorkReport) -> None:
        self.done += other.done
        self.failed += other.failed
        self.delivered.extend(other.delivered)

    @property
    def jobs(self) -> int:
        return self.done + self.failed


class Worker:
    """Takes jobs from the queue and does them; any number may run side by side."""

    def __init__(
        self,
        store: Store,
        directory: ChannelDirectory,
        catalog: EntityCatalog,
        summarizer: Summarizer,
        sink: Sink,
        queue: JobQueue,
        *,
        reporter: ProblemReporter | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        pacer: Pacer | None = None,
        reclaim_after_ms: int = RECLAIM_AFTER_MS,
        batch: int = 10,
    ) -> None:
        self._store = store
        self._directory = directory
        self._catalog = catalog
        self._summarizer = summarizer  # a CachedSummarizer: what a summarize job computes stays
        self._sink = sink
        self._queue = queue
        self._reporter = reporter
        self._now = now
        self._pacer = pacer
        self._reclaim_after_ms = reclaim_after_ms
        self._batch = batch

    def run_once(self, consumer: str, block_ms: int | None = None) -> WorkReport:
        """Do one batch: jobs left pending by failed or dead workers first, else new
        ones (waiting up to ``block_ms`` for some). An empty report: nothing to do."""
        jobs = self._queue.reclaim(consumer, self._reclaim_after_ms, self._batch)
        if not jobs:
            jobs = self._queue.read(consumer, self._batch, block_ms)
        report = WorkReport()
        held = [job.id for job in jobs]
        with Heartbeat(HEARTBEAT_S, lambda: self._queue.touch(consumer, list(held))):
            for job in jobs:
                report.add(self._run(job))
                held.remove(job.id)
        return report

    def drain(self, consumer: str) -> WorkReport:
        """Do what is queued now (and whatever is reclaimable), then return."""
        total = WorkReport()
        while True:
            report = self.run_once(consumer)
            if not report.jobs:
                return total
            total.add(report)

    def _run(self, job: Job) -> WorkReport:
        try:
            delivered = self.handle(job)
        except Exception as exc:  # any failure is retried, then dead-lettered
            if isinstance(exc, OutageBotError):
                log.debug("%s job %s failed", job.kind, job.id, exc_info=True)
            else:  # a bug, or a library error we do not wrap: keep the traceback
                log.exception("%s job %s failed unexpectedly", job.kind, job.id)
            self._queue.fail(job, f"{type(exc).__name__}: {exc}")
            return WorkReport(failed=1)
        self._queue.ack(job)
        return WorkReport(done=1, delivered=[delivered] if delivered else [])

    def handle(self, job: Job) -> DeliveryReport | None:
        """Do one job; raises when it should be retried."""
        if job.kind == SUMMARIZE:
            self._summarize(job.fields["article"], job.fields.get("language", "source"))
            return None
        if job.kind == DELIVER:
            # Released first: news filed while this digest is built gets a job of its own.
            self._queue.release(job)
            return self._deliver(job.fields["channel"])
        raise _UnknownJob(f"unknown job kind {job.kind!r}")

    def _summarize(self, article_id: str, language: str) -> None:
        raw = self._store.redis.get(self._store.keys.article(article_id))
        if raw is None:
            log.info("article %s expired before it was summarised; skipped", article_id)
            return
        article = Article.model_validate_json(raw)
        self._summarizer.summarize([article], None if language == "source" else language)

    def _deliver(self, channel_id: str) -> DeliveryReport | None:
        """Like ``pipeline.digest_and_deliver`` for one channel, except that a failure Slack
        may get over (DeliveryError) raises, so the job is retried."""
        channel = self._directory.get(channel_id)
        if channel is None:
            log.info("%s is no longer configured; its digest job is dropped", channel_id)
            return None
        digest = build_digest(self._store, channel.id, self._summarizer, self._now(),
                              self._catalog, channel.summary_language)  # fmt: skip
        if not digest.items:
            return DeliveryReport(channel.id, 0, 0)
        try:
            return deliver(self._store, digest, self._sink, channel.timezone, pacer=self._pacer)
        except ChannelUnavailable as exc:
            # Retrying cannot help until a person acts; the items stay pending for the
            # next digest, and the person who set the channel up is told.
            log.error("could not deliver the digest for %s: %s", channel.id, exc)
            if self._reporter is not None:
                self._reporter.report(channel.id, exc.error)
            return DeliveryReport(channel.id, 0, 0, error=str(exc))


class _UnknownJob(OutageBotError):
    """A job kind this worker does not know. Retried like any failure: during a rolling
    deploy a newer worker may take it; dead-lettered if none does."""
