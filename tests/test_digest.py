"""Digest rendering: Slack Block Kit payloads and terminal text."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from bot.digest import escape, render_messages, render_text
from bot.schema import Article, Digest, DigestItem, Summary

GENERATED = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
PUBLISHED = datetime(2026, 11, 20, 18, 5, tzinfo=UTC)


def _item(
    key: str,
    *,
    title: str = "Queue service degraded",
    url: str | None = None,
    text: str = "Messages were delayed for an hour.",
    engine: str = "extractive",
    fallback: bool = False,
    language: str = "en",
    source: str = "status-news",
) -> DigestItem:
    article = Article(
        id=f"id-{key}",
        source=source,
        url=url if url is not None else f"https://news.example.com/{key}",
        title=title,
        paragraphs=("Body.",),
        language=language,
        published=PUBLISHED,
        content_hash=f"hash-{key}",
    )
    summary = Summary(
        article_id=article.id, text=text, engine=engine, language=language, fallback=fallback
    )
    return DigestItem(article=article, summary=summary)


def _digest(*items: DigestItem, channel: str = "C0123ABCD") -> Digest:
    return Digest(channel=channel, generated_at=GENERATED, items=items)


def _sections(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def _contexts(message: dict) -> list[str]:
    return [b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("AT&T", "AT&amp;T"),
        ("<!channel>", "&lt;!channel&gt;"),
        ("<https://evil.example|click>", "&lt;https://evil.example|click&gt;"),
        ("&amp;", "&amp;amp;"),
        ("plain *bold* _it_ 中文", "plain *bold* _it_ 中文"),
    ],
)
def test_escape(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


def test_single_message_layout() -> None:
    (message,) = render_messages(_digest(_item("a"), _item("b")))
    blocks = message["blocks"]
    assert [b["type"] for b in blocks] == [
        "header",
        "section", "context", "divider",
        "section", "context", "divider",
    ]  # fmt: skip
    header = blocks[0]["text"]
    assert header["type"] == "plain_text"
    assert header["text"].startswith("Outage digest for C0123ABCD: 2 new articles")
    assert "2026-11-20 23:30 UTC" in header["text"]
    assert blocks[1]["text"]["type"] == "mrkdwn"
    assert message["text"].startswith(header["text"])
    assert "• Queue service degraded" in message["text"]


def test_header_uses_singular_for_one_article() -> None:
    (message,) = render_messages(_digest(_item("a")))
    assert ": 1 new article ·" in message["blocks"][0]["text"]["text"]


def test_section_links_http_urls_to_the_title() -> None:
    item = _item("a", url="https://news.example.com/story?id=1&page=2")
    (message,) = render_messages(_digest(item))
    (section,) = _sections(message)
    heading, summary = section.split("\n", 1)
    assert heading == "*<https://news.example.com/story?id=1&amp;page=2|Queue service degraded>*"
    assert summary == "Messages were delayed for an hour."


@pytest.mark.parametrize(
    "url", ["notes/outage.md", "/var/feeds/a.md", "javascript:alert(1)", "ftp://files.example/x"]
)
def test_non_http_urls_are_not_links(url: str) -> None:
    (message,) = render_messages(_digest(_item("a", url=url)))
    (section,) = _sections(message)
    assert section.startswith("*Queue service degraded*\n")
    assert "<" not in section
    assert url not in section


def test_title_and_summary_are_escaped() -> None:
    item = _item(
        "a",
        title="<!channel> AT&T <https://evil.example|login> down",
        text="Call <!here> & check <@U123> now",
    )
    (message,) = render_messages(_digest(item))
    (section,) = _sections(message)
    assert "<!channel>" not in section
    assert "<!here>" not in section
    assert "<@U123>" not in section
    assert "&lt;!channel&gt; AT&amp;T &lt;https://evil.example|login&gt; down" in section
    assert "Call &lt;!here&gt; &amp; check &lt;@U123&gt; now" in section
    # The one real link is the article's own URL.
    assert section.count("<") == 1
    assert "<!channel>" not in message["text"]
    assert "&lt;!channel&gt;" in message["text"]


def test_context_names_the_engine() -> None:
    (message,) = render_messages(
        _digest(
            _item("a"),
            _item("b", engine="mt5-small"),
            _item("c", fallback=True),
        )
    )
    first, second, third = _contexts(message)
    assert first.endswith("extractive summary")
    assert "status-news" in first
    assert " en " in first
    assert second.endswith("summary by mt5-small")
    assert third.endswith("extractive summary (model unavailable)")
    assert "(model unavailable)" not in first + second


def test_context_source_name_is_escaped() -> None:
    (message,) = render_messages(_digest(_item("a", source="a<b>&c")))
    (context,) = _contexts(message)
    assert context.startswith("a&lt;b&gt;&amp;c · ")


def test_forty_items_are_split_across_messages() -> None:
    items = [
        _item(str(i), title=f"Incident {i} " + "x" * 400, text="Summary & <detail> " * 400)
        for i in range(40)
    ]
    messages = render_messages(_digest(*items))
    assert len(messages) > 1
    for number, message in enumerate(messages, start=1):
        assert len(message["blocks"]) <= 50
        assert message["blocks"][0]["type"] == "header"
        assert message["blocks"][0]["text"]["text"].endswith(f"({number}/{len(messages)})")
        assert len(message["blocks"][0]["text"]["text"]) <= 150
        for section in _sections(message):
            assert len(section) <= 3000
    rendered = [s for m in messages for s in _sections(m)]
    assert len(rendered) == 40
    for i, section in enumerate(rendered):
        assert f"|Incident {i} " in section


def test_long_title_and_summary_are_clipped_without_breaking_entities() -> None:
    item = _item("a", title="&" * 500, text="<" * 5000)
    (message,) = render_messages(_digest(item))
    (section,) = _sections(message)
    assert len(section) <= 3000
    heading, summary = section.split("\n", 1)
    assert heading.endswith("…>*")
    assert summary.endswith("…")
    assert summary[:-1].replace("&lt;", "") == ""


def test_section_stays_within_limit_with_a_very_long_url() -> None:
    item = _item("a", url="https://news.example.com/" + "segment/" * 400)
    (message,) = render_messages(_digest(item))
    (section,) = _sections(message)
    assert len(section) <= 3000


def test_empty_digest_renders_no_messages() -> None:
    assert render_messages(_digest()) == []


def test_timezone_is_applied() -> None:
    (message,) = render_messages(_digest(_item("a")), timezone="Asia/Shanghai")
    assert "2026-11-21 07:30 CST" in message["blocks"][0]["text"]["text"]
    (context,) = _contexts(message)
    assert "2026-11-21 02:05 CST" in context
    (utc_message,) = render_messages(_digest(_item("a")))
    assert "2026-11-20 18:05 UTC" in _contexts(utc_message)[0]


def test_render_text_lists_titles_urls_and_summaries() -> None:
    digest = _digest(
        _item("a", title="Queue <service> & degraded", url="https://news.example.com/a"),
        _item(
            "b",
            title="亚马逊云美国东部1区突发故障",
            url="notes/local.md",
            text="北京时间凌晨，美国东部1区出现大范围故障。",
            language="zh",
            fallback=True,
        ),
    )
    text = render_text(digest, timezone="Asia/Shanghai")
    lines = text.splitlines()
    assert lines[0].startswith("Outage digest for C0123ABCD: 2 new articles")
    assert "2026-11-21 07:30 CST" in lines[0]
    # Terminal text is not Slack mrkdwn: nothing is escaped.
    assert "■ Queue <service> & degraded" in lines
    assert "■ 亚马逊云美国东部1区突发故障" in lines
    assert "  https://news.example.com/a" in lines
    assert "  notes/local.md" in lines
    assert "    Messages were delayed for an hour." in lines
    assert "北京时间凌晨，美国东部1区出现大范围故障。" in "".join(line.strip() for line in lines)
    assert "(model unavailable)" in text
    assert "2026-11-21 02:05 CST" in text


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize(
    "summary",
    [
        "Engineers rolled back a configuration change and recovery began soon after. " * 4,
        "工程师随后开始分流请求并逐步重启受影响的组件，服务逐步恢复。" * 4,
    ],
)
def test_render_text_wraps_summaries_to_the_width(summary: str) -> None:
    text = render_text(_digest(_item("a", text=summary)), width=60)
    summary_lines = [line for line in text.splitlines() if line.startswith("    ")]
    assert len(summary_lines) > 1
    assert all(_cells(line) <= 60 for line in summary_lines)
    assert "".join(line.strip() for line in summary_lines).replace(" ", "") == summary.replace(
        " ", ""
    )


def test_render_text_of_an_empty_digest_is_just_the_headline() -> None:
    text = render_text(_digest(), timezone="UTC")
    assert text.strip() == "Outage digest for C0123ABCD: 0 new articles · 2026-11-20 23:30 UTC"
