"""Confirmation, timing and sources of an incident: what the on-call engineer reads first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest.briefing import (
    confirmation,
    duration_text,
    outlets,
    timing,
    timing_line,
    when,
)
from bot.schema import Incident, IncidentArticle, TimelineEntry

START = datetime(2021, 12, 7, 15, 30, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
NEW_YORK = ZoneInfo("America/New_York")


def _report(
    key: str,
    *,
    hours: float = 0,
    url: str | None = None,
    status: str | None = None,
    status_page: bool = False,
    language: str = "en",
    undated: bool = False,
    source: str = "news",
) -> IncidentArticle:
    published = START + timedelta(hours=hours)
    return IncidentArticle(
        article_id=key,
        url=url or f"https://news.example.com/{key}",
        title=f"Report {key}",
        language=language,
        source=source,
        published=published,
        status=status,  # type: ignore[arg-type]
        status_page=status_page,
        event_at=None if undated else published,
        undated=undated,
    )


def _incident(
    *reports: IncidentArticle,
    status: str | None = None,
    started_at: datetime | None = None,
    timeline: tuple[TimelineEntry, ...] = (),
) -> Incident:
    return Incident(
        id="inc",
        is_outage=True,
        provider="aws",
        status=status,  # type: ignore[arg-type]
        title="AWS outage",
        started_at=started_at,
        first_seen=min(r.published for r in reports),
        updated_at=max(r.published for r in reports),
        lead_article_id=reports[0].article_id,
        articles=reports,
        timeline=timeline,
    )


HEALTH = "https://health.aws.amazon.com/health/status"


# --- confirmation ---------------------------------------------------------------------------


def test_news_alone_is_news_only() -> None:
    incident = _incident(_report("a"), _report("b", hours=1), status="ongoing")
    assert confirmation(incident, "AWS") == "news only"


def test_a_status_page_update_confirms() -> None:
    page = _report("p", hours=1, url=HEALTH, status="investigating", status_page=True)
    incident = _incident(_report("a"), page, status="investigating")
    assert confirmation(incident, "AWS") == "confirmed by AWS status"


def test_an_unknown_providers_page_is_named_by_its_host() -> None:
    page = _report("p", url="https://status.example.org/incidents/1", status_page=True)
    assert confirmation(_incident(page), None) == "confirmed by status.example.org"


@pytest.mark.parametrize("status", ["resolved", "postmortem"])
def test_resolved_by_news_or_officially(status: str) -> None:
    news = _incident(_report("a"), _report("b", hours=3, status=status), status=status)
    assert confirmation(news, "AWS") == "resolved"
    page = _report("p", hours=2, url=HEALTH, status="resolved", status_page=True)
    official = _incident(_report("a"), page, status=status)
    assert confirmation(official, "AWS") == "resolved, confirmed by AWS status"


# --- timing -----------------------------------------------------------------------------------


def test_stated_start_wins_over_report_times() -> None:
    stated = START - timedelta(minutes=20)
    incident = _incident(_report("a", hours=1), started_at=stated)
    assert timing(incident).started == stated


def test_without_a_stated_start_the_earliest_dated_report_counts() -> None:
    incident = _incident(_report("u", hours=-50, undated=True), _report("a", hours=2))
    assert timing(incident).started == START + timedelta(hours=2)


def test_a_day_stated_long_before_the_first_report_is_not_the_start() -> None:
    # A post-mortem's "September 22" names an earlier outage, not this one's start.
    mention = _report("pm", hours=24).model_copy(update={"event_at": START - timedelta(days=12)})
    incident = _incident(_report("a", hours=2), mention)
    assert timing(incident).started == START + timedelta(hours=2)


def test_start_is_shown_in_the_channel_zone_and_in_utc() -> None:
    incident = _incident(_report("a"), started_at=START)
    line = timing_line(incident, NEW_YORK, START + timedelta(hours=3))
    assert line.startswith("Started 2021-12-07 10:30 EST (15:30 UTC) · ongoing for 3 h · ")
    assert line.endswith("last update 2021-12-07 10:30 EST")


def test_open_incident_says_how_long_it_has_been_going_on() -> None:
    incident = _incident(_report("a"), _report("b", hours=2), status="ongoing")
    line = timing_line(incident, UTC_ZONE, START + timedelta(hours=3, minutes=5))
    assert line == (
        "Started 2021-12-07 15:30 UTC · ongoing for 3 h 5 min · last update 2021-12-07 17:30 UTC"
    )
    assert "ongoing for" not in timing_line(incident, UTC_ZONE)  # no clock: no guess


def test_open_incident_without_news_for_a_day_is_not_ongoing_for_days() -> None:
    incident = _incident(_report("a"), status="ongoing")
    line = timing_line(incident, UTC_ZONE, START + timedelta(days=9))
    assert "open, no news for 9 d" in line and "ongoing for" not in line


def test_official_resolution_gives_end_time_and_duration() -> None:
    updates = (
        _report("p1", hours=1, url=HEALTH, status="investigating", status_page=True),
        _report("p2", hours=6.5, url=HEALTH, status="resolved", status_page=True),
        _report("p3", hours=8, url=HEALTH, status="resolved", status_page=True),
    )
    incident = _incident(_report("a"), *updates, status="resolved", started_at=START)
    told = timing(incident)
    assert told.resolved == START + timedelta(hours=6.5)
    assert told.duration == timedelta(hours=6, minutes=30)
    line = timing_line(incident, UTC_ZONE, START + timedelta(days=1))
    assert "resolved 2021-12-07 22:00 UTC, after 6 h 30 min" in line


def test_several_status_page_incidents_end_when_the_last_one_resolves() -> None:
    def update(key: str, hours: float, status: str, thread: str) -> IncidentArticle:
        report = _report(key, hours=hours, url=HEALTH, status=status, status_page=True)
        return report.model_copy(update={"thread": thread})

    incident = _incident(
        update("ec2-1", 1, "investigating", "ec2"),
        update("ec2-2", 5, "resolved", "ec2"),
        update("ec2-3", 9, "resolved", "ec2"),  # a later note on a resolved incident
        update("ddb-1", 1, "investigating", "dynamodb"),
        update("ddb-2", 7, "resolved", "dynamodb"),
        status="resolved",
        started_at=START,
    )
    assert timing(incident).resolved == START + timedelta(hours=7)
    assert timing(incident).duration == timedelta(hours=7)


def test_news_of_recovery_is_an_upper_bound_without_a_duration() -> None:
    incident = _incident(_report("a"), _report("b", hours=5, status="resolved"), status="resolved")
    told = timing(incident)
    assert told.duration is None
    assert "resolved by 2021-12-07 20:30 UTC (news)" in timing_line(incident, UTC_ZONE)


def test_a_single_report_of_an_outage_already_over_tells_no_end() -> None:
    incident = _incident(_report("a", status="resolved"), status="resolved")
    line = timing_line(incident, UTC_ZONE, START + timedelta(hours=1))
    assert "resolved (end time not reported)" in line
    assert "after" not in line


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(seconds=20), "1 min"),
        (timedelta(minutes=45), "45 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(hours=6, minutes=40), "6 h 40 min"),
        (timedelta(days=2, hours=4, minutes=10), "2 d 4 h"),
        (timedelta(days=3), "3 d"),
    ],
)
def test_duration_text(span: timedelta, text: str) -> None:
    assert duration_text(span) == text


def test_when_names_the_utc_date_when_it_differs() -> None:
    late = datetime(2021, 12, 8, 2, 0, tzinfo=UTC)
    assert when(late, NEW_YORK, utc_too=True) == "2021-12-07 21:00 EST (2021-12-08 02:00 UTC)"
    assert when(late, UTC_ZONE, utc_too=True) == "2021-12-08 02:00 UTC"


# --- sources ------------------------------------------------------------------------------------


def test_one_entry_per_outlet_official_first_with_counts_and_languages() -> None:
    reports = (
        _report("a", url="https://www.bleepingcomputer.com/a"),
        *(
            _report(f"p{i}", hours=i, url=f"{HEALTH}#{i}", status="ongoing", status_page=True)
            for i in range(6)
        ),
        _report("b", hours=7, url="https://bleepingcomputer.com/b"),
        _report("z", hours=1, url="https://www.cnbeta.com.tw/z", language="zh"),
        _report("f", hours=1, url="notes/local.md", source="archive"),
    )
    listed = outlets(_incident(*reports))
    assert [(o.name, o.reports, o.official, o.languages) for o in listed] == [
        ("health.aws.amazon.com", 6, True, ("en",)),
        ("bleepingcomputer.com", 2, False, ("en",)),
        ("cnbeta.com.tw", 1, False, ("zh",)),
        ("archive", 1, False, ("en",)),
    ]
    assert listed[0].latest.article_id == "p5"  # linked: the outlet's latest report
    assert listed[1].latest.article_id == "b"


def test_a_providers_own_post_event_summary_is_an_official_source_but_not_a_status_page() -> None:
    summary = _report("s", hours=60, url="https://aws.amazon.com/message/12721/")
    summary = summary.model_copy(
        update={"title": "Summary of the AWS Service Event in the Northern Virginia Region"}
    )
    incident = _incident(_report("a"), summary)
    assert [(o.name, o.official) for o in outlets(incident)] == [
        ("aws.amazon.com", True),
        ("news.example.com", False),
    ]
    assert confirmation(incident, "AWS") == "news only"  # a status page confirms, not a page


def test_a_local_source_given_as_a_path_is_named_by_its_last_part() -> None:
    report = _report("f", url="/data/corpus/seed/aws.md", source="/data/corpus/seed")
    assert outlets(_incident(report))[0].name == "seed"


def test_a_start_known_only_by_day_is_not_given_a_midnight_time() -> None:
    day = datetime(2021, 10, 4, tzinfo=UTC)  # a date-only file name reads as midnight
    report = _report("a").model_copy(update={"published": day, "event_at": day})
    incident = _incident(report, status="ongoing")
    assert timing(incident).date_only
    line = timing_line(incident, NEW_YORK, day + timedelta(hours=5))
    assert line.startswith("Started 2021-10-04 (time not reported) · ongoing · ")
    stated = _incident(report, status="ongoing", started_at=day)  # a stated 00:00 is a time
    assert not timing(stated).date_only
