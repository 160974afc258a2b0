"""What someone typed after ``/outage-summary``, parsed into one request value.

Parsing is pure and strict: anything we cannot read becomes a ``UsageError``
whose message says what was wrong and what to type instead, so the reply to a
typo teaches the command rather than guessing at it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal

from bot.schema import Frozen

COMMAND = "/outage-summary"
DEFAULT_WINDOW = timedelta(hours=24)
MAX_WINDOW = timedelta(days=30)  # incidents are kept 30 days
_WINDOW = re.compile(r"^(\d{1,3})([hdw])$", re.IGNORECASE)
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
_URL = re.compile(r"^<?(https?://[^\s|>]+)(?:\|[^>]*)?>?$", re.IGNORECASE)

HELP = f"""*{COMMAND}* — outage news for this channel
• `{COMMAND}` — incidents of the last 24 h that this channel's filters want (only you see it)
• `{COMMAND} public` — the same, shared in the channel
• `{COMMAND} aws` · `{COMMAND} 阿里云` · `{COMMAND} cloudflare 7d` — incidents about a provider \
or keyword (window: 12h, 3d, 2w …; at most 30d)
• `{COMMAND} https://…` — summarise one article
• `{COMMAND} subscribe <feed-url>` · `unsubscribe <feed-url>` · `unsubscribe all` — this \
channel's own feeds
• `{COMMAND} sources` — what the bot reads, and how each source is doing
• `{COMMAND} settings` — this channel's digest settings; change one with \
`settings <name> <value>`: `schedule realtime` or a cron line like `0 9 * * 1-5`, \
`timezone Asia/Shanghai`, `providers aws,cloudflare` (or `any`), `languages zh,en` (or `any`), \
`keywords …` (or `any`), `summary-language source|en|zh`
• Reply in the thread of an incident message (or @mention me there) to ask about it."""

SettingName = Literal[
    "schedule", "timezone", "providers", "languages", "keywords", "summary_language"
]
_SETTING_NAMES: dict[str, SettingName] = {
    "schedule": "schedule",
    "timezone": "timezone",
    "tz": "timezone",
    "providers": "providers",
    "provider": "providers",
    "languages": "languages",
    "language": "languages",
    "keywords": "keywords",
    "keyword": "keywords",
    "summary-language": "summary_language",
    "summary_language": "summary_language",
}
_LIST_SETTINGS = ("providers", "languages", "keywords")


class UsageError(ValueError):
    """The text cannot be read as a command; the message says what to type."""


class Help(Frozen):
    kind: Literal["help"] = "help"


class ListIncidents(Frozen):
    """Recent incidents: the channel's filters, or those matching ``query``."""

    kind: Literal["list"] = "list"
    query: str | None = None
    window: timedelta = DEFAULT_WINDOW
    public: bool = False


class SummarizeUrl(Frozen):
    kind: Literal["summarize"] = "summarize"
    url: str
    public: bool = False


class Subscribe(Frozen):
    kind: Literal["subscribe"] = "subscribe"
    url: str


class Unsubscribe(Frozen):
    kind: Literal["unsubscribe"] = "unsubscribe"
    url: str | None  # None: every feed and setting of the channel ("unsubscribe all")


class ShowSources(Frozen):
    kind: Literal["sources"] = "sources"


class ShowSettings(Frozen):
    kind: Literal["settings"] = "settings"


class ChangeSetting(Frozen):
    kind: Literal["change"] = "change"
    name: SettingName
    value: str | tuple[str, ...]


Request = (
    Help
    | ListIncidents
    | SummarizeUrl
    | Subscribe
    | Unsubscribe
    | ShowSources
    | ShowSettings
    | ChangeSetting
)


def parse(text: str) -> Request:
    """Read the command text (what follows ``/outage-summary``)."""
    words = text.split()
    if not words:
        return ListIncidents()
    head = words[0].lower()
    rest = words[1:]
    if head in ("help", "-h", "--help", "?"):
        return Help()
    if head == "subscribe":
        return Subscribe(url=_one_url(rest, "subscribe <feed-url>"))
    if head == "unsubscribe":
        if len(rest) == 1 and rest[0].lower() == "all":
            return Unsubscribe(url=None)
        return Unsubscribe(url=_one_url(rest, "unsubscribe <feed-url>` or `unsubscribe all"))
    if head == "sources" and not rest:
        return ShowSources()
    if head == "settings":
        return ShowSettings() if not rest else _setting(rest)
    public = any(w.lower() == "public" for w in words)
    words = [w for w in words if w.lower() != "public"]
    if len(words) == 1 and (url := _url(words[0])):
        return SummarizeUrl(url=url, public=public)
    window = DEFAULT_WINDOW
    if words and (found := _window(words[-1])) is not None:
        window = found
        words = words[:-1]
    query = " ".join(words).strip() or None
    if query and _url(query.split()[0]):
        raise UsageError(f"give one URL on its own, like `{COMMAND} https://example.com/post`")
    return ListIncidents(query=query, window=window, public=public)


def _window(word: str) -> timedelta | None:
    match = _WINDOW.match(word)
    if not match:
        return None
    window = int(match.group(1)) * _UNITS[match.group(2).lower()]
    if not timedelta(0) < window <= MAX_WINDOW:
        raise UsageError(
            f"`{word}`: the window must be between 1h and 30d (incidents are kept 30 days)"
        )
    return window


def _url(word: str) -> str | None:
    # Slack wraps links it recognises as <https://…> or <https://…|label>.
    match = _URL.match(word)
    return match.group(1) if match else None


def _one_url(words: list[str], usage: str) -> str:
    if len(words) != 1 or (url := _url(words[0])) is None:
        raise UsageError(f"usage: `{COMMAND} {usage}` with one http(s) URL")
    return url


def _setting(words: list[str]) -> ChangeSetting:
    name = _SETTING_NAMES.get(words[0].lower())
    if name is None:
        known = ", ".join(sorted({k for k in _SETTING_NAMES if "_" not in k} - {"tz"}))
        raise UsageError(f"unknown setting `{words[0]}`; settings are: {known}")
    raw = " ".join(words[1:]).strip()
    if not raw:
        raise UsageError(f"give a value: `{COMMAND} settings {words[0]} <value>`")
    if name in _LIST_SETTINGS:
        if raw.lower() in ("any", "all", "none", "-"):
            return ChangeSetting(name=name, value=())
        items = tuple(dict.fromkeys(p.strip() for p in re.split(r"[,，、\s]+", raw) if p.strip()))
        return ChangeSetting(name=name, value=items)
    if name == "summary_language":
        raw = raw.lower()
    return ChangeSetting(name=name, value=raw)
