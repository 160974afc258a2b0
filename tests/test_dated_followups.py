"""Follow-ups weeks later that name their outage by its date ("fines ICBC over August 7
app outage", "“8·7”系统故障…被罚"): the date is the event's, so they join it however late
they come, and never start an incident of their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.outage.eventday import dated_event_day
from bot.store import Store
from tests.test_incidents import article, file

PUBLISHED = datetime(2028, 9, 16, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("China's banking regulator fines ICBC over August 7 app outage", (2028, 8, 7)),
        ("Senators press the hospital over its Aug. 28 ransomware attack", (2028, 8, 28)),
        ("A report into the cyber attack of July 3 reveals the ransom demand", (2028, 7, 3)),
        ("Lawmakers question the airline over the outage on September 2", (2028, 9, 2)),
        ("金融监管总局通报工商银行“8·7”系统故障 责令整改", (2028, 8, 7)),
        ("阿霍德德尔海兹：8月21日网络攻击损失最高达4500万欧元", (2028, 8, 21)),
        ("微软公布7月18日Azure大规模故障调查报告", (2028, 7, 18)),
        # A date that names no outage, or names other news.
        ("The bank launches its new app on August 7", None),
        ("Survivors remember the October 7 attack", None),
        ("Okta says March 3 security incident exposed support files", None),
        ("故障持续3.5小时，8月7日已恢复", None),
        # Named to say this is another one.
        ("WeChat Pay glitch fixed, unrelated to the September 2 outage, Tencent says", None),
        ("微信支付短暂异常 腾讯：已修复，与9月2日故障无关", None),
        # Further back than a follow-up comes: another event.
        ("A year on from the September 20 outage", None),
    ],
)
def test_the_day_a_headline_names_its_outage_by(
    text: str, day: tuple[int, int, int] | None
) -> None:
    expected = datetime(*day, tzinfo=UTC) if day else None
    assert dated_event_day(text, PUBLISHED) == expected


def test_a_headline_naming_a_past_outage_by_its_date_is_its_aftermath(
    classifier: OutageClassifier,
) -> None:
    outage = classifier.classify(
        article("1", "Pine Hollow ISD says August 28 ransomware attack cost $2.3 million", "",
                PUBLISHED)
    )  # fmt: skip
    assert outage.is_outage and outage.aftermath
    assert outage.event_day == datetime(2028, 8, 28, tzinfo=UTC)


@pytest.mark.parametrize(
    "title",
    [
        # Published the day it names: news of that day, read as ever.
        "Regulator fines ICBC over September 16 app outage",
        # Another outage that recalls the last one.
        "ICBC app down again, weeks after August 7 app outage",
    ],
)
def test_a_dated_outage_of_the_day_or_a_new_one_is_no_aftermath(
    classifier: OutageClassifier, title: str
) -> None:
    assert not classifier.classify(article("1", title, "", PUBLISHED)).aftermath


def test_an_undated_page_naming_a_date_is_not_read_as_aftermath(
    classifier: OutageClassifier,
) -> None:
    item = article("1", "Regulator fines ICBC over August 7 app outage", "", None)
    assert not classifier.classify(item).aftermath


def test_a_fine_five_weeks_later_joins_the_outage_it_names_in_either_language(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    start = datetime(2028, 8, 7, 3, 0, tzinfo=UTC)
    first = file(
        tracker,
        classifier,
        article(
            "a", "工商银行手机银行故障 用户无法登录转账", "8月7日上午，工行App出现故障。", start
        ),
    )
    later = start + timedelta(days=39)
    fines = [
        article("b", "金融监管总局通报工商银行“8·7”系统故障 责令整改并罚款", "", later),
        article("c", "China's banking regulator fines ICBC over August 7 app outage", "",
                later + timedelta(hours=8)),
    ]  # fmt: skip
    assert {file(tracker, classifier, item) for item in fines} == {first}


def test_a_dated_follow_up_with_no_retained_outage_starts_nothing_that_is_posted(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    item = article("a", "Senators press Prairie Heartland over October 9 ransomware attack", "",
                   datetime(2028, 11, 14, 9, 0, tzinfo=UTC))  # fmt: skip
    incident = tracker.file(item, classifier.classify(item))
    assert incident.held


def test_a_follow_up_naming_another_day_does_not_join(
    store: Store, classifier: OutageClassifier
) -> None:
    """Two failures of one bank three weeks apart; the fine names the second."""
    tracker = IncidentTracker(store)
    start = datetime(2028, 3, 13, 3, 0, tzinfo=UTC)
    first = file(
        tracker,
        classifier,
        article("a", "建设银行手机银行崩了 用户无法登录", "3月13日上午，建行App故障。", start),
    )
    second = file(
        tracker,
        classifier,
        article(
            "b",
            "建设银行又崩了：手机银行、POS刷卡大面积异常",
            "3月27日下午，建行系统再度故障。",
            start + timedelta(days=14),
        ),
    )
    fine = file(
        tracker,
        classifier,
        article("c", "建设银行因“3·27”系统故障被罚420万元", "", start + timedelta(days=52)),
    )
    assert first != second
    assert fine == second


@pytest.mark.parametrize(
    "title",
    [
        # A dated failure of something other than IT, or news with no one following it up.
        "Investigators release report on August 29 plane crash",
        "Regulators review September 2 bank failure",
        "Lawmakers probe August 15 power outages",
        "Study: what the August 19 outage taught us",
        # A new outage that recalls an earlier one.
        "Weeks after August 1 outage, Azure suffers new disruption",
        "Hospital systems still offline after August 28 ransomware attack",
        # A year that puts the date long ago; a version number.
        "Regulator fines bank over the March 3, 2026 outage",
        "Microsoft confirms Windows 11 August update failures",
    ],
)
def test_these_dated_headlines_are_no_follow_ups_of_a_recent_outage(
    classifier: OutageClassifier, title: str
) -> None:
    assert not classifier.classify(article("1", title, "", PUBLISHED)).aftermath


def test_an_outage_a_reports_text_names_after_after_is_an_earlier_one(
    classifier: OutageClassifier,
) -> None:
    item = article("1", "Azure services restored after outage",
                   "The disruption came weeks after the August 25 outage.", PUBLISHED)  # fmt: skip
    outage = classifier.classify(item)
    assert outage.event_day is None or outage.event_day.date() > datetime(2028, 8, 25).date()


def test_another_outage_naming_the_last_ones_date_is_another_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    start = datetime(2028, 3, 1, 9, 0, tzinfo=UTC)
    first = file(
        tracker,
        classifier,
        article(
            "a",
            "Azure outage in West Europe knocks banks offline",
            "Azure failed on Wednesday.",
            start,
        ),
    )
    later = start + timedelta(days=9)
    again = [
        article("b", "Weeks after March 1 outage, Azure suffers new disruption",
                "Azure services failed again in West Europe.", later),
        article("c", "微软Azure在3月1日故障后再现大面积宕机", "微软云服务再次出现故障。",
                later + timedelta(hours=2)),
    ]  # fmt: skip
    ids = {file(tracker, classifier, item) for item in again}
    assert first not in ids
