"""Exact dedupe: claim an article's identities atomically in Redis.

An article is new only if none of its identities (GUID, normalised URL, content
hash) was claimed before. The check, the claim, storing the article and putting
it on the unfiled list happen in one Lua script, which Redis runs atomically: two
processes reading the same feed at once cannot both decide an item is new, and a
process killed half-way cannot leave an item claimed but never filed (the next
run files what is on the list).

When an item turns out to be a duplicate, its identities that were still
unknown are recorded too (pointing at the original), so a re-published copy
with a new GUID is recognised by that GUID next time.

Back-pressure, not loss: the unfiled list is never trimmed. When it is full
(filing has fallen far behind), a new item is *deferred*: nothing is recorded,
so it is still new the next time its source is read. An item is only ever
marked seen together with being queued for filing.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import cast

from bot.dedupe.identity import entry_identities, identities
from bot.keys import ARTICLE_TTL, SEEN_TTL, UNFILED_MAX
from bot.schema import Article, Entry
from bot.store import Store

# KEYS: n identity keys, the article key, then the sorted sets to queue into.
# ARGV: article id, n, seen TTL, article TTL, article JSON, score, queue max.
# Returns "" when the article is new (and now claimed and queued), FULL when a
# queue is full (nothing was written: the item stays new), else the id of the
# article that claimed one of its identities first.
_FULL = "!full"  # article ids are hex digests: no clash
_CLAIM = """
local id, n = ARGV[1], tonumber(ARGV[2])
local owner = false
for i = 1, n do
  owner = redis.call('GET', KEYS[i])
  if owner then break end
end
if not owner then
  for i = n + 2, #KEYS do
    if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[7]) then return '!full' end
  end
end
for i = 1, n do
  redis.call('SET', KEYS[i], owner or id, 'NX', 'EX', ARGV[3])
end
if owner then return owner end
redis.call('SET', KEYS[n + 1], ARGV[5], 'EX', ARGV[4])
for i = n + 2, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[6], id)
end
return ''
"""


class Claim(Enum):
    NEW = "new"  # claimed now: stored and queued for filing
    SEEN = "seen"  # one of its identities was claimed before
    DEFERRED = "deferred"  # the filing queue is full: nothing recorded, read again later


class Deduper:
    """Claims articles; ``claim`` is the single point where "new" is decided."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._script = store.redis.register_script(_CLAIM)

    def known(self, entries: Sequence[Entry]) -> list[bool]:
        """Which entries were seen before, judged by GUID and link alone.

        One pipelined round trip for a whole feed, before any extraction or page
        fetch: a feed that has not changed costs almost nothing. Entries that
        pass may still turn out to be duplicates by content in ``claim``.
        """
        keys = self._store.keys
        per_entry = [
            [
                keys.seen(kind, value)
                for kind, value in entry_identities(
                    e.source, e.guid, e.link, status_update=e.status is not None
                )
            ]
            for e in entries
        ]
        check = self._store.redis.pipeline(transaction=False)
        for entry_keys in per_entry:
            if entry_keys:
                check.exists(*entry_keys)
        answers = iter(check.execute()) if any(per_entry) else iter(())
        return [bool(next(answers)) if entry_keys else False for entry_keys in per_entry]

    def claim(self, article: Article) -> bool:
        """True if this call made the article ours; it is then stored and put on
        the unfiled list (for bot.intake.filing). False for anything seen before."""
        return self.claim_many([article])[0]

    def claim_many(self, batch: Sequence[Article]) -> list[bool]:
        """``claim`` for many articles in one pipelined round trip.

        Each claim is still its own atomic script; they run in order, so two
        copies of one story inside the batch are told apart correctly.
        """
        return [outcome is Claim.NEW for outcome in self.claim_batch(batch)]

    def claim_batch(self, batch: Sequence[Article]) -> list[Claim]:
        """``claim_many`` telling a duplicate (SEEN) from an item left for later (DEFERRED)."""
        if not batch:
            return []
        pipe = self._store.redis.pipeline(transaction=False)
        for article in batch:
            keys, args = self._claim_call(article)
            self._script(keys=keys, args=args, client=pipe)
        return [_outcome(cast(str, owner)) for owner in pipe.execute()]

    def _claim_call(self, article: Article) -> tuple[list[str], list[str | int]]:
        keys = self._store.keys
        identity_keys = [
            keys.seen(kind, value)
            for kind, value in identities(
                article.guid,
                article.url or None,
                article.content_hash,
                status_update=article.status is not None,
            )
        ]
        return (
            [*identity_keys, keys.article(article.id), keys.unfiled()],
            [
                article.id,
                len(identity_keys),
                int(SEEN_TTL.total_seconds()),
                int(ARTICLE_TTL.total_seconds()),
                article.model_dump_json(),
                int(article.published.timestamp()),
                UNFILED_MAX,
            ],
        )


def _outcome(owner: str) -> Claim:
    if owner == "":
        return Claim.NEW
    return Claim.DEFERRED if owner == _FULL else Claim.SEEN
