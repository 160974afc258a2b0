"""Headlines that are other news however many outage words they hold ([never_outage] in
bot/data/lexicon.toml), and takedowns of criminals' and platforms' things: each beside a
look-alike that is an outage. Written by us; the classes are the labelled corpus's hard
negatives (harmless attacks, government shutdowns) and an outage looked back on."""

from __future__ import annotations

import pytest

from bot.outage.classify import OutageClassifier
from tests.test_outage import article


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A claim of an attack that the target denies, with the attack's words, the
        # headline's outage word and an opening that repeats the claim.
        ("Hacktivists claim to have taken ministry website down; government says it "
         "stayed online",
         "The group posted screenshots of error pages and said the site was offline for hours."),
        ("Gang claims DDoS knocked airline's booking site offline, airline denies the claims",
         "The airline said its systems were not disrupted."),
        ("黑客组织声称瘫痪某政府网站 官方：网站运行正常",
         "某黑客组织宣称已使网站瘫痪，当地网信部门称网站始终正常运行。"),
        ("黑客声称攻击致某银行系统宕机 银行否认", "银行表示系统未出现中断。"),
        ("Hacktivists say they knocked port authority site offline; authority says services "
         "unaffected", "The group posted a screenshot of an error page."),
        ("App崩了？官方：系统正常运行", "有网友称遭黑客攻击导致瘫痪，官方回应称系统运行正常。"),
        # A government cutting the internet for an exam or protests, whatever it calls the cut.
        ("Authorities cut mobile internet in three provinces ahead of protest",
         "Operators were told to suspend data services until further notice."),
        ("Exam season shutdown leaves students offline", "Connectivity is cut each morning."),
        ("伊拉克高考期间再度全国断网 每天中断数小时",
         "当局称每日断网是为了防止考题泄露，考试时段移动网络和宽带全部中断。"),
        ("某国政府在抗议期间实施断网", "移动网络和固定宽带服务中断，网站无法访问。"),
        # An outage looked back on years later.
        ("携程宕机四年后：互联网公司运维体系发生了哪些变化",
         "2015年5月，携程网站和App长时间无法访问。四年过去，变更管理已普及。"),
        ("New book revisits the 1990 crash that silenced a phone network",
         "A single line of code brought down the long-distance network for nine hours."),
        # A closing announced ahead, in an outage's words.
        ("Game streaming service will shut down in January", "Its servers go offline then."),
        # Police and platforms taking down criminals' sites and fake accounts.
        ("Europol takes down 27 DDoS-for-hire websites", "The booter sites are offline."),
        ("FBI takes down BreachForums hacking site", "The forum is unreachable."),
        ("Social network takes down accounts of seven cyber-mercenary firms",
         "The accounts were used to target journalists."),
        ("Software giant takes down 330 domains used by phishing gang", ""),
        ("Weekly snapshot: ransomware gang gets knocked down, as agency stresses water safety",
         ""),
        ("Qakbot botnet was taken offline by the FBI", "Its servers are unreachable."),
        # A service closing, with a deadline to leave it.
        ("Payments app shutting down in US, users have till June to move funds", ""),
        # What a blackout puts out beside the power.
        ("Substation fire blacks out city centre; traffic lights go dark",
         "Crews restored power by evening."),
        # Other news in an outage's words: a lawsuit decided over an old outage, a player
        # crashing out, servers switched off ahead, a threat group's profile.
        ("电商平台宕机案一审宣判 原告诉求被驳回", "法院认为平台已尽到保障义务。"),
        ("Favourite crashes out in first round", "The top seed lost in straight sets."),
        ("Studio to take shooter's servers offline next year, ending online play",
         "Single-player mode will still work."),
        ("Espionage group uses attacks for disruption and data theft",
         "Researchers describe the group's tools."),
        # Advice about the next outage, in Chinese as in English.
        ("如何防范下一次云服务宕机", "本文介绍多活架构与容灾演练。"),
    ],
)  # fmt: skip
def test_headlines_of_other_news_in_outage_words(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    outage = classifier.classify(article(title, text))
    assert not outage.is_outage and not outage.aftermath


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A claim beside an outage that happened, and a denial of something else.
        ("Email service down for millions as hackers claim DDoS",
         "Users could not reach their inboxes on Monday."),
        ("Hackers claim email outage; company denies data was stolen",
         "The service was down for hours on Monday, the company confirmed."),
        # A new outage years after the last one.
        ("某论坛宕机两年后再次崩了", "该论坛今晚再次无法访问，网友纷纷吐槽。"),
        # An operator's outage, not a government's cut; an attack that took sites down.
        ("某市政务网站宕机 市民无法办事", "今天上午，某市政务服务网无法访问。"),
        ("Hospital systems knocked offline by ransomware gang", ""),
        ("Threat actor knocks city services offline with ransomware", ""),
        # Two clauses, one an outage: the other's other news does not undo it.
        ("Bank app down for hours; customers unable to pay", "Payments failed nationwide."),
        ("Security update crashes Windows PCs worldwide; vendor shares plunge 11%", ""),
        ("Hospital systems down after ransomware attack; hackers leak patient data", ""),
        ("Ticket site crashes during presale; data breach lawsuit filed", ""),
        ("App崩了？官方回应：已恢复正常", "大量用户反映无法登录。"),
        ("Payments app down for hours; users unable to move funds", ""),
        ("Cloud outage takes down streaming sites and chat apps",
         "Streaming and chat services were unreachable for hours."),
        # A digest whose first story is an outage: its other stories do not overrule it.
        ("早报 | 某云全球宕机；黑客声称攻击某政府网站 官方否认；某国选举期间断网", ""),
    ],
)  # fmt: skip
def test_outages_beside_those_kinds_of_news(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert classifier.classify(article(title, text)).is_outage


def test_a_status_page_update_is_never_overruled(classifier: OutageClassifier) -> None:
    update = article(
        "Users claim the API was down; we have found no errors and it stayed up",
        "We are investigating reports of errors.",
        status="investigating",
    )
    assert classifier.classify(update).is_outage
