"""The cause and the fix, one sentence each, from root-cause reports."""

from __future__ import annotations

from bot.outage.rootcause import SENTENCE_MAX, cause_sentence, fix_sentence
from tests.summarize.tiny_models import make_article

OFFICIAL = make_article(
    "official",
    [
        "Because of the importance of these services, we connect this network with multiple "
        "isolated networking devices.",
        "At 7:30 AM PST, an automated activity to scale capacity triggered an unexpected "
        "behavior from a large number of clients inside the internal network.",
        "Operators disabled the scaling activities and rolled back the change.",
    ],
    "en",
    title="Summary of the AWS Service Event",
)
ZH = make_article(
    "zh",
    [
        "据报道，工人等待技术故障被解决。",
        "问题源于该区域一项内部服务的网络异常。",
        "工程师回滚配置后服务恢复。",
    ],
    "zh",
    title="亚马逊云故障",
)


def test_the_sentence_naming_the_cause_wins_over_a_looser_because() -> None:
    assert cause_sentence([OFFICIAL]) == OFFICIAL.paragraphs[1]
    assert fix_sentence([OFFICIAL]) == OFFICIAL.paragraphs[2]


def test_chinese_reports() -> None:
    assert cause_sentence([ZH]) == "问题源于该区域一项内部服务的网络异常。"
    assert fix_sentence([ZH]) == "工程师回滚配置后服务恢复。"


def test_nothing_stated_is_nothing_said() -> None:
    silent = make_article("s", ["The console was unreachable for hours."], "en", title="Down")
    assert cause_sentence([silent]) is None and fix_sentence([silent]) is None
    assert cause_sentence([]) is None


def test_a_long_sentence_is_clipped() -> None:
    long = make_article("l", ["The root cause was " + "a very long chain " * 40 + "."], "en")
    sentence = cause_sentence([long])
    assert sentence is not None and len(sentence) == SENTENCE_MAX and sentence.endswith("…")
