"""A Chinese report that names a foreign company only in Chinese, and the English reports
of the same outage (session 26, from the written sagas; our text, unit cases): they share
the setting, a country and a kind of body, and the days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from bot.incidents.setting import same_setting, setting_of
from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.store import Store
from tests.test_incidents import article, file

MONDAY = datetime(2029, 2, 19, 1, 0, tzinfo=UTC)
ENGLISH = (
    "Check-in system failure delays dozens of Hoshizora Air flights - The Japan Times",
    "A failure in Hoshizora Air's check-in system forced the Japanese low-cost carrier to "
    "process travellers by hand at Narita.",
)
CHINESE = (
    "日本星空航空值机系统故障 数十航班延误 - 新浪航空",
    "日本低成本航空公司星空航空今日早间发生值机及登机系统故障，多个航班延误。",
)


@pytest.mark.parametrize(
    ("title", "text", "setting"),
    [
        (*ENGLISH, ("country:jp", "sector:airline")),
        (*CHINESE, ("country:jp", "sector:airline")),
        ("肯纳里电讯网络大瘫痪 马来西亚全国用户无法通话上网", "",
         ("country:my", "sector:telecom")),
        ("欧盟出入境系统突发故障 多国机场口岸排长队", "",
         ("country:eu", "sector:airport", "sector:border")),
        ("Five-hour queues at Dover as EU border system goes down", "",
         ("country:eu", "sector:border")),
        ("荷兰连锁药店收银系统瘫痪", "", ("country:nl", "sector:pharmacy")),
        ("Dutch pharmacy chain's tills down nationwide", "",
         ("country:nl", "sector:pharmacy", "sector:retail")),
        # A country inside a longer place's name is not named.
        ("印度尼西亚电信运营商全国断网", "", ("country:id", "sector:telecom")),
        ("都柏林机场值机系统故障", "", ("country:ie", "sector:airline", "sector:airport")),
        ("罗马尼亚银行系统瘫痪", "", ("country:ro", "sector:bank")),
        # Phrases that hold a country's name and name none: Beijing time, continents.
        ("北京时间周五晚，日本星空航空值机系统故障", "", ("country:jp", "sector:airline")),
        ("欧美国家银行系统故障", "", ("sector:bank",)),
        ("Latin American bank down", "", ("sector:bank",)),
        # A letter whose lower case is longer does not shift what is read after it.
        ("İİİİİİ bank down in Japan", "", ("country:jp", "sector:bank")),
        # A mobile carrier is a phone network, not an airline; a CI pipeline no utility.
        ("Mobile carrier down across the country", "", ("sector:telecom",)),
        ("CI pipeline broken for hours", "", ()),
        ("App stores down for iPhone users", "", ()),
        # The outlet's name is no country; a lower-case "us" is no country either.
        ("Card payments down for hours - The Japan Times", "Let us know.", ("sector:payments",)),
    ],
)  # fmt: skip
def test_the_setting_of_a_report(title: str, text: str, setting: tuple[str, ...]) -> None:
    assert setting_of(title, text) == setting


def test_a_setting_needs_both_a_country_and_a_kind_of_body() -> None:
    assert same_setting(("country:jp", "sector:airline"), ("country:jp", "sector:airline"))
    assert not same_setting(("country:jp", "sector:airline"), ("country:jp", "sector:bank"))
    assert not same_setting(("sector:airline",), ("sector:airline",))


@pytest.mark.parametrize("english_first", [True, False])
def test_a_chinese_name_of_a_foreign_company_joins_its_english_reports(
    store: Store, classifier: OutageClassifier, english_first: bool
) -> None:
    tracker = IncidentTracker(store)
    english = article("en", *ENGLISH, MONDAY)
    chinese = article("zh", *CHINESE, MONDAY + timedelta(hours=7))
    first, second = (english, chinese) if english_first else (chinese, english)
    assert file(tracker, classifier, first) == file(tracker, classifier, second)


@pytest.mark.parametrize("english_first", [True, False])
def test_an_english_report_filed_late_in_the_utc_day_joins_the_next_days_chinese_one(
    store: Store, classifier: OutageClassifier, english_first: bool
) -> None:
    # Sunday 21:40 UTC is Monday morning in Tokyo: "on Monday morning" is that Monday, the
    # day the Chinese report, published at 02:30 UTC on Monday, writes as 今日早间.
    tracker = IncidentTracker(store)
    english = article(
        "en",
        ENGLISH[0],
        "Travellers at Narita faced long queues on Monday morning after a failure in "
        "Hoshizora Air's check-in system forced the Japanese carrier to work by hand.",
        MONDAY.replace(hour=0) - timedelta(hours=2, minutes=20),
    )
    chinese = article("zh", *CHINESE, MONDAY.replace(hour=2, minute=30))
    first, second = (english, chinese) if english_first else (chinese, english)
    assert file(tracker, classifier, first) == file(tracker, classifier, second)


def test_a_late_chinese_report_joins_within_the_follow_up_window(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    english = file(tracker, classifier, article("en", *ENGLISH, MONDAY))
    apology = article(
        "zh",
        "日本星空航空就值机系统故障致歉 将向旅客发放补偿",
        "日本低成本航空公司星空航空表示，本周一的值机系统故障系数据库更新出错所致。",
        MONDAY + timedelta(days=5),
    )
    assert classifier.classify(apology).aftermath
    assert file(tracker, classifier, apology) == english


@pytest.mark.parametrize(
    ("title", "text", "later"),
    [
        # Another country's airline; a bank in the same country; the same setting a week on.
        ("韩国星空航空值机系统故障 数十航班延误", "韩国一家航空公司今日早间发生值机系统故障。",
         timedelta(hours=7)),
        ("日本樱川银行网银系统故障 客户无法转账", "日本樱川银行今日早间网上银行无法登录。",
         timedelta(hours=7)),
        (*CHINESE, timedelta(days=8)),
    ],
)  # fmt: skip
def test_another_setting_or_another_week_is_another_outage(
    store: Store, classifier: OutageClassifier, title: str, text: str, later: timedelta
) -> None:
    tracker = IncidentTracker(store)
    english = file(tracker, classifier, article("en", *ENGLISH, MONDAY))
    assert file(tracker, classifier, article("zh", title, text, MONDAY + later)) != english


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A Chinese report that writes a Latin name is matched by it, not by its setting.
        ("日本Skyline航空值机系统故障 数十航班延误",
         "日本低成本航空公司Skyline Air今日早间发生值机系统故障。"),
        # Two English reports need a shared name, not a setting.
        ("Check-in system failure delays Kitsune Airways flights",
         "A failure at Kitsune Airways, a Japanese airline, delayed flights at Haneda."),
    ],
)  # fmt: skip
def test_a_report_naming_another_company_in_latin_script_is_another_outage(
    store: Store, classifier: OutageClassifier, title: str, text: str
) -> None:
    tracker = IncidentTracker(store)
    english = file(tracker, classifier, article("en", *ENGLISH, MONDAY))
    other = article("other", title, text, MONDAY + timedelta(hours=3))
    assert file(tracker, classifier, other) != english


@pytest.mark.parametrize("order", list(permutations(range(3))))
def test_one_vague_chinese_report_never_makes_two_companies_one_outage(
    store: Store, classifier: OutageClassifier, order: tuple[int, ...]
) -> None:
    """Two Japanese airlines down the same morning, and a Chinese report of "a Japanese
    airline" that could be either: in any order of reading, the two stay apart."""
    tracker = IncidentTracker(store)
    reports = [
        article("hoshizora", *ENGLISH, MONDAY),
        article("skyline", "Check-in system failure delays Skyline Air flights in Japan",
                "A failure at Skyline Air, a Japanese airline, delayed flights at Haneda.",
                MONDAY + timedelta(hours=1)),
        article("vague", "日本一家航空公司值机系统故障 数十航班延误",
                "日本一家低成本航空公司今日早间发生值机系统故障。", MONDAY + timedelta(hours=6)),
    ]  # fmt: skip
    for n in order:
        file(tracker, classifier, reports[n])
    filed = {
        report.title: tracker.book.get(str(store.redis.get(store.keys.filed(report.id))))
        for report in reports
    }
    hoshizora, skyline = (filed[reports[n].title] for n in (0, 1))
    assert hoshizora is not None and skyline is not None
    assert hoshizora.id != skyline.id


def test_a_country_both_headlines_name_is_no_shared_name(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    first = file(
        tracker,
        classifier,
        article("a", "Japan's Hoshizora Air hit by check-in outage",
                "Check-in failed at Narita for hours.", MONDAY),
    )  # fmt: skip
    other = article(
        "b",
        "Check-in system failure delays Skyline Air flights in Japan",
        "A failure at Skyline Air delayed flights at Haneda.",
        MONDAY + timedelta(hours=2),
    )
    assert file(tracker, classifier, other) != first
