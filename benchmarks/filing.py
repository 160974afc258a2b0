"""Filing speed: classified outage reports of the shared corpus into incidents, against a
real Redis.

Run:  .venv/bin/python benchmarks/filing.py [--repeat 3]

Measures, side by side in one run, milliseconds per report for:

* filing as the bot does;
* the same without the follow-ups step (``bot.incidents.distant``: attaching a late
  report weeks on, and moving attached reports when a nearer incident is filed), to show
  what that step costs.

Reports are the outage items of the corpus sets of ``benchmarks/quality.py`` (its
corpus, and both halves of the labelled set), classified once beforehand and filed in
publication order into a fresh Redis each pass (needs ``../shared/corpus``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._redis import redis_socket
from benchmarks.quality import corpus_items, labelled_items
from bot.incidents.outcome import Settled
from bot.incidents.tracker import IncidentTracker
from bot.intake.pipeline import Intelligence
from bot.keys import Keys
from bot.schema import Article, Incident, Outage
from bot.store import Store


class _NoFollowUps:
    """Stands in for ``DistantFollowUps``: places nothing, moves nothing."""

    def home(self, article: Article, outage: Outage, event: datetime | None) -> None:
        return None

    def settle(self, incident: Incident, outage: Outage, event: datetime, filed: str) -> Settled:
        return Settled(incident)


def _pass(client: redis.Redis, socket: Path, reports: list[tuple[Article, Outage]],
          follow_ups: bool) -> float:  # fmt: skip
    client.flushall()
    tracker = IncidentTracker(Store(client, Keys("bench"), str(socket)))
    if not follow_ups:
        tracker._distant = _NoFollowUps()  # type: ignore[assignment]
    started = time.perf_counter()
    for article, outage in reports:
        tracker.file(article, outage)
    return (time.perf_counter() - started) * 1000 / len(reports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    classifier = Intelligence.load().classifier
    items = [*corpus_items(), *labelled_items("dev"), *labelled_items("test")]
    if not items:
        sys.exit("no corpus items: is ../shared/corpus there?")
    reports = [
        (item.article, outage)
        for item in sorted(items, key=lambda i: i.article.published)
        if (outage := classifier.classify(item.article)).is_outage
    ]
    with redis_socket() as socket:
        client = redis.Redis(unix_socket_path=str(socket), decode_responses=True)
        timings: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.repeat):  # alternate, so that drift hits both alike
            for follow_ups in (True, False):
                timings[follow_ups].append(_pass(client, socket, reports, follow_ups))
    with_step, without = (statistics.median(timings[flag]) for flag in (True, False))
    print(f"{len(reports)} outage reports, median of {args.repeat} passes each")
    print(f"  filing                         {with_step:6.2f} ms per report")
    print(f"  without the follow-ups step    {without:6.2f} ms per report")
    print(f"  ratio                          {with_step / without:6.2f}")


if __name__ == "__main__":
    main()
