"""parse_page: one article web page to an Entry, without the site around the story.

The fixture pages wrap the bot/samples articles in realistic page chrome: a
menu, a cookie banner, a sidebar of related and popular stories, reader
comments and a footer.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

from bot.errors import ParseError
from bot.schema import Entry
from bot.sources.article import to_article
from bot.sources.charset import decode_html
from bot.sources.page import _fallback_paragraphs, parse_page
from bot.sources.story import main_text_paragraphs
from tests.conftest import REPO

PAGES = REPO / "tests" / "fixtures" / "pages"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ORIGIN = "https://feed-link.example.net/item/1"


def _parse(name: str, content_type: str | None = None, **options: int) -> Entry:
    return parse_page((PAGES / name).read_bytes(), "site", ORIGIN, content_type, **options)


def _text(entry: Entry) -> str:
    return "\n".join(to_article(entry, NOW).paragraphs)


# --- English page (UTF-8, semantic HTML5) ----------------------------------------------

EN_STORY = [
    "Amazon Web Services spent much of Friday fighting a problem in its US-EAST-1 region",
    "an internal networking component began returning bad DNS answers",
    'Slack users saw messages stuck on "sending."',
    "The company has not yet said what triggered the faulty DNS behaviour",
]
EN_CHROME = [
    "We use cookies",  # cookie banner
    "Cloud Computing",  # menu
    "Why so much of the internet still runs through US-EAST-1",  # related articles
    "Foldable phone review",  # most read
    "It is always DNS",  # comments
    "Uptime Brief",  # newsletter box
    "Share on LinkedIn",
    "All rights reserved",  # footer
    "Advertisement",
]


def test_english_page_keeps_the_story_and_drops_the_chrome() -> None:
    text = _text(_parse("en-aws-outage.html"))
    for sentence in EN_STORY:
        assert sentence in text
    for chrome in EN_CHROME:
        assert chrome not in text


def test_english_page_metadata() -> None:
    entry = _parse("en-aws-outage.html")
    title = "AWS US-EAST-1 trouble knocks Disney+, Netflix, Slack and Coinbase offline for hours"
    assert entry.title == title
    assert entry.link == "https://www.example-tech.com/2026/11/20/aws-us-east-1-outage/"
    assert entry.published == datetime(2026, 11, 20, 20, 40, tzinfo=UTC)
    assert entry.language == "en-US"
    assert entry.author == "Example Tech Desk"
    assert entry.source == "site"
    article = to_article(entry, NOW)
    assert article.language == "en"
    assert title not in article.paragraphs


def test_html_is_plain_escaped_paragraphs() -> None:
    soup = BeautifulSoup(_parse("en-aws-outage.html").html, "lxml")
    assert soup.body is not None
    assert {tag.name for tag in soup.body.find_all(True)} == {"p"}
    assert len(soup.body.find_all("p")) == 6


# --- Simplified Chinese page (GBK, div soup) -------------------------------------------

ZH_STORY = [
    "11月22日上午，不少开发者反映阿里云华东1（杭州）地域的管理控制台无法打开",
    "阿里云随后在官方状态页确认，该地域部分基础组件出现异常，工程团队已介入排查。",
    "控制台和OSS服务已恢复正常访问，具体原因将在后续的故障报告中说明。",
]
ZH_CHROME = [
    "人工智能",  # menu
    "本网站使用Cookie",  # cookie notice
    "当前位置",  # breadcrumb
    "对象存储跨地域复制的配置建议",  # related articles
    "上午十点多控制台一直转圈",  # comments
    "国产大模型再度降价",  # popular list
    "版权所有",  # footer
    "责任编辑",
]


def test_gbk_page_keeps_the_story_and_drops_the_chrome() -> None:
    entry = _parse("zh-aliyun-gbk.html")
    text = _text(entry)
    for sentence in ZH_STORY:
        assert sentence in text
    for chrome in ZH_CHROME:
        assert chrome not in text
    assert to_article(entry, NOW).language == "zh"


def test_gbk_page_metadata() -> None:
    entry = _parse("zh-aliyun-gbk.html")
    assert entry.title == "阿里云华东1（杭州）地域控制台及OSS无法访问约一小时 现已恢复"
    # No <link rel=canonical>: og:url is the page's own address.
    assert entry.link == "https://www.example-cloud.cn/news/2026/11/22/aliyun-hangzhou.html"
    # The page gives only a local time without a zone: the day is what is certain.
    assert entry.published == datetime(2026, 11, 22, tzinfo=UTC)
    assert entry.language == "zh-CN"
    assert entry.author == "示例云观察"


def test_gbk_page_served_with_a_header_charset() -> None:
    data = (PAGES / "zh-aliyun-gbk.html").read_bytes().replace(b'<meta charset="gbk">', b"")
    entry = parse_page(data, "site", ORIGIN, "text/html; charset=GBK")
    assert ZH_STORY[1] in _text(entry)


# --- Traditional Chinese page (Big5 with HKSCS characters) -----------------------------


def test_big5_page_keeps_the_story_and_drops_the_chrome() -> None:
    entry = _parse("zh-hant-aws-big5.html")
    text = _text(entry)
    assert "香港時間11月21日凌晨，亞馬遜雲端服務（AWS）位於維珍尼亞州北部" in text
    assert "「成晚睇唔到嘢，個App一直轉圈，仲以為部機壞咗。」" in text  # HKSCS characters
    assert "完全恢復尚需時間" in text
    for chrome in ["私隱政策", "港聞", "多區域災難備份部署", "琴晚追劇", "港鐵新綫", "複製連結"]:
        assert chrome not in text
    assert to_article(entry, NOW).language == "zh-Hant"


def test_big5_page_metadata() -> None:
    entry = _parse("zh-hant-aws-big5.html")
    assert entry.title.startswith("亞馬遜雲端服務美東1區突發故障")
    assert entry.link == "https://news.example-daily.hk/tech/20261121/aws-outage"
    # article:published_time 08:15 Hong Kong time, on the day htmldate found.
    assert entry.published == datetime(2026, 11, 21, 0, 15, tzinfo=UTC)
    assert entry.language == "zh-HK"


def test_xhtml_page_declaring_big5_in_its_xml_declaration() -> None:
    data = (PAGES / "zh-hant-aws-big5.html").read_bytes()
    data = b'<?xml version="1.0" encoding="big5"?>\n' + re.sub(
        rb"<meta http-equiv[^>]*>", b"", data
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no parser warning reaches the caller either
        entry = parse_page(data, "site", ORIGIN)
    assert "仲以為部機壞咗" in _text(entry)


# --- trafilatura against our own extractor ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "leaks"),
    [
        ("zh-aliyun-gbk.html", ["当前位置", "国产大模型再度降价", "版权所有"]),
        ("zh-hant-aws-big5.html", ["港聞", "琴晚追劇", "私隱政策"]),
    ],
)
def test_the_fallback_extractor_leaks_chrome_that_trafilatura_drops(
    name: str, leaks: list[str]
) -> None:
    # Why trafilatura is the primary extractor: on div-soup pages the tag-by-tag
    # extractor cannot tell the story's block from the site's.
    html = decode_html((PAGES / name).read_bytes())
    fallback = "\n".join(_fallback_paragraphs(BeautifulSoup(html, "lxml"), None))
    chosen = "\n".join(main_text_paragraphs(html))
    assert any(chrome in fallback for chrome in leaks)
    assert not any(chrome in chosen for chrome in leaks)
    # The fallback does at least drop cookie banners, by their class or id.
    assert "Cookie" not in fallback


# --- pages that are not articles -------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "en-not-found.html",  # a soft 404 with the full site around it
        "zh-not-found.html",
        "nginx-502.html",  # a proxy error page served as the article
        "en-login-wall.html",  # one teaser sentence, then "subscribe"
        "en-nav-only.html",  # a section front: headlines and menus
    ],
)
def test_pages_without_an_article_are_refused(name: str) -> None:
    with pytest.raises(ParseError, match="no article text") as raised:
        _parse(name)
    assert raised.value.source == "site"


@pytest.mark.parametrize(
    "data",
    [b"", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), b'{"status": "ok", "items": []}', b"<html>"],
)
def test_bytes_that_are_no_page_are_refused(data: bytes) -> None:
    with pytest.raises(ParseError, match="no article text"):
        parse_page(data, "site", ORIGIN)


def test_error_pages_are_refused_whatever_the_length_limit() -> None:
    for name in ("en-not-found.html", "zh-not-found.html", "nginx-502.html"):
        with pytest.raises(ParseError, match="error page"):
            _parse(name, min_chars=0)


def test_min_chars_is_the_bar_for_a_teaser() -> None:
    entry = _parse("en-login-wall.html", min_chars=50)
    assert "engineers at affected customers are comparing notes." in _text(entry)
    assert "Subscribe" not in _text(entry)


def test_headlines_do_not_count_as_article_text() -> None:
    # The section front has hundreds of characters of headlines, none a sentence.
    with pytest.raises(ParseError, match="0 characters"):
        _parse("en-nav-only.html", min_chars=1)


def test_an_outage_story_about_error_pages_is_not_an_error_page() -> None:
    title = "502 Bad Gateway errors hit sites behind Example CDN for two hours"
    body = "".join(
        f"<p>{s}</p>"
        for s in [
            "Visitors to thousands of sites saw 502 Bad Gateway pages on Tuesday.",
            "Example CDN said a configuration push to its edge proxies went wrong.",
            "The company rolled the change back and traffic recovered within two hours.",
            "It promised a detailed incident report later this week.",
        ]
    )
    page = f"<html><head><title>{title} | Example Tech</title></head>"
    page += f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    entry = parse_page(page.encode(), "site", ORIGIN)
    assert entry.title == title
    assert "configuration push" in _text(entry)


# --- addresses, dates, escaping --------------------------------------------------------


def _story_page(head: str = "", body_extra: str = "") -> bytes:
    paragraphs = (
        "".join(
            f"<p>{s}</p>"
            for s in [
                "Payments at AT&T stores failed for an hour on Monday after a <backend> change.",
                "The carrier said card readers could not reach the authorisation service.",
                "Staff took cash only until the change was rolled back in the afternoon.",
            ]
        )
        .replace("AT&T", "AT&amp;T")
        .replace("<backend>", "&lt;backend&gt;")
    )
    return (
        f"<html><head><title>Card payments fail at AT&amp;T stores</title>{head}</head>"
        f"<body><article><h1>Card payments fail</h1>{paragraphs}{body_extra}</article>"
        "</body></html>"
    ).encode()


def test_text_is_escaped_and_round_trips() -> None:
    entry = parse_page(_story_page(), "site", ORIGIN)
    assert "AT&amp;T" in entry.html and "&lt;backend&gt;" in entry.html
    assert "Payments at AT&T stores failed for an hour on Monday after a <backend> change." in (
        _text(entry)
    )


@pytest.mark.parametrize(
    ("head", "link"),
    [
        ('<link rel="canonical" href="/stories/card-payments">',
         "https://feed-link.example.net/stories/card-payments"),
        ('<link rel="canonical" href="javascript:void(0)">', ORIGIN),
        ('<meta property="og:url" content="ftp://files.example.net/story">', ORIGIN),
        ("", ORIGIN),
    ],
)  # fmt: skip
def test_link_is_the_canonical_http_address_else_the_url(head: str, link: str) -> None:
    assert parse_page(_story_page(head), "site", ORIGIN).link == link


def test_a_page_without_a_date_has_no_publication_time() -> None:
    # Other stories' dates (in their addresses) are not this story's date.
    related = (
        '<ul class="related"><li><a href="https://shop.example.net/2026/08/30/cdn-pricing/">'
        'CDN price war</a></li><li><a href="/news/2026-09-14/multi-region">Multi-region'
        "</a></li></ul>"
    )
    assert parse_page(_story_page(body_extra=related), "site", ORIGIN).published is None


def test_a_timestamp_on_another_day_does_not_replace_the_found_day() -> None:
    head = '<meta property="article:published_time" content="2026-11-02">'
    # A <time> of an unrelated event must not be taken as the publication time.
    extra = '<p>Earlier outage: <time datetime="2026-10-15T08:00:00Z">15 October</time>.</p>'
    entry = parse_page(_story_page(head, extra), "site", ORIGIN)
    assert entry.published == datetime(2026, 11, 2, tzinfo=UTC)
