"""Start-up failures say what is wrong in one line, without a traceback.

Each runs the real CLI as a subprocess against the test Redis and local sockets.
"""

from __future__ import annotations

import re
import socket

from tests.cli import outage_bot
from tests.fake_slack import FakeSlackServer
from tests.slack_app_kit import SECRET
from tests.test_cli_slack import slack_env


def _not_logged(stderr: str) -> list[str]:
    """stderr without log records (one line each: "no QA model", slack_sdk's own error)."""
    return [line for line in stderr.splitlines() if not re.match(r"\d{4}-\d\d-\d\d ", line)]


def test_a_busy_port_is_one_line(cli_env: dict[str, str], fake_slack: FakeSlackServer) -> None:
    env = {**slack_env(cli_env, fake_slack), "SLACK_SIGNING_SECRET": SECRET}
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = outage_bot(env, "serve", "--host", "127.0.0.1", "--port", str(port))
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr and len(_not_logged(result.stderr)) <= 2


def test_an_unreachable_slack_api_is_one_line(cli_env: dict[str, str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    env = {
        **cli_env,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"http://127.0.0.1:{port}/api/",
        "SUMMARIZER_MODEL": "extractive",
    }
    result = outage_bot(env, "serve", "--port", "0")
    assert result.returncode == 1
    assert "cannot reach the Slack API" in result.stderr
    assert "Traceback" not in result.stderr and len(_not_logged(result.stderr)) <= 2


def test_a_redis_url_with_a_non_numeric_database_is_refused(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "REDIS_URL": "redis://127.0.0.1:1/abc"}
    result = outage_bot(env, "incidents")
    assert result.returncode == 1
    assert "must be a number" in result.stderr and "'abc'" in result.stderr
