"""Settings from the environment, the TOML config file, and channel schedules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import BotConfig, ChannelConfig, Settings, load_config, load_settings
from bot.errors import ConfigError
from bot.jobs.schedule import is_due

VALID = """
[[sources]]
name = "samples"
path = "articles"

[[sources]]
name = "absolute"
path = "/srv/feeds/status.xml"
kind = "feed"
language = "zh"

[[sources]]
name = "web"
url = "https://status.example.com/history.rss"

[[channels]]
id = "C0123ABCD"
schedule = "0 9 * * *"
timezone = "Asia/Shanghai"
summary_language = "zh"

[channels.filters]
languages = ["zh"]
keywords = ["故障"]

[[channels]]
id = "#outages"
"""


def _write(tmp_path: Path, text: str, name: str = "bot.toml") -> Path:
    folder = tmp_path / "conf"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [(p.where, p.key, p.why) for p in caught.value.problems]


# --- the TOML file -------------------------------------------------------------------------


def test_valid_config_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID)
    config = load_config(path)
    assert config.base_dir == path.parent.resolve()
    samples, absolute, web = config.to_sources()
    assert samples.name == "samples"
    assert Path(samples.location) == path.parent.resolve() / "articles"
    assert absolute.location == "/srv/feeds/status.xml"
    assert absolute.kind == "feed"
    assert absolute.language == "zh"
    assert web.location == "https://status.example.com/history.rss"
    assert web.kind == "auto"


def test_valid_config_channels(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, VALID))
    daily, realtime = config.channels
    assert daily.schedule == "0 9 * * *"
    assert daily.timezone == "Asia/Shanghai"
    assert daily.summary_language == "zh"
    assert daily.filters.languages == ("zh",)
    assert daily.filters.keywords == ("故障",)
    assert realtime.schedule == "realtime"
    assert realtime.timezone == "UTC"
    assert config.channel("#outages") is realtime
    assert config.channel("C9999999") is None


def test_relative_paths_follow_the_file_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, '[[sources]]\nname = "a"\npath = "../data/feeds"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (source,) = load_config(path).to_sources()
    assert Path(source.location).resolve() == (tmp_path / "data" / "feeds").resolve()


def test_no_path_gives_the_empty_config() -> None:
    config = load_config(None)
    assert config == BotConfig()
    assert config.sources == ()
    assert config.channels == ()


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    assert _problems(path) == [(str(path), "", "file not found")]


def test_invalid_toml_reports_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path, '[[sources]]\nname = "a"\npath = unquoted\n\n[[channels]]\nid = "#ops"\n'
    )
    ((where, key, why),) = _problems(path)
    assert where == str(path)
    assert key == ""
    assert "not valid TOML" in why
    assert "line 3" in why


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[[sources]]\nname = "café"\npath = "x"\n'.encode("latin-1"))
    ((where, _key, why),) = _problems(path)
    assert where == str(path)
    assert "cannot read" in why


@pytest.mark.parametrize(
    ("text", "key", "why_part"),
    [
        pytest.param(
            '[[sources]]\nname = "a"\npath = "x"\ncolour = "red"\n',
            "sources[0].colour",
            "unknown key",
            id="unknown-source-key",
        ),
        pytest.param("bogus = 1\n", "bogus", "unknown key", id="unknown-top-level-key"),
        pytest.param(
            '[[channels]]\nid = "C0123ABCD"\n[channels.filters]\nlangs = ["zh"]\n',
            "channels[0].filters.langs",
            "unknown key",
            id="unknown-filter-key",
        ),
        pytest.param(
            '[[channels]]\nid = "C0123ABCD"\n'
            '[[channels]]\nid = "#ops"\ntimezone = "Mars/Olympus"\n',
            "channels[1].timezone",
            "Mars/Olympus",
            id="bad-timezone",
        ),
        pytest.param(
            '[[channels]]\nid = "C0123ABCD"\ntimezone = "../../etc/passwd"\n',
            "channels[0].timezone",
            "timezone",
            id="path-as-timezone",
        ),
        pytest.param(
            '[[channels]]\nid = "C0123ABCD"\nschedule = "every morning"\n',
            "channels[0].schedule",
            "cron",
            id="schedule-not-cron",
        ),
        pytest.param(
            '[[channels]]\nid = "C0123ABCD"\nschedule = "61 9 * * *"\n',
            "channels[0].schedule",
            "cron",
            id="schedule-bad-minute",
        ),
        pytest.param(
            '[[channels]]\nid = "outages"\n', "channels[0].id", "channel", id="bad-channel-id"
        ),
        pytest.param(
            '[[channels]]\nid = "c0123abcd"\n', "channels[0].id", "channel", id="lowercase-id"
        ),
        pytest.param(
            '[[sources]]\nname = "a"\npath = "x"\n[[sources]]\nname = "a"\npath = "y"\n',
            "sources",
            "repeated: a",
            id="duplicate-source-names",
        ),
        pytest.param(
            '[[sources]]\nname = "a"\npath = "x"\nurl = "https://e.example/f"\n',
            "sources[0]",
            "exactly one of 'path' or 'url'",
            id="path-and-url",
        ),
        pytest.param(
            '[[sources]]\nname = "a"\n',
            "sources[0]",
            "exactly one of 'path' or 'url'",
            id="neither-path-nor-url",
        ),
        pytest.param(
            '[[sources]]\nname = "a"\nurl = "ftp://e.example/f"\n',
            "sources[0]",
            "http(s)",
            id="url-not-http",
        ),
        pytest.param(
            '[[sources]]\nname = "a"\npath = "x"\nlanguage = "fr"\n',
            "sources[0].language",
            "",
            id="unsupported-language",
        ),
        pytest.param(
            '[[sources]]\nname = ""\npath = "x"\n', "sources[0].name", "", id="empty-name"
        ),
    ],
)
def test_invalid_values_name_the_file_and_key(
    tmp_path: Path, text: str, key: str, why_part: str
) -> None:
    path = _write(tmp_path, text)
    problems = _problems(path)
    assert (str(path), key) in [(where, k) for where, k, _ in problems]
    why = next(w for where, k, w in problems if k == key)
    assert why_part in why
    assert "Value error" not in why


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[[channels]]\nid = "nope"\ntimezone = "Nowhere/City"\nschedule = "sometimes"\n',
    )
    keys = {key for _, key, _ in _problems(path)}
    assert keys == {"channels[0].id", "channels[0].timezone", "channels[0].schedule"}


def test_config_error_message_names_file_and_key(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[channels]]\nid = "C0123ABCD"\ntimezone = "Nowhere/City"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: channels[0].timezone: ")


def test_base_dir_in_the_file_is_reported_as_a_key(tmp_path: Path) -> None:
    path = _write(tmp_path, 'base_dir = "/etc"\n')
    assert [key for _, key, _ in _problems(path)] == ["base_dir"]


# --- Settings (environment) ----------------------------------------------------------------


def test_defaults_without_environment(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.slack_bot_token is None
    assert settings.redis_url is None
    assert settings.slack_api_url is None
    assert settings.redis_prefix == "outage-bot"
    assert settings.summarizer_model == "mt0-base"  # the permissive multilingual preset


def test_slack_api_url_gains_a_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:8099/api")
    assert load_settings().slack_api_url == "http://127.0.0.1:8099/api/"
    monkeypatch.setenv("SLACK_API_URL", "https://slack.com/api/")
    assert load_settings().slack_api_url == "https://slack.com/api/"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SLACK_API_URL", "ftp://slack.example/api/"),
        ("SLACK_API_URL", "slack.com/api"),
        ("REDIS_URL", "http://x"),
        ("REDIS_URL", "localhost:6379"),
        ("OUTAGE_BOT_REDIS_PREFIX", "has spaces!"),
        ("SUMMARIZER_VOCABULARY", "zh,th"),
    ],
)
def test_bad_environment_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert [(p.where, p.key) for p in caught.value.problems] == [("environment", variable)]
    assert variable in str(caught.value)


@pytest.mark.parametrize(
    "url", ["redis://localhost:6379/0", "rediss://cache.example:6380", "unix:///tmp/r.sock"]
)
def test_good_redis_urls(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("REDIS_URL", url)
    settings = load_settings()
    assert settings.redis_url is not None
    assert settings.redis_url.get_secret_value() == url


def test_empty_token_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "")
    settings = load_settings()
    assert settings.slack_bot_token is None
    assert settings.slack_signing_secret is None


def test_secrets_are_secret_str_and_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-not-a-real-token-1234")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-value-5678")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-not-real-9012")
    monkeypatch.setenv("REDIS_URL", "redis://:hunter2pass@cache.example:6379/0")
    settings = load_settings()
    for value in (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.redis_url,
    ):
        assert isinstance(value, SecretStr)
    assert settings.slack_bot_token.get_secret_value() == "xoxb-not-a-real-token-1234"
    shown = repr(settings) + str(settings)
    for secret in ("xoxb-not-a-real-token-1234", "signing-value-5678", "xapp-not-real", "hunter2"):
        assert secret not in shown


def test_bad_redis_url_does_not_leak_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "http://user:hunter2pass@cache.example")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "hunter2pass" not in str(caught.value)


def test_settings_can_be_built_directly(tmp_path: Path) -> None:
    settings = Settings(redis_url="unix:///tmp/x.sock", data_dir=tmp_path, redis_prefix="t")
    assert settings.data_dir == tmp_path
    assert settings.redis_prefix == "t"


def test_config_path_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OUTAGE_BOT_CONFIG", str(tmp_path / "bot.toml"))
    assert load_settings().config_path == tmp_path / "bot.toml"


# --- schedules -----------------------------------------------------------------------------

LAST = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, after that day's 09:00


def test_realtime_is_always_due() -> None:
    channel = ChannelConfig(id="#ops")
    assert is_due(channel, LAST, LAST)
    assert is_due(channel, LAST, LAST + timedelta(seconds=1))


def test_never_sent_is_due() -> None:
    channel = ChannelConfig(id="#ops", schedule="0 9 * * *", timezone="Asia/Shanghai")
    assert is_due(channel, None, LAST)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2026, 11, 20, 3, 0, tzinfo=UTC), False),
        (datetime(2026, 11, 20, 9, 0, tzinfo=UTC), False),  # 09:00 UTC is 17:00 in Shanghai
        (datetime(2026, 11, 21, 0, 59, 59, tzinfo=UTC), False),
        (datetime(2026, 11, 21, 1, 0, tzinfo=UTC), True),  # 09:00 the next day in Shanghai
        (datetime(2026, 11, 21, 1, 30, tzinfo=UTC), True),
        (datetime(2026, 11, 23, 5, 0, tzinfo=UTC), True),
    ],
)
def test_daily_cron_in_shanghai(now: datetime, due: bool) -> None:
    channel = ChannelConfig(id="#ops", schedule="0 9 * * *", timezone="Asia/Shanghai")
    assert is_due(channel, LAST, now) is due


def test_cron_fires_once_per_slot() -> None:
    channel = ChannelConfig(id="#ops", schedule="0 9 * * *", timezone="Asia/Shanghai")
    sent_at_fire_time = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    assert not is_due(channel, sent_at_fire_time, sent_at_fire_time + timedelta(minutes=5))
    assert is_due(channel, sent_at_fire_time, sent_at_fire_time + timedelta(days=1))


def test_cron_follows_daylight_saving_in_the_channel_timezone() -> None:
    # New York leaves daylight saving time on 2026-11-01: 09:00 local is 14:00 UTC that day.
    channel = ChannelConfig(id="#ops", schedule="0 9 * * *", timezone="America/New_York")
    last = datetime(2026, 10, 31, 14, 0, tzinfo=UTC)  # 10:00 EDT
    assert not is_due(channel, last, datetime(2026, 11, 1, 13, 59, tzinfo=UTC))
    assert is_due(channel, last, datetime(2026, 11, 1, 14, 0, tzinfo=UTC))


def test_summarizer_vocabulary_is_a_list_of_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().summarizer_vocabulary == ()
    monkeypatch.setenv("SUMMARIZER_VOCABULARY", " zh, en ")
    assert load_settings().summarizer_vocabulary == ("zh", "en")


def test_int8_is_the_default_and_quantize_0_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OUTAGE_BOT_QUANTIZE", raising=False)
    assert load_settings().quantize is True
    monkeypatch.setenv("OUTAGE_BOT_QUANTIZE", "0")
    assert load_settings().quantize is False
