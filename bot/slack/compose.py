"""Building the Slack side of the bot: used by ``outage-bot serve``.

The composition root (``bot.cli.root``) builds the store, the Web API client,
the model, the summarizer and the fetcher once and hands them here; this module
only decides which Slack pieces they become (the bolt App, HTTP or Socket Mode)
and refuses to start with a missing secret.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.channels.directory import ChannelDirectory
from bot.config import BotConfig, Settings
from bot.errors import ConfigError, ConfigProblem, DeliveryError
from bot.intake.pipeline import Intelligence
from bot.qa.model import answerer_for
from bot.slack.app import build_app
from bot.slack.handlers import SlackServices
from bot.slack.home import HomeRefresher, HomeTab
from bot.slack.threads import ThreadQuestions
from bot.sources.fetch import SafeFetcher
from bot.store import Store
from bot.summarize.base import Summarizer


@dataclass(frozen=True)
class SlackRuntime:
    app: App
    client: WebClient
    mode: str  # "socket" or "http"
    app_token: str | None
    health: Callable[[], Mapping[str, Any]]
    # Re-publishes the App Home tab when what it lists changes; started by ``serve``.
    home_refresher: HomeRefresher


def build_runtime(
    settings: Settings,
    config: BotConfig,
    store: Store,
    *,
    client: WebClient | None,
    summarizer: Summarizer,
    engine: Summarizer,
    fetcher: SafeFetcher,
    intelligence: Intelligence,
    now: Callable[[], datetime],
) -> SlackRuntime:
    """``summarizer`` is the cached one the app summarises with; ``engine`` the loaded
    model behind it, whose weights thread questions are answered with when it can.
    ``client`` is None when SLACK_BOT_TOKEN is unset (refused here)."""
    problems = []
    if client is None:
        problems.append(
            ConfigProblem(
                "environment", "SLACK_BOT_TOKEN", "required to serve Slack (an xoxb- bot token)"
            )
        )
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    secret = settings.slack_signing_secret
    if app_token is None and secret is None:
        problems.append(
            ConfigProblem(
                "environment",
                "SLACK_SIGNING_SECRET",
                "required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
            )
        )
    if problems:
        raise ConfigError(problems)
    assert client is not None  # noqa: S101 - checked above
    services = SlackServices(
        store=store,
        directory=ChannelDirectory(store, config),
        summarizer=summarizer,
        fetcher=fetcher,
        intelligence=intelligence,
        now=now,
    )
    answerer = answerer_for(engine, intelligence.catalog)
    home = HomeTab(store, intelligence.catalog, now)
    try:
        app = build_app(
            client,
            services,
            ThreadQuestions(store, answerer),
            signing_secret=secret.get_secret_value() if secret else None,
            home=home,
        )
    except BoltError as exc:  # bolt checks the bot token with auth.test on start-up
        raise ConfigError([ConfigProblem("environment", "SLACK_BOT_TOKEN", str(exc))]) from exc
    except (OSError, SlackClientError) as exc:  # URLError is an OSError: no answer at all
        raise DeliveryError(
            f"cannot reach the Slack API at {client.base_url} to check the bot token: "
            f"{getattr(exc, 'reason', exc)} (check SLACK_API_URL and the network)"
        ) from exc

    def health() -> Mapping[str, Any]:
        store.redis.ping()  # a dead Redis makes /healthz answer 503
        return {"redis": "ok", "summarizer": engine.name}

    mode = "socket" if app_token else "http"
    return SlackRuntime(
        app=app,
        client=client,
        mode=mode,
        app_token=app_token,
        health=health,
        home_refresher=HomeRefresher(home, client),
    )
