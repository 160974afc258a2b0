"""A Markdown body to the story's paragraphs, without the page it was scraped from.

Archives such as chainreactors/picker save a whole web page as Markdown: menus,
logo and icon links, share bars, "must read" lists and footers come first and
last, the story sits in between. markdown-it-py parses the body (CommonMark plus
tables; raw HTML passes through, as Hexo bodies are HTML), then three rules that
hold for any page converted to Markdown remove the page around the story:

1. **The story starts at its own headline.** A page repeats the article title as
   its headline; everything above the first block after the opening one that
   matches the title (the archive writes the title once more on top) is site
   chrome: menus, "sign in", topic bars. Later repeats are comment headings
   ("95 thoughts on …") or share text and are not where the story starts.
2. **Link-dense blocks are navigation.** A paragraph, list item or heading whose
   text is mostly link text (or only images) is a menu, a related-stories list,
   a tag cloud or a share bar, in any language.
3. **The story's edges are prose.** Leading and trailing lines that are not prose
   (bylines, datelines, "This article is more than 1 year old", tag lists) are
   trimmed, and so are a tagline above a run of header lines and a footer line
   below a run of share buttons; headings inside the story stay. Scraper
   leftovers go anywhere: placeholders ("Unknown"), label lines ("Article:"),
   Markdown the parser could not read, reference URLs, copyright and reposting
   notices, an aggregator's excerpt of the story above the story, and everything
   after a WeChat "END" line.

trafilatura, the extractor used for web pages, then judges what is left, so
cookie banners, comment sections and "related" blocks go as they do for pages.
Where it keeps less sentence text than our cleaned blocks (it rejects some short
stories outright), the cleaned blocks are used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.sources.extract import check_html, html_to_paragraphs
from bot.sources.story import ends_sentence, main_text_paragraphs

MAX_EXTRACTED_HTML = 400_000  # characters of rendered HTML given to trafilatura
# A leaf block is navigation when at least this share of its text is link text.
LINK_DENSITY = 0.5
_LEAF_PARENTS = ("paragraph_open", "heading_open", "th_open", "td_open")
_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_HEADER_RUN = 3
_MAX_TRIMS = 8  # taglines and footer lines peeled off one at a time, a few at most
_TAGLINE_CHARS = 160
# Without a sentence end, a paragraph this long is still story text, not chrome.
PROSE_CHARS = 100
_FOLD = re.compile(r"[\W_]+", re.UNICODE)
_END_MARK = re.compile(r"^[\s\-–—=*·(（]*(?:END|End|完)[\s\-–—=*·)）]*$")
_IMAGE_RESIDUE = re.compile(r"!\[[^\[\]]{0,500}\](?:\([^()\s]{0,2000}(?:\s+\"[^\"]{0,500}\")?\)?)?")
_LINK_RESIDUE = re.compile(r"\[([^\[\]]{0,500})\]\([^()\s]{0,2000}(?:\s+\"[^\"]{0,500}\")?\)")
_LINK_TAIL_RESIDUE = re.compile(r"\]\((?:https?:)?/")
_BROKEN_LINK_OPENING = re.compile(r"\[[ \t]*\n(?:[ \t]*\n)+")
# A line that only points elsewhere: "https://…", "原文地址：<www.example.com/…>".
_REFERENCE = re.compile(r"^(?:[^\s:：]{1,12}\s*[:：]\s*)?<?(?:https?://|www\.)[^\s>]+>?$", re.I)

# "[阅读原文]", "[Read more]": the label of a link to the rest, left at a paragraph's end.
_READ_MORE = re.compile(r"\s*[\[【][^\]】]{1,12}[\]】]\s*$")
# Copyright lines, licence registrations and reposting terms: the publisher's footer.
_LEGAL_NOTICE = re.compile(
    r"©|\(c\)\s*\d{4}|copyright|all rights reserved|"
    r"版权|ICP[备证]|转载.{0,12}注明|注明出处|如有侵权",
    re.I,
)
_TEASER_SCAN = 3
_TEASER_PREFIX = 30
# "Information:", "Article:": a label line of one or two words.
_LABEL = re.compile(r"^\w+(?: \w+)?\s*[:：]$")
# What scrapers write where a caption or byline was missing.
_PLACEHOLDERS = frozenset({"Unknown", "unknown", "None", "null", "undefined", "N/A", "n/a"})


def markdown_paragraphs(body: str, title: str | None) -> list[str]:
    """Clean paragraphs of the story in a Markdown body (the title is not repeated)."""
    # "[", blank lines, then "![logo](…) Title](url)": page-to-Markdown converters
    # write this for a link wrapped around block content; joined, it parses as a link.
    tokens = _MD.parse(_BROKEN_LINK_OPENING.sub("[", body))
    tokens = _from_headline(tokens, title)
    tokens = _without_navigation(tokens)
    return html_paragraphs(_MD.renderer.render(tokens, _MD.options, {}), title)


def html_paragraphs(html: str, title: str | None) -> list[str]:
    """The story in an HTML body: trafilatura's choice or our cleaning, whichever kept
    more sentence text, trimmed to its first and last sentence."""
    check_html(html)  # ExtractError before the extractors pay for depth and size
    cleaned = list(html_to_paragraphs(html, title))
    # trafilatura's cost grows faster than the document; past a size no article has,
    # our linear cleaning alone decides.
    extracted = main_text_paragraphs(html) if len(html) <= MAX_EXTRACTED_HTML else []
    best = extracted if prose_chars(extracted) >= prose_chars(cleaned) else cleaned
    # The headline again (a page may repeat it above and below its byline) says nothing new.
    headline = _fold(title or "")
    best = [p for p in best if _fold(p) != headline]
    return trim_to_sentences(_without_teaser(_without_residue(_until_end_mark(best))))


def is_prose(paragraph: str) -> bool:
    """A sentence, or a paragraph too long to be a menu item, a byline or a label
    (scraped bodies are often cut off mid-sentence). A short line cut off with an
    ellipsis ("IT Certification Cou...") is a teaser or promo, not a sentence."""
    if len(paragraph) >= PROSE_CHARS:
        return True
    if paragraph.endswith(("...", "…")) or not any(c.isalnum() for c in paragraph):
        return False
    return ends_sentence(paragraph)


def prose_chars(paragraphs: Sequence[str]) -> int:
    return sum(len(p) for p in paragraphs if is_prose(p))


def _until_end_mark(paragraphs: list[str]) -> list[str]:
    """The paragraphs before an end-of-story line ("END", "（完）"): after it come the
    publisher's footer, follow prompts and "recommended reading" (WeChat articles)."""
    for index, paragraph in enumerate(paragraphs):
        if _END_MARK.match(paragraph):
            return paragraphs[:index]
    return paragraphs


