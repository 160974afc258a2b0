"""Composes the stages: read sources, claim new articles, digest and deliver.

Every function takes its collaborators (store, summarizer, sink) as arguments;
nothing here builds a client. A failing source or entry is logged, reported and
skipped, so one bad feed never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from bot.config import ChannelConfig
from bot.dedupe import Deduper
from bot.delivery import DeliveryReport, Sink, deliver
from bot.errors import SourceError
from bot.filters import wants
from bot.keys import PENDING_MAX_AGE
from bot.schema import Article, Digest, DigestItem, Source
from bot.sources.article import to_article
from bot.sources.local import read_local
from bot.store import Store
from bot.summarize.base import Summarizer

log = logging.getLogger(__name__)


@dataclass
class SourceReport:
    name: str
    entries: int = 0
    new: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class IngestReport:
    sources: list[SourceReport] = field(default_factory=list)
    new_articles: list[Article] = field(default_factory=list)

    @property
    def all_failed(self) -> bool:
        return bool(self.sources) and all(s.error for s in self.sources)


def ingest(
    sources: Sequence[Source],
    store: Store,
    channels: Sequence[ChannelConfig],
    now: datetime,
) -> IngestReport:
    """Read every source; claim and queue what is new. Never raises for one bad source."""
    deduper = Deduper(store)
    report = IngestReport()
    for source in sources:
        source_report = SourceReport(source.name)
        report.sources.append(source_report)
        try:
            read = read_local(source)
        except SourceError as exc:
            source_report.error = exc.why
            log.warning("source %s failed: %s", source.name, exc.why)
            continue
        source_report.warnings.extend(read.warnings)
        for entry in read.entries:
            source_report.entries += 1
            if source.language and not entry.language:
                entry = entry.model_copy(update={"language": source.language})
            try:
                article = to_article(entry, now)
            except ValidationError as exc:
                source_report.warnings.append(f"entry {entry.title!r} skipped: {exc}")
                continue
            targets = [c.id for c in channels if wants(c.filters, article)]
            if deduper.claim(article, targets):
                source_report.new += 1
                report.new_articles.append(article)
    return report


def pending_articles(store: Store, channel: str, now: datetime) -> list[Article]:
    """Articles queued for ``channel``, newest first; expired ones are dropped."""
    key = store.keys.pending(channel)
    oldest = int((now - PENDING_MAX_AGE).timestamp())
    store.redis.zremrangebyscore(key, "-inf", f"({oldest}")
    ids = [str(i) for i in store.redis.zrevrange(key, 0, -1)]
    if not ids:
        return []
    raw = store.redis.mget([store.keys.article(i) for i in ids])
    gone = [i for i, value in zip(ids, raw, strict=True) if value is None]
    if gone:
        store.redis.zrem(key, *gone)
    return [Article.model_validate_json(value) for value in raw if value is not None]


def build_digest(store: Store, channel: str, summarizer: Summarizer, now: datetime) -> Digest:
    articles = pending_articles(store, channel, now)
    summaries = summarizer.summarize(articles)
    items = tuple(
        DigestItem(article=a, summary=s) for a, s in zip(articles, summaries, strict=True)
    )
    return Digest(channel=channel, generated_at=now, items=items)


def digest_and_deliver(
    store: Store,
    channels: Sequence[ChannelConfig],
    summarizer: Summarizer,
    sink: Sink,
    now: datetime,
) -> list[DeliveryReport]:
    reports = []
    for channel in channels:
        digest = build_digest(store, channel.id, summarizer, now)
        if digest.items:
            reports.append(deliver(store, digest, sink, channel.timezone))
        else:
            reports.append(DeliveryReport(channel.id, 0, 0))
    return reports
