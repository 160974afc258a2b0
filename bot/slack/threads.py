"""Questions asked in the thread under an incident message, answered once.

Slack delivers a thread reply that @mentions the bot twice (a ``message`` and an
``app_mention`` event), and retries any event it thinks we missed
(``x-slack-retry-num``). Every path claims the question's message ts in Redis
first (``SET NX``), so however often it arrives it is answered once.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.delivery.messages import MessageLog
from bot.incidents.book import IncidentBook
from bot.keys import ANSWERED_TTL
from bot.qa.answerer import Answerer
from bot.qa.facts import Facts
from bot.qa.render import render_answer
from bot.schema import Article, Incident
from bot.slack.commands import COMMAND
from bot.store import Store
from bot.store.articles import ArticleStore

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
# Message subtypes that are not someone asking something (edits, joins, bot posts …).
_IGNORED_SUBTYPES = frozenset(
    {
        "bot_message",
        "message_changed",
        "message_deleted",
        "channel_join",
        "channel_leave",
        "thread_broadcast",
        "message_replied",
        "channel_topic",
        "channel_purpose",
    }
)


class ThreadQuestions:
    def __init__(self, store: Store, answerer: Answerer) -> None:
        self._store = store
        self._answerer = answerer
        self._messages = MessageLog(store)

    def handle(self, event: dict[str, Any], client: WebClient, *, mentioned: bool) -> bool:
        """Answer ``event`` if it asks about an incident; True when a reply was posted."""
        if event.get("bot_id") or event.get("subtype") in _IGNORED_SUBTYPES:
            return False
        channel, ts = event.get("channel"), event.get("ts")
        thread_ts = event.get("thread_ts")
        if not isinstance(channel, str) or not isinstance(ts, str):
            return False
        # The parent message's ts, when this is a reply in a thread.
        parent = thread_ts if isinstance(thread_ts, str) and thread_ts != ts else None
        incident_id = self._messages.incident_at(channel, parent) if parent else None
        if incident_id is None and not mentioned:
            return False  # ordinary conversation; not ours to answer
        if not self._claim(channel, ts):
            log.info("question %s in %s already answered (a retry or a second event)", ts, channel)
            return False
        question = _MENTION.sub("", str(event.get("text", ""))).strip()
        reply_ts = parent or ts

        def say(text: str) -> bool:
            return self._post(client, channel, reply_ts, {"text": text})

        if incident_id is None:
            return say(
                "Ask me in the thread of one of my incident messages, and I will answer from "
                f"its reports. For recent incidents try `{COMMAND}`."
            )
        if not question:
            return say("Ask me something about this incident, e.g. “which regions are affected?”")
        incident = IncidentBook(self._store).get(incident_id)
        articles = self._articles(incident.articles if incident else ())
        if not articles:
            return say(
                "The reports of this incident are no longer stored (kept 30 days), so I "
                "cannot answer from them."
            )
        facts = Facts.of_incident(incident, self._provider_name(incident)) if incident else None
        answer = self._answerer.answer(question, articles, facts)
        return self._post(client, channel, reply_ts, render_answer(answer))

    def _provider_name(self, incident: Incident) -> str | None:
        if incident.provider is None:
            return None
        try:
            return self._answerer.catalog.provider_name(incident.provider)
        except KeyError:  # a provider the catalogue no longer has
            return None

    def _claim(self, channel: str, ts: str) -> bool:
        key = self._store.keys.answered(channel, ts)
        ttl = int(ANSWERED_TTL.total_seconds())
        return bool(self._store.redis.set(key, "1", nx=True, ex=ttl))

    def _articles(self, references: tuple[Any, ...]) -> list[Article]:
        stored = ArticleStore(self._store).get_many([a.article_id for a in references])
        return [stored[a.article_id] for a in references if a.article_id in stored]

    @staticmethod
    def _post(client: WebClient, channel: str, thread_ts: str, message: dict[str, Any]) -> bool:
        try:
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=message["text"],
                blocks=message.get("blocks"),
                unfurl_links=False,
                unfurl_media=False,
            )
        except (SlackApiError, SlackClientError) as exc:
            # The claim stays: a second attempt could post a duplicate if Slack did
            # take the first one. The log says which question went unanswered.
            log.error("could not answer in %s thread %s: %s", channel, thread_ts, exc)
            return False
        return True
