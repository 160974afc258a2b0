"""detect_language and is_cjk: Chinese (Simplified/Traditional), English and others."""

from __future__ import annotations

import re

import pytest

from bot.sources.feeds import parse_feed
from bot.sources.language import CJK_SHARE_FOR_CHINESE, detect_language, is_cjk, normalise_tag
from tests.conftest import SAMPLES, corpus_dir


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amazon Web Services reported elevated error rates.", "en"),
        ("亚马逊云服务出现大范围故障，多家网站无法访问。", "zh"),
        ("服務已經恢復正常", "zh-Hant"),  # Han like any Chinese, and Traditional
        ("AWS 美国东部1区 故障，Netflix 和 Slack 受影响", "zh"),
        ("The word 故障 means outage in Chinese.", "en"),
    ],
)
def test_detects_language_from_script(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_threshold_is_a_share_of_han_among_letters() -> None:
    # 3 Han characters and 7 Latin letters: exactly 30 %.
    at_threshold = "故障了 abcdefg"
    # Under it, letters enough to classify decide.
    below = "故障了 while the whole service was down"
    assert pytest.approx(0.3) == CJK_SHARE_FOR_CHINESE
    assert detect_language(at_threshold) == "zh"
    assert detect_language(below) == "en"


@pytest.mark.parametrize(
    "text",
    ["DeepSeek崩了", "iCloud崩了", "Cloudflare 故障", "OpenAI ChatGPT崩了", "故障了 abcdefgh"],
)
def test_a_short_text_under_the_threshold_with_han_in_it_is_chinese(text: str) -> None:
    # Too short to classify: a Chinese headline naming a brand. Not an English one.
    assert detect_language(text) == "zh"
    assert detect_language(re.sub(r"[\u4e00-\u9fff]+", " down", text)) == "en"
    # A declared Japanese or Korean page writes Han without kana too: not called Chinese.
    assert detect_language(text, hint="ja") != "zh"


def test_a_longer_text_the_classifier_is_unsure_of_keeps_its_letters_verdict() -> None:
    # Long enough to classify, under a third Han: English naming a company in Han.
    assert detect_language("Heroku dyno restarts and 阿里云 at Acme Corp") == "en"


def test_digits_and_punctuation_do_not_count() -> None:
    assert detect_language("故障 2026-11-20 12:00:00 !!! 503 503 503 503") == "zh"


@pytest.mark.parametrize("text", ["", "   ", "2026-11-20 12:00", "!!! ??? 。。。"])
def test_without_letters_the_hint_decides(text: str) -> None:
    assert detect_language(text) == "en"
    assert detect_language(text, hint="zh") == "zh"


def test_hint_does_not_override_clear_text() -> None:
    assert detect_language("A plainly English sentence.", hint="zh") == "en"
    assert detect_language("一段明确的中文句子", hint="en") == "zh"


@pytest.mark.parametrize(
    ("char", "expected"),
    [("中", True), ("㐀", True), ("豈", True), ("a", False), ("1", False), ("。", False),
     ("あ", False), ("한", False)],
)  # fmt: skip
def test_is_cjk(char: str, expected: bool) -> None:
    assert is_cjk(char) is expected


# --- real and sample articles ---------------------------------------------------------


def _expected_from_name(name: str) -> str:
    match = re.search(r"(?:^|_)(zh|en)_", name)
    assert match, name
    return match.group(1)


@pytest.mark.corpus
def test_every_corpus_article_is_detected() -> None:
    folder = corpus_dir("articles")
    paths = sorted(p for p in folder.iterdir() if re.search(r"(?:^|_)(zh|en)_", p.name))
    assert len(paths) >= 30
    wrong = {
        p.name: got
        for p in paths
        if (got := detect_language(p.read_text(encoding="utf-8"))) != _expected_from_name(p.name)
    }
    assert wrong == {}


@pytest.mark.corpus
def test_corpus_titles_alone() -> None:
    # Title-only items are what a feed without bodies gives us.
    for path in sorted(corpus_dir("articles").glob("article_*.md")):
        title = re.search(r"^(?:title: |# )(.+)$", path.read_text(encoding="utf-8"), re.M)
        assert title, path.name
        assert detect_language(title.group(1)) == _expected_from_name(path.name), title.group(1)


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("2026-11-20-aws-us-east-1-zh.md", "zh"),
        ("2026-11-20-aws-us-east-1-en.md", "en"),
        ("2026-11-21-cloud-earnings-en.md", "en"),
        ("2026-11-22-aliyun-hangzhou-zh.md", "zh"),
    ],
)
def test_sample_articles(name: str, language: str) -> None:
    assert detect_language((SAMPLES / "articles" / name).read_text(encoding="utf-8")) == language


def test_sample_feed_items_ignore_the_channel_hint() -> None:
    parsed = parse_feed((SAMPLES / "feeds" / "status-news.xml").read_bytes(), "status")
    found = [detect_language(f"{e.title}\n{e.html}", hint=e.language) for e in parsed.entries]
    assert found == ["en", "en", "zh"]


