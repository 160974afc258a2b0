"""Filing that must not depend on which report came first, and the time an undated
report's own words give it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.schema import Article
from bot.store import Store
from tests.test_incident_rules import DAY, filed
from tests.test_incidents import article


def _provider_report() -> Article:
    return article(
        "1",
        "Faulty security update crashes Windows machines at CrowdStrike customers",
        "Banks, broadcasters and shops reported problems; the London Stock Exchange news "
        "service, Barclays and HSBC were among those hit, and Delta grounded flights.",
        DAY,
    )


def _casualty_report() -> Article:
    # Names one casualty and not the company whose update failed.
    return article(
        "2",
        "Delta grounds flights as computer systems fail",
        "Delta said its systems were down; passengers could not check in.",
        DAY + timedelta(hours=2),
    )


@pytest.mark.parametrize("casualty_first", [False, True])
def test_a_report_of_one_casualty_joins_the_providers_incident_in_either_order(
    store: Store, classifier: OutageClassifier, casualty_first: bool
) -> None:
    tracker = IncidentTracker(store)
    reports = [_provider_report(), _casualty_report()]
    if casualty_first:
        reports.reverse()
    first, second = (filed(tracker, classifier, report) for report in reports)
    assert first.id == second.id


def _cloud_reports() -> list[Article]:
    """A cloud's outage, its own status note, and an app that went down with it, which
    is a provider in the catalogue too: its users' report names it and not the cloud."""
    return [
        article("1", "Alibaba Cloud outage in Shanghai takes down Bilibili and Xiaohongshu",
                "A network fault in the cloud's Shanghai zone disrupted popular apps.", DAY),
        article("2", "阿里云回应：上海可用区网络故障已恢复",
                "阿里云称，上海可用区出现网络访问异常，已于11时恢复。", DAY + timedelta(hours=2)),
        article("3", "B站崩了冲上热搜", "多名网友反映B站无法加载内容。", DAY + timedelta(hours=3)),
    ]  # fmt: skip


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0), (2, 0, 1)])
def test_a_casualty_that_is_a_provider_joins_its_clouds_incident_in_any_order(
    store: Store, classifier: OutageClassifier, order: tuple[int, int, int]
) -> None:
    tracker = IncidentTracker(store)
    reports = _cloud_reports()
    for i in order:
        filed(tracker, classifier, reports[i])
    # Where each is filed in the end: a later report may merge the incidents of earlier ones.
    assert len({store.redis.get(store.keys.filed(report.id)) for report in reports}) == 1


def test_a_casualtys_own_outage_a_week_apart_is_another_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    cloud, _, app = _cloud_reports()
    week_later = app.model_copy(update={"published": app.published + timedelta(days=7)})
    assert filed(tracker, classifier, cloud).id != filed(tracker, classifier, week_later).id


