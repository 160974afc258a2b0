"""The clock: polls the sources and queues the work that follows, one tick per interval.

``outage-bot clock`` runs it alone, with workers (``bot.jobs.worker``) on other
machines sharing REDIS_URL; ``outage-bot run`` runs a tick and then drains the
queue with a worker in the same process, so both modes share this code.

``Clock.tick`` reads the sources and files what is new, then queues a
*summarize* job for the lead article of each incident waiting for a channel, in
that channel's summary language, and a *deliver* job for each channel whose
digest is due. Summaries are then written once, by whichever worker is free,
into the summary cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.channels.directory import ChannelDirectory
from bot.config import ChannelConfig
from bot.digest.build import channel_leads
from bot.intake.pipeline import Intelligence, PollReport, ingest
from bot.jobs.queue import JobQueue
from bot.jobs.schedule import is_due
from bot.schema import Article
from bot.sources.fetch import SafeFetcher
from bot.store import Store
from bot.store.digest_clock import DigestClock

JOBS = "jobs"  # the stream clock and workers share
SUMMARIZE = "summarize"
DELIVER = "deliver"


def job_queue(store: Store) -> JobQueue:
    """The queue between ``outage-bot clock`` and ``outage-bot worker``."""
    return JobQueue(store, JOBS)


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
        self._digests = DigestClock(store)

    def tick(self, now: datetime) -> TickReport:
        # Channels and feeds set up in Slack are re-read every tick: no restart needed.
        channels = self._directory.channels()
        poll = ingest(self._directory.sources(), self._store, channels, now, self._intelligence,
                      self._fetcher)  # fmt: skip
        summaries = 0
        deliveries = []
        for channel in channels:
            leads = channel_leads(self._store, channel, now)
            summaries += sum(self._queue_summary(a, channel.summary_language) for a in leads)
            if not is_due(channel, self._digests.last(channel.id), now):
                continue
            # Marked when queued, not when delivered, so the next tick does not queue it
            # again while a busy worker has not got to it.
            self._digests.mark(channel.id, now)
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
