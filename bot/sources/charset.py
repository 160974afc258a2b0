"""Bytes to text for web pages and feeds, choosing the charset the way browsers do.

Where the charset comes from, strongest evidence first:

1. a byte-order mark (the bytes themselves say how they are encoded);
2. bytes that are valid UTF-8 and contain multi-byte sequences: legacy text is
   practically never valid UTF-8 by accident, while UTF-8 pages mislabelled
   "iso-8859-1" or "gbk" by a server default are common;
3. the charset of the HTTP Content-Type header;
4. ``<meta charset>`` / ``<meta http-equiv="Content-Type">`` in the first 4 KB,
   then an XML declaration;
5. charset_normalizer's statistical guess;
6. the first declared charset with replacement characters (one broken byte
   must not turn a whole GBK page into mojibake), else UTF-8 with replacement.

A declared charset that does not decode strictly falls through to the next step.
Labels are normalised the way browsers treat them: GB2312 and GBK pages are read
as GB18030 (their superset), Big5 as Big5-HKSCS, Latin-1 and ASCII as
Windows-1252. Unknown labels are ignored.

feedparser 6 applies narrower rules: it widens only the exact label "gb2312"
(to GB18030) and otherwise uses Python's codec of the declared name, so a
``big5`` feed with Hong Kong characters, a ``gbk`` feed with GB18030-only ones,
or an ``x-gbk`` / ``euc-cn`` label ends in a silent Windows-1252 or Latin-2
decode: every title mojibake, reported only as a "bozo" warning.
``feed_bytes`` re-encodes such feeds before feedparser sees them.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# How far into a page a <meta> charset is looked for.
META_SCAN_BYTES = 4096

# Labels browsers map to a wider encoding than Python's codec of the same name.
# Keys are lower case with "_" written as "-".
_BROWSER_LABELS = {
    **dict.fromkeys(
        ("gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "x-euc-cn",
         "csgb2312", "chinese", "gb-2312-80", "iso-ir-58", "csiso58gb231280"),
        "gb18030",
    ),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "iso-8859-1:1987", "latin1", "latin-1", "l1", "cp819",
         "ibm819", "iso-ir-100", "csisolatin1", "us-ascii", "ascii", "ansi-x3.4-1968",
         "windows-1252", "x-cp1252"),
        "cp1252",
    ),
    **dict.fromkeys(
        ("shift-jis", "sjis", "x-sjis", "ms-kanji", "csshiftjis", "windows-31j"), "cp932"
    ),
    **dict.fromkeys(("euc-kr", "ks-c-5601-1987", "windows-949", "csksc56011987"), "cp949"),
}  # fmt: skip

# The encodings a web page or feed can legitimately be in. Anything else Python
# happens to know ("rot13", "base64", "unicode_escape", "utf-7"…) is not a
# charset a page may ask for.
_ALLOWED_CODECS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
        "gb18030", "gbk", "gb2312", "big5hkscs", "big5", "cp950", "cp932", "shift_jis",
        "euc_jp", "iso2022_jp", "cp949", "euc_kr", "cp1250", "cp1251", "cp1252", "cp1253",
        "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874", "cp866", "koi8_r",
        "koi8_u", "mac_roman", "mac_cyrillic", "iso8859_2", "iso8859_3", "iso8859_4",
        "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13",
        "iso8859_14", "iso8859_15", "iso8859_16", "tis_620",
    )
)  # fmt: skip
_WIDE_CODECS = frozenset(
    codecs.lookup(name).name
    for name in ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
)

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# "<?" in UTF-16 and UTF-32: how feedparser spots them without a byte-order mark.
_WIDE_XML_STARTS = tuple(
    "<?".encode(codec) for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)

_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([\w.:-]+)[\"']")
# feedparser's own reading: a declaration only counts at the very first byte.
_FEEDPARSER_ENCODING = re.compile(rb"^<\?[^\n]*?encoding=[\"']([^\"']*)[\"'][^\n]*?\?>")
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b([^>]*?)\s*\?>")
_ENCODING_ATTRIBUTE = re.compile(r"\s+encoding\s*=\s*([\"'])[^\"']*\1")


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """A web page's text: ``content_type`` is the HTTP header, when there was one."""
    declared = [charset_param(content_type), _meta_charset(data), _xml_encoding(data)]
    return _decode(data, declared)[0]


