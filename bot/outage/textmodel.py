"""A second opinion on English outage news: a logistic regression over character n-grams
of the headline and the opening of the text.

The lexicon's rules (``bot/outage/classify.py``) are mended one phrasing at a time, and
what is mended on one half of a written set leaves the other half's false alarms as they
were (tests/data/written_negatives_2.txt and _3.txt). A model of the words around outage
words generalises differently: where it is confident that a report the rules call an
outage is other news, the report is other news (``vetoes``). It never makes an outage of
what the rules reject, and it does not read Chinese (its training set is English).

Trained by ``benchmarks/train_text_model.py`` (scikit-learn's TfidfVectorizer with
``analyzer="char_wb"`` and sublinear tf, and LogisticRegression) and stored as data
(``bot/data/outage_text_model.json``: per n-gram its idf and weight). Scored here in
plain Python, exactly as scikit-learn would (``tests/test_textmodel.py`` checks that).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.schema import Article

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "outage_text_model.json"
NGRAMS = (2, 4)
LEAD_CHARS = 300  # of the text, after the headline
# Only so much of a headline is read, as the rules read it (a hostile one runs to 200 KB).
TITLE_CHARS = 2000
# Below this probability of outage news, an English report the rules call an outage is
# vetoed. Chosen where the five-fold out-of-fold probabilities of the training sets drop
# about one true outage in a hundred (``train_text_model.py --check``).
VETO_BELOW = 0.3
_SPACES = re.compile(r"\s\s+")


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

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> TextModel:
        raw = json.loads(path.read_text(encoding="utf-8"))
        low, high = raw["ngrams"]
        weights = {gram: (float(idf), float(w)) for gram, (idf, w) in raw["weights"].items()}
        return cls((int(low), int(high)), weights, float(raw["intercept"]))

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
        """An English report the model is confident is other news."""
        return article.language.startswith("en") and (
            self.probability(article.title, article.text) < self.veto_below
        )


def _sigmoid(score: float) -> float:
    if score >= 0:
        return 1 / (1 + math.exp(-score))
    odds = math.exp(score)  # no overflow for a very negative score
    return odds / (1 + odds)
