"""A delivery killed half-way loses nothing and posts nothing twice.

`outage-bot digest` runs as a real process against the fake Slack; it is killed
with SIGKILL while Slack holds its post of an incident message (the post is made,
the answer never arrives). The claims it held lapse (ten minutes in production;
here the test lets them lapse at once), and the next delivery finds that message
by its metadata instead of posting it again.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import redis

from bot.config import ChannelConfig
from bot.delivery.deliver import deliver
from bot.digest.build import build_digest
from bot.keys import Keys
from bot.slack.poster import SlackSink
from bot.store import Store
from bot.summarize.extractive import ExtractiveSummarizer
from tests.cli import outage_bot
from tests.conftest import SAMPLES
from tests.fake_slack import FakeSlackServer, Scripted
from tests.slack_app_kit import INTELLIGENCE, NOW, ingest_samples, wait_for, web_client

CHANNEL = "C0RECOVER1"


def _top_level(fake_slack: FakeSlackServer) -> list[dict[str, object]]:
    return [m for m in fake_slack.fake.history.get(CHANNEL, []) if not m.get("thread_ts")]


def _lapse_claims(client: redis.Redis, prefix: str) -> int:
    """What CLAIM_TTL does after ten minutes: drop claims never turned into a ts."""
    stale = [k for k in client.scan_iter(match=f"{prefix}:posted:*") if client.get(k) == "claimed"]
    return int(client.delete(*stale)) if stale else 0


def test_a_killed_digest_is_finished_without_a_second_post(
    cli_env: dict[str, str], fake_slack: FakeSlackServer, tmp_path: Path,
    redis_client: redis.Redis,
) -> None:  # fmt: skip
    config = tmp_path / "bot.toml"
    config.write_text(f"[[channels]]\nid = '{CHANNEL}'\n")
    env = {**cli_env, "OUTAGE_BOT_CONFIG": str(config), "SUMMARIZER_MODEL": "extractive",
           "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": fake_slack.api_url}  # fmt: skip
    assert outage_bot(env, "ingest", str(SAMPLES / "articles")).returncode == 0
    # The header goes through; Slack then holds on to the first incident message.
    fake_slack.fake.script("chat.postMessage", Scripted(), Scripted(delay_s=60))
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "digest", "--channel", CHANNEL],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: len(_top_level(fake_slack)) == 2, timeout=30, what="the held post")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    held = _top_level(fake_slack)[1]
    assert _lapse_claims(redis_client, "test") >= 1

    finished = outage_bot(env, "digest", "--channel", CHANNEL)
    assert finished.returncode == 0, finished.stderr
    incident_messages = [m for m in _top_level(fake_slack) if m.get("metadata")]
    shown = [m["metadata"]["event_payload"]["incident"] for m in incident_messages]  # type: ignore[index]
    # The samples hold two outage incidents (AWS us-east-1, Aliyun Hangzhou): each once.
    assert len(shown) == len(set(shown)) == 2, "every incident posted exactly once"
    assert fake_slack.fake.calls_to("conversations.history"), "Slack was asked first"
    # The held message was adopted: it is the one the incident's thread is under.
    again = outage_bot(env, "digest", "--channel", CHANNEL)
    assert again.returncode == 0 and "delivered 0" in again.stderr
    assert held["ts"] in {m["ts"] for m in incident_messages}


def test_a_lapsed_claim_that_never_reached_slack_is_posted(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    ingest_samples(store, (ChannelConfig(id=CHANNEL),))
    digest = build_digest(store, CHANNEL, ExtractiveSummarizer(), NOW, INTELLIGENCE.catalog)
    # An earlier process claimed the first incident and died before posting anything.
    first = digest.items[0].incident
    keys = Keys("test")
    store.redis.set(keys.attempt(CHANNEL, first.id, first.revision), "1", ex=3600)
    report = deliver(store, digest, SlackSink(web_client(fake_slack)))
    assert report.delivered == len(digest.items)
    assert len(fake_slack.fake.calls_to("conversations.history")) == 1  # asked for that one only
    posted = [m["metadata"]["event_payload"]["incident"]  # type: ignore[index]
              for m in _top_level(fake_slack) if m.get("metadata")]  # fmt: skip
    assert sorted(posted) == sorted(i.incident.id for i in digest.items)
