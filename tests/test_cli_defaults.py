"""Defaults a user expects: incidents that exist, sources that were read, a digest that explains
itself, previews for Block Kit Builder, progress as sources finish, and a wheel that works."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import outage_bot
from tests.conftest import REPO, SAMPLES


def test_incidents_without_since_finds_the_sample_incidents(cli_env: dict[str, str]) -> None:
    assert outage_bot(cli_env, "ingest", str(SAMPLES / "articles")).returncode == 0
    # The samples are dated weeks back: a fixed 7-day default would show nothing.
    result = outage_bot(cli_env, "incidents", "--json")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) >= 1
    narrow = outage_bot(cli_env, "incidents", "--since", "24h")
    assert "No incidents in the last 24h." in narrow.stdout
    assert "older (--since all shows them)" in narrow.stderr


def test_sources_records_path_sources(cli_env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(f"[[sources]]\nname = 'samples'\npath = '{SAMPLES / 'articles'}'\n")
    env = {**cli_env, "OUTAGE_BOT_CONFIG": str(config), "SUMMARIZER_MODEL": "extractive"}
    assert outage_bot(env, "clock", "--once").returncode == 0
    listed = outage_bot(env, "sources")
    assert "last success: never" not in listed.stdout and "new then: 4" in listed.stdout


def test_digest_dry_run_explains_why_it_is_empty(cli_env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "bot.toml"
    config.write_text("[[channels]]\nid = '#ops'\nfilters = { providers = ['gcp'] }\n")
    env = {**cli_env, "OUTAGE_BOT_CONFIG": str(config), "SUMMARIZER_MODEL": "extractive"}
    empty = outage_bot(env, "digest", "--dry-run")
    assert "no incidents are stored yet" in empty.stderr
    outage_bot(env, "ingest", str(SAMPLES / "articles"))
    unwanted = outage_bot(env, "digest", "--dry-run")
    assert "nothing is pending for #ops" in unwanted.stderr
    assert "not wanted by its filters {'providers': ('gcp',)}" in unwanted.stderr


def test_digest_blocks_writes_builder_files_and_full_payloads(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**cli_env, "SUMMARIZER_MODEL": "extractive"}
    config = tmp_path / "bot.toml"
    config.write_text("[[channels]]\nid = '#ops'\n")
    env["OUTAGE_BOT_CONFIG"] = str(config)
    outage_bot(env, "ingest", str(SAMPLES / "articles"))
    result = outage_bot(env, "digest", "--dry-run", "--blocks", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    builder = sorted((tmp_path / "out").glob("*-ops.json"))
    payloads = sorted((tmp_path / "out").glob("*.payload.json"))
    assert len(builder) == len(payloads) >= 2  # the header and at least one incident
    first = json.loads(builder[0].read_text())
    assert list(first) == ["blocks"] and first["blocks"][0]["type"] == "header"
    sent = json.loads(payloads[1].read_text())
    assert sent["channel"] == "#ops" and sent["unfurl_links"] is False
    assert sent["unfurl_media"] is False and sent["metadata"]["event_type"]
    assert "block-kit-builder" in result.stderr


def test_ingest_prints_a_line_per_source_as_it_finishes(cli_env: dict[str, str]) -> None:
    result = outage_bot(cli_env, "ingest", str(SAMPLES / "articles"),
                        str(SAMPLES / "feeds" / "status-news.xml"))  # fmt: skip
    lines = [line for line in result.stderr.splitlines() if "read," in line]
    assert len(lines) == 2 and "4 read, 4 new" in lines[0]
    assert "[#" not in result.stderr  # not a terminal: no progress bar


def test_the_progress_bar_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli.output import SourceProgress
    from bot.intake.reading import SourceReport

    progress = SourceProgress(2, tty=True)
    progress(SourceReport("a", entries=3, new=1))
    progress(SourceReport("b", entries=2, new=2))
    err = capsys.readouterr().err
    assert "1/2 sources" in err and "[" + "#" * 30 + "] 2/2 sources\n" in err


@pytest.mark.timeout(600)
def test_the_built_wheel_carries_its_data_and_runs(tmp_path: Path) -> None:
    """Slow-ish (~30 s): build the wheel, install it alone, run it from there."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path / "dist"), str(REPO)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("outage_bot-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert (target / "bot" / "data" / "presets.toml").exists()
    # Only the wheel's copy of `bot` (dependencies come from this venv); run outside the
    # checkout so nothing falls back to the repository's files.
    env = {"PYTHONPATH": str(target), "HOME": str(tmp_path), "HF_HUB_OFFLINE": "1",
           "OUTAGE_BOT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}  # fmt: skip
    probe = "import bot, sys; print(bot.__file__); sys.argv[0] = 'outage-bot'; "
    for args in (["--version"], ["models", "list"]):
        run = subprocess.run(
            [sys.executable, "-c", probe + f"from bot.cli.main import main; main({args!r})"],
            cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert run.stdout.splitlines()[0].startswith(str(target))
    assert "mt0-base" in run.stdout and str(REPO) not in run.stdout  # models/ not the checkout's
    demo = subprocess.run(
        [sys.executable, "-c", probe + "from bot.cli.main import main; main(['demo'])"],
        cwd=tmp_path, env={**env, "SUMMARIZER_MODEL": "extractive"},
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    assert "4 incidents with news" in demo.stdout


def test_summarising_a_feed_prints_each_batch_with_a_bar_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli.output import ProgressBar

    progress = ProgressBar(20, "articles", tty=True)
    for done in (8, 8, 4):
        progress.advance(done, lambda n=done: print(f"{n} summaries"))
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["8 summaries", "8 summaries", "4 summaries"]
    assert "8/20 articles" in captured.err and "16/20 articles" in captured.err
    assert captured.err.endswith("[" + "#" * 30 + "] 20/20 articles\n")
    plain = ProgressBar(20, "articles", tty=False)  # a log or a pipe: the lines only
    plain.advance(20, lambda: print("all"))
    assert capsys.readouterr().err == ""
