"""The second opinion on outage news (bot/outage/textmodel.py): scored in plain Python
exactly as scikit-learn scores the model it was trained as, English and Chinese, and used
only to veto reports the rules call outages, in the language each model reads."""

from __future__ import annotations

import json
import math
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from benchmarks.train_text_model import export
from bot.languages import in_simplified
from bot.outage.classify import OutageClassifier
from bot.outage.entities import EntityCatalog
from bot.outage.lexicon import Lexicon
from bot.outage.textmodel import (
    MODELS,
    TextModel,
    TextModels,
    TextModelSpec,
    char_ngrams,
    document,
)
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
TRAIN_ZH = [
    ("某云服务宕机 大量网站无法访问", "多个网站数小时无法打开。", True),
    ("某银行App崩了 用户无法转账", "周五上午支付失败。", True),
    ("某聊天软件全球故障后恢复", "消息延迟了一上午。", True),
    ("某邮箱本周第二次中断", "用户无法登录。", True),
    ("某公司季度财报：云收入增长", "业绩超出预期。", False),
    ("某股票财报后崩盘", "股价下跌两成。", False),
    ("报告：宕机每年让企业损失数十亿", "分析师调查了500家公司。", False),
    ("某游戏公司季度亏损", "收入大幅下降。", False),
]


def _fitted(
    tmp_path: Path, language: str = "en"
) -> tuple[TfidfVectorizer, LogisticRegression, TextModel]:
    train = TRAIN if language == "en" else TRAIN_ZH
    docs = [document(title, text) for title, text, _ in train]
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=MODELS[language].ngrams, sublinear_tf=True
    )
    model = LogisticRegression(C=4.0, max_iter=2000).fit(
        vectorizer.fit_transform(docs), [outage for *_, outage in train]
    )
    path = tmp_path / f"model_{language}.json"
    path.write_text(json.dumps(export(vectorizer, model)), encoding="utf-8")
    return vectorizer, model, TextModel.load(TextModelSpec(path, MODELS[language].ngrams, 0))


@pytest.mark.parametrize("language", sorted(MODELS))
def test_char_ngrams_are_scikit_learns(language: str) -> None:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=MODELS[language].ngrams)
    analyse = vectorizer.build_analyzer()
    for doc in (
        "AWS  outage\ttakes   down a b",
        "宕机 of 阿里云",
        "阿里云香港可用区C宕机",
        "",
        "x",
    ):
        assert char_ngrams(doc, *MODELS[language].ngrams) == analyse(doc)


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        ("en", "Payments platform down across Europe", "Card payments failed at shops."),
        ("en", "Quarterly earnings beat forecasts", "Revenue rose."),
        ("en", "Zebra yodel", "Nothing the model has seen."),  # few n-grams it knows
        ("en", "ǂǂǂ ǂǂǂ", "ǂǂ"),  # none it knows
        ("en", "", ""),
        ("zh", "某支付平台宕机 全国用户无法付款", "商店刷卡失败。"),
        ("zh", "某公司季度财报超出预期", "收入增长。"),
        ("zh", "斑马唱歌", "模型没见过的字。"),  # few n-grams it knows
        ("zh", "Payments platform down", ""),  # another script
        ("zh", "", ""),
    ],
)
def test_the_bot_scores_the_model_as_scikit_learn_does(
    tmp_path: Path, language: str, title: str, text: str
) -> None:
    vectorizer, model, ours = _fitted(tmp_path, language)
    theirs = model.predict_proba(vectorizer.transform([document(title, text)]))[0][1]
    assert math.isclose(ours.probability(title, text), theirs, abs_tol=1e-5)


def _sure(model: TextModel) -> TextModel:
    """``model`` vetoing every report it reads."""
    return TextModel(model.ngrams, model.weights, model.intercept, veto_below=1.1)


ENGLISH = article("Cloud provider outage takes down websites", "Sites failed to load.")
CHINESE = article("某云服务宕机 多个网站无法访问", "大量网站无法打开。")


def test_only_outages_the_rules_found_in_a_language_a_model_reads_are_vetoed(
    tmp_path: Path,
) -> None:
    *_, model = _fitted(tmp_path)
    catalog, lexicon = EntityCatalog.load(), Lexicon.load()
    with_veto = OutageClassifier(catalog, lexicon, TextModels({"en": _sure(model)}))
    rules_only = OutageClassifier(catalog, lexicon)
    update = article("Elevated error rates on API", "We are investigating.", status="investigating")
    other = article("Quarterly earnings beat forecasts", "Revenue rose.")
    assert rules_only.classify(ENGLISH).is_outage
    vetoed = with_veto.classify(ENGLISH)
    assert not vetoed.is_outage and not vetoed.aftermath and vetoed.status is None
    assert with_veto.classify(CHINESE).is_outage  # no Chinese model: the rules' verdict
    assert with_veto.classify(update).is_outage  # a status page's update is an outage
    digest = article("Morning briefing: Cloud outage takes down sites; chip sales; new phone", "")
    assert with_veto.classify(digest).is_outage  # it reads a report as one story
    assert not with_veto.classify(other).is_outage
    unsure = TextModel(model.ngrams, model.weights, model.intercept, veto_below=0.0)
    assert (
        OutageClassifier(catalog, lexicon, TextModels({"en": unsure})).classify(ENGLISH).is_outage
    )


