"""Words of outage news and of other news, and the names reports give, from session 25's
written sagas and negatives (tests/data/incident_sagas_4.txt, tests/data/
written_negatives.txt; our text, unit cases): systems that give way, guides and reports,
devices and advisories in outage words, outlets after a dash, who speaks first in a
sentence, platforms where something was said."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.incidents.names import (
    chinese_names,
    han_names,
    report_names,
    title_names,
    without_outlet,
)
from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.store import Store
from tests.test_outage import NOW
from tests.test_outage import article as headline


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Practices work through the night after HMRC portal collapse",
         "Accountants said they had been unable to file returns."),
        ("Poll book vendor blames expired security certificate for poll book breakdown",
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
        ("Hollowmere Online down again after patch goes wrong", ""),
        ("Tax portal crashes as deadline-day rush overwhelms servers", ""),
        ("Payroll portal offline for a day after database migration went awry", ""),
        # The outage laid at a change's door, however the change is called.
        ("Edgewise blames today's outage on emergency WAF patch", ""),
        ("Quillpost pins Tuesday's outage on a database upgrade", ""),
        ("Marlow Mail outage triggered by a code update, company says", ""),
        ("Tillbank traces outage to a routine deployment", ""),
        ("Quillpost pins outage on emergency security patch", ""),
        ("Edgewise outage caused by emergency WAF patch", ""),
        # A breach named as the cause of what stopped.
        ("Marsh County shuts down systems after breach claims", ""),
        ("Ticketing site taken offline after data breach", ""),
        ("Council takes services offline after the data breach", ""),
        ("Retail chain takes its website offline after a massive breach", ""),
        # A phone network's own words; screens and systems that stop; a council that
        # shuts everything down when ransomware strikes.
        ("Marlow Mobile users report no signal, unable to call or go online", ""),
        ("Long queues at Lisbon airport as check-in screens go blank", ""),
        ("Faulty network switch behind Thursday's Lisbon Airport check-in chaos", ""),
        ("Electronic poll books fail in Marsh County, voters face long lines", ""),
        ("US county's e-pollbooks fall over on Election Day", ""),
        ("Edgewise CDN faceplants, takes a chunk of the web with it",
         "Thousands of sites returned errors for an hour."),
        ("Swedish council reverts to pen and paper after ransomware infection", ""),
        ("Ekby will not pay ransom, mayor says as schools get systems back", ""),
        ("高考查分系统访问量激增出现拥堵", ""),
        # Post-mortem words as news quotes them.
        ("Payments firm says bad deploy caused requests to fail for two hours", ""),
        ("Builds started to fail across CI provider after config change", ""),
        ("Cascading failure takes down ticketing platform", ""),
        ("Carmaker halts production after attack on its IT systems", ""),
        ("Customers unable to call 999 for hours", ""),
        ("Hospital group made $1.5m ransom payment after ransomware attack", ""),
        ("Ticket site ran into problems as concert sale opened", ""),
        ("System malfunction grounds flights at regional airport", ""),
        # Work an attack stopped: a carmaker's production halt, shops and a museum closed.
        ("Carmaker extends production halt into second week following a cyberattack", ""),
        ("网络攻击致连锁超市被迫大规模停业", ""),
        ("城市图书馆遭前员工攻击而部分关闭", ""),
        ("勒索攻击引发物流混乱！多地仓库无法发货", ""),
        # A phone network's blackout is its outage (a country's internet blackout is not:
        # see the next test but one).
        ("Portuguese telco Marvia blames botched core upgrade for seven-hour blackout",
         "The nationwide outage left millions of subscribers without service."),
        ("Ransomware attack hits Swedish municipality of Ekby",
         "Ekby Municipality shut down all of its IT systems on Monday after files were "
         "encrypted; citizen services are unavailable."),
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
    ("text", "named", "not_named"),
    [
        # The source is the company's own blog: a translated post-mortem names who was down.
        ("译文声明：本文翻译自Stratus Edge官方博客，原文作者为其CTO。周二，我们的网络中断。",
         {"stratus", "edge"}, set()),
        ("本文译自 Kestrel 技术博客。上周二，我们的边缘网络中断约一小时。", {"kestrel"}, set()),
        # Another outlet as the source names no one who was down.
        ("译文声明：本文翻译自The Register，原文作者Simon Sharwood。周二，我们的网络中断。",
         set(), {"register", "simon", "sharwood"}),
    ],
)  # fmt: skip
def test_a_translation_of_a_companys_own_blog_names_the_company(
    text: str, named: set[str], not_named: set[str]
) -> None:
    names = set(report_names("一次配置推送，如何让半个互联网瘫痪37分钟？", text))
    assert named <= names
    assert not not_named & names


@pytest.mark.parametrize(
    "title", ["欧盟出入境系统突发故障 多国机场口岸排长队", "全球机场值机系统故障"]
)
def test_many_airports_are_no_airports_name(title: str) -> None:
    assert han_names(title) == set()


@pytest.mark.parametrize(
    ("title", "names"),
    [
        # A regulator's follow-up names the bank after what it does to it.
        ("挪威金融监管局就系统故障问询峡湾银行", {"峡湾银行"}),
        ("日本金融厅对樱川银行下达业务改善命令", {"樱川银行"}),
        ("法院受理储户起诉青禾银行", {"青禾银行"}),
        # Kinds of service are no names; two characters of proper name stay one name.
        ("峡湾银行系统宕机 大量客户无法登录网银和手机银行", {"峡湾银行"}),
        ("中和银行系统故障", {"中和银行"}),
    ],
)  # fmt: skip
def test_a_chinese_name_starts_after_the_words_before_it(title: str, names: set[str]) -> None:
    assert han_names(title) == names


@pytest.mark.parametrize(
    ("title", "text", "affected"),
    [
        ("Quillfeather Games hit by DDoS attack",
         "A group calling itself VoidCrew claimed responsibility on Telegram.", ()),
        ("多款App崩了？网友反映无法登录", "目前相关话题已登上微博热搜，涉事平台暂未回应。", ()),
        # Where users complained: the channel, not what is down.
        ("Can't get online? Tarvel users report mobile data down",
         "Thousands of users complained on Twitter on Thursday that calls would not connect.", ()),
        ("Grenmark bank app down on payday",
         "Customers took to X to complain that transfers were failing.", ()),
        ("《星海战纪》国际服无法登录 官方称遭DDoS攻击",
         "今天下午，游戏国际服大面积掉线。官方在推特发布公告称，技术团队正在紧急处理。", ()),
        ("星空银行手机银行无法登录", "星空银行在推特上透露，其App出现故障，正在抢修。", ()),
        ("星空银行系统故障已恢复", "星空银行在微博发声：系统故障已恢复。", ()),
        ("Skyreach Games servers offline for hours",
         "In a post on Reddit, a community manager said engineers were working on it.", ()),
        # The company's own account is a channel too.
        ("Hollowmere Online servers knocked offline by DDoS attack",
         "The official Twitter account said the team was working around the clock.", ()),
        ("Brackenfield Bank app down", "Its verified Facebook page asked customers to wait.", ()),
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
        ("某聊天软件最新BUG！一张特殊的图片，点开就闪退", "厂商称将尽快修复。"),
        ("网传某聊天软件Bug致崩溃 原理剖析", "研究人员分析了触发崩溃的代码。"),
        # An update that goes wrong on people's own devices is a device fault.
        ("iOS update goes wrong for iPhone users, apps crash", ""),
        ("iPhones crash after iOS update goes wrong", ""),
        # Advice to go offline: an advisory.
        ("工控厂商建议客户将设备断网以防攻击", "厂商称已发现针对其产品的攻击活动。"),
        ("Vendor urges utilities to disconnect controllers from the internet",
         "The advisory follows attacks on exposed devices."),
        # A glitch that shows people others' data: a leak.
        ("Airline app glitch shows boarding passes to other passengers",
         "Some users saw strangers' booking details."),
        # What followed a breach with nothing stopped: breach news.
        ("Quillpost notifies customers after data breach", ""),
        ("Quillpost resets passwords for millions after breach", ""),
        ("Regulator fines Tillbank after data breach", ""),
        # A patch or update that is the news, not an outage's cause; crashes on players'
        # machines after a patch are a client bug.
        ("Game crashes caused by latest patch, developer says", ""),
        ("Edgewise releases emergency WAF patch for actively exploited flaw", ""),
        ("Researchers trace crashes to a buggy graphics driver update", ""),
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
        ("Hacktivists claim to have knocked ministry website down, ministry says it stayed online",
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


@pytest.mark.parametrize(
    "title",
    [
        # Two stories in one headline: the other's words do not sink the outage.
        "Cloudflare outage takes down thousands of sites; Apple shares fall after earnings",
        "GitHub down for hours | Microsoft raises $2bn in bond sale",
        # Outage news beside the words of the new negatives.
        "Azure outage spreads to other customers in Europe",
        "12306系统崩溃，官方称系BUG",
        "Analysis: AWS outage knocks out thousands of sites",
    ],
)
def test_outage_headlines_beside_other_news_words_stay_outages(
    classifier: OutageClassifier, title: str
) -> None:
    assert classifier.classify(headline(title)).is_outage


@pytest.mark.parametrize(
    "title",
    [
        "Communication breakdown between police and council",
        "Election breakdown: how each county voted",
        "NHS health system collapse feared as winter bites",
        "Residents left without water service for third day",
        "Passengers left without train service after signal fault",
        "Iraq orders four-hour internet blackout during school exams",
        "Traffic chaos as snow closes motorway",
        "Why complex systems fail: lessons from aviation",
        "春运高速公路拥堵 交警紧急疏导",
        # What criminals earn is no victim's outage.
        "FBI says the Larkspur ransomware gang made $12.5 million from ransom payments",
        "Nearly $500 million spent on ransomware payments last year: report",
        # Criminals' services taken down, fake errors as lures, poisoned packages.
        "Police take illegal IPTV piracy service offline",
        "Europol disrupts phishing service that targeted bank logins",
        "Hackers use fake BSOD errors to trick users into running malware",
        "黑客组织以虚假故障为诱饵投放远控木马",
        # Words that only look like the outage words next to them (review, session 26).
        "消防员当机立断疏散群众",
        "北京晚高峰交通系统严重拥堵",
        "Shipping line pauses Red Sea route after missile attack",
        "AP unable to call Georgia Senate race",
        "Iran imposes mobile network blackout amid protests",
        "Phone owners experienced problems after installing the latest firmware update",
        "Traffic light malfunction causes jams downtown",
        "Cascading failures: how one bad loan sank the bank",
        "Logins to fail for users without 2FA from March",
        "上海地铁系统早高峰拥堵",
        "春运铁路系统拥堵",
        "医院紧急扩容床位",
        "FBI says the Larkspur ransomware gang made $12.5 million in attacks this year",
        "供应链攻击：恶意蠕虫窃取密钥，百余个NPM包受影响",
    ],
)
def test_breakdowns_collapses_and_services_of_other_kinds_are_not_outages(
    classifier: OutageClassifier, title: str
) -> None:
    assert not classifier.classify(headline(title)).is_outage


@pytest.mark.parametrize(
    "title",
    [
        "Banks hit by outage – Lloyds and Halifax",
        "Global Outage — CrowdStrike Update Crashes Windows PCs",
        "某地遭遇大面积停电 - 全城断网",
    ],
)
def test_a_dash_before_the_headlines_own_words_is_no_outlet(title: str) -> None:
    assert without_outlet(title) == title


@pytest.mark.parametrize(
    ("title", "provider"),
    [
        ("用户无法通过Facebook发送消息，多地反映故障", "meta"),
        ("在推特上无法刷新推文？多地用户反映故障", "x"),
    ],
)
def test_a_chinese_platform_that_is_down_stays_what_is_down(
    classifier: OutageClassifier, title: str, provider: str
) -> None:
    assert classifier.classify(headline(title)).provider == provider


def test_a_wallet_service_affected_is_no_poisoned_package(classifier: OutageClassifier) -> None:
    assert classifier.classify(headline("钱包服务受影响，用户无法提现")).is_outage


def test_a_platform_that_is_down_stays_a_casualty(classifier: OutageClassifier) -> None:
    outage = classifier.classify(
        headline("Messaging outage", "Users reported being unable to send messages on Telegram.")
    )
    assert outage.affected == ("Telegram",)


def test_who_speaks_by_what_they_are_is_no_name() -> None:
    opening = (
        "The ticket machines stopped. Spokesman said engineers were working. "
        "Commuters said it was chaos."
    )
    assert report_names("Ticket machines down at stations", opening) == ()


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("短视频平台服务异常", "8月24日晚，该平台官方微博发布致歉声明称，机房网络设备故障。"),
        ("Short-video app suffers two-hour outage",
         "The company apologised on its official Weibo account and blamed a network fault."),
    ],
)  # fmt: skip
def test_an_official_account_is_no_casualty(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    outage = classifier.classify(headline(title, text))
    assert outage.provider is None and outage.affected == ()


@pytest.mark.parametrize(
    ("title", "names"),
    [
        # What a headline opens with, when it says next what befell it.
        ("微漾崩了？网友反映刷不出视频、无法登录", {"微漾"}),
        ("微漾回应服务异常：机房网络设备故障", {"微漾"}),
        ("微漾宕机两小时背后：核心业务仍依赖单一机房", {"微漾"}),
        # Not many apps, someone else's, or what follows a digest's separator.
        ("多款App崩了？网友反映无法登录", set()),
        ("北京市通信管理局约谈微漾", set()),
        ("FreeBuf早报丨丹麦一市政府遭勒索软件攻击；某知名VPN曝漏洞", set()),
        ("美国某银行遭网络攻击", set()),
    ],
)
def test_chinese_names_of_what_is_down(title: str, names: set[str]) -> None:
    assert chinese_names(title) == names


@pytest.mark.parametrize(
    ("title", "text", "outage"),
    [
        ("Council website falls over on the first day of school applications",
         "Parents saw error pages all morning.", True),
        ("Online tax return service falls over hours before filing deadline",
         "Taxpayers were met with error messages.", True),
        ("Ticket site launch marred as login servers crash under demand",
         "Fans were stuck in queues for hours.", True),
        ("CDN firm says it absorbed record DDoS without customer downtime",
         "The attack peaked at 4 Tbps.", False),
        ("地铁接触网故障致列车停运 早高峰乘客滞留", "地铁公司称供电设备故障。", False),
        ("小区充电桩频繁故障 车主充电难", "物业称已联系厂家维修。", False),
        ("比赛中选手电脑蓝屏 官方判定暂停后重开", "裁判随后宣布重赛。", False),
    ],
)  # fmt: skip
def test_words_from_the_second_written_negatives_dev_half(
    classifier: OutageClassifier, title: str, text: str, outage: bool
) -> None:
    assert classifier.classify(headline(title, text)).is_outage is outage


def test_a_word_the_opening_window_cuts_is_no_name() -> None:
    # The opening is read to a fixed length; "Ministry" cut there is not a name "Mini".
    opening = "Filers could not log in for hours on Monday as the portal failed, " * 3
    names = report_names("Online tax portal down for hours", opening[:195] + " Ministry said")
    assert not any(name.startswith("mini") for name in names)


@pytest.mark.parametrize(
    ("title", "text", "provider", "not_named"),
    [
        # Another outage named to deny a link: not what is down.
        ("微软：Xbox周末宕机与上月Azure故障无关 会员获赠5天补偿",
         "微软表示，周六Xbox Live宕机源于身份验证服务故障。", "xbox-live", "azure"),
        ("Microsoft says Xbox outage was caused by an identity fault, unrelated to Azure",
         "Xbox Live was down for five hours on Saturday.", "xbox-live", "azure"),
        ("Slack down for thousands, not linked to last week's AWS outage",
         "Messages failed to send for two hours.", "slack", "aws"),
    ],
)  # fmt: skip
def test_an_outage_named_to_deny_a_link_is_not_whats_down(
    classifier: OutageClassifier, title: str, text: str, provider: str, not_named: str
) -> None:
    outage = classifier.classify(headline(title, text))
    assert outage.is_outage
    assert outage.provider == provider
    assert not_named not in outage.providers


def test_an_outage_that_is_down_beside_an_unrelated_word_keeps_its_name(
    classifier: OutageClassifier,
) -> None:
    # "unrelated" about something other than a link between outages blanks nothing.
    outage = classifier.classify(
        headline("Azure outage takes down Outlook", "Unrelated news: Microsoft shares rose.")
    )
    assert outage.provider == "azure"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # Where a company is listed or reports is no casualty.
        ("Jetline blames vendor update for check-in meltdown",
         "In a statement to the ASX, the airline said the update had corrupted a database."),
        ("Retailer tells ASX its systems are down after cyber attack", ""),
        ("Payments firm suffers day-long outage", "Statement to the ASX: systems are back."),
        ("Nasdaq-listed payments firm suffers day-long outage", ""),
        ("港交所上市公司青禾科技云服务宕机", "青禾科技于2019年在港交所上市。"),
        ("青禾科技向港交所提交公告：云服务中断约三小时", ""),
    ],
)  # fmt: skip
def test_an_exchange_where_a_company_is_listed_is_no_casualty(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    outage = classifier.classify(headline(title, text))
    assert outage.is_outage
    assert not {"ASX", "Nasdaq", "HKEX"} & set(outage.affected)


@pytest.mark.parametrize(
    ("title", "affected"),
    [
        ("ASX outage halts trading for hours", "ASX"),
        ("Nasdaq halts trading after glitch", "Nasdaq"),
        ("港交所交易系统故障 暂停交易", "HKEX"),
    ],
)
def test_an_exchange_that_is_down_is_still_named(
    classifier: OutageClassifier, title: str, affected: str
) -> None:
    assert affected in classifier.classify(headline(title, "")).affected


@pytest.mark.parametrize(
    "title",
    [
        # Users leaving over an outage: what followed it, not news of another.
        "Customers weigh their options after Kestrel Edge's latest outage",
        "Clients look elsewhere after Brinkhost outage drags into a second week",
        "青禾云宕机后多家客户转投他家",
    ],
)
def test_users_leaving_over_an_outage_is_its_aftermath(
    classifier: OutageClassifier, title: str
) -> None:
    outage = classifier.classify(headline(title, ""))
    assert outage.is_outage and outage.aftermath


def test_customers_switching_to_something_new_is_no_outage(
    classifier: OutageClassifier,
) -> None:
    assert not classifier.classify(
        headline("Customers switch to new app as bank launches upgrade", "")
    ).is_outage


@pytest.mark.parametrize(
    "title", ["Users left without service for hours", "Users leave angry reviews over app outage"]
)
def test_users_left_without_service_or_leaving_reviews_is_first_news(
    classifier: OutageClassifier, title: str
) -> None:
    outage = classifier.classify(headline(title, ""))
    assert outage.is_outage and not outage.aftermath


@pytest.mark.parametrize(
    ("first", "days_later", "later"),
    [
        # A regulator's Chinese follow-up names the bank after what it does to it.
        (("挪威峡湾银行系统宕机 大量客户无法登录网银", "周二上午，峡湾银行网银无法登录。"),
         9, ("挪威金融监管局就系统故障问询峡湾银行", "监管局要求该行在两周内提交报告。")),
        # Users leaving over it.
        (("Kestrel Edge outage knocks thousands of websites offline",
          "Sites behind the CDN returned errors for three hours."),
         11, ("Customers weigh their options after Kestrel Edge's latest outage", "")),
    ],
)  # fmt: skip
def test_a_follow_up_days_later_joins_the_outage(
    classifier: OutageClassifier,
    store: Store,
    first: tuple[str, str],
    days_later: int,
    later: tuple[str, str],
) -> None:
    tracker = IncidentTracker(store)
    news = headline(*first, published=NOW - timedelta(days=days_later))
    incident = tracker.file(news, classifier.classify(news))
    follow_up = headline(*later)
    joined = tracker.file(follow_up, classifier.classify(follow_up))
    assert joined.id == incident.id
    assert not joined.held
