"""Settings (environment) and the TOML file of sources and channels.

Both are built once, at start-up, by the CLI and passed down. Nothing here is a
module-level singleton: tests construct ``Settings(...)`` and ``BotConfig(...)``
directly. Every validation failure becomes a ``ConfigError`` whose problems name
the file (or "environment"), the key and the reason, so the CLI never has to
show a traceback for a bad config.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from cronsim import CronSim, CronSimError
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic import model_validator as _model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError, ConfigProblem
from bot.schema import Source, SourceKind

REALTIME = "realtime"
# Read from the working directory. Precedence: the process environment, then .env,
# then the defaults below (pydantic-settings' order).
ENV_FILE = ".env"
_CHANNEL = re.compile(r"^(#[^\s#]{1,80}|[CGD][A-Z0-9]{6,})$")


def default_models_dir() -> Path:
    """The repository's models/ folder in a checkout, else one in the data directory."""
    repository = Path(__file__).resolve().parent.parent
    # An installed wheel has no pyproject.toml beside the package: use the data directory.
    in_checkout = (repository / "pyproject.toml").exists() and (repository / "models").is_dir()
    return repository / "models" if in_checkout else default_data_dir() / "models"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("outage-bot", appauthor=False))


# The languages a vocabulary can be trimmed to: those ``bot.summarize.vocab.SCRIPTS``
# can tell apart. Kept here, without torch, so validating settings stays cheap
# (a test checks the two agree).
VOCABULARY_LANGUAGES = frozenset({"en", "zh"})


class Settings(BaseSettings):
    """Process settings from the environment (names as in DESIGN.md)."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        env_ignore_empty=True,  # SLACK_BOT_TOKEN= means "not set", not "empty token"
        env_file=ENV_FILE,
        env_file_encoding="utf-8",
        validate_by_name=True,
        validate_by_alias=True,
    )

    slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(None, validation_alias="SLACK_API_URL")
    # A Redis URL may carry a password, so it is a secret too.
    redis_url: SecretStr | None = Field(None, validation_alias="REDIS_URL")
    redis_prefix: str = Field("outage-bot", validation_alias="OUTAGE_BOT_REDIS_PREFIX")
    config_path: Path | None = Field(None, validation_alias="OUTAGE_BOT_CONFIG")
    data_dir: Path = Field(default_factory=default_data_dir, validation_alias="OUTAGE_BOT_DATA_DIR")
    # A preset of bot/data/presets.toml, a model folder, or "extractive".
    summarizer_model: str = Field("mt0-base", validation_alias="SUMMARIZER_MODEL")
    models_dir: Path = Field(default_factory=lambda: default_models_dir(),
                             validation_alias="OUTAGE_BOT_MODELS_DIR")  # fmt: skip
    # int8 weights on the CPU (CTranslate2's when `models pull` converted them); 0: fp32.
    quantize: bool = Field(True, validation_alias="OUTAGE_BOT_QUANTIZE")
    # Decode over the pieces of these languages only (mT5/T5: a faster lm_head); every
    # summary language in use must be listed. Empty: the whole vocabulary.
    summarizer_vocabulary_list: str = Field("", validation_alias="SUMMARIZER_VOCABULARY")
    # Internal hosts the fetcher may reach despite the SSRF guard, comma-separated.
    allowed_hosts_list: str = Field("", validation_alias="OUTAGE_BOT_ALLOWED_HOSTS")
    fetch_max_bytes: int = Field(
        5 * 1024 * 1024, ge=1024, validation_alias="OUTAGE_BOT_FETCH_MAX_BYTES"
    )
    fetch_timeout_s: float = Field(30.0, gt=0, le=600, validation_alias="OUTAGE_BOT_FETCH_TIMEOUT")

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(
            h.strip().lower().rstrip(".") for h in self.allowed_hosts_list.split(",") if h.strip()
        )

    @property
    def summarizer_vocabulary(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.summarizer_vocabulary_list.split(",") if p.strip())

    @field_validator("summarizer_vocabulary_list")
    @classmethod
    def _vocabulary(cls, value: str) -> str:
        unknown = {p.strip() for p in value.split(",") if p.strip()} - VOCABULARY_LANGUAGES
        if unknown:
            known = ", ".join(sorted(VOCABULARY_LANGUAGES))
            raise ValueError(f"unknown language(s) {', '.join(sorted(unknown))}; use {known}")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        # slack_sdk joins method names onto the base URL, so it needs the slash.
        return value if value.endswith("/") else value + "/"

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(
            ("redis://", "rediss://", "unix://")
        ):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("redis_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", value):
            raise ValueError("use 1-40 letters, digits, '.', '_' or '-'")
        return value


class LogSettings(BaseSettings):
    """``LOG_LEVEL`` and ``LOG_FORMAT``: read before any command, apart from Settings, so a
    bad Slack or Redis variable does not stop the logging that would report it."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_file=ENV_FILE,
                                      env_ignore_empty=True)  # fmt: skip

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "WARNING", validation_alias="LOG_LEVEL"
    )
    log_format: Literal["text", "json"] = Field("text", validation_alias="LOG_FORMAT")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value


