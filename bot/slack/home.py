"""The App Home tab: what is going on now, for whoever opens the bot in Slack.

The tab lists the incidents open now (reported in the last week and not over) and
those resolved in the last 24 hours: provider, status, confirmation, timing, and a
link to each channel message the bot posted about it. It is published for a user
when they open the tab, and again for everyone who has opened it when what it
shows changes (``HomeRefresher`` looks once a minute: the worker that posts
messages may run in another process, so the tab is computed from Redis, the one
place both see).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.delivery.messages import MessageLog
from bot.digest import mrkdwn
from bot.digest.briefing import UTC_ZONE, confirmation, timing_line, when
from bot.incidents.book import IncidentBook
from bot.outage.entities import EntityCatalog
from bot.schema import Incident
from bot.store import Store

log = logging.getLogger(__name__)

RESOLVED_WINDOW = timedelta(hours=24)
# An open incident with no news for longer than this is no longer "now" (its
# timing line says "open, no news for …" before that).
OPEN_WINDOW = timedelta(days=7)
MAX_LISTED = 15  # per section; a view holds at most 100 blocks
# Who has opened the tab recently is who gets it refreshed; others get a fresh one
# when they open it.
VIEWER_TTL = timedelta(days=30)
MAX_VIEWERS = 200
REFRESH_EVERY_S = 60.0
_OVER = ("resolved", "postmortem")


class HomeViewers:
    """Users who opened the Home tab in the last VIEWER_TTL (a sorted set by time)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._key = store.keys.home_viewers()

    def add(self, user_id: str, now: datetime) -> None:
        pipe = self._store.redis.pipeline(transaction=True)
        pipe.zadd(self._key, {user_id: now.timestamp()})
        pipe.zremrangebyscore(self._key, "-inf", (now - VIEWER_TTL).timestamp())
        pipe.zremrangebyrank(self._key, 0, -MAX_VIEWERS - 1)  # keep the most recent
        pipe.execute()

    def recent(self, now: datetime) -> list[str]:
        since = (now - VIEWER_TTL).timestamp()
        return [str(u) for u in self._store.redis.zrangebyscore(self._key, since, "+inf")]


class HomeTab:
    """Builds the Home view from the store and publishes it with ``views.publish``."""

    def __init__(self, store: Store, catalog: EntityCatalog, now: Callable[[], datetime]) -> None:
        self._book = IncidentBook(store)
        self._messages = MessageLog(store)
        self._catalog = catalog
        self._now = now
        self.viewers = HomeViewers(store)
        self._workspace: str | None = None  # https://team.slack.com/, from auth.test
        self._published = ""  # fingerprint of the view last sent to every viewer

    def view(self, client: WebClient) -> dict[str, Any]:
        now = self._now()
        recent = [i for i in self._book.recent(now - OPEN_WINDOW) if i.is_outage]
        open_now = [i for i in recent if i.status not in _OVER]
        over = [i for i in recent if i.status in _OVER and now - i.updated_at <= RESOLVED_WINDOW]
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": "Outages"}},
            _context(f"As of {when(now, UTC_ZONE)}; news and status pages the bot watches."),
        ]
        for heading, incidents, empty in (
            ("Open now", open_now, "Nothing open: no outage reported this week is ongoing."),
            ("Resolved in the last 24 h", over, "None."),
        ):
            blocks.append({"type": "divider"})
            blocks.append(_section(f"*{heading}* ({len(incidents)})"))
            if not incidents:
                blocks.append(_context(empty))
            for incident in incidents[:MAX_LISTED]:
                blocks.append(_section(self._line(incident, client)))
            if len(incidents) > MAX_LISTED:
                blocks.append(_context(f"and {len(incidents) - MAX_LISTED} more"))
        return {"type": "home", "blocks": blocks}

    def open(self, client: WebClient, user_id: str) -> None:
        """The user opened the tab: remember them and publish it for them."""
        self.viewers.add(user_id, self._now())
        self._publish(client, [user_id], self.view(client))

    def refresh(self, client: WebClient) -> int:
        """Publish the view to recent viewers if it changed since the last refresh;
        returns how many were sent it."""
        view = self.view(client)
        shown = _fingerprint(view)
        if shown == self._published:
            return 0
        sent = self._publish(client, self.viewers.recent(self._now()), view)
        self._published = shown
        return sent

    def _line(self, incident: Incident, client: WebClient) -> str:
        provider = incident.provider
        name = self._provider_name(provider) if provider else None
        subject = name or (incident.affected[0] if incident.affected else "Outage")
        parts = [
            f"*{mrkdwn.text(subject)}*",
            mrkdwn.text(incident.status or "ongoing"),
            mrkdwn.text(confirmation(incident, name)),
            mrkdwn.text(timing_line(incident, UTC_ZONE, self._now())),
        ]
        links = self._message_links(incident, client)
        line = " · ".join(parts) + f"\n{mrkdwn.text(incident.title)}"
        return line + (f"\n{links}" if links else "")

    def _provider_name(self, provider: str) -> str | None:
        try:
            return self._catalog.provider_name(provider)
        except KeyError:
            return None

    def _message_links(self, incident: Incident, client: WebClient) -> str:
        links = []
        for channel in self._messages.channels_of(incident.id):
            posted = self._messages.get(channel, incident.id)
            if posted is None:
                continue
            channel_id = posted.channel_id or channel
            # <#C…> renders as the channel's name for whoever may see it; a channel
            # configured by #name and never answered for by Slack keeps its name.
            if channel_id.startswith("#"):
                links.append(f"posted in {mrkdwn.text(channel_id)}")
                continue
            where = f"<#{mrkdwn.escape(channel_id)}>"
            url = self._permalink(client, channel_id, posted.ts)
            links.append(f"<{mrkdwn.escape(url)}|message> in {where}" if url else f"in {where}")
        return " · ".join(links)

    def _permalink(self, client: WebClient, channel_id: str, ts: str) -> str | None:
        """Slack's documented message URL: the workspace URL (auth.test), then
        ``archives/<channel>/p<ts without the dot>``."""
        if self._workspace is None:
            try:
                self._workspace = str(client.auth_test().get("url") or "")
            except SlackClientError as exc:
                log.warning("Home tab: auth.test failed, messages are not linked: %s", exc)
                return None
        if not self._workspace:
            return None
        return f"{self._workspace.rstrip('/')}/archives/{channel_id}/p{ts.replace('.', '')}"

    def _publish(self, client: WebClient, users: list[str], view: dict[str, Any]) -> int:
        sent = 0
        for user in users:
            try:
                client.views_publish(user_id=user, view=view)
                sent += 1
            except SlackApiError as exc:  # one user's failure (left the team) is theirs
                log.warning("Home tab for %s not published: %s", user, exc.response.get("error"))
        return sent


class HomeRefresher:
    """Re-publishes the Home tab when it changes, from a daemon thread of ``serve``."""

    def __init__(self, home: HomeTab, client: WebClient, every_s: float = REFRESH_EVERY_S) -> None:
        self._home = home
        self._client = client
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="home-refresh", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._every_s):
            try:
                self._home.refresh(self._client)
            except Exception:  # Redis or Slack down: the next round tries again
                log.warning("Home tab refresh failed", exc_info=True)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _fingerprint(view: dict[str, Any]) -> str:
    # "As of …" changes every minute; what matters is whether anything else did.
    listed = view["blocks"][2:]
    return hashlib.sha256(json.dumps(listed, sort_keys=True).encode()).hexdigest()
