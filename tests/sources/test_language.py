"""detect_language and is_cjk: Chinese versus English by script share."""

from __future__ import annotations

import pytest

from bot.sources.language import CJK_SHARE_FOR_CHINESE, detect_language, is_cjk


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amazon Web Services reported elevated error rates.", "en"),
        ("亚马逊云服务出现大范围故障，多家网站无法访问。", "zh"),
        ("服務已經恢復正常", "zh"),  # traditional characters count as Han too
        ("AWS 美国东部1区 故障，Netflix 和 Slack 受影响", "zh"),
        ("The word 故障 means outage in Chinese.", "en"),
    ],
)
def test_detects_language_from_script(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_threshold_is_a_share_of_han_among_letters() -> None:
    # 3 Han characters and 7 Latin letters: exactly 30 %.
    at_threshold = "故障了 abcdefg"
    just_below = "故障了 abcdefgh"
    assert pytest.approx(0.3) == CJK_SHARE_FOR_CHINESE
    assert detect_language(at_threshold) == "zh"
    assert detect_language(just_below) == "en"


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
