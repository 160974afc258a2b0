"""html_to_paragraphs: what is kept, what is dropped, and how the text is cleaned."""

from __future__ import annotations

import pytest

from bot.sources.extract import html_to_paragraphs
from bot.sources.markdown import parse_markdown
from tests.conftest import SAMPLES, corpus_dir

SEED = "cnbeta_aws_us-east-1_2021-12-07.md"


@pytest.mark.parametrize(
    "noise",
    [
        "<script>var tracker = 'SCRIPT-TEXT';</script>",
        "<style>.x { content: 'STYLE-TEXT'; }</style>",
        '<iframe src="https://video.example/embed">IFRAME-TEXT</iframe>',
        '<img src="https://img.example/a.png" alt="IMG-TEXT">',
        "<noscript>NOSCRIPT-TEXT: please enable JavaScript</noscript>",
        "<!-- COMMENT-TEXT -->",
        "<nav><a href='/'>NAV-TEXT</a></nav>",
        "<form><label>FORM-TEXT</label><input value='x'></form>",
    ],
)
def test_non_content_elements_are_dropped(noise: str) -> None:
    html = f"<p>Before the noise.</p>{noise}<p>After the noise.</p>"
    paragraphs = html_to_paragraphs(html)
    assert paragraphs == ("Before the noise.", "After the noise.")
    assert "TEXT" not in " ".join(paragraphs)


@pytest.mark.parametrize(
    "block",
    [
        '<div class="article-relation"><p><strong>相关文章:</strong></p>'
        '<p><a href="https://e.example/1">另一篇无关的报道标题</a></p></div>',
        '<aside class="related-posts"><h3>Related articles</h3>'
        '<ul><li><a href="https://e.example/2">Another unrelated headline</a></li></ul></aside>',
        '<div class="share-buttons"><a href="#">Share on Mastodon</a><a href="#">Email</a></div>',
        '<p class="related">Related: <a href="https://e.example/3">Some other story</a></p>',
        '<div id="comments"><p>First comment from a reader</p></div>',
    ],
    ids=["article-relation", "related-posts-aside", "share-buttons", "p-related", "comments-id"],
)
def test_related_and_share_blocks_are_dropped(block: str) -> None:
    html = f'<div class="post-body"><p>The outage lasted two hours.</p>{block}</div>'
    assert html_to_paragraphs(html) == ("The outage lasted two hours.",)


def test_class_names_only_resembling_boilerplate_are_kept() -> None:
    html = (
        '<div class="shared-storage-notes"><p>Kept one.</p></div>'
        '<div class="headlines"><p>Kept two.</p></div>'
    )
    assert html_to_paragraphs(html) == ("Kept one.", "Kept two.")


def test_related_heading_outside_a_marked_block_is_dropped() -> None:
    html = "<p>Body text.</p><h3>Related stories</h3><h3>相关阅读：</h3><p>Tail.</p>"
    assert html_to_paragraphs(html) == ("Body text.", "Tail.")


def test_headings_are_kept_in_document_order() -> None:
    html = (
        "<h2>Timeline</h2><p>It started at nine.</p>"
        "<h3>Impact</h3><ul><li>Logins failed</li><li>Uploads stalled</li></ul>"
        "<h2>Next steps</h2><blockquote>We are sorry.</blockquote>"
    )
    assert html_to_paragraphs(html) == (
        "Timeline",
        "It started at nine.",
        "Impact",
        "Logins failed",
        "Uploads stalled",
        "Next steps",
        "We are sorry.",
    )


def test_br_splits_paragraphs() -> None:
    html = "<p>first line<br>second line<br/>third line</p>"
    assert html_to_paragraphs(html) == ("first line", "second line", "third line")


def test_inline_markup_does_not_split() -> None:
    html = "<p>Service <strong>was</strong> <em>partially</em> <a href='#'>restored</a>.</p>"
    assert html_to_paragraphs(html) == ("Service was partially restored.",)


def test_entities_are_decoded() -> None:
    html = "<p>AT&amp;T said 1 &lt; 2 &gt; 0 &quot;ok&quot; and &#x4e2d;&#25991; text</p>"
    assert html_to_paragraphs(html) == ('AT&T said 1 < 2 > 0 "ok" and 中文 text',)


def test_whitespace_is_collapsed() -> None:
    html = "<p>\n   lots   of\t\tspace\r\n and&nbsp;&nbsp;nbsp \u3000 here   </p>"
    assert html_to_paragraphs(html) == ("lots of space and nbsp here",)


