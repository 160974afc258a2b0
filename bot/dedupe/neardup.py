"""Near-duplicate articles: MinHash signatures with LSH banding, state in Redis.

datasketch computes the MinHash signatures (character shingles, which work for
Chinese, where there are no spaces to split words on). The LSH index is kept in
Redis by us rather than by datasketch's own Redis storage, because that storage
builds its own client (ours is injected) and cannot expire its keys (ours must:
see bot/keys.py).

64 permutations in 16 bands of 4 rows put the S-curve's midpoint near a Jaccard
similarity of 0.5: syndicated copies and light rewrites of one story collide,
different stories about the same provider do not.
"""

from __future__ import annotations

import re
import unicodedata
from typing import cast

import numpy as np
from datasketch import MinHash

from bot.keys import ARTICLE_TTL, digest_of
from bot.store import Store

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
# Candidates from the index are confirmed on their full signatures.
SIMILARITY = 0.5
_NOISE = re.compile(r"[\W_]+", re.UNICODE)
# Signatures are stored as raw hash values; rebuilding one needs datasketch's
# hashing scheme and value type, which a default MinHash tells us.
_SCHEME = MinHash(num_perm=1).scheme
_DTYPE = MinHash(num_perm=1).hashvalues.dtype


def shingles(text: str) -> set[bytes]:
    """Character n-grams of the text without spaces or punctuation.

    Han text uses 3-grams (a Chinese word is one to three characters), Latin
    text 5-grams (about one short word), so both give similar selectivity.
    """
    flat = _NOISE.sub("", unicodedata.normalize("NFKC", text).lower())
    han = sum(1 for c in flat if "\u4e00" <= c <= "\u9fff")
    size = 3 if han > len(flat) / 3 else 5
    if len(flat) <= size:
        return {flat.encode()} if flat else set()
    return {flat[i : i + size].encode() for i in range(len(flat) - size + 1)}


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch(list(shingles(text)))
    return minhash


class NearDuplicates:
    def __init__(self, store: Store) -> None:
        self._store = store

    def similar(self, minhash: MinHash) -> list[tuple[str, float]]:
        """Stored articles whose estimated Jaccard similarity is at least SIMILARITY."""
        keys = self._store.keys
        read = self._store.redis.pipeline(transaction=False)
        for band, value in enumerate(_bands(minhash)):
            read.smembers(keys.lsh_band(band, value))
        candidates = sorted(set().union(*read.execute()))
        if not candidates:
            return []
        stored = self._store.redis.mget([keys.minhash(c) for c in candidates])
        found = []
        for candidate, raw in zip(candidates, stored, strict=True):
            if raw is None:
                continue
            values = np.frombuffer(bytes.fromhex(str(raw)), _DTYPE)
            other = MinHash(num_perm=NUM_PERM, hashvalues=values, scheme=_SCHEME)
            score = float(minhash.jaccard(other))
            if score >= SIMILARITY:
                found.append((cast(str, candidate), score))
        return sorted(found, key=lambda pair: -pair[1])

    def add(self, article_id: str, minhash: MinHash) -> None:
        keys = self._store.keys
        ttl = int(ARTICLE_TTL.total_seconds())
        write = self._store.redis.pipeline(transaction=False)
        write.set(keys.minhash(article_id), minhash.hashvalues.tobytes().hex(), ex=ttl)
        for band, value in enumerate(_bands(minhash)):
            key = keys.lsh_band(band, value)
            write.sadd(key, article_id)
            write.expire(key, ttl)
        write.execute()


def _bands(minhash: MinHash) -> list[str]:
    values = minhash.hashvalues
    return [digest_of(values[b * ROWS : (b + 1) * ROWS].tobytes().hex())[:16] for b in range(BANDS)]
