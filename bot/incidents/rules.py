"""What may join what. Pure functions over values; no Redis.

* **Time is a hard constraint.** An article's event time is the start it states,
  else its publication time; an undated article has none unless it writes the
  event's full date ("on Monday 4th October 2021"). No rule joins an article to an
  incident if any dated report of it is more than FOLLOW_UP_WINDOW away (only a
  follow-up attached weeks on is further, and it is no evidence:
  ``bot.incidents.distant``). Undated articles join only on strong evidence: the same
  status-page thread, or near-duplicate text of a dated report.
* **Status-page incidents are official identities.** A report from one
  status-page incident never joins an incident that holds another incident of
  the same page: similar template phrasing ("We are investigating elevated error
  rates") is not the same event. News joins an official incident by subject and time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit

from bot.dedupe.textsim import char_pairs, jaccard
from bot.incidents.names import (
    chinese_names,
    is_place,
    same_name,
    title_names,
    without_outlet,
    written_in_chinese,
)
from bot.incidents.setting import same_setting
from bot.languages import in_simplified
from bot.schema import Article, Incident, IncidentArticle, Outage

FIRST_NEWS_WINDOW = timedelta(hours=72)
# Providers publish post-incident reviews within two weeks (Azure's PIRs, AWS's
# post-event summaries); a report further from an event is about another one.
FOLLOW_UP_WINDOW = timedelta(days=14)
OTHER_PROVIDER_WINDOW = timedelta(hours=24)
# Outages with no known provider or service are indexed here and matched on
# their titles (the name of the bank, the metro, the app).
NO_SUBJECT = "_unknown"
TITLE_SIMILARITY = 0.25


def subject_of(outage: Outage) -> str:
    """What an outage is *of*: the provider, else the first affected service."""
    if outage.provider:
        return outage.provider
    return outage.affected[0] if outage.affected else NO_SUBJECT


def event_time(article: Article, outage: Outage) -> datetime | None:
    """When the event happened as far as this report says (its stated start, else the
    day it states, else its publication); for an undated report the full date it
    writes, else None."""
    if article.published_from == "undated":
        return outage.event_day
    # A stated day is midnight of that day; the report's own time is kept when it
    # falls on that day (same-day news).
    if (
        outage.started_at is None
        and outage.event_day is not None
        and outage.event_day.date() != article.published.date()
    ):
        return outage.event_day
    return outage.started_at or article.published


def report_time(report: IncidentArticle) -> datetime | None:
    """A filed report's event time (reports filed before event times were kept: its
    publication time); an undated report's is the date it writes, if any."""
    if report.undated:
        return report.event_at
    return report.event_at or report.published


def within_window(incident: Incident, event: datetime | None) -> bool:
    """Every dated report of ``incident`` that is evidence (not a follow-up attached weeks
    on) is within FOLLOW_UP_WINDOW of ``event``."""
    if event is None:
        return True
    return all(
        abs(event - moment) <= FOLLOW_UP_WINDOW
        for report in incident.evidence
        if (moment := report_time(report)) is not None
    )


def has_dated_report(incident: Incident) -> bool:
    return any(report_time(report) is not None for report in incident.evidence)


def is_late(outage: Outage) -> bool:
    """Written days after the event: an aftermath story, a post-mortem, a translation
    of another outlet's report or a copy of a late one, or another follow-up (a summary,
    an explanation).
    Recovery is reported within hours, like first news, so it gets first news' window;
    unless the outage lasted days ("back online after nearly two weeks")."""
    if outage.aftermath or outage.translated or outage.copied or outage.status == "postmortem":
        return True
    return outage.follow_up and (outage.status != "resolved" or outage.lasted_days)


