"""URL normalisation, content hashes and the identity order behind article ids."""

from __future__ import annotations

import pytest

from bot.dedupe.identity import article_id, content_hash, identities, normalise_url
from bot.keys import digest_of


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Example.COM/Path", "https://example.com/Path"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x"),
    ],
)
def test_scheme_host_port_and_fragment(raw: str, expected: str) -> None:
    assert normalise_url(raw) == expected


@pytest.mark.parametrize(
    "tracking",
    ["utm_source=rss", "utm_medium=feed", "utm_campaign=x", "UTM_Content=y", "fbclid=IwAR0",
     "spm=a2c4g.11186623", "gclid=abc"],
)  # fmt: skip
def test_tracking_parameters_are_dropped(tracking: str) -> None:
    assert normalise_url(f"https://e.example/story?{tracking}") == "https://e.example/story"
    assert (
        normalise_url(f"https://e.example/story?id=5&{tracking}") == "https://e.example/story?id=5"
    )


@pytest.mark.parametrize(
    "share", ["chksm=98d5c3", "scene=21", "sharer_shareid=7f3", "isappinstalled=0"]
)
def test_what_a_wechat_share_link_adds_is_dropped_on_wechat_only(share: str) -> None:
    # The article is named by __biz, mid, idx and sn; elsewhere "scene" may name a page.
    article = "https://mp.weixin.qq.com/s?__biz=MzA1&idx=1&mid=22&sn=ab12"
    assert normalise_url(f"{article}&{share}") == article
    assert normalise_url(f"https://e.example/story?{share}") == f"https://e.example/story?{share}"


def test_other_parameters_are_kept_and_sorted() -> None:
    url = "https://e.example/s?page=2&utm_source=x&id=9&empty=&a=1"
    assert normalise_url(url) == "https://e.example/s?a=1&empty=&id=9&page=2"


def test_parameter_order_does_not_matter() -> None:
    assert normalise_url("https://e.example/s?b=2&a=1") == normalise_url(
        "https://e.example/s?a=1&b=2"
    )


def test_path_case_is_preserved() -> None:
    assert normalise_url("https://e.example/Case/Sensitive") == "https://e.example/Case/Sensitive"


@pytest.mark.parametrize(
    "url",
    ["mailto:ops@example.com", "ftp://Files.Example.com/x#y", "notes/outage.md",
     "/var/feeds/a.xml", "urn:uuid:1234", "https:///no-host"],
)  # fmt: skip
def test_non_http_is_returned_unchanged(url: str) -> None:
    assert normalise_url(url) == url


@pytest.mark.parametrize("url", ["https://e.example:99999/a", "https://e.example:port/a"])
def test_invalid_port_does_not_raise(url: str) -> None:
    assert normalise_url(url) == url


def test_normalising_twice_changes_nothing() -> None:
    once = normalise_url("HTTP://E.example:80/a/b?z=1&y=2&utm_term=q#frag")
    assert normalise_url(once) == once


def test_title_edits_do_not_change_the_content_hash() -> None:
    body = "The queue service was degraded for an hour."
    assert content_hash("Queue outage", body) == content_hash("UPDATED: queue outage", body)


def test_whitespace_and_case_are_normalised() -> None:
    assert content_hash("t", "  The  Queue\n\nservice\tFAILED ") == content_hash(
        "t", "the queue service failed"
    )


def test_different_bodies_hash_differently() -> None:
    assert content_hash("t", "one body") != content_hash("t", "another body")


def test_title_is_used_when_the_body_is_empty() -> None:
    assert content_hash("Title only", "") == content_hash("title   ONLY", "  \n ")
    assert content_hash("Title only", "") != content_hash("Another title", "")
    assert content_hash("Title only", "") == content_hash("ignored", "title only")


def test_content_hash_is_sha256_hex() -> None:
    value = content_hash("t", "body")
    assert len(value) == 64
    int(value, 16)


def test_identities_strongest_first() -> None:
    assert identities("g", "https://e.example/", "h") == [
        ("guid", "g"),
        ("url", "https://e.example/"),
        ("hash", "h"),
    ]
    assert identities(None, "https://e.example/", "h") == [
        ("url", "https://e.example/"),
        ("hash", "h"),
    ]
    assert identities(None, None, "h") == [("hash", "h")]
    assert identities("", "", "h") == [("hash", "h")]


def test_article_id_uses_the_strongest_identity() -> None:
    with_guid = article_id("g", "https://e.example/a", "h1")
    assert with_guid == article_id("g", "https://e.example/other", "h2")
    assert with_guid == digest_of("guid:g")[:20]
    by_url = article_id(None, "https://e.example/a", "h1")
    assert by_url == article_id(None, "https://e.example/a", "h2")
    assert by_url != with_guid
    by_hash = article_id(None, None, "h1")
    assert by_hash != article_id(None, None, "h2")
    assert len(by_hash) == 20


def test_article_id_kinds_do_not_collide() -> None:
    # The same string as a guid, a url or a hash must still give three different ids.
    assert (
        len({article_id("x", None, "z"), article_id(None, "x", "z"), article_id(None, None, "x")})
        == 3
    )
