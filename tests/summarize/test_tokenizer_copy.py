"""The conversion's copy of the tokenizer: loaded in one parse, behaving as the original.

Real mT5/mT0 folders name ``T5Tokenizer`` in tokenizer_config.json, a class that
rebuilds its pipeline at every load; the tiny mT5 here is given that class so
the copy has something to get right.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from transformers import AutoTokenizer, TokenizersBackend

from bot.summarize.ct2 import convert, ct2_folder
from bot.summarize.options import EngineOptions
from bot.summarize.seq2seq import Seq2SeqSummarizer
from bot.summarize.tokenizer_copy import (
    TOKENIZER_COPY,
    first_difference,
    load_tokenizer_copy,
    write_tokenizer_copy,
)
from tests.summarize.tiny_models import TinyModel, build_tiny_model, make_article, outage_corpus

pytestmark = pytest.mark.usefixtures("no_network")  # tests/summarize/conftest.py

INT8 = EngineOptions(threads=1, quantize=True)
CORPUS = outage_corpus()
ARTICLES = [
    make_article("en", [line for line in CORPUS if line.isascii()][3:5], "en"),
    make_article("zh", [line for line in CORPUS if not line.isascii()][2:4], "zh"),
]


def _as_t5_tokenizer_class(model: TinyModel) -> None:
    config_path = model.folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["tokenizer_class"] = "T5Tokenizer"
    config_path.write_text(json.dumps(config), encoding="utf-8")


@pytest.fixture(scope="module")
def mt5(tmp_path_factory: pytest.TempPathFactory) -> TinyModel:
    model = build_tiny_model(tmp_path_factory.mktemp("copy"), "mt5")
    _as_t5_tokenizer_class(model)
    convert(model.folder)
    return model


def _copy_folder(model: TinyModel) -> Path:
    return ct2_folder(model.folder) / TOKENIZER_COPY


def test_the_copy_behaves_as_the_tokenizer_transformers_builds(mt5: TinyModel) -> None:
    original = AutoTokenizer.from_pretrained(mt5.folder, local_files_only=True)
    assert type(original).__name__ == "T5Tokenizer"
    copy = load_tokenizer_copy(_copy_folder(mt5))
    assert isinstance(copy, TokenizersBackend) and type(copy).__name__ != "T5Tokenizer"
    assert first_difference(original, copy) is None
    # Why the copy is the tokenizer as loaded and not the checkpoint's own file:
    # read through the generic class, that file tokenises otherwise.
    raw = TokenizersBackend.from_pretrained(str(mt5.folder), local_files_only=True)
    assert first_difference(original, raw) is not None


def test_the_engine_loads_the_copy_and_summarises_as_without_it(tmp_path: Path) -> None:
    model = build_tiny_model(tmp_path, "mt5")
    _as_t5_tokenizer_class(model)
    convert(model.folder)
    with_copy = Seq2SeqSummarizer.load(model.preset, model.folder, INT8)
    assert type(with_copy.tokenizer).__name__ == "TokenizersBackend"
    got = [s.text for s in with_copy.summarize(ARTICLES)]
    # The same conversion without its copy: the model folder's tokenizer.
    for path in sorted(_copy_folder(model).iterdir()):
        path.unlink()
    without = Seq2SeqSummarizer.load(model.preset, model.folder, INT8)
    assert type(without.tokenizer).__name__ == "T5Tokenizer"
    assert got == [s.text for s in without.summarize(ARTICLES)]
    assert all(got)


def test_a_damaged_copy_costs_a_warning_and_the_model_s_own_tokenizer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = build_tiny_model(tmp_path, "t5")
    convert(model.folder)
    (_copy_folder(model) / "tokenizer.json").write_text('{"model": {"type": "Unig', "utf-8")
    with caplog.at_level(logging.WARNING):
        engine = Seq2SeqSummarizer.load(model.preset, model.folder, INT8)
    assert "the tokenizer copy cannot be read" in caplog.text
    assert "CTranslate2" not in caplog.text  # still the CTranslate2 engine
    summaries = engine.summarize(ARTICLES[:1])
    assert summaries[0].text and not summaries[0].fallback


class _ShoutingTokenizer(TokenizersBackend):
    """A tokenizer with behaviour in Python code, which a saved copy cannot carry."""

    def decode(self, *args: Any, **kwargs: Any) -> Any:
        text = super().decode(*args, **kwargs)
        return text.upper() if isinstance(text, str) else text


def test_a_copy_that_would_behave_otherwise_is_not_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = build_tiny_model(tmp_path, "t5")
    shouting = _ShoutingTokenizer.from_pretrained(str(model.folder), local_files_only=True)
    target = tmp_path / "copy"
    with caplog.at_level(logging.INFO):
        assert write_tokenizer_copy(shouting, target) is False
    assert not target.exists()
    assert "decoding of" in caplog.text
    # The plain tokenizer of the same folder copies fine.
    plain = AutoTokenizer.from_pretrained(model.folder, local_files_only=True)
    assert write_tokenizer_copy(plain, target) is True
    assert load_tokenizer_copy(target) is not None


def test_no_copy_means_none_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert load_tokenizer_copy(tmp_path / "absent") is None
    assert caplog.text == ""
