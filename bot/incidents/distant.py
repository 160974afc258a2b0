"""Follow-ups weeks after their outage: where a late report goes that no rule of
``bot.incidents.tracker`` places.

A post-mortem, an analysis or a repost three weeks after an outage often names no day
("Cloudflare explains last month's R2 outage", a Chinese repost 19 days on). Past the
follow-up window (14 days) the tracker does not join it: another outage of the same
provider may have happened meanwhile, and which one a report without a day follows
is a guess. Here such an *open* follow-up (late, naming no day of its own, not saying
it is another outage) is *attached* to the incident of its subject, named alike, that
began the nearest before it, up to DISTANT_FOLLOW_UP_WINDOW back: it is listed with that
incident and posted under it, but it is no evidence for matching (its time, names and
casualties are not the event's: ``Incident.evidence``).

The guess is revised as news comes in: when a report is filed into an incident,
attached reports of its subject that it fits nearer than their own incident move to
it, and so do the open follow-ups of incidents holding nothing else (aftermath, or a
post-mortem read before any news of its outage). An attached report thus ends with
the nearest earlier incident of its subject whichever was read first. (Not
order-free: a late report within 14 days of an incident already there when it is read
joins it as evidence, and is not moved.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.incidents.book import IncidentBook
from bot.incidents.changes import admit, attach, detach, reference, take_place_of
from bot.incidents.outcome import Settled
from bot.incidents.rules import (
    NO_SUBJECT,
    closeness,
    is_late,
    names_of,
    products_compatible,
    regions_compatible,
    report_time,
    same_unnamed_subject,
    shared_names,
    subject_of,
    within_window,
)
from bot.schema import Article, Incident, IncidentArticle, Outage

DISTANT_FOLLOW_UP_WINDOW = timedelta(days=28)
# A report whose event time is further than this from its publication names its day
# ("post-mortem of the March 20 outage"): it says which outage it follows.
OWN_DAY = timedelta(days=1)


def distant_gap(incident: Incident, moment: datetime) -> timedelta | None:
    """How long after ``incident``'s event began (its earliest dated evidence) ``moment``
    is, if within DISTANT_FOLLOW_UP_WINDOW; None otherwise."""
    times = [when for report in incident.evidence if (when := report_time(report)) is not None]
    if not times:
        return None
    gap = moment - min(times)
    return gap if timedelta(0) <= gap <= DISTANT_FOLLOW_UP_WINDOW else None


def is_open_follow_up(report: IncidentArticle) -> bool:
    """A late report that does not say which outage it follows: no day of its own (a
    translation's "昨日" is its source's, within a day of it), not "another outage",
    not an official status page's update, and dated."""
    moment = report_time(report)
    return (
        report.late
        and not report.repeat
        and not report.thread
        and moment is not None
        and abs(report.published.date() - moment.date()) <= OWN_DAY
    )


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
    """Attaches open follow-ups to the incident they most likely follow, and moves them
    when a nearer one is filed."""

    def __init__(self, book: IncidentBook) -> None:
        self._book = book

    def home(self, article: Article, outage: Outage, event: datetime | None) -> Incident | None:
        """The incident ``article`` (which no rule placed) is attached to, now holding it
        but not yet saved; None when it is no open follow-up or none fits."""
        # The cheap checks first: most reports that no rule places are first news, and
        # a reference reads the text for names, ties and setting.
        if event is None or not is_late(outage) or outage.repeat or article.thread:
            return None
        report = reference(article, outage)
        if not is_open_follow_up(report):
            return None
        report = report.model_copy(update={"attached": True, "subject": subject_of(outage)})
        found = [
            (gap, incident)
            for incident in self._of_subject(outage, event).values()
            if (gap := fits(incident, report)) is not None
        ]
        if not found:
            return None
        _, nearest = min(found, key=lambda row: row[0])
        return attach(nearest, report)

    def settle(self, incident: Incident, outage: Outage, event: datetime, filed: str) -> Settled:
        """Where ``incident``, just filed to by a report of ``outage``, is now. One that
        holds only follow-ups (a report read as first news turned out a copy of a late
        one) sends each open one to the incident of its subject it fits nearest; any
        other gets the follow-ups nearer to it than to where they are (``rehome``). An
        incident left empty is removed. Returned: the incident that holds ``filed`` (the
        article just filed) now, and the others that changed."""
        if not _follow_ups_only(incident):
            return self.rehome(incident, outage, event) if not incident.held else Settled(incident)
        subject = subject_of(outage)
        movable = _movable(incident, subject)
        # None to move; or one report, the one just filed into an incident of its own,
        # for which ``home`` has looked already.
        if not movable or len(incident.articles) == 1:
            return Settled(incident)
        homes = self._of_subject(outage, event)
        homes.pop(incident.id, None)
        bound: dict[str, list[IncidentArticle]] = {}
        for report, _ in movable:
            found = [(gap, h) for h in homes.values() if (gap := fits(h, report)) is not None]
            if found:
                bound.setdefault(min(found, key=lambda row: row[0])[1].id, []).append(report)
        holding = None  # where the report just filed went, if it moved
        grown: dict[str, Incident] = {}
        for home_id, reports in bound.items():
            into, incident = self._move(homes[home_id], incident, reports)
            grown[into.id] = into
            if any(r.article_id == filed for r in reports):
                holding = into
        now = holding or incident
        changed = [i for i in (*grown.values(), incident) if i.id != now.id and i.articles]
        return Settled(now, tuple(changed))

    def rehome(self, incident: Incident, outage: Outage, event: datetime) -> Settled:
        """``incident``, just filed to, with the attached follow-ups of its subject it fits
        nearer than their incidents do, and the open follow-ups of incidents of its
        subject that hold only follow-ups."""
        subjects = set(_subjects(outage))
        if incident.provider is None:
            subjects.add(NO_SUBJECT)
        seen = {incident.id}
        changed: list[Incident] = []
        for subject in sorted(subjects):
            for other in self._book.by_subject(subject, event - DISTANT_FOLLOW_UP_WINDOW):
                if other.id in seen:
                    continue
                seen.add(other.id)
                moving = [
                    report
                    for report, placed in _movable(other, subject)
                    if _nearer(fits(incident, report), other if placed else None, report)
                ]
                if moving:
                    incident, left = self._move(incident, other, moving)
                    changed += [left] if left.articles else []
        return Settled(incident, tuple(changed))

    def _of_subject(self, outage: Outage, event: datetime) -> dict[str, Incident]:
        """The incidents (by id) of ``outage``'s subject and its family that began up to
        DISTANT_FOLLOW_UP_WINDOW before ``event``."""
        since = event - DISTANT_FOLLOW_UP_WINDOW
        return {i.id: i for name in _subjects(outage) for i in self._book.by_subject(name, since)}

    def _move(
        self, into: Incident, source: Incident, reports: list[IncidentArticle]
    ) -> tuple[Incident, Incident]:
        """Store ``reports`` moved from ``source`` to ``into``; both as now stored (a
        ``source`` left empty is removed, and ``into`` takes its place). One within the
        windows of ``into``'s evidence becomes evidence, as if filed there when it was
        read (a post-mortem read before the second outage's news, then moved to it, says
        what it would have said read after)."""
        for report in reports:
            into = admit(into, report) if _within_windows(into, report) else attach(into, report)
        left = detach(source, {report.article_id for report in reports})
        if not left.articles:
            into = take_place_of(into, left)
        self._book.move(into, left, reports)
        return into, left