def _without_residue(paragraphs: list[str]) -> list[str]:
    """Paragraphs less Markdown the parser could not read (a link split by a blank
    line, an image URL cut short), label lines ("Article:") and scraper placeholders."""
    kept = []
    for paragraph in paragraphs:
        text = _IMAGE_RESIDUE.sub("", paragraph)
        text = _LINK_RESIDUE.sub(r"\1", text)
        if _LINK_TAIL_RESIDUE.search(text):
            continue  # the rest of a link the parser could not read: navigation

        text = _without_trailing_urls(text)
        text = _READ_MORE.sub("", text).strip()
        if (
            not text.strip("[]()!|*#_-–—·• \ufeff")
            or _LABEL.match(text)
            or _REFERENCE.match(text)
            or _LEGAL_NOTICE.search(text)
            or text in _PLACEHOLDERS
        ):
            continue
        kept.append(text)
    return kept


def _without_teaser(paragraphs: list[str]) -> list[str]:
    """Drop an opening paragraph whose start is repeated later: an aggregator's
    excerpt of the story (often run together with its byline) above the story."""
    for index, paragraph in enumerate(paragraphs[:_TEASER_SCAN]):
        opening = _fold(paragraph)[:_TEASER_PREFIX]
        if len(opening) == _TEASER_PREFIX and opening in _fold("".join(paragraphs[index + 1 :])):
            return paragraphs[:index] + paragraphs[index + 1 :]
    return paragraphs


