"""Starting an incident from its first report, and growing it with the next ones."""

from __future__ import annotations

from datetime import datetime

from bot.incidents.names import report_names
from bot.incidents.owners import report_ties
from bot.incidents.rules import event_time, is_late, report_time
from bot.incidents.setting import setting_of
from bot.keys import digest_of
from bot.schema import Article, Incident, IncidentArticle, IncidentStatus, Outage, TimelineEntry

# How far along an incident is; a report never moves it backwards.
_LIFECYCLE: dict[IncidentStatus, int] = {
    "investigating": 0, "identified": 1, "ongoing": 1, "monitoring": 2, "mitigated": 2,
    "resolved": 3, "postmortem": 4,
}  # fmt: skip


def reference(article: Article, outage: Outage) -> IncidentArticle:
    return IncidentArticle(
        article_id=article.id,
        url=article.url,
        title=article.title,
        language=article.language,
        source=article.source,
        published=article.published,
        status=outage.status,
        status_page=article.status is not None,
        event_at=event_time(article, outage),
        undated=article.published_from == "undated",
        late=is_late(outage),
        thread=article.thread,
        products=outage.products,
        regions=outage.regions,
        subject_in_headline=outage.subject_in_headline,
        repeat=outage.repeat,
        upstream=outage.upstream,
        names=report_names(article.title, article.text),
        ties=report_ties(article.title, article.text),
        setting=setting_of(article.title, article.text),
    )


def start(article: Article, outage: Outage) -> Incident:
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
        started_at=outage.started_at if article.published_from != "undated" else None,
        first_seen=article.published,
        updated_at=article.published,
        lead_article_id=article.id,
        articles=(reference(article, outage),),
        timeline=timeline,
        threads=(article.thread,) if article.thread else (),
        held=outage.aftermath,
    )


def grow(incident: Incident, article: Article, outage: Outage) -> Incident:
    dated = article.published_from != "undated"
    status, timeline = _advanced(incident, outage.status, article.published, article.id)
    report = reference(article, outage)
    # Every update of one status-page incident is about the event that incident
    # opened with, however many days its updates run on.
    opened = [
        moment
        for r in incident.articles
        if article.thread and r.thread == article.thread and (moment := report_time(r))
    ]
    if opened:
        report = report.model_copy(update={"event_at": min(opened)})
    articles = tuple(sorted((*incident.articles, report), key=lambda a: a.published))
    # A news report summarises better than a one-line status update.
    lead = incident.lead_article_id
    lead_ref = next((a for a in incident.articles if a.article_id == lead), None)
    if lead_ref is not None and lead_ref.status_page and article.status is None:
        lead = article.id
    starts = [t for t in (incident.started_at, outage.started_at if dated else None) if t]
    return incident.model_copy(
        update={
            "regions": tuple(dict.fromkeys((*incident.regions, *outage.regions))),
            "affected": tuple(dict.fromkeys((*incident.affected, *outage.affected))),
            "provider": incident.provider or outage.provider,
            "status": status,
            "started_at": min(starts) if starts else None,
            # An undated report says nothing about when the incident last moved.
            "updated_at": max(incident.updated_at, article.published)
            if dated
            else incident.updated_at,
            "revision": incident.revision + 1,
            "lead_article_id": lead,
            "articles": articles,
            "timeline": timeline,
            "threads": tuple(
                dict.fromkeys((*incident.threads, *([article.thread] if article.thread else [])))
            ),
            "held": incident.held and outage.aftermath,
        }
    )


def _advanced(
    incident: Incident, status: IncidentStatus | None, at: datetime, article_id: str
) -> tuple[IncidentStatus | None, tuple[TimelineEntry, ...]]:
    """``incident``'s status and timeline after a report saying ``status``: a report never
    moves it backwards."""
    if status and (incident.status is None or _LIFECYCLE[status] > _LIFECYCLE[incident.status]):
        entry = TimelineEntry(at=at, status=status, article_id=article_id)
        return status, (*incident.timeline, entry)
    return incident.status, incident.timeline


