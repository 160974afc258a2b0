"""Where incidents live in Redis (see bot/keys.py for the layout), and for how long.

Retention is by the clock: an incident's key expires INCIDENT_TTL after it was
last filed to, whatever the dates of its articles. The indexes (all incidents,
and per subject) are scored by the incident's last update, for listing and
matching by time, and are never pruned by those scores: filing a 2026 report
must not drop a 2021 incident read a minute earlier. Index entries whose
incident has expired are removed when a read finds them gone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.incidents.links import cited_addresses, page_address
from bot.incidents.rules import NO_SUBJECT, subject_of
from bot.keys import INCIDENT_TTL
from bot.schema import Article, Incident, IncidentArticle, Outage
from bot.store import Store, read_record, readable_records

log = logging.getLogger(__name__)


class IncidentBook:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, incident_id: str) -> Incident | None:
        raw = self._store.redis.get(self._store.keys.incident(incident_id))
        return read_record(Incident, raw, f"incident {incident_id}")  # raises if unreadable

    def get_many(self, ids: Iterable[str]) -> list[Incident]:
        ids = list(ids)
        if not ids:
            return []
        raws = self._store.redis.mget([self._store.keys.incident(i) for i in ids])
        found, _ = readable_records(Incident, dict(zip(ids, raws, strict=True)), "incident")
        return [found[i] for i in ids if i in found]

    def absent(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` whose record is gone (expired or deleted), as opposed to
        stored in a form this version cannot read: only these may be forgotten."""
        ids = list(ids)
        if not ids:
            return set()
        check = self._store.redis.pipeline(transaction=False)
        for incident_id in ids:
            check.exists(self._store.keys.incident(incident_id))
        return {i for i, there in zip(ids, check.execute(), strict=True) if not there}

    def recent(self, since: datetime) -> list[Incident]:
        """Incidents updated since ``since``, newest first (held ones are not news)."""
        return [i for i in self._indexed(self._store.keys.incidents(), since) if not i.held]

    def by_subject(self, subject: str, since: datetime) -> list[Incident]:
        return self._indexed(self._store.keys.incidents_by_subject(subject), since)

    def by_thread(self, thread: str) -> Incident | None:
        incident_id = self._store.redis.get(self._store.keys.thread(thread))
        return self.get(str(incident_id)) if incident_id else None

    def linked(self, article: Article) -> Incident | None:
        """The incident of a filed report that is ``article``'s page, that ``article``
        cites as its source, or that cites ``article``'s page (either may come first)."""
        for address in _addresses(article):
            article_id = self._store.redis.get(self._store.keys.report_link(address))
            if article_id is None or str(article_id) == article.id:
                continue
            filed = self._store.redis.get(self._store.keys.filed(str(article_id)))
            incident = self.get(str(filed)) if filed else None
            if incident is not None:
                return incident
        return None

    def save(
        self,
        incident: Incident,
        article: Article,
        outage: Outage,
        *,
        absorbed: Sequence[Incident] = (),
    ) -> None:
        """Store ``incident`` grown by ``article``; ``absorbed`` incidents were merged
        into it: they are removed, and their reports and threads point to it."""
        keys = self._store.keys
        ttl = int(INCIDENT_TTL.total_seconds())
        write = self._store.redis.pipeline(transaction=True)
        for gone in absorbed:
            self._remove(write, gone.id)
            for report in gone.articles:
                write.set(keys.filed(report.article_id), incident.id, ex=ttl)
            for thread in gone.threads:
                write.set(keys.thread(thread), incident.id, ex=ttl)
            # Its subject index entries go when a read finds the incident gone.
        # Indexed under its provider and its casualties too, so a report that names
        # only "Windows machines crashing" finds the CrowdStrike incident. All of them:
        # which three came first depends on the order reports were read in.
        subjects = {subject_of(outage), *([incident.provider] if incident.provider else [])}
        subjects.update(incident.affected)
        # ... and its provider's own brands it is about ("B站" of Bilibili's outage), so
        # that a later report naming that brand as a casualty of a cloud outage finds it.
        subjects.update(outage.products)
        if incident.provider is None:
            # Without a provider its subject is a guess (a casualty named in passing):
            # let reports that name the company in their headline find it too.
            subjects.add(NO_SUBJECT)
        self._store_indexed(write, incident, subjects)
        if article.thread:
            write.set(keys.thread(article.thread), incident.id, ex=ttl)
        write.set(keys.filed(article.id), incident.id, ex=ttl)
        for address in _addresses(article):
            write.set(keys.report_link(address), article.id, ex=ttl, nx=True)
        write.execute()

    def move(self, into: Incident, left: Incident, moved: Sequence[IncidentArticle]) -> None:
        """Store ``into`` and ``left`` after the reports ``moved`` went from ``left`` to
        ``into`` (attached follow-ups finding a nearer incident), ``into`` indexed under
        what they are of; a ``left`` with no reports is removed."""
        keys = self._store.keys
        ttl = int(INCIDENT_TTL.total_seconds())
        write = self._store.redis.pipeline(transaction=True)
        self._store_indexed(write, into, {report.subject for report in moved if report.subject})
        if left.articles:
            # Re-scored too: it was last updated by the newest report it keeps (``detach``).
            self._store_indexed(write, left, ())
        else:  # its subject index entries go when a read finds it gone
            self._remove(write, left.id)
        for report in moved:
            write.set(keys.filed(report.article_id), into.id, ex=ttl)
        write.execute()
        log.info("moved %d follow-up(s) from incident %s to %s", len(moved), left.id, into.id)

    def _store_indexed(self, write: Any, incident: Incident, subjects: Iterable[str]) -> None:
        """Queue on ``write`` (a pipeline) ``incident``'s record and its place, by when it
        was last filed to, in the index of all incidents and those of ``subjects``."""
        keys, ttl = self._store.keys, int(INCIDENT_TTL.total_seconds())
        write.set(keys.incident(incident.id), _record_of(incident), ex=ttl)
        for index in (keys.incidents(), *map(keys.incidents_by_subject, subjects)):
            write.zadd(index, {incident.id: incident.updated_at.timestamp()})
            write.expire(index, ttl)

    def _remove(self, write: Any, incident_id: str) -> None:
        """Queue on ``write`` the removal of an incident's record from the index of all."""
        write.delete(self._store.keys.incident(incident_id))
        write.zrem(self._store.keys.incidents(), incident_id)

    def _indexed(self, index: str, since: datetime) -> list[Incident]:
        ids = [str(i) for i in self._store.redis.zrevrangebyscore(index, "+inf", since.timestamp())]
        incidents = self.get_many(ids)
        expired = self.absent(set(ids) - {i.id for i in incidents})
        if expired:
            self._store.redis.zrem(index, *expired)
        return incidents


def _record_of(incident: Incident) -> str:
    """The stored form of ``incident``. Without ``absorbed`` when it is empty (nearly
    always): a worker of the version before it, still running during a rolling
    deploy, can then read the record (its schema forbids unknown fields)."""
    return incident.model_dump_json(exclude=None if incident.absorbed else {"absorbed"})


def _addresses(article: Article) -> list[str]:
    own = page_address(article.url)
    return [*([own] if own else []), *cited_addresses(article.text)]
