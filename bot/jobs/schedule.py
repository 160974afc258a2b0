"""When a channel's next digest is due: "realtime" or a cron line in its timezone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cronsim import CronSim

from bot.config import REALTIME, ChannelConfig


def is_due(channel: ChannelConfig, last_sent: datetime | None, now: datetime) -> bool:
    """True when a digest should go out now.

    A channel that never had a digest is due at once, so a new channel sees
    what is pending without waiting a day; after that, the cron line decides.
    """
    if channel.schedule == REALTIME or last_sent is None:
        return True
    tz = ZoneInfo(channel.timezone)
    next_fire: datetime = next(CronSim(channel.schedule, last_sent.astimezone(tz)))
    return next_fire <= now.astimezone(tz)
