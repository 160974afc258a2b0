"""Which language a text is in: an ISO 639-1 code, with Chinese split by script.

Results are "zh" (Simplified Chinese), "zh-Hant" (Traditional Chinese), "en", or
another ISO 639-1 code such as "ja", "de" or "fr".

Evidence, in order:

1. Script counts. Text that is at least a third CJK characters is Japanese when
   a fair share of it is kana, Korean when Hangul outweighs Han, and otherwise
   Chinese, however many English brand names it carries.
2. py3langid, a byte n-gram classifier, for the rest. It is restricted to the
   languages outage news realistically comes in, so look-alikes (Wu, Cantonese,
   Occitan…) cannot win. A Chinese, Japanese or Korean verdict needs a little of
   its script and is then trusted even when weak: brand names dilute it. Other
   verdicts need a high confidence, and alphabetic text needs some length
   ("Heroku dyno restarts" scores as confident Polish).
3. The hint (the language a feed or page declares), else "en".

hanzidentifier then tells Traditional from Simplified Chinese.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Protocol

import hanzidentifier  # type: ignore[import-untyped]
from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

# Han ideographs: the BMP blocks plus the supplementary planes, where many
# Hong Kong (HKSCS) and rare characters live.
_HAN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U0003134f]"
)
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
# Latin letters including the accented ranges French, German or Vietnamese use.
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# Addresses say nothing about the language of the prose around them.
# Bounded parts (a scheme, an e-mail's local part and domain): unbounded runs backtrack
# over a long word with no "@" or "://" from every start, which took 72 s on a 200 KB title.
_ADDRESS = re.compile(
    r"(?:(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,30}://|www\.)\S+"
    r"|(?<![^\s])[^\s@]{1,64}@[^\s@]{1,253}\.[a-z]{2,}",
    re.I,
)

# What the classifier may answer. A short list keeps a Chinese text from being
# called Cantonese or Wu and a short English title from being called Occitan.
LANGUAGES = (
    "zh", "en", "ja", "ko", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "sv",
    "tr", "vi", "id", "ar", "th",
)  # fmt: skip

# Chinese prose mixes in English names (AWS, Netflix); a third of the letters in
# Han script is already unmistakably Chinese.
CJK_SHARE_FOR_CHINESE = 0.3
# Below this many letters n-gram statistics are guesswork ("Queue service
# degraded" scores as French), so the script and the hint decide instead.
MIN_LETTERS = 24
# A classifier verdict weaker than this is treated like a text too short to judge.
MIN_CONFIDENCE = 0.8

TRADITIONAL = "zh-Hant"
_TRADITIONAL_REGIONS = ("tw", "hk", "mo", "hant")


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...

    def set_languages(self, langs: list[str] | None = None) -> None: ...


@dataclass(frozen=True)
class _Scripts:
    """How many letters of each script a text has."""

    letters: int
    han: int
    kana: int
    hangul: int
    latin: int

    @classmethod
    def of(cls, text: str) -> _Scripts:
        return cls(
            letters=sum(1 for char in text if char.isalpha()),
            han=len(_HAN.findall(text)),
            kana=len(_KANA.findall(text)),
            hangul=len(_HANGUL.findall(text)),
            latin=len(_LATIN.findall(text)),
        )

    def language(self) -> str | None:
        """The language the script alone proves, or None for alphabetic text."""
        cjk = self.han + self.kana + self.hangul
        if cjk / self.letters < CJK_SHARE_FOR_CHINESE:
            return None
        if self.kana and self.kana * 10 >= self.han + self.kana:
            return "ja"  # Japanese writes a good share of every sentence in kana
        if self.hangul >= self.han:
            return "ko"
        return "zh"


def detect_language(text: str, hint: str | None = None) -> str:
    """The language of ``text``; ``hint`` (a declared tag) settles what text cannot."""
    hint = normalise_tag(hint) if hint else None
    text = _ADDRESS.sub(" ", text)
    scripts = _Scripts.of(text)
    if scripts.letters == 0:
        return hint or "en"
    language = scripts.language() or _classified(text, scripts) or _fallback(hint, scripts)
    return _chinese_variant(text, hint) if language == "zh" else language


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Han ideograph (kana, Hangul and punctuation are not)."""
    return bool(_HAN.match(char))


def normalise_tag(tag: str) -> str:
    """A BCP 47 tag reduced to what detect_language answers: "zh-TW" → "zh-Hant"."""
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] == "zh":
        return TRADITIONAL if any(p in _TRADITIONAL_REGIONS for p in parts[1:]) else "zh"
    return parts[0]


def _classified(text: str, scripts: _Scripts) -> str | None:
    """The classifier's verdict on mostly non-CJK text, when it can be trusted."""
    alphabetic = scripts.latin * 2 >= scripts.letters
    if alphabetic and scripts.letters < MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(text)
    own_script = {"zh": scripts.han, "ja": scripts.kana, "ko": scripts.hangul}
    if language in own_script:
        # Chinese that names many brands can be under a third Han: the model
        # still sees Chinese, only less surely. Without the script it is wrong.
        return language if own_script[language] else None
    if confidence >= MIN_CONFIDENCE or not alphabetic:
        # Cyrillic, Greek, Arabic, Thai…: the script narrows the choice so much
        # that even a short text classifies well.
        return language
    return None


def _fallback(hint: str | None, scripts: _Scripts) -> str:
    # A Chinese, Japanese or Korean hint is contradicted by alphabetic text.
    if hint and hint not in ("zh", TRADITIONAL, "ja", "ko"):
        return hint
    # Too short to classify, and Han in it with nothing else to go by (no declared
    # Japanese or Korean, no kana or Hangul): a Chinese headline naming a brand
    # ("DeepSeek崩了", "iCloud崩了"). A longer text the classifier was unsure of keeps
    # its letters' verdict: an English one may name a place in Han.
    short = scripts.letters < MIN_LETTERS
    if short and scripts.han and not (scripts.kana or scripts.hangul or hint in ("ja", "ko")):
        return "zh"
    return "en"


def _chinese_variant(text: str, hint: str | None) -> str:
    kind = hanzidentifier.identify(text)
    if kind == hanzidentifier.TRADITIONAL:
        return TRADITIONAL
    # Characters shared by both scripts prove nothing; a declared zh-Hant decides.
    if kind == hanzidentifier.BOTH and hint == TRADITIONAL:
        return TRADITIONAL
    return "zh"


@functools.cache
def _identifier() -> _Identifier:
    # Loading the model takes about a second: once per process, on first use.
    identifier: _Identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier
