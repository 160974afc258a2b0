"""decode_html and feed_bytes: legacy Chinese charsets read the way browsers read them."""

from __future__ import annotations

import codecs
import re

import feedparser
import pytest

from bot.sources.charset import (
    charset_param,
    decode_html,
    feed_bytes,
    media_type,
    normalise_charset,
)
from tests.conftest import REPO, corpus_dir

PAGES = REPO / "tests" / "fixtures" / "pages"
FEEDS = REPO / "tests" / "fixtures" / "encoding"

ALIYUN = "阿里云随后在官方状态页确认，该地域部分基础组件出现异常"
# GBK has these, GB2312 does not: a "gb2312" page written by a GBK encoder.
GBK_ONLY = "张喆与朱镕在机房值班，确认电力故障已经排除。"


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body>{body}</body></html>"


# --- decode_html ---------------------------------------------------------------------


def test_meta_charset_gbk_page() -> None:
    text = decode_html((PAGES / "zh-aliyun-gbk.html").read_bytes())
    assert ALIYUN in text


def test_http_equiv_big5_is_read_as_big5_hkscs() -> None:
    # 嘢 is a Hong Kong character: Python's plain big5 codec cannot decode it.
    text = decode_html((PAGES / "zh-hant-aws-big5.html").read_bytes())
    assert "「成晚睇唔到嘢，個App一直轉圈，仲以為部機壞咗。」" in text


def test_header_charset_is_used() -> None:
    data = _page(f"<p>{ALIYUN}</p>").encode("gbk")
    assert ALIYUN in decode_html(data, "text/html; charset=GBK")


def test_header_beats_meta() -> None:
    data = _page(f"<p>{ALIYUN}</p>", '<meta charset="big5">').encode("gbk")
    assert ALIYUN in decode_html(data, "text/html; charset=gbk")


def test_gb2312_label_reads_gbk_only_characters() -> None:
    data = _page(f"<p>{GBK_ONLY}</p>", '<meta charset="gb2312">').encode("gbk")
    assert GBK_ONLY in decode_html(data)


def test_latin1_label_reads_windows_1252_quotes() -> None:
    data = _page("<p>\u201cIt\u2019s back\u201d</p>").encode("cp1252")
    assert "\u201cIt\u2019s back\u201d" in decode_html(data, "text/html; charset=ISO-8859-1")


def test_valid_utf8_beats_a_legacy_label() -> None:
    # A server default of iso-8859-1 (or gbk) on a UTF-8 site is a common mistake.
    data = _page("<p>Café — 服务已恢复</p>").encode()
    assert "Café — 服务已恢复" in decode_html(data, "text/html; charset=iso-8859-1")
    assert "Café — 服务已恢复" in decode_html(data, "text/html; charset=gbk")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
     (codecs.BOM_UTF16_BE, "utf-16-be")],
)  # fmt: skip
def test_byte_order_mark_decides_and_is_removed(bom: bytes, codec: str) -> None:
    data = bom + _page("<p>服务已恢复</p>").encode(codec)
    text = decode_html(data, "text/html; charset=gbk")
    assert text.startswith("<!DOCTYPE html>")
    assert "服务已恢复" in text


def test_unknown_label_falls_through_to_meta() -> None:
    data = _page(f"<p>{ALIYUN}</p>", '<meta charset="gbk">').encode("gbk")
    assert ALIYUN in decode_html(data, "text/html; charset=x-no-such-charset")


@pytest.mark.parametrize("label", ["base64", "rot13", "unicode_escape", "utf-7"])
def test_labels_that_are_not_web_charsets_are_ignored(label: str) -> None:
    data = _page(f"<p>{ALIYUN}</p>", '<meta charset="gbk">').encode("gbk")
    assert ALIYUN in decode_html(data, f"text/html; charset={label}")


