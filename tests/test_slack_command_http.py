"""/outage-summary over real signed HTTP requests to our app served by waitress.

Slack's side is real code too: bolt verifies signatures and acks, and replies
that come later go through ``response_url`` (pointed at the fake Slack server).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import redis

from bot.channels.directory import ChannelDirectory
from bot.config import BotConfig, ChannelConfig, ChannelFilters
from bot.keys import Keys
from bot.store import Store
from tests.fake_slack import FakeSlackServer
from tests.http_server import HTTPTestServer, Reply
from tests.slack_app_kit import CHANNEL, SECRET, ingest_samples, our_app, wait_for
from tests.slack_signing import post, running_http_server, slash_command_body

HOOK = "response.hook"

ARTICLE = """<!doctype html><html lang="en"><head><title>Edge network outage</title></head>
<body><article><h1>Cloudflare edge outage disrupts websites in Europe</h1>
<p>Cloudflare said on Tuesday that a configuration change to its edge network caused
errors for websites across Europe for about forty minutes.</p>
<p>The company rolled the change back and said all services had recovered by 14:20 UTC.
Customers saw HTTP 502 errors from the affected data centres in Frankfurt and Amsterdam.</p>
<p>Engineers are reviewing the deployment process that allowed the change to reach every
data centre at once, according to a post on the company's status page.</p>
</article></body></html>"""

FEED = """<?xml version='1.0'?><rss version='2.0'><channel><title>Ops news</title>
<item><title>Object storage errors in one region</title><link>https://news.test/a</link>
<guid>https://news.test/a</guid><pubDate>Sun, 22 Nov 2026 08:00:00 GMT</pubDate>
<description>Errors for storage requests were reported and later resolved.</description></item>
</channel></rss>"""


@pytest.fixture
def served(store: Store, fake_slack: FakeSlackServer) -> Any:
    config = BotConfig(channels=(ChannelConfig(id=CHANNEL),))
    with running_http_server(our_app(store, fake_slack, config=config)) as server:
        yield server


def command(server: Any, fake_slack: FakeSlackServer, text: str, **kwargs: Any) -> Any:
    body = slash_command_body(
        command="/outage-summary",
        text=text,
        channel_id=CHANNEL,
        user_id="U0ALICE",
        response_url=fake_slack.api_url + HOOK,
    )
    return post(server.url + "/slack/events", body, secret=SECRET, **kwargs)


def later_reply(fake_slack: FakeSlackServer, count: int = 1) -> dict[str, Any]:
    calls = wait_for(
        lambda: len(fake_slack.fake.calls_to(HOOK)) >= count and fake_slack.fake.calls_to(HOOK),
        what="the reply via response_url",
    )
    return calls[count - 1].body


def test_no_argument_lists_this_channels_recent_incidents_privately(
    served: Any, fake_slack: FakeSlackServer, store: Store
) -> None:
    ingest_samples(store)
    ack = command(served, fake_slack, "")
    assert ack.status == 200
    reply = later_reply(fake_slack)
    assert reply["response_type"] == "ephemeral"
    text = str(reply["blocks"])
    # In the last 24 h (before 22 Nov 12:00) only the Aliyun incident was updated.
    assert "Aliyun" in text or "阿里云" in text
    assert "us-east-1" not in text
    assert reply["blocks"][0]["text"]["text"].startswith("Incidents in the last 1 day")


def test_a_provider_and_window_finds_that_providers_incidents_to_share(
    served: Any, fake_slack: FakeSlackServer, store: Store
) -> None:
    ingest_samples(store)
    command(served, fake_slack, "亚马逊云 3d public")
    reply = later_reply(fake_slack)
    assert reply["response_type"] == "in_channel"
    sections = [b["text"]["text"] for b in reply["blocks"] if b["type"] == "section"]
    assert len(sections) == 1 and "us-east-1" in sections[0]
    # The fuller English report leads (bot/digest/lead.py); the Chinese one is the other report.
    assert "<https://example-tech.com/" in sections[0].split("\n")[1]
    assert "Also reported by example-news.cn" in sections[0]


def test_nothing_found_is_said_plainly(served: Any, fake_slack: FakeSlackServer) -> None:
    command(served, fake_slack, "cloudflare 7d")
    assert later_reply(fake_slack)["text"] == "No incidents about “cloudflare” in the last 7 days."


def test_help_and_usage_errors_come_back_in_the_acknowledgement(
    served: Any, fake_slack: FakeSlackServer
) -> None:
    ack = command(served, fake_slack, "help")
    assert ack.status == 200 and "subscribe <feed-url>" in ack.json()["text"]
    bad = command(served, fake_slack, "settings colour blue")
    assert "unknown setting `colour`" in bad.json()["text"]
    assert fake_slack.fake.calls_to(HOOK) == []


def test_a_url_is_summarised_after_a_quick_acknowledgement(
    served: Any, fake_slack: FakeSlackServer, http_server: HTTPTestServer
) -> None:
    # The page takes longer than Slack's 3 seconds; the ack must not wait for it.
    http_server.route(
        "/post",
        Reply(
            headers={"Content-Type": "text/html; charset=utf-8"}, body=ARTICLE.encode(), delay_s=3.5
        ),
    )
    started = time.monotonic()
    ack = command(served, fake_slack, http_server.url("/post", host="news.test"))
    assert time.monotonic() - started < 3.0
    assert ack.status == 200 and "Fetching and summarising" in ack.json()["text"]
    reply = later_reply(fake_slack)
    section = reply["blocks"][0]["text"]["text"]
    assert "Cloudflare edge outage disrupts websites in Europe" in section
    assert "configuration change" in section
    assert reply["blocks"][1]["elements"][0]["text"] == "en · extractive summary"


def test_a_url_to_a_private_address_is_refused_with_the_reason(
    served: Any, fake_slack: FakeSlackServer, http_server: HTTPTestServer
) -> None:
    http_server.route("/secret", Reply(body=ARTICLE.encode()))
    command(served, fake_slack, http_server.url("/secret"))  # 127.0.0.1 itself: not allowed
    reply = later_reply(fake_slack)
    assert reply["text"].startswith(":warning: Could not read")
    assert http_server.hits("/secret") == 0


def test_wrong_signature_and_stale_timestamp_are_refused_before_any_work(
    served: Any, fake_slack: FakeSlackServer
) -> None:
    assert command(served, fake_slack, "help", bad_signature=True).status == 401
    assert command(served, fake_slack, "help", timestamp=int(time.time()) - 600).status == 401
    assert fake_slack.fake.calls_to(HOOK) == []
    assert command(served, fake_slack, "help").status == 200  # the same request, signed right


def test_settings_are_validated_saved_and_shown(
    served: Any, fake_slack: FakeSlackServer, store: Store
) -> None:
    saved = command(served, fake_slack, "settings timezone Asia/Shanghai").json()["text"]
    assert saved.startswith("Saved.") and "Asia/Shanghai" in saved
    refused = command(served, fake_slack, "settings schedule every monday").json()["text"]
    assert "`schedule` not changed" in refused and "cron line" in refused
    command(served, fake_slack, "settings providers aws, 阿里云")
    shown = command(served, fake_slack, "settings").json()["text"]
    assert "providers: aws, 阿里云" in shown and "(set in Slack)" in shown
    channel = ChannelDirectory(store, BotConfig()).get(CHANNEL)
    assert channel is not None and channel.timezone == "Asia/Shanghai"
    assert channel.filters == ChannelFilters(providers=("aws", "阿里云"))


def test_subscribe_checks_the_feed_then_the_worker_reads_it(
    served: Any, fake_slack: FakeSlackServer, http_server: HTTPTestServer, store: Store
) -> None:
    http_server.route(
        "/feed.xml", Reply(headers={"Content-Type": "application/rss+xml"}, body=FEED.encode())
    )
    http_server.route("/page", Reply(headers={"Content-Type": "text/html"}, body=ARTICLE.encode()))
    feed_url = http_server.url("/feed.xml", host="news.test")
    ack = command(served, fake_slack, f"subscribe <{feed_url}>")
    assert "Checking the feed" in ack.json()["text"]
    reply = later_reply(fake_slack)
    assert reply["text"].startswith(f"Subscribed to {feed_url} (1 items now)")
    assert reply["response_type"] == "in_channel"
    command(served, fake_slack, "subscribe " + http_server.url("/page", host="news.test"))
    refused = later_reply(fake_slack, 2)
    assert refused["text"].startswith(":warning:")
    directory = ChannelDirectory(store, BotConfig())
    assert [s.location for s in directory.sources()] == [feed_url]
    listed = command(served, fake_slack, "sources").json()["text"]
    assert feed_url in listed and "not read yet" in listed
    gone = command(served, fake_slack, f"unsubscribe {feed_url}").json()["text"]
    assert gone == f"Unsubscribed from {feed_url}."
    assert directory.sources() == []


def test_form_fields_slack_may_add_do_not_break_the_command(
    served: Any, fake_slack: FakeSlackServer
) -> None:
    body = slash_command_body(command="/outage-summary", text="help", channel_id=CHANNEL)
    body += "&" + urlencode({"is_enterprise_install": "false", "api_app_id": "A1"})
    assert post(served.url + "/slack/events", body, secret=SECRET).status == 200


def test_a_dead_redis_gets_a_clear_reply_not_a_timeout(
    fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    dead = Store(
        redis=redis.Redis(unix_socket_path=str(tmp_path / "gone.sock"), decode_responses=True),
        keys=Keys("test"),
        where="nowhere",
    )
    with running_http_server(our_app(dead, fake_slack)) as server:
        # redis-py retries a dead connection for seconds; Slack's 3 s are kept anyway.
        started = time.monotonic()
        quick = command(server, fake_slack, "settings")
        assert time.monotonic() - started < 3.0
        assert quick.status == 200 and quick.json()["text"] == "Working on it …"
        assert "cannot reach its storage" in later_reply(fake_slack)["text"]
        command(server, fake_slack, "aws 3d")
        assert "cannot reach its storage" in later_reply(fake_slack, 2)["text"]
