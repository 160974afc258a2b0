"""What ``/outage-summary`` does, apart from Slack's plumbing (that is ``app.py``).

``quick_reply`` answers what needs no network or model (help, settings,
sources, unsubscribe) straight away, inside Slack's 3 seconds; ``slow_reply``
does the rest (summaries, fetching a URL, checking a feed) after the command
was acknowledged, and its message goes back through ``response_url``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from bot.channels.directory import SUBSCRIPTION_PREFIX, ChannelDirectory, Subscription
from bot.config import ChannelConfig
from bot.digest.build import lead_articles
from bot.digest.mrkdwn import escape
from bot.errors import ConfigError, FetchError, OutageBotError
from bot.filters import wants
from bot.incidents.book import IncidentBook
from bot.intake.pipeline import Intelligence
from bot.intake.reading import PAGE_ACCEPT
from bot.schema import Incident
from bot.slack import replies
from bot.slack.commands import (
    COMMAND,
    HELP,
    ChangeSetting,
    Help,
    ListIncidents,
    Request,
    ShowSettings,
    ShowSources,
    Subscribe,
    SummarizeUrl,
    Unsubscribe,
)
from bot.slack.replies import Message
from bot.sources.article import to_article
from bot.sources.fetch import SafeFetcher
from bot.sources.health import SourceStates
from bot.sources.reader import Document, parse_document
from bot.store import Store
from bot.summarize.base import Summarizer

log = logging.getLogger(__name__)
R = TypeVar("R")


@dataclass(frozen=True)
class SlackServices:
    """Everything the Slack side needs, built once by the CLI and passed in."""

    store: Store
    directory: ChannelDirectory
    summarizer: Summarizer
    fetcher: SafeFetcher
    intelligence: Intelligence
    now: Callable[[], datetime]


@dataclass(frozen=True)
class Invocation:
    """Who typed the command where (from Slack's payload)."""

    channel_id: str
    user_id: str


@dataclass(frozen=True)
class Subcommand(Generic[R]):
    """How one kind of ``/outage-summary`` request is answered (see SUBCOMMANDS)."""

    reply: Callable[[CommandHandler, R, Invocation], Message]
    # Quick: answered inside Slack's 3 s, in the acknowledgement (no network, no model).
    # Slow: acknowledged at once, answered later through response_url.
    quick: bool
    note: Callable[[R], str] | None = None  # what the acknowledgement says while it runs


class CommandHandler:
    def __init__(self, services: SlackServices) -> None:
        self._s = services

    def quick_reply(self, request: Request, who: Invocation) -> Message | None:
        """The whole answer when it is cheap; None when ``slow_reply`` must run."""
        entry = subcommand(request)
        return entry.reply(self, request, who) if entry.quick else None

    @staticmethod
    def is_quick(request: Request) -> bool:
        """Whether ``quick_reply`` answers it (no network, no model)."""
        return subcommand(request).quick

    def working_note(self, request: Request) -> str | None:
        """What the acknowledgement says while a slow request runs."""
        note = subcommand(request).note
        return note(request) if note is not None else None

    def slow_reply(self, request: Request, who: Invocation) -> Message:
        try:
            return subcommand(request).reply(self, request, who)
        except FetchError as exc:
            return replies.plain(f":warning: Could not read {escape(exc.url)}: {escape(exc.why)}")
        except ConfigError as exc:
            return replies.plain(":warning: " + escape("; ".join(p.why for p in exc.problems)))
        except OutageBotError as exc:
            return replies.plain(f":warning: {escape(str(exc))}")

    # -- incidents -----------------------------------------------------------------------

    def _list(self, request: ListIncidents, who: Invocation) -> Message:
        channel = self._s.directory.effective(who.channel_id)
        since = self._s.now() - request.window
        found = self.matching(request.query, channel, since)
        window = replies.window_label(request.window)
        if request.query:
            title = f"Incidents about “{request.query}” in the last {window}: {len(found)}"
        else:
            title = f"Incidents in the last {window} for this channel: {len(found)}"
        if not found:
            hint = "" if request.query else " (this channel's filters: `/outage-summary settings`)"
            what = f"about “{escape(request.query)}” " if request.query else ""
            return replies.plain(
                f"No incidents {what}in the last {window}{hint}.", public=request.public
            )
        shown = found[: replies.MAX_LISTED]
        wanted = None if channel.summary_language == "source" else channel.summary_language
        leads = lead_articles(self._s.store, shown, wanted)
        summaries = iter(self._s.summarizer.summarize([a for a in leads if a], wanted))
        catalog = self._s.intelligence.catalog
        listed = [
            (
                incident,
                next(summaries) if lead else None,
                catalog.provider_name(incident.provider) if incident.provider else None,
            )
            for incident, lead in zip(shown, leads, strict=True)
        ]
        return replies.incident_list(
            title, listed, len(found), channel.timezone, public=request.public
        )

    def matching(
        self, query: str | None, channel: ChannelConfig, since: datetime
    ) -> list[Incident]:
        """Outage incidents updated since ``since``, newest first.

        Without a query the channel's filters decide; with one, a provider alias
        ("aws", "阿里云") matches that provider and anything else matches words
        in the report titles, whatever the channel's filters say.
        """
        catalog = self._s.intelligence.catalog
        recent = [i for i in IncidentBook(self._s.store).recent(since) if i.is_outage]
        if query is None:
            return [i for i in recent if wants(channel.filters, i, catalog.find_provider)]
        provider = catalog.find_provider(query)
        if provider is not None:
            return [i for i in recent if i.provider == provider]
        needle = query.casefold()
        return [i for i in recent if any(needle in a.title.casefold() for a in i.articles)]

    # -- one article -----------------------------------------------------------------

    def _summarize_url(self, request: SummarizeUrl, who: Invocation) -> Message:
        result = self._s.fetcher.fetch(request.url, accept=PAGE_ACCEPT)
        document = Document(result.data, result.url, result.content_type)
        entries = parse_document(document, request.url).entries
        article = to_article(entries[0], self._s.now())
        (summary,) = self._s.summarizer.summarize([article])
        outage = self._s.intelligence.classifier.classify(article)
        facts = ""
        if outage.is_outage:
            catalog = self._s.intelligence.catalog
            parts = [catalog.provider_name(outage.provider) if outage.provider else "Outage"]
            parts += [r.split(":", 1)[-1] for r in outage.regions[:4]]
            parts += [outage.status] if outage.status else []
            facts = " · ".join(parts)
        return replies.article_summary(article, summary, facts, public=request.public)

    # -- channel settings and feeds ------------------------------------------------------

    def _help(self, request: Help, who: Invocation) -> Message:
        return replies.plain(HELP)

    def _settings(self, request: ShowSettings, who: Invocation) -> Message:
        channel_id = who.channel_id
        directory = self._s.directory
        if directory.record(channel_id) is not None:
            origin = "set in Slack"
        elif directory.from_file(channel_id):
            origin = "from the bot's config file"
        else:
            origin = (
                "defaults: this channel gets no digests until it subscribes to a feed or "
                "changes a setting"
            )
        return replies.plain(replies.settings_text(directory.effective(channel_id), origin))

    def _change(self, request: ChangeSetting, who: Invocation) -> Message:
        try:
            updated = self._s.directory.change(
                who.channel_id, who.user_id, **{request.name: request.value}
            )
        except ConfigError as exc:
            reasons = "; ".join(p.why for p in exc.problems)
            return replies.plain(f":warning: `{request.name}` not changed: {escape(reasons)}")
        log.info("%s changed %s of %s", who.user_id, request.name, who.channel_id)
        return replies.plain("Saved. " + replies.settings_text(updated, "set in Slack"))

    def _sources(self, request: ShowSources, who: Invocation) -> Message:
        channel_id = who.channel_id
        directory = self._s.directory
        configured = [s for s in directory.sources() if not s.name.startswith(SUBSCRIPTION_PREFIX)]
        feeds = directory.subscriptions(channel_id)
        names = [s.name for s in configured] + [f.source_name for f in feeds]
        health = SourceStates(self._s.store).get_many(names)  # one round trip for all
        return replies.plain(
            replies.sources_text(
                [(s.name, s.location, health[s.name]) for s in configured],
                [(f, health[f.source_name]) for f in feeds],
            )
        )

    def _subscribe(self, request: Subscribe, who: Invocation) -> Message:
        # Read the feed once now, so a typo or a web page is refused with its reason
        # instead of failing quietly at every poll.
        result = self._s.fetcher.fetch(request.url)
        document = Document(result.data, result.url, result.content_type)
        # A web page is not a feed: only feeds and JSON status documents are accepted.
        is_json = result.data.lstrip()[:1] in (b"{", b"[")
        read = parse_document(document, request.url, kind="auto" if is_json else "feed")
        subscription = Subscription(url=request.url, added_by=who.user_id, added_at=self._s.now())
        if not self._s.directory.subscribe(who.channel_id, subscription):
            return replies.plain(f"This channel already subscribes to {escape(request.url)}.")
        return replies.plain(
            f"Subscribed to {escape(request.url)} ({len(read.entries)} items now). New outage "
            f"reports from it reach this channel's digest; see `{COMMAND} settings`.",
            public=True,
        )

    def _unsubscribe(self, request: Unsubscribe, who: Invocation) -> Message:
        return replies.plain(self._unsubscribed(request, who.channel_id))

    def _unsubscribed(self, request: Unsubscribe, channel_id: str) -> str:
        directory = self._s.directory
        if request.url is None:
            feeds = directory.forget(channel_id)
            note = (
                " This channel is also in the bot's config file, so its configured digest "
                "continues."
                if directory.from_file(channel_id)
                else ""
            )
            return f"Removed {feeds} feed(s) and this channel's Slack-made settings.{note}"
        if directory.unsubscribe(channel_id, request.url):
            return f"Unsubscribed from {escape(request.url)}."
        return (
            f"This channel does not subscribe to {escape(request.url)} (see `{COMMAND} sources`)."
        )


# Every request ``bot.slack.commands.parse`` can return, and how it is answered. A new
# subcommand is one entry here (and its parse rule); a test checks none is missing.
SUBCOMMANDS: dict[type[Request], Subcommand[Any]] = {
    Help: Subcommand(CommandHandler._help, quick=True),
    ShowSettings: Subcommand(CommandHandler._settings, quick=True),
    ChangeSetting: Subcommand(CommandHandler._change, quick=True),
    ShowSources: Subcommand(CommandHandler._sources, quick=True),
    Unsubscribe: Subcommand(CommandHandler._unsubscribe, quick=True),
    ListIncidents: Subcommand(CommandHandler._list, quick=False),
    SummarizeUrl: Subcommand(
        CommandHandler._summarize_url,
        quick=False,
        note=lambda request: f"Fetching and summarising {escape(request.url)} …",
    ),
    Subscribe: Subcommand(
        CommandHandler._subscribe,
        quick=False,
        note=lambda request: f"Checking the feed at {escape(request.url)} …",
    ),
}


def subcommand(request: Request) -> Subcommand[Any]:
    return SUBCOMMANDS[type(request)]