def test_declared_charset_that_fails_strictly_falls_through() -> None:
    # 镕 is E9 46 in GBK; 0x46 is no EUC-JP trail byte, so the header cannot be right.
    data = _page(f"<p>{GBK_ONLY}</p>", '<meta charset="gbk">').encode("gbk")
    assert GBK_ONLY in decode_html(data, "text/html; charset=euc-jp")


def test_meta_inside_a_comment_is_ignored() -> None:
    # KOI8-R would decode any bytes at all, so a mistake here would not fall through.
    head = '<!-- <meta charset="koi8-r"> old template --><meta charset="gbk">'
    data = _page(f"<p>{GBK_ONLY}</p>", head).encode("gbk")
    assert GBK_ONLY in decode_html(data)


@pytest.mark.parametrize("words", ["plain words", "plain words!"])  # even and odd length
def test_utf16_label_on_ascii_bytes_means_utf8(words: str) -> None:
    data = _page(f"<p>{words}</p>", '<meta charset="utf-16">').encode("ascii")
    assert f"<p>{words}</p>" in decode_html(data)


def test_undeclared_gbk_is_guessed() -> None:
    sample = (REPO / "bot" / "samples" / "articles" / "2026-11-22-aliyun-hangzhou-zh.md").read_text(
        encoding="utf-8"
    )
    data = _page(sample).encode("gbk")
    assert ALIYUN in decode_html(data)


def test_one_broken_byte_does_not_ruin_a_declared_page() -> None:
    # A CMS that cut a string in the middle of a character: not strictly GBK any more.
    data = _page(f"<p>{ALIYUN}</p><p>", '<meta charset="gbk">').encode("gbk")
    data += "截断".encode("gbk")[:3] + b"</p></body></html>"
    text = decode_html(data)
    assert ALIYUN in text
    assert "\ufffd" in text


def test_ascii_without_any_declaration() -> None:
    assert decode_html(b"<p>Service restored.</p>") == "<p>Service restored.</p>"


# --- labels and headers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("cp936", "gb18030"),
        ("EUC-CN", "gb18030"), ("gb18030", "gb18030"), ("big5", "big5hkscs"),
        ("Big5-HKSCS", "big5hkscs"), ("iso-8859-1", "cp1252"), ("latin1", "cp1252"),
        ("US-ASCII", "cp1252"), ("utf8", "utf-8"), ("UTF-8", "utf-8"), ("koi8-r", "koi8-r"),
        ("Shift_JIS", "cp932"), ("euc-kr", "cp949"), ('"gbk"', "gb18030"),
        ("x-no-such-charset", None), ("base64", None), ("utf-7", None), ("", None), (None, None),
    ],
)  # fmt: skip
def test_normalise_charset(label: str | None, codec: str | None) -> None:
    assert normalise_charset(label) == codec


