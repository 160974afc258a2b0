"""The ``outage-bot`` command line and the composition root.

Each command builds Settings, the config, the Redis store, the summarizer and
the sink once, here, and passes them down. Errors we expect (bad config,
unreachable Redis, a refused delivery) print one clear line and exit non-zero;
tracebacks are reserved for bugs.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime, timedelta
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
    check_sources_exist,
    load_config,
    load_settings,
)
from bot.delivery import DeliveryReport, Sink, TerminalSink
from bot.digest import region_label
from bot.errors import ConfigError, ConfigProblem, OutageBotError
from bot.filing import Filed
from bot.incidents import IncidentBook
from bot.ingest import PAGE_ACCEPT
from bot.pipeline import Intelligence, PollReport, build_digest, digest_and_deliver, ingest
from bot.schedule import is_due
from bot.schema import Incident, Source
from bot.slack.poster import SlackProblemReporter, SlackSink, build_web_client
from bot.sources.article import to_article
from bot.sources.fetch import FetchPolicy, SafeFetcher, build_http_client
from bot.sources.health import SourceStates
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
                            quantize=settings.quantize)  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC)


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
    store = connect(settings)
    # Channels and feeds set up in Slack (/outage-summary settings, subscribe) join
    # the config file's; they are re-read every poll, so no restart is needed.
    directory = ChannelDirectory(store, config)
    if not directory.sources():
        where = str(settings.config_path or "OUTAGE_BOT_CONFIG")
        raise ConfigError([ConfigProblem(where, "sources", "no sources configured (and no "
                                         "feeds subscribed in Slack)")])  # fmt: skip
    summarizer = CachedSummarizer(_summarizer(settings), store)
    client = build_web_client(settings)
    sink: Sink = SlackSink(client) if client else TerminalSink(sys.stdout)
    # A channel Slack refuses (bot not invited, archived) is told to whoever set it up.
    reporter = SlackProblemReporter(client, store, directory.configured_by) if client else None
    fetcher = _fetcher(settings)
    intelligence = Intelligence.load()
    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    logging.getLogger("bot.pipeline").setLevel(logging.NOTSET)
    while True:
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
            typer.echo(f"{article.published:%Y-%m-%d %H:%M} [{article.language}] [{mark}] "
                       f"{article.title}")  # fmt: skip
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
        "text": article.text,
        "is_outage": outage.is_outage,
        "confidence": outage.confidence,
        "provider": outage.provider,
        "regions": [region_label(r) for r in outage.regions],
        "affected": list(outage.affected),
        "status": outage.status,
        "started_at": _iso(outage.started_at) if outage.started_at else None,
        "incident": filed.incident.id if filed.incident and filed.incident.is_outage else None,
        "components": list(article.components),
        "thread": article.thread,
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@app.command()
def summarize(
    target: Annotated[str, typer.Argument(help="An article URL, or a Markdown/feed/page file.")],
) -> None:
    """Summarise one article (or every item of a feed) without storing anything."""
    settings = load_settings()
    summarizer = _summarizer(settings)
    if is_url(target):
        result = _fetcher(settings).fetch(target, accept=PAGE_ACCEPT)
        document = Document(result.data, result.url, result.content_type)
        entries = parse_document(document, target).entries
    else:
        entries = read_local(Source(name=target, location=target)).entries
    articles = [to_article(entry, _now()) for entry in entries]
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


@app.command("incidents")
def incidents_command(
    since: Annotated[str, typer.Option(help="24h, 7d, 2w … or all.")] = "7d",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per incident.")] = False,
) -> None:
    """List incidents with status, sources and languages, most recently updated first."""
    settings, _ = _settings_and_config()
    window = _parse_since(since)
    store = connect(settings)
    start = datetime.fromtimestamp(0, UTC) if window is None else _now() - window
    catalog = Intelligence.load().catalog
    found = [i for i in IncidentBook(store).recent(start) if i.is_outage]
    for incident in found:
        if as_json:
            typer.echo(json.dumps(_incident_json(incident), ensure_ascii=False))
            continue
        name = catalog.provider_name(incident.provider) if incident.provider else "(unknown)"
        regions = ", ".join(region_label(r) for r in incident.regions) or "-"
        languages = "/".join(incident.languages)
        typer.echo(f"{incident.id}  {name}  {regions}  {incident.status or '-'}  {languages}  "
                   f"{len(incident.articles)} report(s)")  # fmt: skip
        typer.echo(f"    {incident.title}")
        for article in incident.articles:
            typer.echo(f"    - [{article.language}] {article.title} ({article.url})")
    if not found and not as_json:
        typer.echo(f"No incidents in the last {since}.")


def _parse_since(text: str) -> timedelta | None:
    if text.strip().lower() == "all":
        return None
    match = re.fullmatch(r"(\d+)\s*([hdw])", text.strip().lower())
    if match is None:
        raise ConfigError([ConfigProblem("--since", text, "use e.g. 24h, 7d, 2w or all")])
    unit = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
    return int(match.group(1)) * unit[match.group(2)]


def _incident_json(incident: Incident) -> dict[str, object]:
    return {
        "id": incident.id,
        "provider": incident.provider,
        "regions": [region_label(r) for r in incident.regions],
        "affected": list(incident.affected),
        "status": incident.status,
        "title": incident.title,
        "languages": list(incident.languages),
        "sources": list(incident.sources),
        "started_at": _iso(incident.started_at) if incident.started_at else None,
        "first_seen": _iso(incident.first_seen),
        "updated_at": _iso(incident.updated_at),
        "revision": incident.revision,
        "timeline": [
            {"at": _iso(t.at), "status": t.status, "article_id": t.article_id}
            for t in incident.timeline
        ],
        "articles": [
            {
                "url": a.url,
                "title": a.title,
                "language": a.language,
                "source": a.source,
                "published": _iso(a.published),
                "status": a.status,
            }
            for a in incident.articles
        ],
    }


@app.command("sources")
def sources_command() -> None:
    """List the configured sources with their health (last success, error, next attempt)."""
    settings, config = _settings_and_config()
    if not config.sources:
        typer.echo("No sources configured (set OUTAGE_BOT_CONFIG to a TOML file).")
        return
    store = connect(settings)
    health = SourceStates(store).get_many(s.name for s in config.sources)
    for source in config.to_sources():
        state = health[source.name]
        typer.echo(f"{source.name}  ({source.kind}) {source.location}")
        ok = f"{state.last_success:%Y-%m-%d %H:%M} UTC" if state.last_success else "never"
        typer.echo(f"    last success: {ok}; new then: {state.last_new}")
        if state.failures:
            typer.echo(f"    failing ({state.failures}x): {state.last_error}")
        if state.next_attempt:
            typer.echo(f"    next attempt: {state.next_attempt:%Y-%m-%d %H:%M} UTC")


@models_app.command("list")
def models_list() -> None:
    """The presets, their licences and languages, and whether their weights are here."""
    from bot.summarize.presets import DEFAULT_PRESET, load_presets

    settings = load_settings()
    for name, preset in sorted(load_presets().items()):
        present = (settings.models_dir / name / "config.json").exists()
        marks = [m for m, on in (("default", name == DEFAULT_PRESET),
                                 ("in use", name == settings.summarizer_model)) if on]  # fmt: skip
        licence = preset.license + (" (NON-COMMERCIAL)" if preset.non_commercial else "")
        typer.echo(f"{name:16} {'present' if present else 'absent ':8} {licence:32} "
                   f"{','.join(preset.languages):20} {preset.hub_id}"
                   + (f"  [{', '.join(marks)}]" if marks else ""))  # fmt: skip
    typer.echo(f"models folder: {settings.models_dir}")


@models_app.command("pull")
def models_pull(
    name: Annotated[str, typer.Argument(help="A preset name (see `models list`).")],
) -> None:
    """Download a preset's weights into the models folder (needs internet access)."""
    from bot.summarize.presets import load_presets

    settings = load_settings()
    presets = load_presets()
    if name not in presets:
        raise ConfigError(
            [ConfigProblem("presets", name, f"unknown preset; known: {', '.join(sorted(presets))}")]
        )
    preset = presets[name]
    if preset.non_commercial:
        typer.echo(f"note: {name} is licensed {preset.license} (non-commercial use only)", err=True)
    target = settings.models_dir / name
    typer.echo(f"downloading {preset.hub_id}@{preset.revision} into {target}", err=True)
    try:
        from huggingface_hub import snapshot_download

        snapshot_download(repo_id=preset.hub_id, revision=preset.revision, local_dir=target,
                          allow_patterns=["*.json", "*.safetensors", "*.model", "*.txt",
                                          "spiece.model", "tokenizer*"])  # fmt: skip
    except Exception as exc:  # the hub client raises many kinds; all mean "not downloaded"
        raise OutageBotError(
            f"could not download {preset.hub_id}: {type(exc).__name__}: {exc} "
            "(this needs internet access to the Hugging Face hub; HF_HUB_OFFLINE must be unset)"
        ) from exc
    typer.echo(f"{name} is ready in {target}")


@config_app.command("check")
def config_check() -> None:
    """Validate the environment and the config file; list every problem."""
    problems: list[ConfigProblem] = []
    settings: Settings | None = None
    try:
        settings = load_settings()
    except ConfigError as exc:
        problems.extend(exc.problems)
    config = None
    if settings is not None:
        try:
            config = load_config(settings.config_path)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if config is not None and settings is not None:
        problems.extend(check_sources_exist(config, str(settings.config_path)))
    if problems:
        raise ConfigError(problems)
    assert settings is not None and config is not None  # noqa: S101
    where = settings.config_path or "no config file (OUTAGE_BOT_CONFIG unset)"
    typer.echo(f"OK: {where}: {len(config.sources)} source(s), {len(config.channels)} channel(s)")
    if settings.slack_bot_token is None:
        typer.echo("   SLACK_BOT_TOKEN unset: digests print to the terminal")


# The Slack-facing commands (serve, ask) live in their own module and register on `app`.
from bot import cli_slack  # noqa: E402, F401
