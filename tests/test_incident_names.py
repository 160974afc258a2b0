"""Names of what is down, for outages of organisations the catalogue does not know:
how reports of one such outage find each other (bot/incidents/names.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.incidents.names import han_names, report_names, same_name, title_names
from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.store import Store
from tests.test_incident_rules import DAY, filed
from tests.test_incidents import article


def test_a_name_may_start_with_digits() -> None:
    names = title_names("Imageboard 4chan goes offline after apparent hack")
    assert names == {"imageboard", "4chan"}
    assert "4chan" in report_names("知名论坛4chan遭黑客入侵后下线", "")
    # A number with a unit is no name.
    assert title_names("Outage lasts 8h for 10 000 users, 5G and 10mins") == set()


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("江城地铁扫码过闸故障 早高峰乘客排长队", {"江城地铁"}),
        ("招商银行App无法登录", {"招商银行"}),
        ("英国皇家邮政遭网络攻击", {"英国皇家邮政"}),
        # Vague ones name no one in particular.
        ("某银行App无法登录", set()),
        ("多家银行系统故障", set()),
        ("全国多地网络中断", set()),
        # A telecom kind used as an adjective ("a mobile operator") is no name ...
        ("日本最大移动运营商称网络攻击中断了部分服务", set()),
        ("电信诈骗团伙被捕", set()),
        # ... while the operator's own name is.
        ("广东电信网络故障", {"广东电信"}),
    ],
)
def test_chinese_organisation_names_end_in_a_kind_of_body(title: str, names: set[str]) -> None:
    assert han_names(title) == names


def test_chinese_names_are_one_when_one_ends_with_the_other() -> None:
    assert same_name("英国皇家邮政", "皇家邮政")
    assert same_name("dish", "dish")
    assert not same_name("江城地铁", "北京地铁")
    assert not same_name("dish", "dishes")


def test_two_chinese_reports_of_an_unknown_organisation_join_by_its_name(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    first = filed(
        tracker,
        classifier,
        article("1", "江城地铁扫码过闸故障 早高峰乘客排长队", "多个站点扫码过闸系统故障。", DAY),
    )
    second = filed(
        tracker,
        classifier,
        article("2", "致江城地铁：扫码系统已恢复", "扫码系统已恢复，系后台服务器故障。",
                DAY + timedelta(hours=4)),
    )  # fmt: skip
    other = filed(
        tracker,
        classifier,
        article("3", "北京地铁扫码系统故障", "北京地铁部分线路无法扫码进站。",
                DAY + timedelta(hours=5)),
    )  # fmt: skip
    assert second.id == first.id
    assert other.id != first.id


def test_chinese_and_english_reports_of_a_digit_named_site_join(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    english = filed(
        tracker,
        classifier,
        article("1", "4chan goes offline after apparent hack",
                "The imageboard was unreachable for most users.", DAY),
    )  # fmt: skip
    chinese = filed(
        tracker,
        classifier,
        article("2", "知名论坛4chan遭黑客入侵后下线", "该论坛周一晚间无法访问。",
                DAY + timedelta(hours=20)),
    )  # fmt: skip
    assert chinese.id == english.id


def test_chinese_and_english_reports_of_a_slash_named_company_join(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    english = filed(
        tracker,
        classifier,
        article("1", "Chip maker Widget I/O took operational systems offline after ransomware "
                "attack", "", DAY),
    )  # fmt: skip
    chinese = filed(
        tracker,
        classifier,
        article("2", "芯片制造商 Widget I/O 遭勒索攻击，致运营系统瘫痪", "",
                DAY + timedelta(hours=6)),
    )  # fmt: skip
    assert chinese.id == english.id
    # A part of a slashed name is the name ("Twitter/X", "Twitter"); a letter is not.
    assert same_name("twitter/x", "twitter")
    assert not same_name("i/o", "o")


def test_a_title_case_headline_names_what_its_opening_writes_capitalised() -> None:
    title = "Harbour Mutual Confirms Ransomware Attack Behind Days-Long Outage"
    text = "New Zealand lender Harbour Mutual said on Monday that its Bank app was down."
    # "Bank" is a kind of body, not a name; "Days-Long" is a Title Case compound.
    assert report_names(title, text) == ("harbour", "mutual")
    assert report_names(title, "") == ()


def test_chinese_and_english_title_case_reports_of_an_unknown_company_join(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    english = filed(
        tracker,
        classifier,
        article("1", "Harbour Mutual Confirms Ransomware Attack Behind Days-Long Outage",
                "New Zealand lender Harbour Mutual said its app and card payments were down.",
                DAY),
    )  # fmt: skip
    chinese = filed(
        tracker,
        classifier,
        article("2", "新西兰一家银行遭勒索软件攻击 系统中断数日",
                "新西兰银行Harbour Mutual证实遭勒索软件攻击，手机应用无法使用。",
                DAY + timedelta(hours=30)),
    )  # fmt: skip
    assert chinese.id == english.id


def test_outlets_attackers_and_kinds_of_body_are_no_names() -> None:
    # A site suffix names the outlet, which all its headlines share.
    assert title_names("Payroll portal of Harbour Mutual down for hours | ZDNet") == {
        "payroll",
        "harbour",
        "mutual",
    }
    assert "register" not in title_names("Ferry booking site offline | The Register")
    # A digest's "outlet | story" keeps its story (Chinese stories carry no Latin words).
    assert report_names("FreeBuf早报 | Cellcom网络中断", "") == ("cellcom", "freebuf")
    # Who attacked is not who is down.
    assert title_names("Crunchco hit by Conti ransomware, deliveries disrupted") == {"crunchco"}
    # Kinds of body are shared by many: "Department", "Health" name no one.
    assert title_names("Ransomware attack shut down Ruritania Department of Health") == {
        "ruritania"
    }


def test_victims_of_one_gang_reported_by_one_outlet_are_two_incidents(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    snacks = filed(
        tracker,
        classifier,
        article("1", "Crunchco hit by Conti ransomware, deliveries disrupted | ZDNet",
                "Orders cannot be placed.", DAY),
    )  # fmt: skip
    photos = filed(
        tracker,
        classifier,
        article("2", "Photobox services disrupted by Conti ransomware attack | ZDNet",
                "Customers cannot order prints.", DAY + timedelta(hours=6)),
    )  # fmt: skip
    health = filed(
        tracker,
        classifier,
        article("3", "Ruritania officials confirm ransomware attack shut down Department of Health",
                "Residents cannot book appointments.", DAY + timedelta(hours=8)),
    )  # fmt: skip
    ministry = filed(
        tracker,
        classifier,
        article("4", "Freedonian Ministry of Health recovers systems after cyberattack",
                "The ministry's portal is back.", DAY + timedelta(hours=9)),
    )  # fmt: skip
    assert len({snacks.id, photos.id, health.id, ministry.id}) == 4
    # A second report of one of them still joins it.
    again = filed(
        tracker,
        classifier,
        article("5", "Crunchco says ransomware attack still disrupting deliveries",
                "Supermarket shelves are empty.", DAY + timedelta(hours=20)),
    )  # fmt: skip
    assert again.id == snacks.id


@pytest.mark.parametrize(
    ("title", "text", "names"),
    [
        # A headline that names its company only by what it is: the opening names it.
        ("Canadian oil giant confirms 'cybersecurity incident'",
         "Suncor Energy, the Calgary-based owner of Petro-Canada, said on Friday…",
         ("canadian", "petro-canada", "suncor")),
        ("School district cancels classes after cyberattack knocks out systems",
         "Pine Hollow Independent School District in Texas cancelled classes on Tuesday.",
         ("hollow", "pine")),
        ("Council website and phone lines down after 'cyber incident'",
         "Residents of Westmere said the borough council's website had been down since Monday.",
         ("westmere",)),
        # A headline that names only a place (a state, "…-based"); a wire dateline.
        ("Cyberattack disrupts care at Iowa-based hospital system",
         "DES MOINES, Iowa (AP) — A cyberattack knocked out records at Prairie Lakes Health.",
         ("iowa-based", "lakes", "prairie")),
        ("Pennsylvania county says DDoS attack knocked election results site offline",
         "HARRISBURG, Pa. (AP) — Officials in Westbrook County said the site failed.",
         ("pennsylvania", "westbrook")),
        # A headline that names it: its opening adds nothing (sources, places, experts).
        ("Westmere council website down",
         "Residents told the BBC the Westmere Borough Council website failed on Monday.",
         ("westmere",)),
    ],
)  # fmt: skip
def test_an_english_report_that_names_no_one_is_named_by_its_opening(
    title: str, text: str, names: tuple[str, ...]
) -> None:
    assert report_names(title, text) == names


def test_a_description_and_a_name_in_the_opening_join_the_named_reports(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    named = filed(
        tracker,
        classifier,
        article(
            "1",
            "Petro-Canada customers unable to pay by card at gas stations",
            "Petro-Canada said card payments and its app were down across Canada.",
            DAY,
        ),
    )
    described = filed(tracker, classifier, article(
        "2", "Canadian oil giant confirms 'cybersecurity incident' after payment outage",
        "Suncor Energy, which owns Petro-Canada, said systems were disrupted.",
        DAY + timedelta(hours=20)))  # fmt: skip
    assert described.id == named.id
