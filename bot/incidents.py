"""Filing articles into incidents: one incident per real-world event.

An outage article joins an existing incident when any of these holds, checked
in this order:

1. it is an update of the same status-page incident (same ``thread``);
2. its text is a near-duplicate (MinHash LSH) of an article already filed;
3. it is about the same subject (the provider, or for outages of something else
   the first affected service), its regions are compatible (either side unknown,
   or overlapping), and it was published close to the incident's reports:
   within 72 hours for first news, within 10 days for a follow-up (recovery,
   root cause, post-mortem). A report whose *other* named providers match an
   incident of the last 24 hours joins it too (the CrowdStrike update was
   reported as a "Microsoft outage" by some outlets).

Otherwise it starts a new incident. Filing holds one Redis lock so two workers
cannot both start an incident for the same event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from datasketch import MinHash

from bot.keys import INCIDENT_TTL, digest_of
from bot.neardup import NearDuplicates, signature
from bot.schema import Article, Incident, IncidentArticle, IncidentStatus, Outage, TimelineEntry
from bot.store import Store
from bot.textsim import char_pairs, jaccard

FIRST_NEWS_WINDOW = timedelta(hours=72)
FOLLOW_UP_WINDOW = timedelta(days=10)
OTHER_PROVIDER_WINDOW = timedelta(hours=24)
LOCK_TIMEOUT_S = 10  # a holder that dies frees the lock after this
LOCK_WAIT_S = 120  # a busy peer filing a large batch may hold it often for a while
# How far along an incident is; a report never moves it backwards.
_LIFECYCLE: dict[IncidentStatus, int] = {
    "investigating": 0, "identified": 1, "ongoing": 1, "monitoring": 2, "mitigated": 2,
    "resolved": 3, "postmortem": 4,
}  # fmt: skip


# Outages with no known provider or service are indexed here and matched on
# their titles (the name of the bank, the metro, the app).
NO_SUBJECT = "_unknown"
TITLE_SIMILARITY = 0.25
# A company and its cloud are one subject when looking for an incident.
_FAMILY = {
    "google": ("gcp",),
    "gcp": ("google",),
    "microsoft365": ("azure",),
    "azure": ("microsoft365",),
}


def subject_of(outage: Outage) -> str:
    """What an outage is *of*: the provider, else the first affected service."""
    if outage.provider:
        return outage.provider
    return outage.affected[0] if outage.affected else NO_SUBJECT


class IncidentBook:
    """Reads and writes incidents in Redis (see bot/keys.py for the layout)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, incident_id: str) -> Incident | None:
        raw = self._store.redis.get(self._store.keys.incident(incident_id))
        return Incident.model_validate_json(raw) if raw else None

    def get_many(self, ids: Iterable[str]) -> list[Incident]:
        ids = list(ids)
        if not ids:
            return []
        raws = self._store.redis.mget([self._store.keys.incident(i) for i in ids])
        return [Incident.model_validate_json(r) for r in raws if r]

    def recent(self, since: datetime) -> list[Incident]:
        """Incidents updated since ``since``, newest first."""
        ids = self._store.redis.zrevrangebyscore(
            self._store.keys.incidents(), "+inf", since.timestamp()
        )
        return self.get_many(str(i) for i in ids)

    def by_subject(self, subject: str, since: datetime) -> list[Incident]:
        key = self._store.keys.incidents_by_subject(subject)
        ids = self._store.redis.zrevrangebyscore(key, "+inf", since.timestamp())
        return self.get_many(str(i) for i in ids)

    def by_thread(self, thread: str) -> Incident | None:
        incident_id = self._store.redis.get(self._store.keys.thread(thread))
        return self.get(str(incident_id)) if incident_id else None

    def save(self, incident: Incident, article: Article, outage: Outage) -> None:
        keys = self._store.keys
        ttl = int(INCIDENT_TTL.total_seconds())
        score = incident.updated_at.timestamp()
        oldest = (incident.updated_at - INCIDENT_TTL).timestamp()
        write = self._store.redis.pipeline(transaction=True)
        write.set(keys.incident(incident.id), incident.model_dump_json(), ex=ttl)
        write.zadd(keys.incidents(), {incident.id: score})
        write.zremrangebyscore(keys.incidents(), "-inf", oldest)
        write.expire(keys.incidents(), ttl)
        # Indexed under its provider and its main casualties too, so a report that
        # names only "Windows machines crashing" finds the CrowdStrike incident.
        subjects = {subject_of(outage), *([incident.provider] if incident.provider else [])}
        subjects.update(incident.affected[:3])
        for subject in subjects:
            key = keys.incidents_by_subject(subject)
            write.zadd(key, {incident.id: score})
            write.zremrangebyscore(key, "-inf", oldest)
            write.expire(key, ttl)
        if article.thread:
            write.set(keys.thread(article.thread), incident.id, ex=ttl)
        write.set(keys.filed(article.id), incident.id, ex=ttl)
        write.execute()


