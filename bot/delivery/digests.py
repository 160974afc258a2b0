"""Build a channel's digest and deliver it: the one path every process takes.

``on_error`` is the only difference between callers. "report" (one-shot commands,
``digest``, ``demo``): a refused delivery becomes the report's ``error`` and the
next channel goes on. "retry" (a worker's deliver job): a failure Slack may get
over raises, so the job is retried; a channel Slack refuses for good
(ChannelUnavailable) is reported either way, as retrying cannot help until a
person acts. In both cases the undelivered incidents stay pending.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from bot.config import ChannelConfig
from bot.delivery.deliver import DeliveryReport, deliver
from bot.delivery.pacing import Pacer
from bot.delivery.ports import ProblemReporter, Sink
from bot.digest.build import build_digest, summarize_leads
from bot.errors import ChannelUnavailable, DeliveryError
from bot.outage.entities import EntityCatalog
from bot.store import Store
from bot.summarize.base import Summarizer

log = logging.getLogger(__name__)

ErrorPolicy = Literal["report", "retry"]


def deliver_channel(
    store: Store,
    channel: ChannelConfig,
    summarizer: Summarizer,
    sink: Sink,
    now: datetime,
    catalog: EntityCatalog,
    *,
    on_error: ErrorPolicy = "report",
    reporter: ProblemReporter | None = None,
    pacer: Pacer | None = None,
) -> DeliveryReport:
    """Build ``channel``'s digest and deliver what is new in it (see the module doc)."""
    digest = build_digest(store, channel.id, summarizer, now, catalog, channel.summary_language)
    if not digest.items:
        return DeliveryReport(channel.id, 0, 0)
    try:
        return deliver(store, digest, sink, channel.timezone, pacer=pacer)
    except DeliveryError as exc:
        unavailable = isinstance(exc, ChannelUnavailable)
        if on_error == "retry" and not unavailable:
            raise
        log.error("could not deliver the digest for %s: %s", channel.id, exc)
        if reporter is not None and isinstance(exc, ChannelUnavailable):
            reporter.report(channel.id, exc.error)
        return DeliveryReport(channel.id, 0, 0, error=str(exc))


def digest_and_deliver(
    store: Store,
    channels: Sequence[ChannelConfig],
    summarizer: Summarizer,
    sink: Sink,
    now: datetime,
    catalog: EntityCatalog,
    *,
    reporter: ProblemReporter | None = None,
    pacer: Pacer | None = None,
) -> list[DeliveryReport]:
    """Each channel's digest, delivered; one channel's failure never stops the others.

    A failed channel's report carries the ``error``; its incidents stay pending. When
    Slack refuses the channel for good (ChannelUnavailable), ``reporter`` tells a person.
    ``summarizer`` is the cached one: every channel's summaries are written first, one
    batch per language, and each channel's digest reads them back.
    """
    summarize_leads(store, channels, summarizer, now)
    return [
        deliver_channel(
            store,
            c,
            summarizer,
            sink,
            now,
            catalog,
            on_error="report",
            reporter=reporter,
            pacer=pacer,
        )
        for c in channels
    ]
