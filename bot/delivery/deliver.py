"""Delivering a digest exactly once: claim in Redis, deliver, then record.

Each item is claimed (``SET NX``) for its channel *before* it is sent, so a retry,
a restart or a second process can never send it again. If the sink fails, the
claims of the unsent items are released and they stay pending for the next run:
nothing is lost and nothing is sent twice. A process killed mid-delivery cannot
release anything, so a claim is a lease: it lapses after CLAIM_TTL (a minute)
unless a message ts has replaced it, and a live sender renews the claims it still
holds every CLAIM_HEARTBEAT_S (``bot.store.lease``) however long it takes. The next
claim of a lapsed item asks Slack whether the dead process had posted it
(every incident message carries its incident and revision as message
metadata) and adopts that message instead of posting again. A worker started
again on the same host does not wait for the lapse: each process lists the
claims it holds, and a dead pid's are released at start-up (``release_claims_of``).

Two kinds of sink (``bot.delivery.ports``; delivery never imports Slack):

- a ``MessageSink`` (Slack, ``bot.slack.poster``) posts message by message: a
  header, then one message per incident, each the root of the incident's thread.
  When an incident the channel has already seen changes, its message is edited
  and the change is told in its thread; there is never a second message for it.
  Posts are paced to about one per second per channel (``bot.delivery.pacing``).
- a ``DigestSink`` (the terminal for demos and dry runs, ``bot.delivery.terminal``)
  takes the digest whole.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from bot.delivery.merges import finish_merges, plan_merges
from bot.delivery.messages import MessageLog, PostedMessage, incident_metadata
from bot.delivery.pacing import ChannelPacer, Pacer
from bot.delivery.ports import DigestSink, Message, MessageSink, SentMessage, Sink
from bot.digest.render import ITEMS_PER_MESSAGE, render_change, render_header, render_incident
from bot.errors import DeliveryError
from bot.keys import ATTEMPT_TTL, CLAIM_TTL, POSTED_TTL, digest_of
from bot.schema import Digest, DigestItem
from bot.store import Store
from bot.store.delivered import DeliveredRevisions
from bot.store.lease import Heartbeat
from bot.store.liveness import dead_here, this_process

log = logging.getLogger(__name__)

CLAIM_HEARTBEAT_S = 15.0  # a quarter of CLAIM_TTL: three beats may fail before it lapses


@dataclass(frozen=True)
class DeliveryReport:
    channel: str
    delivered: int  # items sent by this call (new messages and updates)
    skipped: int  # items another process had already claimed
    message_ids: tuple[str, ...] = ()
    updated: int = 0  # of ``delivered``, incidents whose earlier message was edited
    error: str | None = None  # why the channel got nothing this time, if it failed


def deliver(
    store: Store,
    digest: Digest,
    sink: Sink,
    timezone: str = "UTC",
    *,
    pacer: Pacer | None = None,
) -> DeliveryReport:
    """Send the not-yet-claimed items of ``digest`` through ``sink``, once.

    ``pacer`` spaces a MessageSink's posts (default: one a second per channel, shared
    through Redis). Raises DeliveryError (ChannelUnavailable for a channel Slack refuses
    for good) after releasing the claims of whatever was not sent.
    """
    claimed, tried = _claim(store, digest)
    skipped = len(digest.items) - len(claimed)
    if not claimed:
        return DeliveryReport(digest.channel, 0, skipped)
    keys = [_claim_key(store, digest.channel, item) for item in claimed]
    with Heartbeat(CLAIM_HEARTBEAT_S, lambda: _renew(store, keys), name="claim-heartbeat"):
        if isinstance(sink, MessageSink):
            messages = _Messages(store, digest.channel, sink, pacer or ChannelPacer(store), tried)
            return messages.send(digest, claimed, skipped, timezone)
        return _deliver_whole(store, digest, claimed, skipped, sink, timezone)


# KEYS: the claims, then this process's set of held claims (``Keys.process_claims``),
# which lets a worker started again on this host release a dead process's claims
# at once (``release_claims_of``) instead of waiting for them to lapse.
_CLAIM = """
local held = KEYS[#KEYS]
local won = {}
for i = 1, #KEYS - 1 do
  if redis.call('SET', KEYS[i], 'claimed', 'NX', 'EX', ARGV[1]) then
    won[#won + 1] = i
    redis.call('SADD', held, KEYS[i])
  end
end
if #won > 0 then redis.call('EXPIRE', held, ARGV[1]) end
return won
"""

# Renews only claims still held ("claimed"): one that became a message ts is kept
# for 90 days by _record, and one given back must stay gone. The last key is the
# process's set of held claims, renewed with them.
_RENEW = """
for i = 1, #KEYS - 1 do
  if redis.call('GET', KEYS[i]) == 'claimed' then redis.call('EXPIRE', KEYS[i], ARGV[1]) end
end
redis.call('EXPIRE', KEYS[#KEYS], ARGV[1])
return 0
"""

# Gives back the claims a dead process held and never turned into a message ts.
# The claim keys are read from the set (a standalone Redis allows it; the bot does not
# run on Redis Cluster).
_RELEASE = """
local released = 0
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('GET', key) == 'claimed' then
    redis.call('DEL', key)
    released = released + 1
  end
end
redis.call('DEL', KEYS[1])
return released
"""


def _renew(store: Store, keys: list[str]) -> None:
    held = store.keys.process_claims(this_process())
    store.redis.eval(_RENEW, len(keys) + 1, *keys, held, int(CLAIM_TTL.total_seconds()))


def release_claims_of(store: Store, process: str) -> int:
    """Give back the unposted claims of ``process`` (``host:pid``), known to be dead;
    how many. The next delivery asks Slack first whether it had posted them."""
    return int(store.redis.eval(_RELEASE, 1, store.keys.process_claims(process)))


def dead_claim_holders(store: Store) -> list[str]:
    """Processes of this host that hold delivery claims and are no longer running."""
    host = socket.gethostname()
    holders = []
    for key in store.redis.scan_iter(match=store.keys.process_claims_pattern(host), count=100):
        process = str(key).removeprefix(store.keys.process_claims(""))
        _, _, pid = process.rpartition(":")
        if dead_here(host, pid):
            holders.append(process)
    return holders


def _claim(store: Store, digest: Digest) -> tuple[list[DigestItem], set[str]]:
    """The items this call may send, and the incidents among them claimed before.

    A claim lapses after CLAIM_TTL unless a message ts replaces it, so a process
    killed between claiming and recording gives its items back. Whether it had
    posted before dying is unknown: the ``attempt`` marker says that a later
    claim must ask Slack first (``MessageSink.find_posted``).
    """
    claim_ttl = int(CLAIM_TTL.total_seconds())
    attempt_ttl = int(ATTEMPT_TTL.total_seconds())
    keys = [_claim_key(store, digest.channel, item) for item in digest.items]
    # One script claims every free item at once: two processes delivering to one
    # channel at the same moment cannot split a digest between them (each would then
    # post its own header).
    held = store.keys.process_claims(this_process())
    won = store.redis.eval(_CLAIM, len(keys) + 1, *keys, held, claim_ttl) if keys else []
    claimed = [digest.items[int(index) - 1] for index in won]
    tried: set[str] = set()
    for item in claimed:
        incident = item.incident
        attempt = store.keys.attempt(digest.channel, incident.id, incident.revision)
        if not store.redis.set(attempt, "1", nx=True, ex=attempt_ttl):
            tried.add(incident.id)
    return claimed, tried


def _give_back(store: Store, channel: str, unsent: list[DigestItem], exc: Exception) -> NoReturn:
    """Release the claims of unsent items (they stay pending), then raise a DeliveryError."""
    if unsent:
        store.redis.delete(*(_claim_key(store, channel, i) for i in unsent))
    if isinstance(exc, DeliveryError):
        raise exc
    raise DeliveryError(f"{channel}: {exc}") from exc


def _deliver_whole(
    store: Store,
    digest: Digest,
    claimed: list[DigestItem],
    skipped: int,
    sink: DigestSink,
    timezone: str,
) -> DeliveryReport:
    # One sink call per message-sized chunk, recorded as soon as it is sent: if a
    # later chunk fails, only its own items are released for a retry.
    ids: list[str] = []
    sent = 0
    try:
        for start in range(0, len(claimed), ITEMS_PER_MESSAGE):
            chunk = claimed[start : start + ITEMS_PER_MESSAGE]
            chunk_ids = sink.deliver(digest.model_copy(update={"items": tuple(chunk)}), timezone)
            # Sent: from here on its claims stay, whatever fails, so it is never sent twice.
            sent += len(chunk)
            ids.extend(chunk_ids)
            for item in chunk:
                _record(store, digest.channel, item, ",".join(chunk_ids))
    except Exception as exc:
        _give_back(store, digest.channel, claimed[sent:], exc)
    log.info("delivered %d item(s) to %s", sent, digest.channel)
    return DeliveryReport(digest.channel, sent, skipped, tuple(ids))


class _Messages:
    """One digest's posts to one channel through a MessageSink."""

    def __init__(
        self, store: Store, channel: str, sink: MessageSink, pacer: Pacer, tried: set[str]
    ) -> None:
        self._tried = tried  # incidents an earlier, interrupted delivery may have posted
        self._store = store
        self._channel = channel
        self._sink = sink
        self._pacer = pacer
        self._log = MessageLog(store)
        self._ids: list[str] = []

    def send(
        self, digest: Digest, claimed: list[DigestItem], skipped: int, timezone: str
    ) -> DeliveryReport:
        before = {i.incident.id: self._log.get(self._channel, i.incident.id) for i in claimed}
        # An incident that absorbed others with messages here takes over the first of
        # them if it has none (an event never gets a second message; ``merges``).
        before, adopted, merges = plan_merges(self._log, self._channel, claimed, before)
        fresh = sum(1 for i in claimed if before[i.incident.id] is None)
        sent = updated = 0
        try:
            # Noted before Slack is touched: a delivery that dies midway leaves them to
            # the next.
            if merges:
                self._log.plan_merges(self._channel, merges)
            # The header of these very items may have been posted by a process that
            # died before finishing them: then a second one would be a duplicate.
            header_key = self._store.keys.header_posted(
                self._channel, digest_of(" ".join(sorted(_claim_key(self._store, self._channel, i)
                                                         for i in claimed)))
            )  # fmt: skip
            # Marked before posting, like the items' claims: a process killed while
            # Slack holds the post may have made it. A post that fails is unmarked.
            if fresh and self._store.redis.set(
                header_key, "1", nx=True, ex=int(ATTEMPT_TTL.total_seconds())
            ):
                header = render_header(digest, timezone, new=fresh, updated=len(claimed) - fresh)
                try:
                    self._post(header)
                except Exception:
                    self._store.redis.delete(header_key)
                    raise
            for item in claimed:
                shown = before[item.incident.id]
                if shown is not None and shown.merged_into:
                    # Absorbed since this digest was built: its news is in the message
                    # of the incident that absorbed it.
                    sent += 1
                    _record(self._store, self._channel, item, shown.ts)
                    continue
                if shown is None:
                    now_shown = self._first(item, timezone, digest.generated_at)
                elif shown.revision >= item.incident.revision and item.incident.id not in adopted:
                    now_shown = shown  # the message already shows this revision
                else:
                    now_shown = self._update(item, shown, timezone, digest.generated_at)
                    updated += now_shown.ts == shown.ts
                # Posted: from here on its claim stays, whatever fails, so no second post.
                sent += 1
                self._log.record(self._channel, item.incident.id, now_shown)
                _record(self._store, self._channel, item, now_shown.ts)
            finish_merges(self._log, self._sink, self._pacer, self._channel)
        except Exception as exc:
            _give_back(self._store, self._channel, claimed[sent:], exc)
        log.info("delivered %d item(s) to %s (%d updated)", sent, self._channel, updated)
        return DeliveryReport(self._channel, sent, skipped, tuple(self._ids), updated)

    def _first(self, item: DigestItem, timezone: str, now: datetime) -> PostedMessage:
        incident = item.incident
        if incident.id in self._tried:
            found = self._sink.find_posted(self._channel, incident.id, incident.revision)
            if found is not None:  # posted by a process that died before recording it
                log.info("%s: incident %s was already posted (%s)", self._channel, incident.id,
                         found.ts)  # fmt: skip
                return _shown(item, found.ts, found.channel)
        # The metadata lets a later delivery find this message if we die before recording it.
        message = {**render_incident(item, timezone, now),
                   "metadata": incident_metadata(incident.id, incident.revision)}  # fmt: skip
        posted = self._post(message)
        return _shown(item, posted.ts, posted.channel)

    def _update(
        self, item: DigestItem, shown: PostedMessage, timezone: str, now: datetime
    ) -> PostedMessage:
        """Edit the incident's message and tell the change in its thread."""
        # chat.update wants the channel id; the configuration may name the channel "#ops".
        channel = shown.channel_id or self._channel
        self._pacer.wait(self._channel)
        if not self._sink.update(channel, shown.ts, render_incident(item, timezone, now)):
            # Someone deleted the message, and its thread with it: start again.
            return self._first(item, timezone, now)
        self._ids.append(shown.ts)
        change = render_change(item, status_before=shown.status,
                               articles_before=shown.article_ids, timezone=timezone)  # fmt: skip
        self._post(change, thread_ts=shown.ts)
        return _shown(item, shown.ts, channel)

    def _post(self, message: Message, thread_ts: str | None = None) -> SentMessage:
        self._pacer.wait(self._channel)
        posted = self._sink.post(self._channel, message, thread_ts)
        self._ids.append(posted.ts)
        return posted


def _shown(item: DigestItem, ts: str, channel_id: str) -> PostedMessage:
    incident = item.incident
    return PostedMessage(
        ts=ts,
        revision=incident.revision,
        status=incident.status,
        article_ids=tuple(a.article_id for a in incident.articles),
        channel_id=channel_id,
    )


def _claim_key(store: Store, channel: str, item: DigestItem) -> str:
    return store.keys.posted(channel, item.incident.id, item.incident.revision)


# Take an incident off the channel's pending list only if no newer revision was
# filed meanwhile (otherwise that update would never be delivered).
# KEYS: incident key, pending key. ARGV: incident id, delivered revision.
_DONE = """
local raw = redis.call('GET', KEYS[1])
if raw and tonumber(cjson.decode(raw)['revision']) > tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
"""


def _record(store: Store, channel: str, item: DigestItem, sent_as: str) -> None:
    """Mark one item delivered: the claim keeps what it was sent as (message ts)."""
    keys, incident = store.keys, item.incident
    done = store.redis.register_script(_DONE)
    record = store.redis.pipeline(transaction=True)
    record.set(_claim_key(store, channel, item), sent_as, ex=int(POSTED_TTL.total_seconds()))
    delivered = DeliveredRevisions(store)
    record.set(delivered.key(channel, incident.id), incident.revision, ex=delivered.TTL_S)
    done(keys=[keys.incident(incident.id), keys.pending(channel)],
         args=[incident.id, incident.revision], client=record)  # fmt: skip
    record.execute()
