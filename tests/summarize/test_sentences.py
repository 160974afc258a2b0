"""split_sentences on Chinese, English and mixed text."""

from __future__ import annotations

import pytest

from bot.summarize.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "云服务出现故障。部分服务已恢复！原因是什么？仍在调查；明天公布报告。",
            [
                "云服务出现故障。",
                "部分服务已恢复！",
                "原因是什么？",
                "仍在调查；",
                "明天公布报告。",
            ],
            id="zh-terminators",
        ),
        pytest.param(
            "官方表示：“服务已经恢复。”随后发布了公告。",
            ["官方表示：“服务已经恢复。”", "随后发布了公告。"],
            id="zh-closing-double-quote",
        ),
        pytest.param(
            "公告称「系统正在维护。」请耐心等待。",
            ["公告称「系统正在维护。」", "请耐心等待。"],
            id="zh-corner-bracket",
        ),
        pytest.param(
            "真的吗？！没人知道……后续再说。",
            ["真的吗？！", "没人知道……", "后续再说。"],
            id="zh-repeated-marks-and-ellipsis",
        ),
        pytest.param(
            "服务中断了?目前已恢复!",
            ["服务中断了?", "目前已恢复!"],
            id="zh-ascii-marks-after-han",
        ),
        pytest.param("没有句号的一段话", ["没有句号的一段话"], id="zh-no-terminator"),
    ],
)
def test_chinese(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "It went down at nine. Was it DNS? Yes! Engineers rolled back.",
            ["It went down at nine.", "Was it DNS?", "Yes!", "Engineers rolled back."],
            id="basic",
        ),
        pytest.param(
            "The U.S. East region failed. Europe was fine.",
            ["The U.S. East region failed.", "Europe was fine."],
            id="u.s.",
        ),
        pytest.param(
            "Example Networks Inc. said traffic recovered. Analysts agreed.",
            ["Example Networks Inc. said traffic recovered.", "Analysts agreed."],
            id="inc.",
        ),
        pytest.param(
            "Dr. Rivera explained the fault. Mr. Okafor disagreed.",
            ["Dr. Rivera explained the fault.", "Mr. Okafor disagreed."],
            id="dr-mr",
        ),
        pytest.param(
            "Engineer Jane Q. Public wrote the fix. It shipped at noon.",
            ["Engineer Jane Q. Public wrote the fix.", "It shipped at noon."],
            id="initial",
        ),
        pytest.param(
            "Error rates rose 3.5 percent. Latency fell by 0.25 seconds. Version 2.0 is next.",
            [
                "Error rates rose 3.5 percent.",
                "Latency fell by 0.25 seconds.",
                "Version 2.0 is next.",
            ],
            id="decimals",
        ),
        pytest.param(
            'The status page said "all clear." Then it broke again.',
            ['The status page said "all clear."', "Then it broke again."],
            id="closing-quote",
        ),
        pytest.param(
            "Sales grew, e.g. in cloud. The end.",
            ["Sales grew, e.g. in cloud.", "The end."],
            id="e.g.",
        ),
        pytest.param(
            "The fix shipped on Nov. 20 in Virginia.",
            ["The fix shipped on Nov. 20 in Virginia."],
            id="month-abbreviation",
        ),
        pytest.param(
            "the fix was deployed. then traffic returned.",
            ["the fix was deployed. then traffic returned."],
            id="no-capital-no-split",
        ),
    ],
)
def test_english(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_mixed_chinese_and_english() -> None:
    text = (
        "AWS 发生故障。The outage hit us-east-1. 服务已恢复。"
        "AWS said it was fixed. 但仍有用户受影响。"
    )
    assert split_sentences(text) == [
        "AWS 发生故障。",
        "The outage hit us-east-1.",
        "服务已恢复。",
        "AWS said it was fixed.",
        "但仍有用户受影响。",
    ]


def test_line_breaks_always_end_a_sentence() -> None:
    text = "Heading without a stop\nFirst sentence here\n\n第二段没有句号\n"
    assert split_sentences(text) == [
        "Heading without a stop",
        "First sentence here",
        "第二段没有句号",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_sentences_are_stripped() -> None:
    assert split_sentences("  One here.   Two here.  ") == ["One here.", "Two here."]


def test_question_mark_inside_a_url_does_not_split() -> None:
    text = "See https://status.example.com/incidents?id=42 for updates."
    assert split_sentences(text) == [text]


def test_question_mark_inside_an_english_sentence_does_not_split() -> None:
    text = "The outage (was it DNS?) lasted three hours."
    assert split_sentences(text) == [text]
