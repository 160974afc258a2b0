"""What filing one report changed: the values the tracker and its follow-ups step
return to the intake, which queues every changed incident for the channels that want it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.schema import Incident


@dataclass(frozen=True)
class Settled:
    """Where a report just filed is once follow-ups have moved (``bot.incidents.distant``),
    and the other incidents a move changed, as stored: those that gained reports and
    those that lost some but still hold others. (One left empty is gone: the incident it
    emptied into takes its place in Slack, ``Incident.absorbed``.)"""

    incident: Incident
    changed: tuple[Incident, ...] = ()


@dataclass(frozen=True)
class Filing:
    """The incident that holds an article now, whether this call filed it (not another
    process), and the other incidents whose reports moved, to be shown again."""

    incident: Incident
    mine: bool
    changed: tuple[Incident, ...] = ()
