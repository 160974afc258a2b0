"""Digest rendering: one message per incident as Slack Block Kit, and terminal text."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.deliver import deliver
from bot.digest.mrkdwn import escape
from bot.digest.render import (
    HEADER_MAX,
    ITEMS_PER_MESSAGE,
    MAX_LINK_URL,
    SECTION_MAX,
    host_of,
    region_label,
    render_change,
    render_header,
    render_incident,
    render_text,
)
from bot.schema import Digest, DigestItem, Incident, IncidentArticle, Summary
from bot.store import Store

CHANNEL = "C0123ABCD"
GENERATED = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
FIRST_SEEN = datetime(2026, 11, 20, 18, 5, tzinfo=UTC)
UPDATED = datetime(2026, 11, 20, 21, 40, tzinfo=UTC)
BYLINE_TIMES = "first seen 2026-11-20 18:05 UTC · updated 2026-11-20 21:40 UTC"
SUMMARY = "Messages were delayed for an hour."
# Confirmation and timing of a news-only incident first reported at FIRST_SEEN, as of GENERATED.
TOLD = (
    "*news only* · Started 2026-11-20 18:05 UTC · ongoing for 5 h 25 min"
    " · last update 2026-11-20 21:40 UTC"
)


# --- builders ---------------------------------------------------------------------------


def _article(
    key: str,
    *,
    url: str | None = None,
    title: str | None = None,
    language: str = "en",
    source: str = "status-news",
) -> IncidentArticle:
    return IncidentArticle(
        article_id=f"id-{key}",
        url=url if url is not None else f"https://news.example.com/{key}",
        title=title if title is not None else f"Queue service degraded ({key})",
        language=language,
        source=source,
        published=FIRST_SEEN,
    )


def _item(
    key: str,
    *,
    articles: tuple[IncidentArticle, ...] | None = None,
    lead: str | None = None,
    title: str | None = None,
    is_outage: bool = True,
    provider_name: str | None = "AWS",
    regions: tuple[str, ...] = (),
    affected: tuple[str, ...] = (),
    status: str | None = None,
    update: bool = False,
    text: str = SUMMARY,
    engine: str = "extractive",
    fallback: bool = False,
    first_seen: datetime = FIRST_SEEN,
    updated_at: datetime = UPDATED,
) -> DigestItem:
    """One incident; its lead is ``lead`` (an article id) or the first article."""
    articles = articles if articles is not None else (_article(key),)
    lead_id = lead if lead is not None else articles[0].article_id
    incident = Incident(
        id=f"inc-{key}",
        is_outage=is_outage,
        provider="aws" if provider_name == "AWS" else None,
        regions=regions,
        affected=affected,
        status=status,
        title=title if title is not None else f"Incident {key}",
        first_seen=first_seen,
        updated_at=updated_at,
        lead_article_id=lead_id,
        articles=articles,
    )
    summary = Summary(
        article_id=lead_id, text=text, engine=engine, language="en", fallback=fallback
    )
    return DigestItem(
        incident=incident, summary=summary, provider_name=provider_name, update=update
    )


def _digest(*items: DigestItem, channel: str = CHANNEL, at: datetime = GENERATED) -> Digest:
    return Digest(channel=channel, generated_at=at, items=items)


def _message(item: DigestItem, timezone: str = "UTC", at: datetime = GENERATED) -> dict:
    """The incident's own Slack message, as delivery posts it in a digest made ``at``."""
    return render_incident(item, timezone, at)


def _headline(*items: DigestItem, timezone: str = "UTC", at: datetime = GENERATED) -> str:
    """The digest's headline, as the terminal (demo, dry runs) prints it."""
    return render_text(_digest(*items, at=at), timezone).split("\n")[0]


def _header(message: dict) -> str:
    block = message["blocks"][0]
    assert block["type"] == "header"
    assert block["text"]["type"] == "plain_text"
    return block["text"]["text"]


def _sections(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def _contexts(message: dict) -> list[str]:
    return [b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"]


def _section_of(item: DigestItem, timezone: str = "UTC") -> str:
    (section,) = _sections(_message(item, timezone=timezone))
    return section


def _lines(item: DigestItem) -> list[str]:
    return _section_of(item).split("\n")


def _url_of_length(length: int, prefix: str = "https://news.example.com/") -> str:
    url = prefix + "a" * (length - len(prefix))
    assert len(url) == length
    return url


# --- escaping and small helpers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("AT&T", "AT&amp;T"),
        ("<!channel>", "&lt;!channel&gt;"),
        ("<https://evil.example|click>", "&lt;https://evil.example|click&gt;"),
        ("&amp;", "&amp;amp;"),
        ("plain *bold* _it_ 中文", "plain *bold* _it_ 中文"),
    ],
)
def test_escape(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("aws:us-east-1", "us-east-1"),
        ("azure:East US 2", "East US 2"),
        ("gcp:europe-west1", "europe-west1"),
        ("us-east-1", "us-east-1"),
        ("cloudflare:ams:edge", "ams:edge"),
    ],
)
def test_region_label_drops_the_provider_prefix(key: str, label: str) -> None:
    assert region_label(key) == label


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.reuters.com/technology/aws-outage", "reuters.com"),
        ("http://news.sina.com.cn/tech/2026/aws.shtml", "news.sina.com.cn"),
        ("https://status.example.com:8443/incidents/1", "status.example.com:8443"),
        ("https://example.com", "example.com"),
        ("notes/outage.md", "outage.md"),
        ("/var/feeds/2026/aws.md", "aws.md"),
    ],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host


# --- header and layout -------------------------------------------------------------------


def test_header_counts_incidents_with_news() -> None:
    assert (
        _headline(_item("a"), _item("b"))
        == f"Outage digest for {CHANNEL}: 2 incidents with news · 2026-11-20 23:30 UTC"
    )


def test_header_uses_singular_for_one_incident_however_many_reports() -> None:
    articles = tuple(_article(k) for k in "abc")
    assert (
        _headline(_item("a", articles=articles))
        == f"Outage digest for {CHANNEL}: 1 incident with news · 2026-11-20 23:30 UTC"
    )


def test_one_section_and_context_per_incident_message() -> None:
    items = [_item(k, articles=(_article(k), _article(k + "2"))) for k in ("a", "b", "c")]
    for key, item in zip("abc", items, strict=True):
        message = _message(item)
        assert [b["type"] for b in message["blocks"]] == ["section", "context"]
        (section,) = _sections(message)
        assert f"|Queue service degraded ({key})>" in section.split("\n")[1]
        for block in message["blocks"]:
            if block["type"] == "section":
                assert block["text"]["type"] == "mrkdwn"
            if block["type"] == "context":
                assert [e["type"] for e in block["elements"]] == ["mrkdwn"]


def test_fallback_text_names_the_incident_escaped() -> None:
    aws = _message(_item("a", title="AWS us-east-1 outage"))
    azure = _message(_item("b", title="Azure <Front Door> & CDN errors"))
    assert aws["text"].endswith(": AWS us-east-1 outage")
    assert azure["text"].endswith(": Azure &lt;Front Door&gt; &amp; CDN errors")


# --- the facts line -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "facts"),
    [
        ({}, "AWS"),
        ({"provider_name": None}, "Outage"),
        ({"provider_name": None, "is_outage": False}, "News"),
        ({"provider_name": "Google Cloud", "is_outage": False}, "Google Cloud"),
        (
            {"regions": ("aws:us-east-1", "aws:us-west-2"), "status": "investigating"},
            "AWS · us-east-1, us-west-2 · investigating",
        ),
        ({"regions": ("us-east-1",)}, "AWS · us-east-1"),
        ({"status": "resolved"}, "AWS · resolved"),
        ({"affected": ("Slack", "Zoom")}, "AWS · affects Slack, Zoom"),
        (
            {"affected": ("Slack", "Zoom", "Fortnite", "Venmo", "Ring")},
            "AWS · affects Slack, Zoom, Fortnite, Venmo, Ring",
        ),
        (
            {"affected": ("Slack", "Zoom", "Fortnite", "Venmo", "Ring", "Roblox")},
            "AWS · affects Slack, Zoom, Fortnite, Venmo, Ring …",
        ),
        (
            {
                "provider_name": "Azure",
                "regions": ("azure:East US 2",),
                "status": "mitigated",
                "affected": ("Microsoft 365",),
            },
            "Azure · East US 2 · mitigated · affects Microsoft 365",
        ),
    ],
)
def test_facts_line_leads_the_section(kwargs: dict, facts: str) -> None:
    lines = _lines(_item("a", **kwargs))
    assert lines[0] == facts


@pytest.mark.parametrize(
    ("kwargs", "facts"),
    [
        ({"update": True, "status": "resolved"}, "UPDATE · AWS · resolved"),
        ({"update": True, "provider_name": None}, "UPDATE · Outage"),
    ],
)
def test_an_update_is_marked_in_the_terminal_digest(kwargs: dict, facts: str) -> None:
    # In Slack an update edits the incident's message instead (render_change).
    assert f"■ {facts}" in render_text(_digest(_item("a", **kwargs))).split("\n")


def test_facts_line_shows_at_least_four_regions() -> None:
    regions = ("aws:us-east-1", "aws:us-east-2", "aws:us-west-1", "aws:us-west-2", "aws:eu-west-1")
    facts = _lines(_item("a", regions=regions))[0]
    assert facts.startswith("AWS · us-east-1, us-east-2, us-west-1, us-west-2")
    assert "aws:" not in facts