# --- Chinese with English in it ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "AWS、Netflix、Disney+、Slack 和 Coinbase 均受影响",
        "CrowdStrike Falcon 更新导致 Windows 主机蓝屏死机",
        # Under a third Han: the script share alone would call these English.
        "Slack Zoom Teams Webex Meet 全部宕机了",
        "GitHub GitLab Bitbucket 代码托管服务中断",
        "Coinbase Binance Kraken 交易暂停",
        "AWS us-east-1 故障：Netflix、Disney+、Slack、Coinbase、Amazon Prime Video、Ring、Roku、"
        "Venmo 全部无法访问，DynamoDB 与 EC2 API 大量报错",
        "多名用户反映，迪士尼+（Disney+）和奈飞（Netflix）的视频播放出现卡顿或直接报错，"
        "办公协作工具Slack的消息发送延迟严重，加密货币交易平台Coinbase也一度暂停部分功能。",
        "详情见 https://health.aws.amazon.com/health/status?eventID=arn:aws:health:us-east-1 "
        "和 https://status.example.com/incidents/dns-resolution-failures-in-us-east-1",
    ],
)
def test_chinese_naming_english_brands_is_chinese(text: str) -> None:
    assert detect_language(text) == "zh"


# --- Traditional Chinese ---------------------------------------------------------------

HANT = (
    "香港時間11月21日凌晨，亞馬遜雲端服務位於維珍尼亞州北部的美國東部1區出現大範圍故障，"
    "大量依賴該區域的網站和應用程式在數小時內無法正常載入。"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HANT, "zh-Hant"),
        ("有本港用戶表示：「成晚睇唔到嘢，個App一直轉圈，仲以為部機壞咗。」", "zh-Hant"),
        ("網上銀行App今朝登入唔到", "zh-Hant"),
        ("亚马逊云服务出现大范围故障，多家网站无法访问。", "zh"),
        # Simplified and Traditional characters in one text: not consistently Traditional.
        ("亚马逊云服务出现故障。亞馬遜雲端服務出現故障。", "zh"),
    ],
)
def test_traditional_and_simplified(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_characters_shared_by_both_scripts_follow_a_traditional_hint() -> None:
    shared = "大部分故障"  # every character is written the same in both scripts
    assert detect_language(shared) == "zh"
    assert detect_language(shared, hint="zh-TW") == "zh-Hant"
    assert detect_language(shared, hint="zh-HK") == "zh-Hant"
    assert detect_language(HANT, hint="zh-CN") == "zh-Hant"  # the text itself decides


# --- other languages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("東京都内で大規模な通信障害が発生し、多くの利用者が接続できない状態が続いた。", "ja"),
        ("아마존 웹 서비스 장애로 넷플릭스와 슬랙 접속이 수 시간 동안 불가능했다.", "ko"),
        ("Störung bei der Telekom: Tausende Kunden waren stundenlang ohne Internet.", "de"),
        ("Panne générale chez OVHcloud : des milliers de sites sont restés inaccessibles.", "fr"),
        ("Caída masiva de AWS afecta a Netflix, Slack y cientos de servicios en línea.", "es"),
        ("Storing bij KPN: duizenden klanten zaten urenlang zonder internet en tv.", "nl"),
        ("Сбой в работе облачных сервисов затронул тысячи пользователей по всей стране.", "ru"),
        ("Sự cố AWS khiến nhiều dịch vụ trực tuyến bị gián đoạn trong nhiều giờ liền.", "vi"),
        ("Сбой Яндекса", "ru"),  # short, but Cyrillic narrows it down
    ],
)
def test_other_languages(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_japanese_is_not_taken_for_chinese_despite_its_kanji() -> None:
    assert detect_language("東京電力管内で停電、復旧作業を急ぐ") == "ja"


# --- short text and hints --------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Queue service degraded",  # the n-gram model alone: French
        "Heroku dyno restarts",  # confidently Polish
        "Cloudflare Tunnel degraded",  # Dutch, weakly
        "Docker Hub pull errors",  # German, weakly
        "The word ソフトバンク names the carrier whose network failed on Friday.",
    ],
)
def test_short_english_titles_are_not_guessed_foreign(title: str) -> None:
    assert detect_language(title) == "en"


def test_short_alphabetic_text_takes_a_hint() -> None:
    assert detect_language("Panne chez OVHcloud", hint="fr") == "fr"
    assert detect_language("Störung bei Vodafone", hint="de-DE") == "de"


def test_hint_is_normalised_for_letterless_text() -> None:
    assert detect_language("2026-11-20 12:00", hint="en-US") == "en"
    assert detect_language("2026-11-20 12:00", hint="zh_CN") == "zh"
    assert detect_language("2026-11-20 12:00", hint="zh-Hant-TW") == "zh-Hant"


def test_long_text_outweighs_a_wrong_hint() -> None:
    text = (SAMPLES / "articles" / "2026-11-20-aws-us-east-1-en.md").read_text(encoding="utf-8")
    assert detect_language(text, hint="de") == "en"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("en", "en"), ("en-US", "en"), ("EN_gb", "en"), ("zh", "zh"), ("zh-CN", "zh"),
     ("zh-Hans", "zh"), ("zh-TW", "zh-Hant"), ("zh-hk", "zh-Hant"), ("zh-Hant", "zh-Hant"),
     ("zh-Hant-MO", "zh-Hant"), ("ja-JP", "ja")],
)  # fmt: skip
def test_normalise_tag(tag: str, expected: str) -> None:
    assert normalise_tag(tag) == expected


@pytest.mark.parametrize("char", ["𠮷", "䶮", "嘢"])
def test_is_cjk_covers_rare_and_hong_kong_characters(char: str) -> None:
    assert is_cjk(char)
