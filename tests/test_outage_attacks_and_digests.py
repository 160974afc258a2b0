"""Attacks on victims named by what they are, digests of several stories, and what users
cannot do: classes of news found in session 24's written sagas (our text; unit cases)."""

from __future__ import annotations

import pytest

from bot.outage.classify import OutageClassifier
from tests.test_outage import article


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # An attack on a victim named only by what it is, whose opening says what went down.
        ("美国德州某学区遭勒索攻击 3万余名学生被迫停课",
         "得克萨斯州一学区遭勒索软件攻击，电话和学生信息系统全部瘫痪，学区被迫停课。"),
        ("美国中西部一医疗集团遭网络攻击 多家医院救护车被迫分流",
         "该医疗集团遭遇网络攻击，旗下14家医院的电子病历系统被迫下线。"),
        ("Midwest hospital chain hit by ransomware attack",
         "Electronic health records went down at 14 hospitals and ambulances were diverted."),
        # A digest whose stories are separated by "丨" and "；": its outage story counts, and
        # the other stories' words in its opening do not count against it.
        ("安全圈周报丨英国一地方议会遭网络攻击 线上服务全部中断；微软9月补丁日修复79个漏洞",
         "本周，英国一地方议会遭网络攻击，官网、在线缴费全部中断；微软发布补丁，修复79个漏洞。"),
        # What users cannot do is no product launch.
        ("Game network down: players can't sign in or launch games",
         "Players reported being unable to sign in."),
    ],
)  # fmt: skip
def test_outage_news_of_these_classes(classifier: OutageClassifier, title: str, text: str) -> None:
    assert classifier.classify(article(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A count of victims is a study, not one outage.
        ("Ransomware: 2,300+ local governments, schools, healthcare providers impacted in 2021",
         "Attacks knocked systems offline at hundreds of organisations."),
        # An attack on a described victim whose opening says no service went down.
        ("某医院遭勒索攻击 部分患者数据泄露", "攻击者窃取了部分患者数据，医院业务运行正常。"),
        # A digest whose stories are all other news.
        ("网安周报丨某厂商修复高危漏洞；某公司发布新品",
         "本周，某厂商发布补丁修复漏洞；某公司推出新品。"),
        # A launch is still a launch.
        ("Game studio to launch new online game next month", "Sign-ups open today."),
    ],
)  # fmt: skip
def test_other_news_of_these_classes(classifier: OutageClassifier, title: str, text: str) -> None:
    assert not classifier.classify(article(title, text)).is_outage


@pytest.mark.parametrize(
    "title",
    [
        # Recovery of a company the catalogue does not know, in the words of what is back.
        "Heartland Mercy restores electronic health records at most hospitals",
        "Bank app down for customers amid upgrade",
        "Bramley's says card payments back in stores but online orders stay paused",
        "森科能源：加油站刷卡支付昨日已基本恢复 会员积分系统仍在修复",
        "美国医疗集团遭网攻后恢复病历系统 急诊重新接收救护车",
        # An outage an upgrade caused; a post-mortem's promise; a release that broke it.
        "China Construction Bank's mobile app down for hours after system upgrade",
        "原神周六宕机原因公布：数据库主备切换失败，米哈游称将升级容灾方案",
        "微软发布Azure宕机初步报告：周二故障源于配置变更绕过安全检查",
        "腾讯：周三微信支付异常系网关发布问题，将优化灰度发布流程",
    ],
)
def test_recovery_and_explanations_in_these_words_are_outage_news(
    classifier: OutageClassifier, title: str
) -> None:
    assert classifier.classify(article(title)).is_outage


@pytest.mark.parametrize(
    "title",
    [
        "Insurers roll out parametric 'cloud outage' cover after Azure disruption",
        "非洲某国大选前夕全国断网 NetBlocks：网络连接降至正常水平的12%",
        "某国高考期间全国断网 官方称防止作弊",
        "国泰航空通报会员资料外泄：约9万人受影响，航班及系统运作正常",
        # Recovery of other things; a trend of attacks; other things' failures.
        "Company restores dividend payments",
        "Apple services back to growth",
        "Ferry services back on after storm",
        "国内航线运力已基本恢复至疫情前水平",
        "Hospital cyberattacks up 40%, report says",
        # Still announced downtime.
        "Bank's app unavailable on Sunday for system upgrade",
        "某银行将于周六凌晨进行系统升级 部分服务暂停",
    ],
)
def test_insurance_shutdowns_leaks_and_announced_upgrades_are_not(
    classifier: OutageClassifier, title: str
) -> None:
    assert not classifier.classify(article(title)).is_outage


