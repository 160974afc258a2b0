"""Ingesting feeds over HTTP: conditional GET, teasers, back-off, hostile input.

A real HTTP server on 127.0.0.1 plays the publisher, reached as "news.test"
through a test-only resolver plus the allow-list; a real Redis keeps state.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.intake.reading import read_sources
from bot.schema import Source
from bot.sources.fetch import FetchPolicy, SafeFetcher
from bot.store import Store
from tests.cli import outage_bot
from tests.conftest import corpus_dir
from tests.http_server import HTTPTestServer, Reply, Seen, local_fetcher

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LONG = " ".join(["Engineers restored the storage layer region by region after the fault."] * 8)


def rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Fri, 27 Nov 2026 10:00:00 GMT</pubDate><description>{text}</description></item>"
        for title, link, text in items
    )
    channel = f"<channel><title>News</title>{body}</channel>"
    return f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>".encode()


@pytest.fixture
def fetcher() -> SafeFetcher:
    return local_fetcher(FetchPolicy(read_timeout_s=1.0, total_timeout_s=3.0))


def source(server: HTTPTestServer, path: str, name: str = "news") -> Source:
    return Source(name=name, location=server.url(path, host="news.test"))


def test_conditional_get_means_no_work_on_an_unchanged_feed(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    def feed(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"},
                     body=rss([("Cloud outage", "https://news.test/a", LONG)]))  # fmt: skip

    http_server.route("/feed", feed)
    first = read_sources([source(http_server, "/feed")], store, NOW, fetcher)
    assert first.sources[0].new == 1
    second = read_sources([source(http_server, "/feed")], store, NOW, fetcher)
    assert second.sources[0].not_modified and not second.new_articles
    assert http_server.requests[-1].headers["if-none-match"] == '"v1"'


def test_teasers_are_replaced_by_the_linked_page_once(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    page = (f"<html><head><title>Storage outage</title></head><body><nav>Home News</nav>"
            f"<article><h1>Storage outage</h1><p>{LONG}</p><p>Root cause: a bad deploy.</p>"
            f"</article><footer>Copyright</footer></body></html>").encode()  # fmt: skip
    http_server.route("/story", Reply(headers={"Content-Type": "text/html"}, body=page))
    link = http_server.url("/story", host="news.test")
    version = {"n": 1}

    def feed(_seen: Seen) -> Reply:
        items = [("Storage outage", link, "Storage was down.")]
        if version["n"] == 2:
            items.append(("Second story", "https://news.test/other", LONG))
        return Reply(headers={"ETag": f'"v{version["n"]}"'}, body=rss(items))

    http_server.route("/feed", feed)
    first = read_sources([source(http_server, "/feed")], store, NOW, fetcher)
    (article,) = first.new_articles
    assert "Root cause: a bad deploy." in article.text and "Copyright" not in article.text
    assert article.title == "Storage outage"
    version["n"] = 2
    second = read_sources([source(http_server, "/feed")], store, NOW, fetcher)
    assert [a.title for a in second.new_articles] == ["Second story"]
    assert http_server.hits("/story") == 1  # the known item was not fetched again


def test_a_failing_page_keeps_the_teaser(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    link = http_server.url("/gone", host="news.test")
    http_server.route("/feed", Reply(body=rss([("Short item", link, "Only a teaser here.")])))
    report = read_sources([source(http_server, "/feed")], store, NOW, fetcher)
    assert report.new_articles[0].text == "Only a teaser here."
    assert any("kept the teaser" in w and "HTTP 404" in w for w in report.sources[0].warnings)


def test_failures_back_off_and_force_overrides(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    http_server.route("/feed", Reply(500, body=b"oops"))
    first = read_sources([source(http_server, "/feed")], store, NOW, fetcher)
    assert first.sources[0].error == f"HTTP 500 from {http_server.url('/feed', host='news.test')}"
    soon = read_sources([source(http_server, "/feed")], store, NOW + timedelta(seconds=5), fetcher)
    assert soon.sources[0].skipped_until is not None
    assert http_server.hits("/feed") == 1  # no request while backing off
    read_sources([source(http_server, "/feed")], store, NOW, fetcher, force=True)
    assert http_server.hits("/feed") == 2


def test_retry_after_is_honoured(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    http_server.route("/feed", Reply(429, {"Retry-After": "900"}))
    read_sources([source(http_server, "/feed")], store, NOW, fetcher)
    later = read_sources(
        [source(http_server, "/feed")], store, NOW + timedelta(minutes=14), fetcher
    )
    assert later.sources[0].skipped_until is not None
    assert later.sources[0].skipped_until >= NOW + timedelta(minutes=15)


def test_bad_sources_never_stop_good_ones(
    store: Store, http_server: HTTPTestServer, fetcher: SafeFetcher
) -> None:
    bad_gateway = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    http_server.route("/error-page", Reply(headers={"Content-Type": "text/html"}, body=bad_gateway))
    http_server.route(
        "/empty", Reply(body=b"<rss version='2.0'><channel><title>e</title></channel></rss>")
    )
    http_server.route("/hang", Reply(delay_s=2, body=b"<rss/>"))
    http_server.route("/good", Reply(body=rss([("Fine story", "https://news.test/fine", LONG)])))
    sources = [
        source(http_server, "/error-page", "error-page"),
        source(http_server, "/empty", "empty"),
        source(http_server, "/hang", "hang"),
        Source(name="loopback", location=f"http://127.0.0.1:{http_server.port}/good"),
        Source(name="file", location="file:///etc/passwd"),
        source(http_server, "/good", "good"),
    ]
    report = {s.name: s for s in read_sources(sources, store, NOW, fetcher).sources}
    assert "no article text" in (report["error-page"].error or "")
    assert report["empty"].error is None and report["empty"].entries == 0
    assert "timed out" in (report["hang"].error or "")
    assert "loopback" in (report["loopback"].error or "")
    assert "only http and https" in (report["file"].error or "")
    assert report["good"].new == 1


def test_cli_ingests_a_url_with_the_allow_list(
    cli_env: dict[str, str], http_server: HTTPTestServer
) -> None:
    http_server.route("/feed", Reply(body=rss([("Cloud outage", "https://news.test/a", LONG)])))
    url = http_server.url("/feed")
    refused = outage_bot(cli_env, "ingest", url, "--json")
    assert refused.returncode == 1 and "loopback" in refused.stderr
    allowed = outage_bot(
        {**cli_env, "OUTAGE_BOT_ALLOWED_HOSTS": "127.0.0.1"}, "ingest", url, "--json"
    )
    assert allowed.returncode == 0, allowed.stderr
    (row,) = [json.loads(line) for line in allowed.stdout.splitlines()]
    assert row["title"] == "Cloud outage" and row["url"] == "https://news.test/a"
    assert row["published"] == "2026-11-27T10:00:00Z" and row["language"] == "en"


def test_every_feedparser_corpus_file_goes_through_the_cli(cli_env: dict[str, str]) -> None:
    folder = corpus_dir("feedparser-tests")
    files = sorted(str(p) for p in folder.rglob("*") if p.is_file() and p.suffix != "")
    result = outage_bot(cli_env, "ingest", *files, timeout=300)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("  /")]
    assert len(lines) == len(files)  # one summary line per source


def test_the_corpus_feeds_and_status_pages_ingest_cleanly(cli_env: dict[str, str]) -> None:
    feeds = sorted(str(p) for p in corpus_dir("feeds").glob("*.xml"))
    status = sorted(str(p) for p in corpus_dir("status").iterdir() if p.suffix in (".xml", ".json"))
    result = outage_bot(cli_env, "ingest", *feeds, *status, "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "FAILED" not in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(r["status"] == "resolved" for r in rows)
    assert len(rows) > 500


def test_run_once_then_sources_shows_health(
    cli_env: dict[str, str], http_server: HTTPTestServer, tmp_path: Path
) -> None:
    http_server.route("/ok", Reply(body=rss([("Cloud outage", "https://news.test/a", LONG)])))
    http_server.route("/broken", Reply(500, body=b"no"))
    config = tmp_path / "bot.toml"
    config.write_text(
        f"[[sources]]\nname = 'ok'\nurl = '{http_server.url('/ok')}'\n"
        f"[[sources]]\nname = 'broken'\nurl = '{http_server.url('/broken')}'\n"
        "[[channels]]\nid = '#ops'\n"
    )
    env = {**cli_env, "OUTAGE_BOT_CONFIG": str(config), "OUTAGE_BOT_ALLOWED_HOSTS": "127.0.0.1"}
    ran = outage_bot(env, "run", "--once")
    assert ran.returncode == 0, ran.stderr
    assert "Cloud outage" in ran.stdout  # the realtime channel's digest, on the terminal
    shown = outage_bot(env, "sources")
    assert shown.returncode == 0, shown.stderr
    ok_part, broken_part = shown.stdout.split("broken  (")
    assert "last success: 20" in ok_part and "new then: 1" in ok_part
    assert "failing (1x): HTTP 500" in broken_part and "next attempt:" in broken_part
