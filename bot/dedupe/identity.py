"""How we recognise the same item again: GUID, normalised URL, content hash.

Feeds re-publish items with tracking parameters, different host case, a
fragment, or an edited title and timestamp; none of that makes a new story.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.keys import IdentityKind, digest_of

# Query parameters that only say how a reader arrived, never which page it is.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|spm|scm|from|source|"
    r"ref|ref_src|share|share_from|cmpid|ocid|wt\.mc_id|_ga|yclid|s_cid)$",
    re.I,
)
# WeChat's share links add a checksum, the scene and who shared it to the parameters that
# name the article (__biz, mid, idx, sn); on its host only, as elsewhere they may name a page.
_WECHAT_HOST = "mp.weixin.qq.com"
_WECHAT_SHARE = re.compile(
    r"^(chksm|scene|subscene|ascene|srcid|sharer_\w+|mpshare|isappinstalled|devicetype|"
    r"exportkey|pass_ticket|wx_header|clicktime|enterid|sessionid|version|nettype|lang)$",
    re.I,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_EDITION_HOST = re.compile(r"^(www|m|mobile|amp|wap)\.")
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)")
_AMP_SUFFIX = re.compile(r"\.amp(?=(\.html?)?$)")
_AMP_QUERY = re.compile(r"^(amp|outputtype|output)$", re.I)
_SPACE = re.compile(r"\s+")


def normalise_url(url: str) -> str:
    """Canonical form of an http(s) URL; anything else is returned stripped, unchanged.

    Lower-case scheme and host, no default port, no fragment, no tracking
    parameters, sorted query, and the www / mobile / AMP editions folded into one.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    # Mobile and AMP editions of a page are the same story.
    host = _EDITION_HOST.sub("", host) if host.count(".") >= 2 else host
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    wechat = host == _WECHAT_HOST
    query = sorted(
        (k, v)
        for k, v in query
        if not _TRACKING.match(k)
        and not _AMP_QUERY.match(k)
        and not (wechat and _WECHAT_SHARE.match(k))
    )
    path = _AMP_SUFFIX.sub("", _AMP_SEGMENT.sub("", parts.path))
    # "/story/" and "/story" are one page; the root stays "/".
    path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def content_hash(title: str, text: str) -> str:
    """Hash of the body text (the title only when there is no body).

    The title is left out on purpose: an edited headline is the same story.
    """
    basis = text if text.strip() else title
    normalised = _SPACE.sub(" ", basis).strip().lower()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def identities(
    guid: str | None, url: str | None, body_hash: str, *, status_update: bool = False
) -> list[tuple[IdentityKind, str]]:
    """Identity claims of an item, strongest first.

    A status-page update is identified by its GUID alone: all updates of one
    incident share a link, and "This incident has been resolved." is the text
    of thousands of different updates.
    """
    found: list[tuple[IdentityKind, str]] = []
    if guid:
        found.append(("guid", guid))
        if status_update:
            return found
    if url:
        found.append(("url", url))
    found.append(("hash", body_hash))
    return found


def entry_identities(
    source: str, guid: str | None, link: str | None, *, status_update: bool = False
) -> list[tuple[IdentityKind, str]]:
    """The identities known before extraction: GUID and normalised link."""
    found: list[tuple[IdentityKind, str]] = []
    if guid:
        found.append(("guid", scoped_guid(source, guid)))
        if status_update:
            return found
    if link:
        found.append(("url", normalise_url(link)))
    return found


# GUIDs that name their own namespace are unique everywhere; others ("1234")
# only within one feed.
_GLOBAL_GUID = re.compile(r"^(tag:|urn:|https?://|aws:|gcp:)", re.I)


def scoped_guid(source: str, guid: str) -> str:
    """The GUID made unique across feeds: prefixed by the source unless it is global."""
    return guid if _GLOBAL_GUID.match(guid) else f"{source}|{guid}"


def article_id(
    guid: str | None, url: str | None, body_hash: str, *, status_update: bool = False
) -> str:
    kind, value = identities(guid, url, body_hash, status_update=status_update)[0]
    return digest_of(f"{kind}:{value}")[:20]
