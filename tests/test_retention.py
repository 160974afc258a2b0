"""Every key the bot writes expires or is trimmed, as bot/keys.py documents."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.config import ChannelConfig
from bot.delivery.digests import digest_and_deliver
from bot.delivery.terminal import TerminalSink
from bot.intake.pipeline import Intelligence, ingest
from bot.schema import Source
from bot.sources.health import SourceStates
from bot.store import Store
from bot.store.digest_clock import DigestClock
from bot.summarize.cache import CachedSummarizer
from bot.summarize.extractive import ExtractiveSummarizer
from tests.conftest import SAMPLES

NOW = datetime(2026, 11, 28, tzinfo=UTC)
# Keys documented as bounded by trimming (or tiny and one per channel) instead of a TTL.
UNTIMED = (":pending:", ":unfiled", ":last-digest:")


def test_after_a_full_run_every_key_has_a_ttl_or_is_trimmed(store: Store) -> None:
    intelligence = Intelligence.load()
    channel = ChannelConfig(id="#ops")
    sources = [Source(name="s", location=str(SAMPLES / "articles")),
               Source(name="f", location=str(SAMPLES / "feeds"))]  # fmt: skip
    ingest(sources, store, [channel], NOW, intelligence)
    summarizer = CachedSummarizer(ExtractiveSummarizer(), store)
    digest_and_deliver(store, [channel], summarizer, TerminalSink(io.StringIO()), NOW,
                       intelligence.catalog)  # fmt: skip
    SourceStates(store).record_failure("remote", NOW, "HTTP 500")
    DigestClock(store).mark("#ops", NOW)
    kinds = set()
    for key in store.redis.scan_iter(match="test:*"):
        kinds.add(key.split(":")[1])
        if any(part in key for part in UNTIMED):
            continue
        assert store.redis.ttl(key) > 0, f"{key} never expires"
    # The run touched every family of keys documented in bot/keys.py.
    assert {
        "seen",
        "article",
        "summary",
        "incident",
        "incidents",
        "filed",
        "minhash",
        "lsh",
        "last-digest",
        "posted",
        "delivered",
        "source",
    } <= kinds


def test_two_processes_ingesting_the_same_500_items_file_each_once(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    items = "".join(
        f"<item><title>Region {n} of Example Cloud is down</title><guid>item-{n}</guid>"
        f"<link>https://status.example/{n}</link><description>Service {n} failed with elevated "
        f"error rates for {n % 50 + 1} minutes before engineers recovered it.</description></item>"
        for n in range(500)
    )
    feed = tmp_path / "five-hundred.xml"
    feed.write_text(f"<rss version='2.0'><channel><title>x</title>{items}</channel></rss>")
    args = [sys.executable, "-m", "bot", "ingest", str(feed), "--json"]
    procs = [
        subprocess.Popen(
            args, env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=240)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    links = [json.loads(line)["url"] for out in outputs for line in out.splitlines()]
    assert len(links) == 500 and len(set(links)) == 500
    again = subprocess.run(
        args, env=cli_env, capture_output=True, text=True, timeout=240, check=True
    )
    assert again.stdout == "" and "500 read, 0 new" in again.stderr
