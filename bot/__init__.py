"""outage-bot: outage news and status feeds, summarised locally, delivered to Slack."""

__version__ = "0.1.0"
