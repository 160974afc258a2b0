"""The clock and the workers: jobs through a real Redis Stream, posts to a fake Slack."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from prometheus_client import REGISTRY

from bot.channels.directory import ChannelDirectory
from bot.config import BotConfig, ChannelConfig, Settings, SourceConfig
from bot.delivery.pacing import ChannelPacer
from bot.digest.build import lead_articles, pending_incidents
from bot.intake.pipeline import Intelligence
from bot.jobs.clock import DELIVER, JOBS, SUMMARIZE, Clock, job_queue
from bot.jobs.queue import JobQueue
from bot.jobs.worker import Worker
from bot.schema import Article, Summary
from bot.slack.poster import SlackProblemReporter, SlackSink, build_web_client
from bot.store import Store
from bot.store.digest_clock import DigestClock
from bot.summarize.base import Summarizer
from bot.summarize.cache import CachedSummarizer
from bot.summarize.extractive import ExtractiveSummarizer
from bot.summarize.measured import MeasuredSummarizer
from tests.cli import outage_bot
from tests.conftest import SAMPLES
from tests.fake_slack import FakeSlackServer, Scripted

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CHANNEL = "C0TEST123"
OTHER = "C0OTHER45"
INTELLIGENCE = Intelligence.load()


def _config(*channels: ChannelConfig) -> BotConfig:
    return BotConfig(
        sources=(SourceConfig(name="articles", path=str(SAMPLES / "articles")),),
        channels=channels or (ChannelConfig(id=CHANNEL),),
    )


def _clock(store: Store, config: BotConfig) -> Clock:
    return Clock(store, ChannelDirectory(store, config), INTELLIGENCE, job_queue(store))


def _worker(
    store: Store,
    config: BotConfig,
    fake_slack: FakeSlackServer,
    *,
    queue: JobQueue | None = None,
    reclaim_after_ms: int = 60_000,
    configured_by: str | None = None,
    summarizer: Summarizer | None = None,
) -> Worker:
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake_slack.api_url)
    client = build_web_client(settings)
    assert client is not None
    directory = ChannelDirectory(store, config)
    return Worker(
        store,
        directory,
        INTELLIGENCE.catalog,
        CachedSummarizer(summarizer or ExtractiveSummarizer(), store),
        SlackSink(client),
        queue or job_queue(store),
        reporter=SlackProblemReporter(client, store, lambda channel: configured_by),
        now=lambda: NOW,
        pacer=ChannelPacer(store, sleep=lambda seconds: None),
        reclaim_after_ms=reclaim_after_ms,
    )


def _posts(fake_slack: FakeSlackServer, channel: str = CHANNEL) -> list[dict[str, object]]:
    return [c.body for c in fake_slack.fake.calls_to("chat.postMessage")
            if c.body["channel"] == channel]  # fmt: skip


def _queued(store: Store) -> list[dict[str, str]]:
    entries: Any = store.redis.xrange(store.keys.stream(JOBS))
    return [dict(fields) for _, fields in entries]


def test_clock_queues_one_summary_per_lead_and_language_and_a_digest_per_due_channel(
    store: Store,
) -> None:
    config = _config(ChannelConfig(id=CHANNEL), ChannelConfig(id=OTHER, summary_language="en"),
                     ChannelConfig(id="#daily", schedule="0 9 * * *"))  # fmt: skip
    report = _clock(store, config).tick(NOW)
    assert report.poll.sources[0].new == 4
    leads = lead_articles(store, pending_incidents(store, CHANNEL, NOW))
    assert len(leads) == 2  # AWS (its Chinese and English reports are one incident), Aliyun
    jobs = _queued(store)
    summaries = {(j["article"], j["language"]) for j in jobs if j["kind"] == SUMMARIZE}
    # "#daily" also keeps the source language: its summaries are the same jobs as CHANNEL's.
    assert summaries == {(a.id, lang) for a in leads if a for lang in ("source", "en")}
    assert report.summaries == 4 and len(jobs) == 4 + 3
    assert [j["channel"] for j in jobs if j["kind"] == DELIVER] == [CHANNEL, OTHER, "#daily"]
    assert report.deliveries == (CHANNEL, OTHER, "#daily")
    assert DigestClock(store).last("#daily") == NOW

    # The next tick finds the same work queued: nothing is added while it waits.
    later = _clock(store, config).tick(NOW + timedelta(minutes=5))
    assert later.summaries == 0 and later.deliveries == ()
    assert len(_queued(store)) == 7
    # "#daily" was marked when its digest was queued: not due again until 09:00 tomorrow.
    assert DigestClock(store).last("#daily") == NOW


def test_a_worker_summarises_then_posts_the_digest_once(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    config = _config()
    _clock(store, config).tick(NOW)
    worker = _worker(store, config, fake_slack)
    report = worker.drain("a")
    assert (report.done, report.failed) == (3, 0)
    assert [(d.channel, d.delivered) for d in report.delivered] == [(CHANNEL, 2)]
    header, *incidents = _posts(fake_slack)
    assert str(header["text"]).startswith("Outage digest: 2 new incidents")
    assert len(incidents) == 2 and "阿里云" in str(incidents[0]["text"])
    # The summarize jobs filled the cache that the digest then read.
    assert len(list(store.redis.scan_iter(match="test:summary:*"))) == 2
    queue = job_queue(store)
    assert queue.backlog() == 0 and queue.pending() == 0
    # Nothing is pending any more: the next tick queues nothing and nothing is posted again.
    again = _clock(store, config).tick(NOW + timedelta(minutes=5))
    assert again.summaries == 0 and again.deliveries == ()
    assert worker.drain("a").jobs == 0
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == 3


def test_two_workers_in_parallel_never_post_twice(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    config = _config()
    _clock(store, config).tick(NOW)
    # Plenty of chances to collide: more digest jobs for the same channel, and workers that
    # take over each other's jobs at once (no reclaim idle time), so jobs run twice.
    queue = JobQueue(store, JOBS, max_attempts=1000)
    for _ in range(4):
        queue.add({"kind": DELIVER, "channel": CHANNEL})
    failures: list[BaseException] = []

    def work(name: str) -> None:
        try:
            _worker(store, config, fake_slack, queue=queue, reclaim_after_ms=0).drain(name)
        except BaseException as exc:  # surfaced below: a thread cannot fail the test itself
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    assert len(_posts(fake_slack)) == 3  # header + 2 incidents, once
    assert queue.backlog() == 0 and queue.pending() == 0 and not queue.dead_letters()


def test_a_job_held_by_a_killed_worker_is_finished_by_another(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    config = _config()
    _clock(store, config).tick(NOW)
    queue = job_queue(store)
    held = queue.read("killed", count=10)  # read, then "killed": never acknowledged
    assert [j.kind for j in held] == [SUMMARIZE, SUMMARIZE, DELIVER]
    # Another worker does not take them while their holder may still be working...
    assert _worker(store, config, fake_slack, reclaim_after_ms=60_000).run_once("b").jobs == 0
    assert queue.pending() == 3
    # ...but does once they have been idle for the reclaim time.
    time.sleep(0.05)
    report = _worker(store, config, fake_slack, reclaim_after_ms=20).drain("b")
    assert (report.done, report.failed) == (3, 0)
    assert len(_posts(fake_slack)) == 3
    assert queue.backlog() == 0 and queue.pending() == 0


def test_a_job_that_always_fails_is_dead_lettered_and_the_queue_moves_on(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    config = _config()
    # Slack fails in a way a retry may fix (not a channel problem), five times running.
    fake_slack.fake.script("chat.postMessage", *[Scripted(error="internal_error")] * 5)
    _clock(store, config).tick(NOW)
    queue = job_queue(store)
    queue.add({"kind": "reticulate", "spline": "1"})  # a kind no worker knows
    worker = _worker(store, config, fake_slack, reclaim_after_ms=0)
    report = worker.drain("a")
    assert report.done == 2 and report.failed == 5 + 5
    letters = {d["kind"]: d for d in queue.dead_letters()}
    assert set(letters) == {DELIVER, "reticulate"}
    assert letters[DELIVER]["channel"] == CHANNEL and letters[DELIVER]["attempts"] == "5"
    assert "internal_error" in letters[DELIVER]["error"]
    assert "unknown job kind 'reticulate'" in letters["reticulate"]["error"]
    assert queue.backlog() == 0 and queue.pending() == 0
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == 5  # one header per attempt
    # Nothing was lost: the incidents are still pending, and the next digest posts them.
    assert len(pending_incidents(store, CHANNEL, NOW)) == 2
    assert _clock(store, config).tick(NOW + timedelta(minutes=5)).deliveries == (CHANNEL,)
    assert worker.drain("a").done == 1
    assert len(_posts(fake_slack)) == 5 + 3


def test_a_channel_slack_refuses_is_reported_not_retried(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    config = _config()
    fake_slack.fake.script("chat.postMessage", Scripted(error="not_in_channel"))
    _clock(store, config).tick(NOW)
    worker = _worker(store, config, fake_slack, reclaim_after_ms=0, configured_by="U0ADMIN")
    report = worker.drain("a")
    assert (report.done, report.failed) == (3, 0)  # retrying cannot help until someone acts
    assert report.delivered[0].error is not None and "not_in_channel" in report.delivered[0].error
    told = _posts(fake_slack, "U0ADMIN")
    assert len(told) == 1 and CHANNEL in str(told[0]["text"])
    assert not job_queue(store).dead_letters()
    assert len(pending_incidents(store, CHANNEL, NOW)) == 2  # for the next digest


def test_queue_streams_stay_bounded(store: Store) -> None:
    queue = JobQueue(store, "bounded", max_len=100, dead_max_len=10)
    for n in range(1000):
        queue.add({"kind": SUMMARIZE, "n": str(n)})
    # Approximate trimming drops whole stream nodes (100 entries each): near the limit.
    assert 100 <= queue.backlog() <= 300
    jobs = queue.read("a", count=50)
    for job in jobs:
        queue.dead_letter(job, "boom")
    assert store.redis.xlen(queue.dead_key) == 10
    assert queue.dead_letters(count=1)[0]["n"] == jobs[-1].fields["n"]
    # "Queued once" tokens expire.
    assert queue.add({"kind": DELIVER}, once="deliver:x") is not None
    assert queue.add({"kind": DELIVER}, once="deliver:x") is None
    assert 0 < store.redis.ttl(store.keys.queued("bounded", "deliver:x")) <= 3600


def test_a_job_trimmed_away_while_pending_is_forgotten(store: Store) -> None:
    queue = JobQueue(store, "trim")
    for n in range(3):
        queue.add({"kind": SUMMARIZE, "n": str(n)})
    assert len(queue.read("a")) == 3
    store.redis.xtrim(
        queue.key, maxlen=1, approximate=False
    )  # as MAXLEN does when workers fall far behind
    assert [j.fields["n"] for j in queue.reclaim("b", min_idle_ms=0)] == ["2"]
    assert queue.pending() == 1  # the two trimmed ids no longer count as pending


def test_idle_consumers_without_jobs_are_pruned(store: Store) -> None:
    queue = JobQueue(store, "prune")
    for n in range(2):
        queue.add({"kind": SUMMARIZE, "n": str(n)})
    queue.read("holding", count=1)
    for job in queue.read("done", count=1):
        queue.ack(job)
    assert queue.prune_consumers(idle=timedelta(0)) == 1
    names = [c["name"] for c in store.redis.xinfo_consumers(queue.key, queue.group)]
    assert names == ["holding"]


def test_after_clock_and_worker_every_key_expires_or_is_trimmed(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    config = _config()
    _clock(store, config).tick(NOW)
    _worker(store, config, fake_slack).drain("a")
    untimed = (":pending:", ":unfiled", ":last-digest:", ":stream:", ":dead:")
    keys = list(store.redis.scan_iter(match="test:*"))
    assert any(":stream:" in k for k in keys) and any(":queued:" in k for k in keys)
    for key in keys:
        if not any(part in key for part in untimed):
            assert store.redis.ttl(key) > 0, f"{key} never expires"


# --- the processes ------------------------------------------------------------------------


def _process_env(
    cli_env: dict[str, str], fake_slack: FakeSlackServer, tmp_path: Path, *channels: str
) -> dict[str, str]:
    config = tmp_path / "bot.toml"
    config.write_text(
        f"[[sources]]\nname = 'samples'\npath = '{SAMPLES / 'articles'}'\n"
        + "".join(f"[[channels]]\nid = '{c}'\n" for c in channels)
    )
    return {**cli_env, "OUTAGE_BOT_CONFIG": str(config), "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": fake_slack.api_url, "SUMMARIZER_MODEL": "extractive"}  # fmt: skip


def test_clock_then_worker_processes_post_the_digest_once(
    cli_env: dict[str, str], fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    env = _process_env(cli_env, fake_slack, tmp_path, CHANNEL)
    clock = outage_bot(env, "clock", "--once")
    assert clock.returncode == 0, clock.stderr
    assert f"queued 2 summary job(s) and 1 digest(s): {CHANNEL}" in clock.stderr
    worker = outage_bot(env, "worker", "--once", "--consumer", "w1")
    assert worker.returncode == 0, worker.stderr
    assert "worker w1: 3 job(s) done, 0 failed; 2 item(s) delivered" in worker.stderr
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == 3
    again = outage_bot(env, "worker", "--once")
    assert again.returncode == 0 and "0 job(s) done" in again.stderr
    tick = outage_bot(env, "clock", "--once")
    assert "queued 0 summary job(s) and 0 digest(s)" in tick.stderr
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == 3
    assert "Traceback" not in clock.stderr + worker.stderr + again.stderr + tick.stderr


def _kill_worker_while_posting(
    env: dict[str, str], fake_slack: FakeSlackServer, options: list[str], *, posts: int
) -> None:
    """Start ``outage-bot worker``; SIGKILL it once it has made ``posts`` posts (the last
    one held by Slack)."""
    args = [sys.executable, "-m", "bot", "worker", *options]
    doomed = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while len(fake_slack.fake.calls_to("chat.postMessage")) < posts:
            assert doomed.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)


def test_jobs_of_a_worker_killed_mid_job_are_finished_by_another(
    cli_env: dict[str, str],
    fake_slack: FakeSlackServer,
    tmp_path: Path,
    redis_client: redis.Redis,
) -> None:
    env = _process_env(cli_env, fake_slack, tmp_path, CHANNEL, OTHER)
    # The first post (CHANNEL's header) hangs: the worker is killed while it waits.
    fake_slack.fake.script("chat.postMessage", Scripted(delay_s=10))
    assert outage_bot(env, "clock", "--once").returncode == 0
    _kill_worker_while_posting(env, fake_slack, ["--consumer", "doomed"], posts=1)
    stream = "test:stream:jobs"
    held = redis_client.xpending_range(stream, "workers", "-", "+", 10, consumername="doomed")
    assert len(held) == 2  # it had read both digest jobs in one batch; one was under way

    finished = outage_bot(env, "worker", "--once", "--consumer", "b", "--reclaim-after", "0")
    assert finished.returncode == 0, finished.stderr
    assert "worker b: 2 job(s) done, 0 failed" in finished.stderr
    # The digest job it had not started yet is delivered, once.
    assert len(_posts(fake_slack, OTHER)) == 3
    # CHANNEL's items were claimed before the header post that hung: the dead process's
    # claims are released (its pid is gone), and they are posted once, with no second
    # header (the hung one was made).
    top = [m for m in fake_slack.fake.history[CHANNEL] if not m.get("thread_ts")]
    assert len(top) == 3 and sum(1 for m in top if m.get("metadata")) == 2
    assert redis_client.xpending(stream, "workers")["pending"] == 0
    assert redis_client.xlen(stream) == 0


def test_a_worker_started_again_after_kill_9_delivers_at_once_and_never_twice(
    cli_env: dict[str, str],
    fake_slack: FakeSlackServer,
    tmp_path: Path,
    redis_client: redis.Redis,
) -> None:
    env = _process_env(cli_env, fake_slack, tmp_path, CHANNEL, OTHER)
    # CHANNEL's header goes through; Slack then holds the first incident message (it is
    # made, the answer never comes) and the worker is killed while it waits.
    fake_slack.fake.script("chat.postMessage", Scripted(), Scripted(delay_s=10))
    assert outage_bot(env, "clock", "--once").returncode == 0
    _kill_worker_while_posting(env, fake_slack, [], posts=2)  # default name: hostname-pid
    held = redis_client.xpending("test:stream:jobs", "workers")["pending"]
    assert held == 2  # both digest jobs, read in one batch

    # Started again on this host with the default lease times (90 s for jobs, 60 s for
    # claims): it sees that pid is gone and takes its jobs and claims over at once.
    again = outage_bot(env, "worker", "--once")
    assert again.returncode == 0, again.stderr
    assert "2 job(s) done, 0 failed" in again.stderr
    assert "took over 2 job(s)" in again.stderr and "released 2 delivery claim(s)" in again.stderr
    for channel in (CHANNEL, OTHER):
        top = [m for m in fake_slack.fake.history[channel] if not m.get("thread_ts")]
        shown = [str(m["metadata"]) for m in top if m.get("metadata")]
        assert len(top) == 3, channel  # one header and two incident messages, none twice
        assert len(shown) == len(set(shown)) == 2, channel
    assert redis_client.xpending("test:stream:jobs", "workers")["pending"] == 0


@pytest.mark.parametrize("command", ["clock", "worker"])
def test_unreachable_redis_is_one_line(cli_env: dict[str, str], command: str) -> None:
    result = outage_bot({**cli_env, "REDIS_URL": "redis://127.0.0.1:1/0"}, command, "--once")
    assert result.returncode == 1
    assert "cannot reach Redis" in result.stderr and "Traceback" not in result.stderr


def test_the_cli_defaults_agree_with_the_worker_and_the_redis_client() -> None:
    # bot.cli.processes repeats these numbers so that `--help` need not import Redis.
    from bot.cli.processes import MAX_BLOCK_MS, RECLAIM_AFTER_S
    from bot.jobs.worker import RECLAIM_AFTER_MS
    from bot.store import COMMAND_TIMEOUT_S

    assert RECLAIM_AFTER_S * 1000 == RECLAIM_AFTER_MS
    assert int(COMMAND_TIMEOUT_S * 1000) - 1000 == MAX_BLOCK_MS


def _summary_batches() -> float:
    """How many batches the extractive engine has been asked for in this process."""
    value = REGISTRY.get_sample_value("outage_bot_summary_seconds_count", {"engine": "extractive"})
    return value or 0.0


def test_a_worker_summarises_every_article_of_a_poll_in_one_call_per_language(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    config = _config(ChannelConfig(id=CHANNEL), ChannelConfig(id=OTHER, summary_language="en"),
                     ChannelConfig(id="#zh", summary_language="zh"))  # fmt: skip
    _clock(store, config).tick(NOW)
    summaries = [j for j in _queued(store) if j["kind"] == SUMMARIZE]
    assert len(summaries) == 2 * 3  # two leads, three languages
    engine = MeasuredSummarizer(ExtractiveSummarizer())
    before = _summary_batches()
    report = _worker(store, config, fake_slack, summarizer=engine).drain("a")
    assert (report.done, report.failed) == (6 + 3, 0)
    # One engine call per language, not one per article and language; the three digests
    # then read every summary from the cache.
    assert _summary_batches() - before == 3
    assert len(list(store.redis.scan_iter(match="test:summary:*"))) == 6
    assert sorted(d.channel for d in report.delivered) == sorted([CHANNEL, OTHER, "#zh"])
    assert all(d.delivered == 2 for d in report.delivered)


class _FailsOnAws(ExtractiveSummarizer):
    """A real engine with a bug that one kind of article sets off; records each batch."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def summarize(self, articles: Sequence[Article], language: str | None = None) -> list[Summary]:
        self.batches.append(len(articles))
        if any("AWS" in a.title for a in articles):
            raise RuntimeError("engine bug")
        return super().summarize(articles, language)


