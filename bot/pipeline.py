"""Composes the stages: read and claim, classify and file, digest and deliver.

Every function takes its collaborators (store, classifier, summarizer, sink,
fetcher) as arguments; nothing here builds a client.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.briefing import official
from bot.config import ChannelConfig
from bot.delivery import DeliveryReport, ProblemReporter, Sink, deliver
from bot.entities import EntityCatalog
from bot.errors import ChannelUnavailable, DeliveryError
from bot.filing import Filed, Filer
from bot.incidents import IncidentBook
from bot.ingest import IngestReport, read_sources
from bot.keys import PENDING_MAX_AGE
from bot.lead import choose_lead, root_cause_report
from bot.outage import OutageClassifier
from bot.rootcause import cause_sentence, fix_sentence
from bot.schema import Article, Digest, DigestItem, Incident, Source
from bot.slack.pacing import Pacer
from bot.sources.fetch import SafeFetcher
from bot.store import Store
from bot.summarize.base import Summarizer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Intelligence:
    """The classifier and the catalogue it reads entities with, built once."""

    catalog: EntityCatalog
    classifier: OutageClassifier

    @classmethod
    def load(cls) -> Intelligence:
        from bot.outage import Lexicon

        catalog = EntityCatalog.load()
        return cls(catalog, OutageClassifier(catalog, Lexicon.load()))


@dataclass
class PollReport:
    ingest: IngestReport
    filed: list[Filed]

    @property
    def sources(self) -> list:  # type: ignore[type-arg]
        return self.ingest.sources

    @property
    def all_failed(self) -> bool:
        return self.ingest.all_failed


def ingest(
    sources: Sequence[Source],
    store: Store,
    channels: Sequence[ChannelConfig],
    now: datetime,
    intelligence: Intelligence,
    fetcher: SafeFetcher | None = None,
    *,
    force: bool = False,
) -> PollReport:
    """Read, claim, classify and file; queue changed incidents for their channels."""
    read = read_sources(sources, store, now, fetcher, force=force)
    filer = Filer(store, intelligence.classifier, intelligence.catalog)
    return PollReport(read, filer.file_unfiled(channels))


def pending_incidents(store: Store, channel: str, now: datetime) -> list[Incident]:
    """Incidents with news for ``channel``, most recently updated first."""
    key = store.keys.pending(channel)
    oldest = int((now - PENDING_MAX_AGE).timestamp())
    store.redis.zremrangebyscore(key, "-inf", f"({oldest}")
    ids = [str(i) for i in store.redis.zrevrange(key, 0, -1)]
    incidents = IncidentBook(store).get_many(ids)
    gone = set(ids) - {i.id for i in incidents}
    if gone:
        store.redis.zrem(key, *gone)
    return incidents


def build_digest(
    store: Store,
    channel: str,
    summarizer: Summarizer,
    now: datetime,
    catalog: EntityCatalog,
    summary_language: str = "source",
) -> Digest:
    """The channel's pending incidents, each summarised in ``summary_language``
    ("source" keeps every article's own language)."""
    incidents = pending_incidents(store, channel, now)
    wanted = None if summary_language == "source" else summary_language
    leads = lead_articles(store, incidents, wanted)
    summaries = iter(summarizer.summarize([a for a in leads if a is not None], wanted))
    delivered = _delivered_revisions(store, channel, incidents)
    items = []
    for incident, lead, seen in zip(incidents, leads, delivered, strict=True):
        if lead is None:  # its articles expired; nothing to summarise
            continue
        cause, fix = post_incident(store, incident)
        items.append(
            DigestItem(
                incident=incident,
                summary=next(summaries),
                provider_name=catalog.provider_name(incident.provider)
                if incident.provider
                else None,
                update=seen is not None and seen < incident.revision,
                wanted_language=wanted,
                lead_article_id=lead.id,
                root_cause=cause,
                fix=fix,
            )
        )
    return Digest(channel=channel, generated_at=now, items=tuple(items))


def post_incident(store: Store, incident: Incident) -> tuple[str | None, str | None]:
    """The cause and the fix, one sentence each, from the incident's root-cause reports
    (official ones first); (None, None) before any has joined."""
    reports = sorted(
        (a for a in incident.articles if root_cause_report(a)), key=lambda a: not official(a)
    )
    if not reports:
        return None, None
    raws = store.redis.mget([store.keys.article(a.article_id) for a in reports])
    kept = [Article.model_validate_json(r) for r in raws if r]
    return cause_sentence(kept), fix_sentence(kept)


def lead_articles(
    store: Store, incidents: list[Incident], language: str | None = None
) -> list[Article | None]:
    """Each incident's lead for a channel that reads ``language`` (bot/lead.py), or None
    when none of its articles is kept any more."""
    ids = [a.article_id for i in incidents for a in i.articles]
    if not ids:
        return [None] * len(incidents)
    raws = store.redis.mget([store.keys.article(i) for i in ids])
    kept = {
        i: Article.model_validate_json(r) for i, r in zip(ids, raws, strict=True) if r is not None
    }
    leads: list[Article | None] = []
    for incident in incidents:
        present = [a for a in incident.articles if a.article_id in kept]
        if not present:
            leads.append(None)
            continue
        # Only reports whose text is still stored can be summarised.
        stored = incident.model_copy(update={"articles": tuple(present)})
        choice = choose_lead(stored, kept, language)
        leads.append(kept[choice.article_id])
    return leads


def _delivered_revisions(store: Store, channel: str, incidents: list[Incident]) -> list[int | None]:
    if not incidents:
        return []
    raws = store.redis.mget([store.keys.delivered(channel, i.id) for i in incidents])
    return [int(r) if r else None for r in raws]


def digest_and_deliver(
    store: Store,
    channels: Sequence[ChannelConfig],
    summarizer: Summarizer,
    sink: Sink,
    now: datetime,
    catalog: EntityCatalog,
    *,
    reporter: ProblemReporter | None = None,
    pacer: Pacer | None = None,
) -> list[DeliveryReport]:
    """Build and deliver each channel's digest; one channel's failure never stops the others.

    A failed channel's report carries the ``error``; its incidents stay pending. When
    Slack refuses the channel for good (ChannelUnavailable), ``reporter`` tells a person.
    """
    reports = []
    for channel in channels:
        digest = build_digest(store, channel.id, summarizer, now, catalog, channel.summary_language)
        if not digest.items:
            reports.append(DeliveryReport(channel.id, 0, 0))
            continue
        try:
            reports.append(deliver(store, digest, sink, channel.timezone, pacer=pacer))
        except DeliveryError as exc:
            log.error("could not deliver the digest for %s: %s", channel.id, exc)
            if reporter is not None and isinstance(exc, ChannelUnavailable):
                reporter.report(channel.id, exc.error)
            reports.append(DeliveryReport(channel.id, 0, 0, error=str(exc)))
    return reports
