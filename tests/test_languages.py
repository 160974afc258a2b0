"""The language registry (bot/data/languages.toml): complete, and the one place to add one."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

from bot.languages import LANGUAGES, Languages


def test_every_language_says_everything_the_bot_says() -> None:
    keys = {frozenset(language.messages) for language in LANGUAGES}
    assert len(keys) == 1  # the same messages in each
    (messages,) = keys
    assert {"region", "unsaid_cause", "started_day", "no_model", "no_answer"} <= messages
    for language in LANGUAGES:
        # Every placeholder a message takes is one the code fills in.
        text = language.say("started_and_resolved", start="S", end="E", span="3 h")
        assert "S" in text and "E" in text and "3 h" in text


def test_tags_name_their_language_and_models_get_names() -> None:
    assert LANGUAGES.of("zh-Hant").code == "zh" and LANGUAGES.of("en-GB").code == "en"
    assert LANGUAGES.of("fr").code == "en"  # no table: the default's rules apply
    assert LANGUAGES.prompt_name("zh-hant") == "Traditional Chinese"
    assert LANGUAGES.prompt_name("zh") == "Chinese"
    assert LANGUAGES.prompt_name("ja") == "Japanese"  # not read, but a model may write it
    assert LANGUAGES.prompt_name("tlh") == "tlh"


def test_the_lexicon_has_word_lists_for_every_registered_language() -> None:
    lexicon = tomllib.loads((files("bot") / "data" / "lexicon.toml").read_text(encoding="utf-8"))
    for table in ("outage", "negative", "cause", "power", "follow_up", "aftermath"):
        for code in LANGUAGES.codes:
            assert lexicon[table].get(code), (table, code)


def test_a_new_language_is_a_table(tmp_path: Path) -> None:
    shipped = (files("bot") / "data" / "languages.toml").read_text(encoding="utf-8")
    extra = """
[fr]
name = "French"
tags = ["fr-ca"]
word_boundaries = true
separator = " "
summary_chars = 320
min_sentence_chars = 25
[fr.zone_words]
"heure de paris" = "Europe/Paris"
[fr.messages]
region = "Région : {x}."
"""
    path = tmp_path / "languages.toml"
    path.write_text(shipped.replace("[other_names]", extra + "\n[other_names]"), encoding="utf-8")
    languages = Languages.load(path)
    assert languages.of("fr-CA").code == "fr" and languages.prompt_name("fr") == "French"
    assert languages.of("fr").say("region", x="eu-west-3") == "Région : eu-west-3."
    assert languages.zone_words()["heure de paris"] == "Europe/Paris"
