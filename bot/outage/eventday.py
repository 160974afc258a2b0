"""The day an article says its event happened: "on Monday", "1月25日", "yesterday".

Reports of one outage are published over several days (a Chinese weekly digest three
days later, a follow-up a week later), but most of them say which day it happened.
The incident rules compare event times, so a report that states the day lines up
with the others however late it was published.

Only the headline and the lead are read, and only days from two weeks before
publication up to publication count: further back it is usually another event
mentioned for context.

An article with no date of its own (a blog page saved without one) has no
publication to count from; the full date it writes, year and all ("on Monday 4th
October 2021", "2021年10月4日"), is then its event day (``written_day``). A page that
writes the day without a year ("Update about the October 4th outage") often dates itself
further down, in a note of when it was posted or updated ("Updated on Oct. 5, 2021"):
that note's year places the day.

A follow-up weeks later (a regulator's fine, a report into the attack, what it cost)
names the outage by its date: "over the August 7 app outage", "October 9 ransomware
attack", "“8·7”系统故障", "8月21日网络攻击". Such a date is the event's however long ago it
was, up to DATED_EVENT_REACH (``dated_event_day``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

LOOKBACK = timedelta(days=14)
# From this hour (UTC) a report's local day may be the next one (UTC+12 and beyond: New
# Zealand; Sydney and Tokyo from 13:00 and 15:00).
NEXT_DAY_FROM_UTC_HOUR = 12
LEAD_CHARS = 400
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_EN_DATE = re.compile(
    rf"\b(?:({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?|(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES}))\b",
    re.IGNORECASE,
)
_EN_WEEKDAY = re.compile(rf"\b(last\s+)?({'|'.join(_WEEKDAYS_EN)})\b", re.IGNORECASE)
_EN_RELATIVE = re.compile(r"\b(yesterday|today|earlier today|this morning|last night)\b", re.I)
_ZH_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_YEAR = r"((?:19|20)\d\d)(?!\d)"
_EN_FULL_DATE = re.compile(
    rf"\b(?:({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAMES}),?\s+{_YEAR})",
    re.IGNORECASE,
)
_ZH_FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# A page's note of when it was posted or updated, anywhere in it ("Updated on Oct. 5,
# 2021", "更新于2021年10月5日"): a full date that follows one of these words.
_DATE_NOTE = re.compile(
    r"(?:\b(?:last\s+)?(?:updated|posted|published)(?:\s+on)?|更新于|发布于|更新时间|发布时间)"
    r"\s*[:：]?\s*(?=\S)",
    re.IGNORECASE,
)
_ZH_WEEKDAY = re.compile(r"(上)?(?:周|星期|礼拜)([一二三四五六日天])")
# A weekday after these is one ahead, not the event's ("procedures scheduled for
# Wednesday have been postponed", "预计下周三恢复"): read as the last such day, it would
# put the event almost a week early.
AHEAD_CHARS = 24
_AHEAD = re.compile(
    r"(?:\b(?:(?:scheduled|planned|set|slated|due|expected)(?:\s+\w+)?\s+(?:for|on)"
    r"|(?:postponed|delayed|moved|pushed)(?:\s+\w+)?\s+(?:until|to)|until|till|next|this\s+coming"
    r"|by\s+(?:midnight|noon|the\s+end\s+of|end\s+of|close\s+of\s+\w+)(?:\s+on)?)"
    r"|将于|将在|预计|计划|定于|推迟到|推迟至|延期至|直到|下)\s*$",
    re.IGNORECASE,
)
_ZH_RELATIVE = re.compile(r"(前天|昨天|昨日|昨晚|今天|今日|今晨|今早)")
_RELATIVE_DAYS = {
    "yesterday": 1, "last night": 1, "today": 0, "earlier today": 0, "this morning": 0,
    "前天": 2, "昨天": 1, "昨日": 1, "昨晚": 1, "今天": 0, "今日": 0, "今晨": 0, "今早": 0,
}  # fmt: skip


# A month and day right before an outage (or cyberattack) noun names that event. Not
# "incident" or "attack" alone (a security incident is a breach, "the October 7 attack" a
# war's), nor a failure or crash of anything but IT ("bank failure", "market crash",
# "power outage"). English allows two words between ("August 7 app outage", "June 2
# check-in meltdown"); Chinese a few characters ("3·27系统故障", "11月3日通信故障").
DATED_EVENT_REACH = timedelta(days=90)
_IT_EVENT = (
    r"(?:outages?|(?:cyber|ransomware|ddos|hacking)[- ]?attacks?|disruptions?|meltdowns?|downtime)"
)
_IT_THING = (
    r"(?:apps?|systems?|it|network|websites?|services?|check-in|login|payments?|computers?|"
    r"servers?|software|technical|tech|cloud|data cent(?:re|er)|database|dns)"
)
_NOT_IT = r"(?!(?:power|electricity|grid|market|stock|bank|plane|train|car|bridge)\b)"
_EN_EVENT_AFTER_DATE = re.compile(
    rf"(?:['’]s)?\s+(?:{_NOT_IT}[\w-]+\s+){{0,2}}?"
    rf"(?:{_IT_EVENT}|{_IT_THING}\s+(?:failures?|crash(?:es)?|glitch(?:es)?))\b",
    re.IGNORECASE,
)
_ZH_EVENT_AFTER_DATE = re.compile(
    r"[”\"」]?(?:的)?[^，,。；;：:\s]{0,12}?(?:故障|宕机|中断|瘫痪|崩溃|断网|(?:网络|勒索(?:软件)?|黑客|DDoS)攻击|勒索(?:软件)?事件)"
)
# "the outage on November 7", "cyberattack of March 3".
_EN_EVENT_BEFORE_DATE = re.compile(rf"{_IT_EVENT}\s+(?:on|of)\s+$", re.IGNORECASE)
# An outage named to say this is another one: "unrelated to the October 17 outage",
# "与10月17日故障无关", "继3月3日故障后".
_OTHER_EVENT_BEFORE = re.compile(
    r"(?:unrelated|not related|separate|distinct|unconnected|different)\s+(?:to|from)\s+"
    r"(?:the\s+|its\s+|an?\s+)?(?:earlier\s+|previous\s+)?$",
    re.IGNORECASE,
)
# In a report's text, an outage named after "after" or "since" is usually the one before
# ("came weeks after the January 25 outage"); in a follow-up's headline it is its subject
# ("watchdog asks lenders … after February 15 Azure outage").
_EARLIER_EVENT_BEFORE = re.compile(
    r"(?:after|since|following|follows|before|previous|last)\s+(?:the\s+|its\s+|an?\s+)?$",
    re.IGNORECASE,
)
_OTHER_EVENT_AFTER = re.compile(r"[^，,。；;]{0,4}(?:无关|不同|并非同一)")
_ZH_FOLLOWING = re.compile(r"(?:继|自|在)\s*$")
# "“8·7”系统故障": a month and day joined by a middle dot, as Chinese names events.
_ZH_DOT_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[·•]\s*(\d{1,2})(?!\d)")
_YEAR_AFTER = re.compile(r",?\s+((?:19|20)\d\d)\b")
_YEAR_BEFORE = re.compile(r"((?:19|20)\d\d)\s*年\s*$")
# "Windows 11 February update": a version number, not a day.
_VERSION_BEFORE = re.compile(r"[A-Z][\w.-]*\s+$")


def dated_event_day(text: str, published: datetime, *, headline: bool = True) -> datetime | None:
    """The earliest day ``text`` names an outage by ("the August 7 outage"), from
    DATED_EVENT_REACH before ``published`` up to it, as midnight in its zone. A year it
    writes is kept ("the March 3, 2026 outage" is no outage of this March). In a text
    (``headline=False``) an outage after "after" or "since" is an earlier one."""
    today = published.replace(hour=0, minute=0, second=0, microsecond=0)
    found: list[datetime] = []
    for match in _EN_DATE.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        if _OTHER_EVENT_BEFORE.search(before):
            continue
        if not headline and _EARLIER_EVENT_BEFORE.search(before):
            continue
        if match.group(3) and _VERSION_BEFORE.search(before):
            continue
        year = _YEAR_AFTER.match(text, match.end())
        end = year.end() if year else match.end()
        if _EN_EVENT_AFTER_DATE.match(text, end) or _EN_EVENT_BEFORE_DATE.search(before):
            month = _MONTHS[(match.group(1) or match.group(4)).lower()]
            day = int(match.group(2) or match.group(3))
            found.extend(_in_year(today, year.group(1) if year else None, month, day))
    for match in (*_ZH_DATE.finditer(text), *_ZH_DOT_DATE.finditer(text)):
        before = text[max(0, match.start() - 10) : match.start()]
        event = _ZH_EVENT_AFTER_DATE.match(text, match.end())
        if not event or _OTHER_EVENT_AFTER.match(text, event.end()):
            continue
        if _ZH_FOLLOWING.search(before.rstrip('“"「')):
            continue
        year = _YEAR_BEFORE.search(before)
        month, day = int(match.group(1)), int(match.group(2))
        found.extend(_in_year(today, year.group(1) if year else None, month, day))
    days = [d for d in found if today - DATED_EVENT_REACH <= d <= today]
    return min(days) if days else None


# A month right before an outage noun, with no day ("January's self assessment outage",
# "February cyberattack", "二月系统故障", "1月勒索攻击"), or after one ("meltdown in May"),
# or the month before ("last month's outage", "上月断网事故"). A month's full name,
# capitalised ("Workers march over…", "Jan Smith", "Mar del Plata" are none), with no year
# after it ("in March 2024" is another year's). "May" must touch its noun ("May
# outage"): "Outage May Cost Millions" is a verb. As far back as a dated one
# (DATED_EVENT_REACH).
NAMED_MONTH_REACH = 3  # months back
_FULL_MONTHS = "January|February|March|April|June|July|August|September|October|November|December"
_NO_YEAR = r"(?!,?\s+(?:(?:19|20)\d\d|last\s+year)\b)"
_EN_MONTH_EVENT = re.compile(
    rf"\b(?:({_FULL_MONTHS})(?:['’]s)?\s+(?!\d)(?:(?i:{_NOT_IT})[\w-]+\s+){{0,2}}?|(May)(?:['’]s)?\s+)"
    rf"(?i:{_IT_EVENT}|{_IT_THING}\s+(?:failures?|crash(?:es)?|glitch(?:es)?|breakdowns?))\b"
    rf"|(?i:{_IT_EVENT}|failures?|breakdowns?)\s+in\s+({_FULL_MONTHS}|May)\b{_NO_YEAR}"
    rf"|\b((?i:last month))['’]s\s+(?:(?i:{_NOT_IT})[\w-]+\s+){{0,2}}?"
    r"(?i:outage|failure|meltdown|disruption|attack)"
)
_ZH_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                "十": 10, "十一": 11, "十二": 12}  # fmt: skip
_ZH_MONTH_EVENT = re.compile(
    r"(?:(?<![\d年])(\d{1,2})|(?<![一二三四五六七八九十])(十[一二]?|[一二三四五六七八九]))月份?"
    r"(?![\d一二三四五六七八九十]{1,3}\s*[日号])[^，,。；;：:\s]{0,8}?"
    r"(?:故障|宕机|中断|瘫痪|断网|事故|(?:网络|勒索(?:软件)?|黑客|DDoS)攻击)"
    r"|(上个?月)[^，,。；;：:\s]{0,8}?(?:故障|宕机|中断|瘫痪|断网|事故|攻击)"
)


def named_month(title: str, published: datetime) -> datetime | None:
    """The first day of the month a headline names its outage by when it names no day
    ("fined over March outage", "二月系统故障"), in the publication year or, for a later
    month, the one before; up to NAMED_MONTH_REACH months back. None when it names none."""
    found = _EN_MONTH_EVENT.search(title)
    # Not one named to say this is another ("unrelated to last month's outage", "与上月
    # Azure故障无关").
    if found and not _OTHER_EVENT_BEFORE.search(title[max(0, found.start() - 40) : found.start()]):
        word = found.group(1) or found.group(2) or found.group(3)
        month = (published.month - 1 or 12) if found.group(4) else _MONTHS[word.lower()]
    else:
        zh = _ZH_MONTH_EVENT.search(title)
        if zh is None or _OTHER_EVENT_AFTER.match(title, zh.end()):
            return None
        if zh.group(3):
            month = published.month - 1 or 12
        else:
            month = int(zh.group(1)) if zh.group(1) else _ZH_NUMERALS[zh.group(2)]
    if not 1 <= month <= 12:
        return None
    year = published.year if month <= published.month else published.year - 1
    back = (published.year - year) * 12 + published.month - month
    if back > NAMED_MONTH_REACH:
        return None
    return published.replace(year=year, month=month, day=1, hour=0, minute=0, second=0,
                             microsecond=0)  # fmt: skip


def _in_year(today: datetime, year: str | None, month: int, day: int) -> list[datetime]:
    """That day in the year written, else in the publication year or the one before."""
    if year is None:
        return _on(today, month, day)
    return [d.replace(tzinfo=today.tzinfo) for d in _date(int(year), month, day)]


def stated_day(title: str, text: str, published: datetime) -> datetime | None:
    """The earliest event day the headline or lead states, as midnight in ``published``'s
    zone; None when they state none within LOOKBACK before publication."""
    lead = f"{title}\n{text[:LEAD_CHARS]}"
    today = published.replace(hour=0, minute=0, second=0, microsecond=0)
    # Late in the UTC day it is already the next day east of here: a Sydney or Tokyo
    # report published Thursday 21:40 UTC says "on Friday morning", "3月9日" of that
    # Friday, not of the Friday before.
    latest = today + timedelta(days=1) if published.hour >= NEXT_DAY_FROM_UTC_HOUR else today
    days = [d for d in _candidates(lead, today, latest) if today - LOOKBACK <= d <= latest]
    return min(days) if days else None


def written_day(title: str, text: str) -> datetime | None:
    """The first full date (day, month and year) the headline or lead writes, as
    midnight UTC; else the day without a year they write, in the year of the page's
    own posted/updated note (up to LOOKBACK before it). For articles with no date of
    their own."""
    lead = f"{title}\n{text[:LEAD_CHARS]}"
    full = _full_dates(lead)
    if full:
        return min(full)[1]
    note = _noted_date(f"{title}\n{text}")
    if note is None:
        return None
    days = [
        d
        for match in (*_EN_DATE.finditer(lead), *_ZH_DATE.finditer(lead))
        for d in _yearless(match, note)
        if note - LOOKBACK <= d <= note
    ]
    return min(days) if days else None


def _noted_date(text: str) -> datetime | None:
    """The latest full date a posted/updated note gives: the page is at least that
    recent, and a day it writes without a year is the one before it."""
    noted = [
        min(found)[1]
        for note in _DATE_NOTE.finditer(text)
        if (found := _full_dates(text[note.end() : note.end() + 40]))
        and min(found)[0] == 0  # the date right after the words, not one further on
    ]
    return max(noted) if noted else None


def _yearless(match: re.Match[str], note: datetime) -> list[datetime]:
    """A month and day (an _EN_DATE or _ZH_DATE match) in the note's year or the one before."""
    if match.re is _ZH_DATE:
        month, day = int(match.group(1)), int(match.group(2))
    else:
        month = _MONTHS[(match.group(1) or match.group(4)).lower()]
        day = int(match.group(2) or match.group(3))
    return _on(note, month, day)


