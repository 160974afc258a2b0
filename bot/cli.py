"""The ``outage-bot`` command line and the composition root.

Each command builds Settings, the config, the Redis store, the summarizer and
the sink once, here, and passes them down. Errors we expect (bad config,
unreachable Redis, a refused delivery) print one clear line and exit non-zero;
tracebacks are reserved for bugs.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import redis
import typer

from bot.channels import ChannelDirectory
from bot.config import (
    BotConfig,
    ChannelConfig,
    Settings,
    load_config,
    load_settings,
)
from bot.delivery import DeliveryReport, Sink, TerminalSink
from bot.digest import region_label
from bot.errors import ConfigError, ConfigProblem, OutageBotError
from bot.filing import Filed
from bot.ingest import PAGE_ACCEPT
from bot.pipeline import Intelligence, PollReport, build_digest, digest_and_deliver, ingest
from bot.recovery import RedisOutage
from bot.schedule import is_due
from bot.schema import Article, Source
from bot.slack.poster import SlackProblemReporter, SlackSink, build_web_client
from bot.sources.article import to_article
from bot.sources.fetch import FetchPolicy, SafeFetcher, build_http_client
from bot.sources.local import is_url, read_local
from bot.sources.netguard import AddressPolicy
from bot.sources.reader import Document, parse_document
from bot.store import Store, connect
from bot.summarize import Summarizer, build_summarizer
from bot.summarize.cache import CachedSummarizer

log = logging.getLogger("outage-bot")
app = typer.Typer(help="Outage news and status feeds, summarised locally, delivered to Slack.",
                  no_args_is_help=True, add_completion=False)  # fmt: skip
config_app = typer.Typer(help="Check the configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")
models_app = typer.Typer(help="Summarization models: list presets, download weights.",
                         no_args_is_help=True)  # fmt: skip
app.add_typer(models_app, name="models")

DEMO_CHANNEL = "#outage-demo"


def main() -> None:
    """Console-script entry: run the app, turning expected errors into one line."""
    try:
        # Without standalone mode, click returns the code of a typer.Exit instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.Abort:
        sys.exit(130)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except ConfigError as exc:
        print("outage-bot: configuration problem:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(2)
    except OutageBotError as exc:
        print(f"outage-bot: {exc}", file=sys.stderr)
        sys.exit(1)
    except redis.RedisError as exc:
        print(f"outage-bot: Redis failed: {exc}", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:  # click's own usage errors carry an exit code
        from click import ClickException

        if isinstance(exc, ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug detail.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        # One-shot commands print a per-source report; the pipeline's per-source
        # warnings would repeat it. The worker (`run`) logs instead of printing.
        logging.getLogger("bot.pipeline").setLevel(logging.ERROR)


# --- composition -------------------------------------------------------------------------------


def _settings_and_config() -> tuple[Settings, BotConfig]:
    settings = load_settings()
    return settings, load_config(settings.config_path)


def _sink(settings: Settings, blocks_file: Path | None = None) -> Sink:
    client = build_web_client(settings)
    if client is None:
        return TerminalSink(sys.stdout, blocks_file)
    return SlackSink(client)


def _fetcher(settings: Settings) -> SafeFetcher:
    policy = FetchPolicy(
        max_bytes=settings.fetch_max_bytes,
        total_timeout_s=settings.fetch_timeout_s,
        read_timeout_s=min(10.0, settings.fetch_timeout_s),
    )
    addresses = AddressPolicy(allowed_hosts=settings.allowed_hosts)
    return SafeFetcher(build_http_client(policy), addresses, policy)


def _summarizer(settings: Settings) -> Summarizer:
    return build_summarizer(settings.summarizer_model, settings.models_dir,
                            quantize=settings.quantize,
                            vocabulary=settings.summarizer_vocabulary)  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC)


def _polling_setup(settings: Settings, config: BotConfig) -> tuple[Store, ChannelDirectory]:
    """Redis and the channel directory for a polling process; refuses to poll nothing.

    Channels and feeds set up in Slack (/outage-summary settings, subscribe) join
    the config file's; they are re-read every poll, so no restart is needed.
    """
    store = connect(settings)
    directory = ChannelDirectory(store, config)
    if not directory.sources():
        where = str(settings.config_path or "OUTAGE_BOT_CONFIG")
        raise ConfigError([ConfigProblem(where, "sources", "no sources configured (and no "
                                         "feeds subscribed in Slack)")])  # fmt: skip
    return store, directory


def _log_progress() -> None:
    """Long-running processes (run, clock, worker) log what they do instead of printing."""
    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    logging.getLogger("bot.pipeline").setLevel(logging.NOTSET)


def _sample_sources() -> list[Source]:
    samples = Path(str(files("bot") / "samples"))
    return [
        Source(name="sample-articles", location=str(samples / "articles"), kind="markdown"),
        Source(name="sample-feed", location=str(samples / "feeds" / "status-news.xml")),
    ]


def _print_ingest(report: PollReport) -> None:
    for source in report.sources:
        if source.error:
            typer.echo(f"  {source.name}: FAILED: {source.error}", err=True)
        elif source.skipped_until:
            typer.echo(f"  {source.name}: backing off until {source.skipped_until:%Y-%m-%d %H:%M}"
                       " UTC", err=True)  # fmt: skip
        elif source.not_modified:
            typer.echo(f"  {source.name}: not modified since the last poll", err=True)
        else:
            typer.echo(f"  {source.name}: {source.entries} read, {source.new} new", err=True)
        for warning in source.warnings:
            typer.echo(f"    warning: {warning}", err=True)


# --- commands ----------------------------------------------------------------------------------


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option(help="Where to write the Block Kit JSON.")] = None,
    reset: Annotated[bool, typer.Option(help="Forget what earlier demos delivered.")] = False,
) -> None:
    """Ingest the bundled sample articles and print (or post) a digest."""
    settings, config = _settings_and_config()
    store = connect(settings)
    if reset:
        _forget_everything(store)
    channels = config.channels or (ChannelConfig(id=DEMO_CHANNEL),)
    blocks_file = out or settings.data_dir / "demo-digest.json"
    typer.echo(f"Reading the sample sources (state: {store.where})", err=True)
    intelligence = Intelligence.load()
    report = ingest(_sample_sources(), store, channels, _now(), intelligence)
    _print_ingest(report)
    summarizer = CachedSummarizer(_summarizer(settings), store)
    sink = _sink(settings, blocks_file)
    deliveries = digest_and_deliver(store, channels, summarizer, sink, _now(), intelligence.catalog)
    _fail_on_delivery_errors(deliveries)
    if not any(d.delivered for d in deliveries):
        typer.echo(
            "Nothing new: every sample article was already delivered. "
            "Run `outage-bot demo --reset` to start over."
        )
        return
    if isinstance(sink, TerminalSink):
        typer.echo(f"Block Kit JSON written to {blocks_file}", err=True)
    else:
        for delivery in deliveries:
            typer.echo(f"Posted {delivery.delivered} item(s) to {delivery.channel}", err=True)


def _fail_on_delivery_errors(deliveries: list[DeliveryReport]) -> None:
    """Print each channel's delivery error; exit 1 if there was any (items stay pending)."""
    failed = [d for d in deliveries if d.error]
    for delivery in failed:
        typer.echo(f"outage-bot: {delivery.channel}: {delivery.error}", err=True)
    if failed:
        raise typer.Exit(1)


