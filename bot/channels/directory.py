"""Channels and their settings: the config file, plus what people set in Slack.

A channel can be configured two ways: a ``[[channels]]`` table in the TOML file
(owned by whoever deploys the bot), or ``/outage-summary settings …`` and
``/outage-summary subscribe <feed-url>`` typed in the channel (owned by the
people there). Slack-made settings live in Redis and win over the file for that
channel, so a team can tune its own digest without a redeploy; a channel from
the file that nobody touched in Slack keeps the file's settings.

Feeds subscribed from Slack are read by the worker like configured sources;
each channel's filters still decide which incidents it sees.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from bot.config import BotConfig, ChannelConfig
from bot.errors import ConfigError, ConfigProblem
from bot.schema import Frozen, Source
from bot.store import Store, read_record, readable_records

SUBSCRIPTION_PREFIX = "subscribed:"
MAX_SUBSCRIPTIONS = 25  # per channel: each one is polled for everybody


class ChannelRecord(Frozen):
    """A channel's Slack-made settings and who made them (told about delivery problems)."""

    config: ChannelConfig
    configured_by: str | None = None  # Slack user id
    updated_at: datetime


class Subscription(Frozen):
    url: str
    added_by: str | None = None
    added_at: datetime

    @property
    def source_name(self) -> str:
        return SUBSCRIPTION_PREFIX + self.url


class ChannelDirectory:
    """Every channel the bot serves, with its effective settings and feeds."""

    def __init__(self, store: Store, config: BotConfig) -> None:
        self._store = store
        self._config = config

    # -- reading ---------------------------------------------------------------------

    def get(self, channel_id: str) -> ChannelConfig | None:
        """The channel's effective settings, or None when it is not configured."""
        record = self.record(channel_id)
        if record is not None:
            return record.config
        return self._config.channel(channel_id)

    def effective(self, channel_id: str) -> ChannelConfig:
        """Settings to use for a channel even when it never configured anything."""
        return self.get(channel_id) or ChannelConfig(id=channel_id)

    def record(self, channel_id: str) -> ChannelRecord | None:
        raw = self._store.redis.get(self._key(channel_id))
        return read_record(ChannelRecord, raw, f"channel settings of {channel_id}")

    def configured_by(self, channel_id: str) -> str | None:
        record = self.record(channel_id)
        return record.configured_by if record else None

    def from_file(self, channel_id: str) -> bool:
        return self._config.channel(channel_id) is not None

    def channels(self) -> list[ChannelConfig]:
        """File channels (with Slack-made overrides) followed by Slack-only channels."""
        slack_made = sorted(str(c) for c in self._store.redis.smembers(self._index_key()))
        records = self._store.redis.mget([self._key(c) for c in slack_made]) if slack_made else []
        # One this version cannot read is skipped (and left for a version that can).
        found, _ = readable_records(ChannelRecord, dict(zip(slack_made, records, strict=True)),
                                    "channel settings of")  # fmt: skip
        overrides = {c: record.config for c, record in found.items()}
        result = [overrides.pop(c.id, c) for c in self._config.channels]
        return result + list(overrides.values())

    def subscriptions(self, channel_id: str) -> list[Subscription]:
        stored = self._store.redis.hgetall(self._subscriptions_key(channel_id))
        by_url = {str(url): raw for url, raw in stored.items()}
        found, _ = readable_records(Subscription, by_url, f"{channel_id}'s feed")
        return sorted(found.values(), key=lambda s: s.added_at)

    def sources(self) -> list[Source]:
        """The configured sources plus every channel's subscribed feeds (each once)."""
        result = self._config.to_sources()
        seen = {s.location for s in result}
        for channel in self.channels():
            for subscription in self.subscriptions(channel.id):
                if subscription.url not in seen:
                    seen.add(subscription.url)
                    result.append(Source(name=subscription.source_name, location=subscription.url))
        return result

    # -- changing --------------------------------------------------------------------

    def change(self, channel_id: str, user_id: str | None, **changes: Any) -> ChannelConfig:
        """Apply validated changes (ConfigError naming the setting otherwise) and save."""
        current = self.effective(channel_id).model_dump()
        filters = dict(current.pop("filters"))
        for name, value in changes.items():
            if name in filters:
                filters[name] = value
            else:
                current[name] = value
        try:
            updated = ChannelConfig(**current, filters=filters)
        except ValidationError as exc:
            raise ConfigError(
                [
                    ConfigProblem(
                        "settings",
                        ".".join(str(p) for p in e["loc"]),
                        e["msg"].removeprefix("Value error, "),
                    )
                    for e in exc.errors()
                ]
            ) from exc
        self._save(updated, user_id)
        return updated

    def subscribe(self, channel_id: str, subscription: Subscription) -> bool:
        """Add a feed; False when the channel already had it. The channel gets digests."""
        key = self._subscriptions_key(channel_id)
        if self._store.redis.hlen(key) >= MAX_SUBSCRIPTIONS:
            raise ConfigError(
                [
                    ConfigProblem(
                        "subscribe",
                        channel_id,
                        f"at most {MAX_SUBSCRIPTIONS} feeds per channel; unsubscribe one first",
                    )
                ]
            )
        added = bool(
            self._store.redis.hsetnx(key, subscription.url, subscription.model_dump_json())
        )
        if self.record(channel_id) is None:
            self._save(self.effective(channel_id), subscription.added_by)
        return added

    def unsubscribe(self, channel_id: str, url: str) -> bool:
        return bool(self._store.redis.hdel(self._subscriptions_key(channel_id), url))

    def forget(self, channel_id: str) -> int:
        """Drop every Slack-made setting and feed of a channel; returns feeds removed."""
        feeds = int(self._store.redis.hlen(self._subscriptions_key(channel_id)))
        pipe = self._store.redis.pipeline(transaction=True)
        pipe.delete(self._key(channel_id), self._subscriptions_key(channel_id))
        pipe.srem(self._index_key(), channel_id)
        pipe.execute()
        return feeds

    def _save(self, config: ChannelConfig, user_id: str | None) -> None:
        record = ChannelRecord(config=config, configured_by=user_id, updated_at=datetime.now(UTC))
        pipe = self._store.redis.pipeline(transaction=True)
        pipe.set(self._key(config.id), record.model_dump_json())
        pipe.sadd(self._index_key(), config.id)
        pipe.execute()

    # -- keys --------------------------------------------------------------------------

    def _key(self, channel_id: str) -> str:
        return self._store.keys.channel_settings(channel_id)

    def _subscriptions_key(self, channel_id: str) -> str:
        return self._store.keys.subscriptions(channel_id)

    def _index_key(self) -> str:
        return self._store.keys.slack_channels()
