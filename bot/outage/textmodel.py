"""A second opinion on outage news, English and Chinese: per language, a logistic
regression over character n-grams of the headline and the opening of the text.

The lexicon's rules (``bot/outage/classify.py``) are mended one phrasing at a time, and
what is mended on one half of a written set leaves the other half's false alarms as they
were (tests/data/written_negatives_2.txt and _3.txt); real Chinese hard negatives are
one-offs more than classes (a phone's fault told as "苹果崩了", advice under a government's
internet cut). A model of the words around outage words generalises differently: where it
is confident that a report the rules call an outage is other news, the report is other
news (``vetoes``). It never makes an outage of what the rules reject, and a report in a
language no model reads keeps the rules' verdict.

Trained by ``benchmarks/train_text_model.py --language en|zh`` (scikit-learn's
TfidfVectorizer with ``analyzer="char_wb"`` and sublinear tf, and LogisticRegression) and
stored as data (``bot/data/outage_text_model*.json``: per n-gram its idf and weight).
Scored here in plain Python, exactly as scikit-learn would (``tests/test_textmodel.py``
checks that).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.schema import Article
from bot.sources.language import normalise_tag

_DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class TextModelSpec:
    """One language's model: its file, the character n-grams it was trained on, and how
    many letters of text beside the headline a report needs before the model may veto it."""

    path: Path
    ngrams: tuple[int, int]
    min_text_letters: int


# The models by the language each reads (an article's tag up to its first "-": "zh-Hant"
# is read as "zh", in Simplified script as the classifier reads it). English words are
# longer than Chinese ones, which are two characters mostly. A Chinese headline alone is
# too little to overrule the rules with: "12306崩了" and "苹果崩了" (a phone's fault) read
# alike, and the model was measured on whole articles (``train_text_model.py --check``);
# the English one was measured on headlines alone too.
MODELS = {
    "en": TextModelSpec(_DATA / "outage_text_model.json", (2, 4), min_text_letters=0),
    "zh": TextModelSpec(_DATA / "outage_text_model_zh.json", (2, 3), min_text_letters=20),
}
LEAD_CHARS = 300  # of the text, after the headline
# Only so much of a headline is read, as the rules read it (a hostile one runs to 200 KB).
TITLE_CHARS = 2000
# Below this probability of outage news, a report the rules call an outage is vetoed.
# Chosen where the five-fold out-of-fold probabilities of the training sets drop about one
# true outage in a hundred (``train_text_model.py --check``), in either language.
VETO_BELOW = 0.3
_SPACES = re.compile(r"\s\s+")
_LINK = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")


def document(title: str, text: str) -> str:
    """What the model reads of a report: its headline and the opening of its text."""
    return f"{title[:TITLE_CHARS]} \n {text[:LEAD_CHARS]}"


def char_ngrams(doc: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of ``doc``: within words padded with a space,
    lower-cased, runs of whitespace as one space."""
    grams: list[str] = []
    for word in _SPACES.sub(" ", doc.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


@dataclass(frozen=True)
class TextModel:
    ngrams: tuple[int, int]
    weights: dict[str, tuple[float, float]]  # n-gram -> (idf, weight)
    intercept: float
    veto_below: float = VETO_BELOW
    min_text_letters: int = 0

    @classmethod
    def load(cls, spec: TextModelSpec) -> TextModel:
        raw = json.loads(spec.path.read_text(encoding="utf-8"))
        ngrams = (int(raw["ngrams"][0]), int(raw["ngrams"][1]))
        if ngrams != spec.ngrams:  # a model retrained without its spec, or the reverse
            raise ValueError(f"{spec.path.name}: trained on n-grams {ngrams}, not {spec.ngrams}")
        weights = {gram: (float(idf), float(w)) for gram, (idf, w) in raw["weights"].items()}
        return cls(ngrams, weights, float(raw["intercept"]), min_text_letters=spec.min_text_letters)

    def probability(self, title: str, text: str) -> float:
        """How likely the report is outage news, by its words alone."""
        counts = Counter(
            gram
            for gram in char_ngrams(document(title, text), *self.ngrams)
            if gram in self.weights
        )
        if not counts:
            return _sigmoid(self.intercept)
        values = {gram: (1 + math.log(n)) * self.weights[gram][0] for gram, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values()))
        return _sigmoid(
            self.intercept + sum(v / norm * self.weights[g][1] for g, v in values.items())
        )

    def vetoes(self, article: Article) -> bool:
        """A report with text enough that the model is confident is other news."""
        return self.has_text_enough(article) and (
            self.probability(article.title, article.text) < self.veto_below
        )

    def has_text_enough(self, article: Article) -> bool:
        """Whether what the model reads of the text says more than the headline: letters
        counted, not the headline repeated, links, digits or punctuation (a feed's
        description is often the headline again, or a link)."""
        if not self.min_text_letters:
            return True
        # Spaces apart: reading a page drops those between Chinese characters.
        lead = _WHITESPACE.sub("", _LINK.sub(" ", article.text[:LEAD_CHARS]))
        headline = _WHITESPACE.sub("", article.title[:TITLE_CHARS])
        if headline:
            lead = lead.replace(headline, " ")
        return sum(char.isalpha() for char in lead) >= self.min_text_letters


@dataclass(frozen=True)
class TextModels:
    """The second opinion: one text model per language it reads."""

    by_language: Mapping[str, TextModel]

    @classmethod
    def load(cls, specs: Mapping[str, TextModelSpec] = MODELS) -> TextModels:
        return cls({language: TextModel.load(spec) for language, spec in specs.items()})

    def vetoes(self, article: Article) -> bool:
        """A report in a language a model reads, which that model is confident is other
        news."""
        model = self.by_language.get(normalise_tag(article.language).split("-")[0])
        return model is not None and model.vetoes(article)


def _sigmoid(score: float) -> float:
    if score >= 0:
        return 1 / (1 + math.exp(-score))
    odds = math.exp(score)  # no overflow for a very negative score
    return odds / (1 + odds)