def test_no_update_prefix_for_a_first_delivery() -> None:
    item = _item("a", status="investigating", update=False)
    assert "UPDATE" not in _section_of(item)
    assert "UPDATE" not in render_text(_digest(item))


def test_facts_from_feeds_are_escaped() -> None:
    item = _item(
        "a",
        provider_name="AT&T",
        regions=("att:<dallas>",),
        affected=("<!channel>", "Q&A <site>"),
    )
    facts = _lines(item)[0]
    assert facts == "AT&amp;T · &lt;dallas&gt; · affects &lt;!channel&gt;, Q&amp;A &lt;site&gt;"


# --- the lead article ---------------------------------------------------------------------


def test_lead_title_links_to_its_url() -> None:
    item = _item("a", articles=(_article("a", url="https://news.example.com/story?id=1&page=2"),))
    lines = _lines(item)
    assert lines == [
        "AWS",
        "*<https://news.example.com/story?id=1&amp;page=2|Queue service degraded (a)>*",
        TOLD,
        SUMMARY,
    ]


def test_plain_http_url_is_linked_too() -> None:
    item = _item("a", articles=(_article("a", url="http://news.example.com/a"),))
    assert _lines(item)[1] == "*<http://news.example.com/a|Queue service degraded (a)>*"


@pytest.mark.parametrize(
    "url",
    [
        "notes/outage.md",
        "/var/feeds/a.md",
        "javascript:alert(1)",
        "ftp://files.example/x",
        "mailto:ops@example.com",
        "file:///etc/passwd",
    ],
)
def test_non_web_lead_url_is_not_a_link(url: str) -> None:
    item = _item("a", articles=(_article("a", url=url),))
    section = _section_of(item)
    assert section.split("\n")[1] == "*Queue service degraded (a)*"
    assert "<" not in section
    assert url not in section


def test_lead_url_at_the_link_limit_is_linked() -> None:
    url = _url_of_length(MAX_LINK_URL)
    section = _section_of(_item("a", articles=(_article("a", url=url),)))
    assert section.split("\n")[1] == f"*<{url}|Queue service degraded (a)>*"
    assert len(section) <= SECTION_MAX


def test_lead_url_over_the_link_limit_is_left_out() -> None:
    url = _url_of_length(MAX_LINK_URL + 1)
    section = _section_of(_item("a", articles=(_article("a", url=url),)))
    assert section.split("\n")[1] == "*Queue service degraded (a)*"
    assert url not in section
    assert len(section) <= SECTION_MAX


def test_link_limit_applies_to_the_escaped_url() -> None:
    # Short enough raw, too long once every "&" becomes "&amp;".
    url = _url_of_length(MAX_LINK_URL - 40, prefix="https://news.example.com/?" + "&" * 20)
    assert len(url) <= MAX_LINK_URL < len(escape(url))
    section = _section_of(_item("a", articles=(_article("a", url=url),)))
    assert section.split("\n")[1] == "*Queue service degraded (a)*"


def test_lead_is_the_incidents_lead_article_not_the_first() -> None:
    articles = (
        _article("a", url="https://www.reuters.com/a"),
        _article("b", url="https://www.theverge.com/b", title="AWS is down"),
        _article("c", url="https://news.sina.com.cn/c", language="zh"),
    )
    lines = _lines(_item("a", articles=articles, lead="id-b"))
    assert lines[1] == "*<https://www.theverge.com/b|AWS is down>*"
    assert lines[4] == (
        "Sources: <https://www.reuters.com/a|reuters.com (en)>, "
        "<https://www.theverge.com/b|theverge.com (en)>, "
        "<https://news.sina.com.cn/c|news.sina.com.cn (zh)>"
    )


def test_lead_chosen_for_the_channel_overrides_the_incidents_lead() -> None:
    articles = (_article("a"), _article("b", url="https://www.theverge.com/b", title="AWS down"))
    item = _item("a", articles=articles).model_copy(update={"lead_article_id": "id-b"})
    assert _lines(item)[1] == "*<https://www.theverge.com/b|AWS down>*"


def test_missing_lead_article_falls_back_to_the_first() -> None:
    articles = (_article("a"), _article("b"))
    lines = _lines(_item("a", articles=articles, lead="id-gone"))
    assert lines[1] == "*<https://news.example.com/a|Queue service degraded (a)>*"
    assert lines[4] == "Sources: <https://news.example.com/a|news.example.com (en · 2 reports)>"


def test_long_lead_title_is_clipped_without_breaking_entities() -> None:
    item = _item("a", articles=(_article("a", title="&" * 500),))
    heading = _lines(item)[1]
    assert heading.startswith("*<https://news.example.com/a|")
    assert heading.endswith("…>*")
    label = heading.removeprefix("*<https://news.example.com/a|").removesuffix("…>*")
    assert label and label.replace("&amp;", "") == ""
    assert len(label) + 1 <= 300


