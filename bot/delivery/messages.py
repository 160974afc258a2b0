"""Which Slack message shows which incident, and what it showed.

Each incident gets one message per channel; later revisions edit it and reply in
its thread. An incident that absorbs others (a merge) takes over the message of one
of them; the others' say where they went. The log records, per (channel, incident),
the message ``ts`` and what the message showed (revision, status, article ids) so
the next revision can say what changed; per (channel, ts), the incident, so a
question asked in a thread can be answered about the right incident; and per
incident, the channels it was posted in (the Home tab links each message).
"""

from __future__ import annotations

from bot.keys import MESSAGE_TTL
from bot.schema import Frozen, IncidentStatus
from bot.store import Store, read_record, redis_errors


class PostedMessage(Frozen):
    """An incident's message in one channel, as it was last posted or edited."""

    ts: str  # Slack's message timestamp: the message's id and its thread's
    revision: int  # the incident revision the message shows
    status: IncidentStatus | None = None
    article_ids: tuple[str, ...] = ()
    # The id Slack reported for the channel: chat.update needs it, and the
    # configuration may name the channel "#ops" instead.
    channel_id: str | None = None


class SentMessage(Frozen):
    """What Slack answered to a post."""

    ts: str
    channel: str  # the channel's id


# Slack message metadata on every incident message: which incident and revision it
# shows, so a delivery interrupted between posting and recording can be finished
# without a second post (``SlackSink.find_posted``).
METADATA_EVENT = "outage_bot_incident"


def incident_metadata(incident_id: str, revision: int) -> dict[str, object]:
    return {
        "event_type": METADATA_EVENT,
        "event_payload": {"incident": incident_id, "revision": revision},
    }


def shows_incident(message: dict[str, object], incident_id: str, revision: int) -> bool:
    """Whether a message from conversations.history carries our metadata for it."""
    metadata = message.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != METADATA_EVENT:
        return False
    payload = metadata.get("event_payload")
    return (
        isinstance(payload, dict)
        and payload.get("incident") == incident_id
        and str(payload.get("revision")) == str(revision)
    )


class MessageLog:
    """``{p}:message:{channel}:{id}`` and ``{p}:incident-at:{channel}:{ts}`` (90 days)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def record(self, channel: str, incident_id: str, posted: PostedMessage) -> None:
        keys, ttl = self._store.keys, int(MESSAGE_TTL.total_seconds())
        record = self._store.redis.pipeline(transaction=True)
        record.set(keys.message(channel, incident_id), posted.model_dump_json(), ex=ttl)
        # Thread events name the channel by id; the configuration may use its #name.
        for name in {channel, posted.channel_id or channel}:
            record.set(keys.incident_at(name, posted.ts), incident_id, ex=ttl)
        # Where the incident was posted, for the Home tab's links.
        record.sadd(keys.message_channels(incident_id), channel)
        record.expire(keys.message_channels(incident_id), ttl)
        with redis_errors("recording a posted message"):
            record.execute()

    def hand_over(
        self, channel: str, gone_id: str, posted: PostedMessage, incident_id: str
    ) -> None:
        """``gone_id``'s message ``posted`` in ``channel`` is now ``incident_id``'s, the
        incident that absorbed it: no longer listed under ``gone_id``, and a question in
        its thread is about ``incident_id``."""
        keys, ttl = self._store.keys, int(MESSAGE_TTL.total_seconds())
        record = self._store.redis.pipeline(transaction=True)
        record.delete(keys.message(channel, gone_id))
        record.srem(keys.message_channels(gone_id), channel)
        for name in {channel, posted.channel_id or channel}:
            record.set(keys.incident_at(name, posted.ts), incident_id, ex=ttl)
        with redis_errors("handing a message over to the incident that absorbed it"):
            record.execute()

    def channels_of(self, incident_id: str) -> list[str]:
        """The channels (as configured) where ``incident_id`` has a message, sorted."""
        with redis_errors("reading where an incident was posted"):
            members = self._store.redis.smembers(self._store.keys.message_channels(incident_id))
        return sorted(str(m) for m in members)

    def get(self, channel: str, incident_id: str) -> PostedMessage | None:
        with redis_errors("reading a posted message"):
            raw = self._store.redis.get(self._store.keys.message(channel, incident_id))
        return read_record(PostedMessage, raw, f"message of {incident_id} in {channel}")

    def incident_at(self, channel: str, thread_ts: str) -> str | None:
        """The incident whose message is the root of the thread ``thread_ts``, if ours."""
        with redis_errors("reading which incident a thread is about"):
            raw = self._store.redis.get(self._store.keys.incident_at(channel, thread_ts))
        return str(raw) if raw else None
