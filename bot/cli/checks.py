"""What ``config check`` looks at beyond validation: the mistakes that validate but fail later.

Each check returns problems (never raises), so one run lists them all. A
suggestion ("did you mean …?") comes from ``difflib`` against what is known.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import ConfigProblem, OutageBotError

if TYPE_CHECKING:
    from bot.config import BotConfig, Settings

ENV = "environment"
# Slack token kinds by prefix (https://api.slack.com/concepts/token-types).
_TOKEN_KINDS = {
    "xoxb-": "a bot token",
    "xapp-": "an app-level token",
    "xoxp-": "a user token",
    "xoxe-": "a refresh token",
}


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for the closest known word, else ""."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_model(settings: Settings) -> list[ConfigProblem]:
    """SUMMARIZER_MODEL must be 'extractive', a preset, or a folder that exists."""
    from bot.summarize.base import EXTRACTIVE
    from bot.summarize.presets import load_presets

    name = settings.summarizer_model
    try:
        presets = load_presets()
    except OutageBotError as exc:
        return [ConfigProblem("presets", "", str(exc))]
    if name == EXTRACTIVE or name in presets or Path(name).is_dir():
        return []
    known = [EXTRACTIVE, *sorted(presets)]
    why = f"{name!r} is not a preset, 'extractive' or a model folder{did_you_mean(name, known)}"
    return [ConfigProblem(ENV, "SUMMARIZER_MODEL", f"{why}; known: {', '.join(known)}")]


def check_tokens(settings: Settings) -> list[ConfigProblem]:
    """Each Slack token in its own variable: a swapped pair is the usual copy-paste slip."""
    problems = []
    wanted = (("SLACK_BOT_TOKEN", settings.slack_bot_token, "xoxb-", "the bot token (xoxb-…) "
               "from OAuth & Permissions"),
              ("SLACK_APP_TOKEN", settings.slack_app_token, "xapp-", "an app-level token "
               "(xapp-…) with connections:write, from Basic Information"))  # fmt: skip
    for variable, secret, prefix, needed in wanted:
        if secret is None:
            continue
        token = secret.get_secret_value()
        if token.startswith(prefix):
            continue
        kind = next((k for p, k in _TOKEN_KINDS.items() if token.startswith(p)), None)
        if kind is None:
            why = f"does not look like a Slack token; it needs {needed}"
        elif token.startswith("xapp-") and variable == "SLACK_BOT_TOKEN":
            why = "is an app-level token (xapp-…): it belongs in SLACK_APP_TOKEN; " + needed
        elif token.startswith("xoxb-") and variable == "SLACK_APP_TOKEN":
            why = "is a bot token (xoxb-…): it belongs in SLACK_BOT_TOKEN; " + needed
        else:
            why = f"is {kind}; it needs {needed}"
        problems.append(ConfigProblem(ENV, variable, why))
    return problems


def check_redis(settings: Settings) -> list[ConfigProblem]:
    """Ping REDIS_URL. The embedded Redis is started on demand, so there is nothing to ping."""
    if settings.redis_url is None:
        return []
    from bot.store import connect

    try:
        store = connect(settings)
    except OutageBotError as exc:
        return [ConfigProblem(ENV, "REDIS_URL", str(exc))]
    store.redis.close()
    return []


def check_providers(config: BotConfig, where: str) -> list[ConfigProblem]:
    """Channel filters must name providers the catalogue knows (an alias does)."""
    if not any(channel.filters.providers for channel in config.channels):
        return []  # nothing to check: do not pay for compiling the catalogue
    from bot.outage.entities import EntityCatalog

    catalog = EntityCatalog.load()
    known = sorted(catalog.provider_ids())
    problems = []
    for index, channel in enumerate(config.channels):
        for name in channel.filters.providers:
            if catalog.find_provider(name) is None:
                why = f"unknown provider {name!r}{did_you_mean(name.lower(), known)}"
                key = f"channels[{index}].filters.providers"
                problems.append(ConfigProblem(where, key, why))
    return problems
