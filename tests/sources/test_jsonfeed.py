"""parse_json_feed on JSON Feed 1.0 and 1.1, text-only items, missing ids and bad items."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import ParseError
from bot.sources.feeds import ParsedFeed
from bot.sources.jsonfeed import is_json_feed, parse_json_feed

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "jsonfeed"


def _load(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _parse(name: str) -> ParsedFeed:
    return parse_json_feed(_load(name), "notes")


def test_version_1_0_feed() -> None:
    feed = _parse("feed_1_0.json")
    assert feed.title == "Example Cloud Status Notes"
    assert feed.warnings == []
    assert len(feed.entries) == 2
    first = feed.entries[0]
    assert first.guid == "1"  # a numeric 1.0 id is still an id
    assert first.link == "https://notes.example.net/2024/05/dns-resolver-outage"
    assert first.title == "DNS resolver outage in eu-central"
    assert first.html == "<p>Resolvers in <b>eu-central</b> returned SERVFAIL for 14 minutes.</p>"
    assert first.published == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert first.author == "Ops Desk"  # the feed's author when the item names none
    assert first.source == "notes"


def test_content_text_only_item_is_escaped_into_paragraphs() -> None:
    second = _parse("feed_1_0.json").entries[1]
    assert second.html == (
        "<p>Object storage writes failed for 3 &lt; 5 percent of requests.<br>Reads were fine.</p>"
        "<p>A full report follows next week.</p>"
    )
    assert second.link == "https://vendor.example.org/incidents/77"  # external_url
    assert second.published == datetime(2024, 5, 2, 8, 30, tzinfo=UTC)  # date_modified
    assert second.author == "Kim Ito"
    # No title: the start of the text stands in, cut at a word.
    assert second.title.startswith("Object storage writes failed")
    assert second.title.endswith("…")
    assert len(second.title) <= 81


def test_version_1_1_languages_and_authors() -> None:
    feed = _parse("feed_1_1.json")
    assert feed.title == "Störungsmelder"
    first, second, third, _ = feed.entries
    assert first.language == "en"  # the item's own language wins
    assert second.language == "de"  # else the feed's
    assert first.author == "Night Shift"
    assert second.author == "Redaktion, Bereitschaft"
    # content_html beats content_text and summary.
    assert first.html == "<p>Card payments timed out between 09:10 and 09:40 UTC.</p>"
    assert second.published == datetime(2024, 6, 4, 5, 0, tzinfo=UTC)
    assert third.html.startswith("<p>Rechenzentrum Frankfurt")


def test_missing_ids_leave_guid_empty_but_keep_the_item() -> None:
    _, second, third, _ = _parse("feed_1_1.json").entries
    assert second.guid is None
    assert second.link == "https://stoerung.example.de/x2"
    assert third.guid is None and third.link is None
    assert third.title.startswith("Rechenzentrum Frankfurt läuft wieder normal")


def test_bad_items_are_skipped_with_warnings() -> None:
    feed = _parse("feed_1_1.json")
    assert [e.guid for e in feed.entries] == ["x1", None, None, "x5"]
    assert any(w.startswith("item 3 skipped") and "not a JSON object" in w for w in feed.warnings)
    assert any(
        w.startswith("item 4 skipped") and "no title, link or body" in w for w in feed.warnings
    )


def test_unreadable_date_keeps_the_item_without_a_time() -> None:
    feed = _parse("feed_1_1.json")
    undated = feed.entries[-1]
    assert undated.title == "Undated note"
    assert undated.published is None
    assert any("item 5" in w and "yesterday" in w for w in feed.warnings)


def test_is_json_feed() -> None:
    assert is_json_feed(_load("feed_1_0.json"))
    assert is_json_feed(_load("feed_1_1.json"))
    assert is_json_feed({"version": "http://jsonfeed.org/version/1", "items": []})
    assert not is_json_feed({"version": "https://jsonfeed.org/version/1.1"})  # no items
    assert not is_json_feed({"version": "https://example.org/feed/2", "items": []})
    assert not is_json_feed({"archive": [], "current": []})
    assert not is_json_feed([{"items": []}])


@pytest.mark.parametrize(
    "document",
    [
        pytest.param([1, 2], id="list"),
        pytest.param("feed", id="string"),
        pytest.param({"title": "No version", "items": []}, id="no-version"),
        pytest.param({"version": "https://jsonfeed.org/version/1", "items": {}}, id="items-object"),
        pytest.param({"version": "https://jsonfeed.org/version/2", "items": []}, id="version-2"),
    ],
)
def test_non_feed_is_a_parse_error(document: object) -> None:
    with pytest.raises(ParseError, match="not a JSON Feed"):
        parse_json_feed(document, "notes")


def test_feed_without_title_or_items_is_still_a_feed() -> None:
    feed = parse_json_feed({"version": "https://jsonfeed.org/version/1.1", "items": []}, "n")
    assert feed.title == ""
    assert feed.entries == []
    assert feed.warnings == ["feed has no title"]
