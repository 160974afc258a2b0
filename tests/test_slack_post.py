"""Posting digests through the real slack_sdk client to a fake Slack on 127.0.0.1."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import ChannelConfig, Settings
from bot.delivery import deliver
from bot.errors import DeliveryError
from bot.pipeline import Intelligence, build_digest, ingest, pending_incidents
from bot.schema import Digest, Source
from bot.slack.poster import SlackSink, build_web_client
from bot.store import Store
from bot.summarize import ExtractiveSummarizer
from tests.conftest import SAMPLES
from tests.fake_slack import FakeSlackServer, Scripted
from tests.test_cli import outage_bot

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CHANNEL = "C0TEST123"


INTELLIGENCE = Intelligence.load()


def _queued_digest(store: Store) -> Digest:
    sources = [Source(name="articles", location=str(SAMPLES / "articles"))]
    ingest(sources, store, [ChannelConfig(id=CHANNEL)], NOW, INTELLIGENCE)
    return build_digest(store, CHANNEL, ExtractiveSummarizer(), NOW, INTELLIGENCE.catalog)


def test_no_token_means_no_client(settings: Settings) -> None:
    assert build_web_client(settings) is None


def test_digest_is_posted_with_blocks_and_no_unfurls(
    store: Store, settings: Settings, fake_slack: FakeSlackServer
) -> None:
    client = build_web_client(Settings(slack_bot_token="xoxb-test-token",
                                       slack_api_url=fake_slack.api_url))  # fmt: skip
    assert client is not None
    report = deliver(store, _queued_digest(store), SlackSink(client))
    posts = fake_slack.fake.calls_to("chat.postMessage")
    assert report.delivered == 2 and len(posts) == 1  # AWS (zh + en) and Aliyun
    body = posts[0].body
    assert body["channel"] == CHANNEL
    assert body["unfurl_links"] is False and body["unfurl_media"] is False
    assert posts[0].headers["Authorization"] == "Bearer xoxb-test-token"
    sections = [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"]
    assert any("<https://example-tech.com/2026/11/20/aws-us-east-1-outage|" in s for s in sections)
    assert "亚马逊云美国东部1区" in body["text"]
    # The message ts is recorded against each item: a second delivery posts nothing.
    (claim,) = [k for k in store.redis.scan_iter(match=f"test:posted:{CHANNEL}:*")][:1]
    assert store.redis.get(claim) == "1700000000.000001"
    again = deliver(store, _queued_digest(store), SlackSink(client))
    assert again.delivered == 0 and len(fake_slack.fake.calls_to("chat.postMessage")) == 1


def test_slack_error_keeps_the_items_pending(store: Store, fake_slack: FakeSlackServer) -> None:
    fake_slack.fake.script("chat.postMessage", Scripted(error="not_in_channel"))
    client = build_web_client(Settings(slack_bot_token="xoxb-t", slack_api_url=fake_slack.api_url))
    assert client is not None
    digest = _queued_digest(store)
    with pytest.raises(DeliveryError, match="not_in_channel"):
        deliver(store, digest, SlackSink(client))
    assert len(pending_incidents(store, CHANNEL, NOW)) == 2
    assert deliver(store, digest, SlackSink(client)).delivered == 2


def test_rate_limit_is_retried_after_the_requested_wait(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    fake_slack.fake.script("chat.postMessage", Scripted(status=429, retry_after=1))
    client = build_web_client(Settings(slack_bot_token="xoxb-t", slack_api_url=fake_slack.api_url))
    assert client is not None
    report = deliver(store, _queued_digest(store), SlackSink(client))
    assert report.delivered == 2
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == 2


def test_demo_posts_to_slack_when_a_token_and_channel_are_configured(
    cli_env: dict[str, str], fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(f"[[channels]]\nid = '{CHANNEL}'\n")
    env = {**cli_env, "SLACK_BOT_TOKEN": "xoxb-demo", "SLACK_API_URL": fake_slack.api_url,
           "OUTAGE_BOT_CONFIG": str(config)}  # fmt: skip
    fake_slack.fake.script("chat.postMessage", Scripted(error="channel_not_found"))
    failed = outage_bot(env, "demo")
    assert failed.returncode == 1
    assert f"Slack refused the post to {CHANNEL}: channel_not_found" in failed.stderr
    assert "Traceback" not in failed.stderr

    posted = outage_bot(env, "demo")  # nothing was lost: the retry posts all four incidents
    assert posted.returncode == 0, posted.stderr
    assert f"Posted 4 item(s) to {CHANNEL}" in posted.stderr
    assert "■" not in posted.stdout  # nothing printed to the terminal instead
    calls = fake_slack.fake.calls_to("chat.postMessage")
    assert len(calls) == 2 and calls[1].body["channel"] == CHANNEL
    assert len([b for b in calls[1].body["blocks"] if b["type"] == "section"]) == 4
    assert "Nothing new" in outage_bot(env, "demo").stdout
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == 2


def test_terminal_output_is_unaffected_by_slack_settings(store: Store) -> None:
    # The blocks written by the terminal sink equal what Slack would receive.
    from bot.delivery import TerminalSink

    out = io.StringIO()
    blocks = Path(store.where.removeprefix("unix://")).parent / "blocks.json"
    TerminalSink(out, blocks).deliver(_queued_digest(store), "UTC")
    assert blocks.exists() and "AWS US-EAST-1" in out.getvalue()
