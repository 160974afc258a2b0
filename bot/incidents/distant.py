"""Follow-ups weeks after their outage: where a late report goes that no rule of
``bot.incidents.tracker`` places.

A post-mortem, an analysis or a repost three weeks after an outage often names no day
("Cloudflare explains last month's R2 outage", a Chinese repost 19 days on). Past the
follow-up window (14 days) the tracker does not join it: another outage of the same
provider may have happened meanwhile, and which one a report without a day follows
is a guess. Here such a report is *attached* to the incident of its subject, named alike,
that began the nearest before it, up to DISTANT_FOLLOW_UP_WINDOW back: it is listed
with that incident and posted under it, but it is no evidence for matching (its time,
names and casualties are not the event's: ``Incident.evidence``).

The guess is revised as news comes in, so that reading order does not matter: when a
report is filed into an incident, attached reports of its subject that are nearer to
that incident's start than to their own incident's move to it, and so do incidents of
its subject holding only late reports (aftermath, a post-mortem read before any news of
its outage) that it fits. Whatever the
order, an attached report ends with the nearest earlier incident of its subject.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.incidents.book import IncidentBook
from bot.incidents.changes import attach, detach, reference
from bot.incidents.rules import (
    NO_SUBJECT,
    is_late,
    names_of,
    products_compatible,
    regions_compatible,
    report_time,
    same_unnamed_subject,
    shared_names,
    subject_of,
)
from bot.schema import Article, Incident, IncidentArticle, Outage

DISTANT_FOLLOW_UP_WINDOW = timedelta(days=28)


def distant_gap(incident: Incident, moment: datetime) -> timedelta | None:
    """How long after ``incident``'s event began (its earliest dated evidence) ``moment``
    is, if within DISTANT_FOLLOW_UP_WINDOW; None otherwise."""
    times = [when for report in incident.evidence if (when := report_time(report)) is not None]
    if not times:
        return None
    gap = moment - min(times)
    return gap if timedelta(0) <= gap <= DISTANT_FOLLOW_UP_WINDOW else None


def fits(incident: Incident, report: IncidentArticle) -> timedelta | None:
    """How long after ``incident`` began ``report`` (attached, of ``report.subject``) is,
    when it may be its follow-up: an outage not held, of compatible regions and products,
    and named alike: its headline names its subject, or it shares a name with the
    incident's news. A subject read only from the text is not enough weeks on (an outlet's
    stray "X" or a digest's other story gives a report a provider it is not about). None
    otherwise."""
    moment = report_time(report)
    if moment is None or incident.held or not incident.is_outage:
        return None
    if not regions_compatible(incident.regions, report.regions):
        return None
    if not products_compatible(incident, report.products):
        return None
    named = names_of(report)
    if report.subject == NO_SUBJECT:
        alike = any(
            same_unnamed_subject(report.title, named, other, report.ties)
            for other in incident.evidence
        )
    else:
        alike = report.subject_in_headline or any(
            shared_names(named, other, report.ties) for other in incident.evidence
        )
    return distant_gap(incident, moment) if alike else None


class DistantFollowUps:
    """Attaches late reports to the incident they most likely follow, and moves them
    when a nearer one is filed."""

    def __init__(self, book: IncidentBook) -> None:
        self._book = book

    def home(self, article: Article, outage: Outage, event: datetime | None) -> Incident | None:
        """The incident ``article`` (which no rule placed) is attached to, now holding it
        but not yet saved; None when it is no distant follow-up or none fits."""
        if event is None or article.thread or not is_late(outage) or outage.repeat:
            return None
        subject = subject_of(outage)
        report = reference(article, outage).model_copy(
            update={"attached": True, "subject": subject}
        )
        family = outage.provider_family if subject == outage.provider else ()
        found = [
            (gap, incident)
            for name in (subject, *family)
            for incident in self._book.by_subject(name, event - DISTANT_FOLLOW_UP_WINDOW)
            if (gap := fits(incident, report)) is not None
        ]
        if not found:
            return None
        _, nearest = min(found, key=lambda row: row[0])
        return attach(nearest, report)

    def settle(self, incident: Incident, outage: Outage, event: datetime) -> Incident:
        """Where ``incident``, just filed to by a report of ``outage``, is now: an incident
        of follow-ups only goes to the incident of its subject they follow, if one fits
        (a report read as first news turned out a copy of a late one); any other gets
        the follow-ups nearer to it than to where they are (``rehome``)."""
        if not _follow_ups_only(incident):
            return self.rehome(incident, outage, event) if not incident.held else incident
        subject = subject_of(outage)
        family = outage.provider_family if subject == outage.provider else ()
        found = [
            (gap, home, moving)
            for name in (subject, *family)
            for home in self._book.by_subject(name, event - DISTANT_FOLLOW_UP_WINDOW)
            if home.id != incident.id
            if (moving := _nearer_here(home, incident, subject))
            if (gap := fits(home, min(moving, key=_moment))) is not None
        ]
        if not found:
            return incident
        _, home, moving = min(found, key=lambda row: row[0])
        home = _moved_into(home, moving)
        self._book.move(home, detach(incident, {r.article_id for r in moving}),
                        [r.article_id for r in moving])  # fmt: skip
        return home

    def rehome(self, incident: Incident, outage: Outage, event: datetime) -> Incident:
        """``incident``, just filed to, with the attached follow-ups and held aftermath of
        its subject that are nearer to it than to where they are."""
        subjects = {subject_of(outage), *(outage.provider_family if outage.provider else ())}
        if incident.provider is None:
            subjects.add(NO_SUBJECT)
        seen = {incident.id}
        for subject in sorted(subjects):
            for other in self._book.by_subject(subject, event - DISTANT_FOLLOW_UP_WINDOW):
                if other.id in seen:
                    continue
                seen.add(other.id)
                moving = _nearer_here(incident, other, subject)
                if moving:
                    incident = _moved_into(incident, moving)
                    self._book.move(incident, detach(other, {r.article_id for r in moving}),
                                    [r.article_id for r in moving])  # fmt: skip
        return incident


def _nearer_here(incident: Incident, other: Incident, subject: str) -> list[IncidentArticle]:
    """The reports of ``other`` that belong to ``incident`` rather: its attached
    follow-ups of ``subject`` nearer to ``incident``'s first news than to ``other``'s;
    all of an incident of ``subject`` that holds only follow-ups, if ``incident`` fits
    its earliest."""
    if _follow_ups_only(other) and _subject(other, subject):
        as_attached = [
            r.model_copy(update={"attached": True, "subject": subject}) for r in other.articles
        ]
        dated = [r for r in as_attached if report_time(r) is not None]
        if dated and fits(incident, min(dated, key=_moment)):
            return as_attached
        return []
    nearer = []
    for report in other.articles:
        if not report.attached or report.subject != subject:
            continue
        here = fits(incident, report)
        there = distant_gap(other, report_time(report) or report.published)
        if here is not None and (there is None or here < there):
            nearer.append(report)
    return nearer


def _moment(report: IncidentArticle) -> datetime:
    return report_time(report) or report.published


def _follow_ups_only(incident: Incident) -> bool:
    """``incident`` holds only late reports (held aftermath, or a post-mortem or repost read
    before any news of its outage), none of them an official status page's."""
    return not incident.threads and all(r.late or r.attached for r in incident.articles)


def _subject(incident: Incident, subject: str) -> bool:
    """``incident`` is of ``subject`` (its provider, or its first casualty), or has no
    provider and ``subject`` is the index of those."""
    if incident.provider is None and subject == NO_SUBJECT:
        return True
    return (incident.provider or (incident.affected[:1] or (NO_SUBJECT,))[0]) == subject


def _moved_into(incident: Incident, reports: list[IncidentArticle]) -> Incident:
    for report in reports:
        incident = attach(incident, report)
    return incident