def test_a_digest_takes_who_is_down_from_its_outage_story_not_its_other_stories(
    classifier: OutageClassifier,
) -> None:
    # The opening goes through every story: the Chrome patch is Google's, not the outage.
    outage = classifier.classify(article(
        "FreeBuf周报丨荷兰零售巨头遭网络攻击致门店系统中断；Chrome修复已遭利用的零日漏洞",
        "本周，荷兰零售巨头遭网络攻击，门店自助结账中断近两天；谷歌发布Chrome紧急更新，修复零日漏洞。",
    ))  # fmt: skip
    assert outage.is_outage and outage.provider is None
    # A text that repeats the outage story as a heading says more of it under that heading.
    outage = classifier.classify(article(
        "微软再次遭遇大规模宕机事故，波及多项服务；四部门联合印发惩戒办法 | 牛览",
        "四部门联合印发了惩戒办法。\n\n热点观察\n\n微软再次遭遇大规模宕机事故，波及多项服务\n\n"
        "微软正在全力处理一场影响Microsoft 365多项服务的大规模故障。",
    ))  # fmt: skip
    assert outage.provider == "microsoft365"


@pytest.mark.parametrize(
    "title",
    [
        # Post-mortem and status wording of a provider's outage.
        "GitHub availability incidents in March",
        "Azure connectivity loss in West Europe on 3 May",
        "AWS internal network congestion in us-east-1",
        "Google Cloud networking packet loss in us-central1",
        "Cloudflare DNS resolution issues for some customers",
        "GitHub Actions jobs stuck in queued state",
    ],
)
def test_post_mortem_wording_of_a_providers_outage_is_outage_news(
    classifier: OutageClassifier, title: str
) -> None:
    assert classifier.classify(article(title)).is_outage


@pytest.mark.parametrize(
    "title",
    [
        "How to measure packet loss on your home network",
        "New CDN feature promises to cut network congestion for gamers",
    ],
)
def test_the_same_words_in_guides_and_launches_are_not(
    classifier: OutageClassifier, title: str
) -> None:
    assert not classifier.classify(article(title)).is_outage


def test_a_sites_sections_in_a_suffix_do_not_make_a_headline_a_digest(
    classifier: OutageClassifier,
) -> None:
    lead = "The airline's shares fell after it reported quarterly earnings and a profit warning."
    plain = classifier.stories("Airline check-in outage strands passengers", lead, False)
    suffixed = classifier.stories(
        "Airline check-in outage strands passengers | Business News | The Daily", lead, False
    )
    assert suffixed[0][1] == plain[0][1]


@pytest.mark.parametrize(
    ("title", "text", "is_outage"),
    [
        # What an attack stopped, in Chinese; cards that cannot be taken; phones and Wi-Fi.
        ("美国中西部医院连锁遭网络攻击 救护车被迫改道", "", True),
        ("'Cash only': gas stations can't process cards for second day",
         "Card payments failed at hundreds of stations.", True),
        ("School district's phones, Wi-Fi down on first day of classes",
         "The district's systems went offline on Monday.", True),
        ("Retailer halts online orders as it battles 'cyber incident'", "", True),
        # A pun over a named provider's faulty change is a reference to its incident.
        ("Azure Front Door slams shut: Microsoft blames 'inadvertent' config push", "", True),
        # A launch day's outage; insurance against downtime; an industry report.
        ("Valve extends Steam sale after launch-day outage", "", True),
        ("After Azure outage, insurers pitch cover for cloud downtime", "", False),
        ("某机构发布年度报告：重大宕机事件减少", "", False),
    ],
)  # fmt: skip
def test_classes_of_the_third_saga_batch(
    classifier: OutageClassifier, title: str, text: str, is_outage: bool
) -> None:
    assert classifier.classify(article(title, text)).is_outage is is_outage


def test_a_wire_storys_dateline_is_no_region_of_the_outage(
    classifier: OutageClassifier,
) -> None:
    outage = classifier.classify(article(
        "Alibaba Cloud data center fault knocks out Alipay, Taobao for hours",
        "SHANGHAI, March 10 (Reuters) - A cooling failure at an Alibaba Cloud data center in "
        "Hangzhou disrupted Alipay and Taobao.",
    ))  # fmt: skip
    assert outage.regions[:1] == ("aliyun:cn-hangzhou",)