def _without_trailing_urls(text: str) -> str:
    """The paragraph less the source links after its last sentence (Solidot cites that
    way). Word by word from the end: a regular expression would be quadratic here."""
    words = text.split(" ")
    end = len(words)
    while end > 1 and words[end - 1].strip("<>").lower().startswith(("http://", "https://")):
        end -= 1
    return " ".join(words[:end]) if end < len(words) else text


def trim_to_sentences(paragraphs: Sequence[str]) -> list[str]:
    """Drop leading and trailing lines that are not prose (bylines, datelines, tags).

    A lone short sentence separated from the story by a run of three or more such
    lines is a site's tagline above the article header (headline, "follow",
    date, location) or a line of its footer below the share bar: dropped too.
    """
    kept = list(paragraphs)
    for _ in range(_MAX_TRIMS):
        prose = [i for i, p in enumerate(kept) if is_prose(p)]
        if not prose:
            return kept
        kept = kept[prose[0] : prose[-1] + 1]
        prose = [i - prose[0] for i in prose]
        if len(prose) < 2:
            return kept
        if len(kept[0]) < _TAGLINE_CHARS and prose[1] - 1 >= _HEADER_RUN:
            kept = kept[prose[1] :]
        elif len(kept[-1]) < _TAGLINE_CHARS and prose[-1] - prose[-2] - 1 >= _HEADER_RUN:
            kept = kept[: prose[-2] + 1]
        else:
            return kept
    return kept


def _from_headline(tokens: list[Token], title: str | None) -> list[Token]:
    """The tokens after the page's own headline: the first block after the document's
    opening block that repeats ``title`` (later repeats are comment or share headings)."""
    folded = _fold(title or "")
    if not folded:
        return tokens
    opening = True
    for index, token in enumerate(tokens):
        if token.type not in _LEAF_PARENTS or index + 1 >= len(tokens):
            continue
        if not opening and _same_headline(_fold(_inline_text(tokens[index + 1])), folded):
            return tokens[index + 3 :]  # the opening token, the inline content, the closing token
        opening = False
    return tokens


def _inline_text(inline: Token) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def _same_headline(heading: str, title: str) -> bool:
    """The block is the title, allowing a site prefix or suffix and small edits
    (a site's headline may drop a word or the quotes of the feed title)."""
    if not heading or not (0.6 * len(title) <= len(heading) <= 1.6 * len(title)):
        return False
    if heading in title or title in heading:
        return True
    return SequenceMatcher(None, heading, title, autojunk=False).ratio() >= 0.8


def _fold(text: str) -> str:
    return _FOLD.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _without_navigation(tokens: list[Token]) -> list[Token]:
    """Tokens less every leaf block that is mostly links or only images."""
    kept: list[Token] = []
    skip = 0
    for index, token in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        if (
            token.type in _LEAF_PARENTS
            and index + 2 < len(tokens)
            and tokens[index + 1].type == "inline"
            and _is_navigation(tokens[index + 1])
        ):
            skip = 2  # the inline content and the closing token
            continue
        kept.append(token)
    return kept


def _is_navigation(inline: Token) -> bool:
    linked = plain = 0
    depth = 0
    for child in inline.children or []:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth = max(0, depth - 1)
        elif child.type in ("text", "code_inline"):
            size = len("".join(child.content.split()))
            if depth:
                linked += size
            else:
                plain += size
    total = linked + plain
    if total == 0:
        # Only images (logos, icons, ad pixels) or raw inline HTML. Inline HTML can
        # carry text, so only a block with no HTML at all is dropped here.
        return not any(c.type == "html_inline" for c in inline.children or [])
    return linked / total >= LINK_DENSITY
