"""One-shot commands: ``demo``, ``ingest``, ``summarize``, ``ask`` and ``digest``.

Each builds what it needs through the composition root (``bot.cli.root``) and
hands it to the stages. Stage modules are imported inside the commands, so the
command line starts without loading them.
"""

from __future__ import annotations

import json
import sys
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import root
from bot.cli.output import ProgressBar, SourceProgress, fail_on_delivery_errors, iso, say
from bot.errors import ConfigError, ConfigProblem

# Articles summarised at a time by `summarize` on a feed: progress shows per batch.
SUMMARY_BATCH = 8

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.delivery.terminal import TerminalSink
    from bot.intake.filing import Filed
    from bot.intake.pipeline import Intelligence
    from bot.qa.facts import Facts
    from bot.schema import Article, Source, Summary

DEMO_CHANNEL = "#outage-demo"


def demo(
    out: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Where to write the Block Kit JSON.")
    ] = None,
    reset: Annotated[bool, typer.Option(help="Forget what earlier demos delivered.")] = False,
    blocks: BlocksDir = None,
) -> None:
    """Ingest the bundled sample articles and print (or post) a digest."""
    from bot.config import ChannelConfig
    from bot.delivery.digests import digest_and_deliver
    from bot.delivery.terminal import TerminalSink
    from bot.intake.pipeline import Intelligence, ingest
    from bot.store import forget_everything

    settings, config = root.build_settings()
    # The model loads while the samples are read and classified (see root.start_loading_models).
    loading = root.start_loading_models(settings)
    store = root.build_store(settings)
    if reset:
        say(f"Forgot {forget_everything(store)} stored key(s).")
    channels = config.channels or (ChannelConfig(id=DEMO_CHANNEL),)
    blocks_file = out or settings.data_dir / "demo-digest.json"
    say(f"Reading the sample sources (state: {store.where})")
    intelligence = Intelligence.load()
    samples = _sample_sources()
    ingest(samples, store, channels, root.now(), intelligence,
           on_source=SourceProgress(len(samples)))  # fmt: skip
    summarizer = root.build_summarizer(loading.result(), store)
    sink = root.build_sink(root.build_slack_client(settings), blocks_file, blocks)
    deliveries = digest_and_deliver(store, channels, summarizer, sink, root.now(),
                                    intelligence.catalog)  # fmt: skip
    fail_on_delivery_errors(deliveries)
    if not any(d.delivered for d in deliveries):
        typer.echo(
            "Nothing new: every sample article was already delivered. "
            "Run `outage-bot demo --reset` to start over."
        )
        return
    if isinstance(sink, TerminalSink):
        say(f"Block Kit JSON written to {blocks_file}")
        _tell_previews(sink)
    else:
        for delivery in deliveries:
            say(f"Posted {delivery.delivered} item(s) to {delivery.channel}")


BlocksDir = Annotated[
    Path | None,
    typer.Option(metavar="DIR", help="Write one Block Kit Builder file per message "
                 "({\"blocks\": [...]}) and the full payload sent beside it."),
]  # fmt: skip


def _tell_previews(sink: TerminalSink) -> None:
    if sink.files:
        folder = sink.files[0].parent
        say(
            f"{len(sink.files) // 2} message preview(s) in {folder}: paste a NN-*.json file "
            "into https://app.slack.com/block-kit-builder; *.payload.json is the full payload"
        )


def _sample_sources() -> list[Source]:
    from bot.schema import Source

    samples = Path(str(files("bot") / "samples"))
    return [
        Source(name="sample-articles", location=str(samples / "articles"), kind="markdown"),
        Source(name="sample-feed", location=str(samples / "feeds" / "status-news.xml")),
    ]


def ingest_command(
    sources: Annotated[
        list[str], typer.Argument(metavar="SOURCE", help="URLs, files or directories to read.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per new article.")
    ] = False,
) -> None:
    """Read sources now, store what is new, and print the new articles.

    Exits non-zero only when every source failed.
    """
    from bot.intake.pipeline import Intelligence, ingest
    from bot.schema import Source

    settings, config = root.build_settings()
    store = root.build_store(settings)
    wanted = [Source(name=s, location=s) for s in sources]
    report = ingest(wanted, store, config.channels, root.now(), Intelligence.load(),
                    root.build_fetcher(settings), force=True,
                    on_source=SourceProgress(len(wanted)))  # fmt: skip
    for filed in report.filed:
        article = filed.article
        if as_json:
            typer.echo(json.dumps(_article_json(filed), ensure_ascii=False))
        else:
            mark = "outage" if filed.outage.is_outage else "other"
            when = (
                "undated"
                if article.published_from == "undated"
                else (f"{article.published:%Y-%m-%d %H:%M}")
            )
            shape = " (title only)" if article.title_only else ""
            typer.echo(f"{when:16} [{article.language}] [{mark}] {article.title}{shape}")
    if report.all_failed:
        raise typer.Exit(1)


def _article_json(filed: Filed) -> dict[str, object]:
    from bot.digest.render import region_label

    article, outage = filed.article, filed.outage
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "language": article.language,
        "published": iso(article.published),
        # "source": the document said so; "path": its file name or folder did;
        # "undated": nothing did, and "published" is the time it was read.
        "published_from": article.published_from,
        "path": article.path,
        "title_only": article.title_only,
        "text": article.text,
        "is_outage": outage.is_outage,
        "confidence": outage.confidence,
        "provider": outage.provider,
        "regions": [region_label(r) for r in outage.regions],
        "affected": list(outage.affected),
        "status": outage.status,
        "started_at": iso(outage.started_at) if outage.started_at else None,
        "incident": _visible_incident(filed),
        "components": list(article.components),
        "thread": article.thread,
    }


