"""Posting digests to a Slack channel with the Web API (``chat.postMessage``)."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.config import Settings
from bot.digest import render_messages
from bot.errors import DeliveryError
from bot.schema import Digest


def build_web_client(settings: Settings) -> WebClient | None:
    """The one WebClient of the process, or None when no bot token is configured."""
    if settings.slack_bot_token is None:
        return None
    kwargs = {"token": settings.slack_bot_token.get_secret_value(), "timeout": 10}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url
    client = WebClient(**kwargs)  # type: ignore[arg-type]
    # On HTTP 429 wait for Retry-After and try again instead of failing the digest.
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client


class SlackSink:
    """Posts each message of a digest; returns the message timestamps (``ts``)."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def deliver(self, digest: Digest, timezone: str) -> list[str]:
        ids = []
        for message in render_messages(digest, timezone):
            try:
                response = self._client.chat_postMessage(
                    channel=digest.channel,
                    text=message["text"],
                    blocks=message["blocks"],
                    # Links in a digest would each unfold into a large preview.
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:
                error = exc.response.get("error", "unknown_error")
                raise DeliveryError(f"Slack refused the post to {digest.channel}: {error}") from exc
            except SlackClientError as exc:
                raise DeliveryError(f"cannot reach Slack: {exc}") from exc
            ids.append(str(response["ts"]))
        return ids
