"""Title-only articles are summarised as their title, and the digest says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.digest.render import render_text
from bot.schema import Digest, DigestItem, Incident, IncidentArticle, Summary
from bot.summarize.factory import build_summarizer
from bot.summarize.title_only import TITLE_ENGINE
from tests.summarize.articles import make_article

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_title_only_articles_get_their_title_and_the_rest_go_to_the_engine(
    tmp_path: Path,
) -> None:
    body = make_article(
        "with-body",
        ["AWS us-east-1 had elevated API error rates for three hours on Tuesday."],
        "en",
    )
    bare = make_article("bare", [], "en").model_copy(
        update={"title": "Azure outage takes down Microsoft 365", "title_only": True}
    )
    summarizer = build_summarizer("extractive", tmp_path)
    first, second, third = summarizer.summarize([bare, body, bare])
    assert (first.text, first.engine, first.article_id) == (
        "Azure outage takes down Microsoft 365",
        TITLE_ENGINE,
        "id-bare",
    )
    assert second.engine == "extractive" and "elevated API error rates" in second.text
    assert third == first


def test_only_title_only_articles_never_reach_the_engine(tmp_path: Path) -> None:
    bare = make_article("bare", [], "zh").model_copy(
        update={"title": "微软全球服务中断", "title_only": True}
    )
    (summary,) = build_summarizer("flan-t5-base", tmp_path).summarize([bare], "en")
    # The configured model is missing here; even so nothing falls back: the title is it.
    assert (summary.text, summary.language, summary.fallback) == ("微软全球服务中断", "zh", False)


def test_the_digest_marks_a_title_only_summary() -> None:
    reference = IncidentArticle(
        article_id="bare",
        url="https://news.example.test/a",
        title="Azure outage takes down Microsoft 365",
        language="en",
        source="news",
        published=NOW,
    )
    incident = Incident(
        id="inc-1",
        is_outage=True,
        provider="azure",
        title=reference.title,
        first_seen=NOW,
        updated_at=NOW,
        lead_article_id="bare",
        articles=(reference,),
    )
    summary = Summary(article_id="bare", text=reference.title, engine=TITLE_ENGINE, language="en")
    item = DigestItem(incident=incident, summary=summary, provider_name="Azure")
    text = render_text(Digest(channel="#ops", generated_at=NOW, items=(item,)))
    assert "title only (the source has no article text)" in text
