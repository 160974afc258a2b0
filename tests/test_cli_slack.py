"""`outage-bot serve` as a real process (signals, ports, Socket Mode); `ask` in-process."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tests.cli import outage_bot
from tests.conftest import REPO, SAMPLES
from tests.fake_slack import FakeSlackServer, Scripted
from tests.fake_socket_mode import FakeSocketModeServer
from tests.slack_app_kit import SECRET
from tests.slack_signing import get, post, slash_command_body


@contextmanager
def running(env: dict[str, str], *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``outage-bot serve`` in the background; yields the process and the line that says
    it is serving (warnings before it are skipped)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", *args],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        while line and not line.startswith(("Serving", "Connected", "outage-bot:")):
            line = process.stderr.readline()
        yield process, line
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                raise


def slack_env(cli_env: dict[str, str], fake_slack: FakeSlackServer) -> dict[str, str]:
    return {
        **cli_env,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": fake_slack.api_url,
        "SUMMARIZER_MODEL": "extractive",
    }


def test_serve_http_mode_answers_health_and_signed_commands(
    cli_env: dict[str, str], fake_slack: FakeSlackServer
) -> None:
    env = {**slack_env(cli_env, fake_slack), "SLACK_SIGNING_SECRET": SECRET}
    with running(env, "--host", "127.0.0.1", "--port", "0") as (process, line):
        match = re.search(r"on (http://127\.0\.0\.1:\d+)/slack/events", line)
        assert match, line
        url = match.group(1)
        health = get(url + "/healthz")
        assert health.status == 200 and health.json()["redis"] == "ok"
        body = slash_command_body(command="/outage-summary", text="help", channel_id="C0OPS00001")
        assert "subscribe <feed-url>" in post(url + "/slack/events", body, secret=SECRET).body
        assert post(url + "/slack/events", body, secret="wrong").status == 401
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    # bolt checked the bot token once, at start-up.
    assert len(fake_slack.fake.calls_to("auth.test")) == 1


def test_serve_in_socket_mode_when_an_app_token_is_set(
    cli_env: dict[str, str],
    fake_slack: FakeSlackServer,
    socket_mode_server: FakeSocketModeServer,
) -> None:
    env = {**slack_env(cli_env, fake_slack), "SLACK_APP_TOKEN": "xapp-1-test"}
    with running(env) as (process, line):
        assert "Socket Mode" in line, line
        socket_mode_server.wait_for_connections(1)
        (opened,) = fake_slack.fake.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-test"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_serve_refuses_to_start_without_its_secrets(
    cli_env: dict[str, str], fake_slack: FakeSlackServer
) -> None:
    missing = outage_bot(cli_env, "serve")
    assert missing.returncode == 2
    assert "SLACK_BOT_TOKEN" in missing.stderr and "SLACK_SIGNING_SECRET" in missing.stderr
    assert "Traceback" not in missing.stderr
    fake_slack.fake.script("auth.test", Scripted(error="invalid_auth"))
    env = {**slack_env(cli_env, fake_slack), "SLACK_SIGNING_SECRET": SECRET}
    refused = outage_bot(env, "serve", "--port", "0")
    assert refused.returncode == 2 and "SLACK_BOT_TOKEN" in refused.stderr
    assert "invalid_auth" in refused.stderr


def test_ask_answers_from_an_article_with_evidence(cli_env: dict[str, str]) -> None:
    article = SAMPLES / "articles" / "2026-11-20-aws-us-east-1-en.md"
    env = {**cli_env, "SUMMARIZER_MODEL": "extractive"}
    result = outage_bot(env, "ask", str(article), "Which services were affected?")
    assert result.returncode == 0, result.stderr
    assert "Evidence:" in result.stdout
    first = result.stdout.split("[1] ", 1)[1]
    assert first.startswith("AWS US-EAST-1 trouble knocks Disney+")
    assert "https://example-tech.com/2026/11/20/aws-us-east-1-outage" in first
    assert "Disney+ and Netflix reported playback errors" in first.split("[2]")[0]


def test_every_procfile_process_is_a_real_command(cli_env: dict[str, str]) -> None:
    lines = (REPO / "Procfile").read_text().splitlines()
    processes = dict(line.split(":", 1) for line in lines if line and not line.startswith("#"))
    assert set(processes) == {"web", "clock", "worker"}
    for command in processes.values():
        program, subcommand = command.split()[:2]
        assert program == "outage-bot"
        assert outage_bot(cli_env, subcommand, "--help").returncode == 0, command
