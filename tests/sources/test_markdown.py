"""parse_markdown: front-matter articles to Entry values, and every way one can be unusable."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import ParseError
from bot.sources.markdown import parse_markdown, read_markdown
from tests.conftest import SAMPLES

ARTICLES = SAMPLES / "articles"


def _parse(name: str):
    path = ARTICLES / name
    return parse_markdown(path.read_bytes(), "samples", str(path))


@pytest.mark.parametrize(
    ("name", "title_start", "link", "published"),
    [
        pytest.param(
            "2026-11-20-aws-us-east-1-zh.md",
            "亚马逊云美国东部1区突发故障",
            "https://www.example-news.cn/articles/cloud/20261120-aws.htm",
            datetime(2026, 11, 20, 18, 5, tzinfo=UTC),
            id="rfc822-date",
        ),
        pytest.param(
            "2026-11-20-aws-us-east-1-en.md",
            "AWS US-EAST-1 trouble knocks",
            "https://www.example-tech.com/2026/11/20/aws-us-east-1-outage/",
            datetime(2026, 11, 20, 20, 40, tzinfo=UTC),
            id="iso-date-with-z",
        ),
        pytest.param(
            "2026-11-21-cloud-earnings-en.md",
            "Azure revenue climbs 31%",
            "https://www.example-tech.com/2026/11/21/azure-quarterly-revenue/",
            datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
            id="iso-date-earnings",
        ),
        pytest.param(
            "2026-11-22-aliyun-hangzhou-zh.md",
            "阿里云华东1（杭州）地域控制台",
            "https://www.example-cloud.cn/news/2026/11/22/aliyun-hangzhou.html",
            datetime(2026, 11, 22, 10, 30, tzinfo=UTC),
            id="naive-date-is-utc",
        ),
    ],
)
def test_sample_articles_parse(name: str, title_start: str, link: str, published: datetime) -> None:
    entry = _parse(name)
    assert entry.source == "samples"
    assert entry.title.startswith(title_start)
    assert entry.link == link
    assert entry.published == published
    assert entry.published is not None
    assert entry.published.utcoffset() is not None
    assert entry.published.utcoffset().total_seconds() == 0
    assert "<p>" in entry.html


def test_sample_author_is_read() -> None:
    assert _parse("2026-11-20-aws-us-east-1-en.md").author == "Example Tech Desk"


def test_iso_date_with_offset_is_converted_to_utc() -> None:
    data = b"---\ntitle: Offset\ndate: 2026-11-20T08:00:00+08:00\n---\n<p>x</p>\n"
    entry = parse_markdown(data, "s", "offset.md")
    assert entry.published == datetime(2026, 11, 20, 0, 0, tzinfo=UTC)


def test_date_only_value_is_midnight_utc() -> None:
    data = b"---\ntitle: Day only\ndate: 2026-11-20\n---\n<p>x</p>\n"
    entry = parse_markdown(data, "s", "day.md")
    assert entry.published == datetime(2026, 11, 20, tzinfo=UTC)


def test_unparseable_date_leaves_published_empty() -> None:
    data = b"---\ntitle: Odd date\ndate: 'sometime last week'\n---\n<p>x</p>\n"
    assert parse_markdown(data, "s", "odd.md").published is None


def test_missing_link_falls_back_to_the_path_as_given(tmp_path: Path) -> None:
    path = tmp_path / "no-link.md"
    path.write_text("---\ntitle: No link here\n---\n<p>Body.</p>\n", encoding="utf-8")
    entry = parse_markdown(path.read_bytes(), "local", "notes/no-link.md")
    assert entry.link == "notes/no-link.md"


def test_alternative_keys_for_link_guid_and_language() -> None:
    data = (
        b"---\ntitle: Keys\nurl: https://news.example.org/a\nguid: item-42\nlang: zh\n---\n"
        b"<p>x</p>\n"
    )
    entry = parse_markdown(data, "s", "keys.md")
    assert entry.link == "https://news.example.org/a"
    assert entry.guid == "item-42"
    assert entry.language == "zh"


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    data = b"\xef\xbb\xbf---\r\ntitle: Windows file\r\n---\r\nHello there.\r\n"
    entry = parse_markdown(data, "s", "win.md")
    assert entry.title == "Windows file"
    assert entry.html == "<p>Hello there.</p>"


def test_markdown_body_is_rendered_with_text_escaped() -> None:
    data = (
        b"---\ntitle: Plain\n---\n\n"
        b"First block, *line one*\nline two of the same block.\n\n\n"
        b"Second block with 1 < 2 & a [link](https://example.test/x).\n"
    )
    entry = parse_markdown(data, "s", "plain.md")
    assert entry.html == (
        "<p>First block, line one line two of the same block.</p>"
        "<p>Second block with 1 &lt; 2 &amp; a link.</p>"
    )


def test_html_body_is_read_as_html() -> None:
    body = '<div class="post"><p>Already HTML.</p><p>Second <b>bold</b> line.</p></div>\n'
    data = ("---\ntitle: HTML\n---\n" + body).encode()
    assert parse_markdown(data, "s", "html.md").html == (
        "<p>Already HTML.</p><p>Second bold line.</p>"
    )


LENIENT_FILES = {
    # Nothing here is lost: the title comes from the front matter when it can be
    # read, else from the first heading, else from the first line of text.
    "no-front-matter": (b"# Just a heading\n\nSome text.\n", "Just a heading"),
    "unclosed-front-matter": (b"---\ntitle: never closed\n\nbody\n", "title: never closed"),
    "invalid-yaml": (b"---\ntitle: [oops\nauthor: x\n---\nbody\n", "[oops"),
    "yaml-list": (b"---\n- one\n- two\n---\nbody\n", "body"),
    "yaml-scalar": (b"---\njust words\n---\nbody\n", "body"),
    "no-title": (b"---\nauthor: Someone\ndate: 2026-11-20\n---\n## Heading\nbody\n", "Heading"),
    "blank-title": (b"---\ntitle: '   '\n---\nbody\n", "body"),
    "title-is-a-list": (b"---\ntitle: [a, b]\n---\nFirst *line*\n", "First line"),
    "toml": (b"+++\ntitle = 'TOML post'\n+++\nbody\n", "TOML post"),
    "invalid-toml": (b"+++\ntitle = Unquoted TOML\n+++\nbody\n", "Unquoted TOML"),
    # Character references are characters, as Markdown renders them (a feed's title copied
    # with "&#x3f;" left in it; its ";" is no break between two stories).
    "character-references": (
        b"---\ntitle: IPv6 to the Rescue&#x3f; Q&amp;A\n---\nbody\n",
        "IPv6 to the Rescue? Q&A",
    ),
    "heading-references": (b"# Caf&eacute; &lt;down&gt;\n\nbody\n", "Caf\u00e9 <down>"),
    "no-reference-without-semicolon": (
        b"---\ntitle: Cloud &notice board\n---\nbody\n",
        "Cloud &notice board",
    ),
}


@pytest.mark.parametrize(("data", "title"), list(LENIENT_FILES.values()), ids=list(LENIENT_FILES))
def test_files_in_any_shape_are_read_with_a_title(data: bytes, title: str) -> None:
    assert parse_markdown(data, "s", "inbox/article.md").title == title


def test_front_matter_read_leniently_is_reported_as_a_warning() -> None:
    read = read_markdown(b"---\ntitle: [oops\nauthor: x\n---\nbody\n", "s", "x.md")
    assert read.entry.title == "[oops"
    assert read.entry.author == "x"
    (warning,) = read.warnings
    assert warning.startswith("x.md: front matter is not valid YAML")


BAD_FILES = {
    "latin-1": ("---\ntitle: Café outage\n---\nbody\n".encode("latin-1"), "UTF-8"),
    "no-text-at-all": (b"---\nauthor: Someone\n---\n\n", "no title"),
    "empty": (b"", "no title"),
}


@pytest.mark.parametrize(("data", "mentions"), list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_unusable_files_raise_parse_error_naming_the_path(data: bytes, mentions: str) -> None:
    path = "inbox/broken-article.md"
    with pytest.raises(ParseError) as caught:
        parse_markdown(data, "my-source", path)
    assert caught.value.source == "my-source"
    assert path in str(caught.value)
    assert mentions in caught.value.why


def test_blank_line_before_front_matter_is_tolerated() -> None:
    data = b"\n---\ntitle: Leading blank line\n---\n<p>Body.</p>\n"
    assert parse_markdown(data, "s", "lead.md").title == "Leading blank line"


def test_scraped_front_matter_that_is_not_yaml_is_still_read() -> None:
    data = (
        b"---\ntitle: 'Error' in a DDoS defence amplified an outage\n"
        b"url: https://news.example/outage\ndate: 2024-08-01\n---\n<p>Body text.</p>\n"
    )
    entry = parse_markdown(data, "s", "x.md")
    assert entry.title == "'Error' in a DDoS defence amplified an outage"
    assert entry.link == "https://news.example/outage"
    assert entry.published is not None and entry.published.year == 2024


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("2021/10/05", datetime(2021, 10, 5, tzinfo=UTC)),
        ("POSTED ON MARCH 3, 2024 TO [Engineering](https://blog.example/engineering/)",
         datetime(2024, 3, 3, tzinfo=UTC)),
        ("Tuesday, 4 June 2024 | Jane Doe", datetime(2024, 6, 4, tzinfo=UTC)),
        ("2022年12月20日 22时06分", datetime(2022, 12, 20, tzinfo=UTC)),
        # A sentence with a date in it is the story, not its date line.
        ("On March 3, 2024 our database failed for an hour.", None),
    ],
)  # fmt: skip
def test_a_date_on_a_line_of_its_own_under_the_headline_is_the_publication_date(
    line: str, published: datetime | None
) -> None:
    text = f"# Our database outage\n\n{line}\n\n![header](https://blog.example/h.png)\n\n"
    text += "We are sorry: the database failed and every request timed out for an hour."
    entry = parse_markdown(text.encode(), "blog", "posts/database-outage.md")
    assert entry.published == published
    assert entry.published_from == "source"
