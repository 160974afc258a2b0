"""Follow-ups that name no day, from session 25's written sagas (tests/data/
incident_sagas_4.txt; our text, unit cases): what followed an attack on a victim the
headline names, who asks about an outage it names, redress for an outage its lead names,
the month a follow-up names its outage by, and weekdays that lie ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.outage.eventday import named_month, stated_day
from bot.store import Store
from tests.test_incidents import article, file
from tests.test_outage import article as headline

# A Tuesday.
PUBLISHED = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "title",
    [
        # What was (not) stolen, who claimed it, what it cost, who sues: after the attack.
        "Finalsite says no data stolen during ransomware attack affecting 3,000 US public schools",
        "Brightwater Health says no evidence patient data was stolen in ransomware attack",
        "Gravewind ransomware gang claims attack on California school district",
        "Cyber attack to cost Marlow & Finch £180 million",
        "Holdvast puts cost of January cyberattack at 31 million euros",
        "FreeBuf早报丨美国德州学区称勒索攻击未致数据泄露；某VPN厂商修复高危漏洞",
        "勒索团伙Gravewind宣称对美国加州Riverbend学区攻击负责",
    ],
)
def test_what_followed_an_attack_on_a_named_victim_is_its_aftermath(
    classifier: OutageClassifier, title: str
) -> None:
    outage = classifier.classify(headline(title))
    assert outage.is_outage and outage.aftermath


@pytest.mark.parametrize(
    "title",
    [
        # Other news about an attack: arrests, a leak, a study, a probe of a breach.
        "Russia arrests ransomware gang members, seize $6.6 million",
        "Indonesia's central bank confirms ransomware attack, gang leaks data",
        "Sophos 年度报告：2024 年关键基础设施中的勒索软件攻击",
        "阿里云遭网络攻击事件调查",
        # A count of victims.
        "Ransomware gangs claim attacks on 2,300 schools in 2028",
        # A hack or a breach is no attack that takes services down.
        "Retailer says no card data stolen in breach",
    ],
)
def test_other_news_about_attacks_is_not(classifier: OutageClassifier, title: str) -> None:
    assert not classifier.classify(headline(title)).is_outage


@pytest.mark.parametrize(
    "title",
    [
        "Spanish regulator opens probe into Telvia network outage",
        "MPs demand answers from HMRC over tax deadline outage",
        "Lawmakers grill secretary of state over county's poll book meltdown",
        "FCA opens investigation into Greyfriars Bank over May outage",
        "Councillors call for independent inquiry into council IT failure",
        "韩国国会议员就KT全国断网事故质询运营商",
        "Aviation regulator seeks full report on budget carrier's check-in meltdown",
        "MAS reviewing payment disruption, expects processor to strengthen resilience",
    ],
)
def test_who_asks_about_an_outage_it_names_follows_it_up(
    classifier: OutageClassifier, title: str
) -> None:
    outage = classifier.classify(headline(title, published=PUBLISHED))
    assert outage.is_outage and outage.aftermath


@pytest.mark.parametrize(
    "title",
    [
        # Fines and lawsuits come months or years on (the labelled corpus: other news).
        "Passengers sue airline over IT meltdown",
        "Regulator fines bank over IT meltdown",
        "韩国监管部门就数据中心火灾事故对Kakao处以罚款",
        # Outages in general, or one the question only follows in time.
        "Lawmakers weigh new rules over cloud outages",
        "Regulator publishes report on outages at banks",
        "After the us-east-1 outage, lawmakers ask whether cloud concentration is a risk",
        # Not an outage: a failure to do something.
        "Chinese regulators suspend Alibaba Cloud over failure to report Log4j vulnerability",
        # An outage of another year.
        "Senators review lessons over 2024 CrowdStrike outage",
        # Another outage.
        "Regulator opens probe as bank app fails again after last week's outage",
    ],
)
def test_fines_lawsuits_and_questions_about_no_one_outage_are_not(
    classifier: OutageClassifier, title: str
) -> None:
    assert not classifier.classify(headline(title, published=PUBLISHED)).aftermath


@pytest.mark.parametrize(
    ("title", "lead", "redress"),
    [
        # Redress whose opening sentence says what for: an outage.
        ("Nusantel to give subscribers 5GB free data as compensation",
         "Nusantel will credit every subscriber with 5GB of data after Thursday's nationwide "
         "network outage left millions without mobile internet.", True),
        ("PaySetu to refund failed Diwali transactions, offer Rs 100 cashback",
         "Users whose payments failed during Sunday's four-hour outage will be refunded.", True),
        ("肯纳里电讯宣布补偿用户 送两天无限流量",
         "肯纳里电讯周五宣布，因本周三全国网络中断，所有用户将获赠两天无限流量。", True),
        # Redress for something else, or a penalty, or other news in the headline.
        ("Airline to compensate passengers for strike delays",
         "The airline said it would pay passengers whose flights were delayed by the strike.",
         False),
        ("Telco fined for failing to compensate customers",
         "Regulators said the network outage in May left customers without service.", False),
        ("Retailer to compensate customers after data breach",
         "The retailer said the outage of its systems exposed card details.", False),
    ],
)  # fmt: skip
def test_redress_for_an_outage_the_lead_names_is_its_aftermath(
    classifier: OutageClassifier, title: str, lead: str, redress: bool
) -> None:
    outage = classifier.classify(article("a", title, lead, PUBLISHED))
    assert (outage.is_outage and outage.aftermath) is redress


def test_a_question_two_weeks_on_joins_the_outage_and_alone_starts_nothing_posted(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    start = datetime(2029, 1, 31, 9, 0, tzinfo=UTC)
    first = file(
        tracker,
        classifier,
        article("a", "HMRC self assessment service down on deadline day - BBC News",
                "Taxpayers trying to file returns were met with error messages as HMRC's "
                "online service went down.", start),
    )  # fmt: skip
    question = article("b", "MPs demand answers from HMRC over tax deadline outage",
                       "The Treasury Committee has written to HMRC's chief executive.",
                       start + timedelta(days=13))  # fmt: skip
    assert file(tracker, classifier, question) == first
    alone = article("c", "Regulator opens probe into Telvia network outage", "",
                    start + timedelta(days=40))  # fmt: skip
    assert tracker.file(alone, classifier.classify(alone)).held


@pytest.mark.parametrize(
    ("lead", "day"),
    [
        # Published on a Tuesday: "Tuesday" is that day, the Wednesday is ahead.
        ("Ambulances were diverted Tuesday afternoon; procedures scheduled for Wednesday "
         "have been postponed.", (2026, 11, 24)),
        ("Returns submitted by midnight on Saturday will be treated as on time.", None),
        ("The service is expected to return next Friday.", None),
        ("预计下周三恢复全部服务。", None),
        # "hit by Monday's outage" is the day before.
        ("Customers hit by Monday's outage will be refunded.", (2026, 11, 23)),
    ],
)  # fmt: skip
def test_a_weekday_ahead_is_not_the_events(lead: str, day: tuple[int, int, int] | None) -> None:
    expected = datetime(*day, tzinfo=UTC) if day else None
    assert stated_day("", lead, PUBLISHED.replace(hour=0, minute=0)) == expected


@pytest.mark.parametrize(
    ("title", "published", "month"),
    [
        ("Kestrel Pay fined S$2.1 million over March outage", (2029, 5), (2029, 3)),
        ("HMRC blames botched database patch for January's self assessment outage", (2029, 3),
         (2029, 1)),
        ("Council IT meltdown in May cost £1.4m, report reveals", (2029, 7), (2029, 5)),
        ("Holdvast puts cost of January cyberattack at 31 million euros", (2029, 3), (2029, 1)),
        ("Greyfriars Bank says last month's outage cost £12m", (2029, 5), (2029, 4)),
        ("Greyfriars Bank says last month's outage cost £12m", (2029, 1), (2028, 12)),
        ("翠翼航空就二月系统故障发放补偿", (2029, 4), (2029, 2)),
        ("西班牙运营商为上月断网事故补偿用户", (2029, 7), (2029, 6)),
        ("美国德州学区称1月勒索攻击未致数据泄露", (2029, 3), (2029, 1)),
        # A later month is last year's.
        ("Bank blames December outage on a storage fault", (2029, 2), (2028, 12)),
        # A day is no month alone (``dated_event_day``), "May" a verb, a fee no outage.
        ("Regulator fines ICBC over March 7 app outage", (2029, 5), None),
        ("工商银行3月7日系统故障", (2029, 5), None),
        ("Cloud Outage May Cost Millions", (2029, 5), None),
        ("红隼支付将向受影响商户退还三月份交易手续费", (2029, 5), None),
        # Month words that are no month, another year's month, a power cut's.
        ("Workers march over network outage", (2029, 5), None),
        ("Glitches mar Cyber Monday outage", (2029, 5), None),
        ("Jan Smith system failure blamed", (2029, 5), None),
        ("Regulator fines bank over outage in March 2024", (2029, 5), None),
        ("Council counts cost of last month's power outage", (2029, 5), None),
        # Named to say this is another outage.
        ("微软：Xbox周末宕机与上月Azure故障无关 会员获赠5天补偿", (2029, 5), None),
        ("Xbox outage unrelated to last month's Azure outage", (2029, 5), None),
        # Further back than a dated follow-up reaches.
        ("Retailer puts cost of August cyberattack at £40m", (2029, 5), None),
    ],
)  # fmt: skip
def test_the_month_a_follow_up_names_its_outage_by(
    title: str, published: tuple[int, int], month: tuple[int, int] | None
) -> None:
    expected = datetime(*month, 1, tzinfo=UTC) if month else None
    assert named_month(title, datetime(*published, 8, 10, 0, tzinfo=UTC)) == expected


def test_a_follow_up_naming_the_month_joins_that_months_outage_weeks_later(
    store: Store, classifier: OutageClassifier
) -> None:
    """A bank's two outages: one in March, one on May 2; the follow-up on May 8 names March."""
    tracker = IncidentTracker(store)
    march = datetime(2029, 3, 12, 5, 0, tzinfo=UTC)
    first = file(
        tracker,
        classifier,
        article("a", "Kestrel Pay outage: card terminals fail across Singapore",
                "Shoppers could not pay by card as Kestrel Pay's systems failed.", march),
    )  # fmt: skip
    may = file(
        tracker,
        classifier,
        article("b", "Kestrel Pay outage hits card payments again",
                "Kestrel Pay's terminals failed for an hour.",
                datetime(2029, 5, 2, 9, 0, tzinfo=UTC)),
    )  # fmt: skip
    follow_up = article("c", "Kestrel Pay blames storage fault for March outage",
                        "The payments firm published its review.",
                        datetime(2029, 5, 8, 10, 0, tzinfo=UTC))  # fmt: skip
    outage = classifier.classify(follow_up)
    assert outage.event_month == datetime(2029, 3, 1, tzinfo=UTC)
    assert first != may
    assert file(tracker, classifier, follow_up) == first


