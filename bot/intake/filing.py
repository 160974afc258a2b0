"""Classifying claimed articles and filing them into incidents (second half of a poll).

Works off the "unfiled" list that claiming fills, oldest first, and removes an
article from it only once it is filed and queued, so a crash in between is
repaired by the next run. An incident is (re)queued for every channel whose
filters want it whenever it changes, so a follow-up reaches the channel too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.config import ChannelConfig
from bot.errors import UnreadableRecord
from bot.filters import wants
from bot.incidents.tracker import IncidentTracker
from bot.ops import metrics
from bot.outage.classify import OutageClassifier
from bot.outage.entities import EntityCatalog
from bot.schema import Article, Incident, Outage
from bot.store import Store
from bot.store.articles import ArticleStore
from bot.store.pending import PendingIncidents

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Filed:
    article: Article
    outage: Outage
    incident: Incident | None  # None: not an outage, and no channel wants such news


class Filer:
    def __init__(self, store: Store, classifier: OutageClassifier, catalog: EntityCatalog) -> None:
        self._store = store
        self._classifier = classifier
        self._catalog = catalog
        self._tracker = IncidentTracker(store)

    def file_unfiled(self, channels: Sequence[ChannelConfig]) -> list[Filed]:
        keys = self._store.keys
        ids = [str(i) for i in self._store.redis.zrange(keys.unfiled(), 0, -1)]
        if not ids:
            return []
        stored, unreadable = ArticleStore(self._store).read_many(ids)
        want_non_outages = any(c.filters.include_non_outages for c in channels)
        filed: list[Filed] = []
        for article_id in ids:
            article = stored.get(article_id)
            if article is None:
                # Expired before it could be filed: nothing left to do. One this version
                # cannot read stays listed for a version that can (until it expires).
                if article_id not in unreadable:
                    self._store.redis.zrem(keys.unfiled(), article_id)
                continue
            outage = self._classifier.classify(article)
            incident = None
            mine = True
            if outage.is_outage or want_non_outages:
                try:
                    filing = self._tracker.file_once(article, outage)
                except UnreadableRecord as exc:  # the incident it was filed to, say
                    log.warning("article %s left unfiled: %s", article_id, exc)
                    continue
                incident, mine = filing.incident, filing.mine
                # Queued even when another worker filed it (not ``mine``): that worker may
                # have died before queueing, and queueing twice is harmless. Held: only
                # aftermath of an outage we have no news of, which is not news to post.
                # Incidents whose follow-ups moved are shown again as they are now.
                for changed in (incident, *filing.changed):
                    if not changed.held:
                        self._queue(changed, channels)
            # Whoever takes it off the list reports it: with two workers, exactly one does.
            taken = self._store.redis.zrem(keys.unfiled(), article_id) == 1
            if taken and outage.is_outage:
                metrics.ARTICLES_OUTAGE.inc()
            if mine and (incident is not None or taken):
                filed.append(Filed(article, outage, incident))
        return filed

    def _queue(self, incident: Incident, channels: Sequence[ChannelConfig]) -> None:
        wanting = [c.id for c in channels
                   if wants(c.filters, incident, self._catalog.find_provider)]  # fmt: skip
        PendingIncidents(self._store).add(wanting, incident.id, incident.updated_at)
