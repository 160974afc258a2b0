"""Ingestion speed on the shared corpus: parse + extract + dedupe against a real Redis.

Run:  .venv/bin/python benchmarks/ingest.py [--repeat 3]

Measures, side by side in one run:

* cold: every entry new (parse, extract, claim)          -> articles per second
* warm: the same feeds again, everything already seen    -> feeds per second
* naive warm: the same, but extracting and claiming every entry (no pipelined
  GUID/link pre-check), to show what the pre-check saves

and Redis round trips (client send calls: a pipeline counts once) per article
and per feed. The aim for a warm feed is a single round trip.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._redis import redis_socket
from bot.dedupe.claims import Deduper
from bot.intake.reading import read_sources
from bot.keys import Keys
from bot.schema import Source
from bot.sources.article import to_article
from bot.sources.local import read_local
from bot.store import Store

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
NOW = datetime(2026, 11, 28, tzinfo=UTC)


class CountingConnection(redis.UnixDomainSocketConnection):
    """Counts how often the client writes to the socket: one per round trip."""

    sends = 0

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        CountingConnection.sends += 1
        super().send_packed_command(command, check_health)


def corpus_sources() -> list[Source]:
    files = sorted((CORPUS / "feeds").glob("*.xml")) + sorted(
        p for p in (CORPUS / "status").iterdir() if p.suffix in (".xml", ".json")
    )
    return [Source(name=p.name, location=str(p)) for p in files]


def naive_ingest(sources: list[Source], store: Store) -> int:
    """Extract and claim every entry (batched per feed), as without the pre-check."""
    deduper = Deduper(store)
    new = 0
    for source in sources:
        batch = [to_article(entry, NOW) for entry in read_local(source).entries]
        new += sum(deduper.claim_many(batch))
    return new


def timed(run: Callable[[], Any]) -> tuple[float, int, Any]:
    CountingConnection.sends = 0
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, CountingConnection.sends, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is not here; this benchmark needs the shared corpus")
    sources = corpus_sources()
    with redis_socket() as socket:
        pool = redis.ConnectionPool(
            connection_class=CountingConnection, path=str(socket), decode_responses=True
        )
        client = redis.Redis(connection_pool=pool)
        store = Store(client, Keys("bench"), str(socket))
        cold, warm, naive = [], [], []
        for _ in range(args.repeat):
            client.flushall()
            cold.append(timed(lambda: read_sources(sources, store, NOW)))
            warm.append(timed(lambda: read_sources(sources, store, NOW)))
            naive.append(timed(lambda: naive_ingest(sources, store)))
        articles = len(cold[0][2].new_articles)
        entries = sum(s.entries for s in cold[0][2].sources)
        feeds = len(sources)
        cold_s = statistics.median(t for t, _, _ in cold)
        warm_s = statistics.median(t for t, _, _ in warm)
        naive_s = statistics.median(t for t, _, _ in naive)
        print(f"corpus: {feeds} feeds/status documents, {entries} entries, {articles} new articles")
        print(
            f"cold ingest : {articles / cold_s:8.1f} articles/s  "
            f"({cold_s:.2f} s, {cold[0][1] / articles:.2f} Redis round trips per article)"
        )
        print(
            f"warm ingest : {feeds / warm_s:8.1f} feeds/s     "
            f"({warm_s:.2f} s, {warm[0][1] / feeds:.2f} round trips per feed, "
            f"{warm[0][1] / entries:.3f} per entry)"
        )
        print(
            f"naive warm  : {feeds / naive_s:8.1f} feeds/s     "
            f"({naive_s:.2f} s, {naive[0][1] / feeds:.2f} round trips per feed)"
        )
        print(f"pre-check speed-up on unchanged feeds: {naive_s / warm_s:.1f}x")


if __name__ == "__main__":
    main()