# --- "Sources": one entry per outlet, official first ------------------------------------


def test_single_report_has_no_sources_line() -> None:
    section = _section_of(_item("a"))
    assert "Sources" not in section
    assert len(section.split("\n")) == 4


def test_also_reported_by_links_hosts_with_languages() -> None:
    articles = (
        _article("a"),
        _article("b", url="https://www.reuters.com/technology/b"),
        _article("c", url="https://news.sina.com.cn/c.shtml", language="zh"),
    )
    lines = _lines(_item("a", articles=articles))
    assert len(lines) == 5
    assert lines[3] == SUMMARY
    assert lines[4] == (
        "Sources: <https://news.example.com/a|news.example.com (en)>, "
        "<https://www.reuters.com/technology/b|reuters.com (en)>, "
        "<https://news.sina.com.cn/c.shtml|news.sina.com.cn (zh)>"
    )


def test_sources_list_each_outlet_once_official_first_and_marked() -> None:
    health = "https://health.aws.amazon.com/health/status"
    updates = tuple(
        _article(f"u{i}", url=f"{health}#{i}").model_copy(
            update={"status_page": True, "published": datetime(2026, 11, 20, 18 + i, tzinfo=UTC)}
        )
        for i in range(6)
    )
    articles = (
        _article("a", url="https://www.bleepingcomputer.com/a"),
        *updates,
        _article("b", url="https://www.bleepingcomputer.com/b").model_copy(
            update={"published": UPDATED}  # the outlet's latest report is the one linked
        ),
        _article("c", url="https://www.zdnet.com/c"),
    )
    sources = _lines(_item("a", articles=articles))[-1]
    assert sources == (
        "Sources: <https://health.aws.amazon.com/health/status#5|"
        "health.aws.amazon.com (official · en · 6 updates)>, "
        "<https://www.bleepingcomputer.com/b|bleepingcomputer.com (en · 2 reports)>, "
        "<https://www.zdnet.com/c|zdnet.com (en)>"
    )


def test_sources_that_do_not_fit_are_counted() -> None:
    articles = (
        _article("lead"),
        *(_article(f"o{i}", url=f"https://s{i}.example/{'x' * 300}") for i in range(30)),
    )
    sources = _lines(_item("a", articles=articles, text="Summary. " * 300))[-1]
    assert sources.startswith("Sources: <https://news.example.com/lead|news.example.com (en)>")
    shown = sources.count("<")
    assert 0 < shown < 31
    assert sources.endswith(f" and {31 - shown} more") or "(en), s" in sources


def test_non_web_reports_are_plain_labels() -> None:
    articles = (
        _article("a"),
        _article("b", url="feeds/local/outage.md", language="zh"),
        _article("c", url="https://www.theregister.com/c"),
    )
    reporters = _lines(_item("a", articles=articles))[4]
    assert reporters == (
        "Sources: <https://news.example.com/a|news.example.com (en)>, status-news (zh), "
        "<https://www.theregister.com/c|theregister.com (en)>"
    )


def test_report_with_an_overlong_url_is_a_plain_label() -> None:
    url = _url_of_length(MAX_LINK_URL + 1, prefix="https://www.reuters.com/")
    articles = (_article("a"), _article("b", url=url))
    section = _section_of(_item("a", articles=articles))
    assert section.split("\n")[4] == (
        "Sources: <https://news.example.com/a|news.example.com (en)>, reuters.com (en)"
    )
    assert url not in section
    assert len(section) <= SECTION_MAX


def test_report_urls_and_hosts_are_escaped() -> None:
    articles = (
        _article("a"),
        _article("b", url="https://evil>host.example/x?a=1&b=<2>", language="e<n>"),
        _article("c", url="notes/<!channel>&.md", source="<!channel>&"),
    )
    reporters = _lines(_item("a", articles=articles))[4]
    assert reporters == (
        "Sources: <https://news.example.com/a|news.example.com (en)>, "
        "<https://evil&gt;host.example/x?a=1&amp;b=&lt;2&gt;|evil&gt;host.example (e&lt;n&gt;)>, "
        "&lt;!channel&gt;&amp; (en)"
    )


# --- escaping of everything a feed wrote --------------------------------------------------