def test_line_break_between_han_characters_is_removed() -> None:
    html = "<p>亚马逊云计算服务\n发生故障，导致一些网站\n暂停服务。</p>"
    assert html_to_paragraphs(html) == ("亚马逊云计算服务发生故障，导致一些网站暂停服务。",)


def test_line_break_between_latin_words_becomes_a_space() -> None:
    html = "<p>The service\nwent down\nfor hours.</p>"
    assert html_to_paragraphs(html) == ("The service went down for hours.",)


def test_space_next_to_latin_in_chinese_text_is_kept() -> None:
    html = "<p>亚马逊\nAWS 出现故障，Slack\n消息延迟</p>"
    assert html_to_paragraphs(html) == ("亚马逊 AWS 出现故障，Slack 消息延迟",)


def test_title_repeated_as_first_paragraph_is_removed() -> None:
    html = "<h1>  AWS   outage hits us-east-1 </h1><p>Body text.</p>"
    assert html_to_paragraphs(html, "AWS outage hits us-east-1") == ("Body text.",)


def test_title_is_kept_when_it_is_not_the_first_paragraph() -> None:
    html = "<p>Intro.</p><p>AWS outage</p>"
    assert html_to_paragraphs(html, "AWS outage") == ("Intro.", "AWS outage")


def test_without_a_title_nothing_is_removed() -> None:
    assert html_to_paragraphs("<h1>Heading</h1><p>Body.</p>") == ("Heading", "Body.")


def test_consecutive_duplicate_paragraphs_collapse() -> None:
    assert html_to_paragraphs("<p>Same.</p><p>Same.</p><p>Other.</p>") == ("Same.", "Other.")


def test_plain_text_and_empty_input() -> None:
    assert html_to_paragraphs("no markup at all") == ("no markup at all",)
    assert html_to_paragraphs("") == ()
    assert html_to_paragraphs("<div><p>  </p><script>x()</script></div>") == ()


def test_sample_article_drops_related_block_and_iframe() -> None:
    path = SAMPLES / "articles" / "2026-11-20-aws-us-east-1-zh.md"
    entry = parse_markdown(path.read_bytes(), "samples", str(path))
    paragraphs = html_to_paragraphs(entry.html, entry.title)
    text = "\n".join(paragraphs)
    assert paragraphs[0].startswith("北京时间11月21日凌晨")
    assert "受影响的服务" in paragraphs
    assert "相关文章" not in text
    assert "云服务商的可用性承诺" not in text
    assert "articleMeta" not in text


def _seed_paragraphs(data: bytes) -> tuple[str, ...]:
    path = corpus_dir("seed") / SEED
    entry = parse_markdown(data, "seed", str(path))
    return html_to_paragraphs(entry.html, entry.title)


def _assert_seed_text(paragraphs: tuple[str, ...]) -> None:
    text = "\n".join(paragraphs)
    assert "美国东部1区" in text
    assert "相关文章" not in text
    # The headline of the linked "related" story must not leak into the body.
    assert "Netflix、Coinbase等受影响" not in text
    assert "亚马逊云计算部门遭遇大面积故障" not in text
    assert "外部公司受影响" in paragraphs
    assert paragraphs[0].startswith("据报道，当地时间周二")


@pytest.mark.corpus
def test_seed_article_extracts_cleanly() -> None:
    _assert_seed_text(_seed_paragraphs((corpus_dir("seed") / SEED).read_bytes()))


@pytest.mark.corpus
def test_seed_article_body_extracts_cleanly_once_front_matter_is_found() -> None:
    # Same check with the leading blank line removed, so extraction stays covered
    # while the front-matter bug above is open.
    _assert_seed_text(_seed_paragraphs((corpus_dir("seed") / SEED).read_bytes().lstrip()))


def test_a_page_wrapped_in_one_form_keeps_its_article() -> None:
    html = (
        "<form id='aspnetForm'><div class='main'><p>The outage began at noon.</p>"
        "<p>Service returned by two.</p></div><form><input name='q'></form></form>"
    )
    assert html_to_paragraphs(html) == ("The outage began at noon.", "Service returned by two.")


def test_camel_case_boilerplate_ids_are_dropped() -> None:
    html = "<p>Story text.</p><div id='relatedNews'><p>Another story</p></div>"
    assert html_to_paragraphs(html) == ("Story text.",)
