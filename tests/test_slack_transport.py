"""The Slack transports: HTTP mode (waitress + bolt) and Socket Mode, over real sockets.

A small real bolt App with one command and one event listener stands in for the
bot's own app; its WebClient talks to the fake Web API (``fake_slack``).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.errors import ConfigError, DeliveryError
from bot.slack.server import (
    HTTPServer,
    SocketMode,
    connect_socket_mode,
    run_socket_mode,
    socket_mode_handler,
)
from tests.fake_slack import FakeSlackServer, Scripted
from tests.fake_socket_mode import FakeSocketModeServer
from tests.slack_signing import (
    JSON,
    event_body,
    event_payload,
    get,
    post,
    running_http_server,
    slash_command_body,
    slash_command_payload,
    url_verification_body,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1-test"
APP_TOKEN = "xapp-1-A1-test"
MENTION = {"type": "app_mention", "user": "U1", "text": "<@UBOT> status", "channel": "C1"}


class Recorder:
    """What the app's listeners saw, with waiting for listeners on other threads."""

    def __init__(self) -> None:
        self.commands: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    def add(self, into: list[dict[str, Any]], item: dict[str, Any]) -> None:
        with self._changed:
            into.append(item)
            self._changed.notify_all()

    def wait_for_events(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.events) >= count, timeout):
                raise AssertionError(f"expected {count} event(s) within {timeout} s: {self.events}")
            return list(self.events)


def build_app(api_url: str) -> tuple[App, Recorder]:
    seen = Recorder()
    client = WebClient(base_url=api_url, token=BOT_TOKEN, timeout=5)
    app = App(client=client, signing_secret=SECRET, token_verification_enabled=False)

    @app.command("/outage")
    def on_command(ack: Ack, command: dict[str, Any]) -> None:
        # Recorded before ack: in HTTP mode bolt answers only after ack, so a response
        # that arrived means this already ran (or never will).
        seen.add(seen.commands, command)
        ack(text=f"checking {command['text']}", response_type="ephemeral")

    @app.event("app_mention")
    def on_mention(event: dict[str, Any]) -> None:
        seen.add(seen.events, event)

    return app, seen


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- HTTP mode ----------------------------------------------------------------------------------


@pytest.fixture
def http_app(fake_slack: FakeSlackServer) -> Iterator[tuple[HTTPServer, Recorder]]:
    app, seen = build_app(fake_slack.api_url)
    with running_http_server(app) as server:
        yield server, seen


def events_url(server: HTTPServer) -> str:
    return server.url + "/slack/events"


def test_signed_slash_command_is_acknowledged_by_the_listener(
    http_app: tuple[HTTPServer, Recorder], fake_slack: FakeSlackServer
) -> None:
    server, seen = http_app
    body = slash_command_body("/outage", "us-east-1", channel_id="C42", user_id="U7")
    reply = post(events_url(server), body, secret=SECRET)
    assert reply.status == 200, reply.body
    assert reply.json() == {"text": "checking us-east-1", "response_type": "ephemeral"}
    [command] = seen.commands
    assert command["channel_id"] == "C42" and command["user_id"] == "U7"
    assert command["text"] == "us-east-1"
    # The single-workspace app checks its bot token with the injected client (fake API).
    assert [c.token for c in fake_slack.fake.calls_to("auth.test")] == [BOT_TOKEN]


def test_signed_event_reaches_the_listener(http_app: tuple[HTTPServer, Recorder]) -> None:
    server, seen = http_app
    reply = post(events_url(server), event_body(MENTION, "Ev9"), JSON, secret=SECRET, retry_num=1)
    assert reply.status == 200, reply.body
    [event] = seen.wait_for_events()
    assert event["text"] == "<@UBOT> status"


def test_wrong_signature_is_refused_before_any_listener(
    http_app: tuple[HTTPServer, Recorder], fake_slack: FakeSlackServer
) -> None:
    server, seen = http_app
    body = slash_command_body("/outage", "us-east-1")
    reply = post(events_url(server), body, secret=SECRET, bad_signature=True)
    assert reply.status == 401
    assert seen.commands == []
    assert fake_slack.fake.calls == []  # nothing downstream of the check ran


