"""The CTranslate2 engine on tiny T5, mT5 and BART models converted in the test.

A float32 conversion generates token for token what transformers generates
from the same weights (so the conversion, the tied/untied lm_head and the
mapping of generation settings are right); the int8 conversion is what
``models pull`` makes and what the engine prefers on the CPU; the vocabulary
map restricts decoding only where the batch's languages allow, and changes no
output of the tiny models.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from bot.qa.model import Seq2SeqAnswerer
from bot.summarize.ct2 import (
    VMAP_FILE,
    Ct2Model,
    convert,
    ct2_folder,
    has_ct2,
    model_defaults,
    precision_label,
    read_map_candidates,
    write_vocabulary_as_text,
)
from bot.summarize.loading import is_quantized
from bot.summarize.options import EngineOptions
from bot.summarize.seq2seq import Seq2SeqSummarizer
from tests.summarize.tiny_models import (
    ARCHES,
    TINY_GENERATION,
    Arch,
    TinyModel,
    build_tiny_model,
    make_article,
    outage_corpus,
)

pytestmark = pytest.mark.usefixtures("no_network")  # tests/summarize/conftest.py

CORPUS = outage_corpus()
EN = [line for line in CORPUS if line.isascii()][2:]
ZH = [line for line in CORPUS if not line.isascii()]
TEXTS = ["summarize: " + EN[3], "summarize: " + ZH[5], "summarize: " + " ".join(EN[20:23])]
INT8 = EngineOptions(threads=1, quantize=True)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[Arch, TinyModel]:
    """One tiny model per architecture, converted to int8 as `models pull` does."""
    root = tmp_path_factory.mktemp("ct2")
    models = {arch: build_tiny_model(root, arch) for arch in ARCHES}
    for model in models.values():
        convert(model.folder)
    return models


def _transformers_ids(tiny: TinyModel, settings: dict[str, Any]) -> list[list[int]]:
    tokenizer = AutoTokenizer.from_pretrained(tiny.folder, local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny.folder, local_files_only=True).eval()
    inputs = tokenizer(TEXTS, padding=True, return_tensors="pt")
    with torch.inference_mode():
        output = model.generate(**inputs, **settings)
    special = set(tokenizer.all_special_ids)
    return [[int(i) for i in row if int(i) not in special] for row in output]


def _ct2_ids(
    model: Ct2Model, tiny: TinyModel, settings: dict[str, Any], languages: frozenset[str]
) -> list[list[int]]:
    return _generate(model, tiny, list(TEXTS), languages, settings)


# How many greedy tokens agree on these inputs: T5 all of them; BART all but the
# last (transformers lets it end at min_new_tokens, CTranslate2 one later); the
# tiny random mT5 has near-tied logits that the two runtimes' float32 sums order
# differently after two tokens. (At int8, on this machine, the CTranslate2 and
# torch engines wrote the same tiny-model summaries for all three.)
AGREE = {"t5": 8, "mt5": 2, "bart": 7}


@pytest.mark.parametrize("arch", ARCHES)
def test_a_float32_conversion_generates_what_transformers_does(
    arch: Arch, tiny: dict[Arch, TinyModel], tmp_path: Path
) -> None:
    model = tiny[arch]
    folder = convert(model.folder, target=tmp_path / "fp32", quantization="float32")
    tokenizer = AutoTokenizer.from_pretrained(model.folder, local_files_only=True)
    ct2 = Ct2Model(
        folder,
        tokenizer,
        threads=1,
        compute_type="float32",
        model_defaults=model_defaults(model.folder),
    )
    settings = {**TINY_GENERATION, "num_beams": 1, "min_new_tokens": 8, "max_new_tokens": 8}
    expected = _transformers_ids(model, settings)
    got = _ct2_ids(ct2, model, settings, frozenset())
    assert [row[: AGREE[arch]] for row in got] == [row[: AGREE[arch]] for row in expected]


@pytest.mark.parametrize("arch", ARCHES)
def test_the_int8_engine_is_chosen_when_converted_and_says_so(
    arch: Arch, tiny: dict[Arch, TinyModel]
) -> None:
    model = tiny[arch]
    assert has_ct2(model.folder) and precision_label(model.folder, quantize=True) == (
        "int8 ctranslate2"
    )
    engine = Seq2SeqSummarizer.load(model.preset, model.folder, INT8)
    assert isinstance(engine.model, Ct2Model) and engine.precision == "int8"
    articles = [make_article("en", EN[0:2], "en"), make_article("zh", ZH[0:2], "zh")]
    summaries = engine.summarize(articles)
    assert all(not s.fallback and s.text and s.precision == "int8" for s in summaries)
    # The transformers engine is another engine for the cache: other output is possible.
    torch_int8 = Seq2SeqSummarizer.load(
        model.preset, model.folder, EngineOptions(threads=1, quantize=True, backend="transformers")
    )
    assert is_quantized(torch_int8.model) and torch_int8.cache_key != engine.cache_key


def test_quantize_off_runs_transformers_fp32(tiny: dict[Arch, TinyModel]) -> None:
    model = tiny["mt5"]
    engine = Seq2SeqSummarizer.load(model.preset, model.folder, EngineOptions(threads=1))
    assert not isinstance(engine.model, Ct2Model) and engine.precision == "fp32"
    assert precision_label(model.folder, quantize=False) == "fp32"
    (summary,) = engine.summarize([make_article("en", EN[0:2], "en")])
    assert summary.precision == "fp32"


def test_a_damaged_conversion_falls_back_to_transformers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = build_tiny_model(tmp_path, "t5")
    ct2_folder(model.folder).mkdir()
    (ct2_folder(model.folder) / "model.bin").write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING):
        engine = Seq2SeqSummarizer.load(model.preset, model.folder, INT8)
    assert is_quantized(engine.model) and engine.precision == "int8"
    assert "using the transformers engine" in caplog.text
    (summary,) = engine.summarize([make_article("en", EN[0:2], "en")])
    assert not summary.fallback


def test_a_setting_without_an_equivalent_keeps_transformers(
    tiny: dict[Arch, TinyModel], caplog: pytest.LogCaptureFixture
) -> None:
    model = tiny["t5"]
    preset = model.preset.model_copy(
        update={"generation": {**TINY_GENERATION, "diversity_penalty": 0.5, "num_beam_groups": 1}}
    )
    with caplog.at_level(logging.WARNING):
        engine = Seq2SeqSummarizer.load(preset, model.folder, INT8)
    assert not isinstance(engine.model, Ct2Model)
    assert "diversity_penalty" in caplog.text


@pytest.mark.parametrize("arch", ["t5", "mt5"])
def test_the_vocabulary_map_changes_no_output_of_the_tiny_models(
    arch: Arch, tiny: dict[Arch, TinyModel]
) -> None:
    model = tiny[arch]
    engine = Seq2SeqSummarizer.load(model.preset, model.folder, INT8)
    assert isinstance(engine.model, Ct2Model)
    assert engine.model.vocabulary_languages == {"en", "zh"}
    settings = dict(TINY_GENERATION)
    mapped = _ct2_ids(engine.model, model, settings, frozenset({"en", "zh"}))
    whole = _ct2_ids(engine.model, model, settings, frozenset())
    assert mapped == whole


def test_the_vocabulary_map_keeps_names_numbers_and_latin_brand_names(
    tiny: dict[Arch, TinyModel],
) -> None:
    model = tiny["mt5"]
    tokenizer = AutoTokenizer.from_pretrained(model.folder, local_files_only=True)
    lines = (ct2_folder(model.folder) / VMAP_FILE).read_text("utf-8").splitlines()
    # One line, the fixed candidates: no per-piece rules for CTranslate2 to parse at load.
    assert len(lines) == 1 and lines[0].startswith("\t")
    candidates = set(lines[0][1:].split(" "))
    assert candidates == read_map_candidates(ct2_folder(model.folder))
    # Latin brand names, region names and digits inside Chinese text are fixed candidates.
    mixed = "阿里云 AWS us-east-1 华东1区 Cloudflare 故障 2 hours"
    pieces = set(tokenizer.tokenize(mixed)) - {tokenizer.unk_token}
    assert pieces <= candidates


def _narrow_map(model: TinyModel, folder: Path) -> tuple[Ct2Model, list[int]]:
    """The tiny T5 converted with a map of a handful of pieces, so restriction is visible.

    Returns the engine and an input written only in the map's pieces.
    """
    convert(model.folder, target=folder)
    tokenizer = AutoTokenizer.from_pretrained(model.folder, local_files_only=True)
    few = ["▁the", "▁in", "▁at", "s", "▁AWS", "▁1", tokenizer.eos_token]
    few = [piece for piece in few if tokenizer.convert_tokens_to_ids(piece) != 2]
    (folder / VMAP_FILE).write_text("\t" + " ".join(few) + "\n", encoding="utf-8")
    ids = [int(tokenizer.convert_tokens_to_ids(piece)) for piece in few[:-1]]
    return Ct2Model(folder, tokenizer, threads=1), ids * 4 + [tokenizer.eos_token_id]


def _generate(
    ct2: Ct2Model,
    tiny: TinyModel,
    inputs: list[str | list[int]],
    languages: frozenset[str],
    settings: dict[str, Any] = TINY_GENERATION,
) -> list[list[int]]:
    """Token ids generated for texts or ready token ids (padded here), specials left out."""
    tokenizer = AutoTokenizer.from_pretrained(tiny.folder, local_files_only=True)
    rows = [row if isinstance(row, list) else tokenizer(row)["input_ids"] for row in inputs]
    width = max(len(row) for row in rows)
    pad = tokenizer.pad_token_id
    output = ct2.generate(
        input_ids=torch.tensor([row + [pad] * (width - len(row)) for row in rows]),
        attention_mask=torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in rows]),
        languages=languages,
        **settings,
    )
    special = set(tokenizer.all_special_ids)
    return [[int(i) for i in row if int(i) not in special] for row in output]


def test_a_batch_outside_the_map_s_languages_decodes_over_everything(
    tiny: dict[Arch, TinyModel], tmp_path: Path
) -> None:
    model = tiny["t5"]
    ct2, only_fixed = _narrow_map(model, tmp_path / "narrow")
    allowed = set(only_fixed)
    for row in _generate(ct2, model, [only_fixed], frozenset({"en"})):
        assert set(row) <= allowed
    # Japanese is not a language of the map: the whole vocabulary, as with no map.
    assert _generate(ct2, model, [only_fixed], frozenset({"en", "ja"})) == _generate(
        ct2, model, [only_fixed], frozenset()
    )


def test_an_article_using_a_piece_outside_the_map_decodes_over_everything(
    tiny: dict[Arch, TinyModel], tmp_path: Path
) -> None:
    # The map takes nothing away from an article that it cannot write: such an
    # article decodes over the whole vocabulary, whatever else shares its batch.
    model = tiny["t5"]
    ct2, only_fixed = _narrow_map(model, tmp_path / "narrow")
    allowed = set(only_fixed)
    english = frozenset({"en"})
    mixed = _generate(ct2, model, [TEXTS[0], only_fixed, TEXTS[2]], english)
    whole = _generate(ct2, model, [TEXTS[0], TEXTS[2]], frozenset())
    assert [mixed[0], mixed[2]] == whole
    assert not set(mixed[0]) <= allowed  # the whole vocabulary was open to it
    assert set(mixed[1]) <= allowed  # its batch-mate stayed on the map
    assert mixed[1] == _generate(ct2, model, [only_fixed], english)[0]


def test_a_map_written_with_per_piece_rules_still_reads(
    tiny: dict[Arch, TinyModel], tmp_path: Path
) -> None:
    # Folders converted before the map lost its rules: same first line, rules unused.
    model = tiny["t5"]
    ct2, only_fixed = _narrow_map(model, tmp_path / "narrow")
    with (ct2.folder / VMAP_FILE).open("a", encoding="utf-8") as rules:
        rules.write("▁Zürich\t▁Zürich\n▁the\t▁the\n")
    reread = Ct2Model(ct2.folder, ct2._tokenizer, threads=1)
    assert reread.map_candidates == ct2.map_candidates
    assert _generate(reread, model, [only_fixed], frozenset({"en"})) == _generate(
        ct2, model, [only_fixed], frozenset({"en"})
    )


def test_the_vocabulary_is_written_as_text_unless_a_token_cannot_be_a_line(
    tiny: dict[Arch, TinyModel], tmp_path: Path
) -> None:
    folder = ct2_folder(tiny["mt5"].folder)
    assert (folder / "shared_vocabulary.txt").is_file()
    assert not (folder / "shared_vocabulary.json").exists()
    plain, broken = tmp_path / "plain", tmp_path / "broken"
    for where, tokens in ((plain, ["<pad>", "▁a", "", "b"]), (broken, ["<pad>", "a\nb"])):
        where.mkdir()
        (where / "shared_vocabulary.json").write_text(json.dumps(tokens), encoding="utf-8")
        write_vocabulary_as_text(where)
    assert (plain / "shared_vocabulary.txt").read_text("utf-8").split("\n")[:-1] == [
        "<pad>", "▁a", "", "b"
    ]  # fmt: skip
    assert not (plain / "shared_vocabulary.json").exists()
    assert (broken / "shared_vocabulary.json").is_file()
    assert not (broken / "shared_vocabulary.txt").exists()


def test_thread_qa_answers_on_the_ct2_model(tiny: dict[Arch, TinyModel]) -> None:
    model = tiny["mt5"]
    preset = model.preset.model_copy(
        update={
            "tasks": ("summarize", "answer"),
            "answer_prompt": "Question: {question} Context: {context}",
        }
    )
    engine = Seq2SeqSummarizer.load(preset, model.folder, INT8)
    assert isinstance(engine.model, Ct2Model)
    answerer = Seq2SeqAnswerer(engine)
    prompt = answerer.prompt("What broke?", [" ".join(EN[0:4])])
    (answer,) = answerer.complete([prompt], max_new_tokens=8)
    assert answer.strip()


def test_the_vocabulary_map_of_an_mt5_size_vocabulary_is_written_whole(tmp_path: Path) -> None:
    # mT5's 250,112 pieces: Latin and Chinese pieces (the map's candidates) and pieces of
    # other scripts (Thai here, left out). Writing the map must stay linear in the
    # vocabulary: `models pull` of the mT5 presets waits on it.
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    from bot.summarize.ct2 import write_vocabulary_map

    size = 250_112
    special = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    pieces = special + [(_piece_of_script(n), -10.0) for n in range(size - len(special))]
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=Tokenizer(models.Unigram(pieces, unk_id=2, byte_fallback=False)),
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
    )
    write_vocabulary_map(tokenizer, tmp_path)
    (fixed,) = (tmp_path / VMAP_FILE).read_text("utf-8").splitlines()
    candidates = set(fixed.split("\t")[1].split(" "))
    assert {"▁w0", "▁" + chr(0x4E01) + "1", "</s>"} <= candidates
    assert "▁" + chr(0x0E03) + "2" not in candidates
    latin_or_chinese = sum(1 for n in range(size - len(special)) if n % 3 != 2)
    assert len(candidates) == len(special) + latin_or_chinese


def _piece_of_script(n: int) -> str:
    """Latin, Chinese and Thai pieces in turn, each one distinct."""
    if n % 3 == 0:
        return f"▁w{n}"
    if n % 3 == 1:
        return "▁" + chr(0x4E00 + n % 20_000) + str(n)
    return "▁" + chr(0x0E01 + n % 40) + str(n)
