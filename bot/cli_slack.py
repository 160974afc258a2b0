"""``outage-bot serve`` and ``outage-bot ask``: the Slack-facing commands.

Registered on the CLI's typer app by ``bot.cli`` (kept apart so each file stays small).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer

from bot.cli import _fetcher, _now, _read_one, _settings_and_config, _summarizer, app
from bot.config import load_settings
from bot.errors import ConfigError, ConfigProblem
from bot.pipeline import Intelligence
from bot.qa import answer_text, answerer_for
from bot.qa.facts import Facts
from bot.schema import Article
from bot.slack.compose import build_runtime
from bot.slack.server import HTTPServer, run_socket_mode
from bot.store import connect
from bot.summarize.cache import CachedSummarizer


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (HTTP mode).")] = "0.0.0.0",  # noqa: S104
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (HTTP mode).")] = 3000,
    threads: Annotated[int, typer.Option(min=1, max=64, help="Request threads.")] = 8,
) -> None:
    """Serve Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on POST /slack/events."""
    settings, config = _settings_and_config()
    store = connect(settings)
    model = _summarizer(settings)
    runtime = build_runtime(
        settings,
        config,
        store,
        summarizer=CachedSummarizer(model, store),
        model=model,
        fetcher=_fetcher(settings),
        intelligence=Intelligence.load(),
        now=_now,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    runtime.home_refresher.start()
    if runtime.mode == "socket":
        assert runtime.app_token is not None  # noqa: S101 - the socket mode condition
        connection = run_socket_mode(runtime.app, runtime.app_token, runtime.client)
        typer.echo("Connected to Slack in Socket Mode; Ctrl-C to stop.", err=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            connection.close()
        return
    try:
        server = HTTPServer(
            runtime.app, host=host, port=port, threads=threads, health=runtime.health
        )
    except OSError as exc:  # the port is taken, or the address is not this machine's
        why = f"cannot listen on {host}:{port}: {exc.strerror or exc} (choose another --port)"
        raise ConfigError([ConfigProblem("command line", "--port", why)]) from exc
    signal.signal(signal.SIGTERM, lambda signum, frame: server.close())
    typer.echo(f"Serving Slack HTTP mode on {server.url}/slack/events (health: /healthz)", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        server.close()


@app.command()
def ask(
    target: Annotated[str, typer.Argument(help="An article URL, or a Markdown/feed/page file.")],
    question: Annotated[str, typer.Argument(help="What you want to know, in Chinese or English.")],
) -> None:
    """Answer a question from one article (or feed), quoting the evidence."""
    settings = load_settings()
    articles = _read_one(settings, target)
    intelligence = Intelligence.load()
    answerer = answerer_for(_summarizer(settings), intelligence.catalog)
    # One article is a small incident: what the classifier reads in it answers
    # questions about region, timing, services and status (bot/qa/facts.py).
    facts = _facts_of(articles, intelligence) if articles else None
    typer.echo(answer_text(answerer.answer(question, articles, facts)))


def _facts_of(articles: list[Article], intelligence: Intelligence) -> Facts:
    outages = [intelligence.classifier.classify(a) for a in articles]
    lead = outages[0]
    return Facts.of_outage(
        lead.model_copy(
            update={
                "regions": tuple(dict.fromkeys(r for o in outages for r in o.regions)),
                "affected": tuple(dict.fromkeys(x for o in outages for x in o.affected)),
            }
        )
    )