def feed_bytes(data: bytes, content_type: str | None) -> bytes:
    """What to hand feedparser: ``data`` itself, or the feed re-encoded.

    ``data`` comes back unchanged when feedparser already reads it right, with
    ``content_type`` and without. Otherwise the text is re-encoded with an XML
    declaration naming its encoding: in the header's own charset when that can
    hold every character (so passing the header along stays harmless), else in
    UTF-8. In the UTF-8 case a header charset would override the declaration,
    so the safe call is ``feedparser.parse(feed_bytes(data, ct))`` with no
    Content-Type at all: the result always reads right from its declaration.
    """
    if _bom(data) is not None or data.startswith(_WIDE_XML_STARTS):
        return data  # feedparser recognises UTF-16/32 itself, with or without a mark
    header = charset_param(content_type)
    text, _ = _decode(data, [header, _xml_encoding(data)])
    if _feedparser_reads_as(data, header) == text == _feedparser_reads_as(data, None):
        return data
    target = _feedparser_codec(header)
    if target not in _ALLOWED_CODECS or target in _WIDE_CODECS or not _can_encode(text, target):
        target = "utf-8"
    return _with_declaration(text, target).encode(target)


def normalise_charset(label: str | None) -> str | None:
    """The Python codec a browser would use for ``label``; None when unusable."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower().replace("_", "-")
    key = _BROWSER_LABELS.get(key, key)
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    return name if name in _ALLOWED_CODECS else None


def charset_param(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, as written."""
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def media_type(content_type: str | None) -> str | None:
    """A Content-Type value without parameters: "text/html; charset=gbk" → "text/html"."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind or None


def _decode(data: bytes, declared: list[str | None]) -> tuple[str, str]:
    """The text of ``data`` and the codec that produced it (see the module docstring)."""
    bom = _bom(data)
    if bom is not None:
        codec, size = bom
        return data[size:].decode(codec, errors="replace"), codec
    if _is_multibyte_utf8(data):
        return data.decode("utf-8"), "utf-8"
    candidates = [c for c in (_usable(label, data) for label in declared) if c]
    for codec in candidates:
        text = _strict(data, codec)
        if text is not None:
            return text, codec
    guess = _guess(data)
    if guess is not None:
        return guess
    fallback = candidates[0] if candidates else "utf-8"
    return data.decode(fallback, errors="replace"), fallback


def _usable(label: str | None, data: bytes) -> str | None:
    codec = normalise_charset(label)
    if codec in _WIDE_CODECS and b"\x00" not in data[:META_SCAN_BYTES]:
        # A UTF-16/32 label on ASCII-compatible bytes (we could read the label)
        # is wrong; browsers read such pages as UTF-8.
        return "utf-8"
    return codec


def _bom(data: bytes) -> tuple[str, int] | None:
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return codec, len(mark)
    return None


def _is_multibyte_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _guess(data: bytes) -> tuple[str, str] | None:
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    # Decode with the browser's superset: a "big5" guess may still meet HKSCS.
    codec = normalise_charset(best.encoding)
    text = _strict(data, codec) if codec else None
    return (text, codec) if text is not None and codec else None


def _meta_charset(data: bytes) -> str | None:
    head = _COMMENT.sub(b"", data[:META_SCAN_BYTES])
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _xml_encoding(data: bytes) -> str | None:
    match = _XML_ENCODING.match(data[:META_SCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


def _feedparser_reads_as(data: bytes, header: str | None) -> str | None:
    """The text feedparser 6 makes of ``data``, or None when it would guess.

    feedparser tries the header charset, then the XML declaration (only at the
    very first byte), then UTF-8, before falling back to Windows-1252 and
    Latin-2, which turn any Chinese feed into mojibake.
    """
    declared = _FEEDPARSER_ENCODING.match(data)
    labels = [header, declared.group(1).decode("latin-1") if declared else None, "utf-8"]
    for codec in (_feedparser_codec(label) for label in labels):
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
        except UnicodeError:
            return None  # the "undefined" codec: feedparser does not catch this, it crashes
    return None


def _feedparser_codec(label: str | None) -> str | None:
    """The Python codec feedparser uses for ``label``: it widens only "gb2312"."""
    if not label:
        return None
    label = label.strip().lower()
    try:
        info = codecs.lookup("gb18030" if label == "gb2312" else label)
    except LookupError:
        return None
    # "base64" and friends are codecs too, but not ones bytes.decode accepts.
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _can_encode(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _with_declaration(text: str, codec: str) -> str:
    """``text`` with an XML declaration that names ``codec``."""
    match = _XML_DECLARATION.match(text)
    if match is None:
        return f'<?xml version="1.0" encoding="{codec}"?>\n{text}'
    attributes = _ENCODING_ATTRIBUTE.sub("", match.group(1))
    return f'<?xml{attributes} encoding="{codec}"?>' + text[match.end() :]