@pytest.mark.parametrize("skew_s", [-6 * 60, 6 * 60])
def test_stale_or_future_timestamp_is_refused(
    http_app: tuple[HTTPServer, Recorder], skew_s: int
) -> None:
    server, seen = http_app
    body = slash_command_body("/outage", "replayed")
    # Correctly signed for its timestamp: only the age of the request is wrong.
    reply = post(events_url(server), body, secret=SECRET, timestamp=int(time.time()) + skew_s)
    assert reply.status == 401
    assert seen.commands == []


def test_unsigned_request_is_refused(http_app: tuple[HTTPServer, Recorder]) -> None:
    server, seen = http_app
    body = slash_command_body("/outage", "x")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    response = httpx.post(events_url(server), content=body, headers=headers, trust_env=False)
    assert response.status_code == 401
    assert seen.commands == []


def test_url_verification_challenge_is_answered(http_app: tuple[HTTPServer, Recorder]) -> None:
    server, _ = http_app
    reply = post(events_url(server), url_verification_body("3eZbrw1aBm2rZgRNFdxV"), JSON, SECRET)
    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


def test_oversized_body_is_refused(http_app: tuple[HTTPServer, Recorder]) -> None:
    server, seen = http_app
    body = slash_command_body("/outage", "x" * (2 << 20))
    reply = post(events_url(server), body, secret=SECRET)
    assert reply.status == 413
    assert seen.commands == []


def test_unknown_paths_and_wrong_methods(http_app: tuple[HTTPServer, Recorder]) -> None:
    server, _ = http_app
    assert get(server.url + "/slack/other").status == 404
    assert get(server.url + "/").status == 404
    wrong = get(events_url(server))
    assert wrong.status == 405 and wrong.headers["allow"] == "POST"
    assert post(server.url + "/healthz", "", secret=SECRET).status == 405


def test_healthz_without_a_check(http_app: tuple[HTTPServer, Recorder]) -> None:
    server, _ = http_app
    reply = get(server.url + "/healthz")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.json() == {"ok": True}


def redis_health(client: redis.Redis) -> Callable[[], dict[str, Any]]:
    return lambda: {"redis": "ok" if client.ping() else "no answer"}


def test_healthz_reports_a_working_redis(
    fake_slack: FakeSlackServer, redis_client: redis.Redis
) -> None:
    app, _ = build_app(fake_slack.api_url)
    with running_http_server(app, health=redis_health(redis_client)) as server:
        reply = get(server.url + "/healthz")
    assert reply.status == 200
    assert reply.json() == {"ok": True, "redis": "ok"}


def test_healthz_is_503_when_the_check_fails(fake_slack: FakeSlackServer, tmp_path: Path) -> None:
    app, _ = build_app(fake_slack.api_url)
    # A real client for a Redis that is not there: ping raises ConnectionError.
    gone = redis.Redis(unix_socket_path=str(tmp_path / "none.sock"), retry=Retry(NoBackoff(), 0))
    with running_http_server(app, health=redis_health(gone)) as server:
        reply = get(server.url + "/healthz")
        # The server keeps serving Slack while a dependency is down.
        signed = post(events_url(server), slash_command_body("/outage", "x"), secret=SECRET)
    assert reply.status == 503
    body = reply.json()
    assert body["ok"] is False and "ConnectionError" in body["error"]
    assert signed.status == 200


def test_close_before_run_releases_the_port(fake_slack: FakeSlackServer) -> None:
    app, _ = build_app(fake_slack.api_url)
    server = HTTPServer(app, host="127.0.0.1", port=0)
    port = server.port
    server.close()
    server.run()  # returns at once: it was closed
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # free again


# -- Socket Mode --------------------------------------------------------------------------------


@pytest.fixture
def socket_app(
    fake_slack: FakeSlackServer, socket_mode_server: FakeSocketModeServer
) -> Iterator[tuple[SocketMode, Recorder]]:
    app, seen = build_app(fake_slack.api_url)
    running = run_socket_mode(app, APP_TOKEN, app.client)
    try:
        yield running, seen
    finally:
        running.close()


