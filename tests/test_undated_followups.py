"""Follow-ups that name no date, and words of outage news, from session 25's written sagas
(tests/data/incident_sagas_4.txt; our text, unit cases): what followed an attack on a
victim the headline names, who asks about an outage it names, systems that collapse or
break down, outlets after a dash, and weekdays that lie ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.names import han_names, report_names, title_names, without_outlet
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
    ("title", "text"),
    [
        ("Practices work through the night after HMRC portal collapse",
         "Accountants said they had been unable to file returns."),
        ("Poll book vendor blames expired security certificate for Texas primary breakdown",
         "Electronic poll books failed to connect at dozens of polling sites."),
        ("Card terminals fail at Singapore shops and food courts during lunch hour",
         "Shoppers were asked to pay in cash."),
        ("Quillfeather restores Riftbound servers, promises in-game compensation", ""),
        ("No signal? Telvia customers left without calls or data for hours", ""),
        ("Judge keeps polls open late after check-in failures",
         "Voters waited hours as the electronic check-in system failed to connect."),
        ("HMRC self assessment service down on deadline day",
         "Taxpayers were met with error messages."),
        # A faulty change named as the cause is no news of a patch or an upgrade.
        ("HMRC blames botched database patch for January's self assessment outage", ""),
        ("Spanish telco blames botched core upgrade for seven-hour network outage", ""),
    ],
)  # fmt: skip
def test_systems_that_give_way_in_these_words_are_outage_news(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert classifier.classify(headline(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # Guides to recovering, and steps to take.
        ("勒索软件攻击后如何快速恢复？企业应急响应五步走", "本文介绍遭勒索攻击后的处置流程。"),
        ("勒索软件攻击后快速恢复的八个关键步骤", "企业应当提前制定预案。"),
        ("How hospitals can recover faster from a ransomware outage", "Plan ahead."),
        ("5 steps to recover from a cloud outage", "A checklist."),
        # A deadline is news of its own; a change's own bug is a device's.
        ("EU sets deadline for cloud providers to report outages", "The rules apply next year."),
        ("New \"Brash\" exploit crashes Chromium browsers",
         "A technical breakdown of the flaw shows how a single URL crashes the tab."),
    ],
)  # fmt: skip
def test_guides_deadlines_and_breakdowns_of_a_flaw_are_not(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert not classifier.classify(headline(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "bare"),
    [
        ("HMRC self assessment service down on deadline day - BBC News",
         "HMRC self assessment service down on deadline day"),
        ("Azure outage – The Register", "Azure outage"),
        ("Spain's Telvia suffers nationwide outage - The Times of India",
         "Spain's Telvia suffers nationwide outage"),
        ("新加坡多家商户刷卡支付中断 红隼支付称系统故障 - 联合早报",
         "新加坡多家商户刷卡支付中断 红隼支付称系统故障"),
        ("阿里云香港地域发生故障 - IT之家", "阿里云香港地域发生故障"),
        # The headline's own words after a dash stay.
        ("Slack down - what we know", "Slack down - what we know"),
        ("Outage - Cloudflare, AWS down", "Outage - Cloudflare, AWS down"),
    ],
)  # fmt: skip
def test_an_outlet_after_a_dash_is_no_part_of_the_headline(title: str, bare: str) -> None:
    assert without_outlet(title) == bare


def test_the_outlet_after_a_dash_is_nobodys_name() -> None:
    assert title_names("Greyfriars Bank app not working - Manchester Evening News") == {
        "greyfriars"
    }


@pytest.mark.parametrize(
    ("opening", "name"),
    [
        ("The Dutch grocer says card payments work again. Versmarkt told customers to "
         "expect online orders later this week.", "versmarkt"),
        ("The district was hit on Monday. Holdvast said it had restored payments.", "holdvast"),
    ],
)  # fmt: skip
def test_who_speaks_first_in_a_sentence_is_named(opening: str, name: str) -> None:
    assert name in report_names("Dutch grocer gets tills ringing again", opening)


def test_people_who_speak_first_in_a_sentence_are_not_named() -> None:
    assert report_names(
        "Dutch grocer gets tills ringing again",
        "Tills work again. Hackers said they took files. Engineers said it took days.",
    ) == ("dutch",)


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
    ("title", "month"),
    [
        ("Kestrel Pay fined S$2.1 million over March outage", (2029, 3)),
        ("HMRC blames botched database patch for January's self assessment outage", (2029, 1)),
        ("Council IT meltdown in May cost £1.4m, report reveals", (2029, 5)),
        ("Holdvast puts cost of January cyberattack at 31 million euros", (2029, 1)),
        ("Greyfriars Bank says last month's outage cost £12m", (2029, 4)),
        ("翠翼航空就二月系统故障发放补偿", (2029, 2)),
        ("西班牙运营商为上月断网事故补偿用户", (2029, 4)),
        ("美国德州学区称1月勒索攻击未致数据泄露", (2029, 1)),
        # A later month is last year's.
        ("Bank blames December outage on a storage fault", (2028, 12)),
        # A day is no month alone (``dated_event_day``), "May" a verb, a fee no outage.
        ("Regulator fines ICBC over March 7 app outage", None),
        ("工商银行3月7日系统故障", None),
        ("Cloud Outage May Cost Millions", None),
        ("红隼支付将向受影响商户退还三月份交易手续费", None),
        # Named to say this is another outage.
        ("微软：Xbox周末宕机与上月Azure故障无关 会员获赠5天补偿", None),
        ("Xbox outage unrelated to last month's Azure outage", None),
        # Too far back to be retained.
        ("Retailer puts cost of August cyberattack at £40m", None),
    ],
)
def test_the_month_a_follow_up_names_its_outage_by(
    title: str, month: tuple[int, int] | None
) -> None:
    expected = datetime(*month, 1, tzinfo=UTC) if month else None
    assert named_month(title, datetime(2029, 5, 8, 10, 0, tzinfo=UTC)) == expected


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
    ("title", "text", "names"),
    [
        # A sentence-case headline's first word, which the report writes in lower case.
        ("Card terminals fail at Singapore shops", "Shoppers could not pay by card.",
         {"singapore"}),
        ("Versmarkt shoppers stranded at tills", "Customers at Versmarkt stores queued.",
         {"versmarkt"}),
        # "App" in a Chinese headline is no one's name.
        ("多款App崩了？网友反映无法登录", "", set()),
    ],
)  # fmt: skip
def test_words_every_headline_capitalises_are_no_names(
    title: str, text: str, names: set[str]
) -> None:
    assert title_names(title, text) == names


def test_a_translators_note_names_no_one_who_is_down() -> None:
    names = report_names(
        "美国俄亥俄州医疗系统遭勒索攻击 救护车被迫分流",
        "译文声明：本文是翻译文章，原文作者Mark Ellison，文章仅供参考。美国俄亥俄州医疗机构"
        "Brightwater Health周二遭勒索软件攻击。",
    )
    assert "brightwater" in names
    assert not {"mark", "ellison"} & set(names)


@pytest.mark.parametrize(
    "title", ["欧盟出入境系统突发故障 多国机场口岸排长队", "全球机场值机系统故障"]
)
def test_many_airports_are_no_airports_name(title: str) -> None:
    assert han_names(title) == set()


@pytest.mark.parametrize(
    ("title", "text", "affected"),
    [
        ("Quillfeather Games hit by DDoS attack",
         "A group calling itself VoidCrew claimed responsibility on Telegram.", ()),
        ("多款App崩了？网友反映无法登录", "目前相关话题已登上微博热搜，涉事平台暂未回应。", ()),
        ("Telegram down for users in Europe", "Messages would not send.", ("Telegram",)),
    ],
)  # fmt: skip
def test_a_platform_where_it_was_said_or_trended_is_no_casualty(
    classifier: OutageClassifier, title: str, text: str, affected: tuple[str, ...]
) -> None:
    outage = classifier.classify(headline(title, text))
    assert outage.affected == affected
    assert outage.provider is None


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # An app's bug that crashes it on people's phones: a device fault.
        ("某社交App曝闪退BUG：一张特定图片即可触发", "用户打开图片后应用立即退出。"),
        ("网传某聊天软件Bug致崩溃 原理剖析", "研究人员分析了触发崩溃的代码。"),
        # Advice to go offline: an advisory.
        ("工控厂商建议客户将设备断网以防攻击", "厂商称已发现针对其产品的攻击活动。"),
        ("Vendor urges utilities to disconnect controllers from the internet",
         "The advisory follows attacks on exposed devices."),
        # A glitch that shows people others' data: a leak.
        ("Airline app glitch shows boarding passes to other passengers",
         "Some users saw strangers' booking details."),
        # A year's report, and what would happen if.
        ("2029 Threat Report: attacks shift to disruption", "Our annual study of incidents."),
        ("这些配置不能乱改？轻则服务中断，重则全网瘫痪", "运维人员应当注意以下几点。"),
    ],
)  # fmt: skip
def test_app_bugs_advisories_leaks_and_what_if_are_not(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert not classifier.classify(headline(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("微信崩了？大量用户反映消息发不出去", "不少网友反映微信消息发送失败。"),
        ("Airline check-in system fails, stranding passengers",
         "Passengers queued for hours at the airport."),
    ],
)  # fmt: skip
def test_outages_beside_those_words_still_are(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert classifier.classify(headline(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # Industry reports, opinion, a mitigated attack, a denied claim.
        ("报告:企业因系统故障平均每小时损失数十万元", "一项针对500家企业的调查显示。"),
        ("观点:云服务宕机难以避免 企业应为故障而设计", "作者认为多云架构是必要的。"),
        ("某云厂商称今年成功防御多起超大流量攻击 全程零中断", "其防护平台自动清洗了攻击流量。"),
        ("Hacktivists claim to have knocked ministry website down; ministry says it stayed online",
         "The group posted screenshots of error pages; officials said the site was up."),
        # Devices broken by their own firmware, and flaws that would let attackers crash servers.
        ("Camera owners report random crashes after firmware update",
         "Owners say the cameras restart every few minutes."),
        ("Smart TV firmware update leaves sets rebooting in a loop", "A fix is promised."),
        ("Parser flaws open web servers to denial-of-service attacks", "Patches are available."),
        # A train that broke down, a region cut off by its government for months.
        ("动车途中故障停车 乘客滞留车厢两小时", "铁路部门称列车牵引系统出现故障。"),
        ("某地区断网满百日 当地商户损失惨重", "当局以安全为由切断了移动互联网。"),
    ],
)  # fmt: skip
def test_reports_claims_and_broken_devices_in_outage_words_are_not(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert not classifier.classify(headline(title, text)).is_outage


def test_a_cloud_disk_is_a_cloud_service_not_a_device(classifier: OutageClassifier) -> None:
    outage = classifier.classify(
        headline("某云服务商云硬盘故障致客户数据丢失 官方公布原因并赔偿", "故障导致部分业务停摆。")
    )
    assert outage.is_outage
