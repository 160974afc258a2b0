"""The composition root: every client the commands use is built here, once, from Settings.

Commands call these builders and hand what they return down to the stages,
which never build a client themselves. Builders import their libraries when
called, so ``--help``, ``config check`` and ``sources`` do not pay for Slack,
the fetcher or a model they do not use.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import ConfigError, ConfigProblem

if TYPE_CHECKING:
    from concurrent.futures import Future

    from slack_sdk import WebClient

    from bot.channels.directory import ChannelDirectory
    from bot.config import BotConfig, Settings
    from bot.delivery.ports import ProblemReporter, Sink
    from bot.sources.fetch import SafeFetcher
    from bot.store import Store
    from bot.summarize.base import Summarizer
    from bot.summarize.factory import Models


def now() -> datetime:
    return datetime.now(UTC)


def build_settings() -> tuple[Settings, BotConfig]:
    """Settings from the environment and the TOML config file they name."""
    from bot.config import load_config, load_settings

    settings = load_settings()
    return settings, load_config(settings.config_path)


def build_store(settings: Settings) -> Store:
    """Redis (REDIS_URL, or the embedded server), pinged: StoreError if unreachable."""
    from bot.store import connect

    return connect(settings)


def build_fetcher(settings: Settings) -> SafeFetcher:
    """The one network client for feeds and pages (SSRF guard, limits)."""
    from bot.sources.fetch import FetchPolicy, SafeFetcher, build_http_client
    from bot.sources.netguard import AddressPolicy

    policy = FetchPolicy(
        max_bytes=settings.fetch_max_bytes,
        total_timeout_s=settings.fetch_timeout_s,
        read_timeout_s=min(10.0, settings.fetch_timeout_s),
    )
    addresses = AddressPolicy(allowed_hosts=settings.allowed_hosts)
    return SafeFetcher(build_http_client(policy), addresses, policy)


def build_models(settings: Settings) -> Models:
    """Load SUMMARIZER_MODEL once: its engine serves summaries and thread Q&A alike."""
    from bot.summarize.factory import load_models

    return load_models(settings.summarizer_model, settings.models_dir,
                       quantize=settings.quantize,
                       vocabulary=settings.summarizer_vocabulary)  # fmt: skip


def start_loading_models(settings: Settings) -> Future[Models]:
    """``build_models`` on a background thread, for a process with other work to do
    first (``run`` reads its sources meanwhile, so its first summary does not wait for
    the load; ``demo``, ``digest``, ``summarize`` and ``ask`` read their articles).
    SUMMARIZER_MODEL is checked here, at once: a typo stops start-up as before. A
    daemon thread: a process that exits early does not wait for the load."""
    import threading
    from concurrent.futures import Future

    from bot.summarize.base import EXTRACTIVE
    from bot.summarize.factory import resolve_model

    if settings.summarizer_model != EXTRACTIVE:
        resolve_model(settings.summarizer_model, settings.models_dir)
    loading: Future[Models] = Future()

    def load() -> None:
        try:
            loading.set_result(build_models(settings))
        except BaseException as exc:  # handed to whoever waits for the models
            loading.set_exception(exc)

    threading.Thread(target=load, name="model-loader", daemon=True).start()
    return loading


def build_summarizer(models: Models, store: Store) -> Summarizer:
    """The loaded summarizer, counted and timed, behind the Redis summary cache."""
    from bot.summarize.cache import CachedSummarizer
    from bot.summarize.measured import MeasuredSummarizer

    return CachedSummarizer(MeasuredSummarizer(models.summarizer), store)


def build_slack_client(settings: Settings) -> WebClient | None:
    """Slack's Web API client, or None when SLACK_BOT_TOKEN is unset (terminal output)."""
    from bot.slack.poster import build_web_client

    return build_web_client(settings)


def build_sink(
    client: WebClient | None, blocks_file: Path | None = None, blocks_dir: Path | None = None
) -> Sink:
    """Slack when there is a client, else the terminal (with the Block Kit JSON files)."""
    from bot.delivery.terminal import TerminalSink

    if client is None:
        return TerminalSink(sys.stdout, blocks_file, blocks_dir)
    from bot.slack.poster import SlackSink

    return SlackSink(client)


def build_reporter(
    client: WebClient | None, store: Store, directory: ChannelDirectory
) -> ProblemReporter | None:
    """Who hears that Slack refuses a channel: whoever set it up (None without Slack)."""
    if client is None:
        return None
    from bot.slack.poster import SlackProblemReporter

    return SlackProblemReporter(client, store, directory.configured_by)


def build_directory(store: Store, config: BotConfig) -> ChannelDirectory:
    from bot.channels.directory import ChannelDirectory

    return ChannelDirectory(store, config)


def polling_setup(settings: Settings, config: BotConfig) -> tuple[Store, ChannelDirectory]:
    """Redis and the channel directory for a polling process; refuses to poll nothing.

    Channels and feeds set up in Slack (/outage-summary settings, subscribe) join
    the config file's; they are re-read every poll, so no restart is needed.
    """
    store = build_store(settings)
    directory = build_directory(store, config)
    if not directory.sources():
        where = str(settings.config_path or "OUTAGE_BOT_CONFIG")
        raise ConfigError([ConfigProblem(where, "sources", "no sources configured (and no "
                                         "feeds subscribed in Slack)")])  # fmt: skip
    return store, directory


def log_progress() -> None:
    """Long-running processes (run, clock, worker) log what they do instead of printing."""
    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
