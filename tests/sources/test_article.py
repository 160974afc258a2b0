"""to_article: Entry to Article with identity, language and a trustworthy publication time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.dedupe.identity import article_id, content_hash
from bot.schema import Entry
from bot.sources.article import to_article
from bot.sources.feeds import parse_feed
from bot.sources.markdown import parse_markdown
from tests.conftest import SAMPLES

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _entry(**changes: object) -> Entry:
    values: dict[str, object] = {
        "source": "wire",
        "guid": "item-1",
        "link": "HTTPS://News.Example.com:443/story?utm_source=rss&id=7#top",
        "title": "Queue service degraded",
        "html": "<h1>Queue service degraded</h1><p>Messages were delayed for an hour.</p>",
        "published": datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
    }
    values.update(changes)
    return Entry(**values)


def test_fields_are_filled_from_the_entry() -> None:
    article = to_article(_entry(), NOW)
    assert article.source == "wire"
    assert article.url == "https://news.example.com/story?id=7"
    assert article.guid == "wire|item-1"
    assert article.title == "Queue service degraded"
    # The heading repeating the title is not a paragraph of its own.
    assert article.paragraphs == ("Messages were delayed for an hour.",)
    assert article.published == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert article.content_hash == content_hash(article.title, article.text)
    assert article.language == "en"


def test_id_is_stable_across_calls_and_clock_times() -> None:
    first = to_article(_entry(), NOW)
    again = to_article(_entry(), NOW + timedelta(days=2))
    assert first.id == again.id
    assert first == again.model_copy(update={"published": first.published})


def test_id_comes_from_the_scoped_guid_when_there_is_one() -> None:
    article = to_article(_entry(), NOW)
    assert article.id == article_id("wire|item-1", article.url, article.content_hash)


def test_same_guid_in_two_sources_gives_two_ids() -> None:
    one = to_article(_entry(source="feed-a"), NOW)
    two = to_article(_entry(source="feed-b"), NOW)
    assert one.guid == "feed-a|item-1"
    assert two.guid == "feed-b|item-1"
    assert one.id != two.id


def test_without_guid_the_normalised_url_decides_the_id() -> None:
    plain = to_article(_entry(guid=None, link="https://news.example.com/story?id=7"), NOW)
    tracked = to_article(
        _entry(guid=None, title="Edited headline", html="<p>Different words.</p>"), NOW
    )
    assert plain.guid is None
    assert plain.id == tracked.id


def test_without_guid_or_link_the_content_hash_decides_the_id() -> None:
    a = to_article(_entry(guid=None, link=None, title="Headline A"), NOW)
    b = to_article(_entry(guid=None, link=None, title="Headline B", source="other"), NOW)
    c = to_article(_entry(guid=None, link=None, html="<p>Another body.</p>"), NOW)
    assert a.url == ""
    assert a.id == b.id
    assert a.id != c.id


def test_future_date_becomes_now() -> None:
    article = to_article(_entry(published=NOW + timedelta(days=3)), NOW)
    assert article.published == NOW


def test_slightly_future_date_within_clock_slack_is_kept() -> None:
    soon = NOW + timedelta(minutes=20)
    assert to_article(_entry(published=soon), NOW).published == soon


def test_missing_date_becomes_now() -> None:
    assert to_article(_entry(published=None), NOW).published == NOW


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("2026-11-20-aws-us-east-1-zh.md", "zh"),
        ("2026-11-20-aws-us-east-1-en.md", "en"),
        ("2026-11-21-cloud-earnings-en.md", "en"),
        ("2026-11-22-aliyun-hangzhou-zh.md", "zh"),
    ],
)
def test_sample_article_language(name: str, language: str) -> None:
    path = SAMPLES / "articles" / name
    article = to_article(parse_markdown(path.read_bytes(), "samples", str(path)), NOW)
    assert article.language == language
    assert article.url.startswith("https://")
    assert article.paragraphs
    assert article.title not in article.paragraphs


def test_sample_feed_languages_follow_the_text_not_the_channel() -> None:
    # The channel declares <language>en</language>, but the third item is Chinese.
    parsed = parse_feed((SAMPLES / "feeds" / "status-news.xml").read_bytes(), "status")
    articles = [to_article(e, NOW) for e in parsed.entries]
    assert [a.language for a in articles] == ["en", "en", "zh"]
    assert len({a.id for a in articles}) == 3
    for article in articles:
        assert not any(p.startswith("Related:") for p in article.paragraphs)


def test_local_file_without_link_keeps_its_path_as_url() -> None:
    data = b"---\ntitle: Local note\n---\nThe database failed over at noon.\n"
    entry = parse_markdown(data, "notes", "notes/failover.md")
    article = to_article(entry, NOW)
    assert article.url == "notes/failover.md"
    assert article.paragraphs == ("The database failed over at noon.",)
