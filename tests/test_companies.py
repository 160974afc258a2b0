"""Companies beyond tech in the catalogue (banks, exchanges, telecom operators, post):
a Chinese and an English report of one of their outages name the same subject, and
naming one is no sign of outage news (``evidence = false`` in services.toml)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.outage.entities import SALIENT_LEAD_CHARS, EntityCatalog
from bot.outage.lexicon import Lexicon
from bot.store import Store
from tests.test_incident_rules import DAY, filed
from tests.test_incidents import article


@pytest.fixture(scope="module")
def catalog() -> EntityCatalog:
    return EntityCatalog.load()


@pytest.mark.parametrize(
    ("english", "chinese", "name"),
    [
        ("Royal Mail cannot send parcels abroad", "英国皇家邮政无法寄送国际包裹", "Royal Mail"),
        ("MoneyGram transfers fail", "速汇金汇款失败", "MoneyGram"),
        ("Vodafone network down", "沃达丰网络中断", "Vodafone"),
        ("Nasdaq halts trading", "纳斯达克暂停交易", "Nasdaq"),
        ("China Merchants Bank app fails", "招商银行App故障", "China Merchants Bank"),
        ("Tokyo Stock Exchange glitch", "东京证券交易所系统故障", "Tokyo Stock Exchange"),
        ("Jaguar Land Rover extends production halt", "捷豹路虎停产延长", "Jaguar Land Rover"),
        ("Emirates Airline check-in systems down", "阿联酋航空值机系统故障", "Emirates"),
        ("JPMorgan app down for customers", "摩根大通App无法登录", "Chase"),
        # Airlines and a games company, named alike in both languages (session 29).
        ("Nintendo online services down", "任天堂在线服务宕机", "Nintendo Switch Online"),
        ("JAL check-in systems fail", "日航值机系统故障", "Japan Airlines"),
        ("ANA flights delayed by system fault", "全日空系统故障", "ANA"),
    ],
)
def test_chinese_and_english_names_of_a_company_are_one(
    catalog: EntityCatalog, english: str, chinese: str, name: str
) -> None:
    assert catalog.extract(english, "").affected == (name,)
    assert catalog.extract(chinese, "").affected == (name,)


def test_naming_a_bank_is_no_sign_of_outage_news(catalog: EntityCatalog) -> None:
    assert not catalog.is_evidence(catalog.extract("Barclays results", "HSBC and 汇丰 too."))
    # A provider, or an online brand, still is.
    assert catalog.is_evidence(catalog.extract("Netflix results", ""))
    assert catalog.is_evidence(catalog.extract("Barclays moves to AWS", ""))


def test_a_chinese_report_of_a_company_named_only_in_chinese_joins_the_english_one(
    store: Store,
) -> None:
    classifier = OutageClassifier(EntityCatalog.load(), Lexicon.load())
    tracker = IncidentTracker(store)
    english = filed(
        tracker,
        classifier,
        article("1", "Royal Mail suspends international shipping after 'cyber incident'",
                "It could not despatch items to overseas destinations.", DAY),
    )  # fmt: skip
    chinese = filed(
        tracker,
        classifier,
        article("2", "英国皇家邮政遭网络攻击 国际邮件业务暂停", "皇家邮政暂时无法向海外寄送包裹。",
                DAY + timedelta(hours=20)),
    )  # fmt: skip
    assert chinese.id == english.id


@pytest.mark.parametrize(
    ("title", "providers"),
    [
        ("X services restored after a two-hour outage", ("x",)),
        ("X is down: timelines fail to load", ("x",)),
        ("X平台全球宕机", ("x",)),
        # A bare X, and the X of OS X, are not the social network.
        ("Outage hits X of 10 regions", ()),
        ("Mac OS X services crash after update", ()),
    ],
)
def test_the_social_network_x_is_named_only_where_outage_news_names_it(
    catalog: EntityCatalog, title: str, providers: tuple[str, ...]
) -> None:
    assert catalog.extract(title, "").providers == providers


# Filler that pushes what follows out of the lead (SALIENT_LEAD_CHARS) on its own.
_FILLER = (
    "Teachers said lessons planned for the week had to be moved, and parents were told to "
    "expect messages from their schools about deadlines and exams once the platform was back. "
    "Several districts said they were working through the backlog of assignments by hand. "
    "Universities postponed some of their end-of-term tests to the following week. "
)


def test_the_filler_is_longer_than_the_lead() -> None:
    assert len(_FILLER) > SALIENT_LEAD_CHARS


def test_a_provider_named_only_below_the_lead_is_background_not_the_subject(
    classifier: OutageClassifier,
) -> None:
    # Session 31 (pickermd-dev, Canvas): the gang's earlier victims, named further down,
    # made three reports of one outage three providers' (okta, salesforce, x).
    background = article(
        "1",
        "Coursedeck outage disrupts schools nationwide",
        "The learning platform Coursedeck went offline on Thursday after attackers defaced "
        f"its login page. {_FILLER}The same group was earlier blamed for attacks on Okta.",
        DAY,
    )
    assert classifier.classify(background).provider is None
    # With no provider, a brand named only further down is no casualty to file it by
    # either; one the lead names comes first.
    earlier = article(
        "5", "Coursedeck outage disrupts schools nationwide",
        f"Coursedeck went offline on Thursday. {_FILLER}The gang earlier hit Ticketmaster.", DAY,
    )  # fmt: skip
    assert classifier.classify(earlier).affected == ()
    lead_brand = article(
        "6", "Coursedeck outage disrupts schools nationwide",
        f"Coursedeck and its Spotify playlists went offline. {_FILLER}Ticketmaster too.", DAY,
    )  # fmt: skip
    assert classifier.classify(lead_brand).affected[:1] == ("Spotify",)
    # Named in the lead, it is the subject still; so in a status page's update.
    lead = article("2", "Coursedeck outage", "Coursedeck runs on AWS, which had a bad day.", DAY)
    assert classifier.classify(lead).provider == "aws"
    # A region the headline names says whose it is, whoever else the text names further down.
    region = article(
        "4", "us-east-1 outage knocks sites offline",
        f"{_FILLER}Cloudflare said its own service was fine.", DAY,
    )  # fmt: skip
    assert classifier.classify(region).provider == "aws"
    update = article(
        "3", "Degraded performance", f"Investigating. {_FILLER}Okta sign-in affected.", DAY,
        status="investigating", thread="https://status.okta.example/incidents/1",
    )  # fmt: skip
    assert classifier.classify(update).provider == "okta"


def test_reports_that_name_different_providers_in_passing_join_by_their_subject(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    first = filed(
        tracker,
        classifier,
        article("1", "Coursedeck outage disrupts schools nationwide",
                "The learning platform Coursedeck went offline after attackers defaced its "
                f"login page. {_FILLER}The same group earlier attacked Okta.", DAY),
    )  # fmt: skip
    second = filed(
        tracker,
        classifier,
        article("2", "Coursedeck back online after cyberattack took it down",
                "Schools can use Coursedeck again, its maker said on Friday evening. "
                f"{_FILLER}Salesforce customers were targeted by the same group last year.",
                DAY + timedelta(hours=20)),
    )  # fmt: skip
    assert second.id == first.id


def test_providers_named_in_the_background_are_no_other_providers_to_file_it_by(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    salesforce = filed(
        tracker,
        classifier,
        article("1", "Salesforce outage hits customers worldwide", "Logins fail.", DAY),
    )
    coursedeck = filed(
        tracker,
        classifier,
        article("2", "Coursedeck outage disrupts schools nationwide",
                f"Coursedeck went offline. {_FILLER}The same group earlier attacked Okta and "
                "Salesforce.", DAY + timedelta(hours=3)),
    )  # fmt: skip
    assert coursedeck.id != salesforce.id