def _forget_everything(store: Store) -> None:
    doomed = list(store.redis.scan_iter(match=store.keys.all_pattern(), count=500))
    for start in range(0, len(doomed), 500):
        store.redis.delete(*doomed[start : start + 500])
    typer.echo(f"Forgot {len(doomed)} stored key(s).", err=True)


@app.command()
def run(
    once: Annotated[bool, typer.Option(help="Poll once and exit instead of looping.")] = False,
    interval: Annotated[int, typer.Option(min=10, help="Seconds between polls.")] = 300,
) -> None:
    """Poll the configured sources and deliver due channel digests (the worker process)."""
    settings, config = _settings_and_config()
    store, directory = _polling_setup(settings, config)
    summarizer = CachedSummarizer(_summarizer(settings), store)
    client = build_web_client(settings)
    sink: Sink = SlackSink(client) if client else TerminalSink(sys.stdout)
    # A channel Slack refuses (bot not invited, archived) is told to whoever set it up.
    reporter = SlackProblemReporter(client, store, directory.configured_by) if client else None
    fetcher = _fetcher(settings)
    intelligence = Intelligence.load()
    _log_progress()

    def poll() -> None:
        channels = directory.channels()
        ingest(directory.sources(), store, channels, _now(), intelligence, fetcher)
        due = [c for c in channels if is_due(c, _last_digest(store, c.id), _now())]
        deliveries = digest_and_deliver(store, due, summarizer, sink, _now(),
                                        intelligence.catalog, reporter=reporter)  # fmt: skip
        for delivery in deliveries:
            if delivery.error:  # logged by the pipeline; the items stay pending
                typer.echo(f"{delivery.channel}: not delivered: {delivery.error}", err=True)
                continue
            store.redis.set(store.keys.last_digest(delivery.channel), _now().isoformat())
            if delivery.delivered:
                typer.echo(f"{delivery.channel}: delivered {delivery.delivered}", err=True)

    # A Redis outage between polls is waited out, not fatal (bot.recovery).
    outage = RedisOutage("run", threading.Event(), say=lambda m: typer.echo(m, err=True),
                         retry=not once)  # fmt: skip
    while True:
        outage.attempt(poll)
        if once:
            return
        time.sleep(interval)


