"""Posting digests through the real slack_sdk client to a fake Slack on 127.0.0.1."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.config import ChannelConfig, Settings
from bot.delivery.deliver import deliver
from bot.delivery.messages import incident_metadata
from bot.delivery.pacing import ChannelPacer
from bot.delivery.terminal import TerminalSink
from bot.digest.build import build_digest, pending_incidents
from bot.digest.render import render_header, render_incident
from bot.errors import ChannelUnavailable, DeliveryError
from bot.intake.pipeline import Intelligence, ingest
from bot.schema import Digest, Source
from bot.slack.poster import SlackSink, build_web_client
from bot.store import Store
from bot.summarize.extractive import ExtractiveSummarizer
from tests.cli import outage_bot
from tests.conftest import SAMPLES
from tests.fake_slack import FakeSlackServer, Scripted

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CHANNEL = "C0TEST123"


INTELLIGENCE = Intelligence.load()


def _queued_digest(store: Store) -> Digest:
    sources = [Source(name="articles", location=str(SAMPLES / "articles"))]
    ingest(sources, store, [ChannelConfig(id=CHANNEL)], NOW, INTELLIGENCE)
    return build_digest(store, CHANNEL, ExtractiveSummarizer(), NOW, INTELLIGENCE.catalog)


def test_no_token_means_no_client(settings: Settings) -> None:
    assert build_web_client(settings) is None


def _client(fake_slack: FakeSlackServer) -> WebClient:
    settings = Settings(slack_bot_token="xoxb-test-token", slack_api_url=fake_slack.api_url)
    client = build_web_client(settings)
    assert client is not None
    return client


def _no_wait(store: Store) -> ChannelPacer:
    return ChannelPacer(store, sleep=lambda seconds: None)


def test_digest_is_a_header_then_one_message_per_incident_without_unfurls(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    client = _client(fake_slack)
    report = deliver(store, _queued_digest(store), SlackSink(client), pacer=_no_wait(store))
    posts = fake_slack.fake.calls_to("chat.postMessage")
    assert report.delivered == 2 and len(posts) == 3  # header, AWS (zh + en), Aliyun
    for post in posts:
        assert post.body["channel"] == CHANNEL
        assert post.body["unfurl_links"] is False and post.body["unfurl_media"] is False
        assert "thread_ts" not in post.body  # every message starts its own thread
        assert post.headers["Authorization"] == "Bearer xoxb-test-token"
    header, *incidents = (p.body for p in posts)
    # Most recently updated first: the Aliyun incident (Nov 22), then AWS (Nov 20).
    aliyun, aws = incidents
    assert header["blocks"][0]["type"] == "header"
    assert header["text"].startswith("Outage digest: 2 new incidents · ")
    sections = [b["text"]["text"] for b in aws["blocks"] if b["type"] == "section"]
    assert len(sections) == 1
    assert "<https://example-tech.com/2026/11/20/aws-us-east-1-outage|" in sections[0]
    assert "亚马逊云美国东部1区" in aws["text"] and aws["text"].startswith("AWS · us-east-1")
    assert "阿里云" in aliyun["text"]
    assert report.message_ids == tuple(f"1700000000.00000{n}" for n in (1, 2, 3))
    # The message ts is recorded against each item: a second delivery posts nothing.
    claims = list(store.redis.scan_iter(match=f"test:posted:{CHANNEL}:*"))
    assert sorted(str(store.redis.get(k)) for k in claims) == [
        "1700000000.000002",
        "1700000000.000003",
    ]
    again = deliver(store, _queued_digest(store), SlackSink(client), pacer=_no_wait(store))
    assert again.delivered == 0 and len(fake_slack.fake.calls_to("chat.postMessage")) == 3


def test_slack_error_keeps_the_items_pending(store: Store, fake_slack: FakeSlackServer) -> None:
    fake_slack.fake.script("chat.postMessage", Scripted(error="not_in_channel"))
    client = _client(fake_slack)
    digest = _queued_digest(store)
    with pytest.raises(ChannelUnavailable, match="not_in_channel") as failed:
        deliver(store, digest, SlackSink(client), pacer=_no_wait(store))
    assert failed.value.channel == CHANNEL and failed.value.error == "not_in_channel"
    assert len(pending_incidents(store, CHANNEL, NOW)) == 2
    assert not list(store.redis.scan_iter(match="test:posted:*"))
    assert deliver(store, digest, SlackSink(client), pacer=_no_wait(store)).delivered == 2


@pytest.mark.parametrize(
    ("error", "permanent"),
    [("not_in_channel", True), ("channel_not_found", True), ("is_archived", True),
     ("invalid_auth", True), ("token_revoked", True), ("internal_error", False),
     ("invalid_blocks", False)],
)  # fmt: skip
def test_errors_a_person_must_fix_are_channel_unavailable(
    store: Store, fake_slack: FakeSlackServer, error: str, permanent: bool
) -> None:
    fake_slack.fake.script("chat.postMessage", Scripted(error=error))
    with pytest.raises(DeliveryError, match=error) as failed:
        SlackSink(_client(fake_slack)).post(CHANNEL, {"text": "x", "blocks": []})
    assert isinstance(failed.value, ChannelUnavailable) is permanent


def test_a_dead_slack_is_a_delivery_error(store: Store) -> None:
    client = build_web_client(
        Settings(slack_bot_token="xoxb-t", slack_api_url="http://127.0.0.1:9/api/")
    )
    assert client is not None
    with pytest.raises(DeliveryError, match="cannot reach Slack") as failed:
        deliver(store, _queued_digest(store), SlackSink(client), pacer=_no_wait(store))
    assert not isinstance(failed.value, ChannelUnavailable)
    assert len(pending_incidents(store, CHANNEL, NOW)) == 2


def test_rate_limit_is_retried_after_the_requested_wait(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    fake_slack.fake.script("chat.postMessage", Scripted(status=429, retry_after=1))
    report = deliver(store, _queued_digest(store), SlackSink(_client(fake_slack)),
                     pacer=_no_wait(store))  # fmt: skip
    assert report.delivered == 2
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == 4  # the header twice


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
    assert len(calls) == 1 + 5 and all(c.body["channel"] == CHANNEL for c in calls)
    assert calls[1].body["text"].startswith("Outage digest: 4 new incidents")
    assert all(len([b for b in c.body["blocks"] if b["type"] == "section"]) == 1
               for c in calls[2:])  # fmt: skip
    assert "Nothing new" in outage_bot(env, "demo").stdout
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == 6


def test_terminal_output_is_unaffected_by_slack_settings(store: Store) -> None:
    # The blocks written by the terminal sink equal what Slack would receive.
    out = io.StringIO()
    blocks = Path(store.where.removeprefix("unix://")).parent / "blocks.json"
    digest = _queued_digest(store)
    TerminalSink(out, blocks).deliver(digest, "UTC")
    assert "AWS US-EAST-1" in out.getvalue() and out.getvalue().count("■ ") == 2
    written = json.loads(blocks.read_text(encoding="utf-8"))
    # The full chat.postMessage payloads, metadata and unfurl flags included.
    expected = [
        {"channel": CHANNEL, **render_header(digest), "unfurl_links": False,
         "unfurl_media": False},
        *({"channel": CHANNEL, **render_incident(i, "UTC", digest.generated_at),
           "metadata": incident_metadata(i.incident.id, i.incident.revision),
           "unfurl_links": False, "unfurl_media": False} for i in digest.items),
    ]  # fmt: skip
    assert written == expected