def test_a_chinese_model_reads_chinese_in_either_script_and_nothing_else(tmp_path: Path) -> None:
    *_, model = _fitted(tmp_path, "zh")
    catalog, lexicon = EntityCatalog.load(), Lexicon.load()
    with_veto = OutageClassifier(catalog, lexicon, TextModels({"zh": _sure(model)}))
    traditional = article("某雲服務當機 多個網站無法訪問", "大量網站無法打開。", language="zh-Hant")
    assert OutageClassifier(catalog, lexicon).classify(traditional).is_outage
    assert not with_veto.classify(CHINESE).is_outage
    assert not with_veto.classify(traditional).is_outage
    assert with_veto.classify(ENGLISH).is_outage
    digest = article("FreeBuf早报 | 某云服务全面宕机；某手机发布新品", "")
    assert with_veto.classify(digest).is_outage  # it reads a report as one story


HEADLINE = "某云服务宕机 多个网站无法访问"
TWENTY = "大量网站无法打开用户在社交媒体上反映已持续两小时"[:20]  # 20 letters


@pytest.mark.parametrize(
    ("lead", "vetoed"),
    [
        ("", False),
        ("   \n ", False),
        (TWENTY[:19], False),
        (TWENTY, True),
        (f"{TWENTY[:10]}，。！？ 1234567890 {TWENTY[10:19]}", False),  # 19 letters
        (f"{TWENTY[:10]}，。 {TWENTY[10:]}", True),
        # A description that is the headline again, or a link, says nothing more.
        (f"{HEADLINE} {HEADLINE}", False),
        ("https://weibo.com/1234567890/AbCdEfGhIjKlMnOpQrStUvWxYz", False),
        (f"{HEADLINE} https://news.example/story/abcdefghijklmnopqrstuvwxyz", False),
    ],
)
def test_a_model_needs_text_beside_the_headline_where_its_reading_says_so(
    tmp_path: Path, lead: str, vetoed: bool
) -> None:
    *_, model = _fitted(tmp_path, "zh")
    catalog, lexicon = EntityCatalog.load(), Lexicon.load()
    needs_text = TextModel(model.ngrams, model.weights, model.intercept, 1.1, min_text_letters=20)
    with_veto = OutageClassifier(catalog, lexicon, TextModels({"zh": needs_text}))
    assert with_veto.classify(article(HEADLINE, lead)).is_outage is not vetoed


@pytest.mark.parametrize(
    ("title", "language"),
    [("12306崩了", "zh"), ("百度网盘崩了", "zh"), ("DeepSeek崩了", "zh"), ("Cloud outage", "en")],
)
def test_the_shipped_chinese_model_leaves_a_bare_headline_to_the_rules(
    title: str, language: str
) -> None:
    # Feeds without descriptions carry headlines like these alone; the Chinese model,
    # which reads "X崩了" as either (a phone's fault, a product's hype), is not asked. The
    # shipped models, made to veto all they read: only the English one reads a headline.
    catalog, lexicon = EntityCatalog.load(), Lexicon.load()
    vetoing_all = TextModels(
        {
            code: replace(model, veto_below=1.1)
            for code, model in TextModels.load().by_language.items()
        }
    )
    bare = article(title)
    assert bare.language == language
    assert OutageClassifier(catalog, lexicon).classify(bare).is_outage
    said = OutageClassifier(catalog, lexicon, vetoing_all).classify(bare)
    assert said.is_outage is (language == "zh")


def test_a_model_file_and_its_spec_must_agree_on_ngrams(tmp_path: Path) -> None:
    *_, model = _fitted(tmp_path, "zh")
    path = tmp_path / "model_zh.json"
    with pytest.raises(ValueError, match="n-grams"):
        TextModel.load(TextModelSpec(path, (2, 4), 0))
    assert TextModel.load(TextModelSpec(path, model.ngrams, 0)) == model


def test_the_classifier_hands_a_model_traditional_chinese_in_simplified_script(
    tmp_path: Path,
) -> None:
    *_, model = _fitted(tmp_path, "zh")
    catalog, lexicon = EntityCatalog.load(), Lexicon.load()
    traditional = article("某雲服務當機 大量網站無法訪問", "多個網站數小時無法打開，用戶無法登錄。")
    assert traditional.language == "zh-Hant"
    simplified = article(in_simplified(traditional.title), in_simplified(traditional.text))
    assert simplified.title == "某云服务当机 大量网站无法访问"
    said = model.probability(simplified.title, simplified.text)
    assert said != model.probability(traditional.title, traditional.text)
    for veto_below, vetoed in ((said + 1e-9, True), (said - 1e-9, False)):
        at = TextModels({"zh": replace(model, veto_below=veto_below)})
        assert OutageClassifier(catalog, lexicon, at).classify(traditional).is_outage is not vetoed


@pytest.mark.parametrize("language", sorted(MODELS))
def test_the_shipped_models_load_and_read_what_they_were_trained_on(language: str) -> None:
    shipped = TextModels.load().by_language[language]
    assert shipped.ngrams == MODELS[language].ngrams and len(shipped.weights) > 1000
    raw = json.loads(MODELS[language].path.read_text(encoding="utf-8"))
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
    vetoed = OutageClassifier(catalog, lexicon, TextModels({"en": _sure(model)})).classify(
        follow_up
    )
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