def closeness(
    incident: Incident, event: datetime, late: bool, published: datetime | None = None
) -> timedelta | None:
    """The time from this report to the closest dated report of ``incident`` that may be
    the same event (``close_enough``), comparing event times, and publication times
    too: one outlet states the day ("on Monday"), another only publishes the same day.
    None when none is close enough."""
    mine = [event, *([published] if published is not None else [])]
    # First news days before an incident's own first news is another event, however
    # near a late report of it (a post-mortem reaches back two weeks): else it would join
    # when read after the late report and not when read before it.
    first_news = () if late else _first_news_times(incident)
    before_news = (
        bool(first_news) and min(first_news) - max(map(_day_end, mine)) > FIRST_NEWS_WINDOW
    )
    gaps = [
        abs(moment - theirs)
        for report in incident.evidence
        if not (before_news and report.late) and (when := report_time(report)) is not None
        for theirs in {when, report.published}
        for moment in mine
        if close_enough(moment, late, theirs, report.late)
    ]
    return min(gaps) if gaps else None


def _first_news_times(incident: Incident) -> tuple[datetime, ...]:
    """The event times of ``incident``'s dated first-news reports (not late ones)."""
    return tuple(
        when
        for report in incident.evidence
        if not report.late
        if (when := report_time(report)) is not None
    )


def first_news_gap(incident: Incident, event: datetime) -> timedelta | None:
    """How far ``event`` is from the closest first-news report of ``incident`` (not a
    late one), counting a bare date as its whole day; None when it has none dated."""
    gaps = [
        # After a bare date (midnight UTC), count from its day's end.
        event - _day_end(when) if event > when else when - event
        for when in _first_news_times(incident)
    ]
    return max(timedelta(0), min(gaps)) if gaps else None


def event_gap(incident: Incident, event: datetime) -> timedelta:
    """How far ``event`` is from the closest event time of ``incident``'s dated reports:
    what ranks the candidates ``closeness`` admits. By publication times, a post-mortem
    that says "Tuesday's outage" and comes out on Friday is closest to whatever else
    happened on Thursday."""
    gaps = [
        abs(event - when)
        for report in incident.evidence
        if (when := report_time(report)) is not None
    ]
    return min(gaps) if gaps else timedelta.max


def close_enough(a: datetime, a_late: bool, b: datetime, b_late: bool) -> bool:
    """Two reports may be of one event: first news within FIRST_NEWS_WINDOW of each
    other; a late report (aftermath, post-mortem) up to FOLLOW_UP_WINDOW *after*
    first news, never long before it. Symmetric, so filing order does not matter.

    A time of exactly midnight UTC is a date without a time (a date-only field, a
    stated day): it stands for any moment of that day, so the comparison allows the
    whole day.
    """
    # The range of (a - b) over the moments each may stand for.
    least = a - _day_end(b)
    most = _day_end(a) - b
    if a_late and b_late:
        low, high = -FOLLOW_UP_WINDOW, FOLLOW_UP_WINDOW
    elif a_late:
        low, high = -FIRST_NEWS_WINDOW, FOLLOW_UP_WINDOW
    elif b_late:
        low, high = -FOLLOW_UP_WINDOW, FIRST_NEWS_WINDOW
    else:
        low, high = -FIRST_NEWS_WINDOW, FIRST_NEWS_WINDOW
    return least <= high and most >= low


def _day_end(moment: datetime) -> datetime:
    """The last moment ``moment`` may stand for: itself, or for a bare date its day's end."""
    if moment.astimezone(UTC).time() == time(0, 0):
        return moment + timedelta(days=1) - timedelta(microseconds=1)
    return moment


def other_thread(incident: Incident, article: Article) -> bool:
    """``article`` is an update of a status-page incident that ``incident`` does not hold,
    while it holds another one: similar text must not join them."""
    return bool(article.thread and incident.threads and article.thread not in incident.threads)


def official_conflict(incident: Incident, article: Article) -> bool:
    """``article`` is an update of another incident of a page ``incident`` already
    holds one of: two official incidents, never one, by any rule."""
    if not other_thread(incident, article):
        return False
    page = page_of(article.thread or "")
    return any(page_of(thread) == page for thread in incident.threads)


