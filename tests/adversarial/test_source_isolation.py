"""One hostile source (or item) costs only its own health line; every other source goes on.

Publishers are real HTTP servers on 127.0.0.1 (reached as ``news.test``); state is
the real test Redis.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.channels.directory import ChannelDirectory, Subscription
from bot.config import BotConfig, ChannelConfig
from bot.errors import FetchError
from bot.intake.reading import read_sources
from bot.schema import Source
from bot.sources.fetch import FetchPolicy, FetchResult, SafeFetcher
from bot.sources.health import SourceStates
from bot.store import Store
from tests.fake_slack import FakeSlackServer
from tests.http_server import LOCAL_HOST, HTTPTestServer, Reply, local_fetcher
from tests.slack_app_kit import CHANNEL, SECRET, our_app
from tests.slack_signing import post, running_http_server, slash_command_body

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LONG = " ".join(["Engineers restored the storage layer region by region after the fault."] * 8)
RSS_TYPE = {"Content-Type": "application/rss+xml"}
MARKUP = "<!channel> <@U0ADMIN> <http://phish.example/login|Slack session expired>"


def rss(*links: str) -> bytes:
    items = "".join(
        f"<item><title>Storage outage {n}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Fri, 27 Nov 2026 10:00:00 GMT</pubDate><description>{LONG}</description></item>"
        for n, link in enumerate(links)
    )
    channel = f"<channel><title>N</title>{items}</channel>"
    return f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>".encode()


@pytest.fixture
def fetcher() -> SafeFetcher:
    return local_fetcher(FetchPolicy(read_timeout_s=1.0, total_timeout_s=3.0))


def _source(server: HTTPTestServer, path: str) -> Source:
    return Source(name=path.strip("/"), location=server.url(path, host=LOCAL_HOST))


HOSTILE: dict[str, Reply] = {
    "/redirect-http-evil": Reply(302, {"Location": "http:evil"}),
    "/redirect-bad-ipv6": Reply(302, {"Location": "http://[::1"}),
    "/deep-json": Reply(headers={"Content-Type": "application/json"},
                        body=b"[" * 1_000_000 + b"]" * 1_000_000),
    "/markup-content-type": Reply(headers={"Content-Type": f"image/png; x={MARKUP}"}, body=b"x"),
    "/not-a-feed": Reply(headers=RSS_TYPE, body=b"\x00\xff" * 1000),
}  # fmt: skip


DEEP_XML = b"<rss>" + b"<a>" * 200_000 + b"</a>" * 200_000


def test_every_hostile_source_fails_alone(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    http_server.route("/good", Reply(headers=RSS_TYPE, body=rss("https://news.test/a")))
    for path, reply in HOSTILE.items():
        http_server.route(path, reply)
    # Deep XML is read as far as it goes and reported (a damaged feed, no entries).
    http_server.route("/deep-xml", Reply(headers=RSS_TYPE, body=DEEP_XML))
    # The good feed is read last, after every hostile one.
    hostile = [*HOSTILE, "/deep-xml"]
    sources = [_source(http_server, p) for p in hostile] + [_source(http_server, "/good")]
    report = read_sources(sources, store, NOW, fetcher)
    by_name = {s.name: s for s in report.sources}
    assert by_name["good"].new == 1 and by_name["good"].error is None
    health = SourceStates(store).get_many(list(by_name))
    for path in HOSTILE:
        name = path.strip("/")
        assert by_name[name].error, name
        assert health[name].failures == 1 and health[name].last_error, name
    assert health["good"].failures == 0
    assert by_name["deep-xml"].warnings and by_name["deep-xml"].new == 0


class _Exploding(SafeFetcher):
    """The real fetcher, except that one URL raises whatever the test names: stands in
    for a parser or library bug that a source can trigger."""

    def __init__(self, inner: SafeFetcher, bad: str, error: BaseException) -> None:
        self._inner, self._bad, self._error = inner, bad, error

    def fetch(self, url: str, **kwargs: Any) -> FetchResult:
        if url == self._bad:
            raise self._error
        return self._inner.fetch(url, **kwargs)


@pytest.mark.parametrize(
    "error",
    [ValueError("v"), KeyError("k"), RecursionError("deep"), AssertionError("a"), TypeError("t"),
     UnicodeDecodeError("utf-8", b"\xff", 0, 1, "x"), IndexError("i"), OverflowError("o")],
    ids=lambda e: type(e).__name__,
)  # fmt: skip
def test_a_source_that_raises_anything_is_that_sources_error(
    store: Store,
    http_server: HTTPTestServer,
    fetcher: SafeFetcher,
    error: BaseException,
    caplog: pytest.LogCaptureFixture,
) -> None:
    http_server.route("/good", Reply(headers=RSS_TYPE, body=rss("https://news.test/a")))
    bad, good = _source(http_server, "/bad"), _source(http_server, "/good")
    with caplog.at_level(logging.WARNING, logger="bot.intake.reading"):
        report = read_sources([bad, good], store, NOW, _Exploding(fetcher, bad.location, error))
    assert report.sources[0].error and type(error).__name__ in report.sources[0].error
    assert report.sources[1].new == 1
    assert len([r for r in caplog.records if "bad failed" in r.getMessage()]) == 1
    assert SourceStates(store).get("bad").failures == 1


def test_a_hostile_teaser_page_costs_only_its_own_text(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    page = b"<html><body>" + b"<div>" * 300_000 + b"deep" + b"</div>" * 300_000 + b"</body></html>"
    http_server.route("/page", Reply(headers={"Content-Type": "text/html"}, body=page))
    link = http_server.url("/page", host=LOCAL_HOST)
    item = (f"<item><title>Short</title><link>{link}</link><guid>{link}</guid>"
            "<description>Only a teaser.</description></item>")  # fmt: skip
    teaser = f"<rss version='2.0'><channel><title>N</title>{item}</channel></rss>".encode()
    http_server.route("/teasers", Reply(headers=RSS_TYPE, body=teaser))
    report = read_sources([_source(http_server, "/teasers")], store, NOW, fetcher)
    assert report.sources[0].error is None and report.sources[0].new == 1


def test_feed_server_markup_in_an_error_is_shown_escaped(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher, fake_slack: FakeSlackServer
) -> None:
    feed_url = http_server.url("/feed", host=LOCAL_HOST)
    directory = ChannelDirectory(store, BotConfig(channels=(ChannelConfig(id=CHANNEL),)))
    directory.subscribe(CHANNEL, Subscription(url=feed_url, added_by="U0ALICE", added_at=NOW))
    http_server.route("/feed", HOSTILE["/markup-content-type"])
    read_sources(directory.sources(), store, NOW, fetcher)
    with running_http_server(our_app(store, fake_slack)) as server:
        body = slash_command_body(
            command="/outage-summary", text="sources", channel_id=CHANNEL, user_id="U0ALICE"
        )
        ack = post(server.url + "/slack/events", body, secret=SECRET)
    assert ack.status == 200
    text = ack.json()["text"]
    assert "failing (1x)" in text
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text and "<@U0ADMIN>" not in text
    assert "<http://phish" not in text


def test_fetch_errors_keep_control_characters_out_of_health(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    # \u202e (right-to-left override) as UTF-8 bytes; http.server writes headers as latin-1.
    rlo = "\u202e".encode().decode("latin-1")
    http_server.route("/feed", Reply(headers={"Content-Type": f"image/png; x=\x1b[2J{rlo}evil"}))
    read_sources([_source(http_server, "/feed")], store, NOW, fetcher)
    error = SourceStates(store).get("feed").last_error or ""
    assert "\x1b" not in error and "\u202e" not in error and "evil" in error


def test_fetch_error_type_is_kept_for_back_off(store: Store, fetcher: SafeFetcher) -> None:
    # A refused address stays a FetchError (permanent), not an "unexpected" error.
    report = read_sources(
        [Source(name="meta", location="http://169.254.169.254/")], store, NOW, fetcher
    )
    assert report.sources[0].error and "unexpected" not in report.sources[0].error
    assert FetchError  # the type the fetcher promises (see test_hostile_fetch)
