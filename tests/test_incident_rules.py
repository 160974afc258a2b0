"""The rules that keep one incident per real event, against a real Redis.

Time is a hard constraint, undated reports join only on strong evidence, two
incidents of one status page never merge, aftermath stories never start an
incident, retention goes by the clock, and the order of filing does not matter.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.incidents.book import IncidentBook
from bot.incidents.links import cited_addresses, page_address
from bot.incidents.names import report_names, title_names
from bot.incidents.rules import FOLLOW_UP_WINDOW, close_enough, page_of
from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.schema import Article, Incident
from bot.store import Store
from tests.test_incidents import article

DAY = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
WRITTEN = Path(__file__).resolve().parent / "data" / "eval" / "written.jsonl"
BANK_TEXT = (
    "Customers of Harbour Mutual could not log in to the mobile app or pay by card for most "
    "of Tuesday morning, the bank said, blaming a failed storage upgrade in its data centre."
)


def filed(tracker: IncidentTracker, classifier: OutageClassifier, item: Article) -> Incident:
    return tracker.file(item, classifier.classify(item))


def test_near_duplicate_text_beyond_the_follow_up_window_is_another_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    first = filed(tracker, classifier, article("1", "Harbour Mutual app outage", BANK_TEXT, DAY))
    # A week more than the window: the copy's "Tuesday" is then also beyond it.
    later = DAY + FOLLOW_UP_WINDOW + timedelta(days=8)
    again = filed(tracker, classifier, article("2", "Harbour Mutual app down", BANK_TEXT, later))
    assert first.id != again.id
    within = filed(
        tracker,
        classifier,
        article("3", "Harbour Mutual app down", BANK_TEXT, DAY + timedelta(hours=5)),
    )
    assert within.id == first.id


def test_an_undated_report_joins_only_a_dated_near_duplicate(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    aws = filed(
        tracker,
        classifier,
        article("1", "AWS outage in us-east-1 takes down Netflix",
                "Amazon Web Services had elevated error rates in its us-east-1 region.", DAY),
    )  # fmt: skip
    # Same provider and region, but no date: "now" is not evidence of the same event.
    other = filed(
        tracker,
        classifier,
        article("2", "AWS us-east-1 outage: what we learned",
                "An AWS us-east-1 outage once stopped our deploys for an afternoon.", None),
    )  # fmt: skip
    assert other.id != aws.id
    assert other.articles[0].undated and other.articles[0].event_at is None
    # A copy of a dated report is strong evidence, date or none.
    copy = filed(
        tracker,
        classifier,
        article("3", "AWS outage in us-east-1 takes down Netflix",
                "Amazon Web Services had elevated error rates in its us-east-1 region.", None),
    )  # fmt: skip
    assert copy.id == aws.id
    assert copy.updated_at == aws.updated_at  # an undated report does not move the clock


def _status(n: int, thread: str, title: str, text: str, at: datetime) -> Article:
    return article(str(n), title, text, at, status="investigating", thread=thread)


def test_two_incidents_of_one_status_page_never_merge(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    template = "We are investigating reports of degraded performance for Actions and Pages."
    first = filed(
        tracker,
        classifier,
        _status(1, "https://www.githubstatus.com/incidents/aaa",
                "GitHub incident with Actions and Pages", template, DAY),
    )  # fmt: skip
    second = filed(
        tracker,
        classifier,
        _status(2, "https://www.githubstatus.com/incidents/bbb",
                "GitHub incident with Actions and Pages", template, DAY + timedelta(hours=4)),
    )  # fmt: skip
    assert first.id != second.id
    # News of that time joins the official incident of the same provider.
    news = filed(
        tracker,
        classifier,
        article("3", "GitHub outage hits Actions", "GitHub Actions jobs failed for an hour.",
                DAY + timedelta(hours=5)),
    )  # fmt: skip
    assert news.id in (first.id, second.id)


def test_one_aws_event_seen_by_two_services_is_one_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    ec2 = filed(
        tracker,
        classifier,
        _status(1, "aws:ec2-us-east-1:1638894000",
                "Amazon EC2 (N. Virginia) - Increased API Error Rates",
                "We are investigating increased API error rates in the US-EAST-1 Region.", DAY),
    )  # fmt: skip
    dynamo = filed(
        tracker,
        classifier,
        _status(2, "aws:dynamodb-us-east-1:1638894500",
                "Amazon DynamoDB (N. Virginia) - Increased Error Rates",
                "We are investigating increased error rates in the US-EAST-1 Region.",
                DAY + timedelta(minutes=10)),
    )  # fmt: skip
    assert ec2.id == dynamo.id


def test_pages_of_status_threads() -> None:
    assert page_of("https://www.githubstatus.com/incidents/aaa") == "www.githubstatus.com"
    assert page_of("aws:ec2-us-east-1:1638894000") == "aws:ec2-us-east-1"
    assert page_of("gcp:abc123") == "gcp"


def test_aftermath_joins_its_incident_and_never_starts_a_visible_one(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    cost = article(
        "1",
        "Harbour Mutual expects to lose $12 million after app outage",
        "The bank said Tuesday's outage of its mobile app will cost it up to $12 million.",
        DAY + timedelta(days=1),
    )
    outage = classifier.classify(cost)
    assert outage.is_outage and outage.aftermath
    held = tracker.file(cost, outage)
    assert held.held  # we have no news of the outage itself: nothing to list or post
    assert IncidentBook(store).recent(DAY - timedelta(days=30)) == []
    news = filed(tracker, classifier, article("2", "Harbour Mutual app outage", BANK_TEXT, DAY))
    assert news.id == held.id and not news.held
    assert [i.id for i in IncidentBook(store).recent(DAY - timedelta(days=30))] == [news.id]
    apology = article(
        "3",
        "Harbour Mutual apologises for app outage, blames storage upgrade",
        "The bank apologised for Tuesday's outage of its mobile app and card payments.",
        DAY + timedelta(days=2),
    )
    assert filed(tracker, classifier, apology).id == news.id


def test_a_report_between_two_incidents_makes_them_one(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    monday = filed(
        tracker,
        classifier,
        article("1", "Harbour Mutual app outage", "Customers could not log in to the app.", DAY),
    )
    thursday = filed(
        tracker,
        classifier,
        article("2", "Harbour Mutual app outage continues",
                "Card payments at Harbour Mutual were still failing, the bank said.",
                DAY + timedelta(days=4)),
    )  # fmt: skip
    assert monday.id != thursday.id  # four days apart: more than first news allows
    tuesday = filed(
        tracker,
        classifier,
        article("3", "Harbour Mutual app still down",
                "Harbour Mutual's engineers were working on a fix through the night.",
                DAY + timedelta(days=2)),
    )  # fmt: skip
    assert len(tuesday.articles) == 3
    assert tracker.book.get(thursday.id if tuesday.id == monday.id else monday.id) is None
    listed = IncidentBook(store).recent(DAY - timedelta(days=1))
    assert [i.id for i in listed] == [tuesday.id]


def test_retention_is_by_the_clock_not_by_the_newest_article(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    old = filed(
        tracker,
        classifier,
        article("1", "Harbour Mutual app outage", BANK_TEXT, datetime(2021, 3, 2, tzinfo=UTC)),
    )
    new = filed(
        tracker,
        classifier,
        article("2", "AWS outage in us-east-1 takes down Netflix",
                "Amazon Web Services had elevated error rates in its us-east-1 region.", DAY),
    )  # fmt: skip
    listed = {i.id for i in IncidentBook(store).recent(datetime(2000, 1, 1, tzinfo=UTC))}
    assert {old.id, new.id} <= listed
    # An incident whose key has expired drops out of the listing and its index.
    store.redis.delete(store.keys.incident(old.id))
    assert [i.id for i in IncidentBook(store).recent(datetime(2000, 1, 1, tzinfo=UTC))] == [new.id]
    assert store.redis.zscore(store.keys.incidents(), old.id) is None


def _written_articles() -> list[Article]:
    articles = []
    for line in WRITTEN.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        published = datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
        articles.append(article(row["id"], row["title"], row["text"], published))
    return articles


def _partition(
    store: Store, classifier: OutageClassifier, items: list[Article]
) -> set[frozenset[str]]:
    store.redis.flushdb()
    tracker = IncidentTracker(store)
    for item in items:
        outage = classifier.classify(item)
        if outage.is_outage:
            tracker.file(item, outage)
    # By the incident each is filed under at the end (a merge moves earlier reports);
    # held incidents (aftermath only) are part of the state too.
    groups: dict[str, set[str]] = {}
    for item in items:
        if (incident := store.redis.get(store.keys.filed(item.id))) is not None:
            groups.setdefault(str(incident), set()).add(item.id)
    return {frozenset(g) for g in groups.values()}


def test_filing_order_does_not_change_the_incidents(
    store: Store, classifier: OutageClassifier
) -> None:
    items = _written_articles()
    in_order = _partition(store, classifier, sorted(items, key=lambda a: a.published))
    for seed in (1, 2):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)  # noqa: S311 - an order, not a secret
        assert _partition(store, classifier, shuffled) == in_order


def test_a_late_report_that_states_the_day_joins_the_news_of_that_day(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    # DAY is a Friday; the digest comes out four days later and says "on Friday".
    news = filed(tracker, classifier, article("1", "Harbour Mutual app outage", BANK_TEXT, DAY))
    digest = article(
        "2",
        "Weekly roundup: Harbour Mutual app outage",
        "On Friday, Harbour Mutual customers could not pay by card for hours.",
        DAY + timedelta(days=4),
    )
    outage = classifier.classify(digest)
    assert outage.event_day == datetime(2026, 11, 20, tzinfo=UTC)
    assert tracker.file(digest, outage).id == news.id


def test_outages_of_a_company_the_catalogue_does_not_know_join_by_its_name(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    first = filed(
        tracker,
        classifier,
        article("1", "Technical difficulties or cyber attack? Ingram Micro's website goes down",
                "The distributor's website and ordering systems were unavailable.", DAY),
    )  # fmt: skip
    second = filed(
        tracker,
        classifier,
        article("2", "Ingram Micro confirms ransomware behind multi-day outage",
                "Ingram Micro said ransomware took its systems offline.", DAY + timedelta(days=2)),
    )  # fmt: skip
    other = filed(
        tracker,
        classifier,
        article("3", "Harbour Mutual app outage", BANK_TEXT, DAY + timedelta(hours=3)),
    )
    assert second.id == first.id
    assert other.id != first.id


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("Ransomware led to multiple DISH Network outages", {"dish"}),
        ("FinalSite: No school data stolen in ransomware attack behind site outage", {"finalsite"}),
        ("移动运营商Cellcom确认长期停电背后的网络攻击", {"cellcom"}),
        ("Why The Internet Went Down Today", set()),
    ],
)
def test_names_in_headlines(title: str, names: set[str]) -> None:
    assert title_names(title) == names


def test_a_chinese_reports_opening_adds_its_names() -> None:
    text = "因遭受勒索软件攻击，美国知名卫星电视运营商Dish Network主要业务和网络均告瘫痪。"
    assert "dish" in report_names("美国知名卫星电视服务中断超一周", text)
    # An English report's opening is read only when its headline names no one (see
    # tests/test_incident_names.py), and not for places or who reported it.
    assert report_names("Satellite TV outage enters second week", "Dish Network said.") == ("dish",)
    assert report_names("Dish outage enters second week", "Reuters said Dish failed.") == ("dish",)
    assert report_names("UK satellite TV outage", "Customers in Scotland said.") == ("uk",)


def test_a_chinese_report_naming_the_company_only_in_its_text_joins_the_english_one(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    english = filed(tracker, classifier, article("1", "Harbour Mutual app outage", BANK_TEXT, DAY))
    chinese = filed(
        tracker,
        classifier,
        article("2", "一家新西兰银行的手机应用大面积中断",
                "新西兰银行Harbour Mutual的手机应用和刷卡支付周二上午无法使用。",
                DAY + timedelta(hours=20)),
    )  # fmt: skip
    assert chinese.id == english.id


@pytest.mark.parametrize(("translated", "joins"), [(True, True), (False, False)])
def test_a_translation_published_days_later_joins_the_report_it_translates(
    store: Store, classifier: OutageClassifier, translated: bool, joins: bool
) -> None:
    tracker = IncidentTracker(store)
    english = filed(tracker, classifier, article("1", "Harbour Mutual app outage", BANK_TEXT, DAY))
    opening = "译文声明 本文是翻译文章，文章来源：news1.example。 " if translated else ""
    chinese = filed(
        tracker,
        classifier,
        article("2", "Harbour Mutual手机应用服务中断",
                f"{opening}新西兰银行Harbour Mutual的手机应用和刷卡支付无法使用。",
                DAY + timedelta(days=5)),
    )  # fmt: skip
    # Five days is beyond first news' window: only a translation (written after its
    # source, like a follow-up) gets the longer one.
    assert (chinese.id == english.id) is joins


def test_cited_addresses_are_the_sources_a_report_names() -> None:
    text = (
        "译文声明 本文是翻译文章，文章原作者 劳伦斯，文章来源：bleepingcomputer\n"
        "原文地址：<www.bleepingcomputer.com/news/security/carrier-outage/>\n"
        "前情回顾：https://other.example/2024/05/unrelated-story\n"
        "Source: https://WWW.Example.com/a/b/?utm_source=rss#top"
    )
    assert cited_addresses(text) == (
        "bleepingcomputer.com/news/security/carrier-outage",
        "example.com/a/b",
    )
    assert page_address("https://www.bleepingcomputer.com/news/security/carrier-outage/") == (
        "bleepingcomputer.com/news/security/carrier-outage"
    )
    assert page_address("https://example.com/") is None  # a home page is no report


def test_a_page_named_by_its_query_is_its_own_page() -> None:
    # WeChat serves every article from /s and names it in the query; a share link adds
    # who shared it. WordPress names a post by ?p=.
    wechat = "https://mp.weixin.qq.com/s?__biz=MzA1&mid=22&idx=1&sn=ab12"
    shared = f"{wechat}&chksm=99ff&scene=21&sharer_shareid=7#wechat_redirect"
    other = "https://mp.weixin.qq.com/s?__biz=MzA1&mid=23&idx=1&sn=cd34"
    assert page_address(shared) == page_address(wechat)
    assert page_address(other) != page_address(wechat)
    assert page_address("https://blog.example/?p=123") == "blog.example?p=123"
    assert page_address("https://news.example/article.php?id=5") == "news.example/article.php?id=5"
    # Elsewhere the query is no part of the page a translation cites.
    assert page_address("https://www.theregister.com/2024/07/19/crowdstrike?td=rt-3a") == (
        "theregister.com/2024/07/19/crowdstrike"
    )
    assert cited_addresses(f"原文链接：{shared}") == (page_address(wechat),)


def test_two_wechat_articles_are_not_each_others_source(
    store: Store, classifier: OutageClassifier
) -> None:
    # Two outlets' WeChat articles about two outages of one day: neither cites the other.
    first = article(
        "1", "某银行手机银行无法登录", "大量用户反映无法登录手机银行。", DAY
    ).model_copy(update={"url": "https://mp.weixin.qq.com/s?__biz=MzA1&mid=22&idx=1&sn=ab12"})
    second = article(
        "2", "某城地铁扫码进站系统故障", "乘客无法扫码进站。", DAY + timedelta(hours=2)
    ).model_copy(update={"url": "https://mp.weixin.qq.com/s?__biz=MzB2&mid=45&idx=2&sn=ef56"})
    tracker = IncidentTracker(store)
    assert filed(tracker, classifier, first).id != filed(tracker, classifier, second).id


@pytest.mark.parametrize("translation_first", [False, True])
def test_a_report_citing_a_filed_one_as_its_source_joins_it_days_later(
    store: Store, classifier: OutageClassifier, translation_first: bool
) -> None:
    source = article("1", "Harbour Mutual app outage", BANK_TEXT, DAY)
    # No shared words, no stated day, five days later, no translation marker: only the
    # citation ties them.
    retold = article(
        "2", "新西兰一家银行的手机应用大面积中断",
        "来源：https://news1.example/story 该行的手机应用和刷卡支付无法使用。",
        DAY + timedelta(days=5),
    )  # fmt: skip
    tracker = IncidentTracker(store)
    first, second = (retold, source) if translation_first else (source, retold)
    a = filed(tracker, classifier, first)
    b = filed(tracker, classifier, second)
    assert a.id == b.id


def test_a_date_without_a_time_stands_for_its_whole_day() -> None:
    dated_by_day = datetime(2026, 11, 20, tzinfo=UTC)  # a date-only field: midnight UTC
    three_days_on = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    # 18:00 three days on is within 72 hours of the 20th's evening, which the date allows.
    assert close_enough(dated_by_day, False, three_days_on, False)
    assert close_enough(three_days_on, False, dated_by_day, False)
    # A timed report of that morning is taken at its word.
    morning = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
    assert not close_enough(morning, False, three_days_on, False)
    # A late report still may not come long *before* first news.
    assert not close_enough(dated_by_day, True, three_days_on + timedelta(days=2), False)


def test_a_post_mortem_joins_the_event_it_names_not_the_one_nearest_its_publication(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    tuesday, thursday = DAY - timedelta(days=3), DAY - timedelta(hours=17)
    first = filed(
        tracker,
        classifier,
        _status(1, "https://www.githubstatus.com/incidents/aaa",
                "GitHub incident with degraded performance",
                "We are investigating reports of degraded performance.", tuesday),
    )  # fmt: skip
    other = filed(
        tracker,
        classifier,
        _status(2, "https://www.githubstatus.com/incidents/bbb",
                "GitHub incident with degraded performance",
                "We are investigating reports of degraded performance.", thursday),
    )  # fmt: skip
    assert first.id != other.id  # two incidents of one page
    # Published Friday morning, nearer Thursday's incident; it says Tuesday.
    review = filed(
        tracker,
        classifier,
        article("3", "GitHub explains what went wrong in Tuesday's outage",
                "A database failover on Tuesday left GitHub degraded for hours.",
                DAY - timedelta(hours=7)),
    )  # fmt: skip
    assert review.id == first.id
