"""Model presets: the shipped models/presets.toml and the errors bad files produce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.summarize.presets import DEFAULT_PRESET, PRESETS_FILE, Preset, load_presets

GOOD = """\
[tiny]
hub_id = "example/tiny"
revision = "0123abcd"
license = "Apache-2.0"
languages = ["en"]
tasks = ["summarize"]
prompt = "summarize: {text}"
max_input_tokens = 128
generation = { num_beams = 2, max_new_tokens = 40, length_penalty = 1.5, early_stopping = true }
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "presets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_presets_load() -> None:
    presets = load_presets()
    assert Path(__file__).resolve().parents[2] / "bot" / "data" / "presets.toml" == PRESETS_FILE
    assert {"mt0-base", "xlsum", "crosssum-zh-en", "distilbart-cnn", "flan-t5-base"} <= set(presets)
    for name, preset in presets.items():
        assert preset.name == name
        assert "{text}" in preset.prompt
        assert preset.prompt.format(text="X", language="English").count("X") == 1


def test_the_default_preset_is_permissive() -> None:
    default = load_presets()[DEFAULT_PRESET]
    assert DEFAULT_PRESET == "mt0-base"
    assert default.license == "Apache-2.0" and not default.non_commercial


def test_xlsum_and_crosssum_are_non_commercial() -> None:
    presets = load_presets()
    assert {name for name, p in presets.items() if p.non_commercial} == {"xlsum", "crosssum-zh-en"}


def test_crosssum_writes_english_whatever_it_reads() -> None:
    presets = load_presets()
    assert presets["crosssum-zh-en"].cross_lingual_target == "en"
    assert presets["xlsum"].cross_lingual_target is None
    assert presets["mt0-base"].cross_lingual_target is None


def test_generation_values_keep_their_types(tmp_path: Path) -> None:
    preset = load_presets(_write(tmp_path, GOOD))["tiny"]
    assert preset.generation == {
        "num_beams": 2, "max_new_tokens": 40, "length_penalty": 1.5, "early_stopping": True,
    }  # fmt: skip
    assert type(preset.generation["early_stopping"]) is bool
    assert type(preset.generation["num_beams"]) is int
    assert preset.languages == ("en",) and preset.tasks == ("summarize",)


def test_presets_are_frozen(tmp_path: Path) -> None:
    preset = load_presets(_write(tmp_path, GOOD))["tiny"]
    with pytest.raises(ValueError, match="frozen"):
        preset.revision = "main"  # type: ignore[misc]


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "\n[broken\n")
    with pytest.raises(ValueError, match="invalid TOML") as caught:
        load_presets(path)
    assert str(path) in str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ValueError, match="not found") as caught:
        load_presets(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("replace", "by", "key"),
    [
        ("max_input_tokens = 128", 'max_input_tokens = "many"', "tiny.max_input_tokens"),
        ('prompt = "summarize: {text}"', 'prompt = "summarize:"', "tiny.prompt"),
        ('prompt = "summarize: {text}"', 'prompt = "{text} in {lang}"', "tiny.prompt"),
        ('prompt = "summarize: {text}"', 'prompt = "{text"', "tiny.prompt"),
        ('languages = ["en"]', 'languages = ["multilingual->"]', "tiny.languages"),
        ('languages = ["en"]', "languages = []", "tiny.languages"),
        ('hub_id = "example/tiny"\n', "", "tiny.hub_id"),
        ("num_beams = 2", "num_beams = [2, 4]", "tiny.generation.num_beams"),
        ('license = "Apache-2.0"', 'license = "MIT"\nlicence = "MIT"', "tiny.licence"),
    ],
)
def test_bad_fields_name_the_file_and_the_key(
    tmp_path: Path, replace: str, by: str, key: str
) -> None:
    assert replace in GOOD
    path = _write(tmp_path, GOOD.replace(replace, by))
    with pytest.raises(ValueError, match=re.escape(key)) as caught:
        load_presets(path)
    assert str(path) in str(caught.value)
    assert key in str(caught.value)


def test_a_value_where_a_table_belongs_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, 'stray = "value"\n' + GOOD)
    with pytest.raises(ValueError, match="stray") as caught:
        load_presets(path)
    assert str(path) in str(caught.value)


def test_a_name_key_cannot_rename_the_preset(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("[tiny]\n", '[tiny]\nname = "other"\n'))
    with pytest.raises(ValueError, match="tiny") as caught:
        load_presets(path)
    assert str(path) in str(caught.value)


def test_takes_language_reads_the_prompt() -> None:
    base = load_presets()[DEFAULT_PRESET]
    assert base.takes_language
    assert not base.model_copy(update={"prompt": "{text}"}).takes_language
    assert isinstance(base, Preset)


# -- thread Q&A: answer_prompt ----------------------------------------------------------------

ANSWERING = GOOD.replace(
    'tasks = ["summarize"]\n',
    'tasks = ["summarize", "answer"]\n'
    'answer_prompt = "Context: {context}\\nQuestion: {question}\\nAnswer in {language}:"\n',
)


def test_the_shipped_answering_presets_have_an_answer_prompt() -> None:
    presets = load_presets()
    answering = {name for name, preset in presets.items() if preset.answers}
    assert answering == {"mt0-base", "flan-t5-base"}
    for name in answering:
        prompt = presets[name].answer_prompt
        assert prompt is not None
        filled = prompt.format(question="QQ", context="CC", language="English")
        assert filled.count("QQ") == 1 and filled.count("CC") == 1
    for name in set(presets) - answering:
        assert "answer" not in presets[name].tasks and presets[name].answer_prompt is None


def test_an_answer_prompt_loads(tmp_path: Path) -> None:
    preset = load_presets(_write(tmp_path, ANSWERING))["tiny"]
    assert preset.answers
    assert preset.answer_prompt == "Context: {context}\nQuestion: {question}\nAnswer in {language}:"


@pytest.mark.parametrize(
    ("replace", "by", "problem"),
    [
        ("answer_prompt = ", "# answer_prompt = ", "set answer_prompt"),
        ('tasks = ["summarize", "answer"]', 'tasks = ["summarize"]', 'add "answer" to tasks'),
        (
            "Context: {context}",
            "Context:",
            "tiny.answer_prompt: Value error, must contain {context}",
        ),
        (
            "Question: {question}",
            "Question:",
            "tiny.answer_prompt: Value error, must contain {question}",
        ),
        ("in {language}", "in {lang}", "tiny.answer_prompt: Value error, unknown placeholder"),
        ("{context}", "{context", "tiny.answer_prompt: Value error, not a valid format string"),
    ],
)
def test_a_bad_answer_prompt_is_named(tmp_path: Path, replace: str, by: str, problem: str) -> None:
    assert replace in ANSWERING
    path = _write(tmp_path, ANSWERING.replace(replace, by, 1))
    with pytest.raises(ValueError, match="tiny") as caught:
        load_presets(path)
    assert str(path) in str(caught.value) and "tiny" in str(caught.value)
    assert problem in str(caught.value)