def test_titles_summary_and_reports_cannot_inject_mentions_or_links() -> None:
    articles = (
        _article("a", title="<!channel> AT&T <https://evil.example|login> down"),
        _article("b", url="https://www.reuters.com/b>c", title="<!here>"),
    )
    item = _item(
        "a",
        articles=articles,
        title="<!channel> AT&T outage",
        text="Call <!here> & check <@U123> now",
        affected=("<@U999>",),
    )
    message = _message(item)
    section = _sections(message)[0]
    for raw in ("<!channel>", "<!here>", "<@U123>", "<@U999>", "<https://evil"):
        assert raw not in section
        assert raw not in message["text"]
    lines = section.split("\n")
    assert lines[0] == "AWS · affects &lt;@U999&gt;"
    assert lines[1] == (
        "*<https://news.example.com/a|&lt;!channel&gt; AT&amp;T "
        "&lt;https://evil.example|login&gt; down>*"
    )
    assert lines[3] == "Call &lt;!here&gt; &amp; check &lt;@U123&gt; now"
    assert lines[4] == (
        "Sources: <https://news.example.com/a|news.example.com (en)>, "
        "<https://www.reuters.com/b&gt;c|reuters.com (en)>"
    )
    # The only real links are the article URLs.
    assert section.count("<") == 3
    assert message["text"].endswith(": &lt;!channel&gt; AT&amp;T outage")


def test_byline_from_feeds_is_escaped() -> None:
    articles = (_article("a", language="zh<&>"), _article("b"))
    (context,) = _contexts(_message(_item("a", articles=articles)))
    assert context.startswith("2 reports · zh&lt;&amp;&gt;/en · ")
    assert "<" not in context


# --- section length -----------------------------------------------------------------------


def test_long_summary_is_clipped_to_fit_with_facts_and_reports() -> None:
    articles = tuple(_article(k) for k in "abcdefgh")
    item = _item(
        "a",
        articles=articles,
        regions=("aws:us-east-1",),
        status="ongoing",
        affected=("Slack", "Zoom"),
        text="<" * 5000,
    )
    section = _section_of(item)
    assert len(section) <= SECTION_MAX
    facts, heading, told, summary, reporters = section.split("\n")
    assert facts == "AWS · us-east-1 · ongoing · affects Slack, Zoom"
    assert heading == "*<https://news.example.com/a|Queue service degraded (a)>*"
    assert told == TOLD
    assert reporters == ("Sources: <https://news.example.com/a|news.example.com (en · 8 reports)>")
    # Clipped before escaping: whole entities only, then an ellipsis.
    assert summary.endswith("…")
    assert len(summary) > 1000
    assert summary[:-1].replace("&lt;", "") == ""


def test_summary_that_fits_is_kept_whole() -> None:
    text = "Recovery & rollback. " * 100
    assert len(escape(text)) < SECTION_MAX - 200
    assert _lines(_item("a", text=text))[3] == escape(text)


@pytest.mark.parametrize(
    "articles",
    [
        # Google News article links run to several hundred characters each.
        (
            _article("lead"),
            *(
                _article(
                    f"g{i}", url=_url_of_length(600, f"https://news.google.com/rss/articles/{i}")
                )
                for i in range(6)
            ),
        ),
        # A lead URL near the link limit plus one long report URL.
        (
            _article("lead", url=_url_of_length(MAX_LINK_URL - 10)),
            _article("b", url=_url_of_length(1200, "https://www.reuters.com/")),
        ),
    ],
    ids=["six-long-report-urls", "long-lead-and-report-urls"],
)
def test_section_stays_within_limit_with_long_report_urls(
    articles: tuple[IncidentArticle, ...],
) -> None:
    section = _section_of(_item("a", articles=articles, text="Summary. " * 400))
    assert "Sources: " in section
    assert len(section) <= SECTION_MAX


# --- Slack's limits ----------------------------------------------------------------------


def test_forty_long_incidents_each_fit_in_one_message_within_slack_limits() -> None:
    items = [
        _item(
            str(i),
            title=f"Incident {i}",
            articles=tuple(
                _article(f"{i}-{j}", title=f"Incident {i} report {j} " + "x" * 400)
                for j in range(8)
            ),
            regions=("aws:us-east-1",),
            text="Summary & <detail> " * 400,
        )
        for i in range(40)
    ]
    header = _header(render_header(_digest(*items)))
    assert header == "Outage digest: 40 new incidents · 2026-11-20 23:30 UTC"
    assert len(header) <= HEADER_MAX
    for i, item in enumerate(items):
        message = _message(item)
        assert len(message["blocks"]) <= 50
        assert [b["type"] for b in message["blocks"]] == ["section", "context"]
        (section,) = _sections(message)
        assert len(section) <= SECTION_MAX
        assert f"|Incident {i} report 0 " in section
        assert message["text"].endswith(f": Incident {i}")


# --- the context byline -------------------------------------------------------------------


def test_byline_for_a_single_extractive_report() -> None:
    (context,) = _contexts(_message(_item("a")))
    assert context == f"1 report · en · {BYLINE_TIMES} · extractive summary"


def test_byline_counts_reports_and_languages_in_order() -> None:
    articles = (
        _article("a"),
        _article("b", language="zh"),
        _article("c"),
        _article("d", language="zh"),
    )
    (context,) = _contexts(_message(_item("a", articles=articles, engine="mt5-small")))
    assert context == f"4 reports · en/zh · {BYLINE_TIMES} · summary by mt5-small"


