"""The parts of an article the classifier reads: a headline's stories and the victim it
names, the opening sentence (past a translator's note), and the section of a digest
under one story's heading."""

from __future__ import annotations

import re

from bot.incidents.names import title_names

# Where a digest headline separates its stories ("FreeBuf早报 | A；B", "A; B | 牛览",
# "网安周报丨A；B").
TITLE_PARTS = re.compile(r"\s*[;；|｜丨]\s*")
# A count or a trend of attacks is a study, not one victim's outage: "Hospital cyberattacks
# up 40%", "2,300 schools hit in 2021", "report says".
_TREND = re.compile(
    r"(?<!\d)\d{1,6}(?:\.\d{1,3})?\s?%|\b\d[\d,]{0,12}\+?\s+(?:\w+\s+){0,2}(?:hospitals|schools|councils|"
    r"organi[sz]ations|companies|firms|victims|cities)\b|\b(?:report|study|survey)\s+(?:says|finds|shows)\b",
    re.IGNORECASE,
)

# The opening sentence of a lead: a standfirst, or a report's first line.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s|[。！？]")
OPENING_SENTENCE_CHARS = 300
# A story heading shorter than this is found in texts by chance.
SECTION_HEADING_CHARS = 8
SECTION_CHARS = 600
# Where a digest's sections are looked for, and for how many of its outage stories: a
# hostile headline holds thousands.
SECTION_SEARCH_CHARS = 20_000
SECTION_STORIES = 8


def opening_sentence(lead: str, note: re.Pattern[str]) -> str:
    """The lead's first sentence; the next one when the first is a translator's note
    ("译文仅供参考，…原文为准。"), which Chinese reposts of English news open with."""
    first = _first_sentence(lead)
    if not note.search(first):
        return first
    return _first_sentence(lead[len(first) :].lstrip("。！？.!? \n"))


# A platform named as where something was said, trended or was complained about, not as
# what is down: "Kurtz said on Twitter", "claimed responsibility on Telegram", "apologised
# on its official Weibo account", "users complained on Twitter", "customers took to X",
# "in a post on Reddit", "登上微博热搜", "官方微博发布致歉声明", "官方在推特发布公告称". Not
# "reported being unable to send messages on Telegram": reports name the platform that is
# down as often.
_PLATFORMS = (
    r"Twitter/X|Twitter|X|Telegram|Weibo|Facebook|Reddit|Discord|TikTok|Mastodon|Bluesky|"
    r"LinkedIn|Threads"
)
_CHANNEL = re.compile(
    r"(?:微博|抖音|知乎|小红书|B站|百度)(?=热搜)|(?<=官方)(?:微博|推特|脸书)"
    r"|(?:微博|推特|脸书)(?=账号|发文|发布|声明|帖子)"
    r"|(?:在|于|於|通过)(?:其)?(?:官方)?(?:微博|推特|脸书|Twitter|X|Facebook|Telegram)"
    r"(?=上|发|表示|称|回应|宣布|公告|致歉|道歉|更新|透露|声明|写道)"
    # Not where it is used and fails: "用户无法通过Facebook发送消息", "在推特上无法刷新".
    r"(?!上?(?:无法|不能|发送|发不|刷新|刷不|登录|登不|加载|打不开|用不了))"
    r"|(?P<context>(?:\b(?:said|says|posted|wrote|claimed|announced|confirmed|shared|"
    r"told|explained|tweeted|apologi[sz]ed|complain(?:ed|ing|s)?|vent(?:ed|ing)|"
    r"grip(?:ed|ing))\b[^.\n]{0,25}?\b(?:on|via)"
    r"|\b(?:took|taking|turned|turning|flocked|flocking)\s+to"
    r"|\b(?i:in|according\s+to)\s+(?:an?\s+)?posts?\s+on)\s+"
    r"(?:(?:its|their|an?|the\s+company's)\s+)?(?:official\s+)?)"
    rf"(?P<platform>{_PLATFORMS})\b"
)


