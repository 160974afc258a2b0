"""Per-source health and back-off, stored in a real Redis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sources.health import BACKOFF_MAX, SourceStates
from bot.store import Store

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_a_new_source_is_due_and_healthy(store: Store) -> None:
    state = SourceStates(store).get("status")
    assert state.due(NOW) and state.failures == 0 and state.last_success is None


def test_backoff_grows_exponentially_with_jitter_and_is_capped(store: Store) -> None:
    states = SourceStates(store, rng=lambda: 0.5)  # jitter factor exactly 1.0
    waits = [states.record_failure("feed", NOW, "HTTP 500") - NOW for _ in range(12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == BACKOFF_MAX
    state = states.get("feed")
    assert state.failures == 12 and state.last_error == "HTTP 500"
    assert not state.due(NOW) and state.due(NOW + BACKOFF_MAX)


def test_jitter_spreads_retries(store: Store) -> None:
    low = SourceStates(store, rng=lambda: 0.0).record_failure("a", NOW, "x") - NOW
    high = SourceStates(store, rng=lambda: 0.999).record_failure("b", NOW, "x") - NOW
    assert low == timedelta(seconds=30) and timedelta(seconds=89) < high < timedelta(seconds=90)


def test_retry_after_wins_when_longer(store: Store) -> None:
    states = SourceStates(store, rng=lambda: 0.5)
    assert states.record_failure("busy", NOW, "HTTP 429", retry_after=3600) == NOW + timedelta(
        hours=1
    )
    absurd = states.record_failure("busy2", NOW, "HTTP 429", retry_after=10**9)
    assert absurd == NOW + timedelta(hours=24)


def test_success_resets_failures_and_keeps_validators(store: Store) -> None:
    states = SourceStates(store)
    states.record_failure("feed", NOW, "timeout")
    states.record_success(
        "feed", NOW, new=3, etag='"abc"', last_modified="Sat, 28 Nov 2026 12:00:00 GMT"
    )
    state = states.get("feed")
    assert state.failures == 0 and state.due(NOW) and state.last_new == 3
    assert state.etag == '"abc"' and state.last_success == NOW
    assert state.last_error == "timeout"  # the last error stays visible for `sources`
    states.record_success("feed", NOW, new=0)  # a 304 keeps the validators
    assert states.get("feed").etag == '"abc"'


def test_source_state_expires(store: Store) -> None:
    SourceStates(store).record_success("feed", NOW, new=1)
    (key,) = store.redis.scan_iter(match="test:source:*")
    assert 0 < store.redis.ttl(key) <= 90 * 86400
