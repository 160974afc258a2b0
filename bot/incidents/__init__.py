"""Incidents: one per real-world event, grown by every report of it.

* ``book``    where incidents live in Redis, and how long (by the clock)
* ``rules``   what may join what: event time, official status-page identity, regions
* ``changes`` starting an incident and growing it with one report
* ``tracker`` the matching order; files one classified article under its lock
"""

from bot.incidents.book import IncidentBook
from bot.incidents.rules import NO_SUBJECT, subject_of
from bot.incidents.tracker import IncidentTracker

__all__ = ["NO_SUBJECT", "IncidentBook", "IncidentTracker", "subject_of"]