def test_a_follow_up_naming_a_month_with_no_outage_then_starts_nothing_posted(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    item = article("a", "Kestrel Pay blames storage fault for March outage", "",
                   datetime(2029, 5, 8, 10, 0, tzinfo=UTC))  # fmt: skip
    assert tracker.file(item, classifier.classify(item)).held


@pytest.mark.parametrize(
    "title",
    [
        # Questions about something that is no IT service.
        "Police launch investigation into fatal crash",
        "Senators grill FAA over helicopter crash",
        "MPs question minister over strike disruption",
        "Senators question regulators over Silicon Valley Bank failure",
        "Probe into Fukushima meltdown",
        "应急管理部对煤矿透水事故展开调查",
        "警方针对高速连环追尾事故展开调查",
        # What followed an attack that is first news as often: a confirmation, an apology.
        "Hospital confirms ransomware attack",
        "Bank hit by cyber attack, apologises to customers",
        "某医院遭勒索攻击 官方致歉",
    ],
)
def test_questions_about_other_things_and_first_news_of_attacks_are_no_follow_ups(
    classifier: OutageClassifier, title: str
) -> None:
    assert not classifier.classify(headline(title, published=PUBLISHED)).aftermath


@pytest.mark.parametrize(
    "title",
    [
        "Minister gives update on ongoing network outage",
        "Slack down for thousands; company reviewing outage",
        "Lloyds app down: customers demand answers over outage",
        "Users leave angry reviews over app outage",
    ],
)
def test_news_of_an_outage_that_also_asks_about_it_is_first_news(
    classifier: OutageClassifier, title: str
) -> None:
    outage = classifier.classify(headline(title, published=PUBLISHED))
    assert outage.is_outage and not outage.aftermath


def test_a_weekday_something_was_delayed_on_is_past() -> None:
    lead = "Hundreds of flights were delayed on Monday after an IT outage."
    assert stated_day("", lead, PUBLISHED.replace(hour=0, minute=0)) == datetime(
        2026, 11, 23, tzinfo=UTC
    )