@pytest.mark.parametrize(
    ("engine", "fallback", "ending"),
    [
        ("extractive", False, " · extractive summary"),
        ("mt5-small", False, " · summary by mt5-small"),
        ("qwen2.5-1.5b", False, " · summary by qwen2.5-1.5b"),
        ("extractive", True, " · extractive summary (model unavailable)"),
    ],
)
def test_byline_names_the_summary_engine(engine: str, fallback: bool, ending: str) -> None:
    (context,) = _contexts(_message(_item("a", engine=engine, fallback=fallback)))
    assert context.endswith(ending)
    assert ("(model unavailable)" in context) is fallback


# --- timezones ----------------------------------------------------------------------------


def test_timezone_is_applied_to_header_and_byline() -> None:
    item = _item("a")
    shanghai = _message(item, timezone="Asia/Shanghai")
    assert _headline(item, timezone="Asia/Shanghai").endswith("· 2026-11-21 07:30 CST")
    assert _contexts(shanghai)[0] == (
        "1 report · en · first seen 2026-11-21 02:05 CST · updated 2026-11-21 05:40 CST"
        " · extractive summary"
    )
    utc = _message(item)
    assert _headline(item).endswith("· 2026-11-20 23:30 UTC")
    assert BYLINE_TIMES in _contexts(utc)[0]


def test_times_given_in_another_zone_are_converted() -> None:
    new_york = ZoneInfo("America/New_York")
    item = _item(
        "a",
        first_seen=datetime(2026, 11, 20, 13, 5, tzinfo=new_york),
        updated_at=datetime(2026, 11, 20, 16, 40, tzinfo=new_york),
    )
    at = datetime(2026, 11, 20, 18, 30, tzinfo=new_york)
    message = _message(item, at=at)
    assert _headline(item, at=at).endswith("· 2026-11-20 23:30 UTC")
    assert BYLINE_TIMES in _contexts(message)[0]


# --- terminal text ------------------------------------------------------------------------


def test_render_text_shows_facts_lead_summary_reports_and_byline() -> None:
    articles = (
        _article("a", url="https://news.example.com/a", title="Queue <service> & degraded"),
        _article(
            "b",
            url="https://news.sina.com.cn/b.shtml",
            title="亚马逊云美国东部1区突发故障",
            language="zh",
        ),
        _article("c", url="notes/local/outage.md", title="Local note & <draft>"),
    )
    item = _item(
        "a",
        articles=articles,
        regions=("aws:us-east-1",),
        status="investigating",
        affected=("Slack", "Q&A <site>"),
        update=True,
    )
    text = render_text(_digest(item))
    assert text.split("\n") == [
        f"Outage digest for {CHANNEL}: 1 incident with news · 2026-11-20 23:30 UTC",
        "",
        "■ UPDATE · AWS · us-east-1 · investigating · affects Slack, Q&A <site>",
        "  news only · Started 2026-11-20 18:05 UTC · ongoing for 5 h 25 min"
        " · last update 2026-11-20 21:40 UTC",
        "  Queue <service> & degraded",
        "  https://news.example.com/a",
        f"    {SUMMARY}",
        "  source: news.example.com (en) — Queue <service> & degraded",
        "  source: news.sina.com.cn (zh) — 亚马逊云美国东部1区突发故障",
        "  source: status-news (en) — Local note & <draft>",
        f"  3 reports · en/zh · {BYLINE_TIMES} · extractive summary",
        "",
    ]


def test_render_text_lists_every_outlet() -> None:
    articles = (
        _article("lead"),
        *(_article(f"o{i}", url=f"https://s{i}.example/x") for i in range(9)),
    )
    text = render_text(_digest(_item("a", articles=articles)))
    listed = [line for line in text.splitlines() if line.startswith("  source: ")]
    assert listed == [
        "  source: news.example.com (en) — Queue service degraded (lead)",
        *(f"  source: s{i}.example (en) — Queue service degraded (o{i})" for i in range(9)),
    ]


def test_render_text_uses_the_lead_article_and_timezone() -> None:
    articles = (
        _article("a", url="https://www.reuters.com/a"),
        _article("b", url="https://www.theverge.com/b", title="AWS is down"),
    )
    item = _item("a", articles=articles, lead="id-b", provider_name=None, fallback=True)
    lines = render_text(_digest(item), timezone="Asia/Shanghai").splitlines()
    assert lines[0].endswith("· 2026-11-21 07:30 CST")
    assert lines[2] == "■ Outage"
    assert lines[4:6] == ["  AWS is down", "  https://www.theverge.com/b"]
    assert "  source: reuters.com (en) — Queue service degraded (a)" in lines
    assert lines[-1] == (
        "  2 reports · en · first seen 2026-11-21 02:05 CST · updated 2026-11-21 05:40 CST"
        " · extractive summary (model unavailable)"
    )


