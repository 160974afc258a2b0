"""Which channel wants which incident (the channel's ``filters`` table)."""

from __future__ import annotations

from collections.abc import Callable

from bot.config import ChannelFilters
from bot.schema import Incident

# Resolves a provider alias ("AWS", "亚马逊云") to its id ("aws"), or None.
ProviderLookup = Callable[[str], str | None]


def wants(filters: ChannelFilters, incident: Incident, find_provider: ProviderLookup) -> bool:
    """Every non-empty filter must match; empty filters match everything.

    Non-outages are left out unless the channel asked for them. ``providers``
    match the incident's provider by id or alias; ``keywords`` match any report
    title case-insensitively; ``languages`` match any report's language.
    """
    if not incident.is_outage and not filters.include_non_outages:
        return False
    languages = incident.languages
    if filters.languages and not any(
        lang == wanted or lang.startswith(wanted + "-")
        for lang in languages
        for wanted in filters.languages
    ):
        return False
    if filters.providers:
        wanted_ids = {find_provider(p) or p.casefold() for p in filters.providers}
        if incident.provider not in wanted_ids:
            return False
    if filters.keywords:
        titles = " ".join(a.title for a in incident.articles).casefold()
        return any(k.casefold() in titles for k in filters.keywords)
    return True
