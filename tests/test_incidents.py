"""Filing articles into incidents against a real Redis."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.schema import Article, Entry
from bot.sources.article import to_article
from bot.store import Store

DAY = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def article(n: str, title: str, text: str, published: datetime | None, **extra: object) -> Article:
    """A news article from outlet ``n``; ``published=None`` makes it undated."""
    entry = Entry(
        source=f"outlet-{n}",
        guid=n,
        link=f"https://news{n}.example/story",
        title=title,
        html=f"<p>{text}</p>",
        published=published,
        **extra,
    )  # type: ignore[arg-type]
    return to_article(entry, published or DAY)


def file(tracker: IncidentTracker, classifier: OutageClassifier, item: Article) -> str:
    return tracker.file(item, classifier.classify(item)).id


def filed_ids(
    tracker: IncidentTracker,
    classifier: OutageClassifier,
    start: datetime,
    reports: list[tuple[int, str, str]],
    unit: timedelta,
) -> set[str]:
    """The incidents ``reports`` (offset in ``unit`` from ``start``, headline, lead) are
    filed into, each from its own outlet."""
    return {
        file(tracker, classifier, article(str(n), title, text, start + unit * offset))
        for n, (offset, title, text) in enumerate(reports)
    }


AWS_EN = (
    "AWS outage in US-EAST-1 takes down Disney+ and Netflix",
    "Amazon Web Services reported elevated error rates in its Northern Virginia region.",
)
AWS_ZH = (
    "亚马逊云美国东部1区故障 奈飞等服务无法访问",
    "亚马逊云科技位于弗吉尼亚北部的美国东部1区出现故障，多项服务无法访问。",
)


def test_chinese_and_english_reports_of_one_outage_are_one_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    first = file(tracker, classifier, article("1", *AWS_EN, DAY))
    second = file(tracker, classifier, article("2", *AWS_ZH, DAY + timedelta(hours=3)))
    assert first == second
    incident = tracker.book.get(first)
    assert incident is not None
    assert incident.languages == ("en", "zh") and incident.revision == 2
    assert incident.provider == "aws" and "aws:us-east-1" in incident.regions


def test_follow_ups_join_and_status_only_moves_forward(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    incident_id = file(tracker, classifier, article("1", *AWS_EN, DAY))
    file(
        tracker,
        classifier,
        article(
            "2",
            "AWS says US-EAST-1 services are restored",
            "All services in us-east-1 are back online.",
            DAY + timedelta(hours=8),
        ),
    )
    root = article(
        "3",
        "Amazon explains the root cause of the US-EAST-1 outage",
        "The root cause was an automated scaling activity in the internal network.",
        DAY + timedelta(days=3),
    )
    assert file(tracker, classifier, root) == incident_id
    late_echo = article(
        "4",
        "AWS outage in US-EAST-1: users still report errors",
        "Some customers said they are still down.",
        DAY + timedelta(days=3, hours=1),
    )
    file(tracker, classifier, late_echo)
    incident = tracker.book.get(incident_id)
    assert incident is not None
    assert incident.status == "postmortem"
    assert [t.status for t in incident.timeline] == ["ongoing", "resolved", "postmortem"]


def test_same_provider_other_region_or_much_later_is_a_new_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    east = file(tracker, classifier, article("1", *AWS_EN, DAY))
    west = file(
        tracker,
        classifier,
        article(
            "2",
            "AWS outage hits us-west-2 in Oregon",
            "Elevated error rates in US-WEST-2.",
            DAY + timedelta(hours=5),
        ),
    )
    later = file(
        tracker,
        classifier,
        article(
            "3",
            "AWS outage in US-EAST-1 again: power loss",
            "A power loss in one data center of us-east-1 took instances offline.",
            DAY + timedelta(days=15),
        ),
    )
    assert len({east, west, later}) == 3


def test_status_page_updates_share_an_incident_by_thread(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    thread = "https://www.githubstatus.com/incidents/abc"
    ids = {
        file(
            tracker,
            classifier,
            article(
                str(n),
                f"Incident with Actions — {word}",
                text,
                DAY + timedelta(minutes=20 * n),
                status=status,
                thread=thread,
            ),
        )
        for n, (word, text, status) in enumerate(
            [
                (
                    "Investigating",
                    "We are investigating reports of degraded performance.",
                    "investigating",
                ),
                ("Update", "Jobs are queued longer than usual.", "update"),
                ("Resolved", "This incident has been resolved.", "resolved"),
            ]
        )
    }
    assert len(ids) == 1
    (incident_id,) = ids
    incident = tracker.book.get(incident_id)
    assert incident is not None and incident.status == "resolved" and len(incident.articles) == 3


def test_a_near_duplicate_joins_even_without_entities(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    text = (
        "Customers of the regional bank could not log in to the mobile app or use cards at "
        "checkout for most of Tuesday morning, the bank said, blaming a failed storage upgrade."
    )
    first = file(
        tracker, classifier, article("1", "Bank app outage locks customers out", text, DAY)
    )
    copy = file(
        tracker,
        classifier,
        article(
            "2",
            "Bank's app goes down for hours",
            text + " It apologised.",
            DAY + timedelta(hours=2),
        ),
    )
    assert first == copy


def test_non_outages_never_join_incidents(store: Store, classifier: OutageClassifier) -> None:
    tracker = IncidentTracker(store)
    outage_id = file(tracker, classifier, article("1", *AWS_EN, DAY))
    news = article(
        "2",
        "AWS revenue grows 19% in the third quarter",
        "Amazon's cloud unit beat estimates.",
        DAY,
    )
    incident = tracker.file(news, classifier.classify(news))
    assert incident.id != outage_id and not incident.is_outage


def test_concurrent_filing_makes_one_incident(
    redis_server: object, classifier: OutageClassifier
) -> None:
    from bot.keys import Keys
    from tests.conftest import RedisServer

    server: RedisServer = redis_server  # type: ignore[assignment]
    server.client().flushall()
    results: list[str] = []

    def worker(n: int) -> None:
        store = Store(server.client(), Keys("test"), server.url)
        title, text = (AWS_EN, AWS_ZH)[n % 2]
        results.append(
            file(
                IncidentTracker(store),
                classifier,
                article(str(n), title, text + f" ({n})", DAY + timedelta(minutes=n)),
            )
        )

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len(set(results)) == 1


def test_the_late_reports_of_an_outage_that_lasts_weeks_join_it(
    store: Store, classifier: OutageClassifier
) -> None:
    """An attack that keeps a company down for two weeks is reported with gaps of days
    between stories; the later ones count their days from its start ("nearly two weeks
    after") or are about something else the attack did ("data stolen in the attack that
    caused the outage"): both are follow-ups, with the follow-up window."""
    tracker = IncidentTracker(store)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
    reports = [
        (0, "Skylink TV outage takes down website, app and call centres",
         "Customers of the satellite TV provider Skylink could not log in or pay bills."),
        (2, "Skylink outage enters third day as customers fume", "Its app remains offline."),
        (5, "Skylink says ransomware attack encrypted its servers",
         "Skylink said data may have been taken in the attack that knocked it offline."),
        (6, "卫星电视公司Skylink遭勒索攻击一周后仍未恢复", "Skylink的网站和应用仍无法访问。"),
        (10, "Skylink still restoring systems nearly two weeks after ransomware attack",
         "Some customers still cannot reach support."),
        (12, "Skylink: customer data stolen in ransomware attack that caused outage",
         "The company began notifying employees."),
    ]  # fmt: skip
    ids = {
        file(tracker, classifier, article(str(n), title, text, start + timedelta(days=day)))
        for n, (day, title, text) in enumerate(reports)
    }
    assert len(ids) == 1
    # A new outage of the same company three weeks on is another incident.
    again = article("9", "Skylink app down", "Customers cannot log in.", start + timedelta(days=21))
    assert file(tracker, classifier, again) not in ids


def test_news_of_recovery_after_a_long_outage_joins_it(
    store: Store, classifier: OutageClassifier
) -> None:
    """Recovery is usually reported within hours of first news, and gets first news'
    window; a site that comes back after nearly two weeks is reported that long after,
    in both languages, and the report says so."""
    tracker = IncidentTracker(store)
    start = datetime(2026, 4, 14, 22, 0, tzinfo=UTC)
    down = article(
        "1",
        "Imageboard Boardchan goes offline after apparent hack",
        "The site has been unreachable since the hackers claimed a breach.",
        start,
    )
    back = article(
        "2",
        "Boardchan back online after nearly two weeks",
        "The imageboard returned today, 11 days after it was hacked.",
        start + timedelta(days=11),
    )
    back_zh = article("3", "Boardchan 恢复上线",
                      "知名论坛Boardchan在遭黑客入侵下线近两周后恢复上线。",
                      start + timedelta(days=11, hours=12))  # fmt: skip
    assert len({file(tracker, classifier, item) for item in (down, back, back_zh)}) == 1


def test_news_of_recovery_from_an_intrusion_joins_it_days_later(
    store: Store, classifier: OutageClassifier
) -> None:
    """Systems an intruder encrypted are rebuilt, not restarted: the recovery is news days
    later, and says what it recovered from rather than how long it took."""
    tracker = IncidentTracker(store)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    reports = [
        (0, "Ransomware attack takes Harbourline Logistics systems offline",
         "Harbourline Logistics said it shut down its IT systems."),
        (5, "Harbourline Logistics restores systems after ransomware attack",
         "The company said its systems are back online."),
        (6, "物流公司Harbourline系统已恢复正常",
         "该公司称，遭勒索软件攻击而关闭的系统已全面恢复。"),
    ]  # fmt: skip
    assert len(filed_ids(tracker, classifier, start, reports, timedelta(days=1))) == 1


def test_news_of_recovery_after_hours_does_not_reach_an_outage_days_before(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    start = datetime(2026, 4, 14, 22, 0, tzinfo=UTC)
    down = article("1", "Boardchan goes offline", "The site is unreachable.", start)
    back = article("2", "Boardchan back online after brief outage",
                   "The site was down for two hours this morning.",
                   start + timedelta(days=6))  # fmt: skip
    assert file(tracker, classifier, down) != file(tracker, classifier, back)


def test_a_weekly_digest_joins_the_outages_of_its_week(
    store: Store, classifier: OutageClassifier
) -> None:
    """A weekly digest names an outage six days after first news and often without its
    day: what it reports happened during the past week."""
    tracker = IncidentTracker(store)
    start = datetime(2026, 12, 18, 12, 0, tzinfo=UTC)
    news = article(
        "1",
        "阿里云香港可用区C宕机 多家网站无法访问",
        "阿里云香港地域可用区C出现故障，大量网站无法访问。",
        start,
    )
    digest = article(
        "2",
        "FreeBuf周报 | 阿里云香港服务器现“史诗级”宕机；某车企遭遇勒索攻击",
        "以下是本周的安全资讯。阿里云香港机房故障持续超过12小时。",
        start + timedelta(days=6),
    )
    weekly = article(
        "3",
        "The week in security: Alibaba Cloud Hong Kong zone down for hours",
        "Also this week: a carmaker hit by ransomware.",
        start + timedelta(days=5),
    )
    assert len({file(tracker, classifier, item) for item in (news, digest, weekly)}) == 1


def test_an_attack_on_a_retailer_reported_for_ten_days_in_two_languages_is_one_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    """A retailer hit by ransomware is in the news for days: first news, the cause, a
    Chinese repost, "fifth day", the cost, and "still not restored" ten days on."""
    tracker = IncidentTracker(store)
    start = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    reports = [
        (0, "UK retailer Marlowe & Finch suspends online orders after cyber incident",
         "The retailer paused online orders and contactless payments in its stores."),
        (1, "Marlowe & Finch says ransomware behind outage, online orders still paused",
         "The retailer confirmed that a ransomware attack forced it to take systems offline."),
        (2, "英国零售商Marlowe & Finch遭网络攻击，暂停线上订单",
         "英国零售商Marlowe & Finch周一表示，因遭遇网络安全事件，已暂停线上订单。"),
        (4, "Marlowe & Finch outage enters fifth day as shoppers complain",
         "Customers still cannot order online."),
        (8, "Marlowe & Finch attack could cost £300m, analysts say",
         "The retailer's online sales have been halted for over a week."),
        (10, "Marlowe & Finch遭勒索攻击已持续10天，线上业务仍未恢复",
         "该零售商的线上订单仍处于暂停状态。"),
    ]  # fmt: skip
    assert len(filed_ids(tracker, classifier, start, reports, timedelta(days=1))) == 1


def test_a_telcos_outage_and_its_cause_in_two_languages_are_one_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    """ "澳大利亚电信运营商" is an Australian operator, not Telstra (澳大利亚电信), and the
    cause of the operator's "断网事件" is news of its outage, not of a country's shutdown."""
    tracker = IncidentTracker(store)
    start = datetime(2026, 6, 10, 3, 0, tzinfo=UTC)
    reports = [
        (0, "Telvio mobile network down across Australia", "Customers could not make calls."),
        (6, "澳大利亚电信运营商Telvio全国网络中断", "该运营商周三凌晨发生全国性网络中断。"),
        (23, "Telvio blames software upgrade for nationwide outage",
         "The carrier said a routine software upgrade triggered the failure."),
        (78, "澳洲Telvio断网事件原因公布：软件升级出错",
         "Telvio表示，此次中断是由一次例行软件升级引发的。"),
    ]  # fmt: skip
    assert len(filed_ids(tracker, classifier, start, reports, timedelta(hours=1))) == 1


def test_a_second_failure_a_week_later_is_another_incident_despite_last_weeks_letters(
    store: Store, classifier: OutageClassifier
) -> None:
    """A bank's app fails on payday; a lawmaker writes about it five days later; two days
    after that its cards fail ("second IT failure in a week"). The letter is late news of
    the first failure: it neither draws the second one in nor bridges the two."""
    tracker = IncidentTracker(store)
    start = datetime(2027, 6, 25, 8, 0, tzinfo=UTC)
    first = [
        (0, "Harbour Mutual app down on payday as customers locked out",
         "Customers could not log in to the app."),
        (8, "Harbour Mutual says app back up after seven-hour outage", "Service is restored."),
        (125, "Treasury committee chair writes to Harbour Mutual over payday app failure",
         "The letter asks how the failure happened."),
    ]  # fmt: skip
    second = [
        (170, "Harbour Mutual cards declined at tills in second IT failure in a week",
         "Card payments failed across the country."),
        (172, "Harbour Mutual blames power fault at data centre for card payment problems",
         "The bank said a power fault at a data centre caused the failures."),
        (240, "Harbour Mutual一周内二度故障：数据中心电力问题致借记卡交易被拒",
         "该行借记卡交易大面积被拒。"),
    ]  # fmt: skip
    ids = [
        {file(tracker, classifier, article(f"{tag}{n}", title, text, start + timedelta(hours=h)))
         for n, (h, title, text) in enumerate(reports)}
        for tag, reports in (("a", first), ("b", second))
    ]  # fmt: skip
    assert len(ids[0]) == 1 and len(ids[1]) == 1
    assert ids[0] != ids[1]
    # Two incidents in the end, not one: no later report merged them.
    assert len({tracker.book.get(i).id for i in ids[0] | ids[1]}) == 2  # type: ignore[union-attr]
