"""The lead report of an incident is the most informative one for the channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.digest.briefing import official
from bot.digest.lead import choose_lead
from bot.schema import Article, Incident, IncidentArticle

START = datetime(2021, 12, 7, 15, 30, tzinfo=UTC)


def _pair(
    key: str,
    *,
    hours: float = 0,
    language: str = "en",
    status: str | None = None,
    status_page: bool = False,
    title: str | None = None,
    body: int = 1500,
) -> tuple[IncidentArticle, Article]:
    published = START + timedelta(hours=hours)
    title = title or f"Report {key}"
    text = ("x" * 100 + ". ") * (body // 102)
    report = IncidentArticle(
        article_id=key,
        url=f"https://news.example.com/{key}",
        title=title,
        language=language,
        source="news",
        published=published,
        status=status,  # type: ignore[arg-type]
        status_page=status_page,
    )
    article = Article(
        id=key,
        source="news",
        url=report.url,
        title=title,
        paragraphs=(text,) if body else (),
        language=language,
        published=published,
        content_hash=key,
        status=status,  # type: ignore[arg-type]
        title_only=not body,
    )
    return report, article


def _lead(*pairs: tuple[IncidentArticle, Article], language: str | None = None) -> str:
    reports = tuple(p[0] for p in pairs)
    incident = Incident(
        id="inc",
        is_outage=True,
        provider="aws",
        title="AWS outage",
        first_seen=START,
        updated_at=START,
        lead_article_id=reports[0].article_id,  # arrival order: what the lead used to be
        articles=reports,
    )
    return choose_lead(incident, {p[1].id: p[1] for p in pairs}, language).article_id


def test_a_news_report_beats_one_line_status_updates() -> None:
    updates = [
        _pair(f"u{i}", hours=i, status="ongoing", status_page=True, body=80) for i in range(3)
    ]
    assert _lead(*updates, _pair("news", hours=4, body=300)) == "news"


def test_status_page_only_incident_leads_with_its_latest_update() -> None:
    updates = [
        _pair("u1", hours=0, status="investigating", status_page=True, body=120),
        _pair("u2", hours=1, status="identified", status_page=True, body=120),
        _pair("u3", hours=2, status="resolved", status_page=True, body=120),
    ]
    assert _lead(*updates) == "u3"


def test_channel_language_wins_among_news() -> None:
    zh = _pair("zh", language="zh", body=1200)
    en = _pair("en", hours=1, body=2500)
    assert _lead(zh, en, language="zh") == "zh"
    assert _lead(zh, en, language="en") == "en"
    assert _lead(_pair("tw", language="zh-Hant"), en, language="zh") == "tw"


def test_without_a_channel_language_the_fuller_report_leads() -> None:
    assert _lead(_pair("short", body=300), _pair("long", body=2500)) == "long"
    assert _lead(_pair("title", body=0), _pair("body", body=200)) == "body"


def test_root_cause_report_leads_once_it_arrives_whatever_its_language() -> None:
    first = _pair("seed", language="zh", body=2500)
    rca = _pair("rca", hours=72, status="postmortem", body=1500)
    assert _lead(first, language="zh") == "seed"
    assert _lead(first, rca, language="zh") == "rca"


def test_a_post_mortem_attached_weeks_on_does_not_lead() -> None:
    """Which outage a follow-up weeks on is about is a guess (bot.incidents.distant): it
    is listed with the incident, but the news speaks for it."""
    first = _pair("seed", body=2500)
    report, article = _pair("rca", hours=24 * 20, status="postmortem", body=1500)
    attached = (report.model_copy(update={"attached": True, "late": True}), article)
    assert _lead(first, attached) == "seed"


def test_official_post_event_summary_beats_a_news_story_about_it() -> None:
    news = _pair("news", hours=96, status="postmortem", title="Amazon explains the AWS outage")
    summary = _pair(
        "official",
        hours=72,
        status="postmortem",
        title="Summary of the AWS Service Event in the Northern Virginia (US-EAST-1) Region",
    )
    assert _lead(news, summary) == "official"
    assert _lead(summary, news) == "official"
    # AWS's summary opens by recounting the event: classified "ongoing", it still leads.
    recounting = (summary[0].model_copy(update={"status": "ongoing"}), summary[1])
    assert _lead(_pair("seed", language="zh"), news, recounting, language="zh") == "official"


def test_expired_articles_still_compete_on_what_the_incident_kept() -> None:
    report, _ = _pair("gone", status="postmortem")
    kept = _pair("kept")
    incident = Incident(
        id="inc", is_outage=True, provider="aws", title="t", first_seen=START, updated_at=START,
        lead_article_id="kept", articles=(kept[0], report),
    )  # fmt: skip
    assert choose_lead(incident, {"kept": kept[1]}).article_id == "gone"


def test_official_report_titles() -> None:
    def titled(title: str, status_page: bool = False) -> bool:
        report = _pair("x", title=title, status_page=status_page)[0]
        return official(report)

    assert titled("Summary of the Amazon Kinesis Event in the Northern Virginia Region")
    assert titled("Post Incident Review (PIR) - Azure Front Door")
    assert titled("Incident report for December 7")
    assert titled("We are investigating", status_page=True)
    assert not titled("Amazon explains the cause behind Tuesday's massive AWS outage")
    assert not titled("Summary: AWS is down again")
