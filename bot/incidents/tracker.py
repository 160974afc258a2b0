"""Filing classified articles into incidents: one incident per real-world event.

An outage article joins an existing incident when one of these holds, checked
in this order, and always within the rules of ``bot.incidents.rules`` (no join
across more than the follow-up window of event time; two incidents of one
status page never become one):

1. it is an update of the same status-page incident (same ``thread``);
2. it cites a filed report as its source ("原文地址：…", a translation), or a filed
   report cites it; or its text is a near-duplicate (MinHash LSH) of an article
   already filed, and they are not updates of two different status-page incidents;
3. it is about the same subject (the provider, or for outages of something else
   the first affected service), its regions are compatible (either side unknown,
   or overlapping), so are the provider's products it names (Instagram is not
   WhatsApp), and its event time is close to the incident's reports:
   within 72 hours for first news and recovery, within 14 days for aftermath
   (cost, apology, root cause, post-mortem); of several, the one whose event times are
   nearest the event this report names. A report whose *other* named providers match an
   incident of the last 24 hours joins it too (the CrowdStrike update was
   reported as a "Microsoft outage" by some outlets).

A follow-up that names its outage's month but no day ("fined over March outage",
"二月系统故障") is read as of the first news, that month, of the incident it would join
then; with none, as of its publication. (Read before the outage's news, as no feed
publishes it, it stays a held incident of its own.)
Undated articles join only by rules 1 and 2 (a citation or near-duplicate of a dated
report), unless they write the event's full date ("on Monday 4th October 2021"), or
its day in the year of the page's own posted/updated note: that is then their event
time for rule 3. A report with a provider also finds a provider-less
incident whose subject is one of its casualties, the mirror of rule 3's casualty index,
so that which of the two came first does not matter. The same holds within a day for a
casualty that is a provider itself, when the other is what others run on (a cloud, a CDN,
a security agent: ``Outage.upstream``): "B站崩了" and "Alibaba Cloud outage takes down
Bilibili" are one incident in either order, and a cloud report that finds its cloud's
incident brings the casualty's incident into it.
An open follow-up (a late report naming no day) that none of these places is attached
to the incident of its subject up to four weeks before it, and moves to a nearer one
when that is filed (``bot.incidents.distant``); it is listed, but no evidence for
matching (``Incident.evidence``).
Otherwise the article starts a new incident. An aftermath story (cost, apology,
lawsuit, root cause…) of an outage we have not seen starts a *held* one: never
listed or posted, it becomes a real incident when news of the outage joins it,
so the result is the same whichever of the two was read first. A first-news report
within the first-news window of two incidents' first news merges them, for the same
reason (an incident's late report does not count: a lawmaker's letter about last
week's outage is no bridge to this week's). A late report bridges only incidents whose
first news are within that window of each other (the brand's and its owner's reports of
one day, which an apology a week later names both of). A report whose
headline says it is another outage ("second IT failure in a week", "再次崩了") joins no
incident whose first news is older than the first-news window.
Filing holds one Redis lock so two workers cannot both start an incident for
the same event.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from datasketch import MinHash

from bot.dedupe.neardup import NearDuplicates, signature
from bot.errors import UnreadableRecord
from bot.incidents.book import IncidentBook
from bot.incidents.changes import grow, late_copies, merge_all, start
from bot.incidents.distant import DistantFollowUps
from bot.incidents.names import report_names
from bot.incidents.outcome import Filing
from bot.incidents.owners import report_ties
from bot.incidents.rules import (
    FOLLOW_UP_WINDOW,
    NO_SUBJECT,
    OTHER_PROVIDER_WINDOW,
    closeness,
    event_gap,
    event_time,
    has_dated_report,
    has_recent_news,
    is_about,
    is_late,
    mergeable,
    official_conflict,
    other_thread,
    products_compatible,
    regions_compatible,
    report_time,
    same_setting_abroad,
    same_unnamed_subject,
    subject_of,
    title_similarity,
    with_bridged,
    within_window,
)
from bot.incidents.setting import setting_of
from bot.ops import metrics
from bot.schema import Article, Incident, IncidentArticle, Outage
from bot.store import Store

# A filed near-duplicate of a report, and the incident it is filed under.
Copy = tuple[IncidentArticle, Incident]

LOCK_TIMEOUT_S = 10  # a holder that dies frees the lock after this
LOCK_WAIT_S = 120  # a busy peer filing a large batch may hold it often for a while


class IncidentTracker:
    """Files classified articles into incidents."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._book = IncidentBook(store)
        self._near = NearDuplicates(store)
        self._distant = DistantFollowUps(self._book)

    @property
    def book(self) -> IncidentBook:
        return self._book

    def file(self, article: Article, outage: Outage) -> Incident:
        """The incident ``article`` now belongs to (new or grown), saved. An aftermath
        story of an outage no incident holds gets a held one (``Incident.held``)."""
        return self.file_once(article, outage).incident

    def file_once(self, article: Article, outage: Outage) -> Filing:
        """Like ``file``, with whether this call filed it and what else it changed."""
        # Cheap check first: a second worker walking the same list skips what the
        # first has filed without queueing for the lock.
        done = self._filed_incident(article.id)
        if done is not None:
            return Filing(done, mine=False)
        minhash = signature(f"{article.title}\n{article.text}")
        with self._store.redis.lock(
            self._store.keys.incident_lock(),
            timeout=LOCK_TIMEOUT_S,
            blocking_timeout=LOCK_WAIT_S,
            sleep=0.01,
        ):
            existing = self._filed_incident(article.id)
            if existing is not None:  # filed by another worker meanwhile
                return Filing(existing, mine=False)
            copies = self._copies(minhash)
            # A copy of a late report (a repost of a translated post-mortem) is as late.
            if outage.is_outage and any(report.late for report, _ in copies):
                outage = outage.model_copy(update={"copied": True})
            if outage.is_outage and outage.event_month is not None:
                outage = self._in_named_month(article, outage, outage.event_month, copies)
            matches = self._match(article, outage, copies) if outage.is_outage else []
            event = event_time(article, outage)
            attached = (
                self._distant.home(article, outage, event)
                if outage.is_outage and not matches
                else None
            )
            if attached is not None:  # a follow-up weeks on (bot.incidents.distant)
                incident = attached
            elif not matches:  # an aftermath story starts a held incident (see Incident.held)
                incident = start(article, outage)
            else:
                # A report that bridges two incidents (a day between each and it, but
                # four between them) makes them one: the result must not depend on
                # which of the three was read first.
                incident = grow(merge_all(matches), article, outage)
            # ... and so are its copies filed before it, read then as first news.
            if is_late(outage):
                incident = late_copies(incident, {report.article_id for report, _ in copies})
            self._book.save(incident, article, outage, absorbed=matches[1:])
            self._near.add(article.id, minhash)
            changed: tuple[Incident, ...] = ()
            if attached is None and event is not None and incident.is_outage:
                # An incident now of follow-ups only goes to the outage they follow, if
                # one fits; follow-ups attached elsewhere, and aftermath held for want of
                # news, may be nearer to this incident now.
                settled = self._distant.settle(incident, outage, event, article.id)
                incident, changed = settled.incident, settled.changed
        if matches or attached is not None:
            metrics.INCIDENTS_UPDATED.inc()
        elif outage.is_outage:
            metrics.INCIDENTS_OPENED.inc()
        return Filing(incident, mine=True, changed=changed)

    def _filed_incident(self, article_id: str) -> Incident | None:
        filed = self._store.redis.get(self._store.keys.filed(article_id))
        return self._book.get(str(filed)) if filed else None

    def _in_named_month(
        self, article: Article, outage: Outage, first: datetime, copies: list[Copy]
    ) -> Outage:
        """A follow-up that names its outage's month but no day ("fined over March
        outage"): its event is the first news, that month, of the incident it joins when
        read as of that month. It is read as of mid-month and as of the month's end (a
        follow-up's window reaches FOLLOW_UP_WINDOW back, so the two cover the month);
        with no such incident it stays as of its publication."""
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(microseconds=1)
        for probe in (first + FOLLOW_UP_WINDOW, last):
            probed = outage.model_copy(update={"event_day": probe, "started_at": None})
            for incident in self._match(article, probed, copies):
                news = [
                    when
                    for report in incident.evidence
                    if not report.late
                    and (when := report_time(report)) is not None
                    and first <= when <= last
                ]
                if news:
                    return outage.model_copy(update={"event_day": min(news), "started_at": None})
        return outage

    def _match(self, article: Article, outage: Outage, copies: list[Copy]) -> list[Incident]:
        """The incident(s) ``article`` joins, closest first; several when it bridges them."""
        if article.thread:
            by_thread = self._book.by_thread(article.thread)
            if by_thread is not None:
                return [by_thread]
        event = event_time(article, outage)
        # A translation citing a filed report as its source (or the source, cited by
        # a filed translation): the same story, whatever the words and days between.
        linked = self._book.linked(article)
        if (
            linked is not None
            and self._admissible(linked, article, event)
            and (event is not None or has_dated_report(linked))
        ):
            return [linked]
        for incident in {incident.id: incident for _, incident in copies}.values():
            if other_thread(incident, article) or not within_window(incident, event):
                continue
            if event is not None or has_dated_report(incident):
                return [incident]
        if event is None:
            return []  # undated: only a thread or a dated near-duplicate places it
        late = is_late(outage)
        subject = subject_of(outage)
        since = event - FOLLOW_UP_WINDOW * 2
        if subject != NO_SUBJECT:
            family = outage.provider_family if subject == outage.provider else ()
            for name in (subject, *family):
                found = self._closest(
                    self._book.by_subject(name, since), article, outage, event, late
                )
                if found:
                    return mergeable([*found, *self._casualty_links(article, outage, event)])
        if outage.provider is None:
            # No provider: an affected service named in passing is a weak subject;
            # the company its headline names is a better one.
            found = self._by_title(article, outage, event, late)
            if found:
                return found
        if outage.provider is not None:
            # A casualty and the report that named it one ("B站崩了", "Alibaba Cloud
            # outage takes down Bilibili"), in either order, are one event.
            found = mergeable(self._casualty_links(article, outage, event))
            if found:
                return found
        for other in outage.providers[1:3]:
            candidates = self._book.by_subject(other, event - OTHER_PROVIDER_WINDOW * 2)
            found = self._closest(candidates, article, outage, event, late,
                                  limit=OTHER_PROVIDER_WINDOW)  # fmt: skip
            if found:
                return found
        if outage.provider is not None:
            # The other way round of a provider-less report finding this incident by
            # its subject among our casualties: this report finds that report's.
            return self._casualty_of(article, outage, event, late, since)
        return []

    def _casualty_of(
        self, article: Article, outage: Outage, event: datetime, late: bool, since: datetime
    ) -> list[Incident]:
        """Incidents with no provider whose subject (their first casualty) is one of
        this report's casualties: "Delta grounds flights" and "CrowdStrike update crashes
        Windows machines; Delta, United hit" are one event whichever came first."""
        for brand in outage.affected:
            candidates = [
                incident
                for incident in self._book.by_subject(brand, since)
                if incident.provider is None and incident.affected[:1] == (brand,)
            ]
            found = self._closest(candidates, article, outage, event, late)
            if found:
                return found
        return []

    def _casualty_links(self, article: Article, outage: Outage, event: datetime) -> list[Incident]:
        """Incidents, within a day, that are the outages of this upstream report's
        casualties (of another provider, or of none), or incidents of an upstream provider
        that name this report's own brand as a casualty: "B站崩了" (Bilibili's own outage,
        to all that report knew) and "Alibaba Cloud outage takes down Bilibili" are one
        event whichever came first. The same checks both ways round, so that the order
        of reading does not matter. A casualty's own outage a week earlier is another
        event."""
        own = {outage.provider, *outage.provider_family}
        since = event - OTHER_PROVIDER_WINDOW * 2
        # Only what others run on has casualties: "Zoom down; many switch to Teams"
        # names Teams in passing, and Teams' own outage that day is another event.
        candidates = {
            incident.id: incident
            for brand in (outage.affected if outage.upstream else ())  # our casualties'
            for incident in self._book.by_subject(brand, since)
            if is_about(incident, brand)
        }
        candidates.update(
            (incident.id, incident)
            for brand in outage.products  # incidents of what we run on, naming our brand
            for incident in self._book.by_subject(brand, since)
            if brand in incident.affected and any(r.upstream for r in incident.evidence)
        )
        found: list[tuple[timedelta, timedelta, Incident]] = []
        for incident in candidates.values():
            if incident.provider in own or not regions_compatible(incident.regions, outage.regions):
                continue
            gap = closeness(incident, event, False, article.published)
            if gap is None or gap > OTHER_PROVIDER_WINDOW:
                continue
            if self._admissible(incident, article, event):
                found.append((event_gap(incident, event), gap, incident))
        return [incident for *_, incident in sorted(found, key=lambda row: row[:2])]

    def _copies(self, minhash: MinHash) -> list[Copy]:
        """Filed near-duplicates of a report (most similar first) and their incidents,
        where those are outages."""
        found: list[Copy] = []
        for similar_id, _score in self._near.similar(minhash):
            filed = self._store.redis.get(self._store.keys.filed(similar_id))
            try:
                incident = self._book.get(str(filed)) if filed else None
            except UnreadableRecord:  # another version's incident: not one to join here
                continue
            if incident is not None and incident.is_outage:
                report = next((r for r in incident.articles if r.article_id == similar_id), None)
                if report is not None:
                    found.append((report, incident))
        return found

    def _by_title(
        self, article: Article, outage: Outage, event: datetime, late: bool
    ) -> list[Incident]:
        """For outages of something the catalogue has no name for: recent incidents whose
        headlines name the same thing ("Ingram Micro", "Harbour Mutual app …"), nearest
        in time first."""
        names = report_names(article.title, article.text)
        ties = report_ties(article.title, article.text)
        setting = setting_of(article.title, article.text)
        found: list[tuple[timedelta, float, Incident]] = []
        by_setting: list[Incident] = []
        for incident in self._book.by_subject(NO_SUBJECT, event - FOLLOW_UP_WINDOW * 2):
            if not self._admissible(incident, article, event):
                continue
            if closeness(incident, event, late, article.published) is None:
                continue
            if outage.repeat and not has_recent_news(incident, event):
                continue
            if any(same_unnamed_subject(article.title, names, a, ties) for a in incident.evidence):
                score = max(title_similarity(article.title, a.title) for a in incident.evidence)
                found.append((event_gap(incident, event), -score, incident))
            elif same_setting_abroad(article.language, names, setting, event, late, incident):
                by_setting.append(incident)
        if found:
            # The nearest in time (then the most alike), and those it bridges.
            best, *others = (i for *_, i in sorted(found, key=lambda row: row[:2]))
            return with_bridged(best, others, event, late)
        # A setting is weaker evidence than a name: it joins one incident only where it
        # is the only one, and bridges none.
        return by_setting if len(by_setting) == 1 else []

    def _closest(
        self,
        candidates: list[Incident],
        article: Article,
        outage: Outage,
        event: datetime,
        late: bool,
        *,
        limit: timedelta | None = None,
    ) -> list[Incident]:
        found: list[tuple[timedelta, timedelta, Incident]] = []
        for incident in candidates:
            if not regions_compatible(incident.regions, outage.regions):
                continue
            if not products_compatible(incident, outage.products):
                continue
            gap = closeness(incident, event, late, article.published)
            if gap is None or (limit is not None and gap > limit):
                continue
            # Another outage ("second failure in a week") is news of no incident whose
            # first news is older than first news' window.
            if outage.repeat and not has_recent_news(incident, event):
                continue
            if self._admissible(incident, article, event):
                found.append((event_gap(incident, event), gap, incident))
        if not found:
            return []
        closest, *others = (i for *_, i in sorted(found, key=lambda row: row[:2]))
        return with_bridged(closest, others, event, late)

    @staticmethod
    def _admissible(incident: Incident, article: Article, event: datetime | None) -> bool:
        return (
            incident.is_outage
            and within_window(incident, event)
            and not official_conflict(incident, article)
        )
