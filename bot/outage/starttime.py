"""When an article says an outage began: "began at 10:45 AM ET", "北京时间…11点开始".

A clock time counts only with its zone; the day is the one the article says the event
happened on (``bot.outage.eventday``), else the publication day counted back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.languages import LANGUAGES
from bot.schema import Article

# How articles name a time zone, per language (bot/data/languages.toml): the grammar of
# a stated start is per language below, the zone words are data.
_ZONES = LANGUAGES.zone_words()


def _alternatives(words: Iterable[str]) -> str:
    # Longest first, so "美国东部时间" is not read as a shorter word inside it.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_EN_START = re.compile(
    r"(?:began|started|starting|beginning|first (?:appeared|reported)|kicked off"
    r"|went (?:down|offline|dark|out))\s+"
    r"(?:at\s+|around\s+|about\s+|approximately\s+|shortly after\s+)*"
    r"(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?\s*"
    rf"({_alternatives(LANGUAGES.of('en').zone_words)})?(?![A-Za-z])",
    re.IGNORECASE,
)
_ZH_START = re.compile(
    rf"({_alternatives([*LANGUAGES.of('zh').zone_words, 'UTC'])})\S{{0,8}}?"
    r"(凌晨|早上|上午|中午|下午|晚上|晚间)?\s*(\d{1,2})[点时:：](\d{1,2})?分?\S{0,6}?(?:开始|起)"
)


def stated_start(article: Article, lead: str, day: datetime | None) -> datetime | None:
    """The stated start: a clock time with its zone, on the day the article says the
    event happened (else counted back from publication)."""
    # A date-only publication (midnight UTC) says the day, not the hour: the start
    # may be any time that day, so count back from its end.
    date_only = article.published.astimezone(ZoneInfo("UTC")).time() == time(0, 0)
    if day is None:
        day = article.published if date_only else None
    anchor = article.published if day is None else day + timedelta(hours=23, minutes=59)
    return started_at(f"{article.title}\n{lead}", anchor)


def started_at(text: str, published: datetime) -> datetime | None:
    """The start time an article states ("began at 10:45 AM ET", "北京时间…11点开始").

    Only a time with a zone (or am/pm in English prose with a zone nearby) is used;
    the date is the publication day, or the day before when that would put the
    start after publication.
    """
    match = _EN_START.search(text)
    if match and match.group(4):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        meridiem = (match.group(3) or "").lower().replace(".", "")
        hour = _to_24h(hour, "pm" if meridiem == "pm" else "am" if meridiem == "am" else "")
        return _on_day(hour, minute, _ZONES[match.group(4).lower()], published)
    zh = _ZH_START.search(text)
    if zh:
        hour, minute = int(zh.group(3)), int(zh.group(4) or 0)
        if zh.group(2) in ("下午", "晚上", "晚间") and hour < 12:
            hour += 12
        return _on_day(hour, minute, _ZONES[zh.group(1).lower()], published)
    return None


def _to_24h(hour: int, meridiem: str) -> int:
    if meridiem == "pm" and hour < 12:
        return hour + 12
    if meridiem == "am" and hour == 12:
        return 0
    return hour


def _on_day(hour: int, minute: int, zone: str, published: datetime) -> datetime | None:
    if hour > 23 or minute > 59:
        return None
    tz = ZoneInfo(zone)
    local = published.astimezone(tz)
    start = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if start > local:
        start -= timedelta(days=1)
    return start.astimezone(published.tzinfo)
