"""Train the second opinion on outage news (``bot/outage/textmodel.py``), one model per
language: a logistic regression over character n-grams of the headline and the opening of
the text, fitted with scikit-learn on the sets rules are tuned on, and written as data to
``bot/data/outage_text_model.json`` (English) or ``outage_text_model_zh.json`` (Chinese);
the bot scores it without scikit-learn.

Run:  .venv/bin/python benchmarks/train_text_model.py [--language zh] [--check]
          [--pickermd-dir DIR] [--picker-dir DIR]   (folders: quality.py's defaults)

Training sets (all tuned on; none held out), the items in the model's language of:
tests/data/eval/written.jsonl, the corpus labels, the dev half of
../shared/corpus/labelled/, the articleMD and post-mortem labels, the incident sagas, and
the written negatives (all of the first file, the tuned halves of the second and third).
The Chinese model also reads the picker sets that were tuned on: pickermd's dev half
(whole articles, from --pickermd-dir) and picker's dev, test and test4 headlines (from
--picker-dir); without them there is too little real Chinese other news to learn from.
The English model was trained before they existed and is left as it was. Held out and
never trained on: the labelled test half, the other halves of the written negatives,
pickermd's test half, picker's test2, test3 and test5. ``--check`` prints how many of the
rules' outages in the training sets a veto would drop at each threshold (of those it may
veto: not digests' headlines, not status pages' updates, not reports with too little text
for the model), from five-fold out-of-fold probabilities (the cost side: the rules make
few false alarms there), and what it would do on the held-out picker sets in the folders.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quality import (
    EVAL_NOW,
    PICKER_DIR,
    PICKER_HELD_OUT,
    PICKER_TUNED,
    PICKERMD_DIR,
    Item,
    articlemd_items,
    corpus_items,
    labelled_items,
    picker_items,
    pickermd_items,
    postmortem_items,
    written_items,
)
from bot.languages import in_simplified_article
from bot.outage.classify import OutageClassifier
from bot.outage.entities import EntityCatalog
from bot.outage.lexicon import Lexicon
from bot.outage.textmodel import LEAD_CHARS, MODELS, TextModel, TextModels, document
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


def training_set(
    language: str, pickermd_dir: Path | None = None, picker_dir: Path | None = None
) -> list[tuple[Article, bool]]:
    labelled = written_items() + corpus_items() + labelled_items("dev")
    labelled += articlemd_items() + postmortem_items()
    if language != "en":
        labelled += _picker_sets(pickermd_dir, ("dev",), picker_dir, PICKER_TUNED)
    items = [(item.article, item.is_outage) for item in labelled]
    for sagas in sorted(DATA.glob("incident_sagas*.txt")):
        items += _written(sagas.name, "all")
    items += _written("written_negatives.txt", "all")
    # The tuned halves: the second file's odd-numbered articles counting from one (even
    # positions), the third file's even-numbered ones (odd positions).
    items += _written("written_negatives_2.txt", "even")
    items += _written("written_negatives_3.txt", "odd")
    return [(article, outage) for article, outage in items if article.language.startswith(language)]


def _picker_sets(
    pickermd_dir: Path | None,
    pickermd_halves: tuple[str, ...],
    picker_dir: Path | None,
    picker_halves: tuple[str, ...],
) -> list[Item]:
    items: list[Item] = []
    for half in pickermd_halves if pickermd_dir else ():
        items += pickermd_items(pickermd_dir, half)
    for half in picker_halves if picker_dir else ():
        items += picker_items(picker_dir, half)
    return items


def _document(article: Article, language: str) -> str:
    """What the model reads, in the script the classifier hands it (Simplified Chinese)."""
    if language == "zh":
        article = in_simplified_article(article)
    return document(article.title, article.text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", choices=sorted(MODELS), default="en")
    parser.add_argument("--check", action="store_true", help="print the veto's cost by threshold")
    parser.add_argument("--pickermd-dir", type=Path, default=PICKERMD_DIR,
                        help="picker articles, as quality.py reads them")  # fmt: skip
    parser.add_argument("--picker-dir", type=Path, default=PICKER_DIR,
                        help="picker headline captures, as quality.py reads them")  # fmt: skip
    args = parser.parse_args()
    language = args.language
    # Without them the Chinese model would be trained on less, and silently differ.
    missing = [str(d) for d in (args.pickermd_dir, args.picker_dir) if not d.is_dir()]
    if language != "en" and missing:
        sys.exit(f"the {language} model is trained on the picker sets too: no {', '.join(missing)}")
    items = training_set(language, args.pickermd_dir, args.picker_dir)
    docs = [_document(article, language) for article, _ in items]
    labels = np.array([outage for _, outage in items])
    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=MODELS[language].ngrams,
        min_df=2,
        sublinear_tf=True,
        max_features=MAX_FEATURES,
    )
    features = vectorizer.fit_transform(docs)
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    model.fit(features, labels)
    exported = export(vectorizer, model)
    MODELS[language].path.write_text(
        json.dumps(exported, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    weights = exported["weights"]
    print(f"{len(items)} {language} items ({int(labels.sum())} outages), "
          f"{len(weights)} features -> {MODELS[language].path}")  # fmt: skip
    if args.check:
        _check(features, labels, [article for article, _ in items])
        held_out = _picker_sets(args.pickermd_dir, ("test",), args.picker_dir, PICKER_HELD_OUT)
        held = [item for item in held_out if item.article.language.startswith(language)]
        if held:
            probabilities = model.predict_proba(
                vectorizer.transform([_document(item.article, language) for item in held])
            )[:, 1]
            _held_out(held, probabilities)


def export(vectorizer: TfidfVectorizer, model: LogisticRegression) -> dict[str, object]:
    """What ``bot.outage.textmodel.TextModel.load`` reads: per n-gram its idf and weight."""
    weights = {
        gram: [round(float(vectorizer.idf_[i]), 6), round(float(model.coef_[0][i]), 6)]
        for gram, i in sorted(vectorizer.vocabulary_.items())
    }
    return {"ngrams": list(vectorizer.ngram_range), "lead_chars": LEAD_CHARS,
            "intercept": round(float(model.intercept_[0]), 6), "weights": weights}  # fmt: skip


THRESHOLDS = (0.1, 0.2, 0.3, 0.4)


def _check(features: Any, labels: npt.NDArray[np.bool_], articles: list[Article]) -> None:
    rules = _rules_outages(articles)
    out_of_fold = np.zeros(len(labels))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(features, labels):
        fold = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
        fold.fit(features[train], labels[train])
        out_of_fold[test] = fold.predict_proba(features[test])[:, 1]
    for threshold in THRESHOLDS:
        vetoed = rules & (out_of_fold < threshold)
        print(f"veto below {threshold}: drops {int((vetoed & labels).sum())} of "
              f"{int((rules & labels).sum())} true outages and {int((vetoed & ~labels).sum())} "
              f"of {int((rules & ~labels).sum())} false alarms")  # fmt: skip


def _held_out(items: list[Item], probabilities: npt.NDArray[np.float64]) -> None:
    labels = np.array([item.is_outage for item in items])
    rules = _rules_outages([item.article for item in items])
    print(f"held out ({len(items)} items): the rules find {int((rules & labels).sum())} true "
          f"outages and {int((rules & ~labels).sum())} false alarms")  # fmt: skip
    for threshold in THRESHOLDS:
        vetoed = rules & (probabilities < threshold)
        print(f"  veto below {threshold}: drops {int((vetoed & labels).sum())} true outages "
              f"and {int((vetoed & ~labels).sum())} false alarms")  # fmt: skip


def _rules_outages(articles: list[Article]) -> npt.NDArray[np.bool_]:
    """What the rules alone call outages and a second opinion may veto: not a digest's
    headline nor a status page's update (those stay outages when a model vetoes all)."""
    catalog, lexicon = EntityCatalog.load(), Lexicon.load()
    rules_only = OutageClassifier(catalog, lexicon)
    veto_all = {
        language: TextModel(
            spec.ngrams, {}, 0.0, veto_below=1.1, min_text_letters=spec.min_text_letters
        )
        for language, spec in MODELS.items()
    }
    vetoing_all = OutageClassifier(catalog, lexicon, TextModels(veto_all))
    return np.array(
        [
            rules_only.classify(article).is_outage and not vetoing_all.classify(article).is_outage
            for article in articles
        ]
    )


if __name__ == "__main__":
    main()
