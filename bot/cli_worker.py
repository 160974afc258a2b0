"""``outage-bot clock`` and ``outage-bot worker``: ``run`` split in two for scale-out.

One clock polls the sources and queues work in a Redis Stream; any number of
workers, on any machines that share REDIS_URL, summarise and deliver it
(``bot.worker``). Registered on the CLI's typer app by ``bot.cli``.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from types import FrameType
from typing import Annotated

import typer

from bot.channels import ChannelDirectory
from bot.cli import (
    _fetcher,
    _log_progress,
    _now,
    _polling_setup,
    _settings_and_config,
    _summarizer,
    app,
)
from bot.delivery import Sink, TerminalSink
from bot.pipeline import Intelligence
from bot.recovery import RedisOutage
from bot.slack.poster import SlackProblemReporter, SlackSink, build_web_client
from bot.store import COMMAND_TIMEOUT_S, connect
from bot.summarize.cache import CachedSummarizer
from bot.worker import RECLAIM_AFTER_MS, Clock, Worker, WorkReport, job_queue

# A blocking read must return before the Redis client's command timeout gives up on it.
_MAX_BLOCK_MS = int(COMMAND_TIMEOUT_S * 1000) - 1000


def _stop_on_sigterm() -> threading.Event:
    """An event set by SIGTERM (a deploy or scale-down): the current job or tick finishes,
    then the process exits, instead of leaving the job to be reclaimed later."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    return stop


@app.command()
def clock(
    once: Annotated[bool, typer.Option(help="Tick once and exit instead of looping.")] = False,
    interval: Annotated[int, typer.Option(min=10, help="Seconds between ticks.")] = 300,
) -> None:
    """Poll the sources and queue summarize and deliver jobs for `outage-bot worker` (run one)."""
    settings, config = _settings_and_config()
    stop = _stop_on_sigterm()
    outage = RedisOutage("clock", stop, say=_say, retry=not once)
    setup = outage.attempt(lambda: _polling_setup(settings, config))
    if setup is None:
        return
    store, directory = setup
    queue = job_queue(store)
    outage.attempt(queue.ensure_group)  # so jobs wait for workers that have not started yet
    ticker = Clock(store, directory, Intelligence.load(), queue, fetcher=_fetcher(settings))
    if not once:
        _log_progress()
    while not stop.is_set():
        started = time.monotonic()
        report = outage.attempt(lambda: ticker.tick(_now()))
        if report is None:  # stopped while Redis was down
            return
        new = sum(s.new for s in report.poll.sources)
        failed = sum(1 for s in report.poll.sources if s.error)
        typer.echo(f"clock: {new} new article(s), {failed} source(s) failed; queued "
                   f"{report.summaries} summary job(s) and {len(report.deliveries)} digest(s)"
                   f"{': ' + ', '.join(report.deliveries) if report.deliveries else ''}",
                   err=True)  # fmt: skip
        if once:
            return
        stop.wait(max(1.0, interval - (time.monotonic() - started)))


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option(help="Do what is queued now (and what is reclaimable), then exit.")
    ] = False,
    consumer: Annotated[
        str | None, typer.Option(help="Name in the consumer group (default: hostname-pid).")
    ] = None,
    block_ms: Annotated[
        int, typer.Option(min=1, max=_MAX_BLOCK_MS, help="How long one read waits for jobs, in ms.")
    ] = 5000,
    reclaim_after: Annotated[
        float,
        typer.Option(min=0, help="Seconds a job may stay unacknowledged before another "
                     "worker takes it over (its worker failed or died)."),
    ] = RECLAIM_AFTER_MS / 1000,
    batch: Annotated[int, typer.Option(min=1, max=1000, help="Jobs per read.")] = 10,
) -> None:  # fmt: skip
    """Summarise and deliver what `outage-bot clock` queued; run as many as you like."""
    settings, config = _settings_and_config()
    stop = _stop_on_sigterm()
    outage = RedisOutage("worker", stop, say=_say, retry=not once)
    store = outage.attempt(lambda: connect(settings))
    if store is None:
        return
    directory = ChannelDirectory(store, config)
    client = build_web_client(settings)
    sink: Sink = SlackSink(client) if client else TerminalSink(sys.stdout)
    # A channel Slack refuses (bot not invited, archived) is told to whoever set it up.
    reporter = SlackProblemReporter(client, store, directory.configured_by) if client else None
    queue = job_queue(store)
    outage.attempt(queue.ensure_group)
    outage.attempt(queue.prune_consumers)
    if stop.is_set():
        return
    name = consumer or f"{socket.gethostname()}-{os.getpid()}"
    runner = Worker(store, directory, Intelligence.load().catalog,
                    CachedSummarizer(_summarizer(settings), store), sink, queue,
                    reporter=reporter, now=_now, reclaim_after_ms=int(reclaim_after * 1000),
                    batch=batch)  # fmt: skip
    if once:
        _report(name, runner.drain(name))
        return
    _log_progress()
    typer.echo(f"worker {name}: waiting for jobs on {queue.key} ({store.where})", err=True)
    while not stop.is_set():
        report = outage.attempt(lambda: runner.run_once(name, block_ms))
        if report is not None and report.jobs:
            _report(name, report)


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _report(name: str, report: WorkReport) -> None:
    posted = sum(d.delivered for d in report.delivered)
    refused = [d for d in report.delivered if d.error]
    typer.echo(f"worker {name}: {report.done} job(s) done, {report.failed} failed; "
               f"{posted} item(s) delivered", err=True)  # fmt: skip
    for delivery in refused:
        typer.echo(f"{delivery.channel}: not delivered: {delivery.error}", err=True)