class IncidentTracker:
    """Files classified articles into incidents."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._book = IncidentBook(store)
        self._near = NearDuplicates(store)

    @property
    def book(self) -> IncidentBook:
        return self._book

    def file(self, article: Article, outage: Outage) -> Incident:
        """The incident ``article`` now belongs to (new or grown), saved."""
        return self.file_once(article, outage)[0]

    def file_once(self, article: Article, outage: Outage) -> tuple[Incident, bool]:
        """Like ``file``; the flag is False when another process filed it first."""
        # Cheap check first: a second worker walking the same list skips what the
        # first has filed without queueing for the lock.
        done = self._filed_incident(article.id)
        if done is not None:
            return done, False
        minhash = signature(f"{article.title}\n{article.text}")
        with self._store.redis.lock(
            self._store.keys.incident_lock(),
            timeout=LOCK_TIMEOUT_S,
            blocking_timeout=LOCK_WAIT_S,
            sleep=0.01,
        ):
            existing = self._filed_incident(article.id)
            if existing is not None:  # filed by another worker meanwhile
                return existing, False
            match = self._match(article, outage, minhash) if outage.is_outage else None
            incident = _grow(match, article, outage) if match else _start(article, outage)
            self._book.save(incident, article, outage)
            self._near.add(article.id, minhash)
        return incident, True

    def _filed_incident(self, article_id: str) -> Incident | None:
        filed = self._store.redis.get(self._store.keys.filed(article_id))
        return self._book.get(str(filed)) if filed else None

    def _match(self, article: Article, outage: Outage, minhash: MinHash) -> Incident | None:
        if article.thread:
            by_thread = self._book.by_thread(article.thread)
            if by_thread is not None:
                return by_thread
        for similar_id, _score in self._near.similar(minhash):
            filed = self._store.redis.get(self._store.keys.filed(similar_id))
            incident = self._book.get(str(filed)) if filed else None
            if incident is not None and incident.is_outage:
                return incident
        window = FOLLOW_UP_WINDOW if outage.follow_up else FIRST_NEWS_WINDOW
        subject = subject_of(outage)
        if subject == NO_SUBJECT:
            return self._by_title(article, window)
        for name in (subject, *_FAMILY.get(subject, ())):
            found = self._closest(self._book.by_subject(name, article.published - window * 2),
                                  article, outage, window)  # fmt: skip
            if found is not None:
                return found
        for other in outage.providers[1:3]:
            found = self._closest(
                self._book.by_subject(other, article.published - OTHER_PROVIDER_WINDOW * 2),
                article, outage, OTHER_PROVIDER_WINDOW,
            )  # fmt: skip
            if found is not None:
                return found
        return None

    def _by_title(self, article: Article, window: timedelta) -> Incident | None:
        """For outages of something we have no name for: a recent incident whose
        title shares enough character pairs ("Harbour Mutual app …")."""
        since = article.published - window * 2
        best: tuple[float, Incident] | None = None
        for incident in self._book.by_subject(NO_SUBJECT, since):
            gap = min(abs(article.published - a.published) for a in incident.articles)
            score = max(_title_similarity(article.title, a.title) for a in incident.articles)
            if gap <= window and score >= TITLE_SIMILARITY and (best is None or score > best[0]):
                best = (score, incident)
        return best[1] if best else None

    @staticmethod
    def _closest(
        candidates: list[Incident], article: Article, outage: Outage, window: timedelta
    ) -> Incident | None:
        best: tuple[timedelta, Incident] | None = None
        for incident in candidates:
            if not incident.is_outage or not _regions_compatible(incident.regions, outage.regions):
                continue
            gap = min(abs(article.published - a.published) for a in incident.articles)
            if gap <= window and (best is None or gap < best[0]):
                best = (gap, incident)
        return best[1] if best else None


def _regions_compatible(known: tuple[str, ...], reported: tuple[str, ...]) -> bool:
    """Either side unknown, or the same main region.

    Only main regions (the first, most salient) are compared: "Oregon fails days
    after the Virginia outage" names both, but is about Oregon.
    """
    return not known or not reported or known[0] == reported[0]


def _title_similarity(a: str, b: str) -> float:
    return jaccard(char_pairs(_GENERIC.sub(" ", a)), char_pairs(_GENERIC.sub(" ", b)))


# Words every outage headline shares; only what is left (the names) is compared.
_GENERIC = re.compile(
    r"\b(outages?|down|is|are|was|the|a|an|of|for|in|on|at|after|hits?|service|services|app|"
    r"apps|users?|customers?|fail(s|ed|ing)?|restored|back|online|offline|errors?|issues?|"
    r"problems?|global|major|hours?)\b|故障|宕机|中断|恢复|已|正常|服务|用户|无法|访问|全球|大面积",
    re.IGNORECASE,
)


def _reference(article: Article, outage: Outage) -> IncidentArticle:
    return IncidentArticle(
        article_id=article.id,
        url=article.url,
        title=article.title,
        language=article.language,
        source=article.source,
        published=article.published,
        status=outage.status,
        status_page=article.status is not None,
    )


def _start(article: Article, outage: Outage) -> Incident:
    timeline = (
        (TimelineEntry(at=article.published, status=outage.status, article_id=article.id),)
        if outage.status
        else ()
    )
    return Incident(
        id=digest_of(f"incident:{article.id}")[:16],
        is_outage=outage.is_outage,
        provider=outage.provider,
        regions=outage.regions,
        affected=outage.affected,
        status=outage.status,
        title=article.title,
        started_at=outage.started_at,
        first_seen=article.published,
        updated_at=article.published,
        lead_article_id=article.id,
        articles=(_reference(article, outage),),
        timeline=timeline,
        threads=(article.thread,) if article.thread else (),
    )


def _grow(incident: Incident, article: Article, outage: Outage) -> Incident:
    status = incident.status
    timeline = incident.timeline
    if outage.status and (status is None or _LIFECYCLE[outage.status] > _LIFECYCLE[status]):
        status = outage.status
        timeline = (
            *timeline,
            TimelineEntry(at=article.published, status=status, article_id=article.id),
        )
    articles = tuple(
        sorted((*incident.articles, _reference(article, outage)), key=lambda a: a.published)
    )
    # A news report summarises better than a one-line status update.
    lead = incident.lead_article_id
    lead_ref = next((a for a in incident.articles if a.article_id == lead), None)
    if lead_ref is not None and lead_ref.status_page and article.status is None:
        lead = article.id
    starts = [t for t in (incident.started_at, outage.started_at) if t is not None]
    return incident.model_copy(
        update={
            "regions": tuple(dict.fromkeys((*incident.regions, *outage.regions))),
            "affected": tuple(dict.fromkeys((*incident.affected, *outage.affected))),
            "provider": incident.provider or outage.provider,
            "status": status,
            "started_at": min(starts) if starts else None,
            "updated_at": max(incident.updated_at, article.published),
            "revision": incident.revision + 1,
            "lead_article_id": lead,
            "articles": articles,
            "timeline": timeline,
            "threads": tuple(
                dict.fromkeys((*incident.threads, *([article.thread] if article.thread else [])))
            ),
        }
    )
