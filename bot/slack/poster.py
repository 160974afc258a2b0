"""Posting to Slack with the Web API: digest messages, their edits, problem reports.

Slack errors become our errors here. The ones that need a person (the bot was
removed from the channel, the channel is gone or archived, the token is dead)
are ``ChannelUnavailable``: the delivery stops for that channel only, and
``SlackProblemReporter`` tells whoever configured it, at most every few hours.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.config import Settings
from bot.delivery.messages import SentMessage, shows_incident
from bot.delivery.terminal import post_payload
from bot.digest.mrkdwn import escape
from bot.digest.render import Message
from bot.errors import ChannelUnavailable, DeliveryError
from bot.keys import PROBLEM_TTL
from bot.ops import metrics
from bot.store import Store

log = logging.getLogger(__name__)

# Slack errors that no retry fixes: a person has to act. Each maps to what to do.
CHANNEL_PROBLEMS = {
    "not_in_channel": "Invite me to the channel (`/invite @outage-bot`).",
    "channel_not_found": "The channel may have been deleted, or it is private and I am not "
    "in it: invite me, or fix the channel ID in the configuration.",
    "is_archived": "The channel is archived: unarchive it or configure another channel.",
    "restricted_action": "The workspace does not let me post there: ask an admin to allow it.",
    "missing_scope": "The Slack app lacks the `chat:write` scope: reinstall it.",
    "invalid_auth": "My Slack token is not valid: update SLACK_BOT_TOKEN or reinstall the app.",
    "not_authed": "No Slack token was sent: set SLACK_BOT_TOKEN.",
    "token_revoked": "My Slack token was revoked: reinstall the app.",
    "token_expired": "My Slack token expired: reinstall the app.",
    "account_inactive": "My Slack account is deactivated: reinstall the app.",
    "team_access_not_granted": "The app is not installed for this workspace: install it.",
}
# chat.update errors meaning the message is gone (deleted with its thread).
_MESSAGE_GONE = frozenset({"message_not_found", "thread_not_found"})


def build_web_client(settings: Settings) -> WebClient | None:
    """The one WebClient of the process, or None when no bot token is configured."""
    if settings.slack_bot_token is None:
        return None
    kwargs = {"token": settings.slack_bot_token.get_secret_value(), "timeout": 10}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url
    client = WebClient(**kwargs)  # type: ignore[arg-type]
    # On HTTP 429 wait for Retry-After and try again instead of failing the digest.
    client.retry_handlers.append(CountingRateLimitHandler(max_retry_count=3))
    return client


class CountingRateLimitHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler (waits Retry-After, retries) that also counts each 429."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            metrics.SLACK_RATE_LIMITED.inc()
        return bool(
            super()._can_retry(state=state, request=request, response=response, error=error)
        )


class SlackSink:
    """A ``MessageSink``: posts and edits messages in channels; returns message ``ts``."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def post(self, channel: str, message: Message, thread_ts: str | None = None) -> SentMessage:
        try:
            # The same payload `digest --blocks` writes for a preview.
            response = self._client.chat_postMessage(**post_payload(channel, message, thread_ts))
        except SlackApiError as exc:
            metrics.SLACK_ERRORS.labels(error=_error_of(exc)).inc()
            raise _refused(channel, exc) from exc
        except (SlackClientError, OSError) as exc:  # OSError: urllib's connection errors
            metrics.SLACK_ERRORS.labels(error="unreachable").inc()
            raise DeliveryError(f"cannot reach Slack: {exc}") from exc
        metrics.SLACK_POSTS.labels(method="chat.postMessage").inc()
        return SentMessage(ts=str(response["ts"]), channel=str(response.get("channel") or channel))

    def find_posted(self, channel: str, incident_id: str, revision: int) -> SentMessage | None:
        # Only a delivery that was interrupted asks, so one page of recent history
        # (an interrupted post is minutes old) is enough. A lookup that fails (a
        # channel configured by #name, a missing history scope) is logged and the
        # post goes ahead, as it would have without the check.
        try:
            response = self._client.conversations_history(
                channel=channel, limit=200, include_all_metadata=True
            )
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("could not check %s for an earlier post of %s: %s", channel,
                        incident_id, exc)  # fmt: skip
            return None
        for message in response.get("messages") or []:
            if shows_incident(message, incident_id, revision):
                return SentMessage(ts=str(message["ts"]), channel=channel)
        return None

    def update(self, channel_id: str, ts: str, message: Message) -> bool:
        try:
            self._client.chat_update(
                channel=channel_id, ts=ts, text=message["text"], blocks=message["blocks"]
            )
        except SlackApiError as exc:
            metrics.SLACK_ERRORS.labels(error=_error_of(exc)).inc()
            if _error_of(exc) in _MESSAGE_GONE:
                return False
            raise _refused(channel_id, exc) from exc
        except (SlackClientError, OSError) as exc:  # OSError: urllib's connection errors
            metrics.SLACK_ERRORS.labels(error="unreachable").inc()
            raise DeliveryError(f"cannot reach Slack: {exc}") from exc
        metrics.SLACK_POSTS.labels(method="chat.update").inc()
        return True


def _error_of(exc: SlackApiError) -> str:
    return str(exc.response.get("error", "unknown_error"))


def _refused(channel: str, exc: SlackApiError) -> DeliveryError:
    error = _error_of(exc)
    if error in CHANNEL_PROBLEMS:
        return ChannelUnavailable(channel, error)
    return DeliveryError(f"Slack refused the post to {channel}: {error}")


class SlackProblemReporter:
    """A ``ProblemReporter`` that sends a direct message to whoever configured the channel.

    ``configured_by`` maps a channel to that person's Slack user id (None: nobody
    known, the problem is only logged). The same problem in the same channel is
    reported at most once per ``PROBLEM_TTL``, whichever process meets it.
    """

    def __init__(
        self, client: WebClient, store: Store, configured_by: Callable[[str], str | None]
    ) -> None:
        self._client = client
        self._store = store
        self._configured_by = configured_by

    def report(self, channel: str, problem: str) -> None:
        user = self._configured_by(channel)
        if user is None:
            log.warning("%s cannot receive digests (%s); nobody to tell", channel, problem)
            return
        key = self._store.keys.problem(channel, problem)
        if not self._store.redis.set(key, user, nx=True, ex=int(PROBLEM_TTL.total_seconds())):
            return  # already told within the last few hours
        try:
            self._client.chat_postMessage(
                channel=user,  # a user id opens (or reuses) the direct message with them
                text=problem_text(channel, problem),
                unfurl_links=False,
                unfurl_media=False,
            )
        except (SlackClientError, OSError) as exc:
            # Not told after all: let the next run try again.
            self._store.redis.delete(key)
            log.error("could not tell %s that %s fails (%s): %s", user, channel, problem, exc)


def problem_text(channel: str, problem: str) -> str:
    """The direct message about a channel that cannot receive digests (mrkdwn)."""
    # <#C…> renders as a channel link; a "#name" from the config is shown as typed.
    where = f"<#{channel}>" if channel[:1] in "CG" and channel.isalnum() else escape(channel)
    advice = CHANNEL_PROBLEMS.get(problem, "")
    return (
        f"I could not post the outage digest to {where}: Slack said `{escape(problem)}`. "
        f"{advice} Nothing is lost: the pending incidents are posted once this is fixed."
    ).replace("  ", " ")