@pytest.mark.parametrize(
    ("header", "charset", "kind"),
    [
        ("text/html; charset=GBK", "GBK", "text/html"),
        ("application/atom+xml;charset='gb2312'", "gb2312", "application/atom+xml"),
        ('Text/XML; q=0.5; charset="big5"', "big5", "text/xml"),
        ("text/html", None, "text/html"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_content_type_parts(header: str | None, charset: str | None, kind: str | None) -> None:
    assert charset_param(header) == charset
    assert media_type(header) == kind


# --- feed_bytes ----------------------------------------------------------------------


def _titles(data: bytes) -> list[str]:
    # No headers: feed_bytes has already applied the Content-Type charset.
    parsed = feedparser.parse(data, response_headers={})
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [entry.title for entry in parsed.entries]


def _fixture_titles(name: str) -> list[str]:
    text = (FEEDS / name).read_bytes()
    label = re.search(rb'encoding="([^"]+)"', text)
    assert label is not None
    # What the fixture was written with: the declared label's browser superset.
    codec = normalise_charset(label.group(1).decode())
    assert codec is not None
    return re.findall(r"<item>\s*<title>(.*?)</title>", text.decode(codec))


@pytest.mark.parametrize(
    "name",
    [
        "gb2312-declared-gbk-chars.xml",
        "gbk-declared-gb18030-chars.xml",
        "x-gbk-declared.xml",
        "big5-declared-hkscs-chars.xml",
    ],
)
def test_feed_bytes_titles_come_through(name: str) -> None:
    expected = _fixture_titles(name)
    assert len(expected) == 2
    assert _titles(feed_bytes((FEEDS / name).read_bytes(), None)) == expected


@pytest.mark.parametrize(
    "name",
    ["gbk-declared-gb18030-chars.xml", "x-gbk-declared.xml", "big5-declared-hkscs-chars.xml"],
)
def test_feedparser_alone_mangles_these_feeds(name: str) -> None:
    # Why feed_bytes exists. If this starts failing, feedparser has learned the
    # browser supersets and feed_bytes could hand these bytes over untouched.
    parsed = feedparser.parse((FEEDS / name).read_bytes())
    assert [e.title for e in parsed.entries] != _fixture_titles(name)


def test_feedparser_copes_with_gbk_characters_declared_gb2312() -> None:
    # feedparser widens exactly "gb2312" to gb18030 itself: nothing to fix.
    data = (FEEDS / "gb2312-declared-gbk-chars.xml").read_bytes()
    assert feed_bytes(data, None) is data
    assert _titles(data) == _fixture_titles("gb2312-declared-gbk-chars.xml")


def test_transcoded_feed_is_utf8_and_says_so() -> None:
    out = feed_bytes((FEEDS / "big5-declared-hkscs-chars.xml").read_bytes(), None)
    text = out.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert "網上銀行App今朝登入唔到，用戶話等咗成個鐘" in text


def _undeclared(data: bytes) -> bytes:
    return re.sub(rb"^<\?xml[^>]*\?>", b"", data)


def test_header_charset_without_declaration() -> None:
    undeclared = _undeclared((FEEDS / "big5-declared-hkscs-chars.xml").read_bytes())
    expected = _fixture_titles("big5-declared-hkscs-chars.xml")
    assert _titles(feed_bytes(undeclared, "application/rss+xml; charset=big5")) == expected


def test_header_charset_beats_a_wrong_declaration() -> None:
    data = (FEEDS / "x-gbk-declared.xml").read_bytes().replace(b'"x-gbk"', b'"big5"')
    expected = _fixture_titles("x-gbk-declared.xml")
    assert _titles(feed_bytes(data, "text/xml; charset=gbk")) == expected


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("gb2312-declared-gbk-chars.xml", "application/rss+xml; charset=gb2312"),
        ("gb2312-declared-gbk-chars.xml", "text/xml; charset=GBK"),
        ("gbk-declared-gb18030-chars.xml", "application/rss+xml; charset=gb18030"),
        ("x-gbk-declared.xml", "text/xml; charset=x-gbk"),
        ("x-gbk-declared.xml", "application/xml"),
    ],
)
def test_result_reads_right_with_or_without_the_header(name: str, content_type: str) -> None:
    data = (FEEDS / name).read_bytes()
    if charset_param(content_type):
        data = _undeclared(data)  # only the header says what the bytes are
    out = feed_bytes(data, content_type)
    expected = _fixture_titles(name)
    assert _titles(out) == expected
    with_header = feedparser.parse(out, response_headers={"content-type": content_type})
    assert [e.title for e in with_header.entries] == expected


def test_header_only_gb2312_feed_is_relabelled_not_reencoded() -> None:
    # Re-encoded as UTF-8, a gb2312 header that a caller passes along would be
    # applied to UTF-8 bytes; in GB18030 the header and the declaration agree.
    data = _undeclared((FEEDS / "gb2312-declared-gbk-chars.xml").read_bytes())
    out = feed_bytes(data, "application/rss+xml; charset=gb2312")
    assert out.startswith(b'<?xml version="1.0" encoding="gb18030"?>')
    assert out.endswith(data)


def test_utf8_feed_mislabelled_gb2312_gets_its_declaration_fixed() -> None:
    feed = '<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>c</title>'
    feed += "<item><title>服务恢复正常</title></item></channel></rss>"
    out = feed_bytes(feed.encode("utf-8"), None)
    assert b'encoding="utf-8"' in out
    assert _titles(out) == ["服务恢复正常"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_wide_feed_without_a_byte_order_mark_is_untouched(codec: str) -> None:
    feed = f'<?xml version="1.0" encoding="{codec[:6]}"?><rss version="2.0"><channel>'
    feed += "<title>c</title><item><title>服务恢复正常</title></item></channel></rss>"
    data = feed.encode(codec)
    assert feed_bytes(data, None) is data
    assert _titles(data) == ["服务恢复正常"]


def test_utf8_feed_served_with_a_wrong_gb2312_header() -> None:
    # A hosting default: the header says gb2312 for a UTF-8 feed. feedparser
    # obeys the header, and these UTF-8 bytes happen to be valid GB18030.
    feed = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>c</title>'
    feed += "<item><title>服务恢复</title></item></channel></rss>"
    data = feed.encode("utf-8")
    content_type = "application/rss+xml; charset=gb2312"
    assert (
        feedparser.parse(data, response_headers={"content-type": content_type}).entries[0].title
        != "服务恢复"
    )
    out = feed_bytes(data, content_type)
    assert _titles(out) == ["服务恢复"]
    with_header = feedparser.parse(out, response_headers={"content-type": content_type})
    assert [e.title for e in with_header.entries] == ["服务恢复"]


def test_a_feed_declaring_the_undefined_codec_no_longer_crashes_feedparser() -> None:
    feed = '<?xml version="1.0" encoding="undefined"?><rss version="2.0"><channel>'
    feed += "<title>c</title><item><title>服务恢复</title></item></channel></rss>"
    data = feed.encode("utf-8")
    with pytest.raises(UnicodeError):
        feedparser.parse(data)  # Python's "undefined" codec raises a bare UnicodeError
    assert _titles(feed_bytes(data, None)) == ["服务恢复"]


def test_plain_utf8_feed_is_untouched() -> None:
    data = (REPO / "bot" / "samples" / "feeds" / "status-news.xml").read_bytes()
    assert feed_bytes(data, "application/rss+xml; charset=utf-8") is data


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "big5.xml",
        "http_application_atom_xml_gb2312_charset.xml",
        "http_application_atom_xml_gb2312_charset_overrides_encoding.xml",
        "http_application_atom_xml_gb2312_encoding.xml",
    ],
)
def test_feedparser_suite_chinese_feeds(name: str) -> None:
    data = (corpus_dir("feedparser-tests", "encoding") / name).read_bytes()
    content_type = _header(data)
    out = feed_bytes(data, content_type)
    parsed = feedparser.parse(out, response_headers={})
    assert not parsed.bozo
    assert parsed.version  # recognised as RSS/Atom


@pytest.mark.corpus
def test_feedparser_suite_reads_the_same_or_better() -> None:
    """Every feed of feedparser's encoding suite: no clean parse gets worse."""
    folder = corpus_dir("feedparser-tests", "encoding")
    checked = 0
    for path in sorted(folder.glob("*.xml")):
        data = path.read_bytes()
        content_type = _header(data)
        headers = {"content-type": content_type} if content_type else {}
        alone = feedparser.parse(data, response_headers=headers)
        ours = feedparser.parse(feed_bytes(data, content_type), response_headers={})
        if alone.bozo:
            continue  # deliberately broken input: feedparser's own answer is no reference
        assert not ours.bozo, path.name
        assert (ours.feed, ours.entries) == (alone.feed, alone.entries), path.name
        checked += 1
    assert checked >= 60


def _header(data: bytes) -> str | None:
    """The Content-Type a feedparser test file asks for in its header comment."""
    match = re.search(rb"Header:\s*Content-type:\s*(.+)", data[:2000], re.I)
    return match.group(1).strip().decode("latin-1") if match else None