def test_an_undated_report_that_writes_the_date_joins_by_subject(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    day = datetime(2021, 10, 4, 16, 0, tzinfo=UTC)
    news = filed(
        tracker,
        classifier,
        article("1", "Facebook, Instagram and WhatsApp down worldwide",
                "Facebook's apps could not be reached for hours.", day),
    )  # fmt: skip
    told = filed(
        tracker,
        classifier,
        article("2", "How Facebook disappeared: a look at the BGP outage",
                "On Monday 4th October 2021, Facebook withdrew the routes to its DNS servers "
                "and its apps went dark.", None),
    )  # fmt: skip
    assert told.id == news.id
    assert told.articles[-1].undated or told.articles[0].undated
    # With no date at all it stays on its own (see test_incident_rules).
    vague = filed(
        tracker,
        classifier,
        article("3", "Facebook outage: what we learned",
                "A Facebook outage once stopped our ads for an afternoon.", None),
    )  # fmt: skip
    assert vague.id != news.id


def test_reports_of_an_outage_that_runs_for_days_stay_one_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    first = filed(
        tracker,
        classifier,
        article("1", "Harbour Mutual app outage", "Customers of Harbour Mutual could not log in.",
                DAY),
    )  # fmt: skip
    later = [
        article("2", "Harbour Mutual's multi-day outage rolls on as ransomware is suspected",
                "Customers of Harbour Mutual still cannot log in.", DAY + timedelta(days=5)),
        article("3", "Harbour Mutual银行系统中断超一周",
                "新西兰银行Harbour Mutual的系统仍无法使用。", DAY + timedelta(days=8)),
    ]  # fmt: skip
    assert {filed(tracker, classifier, report).id for report in later} == {first.id}


def test_outages_of_two_products_of_one_provider_are_two_incidents(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    whatsapp = filed(
        tracker,
        classifier,
        article("1", "WhatsApp down worldwide", "WhatsApp messages failed to send.", DAY),
    )
    instagram = filed(
        tracker,
        classifier,
        article("2", "8小时无法访问账户，Instagram称已修复软件漏洞",
                "Instagram用户周一无法登录账户，持续约8小时。", DAY + timedelta(days=2)),
    )  # fmt: skip
    assert instagram.id != whatsapp.id
    # A report that names the product joins its outage; one that names none may join.
    both = filed(
        tracker,
        classifier,
        article("3", "WhatsApp back after outage", "WhatsApp said messages flow again.",
                DAY + timedelta(hours=3)),
    )  # fmt: skip
    assert both.id == whatsapp.id


@pytest.mark.parametrize("reference_first", [False, True])
def test_a_headline_that_refers_to_the_incident_joins_it_in_either_order(
    store: Store, classifier: OutageClassifier, reference_first: bool
) -> None:
    tracker = IncidentTracker(store)
    reports = [
        article("1", "Vercel outage takes thousands of sites offline",
                "Deployments and sites hosted on Vercel failed for two hours.", DAY),
        article("2", "Customer notice about the Vercel incident", "", DAY + timedelta(hours=5)),
    ]  # fmt: skip
    if reference_first:
        reports.reverse()
    first, second = (filed(tracker, classifier, report) for report in reports)
    assert first.id == second.id and not second.held


def test_a_headline_that_refers_to_an_incident_we_have_no_news_of_is_held(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    alone = filed(tracker, classifier, article("1", "Customer notice about the Vercel incident",
                                               "", DAY))  # fmt: skip
    assert alone.held


def test_an_undated_page_dated_by_its_update_note_joins_by_subject(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    day = datetime(2025, 11, 2, 15, 0, tzinfo=UTC)
    news = filed(tracker, classifier, article("1", "Slack down for thousands of users",
                                              "Messages failed to send.", day))  # fmt: skip
    page = article(
        "2",
        "An update about the November 2nd outage at Slack",
        "We are sorry for the trouble sending messages. " + "Details follow. " * 60
        + "(Updated on Nov. 3, 2025, with the fix)",
        None,
    )  # fmt: skip
    assert filed(tracker, classifier, page).id == news.id


def test_a_translation_that_says_so_in_a_disclaimer_is_filed_as_late(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    first = article("1", "Vercel outage takes thousands of sites offline",
                    "Vercel deployments failed for two hours.", DAY)  # fmt: skip
    news = filed(tracker, classifier, first)
    # Five days later, and its "昨日" is the source's yesterday, not the translation's.
    translation = article(
        "2",
        "Vercel故障导致数千网站无法访问",
        "译文仅供参考，具体内容表达以及含义原文为准。昨日，Vercel的部署服务出现故障。",
        DAY + timedelta(days=5),
    )
    outage = classifier.classify(translation)
    assert outage.translated
    assert tracker.file(translation, outage).id == news.id


@pytest.mark.parametrize("named_first", [False, True])
def test_a_brand_named_in_passing_is_no_casualty(
    store: Store, classifier: OutageClassifier, named_first: bool
) -> None:
    """Only what others run on has casualties: Zoom's users moving to Teams does not make
    Teams' own outage that day Zoom's."""
    tracker = IncidentTracker(store)
    zoom = article(
        "1",
        "Zoom down for thousands of users; many switch to Microsoft Teams",
        "Meetings failed to start.",
        DAY,
    )
    teams = article(
        "2",
        "Microsoft Teams outage hits users in Europe",
        "Chats would not load.",
        DAY + timedelta(hours=3),
    )
    reports = [teams, zoom] if named_first else [zoom, teams]
    for report in reports:
        filed(tracker, classifier, report)
    assert store.redis.get(store.keys.filed(zoom.id)) != store.redis.get(store.keys.filed(teams.id))


def test_a_new_outage_a_week_after_the_last_is_another_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    first = filed(tracker, classifier, article("1", "Slack down for thousands",
                                               "Messages fail to send.", DAY))  # fmt: skip
    again = article(
        "2",
        "Slack goes down again, a week after major outage",
        "Users cannot load channels.",
        DAY + timedelta(days=7),
    )
    this_week = article(
        "3",
        "Slack down for the second time this week in Europe",
        "Users cannot load channels.",
        DAY + timedelta(days=5),
    )
    assert filed(tracker, classifier, this_week).id != first.id
    assert filed(tracker, classifier, again).id != first.id


def _outages_nine_days_apart() -> list[Article]:
    """A company's outage, another of it nine days on, and an apology two days after the
    second: late, it reaches two weeks back, over both."""
    return [
        article("1", "Callwave VoIP calls fail after DDoS attack",
                "Customers of Callwave could not make or receive calls.", DAY),
        article("2", "Callwave VoIP service down, calls failing across Canada",
                "Callwave said its network was under a DDoS attack.", DAY + timedelta(days=9)),
        article("3", "Callwave CEO apologises for outage",
                "The company said it would credit customers for the disruption.",
                DAY + timedelta(days=11)),
    ]  # fmt: skip


# Not the orders that read the apology after the first outage and before the second: it
# joins the first as evidence then, and is not moved (the limit bot.incidents.distant
# names).
@pytest.mark.parametrize(
    "order",
    [order for order in itertools.permutations(range(3)) if order not in {(0, 2, 1), (2, 0, 1)}],
)
def test_first_news_days_before_an_incidents_first_news_is_another_incident_in_any_order(
    store: Store, classifier: OutageClassifier, order: tuple[int, int, int]
) -> None:
    # Session 31: read in reverse, the apology's reach let the first outage join the
    # second (real news of two VoIP providers' DDoS outages, September 2021).
    tracker = IncidentTracker(store)
    reports = _outages_nine_days_apart()
    incident = {}
    for i in order:
        filed(tracker, classifier, reports[i])
    for i, report in enumerate(reports):
        incident[i] = store.redis.get(store.keys.filed(report.id))
    assert incident[1] == incident[2]
    assert incident[0] != incident[1]
