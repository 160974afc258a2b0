"""Claims against a real Redis: new once, never twice, even with two processes."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from bot.dedupe.claims import Deduper
from bot.dedupe.identity import article_id, content_hash
from bot.keys import SEEN_TTL
from bot.schema import Article
from bot.store import Store
from bot.store.articles import ArticleStore

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def make_article(
    n: int, *, title: str | None = None, guid: str | None = "g", url: str | None = None,
    text: str | None = None, published: datetime = NOW,
) -> Article:  # fmt: skip
    body = text if text is not None else f"Body of story number {n}. It is about an outage."
    guid_value = f"feed|{guid}-{n}" if guid else None
    link = url if url is not None else f"https://news.example.com/{n}"
    digest = content_hash(title or f"t{n}", body)
    return Article(
        id=article_id(guid_value, link, digest),
        source="feed",
        url=link,
        guid=guid_value,
        title=title or f"Story {n}",
        paragraphs=(body,),
        language="en",
        published=published,
        content_hash=digest,
    )


def test_an_article_is_new_once(store: Store) -> None:
    deduper = Deduper(store)
    article = make_article(1)
    assert deduper.claim(article) is True
    assert deduper.claim(article) is False


def test_title_edit_and_new_timestamp_do_not_reannounce(store: Store) -> None:
    deduper = Deduper(store)
    assert deduper.claim(make_article(1))
    edited = make_article(1, title="Story 1 (updated)", published=NOW + timedelta(hours=3))
    assert deduper.claim(edited) is False


def test_same_body_under_new_guid_and_url_is_a_duplicate(store: Store) -> None:
    deduper = Deduper(store)
    assert deduper.claim(make_article(1, text="Identical text about the outage."))
    copy = make_article(
        2, guid="other", url="https://mirror.example.org/x", text="Identical text about the outage."
    )
    assert deduper.claim(copy) is False
    # The copy's unknown identities now point at the original, so its URL alone matches.
    by_url = make_article(3, url="https://mirror.example.org/x", text="A rewritten body.")
    assert deduper.claim(by_url) is False


def test_claims_expire_after_the_documented_ttl(store: Store) -> None:
    Deduper(store).claim(make_article(1))
    ttls = [store.redis.ttl(k) for k in store.redis.scan_iter(match="test:seen:*")]
    assert len(ttls) == 3  # guid, url, hash
    assert all(SEEN_TTL.total_seconds() - 60 < t <= SEEN_TTL.total_seconds() for t in ttls)


def test_a_new_article_is_stored_and_put_on_the_unfiled_list(store: Store) -> None:
    article = make_article(1)
    assert Deduper(store).claim(article)
    assert store.redis.zscore(store.keys.unfiled(), article.id) == int(NOW.timestamp())
    assert ArticleStore(store).get(article.id) == article
    # A duplicate puts nothing on the list.
    store.redis.delete(store.keys.unfiled())
    assert not Deduper(store).claim(article)
    assert store.redis.zcard(store.keys.unfiled()) == 0


def test_a_batch_is_claimed_in_order_in_one_round_trip(store: Store) -> None:
    same_text = "A storage fault took the service offline for an hour."
    batch = [make_article(1, text=same_text), make_article(2, text=same_text), make_article(3)]
    assert Deduper(store).claim_many(batch) == [True, False, True]


def test_known_checks_guid_and_link_before_extraction(store: Store) -> None:
    from bot.schema import Entry

    deduper = Deduper(store)
    deduper.claim(make_article(1))
    seen = Entry(source="feed", guid="g-1", title="x", html="")
    by_link = Entry(source="other", link="https://NEWS.example.com/1#top", title="y", html="")
    fresh = Entry(source="feed", guid="g-9", title="z", html="")
    assert deduper.known([seen, by_link, fresh]) == [True, True, False]


def test_replaying_a_feed_a_week_later_finds_nothing_new(store: Store) -> None:
    deduper = Deduper(store)
    first = [deduper.claim(make_article(n)) for n in range(50)]
    later = NOW + timedelta(days=7)
    replay = [deduper.claim(make_article(n, published=later)) for n in range(50)]
    assert all(first)
    assert not any(replay)


_CLAIMER = """
import sys
from bot.dedupe.claims import Deduper
from bot.keys import Keys
from bot.store import Store
import redis
from tests.test_dedupe import make_article

client = redis.Redis(unix_socket_path=sys.argv[1], decode_responses=True)
deduper = Deduper(Store(client, Keys("test"), "test"))
won = [n for n in range(int(sys.argv[2])) if deduper.claim(make_article(n))]
print(" ".join(map(str, won)))
"""


def test_two_processes_claiming_the_same_items_get_each_exactly_once(
    store: Store, redis_server: object
) -> None:
    count = 500
    socket = str(redis_server.socket)  # type: ignore[attr-defined]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CLAIMER, socket, str(count)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    won = [int(n) for out in outputs for n in out.split()]
    assert sorted(won) == list(range(count))  # every item once, none twice
    assert store.redis.zcard(store.keys.unfiled()) == count