def load_log_settings() -> LogSettings:
    try:
        return LogSettings()
    except ValidationError as exc:
        raise ConfigError(_problems("environment", exc)) from exc


def load_settings(**overrides: Any) -> Settings:
    """Read the environment; a bad value becomes a ConfigError naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_problems("environment", exc)) from exc


# --- the TOML file -------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceConfig(_Strict):
    """A ``[[sources]]`` table: exactly one of ``path`` or ``url``."""

    name: str = Field(min_length=1)
    path: str | None = None
    url: str | None = None
    kind: SourceKind = "auto"
    language: Literal["zh", "zh-Hant", "en"] | None = None

    @_model_validator(mode="after")
    def _one_location(self) -> SourceConfig:
        if (self.path is None) == (self.url is None):
            raise ValueError("give exactly one of 'path' or 'url'")
        if self.url is not None and not self.url.startswith(("http://", "https://")):
            raise ValueError("'url' must be an http(s) URL")
        return self


class ChannelFilters(_Strict):
    """Which incidents a channel wants; an empty list means "no restriction"."""

    languages: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()  # ids or any alias: "aws", "AWS", "亚马逊云"
    include_non_outages: bool = False  # also deliver articles that are not outages


class ChannelConfig(_Strict):
    """A ``[[channels]]`` table: where digests go and how often."""

    id: str  # a Slack channel ID (C0123ABCD) or a #name
    schedule: str = REALTIME  # "realtime" or a five-field cron line
    timezone: str = "UTC"
    summary_language: Literal["source", "en", "zh"] = "source"
    filters: ChannelFilters = ChannelFilters()

    @field_validator("id")
    @classmethod
    def _channel_id(cls, value: str) -> str:
        if not _CHANNEL.match(value):
            raise ValueError("must be a Slack channel ID like C0123ABCD or a name like #outages")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA timezone {value!r} (e.g. UTC, Asia/Shanghai)") from exc
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        if value == REALTIME:
            return value
        try:
            CronSim(value, datetime.now(UTC))
        except CronSimError as exc:
            raise ValueError(
                f"{value!r} is neither 'realtime' nor a cron line like '0 9 * * 1-5' ({exc})"
            ) from exc
        return value


class BotConfig(_Strict):
    """The whole config file. ``base_dir`` resolves relative source paths."""

    sources: tuple[SourceConfig, ...] = ()
    channels: tuple[ChannelConfig, ...] = ()
    base_dir: Path = Path()

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, value: tuple[SourceConfig, ...]) -> tuple[SourceConfig, ...]:
        names = [s.name for s in value]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"source names must be unique; repeated: {', '.join(duplicates)}")
        return value

    def to_sources(self) -> list[Source]:
        result = []
        for src in self.sources:
            if src.url is not None:
                location = src.url
            else:
                assert src.path is not None  # noqa: S101 - guaranteed by _one_location
                path = Path(src.path)
                location = str(path if path.is_absolute() else self.base_dir / path)
            result.append(
                Source(name=src.name, location=location, kind=src.kind, language=src.language)
            )
        return result

    def channel(self, channel_id: str) -> ChannelConfig | None:
        return next((c for c in self.channels if c.id == channel_id), None)


def load_config(path: Path | None) -> BotConfig:
    """Read and validate the TOML file; ``None`` gives the empty default config."""
    if path is None:
        return BotConfig()
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError([ConfigProblem(where, "", "file not found")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(where, "", f"cannot read: {exc}")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([ConfigProblem(where, "", f"not valid TOML: {exc}")]) from exc
    if "base_dir" in raw:  # not a file key: it is where the file itself lives
        raise ConfigError([ConfigProblem(where, "base_dir", "unknown key (check the spelling)")])
    try:
        return BotConfig(**raw, base_dir=path.resolve().parent)
    except ValidationError as exc:
        raise ConfigError(_problems(where, exc)) from exc


def check_sources_exist(config: BotConfig, where: str) -> list[ConfigProblem]:
    """Problems for local source paths that do not exist (``config check`` only)."""
    problems = []
    for index, (src, source) in enumerate(zip(config.sources, config.to_sources(), strict=True)):
        if src.path is not None and not Path(source.location).exists():
            problems.append(
                ConfigProblem(where, f"sources[{index}].path", f"{source.location} does not exist")
            )
    return problems


def _problems(where: str, exc: ValidationError) -> list[ConfigProblem]:
    aliases = {
        name: str(field.validation_alias)
        for name, field in Settings.model_fields.items()
        if field.validation_alias
    }
    problems = []
    for error in exc.errors():
        key = _dotted(error["loc"])
        if where == "environment":
            key = aliases.get(key, key.upper())
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key" + _suggest(str(error["loc"][-1]))
        problems.append(ConfigProblem(where, key, message))
    return problems


def _suggest(key: str) -> str:
    """ " (did you mean 'schedule'?)" from every key the file may hold, else a hint."""
    known = {
        name
        for model in (BotConfig, SourceConfig, ChannelConfig, ChannelFilters)
        for name in model.model_fields
        if name != "base_dir"
    }
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else " (check the spelling)"


def _dotted(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
