"""The Slack messages of incidents that filing merged into others (``Incident.absorbed``:
a report bridging two incidents, or follow-ups emptying one into the incident they
follow). An event keeps one message per channel:

* an absorbing incident with no message of its own in the channel takes over the
  message of the first incident it absorbed (edited in place, its thread told what is
  new since; ``plan_merges``);
* the other absorbed messages are edited to say which incident they are part of now,
  and their threads' questions are answered about it (``finish_merges``);
* what is to become of each is noted in Redis before Slack is touched
  (``MessageLog.plan_merges``), so a delivery that dies midway, or an edit Slack
  refuses, is finished by the next delivery to the channel;
* a handed-over message is marked (``PostedMessage.merged_into``): a digest built
  before the merge does not post the absorbed incident again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.delivery.messages import MergedMessage, MessageLog, PostedMessage
from bot.delivery.pacing import Pacer
from bot.delivery.ports import MessageSink
from bot.digest.render import render_merged
from bot.errors import DeliveryError
from bot.schema import DigestItem

log = logging.getLogger(__name__)

Shown = dict[str, PostedMessage | None]  # incident id -> its message in the channel


def plan_merges(
    messages: MessageLog, channel: str, claimed: Sequence[DigestItem], before: Shown
) -> tuple[Shown, set[str], dict[str, MergedMessage]]:
    """``before`` (each claimed incident's message in ``channel``) with the messages the
    incidents with none take over; the ids of those; and what each absorbed incident's
    message here is to become."""
    shown_now = dict(before)
    adopted: set[str] = set()
    merges: dict[str, MergedMessage] = {}
    for item in claimed:
        own = item.incident.id
        live, merged_before = _absorbed_messages(messages, channel, item.incident.absorbed)
        shown = shown_now[own]
        if live and shown is None:
            shown_now[own] = shown = live[0][1]
            adopted.add(own)
        for gone, message in live:
            taken = shown is not None and message.ts == shown.ts
            merges[gone] = MergedMessage(into=own, message=None if taken else render_merged(item))
        # Those merged earlier into one that is now merged too: their threads are about
        # this incident now (their text still names the event).
        merges.update((gone, MergedMessage(into=own)) for gone in merged_before)
    return shown_now, adopted, merges


def finish_merges(messages: MessageLog, sink: MessageSink, pacer: Pacer, channel: str) -> None:
    """Edit and hand over the noted messages of absorbed incidents whose absorbing
    incident has its message in ``channel`` by now. One that Slack will not edit stays
    noted, tried again with the next delivery to the channel."""
    for gone, merge in messages.merges(channel).items():
        shown = messages.get(channel, gone)
        if shown is None or shown.merged_into == merge.into:
            messages.drop_merge(channel, gone)  # expired, or done already
            continue
        into = messages.get(channel, merge.into)
        if into is None or into.merged_into is not None:
            continue  # not shown here yet: a message must stay to show the event
        if merge.message is not None and shown.merged_into is None:
            pacer.wait(channel)
            try:
                sink.update(shown.channel_id or channel, shown.ts, merge.message)
            except DeliveryError as exc:
                log.warning("%s: message of merged incident %s left as it was: %s",
                            channel, gone, exc)  # fmt: skip
                continue
        messages.hand_over(channel, gone, shown, merge.into)


def _absorbed_messages(
    messages: MessageLog, channel: str, absorbed: tuple[str, ...]
) -> tuple[list[tuple[str, PostedMessage]], list[str]]:
    """Of ``absorbed`` (incident ids), those with a message in ``channel``, each with it;
    and those whose message there was handed over to another of ``absorbed``."""
    live: list[tuple[str, PostedMessage]] = []
    merged_before: list[str] = []
    for gone in absorbed:
        message = messages.get(channel, gone)
        if message is None:
            continue
        if message.merged_into is None:
            live.append((gone, message))
        elif message.merged_into in absorbed:
            merged_before.append(gone)
    return live, merged_before
