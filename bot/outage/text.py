"""How article text and catalogue aliases are normalised so that spellings meet.

``bot.outage.entities`` matches a few thousand aliases against every article. Both sides
are brought to one form here: full-width letters, digits and punctuation folded to
ASCII, case lowered without moving positions, separators ("-", "_", spaces)
collapsed into one key. :func:`pattern_units` turns one alias into the pieces of
regular expression that ``bot.outage.patterns`` assembles.
"""

from __future__ import annotations

import re

# --- Text normalisation --------------------------------------------------------------
#
# Articles are only lowercased (one fast C call) and, in the rare text that has
# them, cleared of full-width letters and digits. Full-width punctuation is common
# in Chinese and is left alone: the compiled patterns accept "（" for "(" instead,
# and only the few matched strings are folded completely.

# Full-width forms (U+FF01..U+FF5E) sit at a fixed offset from ASCII. Typographic
# apostrophes fold with them: news writes "Amazon’s cloud" more often than not.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000\u2018\u2019]")
_APOSTROPHES = "\u2018\u2019"
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_WIDTH_OFFSET = 0xFEE0
# For the rare text whose str.lower() changes length (U+0130 "İ" becomes two
# characters): positions in the text and its lowercase form must stay aligned.
_NARROW_LOWER = str.maketrans(
    {c: c + 32 for c in range(0x41, 0x5B)} | {c: c + 32 for c in range(0xFF21, 0xFF3B)}
)

# Addresses are not mentions. Only ASCII runs are skipped: Chinese text often
# continues straight after a link without a space.
ADDRESS = re.compile(r"(?:https?://|ftp://|www\.|data:)[!-~]+")
ADDRESS_MARKS = ("://", "www.", "data:")

_SEPARATOR_CHARS = "-_\u2010\u2011\u2012\u2013\u2014\uff0d\uff3f"
_SEP_CLASS = r"[\s\-_\u2010-\u2014\uff0d\uff3f]"  # \s covers the ideographic space
_SEP_RUN = re.compile(_SEP_CLASS + "+")
# Once runs are collapsed to "-", a separator counts only between two ASCII
# letters or digits; anywhere else it is optional and left out of keys.
_LOOSE_SEP = re.compile(r"(?<![0-9A-Za-z])-|-(?![0-9A-Za-z])")
_REQUIRED_SEP = _SEP_CLASS + "+"
_OPTIONAL_SEP = _SEP_CLASS + "*"


def _half_width(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\u3000":
        return " "
    return "'" if char in _APOSTROPHES else chr(ord(char) - _WIDTH_OFFSET)


def fold(text: str) -> str:
    """Full-width forms as ASCII. Meant for aliases and matches, not whole articles."""
    return _FULL_WIDTH.sub(_half_width, text)


def lower(text: str) -> str:
    """Lowercase with ASCII letters and digits for full-width ones, same length."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text.translate(_NARROW_LOWER)
    if lowered.isascii() or not _FULL_WIDTH_ALNUM.search(lowered):
        return lowered
    return _FULL_WIDTH_ALNUM.sub(_half_width, lowered)


def alias_key(folded: str) -> str:
    """The form that every spelling of one alias shares: separators normalised."""
    return _LOOSE_SEP.sub("", _SEP_RUN.sub("-", folded.strip()))


def skip_address(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def is_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _char_class(char: str) -> int:
    if is_word(char):
        return 0
    return 1 if char.isalpha() else 2  # Chinese (and other scripts); punctuation


def _literal(char: str) -> str:
    if "!" <= char <= "~" and not char.isalnum():
        twins = chr(ord(char) + _WIDTH_OFFSET) + (_APOSTROPHES if char == "'" else "")
        return f"[{re.escape(char)}{twins}]"  # "(" also matches "（"
    return re.escape(char)


def pattern_units(alias: str) -> list[str]:
    """Pattern pieces for one folded, lowercased alias: its characters and the gaps."""
    units: list[str] = []
    previous = ""
    gap = False
    for char in alias:
        if char.isspace() or char in _SEPARATOR_CHARS:
            gap = True
            continue
        if previous:
            tight = is_word(previous) and is_word(char)
            if gap:
                units.append(_REQUIRED_SEP if tight else _OPTIONAL_SEP)
            elif not tight and (
                _char_class(previous) != _char_class(char) or _char_class(char) == 2
            ):
                units.append(_OPTIONAL_SEP)
        units.append(_literal(char))
        previous, gap = char, False
    return units
