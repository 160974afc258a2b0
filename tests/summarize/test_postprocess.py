"""clean_summary: what model output looks like after tidying, in English and Chinese."""

from __future__ import annotations

import pytest

from bot.summarize.postprocess import clean_summary


def test_special_token_leftovers_are_removed() -> None:
    raw = "<pad> <extra_id_0> Stripe payments failed in eu-west-1.</s><pad><pad>"
    assert clean_summary(raw, "en", 400) == "Stripe payments failed in eu-west-1."
    assert clean_summary("<s>阿里云恢复服务。</s><unk>", "zh", 400) == "阿里云恢复服务。"


def test_whitespace_is_collapsed() -> None:
    raw = "  AWS   reported\n\nerrors in\tus-east-1 .  "
    assert clean_summary(raw, "en", 400) == "AWS reported errors in us-east-1."


def test_tokenizer_spaces_inside_chinese_are_removed() -> None:
    raw = "阿里云 华东 地区 出现 故障 ， 工程师 正在 修复 。"
    assert clean_summary(raw, "zh", 400) == "阿里云华东地区出现故障，工程师正在修复。"


def test_broken_bytes_are_dropped() -> None:
    assert clean_summary("微\ufffd博宕机。", "zh", 400) == "微博宕机。"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("The outage the outage hit users in Tokyo.", "The outage hit users in Tokyo."),
        ("AWS said the outage, the outage hit users.", "AWS said the outage hit users."),
        ("Services are are restored.", "Services are restored."),
        (
            "GitHub is down. GitHub is down. Engineers are investigating.",
            "GitHub is down. Engineers are investigating.",
        ),
        ("a b c a b c a b c done.", "a b c done."),
    ],
)
def test_english_stutters_are_removed(raw: str, clean: str) -> None:
    assert clean_summary(raw, "en", 400) == clean


def test_deliberate_english_repeats_stay() -> None:
    text = "Users had had enough of the outage."
    assert clean_summary(text, "en", 400) == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("服务器服务器中断，用户无法登录。", "服务器中断，用户无法登录。"),
        ("阿里云故障故障故障已经恢复。", "阿里云故障已经恢复。"),
        ("服务中断，服务中断。工程师正在修复。", "服务中断。工程师正在修复。"),
    ],
)
def test_chinese_stutters_are_removed(raw: str, clean: str) -> None:
    assert clean_summary(raw, "zh", 400) == clean


def test_chinese_reduplication_is_kept() -> None:
    # One repeated character is grammar (渐渐, 慢慢), not a stutter.
    text = "服务渐渐恢复，错误率慢慢下降。"
    assert clean_summary(text, "zh", 400) == text


def test_a_dangling_fragment_after_a_sentence_is_dropped() -> None:
    raw = "Azure restored service in West Europe. The root cause was a"
    assert clean_summary(raw, "en", 400) == "Azure restored service in West Europe."
    assert clean_summary("微信已恢复正常。官方表示原因是", "zh", 400) == "微信已恢复正常。"


def test_a_lone_fragment_is_kept() -> None:
    # With no complete sentence to fall back on, the fragment is the summary.
    assert clean_summary("Cloudflare outage in Frankfurt", "en", 400) == (
        "Cloudflare outage in Frankfurt"
    )


def test_the_budget_is_met_at_a_sentence_boundary() -> None:
    raw = "Fastly had a global outage. Many large news sites went offline for an hour."
    assert clean_summary(raw, "en", 40) == "Fastly had a global outage."
    raw_zh = "腾讯云上海可用区故障。大量用户无法访问云服务器，工程师已开始回滚。"
    assert clean_summary(raw_zh, "zh", 12) == "腾讯云上海可用区故障。"


def test_without_a_short_enough_sentence_the_cut_ends_with_an_ellipsis() -> None:
    raw = "Google Cloud reported elevated latency for Cloud Storage in several regions."
    cut = clean_summary(raw, "en", 40)
    assert len(cut) <= 40 and cut.endswith("…")
    assert cut == "Google Cloud reported elevated latency…"  # at a word boundary
    zh = clean_summary("华为云华南地区出现大范围故障导致大量用户无法访问", "zh", 10)
    assert zh == "华为云华南地区出现…" and len(zh) == 10


def test_no_slack_escaping_here() -> None:
    text = "Errors <5% & rising for A&B users > 2 hours."
    assert clean_summary(text, "en", 400) == text


def test_empty_stays_empty() -> None:
    assert clean_summary("<pad></s>", "en", 400) == ""
