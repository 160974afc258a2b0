"""A single article web page to an Entry: the story's text without the site around it.

Extractor choice: trafilatura (``favor_precision``) won. On the fixture pages in
tests/fixtures/pages/ (English, GBK Chinese, Big5 Traditional, each with nav,
cookie banner, sidebar "related" lists, comments and footer) it kept every
sentence of the story and nothing else. Our own bs4 extractor run over the
whole page kept the cookie notice, menus, "most read" headlines and the footer,
because it judges tags one at a time and cannot see which block is the article.
Precision mode also returns nothing for a page of headline links, where the
default mode returned the menus. The bs4 extractor remains the fallback, on
<article>, else <main>, else <body>, for pages trafilatura rejects outright.

A page is only an article if it has enough *sentence* text: paragraphs that end
like sentences, so menus, headline lists and buttons never count. Error pages
(a soft 404 or a proxy's 502 served with status 200) are refused by title too.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import trafilatura
from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning

from bot.errors import ExtractError, ParseError
from bot.schema import Entry
from bot.sources.charset import decode_html
from bot.sources.extract import check_html, html_to_paragraphs
from bot.sources.story import main_text_paragraphs, sentence_chars
from bot.sources.timeparse import parse_time

# Below this many characters of sentences a page is a stub, not a story.
MIN_CHARS = 200

# htmldate's "extensive" search reads dates out of any text or link on the page
# and picked a related story's date on our error fixtures; the markup search
# (meta tags, <time>, date-classed elements, the URL) found every real one.
_DATE_CONFIG = {"original_date": True, "extensive_search": False}
# Cookie and consent banners and paywalls, by class or id (also "cookieNotice").
_BANNER = re.compile(r"(^|[-_\s])(cookies?|consent|gdpr|paywall)", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·]\s+|_")
_ERROR_WORDS = (
    r"(?:page |file )?not found|access denied|forbidden|unauthori[sz]ed|bad gateway|"
    r"service (?:temporarily )?unavailable|gateway time-?out|internal server error|"
    r"too many requests|error|just a moment\.*|attention required!?|"
    r"页面不存在|页面未找到|找不到页面|网页不存在|您访问的页面不存在|出错了|访问出错|"
    r"頁面不存在|找不到網頁|網頁不存在"
)
# A whole title (or one segment of it) that is only an HTTP status or error message.
_ERROR_TITLE = re.compile(
    rf"^(?:(?:http\s*)?(?:error\s*)?[1-5]\d\d\b[\s:：\-–—]*(?:{_ERROR_WORDS})?|{_ERROR_WORDS})"
    r"[\s!！.。]*$",
    re.I,
)
# Byline labels some sites leave in front of the name ("作者：示例云观察").
_AUTHOR_LABEL = re.compile(r"^\s*(?:作者|撰文|记者|記者|文)\s*[:：/]\s*")
_TIME_PROPERTIES = ("article:published_time", "og:published_time", "datepublished", "pubdate")


def parse_page(
    data: bytes,
    source: str,
    url: str,
    content_type: str | None = None,
    *,
    min_chars: int = MIN_CHARS,
) -> Entry:
    """One article from the bytes of a web page; ParseError when it holds no article."""
    text = decode_html(data, content_type)
    try:
        # Before bs4 and trafilatura see it: their costs grow with depth and size.
        check_html(text)
    except ExtractError as exc:
        raise ParseError(source, f"{url}: {exc.why}") from exc
    soup = _soup(text)
    metadata = trafilatura.extract_metadata(text, date_config=dict(_DATE_CONFIG))
    title = _title(metadata.title, soup)
    if _is_error_page(soup, title):
        raise ParseError(source, f"{url}: an error page, no article text")
    paragraphs = main_text_paragraphs(text) or _fallback_paragraphs(soup, title)
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    found = sentence_chars(paragraphs)
    if found < min_chars:
        raise ParseError(
            source, f"{url}: no article text ({found} characters of sentences, need {min_chars})"
        )
    link = _canonical(soup, url) or url
    return Entry(
        source=source,
        link=link,
        title=title or link,
        html="\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
        published=_published(soup, metadata.date),
        author=_AUTHOR_LABEL.sub("", metadata.author or "") or None,
        language=_declared_language(soup),
    )


def _soup(text: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        # XHTML pages open with an XML declaration; they are still HTML pages.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(text, "lxml")


def _fallback_paragraphs(soup: BeautifulSoup, title: str | None) -> list[str]:
    for tag in soup.find_all(_is_banner):
        tag.decompose()
    for name in ("article", "main", "body"):
        container = soup.find(name)
        if isinstance(container, Tag):
            try:
                paragraphs = list(html_to_paragraphs(str(container), title))
            except ExtractError:
                return []
            if paragraphs:
                return paragraphs
    return []


def _is_banner(tag: Tag) -> bool:
    if tag.attrs is None:  # inside an element already removed
        return False
    classes: object = tag.get("class") or []
    names = [*(classes if isinstance(classes, list) else [classes]), str(tag.get("id", ""))]
    return any(_BANNER.search(str(name)) for name in names)


def _title(found: str | None, soup: BeautifulSoup) -> str | None:
    if found and found.strip():
        return found.strip()
    og_title = soup.find("meta", attrs={"property": "og:title"})
    candidates = [
        soup.title.get_text() if soup.title else "",
        _text_of(soup.find("h1")),
        str(og_title.get("content", "")) if isinstance(og_title, Tag) else "",
    ]
    return next((c.strip() for c in candidates if c.strip()), None)


def _is_error_page(soup: BeautifulSoup, title: str | None) -> bool:
    titles = [title or "", soup.title.get_text() if soup.title else "", _text_of(soup.find("h1"))]
    return any(
        _ERROR_TITLE.match(part.strip())
        for candidate in titles
        for part in [candidate, *_TITLE_SEPARATORS.split(candidate)]
        if part.strip()
    )


def _canonical(soup: BeautifulSoup, url: str) -> str | None:
    """The page's own address for itself, when it is an absolute http(s) URL."""
    link = soup.find("link", rel="canonical")
    og_url = soup.find("meta", attrs={"property": "og:url"})
    for tag, attribute in ((link, "href"), (og_url, "content")):
        if not isinstance(tag, Tag):
            continue
        value = urljoin(url, str(tag.get(attribute, "")).strip())
        if urlsplit(value).scheme in ("http", "https") and urlsplit(value).netloc:
            return value
    return None


def _published(soup: BeautifulSoup, day: str | None) -> datetime | None:
    """The publication time: trafilatura's day, to the minute when the page says so."""
    if not day:
        return None
    # htmldate reports a day; a machine-readable timestamp on that same day (in
    # its own timezone) adds the time of day.
    for stamp in _timestamps(soup):
        try:
            moment = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.date().isoformat() == day:
            return parse_time(moment)
    return parse_time(day)


def _timestamps(soup: BeautifulSoup) -> Iterator[str]:
    for meta in soup.find_all("meta"):
        key = str(meta.get("property") or meta.get("name") or meta.get("itemprop") or "")
        if key.lower() in _TIME_PROPERTIES and meta.get("content"):
            yield str(meta["content"])
    for time in soup.find_all("time", datetime=True):
        yield str(time["datetime"])


def _declared_language(soup: BeautifulSoup) -> str | None:
    root = soup.find("html")
    if not isinstance(root, Tag):
        return None
    declared = str(root.get("lang") or root.get("xml:lang") or "").strip()
    return declared or None


def _text_of(tag: object) -> str:
    return tag.get_text(" ", strip=True) if isinstance(tag, Tag) else ""
