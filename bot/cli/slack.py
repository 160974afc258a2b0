"""``outage-bot serve``: Slack in Socket Mode or HTTP mode.

The composition root loads the model once; its engine answers thread questions
and the cached summarizer built on it writes summaries (``bot.slack.compose``).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from datetime import timedelta
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import root
from bot.cli.observe import MetricsPort, heartbeat, model_label, start_metrics, watch_state
from bot.cli.output import say
from bot.errors import ConfigError, ConfigProblem

if TYPE_CHECKING:
    from bot.ops.heartbeat import Heartbeat


def serve(
    host: Annotated[
        str, typer.Option(metavar="HOST", help="Interface to listen on (HTTP mode).")
    ] = "0.0.0.0",  # noqa: S104
    port: Annotated[
        int, typer.Option(min=0, max=65535, metavar="PORT", help="Port (HTTP mode).")
    ] = 3000,
    threads: Annotated[int, typer.Option(min=1, max=64, metavar="N", help="Request threads.")] = 8,
    metrics_port: MetricsPort = None,
) -> None:
    """Serve Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on POST /slack/events.

    HTTP mode serves Prometheus metrics at /metrics on the same port; Socket Mode
    listens on no port, so give it --metrics-port.
    """
    from bot.intake.pipeline import Intelligence
    from bot.slack.compose import build_runtime
    from bot.slack.server import HTTPServer, run_socket_mode

    settings, config = root.build_settings()
    store = root.build_store(settings)
    models = root.build_models(settings)
    runtime = build_runtime(
        settings,
        config,
        store,
        client=root.build_slack_client(settings),
        summarizer=root.build_summarizer(models, store),
        engine=models.engine,
        fetcher=root.build_fetcher(settings),
        intelligence=Intelligence.load(),
        now=root.now,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    runtime.home_refresher.start()
    watch_state(store, root.build_directory(store, config), None)
    _beat_until(stop, heartbeat(store, "serve", _BEAT_EVERY,
                                model_label(models, settings.summarizer_model)))  # fmt: skip
    if runtime.mode == "socket":
        metrics = start_metrics(metrics_port)
        assert runtime.app_token is not None  # noqa: S101 - the socket mode condition
        connection = run_socket_mode(runtime.app, runtime.app_token, runtime.client)
        say("Connected to Slack in Socket Mode; Ctrl-C to stop.")
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            connection.close()
            if metrics is not None:
                metrics.close()
        return
    try:
        server = HTTPServer(
            runtime.app, host=host, port=port, threads=threads, health=runtime.health
        )
    except OSError as exc:  # the port is taken, or the address is not this machine's
        why = f"cannot listen on {host}:{port}: {exc.strerror or exc} (choose another --port)"
        raise ConfigError([ConfigProblem("command line", "--port", why)]) from exc
    signal.signal(signal.SIGTERM, lambda signum, frame: server.close())
    say(f"Serving Slack HTTP mode on {server.url}/slack/events (health: /healthz)")
    try:
        server.run()
    except KeyboardInterrupt:
        server.close()
    finally:
        stop.set()


_BEAT_EVERY = timedelta(seconds=30)


def _beat_until(stop: threading.Event, pulse: Heartbeat) -> None:
    """Beat in a daemon thread: serve's threads wait on Slack, not on a loop of our own."""
    import redis

    def beat() -> None:
        while True:
            # Redis down: /healthz says so; keep trying.
            with contextlib.suppress(redis.RedisError):
                pulse.beat(ticked=True)
            if stop.wait(_BEAT_EVERY.total_seconds()):
                return

    threading.Thread(target=beat, name="heartbeat", daemon=True).start()