def page_of(thread: str) -> str:
    """The page (or feed of one service) a status-page incident belongs to.

    Statuspage threads are incident URLs: the host is the page. Google Cloud
    threads are "gcp:<id>". AWS Health posts one event per service and region
    ("aws:<service>:<time>"), so EC2's and DynamoDB's events of one morning are
    two pages' views of one event, and may join by provider, region and time.
    """
    if "://" in thread:
        return urlsplit(thread).netloc
    parts = thread.split(":")
    return ":".join(parts[:2]) if parts[0] == "aws" else parts[0]


def regions_compatible(known: tuple[str, ...], reported: tuple[str, ...]) -> bool:
    """Either side unknown, or the same main region.

    Only main regions (the first, most salient) are compared: "Oregon fails days
    after the Virginia outage" names both, but is about Oregon.
    """
    return not known or not reported or known[0] == reported[0]


def products_compatible(incident: Incident, products: tuple[str, ...]) -> bool:
    """Either side names none of the provider's products, or they share one: Instagram's
    outage and WhatsApp's the week before are two incidents of one Meta subject, while
    "Facebook, Instagram down" and "Instagram back" are one."""
    theirs = {p for report in incident.evidence for p in report.products}
    return not products or not theirs or bool(theirs & set(products))


def title_similarity(a: str, b: str) -> float:
    def kept(title: str) -> str:
        return _GENERIC.sub(" ", without_outlet(in_simplified(title)))

    return jaccard(char_pairs(kept(a)), char_pairs(kept(b)))


def names_of(report: IncidentArticle) -> tuple[str, ...]:
    """The names a filed report gives (reports filed before names were kept: its
    headline's)."""
    return report.names or tuple(title_names(report.title))


def shared_names(
    names: tuple[str, ...], report: IncidentArticle, ties: tuple[str, ...] = ()
) -> bool:
    """A report names what ``names`` names, or a name one of the two ties to what is down
    (its owner, its brand) is the other's own name. Two ties never meet: two companies
    one fund owns are two companies. A place is no name ("Japan's Hoshizora Air" and
    "Skyline Air flights in Japan" are two airlines)."""
    theirs = names_of(report)
    return any(
        same_name(mine, other) and not is_place(mine)
        for mine, other in (
            *((m, o) for m in names for o in theirs),
            *((t, o) for t in ties for o in theirs),
            *((m, t) for m in names for t in report.ties),
        )
    )


def same_unnamed_subject(
    title: str, names: tuple[str, ...], report: IncidentArticle, ties: tuple[str, ...] = ()
) -> bool:
    """Two reports of outages of something the catalogue has no name for are about the
    same thing: they share a name (or one ties a name to it that the other gives), or
    enough of their headlines' non-generic characters, unless both name someone and not
    the same one ("江城地铁…" and "北京地铁…", "Maryland … Department of Health" and
    "Brazilian Ministry of Health …" are worded alike and are two events)."""
    if shared_names(names, report, ties):
        return True
    if chinese_names(title) and chinese_names(report.title):
        return False
    if names and names_of(report):
        return False
    return title_similarity(title, report.title) >= TITLE_SIMILARITY