def test_socket_mode_connects_with_the_app_token(
    fake_slack: FakeSlackServer, socket_mode_server: FakeSocketModeServer
) -> None:
    app, _ = build_app(fake_slack.api_url)
    handler = socket_mode_handler(app, APP_TOKEN, app.client)
    hellos: list[dict[str, Any]] = []
    arrived = threading.Event()

    def on_message(_client: Any, message: dict[str, Any], _raw: str | None) -> None:
        if message.get("type") == "hello":
            hellos.append(message)
            arrived.set()

    handler.client.message_listeners.append(on_message)
    running = connect_socket_mode(handler)
    try:
        assert running.connected
        [opened] = fake_slack.fake.calls_to("apps.connections.open")
        assert opened.token == APP_TOKEN  # the xapp- token, not the bot token
        [connection] = socket_mode_server.wait_for_connections(1)
        assert connection.ticket == socket_mode_server.tickets[0]  # the URL Slack handed out
        assert arrived.wait(10), "the client never received hello"
        assert hellos[0]["connection_info"] == {"app_id": "A1"}
    finally:
        running.close()
    socket_mode_server.wait_for_close(connection)
    assert not running.connected


def test_events_api_envelope_reaches_the_listener_and_is_acked(
    socket_app: tuple[SocketMode, Recorder], socket_mode_server: FakeSocketModeServer
) -> None:
    _, seen = socket_app
    envelope_id = socket_mode_server.send("events_api", event_payload(MENTION, "Ev2"))
    ack = socket_mode_server.wait_for_ack(envelope_id)
    assert ack == {"envelope_id": envelope_id}
    [event] = seen.wait_for_events()
    assert event["channel"] == "C1"


def test_slash_command_envelope_is_acked_with_the_listeners_payload(
    socket_app: tuple[SocketMode, Recorder], socket_mode_server: FakeSocketModeServer
) -> None:
    _, seen = socket_app
    payload = slash_command_payload(command="/outage", text="eu-west-1", channel_id="C9")
    envelope_id = socket_mode_server.send("slash_commands", payload, accepts_response_payload=True)
    ack = socket_mode_server.wait_for_ack(envelope_id)
    expected = {"text": "checking eu-west-1", "response_type": "ephemeral"}
    assert ack == {"envelope_id": envelope_id, "payload": expected}
    assert [c["channel_id"] for c in seen.commands] == ["C9"]


def test_socket_mode_reconnects_when_slack_asks(
    socket_app: tuple[SocketMode, Recorder],
    socket_mode_server: FakeSocketModeServer,
    fake_slack: FakeSlackServer,
) -> None:
    _, seen = socket_app
    [first] = socket_mode_server.wait_for_connections(1)
    socket_mode_server.request_reconnect()
    second = socket_mode_server.wait_for_connections(2)[1]
    assert second.ticket == socket_mode_server.tickets[1]
    opened = fake_slack.fake.calls_to("apps.connections.open")
    assert [c.token for c in opened] == [APP_TOKEN, APP_TOKEN]
    socket_mode_server.wait_for_close(first)
    envelope_id = socket_mode_server.send("events_api", event_payload(MENTION, "Ev3"))
    assert socket_mode_server.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}
    assert len(seen.wait_for_events()) == 1


def test_refused_app_token_is_a_config_error(fake_slack: FakeSlackServer) -> None:
    app, _ = build_app(fake_slack.api_url)
    fake_slack.fake.script("apps.connections.open", Scripted(error="invalid_auth"))
    with pytest.raises(ConfigError, match=r"SLACK_APP_TOKEN.*invalid_auth"):
        run_socket_mode(app, "xapp-revoked", app.client)


def test_unreachable_socket_url_is_a_delivery_error(fake_slack: FakeSlackServer) -> None:
    app, _ = build_app(fake_slack.api_url)
    url = f"ws://127.0.0.1:{free_port()}/link/?ticket=gone"
    fake_slack.attach_socket_mode(lambda: url)
    with pytest.raises(DeliveryError, match="Socket Mode"):
        run_socket_mode(app, APP_TOKEN, app.client)


def test_envelope_json_is_what_slack_sends(socket_mode_server: FakeSocketModeServer) -> None:
    # The fake itself: hello first, then envelopes with Slack's field names.
    import websockets.sync.client

    url = socket_mode_server.new_url()
    with websockets.sync.client.connect(url, open_timeout=5) as ws:
        hello = json.loads(ws.recv(timeout=5))
        envelope_id = socket_mode_server.send("slash_commands", {"text": "x"})
        envelope = json.loads(ws.recv(timeout=5))
        ws.send(json.dumps({"envelope_id": envelope_id, "payload": {"text": "ok"}}))
        ack = socket_mode_server.wait_for_ack(envelope_id)
    assert hello["type"] == "hello"
    assert envelope == {
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "payload": {"text": "x"},
        "accepts_response_payload": False,
    }
    assert ack == {"envelope_id": envelope_id, "payload": {"text": "ok"}}