def test_render_text_separates_incidents_with_blank_lines() -> None:
    text = render_text(_digest(_item("a"), _item("b", provider_name=None, is_outage=False)))
    blocks = text.split("\n\n")
    assert blocks[0].startswith("Outage digest for C0123ABCD: 2 incidents with news")
    assert blocks[1].startswith("■ AWS\n  news only · Started")
    assert "\n  Queue service degraded (a)\n" in blocks[1]
    assert blocks[2].startswith("■ News\n  news only · Started")
    assert "\n  Queue service degraded (b)\n" in blocks[2]


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize(
    "summary",
    [
        "Engineers rolled back a configuration change and recovery began soon after. " * 4,
        "工程师随后开始分流请求并逐步重启受影响的组件，服务逐步恢复。" * 4,
    ],
)
def test_render_text_wraps_summaries_to_the_width(summary: str) -> None:
    text = render_text(_digest(_item("a", text=summary)), width=60)
    summary_lines = [line for line in text.splitlines() if line.startswith("    ")]
    assert len(summary_lines) > 1
    assert all(_cells(line) <= 60 for line in summary_lines)
    assert "".join(line.strip() for line in summary_lines).replace(" ", "") == summary.replace(
        " ", ""
    )


def test_render_text_of_an_empty_digest_is_just_the_headline() -> None:
    text = render_text(_digest())
    assert (
        text.strip() == f"Outage digest for {CHANNEL}: 0 incidents with news · 2026-11-20 23:30 UTC"
    )


# --- one message per incident (Slack threads) ---------------------------------------------


def test_header_message_counts_new_incidents_and_mentions_updates() -> None:
    digest = _digest(_item("a"), _item("b"), _item("c"))
    first = render_header(digest)
    assert [b["type"] for b in first["blocks"]] == ["header", "context"]
    assert _header(first) == "Outage digest: 3 new incidents · 2026-11-20 23:30 UTC"
    assert first["text"] == _header(first)
    assert _contexts(first) == [
        "Each incident has its own message below; later news about it goes to its thread, "
        "and a question asked there is answered from its reports."
    ]
    one = render_header(digest, "Asia/Shanghai", new=1, updated=2)
    assert _header(one) == "Outage digest: 1 new incident · 2026-11-21 07:30 CST"
    assert _contexts(one)[0].endswith(" 2 earlier incidents have news in their threads.")
    assert _contexts(render_header(digest, new=2, updated=1))[0].endswith(
        " 1 earlier incident has news in its thread."
    )


def test_incident_message_is_its_section_and_byline_without_update_mark() -> None:
    articles = (_article("a"), _article("b", url="https://www.reuters.com/b"))
    item = _item("a", articles=articles, regions=("aws:us-east-1",), status="resolved",
                 update=True, title="AWS <us-east-1> & more")  # fmt: skip
    message = render_incident(item)
    assert [b["type"] for b in message["blocks"]] == ["section", "context"]
    section = _sections(message)[0]
    assert section.split("\n")[0] == "AWS · us-east-1 · resolved"  # the thread root, not "UPDATE"
    assert "|Queue service degraded (a)>*" in section
    assert section.split("\n")[2] == (
        "*resolved* · Started 2026-11-20 18:05 UTC · resolved (end time not reported)"
        " · last update 2026-11-20 21:40 UTC"
    )
    assert "<https://www.reuters.com/b|reuters.com (en)>" in section
    assert _contexts(message)[0] == f"2 reports · en · {BYLINE_TIMES} · extractive summary"
    assert message["text"] == "AWS · us-east-1 · resolved: AWS &lt;us-east-1&gt; &amp; more"


def test_incident_message_with_a_huge_title_stays_small() -> None:
    item = _item("a", title="<" * 5000, articles=(_article("a", title="&" * 5000),),
                 text="x " * 5000)  # fmt: skip
    message = render_incident(item)
    assert len(_sections(message)[0]) <= SECTION_MAX
    assert len(message["text"]) <= 600 and message["text"].endswith("…")


def _change(item: DigestItem, status: str | None, seen: tuple[str, ...]) -> tuple[str, str]:
    message = render_change(item, status_before=status, articles_before=seen)
    assert [b["type"] for b in message["blocks"]] == ["section", "context"]
    return _sections(message)[0], message["text"]


def test_change_tells_the_new_status_and_the_new_reports() -> None:
    articles = (
        _article("a"),
        _article("b", url="https://www.reuters.com/b", title="AWS recovers & <apologises>"),
        _article("c", url="notes/c.md", title="Local note", language="zh"),
    )
    item = _item("a", articles=articles, status="resolved")
    section, text = _change(item, "investigating", ("id-a",))
    assert section.split("\n") == [
        "*Status:* investigating → *resolved*",
        "*New reports:*",
        "• <https://www.reuters.com/b|AWS recovers &amp; &lt;apologises&gt;> — reuters.com (en)",
        "• Local note — c.md (zh)",
    ]
    assert text == "Update: Status: investigating → resolved; 2 new reports"


