"""The CLI as a new user meets it *with* model files: a pulled mt0-base folder.

The folder holds a tiny model of the mT5 architecture (mt0's) with a tokenizer
trained in the test, saved as `models pull` would lay it out; the CLI loads it
by the preset name and the real engine generates with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.summarize.revision import record_revision
from tests.cli import outage_bot
from tests.conftest import SAMPLES
from tests.summarize.tiny_models import build_tiny_model

PULLED = "0123456789abcdef0123456789abcdef01234567"
ARTICLE = str(SAMPLES / "articles" / "2026-11-20-aws-us-east-1-en.md")


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pulled")
    tiny = build_tiny_model(root, "mt5", name="mt0-base")
    record_revision(tiny.folder, PULLED)  # as `models pull` leaves it
    return root / "models"


def test_summarize_uses_the_pulled_model_and_says_so(
    cli_env: dict[str, str], models_dir: Path
) -> None:
    env = {**cli_env, "OUTAGE_BOT_MODELS_DIR": str(models_dir), "SUMMARIZER_MODEL": "mt0-base"}
    listed = outage_bot(env, "models", "list")
    mt0 = next(line for line in listed.stdout.splitlines() if line.startswith("mt0-base"))
    assert "present" in mt0 and "absent" not in mt0
    assert f"bigscience/mt0-base@{PULLED[:12]}" in mt0
    assert "int8 torch" in mt0  # int8 by default; not converted to CTranslate2 here
    result = outage_bot(env, "summarize", ARTICLE, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "[engine: mt0-base]" in result.stdout
    assert "models pull" not in result.stderr  # no fallback warning: the model loaded


def test_ask_answers_with_the_pulled_model(cli_env: dict[str, str], models_dir: Path) -> None:
    env = {**cli_env, "OUTAGE_BOT_MODELS_DIR": str(models_dir), "SUMMARIZER_MODEL": "mt0-base"}
    # Not a question the extracted facts answer (region, timing, services, status): the
    # model is asked.
    result = outage_bot(env, "ask", ARTICLE, "What did the DNS errors break?", timeout=300)
    assert result.returncode == 0, result.stderr
    # mt0-base's preset can answer, so its (tiny, seeded) model writes the answer; the
    # evidence it was given is quoted under it.
    assert "Evidence:" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Answered by the mt0-base model")


def test_demo_digest_names_the_model_that_wrote_each_summary(
    cli_env: dict[str, str], models_dir: Path
) -> None:
    env = {**cli_env, "OUTAGE_BOT_MODELS_DIR": str(models_dir), "SUMMARIZER_MODEL": "mt0-base"}
    result = outage_bot(env, "demo", timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("summary by mt0-base (int8)") == 4
    assert "model unavailable" not in result.stdout


def test_run_loads_the_model_while_it_polls_and_summarises_with_it(
    cli_env: dict[str, str], models_dir: Path, tmp_path: Path
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(f"[[sources]]\nname = 'articles'\npath = '{SAMPLES / 'articles'}'\n"
                      "[[channels]]\nid = '#ops'\n")  # fmt: skip
    env = {**cli_env, "OUTAGE_BOT_MODELS_DIR": str(models_dir), "SUMMARIZER_MODEL": "mt0-base",
           "OUTAGE_BOT_CONFIG": str(config)}  # fmt: skip
    result = outage_bot(env, "run", "--once", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "#ops: delivered 2" in result.stderr
    assert result.stdout.count("summary by mt0-base (int8)") == 2  # the terminal digest
    status = outage_bot(env, "status", "--json")
    assert '"model": "mt0-base"' in status.stdout  # set once the model had loaded


def test_run_with_an_unknown_model_stops_before_reading_any_source(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(f"[[sources]]\nname = 'articles'\npath = '{SAMPLES / 'articles'}'\n")
    env = {**cli_env, "SUMMARIZER_MODEL": "mt0-bsae", "OUTAGE_BOT_CONFIG": str(config)}
    result = outage_bot(env, "run", "--once")
    assert result.returncode == 2 and "SUMMARIZER_MODEL" in result.stderr
    assert "Traceback" not in result.stderr
    # Checked before the model loads in the background: nothing was read or reported.
    assert "none has reported" in outage_bot(env, "status").stdout
