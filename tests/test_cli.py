"""``outage-bot`` as a user runs it: a real Redis, no tracebacks.

Commands run in this process (``tests.cli.outage_bot``) unless starting a
process is what is tested: ``python -m bot`` itself, and the embedded Redis
that saves its state when the process exits.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import outage_bot, outage_bot_process
from tests.conftest import SAMPLES


def test_demo_prints_a_digest_then_says_nothing_is_new(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "blocks.json"
    first = outage_bot_process(cli_env, "demo", "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "Outage digest for #outage-demo: 4 incidents with news" in first.stdout
    assert "AWS US-EAST-1 trouble knocks Disney+" in first.stdout
    assert "亚马逊云美国东部1区突发故障" in first.stdout
    payload = json.loads(out.read_text())
    assert payload[0]["channel"] == "#outage-demo"
    assert payload[0]["blocks"][0]["type"] == "header"
    second = outage_bot(cli_env, "demo", "--out", str(out))
    assert second.returncode == 0, second.stderr
    assert "Nothing new" in second.stdout
    assert "■" not in second.stdout
    third = outage_bot(cli_env, "demo", "--reset", "--out", str(out))
    assert "4 incidents with news" in third.stdout


def test_demo_state_survives_restarts_of_the_embedded_redis(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {k: v for k, v in cli_env.items() if k != "REDIS_URL"}
    env["OUTAGE_BOT_DATA_DIR"] = str(tmp_path / "embedded")
    first = outage_bot_process(env, "demo")
    assert first.returncode == 0, first.stderr
    assert "4 incidents with news" in first.stdout
    assert (tmp_path / "embedded" / "redis.db").exists()  # saved when the process exited
    second = outage_bot_process(env, "demo")
    assert second.returncode == 0, second.stderr
    assert "Nothing new" in second.stdout


def test_unreachable_redis_is_one_clear_line(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = outage_bot(env, "demo")
    assert result.returncode == 1
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in result.stderr
    assert "REDIS_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_redis_password_is_never_printed(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "REDIS_URL": "redis://user:hunter2@127.0.0.1:1/0"}
    result = outage_bot(env, "demo")
    assert result.returncode == 1
    assert "hunter2" not in result.stderr and "user:***@127.0.0.1:1" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[[sources]\nname = 'x'", "not valid TOML"),
        ("[[channels]]\nid = '#ops'\ntimezone = 'Mars/Olympus'\n", "channels[0].timezone"),
        ("[[channels]]\nid = '#ops'\nschedule = 'every day'\n", "channels[0].schedule"),
        ("[[sources]]\nname = 'x'\npath = 'a.xml'\nurl = 'https://e.com/f'\n", "sources[0]"),
        ("colour = 'blue'\n", "colour: unknown key"),
    ],
)
def test_a_broken_config_is_reported_with_its_place(
    cli_env: dict[str, str], tmp_path: Path, content: str, expected: str
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(content)
    env = {**cli_env, "OUTAGE_BOT_CONFIG": str(config)}
    for command in (["config", "check"], ["demo"]):
        result = outage_bot(env, *command)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert str(config) in result.stderr and expected in result.stderr
        assert "Traceback" not in result.stderr


def test_config_check_lists_every_problem_and_passes_a_good_file(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(
        "[[sources]]\nname = 'gone'\npath = 'nowhere.xml'\n"
        "[[channels]]\nid = 'ops'\ntimezone = 'UTC'\n"
    )
    result = outage_bot({**cli_env, "OUTAGE_BOT_CONFIG": str(config)}, "config", "check")
    assert result.returncode == 2
    assert "channels[0].id" in result.stderr

    config.write_text(
        f"[[sources]]\nname = 'samples'\npath = '{SAMPLES / 'articles'}'\n"
        "[[channels]]\nid = '#ops'\nschedule = '0 9 * * 1-5'\ntimezone = 'Asia/Shanghai'\n"
    )
    good = outage_bot({**cli_env, "OUTAGE_BOT_CONFIG": str(config)}, "config", "check")
    assert good.returncode == 0, good.stderr
    assert "1 source(s), 1 channel(s)" in good.stdout


def test_missing_config_file_and_bad_environment(cli_env: dict[str, str], tmp_path: Path) -> None:
    missing = outage_bot({**cli_env, "OUTAGE_BOT_CONFIG": str(tmp_path / "no.toml")}, "demo")
    assert missing.returncode == 2 and "file not found" in missing.stderr
    bad_env = outage_bot({**cli_env, "SLACK_API_URL": "slack.com/api"}, "config", "check")
    assert bad_env.returncode == 2
    assert "environment: SLACK_API_URL" in bad_env.stderr
    assert "Traceback" not in missing.stderr + bad_env.stderr


def test_ingest_json_prints_new_articles_once(cli_env: dict[str, str]) -> None:
    result = outage_bot(cli_env, "ingest", str(SAMPLES / "articles"), "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4
    zh = next(r for r in rows if r["language"] == "zh" and "亚马逊" in r["title"])
    assert zh["published"] == "2026-11-20T18:05:00Z"
    assert zh["url"].startswith("https://") and "美国东部1区" in zh["text"]
    again = outage_bot(cli_env, "ingest", str(SAMPLES / "articles"), "--json")
    assert again.stdout == ""
    assert "4 read, 0 new" in again.stderr


def test_ingest_json_says_where_the_date_came_from_and_keeps_the_path(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    shapes = tmp_path / "inbox"
    shapes.mkdir()
    (shapes / "2022-02-02-git-outage.md").write_text(
        "# Git host outage stops pushes\n\nPushes and clones failed worldwide for an hour.\n"
    )
    (shapes / "post-mortem.txt").write_text(
        "Summary of the queue event\n\nThe queue stalled after a consumer deploy.\n"
    )
    (shapes / "capture.md").write_text(
        "---\ntitle: [Update] CDN outage takes sites down\nurl: https://news.example.test/cdn\n"
        "date: 2024-07-19\n---\n\n* [Home](https://news.example.test/)\n* [News](/news)\n"
    )
    result = outage_bot(cli_env, "ingest", str(shapes), "--json")
    assert result.returncode == 0, result.stderr
    rows = {Path(r["path"]).name: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(rows) == {"2022-02-02-git-outage.md", "post-mortem.txt", "capture.md"}
    dated = rows["2022-02-02-git-outage.md"]
    assert (dated["published"], dated["published_from"]) == ("2022-02-02T00:00:00Z", "path")
    assert dated["title"] == "Git host outage stops pushes"
    assert rows["post-mortem.txt"]["published_from"] == "undated"
    capture = rows["capture.md"]
    assert capture["url"] == "https://news.example.test/cdn"
    assert capture["path"] == str(shapes / "capture.md")
    assert (capture["title"], capture["title_only"], capture["text"]) == (
        "[Update] CDN outage takes sites down",
        True,
        "",
    )
    assert "front matter is not valid YAML" in result.stderr


def test_two_concurrent_ingests_print_each_article_once(cli_env: dict[str, str]) -> None:
    args = [sys.executable, "-m", "bot", "ingest", str(SAMPLES / "articles"),
            str(SAMPLES / "feeds"), "--json"]  # fmt: skip
    procs = [
        subprocess.Popen(
            args, env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    urls = [json.loads(line)["url"] for out in outputs for line in out.splitlines()]
    assert len(urls) == 7 and len(set(urls)) == 7


def test_ingest_exits_non_zero_only_when_every_source_failed(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"\x00\x01 not a feed")
    all_bad = outage_bot(cli_env, "ingest", str(junk), str(tmp_path / "absent.md"))
    assert all_bad.returncode == 1
    assert "FAILED" in all_bad.stderr and "Traceback" not in all_bad.stderr
    mixed = outage_bot(cli_env, "ingest", str(junk), str(SAMPLES / "feeds"))
    assert mixed.returncode == 0


def test_summarize_prints_the_engine(cli_env: dict[str, str], tmp_path: Path) -> None:
    article = str(SAMPLES / "articles" / "2026-11-20-aws-us-east-1-en.md")
    chosen = outage_bot({**cli_env, "SUMMARIZER_MODEL": "extractive"}, "summarize", article)
    assert chosen.returncode == 0, chosen.stderr
    assert "US-EAST-1" in chosen.stdout and "[engine: extractive]" in chosen.stdout
    # The default model is not downloaded here: one warning with the fix, marked fallback.
    env = {**cli_env, "OUTAGE_BOT_MODELS_DIR": str(tmp_path / "models")}
    fallback = outage_bot(env, "summarize", article)
    assert fallback.returncode == 0, fallback.stderr
    assert "[engine: extractive, fallback]" in fallback.stdout
    assert fallback.stderr.count("outage-bot models pull mt0-base") == 1


def test_models_list_and_an_offline_pull(cli_env: dict[str, str], tmp_path: Path) -> None:
    env = {**cli_env, "OUTAGE_BOT_MODELS_DIR": str(tmp_path / "models"), "HF_HUB_OFFLINE": "1"}
    listed = outage_bot(env, "models", "list")
    assert listed.returncode == 0, listed.stderr
    assert "mt0-base" in listed.stdout and "[default, in use]" in listed.stdout
    xlsum = next(line for line in listed.stdout.splitlines() if line.startswith("xlsum"))
    assert "NON-COMMERCIAL" in xlsum and "absent" in xlsum
    pulled = outage_bot(env, "models", "pull", "flan-t5-base")
    assert pulled.returncode == 1 and "could not download google/flan-t5-base" in pulled.stderr
    assert "Traceback" not in pulled.stderr
    unknown = outage_bot(env, "models", "pull", "gpt-9")
    assert unknown.returncode == 2 and "unknown preset" in unknown.stderr


def test_incidents_json_says_whether_the_provider_confirmed(cli_env: dict[str, str]) -> None:
    status = Path(__file__).parent / "fixtures" / "status" / "aws_data.json"
    ingested = outage_bot(cli_env, "ingest", str(SAMPLES / "articles"), str(status))
    assert ingested.returncode == 0, ingested.stderr
    result = outage_bot(cli_env, "incidents", "--since", "all", "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    labels = {r["confirmation"] for r in rows}
    assert "news only" in labels  # the sample news of 2026-11-20: no status page joined
    assert labels <= {"news only", "resolved", "confirmed by AWS status",
                      "resolved, confirmed by AWS status"}  # fmt: skip
    official = [r for r in rows if "confirmed by AWS status" in r["confirmation"]]
    assert official and all(any(a["official"] for a in r["articles"]) for r in official)
    for row in rows:
        assert ("confirmed" in row["confirmation"]) == any(a["official"] for a in row["articles"])
        assert row["confirmation"].startswith("resolved") == (
            row["status"] in ("resolved", "postmortem")
        )
    listed = outage_bot(cli_env, "incidents", "--since", "all")
    assert "[news only]" in listed.stdout