def test_change_calls_out_a_root_cause_report() -> None:
    cause = _article("rca", url="https://status.aws.example/rca", title="Post-event summary")
    articles = (_article("a"), cause.model_copy(update={"status": "postmortem"}))
    item = _item("a", articles=articles, status="postmortem")
    section, text = _change(item, "postmortem", ("id-a",))
    assert section.split("\n") == [
        "*Root cause / post-mortem:* <https://status.aws.example/rca|Post-event summary>"
        " — status.aws.example (en)",
        "*Post-incident summary*",
        "• What failed: AWS",  # nothing else is known: nothing else is said
    ]
    assert text == "Update: root cause / post-mortem report"


def test_a_root_cause_report_adds_a_cause_line_and_a_post_incident_summary() -> None:
    health = "https://health.aws.amazon.com/health/status"
    start = datetime(2021, 12, 7, 15, 30, tzinfo=UTC)
    page = _article("p", url=health).model_copy(
        update={
            "status_page": True,
            "status": "resolved",
            "published": start.replace(hour=22, minute=0),
        }
    )
    summary = _article("s", title="Summary of the AWS Service Event in US-EAST-1")
    item = _item(
        "a", articles=(_article("a"), page, summary), regions=("aws:us-east-1",),
        status="postmortem", affected=("Netflix", "Ring"),
    ).model_copy(
        update={
            "root_cause": "An automated activity *to scale* capacity triggered <congestion>.",
            "fix": "Engineers disabled the scaling activities.",
        }
    )  # fmt: skip
    item = item.model_copy(
        update={"incident": item.incident.model_copy(update={"started_at": start})}
    )
    lines = _lines(item)
    assert lines[3] == (
        "*Root cause:* An automated activity ∗to scale∗ capacity triggered &lt;congestion&gt;."
    )
    section, _ = _change(item, "resolved", ("id-a", "id-p"))
    assert section.split("\n")[2:] == [
        "*Post-incident summary*",
        "• What failed: AWS · us-east-1",
        "• Impact: Netflix, Ring",
        "• Duration: 6 h 30 min from 2021-12-07 15:30 UTC",
        "• Cause: An automated activity ∗to scale∗ capacity triggered &lt;congestion&gt;.",
        "• Fix: Engineers disabled the scaling activities.",
    ]


def test_change_without_new_status_or_reports_shows_the_facts() -> None:
    item = _item("a", regions=("aws:us-east-1", "aws:eu-west-1"), status="ongoing")
    section, text = _change(item, "ongoing", ("id-a",))
    assert section == "*Details updated:* AWS · us-east-1, eu-west-1 · ongoing"
    assert text == "Update: details updated"


def test_change_from_no_status_and_its_byline() -> None:
    item = _item("a", status="investigating")
    message = render_change(item, status_before=None, articles_before=("id-a",),
                            timezone="Asia/Shanghai")  # fmt: skip
    assert _sections(message)[0] == "*Status:* unknown → *investigating*"
    assert _contexts(message)[0] == "Updated 2026-11-21 05:40 CST · 1 report · en"


def test_change_with_hundreds_of_new_reports_fits_a_section() -> None:
    articles = tuple(
        _article(f"n{i}", url=_url_of_length(400, f"https://n{i}.example/"), title="<t>" * 100)
        for i in range(300)
    )
    item = _item("a", articles=articles)
    section, _ = _change(item, None, ())
    assert len(section) <= SECTION_MAX
    lines = section.split("\n")
    assert lines[0] == "*New reports:*"
    assert lines[-1].startswith("… and ") and lines[-1].endswith(" more")
    shown = len(lines) - 2
    assert 3 <= shown < 300 and lines[-1] == f"… and {300 - shown} more"
    assert all("<t>" not in line for line in lines)


# --- the terminal gets a long digest in chunks ---------------------------------------------


class _ChunkSink:
    """A DigestSink (the terminal's port) that records how many items each call got."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def deliver(self, digest: Digest, timezone: str) -> list[str]:
        self.sizes.append(len(digest.items))
        return [f"chunk-{len(self.sizes)}"]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(ITEMS_PER_MESSAGE, [ITEMS_PER_MESSAGE]), (ITEMS_PER_MESSAGE + 1, [ITEMS_PER_MESSAGE, 1])],
)
def test_split_boundary(store: Store, count: int, expected: list[int]) -> None:
    sink = _ChunkSink()
    report = deliver(store, _digest(*(_item(str(i)) for i in range(count))), sink)
    assert sink.sizes == expected
    assert report.delivered == count
