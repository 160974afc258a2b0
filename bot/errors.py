"""The one exception tree of outage-bot.

Every error we raise on purpose is an ``OutageBotError``; third-party errors are
caught at the module boundary that talks to the library and re-raised as one of
these with ``from`` so the cause stays in the traceback for debugging while the
CLI can print a one-line message for people::

    OutageBotError
    ├── ConfigError            settings or the TOML config file are unusable
    ├── StoreError             Redis cannot be reached or answered with an error
    ├── UnreadableRecord       a stored record is in a shape this version cannot read
    │                          (another version wrote it, or it is damaged): left in
    │                          place for a version that can; the reader skips it
    ├── SourceError            one source could not be read (the run goes on)
    │   └── ParseError         bytes were read but are not a usable feed/article
    ├── ExtractError           one item's HTML is too deep or too large to clean
    ├── FetchError             an HTTP fetch failed or was refused (SSRF guard, size,
    │                          timeout, HTTP status); says whether retrying can help
    ├── SummarizerError        a summary engine failed for one article
    └── DeliveryError          Slack (or the terminal sink) refused a digest
        └── ChannelUnavailable Slack refused a channel for good (not_in_channel,
                               channel_not_found, is_archived, invalid_auth …): retrying
                               cannot help until someone fixes it, so it is reported to
                               whoever configured the channel

Only ``ConfigError`` and ``StoreError`` stop a run: without settings or state
there is nothing safe to do. The others are reported per source / per article
and the run continues.
"""

from __future__ import annotations

from dataclasses import dataclass


class OutageBotError(Exception):
    """Base class: anything outage-bot raises deliberately."""


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with the configuration, with where it is."""

    where: str  # a file path or "environment"
    key: str  # dotted path inside the file, e.g. "channels[0].timezone"
    why: str

    def __str__(self) -> str:
        location = f"{self.where}: {self.key}" if self.key else self.where
        return f"{location}: {self.why}"


class ConfigError(OutageBotError):
    """Settings or the config file are invalid; ``problems`` lists each one."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems) or "invalid configuration")


class StoreError(OutageBotError):
    """Redis is unreachable or failed; state cannot be read or written."""


class UnreadableRecord(OutageBotError):
    """A stored record this version cannot read. Not a StoreError: Redis is fine, and
    nothing may treat the record as absent and overwrite or forget it (a newer
    version, during a rolling deploy, can read it)."""


class SourceError(OutageBotError):
    """A single source could not be read; other sources are unaffected."""

    def __init__(self, source: str, why: str) -> None:
        self.source = source
        self.why = why
        super().__init__(f"{source}: {why}")


class ParseError(SourceError):
    """The bytes of a source are not a feed or article we can use."""


class ExtractError(OutageBotError):
    """One item's HTML cannot be cleaned safely (too deep, too many elements)."""

    def __init__(self, why: str) -> None:
        self.why = why
        super().__init__(why)


class FetchError(OutageBotError):
    """Fetching ``url`` failed.

    ``permanent`` marks failures that retrying cannot fix soon (a refused address,
    a 404, a redirect loop); ``retry_after`` carries a server's Retry-After.
    """

    def __init__(
        self, url: str, why: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        self.url = url
        self.why = why
        self.permanent = permanent
        self.retry_after = retry_after
        super().__init__(f"{url}: {why}")


class SummarizerError(OutageBotError):
    """A summary engine failed for one article (the caller falls back)."""


class DeliveryError(OutageBotError):
    """A digest could not be delivered; its articles stay pending for the next run."""


class ChannelUnavailable(DeliveryError):
    """Slack refused ``channel`` with ``error`` (a Slack error code) that needs a person."""

    def __init__(self, channel: str, error: str) -> None:
        self.channel = channel
        self.error = error
        super().__init__(f"Slack refused the post to {channel}: {error}")
