"""Which incidents a channel's digest shows, each with its lead report summarised.

Reads the store (pending incidents, articles, what was delivered) and asks the
summarizer; renders and sends nothing (``bot.digest.render``, ``bot.delivery``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.config import ChannelConfig
from bot.digest.briefing import official
from bot.digest.lead import choose_lead, root_cause_report
from bot.incidents.book import IncidentBook
from bot.outage.entities import EntityCatalog
from bot.outage.rootcause import cause_sentence, fix_sentence
from bot.schema import Article, Digest, DigestItem, Incident
from bot.store import Store
from bot.store.articles import ArticleStore
from bot.store.delivered import DeliveredRevisions
from bot.store.pending import PendingIncidents
from bot.summarize.base import Summarizer


def pending_incidents(store: Store, channel: str, now: datetime) -> list[Incident]:
    """Incidents with news for ``channel``, most recently updated first."""
    pending = PendingIncidents(store)
    ids = pending.ids(channel, now)
    book = IncidentBook(store)
    incidents = book.get_many(ids)
    pending.forget(channel, book.absent(set(ids) - {i.id for i in incidents}))
    return incidents


def channel_leads(store: Store, channel: ChannelConfig, now: datetime) -> list[Article]:
    """The reports ``channel``'s next digest will summarise, in its summary language."""
    incidents = pending_incidents(store, channel.id, now)
    leads = lead_articles(store, incidents, wanted_language(channel.summary_language))
    return [a for a in leads if a is not None]


def summarize_leads(
    store: Store, channels: Sequence[ChannelConfig], summarizer: Summarizer, now: datetime
) -> int:
    """Summarise what every channel's next digest shows: one engine call per summary
    language for all channels and incidents together, each text once (a batch costs
    little more than one article). ``summarizer`` is the cached one, so each channel's
    ``build_digest`` then reads these summaries back. Returns how many were asked for."""
    wanted: dict[str | None, dict[str, Article]] = {}
    for channel in channels:
        texts = wanted.setdefault(wanted_language(channel.summary_language), {})
        for lead in channel_leads(store, channel, now):
            texts.setdefault(lead.content_hash, lead)
    for language, texts in wanted.items():
        if texts:
            summarizer.summarize(list(texts.values()), language)
    return sum(len(texts) for texts in wanted.values())


def wanted_language(summary_language: str) -> str | None:
    """A channel's summary language as the summarizer takes it: "source" is None."""
    return None if summary_language == "source" else summary_language


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
    wanted = wanted_language(summary_language)
    leads = lead_articles(store, incidents, wanted)
    summaries = iter(summarizer.summarize([a for a in leads if a is not None], wanted))
    delivered = DeliveredRevisions(store).get_many(channel, [i.id for i in incidents])
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
    stored = ArticleStore(store).get_many([a.article_id for a in reports])
    kept = [stored[a.article_id] for a in reports if a.article_id in stored]
    return cause_sentence(kept), fix_sentence(kept)


def lead_articles(
    store: Store, incidents: list[Incident], language: str | None = None
) -> list[Article | None]:
    """Each incident's lead for a channel that reads ``language`` (bot/digest/lead.py), or None
    when none of its articles is kept any more."""
    ids = [a.article_id for i in incidents for a in i.articles]
    if not ids:
        return [None] * len(incidents)
    kept = ArticleStore(store).get_many(ids)
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