def test_a_batch_an_article_breaks_is_done_job_by_job_so_only_that_job_fails(
    store: Store, fake_slack: FakeSlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    config = _config(ChannelConfig(id=CHANNEL, schedule="0 9 * * *"))
    DigestClock(store).mark(CHANNEL, NOW)  # its digest is not due: summaries only
    _clock(store, config).tick(NOW)
    queue = job_queue(store)
    assert [j["kind"] for j in _queued(store)] == [SUMMARIZE, SUMMARIZE]
    engine = _FailsOnAws()
    report = _worker(store, config, fake_slack, summarizer=engine, reclaim_after_ms=0).run_once("a")
    assert (report.done, report.failed) == (1, 1)
    assert engine.batches == [2, 1, 1]  # together, then one by one
    assert "summarising 2 articles together failed" in caplog.text  # a bug is not hidden
    assert queue.pending() == 1  # the AWS job, to be retried
    cached = list(store.redis.scan_iter(match="test:summary:*"))
    assert len(cached) == 1  # the other article's summary was written
    # Retried, a job runs alone: it may be the one that killed a worker (out of memory).
    engine.batches.clear()
    retry = _worker(store, config, fake_slack, summarizer=engine, reclaim_after_ms=0).run_once("b")
    assert (retry.done, retry.failed) == (0, 1) and engine.batches == [1]


def test_an_unreadable_stored_article_costs_only_itself(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    config = _config()
    _clock(store, config).tick(NOW)
    aliyun, aws = lead_articles(store, pending_incidents(store, CHANNEL, NOW))
    assert aliyun is not None and "阿里云" in aliyun.title and aws is not None
    # Another version of the bot (or damage) left a record this one cannot read.
    store.redis.set(store.keys.article(aliyun.id), '{"id": "x", "title": 7}')
    report = _worker(store, config, fake_slack).drain("a")
    assert (report.done, report.failed) == (3, 0)
    posts = _posts(fake_slack)
    assert len(posts) == 2 and "AWS" in str(posts[1]["text"])  # header + the readable one
