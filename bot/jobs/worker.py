"""Workers: take jobs from the queue and do them; any number may run side by side.

``Worker.run_once`` takes jobs queued by the clock (``bot.jobs.clock``): a
summarize job warms the summary cache; a deliver job builds the channel's
digest (its summaries now mostly cached) and delivers it (``bot.delivery``). A
job is acknowledged only after it succeeded; one that raised is retried after
the reclaim idle time and dead-lettered after five attempts.

Delivery claims each item before posting it, so a job that is run twice (a
retry, or two workers that both reclaimed it) never posts twice. Nothing here
builds a client: every collaborator is passed in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.channels.directory import ChannelDirectory
from bot.delivery.deliver import DeliveryReport, dead_claim_holders, release_claims_of
from bot.delivery.digests import deliver_channel
from bot.delivery.pacing import Pacer
from bot.delivery.ports import ProblemReporter, Sink
from bot.digest.build import wanted_language
from bot.errors import OutageBotError
from bot.jobs.clock import DELIVER, SUMMARIZE
from bot.jobs.queue import Job, JobQueue
from bot.outage.entities import EntityCatalog
from bot.store import Store
from bot.store.articles import ArticleStore
from bot.store.lease import Heartbeat
from bot.summarize.base import Summarizer

log = logging.getLogger(__name__)

# A job idle this long has lost its worker: a live worker touches the jobs it holds
# every HEARTBEAT_S (bot.store.lease), however long they take (a digest of forty incidents
# posts for about a minute), so only a dead worker's jobs ever get this idle.
RECLAIM_AFTER_MS = 90 * 1000
HEARTBEAT_S = 20.0


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
        return self._run_all(consumer, jobs)

    def _run_all(self, consumer: str, jobs: list[Job]) -> WorkReport:
        report = WorkReport()
        held = [job.id for job in jobs]
        with Heartbeat(HEARTBEAT_S, lambda: self._queue.touch(consumer, list(held))):
            # Summaries first, one engine call per language for every article in this
            # read (several channels and articles from one poll): a batch costs little
            # more than one article. A digest read in the same batch was queued after
            # its summaries, so it still finds them cached.
            for group in _summaries_by_language(jobs).values():
                report.add(self._summarize_together(group))
                for job in group:
                    held.remove(job.id)
            for job in jobs:
                if job.kind != SUMMARIZE:
                    report.add(self._run(job))
                    held.remove(job.id)
        return report

    def _summarize_together(self, jobs: list[Job]) -> WorkReport:
        """Summarise the articles of ``jobs`` in one call. Should that call fail (a
        store error, an engine bug some article sets off), each job is done alone, so
        the failure stays with its own job and the others are not held back."""
        if len(jobs) == 1:
            return self._run(jobs[0])
        try:
            articles = ArticleStore(self._store).get_many([j.fields["article"] for j in jobs])
            if articles:
                language = jobs[0].fields.get("language", "source")
                self._summarizer.summarize(list(articles.values()), wanted_language(language))
        except Exception as exc:  # whatever it was, the jobs alone say which article it was
            # Loud for a bug: one that only batches set off would otherwise pass job by
            # job unseen, and cost every read twice.
            level = logging.WARNING if isinstance(exc, OutageBotError) else logging.ERROR
            log.log(level, "summarising %d articles together failed; doing them one by one",
                    len(jobs), exc_info=not isinstance(exc, OutageBotError))  # fmt: skip
            report = WorkReport()
            for job in jobs:
                report.add(self._run(job))
            return report
        for job in jobs:
            if job.fields["article"] not in articles:
                log.info("article %s expired (or is unreadable) before it was summarised; "
                         "skipped", job.fields["article"])  # fmt: skip
            self._queue.ack(job)
        return WorkReport(done=len(jobs))

    def resume(self, consumer: str) -> WorkReport:
        """At start-up: take over the jobs and delivery claims of workers of this host
        that died (``kill -9``, a crash), and do the jobs this consumer holds, at once.
        A dead worker on another host is covered by the leases instead (RECLAIM_AFTER_MS
        for its jobs, CLAIM_TTL for its claims)."""
        for process in dead_claim_holders(self._store):
            released = release_claims_of(self._store, process)
            if released:
                log.warning("released %d delivery claim(s) of %s, which is no longer running",
                            released, process)  # fmt: skip
        self._queue.take_over_dead(consumer)
        jobs = self._queue.own_pending(consumer, self._batch * 10)
        return self._run_all(consumer, jobs)

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
        article = ArticleStore(self._store).get(article_id)
        if article is None:
            log.info("article %s expired before it was summarised; skipped", article_id)
            return
        self._summarizer.summarize([article], wanted_language(language))

    def _deliver(self, channel_id: str) -> DeliveryReport | None:
        """The channel's digest through the one delivery path, with the "retry" policy:
        a failure Slack may get over raises, so the job is retried."""
        channel = self._directory.get(channel_id)
        if channel is None:
            log.info("%s is no longer configured; its digest job is dropped", channel_id)
            return None
        return deliver_channel(self._store, channel, self._summarizer, self._sink, self._now(),
                               self._catalog, on_error="retry", reporter=self._reporter,
                               pacer=self._pacer)  # fmt: skip


def _summaries_by_language(jobs: list[Job]) -> dict[str, list[Job]]:
    """First-attempt summarize jobs by language. A job tried before may be the one that
    killed its worker (out of memory, a crash in the engine): it runs alone (a group of
    its own), so it cannot take a batch of others down with it again."""
    groups: dict[str, list[Job]] = {}
    for job in jobs:
        if job.kind != SUMMARIZE:
            continue
        language = job.fields.get("language", "source")
        key = language if job.attempt <= 1 else f"{language}\0{job.id}"
        groups.setdefault(key, []).append(job)
    return groups


class _UnknownJob(OutageBotError):
    """A job kind this worker does not know. Retried like any failure: during a rolling
    deploy a newer worker may take it; dead-lettered if none does."""
