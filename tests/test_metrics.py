"""Prometheus metrics, heartbeats and `status`: scraped over real HTTP while the bot works.

The registry is process-wide (prometheus-client's design), so a test reads the
change of each sample across one `run --once` rather than absolute values.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.ops.metrics import MetricsServer, counts
from tests.cli import outage_bot
from tests.conftest import SAMPLES
from tests.fake_slack import FakeSlackServer, Scripted


def scrape(port: int) -> Mapping[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
        assert answer.status == 200
        return counts(answer.read().decode())


def delta(before: Mapping[str, float], after: Mapping[str, float], name: str) -> float:
    return after.get(name, 0.0) - before.get(name, 0.0)


def sample_config(tmp_path: Path, channels: list[str]) -> Path:
    config = tmp_path / "bot.toml"
    lines = [
        f"[[sources]]\nname = 'articles'\npath = '{SAMPLES / 'articles'}'\n",
        f"[[sources]]\nname = 'feed'\npath = '{SAMPLES / 'feeds' / 'status-news.xml'}'\n",
        *(f"[[channels]]\nid = '{c}'\n" for c in channels),
    ]
    config.write_text("".join(lines))
    return config


def test_every_counter_moves_by_what_run_once_did(
    cli_env: dict[str, str], tmp_path: Path, fake_slack: FakeSlackServer
) -> None:
    env = {
        **cli_env,
        "OUTAGE_BOT_CONFIG": str(sample_config(tmp_path, ["#ops", "#gone"])),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": fake_slack.api_url,
        "SUMMARIZER_MODEL": "extractive",
    }
    # The first post is rate limited once (retried after Retry-After); then the first
    # channel's messages go through and the second channel's first post is refused.
    first_channel_posts = 5  # the header and the four incidents with news
    fake_slack.fake.script(
        "chat.postMessage",
        Scripted(status=429, retry_after=0),
        *[Scripted()] * first_channel_posts,
        Scripted(error="not_in_channel"),
    )
    server = MetricsServer(0, host="127.0.0.1")
    try:
        before = scrape(server.port)
        result = outage_bot(env, "run", "--once")
        after = scrape(server.port)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    incidents = outage_bot(env, "incidents", "--json", "--since", "all")
    opened = len(incidents.stdout.splitlines())
    reports = sum(len(json.loads(line)["articles"]) for line in incidents.stdout.splitlines())

    assert delta(before, after, "outage_bot_articles_read_total") == 4 + 3  # 4 files, 3 items
    assert delta(before, after, "outage_bot_articles_new_total") == 7
    assert delta(before, after, "outage_bot_articles_outage_total") == reports
    assert delta(before, after, "outage_bot_incidents_opened_total") == opened == 4
    assert delta(before, after, "outage_bot_incidents_updated_total") == reports - opened
    summaries = delta(before, after, 'outage_bot_summaries_total{engine="extractive"}')
    # One summary per incident message (its lead report); the second channel's digest
    # hits the summary cache, which is not counted.
    assert summaries == opened
    assert delta(before, after, 'outage_bot_summary_seconds_count{engine="extractive"}') >= 1
    posted = 'outage_bot_slack_posts_total{method="chat.postMessage"}'
    assert delta(before, after, posted) == first_channel_posts
    assert delta(before, after, "outage_bot_slack_rate_limited_total") == 1
    assert delta(before, after, 'outage_bot_slack_errors_total{error="not_in_channel"}') == 1
    # Shared state, read from Redis at scrape time.
    assert after["outage_bot_job_backlog"] == 0
    assert after["outage_bot_job_dead_letters"] == 0
    assert after['outage_bot_source_up{source="articles"}'] == 1
    assert after['outage_bot_source_failures{source="feed"}'] == 0
    assert after['outage_bot_model_loaded{engine="extractive",fallback="false"}'] == 1


def test_status_reports_the_run_that_just_beat(cli_env: dict[str, str], tmp_path: Path) -> None:
    env = {**cli_env, "OUTAGE_BOT_CONFIG": str(sample_config(tmp_path, ["#ops"])),
           "SUMMARIZER_MODEL": "extractive"}  # fmt: skip
    nobody = outage_bot(env, "status")
    assert nobody.returncode == 1 and "none has reported" in nobody.stdout
    assert outage_bot(env, "run", "--once").returncode == 0
    result = outage_bot(env, "status", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    (process,) = report["processes"]
    assert process["role"] == "run" and process["alive"] and process["last_tick"]
    assert process["model"] == "extractive"
    assert report["backlog"] == 0 and report["dead_letters"] == 0
    assert report["sources"] == 2 and report["source_errors"] == []
    text = outage_bot(env, "status")
    assert "alive" in text.stdout and "0 dead letter(s)" in text.stdout


@pytest.mark.timeout(90)
def test_worker_serves_metrics_on_its_port(cli_env: dict[str, str], tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**cli_env, "SUMMARIZER_MODEL": "extractive"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker", "--metrics-port", str(port), "--block-ms", "500"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                values = scrape(port)
                break
            except OSError:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert values["outage_bot_job_backlog"] == 0
        assert "outage_bot_articles_read_total" in values
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 0


def test_serve_http_mode_answers_metrics_on_its_port() -> None:
    from bot.slack.server import wsgi_app

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        start_response.status = status  # type: ignore[attr-defined]

    app = wsgi_app(None, None)  # type: ignore[arg-type]  # /metrics never touches the App
    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics"}, start_response))
    assert start_response.status == "200 OK"  # type: ignore[attr-defined]
    assert b"outage_bot_articles_read_total" in body
