"""The ports delivery sends through: small protocols that Slack and the terminal implement.

Delivery owns these so it never imports ``bot.slack``; ``bot.slack.poster``
implements ``MessageSink`` and ``ProblemReporter`` on Slack's Web API.
"""

from __future__ import annotations

from typing import Protocol, TypeAlias, runtime_checkable

from bot.delivery.messages import SentMessage
from bot.digest.render import Message
from bot.schema import Digest

__all__ = ["DigestSink", "Message", "MessageSink", "ProblemReporter", "SentMessage", "Sink"]


class DigestSink(Protocol):
    """Takes a digest whole. Returns one id per message sent (or a label)."""

    def deliver(self, digest: Digest, timezone: str) -> list[str]: ...


@runtime_checkable
class MessageSink(Protocol):
    """Posts single messages and edits them later (Slack). Raises DeliveryError."""

    def post(self, channel: str, message: Message, thread_ts: str | None = None) -> SentMessage:
        """Post to a channel (id or #name); says the message ts and the channel id."""
        ...

    def update(self, channel_id: str, ts: str, message: Message) -> bool:
        """Replace a message; False when it no longer exists (someone deleted it)."""
        ...

    def find_posted(self, channel: str, incident_id: str, revision: int) -> SentMessage | None:
        """The incident message an interrupted delivery posted, if the channel has it."""
        ...


Sink: TypeAlias = DigestSink | MessageSink


class ProblemReporter(Protocol):
    """Tells a person that a channel cannot receive digests (``problem``: Slack's error)."""

    def report(self, channel: str, problem: str) -> None: ...
