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

from typing import Any

from bot.keys import MESSAGE_TTL, Keys
from bot.schema import Frozen, IncidentStatus
from bot.store import Store, read_record, readable_records, redis_errors


class PostedMessage(Frozen):
    """An incident's message in one channel, as it was last posted or edited."""

    ts: str  # Slack's message timestamp: the message's id and its thread's
    revision: int  # the incident revision the message shows
    status: IncidentStatus | None = None
    article_ids: tuple[str, ...] = ()
    # The id Slack reported for the channel: chat.update needs it, and the
    # configuration may name the channel "#ops" instead.
    channel_id: str | None = None
    # The incident that absorbed the one this message showed, and shows it now (in
    # this message or its own): the absorbed incident is not posted here again.
    merged_into: str | None = None


class MergedMessage(Frozen):
    """What the message of an absorbed incident is to become: handed over to ``into``,
    and edited to ``message`` (None: ``into`` took it over and has edited it already)."""

    into: str
    message: dict[str, Any] | None = None


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
        record.set(keys.message(channel, incident_id), _record_of(posted), ex=ttl)
        _point_thread(record, keys, channel, posted, incident_id)
        # Where the incident was posted, for the Home tab's links.
        record.sadd(keys.message_channels(incident_id), channel)
        record.expire(keys.message_channels(incident_id), ttl)
        with redis_errors("recording a posted message"):
            record.execute()

    def plan_merges(self, channel: str, merges: dict[str, MergedMessage]) -> None:
        """Note, before Slack is touched, what the messages in ``channel`` of absorbed
        incidents (by id) are to become: a delivery that dies midway leaves them to the
        next (``merges``, ``hand_over``)."""
        key, ttl = self._store.keys.merged_messages(channel), int(MESSAGE_TTL.total_seconds())
        write = self._store.redis.pipeline(transaction=True)
        write.hset(key, mapping={gone: m.model_dump_json() for gone, m in merges.items()})
        write.expire(key, ttl)
        with redis_errors("noting the messages of merged incidents"):
            write.execute()

    def merges(self, channel: str) -> dict[str, MergedMessage]:
        """The noted merges of ``channel`` not yet handed over (one in a form this
        version cannot read is logged and left for the version that wrote it)."""
        with redis_errors("reading the messages of merged incidents"):
            raw = self._store.redis.hgetall(self._store.keys.merged_messages(channel))
        notes = {str(gone): note for gone, note in raw.items()}
        found, _ = readable_records(MergedMessage, notes, f"merge in {channel}")
        return found

    def drop_merge(self, channel: str, gone_id: str) -> None:
        with redis_errors("forgetting the message of a merged incident"):
            self._store.redis.hdel(self._store.keys.merged_messages(channel), gone_id)

    def hand_over(self, channel: str, gone_id: str, posted: PostedMessage, into: str) -> None:
        """``gone_id``'s message ``posted`` in ``channel`` is now ``into``'s, the incident
        that absorbed it: a question in its thread is about ``into``, and ``gone_id`` is
        marked merged here so that a digest built before the merge does not post it
        again. Its noted merge is done."""
        keys, ttl = self._store.keys, int(MESSAGE_TTL.total_seconds())
        merged = posted.model_copy(update={"merged_into": into})
        record = self._store.redis.pipeline(transaction=True)
        record.set(keys.message(channel, gone_id), _record_of(merged), ex=ttl)
        record.srem(keys.message_channels(gone_id), channel)
        _point_thread(record, keys, channel, posted, into)
        record.hdel(keys.merged_messages(channel), gone_id)
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


def _record_of(posted: PostedMessage) -> str:
    # Unset fields are left out: a worker of the version before ``merged_into`` (its
    # schema forbids unknown fields) still reads every record but a merged one.
    return posted.model_dump_json(exclude_none=True)


def _point_thread(
    record: Any, keys: Keys, channel: str, posted: PostedMessage, incident_id: str
) -> None:
    """Queue on ``record`` (a pipeline): a question in ``posted``'s thread is about
    ``incident_id``. Thread events name the channel by id; the configuration may use its
    #name, so both."""
    for name in {channel, posted.channel_id or channel}:
        record.set(
            keys.incident_at(name, posted.ts), incident_id, ex=int(MESSAGE_TTL.total_seconds())
        )
