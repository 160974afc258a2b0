"""Is this article about a service outage? Which provider, regions, services, status?

A transparent scoring model over a lexicon kept as data (``bot/data/lexicon.toml``)
and the entity catalogue (``bot/outage/entities.py``), for Chinese and English alike:

* outage words (故障, 宕机, outage, went down, elevated error rates …) count for,
  words of other news (earnings, launches, breaches, layoffs, 财报, 发布 …) count
  against; a word in the title weighs four times one in the opening of the text;
* "power outage" / 停电 counts as an IT outage only next to data-centre, region or
  provider context, else it is a city's blackout and counts against;
* naming a provider or an affected service adds a little; a status-page update is
  an outage by construction;
* a headline that refers to a named provider's incident with no outage word ("customer
  update about the <provider> incident", "…声明", "bad config change …, <provider> says")
  is read as aftermath: it joins that outage's incident and never starts one.

A model with a dozen readable weights is easy to reason about when an SRE asks
"why was this posted?", and it is measured on our labelled set (benchmarks/quality.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import datetime

from bot.incidents.names import han_names, without_dateline, without_outlet
from bot.languages import in_simplified_article
from bot.outage.entities import Entities, EntityCatalog
from bot.outage.eventday import dated_event_day, named_month, stated_day, written_day
from bot.outage.followups import FollowUps
from bot.outage.lexicon import Lexicon
from bot.outage.reading import (
    SECTION_SEARCH_CHARS,
    SECTION_STORIES,
    TITLE_PARTS,
    names_victim,
    opening_sentence,
    section,
    without_channels,
)
from bot.outage.starttime import stated_start
from bot.outage.textmodel import TextModels
from bot.schema import Article, IncidentStatus, Outage, StatusWord

# Only the opening of the text is scored: outage news says so early, while long
# articles about other things mention outages in passing further down.
LEAD_CHARS = 1500
# Only so much of a headline is read: a digest's runs to a few hundred characters, and
# each table of the lexicon is searched in it, some several times (a hostile headline of
# 200,000 characters took 13 s).
TITLE_CHARS = 2000
PRODUCT_LEAD_CHARS = 300  # which of a provider's products is down: headline and lead
STATUS_LEAD_CHARS = 600
TEXT_WEIGHT = 0.25  # of a title hit, per outage word in the opening text
NEGATIVE_TEXT_WEIGHT = 1 / 6  # other-news words in the text weigh less still:
# pages carry sidebars full of other headlines ("data breach", "launch")
MAX_TEXT_HITS = 4
MAX_NEGATIVE_TEXT_HITS = 3
ENTITY_BONUS = 0.5
STATUS_PAGE_BONUS = 6.0
THRESHOLD = 2.5
# One outage word in a headline, with no catalogue name and no outage word in the text,
# scores exactly THRESHOLD: it counts only if the headline says what was hit ([hit]).
LONE_WORD_PENALTY = 0.25
# Days between a dated outage a headline names and its publication that make it a
# follow-up of that outage: an outage-worded headline a week on (first news of a
# week-old event is no first news), any other the next day.
PAST_EVENT_DAYS = 7
PAST_EVENT_DAYS_OTHER_NEWS = 1
# A day this many days back in another outage's report ("again") is the last outage's.
REPEAT_OLD_DAY_DAYS = 3
# How much of the text a follow-up's dated outage is looked for in.
DATED_EVENT_LEAD_CHARS = 400
# A cause an article rules out: "there is no evidence of a hack", "并非网络攻击".
_DENIED_CAUSE = re.compile(
    r"(?:no (?:evidence|sign|indication) (?:of|that)|not (?:an?|the result of)|ruled? out|"
    r"rules out|并非|不是|排除)[^.。,，;；]{0,40}",
    re.IGNORECASE,
)
# A Chinese headline's opening "after …" clause is background, not the story:
# "马斯克疯狂裁员75%后，推特出现全球宕机" is outage news, not layoff news.
_BACKGROUND_CLAUSE = re.compile(r"^[^，,；;]{1,40}后\s*[，,]\s*(?=\S)")
# "因软件故障…" names a fault as the *cause* of what the headline reports: an outage
# only if the rest of it says one ("阿里云因制冷故障宕机"), not if the consequence
# is a school's lights left on or drones falling into a river.
_CAUSE_CLAUSE = re.compile(r"因为?[^，,。；;：:\s]{0,12}?(?:故障|问题|错误|失误)")

_FROM_STATUS_PAGE: dict[StatusWord, IncidentStatus] = {
    "investigating": "investigating",
    "identified": "identified",
    "ongoing": "ongoing",
    "monitoring": "monitoring",
    "mitigated": "mitigated",
    "resolved": "resolved",
    "postmortem": "postmortem",
    "update": "ongoing",
}


@dataclass(frozen=True)
class _Lead:
    """What a report's opening text says, counted once per report."""

    outage_hits: int
    negative_hits: int
    it_context: bool
    power_outage_hits: int
    power_hits: int
    cause_hits: int
    opening_says_outage: bool
    opening_says_hit: bool  # names what went down, or an attack ([hit], [cause])