def same_setting_abroad(
    language: str,
    names: tuple[str, ...],
    setting: tuple[str, ...],
    event: datetime,
    late: bool,
    incident: Incident,
) -> bool:
    """``incident`` holds a report in the other language (one of them Chinese) close
    enough in time to be one event (first news within 72 hours of each other, a late
    report up to 14 days after first news), of the same kind of body in the same country,
    where the Chinese side names the company only in Chinese ("日本星空航空值机系统故障"
    and "Check-in system failure delays Hoshizora Air flights"). Not if a report of
    ``incident`` in this report's own language names someone else: a setting is weaker
    than a name, and Skyline Air's outage is not Hoshizora Air's because one Chinese
    report of "日本一家航空公司" might be either."""
    mine = language[:2]
    if names and any(
        report.language[:2] == mine and names_of(report) and not shared_names(names, report)
        for report in incident.evidence
    ):
        return False
    return any(
        report.language[:2] != mine
        and "zh" in (mine, report.language[:2])
        and all(written_in_chinese(n) for n in (names if mine == "zh" else names_of(report)))
        and (when := report_time(report)) is not None
        and close_enough(event, late, when, report.late)
        and same_setting(setting, report.setting)
        for report in incident.evidence
    )


# Words every outage headline shares, its cause's too ("ransomware attack disrupts …");
# only what is left (the names) is compared.
_GENERIC = re.compile(
    r"\b(outages?|down|is|are|was|the|a|an|of|for|in|on|at|after|hits?|service|services|app|"
    r"apps|users?|customers?|fail(s|ed|ing)?|restored|back|online|offline|errors?|issues?|"
    r"problems?|global|major|hours?|ransomware|cyber-?attacks?|attacks?|hack(ed|ers?)?|ddos|"
    r"disrupt(s|ed|ing|ions?)?|crippl(e|es|ed|ing)|shut(s|ting)?|systems?|operations|"
    r"websites?|by|with|and|to)\b|故障|宕机|中断|恢复|已|正常|服务|用户|无法|访问|全球|大面积|"
    r"网络攻击|攻击|黑客|勒索",
    re.IGNORECASE,
)


def mergeable(candidates: list[Incident]) -> list[Incident]:
    """The first candidate, and every later one that can be one incident with all
    those kept: within the follow-up window of each other, no two incidents of one
    status page, main regions compatible."""
    kept: list[Incident] = []
    for candidate in candidates:
        if all(_can_merge(candidate, other) for other in kept):
            kept.append(candidate)
    return kept


def _can_merge(a: Incident, b: Incident) -> bool:
    if a.id == b.id or not regions_compatible(a.regions, b.regions):
        return False
    pages = {page_of(t) for t in a.threads}
    if any(page_of(t) in pages and t not in a.threads for t in b.threads):
        return False
    return all(
        abs(x - y) <= FOLLOW_UP_WINDOW
        for ra in a.evidence
        if (x := report_time(ra)) is not None
        for rb in b.evidence
        if (y := report_time(rb)) is not None
    )


def with_bridged(
    first: Incident, others: list[Incident], event: datetime, late: bool
) -> list[Incident]:
    """``first``, and the ``others`` this report bridges to it: first news bridges to first
    news within first news' window of it. A follow-up's longer window (this report's, or a
    late report's of the other incident: a lawmaker's letter about last week's outage)
    would join last week's outage of the subject to this one; so a late report bridges
    only incidents whose first news are within that window of each other: one day's
    reports that name the brand ("Tasklane goes down") and its owner ("Corvid Software
    says outage was not a hack"), which the late report names both of ("Corvid CEO
    apologises for Tasklane outage")."""
    if not late:
        return mergeable([first, *(i for i in others if has_recent_news(i, event))])
    news = _first_news_times(first)
    return mergeable(
        [first, *(i for i in others if any(has_recent_news(i, when) for when in news))]
    )


def has_recent_news(incident: Incident, event: datetime) -> bool:
    """``incident`` has first news (not a late report) within first news' window of
    ``event``."""
    gap = first_news_gap(incident, event)
    return gap is not None and gap <= FIRST_NEWS_WINDOW


def is_about(incident: Incident, brand: str) -> bool:
    """``incident`` is the outage of ``brand`` itself (its subject, or a product of its
    provider that its reports are about), not one that names it as a casualty."""
    if incident.provider is None:
        return incident.affected[:1] == (brand,)
    return any(brand in report.products for report in incident.evidence)
