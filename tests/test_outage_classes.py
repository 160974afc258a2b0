"""Classes of real news the outage classifier must tell apart, one case per class and
language, written by us (the labelled corpus's README lists the hard-negative classes:
blackouts, shutdowns, device faults, advisories, lawsuits, harmless DDoS, reviews)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.outage.classify import OutageClassifier
from tests.test_outage import article


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # Faults of devices people own.
        ("iOS bug crashes iPhones that receive a certain text message",
         "Apple says a fix is coming in the next update."),
        ("Samsung Galaxy phones stuck in boot loop after software update",
         "Users said their handsets restart endlessly."),
        ("Faulty firmware update knocks out smart thermostats",
         "Owners were left with blank screens on cold mornings."),
        ("iOS更新后部分iPhone频繁死机", "多名用户反映升级到新版本后手机反复重启。"),
        ("Firmware bug bricks thousands of home routers", "Owners must replace them."),
        ("Faulty update bricks NAS devices", "Users cannot reach their files."),
        ("Game console update leaves consoles stuck in boot loop", "A fix is rolling out."),
        ("某品牌路由器升级后频繁掉线 用户投诉", "厂商称将推送修复。"),
        # A flaw that would let someone crash a system.
        ("Bug in Linux kernel lets attackers crash systems remotely",
         "The flaw is fixed in the latest release."),
        ("Flaw lets attackers knock Wi-Fi devices offline",
         "Researchers disclosed the issue at a conference."),
        # Lawsuits about an outage, whenever they come.
        ("Passengers sue airline over IT meltdown",
         "The class action seeks compensation for cancelled flights."),
        ("乘客起诉航空公司 索赔去年系统故障损失", "原告称航班取消造成损失。"),
        # ... and fines for one.
        ("某银行因IT系统宕机被罚5000万元",
         "监管机构称该银行2019年的系统迁移导致数百万客户无法使用网银。"),
        # Attacks and claims that say they did no harm.
        ("Hackers claim DDoS attack on bank websites; no disruption reported",
         "The bank said its services were working normally."),
        ("黑客组织声称对多家银行发动DDoS攻击 银行称业务未受影响", "多家银行表示系统运行正常。"),
        # Reviews, guides and studies that mention outages.
        ("Review: the best VPNs for when your ISP goes down",
         "We tested ten services for speed and reliability."),
        ("The best uptime monitoring tools to catch outages early", "A buyer's guide."),
        ("Study: cloud outages cost businesses $1bn last year",
         "Researchers surveyed 500 companies."),
        ("体验：这款手机信号差，地铁里经常掉线", "上手一个月后的感受。"),
        ("How to make your database resilient to outages", "Replication and failover."),
        ("Outage-detection startup raises $10m", "It watches status pages for customers."),
        ("Company to pay $2m to settle outage claims", "The settlement covers 2022."),
        # An outage that did not happen, or happened years ago.
        ("Reports of a messaging app outage are a hoax, company says",
         "The service is working normally."),
        ("One year after the great update outage, what has changed?",
         "Companies have revisited their update policies."),
        # What an outage set off, when that is the story.
        ("Update outage sparks concerns over reliance on one security vendor",
         "Analysts say the crash showed how fragile IT is."),
        ("蓝屏事件引发企业对云服务依赖的担忧", "专家认为企业应分散风险。"),
        ("Messaging app outage leads to user exodus to rival apps",
         "The app was down for six hours and rivals gained millions of users."),
        # A country's blackout whose lead says networks and data centres were hit too.
        ("Massive power outage hits Spain and Portugal",
         "Trains stopped, mobile networks went down and data centers ran on generators."),
        ("某公司成功抵御大规模DDoS攻击 业务未中断", "攻击峰值达每秒数百Gbps，服务保持正常。"),
        # A city's blackout, however large ("大面积" is its extent, not an IT outage's).
        ("某市大面积停电 交通信号灯失灵", "电网故障导致城区停电三小时，目前已恢复供电。"),
        # Police and vendors taking criminals' infrastructure down.
        ("Police take down phishing-as-a-service marketplace", "Two suspects were detained."),
        ("Security vendor disrupts botnet of 200,000 routers", "It seized the command servers."),
        ("Authorities shut down dark web forum selling stolen data", "The domain shows a banner."),
        ("Europol takes down proxy network, a service used by cybercriminals",
         "Servers in five countries were seized."),
        ("Ransomware suspect arrested after attacks took hospitals offline",
         "Prosecutors say he led the group."),
        # Malware that crashes the tools of those who study it.
        ("Banking trojan now crashes researchers' debuggers to hide its code",
         "The new version detects analysis tools."),
        # A glitch that let attackers in is a vulnerability.
        ("Antivirus glitch allowed hackers to slip past scans", "The vendor has fixed it."),
        # Planned downtime, and services closed for good.
        ("Provider schedules maintenance that will take API offline for two hours",
         "The window starts at 02:00 UTC."),
        ("Startup's app goes offline permanently as company shuts down",
         "Users have until Friday to export data."),
        # Other senses of a crash or a breakdown.
        ("Bitcoin crashes 15% in an hour as rally unravels",
         "Bitcoin fell as much as 15 percent within an hour on Thursday, as traders took "
         "profits. Analysts said thin order books amplified the meltdown."),
        ("World number one crashes out of esports championship in shock upset",
         "The world's top-ranked player crashed out of the championship in the quarter-finals "
         "on Sunday, losing three straight maps to an unseeded teenager."),
        ("Passengers stranded for four hours after train breaks down in tunnel",
         "Hundreds of passengers were trapped for nearly four hours after an intercity train "
         "broke down inside a tunnel. The operator said a traction fault caused the failure."),
        ("小区电梯突发故障困住6人 消防破门救援",
         "某小区一部电梯在上行过程中突然停在两层之间，6名居民被困约40分钟。物业表示，故障原因初步判断为"
         "控制板损坏，电梯已停用检修。"),
        ("Photo site will go offline for consumers on April 2, users told to save data",
         "The consumer version closes earlier than first planned."),
        ("Council website will go dark on Saturday while systems move to a new host",
         "Residents can call the contact centre instead."),
        ("某手机品牌系统更新后出现卡顿", "用户反映手机发热。"),
        # A storm's blackout, however it is worded.
        ("Storm knocks out power to 50,000 homes", "Utility crews are working to restore power."),
        # Explainers and advice about outages in general.
        ("专家解读：如何避免云服务宕机", "企业应建立多云架构。"),
        ("一文读懂：大厂服务为何总在节假日崩溃", "分析了过去五年的案例。"),
        # Attacks in general, however their opening reads: trends and roundups.
        ("DDoS attacks are on the rise, report finds", "Attacks disrupted services at many firms."),
        ("Ransomware attacks hit hundreds of schools last year", "Many were offline for days."),
        ("The week in ransomware: new gangs, old tricks", "Attacks disrupted three hospitals."),
        # A named victim, but the headline's story is the breach.
        ("Crunchco confirms data breach after ransomware attack", "Systems were down for a day."),
        # Downtime announced ahead.
        ("Bank warns of planned outage for system upgrade this weekend",
         "Online banking will be unavailable from 11pm Saturday."),
        ("Game servers will be offline Tuesday for scheduled update", "Work runs until noon."),
        ("某银行将于本周六凌晨系统升级 期间网银无法使用", "升级时间为凌晨0点至6点。"),
        # Outages in general: why they keep happening, what firms fear.
        ("Why cloud outages keep happening and what to do about it", "Experts weigh in."),
        ("Outage insurance market grows as firms fear downtime", "Premiums rose 20% this year."),
        ("为什么云服务总是宕机？", "专家分析了过去几年的案例。"),
        # Defects of chips and firmware are product faults.
        ("Processor instability causes game crashes on some desktops",
         "The chipmaker blamed elevated voltage and promised a microcode update."),
        # Drones fail in the air, not as a service.
        ("Hundreds of drones fall into river during light show after technical glitch",
         "The operator said nobody was hurt."),
        ("数百架无人机因技术故障坠入河中", "这些无人机原本是灯光秀的一部分。"),
        # Updates of software people run on their own machines.
        ("Windows Server updates cause boot loops on domain controllers, break virtual machines",
         "Updates released this month are causing domain controllers to restart endlessly."),
        ("Chrome update causes tabs to crash on some PCs", "Google is rolling back the release."),
        ("Windows更新后部分电脑无法启动", "微软确认本月补丁存在问题。"),
        # A car that will not start after an over-the-air update is a device fault.
        ("某品牌汽车OTA升级失败 部分车辆无法启动", "车主反映升级后车辆黑屏。"),
        # New malware and what it can do.
        ("新型勒索软件可加密虚拟机 导致业务中断", "研究人员发现，该勒索软件专门针对虚拟化服务器。"),
        # Downtime in announced time slots.
        ("某市12345热线系统升级 部分时段无法接通", "升级将于本周日凌晨进行。"),
        # A browser that crashes is software people run, whatever made it crash.
        ("Browser 'Aw, Snap' crashes in Chrome hit users after antivirus update",
         "The crashes were caused by an incompatibility with security software."),
        # Criminals' sites going dark after a police raid.
        ("Hacker forum goes offline after police raid",
         "The marketplace was used to sell stolen credentials."),
        # A share price after an outage is market news.
        ("Cloud provider's share price falls after outage",
         "Investors reacted to the second outage this month."),
        # A claim of an outage that its target denies.
        ("黑客组织声称攻击致某航空公司网站瘫痪 官方否认", "该航空公司表示，网站运行正常。"),
        # Found in real security-feed headlines (chainreactors/picker), one outage word
        # each, used for something else: a vulnerability report, a phrase, key recovery,
        # an advisory, police work, marketing, GPS jamming, a Windows update, SRE
        # practice, a figure of speech, a review of something other than an outage.
        ("Path bug may expose supposedly inaccessible directories on file servers", ""),
        ("Noisy homelab fans? How to turn it down", ""),
        ("Faster password-hash recovery on consumer GPUs", ""),
        ("Vendor warns admins to take industrial controllers offline", ""),
        ("Prosecutors disrupt Russian spear-phishing campaign", ""),
        ("Monitoring vendor says its tool reduces the risk of business disruption", ""),
        ("GPS jamming disrupts flights over the Baltic", ""),
        ("Microsoft: October security updates break Windows recovery", ""),
        ("AIOps实践：某电商平台的故障定位与诊断", ""),
        ("中小企业网络安全正接近崩溃临界点", ""),
        ("某战役情报与战略复盘", ""),
        ("[Tip] How to stop a dev server from crashing on reload", ""),
        ("Credit bureau glitch exposing customer files lasted 47 days", ""),
        ("Researchers temporarily disrupted the Bluefin Stealer operations", ""),
        ("Troubleshooting the scanner app: having issues connecting your device?", ""),
        ("Disruption as a force for good: why we built our threat engine", ""),
        # A court's ruling about an outage is legal news, as a lawsuit is.
        ("Court orders bank to compensate customers for 2020 app failure",
         "The judge found the bank failed to keep its systems available."),
        ("法院判决：银行须为2020年系统宕机赔偿客户", "法院认为银行未能保障系统稳定。"),
        # Outages looked back on as a list, and forecasts of outages to come.
        ("The biggest outages of 2023, ranked", "From cloud providers to airlines."),
        ("回顾2023年十大宕机事件", "本文盘点了过去一年影响最大的宕机事故。"),
        ("Analysts: half of enterprises will suffer a major cloud outage by 2027",
         "The firm urges multi-cloud planning."),
        # Downtime announced ahead, in the words of a system switch-over.
        ("某银行宣布将于本周六凌晨进行系统切换 部分业务暂停",
         "届时手机银行、网上银行将暂停服务4小时。"),
        # A product for watching outages.
        ("某公司推出宕机监测工具 帮助企业快速定位故障", "该工具可实时监测网站可用性。"),
        # ... and in English, and a service closed for good.
        ("Outage map: tracking broadband reliability in 2025",
         "Our annual report ranks providers by hours of downtime."),
        ("Skype shuts down for good after 21 years", "Microsoft has moved users to Teams."),
        ("Stadia servers go dark for good", "Google's game service ended as announced."),
        # Release notes, a court-ordered ban, police taking down a crime service.
        ("What's New in DiskTool System Recovery 9.1: faster imaging", ""),
        ("Video site goes offline as host enforces court-ordered ban", ""),
        ("Police take down phishing-as-a-service platform used by 50,000 criminals", ""),
        # Fixes for one's own machine, research on detecting faults, what might happen,
        # and a supply-chain poisoning.
        ("某驱动蓝屏错误的修复方法", ""),
        ("如何修复“表格软件无法访问文件”错误？", ""),
        ("基于大模型的大规模系统提前故障检测", ""),
        ("浏览器用户面临供应链攻击威胁，数百万人或受影响", ""),
        ("某开源包投毒事件始末：又是GitHub背锅？", ""),
        # What an outage set off or taught: lawmakers' letters, sign-ups at a rival, a
        # lesson, a vendor's "we stayed up", an anniversary; and numbers going down.
        ("Senators demand answers from software maker after global outage",
         "In a letter to the CEO, lawmakers asked how one update took down airlines."),
        ("Rival messenger sees record sign-ups during chat app outage",
         "It gained 1.5 million users while the other app was down."),
        ("What the social network's outage teaches us about BGP",
         "The incident is a reminder that configuration changes need safeguards."),
        ("Our platform stayed up during the cloud outage. Here's how",
         "Our multi-region architecture kept customers online."),
        ("某云故障一周年：我们学到了什么", "去年的今天，某云可用区发生宕机，本文回顾其中的教训。"),
        ("Why are cloud bills not going down?", "Costs keep rising."),
        # An attack fended off, whose opening sentence says it did no harm; servers
        # switched off to stop a bug being abused; a site gone for good.
        ("CDN says it blocked record DDoS attack peaking at 7 Tbps",
         "The attack lasted 45 seconds and caused no disruption."),
        ("Online game servers taken offline to stop players exploiting a critical bug", ""),
        ("Popular torrent site goes offline, users fear it is gone for good",
         "The portal has been unreachable since Monday."),
        # A rumoured outage denied; roads jammed by snow.
        ("“某App崩了”实为误传 官方：服务一切正常", "有网友称无法发送消息，官方回应称服务正常。"),
        ("暴雪天气致高速交通瘫痪 数千车辆滞留", "受强降雪影响，多条高速封闭。"),
        # A device's part that failed is a product fault.
        ("Hardware failure in Galaxy phones", "Some handsets die after a year."),
        # Trains late for a signal fault: transport news.
        ("某地铁信号系统故障致列车晚点", "今晨早高峰，地铁2号线因信号故障导致列车延误。"),
        # Malware whose text speaks of recovering files, not a service.
        ("Wiper malware disguised as ransomware targets Ruritania's ministries",
         "Researchers say the malware destroys files and, unlike ransomware, offers no "
         "recovery mechanism."),
        # A translator's note is skipped, but only the sentence after it speaks for the
        # headline: here it says nothing was taken down.
        ("运营商Telvia遭网络攻击",
         "译文仅供参考，具体内容表达以及含义原文为准。该公司称正在调查此事。"),
        # A breach is other news when what it "takes" is data, or time.
        ("Breach at insurer takes data of 3 million customers",
         "Names and policy numbers were stolen."),
        ("Breach took months to discover, report finds", "The intrusion began in March."),
        # Guides for beginners, handbooks and alerting tools are SRE practice, not an
        # outage (session 31, "一条命令部署！Uptime Kuma 新手也能玩转服务器宕机预警",
        # pickermd-dev).
        ("新手也能看懂：服务器宕机了怎么办", "本文介绍运维人员遇到服务器故障时的排查步骤。"),
        ("开源工具实现网站宕机预警，五分钟搭好", "服务中断时可自动通知运维人员。"),
        ("运维故障排查指南：从网络到数据库", "整理了常见的系统故障与处理办法。"),
        # A flaw that could take a service down is still an advisory, and one that was
        # exploited with nothing said to be down is security news.
        ("某软件曝高危漏洞，可导致服务中断", "厂商已发布补丁。"),
        ("黑客利用路由器漏洞发起攻击", "安全公司建议用户尽快升级固件。"),
        # Figures over many outages are a study's (session 31, "Cloudflare 报告称半数网络中断
        # 事故是政府干预导致的", pickermd-dev).
        ("Half of internet disruptions last year were ordered by governments, report says",
         "The yearly review counted shutdowns in 30 countries."),
        ("报告：超过半数宕机事故由配置变更引起", "该机构统计了过去一年的数百起故障。"),
        # A power grid that collapsed, in more words (session 31, "古巴国家电网发生全面崩溃").
        ("某国国家电网发生全面崩溃", "全国大面积停电，数百万人受影响。"),
        # A blackout whose only brand is named far down is still a blackout (session 31,
        # "古巴国家电网发生全面崩溃", a messaging app named in its last paragraphs).
        ("全国大停电，电网全面瘫痪",
         "电网于周一发生全面崩溃，全国约1000万人陷入断电状态。"
         + "官员称正在调查原因，并已启动恢复供电的程序。" * 14
         + "去年当局曾屏蔽Telegram。"),
        ("Nationwide blackout as power grid collapses",
         "The national grid collapsed on Monday, leaving ten million people without power. "
         + "Officials said they were still looking into the cause of the failure. " * 6
         + "Last year the government blocked Telegram."),
        # Servers switched off later, announced: "in" a time.
        ("Publisher to take game servers offline in March", "Online play ends with them."),
        # A list to save for later is a guide (session 32, "运维请收藏：…公网DNS 卡顿劫持
        # 一键换", and a handbook "收藏！…故障排查手册", pickermd-dev).
        ("建议收藏：服务器宕机的十个常见原因",
         "遇到故障时可以先从这些地方排查，网站无法访问时尤其有用。"),
        ("运维请收藏：五个命令排查网络卡顿", "运维人员常遇到网络故障、服务器卡顿等问题。"),
        # A collapse of what is no system (session 32, "叙利亚霍尔难民营崩溃", pickermd-dev).
        ("某国难民营崩溃，数万人下落不明", "营地的安全防线崩溃后，大批人员逃离，当局正在搜寻。"),
        ("某国经济全面崩溃，民众排队取款", "银行限制取款，货币大幅贬值。"),
        # A fault of a device's firmware, or of a car's or a home's device, is a product
        # fault (the labelled set's device-fault class, in words its rules did not hold).
        ("某品牌智能门锁固件故障 用户被锁在门外", "厂商称将推送修复，用户可先用机械钥匙开门。"),
        ("某车企车机系统频繁故障 车主集体投诉", "多名车主反映中控屏幕经常失灵。"),
        # A government's cut in other words than "断网": on an election's day, for the
        # reason it gives (the labelled set's shutdown class).
        ("某国大选日移动网络中断", "当局以安全为由暂停了移动网络服务。"),
        ("某国互联网全面瘫痪 政府称为防止考试作弊", "当局在高考期间切断了全国网络。"),
        # An attack that "could" take sites down is research; an outage as the hook of a
        # commentary ("从…看…").
        ("研究人员披露新型DDoS攻击手法 可瘫痪大型网站", "该手法利用协议缺陷放大流量。"),
        ("从某云服务宕机事件看企业的多云策略", "单一云厂商的故障会波及大量客户，企业应分散风险。"),
        # Share prices, bait, year lists and court orders, in words the rules did not hold.
        ("Shares of Fastly fall after outage", "The stock lost 5% in early trading."),
        ("Hackers use CrowdStrike outage as phishing lure",
         "Fake fix scripts were sent to affected companies."),
        ("Down Detector: most reported outages of 2024", "The list is led by a social network."),
        ("Pirate streaming site goes offline after court order",
         "Its domains now show a notice from the rights holders."),
        # A kit that fakes a site's failure to trick visitors (session 32, "…ClickFix 攻击自动化
        # 伪造网站故障诱骗用户中招", pickermd-dev).
        ("新型钓鱼工具伪造网站故障页面 诱骗用户执行恶意命令",
         "攻击者在被入侵的网站上弹出虚假的故障提示，称需要修复。网站故障只是诱饵。"),
        # A year's list of incidents, and a launch whose news is who cannot use it (session
        # 32, "2025年度全国信息安全大事件：从银行系统瘫痪到政务云断线", "XChat 4月17日上线：
        # 能下载，但99%的人用不了", pickermd-dev).
        ("2025年度网络安全大事件：从支付系统瘫痪到政务云宕机",
         "回顾这一年，多起事件影响了大量用户。"),
        ("某聊天App 5月20日上线：能下载，但多数用户用不了", "该应用目前仅对部分地区开放注册。"),
        # A rumoured outage the company answers, in more words.
        ("网传“某App崩了” 官方：系统运行平稳", "有网友称无法登录，官方回应称系个别用户网络问题。"),
    ],
)  # fmt: skip
def test_news_of_other_kinds_that_uses_outage_words(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert not classifier.classify(article(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # What an outage report's text says in passing does not argue against it.
        ("Bank's app down for hours", "Card payments were unaffected, and customers who sue "
         "will be told the best way to claim. Phones stuck on the login screen, users said."),
        # A service halted by an incident.
        ("Postal service suspends international shipping after 'cyber incident'",
         "It could not despatch items overseas."),
        ("Trading halted on stock exchange after technical glitch",
         "The exchange is investigating a system problem."),
        ("Messaging services down after data centre fire", "Messages failed for hours."),
        # A power cut whose headline says what failed with it.
        ("Power cut knocks thousands of websites offline",
         "A power failure at a London data centre took hosted sites down."),
        ("Data centre power outage", "Servers at the hosting firm went dark."),
        ("Airline grounds flights as computer systems fail", "Passengers could not check in."),
        # How real outlets say a service fell over.
        ("Cyberattack cripples operations at shipping firm", "Terminals were shut."),
        ("City struggles to restore services after ransomware attack",
         "Residents cannot pay bills online."),
        ("Streaming service buckles under demand during live fight", "Viewers saw errors."),
        ("Game servers overwhelmed on launch day, players stuck in queues",
         "Players waited hours to log in."),
        ("Electric car app failure locks owners out of their cars", "The app would not load."),
        ("VoIP provider battles DDoS attack, calls dropped", "Customers reported failed calls."),
        ("某游戏开服即崩 玩家排队数小时", "大量玩家无法进入游戏。"),
        ("Update chaos could take weeks to fix, IT admins fear",
         "Machines that crash on boot must be repaired by hand."),
        ("某视频平台发布会当晚宕机超5小时", "用户反映视频无法播放。"),
        # How long it lasted outweighs the "漏洞" (bug) that was fixed.
        ("8小时无法访问账户，某社交应用称已修复软件漏洞", "用户周一无法登录账户。"),
        ("某地政务热线无法接通", "市民反映热线长时间占线。"),
        ("Telecom operator's network down nationwide, calls and data affected",
         "Customers reported no signal for hours."),
        ("英国邮政遭网络攻击 国际邮件业务暂停", "邮政公司表示暂时无法向海外寄送包裹。"),
        ("某论坛遭黑客入侵后下线", "该论坛周一晚间无法访问。"),
        ("证券交易所交易系统异常 部分股票交易受阻", "交易所称正在排查原因。"),
        # What an attack or a fault did to the ones it hit.
        ("Ransomware attack shuts down city's permit portal", "Residents cannot apply online."),
        ("Cyberattack on the region's largest newspaper group shuts down its printing presses",
         "Editions were delayed."),
        ("Grocery chain closes 200 stores after cyberattack", "Tills could not take cards."),
        ("Fuel distributor paralysed by cyber attack", "Deliveries to stations stopped."),
        ("Online voting system fails during council elections", "Voters could not log in."),
        ("Exchange says system failure halted trading for an hour", "Orders were rejected."),
        ("Crypto exchange users report login issues after hack", "Thousands cannot sign in."),
        # A company that shut its own systems down after an attack.
        ("Logistics company shuts down systems after ransomware attack",
         "Shipments are delayed across Europe."),
        # A blackout that reached a data centre.
        ("Storm knocks out power to data centre, taking hosted websites offline",
         "Customers' sites were unreachable for hours."),
        # Everyday headline forms.
        ("Chat app not loading for thousands of users", "The company says it is looking into it."),
        ("Voice chat service experiencing issues, company investigating", "Messages fail."),
        ("Search engine suffers brief interruption", "Results pages showed errors."),
        ("Thousands unable to log in to game network", "The operator has not commented."),
        ("AI chatbot returning errors for many users", "A fix is in progress."),
        ("Streams stall during big game on sports app", "Viewers took to social media."),
        ("Work email delayed for hours", "Users waited for messages."),
        ("某视频网站视频无法播放", "大量用户反映视频加载失败。"),
        ("购票页面卡死", "用户反映无法提交订单。"),
        ("某支付平台部分用户支付异常", "官方称正在修复。"),
        # The attack in the headline, what it took down in the opening sentence.
        ("Crunchco hit with ransomware attack",
         "Its ordering systems are down and no orders can be placed. The company is "
         "investigating."),
        ("Ferry operator Nordlink hit by cyberattack",
         "Online booking has been offline since Saturday. Police are investigating."),
        # An outage whose text says it began in planned work, or that a fix will come.
        ("Bank app down for hours",
         "The outage began during a planned upgrade; the site will be down for hours more."),
        ("Routine update knocks airline's check-in systems offline", "Passengers queued."),
        ("为何某视频网站又崩了？官方回应", "网站称服务器故障已修复。"),
        ("某平台宕机 官方称将尽快恢复", "大量用户无法登录。"),
        # A firmware bug that took a service down is that service's outage.
        ("Firmware bug takes bank's ATMs offline nationwide", "Customers could not withdraw cash."),
        # ... in the words of a business that cannot trade.
        ("Snackmaker Crunchco hit with ransomware attack",
         "The company has told retailers that no orders can be placed for the next few weeks."),
        ("Tour operator Alpfahrt hit by cyberattack",
         "Bookings cannot be processed until its systems are rebuilt."),
        # One incident's review is its post-mortem, not a list looked back on; a court's
        # own systems can fail; a service's recovery is still news of its outage.
        ("某云厂商香港机房故障回顾", "本文复盘了上周的宕机事故及其原因。"),
        ("某市法院网上立案系统故障 无法提交材料", "当事人反映网站长时间无法访问。"),
        ("Recovery slow after ransomware attack on city systems",
         "Residents still cannot pay bills online."),
        # A denial of the attack, not of the outage.
        ("某公司否认遭黑客攻击 称系服务器故障致网站瘫痪", "网站周一无法访问。"),
        # ... while these say what an outage left behind.
        ("Council says recovery of its systems continues after ransomware attack",
         "Online services remain down."),
        ("某云厂商发布故障复盘：交换机升级引发路由环路", ""),
        ("Payments app down", ""),
        ("Microsoft troubleshooting Outlook outage", "Users cannot send email."),
        # Outages whose headlines use words of the negatives above (found by review).
        ("Windows Update servers down worldwide", "Users see errors."),
        ("iOS update server outage prevents iPhone upgrades", "Apple's servers returned errors."),
        ("Chrome crashes for millions after Google server-side change", "Tabs closed at once."),
        ("Microsoft 365 outage: troubleshooting continues", "Outlook is still down."),
        ("Cloud provider tells customers to shut down instances amid outage", "A zone failed."),
        ("Starlink outage caused by GPS jamming", "Terminals lost service for hours."),
        ("Ruling party's website knocked offline by DDoS attack", "The site is unreachable."),
        ("支付宝部分时段无法使用", "大量用户反映无法付款。"),
        ("十大券商App宕机 股民无法交易", "多家券商的交易系统出现故障。"),
        ("新型勒索软件攻击致医院系统瘫痪", "医院的挂号系统无法使用。"),
        ("推特宕机 黑客声称负责 马斯克否认", "大量用户无法刷新。"),
        ("抖音安卓端崩溃，紧急更新修复", "大量用户无法打开应用。"),
        ("12306网站宕机，列车晚点信息无法查询", "旅客无法查询。"),
        # Words of other news that Chinese outage reports use too: an old outage named
        # as background, "别慌", a recovery notice, a city's traffic systems, a denied
        # rumour about the cause, a post-mortem report, "一切正常" after a recovery.
        ("继两年前大宕机后 某云再次崩了", "大量用户无法访问控制台。"),
        ("某App崩了？别慌，官方已修复", "晚间大量用户无法登录，官方称已修复。"),
        ("某银行系统已恢复平稳运行", "此前该行手机银行宕机两小时。"),
        ("网络攻击致某市交通系统瘫痪", "该市交通信号控制系统遭勒索攻击后瘫痪。"),
        ("某平台宕机 官方辟谣遭黑客攻击：系服务器故障", "平台表示已恢复。"),
        ("某支付平台宕机事故调查报告公布", "报告称故障源于数据库变更。"),
        ("某App一度无法登录 官方：已恢复，一切正常", "部分用户今晨无法登录。"),
        # An attack headline whose opening sentence says what went down, and what did not.
        ("运营商Telvia遭勒索攻击", "该公司遭勒索软件攻击，导致部分系统中断，客户数据未受影响。"),
        # Words of those other classes in an outage's own report.
        ("Hackers exploiting router flaw knock ISP customers offline",
         "Thousands lost internet access."),
        ("Hospital takes systems offline as a precaution after ransomware attack", ""),
        ("Finnish parliament website knocked offline by DDoS attack", "The site was unreachable."),
        ("Chat app down: sign-ups and logins failing", "Users cannot log in."),
        ("Team chat down? Here's how to check the status", "Users report errors."),
        ("Payments going down across Europe as processor fails", "Card payments failed."),
        # What failed, named by its part; a site that buckles; error messages.
        ("UK air traffic control failure grounds flights",
         "A technical issue with the flight planning system forced restrictions."),
        ("Cloud provider's storage failure wipes out customer VMs in Frankfurt",
         "A fault in one availability zone caused instances to stop responding."),
        ("Ticketing chaos as Ticketmaster site buckles during presale",
         "Fans reported error messages and frozen queues for hours."),
        ("Outage tracker shows thousands of reports as Verizon goes down",
         "Customers lost service."),
        # A fault during an upgrade is an outage.
        ("某银行系统升级期间出现故障 用户无法登录", "多名用户反映手机银行无法使用。"),
        # A vendor's update that took businesses down is named by the vendor.
        ("Security vendor Falconix's update crashes Windows machines at airlines and banks",
         "Check-in systems went down worldwide."),
        ("Faulty security update crashes Windows machines at banks and airlines",
         "Check-in desks and trading floors went dark."),
        # A breach whose news is what it stopped (session 30: "Canvas Breach Disrupts
        # Schools & Colleges Nationwide", a real picker article; the breach word no
        # longer argues against it).
        ("Breach at school software maker disrupts classes nationwide",
         "The company took its learning platform offline after attackers defaced its login page."),
        ("Payroll provider breach disrupts paychecks for thousands of workers",
         "The provider shut down its payroll platform while it investigated; pay was late."),
        # A flaw exploited to take a service down is the outage (session 31, "莱特币零日漏洞
        # 遭利用发起拒绝服务攻击，导致主要矿池瘫痪", pickermd-dev).
        ("某交易所漏洞遭利用，导致交易系统瘫痪数小时",
         "攻击者利用漏洞发起拒绝服务攻击，交易一度中断。"),
        ("支付网关漏洞被黑客利用，造成支付服务中断", "大量商户无法收款，官方已修复。"),
        # Systems taken offline "in" a place, after an attack (session 31, "University of
        # Texas forced to take systems offline in San Antonio after cyberattack").
        ("Hospital forced to take systems offline in Leeds after cyberattack",
         "Appointments were cancelled and staff went back to paper records."),
        ("City forced to take systems offline in response to ransomware",
         "Online payments and permit services were unavailable."),
        # ... and what those classes' words must not take: a game's beginners' area, a
        # provider's outage notice, a grid company's own online service, a place counted,
        # how many outages were fixed.
        ("新手村服务器崩溃，玩家无法登录", "大量玩家反映无法进入游戏。"),
        ("某云故障告警：杭州地域多款产品异常", "官方称正在紧急处理。"),
        ("南方电网缴费系统故障，用户无法缴费", "网上营业厅和App均无法使用。"),
        ("Hospital chain forced to take systems offline in 3 states after cyberattack",
         "Appointments were cancelled across its hospitals."),
        ("Carrier says 95% of outages resolved after nationwide network failure",
         "Some customers still had no service on Friday."),
        # ... nor a network device's firmware, nor a market's app (session 32).
        ("某数据中心交换机固件故障导致云服务中断", "多个可用区的云主机无法访问。"),
        ("某应用市场崩了，用户无法下载应用", "大量用户反映应用市场无法打开。"),
        # ... nor an election body's own site, nor an operator's outage that the government
        # looks into.
        ("选举委员会网站宕机 选民无法查询", "网站从上午起无法访问。"),
        ("某运营商网络大面积中断 当局要求彻查", "多地用户无法上网和拨打电话。"),
        # ... nor what users had saved, nor a headline that opens with "从".
        ("某音乐App崩了 用户收藏的歌单消失", "大量用户反映无法登录，收藏的歌单也不见了。"),
        ("从今早开始，用户无法观看某平台直播", "平台称服务器故障，正在抢修。"),
        # ... nor the time an outage took, nor a launch that fell over.
        ("某游戏5月20日上线 服务器崩了", "大量玩家无法登录。"),
        # ... nor a game's outage, one of a provider's worst, nor one that began "从…".
        ("英雄联盟崩了", "大量玩家反映无法登录游戏，客户端提示连接服务器失败。"),
        ("Slack suffers one of its most severe outages since 2022",
         "Messages failed to send for hours."),
        ("从今天凌晨开始某视频网站故障，用户看不了视频", "官方称正在修复。"),
        # ... nor an exam's own system, systems taken down against ransomware, a recovery
        # answered, a denial of the cause only, or ransomware dressed as an update.
        ("某省高考报名系统网络中断 考生无法报名", "系统从上午起无法访问。"),
        ("遭勒索软件攻击 某市政务网络中断 当局称为防止病毒扩散关闭系统",
         "市民无法在线办理业务。"),
        ("某App崩了？官方回应：已恢复正常运行", "上午大量用户无法付款。"),
        ("某App崩了？官方辟谣：非黑客攻击，系服务器故障", "大量用户无法登录。"),
        ("勒索软件伪装成系统更新 致多家医院系统瘫痪", "医院被迫改用纸质记录。"),
        ("某云从宕机到恢复用了3小时", "故障影响了多个可用区。"),
        ("某App 4月17日上线即崩", "大量用户无法登录。"),
        # ... nor an outage the company answers by saying it is fixed.
        ("某App崩了？官方回应：服务器故障已修复", "大量用户反映上午无法登录。"),
        ("网传某银行系统故障 官方：已紧急修复", "该行手机银行一度无法转账。"),
        # An overload a service caused itself.
        ("Edge network DDoSed itself with a dashboard retry loop",
         "A bug sent its own API a flood of requests."),
        # "Back online", in Chinese as in English.
        ("某论坛恢复上线", "该论坛此前因遭黑客入侵无法访问。"),
        # ... after the note a Chinese repost of English news opens with.
        ("无线运营商Telvia确认长期停电背后的网络攻击",
         "译文仅供参考，具体内容表达以及含义原文为准。  无线运营商Telvia证实，网络攻击是上周"
         "开始的大范围服务中断的原因。"),
    ],
)  # fmt: skip
def test_outages_in_real_outlets_words(classifier: OutageClassifier, title: str, text: str) -> None:
    assert classifier.classify(article(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Customer notice about the Vercel incident", ""),
        ("Dissecting the Zoom incident and what it means for remote teams", ""),
        ("Cloudflare：关于本周二控制台访问问题的声明", ""),
        ("Okta statement on this morning's sign-in incident", ""),
        ("阿里云：周一的问题源于一次配置错误", ""),
        ("Bad routing change sent Fastly traffic to the wrong PoPs, company says",
         "Engineers reverted it within the hour."),
        ("GitHub: a replica promotion exposed a latent bug in failover", ""),
    ],
)  # fmt: skip
def test_a_headline_that_refers_to_a_providers_incident_is_its_aftermath(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    outage = classifier.classify(article(title, text))
    # Aftermath: it joins the provider's outage, and alone starts only a held incident.
    assert outage.is_outage and outage.aftermath


@pytest.mark.parametrize(
    "title",
    [
        "Okta confirms security incident in support system",
        "Datadog launches AI assistant for incident response",
        "Cloudflare statement on data breach of support tickets",
        "Azure shares dip after incident, analysts say",
        "腾讯云关于数据泄露事件的声明",
        "阿里云遭网络攻击事件调查",
        "Bad update to PagerDuty's mobile app lets attackers read alerts",
        # No provider named: nothing to join.
        "Customer notice about last night's incident",
    ],
)
def test_references_that_are_other_news_or_name_no_provider(
    classifier: OutageClassifier, title: str
) -> None:
    assert not classifier.classify(article(title, "")).is_outage


# A headline whose only evidence is one outage word (no catalogue name, nothing in the
# text) scores exactly the threshold; it is an outage only if it says what went down or
# what brought it down. Feeds that carry headlines only (WeChat accounts, aggregators)
# are full of the word used for something else.
@pytest.mark.parametrize(
    "title",
    [
        "Modernizing Takedowns for Enhanced Adversarial Disruption",
        "A Glimmer of Disruption in Fintech",
        "3分钟解决ZAP打开浏览器闪退问题",
        "TLS 1.3：一把打不开旧锁的新钥匙，为何难成主流？",
    ],
)
def test_a_lone_outage_word_that_names_nothing_hit_is_not_an_outage(
    classifier: OutageClassifier, title: str
) -> None:
    assert not classifier.classify(article(title)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # What went down: systems, operations, a plant, communications, production.
        ("Florida hospital takes entire IT systems offline", ""),
        ("Cyberattack disrupts operations of supermarkets across the region", ""),
        ("Dairy plant reportedly disrupted with ransomware variant", ""),
        ("Hacking group disrupts communications on dozens of ships", ""),
        ("Carmaker 'severely disrupted' by cybersecurity incident", ""),
        ("Patreon-like site confirms outages affecting creator payouts", ""),
        ("全球最大轮胎厂商多个工厂生产中断", ""),
        ("某市政务平台瘫痪", ""),
        # A body that went down, by its Chinese name ("…银行").
        ("美国银行发生中断，导致很多账户余额为零", ""),
        # How far it reached.
        ("这次造成全球瘫痪的竟是安全软件", ""),
        # ... or the text's opening sentence says it.
        ("Voting machines fail during election",
         "The county's online voting portal had been planned for 500,000 votes."),
        # A chat assistant of the catalogue needs nothing more.
        ("deepseek 崩了", ""),
        ("Kimi崩上热搜", ""),
        ("Microsoft investigates outage impacting Copilot, Office.com", ""),
    ],
)  # fmt: skip
def test_a_lone_outage_word_with_what_went_down_is_an_outage(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert classifier.classify(article(title, text)).is_outage


def _probes() -> list[tuple[bool, str, str]]:
    path = Path(__file__).parent / "data" / "outage_probes.txt"
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, rest = line.partition("|")
            title, _, text = rest.partition("||")
            cases.append((label == "1", title, text))
    return cases


@pytest.mark.parametrize(("is_outage", "title", "text"), _probes())
def test_probes_written_by_someone_who_had_not_seen_the_rules(
    classifier: OutageClassifier, is_outage: bool, title: str, text: str
) -> None:
    assert classifier.classify(article(title, text)).is_outage is is_outage


# A review of session 23's patterns: ordinary news they must not read as outages, and
# outage headlines they must not turn away.
@pytest.mark.parametrize(
    "title",
    [
        "Apple backs down after EU pressure", "Twitter usage down after Musk takeover",
        "Economy recovering, central bank says", "Users to lose access to a podcast app next month",
        "Households without internet access fall to record low",
        "Software maker cuts off access for Russian customers",
        "Phone maker won't open its messenger to rivals, exec says",
        "Bank can't reach deal with union over pay", "Airline resumes flights to Tel Aviv",
        "Carmaker's plants sit idle amid strike", "Factory orders stall in March",
        "Why the system failed Black students", "Phone maker hit by supply problems in China",
        "Missile attack halts grain shipments", "Disruption is coming, and it will hurt",
        "Is the housing market slowing down?", "Kimi Antonelli crashes out of Monaco Grand Prix",
        "无服务器架构的五个优势", "马航MH370航班失联十年", "春节后工厂陆续恢复生产",
        "某ST公司股票停止交易", "美联储的系统性错误", "2024黑客马拉松因台风取消",
        "云南一把打不开旧锁的新钥匙",
    ],
)  # fmt: skip
def test_ordinary_news_in_the_words_of_outages(classifier: OutageClassifier, title: str) -> None:
    assert not classifier.classify(article(title)).is_outage


@pytest.mark.parametrize(
    "title",
    [
        "Optus outage leaves millions stranded", "Heathrow outage strands thousands of passengers",
        "Customers demand answers as telco outage enters second day",
        "Forum site goes down for emergency maintenance", "Concert ticket sales site goes down",
        "Verizon outage map: see where service is down", "韩国KT全国断网", "开源社区Gitee崩了",
        "招商银行周一系统升级后App无法登录", "Shops can't take card payments as terminals fail",
    ],
)  # fmt: skip
def test_outage_headlines_in_the_words_of_other_news(
    classifier: OutageClassifier, title: str
) -> None:
    assert classifier.classify(article(title)).is_outage


@pytest.mark.parametrize(
    ("title", "text", "repeat", "lasted_days"),
    [
        # An outage's fourth day is not another outage (it has lasted days); "再次就故障致歉"
        # is an apology.
        ("Port's booking system: fourth day of disruption", "", False, True),
        ("阿里云再次就故障致歉", "", False, False),
        ("Bank's app down again, second outage in a week", "", True, False),
        # A recovery whose text rules an attack out is no recovery from an intrusion.
        ("Chat app back online after brief outage",
         "There is no evidence of a hack, the company said.", False, False),
        ("Retailer restores systems after ransomware attack", "Its systems are back online.",
         False, True),
    ],
)  # fmt: skip
def test_another_outage_and_recovery_from_an_intrusion(
    classifier: OutageClassifier, title: str, text: str, repeat: bool, lasted_days: bool
) -> None:
    outage = classifier.classify(article(title, text))
    assert outage.is_outage
    assert (outage.repeat, outage.lasted_days) == (repeat, lasted_days)
