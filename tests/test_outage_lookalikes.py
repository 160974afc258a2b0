"""Other news in an outage's words (session 33, from the labelled corpus README's classes):
a glitch that shows people others' data is a leak, one people abuse for money is fraud, a
product's review is a review, a chip or a drive that stops after so long switched on is
an erratum, a car sensor's bug is a product fault, a how-to is an explainer, a space
probe out of touch is no online service, an anomaly a security team ran down is a host's,
banks that stop another firm's payments block them; and classes read off pickermd's test
half once it was spent (see the comments). Written by us; each class both ways: the
look-alike is not an outage, the outage that shares its words still is."""

from __future__ import annotations

import pytest

from bot.outage.classify import OutageClassifier
from tests.test_outage import article


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A glitch that shows people others' data is a leak.
        ("Glitch in airline app showed users other passengers' details",
         "The carrier said a technology issue exposed names and flights to other customers; "
         "it was fixed within hours."),
        ("Bank app glitch shows customers other people's accounts",
         "Some customers saw the balances of strangers, the bank said, blaming a caching error."),
        ("Airline app glitch exposes other passengers' boarding passes",
         "The airline said no payment data was affected."),
        ("航司App故障致用户看到其他乘客信息", "公司称系统升级后缓存错误所致，已修复。"),
        ("某银行App故障，用户登录后显示他人账户", "银行称系缓存错误，已紧急修复。"),
        # A glitch people abuse for money is fraud news.
        ("Bank glitch let customers withdraw money they did not have",
         "A flaw in the deposit system allowed cash out before checks bounced."),
        ("'Infinite money glitch' goes viral, bank warns it is fraud",
         "The bank said people exploiting it would be held responsible."),
        # A product's review that mentions outages.
        ("SunFlow Delta Max review: a home battery that keeps the lights on during an outage",
         "We tested the power station during a week of power cuts."),
        # Errata: a chip or a drive that stops after so long switched on.
        ("Server CPUs hang after 1,044 days of uptime",
         "The vendor confirmed the erratum and recommends a reboot before then."),
        ("某品牌服务器处理器运行1044天后会卡死", "厂商确认该问题，建议定期重启，不打算修复。"),
        ("某品牌固态硬盘通电4万小时后变砖", "厂商发布固件修复。"),
        # A car sensor's bug.
        ("激光雷达闰年bug致自动驾驶汽车停摆", "2月29日日期计算错误导致传感器失灵。"),
        # How-tos about finding and avoiding outages.
        ("如何快速定位线上故障？排查实践分享", "本文介绍故障排查方法。"),
        ("如何保障系统高可用，避免宕机", "架构设计经验分享。"),
        ("为什么你的系统总在凌晨宕机", "运维经验谈。"),
        ("谈谈某云宕机：我们能学到什么", "一篇评论。"),
        # A chip's instability by its product name.
        ("某品牌13代酷睿不稳定崩溃 微码更新来了", "游戏频繁崩溃问题将修复。"),
        # A flaw that crashes browsers is an advisory.
        ("Chromium browsers crash in seconds due to new rendering flaw",
         "A proof of concept crashes Chrome, Edge and other browsers."),
        # Session 33, from pickermd's test half once its errors were read (see
        # tests/data/eval/README.md): a cable cut as a defence is no "断网"; police
        # disrupting a fraud ring; an OS update's bug named with spaces; a relaunch on a
        # named day; a crash write-up and malware that crashes; commentary from a vantage
        # point. (Not a plant's production stopped by an attack: pickermd's helpers call it
        # other news, this suite an outage, "多个工厂生产中断"; left as it was.)
        ("被黑客攻击！紧急冲进机房，直接剪断网线！",
         "某电信巨头的安全团队赶往数据中心，剪断了连接受影响设备的网线。"),
        ("US disrupts multimillion-dollar bank account takeover operation",
         "The Justice Department seized domains used by a fraud ring."),
        ("Windows 11 二月更新可能导致部分三星笔记本电脑用户无法访问 C 盘", "微软已确认问题。"),
        ("某社区宣布：6月1日起正式恢复访问", "该站2023年起因欠费暂停访问。"),
        ("一次由 DLL 加载顺序引发的程序崩溃排查", "作者分享调试过程。"),
        ("新型加壳器存在编码缺陷 反致勒索软件意外崩溃", "研究人员分析样本。"),
        ("从测绘数据看某冲突中通信设备“失灵”事件", "一篇分析。"),
        # Game servers a publisher switches off while it fixes a flaw players could be
        # hacked through (the labelled README's "dark-souls-servers" class).
        ("Game's PvP servers shut down after critical RCE bug reported",
         "The publisher deactivated online services for the PC versions."),
        # A space probe out of touch.
        ("NASA与旅行者2号通信中断", "一条错误指令使探测器天线偏离地球。"),
        ("NASA loses contact with Voyager 2 after wrong command",
         "The antenna now points 2 degrees away from Earth."),
        # An anomaly a security team ran down (a real dev item of pickermd: "记一次NTP服务异常
        # 连接的安全排查").
        ("记一次服务器异常外联的应急响应", "排查发现是挖矿木马。"),
        # Banks that choose to stop another firm's payments block them (session 34).
        ("Payments glitch leads German banks to block €10 billion in Quillpay debits",
         "Banks blocked direct debits after the firm's fraud filters failed, disrupting "
         "payments for merchants."),
        ("Lenders halt transfers to crypto exchange after hack",
         "Several banks stopped transactions."),
    ],
)  # fmt: skip
def test_look_alikes_are_other_news(classifier: OutageClassifier, title: str, text: str) -> None:
    assert not classifier.classify(article(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # The service went down as well: the headline says so.
        ("Chatbot down: bug exposed other users' chat titles, company shuts service for hours",
         "The service was unavailable for about nine hours."),
        ("Game store outage: users saw other people's account pages after caching error",
         "The store was offline for an hour."),
        ("Bank app down for hours; some customers saw other people's accounts",
         "The bank took its mobile app offline on Friday after a glitch."),
        ("ChatGPT宕机：用户可看到他人聊天记录标题", "公司将服务下线数小时修复漏洞。"),
        # A glitch that took a service out, and an incident's review.
        ("Glitch knocks out two banks' apps for thousands", "Customers saw error messages."),
        ("Cloud provider outage review: a config push took down its control plane for hours",
         "Customers could not start instances in two regions."),
        # Satellite internet down, an outage answered, an attack through anomalous traffic.
        ("Satellite internet outage knocks thousands offline worldwide",
         "The operator blamed a software failure."),
        ("卫星通信中断 某航空公司机上WiFi瘫痪", "乘客无法上网。"),
        ("某医院遭勒索攻击系统瘫痪 已启动应急响应", "门诊挂号暂停。"),
        ("某网站遭异常连接攻击瘫痪", "网站无法访问。"),
        ("某平台服务中断 异常连接数激增", "用户无法登录。"),
        # Browsers crashing because of the vendor's servers.
        ("Browser crashes worldwide after vendor's server bug",
         "Users could not load pages for hours until the vendor fixed its telemetry servers."),
        ("Chrome crashes for millions after Google pushes bad server config, bug fixed",
         "Tabs crashed worldwide; Google rolled back a flag."),
        # The same words of outages: a cable dug up, an app back today, a port's operations.
        ("某市光缆被挖断 全城断网3小时", "多家运营商用户无法上网。"),
        ("某App故障已修复 今日起恢复访问", "用户可正常登录。"),
        ("某港口遭勒索攻击 码头运营中断", "货运作业停止。"),
        # Guards from a review of the session's patterns: systems that failed, told in the
        # words of an erratum, a browser flaw, a probe, a review, a leak, a how-to, an
        # update, an anomaly or a crash write-up.
        ("勒索病毒致多家企业服务器崩溃", "多家企业业务中断。"),
        ("某地新社保系统运行3天后宕机", "市民无法办理业务。"),
        ("City's new e-toll system crashes after 3 days of operation",
         "Drivers could not pay tolls online."),
        ("Cloudflare says edge servers crashed due to a flaw in bot management file",
         "Sites behind the network returned errors for hours."),
        ("FCC opens probe after Verizon signal outage", "Customers lost service for hours."),
        ("Jaguar Land Rover's communications systems outage continues after cyberattack",
         "Dealers cannot register cars."),
        ("Independent review: Optus network outage caused by routing update",
         "Millions lost service for 12 hours."),
        ("Bank app crashes as customers see other people's accounts",
         "The bank took the app offline."),
        ("某银行App打不开 部分用户登录后看到他人账户信息", "银行称正在紧急修复。"),
        ("抖音崩了，你的App还能用吗？", "大量用户反映无法刷新。"),
        ("12306崩了？国铁集团回应将如何保障春运购票", "大量用户无法登录购票。"),
        ("Switch Online 宕机更新：任天堂称已修复", "玩家此前无法联机。"),
        ("微信异常连接超时 大量用户受影响", "用户无法发送消息。"),
        ("某App崩溃排查结果公布：系配置错误", "此前该App大面积无法使用。"),
        ("从昨晚开始后台数据看不了 抖音小店系统故障", "商家无法查看订单。"),
        ("某电信宽带断网线上业务全部受影响", "用户无法上网。"),
        ("Payment glitch lets shoppers take groceries free as card machines fail",
         "Stores could not take card payments."),
        # Game servers an attack or a bug took down.
        ("Game servers shut down after DDoS attack, players locked out",
         "The publisher said the attack overwhelmed servers."),
        ("Multiplayer servers down after bug crashes backend", "Players cannot connect."),
        # A leap-day bug that took a cloud down.
        ("闰年bug致微软Azure云服务宕机", "2月29日证书有效期计算错误导致服务中断。"),
        ("Cloud outage on leap day: certificate bug takes down compute for hours",
         "The provider said a date calculation caused the failure."),
        # A bank's own payments an outage stopped.
        ("Card network outage blocks card payments across Europe",
         "Shoppers could not pay by card for hours after a hardware failure."),
        ("Bank outage blocks payments for millions of customers",
         "A systems failure left customers unable to make transfers."),
        ("Card payments fail at banks across the UK", "Customers could not pay by card on Friday."),
    ],
)  # fmt: skip
def test_outages_in_the_same_words_stay_outages(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert classifier.classify(article(title, text)).is_outage
