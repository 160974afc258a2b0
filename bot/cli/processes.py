"""The long-running processes: ``run`` (everything in one), or ``clock`` and ``worker``.

``run`` is a clock and a worker in one process: each interval it ticks the
clock (poll, file, queue jobs) and then drains the queue with a worker, so it
shares every line of that code with the scaled-out pair. For more than one
machine, one ``clock`` polls and queues work in a Redis Stream and any number
of ``worker`` processes, on any machines that share REDIS_URL, summarise and
deliver it (``bot.jobs``).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from datetime import timedelta
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import root
from bot.cli.observe import MetricsPort, heartbeat, model_label, start_metrics, watch_state
from bot.cli.output import say

if TYPE_CHECKING:
    from bot.channels.directory import ChannelDirectory
    from bot.config import Settings
    from bot.jobs.clock import Clock
    from bot.jobs.queue import JobQueue
    from bot.jobs.recovery import RedisOutage
    from bot.jobs.worker import Worker, WorkReport
    from bot.ops.heartbeat import Heartbeat
    from bot.outage.entities import EntityCatalog
    from bot.store import Store
    from bot.summarize.factory import Models

# A blocking read must return before the Redis client's command timeout gives up on it
# (bot.store.COMMAND_TIMEOUT_S, 10 s; repeated here so `--help` stays light; a test checks).
MAX_BLOCK_MS = 10_000 - 1000
# How long a job may stay unacknowledged before another worker takes it over
# (bot.jobs.worker.RECLAIM_AFTER_MS; a test checks the two agree).
RECLAIM_AFTER_S = 90.0


log = logging.getLogger(__name__)


def _stop_on_sigterm() -> threading.Event:
    """An event set by SIGTERM (a deploy or scale-down): the current job or tick finishes,
    then the process exits, instead of leaving the job to be reclaimed later."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    return stop


def run(
    once: Annotated[bool, typer.Option(help="Poll once and exit instead of looping.")] = False,
    interval: Annotated[
        int, typer.Option(min=10, metavar="SECONDS", help="Seconds between polls.")
    ] = 300,
    metrics_port: MetricsPort = None,
) -> None:
    """Poll the configured sources and deliver due channel digests (clock and worker in one)."""
    from bot.intake.pipeline import Intelligence
    from bot.jobs.clock import Clock, job_queue
    from bot.jobs.recovery import RedisOutage

    settings, config = root.build_settings()
    stop = _stop_on_sigterm()
    # The model loads while Redis, the catalogue and the first poll of the sources are
    # set up and read: the first summary then waits for what is left of the load, if any.
    loading = root.start_loading_models(settings)
    store, directory = root.polling_setup(settings, config)
    queue = job_queue(store)
    intelligence = Intelligence.load()
    ticker = Clock(store, directory, intelligence, queue, fetcher=root.build_fetcher(settings))
    name = f"run-{socket.gethostname()}-{os.getpid()}"
    pulse = heartbeat(store, "run", timedelta(seconds=interval), None, name)
    watch_state(store, directory, queue)
    metrics = start_metrics(metrics_port)
    root.log_progress()

    runner: Worker | None = None

    def poll() -> None:
        nonlocal runner
        queue.ensure_group()
        pulse.beat()
        ticker.tick(root.now())
        if runner is None:  # the first poll: now the model is needed
            started = time.perf_counter()
            models = loading.result()
            label = model_label(models, settings.summarizer_model)
            log.info("summarizer %s ready; the first poll waited %.2f s for it", label,
                     time.perf_counter() - started)  # fmt: skip
            pulse.set_model(label)
            runner = _worker(settings, store, directory, queue, intelligence.catalog, models)
            # What a killed predecessor on this host left (its jobs, its delivery
            # claims), before this poll's jobs: see Worker.resume.
            runner.resume(name)
        report = runner.drain(name)
        pulse.beat(ticked=True)
        for delivery in report.delivered:
            if delivery.error:  # logged by delivery; the items stay pending
                say(f"{delivery.channel}: not delivered: {delivery.error}")
            elif delivery.delivered:
                say(f"{delivery.channel}: delivered {delivery.delivered}")

    # A Redis outage between polls is waited out, not fatal (bot.jobs.recovery).
    outage = RedisOutage("run", stop, say=say, retry=not once)
    try:
        while not stop.is_set():
            outage.attempt(poll)
            if once:
                return
            stop.wait(interval)
    finally:
        if metrics is not None:
            metrics.close()


def clock(
    once: Annotated[bool, typer.Option(help="Tick once and exit instead of looping.")] = False,
    interval: Annotated[
        int, typer.Option(min=10, metavar="SECONDS", help="Seconds between ticks.")
    ] = 300,
    metrics_port: MetricsPort = None,
) -> None:
    """Poll the sources and queue summarize and deliver jobs for `outage-bot worker` (run one)."""
    from bot.intake.pipeline import Intelligence
    from bot.jobs.clock import Clock, job_queue
    from bot.jobs.recovery import RedisOutage

    settings, config = root.build_settings()
    stop = _stop_on_sigterm()
    outage = RedisOutage("clock", stop, say=say, retry=not once)
    setup = outage.attempt(lambda: root.polling_setup(settings, config))
    if setup is None:
        return
    store, directory = setup
    queue = job_queue(store)
    outage.attempt(queue.ensure_group)  # so jobs wait for workers that have not started yet
    ticker = Clock(store, directory, Intelligence.load(), queue,
                   fetcher=root.build_fetcher(settings))  # fmt: skip
    pulse = heartbeat(store, "clock", timedelta(seconds=interval))
    watch_state(store, directory, queue)
    metrics = start_metrics(metrics_port)
    try:
        _tick_until_stopped(ticker, pulse, outage, stop, once=once, interval=interval)
    finally:
        if metrics is not None:
            metrics.close()