def admit(incident: Incident, report: IncidentArticle) -> Incident:
    """``incident`` with a follow-up moved into it as evidence, as if it had been filed
    there: its status and regions count (what it kept of them: not its casualties)."""
    report = report.model_copy(update={"attached": False, "subject": None})
    status, timeline = _advanced(incident, report.status, report.published, report.article_id)
    return attach(incident, report).model_copy(
        update={
            "status": status,
            "timeline": timeline,
            "regions": tuple(dict.fromkeys((*incident.regions, *report.regions))),
        }
    )


def attach(incident: Incident, report: IncidentArticle) -> Incident:
    """``incident`` listing ``report`` as an attached follow-up (``IncidentArticle.attached``):
    it changes nothing the incident says of its event (status, regions, casualties)."""
    articles = tuple(sorted((*incident.articles, report), key=lambda a: a.published))
    return incident.model_copy(
        update={
            "articles": articles,
            "revision": incident.revision + 1,
            "updated_at": incident.updated_at
            if report.undated
            else max(incident.updated_at, report.published),
        }
    )


def late_copies(incident: Incident, copies: set[str]) -> Incident:
    """``incident`` with its reports ``copies`` (near-duplicates of a late report just
    filed) marked late: a copy is as late as its original, whichever was read first."""
    if not any(a.article_id in copies and not a.late for a in incident.articles):
        return incident
    return incident.model_copy(
        update={
            "articles": tuple(
                a.model_copy(update={"late": True}) if a.article_id in copies else a
                for a in incident.articles
            )
        }
    )


def detach(incident: Incident, article_ids: set[str]) -> Incident:
    """``incident`` without the follow-ups ``article_ids``, moved to the incident they
    follow (``bot.incidents.distant``). It was last updated by the newest dated report it
    keeps: its message's byline and its retention no longer count the ones that left."""
    kept = tuple(a for a in incident.articles if a.article_id not in article_ids)
    dated = [a.published for a in kept if not a.undated]
    return incident.model_copy(
        update={
            "articles": kept,
            "revision": incident.revision + 1,
            "updated_at": max(dated) if dated else incident.updated_at,
        }
    )


def take_place_of(into: Incident, emptied: Incident) -> Incident:
    """``into`` after the last reports of ``emptied`` moved to it: ``emptied`` is gone,
    and where it was shown ``into`` is shown in its place."""
    return into.model_copy(update={"absorbed": _absorbing(into, emptied)})


def _absorbing(into: Incident, other: Incident) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*into.absorbed, other.id, *other.absorbed)))


def merge_all(incidents: list[Incident]) -> Incident:
    """One incident of several found to be the same event: the first keeps its id."""
    merged = incidents[0]
    for other in incidents[1:]:
        merged = _merge(merged, other)
    return merged


def _merge(into: Incident, other: Incident) -> Incident:
    statuses = [s for s in (into.status, other.status) if s is not None]
    starts = [t for t in (into.started_at, other.started_at) if t is not None]
    lead = into.lead_article_id
    lead_ref = next((a for a in into.articles if a.article_id == lead), None)
    other_lead = next((a for a in other.articles if a.article_id == other.lead_article_id), None)
    if lead_ref is not None and lead_ref.status_page and other_lead and not other_lead.status_page:
        lead = other_lead.article_id
    return into.model_copy(
        update={
            "provider": into.provider or other.provider,
            "regions": tuple(dict.fromkeys((*into.regions, *other.regions))),
            "affected": tuple(dict.fromkeys((*into.affected, *other.affected))),
            "status": max(statuses, key=lambda s: _LIFECYCLE[s]) if statuses else None,
            "started_at": min(starts) if starts else None,
            "first_seen": min(into.first_seen, other.first_seen),
            "updated_at": max(into.updated_at, other.updated_at),
            "revision": into.revision + 1,
            "lead_article_id": lead,
            "articles": tuple(sorted((*into.articles, *other.articles), key=lambda a: a.published)),
            "timeline": tuple(sorted((*into.timeline, *other.timeline), key=lambda t: t.at)),
            "threads": tuple(dict.fromkeys((*into.threads, *other.threads))),
            "absorbed": _absorbing(into, other),
            "held": into.held and other.held,
        }
    )
