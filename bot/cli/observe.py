"""Wiring a process for observation: its metrics endpoint, shared-state probes, heartbeat.

The stages count their own work (``bot.ops.metrics``); this module, part of the
composition root, decides what each process exposes and where.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.output import say
from bot.errors import ConfigError, ConfigProblem

if TYPE_CHECKING:
    from bot.channels.directory import ChannelDirectory
    from bot.jobs.queue import JobQueue
    from bot.ops.heartbeat import Heartbeat
    from bot.ops.metrics import MetricsServer
    from bot.store import Store
    from bot.summarize.factory import Models

MetricsPort = Annotated[
    int | None,
    typer.Option(min=0, max=65535, metavar="PORT",
                 help="Serve Prometheus metrics on this port at /metrics."),
]  # fmt: skip


def start_metrics(port: int | None) -> MetricsServer | None:
    """``GET /metrics`` on ``port`` (all interfaces), or nothing when no port is given."""
    if port is None:
        return None
    from bot.ops.metrics import MetricsServer

    try:
        server = MetricsServer(port)
    except OSError as exc:
        why = f"cannot listen on port {port}: {exc.strerror or exc}"
        raise ConfigError([ConfigProblem("command line", "--metrics-port", why)]) from exc
    say(f"Prometheus metrics on http://0.0.0.0:{server.port}/metrics")
    return server


def watch_state(store: Store, directory: ChannelDirectory, queue: JobQueue | None) -> None:
    """Report the job backlog, dead letters and every source's health at each scrape."""
    from bot.ops.metrics import Probes, SourceGauge, watch
    from bot.sources.health import SourceStates

    states = SourceStates(store)

    def sources() -> list[SourceGauge]:
        health = states.get_many(s.name for s in directory.sources())
        return [
            SourceGauge(h.name, h.failures,
                        h.last_success.timestamp() if h.last_success else None)
            for h in health.values()
        ]  # fmt: skip

    watch(Probes(backlog=queue.backlog if queue else None,
                 dead_letters=queue.dead_letter_count if queue else None,
                 sources=sources))  # fmt: skip


def model_label(models: Models, configured: str) -> str:
    """What ``status`` shows as the loaded model; also set as a metric."""
    from bot.ops.metrics import model_loaded
    from bot.summarize.base import EXTRACTIVE

    name = models.engine.name
    # The extractive engine when a model was configured: its weights are missing.
    fallback = name == EXTRACTIVE and configured != EXTRACTIVE
    model_loaded(name, fallback)
    return f"{configured} not loaded, extractive fallback" if fallback else name


def heartbeat(
    store: Store, role: str, every: timedelta, model: str | None = None, name: str | None = None
) -> Heartbeat:
    from bot.ops.heartbeat import Heartbeat

    return Heartbeat(store, role, every, model=model, process=name)
