"""The day an article says its event happened."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.outage.eventday import stated_day

# A Tuesday.
PUBLISHED = datetime(2023, 1, 31, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "lead", "day"),
    [
        (
            "Microsoft 365 全球宕机5小时",
            "2023 年 1 月 25日，Teams 和 Outlook 中断。",
            (2023, 1, 25),
        ),
        ("Outage hit on Monday", "", (2023, 1, 30)),
        ("Telco restores service", "The outage began on January 27 at noon.", (2023, 1, 27)),
        ("服务中断", "上周五晚间，多地用户无法登录。", (2023, 1, 27)),
        ("昨天下午故障", "", (2023, 1, 30)),
        (
            "Users could not log in yesterday",
            "Last Wednesday a smaller fault was seen.",
            (2023, 1, 25),
        ),
        # December from a January report: the year before.
        ("Year-end outage", "It started on 30 Dec. and lasted a day.", None),
        ("Year-end outage", "It started on Jan. 2 and lasted a day.", None),
    ],
)
def test_stated_days(title: str, lead: str, day: tuple[int, int, int] | None) -> None:
    expected = datetime(*day, tzinfo=UTC) if day else None
    assert stated_day(title, lead, PUBLISHED) == expected


def test_a_day_long_before_publication_is_context_not_the_event() -> None:
    assert stated_day("Another outage", "It follows the one on January 2.", PUBLISHED) is None


def test_the_day_before_new_year_is_last_year() -> None:
    published = datetime(2024, 1, 3, tzinfo=UTC)
    assert stated_day("Outage", "It began on December 30.", published) == datetime(
        2023, 12, 30, tzinfo=UTC
    )


def test_an_undated_article_takes_the_full_date_it_writes() -> None:
    from bot.outage.eventday import written_day

    lead = "On Monday 4th October 2021, the social network and its apps went dark."
    assert written_day("A tale of the outage", lead) == datetime(2021, 10, 4, tzinfo=UTC)
    assert written_day("故障回顾", "2021年10月4日，多个应用无法访问。") == datetime(
        2021, 10, 4, tzinfo=UTC
    )
    # A month and a year, or a day and a month, are not a date.
    assert written_day("The outage of October 2021", "It failed on 4 October.") is None


def test_an_undated_pages_posted_or_updated_note_gives_its_yearless_day_a_year() -> None:
    from bot.outage.eventday import written_day

    body = "We are sorry for today's trouble with sign-ins. " + "Details follow. " * 60
    noted = f"{body}_(Updated on Nov. 3, 2025, with the fix)_"
    assert written_day("An update about the November 2nd outage", noted) == datetime(
        2025, 11, 2, tzinfo=UTC
    )
    # A January page about a late-December day: the year before the note's.
    assert written_day("关于12月30日服务中断的说明", "很抱歉。" * 150 + "更新于2026年1月2日") == (
        datetime(2025, 12, 30, tzinfo=UTC)
    )
    # No note, or a note too long after the day: the day has no year.
    assert written_day("An update about the November 2nd outage", body) is None
    late = f"{body}Last updated: March 9, 2026."
    assert written_day("An update about the November 2nd outage", late) is None
    # A full date further on that no note introduces is not the page's own.
    assert written_day("The November 2nd outage", f"{body}Founded on May 1, 2019.") is None


# Tuesday 31 January, late in the UTC day: Wednesday morning already in Sydney and Tokyo.
LATE_UTC = datetime(2023, 1, 31, 21, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lead", "published", "day"),
    [
        # Published late in the UTC day, the local day named may be the next one.
        ("Queues formed at Sydney airport on Wednesday morning.", LATE_UTC, (2023, 2, 1)),
        ("The check-in system failed on February 1.", LATE_UTC, (2023, 2, 1)),
        ("周三上午，东京多家银行ATM无法使用。", LATE_UTC, (2023, 2, 1)),
        ("The outage began on Tuesday.", LATE_UTC, (2023, 1, 31)),
        ("The outage began on Thursday.", LATE_UTC, (2023, 1, 26)),
        # "last Wednesday" still counts from the publication's own week.
        ("A first fault was seen last Wednesday.", LATE_UTC, (2023, 1, 25)),
        # Early in the UTC day, no zone is a day ahead enough: last week's Wednesday.
        ("Queues formed at the airport on Wednesday.", PUBLISHED, (2023, 1, 25)),
        ("The check-in system failed on February 1.", PUBLISHED, None),
    ],
)
def test_a_report_late_in_the_utc_day_may_name_the_next_local_day(
    lead: str, published: datetime, day: tuple[int, int, int] | None
) -> None:
    expected = datetime(*day, tzinfo=UTC) if day else None
    assert stated_day("Outage", lead, published) == expected
