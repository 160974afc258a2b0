"""Real signed Slack requests for tests of HTTP mode.

Slack signs each request with the app's signing secret (the "v0" scheme):
``X-Slack-Signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")`` and
``X-Slack-Request-Timestamp: {timestamp}``. These helpers build bodies shaped like
Slack's (form-encoded slash commands, JSON event callbacks), sign them and send
them over real HTTP to a running server.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_bolt import App

from bot.slack.server import HealthCheck, HTTPServer

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TEAM_ID = "T1"
APP_ID = "A1"
BOT_USER_ID = "UBOT"


def sign(body: str, secret: str, timestamp: int | str) -> str:
    """The ``X-Slack-Signature`` value for ``body`` sent at ``timestamp``."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def slash_command_body(
    command: str = "/outage",
    text: str = "",
    channel_id: str = "C1",
    user_id: str = "U1",
    response_url: str = "https://hooks.slack.com/commands/T1/1/x",
    *,
    team_id: str = TEAM_ID,
    user_name: str = "alice",
    channel_name: str = "ops",
    trigger_id: str = "1.2.abc",
) -> str:
    """A slash-command body, form-encoded as Slack posts it."""
    fields = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": "example",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return urlencode(fields)


def slash_command_payload(**kwargs: Any) -> dict[str, str]:
    """The same fields as a dict: Socket Mode's ``slash_commands`` envelope payload."""
    from urllib.parse import parse_qsl

    return dict(parse_qsl(slash_command_body(**kwargs), keep_blank_values=True))


def event_payload(
    event: dict[str, Any],
    event_id: str = "Ev1",
    *,
    team_id: str = TEAM_ID,
    event_time: int | None = None,
) -> dict[str, Any]:
    """An Events API ``event_callback`` (also Socket Mode's ``events_api`` payload)."""
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [
            {
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def event_body(event: dict[str, Any], event_id: str = "Ev1", **kwargs: Any) -> str:
    """An ``event_callback`` as the JSON text Slack posts."""
    return json.dumps(event_payload(event, event_id, **kwargs))


def url_verification_body(challenge: str) -> str:
    return json.dumps(
        {"token": "legacy-verification-token", "challenge": challenge, "type": "url_verification"}
    )


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


def post(
    url: str,
    body: str,
    content_type: str = FORM,
    secret: str = "",
    timestamp: int | None = None,
    retry_num: int | None = None,
    bad_signature: bool = False,
    timeout: float = 10.0,
) -> Reply:
    """POST ``body`` to ``url`` signed with ``secret`` as Slack would.

    ``timestamp`` defaults to now (pass an old one for a replay); ``bad_signature``
    signs with a different secret; ``retry_num`` adds Slack's retry headers.
    """
    ts = int(time.time()) if timestamp is None else timestamp
    signature = sign(body, secret + "-wrong" if bad_signature else secret, ts)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    response = httpx.post(
        url, content=body.encode(), headers=headers, timeout=timeout, trust_env=False
    )
    return _reply(response)


def get(url: str, timeout: float = 10.0) -> Reply:
    return _reply(httpx.get(url, timeout=timeout, trust_env=False))


def _reply(response: httpx.Response) -> Reply:
    headers = {k.lower(): v for k, v in response.headers.items()}
    return Reply(response.status_code, headers, response.text)


@contextmanager
def running_http_server(app: App, health: HealthCheck | None = None) -> Iterator[HTTPServer]:
    """``app`` served in HTTP mode on 127.0.0.1 (a free port) for the ``with`` block.

    ``server.url + "/slack/events"`` is where Slack would post.
    """
    server = HTTPServer(app, host="127.0.0.1", port=0, threads=4, health=health)
    thread = threading.Thread(target=server.run, name="http-mode", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.close()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the HTTP-mode server did not stop within 10 s"