# A company's own account on a platform is a channel too: "the official Twitter account
# said", "its verified Facebook page".
_ACCOUNT = re.compile(
    rf"\b(?:official|verified)\s+(?P<platform>{_PLATFORMS})\s+(?:account|page|feed|handle|channel)s?\b"
)
# A stock exchange named as where a company is listed or reports, not as what is down:
# "ASX-listed carrier", "in a statement to the ASX", "a filing with the SEC",
# "在港交所上市", "向上交所提交公告". Not "Nasdaq halts trading after glitch".
_EXCHANGES_EN = (
    r"ASX|Australian Securities Exchange|Nasdaq|NYSE|New York Stock Exchange|LSE|"
    r"London Stock Exchange|TSE|Tokyo Stock Exchange|HKEX|Hong Kong Stock Exchange|"
    r"Euronext|SEC|Shanghai Stock Exchange|Shenzhen Stock Exchange"
)
_EXCHANGES_ZH = (
    r"港交所|香港交易所|纳斯达克|纽交所|纽约证券交易所|上交所|上海证券交易所|深交所|"
    r"深圳证券交易所|东京证券交易所|东京证交所|伦交所|伦敦证券交易所|澳交所|澳大利亚证券交易所|泛欧交易所"
)
_LISTING = re.compile(
    rf"\b(?P<a>{_EXCHANGES_EN})[- ]listed\b"
    rf"|\b(?i:listed)\s+(?:on|in)\s+(?:the\s+)?(?P<b>{_EXCHANGES_EN})\b"
    rf"|\b(?i:statement|filing|announcement|disclosure|notice|notification|release|update)s?\s+"
    rf"(?:to|with|on)\s+(?:the\s+)?(?P<c>{_EXCHANGES_EN})\b"
    rf"|\b(?i:tells|told|informs|informed|notifies|notified)\s+(?:the\s+)?(?P<d>{_EXCHANGES_EN})\b"
    rf"|(?:在|于|於)(?P<e>{_EXCHANGES_ZH})(?:主板|创业板|科创板)?(?:挂牌)?上市"
    rf"|向(?P<f>{_EXCHANGES_ZH})(?:提交|发布|披露|递交|报告)"
    rf"|(?P<g>{_EXCHANGES_ZH})(?:主板|创业板|科创板)?上市(?:公司|企业|的)"
)
# Another outage named to deny a link with this one: "unrelated to last month's Azure
# outage", "not linked to the earlier attack", "与上月Azure故障无关". What it names is not
# what is down.
_UNRELATED = re.compile(
    r"\b(?:unrelated|not\s+(?:related|linked|connected)|unconnected)\s+(?:to|with)\s+[^,.;:!?\n]{0,60}"
    r"|与[^，,。；;：:！？\s]{0,24}?(?:无关|没有关系|没有关联|并无关联|无直接关系)",
    re.IGNORECASE,
)


# What ``without_channels`` blanks, in this order.
_NOT_WHAT_IS_DOWN = (_CHANNEL, _ACCOUNT, _LISTING, _UNRELATED)


def without_channels(text: str) -> str:
    """``text`` with the platforms it names as channels, the exchanges it names as where
    a company is listed or reports, and the outages it names to deny a link, blanked out
    (same length, so that what follows keeps its place)."""
    for pattern in _NOT_WHAT_IS_DOWN:
        text = pattern.sub(_blank_name, text)
    return text


def _blank_name(match: re.Match[str]) -> str:
    """The match with the name it points at blanked out: the named group that matched,
    other than the ``context`` kept around it; all of it when none did (a Chinese
    channel, a denied link)."""
    whole, offset = match.group(0), match.start()
    named = [g for g, value in match.groupdict().items() if value is not None and g != "context"]
    if not named:
        return " " * len(whole)
    start, end = match.span(named[0])
    return whole[: start - offset] + " " * (end - start) + whole[end - offset :]


def names_victim(story: str, victim: re.Pattern[str], names_entity: bool) -> bool:
    """A headline's story names who was hit: a catalogue name (``names_entity``), a name
    of its own ("Finalsite"), or one victim by what it is ("Midwest hospital chain",
    ``victim``: the lexicon's [victim]) and not a count of them."""
    return (
        names_entity
        or bool(title_names(story))
        or (bool(victim.search(story)) and not _TREND.search(story))
    )


def section(text: str, story: str) -> str:
    """The part of a digest's text under ``story``'s heading, if the text repeats it."""
    start = text.find(story.strip()) if len(story.strip()) >= SECTION_HEADING_CHARS else -1
    return text[start : start + SECTION_CHARS] if start >= 0 else ""


def _first_sentence(lead: str) -> str:
    opening = lead[:OPENING_SENTENCE_CHARS]
    end = _SENTENCE_END.search(opening)
    return opening[: end.start()] if end else opening
