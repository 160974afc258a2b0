"""Traditional Chinese, as Taiwan's and Hong Kong's outlets write it ("伺服器當機"), is read
in Simplified script with mainland words, so that one lexicon and one catalogue judge
both (session 26; our text, unit cases)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.names import report_names
from bot.incidents.tracker import IncidentTracker
from bot.languages import in_simplified
from bot.outage.classify import OutageClassifier
from bot.store import Store
from tests.test_incidents import article, file
from tests.test_outage import article as headline

MONDAY = datetime(2029, 5, 28, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("報稅系統又當機", "报税系统又当机"),
        # Taiwan's words become the mainland's: the lexicon's "服务器", "网络", "登录".
        ("伺服器當機 網路斷線 無法登入", "服务器当机 网络断线 无法登录"),
        # Simplified, English and mixed-in Latin text are left as they are.
        ("阿里云华东1地域故障", "阿里云华东1地域故障"),
        ("AWS us-east-1 outage", "AWS us-east-1 outage"),
        ("", ""),
    ],
)
def test_traditional_chinese_is_read_in_simplified_script(written: str, read: str) -> None:
    assert in_simplified(written) == read


def test_a_lone_surrogate_in_traditional_text_is_no_crash(classifier: OutageClassifier) -> None:
    # OpenCC takes UTF-8, which cannot hold a lone surrogate; a hostile document can.
    assert in_simplified("報稅系統又當機\ud800") == "报税系统又当机?"
    assert classifier.classify(headline("報稅系統又當機\ud800", "伺服器當機\udfff")).is_outage


def test_a_flood_of_traditional_paragraphs_is_read_in_bounded_time(
    classifier: OutageClassifier,
) -> None:
    # Hostile: 200,000 Traditional paragraphs (2.4 MB), each converted on its own. The
    # report is read as one, and the next report as it would be alone.
    flood = headline("報稅系統又當機", "伺服器當機").model_copy(
        update={"paragraphs": ("伺服器當機，網路斷線",) * 200_000}
    )
    started = time.perf_counter()
    assert classifier.classify(flood).is_outage
    assert time.perf_counter() - started < 30
    quiet = headline("資安公司發布報告：勒索軟體攻擊年增三成", "報告指出，醫療業最常遭到攻擊。")
    assert not classifier.classify(quiet).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("報稅系統又當機？民眾狂抱怨「一直轉圈圈」", "財政部表示，系統已於中午恢復正常。"),
        ("網銀大當機！多家銀行App無法登入", "用戶反映轉帳失敗，銀行稱正在搶修。"),
        ("港鐵八達通系統故障 乘客無法入閘", "系統於早上九時恢復。"),
        ("亞馬遜雲端服務大規模中斷 多個網站癱瘓", "AWS表示正在調查美東地區的問題。"),
    ],
)
def test_traditional_chinese_outage_news_is_outage_news(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert classifier.classify(headline(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # The headline says nothing failed; its text says what did.
        (
            "阿里雲香港服務今晨出事",
            "阿里雲香港可用區C今日發生嚴重異常，大量網站無法訪問，服務中斷數小時。",
        ),
        (
            "某銀行：今早系統問題已修復",
            "今早多名用戶反映網上銀行無法登錄、轉賬失敗，系統中斷約兩小時。",
        ),
        # In its second paragraph (each paragraph is converted).
        (
            "港鐵：八達通服務今早受影響",
            "第一段沒有消息。</p><p>乘客無法入閘，系統中斷約一小時，現已恢復。",
        ),
    ],
)
def test_a_traditional_report_is_read_as_its_simplified_text_is(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    # Its text too, every paragraph, not only its headline.
    report = headline(title, text)
    assert len(report.paragraphs) == text.count("</p><p>") + 1
    traditional = classifier.classify(report)
    simplified = classifier.classify(headline(in_simplified(title), in_simplified(text)))
    assert traditional.is_outage and simplified.is_outage
    assert traditional.confidence == simplified.confidence


def test_the_catalogue_knows_a_traditional_name(classifier: OutageClassifier) -> None:
    outage = classifier.classify(
        headline("亞馬遜雲端服務大規模中斷 多個網站癱瘓", "AWS表示正在調查問題。")
    )
    assert outage.provider == "aws"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("台北大停電 數十萬戶無電可用", "台電表示，變電所跳脫導致停電，正在搶修。"),
        ("資安公司發布報告：勒索軟體攻擊年增三成", "報告指出，醫療業最常遭到攻擊。"),
    ],
)
def test_traditional_chinese_other_news_is_not(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert not classifier.classify(headline(title, text)).is_outage


def test_a_traditional_and_a_simplified_report_name_the_same_body() -> None:
    assert set(report_names("江城銀行網銀當機", "")) == set(report_names("江城银行网银当机", ""))


def test_a_traditional_and_a_simplified_report_of_one_outage_are_one_incident(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    traditional = file(
        tracker,
        classifier,
        article("hant", "江城銀行網銀系統當機 客戶無法轉帳", "江城銀行表示正在搶修。", MONDAY),
    )
    simplified = file(
        tracker,
        classifier,
        article("hans", "江城银行网银系统故障 客户无法转账", "江城银行称正在抢修。",
                MONDAY + timedelta(hours=3)),
    )  # fmt: skip
    assert traditional == simplified
