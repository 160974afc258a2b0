"""Command-line manners: usage errors, --version, help, .env and what `config check` catches.

Run against the pinned typer (which vendors its own click), in this process and
as a real process, so a traceback from an exception class we failed to catch shows.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest

from tests.cli import outage_bot, outage_bot_process
from tests.conftest import RedisServer


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["foo"], "No such command 'foo'"),
        (["--bogus"], "No such option: --bogus"),
        (["ingest"], "Missing argument 'SOURCE'"),
        (["ingest", "--nope", "x"], "No such option: --nope"),
        (["run", "--interval", "soon"], "Invalid value for '--interval'"),
        (["models"], ""),  # a group without a command shows its help
    ],
)
def test_usage_errors_are_one_line_and_a_hint_with_exit_2(
    cli_env: dict[str, str], args: list[str], says: str
) -> None:
    result = outage_bot(cli_env, *args)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr + result.stdout
    if says:
        lines = result.stderr.splitlines()
        assert lines[0].startswith("outage-bot: error: ") and says in lines[0]
        assert lines[1].startswith("Try 'outage-bot") and lines[1].endswith("--help' for help.")
        assert len(lines) == 2


def test_usage_errors_from_a_real_process_print_no_traceback(cli_env: dict[str, str]) -> None:
    for args in (["foo"], ["--bogus"], ["ingest"]):
        result = outage_bot_process(cli_env, *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr


def test_version_comes_from_the_package_metadata(cli_env: dict[str, str]) -> None:
    result = outage_bot_process(cli_env, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"outage-bot {version('outage-bot')}"


def test_help_shows_no_type_placeholders(cli_env: dict[str, str]) -> None:
    for command in ([], ["run"], ["ingest"], ["worker"], ["serve"], ["digest"], ["status"]):
        result = outage_bot(cli_env, *command, "--help")
        assert result.returncode == 0, result
        assert "<bool>" not in result.stdout and "<int" not in result.stdout, result.stdout


def test_dotenv_is_read_and_the_environment_wins(
    cli_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "SLACK_BOT_TOKEN=xapp-1-from-dotenv\nSUMMARIZER_MODEL=extractive\n"
    )
    from_file = outage_bot(cli_env, "config", "check")
    assert from_file.returncode == 2
    assert "SLACK_BOT_TOKEN: is an app-level token" in from_file.stderr
    assert "from-dotenv" not in from_file.stderr  # a secret is never echoed
    overridden = outage_bot({**cli_env, "SLACK_BOT_TOKEN": "xoxb-from-env"}, "config", "check")
    assert overridden.returncode == 0, overridden.stderr
    assert "summarizer: extractive" in overridden.stdout  # still from .env


@pytest.mark.parametrize(
    ("env", "config", "expected"),
    [
        ({"SUMMARIZER_MODEL": "mt0-bse"}, "", "SUMMARIZER_MODEL: 'mt0-bse' is not a preset, "
         "'extractive' or a model folder (did you mean 'mt0-base'?)"),
        ({"SLACK_BOT_TOKEN": "xapp-1-A-1-abc"}, "", "SLACK_BOT_TOKEN: is an app-level token "
         "(xapp-…): it belongs in SLACK_APP_TOKEN"),
        ({"SLACK_APP_TOKEN": "xoxb-1-abc"}, "", "SLACK_APP_TOKEN: is a bot token (xoxb-…): it "
         "belongs in SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-1-abc"}, "", "SLACK_BOT_TOKEN: is a user token; it needs the "
         "bot token (xoxb-…)"),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "", "REDIS_URL: cannot reach Redis at "
         "redis://127.0.0.1:1/0"),
        ({}, "[[channels]]\nid = '#ops'\nfilters = { providers = ['awz'] }\n",
         "channels[0].filters.providers: unknown provider 'awz' (did you mean 'aws'?)"),
        ({}, "[[channels]]\nid = '#ops'\nshedule = '0 9 * * *'\n",
         "channels[0].shedule: unknown key (did you mean 'schedule'?)"),
    ],
)  # fmt: skip
def test_config_check_catches_what_validates_but_fails_later(
    cli_env: dict[str, str], tmp_path: Path, env: dict[str, str], config: str, expected: str
) -> None:
    environment = {**cli_env, "SUMMARIZER_MODEL": "extractive", **env}
    if config:
        (tmp_path / "bot.toml").write_text(config)
        environment["OUTAGE_BOT_CONFIG"] = str(tmp_path / "bot.toml")
    result = outage_bot(environment, "config", "check")
    assert result.returncode == 2, result
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_config_check_pings_a_reachable_redis(
    cli_env: dict[str, str], redis_server: RedisServer
) -> None:
    result = outage_bot({**cli_env, "SUMMARIZER_MODEL": "extractive"}, "config", "check")
    assert result.returncode == 0, result.stderr
    assert "REDIS_URL answers PING" in result.stdout


def test_log_format_json_and_level(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "LOG_LEVEL": "info", "LOG_FORMAT": "json", "SUMMARIZER_MODEL": "extractive"}
    result = outage_bot_process(env, "config", "check")
    assert result.returncode == 0, result.stderr
    bad = outage_bot({**cli_env, "LOG_FORMAT": "xml"}, "config", "check")
    assert bad.returncode == 2 and "LOG_FORMAT" in bad.stderr
