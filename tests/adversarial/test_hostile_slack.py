"""Forged, replayed and malformed Slack requests against our real app over HTTP.

The app is the one ``serve`` runs, behind waitress on 127.0.0.1; Slack's side is
the fake Web API. Malformed input is answered 400 or 401, never 500, and never
reaches a listener.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.config import BotConfig, ChannelConfig
from bot.slack.server import HTTPServer
from bot.store import Store
from tests.fake_slack import FakeSlackServer
from tests.http_server import LOCAL_HOST, HTTPTestServer, Reply
from tests.slack_app_kit import CHANNEL, SECRET, our_app, wait_for
from tests.slack_signing import FORM, JSON, post, running_http_server, sign, slash_command_body


@pytest.fixture
def served(store: Store, fake_slack: FakeSlackServer) -> Iterator[HTTPServer]:
    config = BotConfig(channels=(ChannelConfig(id=CHANNEL),))
    with running_http_server(our_app(store, fake_slack, config=config)) as server:
        yield server


def _raw_post(server: HTTPServer, body: bytes, headers: dict[str, bytes]) -> httpx.Response:
    return httpx.post(
        server.url + "/slack/events", content=body, headers=headers, timeout=10, trust_env=False
    )


def _help_body() -> str:
    return slash_command_body(command="/outage-summary", text="help", channel_id=CHANNEL)


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [("1.5", None), ("abc", None), ("", None), ("-1", None), ("1e9", None),
     (None, "v0=ÿÿÿ"), (None, "v0=\u00e9t\u00e9"), (None, ""), (None, "v1=abc"),
     ("99999999999999999999999", None)],
)  # fmt: skip
def test_malformed_authentication_headers_are_4xx_not_500(
    served: HTTPServer, timestamp: str | None, signature: str | None
) -> None:
    body = _help_body()
    ts = timestamp if timestamp is not None else str(int(time.time()))
    sig = signature if signature is not None else sign(body, SECRET, ts)
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}
    encoded = {k: v.encode("utf-8") for k, v in headers.items()}  # raw bytes on the wire
    response = _raw_post(served, body.encode(), encoded)
    assert response.status_code in (400, 401), response.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=%7Bbad", FORM),
        ("payload=%5B%5D", FORM),
        ("payload=%22x%22", FORM),
        ("payload=null", FORM),
        ("{bad", JSON),
        ("[]", JSON),
        ('"x"', JSON),
        ("null", JSON),
        ('{"type": "event_callback", "event": "x"}', JSON),
        ('{"type": "event_callback", "event": {"type": 5}}', JSON),
        ('{"type": "block_actions", "actions": 7}', JSON),
        ("command=%2Foutage-summary&text=%ff%fe", FORM),
    ],
)
def test_malformed_bodies_with_a_valid_signature_are_400_not_500(
    served: HTTPServer, body: str, content_type: str
) -> None:
    reply = post(served.url + "/slack/events", body, content_type, secret=SECRET)
    assert reply.status < 500, (reply.status, reply.body)


def test_a_replayed_request_inside_the_window_is_refused(
    served: HTTPServer, fake_slack: FakeSlackServer
) -> None:
    body = _help_body()
    ts = int(time.time())
    first = post(served.url + "/slack/events", body, secret=SECRET, timestamp=ts)
    assert first.status == 200
    replay = post(served.url + "/slack/events", body, secret=SECRET, timestamp=ts)
    assert replay.status == 401
    # A new request (new timestamp, so a new signature) is fine.
    again = post(served.url + "/slack/events", body, secret=SECRET, timestamp=ts + 1)
    assert again.status == 200


MARKUP = "<!channel> <@U0ADMIN> <http://phish.example/login|Slack session expired>"


def _later_reply(fake_slack: FakeSlackServer) -> dict[str, Any]:
    calls = wait_for(lambda: fake_slack.fake.calls_to("hook"), what="the reply via response_url")
    body: dict[str, Any] = calls[0].body
    return body


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("{url}", Reply(headers={"Content-Type": f"image/png; x={MARKUP}"}, body=b"x")),
        ("subscribe {url}", Reply(headers={"Content-Type": f"image/png; x={MARKUP}"}, body=b"x")),
        ("{url}", Reply(302, {"Location": f"http://{MARKUP}"})),
        ("{url}", Reply(headers={"Content-Type": "text/html"},
                        body=f"<html><head><title>{MARKUP}</title></head><body><p>x</p></body>"
                             "</html>".encode())),
    ],
    ids=["url-content-type", "subscribe-content-type", "url-redirect", "url-page-title"],
)  # fmt: skip
def test_outside_text_in_replies_is_escaped(
    served: HTTPServer, fake_slack: FakeSlackServer, http_server: HTTPTestServer,
    text: str, reply: Reply,
) -> None:  # fmt: skip
    http_server.route("/hostile", reply)
    url = http_server.url("/hostile", host=LOCAL_HOST)
    hook = fake_slack.api_url + "hook"
    body = slash_command_body(command="/outage-summary", text=text.format(url=url),
                              channel_id=CHANNEL, response_url=hook)  # fmt: skip
    ack = post(served.url + "/slack/events", body, secret=SECRET)
    assert ack.status == 200
    shown = json.dumps(_later_reply(fake_slack), ensure_ascii=False)
    for live in ("<!channel>", "<@U0ADMIN>", "<http://phish"):
        assert live not in shown and live not in ack.body, shown


def test_a_replay_marked_as_a_retry_is_acknowledged_and_runs_nothing(
    served: HTTPServer, fake_slack: FakeSlackServer
) -> None:
    body = slash_command_body(
        command="/outage-summary", text="aws 3d", channel_id=CHANNEL,
        response_url=fake_slack.api_url + "hook",
    )  # fmt: skip
    ts = int(time.time())
    assert post(served.url + "/slack/events", body, secret=SECRET, timestamp=ts).status == 200
    replay = post(served.url + "/slack/events", body, secret=SECRET, timestamp=ts, retry_num=1)
    assert replay.status == 200 and replay.body == ""
    time.sleep(1.0)  # a second reply would have arrived by now
    assert len(fake_slack.fake.calls_to("hook")) == 1
