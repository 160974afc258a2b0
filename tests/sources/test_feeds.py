"""parse_feed on RSS and Atom bytes, damaged input, and the real feeds of the shared corpus."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import ParseError, SourceError
from bot.schema import Source
from bot.sources.feeds import parse_feed
from bot.sources.local import SourceRead, read_local
from tests.conftest import CORPUS, SAMPLES, corpus_dir

STATUS_NEWS = SAMPLES / "feeds" / "status-news.xml"

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example Pay status</title>
  <id>urn:uuid:5d1c7c7e-0000-4000-8000-000000000001</id>
  <updated>2026-11-25T10:00:00Z</updated>
  <entry>
    <title>Card payments delayed</title>
    <id>tag:status.example.org,2026:incident-7</id>
    <link rel="alternate" href="https://status.example.org/incidents/7"/>
    <published>2026-11-25T08:30:00+08:00</published>
    <updated>2026-11-25T09:00:00Z</updated>
    <author><name>Status Team</name></author>
    <summary>Short teaser.</summary>
    <content type="html">&lt;p&gt;Card payments were queued for forty minutes while a
      backlog drained. No payments were lost.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Scheduled maintenance finished</title>
    <id>tag:status.example.org,2026:maintenance-3</id>
    <link href="https://status.example.org/maintenance/3"/>
    <updated>2026-11-24T02:00:00Z</updated>
    <summary>The database upgrade completed without downtime.</summary>
  </entry>
</feed>
"""

EMPTY_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Nothing yet</title><link>https://quiet.example.net/</link>
  <description>A feed with no items.</description>
</channel></rss>
"""

HTML_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Status</title></head>
<body><h1>All systems operational</h1><p>Nothing to report<br>today.</p></body></html>
"""

XHTML_PAGE = b"""<html><head><title>Status</title></head>
<body><h1>All systems operational</h1><p>Nothing to report today.</p></body></html>
"""


@pytest.fixture(scope="module")
def status_news():
    return parse_feed(STATUS_NEWS.read_bytes(), "status-news")


def test_sample_rss_has_three_entries(status_news) -> None:
    assert status_news.title == "Example Status News"
    assert status_news.warnings == []
    assert len(status_news.entries) == 3
    assert {e.source for e in status_news.entries} == {"status-news"}


def test_sample_rss_guids_and_links(status_news) -> None:
    first, second, third = status_news.entries
    assert first.link == "https://status-news.example-tech.com/2026/11/24/cloudflare-5xx-errors/"
    assert first.guid == first.link
    # A guid with isPermaLink="false" is kept verbatim, separate from the link.
    assert second.guid == "example-status-news-2026-11-23-aws-pes"
    assert second.link == (
        "https://status-news.example-tech.com/2026/11/23/aws-us-east-1-root-cause/"
    )
    assert third.title == "GitHub Actions 和 Codespaces 服务中断 目前已恢复"


def test_sample_rss_prefers_full_content_over_description(status_news) -> None:
    cloudflare = status_news.entries[0]
    # Only content:encoded has these sentences; the description is a one-line teaser.
    assert "rolled the change back" in cloudflare.html
    assert "X (formerly Twitter)" in cloudflare.html
    assert "A faulty configuration change left sites" not in cloudflare.html


def test_sample_rss_dates_are_utc(status_news) -> None:
    assert [e.published for e in status_news.entries] == [
        datetime(2026, 11, 24, 15, 20, tzinfo=UTC),
        datetime(2026, 11, 23, 11, 45, tzinfo=UTC),
        datetime(2026, 11, 25, 9, 10, tzinfo=UTC),
    ]


def test_sample_rss_language_comes_from_the_channel(status_news) -> None:
    assert {e.language for e in status_news.entries} == {"en"}


def test_atom_feed() -> None:
    parsed = parse_feed(ATOM, "atom")
    assert parsed.title == "Example Pay status"
    assert parsed.warnings == []
    incident, maintenance = parsed.entries
    assert incident.guid == "tag:status.example.org,2026:incident-7"
    assert incident.link == "https://status.example.org/incidents/7"
    assert incident.title == "Card payments delayed"
    assert "No payments were lost." in incident.html
    assert "Short teaser" not in incident.html
    # 08:30 at +08:00 is 00:30 UTC; "published" wins over "updated".
    assert incident.published == datetime(2026, 11, 25, 0, 30, tzinfo=UTC)
    assert incident.author == "Status Team"
    assert incident.language == "en"
    # Without <published> the entry falls back to <updated>; without <content>, to <summary>.
    assert maintenance.published == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert maintenance.html == "The database upgrade completed without downtime."