def _within_windows(incident: Incident, report: IncidentArticle) -> bool:
    """``report``, a late one, is close enough to ``incident``'s evidence to have joined it
    by time (bot.incidents.rules: up to FOLLOW_UP_WINDOW after first news)."""
    moment = report_time(report)
    return (
        moment is not None
        and closeness(incident, moment, True, report.published) is not None
        and within_window(incident, moment)
    )


def _subjects(outage: Outage) -> tuple[str, ...]:
    """The index names a report of ``outage`` looks for its incident under: its subject,
    and for a provider, its family (a company and its cloud)."""
    subject = subject_of(outage)
    return (subject, *(outage.provider_family if subject == outage.provider else ()))


def _movable(incident: Incident, subject: str) -> list[tuple[IncidentArticle, bool]]:
    """The reports of ``incident`` that may move to an incident of ``subject``, as they
    would be attached there, each with whether it is placed (attached here, so it moves
    only somewhere nearer): its attached follow-ups of ``subject``, and, when it holds
    only follow-ups and is of ``subject``, its open ones."""
    if _follow_ups_only(incident) and _is_of(incident, subject):
        return [
            (report.model_copy(update={"attached": True, "subject": subject}), report.attached)
            for report in incident.articles
            if report.attached or is_open_follow_up(report)
        ]
    return [(r, True) for r in incident.articles if r.attached and r.subject == subject]


def _nearer(here: timedelta | None, there: Incident | None, report: IncidentArticle) -> bool:
    """``here`` (how far ``report`` is from another incident's start, if it fits it) is
    nearer than ``there``, the incident it is attached to (None: it has no home yet)."""
    if here is None:
        return False
    if there is None:
        return True
    now = distant_gap(there, report_time(report) or report.published)
    return now is None or here < now


def _follow_ups_only(incident: Incident) -> bool:
    """``incident`` holds only late reports (held aftermath, or a post-mortem or repost read
    before any news of its outage), none of them an official status page's."""
    return not incident.threads and all(r.late or r.attached for r in incident.articles)


def _is_of(incident: Incident, subject: str) -> bool:
    """``incident`` is of ``subject`` (its provider, or its first casualty), or has no
    provider and ``subject`` is the index of those."""
    if incident.provider is None and subject == NO_SUBJECT:
        return True
    return (incident.provider or (incident.affected[:1] or (NO_SUBJECT,))[0]) == subject
