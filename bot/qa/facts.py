"""Questions the incident itself can answer: region, timing, affected services, status, cause.

An incident already knows its regions, its start and end, what was hit and how far
along it is; passage search alone answered "Which region?" with whatever passage
shared the most words. These questions are answered from those facts first, each
with the passages that state them as evidence; when neither the facts nor any
passage answer, the reply says so ("The reports don't say …") and quotes nothing.
Questions about anything else go to passage search as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import islice
from typing import Literal
from zoneinfo import ZoneInfo

from bot.digest.briefing import confirmation, duration_text, timing
from bot.digest.lead import root_cause_report
from bot.languages import LANGUAGES, Language
from bot.outage.entities import EntityCatalog
from bot.outage.rootcause import CAUSE_TEXT, STRONG_CAUSE
from bot.qa.retrieve import Passage, passages, retrieve
from bot.schema import Article, Frozen, Incident, Outage

Topic = Literal["cause", "region", "time", "status", "affected"]
UTC = ZoneInfo("UTC")

# Checked in this order: "which region was affected" asks for a region, not services,
# and "why did it go down" for a cause, not a status.
_TOPICS: tuple[tuple[Topic, re.Pattern[str], tuple[str, ...]], ...] = (
    (
        "cause",
        re.compile(r"\b(root[- ]?cause|caused?|causes|why|reasons?|triggered|due to)\b", re.I),
        ("原因", "为什么", "为何", "根因", "起因", "导致", "怎么回事", "什么引起"),
    ),
    (
        "region",
        re.compile(r"\b(regions?|where|zones?|data ?cent(?:er|re)s?|locations?)\b", re.I),
        ("地区", "区域", "地域", "哪个区", "哪些区", "哪里", "机房", "可用区"),
    ),
    (
        "time",
        re.compile(
            r"\b(when|what time|start(?:ed|s)?|beg[au]n|begin|how long|duration|last(?:ed)?"
            r"|since|end(?:ed)?)\b",
            re.I,
        ),
        ("什么时候", "何时", "几点", "开始", "多久", "多长时间", "持续", "时长", "结束"),
    ),
    (
        "status",
        re.compile(
            r"\b(status|resolved|fixed|still (?:down|out|broken)|back (?:up|online)|over"
            r"|recovered|restored|working again|confirmed)\b",
            re.I,
        ),
        ("恢复", "解决", "状态", "修复", "还在", "好了", "确认"),
    ),
    (
        "affected",
        re.compile(
            r"\b(affected|impact(?:ed|s)?|services?|which (?:apps|sites|companies|customers)"
            r"|who (?:was|were|is))\b",
            re.I,
        ),
        ("影响", "受影响", "哪些服务", "波及", "哪些网站", "哪些应用"),
    ),
)
# A time of day, a date, a zone or a duration: what a passage about timing contains.
_TIME_TEXT = re.compile(
    r"\d{1,2}[:：]\d{2}|\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?)\b|\b(?:PST|PDT|EST|EDT|UTC|GMT|ET|PT)\b"
    r"|\d+\s*(?:hours?|minutes?|hrs?)\b|\d+\s*(?:点|时|小时|分钟)|上午|下午|凌晨|北京时间|月\d+日",
    re.I,
)


class Facts(Frozen):
    """What an incident (or one classified article) knows about the event."""

    provider: str | None = None  # what the incident is an outage of
    regions: tuple[str, ...] = ()  # region keys, "aws:us-east-1"
    affected: tuple[str, ...] = ()  # casualties (the provider's own brands are looked up)
    status: str | None = None
    confirmation: str | None = None
    started: datetime | None = None
    resolved: datetime | None = None  # an official end, or the first news of recovery
    official_end: bool = False
    # Article ids of root-cause reports (post-mortems, official summaries): a cause is
    # looked for there first, before the passing guesses of first news.
    cause_reports: tuple[str, ...] = ()
    date_only: bool = False  # ``started`` is only a day (bot/digest/briefing.py)

    @classmethod
    def of_incident(cls, incident: Incident, provider_name: str | None = None) -> Facts:
        told = timing(incident)
        return cls(
            provider=incident.provider,
            regions=incident.regions,
            affected=incident.affected,
            status=incident.status,
            confirmation=confirmation(incident, provider_name),
            started=told.started,
            resolved=told.resolved if told.over else None,
            official_end=told.official_end,
            date_only=told.date_only,
            cause_reports=tuple(a.article_id for a in incident.articles if root_cause_report(a)),
        )

    @classmethod
    def of_outage(cls, outage: Outage) -> Facts:
        return cls(
            provider=outage.provider,
            regions=outage.regions,
            affected=outage.affected,
            status=outage.status,
            started=outage.started_at,
        )


class FactAnswer(Frozen):
    topic: Topic
    text: str
    evidence: tuple[Passage, ...] = ()
    answered: bool  # False: "the reports don't say"


def topic_of(question: str) -> Topic | None:
    for topic, english, chinese in _TOPICS:
        if english.search(question) or any(word in question for word in chinese):
            return topic
    return None


def answer_from_facts(
    topic: Topic,
    question: str,
    language: str,
    facts: Facts | None,
    articles: Sequence[Article],
    catalog: EntityCatalog,
    k: int = 3,
) -> FactAnswer:
    """The answer to a ``topic`` question from ``facts`` with quoted evidence, or the
    honest "the reports don't say" (``answered`` False) when they hold none."""
    speak = LANGUAGES.of(language)
    facts = facts or Facts()

    def find(
        require: Callable[[str, frozenset[str]], bool], also: Sequence[str]
    ) -> tuple[Passage, ...]:
        return tuple(retrieve(question, articles, catalog, k, require=require, also=also))

    def unsaid() -> FactAnswer:
        return FactAnswer(topic=topic, text=speak.say(f"unsaid_{topic}"), answered=False)

    if topic == "region":
        regions = _own_regions(facts, catalog)
        if not regions:
            return unsaid()
        wanted = {f"@region:{r}" for r in regions}
        shown = ", ".join(_region_label(r, catalog) for r in regions)
        evidence = find(lambda _, terms: bool(terms & wanted), sorted(wanted))
        return FactAnswer(
            topic=topic, text=speak.say(topic, x=shown), evidence=evidence, answered=True
        )
    if topic == "affected":
        # The provider's own brands that went down (Instagram in a Meta outage) first,
        # then the casualties of it (Netflix in an AWS outage).
        own: dict[str, None] = {}
        if facts.provider is not None:
            for article in articles:
                own.update(
                    dict.fromkeys(catalog.own_brands(facts.provider, article.title, article.text))
                )
        affected = [*own, *(b for b in facts.affected if b not in own)]
        if not affected:
            return unsaid()
        wanted = {f"@brand:{b.lower()}" for b in affected}
        evidence = find(lambda _, terms: bool(terms & wanted), sorted(wanted))
        shown = ", ".join(affected)
        return FactAnswer(
            topic=topic, text=speak.say(topic, x=shown), evidence=evidence, answered=True
        )
    if topic == "time":
        if facts.started is None:
            return unsaid()
        evidence = find(lambda text, _: bool(_TIME_TEXT.search(text)), ["~time"])
        return FactAnswer(
            topic=topic,
            text=_when_text(facts.started, facts, speak),
            evidence=evidence,
            answered=True,
        )
    if topic == "status":
        if facts.status is None:
            return unsaid()
        shown = facts.status + (f" ({facts.confirmation})" if facts.confirmation else "")
        evidence = find(lambda _, terms: "~recover" in terms or "~outage" in terms, ["~recover"])
        return FactAnswer(
            topic=topic, text=speak.say(topic, x=shown), evidence=evidence, answered=True
        )
    # The cause is not a fact the classifier extracts: only passages that speak of a
    # cause answer it, and an unrelated passage is worse than saying nothing.
    # Passages that name the cause ("triggered", "caused by") before those that only
    # speak of one ("stemmed from a single root cause"), root-cause reports first.
    # A root-cause report states its cause before its remediation: there the first
    # passages that name a cause are the answer, whatever words the question used.
    reports = [a for a in articles if a.id in facts.cause_reports]
    quoted = _first_stating(STRONG_CAUSE, reports, k) or next(
        (
            found
            for wording in (STRONG_CAUSE, CAUSE_TEXT)
            for pool in (reports, articles)
            if (found := _passages_stating(wording, question, pool, catalog, k))
        ),
        (),
    )
    if not quoted:
        return unsaid()
    return FactAnswer(topic=topic, text=speak.say("cause"), evidence=quoted, answered=True)


def _first_stating(
    wording: re.Pattern[str], articles: Sequence[Article], k: int
) -> tuple[Passage, ...]:
    """The first ``k`` passages of ``articles``, in reading order, that match ``wording``."""
    found = (
        Passage(article_id=a.id, url=a.url, title=a.title, language=a.language, text=text, score=0)
        for a in articles
        for text in passages(a)
        if wording.search(text)
    )
    return tuple(islice(found, k))


def _passages_stating(
    wording: re.Pattern[str],
    question: str,
    articles: Sequence[Article],
    catalog: EntityCatalog,
    k: int,
) -> tuple[Passage, ...]:
    return tuple(
        retrieve(
            question, articles, catalog, k,
            require=lambda text, _: bool(wording.search(text)), also=["~cause"],
        )
    )  # fmt: skip


def _when_text(started: datetime, facts: Facts, speak: Language) -> str:
    if facts.date_only:
        return speak.say("started_day", day=f"{started.astimezone(UTC):%Y-%m-%d}")
    start = _utc(started)
    if facts.resolved is not None and facts.official_end and facts.resolved >= started:
        span = duration_text(facts.resolved - started)
        return speak.say("started_and_resolved", start=start, end=_utc(facts.resolved), span=span)
    if facts.resolved is not None:
        return speak.say("started_resolved_by_news", start=start, end=_utc(facts.resolved))
    return speak.say("started", start=start)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _own_regions(facts: Facts, catalog: EntityCatalog) -> tuple[str, ...]:
    """The incident's regions of its own provider (or that provider's company or cloud):
    Azure regions named in a CrowdStrike story are another platform's, not where the
    CrowdStrike outage was."""
    if facts.provider is None:
        return facts.regions
    owners = {facts.provider, *catalog.family(facts.provider)}
    return tuple(r for r in facts.regions if r.split(":", 1)[0] in owners)


def _region_label(key: str, catalog: EntityCatalog) -> str:
    try:
        return catalog.region_label(key)
    except KeyError:
        return key.split(":", 1)[-1]
