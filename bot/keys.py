"""The Redis key layout: every key outage-bot writes, with its retention.

All keys start with a prefix (``OUTAGE_BOT_REDIS_PREFIX``, default ``outage-bot``) so
one Redis can serve several bots or tests. Every key either has a TTL or is
trimmed on write, so memory stays bounded however long feeds keep flowing.

=====================================  ==========  ============================================
key                                    retention   what it holds
=====================================  ==========  ============================================
``{p}:seen:{kind}:{digest}``           90 days     claim of one identity (kind: guid, url,
                                                   hash); value is the article id. Its
                                                   existence means "already ingested".
``{p}:article:{id}``                   30 days     the Article as JSON
``{p}:summary:{hash}:{variant}``       30 days     the Summary as JSON, by content hash and
                                                   engine/revision/settings/language
``{p}:unfiled``                        at most     sorted set: articles claimed but not yet
                                       10,000      filed into an incident (a crash between the
                                                   two is repaired by the next run); never
                                                   trimmed: when full, claims wait (dedupe.py)
``{p}:incident:{id}``                  30 days     the Incident as JSON (refreshed on change)
``{p}:incidents``                      30 days     sorted set: incident ids by last update;
                                       by score    older members trimmed on write
``{p}:incidents:{subject}``            30 days     sorted set per provider/service: incident
                                                   ids by last update (matching candidates)
``{p}:thread:{thread}``                30 days     a status-page incident id -> our incident
``{p}:filed:{article id}``             30 days     which incident an article was filed under
``{p}:link:{address}``                 30 days     the first filed report at this page address,
                                                   or citing it as its source (a translation)
``{p}:minhash:{article id}``           30 days     an article's MinHash signature (hex)
``{p}:lsh:{band}:{hash}``              30 days     set: article ids sharing one LSH band
``{p}:lock:incidents``                 10 s        lock held while an article is filed
``{p}:pending:{channel}``              trimmed     sorted set: incident ids with news for the
                                       to 1,000    channel's next digest (score: last update,
                                                   epoch seconds); entries older than 30 days
                                                   are dropped when read
``{p}:delivered:{channel}:{id}``       90 days     the incident revision last delivered there
``{p}:last-digest:{channel}``          none        ISO time of the channel's last digest (one
                                                   small key per configured channel)
``{p}:source:{name}``                 90 days     hash: a source's ETag/Last-Modified, last
                                       after the   success/error, consecutive failures and next
                                       last poll   attempt (back-off)
``{p}:channel:{channel}``             none        a channel's settings made in Slack
                                                   (``/outage-summary settings``), JSON; one
                                                   per channel, removed by ``unsubscribe all``
``{p}:channels``                       none        set: channels with Slack-made settings
``{p}:subscriptions:{channel}``        none        hash: feed URL -> subscription JSON, for
                                                   feeds subscribed in Slack (at most 25)
``{p}:answered:{channel}:{ts}``        1 day       claim of a thread question (its message
                                                   ts): a retried event never answers twice
``{p}:request:{digest}``               11 min      a Slack request signature already accepted:
                                                   the same signed request sent again is refused
``{p}:posted:{channel}:{id}:{rev}``    1 min,      delivery claim, taken *before* posting so
                                       then 90     a retry or a second process cannot post
                                       days        the same item twice; value "claimed" (lapses
                                                   after 1 min if its holder died; renewed
                                                   while it lives), then the Slack message ts
                                                   (kept 90 days)
``{p}:claims:{host}:{pid}``           1 minute    set of the delivery claims one process holds
                                                   (renewed with them): a worker started again
                                                   on that host releases a dead pid's at once
``{p}:header:{channel}:{items}``       1 day       the header for this set of claimed items was
                                                   posted: a delivery resumed after a crash
                                                   does not post it again
``{p}:attempt:{channel}:{id}:{rev}``   1 day       an item was claimed once: a later claim first
                                                   asks Slack whether the earlier holder posted
                                                   it before dying (message metadata)
``{p}:message:{channel}:{id}``         90 days     the Slack message of an incident in a
                                                   channel, JSON {ts, revision, status,
                                                   article_ids}: what it showed, so a new
                                                   revision edits it and says what changed
``{p}:incident-at:{channel}:{ts}``     90 days     which incident the message (thread) with
                                                   this ts is about
``{p}:message-channels:{id}``          90 days     set of channels an incident was posted in
                                                   (the App Home tab links each message)
``{p}:home:viewers``                   30 days     sorted set of users who opened the App Home
                                                   tab, by time: who gets it re-published
``{p}:pace:{channel}``                 seconds     the next moment a message may be posted
                                                   to the channel (about one a second, for
                                                   every process together)
``{p}:problem:{channel}:{error}``      6 hours     a channel problem already reported to the
                                                   person who configured the channel
``{p}:stream:{queue}``                 trimmed     Redis Stream of jobs for ``outage-bot
                                       to ~10,000  worker`` (consumer group "workers"); a job
                                                   is deleted once acknowledged, so its length
                                                   is the backlog (``bot.jobs.queue``)
``{p}:dead:{queue}``                   trimmed     Redis Stream: jobs that failed 5 times, with
                                       to 1,000    their last error (dead letters)
``{p}:queued:{queue}:{token}``         1 hour      a job with this token is queued: the clock
                                                   does not queue the same work again each tick
``{p}:heartbeat:{process}``            3 beats     hash: a running process's role, pid, host,
                                                   last tick, model (``bot.ops.heartbeat``)
``{p}:heartbeats``                     1 day       sorted set: process → last beat, so a
                                                   process that died still shows as stopped
=====================================  ==========  ============================================

90 days for claims is longer than any feed keeps an item, so a feed replayed
weeks later announces nothing again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

IdentityKind = Literal["guid", "url", "hash"]

SEEN_TTL = timedelta(days=90)
ARTICLE_TTL = timedelta(days=30)
SUMMARY_TTL = timedelta(days=30)
PENDING_MAX = 1_000
UNFILED_MAX = 10_000
INCIDENT_TTL = timedelta(days=30)
DELIVERED_TTL = timedelta(days=90)
PENDING_MAX_AGE = timedelta(days=30)
POSTED_TTL = timedelta(days=90)
# A claim not yet turned into a message ts lapses after this: its holder died mid-post.
CLAIM_TTL = timedelta(minutes=1)  # a lease, renewed while its sender lives (delivery/deliver.py)
ATTEMPT_TTL = timedelta(days=1)
MESSAGE_TTL = timedelta(days=90)
PROBLEM_TTL = timedelta(hours=6)
SOURCE_TTL = timedelta(days=90)
ANSWERED_TTL = timedelta(days=1)
STREAM_MAX = 10_000
DEAD_LETTER_MAX = 1_000
QUEUED_TTL = timedelta(hours=1)


def digest_of(value: str) -> str:
    """A short, fixed-length key part for arbitrary (long, non-ASCII) strings."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Keys:
    """Builds key names; the only place that knows the layout above."""

    prefix: str = "outage-bot"

    def seen(self, kind: IdentityKind, value: str) -> str:
        return f"{self.prefix}:seen:{kind}:{digest_of(value)}"

    def article(self, article_id: str) -> str:
        return f"{self.prefix}:article:{article_id}"

    def summary(self, content_hash: str, variant: str) -> str:
        return f"{self.prefix}:summary:{content_hash[:32]}:{digest_of(variant)[:16]}"

    def pending(self, channel: str) -> str:
        return f"{self.prefix}:pending:{channel}"

    def last_digest(self, channel: str) -> str:
        return f"{self.prefix}:last-digest:{channel}"

    def source(self, name: str) -> str:
        return f"{self.prefix}:source:{digest_of(name)}"

    def posted(self, channel: str, incident_id: str, revision: int) -> str:
        return f"{self.prefix}:posted:{channel}:{incident_id}:{revision}"

    def process_claims(self, process: str) -> str:
        """Delivery claims one process (``host:pid``) holds now."""
        return f"{self.prefix}:claims:{process}"

    def process_claims_pattern(self, host: str) -> str:
        return f"{self.prefix}:claims:{host}:*"

    def attempt(self, channel: str, incident_id: str, revision: int) -> str:
        return f"{self.prefix}:attempt:{channel}:{incident_id}:{revision}"

    def header_posted(self, channel: str, items: str) -> str:
        """The digest header for this set of claimed items was posted."""
        return f"{self.prefix}:header:{channel}:{items}"

    def delivered(self, channel: str, incident_id: str) -> str:
        return f"{self.prefix}:delivered:{channel}:{incident_id}"

    def message(self, channel: str, incident_id: str) -> str:
        return f"{self.prefix}:message:{channel}:{incident_id}"

    def merged_messages(self, channel: str) -> str:
        """Hash: absorbed incident id -> what its message in ``channel`` is to become."""
        return f"{self.prefix}:merged-messages:{channel}"

    def message_channels(self, incident_id: str) -> str:
        return f"{self.prefix}:message-channels:{incident_id}"

    def incident_at(self, channel: str, ts: str) -> str:
        return f"{self.prefix}:incident-at:{channel}:{ts}"

    def pace(self, channel: str) -> str:
        return f"{self.prefix}:pace:{channel}"

    def problem(self, channel: str, error: str) -> str:
        return f"{self.prefix}:problem:{channel}:{digest_of(error)[:16]}"

    def unfiled(self) -> str:
        return f"{self.prefix}:unfiled"

    def incident(self, incident_id: str) -> str:
        return f"{self.prefix}:incident:{incident_id}"

    def incidents(self) -> str:
        return f"{self.prefix}:incidents"

    def incidents_by_subject(self, subject: str) -> str:
        return f"{self.prefix}:incidents:{digest_of(subject)[:16]}"

    def thread(self, thread: str) -> str:
        return f"{self.prefix}:thread:{digest_of(thread)}"

    def filed(self, article_id: str) -> str:
        return f"{self.prefix}:filed:{article_id}"

    def report_link(self, address: str) -> str:
        return f"{self.prefix}:link:{digest_of(address)}"

    def minhash(self, article_id: str) -> str:
        return f"{self.prefix}:minhash:{article_id}"

    def lsh_band(self, band: int, value: str) -> str:
        return f"{self.prefix}:lsh:{band}:{value}"

    def incident_lock(self) -> str:
        return f"{self.prefix}:lock:incidents"

    def channel_settings(self, channel: str) -> str:
        return f"{self.prefix}:channel:{channel}"

    def slack_channels(self) -> str:
        return f"{self.prefix}:channels"

    def home_viewers(self) -> str:
        """Users who opened the App Home tab lately (sorted set by time)."""
        return f"{self.prefix}:home:viewers"

    def subscriptions(self, channel: str) -> str:
        return f"{self.prefix}:subscriptions:{channel}"

    def answered(self, channel: str, message_ts: str) -> str:
        return f"{self.prefix}:answered:{channel}:{message_ts}"

    def stream(self, queue: str) -> str:
        return f"{self.prefix}:stream:{queue}"

    def dead_letters(self, queue: str) -> str:
        return f"{self.prefix}:dead:{queue}"

    def queued(self, queue: str, token: str) -> str:
        return f"{self.prefix}:queued:{queue}:{digest_of(token)}"

    def request_signature(self, signature: str) -> str:
        """A Slack request signature already accepted (replay refusal, 11 min)."""
        return f"{self.prefix}:request:{digest_of(signature)}"

    def heartbeat(self, process: str) -> str:
        return f"{self.prefix}:heartbeat:{process}"

    def heartbeats(self) -> str:
        return f"{self.prefix}:heartbeats"

    def all_pattern(self) -> str:
        return f"{self.prefix}:*"
