"""outage-bot: outage news and status feeds, summarised locally, delivered to Slack."""

from importlib.metadata import PackageNotFoundError, version

try:
    # One source of truth: pyproject.toml's version, as installed.
    __version__ = version("outage-bot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
