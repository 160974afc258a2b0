"""Train the second opinion on English outage news (``bot/outage/textmodel.py``): a
logistic regression over character n-grams of the headline and the opening of the text,
fitted with scikit-learn on the sets rules are tuned on, and written as data to
``bot/data/outage_text_model.json`` (the bot scores it without scikit-learn).

Run:  .venv/bin/python benchmarks/train_text_model.py [--check]

Training sets (all tuned on; none held out): tests/data/eval/written.jsonl, the corpus
labels, the dev half of ../shared/corpus/labelled/, the articleMD and post-mortem labels,
the incident sagas, and the written negatives (all of the first file, the tuned halves of
the second and third). Held out and never trained on: the labelled test half, the other
halves of the written negatives, the picker captures. ``--check`` prints, per language, how
many of the rules' outages in the training sets a veto would drop at each threshold, from
five-fold out-of-fold probabilities (the cost side: the rules make few false alarms there).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quality import (
    EVAL_NOW,
    articlemd_items,
    corpus_items,
    labelled_items,
    postmortem_items,
    written_items,
)
from bot.outage.classify import OutageClassifier
from bot.outage.entities import EntityCatalog
from bot.outage.lexicon import Lexicon
from bot.outage.textmodel import LEAD_CHARS, MODEL_PATH, NGRAMS, document
from bot.schema import Article, Entry
from bot.sources.article import to_article

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
MAX_FEATURES = 20_000
C = 4.0


def _lines(name: str) -> list[tuple[int, str, str, str]]:
    """(index, label, published, headline||lead) of a written file's items."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, when, rest = line.split("|", 2)
            rows.append((len(rows), label, when, rest))
    return rows


def _written(name: str, keep: str) -> list[tuple[Article, bool]]:
    """A written file's items; ``keep``: "all", "even" or "odd" (0-based positions)."""
    items = []
    for n, label, when, rest in _lines(name):
        if keep != "all" and n % 2 != (0 if keep == "even" else 1):
            continue
        title, _, text = rest.partition("||")
        entry = Entry(source=f"outlet-{n}", link=f"https://written{n}.example/story",
                      title=title, html=f"<p>{text}</p>", published=_when(when))  # fmt: skip
        # Sagas label incidents ("-" is other news); negatives label "O" or "-".
        items.append((to_article(entry, EVAL_NOW), label != "-"))
    return items


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def training_set() -> list[tuple[Article, bool]]:
    labelled = written_items() + corpus_items() + labelled_items("dev")
    labelled += articlemd_items() + postmortem_items()
    items = [(item.article, item.is_outage) for item in labelled]
    for sagas in sorted(DATA.glob("incident_sagas*.txt")):
        items += _written(sagas.name, "all")
    items += _written("written_negatives.txt", "all")
    # The tuned halves: the second file's odd-numbered articles counting from one (even
    # positions), the third file's even-numbered ones (odd positions).
    items += _written("written_negatives_2.txt", "even")
    items += _written("written_negatives_3.txt", "odd")
    return [(article, outage) for article, outage in items if article.language.startswith("en")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="print the veto's cost by threshold")
    args = parser.parse_args()
    items = training_set()
    docs = [document(article.title, article.text) for article, _ in items]
    labels = np.array([outage for _, outage in items])
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, min_df=2,
                                 sublinear_tf=True, max_features=MAX_FEATURES)  # fmt: skip
    features = vectorizer.fit_transform(docs)
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    model.fit(features, labels)
    exported = export(vectorizer, model)
    MODEL_PATH.write_text(
        json.dumps(exported, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    weights = exported["weights"]
    print(f"{len(items)} English items ({int(labels.sum())} outages), "
          f"{len(weights)} features -> {MODEL_PATH}")  # fmt: skip
    if args.check:
        _check(features, labels, [article for article, _ in items])


def export(vectorizer: TfidfVectorizer, model: LogisticRegression) -> dict[str, object]:
    """What ``bot.outage.textmodel.TextModel.load`` reads: per n-gram its idf and weight."""
    weights = {
        gram: [round(float(vectorizer.idf_[i]), 6), round(float(model.coef_[0][i]), 6)]
        for gram, i in sorted(vectorizer.vocabulary_.items())
    }
    return {"ngrams": list(vectorizer.ngram_range), "lead_chars": LEAD_CHARS,
            "intercept": round(float(model.intercept_[0]), 6), "weights": weights}  # fmt: skip


def _check(features: Any, labels: Any, articles: list[Article]) -> None:
    rules_only = OutageClassifier(EntityCatalog.load(), Lexicon.load())  # no second opinion
    rules = np.array([rules_only.classify(article).is_outage for article in articles])
    out_of_fold = np.zeros(len(labels))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(features, labels):
        fold = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
        fold.fit(features[train], labels[train])
        out_of_fold[test] = fold.predict_proba(features[test])[:, 1]
    for threshold in (0.1, 0.2, 0.3, 0.4):
        vetoed = rules & (out_of_fold < threshold)
        print(f"veto below {threshold}: drops {int((vetoed & labels).sum())} of "
              f"{int((rules & labels).sum())} true outages and {int((vetoed & ~labels).sum())} "
              f"of {int((rules & ~labels).sum())} false alarms")  # fmt: skip


if __name__ == "__main__":
    main()