class OutageClassifier:
    """Built once at start-up from the catalogue and lexicon; pure per call."""

    def __init__(
        self, catalog: EntityCatalog, lexicon: Lexicon, text_models: TextModels | None = None
    ) -> None:
        self._catalog = catalog
        self._lexicon = lexicon
        self._text_models = text_models  # a second opinion on the news (None: rules only)
        self._follow_ups = FollowUps(catalog, lexicon)

    def classify(self, article: Article) -> Outage:
        if len(article.title) > TITLE_CHARS:  # hostile: no headline is this long
            article = article.model_copy(update={"title": article.title[:TITLE_CHARS]})
        # Traditional Chinese is read in Simplified script, as the lexicon is written.
        article = in_simplified_article(article)
        lead = article.text[:LEAD_CHARS]
        day = (
            written_day(article.title, article.text)
            if article.published_from == "undated"
            else stated_day(article.title, article.text, article.published)
        )
        # A wire story's dateline names where it was filed from, not what is down; a
        # platform where it was said or trended ("said on Twitter", "登上微博热搜") is
        # no casualty.
        entities = self._catalog.extract(
            without_channels(article.title), without_channels(without_dateline(article.text))
        )
        opening = self._read_lead(lead)
        stories = self._stories(
            article.title,
            opening,
            self._catalog.is_evidence(entities),
            lead_names_entity=self._catalog.is_evidence(entities.in_lead()),
        )
        score = max(score for _, score in stories)
        # A headline of several stories (a digest: "NYSE glitch; Apple event; Twitter
        # policy | Daily") is about its outage stories: who is down comes from them, and
        # from the text only where it repeats a story as a heading (its section says
        # "微软…宕机" is Microsoft 365's). The rest of the text goes through every story: a
        # Chrome patch's "谷歌" would make a retailer's outage Google's.
        outage_stories = [story for story, story_score in stories if story_score >= THRESHOLD]
        digest = self._is_digest(article.title)
        if digest and outage_stories and len(outage_stories) < len(stories):
            sections = "\n".join(
                section(article.text[:SECTION_SEARCH_CHARS], story)
                for story in outage_stories[:SECTION_STORIES]
            )
            entities = self._catalog.extract("；".join(outage_stories), sections)
        provider = self._main_provider(entities.providers, entities.regions)
        # A status page's update is its provider's own word, and a digest's entities are
        # read from its stories' sections already: for news, attribution by salience.
        if article.status is None and not article.thread and not digest:
            provider, entities = self._salient(provider, entities)
        if article.status is not None:
            score += STATUS_PAGE_BONUS
        is_outage = score >= THRESHOLD
        # The outage the headline names by its date, if any: read once, used thrice.
        dated = dated_event_day(article.title, article.published)
        # A statement, update or explanation about a provider's incident with no outage
        # word of its own is read as aftermath: it joins that provider's outage, and with
        # none it starts only a held incident (never posted). So is what followed an
        # attack on a victim the headline names, and a question about an outage it names.
        # Either of the last two makes even a report with outage words aftermath ("FCA
        # opens investigation into bank over May outage"); an attack's only when the
        # headline says nothing is down ("…claims attack on hospital, systems down" is news).
        followed = (
            (dated is None and self._follow_ups.asks_about_outage(article))
            or (
                self._follow_ups.after_attack(article.title)
                and not self._lexicon.outage.search(article.title)
            )
            or self._follow_ups.redresses(article.title, opening.opening_says_outage)
        )
        refers = not is_outage and (self._follow_ups.refers(article.title) or followed)
        # A headline naming an outage by a date before it was written, with who follows
        # it up ("regulator fines ICBC over August 7 app outage", "“8·7”系统故障…被罚"), is
        # a follow-up of that outage; one that reads as outage news too only when the date
        # is a week or more back ("ministry issues guidance to KDDI over November 3 outage").
        past_event = not refers and self._follow_ups.names_past_event(
            article, dated, PAST_EVENT_DAYS if is_outage else PAST_EVENT_DAYS_OTHER_NEWS
        )
        is_outage = is_outage or refers or past_event
        # Settled as other news, follow-up readings included: a headline of a kind that is
        # never outage news (a denied claim, a government's cut, an outage looked back on
        # years later), or news a text model of its language is confident is other news
        # (bot/outage/textmodel.py). Never a status page's update, nor a digest's headline,
        # whose other stories may be outages (and the model reads a report as one story).
        if is_outage and article.status is None and not digest and self._other_news(article):
            is_outage = refers = followed = past_event = False
        status = self._status(article) if is_outage else None
        lasted_days_in_title = is_outage and bool(self._lexicon.lasted_days.search(article.title))
        follow_up = is_outage and (
            status in ("postmortem", "resolved")
            or bool(self._lexicon.follow_up.search(article.title))
            or lasted_days_in_title
        )
        # Status pages report the outage itself, whatever their wording.
        aftermath = (
            refers
            or followed
            or past_event
            or (
                is_outage
                and article.status is None
                and bool(self._lexicon.aftermath.search(article.title))
            )
        )
        translated = is_outage and bool(self._lexicon.translated.search(lead))
        repeat = is_outage and bool(self._lexicon.repeat.search(article.title))
        # Another outage's report that states a day days back names the last outage's
        # ("weeks after the March 1 outage, Azure suffers new disruption"), not its own.
        if repeat and day is not None and (article.published - day).days >= REPEAT_OLD_DAY_DAYS:
            day = None
        # A follow-up weeks later names the outage it is about by its date: that is its
        # event day, further back than a first report's stated day may be.
        month = None
        if (follow_up or aftermath or status == "postmortem") and not repeat:
            day = _earliest(
                day,
                dated,
                dated_event_day(lead[:DATED_EVENT_LEAD_CHARS], article.published, headline=False),
            )
            # One that names only the month ("over March outage") is placed in it when
            # filed; a day it states in that month is better still.
            month = named_month(article.title, article.published) if dated is None else None
            if month is not None and day is not None and _same_month(day, month):
                month = None
            elif month is not None:
                day = None
        confidence = round(1 / (1 + math.exp(-(score - THRESHOLD))), 3)
        return Outage(
            is_outage=is_outage,
            # How sure ``is_outage`` is: below one half for other news, whatever the words'
            # score (a vetoed report, a kind of headline that is never outage news).
            confidence=confidence if is_outage else min(confidence, 0.49),
            provider=provider,
            provider_family=self._catalog.family(provider) if provider else (),
            subject_in_headline=is_outage
            and self._in_headline(article.title, provider, entities.affected),
            upstream=bool(provider) and self._catalog.is_upstream(str(provider)),
            providers=entities.providers,
            regions=entities.regions,
            affected=entities.affected,
            products=self._catalog.own_brands(provider, article.title, lead[:PRODUCT_LEAD_CHARS])
            if provider and is_outage
            else (),
            status=status,
            started_at=stated_start(article, lead, day) if is_outage else None,
            event_day=day if is_outage else None,
            event_month=month if is_outage else None,
            follow_up=follow_up,
            lasted_days=lasted_days_in_title
            or (is_outage and bool(self._lexicon.lasted_days.search(lead[:STATUS_LEAD_CHARS])))
            # Recovery from an intrusion comes days after it: systems are rebuilt, not
            # restarted ("restores systems after ransomware attack").
            or (status == "resolved" and self._slow_recovery(article.title, lead)),
            aftermath=aftermath,
            translated=translated,
            repeat=repeat,
        )

    def _other_news(self, article: Article) -> bool:
        return bool(self._lexicon.never_outage.search(article.title)) or (
            self._text_models is not None and self._text_models.vetoes(article)
        )

    def _slow_recovery(self, title: str, lead: str) -> bool:
        """The headline or the opening sentence names an intrusion as what it recovered
        from, not as what it was not ("there is no evidence of a hack")."""
        opening = _DENIED_CAUSE.sub(" ", opening_sentence(lead, self._lexicon.translated))
        return bool(self._lexicon.slow_recovery.search(f"{title}\n{opening}"))

    def stories(
        self, title: str, lead: str, names_entity: bool, lead_names_entity: bool | None = None
    ) -> list[tuple[str, float]]:
        """The stories of a headline, each with the evidence that it is outage news; a
        title of several (a digest: "A outage; B breach") is scored by its best story.
        The lead is read once, however many stories the title holds (a hostile one holds
        thousands). ``classify`` passes whether the article names a provider or a brand
        that is a sign of outage news, and whether its headline or lead does (left out,
        the same)."""
        in_lead = names_entity if lead_names_entity is None else lead_names_entity
        return self._stories(title, self._read_lead(lead), names_entity, lead_names_entity=in_lead)

    def _stories(
        self,
        title: str,
        opening: _Lead,
        names_entity: bool,
        *,
        lead_names_entity: bool,
    ) -> list[tuple[str, float]]:
        """``names_entity``: the article names a provider or a brand that is a sign of
        outage news; ``lead_names_entity``: its headline or lead does."""
        segments = [part for part in TITLE_PARTS.split(title) if part.strip()] or [title]
        # A digest's opening goes through its stories in turn: the patch and the breach
        # in it are the other stories', not evidence against the outage one.
        if self._is_digest(title):
            opening = replace(opening, negative_hits=0)
        return [
            (
                segment,
                self._score(
                    _BACKGROUND_CLAUSE.sub("", segment), opening, names_entity, lead_names_entity
                ),
            )
            for segment in segments
        ]

    def _is_digest(self, title: str) -> bool:
        """A headline of three stories or more, or a roundup's ("FreeBuf早报 | A；B"). A
        site's sections in a suffix ("… | Business | The Daily") are no stories."""
        body = without_outlet(without_outlet(title))
        return len(TITLE_PARTS.split(body)) > 2 or bool(self._lexicon.roundup.search(body))

    def _read_lead(self, lead: str) -> _Lead:
        lex = self._lexicon
        opening = opening_sentence(lead, lex.translated)
        return _Lead(
            outage_hits=len(lex.outage.findall(lead)),
            negative_hits=len(lex.negative.findall(lead)),
            it_context=bool(lex.it_context.search(lead)),
            power_outage_hits=len(lex.power_outage.findall(lead)),
            power_hits=len(lex.power.findall(lead)),
            cause_hits=len(lex.cause.findall(lead)),
            # What the sentence says did not happen does not count ("the attack caused no
            # disruption"); what else it says does ("系统中断，客户数据未受影响").
            opening_says_outage=bool(lex.outage.search(lex.no_outage.sub(" ", opening))),
            opening_says_hit=bool(lex.hit.search(opening) or lex.cause.search(opening)),
        )

    def _score(self, title: str, lead: _Lead, names_entity: bool, lead_names_entity: bool) -> float:
        lex = self._lexicon
        # What the headline says did not happen is no outage word ("causes no disruption");
        # it argues against only when the headline reports nothing else that failed
        # ("online banking problems; card payments unaffected" is an outage).
        said = lex.no_outage.sub(" ", title)
        title_out = len(lex.outage.findall(_CAUSE_CLAUSE.sub(" ", said)))
        text_out = min(lead.outage_hits, MAX_TEXT_HITS)
        # A faulty change named as the cause is no news of a patch or an update.
        changed = lex.faulty_change.sub(" ", title)
        title_neg = len(lex.negative.findall(changed)) + len(lex.headline_negative.findall(changed))
        title_neg += 0 if title_out else len(lex.no_outage.findall(title))
        text_neg = lead.negative_hits
        # A power cut with no IT context is a city's blackout: it argues against.
        # Next to IT context it is the outage itself ("a power cut at the data centre").
        # A headline that says only that the power failed ("power outage hits Spain")
        # needs that context itself: the lead of a country's blackout says networks and
        # data centres were hit too. One that says what failed with it ("power cut
        # knocks websites offline") is read with its lead.
        only_power = lex.power.search(title) and not lex.outage.search(lex.power.sub(" ", said))
        with_lead = not only_power
        if lex.power.search(title) or (with_lead and lead.power_hits > 0):
            # What the headline says was unaffected is no IT context ("…停电 数据中心称未受影响").
            in_context = lex.it_context.search(said)
            # A brand named far down ("…reported on Telegram") makes no blackout an IT one.
            if lead_names_entity or in_context or (with_lead and lead.it_context):
                title_out += len(lex.power_outage.findall(title))
                text_out = min(text_out + lead.power_outage_hits, MAX_TEXT_HITS)
            else:
                title_neg += len(lex.power.findall(title))
                text_neg += lead.power_hits
        # An attack that took a service down is an outage; one with no outage word
        # beside it is security news. Outlets often put the attack in the headline and
        # what it took down in the opening sentence ("KP Snacks hit with ransomware
        # attack" / "no orders can be placed"): that sentence speaks for the headline.
        # Only for a headline that names its victim: one about attacks in general
        # ("DDoS attacks are on the rise") is not about any outage, and a roundup's
        # opening sentence lists many stories.
        if (
            not title_out
            and lex.cause.search(title)
            and not title_neg
            and not lex.roundup.search(title)
        ):
            title_out += names_victim(title, lex.victim, names_entity) and lead.opening_says_outage
        if not title_out:
            title_neg += len(lex.cause.findall(title))
            text_neg += lead.cause_hits if not text_out else 0
        # One outage word and nothing else: the headline (or the text's opening sentence)
        # must say what went down, or what brought it down.
        lone_word = (
            title_out == 1
            and not text_out
            and not names_entity
            and not self._names_what_was_hit(title, lead)
        )
        score = lex.outage_weight * (min(title_out, 2) + TEXT_WEIGHT * text_out)
        score -= lex.negative_weight * (
            min(title_neg, 2) + NEGATIVE_TEXT_WEIGHT * min(text_neg, MAX_NEGATIVE_TEXT_HITS)
        )
        score -= LONE_WORD_PENALTY if lone_word else 0.0
        return score + (ENTITY_BONUS if names_entity else -ENTITY_BONUS)

    def _names_what_was_hit(self, title: str, lead: _Lead) -> bool:
        """The headline names a system, service or body that went down ("IT systems",
        "网站", "美国银行"), or an attack; or the text's opening sentence does."""
        lex = self._lexicon
        return (
            bool(lex.hit.search(title) or lex.cause.search(title))
            # Who was hit, by a Chinese body's name ("…银行"). Not by a Latin name: at the
            # tie those are as often tools, protocols and products ("TLS 1.3：…打不开…",
            # "NetHunter Terminal not working"), and on held-out days counting them cost
            # precision and found no outage.
            or bool(han_names(title))
            or lead.opening_says_hit
        )

    def _in_headline(self, title: str, provider: str | None, affected: tuple[str, ...]) -> bool:
        """The headline names the outage's subject: its provider (or one of its family, or
        a region of it), or with no provider its first casualty."""
        named = self._catalog.extract(without_channels(title), "")
        if provider is None:
            return bool(affected) and affected[0] in named.affected
        owners = {_owner(region) for region in named.regions}
        family = {provider, *self._catalog.family(provider)}
        return bool(family & {*named.providers, *owners})

    def _salient(self, provider: str | None, entities: Entities) -> tuple[str | None, Entities]:
        """What a news report is about is what its headline and lead name. A provider
        named only further down is background, not who is down ("Canvas Breach Disrupts
        Schools": the gang's earlier victims further down). With no provider, so are the
        casualties named only further down: the subject is one the headline or lead
        names ("Ingram Micro's website goes down", not the Reddit thread it quotes), and
        with none there the report is filed by the names its headline gives."""
        if provider is not None and (
            {provider, *self._catalog.family(provider)} & entities.providers_in_lead
        ):
            return provider, entities
        # Background providers are no other providers to file it by either; a region the
        # headline or lead names still says whose it is ("us-east-1 outage …").
        lead_providers = entities.in_lead().providers
        regions = tuple(r for r in entities.regions if _owner(r) in entities.providers_in_lead)
        provider = self._main_provider(lead_providers, regions)
        entities = replace(entities, providers=lead_providers)
        # (Casualties are in order of first mention: one in the lead comes first.)
        if provider is None and not entities.affected_in_lead:
            entities = replace(entities, affected=())
        return provider, entities

    def _main_provider(self, providers: tuple[str, ...], regions: tuple[str, ...]) -> str | None:
        """The most salient provider; the owner of the main region when there is no
        provider ("us-east-1" is AWS's) or the provider is that region's company
        (Google, for a us-central1 outage: Google Cloud)."""
        owner = _owner(regions[0]) if regions else None
        if not providers:
            return owner
        if owner and self._catalog.cloud_of(providers[0]) == owner:
            return owner
        return providers[0]

    def _status(self, article: Article) -> IncidentStatus:
        if article.status is not None:
            return _FROM_STATUS_PAGE[article.status]
        for text in (article.title, article.text[:STATUS_LEAD_CHARS]):
            for name, pattern in self._lexicon.status:
                if pattern.search(text):
                    return name
        return "ongoing"


def _owner(region: str) -> str:
    """The provider of a region key ("aws" of "aws:us-east-1")."""
    return region.split(":", 1)[0]


def _same_month(a: datetime, b: datetime) -> bool:
    return (a.year, a.month) == (b.year, b.month)


def _earliest(*days: datetime | None) -> datetime | None:
    return min((d for d in days if d is not None), default=None)
