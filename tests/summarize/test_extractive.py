"""ExtractiveSummarizer: lead sentences within a per-language budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.languages import LANGUAGES
from bot.schema import Article
from bot.summarize.extractive import (
    MAX_SENTENCES,
    ExtractiveSummarizer,
)
from bot.summarize.factory import build_summarizer
from bot.summarize.sentences import split_sentences
from tests.summarize.articles import make_article

EN_LEAD = "Amazon Web Services reported elevated error rates in one region today."
EN_SECOND = "Engineers rolled back a configuration change and recovery began soon after."
EN_THIRD = "Customers were advised to retry failed requests after a short wait."
EN_FOURTH = "A full report on the root cause is expected to follow later this week."

ZH_LEAD = "亚马逊云美国东部1区出现大范围故障，大量网站无法访问。"
ZH_SECOND = "工程师随后开始分流请求并逐步重启受影响的组件。"
ZH_THIRD = "截至发稿时，大部分服务的错误率正在下降。"


def _article(key: str, paragraphs: list[str], language: str, title: str = "Headline") -> Article:
    return make_article(key, paragraphs, language, title)


def test_one_summary_per_article_in_order() -> None:
    articles = [
        _article("a", [EN_LEAD], "en"),
        _article("b", [ZH_LEAD], "zh"),
        _article("c", [EN_SECOND], "en"),
    ]
    summaries = ExtractiveSummarizer().summarize(articles)
    assert [s.article_id for s in summaries] == ["id-a", "id-b", "id-c"]
    assert all(s.engine == "extractive" for s in summaries)
    assert [s.language for s in summaries] == ["en", "zh", "en"]
    assert not any(s.fallback for s in summaries)


def test_no_articles_no_summaries() -> None:
    assert ExtractiveSummarizer().summarize([]) == []


def test_engine_name() -> None:
    assert ExtractiveSummarizer.name == "extractive"
    assert ExtractiveSummarizer(fallback=True).name == "extractive"


def test_the_lead_comes_first_and_chosen_sentences_keep_text_order() -> None:
    article = _article("a", [f"{EN_LEAD} {EN_SECOND}", EN_THIRD, EN_FOURTH], "en")
    (summary,) = ExtractiveSummarizer().summarize([article])
    chosen = split_sentences(summary.text)
    order = [EN_LEAD, EN_SECOND, EN_THIRD, EN_FOURTH]
    assert chosen[0] == EN_LEAD and 2 <= len(chosen) <= MAX_SENTENCES
    assert [order.index(c) for c in chosen] == sorted(order.index(c) for c in chosen)


def test_central_sentences_beat_asides() -> None:
    # Each over a third of the 320-character budget: only two of the three fit.
    lead = (
        "The storage service in the eastern region failed for three hours on Tuesday, "
        "leaving many customers unable to read or write their files."
    )
    aside = (
        "Separately, the company's cafeteria menu will change next month to add more "
        "vegetarian dishes and seasonal desserts, a spokesperson said."
    )
    central = (
        "Engineers restored the storage service in the eastern region by Tuesday evening "
        "and said customers' files had not been lost in the failure."
    )
    article = _article("c", [lead, aside, central], "en")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert summary.text == f"{lead} {central}"


def test_chinese_sentences_are_joined_without_spaces() -> None:
    article = _article("z", [ZH_LEAD + ZH_SECOND, ZH_THIRD], "zh")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert summary.text == ZH_LEAD + ZH_SECOND + ZH_THIRD


DISTINCT_EN = [
    "Queues grew.",  # too short to count
    "Checkout pages failed for shoppers across Europe.",
    "Mobile logins timed out in Asia.",
    "Dashboards lagged for operators in Brazil.",
    "Webhooks arrived late for partners.",
    "Search stayed up throughout.",
    "Billing jobs paused overnight.",
]


def test_at_most_max_sentences() -> None:
    article = _article("n", DISTINCT_EN, "en")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert len(split_sentences(summary.text)) == MAX_SENTENCES


def test_near_repeats_are_not_chosen_twice() -> None:
    sentence = "The regional load balancers kept failing their health checks for hours."
    article = _article("r", [sentence, f"{sentence[:-1]} (updated).", DISTINCT_EN[1]], "en")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert summary.text == f"{sentence} {DISTINCT_EN[1]}"


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "The regional load balancers kept failing their health checks for several hours, "
            "so requests from many customers timed out before reaching a healthy backend.",
        ),
        (
            "zh",
            "该地域的负载均衡器在数小时内持续未能通过健康检查，导致大量用户请求在到达正常后端之前"
            "就已超时，部分企业客户的在线业务因此中断。",
        ),
    ],
)
def test_summary_respects_max_chars(language: str, sentence: str) -> None:
    # Each sentence takes over a third of the budget, so the budget stops it, not the count.
    assert (
        LANGUAGES.of(language).summary_chars / 3
        < len(sentence)
        < LANGUAGES.of(language).summary_chars / 2
    )
    others = (
        ["Every backend in the second zone was drained at once by an automation bug, "
         "leaving just a handful of overloaded hosts to serve all incoming traffic.",
         "Status updates went out every thirty minutes while operators rebuilt the pool "
         "of healthy instances and slowly shifted customers back onto them."]
        if language == "en"
        else ["第二可用区的所有后端被自动化脚本错误地同时摘除，"
              "剩下的少数主机承担了全部流量并迅速过载，监控系统随即发出大量告警。",
              "运维人员每半小时发布一次进展，同时重建健康实例池，并逐步把用户流量迁回正常节点，"
              "直到当天傍晚才全部完成。"]
    )  # fmt: skip
    article = _article("long", [sentence, *others], language)
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert len(summary.text) <= LANGUAGES.of(language).summary_chars
    assert summary.text.startswith(sentence)
    assert len(split_sentences(summary.text)) == 2
    assert not summary.text.endswith("…")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_one_huge_sentence_is_clipped_with_an_ellipsis(language: str) -> None:
    word = "overload " if language == "en" else "过载"
    article = _article("huge", [word * 400], language)
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert len(summary.text) <= LANGUAGES.of(language).summary_chars
    assert summary.text.endswith("…")


def test_zh_hant_uses_the_chinese_budget() -> None:
    article = _article("hant", ["服務中斷，工程師正在調查原因。" * 40], "zh-Hant")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert summary.language == "zh-Hant"
    assert len(summary.text) <= LANGUAGES.of("zh").summary_chars


def test_repeated_sentences_appear_once() -> None:
    article = _article("rep", [EN_LEAD, EN_LEAD, f"{EN_LEAD} {EN_SECOND}"], "en")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert summary.text.count(EN_LEAD) == 1
    assert summary.text == f"{EN_LEAD} {EN_SECOND}"


def test_too_short_fragments_are_skipped() -> None:
    article = _article("short", ["By staff.", "Updated 9:00.", EN_LEAD, "See more."], "en")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert summary.text == EN_LEAD
    assert len("Updated 9:00.") < LANGUAGES.of("en").min_sentence_chars


def test_too_short_chinese_fragments_are_skipped() -> None:
    article = _article("zs", ["北京时间。", "图片来源：网络", ZH_LEAD], "zh")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert summary.text == ZH_LEAD


def test_only_short_fragments_fall_back_to_the_raw_text() -> None:
    article = _article("tiny", ["Down.", "Up."], "en")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert summary.text == "Down.\n\nUp."


def test_article_without_body_is_summarised_by_its_title() -> None:
    article = _article("empty", [], "en", title="Queue service degraded in eu-west")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert summary.text == "Queue service degraded in eu-west"


def test_fallback_marks_every_summary() -> None:
    articles = [_article("a", [EN_LEAD], "en"), _article("b", [ZH_LEAD], "zh")]
    summaries = ExtractiveSummarizer(fallback=True).summarize(articles)
    assert [s.fallback for s in summaries] == [True, True]
    assert all(s.engine == "extractive" for s in summaries)


def test_build_summarizer_falls_back_when_the_weights_are_missing(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    article = _article("a", [EN_LEAD], "en")
    plain = build_summarizer("extractive", tmp_path)
    assert not plain.summarize([article])[0].fallback
    with caplog.at_level("WARNING"):
        wanted_model = build_summarizer("flan-t5-base", tmp_path)  # a preset with no weights here
    assert wanted_model.summarize([article])[0].fallback
    assert "outage-bot models pull flan-t5-base" in caplog.text


def test_whole_sentences_are_never_cut_when_they_are_chosen() -> None:
    first = "A" * 199 + "."  # 200 characters
    second = "B" * 119 + "."  # 120: the two add up to the 320 budget, 321 with the space
    article = _article("edge", [first, second, EN_LEAD], "en")
    (summary,) = ExtractiveSummarizer().summarize([article])
    assert not summary.text.endswith("…")
    assert summary.text.startswith(first) and second not in summary.text
