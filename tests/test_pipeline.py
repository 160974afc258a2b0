"""The whole flow on the sample sources against a real Redis."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import ChannelConfig, ChannelFilters
from bot.delivery import TerminalSink, deliver
from bot.errors import DeliveryError
from bot.pipeline import build_digest, digest_and_deliver, ingest, pending_articles
from bot.schema import Digest, Source
from bot.store import Store
from bot.summarize import ExtractiveSummarizer
from bot.summarize.cache import CachedSummarizer
from tests.conftest import SAMPLES

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SOURCES = [
    Source(name="articles", location=str(SAMPLES / "articles")),
    Source(name="feed", location=str(SAMPLES / "feeds" / "status-news.xml")),
]
CHANNEL = ChannelConfig(id="#ops")


class FailingSink:
    def __init__(self, fail_after: int = 0) -> None:
        self.calls = 0
        self.fail_after = fail_after

    def deliver(self, digest: Digest, timezone: str) -> list[str]:
        self.calls += 1
        if self.calls > self.fail_after:
            raise DeliveryError("slack is down")
        return [f"msg-{self.calls}"]


def test_first_run_finds_every_sample_and_second_run_nothing(store: Store) -> None:
    first = ingest(SOURCES, store, [CHANNEL], NOW)
    assert [(s.name, s.entries, s.new, s.error) for s in first.sources] == [
        ("articles", 4, 4, None),
        ("feed", 3, 3, None),
    ]
    titles = {a.title for a in first.new_articles}
    assert any("US-EAST-1" in t for t in titles) and any("美国东部1区" in t for t in titles)
    second = ingest(SOURCES, store, [CHANNEL], NOW + timedelta(minutes=5))
    assert [s.new for s in second.sources] == [0, 0]


def test_digest_delivers_each_article_once(store: Store) -> None:
    ingest(SOURCES, store, [CHANNEL], NOW)
    out = io.StringIO()
    summarizer = ExtractiveSummarizer()
    reports = digest_and_deliver(store, [CHANNEL], summarizer, TerminalSink(out), NOW)
    assert reports[0].delivered == 7
    text = out.getvalue()
    assert "AWS US-EAST-1 trouble" in text and "亚马逊云美国东部1区" in text
    # Both same-outage articles are separate entries until incidents land.
    assert text.count("■ ") == 7
    again = digest_and_deliver(store, [CHANNEL], summarizer, TerminalSink(io.StringIO()), NOW)
    assert again[0].delivered == 0
    assert pending_articles(store, CHANNEL.id, NOW) == []


def test_a_failed_delivery_loses_nothing_and_is_retried(store: Store) -> None:
    ingest(SOURCES, store, [CHANNEL], NOW)
    digest = build_digest(store, CHANNEL.id, ExtractiveSummarizer(), NOW)
    with pytest.raises(DeliveryError, match="slack is down"):
        deliver(store, digest, FailingSink())
    assert len(pending_articles(store, CHANNEL.id, NOW)) == 7
    assert not list(store.redis.scan_iter(match="test:posted:*"))
    retried = deliver(store, digest, FailingSink(fail_after=10))
    assert retried.delivered == 7


def test_partial_failure_releases_only_unsent_messages(store: Store) -> None:
    many = _many_articles(store, 20)
    digest = build_digest(store, CHANNEL.id, ExtractiveSummarizer(), NOW)
    assert len(digest.items) == many
    sink = FailingSink(fail_after=1)  # first message (15 items) goes, the second fails
    with pytest.raises(DeliveryError):
        deliver(store, digest, sink)
    assert len(pending_articles(store, CHANNEL.id, NOW)) == many - 15
    retry = deliver(store, build_digest(store, CHANNEL.id, ExtractiveSummarizer(), NOW),
                    FailingSink(fail_after=10))  # fmt: skip
    assert retry.delivered == many - 15


def _many_articles(store: Store, count: int) -> int:
    feed_items = "".join(
        f"<item><title>Outage number {n}</title><link>https://status.example.com/{n}</link>"
        f"<description>Service {n} was unreachable for a while and has since recovered."
        f"</description></item>"
        for n in range(count)
    )
    path = Path(store.where.removeprefix("unix://")).parent / "many.xml"
    path.write_text(f"<rss version='2.0'><channel><title>x</title>{feed_items}</channel></rss>")
    report = ingest([Source(name="many", location=str(path))], store, [CHANNEL], NOW)
    return report.sources[0].new


def test_two_channels_each_get_their_own_copy_by_filter(store: Store) -> None:
    chinese = ChannelConfig(id="#zh", filters=ChannelFilters(languages=("zh",)))
    aws = ChannelConfig(id="#aws", filters=ChannelFilters(providers=("AWS",)))
    ingest(SOURCES, store, [chinese, aws], NOW)
    zh = pending_articles(store, "#zh", NOW)
    assert zh and all(a.language == "zh" for a in zh)
    assert {a.title for a in pending_articles(store, "#aws", NOW)} >= {
        "AWS publishes post-event summary for the November 20 US-EAST-1 outage"
    }


def test_one_broken_source_does_not_stop_the_others(store: Store, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<html><body>502 Bad Gateway</body></html>")
    report = ingest(
        [Source(name="broken", location=str(broken)), *SOURCES,
         Source(name="gone", location=str(tmp_path / "missing"))],
        store, [CHANNEL], NOW,
    )  # fmt: skip
    by_name = {s.name: s for s in report.sources}
    assert by_name["broken"].error and by_name["gone"].error
    assert "does not exist" in (by_name["gone"].error or "")
    assert by_name["articles"].new == 4 and by_name["feed"].new == 3
    assert not report.all_failed


def test_summaries_are_cached_by_content(store: Store) -> None:
    ingest(SOURCES, store, [CHANNEL], NOW)
    articles = pending_articles(store, CHANNEL.id, NOW)

    class Counting(ExtractiveSummarizer):
        seen = 0

        def summarize(self, batch):  # type: ignore[no-untyped-def]
            Counting.seen += len(batch)
            return super().summarize(batch)

    cached = CachedSummarizer(Counting(), store)
    first = cached.summarize(articles)
    second = cached.summarize(articles)
    assert Counting.seen == len(articles)
    assert first == second


def test_expired_pending_entries_are_dropped(store: Store) -> None:
    ingest(SOURCES, store, [CHANNEL], NOW)
    later = NOW + timedelta(days=400)
    assert pending_articles(store, CHANNEL.id, later) == []
    assert store.redis.zcard(store.keys.pending(CHANNEL.id)) == 0
