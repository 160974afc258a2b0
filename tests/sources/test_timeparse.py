"""Dates as articles and file names write them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.sources.timeparse import date_from_path, parse_loose_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-12-07T15:32:00Z", datetime(2021, 12, 7, 15, 32, tzinfo=UTC)),
        ("Wed, 08 Dec 2021 01:37:12 GMT", datetime(2021, 12, 8, 1, 37, 12, tzinfo=UTC)),
        ("September 27, 2021", datetime(2021, 9, 27, tzinfo=UTC)),
        ("July 22, 2021 -- 18:48 GMT (19:48 BST)", datetime(2021, 7, 22, 18, 48, tzinfo=UTC)),
        ("December 10th, 2021", datetime(2021, 12, 10, tzinfo=UTC)),
        ("2022年12月20日 22时06分", datetime(2022, 12, 20, tzinfo=UTC)),
    ],
)
def test_dates_as_articles_write_them(text: str, expected: datetime) -> None:
    assert parse_loose_time(text) == expected


@pytest.mark.parametrize("text", ["Monday", "May 21", "Unknown", "", "1044 days"])
def test_text_without_a_plausible_year_is_not_a_date(text: str) -> None:
    assert parse_loose_time(text) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("_posts/2021-12-07-aws-outage.md", datetime(2021, 12, 7, tzinfo=UTC)),
        ("2021-12-07.md", datetime(2021, 12, 7, tzinfo=UTC)),
        ("archive/2024/07/20/daily/Some title.md", datetime(2024, 7, 20, tzinfo=UTC)),
        ("news/2023-06-08/story.md", datetime(2023, 6, 8, tzinfo=UTC)),
        ("news/20230608/story.md", datetime(2023, 6, 8, tzinfo=UTC)),
        ("C:\\posts\\2022-02-02-git.md", datetime(2022, 2, 2, tzinfo=UTC)),
    ],
)
def test_dates_from_path_conventions(path: str, expected: datetime) -> None:
    assert date_from_path(path) == expected


@pytest.mark.parametrize(
    "path",
    [
        "notes/aws-outage.md",
        # A date inside a name (not leading it) may be another event's date.
        "labelled/kakao-2022-10-15_20221018_freebuf.md",
        "posts/2021-13-45-bad-month.md",
        "1850/01/01/old.md",
        "",
    ],
)
def test_paths_without_a_date_convention(path: str) -> None:
    assert date_from_path(path) is None
