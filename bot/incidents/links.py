"""A report that cites another as its source is the same story.

Chinese security outlets translate English news and say so with the original's
address ("原文地址：<www.bleepingcomputer.com/news/security/…>"); aggregators write
"Source: …" or "via …". A translation shares few characters with its original
and is published days later, but the citation says outright which report it
retells. Only links right after such a marker count: the related-article links
a page carries elsewhere are about other events.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.dedupe.identity import normalise_url

# How far into a report its citation is looked for: translations state it in the
# opening lines (a translator's note), before the story.
CITATION_CHARS = 3000
_CITATION = re.compile(
    r"(?:原文地址|原文链接|原文网址|原文|来源|编译自|译自|source|via|originally published at)"
    r"\s*[:：]?\s*[<(（\[]?\s*"
    r"((?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>()（）\[\]\"'，。]+)",
    re.IGNORECASE,
)


# Paths that name no page of their own: empty, one or two letters ("/s"), or a script.
_QUERY_NAMES_PAGE = re.compile(r"(/[a-z]{1,2}|.*\.(php|aspx?|jsp|cgi|do))?")


def page_address(url: str) -> str | None:
    """``host/path?query`` of an article URL (``normalise_url``'s form: no tracking
    parameters, query sorted), host and path lower-cased, without "www." or trailing
    slash: the same page however it is written. None for what is not a web page.

    The query stays where the path alone names no page: sites that serve every article
    from one short path or script and name it in the query (WeChat's
    ``mp.weixin.qq.com/s?__biz=…&mid=…``, WordPress's ``/?p=123``, ``article.php?id=5``);
    without it, every WeChat article would be every other one's source. Elsewhere it is
    dropped ("…/crowdstrike?td=rt-3a" is the page a translation cites as "…/crowdstrike")."""
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(normalise_url(url))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    path = parts.path.rstrip("/").lower()
    query = parts.query if _QUERY_NAMES_PAGE.fullmatch(path) else ""
    if not path and not query:  # a site's home page is not a report
        return None
    return f"{host}{path}" + (f"?{query}" if query else "")


def cited_addresses(text: str) -> tuple[str, ...]:
    """Addresses of the reports ``text`` says it retells (see the module docstring)."""
    found: dict[str, None] = {}
    for match in _CITATION.finditer(text[:CITATION_CHARS]):
        address = page_address(match.group(1))
        if address is not None:
            found.setdefault(address)
    return tuple(found)
