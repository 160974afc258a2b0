"""Summaries under load: one poll's articles for several channels, through the real worker.

Run:  .venv/bin/python benchmarks/throughput.py [--models t5-small] [--articles 8]
          [--channels en,en,source] [--new-tokens 32] [--beams 4] [--threads N]

Nothing is downloaded: the model is built as in ``benchmarks/summarize.py``
(published sizes, random weights, a tokenizer trained here) and converted to
CTranslate2 int8, so the engine runs with the bot's defaults on the CPU.

One poll brings ``--articles`` new articles for channels whose summary languages
are ``--channels``. The clock queues one summarize job per article and language
(channels that want the same language share a job), then a worker drains them
into the Redis summary cache, as ``outage-bot run`` does. Rows, side by side in
one run, each on a fresh Redis:

* one call per job      a worker reading one job at a time (``batch=1``): every
                        article and language is its own engine call, as before
                        summaries were batched
* one call per language the worker's default: every summarize job of one read
                        is one engine call per language
* same texts again      the same summarize jobs queued again (an hour later, or
                        for a channel added since): every summary is a cache hit

Per row: engine calls, summaries the engine wrote, seconds, summaries per
minute, and the speed-up over one call per job. Summaries asked for counts every
channel: the difference to summaries written is what the shared jobs and the
cache saved.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.summarize import (  # isort: skip - sets HF_HUB_OFFLINE before transformers
    ARCHITECTURES,
    bench_preset,
    build_articles,
    build_model,
    build_tokenizer,
)

import torch
import transformers

from benchmarks._redis import redis_socket
from bot.channels.directory import ChannelDirectory
from bot.config import BotConfig
from bot.delivery.terminal import TerminalSink
from bot.jobs.clock import SUMMARIZE, job_queue
from bot.jobs.worker import Worker
from bot.keys import Keys
from bot.outage.entities import EntityCatalog
from bot.schema import Article, Summary
from bot.store import Store
from bot.summarize.base import Summarizer
from bot.summarize.cache import CachedSummarizer
from bot.summarize.ct2 import Ct2Model, convert
from bot.summarize.options import EngineOptions
from bot.summarize.seq2seq import Seq2SeqSummarizer


class CountingEngine:
    """The engine, counting the calls and summaries that reach it (under the cache)."""

    def __init__(self, inner: Summarizer) -> None:
        self._inner = inner
        self.name = inner.name
        self.cache_key = inner.cache_key
        self.calls = 0
        self.written = 0

    def summarize(self, articles: Sequence[Article], language: str | None = None) -> list[Summary]:
        self.calls += 1
        self.written += len(articles)
        return self._inner.summarize(articles, language)


def queue_poll(
    store: Store, articles: Sequence[Article], languages: Sequence[str], *, again: bool = False
) -> int:
    """Store the poll's articles and queue the clock's summarize jobs (one per article
    and distinct language, as ``Clock._queue_summary`` does); returns the jobs queued.
    ``again``: the same texts wanted later, when the clock's once-token has expired."""
    queue = job_queue(store)
    for article in articles:
        store.redis.set(store.keys.article(article.id), article.model_dump_json())
    queued = 0
    for article in articles:
        for language in languages:
            job = {"kind": SUMMARIZE, "article": article.id, "language": language}
            once = f"{SUMMARIZE}:{article.content_hash}:{language}{':again' if again else ''}"
            queued += queue.add(job, once=once) is not None
    return queued


def drain(
    store: Store, engine: CountingEngine, catalog: EntityCatalog, batch: int
) -> tuple[int, int, float]:
    """Drain the queue with a real worker; (engine calls, summaries written, seconds)."""
    calls, written = engine.calls, engine.written
    worker = Worker(
        store,
        ChannelDirectory(store, BotConfig()),
        catalog,
        CachedSummarizer(engine, store),
        TerminalSink(io.StringIO()),
        job_queue(store),
        batch=batch,
    )
    started = time.perf_counter()
    report = worker.drain("bench")
    seconds = time.perf_counter() - started
    assert report.failed == 0, report
    return engine.calls - calls, engine.written - written, seconds


def bench_model(name: str, args: argparse.Namespace, work: Path, socket: Path) -> None:
    arch = ARCHITECTURES[name]
    model = build_model(arch)
    tokenizer = build_tokenizer(model.config.vocab_size, args.input_tokens)
    articles = build_articles(tokenizer, args.articles, args.input_tokens)
    folder = work / name
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    del model
    convert(folder)
    options = EngineOptions(threads=args.threads, batch_size=args.batch_size, quantize=True)
    summarizer = Seq2SeqSummarizer.load(bench_preset(name, args, args.beams), folder, options)
    assert isinstance(summarizer.model, Ct2Model)
    engine = CountingEngine(summarizer)
    catalog = EntityCatalog.load()
    languages = [language.strip() for language in args.channels.split(",") if language.strip()]
    wanted = len(articles) * len(languages)
    engine.summarize(articles[:1], None)  # warm up outside the timed rows

    rows = []
    for mode, batch, again in (
        ("one call per job", 1, False),
        ("one call per language", 10, False),
        ("same texts again (cache)", 10, True),
    ):
        client = redis.Redis(unix_socket_path=str(socket), decode_responses=True)
        client.flushall()
        store = Store(client, Keys(f"throughput-{name}"), str(socket))
        jobs = queue_poll(store, articles, languages)
        if again:  # the poll summarised once already; time the second pass only
            drain(store, engine, catalog, batch)
            jobs = queue_poll(store, articles, languages, again=True)
        calls, written, seconds = drain(store, engine, catalog, batch)
        rows.append((mode, jobs, calls, written, seconds))

    print(
        f"\n{name} (CTranslate2 int8, beams {args.beams}): {len(articles)} articles x channels "
        f"{', '.join(languages)} = {wanted} summaries asked for"
    )
    print(f"  {'mode':<26} {'jobs':>5} {'calls':>6} {'written':>8} {'seconds':>8} "
          f"{'per min':>8} {'speed-up':>9}")  # fmt: skip
    base = rows[0][4]
    for mode, jobs, calls, written, seconds in rows:
        print(f"  {mode:<26} {jobs:>5} {calls:>6} {written:>8} {seconds:8.2f} "
              f"{60 * wanted / seconds:8.1f} {base / seconds:8.1f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", default="t5-small")
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--channels", default="en,en,source",
                        help="each channel's summary language")  # fmt: skip
    parser.add_argument("--input-tokens", type=int, default=512)
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--no-repeat-ngram", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    names = [name.strip() for name in args.models.split(",") if name.strip()]
    unknown = [name for name in names if name not in ARCHITECTURES]
    if unknown:
        sys.exit(f"unknown model(s) {', '.join(unknown)}; choose from {', '.join(ARCHITECTURES)}")
    transformers.utils.logging.disable_progress_bar()
    if args.threads:
        torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory(prefix="outage-bot-bench-") as work, redis_socket() as socket:
        for name in names:
            bench_model(name, args, Path(work), socket)


if __name__ == "__main__":
    main()
