"""Atlassian Statuspage "Incident History" feeds, split into one Entry per update.

``parse_feed`` reads such a feed (``/history.atom``, ``/history.rss``) like any
other; each item is one incident whose HTML lists every update, newest first.
:func:`is_statuspage` tells these feeds apart and :func:`expand_statuspage` turns
each incident into its updates (see ``bot.sources.status`` for the markup).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from bot.dedupe.identity import normalise_url
from bot.schema import Entry, StatusWord
from bot.sources.status_common import (
    ITEM_ERRORS,
    inner_html,
    nearest,
    parse_clock,
    split_names,
    squash,
    trim,
)

# The logger name from before the split into modules, so log filters keep working.
log = logging.getLogger("bot.sources.status")

# --------------------------------------------------------------------------- Statuspage

_STATUSPAGE_WORDS: dict[str, StatusWord] = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "update": "update",
    "resolved": "resolved",
    "completed": "resolved",  # a maintenance window that ended
    "postmortem": "postmortem",
    # Maintenance announced but not begun: news, yet nothing is broken.
    "scheduled": "update",
    # Maintenance under way: the work, and any impact of it, is happening now.
    "in progress": "ongoing",
    # Work done and being checked: the same stage as watching a fix.
    "verifying": "monitoring",
}
_UPDATE_MARK = re.compile(
    r"<small\b[^>]*>.*?</small>\s*(?:<br\s*/?>\s*)*<strong\b[^>]*>[^<]+</strong>\s*[-–—]",
    re.I | re.S,
)
_AFFECTED = re.compile(r"^This incident affected:\s*(?P<names>.+?)\.?$", re.I)
_TITLE_SUBJECT = re.compile(r"^(?:Incident|Disruption)s?\s+with\s+(?P<names>.+)$", re.I)
_LEADING_DASH = re.compile(r"^\s*[-–—:]\s*")


@dataclass(frozen=True)
class _Update:
    """One update inside a Statuspage incident, as printed."""

    stamp: str  # the <small> text: "Aug 21, 00:37 UTC"
    word: str  # the <strong> text: "Resolved"
    paragraphs: tuple[str, ...]  # inner HTML of each paragraph of its text


def is_statuspage(feed_title: str, entries: list[Entry]) -> bool:
    """Whether a parsed feed is a Statuspage incident history (one item per incident)."""
    if squash(feed_title).lower().endswith("incident history"):
        return True
    if not entries:
        return False
    marked = sum(1 for entry in entries if _UPDATE_MARK.search(entry.html))
    return marked * 2 > len(entries)


def expand_statuspage(entries: list[Entry]) -> list[Entry]:
    """Each incident entry of a Statuspage history feed as one entry per update, newest first."""
    expanded: list[Entry] = []
    for entry in entries:
        try:
            expanded.extend(_expand_incident(entry))
        except ITEM_ERRORS as exc:
            log.warning("%s: incident %r skipped: %s", entry.source, entry.title, exc)
    return expanded


def _expand_incident(entry: Entry) -> list[Entry]:
    updates, affected = _read_incident(entry.html)
    # The incident's page link is the same in a page's Atom and RSS feeds (their
    # GUIDs differ), so it names the incident when there is one.
    thread = normalise_url(entry.link) if entry.link else entry.guid
    components = affected or _title_components(entry.title)
    if not updates:
        # No update markup (a hand-written item): keep it whole rather than lose it.
        return [_copy(entry, status="update", thread=thread, components=components)]
    base = thread or entry.title
    seen: Counter[str] = Counter()
    result: list[Entry] = []
    # Oldest first, so that when two updates share minute and status it is the
    # later one that gets a suffix and the guid of the earlier never changes.
    for update in reversed(updates):
        clock = parse_clock(update.stamp)
        moment = None
        if clock is not None and entry.published is not None:
            moment = nearest(clock, entry.published)
        status = _STATUSPAGE_WORDS.get(_word_key(update.word), "update")
        key = f"{base}#{moment.isoformat() if moment else update.stamp or '?'}#{status}"
        seen[key] += 1
        shown = update.word or status.capitalize()
        result.append(
            Entry(
                source=entry.source,
                guid=key if seen[key] == 1 else f"{key}#{seen[key]}",
                link=entry.link,
                title=f"{entry.title} — {shown}",
                html="".join(f"<p>{paragraph}</p>" for paragraph in update.paragraphs),
                published=moment or entry.published,
                author=entry.author,
                language=entry.language,
                status=status,
                components=components,
                thread=thread,
            )
        )
    result.reverse()
    return result


def _copy(
    entry: Entry, status: StatusWord, thread: str | None, components: tuple[str, ...]
) -> Entry:
    fields = entry.model_dump()
    fields.update(status=status, thread=thread, components=components)
    return Entry(**fields)


def _word_key(word: str) -> str:
    return squash(re.sub(r"[^a-z ]", "", word.lower()))


def _read_incident(html: str) -> tuple[list[_Update], tuple[str, ...]]:
    """The updates of an incident body (document order) and its "affected" components."""
    soup = BeautifulSoup(html, "lxml")
    updates: list[_Update] = []
    affected: tuple[str, ...] = ()
    for paragraph in soup.find_all("p"):
        small = paragraph.find("small")
        if small is not None:
            updates.append(_read_update(paragraph, small))
            continue
        text = squash(paragraph.get_text())
        named = _AFFECTED.match(text)
        if named:
            affected = split_names(named["names"])
        elif text and updates:
            # A long update (a postmortem) can run over several paragraphs.
            last = updates[-1]
            more = trim(inner_html(paragraph.children))
            updates[-1] = _Update(last.stamp, last.word, (*last.paragraphs, more))
    return updates, affected


def _read_update(paragraph: Tag, small: Tag) -> _Update:
    strong = paragraph.find("strong")
    word = squash(strong.get_text()) if strong is not None else ""
    # The text is whatever follows the status word (or the time when there is none).
    after = strong if strong is not None else small
    body = trim(_LEADING_DASH.sub("", trim(inner_html(after.next_siblings)), count=1))
    return _Update(
        stamp=squash(small.get_text()),
        word=word,
        paragraphs=(body,) if body else (),
    )


def _title_components(title: str) -> tuple[str, ...]:
    """Components from GitHub-style titles: "Incident with Git Operations and Actions"."""
    match = _TITLE_SUBJECT.match(squash(title))
    if match is None:
        return ()
    # "Pages - Deployment Lag": what follows the dash describes, it names nothing.
    subject = re.split(r"\s+[-–—:]\s+", match["names"], maxsplit=1)[0]
    names = split_names(subject)
    # Component names are capitalised words; a lowercase word means free text
    # ("some GitHub services", "creation of fine grained tokens"), not a list.
    if not names or not all(_looks_like_name(name) for name in names):
        return ()
    return names


def _looks_like_name(name: str) -> bool:
    return all(word[:1].isupper() or word[:1].isdigit() for word in name.split())