def _last_digest(store: Store, channel: str) -> datetime | None:
    raw = store.redis.get(store.keys.last_digest(channel))
    return datetime.fromisoformat(str(raw)) if raw else None


@app.command("ingest")
def ingest_command(
    sources: Annotated[list[str], typer.Argument(help="URLs, files or directories to read.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per new article.")
    ] = False,
) -> None:
    """Read sources now, store what is new, and print the new articles.

    Exits non-zero only when every source failed.
    """
    settings, config = _settings_and_config()
    store = connect(settings)
    wanted = [Source(name=s, location=s) for s in sources]
    report = ingest(wanted, store, config.channels, _now(), Intelligence.load(), _fetcher(settings),
                    force=True)  # fmt: skip
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
    _print_ingest(report)
    if report.all_failed:
        raise typer.Exit(1)


def _article_json(filed: Filed) -> dict[str, object]:
    article, outage = filed.article, filed.outage
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "language": article.language,
        "published": _iso(article.published),
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
        "started_at": _iso(outage.started_at) if outage.started_at else None,
        "incident": _visible_incident(filed),
        "components": list(article.components),
        "thread": article.thread,
    }


def _visible_incident(filed: Filed) -> str | None:
    incident = filed.incident
    if incident is None or not incident.is_outage or incident.held:
        return None  # held: aftermath of an outage we have no news of (Incident.held)
    return incident.id


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _read_one(settings: Settings, target: str) -> list[Article]:
    """The article(s) at a URL (through the safe fetcher) or in a local file; stores nothing."""
    if is_url(target):
        result = _fetcher(settings).fetch(target, accept=PAGE_ACCEPT)
        document = Document(result.data, result.url, result.content_type)
        entries = parse_document(document, target).entries
    else:
        entries = read_local(Source(name=target, location=target)).entries
    return [to_article(entry, _now()) for entry in entries]


@app.command()
def summarize(
    target: Annotated[str, typer.Argument(help="An article URL, or a Markdown/feed/page file.")],
) -> None:
    """Summarise one article (or every item of a feed) without storing anything."""
    settings = load_settings()
    summarizer = _summarizer(settings)
    articles = _read_one(settings, target)
    for article, summary in zip(articles, summarizer.summarize(articles), strict=True):
        typer.echo(f"{article.title}\n  {summary.text}\n  [engine: {summary.engine}"
                   f"{', fallback' if summary.fallback else ''}]")  # fmt: skip


@app.command()
def digest(
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    dry_run: Annotated[bool, typer.Option(help="Print it; deliver and mark nothing.")] = False,
) -> None:
    """Build and deliver the pending digest now, whatever the schedule says."""
    settings, config = _settings_and_config()
    store = connect(settings)
    every = ChannelDirectory(store, config).channels()  # the file's and those set up in Slack
    channels = [c for c in every if channel in (None, c.id)]
    if not channels:
        known = ", ".join(c.id for c in every) or "none configured"
        raise ConfigError([ConfigProblem("channels", channel or "", f"no such channel ({known})")])
    summarizer = CachedSummarizer(_summarizer(settings), store)
    catalog = Intelligence.load().catalog
    if dry_run:
        for c in channels:
            built = build_digest(store, c.id, summarizer, _now(), catalog, c.summary_language)
            TerminalSink(sys.stdout).deliver(built, c.timezone)
        return
    deliveries = digest_and_deliver(store, channels, summarizer, _sink(settings), _now(), catalog)
    for delivery in deliveries:
        if not delivery.error:
            typer.echo(f"{delivery.channel}: delivered {delivery.delivered}", err=True)
    _fail_on_delivery_errors(deliveries)


# More commands live in their own modules (each file stays small) and register on `app`:
# incidents, sources, models, config check; and the Slack-facing serve and ask.
from bot import cli_admin, cli_slack, cli_worker  # noqa: E402, F401
