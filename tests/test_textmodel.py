"""The second opinion on English outage news (bot/outage/textmodel.py): scored in plain
Python exactly as scikit-learn scores the model it was trained as, and used only to veto
English reports the rules call outages."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from benchmarks.train_text_model import export
from bot.outage.classify import OutageClassifier
from bot.outage.entities import EntityCatalog
from bot.outage.lexicon import Lexicon
from bot.outage.textmodel import MODEL_PATH, NGRAMS, TextModel, char_ngrams, document
from tests.test_outage import article

# Tiny training set: outage news, and other news in outage words.
TRAIN = [
    ("Cloud provider outage takes down websites", "Sites failed to load for hours.", True),
    ("Bank app down for thousands of customers", "Payments failed on Friday.", True),
    ("Chat service restored after global outage", "Messages were delayed all morning.", True),
    ("Email service suffers second outage this week", "Users could not log in.", True),
    ("Quarterly earnings: cloud revenue up", "The company beat forecasts.", False),
    ("Stock crashes after quarterly earnings miss", "Shares fell 20 percent.", False),
    ("Quarterly report: outages cost firms billions", "Analysts surveyed 500 firms.", False),
    ("Game studio posts quarterly loss", "Revenue fell sharply.", False),
]


def _fitted(tmp_path: Path) -> tuple[TfidfVectorizer, LogisticRegression, TextModel]:
    docs = [document(title, text) for title, text, _ in TRAIN]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)
    model = LogisticRegression(C=4.0, max_iter=2000).fit(
        vectorizer.fit_transform(docs), [outage for *_, outage in TRAIN]
    )
    path = tmp_path / "model.json"
    path.write_text(json.dumps(export(vectorizer, model)), encoding="utf-8")
    return vectorizer, model, TextModel.load(path)


def test_char_ngrams_are_scikit_learns(tmp_path: Path) -> None:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS)
    analyse = vectorizer.build_analyzer()
    for doc in ("AWS  outage\ttakes   down a b", "宕机 of 阿里云", "", "x"):
        assert char_ngrams(doc, *NGRAMS) == analyse(doc)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Payments platform down across Europe", "Card payments failed at shops."),
        ("Quarterly earnings beat forecasts", "Revenue rose."),
        ("Zebra yodel", "Nothing the model has seen."),  # few n-grams it knows
        ("ǂǂǂ ǂǂǂ", "ǂǂ"),  # none it knows
        ("", ""),
    ],
)
def test_the_bot_scores_the_model_as_scikit_learn_does(
    tmp_path: Path, title: str, text: str
) -> None:
    vectorizer, model, ours = _fitted(tmp_path)
    theirs = model.predict_proba(vectorizer.transform([document(title, text)]))[0][1]
    assert math.isclose(ours.probability(title, text), theirs, abs_tol=1e-5)


def test_only_english_outages_the_rules_found_are_vetoed(tmp_path: Path) -> None:
    *_, model = _fitted(tmp_path)
    catalog, lexicon = EntityCatalog.load(), Lexicon.load()
    sure = TextModel(model.ngrams, model.weights, model.intercept, veto_below=1.1)  # vetoes all
    with_veto = OutageClassifier(catalog, lexicon, sure)
    rules_only = OutageClassifier(catalog, lexicon)
    english = article("Cloud provider outage takes down websites", "Sites failed to load.")
    chinese = article("某云服务宕机 多个网站无法访问", "大量网站无法打开。")
    update = article("Elevated error rates on API", "We are investigating.", status="investigating")
    other = article("Quarterly earnings beat forecasts", "Revenue rose.")
    assert rules_only.classify(english).is_outage
    vetoed = with_veto.classify(english)
    assert not vetoed.is_outage and not vetoed.aftermath and vetoed.status is None
    assert with_veto.classify(chinese).is_outage  # it reads no Chinese
    assert with_veto.classify(update).is_outage  # a status page's update is an outage
    digest = article("Morning briefing: Cloud outage takes down sites; chip sales; new phone", "")
    assert with_veto.classify(digest).is_outage  # it reads a report as one story
    assert not with_veto.classify(other).is_outage
    unsure = TextModel(model.ngrams, model.weights, model.intercept, veto_below=0.0)
    assert OutageClassifier(catalog, lexicon, unsure).classify(english).is_outage


def test_the_shipped_model_loads_and_reads_what_it_was_trained_on() -> None:
    shipped = TextModel.load(MODEL_PATH)
    assert shipped.ngrams == NGRAMS and len(shipped.weights) > 1000
    raw = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert raw["lead_chars"] == len(document("", "x" * 1000)) - len(" \n ")


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Cloud provider explains cause of Tuesday's outage in us-east-1",
         "A faulty configuration change took down the region for hours."),
        # Aftermath by reference: no outage word of its own.
        ("Okta statement on this morning's sign-in incident", ""),
    ],
)  # fmt: skip
def test_a_vetoed_follow_up_keeps_nothing_of_an_outage(
    tmp_path: Path, title: str, text: str
) -> None:
    *_, model = _fitted(tmp_path)
    catalog, lexicon = EntityCatalog.load(), Lexicon.load()
    follow_up = article(title, text)
    said = OutageClassifier(catalog, lexicon).classify(follow_up)
    assert said.is_outage and (said.follow_up or said.aftermath)
    sure = TextModel(model.ngrams, model.weights, model.intercept, veto_below=1.1)
    vetoed = OutageClassifier(catalog, lexicon, sure).classify(follow_up)
    assert not (vetoed.is_outage or vetoed.follow_up or vetoed.aftermath or vetoed.lasted_days)
    assert (vetoed.status, vetoed.event_day, vetoed.started_at, vetoed.products) == (
        None, None, None, ()
    )  # fmt: skip
    assert vetoed.confidence < 0.5


def test_a_hostile_headline_is_read_only_so_far(tmp_path: Path) -> None:
    *_, model = _fitted(tmp_path)
    hostile = "outage" * 40_000  # 240,000 characters in one word
    assert document(hostile, "")[:-3] == hostile[:2000]
    started = time.perf_counter()
    model.probability(hostile, "x" * 5_000_000)
    assert time.perf_counter() - started < 5
