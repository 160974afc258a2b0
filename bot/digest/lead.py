"""Which report leads an incident's message: chosen for the reader, not by arrival order.

Order of preference, each breaking the ties of the one before:

1. a root-cause report or official post-event summary (status ``postmortem``) once
   there is one: it says everything the first news said, and why; an official one
   before a news story about it;
2. a news report over a status-page update: an update is one line ("We are
   investigating"), a news report says who is hit and how;
3. a report in the channel's language (the summariser can translate, but a
   summary of a same-language report loses less);
4. a report with a body over a title-only one, then the longer body (in steps, so
   that a few characters more do not outweigh the rest);
5. the latest: for status pages the current state, not the first update.

Reports whose articles have expired from Redis still compete, on what the incident
kept about them. A follow-up attached weeks on (``IncidentArticle.attached``) does not.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.digest.briefing import official
from bot.schema import Article, Incident, IncidentArticle

BODY_STEP = 500  # characters: bodies within one step count as equally informative
BODY_CAP = 3000  # beyond this a longer body is not more useful in a summary


def choose_lead(
    incident: Incident,
    bodies: Mapping[str, Article],
    language: str | None = None,
) -> IncidentArticle:
    """The report to summarise for a channel whose summary language is ``language``
    (None: any). ``bodies`` maps article ids to the stored articles that are still kept."""

    def rank(report: IncidentArticle) -> tuple[bool, bool, bool, bool, bool, int, float]:
        article = bodies.get(report.article_id)
        body = 0 if article is None or article.title_only else len(article.text)
        return (
            root_cause_report(report),
            root_cause_report(report) and official(report),
            not report.status_page,
            language is None or _same_language(report.language, language),
            body > 0,
            min(body, BODY_CAP) // BODY_STEP,
            report.published.timestamp(),
        )

    # A follow-up attached weeks on is a guess at which outage it follows: it never leads.
    return max(incident.evidence or incident.articles, key=rank)


def _same_language(found: str, wanted: str) -> bool:
    # "zh" wants zh and zh-Hant alike; "en" is "en" whatever its region.
    return found.split("-")[0].lower() == wanted.split("-")[0].lower()


def root_cause_report(report: IncidentArticle) -> bool:
    """A root-cause report: a post-mortem, or a provider's own post-event summary."""
    # A provider's post-event summary is one whatever status its wording suggested to the
    # classifier (AWS's opens by recounting the event, so it reads as "ongoing").
    return report.status == "postmortem" or (not report.status_page and official(report))