def _visible_incident(filed: Filed) -> str | None:
    incident = filed.incident
    if incident is None or not incident.is_outage or incident.held:
        return None  # held: aftermath of an outage we have no news of (Incident.held)
    return incident.id


def _read_one(settings: Settings, target: str) -> list[Article]:
    """The article(s) at a URL (through the safe fetcher) or in a local file; stores nothing."""
    from bot.intake.reading import PAGE_ACCEPT
    from bot.schema import Source
    from bot.sources.article import to_article
    from bot.sources.local import is_url, read_local
    from bot.sources.reader import Document, parse_document

    if is_url(target):
        result = root.build_fetcher(settings).fetch(target, accept=PAGE_ACCEPT)
        document = Document(result.data, result.url, result.content_type)
        entries = parse_document(document, target).entries
    else:
        entries = read_local(Source(name=target, location=target)).entries
    return [to_article(entry, root.now()) for entry in entries]


def summarize(
    target: Annotated[
        str,
        typer.Argument(metavar="FILE|URL", help="An article URL, or a Markdown/feed/page file."),
    ],
) -> None:
    """Summarise one article (or every item of a feed) without storing anything."""
    settings, _ = root.build_settings()
    loading = root.start_loading_models(settings)  # while the article is fetched and read
    articles = _read_one(settings, target)
    summarizer = loading.result().summarizer
    # A feed of many items is summarised a batch at a time, each batch's summaries
    # printed as it finishes, with a bar on a terminal.
    progress = ProgressBar(len(articles), "articles")
    for start in range(0, len(articles), SUMMARY_BATCH):
        batch = articles[start : start + SUMMARY_BATCH]
        summaries = summarizer.summarize(batch)
        progress.advance(len(batch), partial(_print_summaries, batch, summaries))


def _print_summaries(articles: list[Article], summaries: list[Summary]) -> None:
    for article, summary in zip(articles, summaries, strict=True):
        typer.echo(f"{article.title}\n  {summary.text}\n  [engine: {summary.engine}"
                   f"{', fallback' if summary.fallback else ''}]")  # fmt: skip


def ask(
    target: Annotated[
        str,
        typer.Argument(metavar="FILE|URL", help="An article URL, or a Markdown/feed/page file."),
    ],
    question: Annotated[
        str,
        typer.Argument(metavar="QUESTION", help="What you want to know, in Chinese or English."),
    ],
) -> None:
    """Answer a question from one article (or feed), quoting the evidence."""
    from bot.intake.pipeline import Intelligence
    from bot.qa.model import answerer_for
    from bot.qa.render import answer_text

    settings, _ = root.build_settings()
    loading = root.start_loading_models(settings)  # while the article is fetched and read
    articles = _read_one(settings, target)
    intelligence = Intelligence.load()
    answerer = answerer_for(loading.result().engine, intelligence.catalog)
    # One article is a small incident: what the classifier reads in it answers
    # questions about region, timing, services and status (bot/qa/facts.py).
    facts = _facts_of(articles, intelligence) if articles else None
    typer.echo(answer_text(answerer.answer(question, articles, facts)))


def _facts_of(articles: list[Article], intelligence: Intelligence) -> Facts:
    from bot.qa.facts import Facts

    outages = [intelligence.classifier.classify(a) for a in articles]
    lead = outages[0]
    return Facts.of_outage(
        lead.model_copy(
            update={
                "regions": tuple(dict.fromkeys(r for o in outages for r in o.regions)),
                "affected": tuple(dict.fromkeys(x for o in outages for x in o.affected)),
            }
        )
    )


def digest(
    channel: Annotated[
        str | None, typer.Option(metavar="CHANNEL", help="Only this channel.")
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Print it; deliver and mark nothing.")] = False,
    blocks: BlocksDir = None,
) -> None:
    """Build and deliver the pending digest now, whatever the schedule says."""
    from bot.cli.explain import why_empty
    from bot.delivery.digests import digest_and_deliver
    from bot.delivery.terminal import TerminalSink
    from bot.digest.build import build_digest
    from bot.intake.pipeline import Intelligence

    settings, config = root.build_settings()
    # The model loads while Redis, the channels and the catalogue are read.
    loading = root.start_loading_models(settings)
    store = root.build_store(settings)
    every = root.build_directory(store, config).channels()  # the file's and Slack-made ones
    channels = [c for c in every if channel in (None, c.id)]
    if not channels:
        known = ", ".join(c.id for c in every) or "none configured"
        raise ConfigError([ConfigProblem("channels", channel or "", f"no such channel ({known})")])
    catalog = Intelligence.load().catalog
    summarizer = root.build_summarizer(loading.result(), store)
    client = root.build_slack_client(settings)
    if dry_run or (blocks is not None and client is not None):
        if not dry_run:
            say("--blocks writes previews only: nothing is posted or marked (as --dry-run)")
        preview = TerminalSink(sys.stdout, blocks_dir=blocks)
        for c in channels:
            built = build_digest(store, c.id, summarizer, root.now(), catalog, c.summary_language)
            if not built.items:
                say(f"{c.id}: {why_empty(store, c)}")
                continue
            preview.deliver(built, c.timezone)
        _tell_previews(preview)
        return
    sink = root.build_sink(client, blocks_dir=blocks)
    deliveries = digest_and_deliver(store, channels, summarizer, sink, root.now(), catalog)
    for delivery in deliveries:
        if not delivery.error:
            say(f"{delivery.channel}: delivered {delivery.delivered}")
    fail_on_delivery_errors(deliveries)
