"""The safe fetcher against a real HTTP server on 127.0.0.1.

The server is reached as "feeds.test", which a test-only resolver maps to
127.0.0.1 and the allow-list permits; every other internal address (including
127.0.0.1 by its own name) stays forbidden, as in production.
"""

from __future__ import annotations

import gzip
import ipaddress

import pytest

from bot.errors import FetchError
from bot.sources.fetch import (
    FetchPolicy,
    SafeFetcher,
    build_http_client,
    retry_after_seconds,
)
from bot.sources.netguard import AddressPolicy
from tests.http_server import HTTPTestServer, Reply, Seen

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
ANSWERS = {
    "feeds.test": "127.0.0.1",
    "metadata.test": "169.254.169.254",
    "intranet.test": "10.0.0.8",
}


def resolver(host: str, _port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    return [ipaddress.ip_address(ANSWERS[host])]


def make_fetcher(**limits: float) -> SafeFetcher:
    policy = FetchPolicy(**limits)  # type: ignore[arg-type]
    addresses = AddressPolicy(resolver=resolver, allowed_hosts={"feeds.test"})
    return SafeFetcher(build_http_client(policy), addresses, policy)


@pytest.fixture
def fetcher() -> SafeFetcher:
    return make_fetcher()


def test_fetches_through_the_checked_address_with_the_real_host(
    http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    http_server.route("/feed", Reply(headers={"Content-Type": "application/rss+xml"}, body=RSS))
    result = fetcher.fetch(http_server.url("/feed", host="feeds.test"))
    assert result.status == 200 and result.data == RSS
    assert result.content_type == "application/rss+xml"
    seen = http_server.requests[-1]
    assert seen.headers["host"] == f"feeds.test:{http_server.port}"
    assert seen.headers["user-agent"].startswith("outage-bot/")


def test_conditional_get_returns_not_modified(
    http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    def feed(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"},
                     body=RSS)  # fmt: skip

    http_server.route("/feed", feed)
    url = http_server.url("/feed", host="feeds.test")
    first = fetcher.fetch(url)
    assert first.etag == '"v1"' and first.last_modified
    second = fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.data == b""
    assert http_server.requests[-1].headers["if-modified-since"] == first.last_modified


def test_gzip_bodies_are_decoded(http_server: HTTPTestServer, fetcher: SafeFetcher) -> None:
    http_server.route("/gz", Reply(headers={"Content-Encoding": "gzip"}, body=gzip.compress(RSS)))
    assert fetcher.fetch(http_server.url("/gz", host="feeds.test")).data == RSS


def test_gzip_bomb_stops_at_the_decompressed_cap(http_server: HTTPTestServer) -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros in ~50 KB
    assert len(bomb) < 100_000
    http_server.route("/bomb", Reply(headers={"Content-Encoding": "gzip"}, body=bomb))
    fetcher = make_fetcher(max_bytes=1024 * 1024)
    with pytest.raises(FetchError, match="over the 1048576-byte limit"):
        fetcher.fetch(http_server.url("/bomb", host="feeds.test"))


def test_a_10_mb_page_is_refused(http_server: HTTPTestServer, fetcher: SafeFetcher) -> None:
    http_server.route("/big", Reply(headers={"Content-Type": "text/html"},
                                    body=b"<p>" + b"x" * (10 * 1024 * 1024)))  # fmt: skip
    with pytest.raises(FetchError, match="over the 5242880-byte limit"):
        fetcher.fetch(http_server.url("/big", host="feeds.test"))


def test_a_body_without_declared_length_is_still_capped(http_server: HTTPTestServer) -> None:
    body = [b"y" * 65536] * 40  # 2.5 MB that only the stream itself reveals
    http_server.route("/liar", Reply(headers={"Content-Length": ""}, body=body))
    with pytest.raises(FetchError, match="limit"):
        make_fetcher(max_bytes=1024 * 1024).fetch(http_server.url("/liar", host="feeds.test"))


def test_a_server_that_never_answers_times_out(http_server: HTTPTestServer) -> None:
    http_server.route("/slow", Reply(delay_s=3, body=RSS))
    with pytest.raises(FetchError, match="timed out"):
        make_fetcher(read_timeout_s=0.5).fetch(http_server.url("/slow", host="feeds.test"))


def test_a_trickling_server_hits_the_total_deadline(http_server: HTTPTestServer) -> None:
    http_server.route("/trickle", Reply(body=[b"<rss>"] * 30, pause_s=0.1))
    with pytest.raises(FetchError, match="took longer than 1 s"):
        make_fetcher(total_timeout_s=1.0).fetch(http_server.url("/trickle", host="feeds.test"))


def test_redirects_are_followed_and_each_hop_checked(
    http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    http_server.route("/old", Reply(301, {"Location": "/new"}))
    http_server.route("/new", Reply(body=RSS))
    result = fetcher.fetch(http_server.url("/old", host="feeds.test"))
    assert result.data == RSS and result.url.endswith("/new")


def test_redirect_loop_is_detected(http_server: HTTPTestServer, fetcher: SafeFetcher) -> None:
    http_server.route("/a", Reply(302, {"Location": "/b"}))
    http_server.route("/b", Reply(302, {"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop") as caught:
        fetcher.fetch(http_server.url("/a", host="feeds.test"))
    assert caught.value.permanent


def test_too_many_redirects(http_server: HTTPTestServer, fetcher: SafeFetcher) -> None:
    for n in range(8):
        http_server.route(f"/r{n}", Reply(302, {"Location": f"/r{n + 1}"}))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher.fetch(http_server.url("/r0", host="feeds.test"))


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://127.0.0.1:{port}/feed", "loopback"),
        ("http://metadata.test/latest/meta-data/", "link-local"),
        ("http://intranet.test/", "private"),
        ("http://[::ffff:7f00:1]:{port}/feed", "loopback"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://feeds.test/", "only http and https"),
    ],
)
def test_redirects_to_internal_or_non_http_targets_are_refused(
    http_server: HTTPTestServer, fetcher: SafeFetcher, location: str, reason: str
) -> None:
    http_server.route("/feed", Reply(body=RSS))
    http_server.route("/jump", Reply(302, {"Location": location.format(port=http_server.port)}))
    with pytest.raises(FetchError, match=reason):
        fetcher.fetch(http_server.url("/jump", host="feeds.test"))
    assert http_server.hits("/feed") == 0  # the internal target was never contacted


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://127.0.0.1/", "http://[::1]/", "http://0.0.0.0/",
            "http://169.254.169.254/latest/meta-data/", "ftp://feeds.test/x", "http:///nohost"],
)  # fmt: skip
def test_hostile_urls_are_refused_before_any_connection(fetcher: SafeFetcher, url: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    assert caught.value.permanent


def test_rate_limits_report_retry_after(http_server: HTTPTestServer, fetcher: SafeFetcher) -> None:
    http_server.route("/busy", Reply(429, {"Retry-After": "120"}))
    http_server.route("/down", Reply(503, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    with pytest.raises(FetchError) as busy:
        fetcher.fetch(http_server.url("/busy", host="feeds.test"))
    assert busy.value.retry_after == 120 and not busy.value.permanent
    with pytest.raises(FetchError) as down:
        fetcher.fetch(http_server.url("/down", host="feeds.test"))
    assert down.value.retry_after == 0  # a date in the past: retry now


def test_errors_and_wrong_content_types(http_server: HTTPTestServer, fetcher: SafeFetcher) -> None:
    http_server.route("/img", Reply(headers={"Content-Type": "image/png"}, body=b"\x89PNG"))
    with pytest.raises(FetchError, match="refusing content type 'image/png'"):
        fetcher.fetch(http_server.url("/img", host="feeds.test"))
    with pytest.raises(FetchError, match="HTTP 404") as missing:
        fetcher.fetch(http_server.url("/nothing-here", host="feeds.test"))
    assert missing.value.permanent


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("30") == 30
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None


def test_a_hung_dns_lookup_ends_at_the_fetch_deadline() -> None:
    import threading
    import time

    release = threading.Event()

    def hung(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        release.wait(30)  # a resolver that never answers (until the test ends)
        return [ipaddress.ip_address("127.0.0.1")]

    policy = FetchPolicy(total_timeout_s=1.0)
    fetcher = SafeFetcher(build_http_client(policy), AddressPolicy(resolver=hung), policy)
    start = time.monotonic()
    try:
        with pytest.raises(FetchError, match="resolving the host of"):
            fetcher.fetch("http://slow-dns.test/feed")
        assert time.monotonic() - start < 5
    finally:
        release.set()
