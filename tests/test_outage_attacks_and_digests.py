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
