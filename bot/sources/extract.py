"""HTML to clean paragraphs with lxml (libxml2's HTML parser, as bs4's "lxml" builder).

Kept, in document order: paragraphs, headings, list items, quotes. Dropped:
images, scripts, styles, iframes, forms, navigation, and "related articles" /
share / ad blocks, which would otherwise leak other stories' titles into a
summary. Entities are decoded and whitespace normalised.

Cleaning is one walk over the parsed tree that skips what is dropped and notes
block boundaries as it goes, so it takes time linear in the document: feed
bodies and pages are hostile input, and editing a bs4 tree in place
(``insert_before``/``decompose`` look up each tag's index) was quadratic —
``"<p>x</p>" * 40000`` took minutes. Documents nested deeper than libxml2's 256
levels, or with more than ``MAX_NODES`` elements, are refused with
``ExtractError`` (the parser would silently drop everything past that depth).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree  # type: ignore[import-untyped]

from bot.errors import ExtractError
from bot.sources.language import is_cjk

_DROP_TAGS = frozenset((
    "script", "style", "noscript", "iframe", "object", "embed", "img", "picture", "svg",
    "video", "audio", "canvas", "button", "input", "select", "textarea",
    "nav", "footer", "aside", "template", "head", "figcaption",
))  # fmt: skip
_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th",
    "figure", "hr", "br", "center",
))  # fmt: skip
# class/id fragments of boilerplate blocks: related stories, sharing, ads, comments.
_BOILERPLATE = re.compile(
    r"(^|[-_ ])(related|relation|recommend|share|sharing|social|advert|ads?|sponsor|"
    r"comments?|newsletter|subscribe|promo|breadcrumbs?)([-_ ]|$)",
    re.I,
)
_BOILERPLATE_HEADINGS = re.compile(
    r"^(related( articles| stories| posts)?|相关(文章|阅读|新闻)|推荐阅读)\s*[:：]?$", re.I
)
# A private-use character marks block boundaries: it cannot occur in real text.
_BREAK = "\ue000"
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
# Far above any real article (a long live blog has tens of thousands of elements);
# the fetcher's 5 MB cap allows about 600,000 "<p>x</p>".
MAX_NODES = 300_000
_DEPTH_LIMIT = "ERR_RESOURCE_LIMIT"


def html_to_paragraphs(html: str, title: str | None = None) -> tuple[str, ...]:
    """Clean text paragraphs of an article body (the title is not repeated).

    Raises ``ExtractError`` for a document too deep or too large to clean.
    """
    root = parse_html(html)
    if root is None:
        return ()
    paragraphs: list[str] = []
    for chunk in "".join(_text_pieces(root)).split(_BREAK):
        text = _normalise(chunk)
        if not text or _BOILERPLATE_HEADINGS.match(text):
            continue
        if paragraphs and text == paragraphs[-1]:
            continue
        paragraphs.append(text)
    if title and paragraphs and _normalise(title) == paragraphs[0]:
        paragraphs.pop(0)
    return tuple(paragraphs)


def parse_html(html: str) -> etree._Element | None:
    """The root of ``html`` parsed by libxml2; None for an empty document."""
    if not html.strip():
        return None
    # Bytes, not str: lxml refuses a str that carries an XML encoding declaration.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    root = etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    if any(e.type_name == _DEPTH_LIMIT for e in parser.error_log):
        raise ExtractError("the HTML is nested more than 256 levels deep")
    return root


def check_html(html: str) -> None:
    """``ExtractError`` when ``html`` is nested too deeply or has too many elements."""
    root = parse_html(html)
    if root is not None and sum(1 for _ in root.iter()) > MAX_NODES:
        raise ExtractError(f"the HTML has more than {MAX_NODES:,} elements")


def _text_pieces(root: etree._Element) -> Iterator[str]:
    """Text of kept elements, with a break around every block, in document order.

    Iterative (a stack, no recursion) and touching each node once.
    """
    nodes = 0
    # Each stack item is (element, entering); on leaving, the element's tail follows.
    stack: list[tuple[etree._Element, bool]] = [(root, True)]
    while stack:
        element, entering = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        if not entering:
            if tag in _BLOCK_TAGS:
                yield _BREAK
            if element.tail:
                yield element.tail
            continue
        nodes += 1
        if nodes > MAX_NODES:
            raise ExtractError(f"the HTML has more than {MAX_NODES:,} elements")
        if not tag or _dropped(element, tag):
            if element.tail:  # the text after a dropped element belongs to its parent
                yield element.tail
            continue
        if tag in _BLOCK_TAGS:
            yield _BREAK
        if element.text:
            yield element.text
        stack.append((element, False))
        stack.extend((child, True) for child in reversed(element))


def _dropped(element: etree._Element, tag: str) -> bool:
    if tag in _DROP_TAGS:
        return True
    # A form is a search box or a login prompt, unless it holds the article: old
    # ASP.NET sites wrap the whole page in one <form>. (Bounded: depth is capped.)
    if tag == "form" and next(element.iter("p", "article"), None) is None:
        return True
    return _is_boilerplate(element)


def _is_boilerplate(element: etree._Element) -> bool:
    names = " ".join([*str(element.get("class") or "").split(), str(element.get("id") or "")])
    # camelCase ids such as "relatedNews" count as two words.
    names = re.sub(r"([a-z])([A-Z])", r"\1 \2", names)
    return bool(names.strip()) and bool(_BOILERPLATE.search(names))


def _normalise(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    if " " not in text:
        return text
    # Source line breaks between two Han characters are layout, not word spaces.
    out = []
    for i, char in enumerate(text):
        if char == " " and 0 < i < len(text) - 1 and is_cjk(text[i - 1]) and is_cjk(text[i + 1]):
            continue
        out.append(char)
    return "".join(out)
