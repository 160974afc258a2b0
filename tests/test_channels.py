"""Channel settings made in Slack, stored in a real Redis, merged with the config file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.channels.directory import MAX_SUBSCRIPTIONS, ChannelDirectory, Subscription
from bot.config import BotConfig, ChannelConfig, SourceConfig
from bot.errors import ConfigError
from bot.store import Store

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
FILE = BotConfig(
    sources=(SourceConfig(name="aws", url="https://status.aws.example/rss"),),
    channels=(ChannelConfig(id="C0FILE0001", schedule="0 9 * * *"),),
)


def _feed(url: str, user: str = "U1") -> Subscription:
    return Subscription(url=url, added_by=user, added_at=NOW)


def test_unconfigured_channels_get_defaults_and_no_digest(store: Store) -> None:
    directory = ChannelDirectory(store, FILE)
    assert directory.get("C0NEW00001") is None
    assert directory.effective("C0NEW00001") == ChannelConfig(id="C0NEW00001")
    assert [c.id for c in directory.channels()] == ["C0FILE0001"]


def test_a_change_in_slack_overrides_the_file_and_survives_a_restart(store: Store) -> None:
    ChannelDirectory(store, FILE).change(
        "C0FILE0001", "U42", timezone="Asia/Shanghai", providers=("aws", "阿里云")
    )
    again = ChannelDirectory(store, FILE)  # a new process reads the same Redis
    channel = again.get("C0FILE0001")
    assert channel is not None
    assert channel.timezone == "Asia/Shanghai"
    assert channel.schedule == "0 9 * * *"  # the file's value, untouched
    assert channel.filters.providers == ("aws", "阿里云")
    assert again.configured_by("C0FILE0001") == "U42"
    assert [c.id for c in again.channels()] == ["C0FILE0001"]  # not listed twice


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown IANA timezone"),
        ({"schedule": "every tuesday"}, "neither 'realtime' nor a cron line"),
        ({"summary_language": "fr"}, "'source', 'en' or 'zh'"),
    ],
)
def test_invalid_settings_are_refused_with_the_reason_and_nothing_saved(
    store: Store, change: dict[str, str], reason: str
) -> None:
    directory = ChannelDirectory(store, FILE)
    with pytest.raises(ConfigError) as caught:
        directory.change("C0NEW00001", "U1", **change)
    assert reason in str(caught.value.problems[0])
    assert directory.record("C0NEW00001") is None


def test_subscribing_adds_a_source_once_and_makes_the_channel_get_digests(store: Store) -> None:
    directory = ChannelDirectory(store, FILE)
    assert directory.subscribe("C0NEW00001", _feed("https://news.example/feed.xml"))
    assert not directory.subscribe("C0NEW00001", _feed("https://news.example/feed.xml"))
    # Another channel subscribing to the same feed does not make it read twice.
    assert directory.subscribe("C0OTHER001", _feed("https://news.example/feed.xml", "U2"))
    locations = [s.location for s in directory.sources()]
    assert locations == ["https://status.aws.example/rss", "https://news.example/feed.xml"]
    assert {c.id for c in directory.channels()} == {"C0FILE0001", "C0NEW00001", "C0OTHER001"}
    assert directory.configured_by("C0NEW00001") == "U1"


def test_unsubscribe_and_forget(store: Store) -> None:
    directory = ChannelDirectory(store, FILE)
    directory.subscribe("C0NEW00001", _feed("https://a.example/feed"))
    directory.subscribe("C0NEW00001", _feed("https://b.example/feed"))
    assert directory.unsubscribe("C0NEW00001", "https://a.example/feed")
    assert not directory.unsubscribe("C0NEW00001", "https://a.example/feed")
    assert [s.url for s in directory.subscriptions("C0NEW00001")] == ["https://b.example/feed"]
    assert directory.forget("C0NEW00001") == 1
    assert directory.get("C0NEW00001") is None
    assert [s.location for s in directory.sources()] == ["https://status.aws.example/rss"]


def test_subscriptions_per_channel_are_capped(store: Store) -> None:
    directory = ChannelDirectory(store, BotConfig())
    for n in range(MAX_SUBSCRIPTIONS):
        directory.subscribe("C0NEW00001", _feed(f"https://feeds.example/{n}"))
    with pytest.raises(ConfigError, match="at most"):
        directory.subscribe("C0NEW00001", _feed("https://feeds.example/one-more"))