def _full_dates(lead: str) -> list[tuple[int, datetime]]:
    """Every full date ``lead`` writes, with where it starts."""
    found: list[tuple[int, datetime]] = []
    for match in _EN_FULL_DATE.finditer(lead):
        if match.group(1):
            parts = (match.group(3), match.group(1), match.group(2))
        else:
            parts = (match.group(6), match.group(5), match.group(4))
        year, month, day = int(parts[0]), _MONTHS[parts[1].lower()], int(parts[2])
        found.extend((match.start(), d) for d in _date(year, month, day))
    for match in _ZH_FULL_DATE.finditer(lead):
        year, month, day = (int(part) for part in match.groups())
        found.extend((match.start(), d) for d in _date(year, month, day))
    return found


def _date(year: int, month: int, day: int) -> list[datetime]:
    try:
        return [datetime(year, month, day, tzinfo=UTC)]
    except ValueError:
        return []


def _candidates(lead: str, today: datetime, latest: datetime) -> list[datetime]:
    found: list[datetime] = []
    for match in _EN_DATE.finditer(lead):
        month = _MONTHS[(match.group(1) or match.group(4)).lower()]
        found.extend(_on(today, month, int(match.group(2) or match.group(3))))
    for match in _ZH_DATE.finditer(lead):
        found.extend(_on(today, int(match.group(1)), int(match.group(2))))
    for match in _EN_WEEKDAY.finditer(lead):
        if _AHEAD.search(lead, max(0, match.start() - AHEAD_CHARS), match.start()):
            continue
        weekday = _WEEKDAYS_EN.index(match.group(2).lower())
        found.append(_named_weekday(today, latest, weekday, last_week=bool(match.group(1))))
    for match in _ZH_WEEKDAY.finditer(lead):
        if _AHEAD.search(lead, max(0, match.start() - AHEAD_CHARS), match.start()):
            continue
        weekday = _WEEKDAYS_ZH[match.group(2)]
        found.append(_named_weekday(today, latest, weekday, last_week=bool(match.group(1))))
    for match in (*_EN_RELATIVE.finditer(lead), *_ZH_RELATIVE.finditer(lead)):
        found.append(today - timedelta(days=_RELATIVE_DAYS[match.group(1).lower()]))
    return found


def _on(today: datetime, month: int, day: int) -> list[datetime]:
    """That month and day in the publication year, or the year before (a January report
    of a December outage)."""
    days = []
    for year in (today.year, today.year - 1):
        try:
            days.append(today.replace(year=year, month=month, day=day))
        except ValueError:
            continue
    return days


def _named_weekday(today: datetime, latest: datetime, weekday: int, *, last_week: bool) -> datetime:
    """The day a weekday names, counted back from the latest day the report may mean
    (``latest``: the next UTC day late in the UTC day); "last Friday" from the
    publication's own week."""
    return _weekday(today if last_week else latest, weekday, last_week=last_week)


def _weekday(today: datetime, weekday: int, *, last_week: bool) -> datetime:
    """The most recent such weekday on or before ``today``; with "last"/"上", that day
    of the previous calendar week (weeks start on Monday)."""
    if last_week:
        return today - timedelta(days=today.weekday() + 7 - weekday)
    return today - timedelta(days=(today.weekday() - weekday) % 7)
