"""The commit `models pull` recorded in a model folder names the loaded weights."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.summarize.options import EngineOptions
from bot.summarize.revision import REVISION_FILE, record_revision, recorded_revision
from bot.summarize.seq2seq import Seq2SeqSummarizer
from tests.summarize.tiny_models import TinyModel, build_tiny_model

PULLED = "0123456789abcdef0123456789abcdef01234567"
PINNED = "fedcba9876543210fedcba9876543210fedcba98"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> TinyModel:
    return build_tiny_model(tmp_path_factory.mktemp("revision"), "t5")


def test_only_a_commit_id_counts_as_recorded(tmp_path: Path) -> None:
    assert recorded_revision(tmp_path) is None
    (tmp_path / REVISION_FILE).write_text("main\n")
    assert recorded_revision(tmp_path) is None
    record_revision(tmp_path, PULLED)
    assert recorded_revision(tmp_path) == PULLED
    with pytest.raises(ValueError, match="not a commit id"):
        record_revision(tmp_path, "main")


def test_the_recorded_commit_is_in_the_cache_key(
    tiny: TinyModel, caplog: pytest.LogCaptureFixture
) -> None:
    options = EngineOptions(threads=1)
    unrecorded = Seq2SeqSummarizer.load(tiny.preset, tiny.folder, options)
    assert unrecorded.cache_key.startswith(f"{tiny.name}@test:")
    record_revision(tiny.folder, PULLED)
    try:
        with caplog.at_level(logging.WARNING):
            pulled = Seq2SeqSummarizer.load(tiny.preset, tiny.folder, options)
        assert pulled.cache_key.startswith(f"{tiny.name}@{PULLED}:")
        assert pulled.preset.revision == PULLED
        assert not caplog.records  # "test" is not a pinned commit: nothing to disagree with
        # A preset pinned to another commit still loads what is there, and says so.
        pinned = tiny.preset.model_copy(update={"revision": PINNED})
        with caplog.at_level(logging.WARNING):
            mismatch = Seq2SeqSummarizer.load(pinned, tiny.folder, options)
        assert mismatch.cache_key.startswith(f"{tiny.name}@{PULLED}:")
        (warning,) = caplog.records
        assert "pins fedcba987654" in warning.getMessage()
        assert f"outage-bot models pull {tiny.name}" in warning.getMessage()
    finally:
        (tiny.folder / REVISION_FILE).unlink()
