"""The Slack endpoint under slow and idle clients: acks stay fast, cheap commands stay quick.

Real waitress + bolt app on 127.0.0.1, real signed requests, trickling pages from
a local raw server; every loop is bounded.
"""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bot.config import BotConfig, ChannelConfig
from bot.slack.server import HTTPServer
from bot.store import Store
from tests.adversarial.raw_server import RawServer, read_request_head
from tests.fake_slack import FakeSlackServer
from tests.http_server import LOCAL_HOST
from tests.slack_app_kit import CHANNEL, SECRET, our_app
from tests.slack_signing import FORM, Reply, sign, slash_command_body

# The latency targets hold on an otherwise idle machine: run alone (see the Makefile).
pytestmark = pytest.mark.serial

_CLIENT = httpx.Client(timeout=20, trust_env=False, limits=httpx.Limits(max_connections=200))
CHANNELS = ("C0OPS00001", "C0OPS00002", "C0OPS00003", "C0OPS00004")


@pytest.fixture
def served(store: Store, fake_slack: FakeSlackServer) -> Iterator[HTTPServer]:
    config = BotConfig(channels=tuple(ChannelConfig(id=c) for c in CHANNELS))
    app = our_app(store, fake_slack, config=config)
    # As `serve` runs it, except a short idle timeout so the test need not wait 10 s.
    server = HTTPServer(app, host="127.0.0.1", port=0, threads=4, channel_timeout_s=3)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server
    server.close()
    thread.join(timeout=10)


def _command(server: HTTPServer, fake_slack: FakeSlackServer, text: str, user: str = "U0ALICE",
             channel: str = CHANNEL) -> tuple[Reply, float]:  # fmt: skip
    body = slash_command_body(command="/outage-summary", text=text, channel_id=channel,
                              user_id=user, response_url=fake_slack.api_url + "hook",
                              trigger_id=f"{time.monotonic_ns()}.{user}")  # fmt: skip
    ts = int(time.time())
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(ts),
               "X-Slack-Signature": sign(body, SECRET, ts)}  # fmt: skip
    start = time.monotonic()
    # One shared client: building one per request (TLS context, CA bundle) costs the
    # client more CPU than the server spends answering, on a 2-core machine.
    response = _CLIENT.post(server.url + "/slack/events", content=body.encode(), headers=headers)
    return Reply(
        response.status_code, dict(response.headers), response.text
    ), time.monotonic() - start


def _trickle_page(conn: socket.socket, stop: threading.Event) -> None:
    read_request_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(100):
        if stop.wait(0.3):
            return
        conn.sendall(b"<")


def _idle_posts(server: HTTPServer, count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nx")
        sockets.append(sock)
    return sockets


def test_help_stays_quick_while_150_idle_connections_are_open(
    served: HTTPServer, fake_slack: FakeSlackServer
) -> None:
    idle = _idle_posts(served, 150)
    try:
        latencies = []
        for n in range(30):
            reply, elapsed = _command(served, fake_slack, "help", user=f"U{n}")
            assert reply.status == 200 and "outage news" in reply.body
            latencies.append(elapsed)
    finally:
        for sock in idle:
            sock.close()
    latencies.sort()
    print(f"help with 150 idle connections: median {statistics.median(latencies) * 1000:.0f} ms, "
          f"max (p99 of 30) {latencies[-1] * 1000:.0f} ms")  # fmt: skip
    # Target p99 <= 300 ms; the bound allows for a busy shared 2-core test machine.
    assert latencies[-1] < 1.5, latencies
    assert statistics.median(latencies) < 0.3, latencies


def test_idle_connections_are_closed_after_the_channel_timeout(served: HTTPServer) -> None:
    [sock] = _idle_posts(served, 1)
    sock.settimeout(10)
    start = time.monotonic()
    try:
        assert sock.recv(1024) == b""  # closed by the server, without an answer
    finally:
        sock.close()
    assert time.monotonic() - start < 3 + 2 + 2  # timeout + cleanup interval + slack


def test_trickling_url_commands_leave_other_commands_answered(
    served: HTTPServer, fake_slack: FakeSlackServer
) -> None:
    page = RawServer(_trickle_page)
    try:
        url = f"http://{LOCAL_HOST}:{page.port}/post"
        with ThreadPoolExecutor(max_workers=12) as clients:
            sent = [clients.submit(_command, served, fake_slack, url, f"U{n}", CHANNELS[n % 4])
                    for n in range(12)]  # fmt: skip
            acks = [future.result() for future in sent]
        assert all(reply.status == 200 and elapsed < 3 for reply, elapsed in acks), acks
        # Every slow worker is busy with a trickling page; cheap commands do not wait.
        for text in ("help", "settings"):
            reply, elapsed = _command(served, fake_slack, text)
            assert reply.status == 200 and elapsed < 1.5, (text, elapsed)
    finally:
        page.close()


def test_one_user_cannot_fill_the_queue(served: HTTPServer, fake_slack: FakeSlackServer) -> None:
    page = RawServer(_trickle_page)
    try:
        url = f"http://{LOCAL_HOST}:{page.port}/post"
        replies = [_command(served, fake_slack, url)[0] for _ in range(5)]
    finally:
        page.close()
    refused = [r for r in replies if "requests in progress" in r.body]
    assert all(r.status == 200 for r in replies) and len(refused) == 2


def test_200_parallel_url_commands_are_all_acked_within_3_s(
    served: HTTPServer, fake_slack: FakeSlackServer
) -> None:
    page = RawServer(_trickle_page)
    try:
        url = f"http://{LOCAL_HOST}:{page.port}/post"
        with ThreadPoolExecutor(max_workers=200) as clients:
            sent = [clients.submit(_command, served, fake_slack, url, f"U{n}", CHANNELS[n % 4])
                    for n in range(200)]  # fmt: skip
            acks = [future.result() for future in sent]
    finally:
        page.close()
    slow = sorted(elapsed for _, elapsed in acks)
    print(f"200 parallel <url> acks: median {statistics.median(slow):.2f} s, max {slow[-1]:.2f} s")
    # 200 means bolt saw the ack within its 3 s (it answers 404 otherwise). The client's
    # own clock also counts time queued in the kernel and waitress, which on a shared
    # 2-core machine running other tests can pass 3 s; alone this measures ~1.3 s max.
    assert all(reply.status == 200 for reply, _ in acks)
    assert slow[len(slow) * 9 // 10] < 3, slow[-10:]
    assert slow[-1] < 8, slow[-10:]
