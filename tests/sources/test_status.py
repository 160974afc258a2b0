"""Status platforms split into one entry per update: Statuspage, AWS Health, Google Cloud."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.dedupe.identity import normalise_url
from bot.errors import ParseError
from bot.schema import Entry
from bot.sources.feeds import parse_feed
from bot.sources.status import (
    detect_status_json,
    expand_statuspage,
    is_statuspage,
    parse_aws_health,
    parse_gcp_incidents,
)
from tests.conftest import corpus_dir

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "status"


def _history() -> list[Entry]:
    parsed = parse_feed((FIXTURES / "statuspage_history.atom").read_bytes(), "codehost")
    return parsed.entries


def _json(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _incident(html: str, published: datetime | None, title: str = "Slow builds") -> Entry:
    return Entry(
        source="s",
        guid="tag:status.example.com,2005:Incident/9",
        link="https://status.example.com/incidents/zzz",
        title=title,
        html=html,
        published=published,
    )


def _update(stamp: str, word: str, text: str) -> str:
    return f"<p><small>{stamp}</small><br /><strong>{word}</strong> - {text}</p>"


# --------------------------------------------------------------------------- Statuspage


def test_history_feed_is_recognised_by_title_or_by_update_markup() -> None:
    entries = _history()
    assert is_statuspage("Example Code Host Status - Incident History", entries)
    assert is_statuspage("Example Code Host", entries)  # the markup alone is enough
    plain = [_incident("<p>A normal news article.</p>", None)]
    assert not is_statuspage("Cloud news", plain)
    assert not is_statuspage("Cloud news", [])


def test_each_update_becomes_an_entry_newest_first() -> None:
    expanded = expand_statuspage(_history())
    assert [e.title for e in expanded] == [
        "Delayed webhook deliveries — Resolved",
        "Delayed webhook deliveries — Monitoring",
        "Delayed webhook deliveries — Investigating",
        "Incident with Pages and Actions — Resolved",
        "Incident with Pages and Actions — Update",
        "Incident with Pages and Actions — Update",
        "Incident with Pages and Actions — Identified",
        "Incident with Pages and Actions — Investigating",
    ]
    assert [e.status for e in expanded] == [
        "resolved", "monitoring", "investigating",
        "resolved", "update", "update", "identified", "investigating",
    ]  # fmt: skip


def test_update_html_is_only_that_update_text() -> None:
    monitoring = expand_statuspage(_history())[1]
    assert monitoring.html == (
        "<p>A fix is out; we are watching delivery latency &amp; queue depth.</p>"
    )


def test_update_times_roll_back_a_year_across_new_year() -> None:
    first = expand_statuspage(_history())[:3]
    assert [e.published for e in first] == [
        datetime(2025, 1, 1, 1, 20, tzinfo=UTC),
        datetime(2024, 12, 31, 23, 55, tzinfo=UTC),
        datetime(2024, 12, 31, 23, 10, tzinfo=UTC),
    ]


def test_update_times_convert_the_printed_zone_to_utc() -> None:
    second = expand_statuspage(_history())[3:]
    # 11:00, 10:30 and 10:05 PDT are UTC-7.
    assert [e.published for e in second] == [
        datetime(2024, 7, 9, 18, 0, tzinfo=UTC),
        datetime(2024, 7, 9, 17, 30, tzinfo=UTC),
        datetime(2024, 7, 9, 17, 30, tzinfo=UTC),
        datetime(2024, 7, 9, 17, 30, tzinfo=UTC),
        datetime(2024, 7, 9, 17, 5, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        pytest.param("Mar 10, 09:30 CEST", datetime(2024, 3, 10, 7, 30, tzinfo=UTC), id="cest"),
        pytest.param("Mar 10, 09:30 IST", datetime(2024, 3, 10, 4, 0, tzinfo=UTC), id="ist"),
        pytest.param("Mar 10, 09:30 AEDT", datetime(2024, 3, 9, 22, 30, tzinfo=UTC), id="aedt"),
        pytest.param("Mar 10, 09:30 EST", datetime(2024, 3, 10, 14, 30, tzinfo=UTC), id="est"),
        pytest.param("Mar 10, 09:30 GMT", datetime(2024, 3, 10, 9, 30, tzinfo=UTC), id="gmt"),
    ],
)
def test_zone_abbreviations(stamp: str, expected: datetime) -> None:
    published = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)
    [entry] = expand_statuspage([_incident(_update(stamp, "Update", "x"), published)])
    assert entry.published == expected


def test_unknown_zone_or_garbled_time_falls_back_to_the_incident_time() -> None:
    published = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)
    html = _update("Mar 10, 09:30 XYZT", "Update", "a") + _update("sometime", "Update", "b")
    entries = expand_statuspage([_incident(html, published)])
    assert [e.published for e in entries] == [published, published]
    assert len({e.guid for e in entries}) == 2


def test_postmortem_days_after_the_incident_keeps_the_incident_year() -> None:
    # The item's time is the resolution; the postmortem came two days later.
    published = datetime(2013, 12, 24, 19, 21, tzinfo=UTC)
    html = _update("Dec 26, 10:22 PST", "Postmortem", "What happened.") + _update(
        "Dec 24, 11:21 PST", "Resolved", "Fixed."
    )
    postmortem, resolved = expand_statuspage([_incident(html, published)])
    assert postmortem.status == "postmortem"
    assert postmortem.published == datetime(2013, 12, 26, 18, 22, tzinfo=UTC)
    assert resolved.published == published


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Completed", "resolved"),
        ("Scheduled", "update"),
        ("In progress", "ongoing"),
        ("Verifying", "monitoring"),
        ("Postmortem", "postmortem"),
        ("Something New", "update"),
    ],
)
def test_status_words(word: str, status: str) -> None:
    html = _update("Mar 10, 09:30 UTC", word, "Text.")
    [entry] = expand_statuspage([_incident(html, datetime(2024, 3, 10, 12, tzinfo=UTC))])
    assert entry.status == status
    assert entry.title == f"Slow builds — {word}"


def test_guids_are_unique_even_for_same_minute_and_status() -> None:
    guids = [e.guid for e in expand_statuspage(_history())]
    assert len(set(guids)) == len(guids)
    assert "https://status.example.com/incidents/bbb222#2024-07-09T17:30:00+00:00#update" in guids
    assert "https://status.example.com/incidents/bbb222#2024-07-09T17:30:00+00:00#update#2" in guids


def test_guids_are_stable_when_the_incident_gains_an_update() -> None:
    before = expand_statuspage(_history())
    incident = _history()[1]
    newer = _update("Jul 9, 11:00 PDT", "Update", "Pages builds keep completing.")
    grown = incident.model_copy(update={"html": newer + incident.html})
    after = expand_statuspage([grown])
    old = {e.guid: e.html for e in before if e.thread == incident.link}
    new = {e.guid: e.html for e in after}
    assert len(new) == len(old) + 1
    assert all(new[guid] == html for guid, html in old.items())
    # Reading the same document again gives the same guids.
    assert [e.guid for e in expand_statuspage(_history())] == [e.guid for e in before]


def test_updates_of_one_incident_share_thread_and_link() -> None:
    expanded = expand_statuspage(_history())
    assert {e.thread for e in expanded[:3]} == {"https://status.example.com/incidents/aaa111"}
    assert {e.thread for e in expanded[3:]} == {"https://status.example.com/incidents/bbb222"}
    assert {e.link for e in expanded[:3]} == {"https://status.example.com/incidents/aaa111"}
    assert {(e.source, e.language) for e in expanded} == {("codehost", "en-US")}


def test_components_from_the_affected_paragraph_and_from_the_title() -> None:
    expanded = expand_statuspage(_history())
    assert expanded[0].components == ("Webhooks", "Git Operations", "API Requests")
    assert expanded[4].components == ("Pages", "Actions")
    # The "affected" paragraph is not glued onto the last update's text.
    assert "affected" not in expanded[2].html


@pytest.mark.parametrize(
    ("title", "components"),
    [
        ("Incident with Git Operations, API Requests and Actions",
         ("Git Operations", "API Requests", "Actions")),
        ("Disruption with some GitHub services", ()),
        ("Incident with multiple GitHub services", ()),
        ("Incident with Pages - Deployment Lag", ("Pages",)),
        ("Disruption with creation of fine grained personal access tokens", ()),
        ("Elevated error rates", ()),
    ],
)  # fmt: skip
def test_components_from_github_style_titles(title: str, components: tuple[str, ...]) -> None:
    html = _update("Mar 10, 09:30 UTC", "Investigating", "Looking.")
    published = datetime(2024, 3, 10, 12, tzinfo=UTC)
    [entry] = expand_statuspage([_incident(html, published, title=title)])
    assert entry.components == components


def test_an_incident_without_update_markup_is_kept_whole() -> None:
    incident = _incident("<p>We moved datacentres.</p>", None, title="Notice")
    [entry] = expand_statuspage([incident])
    assert entry.title == "Notice"
    assert entry.html == incident.html
    assert entry.status == "update"
    assert entry.thread == incident.link


# --------------------------------------------------------------------------- AWS


def test_aws_one_entry_per_update_with_titles_links_and_components() -> None:
    entries = parse_aws_health(_json("aws_data.json"), "aws")
    ec2 = [e for e in entries if e.thread == "aws:ec2-us-east-1:1638948900"]
    assert [e.guid for e in ec2] == [f"aws:ec2-us-east-1:1638948900#{i}" for i in range(4)]
    assert {e.title for e in ec2} == {
        "Amazon Elastic Compute Cloud (N. Virginia): Increased API Error Rates"
    }
    assert {e.components for e in ec2} == {("Amazon Elastic Compute Cloud (N. Virginia)",)}
    assert {e.link for e in ec2} == {"https://health.aws.amazon.com/health/status"}
    assert ec2[1].html == (
        "<p>We have identified the root cause of the increased error rates &amp; "
        "are working on it.</p>"
    )


def test_aws_statuses_from_text_and_resolved_summary() -> None:
    entries = parse_aws_health(_json("aws_data.json"), "aws")
    ec2 = [e.status for e in entries if e.thread == "aws:ec2-us-east-1:1638948900"]
    # The last text says nothing explicit; "[RESOLVED]" in the summary closes it.
    assert ec2 == ["investigating", "identified", "mitigated", "resolved"]
    lambda_ = [e.status for e in entries if e.thread == "aws:lambda-eu-west-1:1655225100"]
    assert lambda_ == ["investigating", "update"]


def test_aws_clock_times_roll_over_midnight() -> None:
    entries = parse_aws_health(_json("aws_data.json"), "aws")
    ec2 = [e.published for e in entries if e.thread == "aws:ec2-us-east-1:1638948900"]
    assert ec2 == [
        datetime(2021, 12, 8, 7, 38, tzinfo=UTC),  # 11:38 PM PST on Dec 7
        datetime(2021, 12, 8, 7, 59, tzinfo=UTC),
        datetime(2021, 12, 8, 8, 40, tzinfo=UTC),  # 12:40 AM PST: the next day
        datetime(2021, 12, 8, 10, 5, tzinfo=UTC),  # "Dec 8,  2:05 AM PST"
    ]


def test_aws_first_update_before_the_event_date_stays_on_that_day() -> None:
    entries = parse_aws_health(_json("aws_data.json"), "aws")
    lambda_ = [e.published for e in entries if e.thread == "aws:lambda-eu-west-1:1655225100"]
    # The event date is 9:45 AM PDT; the first update says 8:52 AM PDT.
    assert lambda_ == [
        datetime(2022, 6, 14, 15, 52, tzinfo=UTC),
        datetime(2022, 6, 14, 16, 30, tzinfo=UTC),
    ]


def test_aws_broken_events_are_skipped() -> None:
    entries = parse_aws_health(_json("aws_data.json"), "aws")
    assert {e.thread for e in entries} == {
        "aws:ec2-us-east-1:1638948900",
        "aws:lambda-eu-west-1:1655225100",
    }


def test_aws_event_in_both_lists_is_read_once() -> None:
    data = _json("aws_data.json")
    assert isinstance(data, dict)
    data["archive"].append(data["current"][0])
    entries = parse_aws_health(data, "aws")
    assert len({e.guid for e in entries}) == len(entries) == 6


@pytest.mark.parametrize(
    "document",
    [[], {"events": []}, {"archive": "no"}, {"archive": [{"name": "not aws"}]}, "text"],
)
def test_aws_wrong_shape_is_a_parse_error(document: object) -> None:
    with pytest.raises(ParseError, match="AWS"):
        parse_aws_health(document, "aws")


# --------------------------------------------------------------------------- Google Cloud


def test_gcp_one_entry_per_update_newest_first() -> None:
    entries = parse_gcp_incidents(_json("gcp_incidents.json"), "gcp")
    one = [e for e in entries if e.thread == "gcp:incOne"]
    assert [e.guid for e in one] == [
        "gcp:incOne#2024-03-05T12:40:00+00:00",
        "gcp:incOne#2024-03-05T11:15:00+00:00",
        "gcp:incOne#2024-03-05T10:50:00+00:00",
    ]
    assert [e.status for e in one] == ["resolved", "ongoing", "investigating"]
    assert {e.title for e in one} == {"Cloud Storage: Elevated 503 errors in us-east1"}
    assert {e.link for e in one} == {"https://status.cloud.google.com/incidents/incOne"}


def test_gcp_components_are_products_and_location_ids() -> None:
    entries = parse_gcp_incidents(_json("gcp_incidents.json"), "gcp")
    disruption = next(e for e in entries if e.guid == "gcp:incOne#2024-03-05T11:15:00+00:00")
    assert disruption.components == ("Cloud Storage", "us-east1", "us-east4")


def test_gcp_text_lines_become_escaped_paragraphs() -> None:
    entries = parse_gcp_incidents(_json("gcp_incidents.json"), "gcp")
    disruption = next(e for e in entries if e.guid == "gcp:incOne#2024-03-05T11:15:00+00:00")
    assert disruption.html == (
        "<p>Summary: Elevated 503 errors</p>"
        "<p><strong>Description:</strong> Mitigation is rolling out &lt;gradually&gt;.</p>"
    )


def test_gcp_information_update_and_offset_time() -> None:
    entries = parse_gcp_incidents(_json("gcp_incidents.json"), "gcp")
    [two] = [e for e in entries if e.thread == "gcp:incTwo"]
    assert two.status == "update"
    assert two.published == datetime(2024, 4, 1, 16, 0, tzinfo=UTC)
    assert two.link is None
    assert two.title == "Cloud Console: Console dashboards load slowly"


def test_gcp_bad_incidents_and_undated_updates_are_skipped() -> None:
    entries = parse_gcp_incidents(_json("gcp_incidents.json"), "gcp")
    assert len(entries) == 4
    assert {e.thread for e in entries} == {"gcp:incOne", "gcp:incTwo"}


@pytest.mark.parametrize("document", [{}, "text", [1, 2, 3], [{"id": "x"}]])
def test_gcp_wrong_shape_is_a_parse_error(document: object) -> None:
    with pytest.raises(ParseError, match="Google Cloud"):
        parse_gcp_incidents(document, "gcp")


def test_detect_status_json() -> None:
    assert detect_status_json(_json("aws_data.json")) == "aws"
    assert detect_status_json(_json("gcp_incidents.json")) == "gcp"
    assert detect_status_json({"version": "https://jsonfeed.org/version/1.1", "items": []}) is None
    assert detect_status_json([]) is None
    assert detect_status_json(None) is None


# --------------------------------------------------------------------------- shared corpus

HISTORY_FEEDS = [
    "status_github_history_atom_2024-07-21.xml",
    "status_github_history_atom_latest.xml",
    "status_github_history_atom_prev_day.xml",
    "status_streamyard_statuspage_history_atom.xml",
    "status_streamyard_statuspage_history_rss.xml",
    "status_parse_statuspage_history_rss_2014.xml",
]


def _thread_of(incident: Entry) -> str | None:
    # The incident page link names an incident in both the Atom and the RSS feed.
    return normalise_url(incident.link) if incident.link else incident.guid


@pytest.mark.corpus
@pytest.mark.parametrize("name", HISTORY_FEEDS)
def test_corpus_history_feeds_expand_per_update(name: str) -> None:
    parsed = parse_feed((corpus_dir("status") / name).read_bytes(), "corpus")
    assert is_statuspage(parsed.title, parsed.entries)
    expanded = expand_statuspage(parsed.entries)
    assert len(expanded) > len(parsed.entries)
    assert all(e.status is not None for e in expanded)
    assert len({e.guid for e in expanded}) == len(expanded)
    assert {e.thread for e in expanded} == {_thread_of(i) for i in parsed.entries}
    for entry in expanded:
        # Every update lies within a few weeks of its incident's feed time.
        incident = next(i for i in parsed.entries if _thread_of(i) == entry.thread)
        assert entry.published is not None and incident.published is not None
        assert abs(entry.published - incident.published) < timedelta(days=30)


@pytest.mark.corpus
def test_corpus_aws_live_file_mentions_us_east_1() -> None:
    path = corpus_dir("status") / "status_aws_shd_live_2021-12-07T1853Z.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert detect_status_json(data) == "aws"
    entries = parse_aws_health(data, "aws")
    ec2 = [e for e in entries if e.thread and e.thread.startswith("aws:ec2-us-east-1:")]
    assert any("Amazon Elastic Compute Cloud (N. Virginia)" in e.components for e in ec2)
    assert any("US-EAST-1" in e.html for e in ec2)
    assert all(e.status is not None and e.published is not None for e in entries)
    assert len({e.guid for e in entries}) == len(entries)


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name", ["status_gcp_incidents_json_part1.json", "status_gcp_incidents_json_part2.json"]
)
def test_corpus_gcp_files_parse(name: str) -> None:
    data = json.loads((corpus_dir("status") / name).read_text(encoding="utf-8"))
    assert detect_status_json(data) == "gcp"
    entries = parse_gcp_incidents(data, "gcp")
    assert len(entries) > len(data)
    assert all(e.status is not None for e in entries)
    assert all(e.published is not None and e.published.utcoffset() == timedelta(0) for e in entries)
    assert len({e.guid for e in entries}) == len(entries)


@pytest.mark.corpus
def test_atom_and_rss_history_of_one_page_give_the_same_update_ids() -> None:
    folder = corpus_dir("status")
    atom = parse_feed((folder / "status_streamyard_statuspage_history_atom.xml").read_bytes(), "a")
    rss = parse_feed((folder / "status_streamyard_statuspage_history_rss.xml").read_bytes(), "r")
    from_atom = {e.guid for e in expand_statuspage(atom.entries)}
    from_rss = {e.guid for e in expand_statuspage(rss.entries)}
    assert from_atom and from_atom == from_rss
