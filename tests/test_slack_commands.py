"""Reading what people type after /outage-summary."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.slack.commands import (
    ChangeSetting,
    Help,
    ListIncidents,
    ShowSettings,
    ShowSources,
    Subscribe,
    SummarizeUrl,
    Unsubscribe,
    UsageError,
    parse,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ListIncidents()),
        ("   ", ListIncidents()),
        ("public", ListIncidents(public=True)),
        ("aws", ListIncidents(query="aws")),
        ("阿里云", ListIncidents(query="阿里云")),
        ("cloudflare 7d", ListIncidents(query="cloudflare", window=timedelta(days=7))),
        (
            "Google Cloud 12h public",
            ListIncidents(query="Google Cloud", window=timedelta(hours=12), public=True),
        ),
        ("2w", ListIncidents(window=timedelta(weeks=2))),
        ("help", Help()),
        ("sources", ShowSources()),
        ("settings", ShowSettings()),
        ("unsubscribe all", Unsubscribe(url=None)),
    ],
)
def test_requests(text: str, expected: object) -> None:
    assert parse(text) == expected


def test_a_url_is_summarised_whether_or_not_slack_wrapped_it() -> None:
    assert parse("https://example.com/a?b=1") == SummarizeUrl(url="https://example.com/a?b=1")
    assert parse("<https://example.com/a|example.com/a> public") == SummarizeUrl(
        url="https://example.com/a", public=True
    )


def test_subscribe_needs_exactly_one_http_url() -> None:
    assert parse("subscribe <https://status.example.com/history.rss>") == Subscribe(
        url="https://status.example.com/history.rss"
    )
    for bad in ("subscribe", "subscribe ftp://x/feed", "subscribe https://a https://b"):
        with pytest.raises(UsageError, match="subscribe <feed-url>"):
            parse(bad)
    with pytest.raises(UsageError, match="unsubscribe all"):
        parse("unsubscribe")


def test_settings_changes_are_read_into_names_and_values() -> None:
    assert parse("settings schedule 0 9 * * 1-5") == ChangeSetting(
        name="schedule", value="0 9 * * 1-5"
    )
    assert parse("settings providers aws, cloudflare，阿里云") == ChangeSetting(
        name="providers", value=("aws", "cloudflare", "阿里云")
    )
    assert parse("settings languages any") == ChangeSetting(name="languages", value=())
    assert parse("settings summary-language EN") == ChangeSetting(
        name="summary_language", value="en"
    )
    with pytest.raises(UsageError, match="unknown setting `colour`"):
        parse("settings colour blue")
    with pytest.raises(UsageError, match="give a value"):
        parse("settings timezone")


def test_windows_outside_what_we_keep_are_refused() -> None:
    with pytest.raises(UsageError, match="between 1h and 30d"):
        parse("aws 90d")
    with pytest.raises(UsageError, match="between 1h and 30d"):
        parse("aws 0h")


def test_a_url_mixed_with_words_is_refused_with_the_right_form() -> None:
    with pytest.raises(UsageError, match="one URL on its own"):
        parse("https://example.com/a https://example.com/b")


def test_every_request_kind_has_one_entry_in_the_subcommand_table() -> None:
    from typing import get_args

    from bot.slack.commands import Request
    from bot.slack.handlers import SUBCOMMANDS

    assert set(SUBCOMMANDS) == set(get_args(Request))
    slow = {kind for kind, entry in SUBCOMMANDS.items() if not entry.quick}
    assert {kind for kind, entry in SUBCOMMANDS.items() if entry.note} <= slow