def _tick_until_stopped(
    ticker: Clock, pulse: Heartbeat, outage: RedisOutage, stop: threading.Event, *,
    once: bool, interval: int,
) -> None:  # fmt: skip
    if not once:
        root.log_progress()
    while not stop.is_set():
        started = time.monotonic()
        outage.attempt(pulse.beat)
        report = outage.attempt(lambda: ticker.tick(root.now()))
        if report is None:  # stopped while Redis was down
            return
        outage.attempt(lambda: pulse.beat(ticked=True))
        new = sum(s.new for s in report.poll.sources)
        failed = sum(1 for s in report.poll.sources if s.error)
        say(f"clock: {new} new article(s), {failed} source(s) failed; queued "
            f"{report.summaries} summary job(s) and {len(report.deliveries)} digest(s)"
            f"{': ' + ', '.join(report.deliveries) if report.deliveries else ''}")  # fmt: skip
        if once:
            return
        stop.wait(max(1.0, interval - (time.monotonic() - started)))


def worker(
    once: Annotated[
        bool, typer.Option(help="Do what is queued now (and what is reclaimable), then exit.")
    ] = False,
    consumer: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Name in the consumer group (default: hostname-pid)."),
    ] = None,
    block_ms: Annotated[
        int,
        typer.Option(min=1, max=MAX_BLOCK_MS, metavar="MS",
                     help="How long one read waits for jobs, in ms."),
    ] = 5000,
    reclaim_after: Annotated[
        float,
        typer.Option(min=0, metavar="SECONDS",
                     help="Seconds a job may stay unacknowledged before another "
                     "worker takes it over (its worker failed or died)."),
    ] = RECLAIM_AFTER_S,
    batch: Annotated[int, typer.Option(min=1, max=1000, metavar="N", help="Jobs per read.")] = 10,
    metrics_port: MetricsPort = None,
) -> None:  # fmt: skip
    """Summarise and deliver what `outage-bot clock` queued; run as many as you like."""
    from bot.jobs.clock import job_queue
    from bot.jobs.recovery import RedisOutage
    from bot.outage.entities import EntityCatalog

    settings, config = root.build_settings()
    stop = _stop_on_sigterm()
    outage = RedisOutage("worker", stop, say=say, retry=not once)
    store = outage.attempt(lambda: root.build_store(settings))
    if store is None:
        return
    directory = root.build_directory(store, config)
    queue = job_queue(store)
    outage.attempt(queue.ensure_group)
    outage.attempt(queue.prune_consumers)
    if stop.is_set():
        return
    name = consumer or f"{socket.gethostname()}-{os.getpid()}"
    models = root.build_models(settings)
    runner = _worker(settings, store, directory, queue, EntityCatalog.load(), models,
                     reclaim_after_ms=int(reclaim_after * 1000), batch=batch)  # fmt: skip
    pulse = heartbeat(store, "worker", timedelta(milliseconds=block_ms) + timedelta(seconds=30),
                      model_label(models, settings.summarizer_model), f"worker-{name}")  # fmt: skip
    watch_state(store, directory, queue)
    metrics = start_metrics(metrics_port)
    try:
        # What a killed predecessor on this host left (its jobs, its delivery claims) is
        # done first, at once: see Worker.resume.
        resumed = outage.attempt(lambda: runner.resume(name))
        if once:
            outage.attempt(pulse.beat)
            total = runner.drain(name)
            if resumed is not None:
                total.add(resumed)
            _report(name, total)
            outage.attempt(lambda: pulse.beat(ticked=True))
            return
        if resumed is not None and resumed.jobs:
            _report(name, resumed)
        root.log_progress()
        say(f"worker {name}: waiting for jobs on {queue.key} ({store.where})")
        while not stop.is_set():
            outage.attempt(pulse.beat)
            report = outage.attempt(lambda: runner.run_once(name, block_ms))
            if report is not None and report.jobs:
                outage.attempt(lambda: pulse.beat(ticked=True))
                _report(name, report)
    finally:
        if metrics is not None:
            metrics.close()


def _worker(
    settings: Settings,
    store: Store,
    directory: ChannelDirectory,
    queue: JobQueue,
    catalog: EntityCatalog,
    models: Models,
    *,
    reclaim_after_ms: int | None = None,
    batch: int = 10,
) -> Worker:
    """A worker with the clients the composition root builds (shared by run and worker)."""
    from bot.jobs.worker import RECLAIM_AFTER_MS, Worker

    if reclaim_after_ms is None:
        reclaim_after_ms = RECLAIM_AFTER_MS
    client = root.build_slack_client(settings)
    # A channel Slack refuses (bot not invited, archived) is told to whoever set it up.
    return Worker(store, directory, catalog,
                  root.build_summarizer(models, store),
                  root.build_sink(client), queue,
                  reporter=root.build_reporter(client, store, directory), now=root.now,
                  reclaim_after_ms=reclaim_after_ms, batch=batch)  # fmt: skip


def _report(name: str, report: WorkReport) -> None:
    posted = sum(d.delivered for d in report.delivered)
    refused = [d for d in report.delivered if d.error]
    say(f"worker {name}: {report.done} job(s) done, {report.failed} failed; "
        f"{posted} item(s) delivered")  # fmt: skip
    for delivery in refused:
        say(f"{delivery.channel}: not delivered: {delivery.error}")
