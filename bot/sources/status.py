"""Status-platform incidents, split into one Entry per update.

Three shapes are understood.

Atlassian Statuspage "Incident History" feeds (``/history.atom``, ``/history.rss``)
    An ordinary RSS/Atom feed (``parse_feed`` reads it) in which each item is one
    incident and its HTML body lists every update, newest first, one ``<p>`` each::

        <p><small>Aug <var>21</var>, <var>00:37</var> UTC</small><br>
           <strong>Resolved</strong> - This incident has been resolved.</p>

    The time has no year and names its zone by abbreviation (UTC, PST, CEST...).
    A ``<p>This incident affected: A, B and C.</p>`` paragraph, when present,
    names the affected components. :func:`expand_statuspage` splits the items
    (``bot.sources.statuspage``).

The AWS Service Health Dashboard ``data.json``
    ``{"archive": [...], "current": [...]}``; each event has ``service`` (an id
    such as ``ec2-us-east-1``), ``service_name``, ``summary`` (``[RESOLVED] ...``
    once over), ``date`` (epoch seconds of the event start, as a string) and an
    HTML ``description`` with one ``<div>`` per update, oldest first, each opening
    with a Pacific clock time: ``<span class="yellowfg"> 8:22 AM PST</span>``
    (``Dec 8, 1:12 AM PST`` when an event runs over several days).
    Read by :func:`parse_aws_health` (``bot.sources.cloud_status``).

Google Cloud ``incidents.json``
    A list of incidents (``id``, ``service_name``, ``external_desc``,
    ``affected_products``, ``uri``) whose ``updates`` (newest first) carry an ISO
    ``when``, a plain ``text`` and a ``status``: AVAILABLE, SERVICE_DISRUPTION,
    SERVICE_OUTAGE or SERVICE_INFORMATION. Read by :func:`parse_gcp_incidents`
    (``bot.sources.cloud_status``).

Every update becomes its own Entry, so a new update is a new item for the
pipeline, while ``thread`` (shared by all updates of one incident) still ties it
to its incident. ``status`` uses the one vocabulary of ``bot.schema.StatusWord``,
and ``guid`` is built from the incident and the update so it stays the same each
time the document is read again.

Third-party documents drift: one damaged incident or update is skipped (and
logged); only a document of the wrong shape altogether raises ParseError.
"""

from __future__ import annotations

# The readers live in their own modules (one per platform family, plus what they
# share); this module keeps the names that the reader and the tests import from here.
from bot.sources.cloud_status import (
    AWS_LINK,
    GCP_BASE,
    detect_status_json,
    parse_aws_health,
    parse_gcp_incidents,
)
from bot.sources.statuspage import expand_statuspage, is_statuspage

__all__ = [
    "AWS_LINK",
    "GCP_BASE",
    "detect_status_json",
    "expand_statuspage",
    "is_statuspage",
    "parse_aws_health",
    "parse_gcp_incidents",
]
