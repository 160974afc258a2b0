"""Hostile servers against the safe fetcher: every probe ends in a FetchError, in time.

Servers run on 127.0.0.1 only (reached as ``news.test`` through the test resolver).
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from bot.errors import FetchError
from bot.sources.fetch import FetchPolicy
from tests.adversarial.raw_server import RawServer, read_request_head
from tests.http_server import LOCAL_HOST, HTTPTestServer, Reply, local_fetcher

# Short limits keep the suite quick; the mechanism does not depend on their size.
POLICY = FetchPolicy(connect_timeout_s=1.0, read_timeout_s=0.6, total_timeout_s=1.5)
SLACK_S = 0.8  # scheduling slack on a busy 2-core machine


def _url(port: int, path: str = "/feed") -> str:
    return f"http://{LOCAL_HOST}:{port}{path}"


def _timed_fetch(url: str, policy: FetchPolicy = POLICY) -> tuple[FetchError, float]:
    start = time.monotonic()
    with pytest.raises(FetchError) as caught:
        local_fetcher(policy).fetch(url)
    return caught.value, time.monotonic() - start


def _trickle_headers(conn: socket.socket, stop: threading.Event) -> None:
    read_request_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    # Each byte comes well inside the read timeout, so only a total deadline ends it.
    for _ in range(200):
        if stop.wait(0.2):
            return
        conn.sendall(b"X")


def _silent(conn: socket.socket, stop: threading.Event) -> None:
    read_request_head(conn)
    stop.wait(10)


def test_trickled_headers_stop_at_the_total_deadline() -> None:
    server = RawServer(_trickle_headers)
    try:
        error, elapsed = _timed_fetch(_url(server.port))
    finally:
        server.close()
    assert elapsed < POLICY.total_timeout_s + SLACK_S
    assert "in total" in error.why and "response headers" in error.why


def test_a_server_that_connects_and_never_answers_is_not_a_connect_timeout() -> None:
    server = RawServer(_silent)
    try:
        error, elapsed = _timed_fetch(_url(server.port))
    finally:
        server.close()
    assert elapsed < POLICY.read_timeout_s + SLACK_S
    assert "waiting for the response headers" in error.why
    assert "connecting" not in error.why


def test_trickled_body_stops_at_the_total_deadline(http_server: HTTPTestServer) -> None:
    # One byte every 0.3 s: never a read timeout, 60 s if left alone.
    http_server.route("/feed", Reply(body=[b"x"] * 200, pause_s=0.3))
    error, elapsed = _timed_fetch(http_server.url("/feed", host=LOCAL_HOST))
    assert elapsed < POLICY.total_timeout_s + SLACK_S
    assert "in total" in error.why and "reading the body" in error.why


def test_a_slow_redirect_chain_shares_one_deadline(http_server: HTTPTestServer) -> None:
    # Each hop alone is within every limit; together they are not.
    for hop in range(4):
        target = f"/hop{hop + 1}"
        http_server.route(f"/hop{hop}", Reply(302, {"Location": target}, delay_s=0.5))
    http_server.route("/hop4", Reply(body=b"<rss/>"))
    error, elapsed = _timed_fetch(http_server.url("/hop0", host=LOCAL_HOST))
    assert elapsed < POLICY.total_timeout_s + SLACK_S
    assert "in total" in error.why


@pytest.mark.parametrize(
    "location",
    ["http:evil", "http://[::1", "http://a b/", "http://exa\u00e9mple.test:99999/",
     "javascript:alert(1)", "http://", "\x00", "http://%zz/"],
)  # fmt: skip
def test_hostile_redirect_targets_are_fetch_errors(
    http_server: HTTPTestServer, location: str
) -> None:
    http_server.route("/feed", Reply(302, {"Location": location}))
    error, _ = _timed_fetch(http_server.url("/feed", host=LOCAL_HOST))
    assert error.why


def test_a_deadline_in_one_fetch_does_not_leak_into_the_next(http_server: HTTPTestServer) -> None:
    fetcher = local_fetcher(POLICY)
    http_server.route("/slow", Reply(body=[b"x"] * 50, pause_s=0.1))
    http_server.route("/ok", Reply(body=b"<rss/>"))
    with pytest.raises(FetchError):
        fetcher.fetch(http_server.url("/slow", host=LOCAL_HOST))
    time.sleep(POLICY.total_timeout_s)  # past the first fetch's deadline
    assert fetcher.fetch(http_server.url("/ok", host=LOCAL_HOST)).data == b"<rss/>"