def test_truncated_rss_keeps_complete_items_and_warns() -> None:
    data = STATUS_NEWS.read_bytes()
    third_item = data.index(b"<item>", data.index(b"<item>", data.index(b"<item>") + 1) + 1)
    truncated = data[: third_item + 120]
    parsed = parse_feed(truncated, "cut")
    titles = [e.title for e in parsed.entries]
    assert titles[:2] == [
        "Cloudflare configuration push triggers worldwide 5xx errors for about three hours",
        "AWS publishes post-event summary for the November 20 US-EAST-1 outage",
    ]
    assert "rolled the change back" in parsed.entries[0].html
    assert "disabled the automation" in parsed.entries[1].html
    assert len(parsed.warnings) >= 1
    assert "malformed" in parsed.warnings[0]


def test_unescaped_ampersand_still_yields_items_with_a_warning() -> None:
    data = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Broken & proud</title>
<item><title>Search & rescue API down</title><link>https://e.example/1</link>
<description>Errors from the search & rescue API.</description></item>
</channel></rss>"""
    parsed = parse_feed(data, "amp")
    assert [e.link for e in parsed.entries] == ["https://e.example/1"]
    assert parsed.warnings


def test_html_page_with_unclosed_tags_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse_feed(HTML_PAGE, "homepage")
    assert caught.value.source == "homepage"


def test_well_formed_html_page_is_a_parse_error() -> None:
    # No XML error here at all: what gives it away is the missing RSS/Atom root.
    with pytest.raises(ParseError):
        parse_feed(XHTML_PAGE, "homepage")


def test_empty_bytes_are_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_feed(b"", "empty")


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_bytes_are_a_parse_error(seed: int) -> None:
    data = hashlib.shake_256(f"noise-{seed}".encode()).digest(2048)
    with pytest.raises(ParseError):
        parse_feed(data, "noise")


def test_plain_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_feed(b"this is not a feed, just a sentence\n", "txt")


def test_empty_valid_rss_has_no_entries_and_no_error() -> None:
    parsed = parse_feed(EMPTY_RSS, "quiet")
    assert parsed.entries == []
    assert parsed.warnings == []
    assert parsed.title == "Nothing yet"


def test_item_without_title_link_or_body_is_skipped_with_a_warning() -> None:
    data = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>t</title>
<item><guid isPermaLink="false">only-a-guid</guid></item>
<item><title>Real item</title><link>https://e.example/real</link></item>
</channel></rss>"""
    parsed = parse_feed(data, "s")
    assert [e.title for e in parsed.entries] == ["Real item"]
    assert any("entry 0 skipped" in w for w in parsed.warnings)


def test_item_with_only_a_link_uses_the_link_as_title() -> None:
    data = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>t</title>
<item><link>https://e.example/untitled</link></item>
</channel></rss>"""
    (entry,) = parse_feed(data, "s").entries
    assert entry.title == "https://e.example/untitled"
    assert entry.published is None


# --- the shared corpus ---------------------------------------------------------------------


def _corpus_files(folder: str, pattern: str = "*") -> list:
    """Parameters for each file of a corpus folder, or one placeholder that will skip."""
    root = CORPUS / folder
    if not root.is_dir():
        return [pytest.param(None, id="corpus-absent")]
    files = sorted(p for p in root.rglob(pattern) if p.is_file())
    return [pytest.param(p, id=p.relative_to(root).as_posix()) for p in files]


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files("feedparser-tests"))
def test_feedparser_corpus_file_reads_or_raises_source_error(path: Path | None) -> None:
    corpus_dir("feedparser-tests")
    assert path is not None
    outcome: SourceRead | SourceError
    try:
        outcome = read_local(Source(name="x", location=str(path)))
    except SourceError as exc:
        outcome = exc
    if isinstance(outcome, SourceError):
        assert outcome.source == "x"
    else:
        assert isinstance(outcome.entries, list)
        assert all(isinstance(w, str) for w in outcome.warnings)


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files("feeds", "*.xml"))
def test_real_feed_snapshot_has_entries(path: Path | None) -> None:
    corpus_dir("feeds")
    assert path is not None
    parsed = parse_feed(path.read_bytes(), path.stem)
    assert len(parsed.entries) > 0
    for entry in parsed.entries:
        assert entry.title
        assert entry.published is None or entry.published.utcoffset().total_seconds() == 0
