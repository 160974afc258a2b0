"""Building our real Slack app for tests: real bolt, real Redis, a fake Slack Web API.

The app is the one ``outage-bot serve`` runs (``bot.slack.app.build_app``) with
the extractive summarizer and no QA model, pointed at ``FakeSlackServer``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from slack_bolt import App
from slack_sdk import WebClient

from bot.channels.directory import ChannelDirectory
from bot.config import BotConfig, ChannelConfig, Settings
from bot.intake.pipeline import Intelligence, ingest
from bot.qa.answerer import Answerer
from bot.schema import Source
from bot.slack.app import build_app
from bot.slack.handlers import SlackServices
from bot.slack.poster import build_web_client
from bot.slack.threads import ThreadQuestions
from bot.sources.fetch import FetchPolicy, SafeFetcher
from bot.store import Store
from bot.summarize.extractive import ExtractiveSummarizer
from tests.conftest import SAMPLES
from tests.fake_slack import FakeSlackServer
from tests.http_server import local_fetcher

SECRET = "test-signing-secret"
CHANNEL = "C0OPS00001"
# The sample incidents were last updated on 20 Nov (AWS) and 22 Nov (Aliyun) 2026.
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
INTELLIGENCE = Intelligence.load()
T = TypeVar("T")


def web_client(fake_slack: FakeSlackServer) -> WebClient:
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake_slack.api_url)
    client = build_web_client(settings)
    assert client is not None
    return client


def fetcher() -> SafeFetcher:
    """The real safe fetcher; "news.test" is our local server, which it may reach."""
    return local_fetcher(FetchPolicy(total_timeout_s=10.0, read_timeout_s=10.0))


def our_app(
    store: Store,
    fake_slack: FakeSlackServer,
    *,
    config: BotConfig | None = None,
    signing_secret: str | None = SECRET,
) -> App:
    services = SlackServices(
        store=store,
        directory=ChannelDirectory(store, config or BotConfig()),
        summarizer=ExtractiveSummarizer(),
        fetcher=fetcher(),
        intelligence=INTELLIGENCE,
        now=lambda: NOW,
    )
    questions = ThreadQuestions(store, Answerer(None, INTELLIGENCE.catalog))
    return build_app(web_client(fake_slack), services, questions, signing_secret=signing_secret)


def ingest_samples(store: Store, channels: tuple[ChannelConfig, ...] = ()) -> None:
    sources = [Source(name="articles", location=str(SAMPLES / "articles"), kind="markdown")]
    ingest(sources, store, channels, NOW, INTELLIGENCE)


def wait_for(check: Callable[[], T], timeout: float = 15.0, what: str = "it") -> T:
    """Poll until ``check()`` is truthy (work that runs after Slack's ack)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
