"""Follow-ups weeks after their outage that name no day (a post-mortem three weeks on, a
Chinese repost of it): attached to the incident of their subject that began nearest
before them, up to four weeks back, and moved when a nearer one is filed, so that the
order of reading does not matter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from bot.incidents.distant import fits
from bot.incidents.rules import is_late
from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.schema import Article, Incident, IncidentArticle
from bot.store import Store
from tests.test_incidents import article

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

FIRST_NEWS = ("Cloudflare R2 outage takes down websites",
              "Sites that keep images in R2 storage failed to load for two hours.")  # fmt: skip
SECOND_OUTAGE = ("Cloudflare R2 storage outage breaks websites",
                 "Images on many sites failed to load.")  # fmt: skip
POST_MORTEM = ("Cloudflare publishes post-mortem of R2 storage outage",
               "The company said an operator disabled the R2 gateway by mistake.")  # fmt: skip
REPOST = ("Cloudflare对象存储R2故障复盘：操作失误致服务中断", "运维人员误操作关闭了R2网关。")


def _report(name: str, words: tuple[str, str], days: float) -> Article:
    return article(name, words[0], words[1], START + timedelta(days=days))


def _file_all(store: Store, classifier: OutageClassifier, reports: list[Article]) -> Incident:
    tracker = IncidentTracker(store)
    incident = None
    for report in reports:
        incident = tracker.file(report, classifier.classify(report))
    assert incident is not None
    return incident


def _partition(store: Store, reports: list[Article]) -> set[frozenset[str]]:
    """Reports by the incident they are filed under at the end."""
    groups: dict[str, set[str]] = {}
    for report in reports:
        filed = store.redis.get(store.keys.filed(report.id))
        groups.setdefault(str(filed), set()).add(report.source.removeprefix("outlet-"))
    return {frozenset(group) for group in groups.values()}


def test_a_post_mortem_three_weeks_on_is_attached_to_its_outage(
    store: Store, classifier: OutageClassifier
) -> None:
    first = _report("news", FIRST_NEWS, 0)
    late = _report("pm", POST_MORTEM, 20)
    before = _file_all(store, classifier, [first])
    incident = _file_all(store, classifier, [late])
    assert incident.id == before.id
    attached = [a for a in incident.articles if a.attached]
    assert [a.article_id for a in attached] == [late.id]
    assert attached[0].subject == "cloudflare"
    # Listed with the incident, but it says nothing of the event: no evidence for
    # matching, and the status stays what the news said.
    assert [a.article_id for a in incident.evidence] == [first.id]
    assert incident.status == before.status


def test_a_follow_up_past_four_weeks_is_not_attached(
    store: Store, classifier: OutageClassifier
) -> None:
    first = _report("news", FIRST_NEWS, 0)
    late = _report("pm", POST_MORTEM, 35)
    assert _file_all(store, classifier, [first]).id != _file_all(store, classifier, [late]).id


def test_an_attached_follow_up_draws_no_news_of_another_outage(
    store: Store, classifier: OutageClassifier
) -> None:
    """News of another outage two days after a post-mortem attached to the first: the
    post-mortem is no evidence of when the first outage was (as a late report within two
    weeks would be), so the news starts its own incident; the post-mortem, written
    before that outage, stays with the first."""
    reports = [_report("news", FIRST_NEWS, 0), _report("pm", POST_MORTEM, 20),
               _report("again", SECOND_OUTAGE, 22)]  # fmt: skip
    _file_all(store, classifier, reports)
    assert _partition(store, reports) == {frozenset({"news", "pm"}), frozenset({"again"})}


@pytest.mark.parametrize("order", list(permutations(range(4))), ids=lambda o: "".join(map(str, o)))
def test_follow_ups_end_with_the_nearest_outage_in_any_order(
    store: Store, classifier: OutageClassifier, order: tuple[int, ...]
) -> None:
    """Two R2 outages 16 days apart; a post-mortem four days after the second and a
    Chinese repost of it, neither naming a day. Whatever the order, both follow the
    second outage, and the first stays alone (before the reading order mattered: a
    post-mortem read before the second outage's news went to the first)."""
    reports = [
        _report("news", FIRST_NEWS, 0),
        _report("again", SECOND_OUTAGE, 16),
        _report("pm", POST_MORTEM, 20),
        _report("repost", REPOST, 20.5),
    ]
    _file_all(store, classifier, [reports[i] for i in order])
    assert _partition(store, reports) == {frozenset({"news"}), frozenset({"again", "pm", "repost"})}


def test_an_incident_its_follow_ups_leave_is_as_recent_as_the_reports_it_keeps(
    store: Store, classifier: OutageClassifier
) -> None:
    """The post-mortem and its repost, read before the second outage's news, first
    follow the first outage (its last update then is theirs); when they move to the
    second, the first was last updated by its own news again."""
    news, again = _report("news", FIRST_NEWS, 0), _report("again", SECOND_OUTAGE, 16)
    follow_ups = [_report("pm", POST_MORTEM, 20), _report("repost", REPOST, 20.5)]
    tracker = IncidentTracker(store)
    first = tracker.file(news, classifier.classify(news))
    for report in follow_ups:
        assert tracker.file(report, classifier.classify(report)).id == first.id
    stored = tracker.book.get(first.id)
    assert stored is not None and stored.updated_at == follow_ups[1].published
    second = tracker.file(again, classifier.classify(again))
    assert {a.article_id for a in second.articles} == {again.id, *(r.id for r in follow_ups)}
    left = tracker.book.get(first.id)
    assert left is not None and [a.article_id for a in left.articles] == [news.id]
    assert left.updated_at == news.published
    # The index incidents are kept and listed by says so too.
    assert store.redis.zscore(store.keys.incidents(), first.id) == news.published.timestamp()


@pytest.mark.parametrize("late_first", [False, True])
def test_a_follow_up_read_before_its_outage_joins_it_weeks_back(
    store: Store, classifier: OutageClassifier, late_first: bool
) -> None:
    reports = [_report("news", FIRST_NEWS, 0), _report("pm", POST_MORTEM, 20)]
    if late_first:
        reports.reverse()
    _file_all(store, classifier, reports)
    assert _partition(store, reports) == {frozenset({"news", "pm"})}


@pytest.mark.parametrize("late_first", [False, True])
@pytest.mark.parametrize(
    "title",
    [
        # It names its outage's day, two weeks after the incident began.
        "Cloudflare publishes post-mortem of March 20 R2 storage outage",
        # It says it follows another outage.
        "Cloudflare publishes post-mortem of second R2 outage",
    ],
)
def test_a_follow_up_that_says_which_outage_it_follows_is_not_attached(
    store: Store, classifier: OutageClassifier, title: str, late_first: bool
) -> None:
    reports = [_report("news", FIRST_NEWS, 0), _report("pm", (title, POST_MORTEM[1]), 21)]
    if late_first:
        reports.reverse()
    _file_all(store, classifier, reports)
    assert _partition(store, reports) == {frozenset({"news"}), frozenset({"pm"})}


GOOGLE = [
    ("x", ("Google Cloud outage takes down websites",
           "Sites hosted on Google Cloud failed to load for two hours."), 0),
    ("y", ("Google outage breaks Gmail and Search", "Gmail and Search failed for many users."), 10),
    ("z", ("Google Drive down for thousands", "Users could not open files in Google Drive."), 20),
    ("pm", ("Google Cloud publishes post-mortem of outage",
            "The company said an operator disabled a load balancer by mistake."), 27),
]  # fmt: skip


@pytest.mark.parametrize("order", ["x pm y z", "x y z pm"])
def test_a_follow_up_moves_across_a_providers_family(
    store: Store, classifier: OutageClassifier, order: str
) -> None:
    """A Google Cloud post-mortem attached to x, then moved on to the Google incident y, is
    found there under Google Cloud too, so it moves on to the nearest, z, as if read last
    (where, a week after z's news, it is z's evidence)."""
    reports = {name: _report(name, words, days) for name, words, days in GOOGLE}
    _file_all(store, classifier, [reports[name] for name in order.split()])
    assert _partition(store, list(reports.values())) == {
        frozenset({"x"}),
        frozenset({"y"}),
        frozenset({"z", "pm"}),
    }


def test_a_follow_up_moved_within_the_windows_of_its_outage_becomes_its_evidence(
    store: Store, classifier: OutageClassifier
) -> None:
    """A post-mortem read before the second outage's news is attached to the first, then
    moved to the second, four days after it: there it says what it would have said read
    last, that the incident is at post-mortem."""
    first, second, late = (_report("news", FIRST_NEWS, 0), _report("again", SECOND_OUTAGE, 16),
                           _report("pm", POST_MORTEM, 20))  # fmt: skip
    read_last = _file_all(store, classifier, [first, second, late])
    store.redis.flushdb()
    _file_all(store, classifier, [first, late, second])
    moved = IncidentTracker(store).book.get(str(store.redis.get(store.keys.filed(late.id))))
    assert moved is not None
    assert [a.attached for a in moved.articles] == [False, False]
    assert moved.status == read_last.status == "postmortem"


def _filed(
    article_id: str, title: str, names: tuple[str, ...], days: float = 0, **extra: object
) -> IncidentArticle:
    return IncidentArticle(
        article_id=article_id, url=f"https://{article_id}.example/", title=title,
        language="en", source=article_id, published=START + timedelta(days=days),
        names=names, **extra,
    )  # fmt: skip


def _incident(*reports: IncidentArticle) -> Incident:
    return Incident(
        id="i", is_outage=True, provider="cloudflare", title=reports[0].title,
        first_seen=START, updated_at=START, lead_article_id=reports[0].article_id,
        articles=reports,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("names", "in_headline", "days", "fit"),
    [
        (("cloudflare",), False, 20, True),
        # A provider read from a stray mention ("posted on X") is not enough weeks on:
        # the follow-up's headline names its subject, or it names what the news names.
        (("tesco",), False, 20, False),
        (("tesco",), True, 20, True),
        (("cloudflare",), False, 29, False),  # past four weeks
        (("cloudflare",), True, -1, False),  # before the outage began
    ],
)
def test_what_a_distant_follow_up_must_share_with_its_outage(
    names: tuple[str, ...], in_headline: bool, days: int, fit: bool
) -> None:
    incident = _incident(_filed("news", "Cloudflare outage takes down websites", ("cloudflare",)))
    late = _filed("pm", "Post-mortem published", names, days, late=True, attached=True,
                  subject="cloudflare", subject_in_headline=in_headline)  # fmt: skip
    assert (fits(incident, late) is not None) is fit
    assert fits(incident.model_copy(update={"held": True}), late) is None


@pytest.mark.parametrize(
    ("title", "text", "in_headline"),
    [
        ("Cloudflare publishes post-mortem of R2 storage outage", "", True),
        ("阿里云公布故障补偿方案 受影响客户最高可获30倍赔偿", "", True),
        ("us-east-1 outage: what went wrong", "", True),  # a region of the provider
        # The provider only in the text: a stray mention, or a digest's other story.
        ("Retailer's website restored after suspected cyberattack",
         "The company posted an apology on X and said Azure was not involved.", False),
    ],
)  # fmt: skip
def test_whether_the_headline_names_the_subject(
    classifier: OutageClassifier, title: str, text: str, in_headline: bool
) -> None:
    outage = classifier.classify(article("1", title, text, START))
    assert outage.is_outage
    assert outage.subject_in_headline is in_headline


_ROOT_CAUSE = (
    "Cloudflare 的 R2 对象存储平台在试图拦截一个网络钓鱼网址时适得其反，引发了一场大规模故障，"
    "导致多项服务中断近一小时。R2 是一种对象存储服务，旨在实现可扩展、持久且低成本的数据存储。"
    "一名员工在处理滥用举报时，没有只屏蔽那个网址，而是关闭了整个 R2 网关服务。"
    "由于缺少针对此类操作的保护措施，这一失误直接导致 R2 的读写请求全部失败，依赖它的图片、"
    "视频和备份服务随之中断。Cloudflare 表示，今后将对高风险操作增加二次确认，并限制单人权限。"
)


def _copies() -> list[Article]:
    """First news of an R2 outage; 17 days on, a translated account of its cause and a
    repost of that translation without the translator's note (read alone, first news)."""
    return [
        _report("news", FIRST_NEWS, 0),
        article("translated", "拦截钓鱼网址操作失误致Cloudflare服务中断",
                f"译文声明：本文是翻译文章。{_ROOT_CAUSE}", START + timedelta(days=17)),
        article("repost", "【安全圈】拦截钓鱼网址操作失误致Cloudflare服务中断", _ROOT_CAUSE,
                START + timedelta(days=17, hours=6)),
    ]  # fmt: skip


def test_the_translation_reads_as_late_and_its_repost_alone_as_first_news(
    classifier: OutageClassifier,
) -> None:
    _, translated, repost = _copies()
    assert is_late(classifier.classify(translated))
    assert not is_late(classifier.classify(repost))  # alone, it reads as first news


@pytest.mark.parametrize("order", list(permutations(range(3))), ids=lambda o: "".join(map(str, o)))
def test_a_repost_of_a_late_report_follows_the_outage_in_any_order(
    store: Store, classifier: OutageClassifier, order: tuple[int, ...]
) -> None:
    """Read before the translation, the repost starts an incident as first news; when the
    translation joins it as its near-duplicate, both are late, and go to the outage."""
    reports = _copies()
    _file_all(store, classifier, [reports[i] for i in order])
    assert _partition(store, reports) == {frozenset({"news", "translated", "repost"})}
