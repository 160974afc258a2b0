"""HTML to clean paragraphs with beautifulsoup4 + lxml.

Kept, in document order: paragraphs, headings, list items, quotes. Dropped:
images, scripts, styles, iframes, forms, navigation, and "related articles" /
share / ad blocks, which would otherwise leak other stories' titles into a
summary. Entities are decoded and whitespace normalised.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag

from bot.sources.language import is_cjk

_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "object", "embed", "img", "picture", "svg",
    "video", "audio", "canvas", "button", "input", "select", "textarea",
    "nav", "footer", "aside", "template", "head", "figcaption",
)  # fmt: skip
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th",
    "figure", "hr", "br", "center",
)  # fmt: skip
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


def html_to_paragraphs(html: str, title: str | None = None) -> tuple[str, ...]:
    """Clean text paragraphs of an article body (the title is not repeated)."""
    soup = BeautifulSoup(html, "lxml")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    # A form is a search box or a login prompt, unless it holds the article: old
    # ASP.NET sites wrap the whole page in one <form>.
    for form in soup.find_all("form"):
        if form.find(["p", "article"]) is None:
            form.decompose()
    for tag in soup.find_all(_is_boilerplate):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before(_BREAK)
        tag.insert_after(_BREAK)
    paragraphs: list[str] = []
    for chunk in soup.get_text().split(_BREAK):
        text = _normalise(chunk)
        if not text or _BOILERPLATE_HEADINGS.match(text):
            continue
        if paragraphs and text == paragraphs[-1]:
            continue
        paragraphs.append(text)
    if title and paragraphs and _normalise(title) == paragraphs[0]:
        paragraphs.pop(0)
    return tuple(paragraphs)


def _is_boilerplate(tag: Tag) -> bool:
    if tag.attrs is None:  # already decomposed as part of a parent
        return False
    classes: object = tag.get("class") or []
    names = " ".join(
        [*(classes if isinstance(classes, list) else [classes]), str(tag.get("id", ""))]
    )
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
