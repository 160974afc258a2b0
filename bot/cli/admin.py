"""``outage-bot incidents | sources | config check``: looking at what the bot knows and reads.

``sources`` and ``config check`` must start fast (no model, no Slack, no classifier),
so stage modules are imported inside the commands that need them.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import root
from bot.cli.output import iso, say
from bot.errors import ConfigError, ConfigProblem

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.schema import Incident


def incidents_command(
    since: Annotated[
        str | None,
        typer.Option(
            metavar="AGE",
            help="24h, 7d, 2w … or all (default: the shortest of "
            "24h, 7d, 30d, 90d that has incidents).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per incident.")] = False,
) -> None:
    """List incidents with status, sources and languages, most recently updated first."""
    from bot.digest.briefing import confirmation
    from bot.digest.render import region_label
    from bot.incidents.book import IncidentBook
    from bot.intake.pipeline import Intelligence

    settings, _ = root.build_settings()
    store = root.build_store(settings)
    every = [i for i in IncidentBook(store).recent(datetime.fromtimestamp(0, UTC)) if i.is_outage]
    since, found = _window(every, since)
    if len(every) > len(found):
        say(f"Incidents of the last {since}; {len(every) - len(found)} older "
            "(--since all shows them).")  # fmt: skip
    catalog = Intelligence.load().catalog
    for incident in found:
        known = catalog.provider_name(incident.provider) if incident.provider else None
        if as_json:
            typer.echo(json.dumps(_incident_json(incident, known), ensure_ascii=False))
            continue
        name = known or "(unknown)"
        regions = ", ".join(region_label(r) for r in incident.regions) or "-"
        languages = "/".join(incident.languages)
        label = confirmation(incident, known)
        typer.echo(f"{incident.id}  {name}  {regions}  {incident.status or '-'}  {languages}  "
                   f"{len(incident.articles)} report(s)  [{label}]")  # fmt: skip
        typer.echo(f"    {incident.title}")
        for article in incident.articles:
            typer.echo(f"    - [{article.language}] {article.title} ({article.url})")
    if not found and not as_json:
        typer.echo("No incidents stored yet (run `outage-bot ingest` or `run` first)."
                   if since == "all" else f"No incidents in the last {since}.")  # fmt: skip


# Tried in order when --since is not given: a user wants the recent incidents that
# exist, and sample data or a quiet week should not look like "nothing".
_DEFAULT_WINDOWS = ("24h", "7d", "30d", "90d")


def _window(every: list[Incident], since: str | None) -> tuple[str, list[Incident]]:
    """The window used and the incidents in it (every list is newest first)."""
    for text in (since,) if since is not None else _DEFAULT_WINDOWS:
        window = _parse_since(text)
        if window is None:
            return text, every
        start = root.now() - window
        found = [i for i in every if i.updated_at >= start]
        if found or since is not None:
            return text, found
    return "all", every


def _parse_since(text: str) -> timedelta | None:
    if text.strip().lower() == "all":
        return None
    match = re.fullmatch(r"(\d+)\s*([hdw])", text.strip().lower())
    if match is None:
        raise ConfigError([ConfigProblem("--since", text, "use e.g. 24h, 7d, 2w or all")])
    unit = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
    return int(match.group(1)) * unit[match.group(2)]


def _incident_json(incident: Incident, provider_name: str | None) -> dict[str, object]:
    from bot.digest.briefing import confirmation, official, timing
    from bot.digest.render import region_label

    told = timing(incident)
    return {
        "id": incident.id,
        "provider": incident.provider,
        "regions": [region_label(r) for r in incident.regions],
        "affected": list(incident.affected),
        "status": incident.status,
        "title": incident.title,
        "languages": list(incident.languages),
        "sources": list(incident.sources),
        "started_at": iso(incident.started_at) if incident.started_at else None,
        "first_seen": iso(incident.first_seen),
        "updated_at": iso(incident.updated_at),
        "revision": incident.revision,
        # "news only", "confirmed by <provider> status", "resolved" or both of the last two.
        "confirmation": confirmation(incident, provider_name),
        "resolved_at": iso(told.resolved) if told.resolved else None,
        "timeline": [
            {"at": iso(t.at), "status": t.status, "article_id": t.article_id}
            for t in incident.timeline
        ],
        "articles": [
            {
                "url": a.url,
                "title": a.title,
                "language": a.language,
                "source": a.source,
                "published": iso(a.published),
                "status": a.status,
                "official": official(a),
            }
            for a in incident.articles
        ],
    }


def sources_command() -> None:
    """List the configured sources with their health (last success, error, next attempt)."""
    settings, config = root.build_settings()
    if not config.sources:
        typer.echo("No sources configured (set OUTAGE_BOT_CONFIG to a TOML file).")
        return
    from bot.sources.health import SourceStates

    store = root.build_store(settings)
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


def config_check() -> None:
    """Validate the environment, .env and the config file; ping Redis; list every problem."""
    from bot.cli.checks import check_model, check_providers, check_redis, check_tokens
    from bot.config import check_sources_exist, load_config, load_settings

    problems: list[ConfigProblem] = []
    settings: Settings | None = None
    try:
        settings = load_settings()
    except ConfigError as exc:
        problems.extend(exc.problems)
    config = None
    if settings is not None:
        problems.extend(check_model(settings))
        problems.extend(check_tokens(settings))
        try:
            config = load_config(settings.config_path)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if config is not None and settings is not None:
        where = str(settings.config_path)
        problems.extend(check_sources_exist(config, where))
        problems.extend(check_providers(config, where))
    if settings is not None:
        problems.extend(check_redis(settings))
    if problems:
        raise ConfigError(problems)
    assert settings is not None and config is not None  # noqa: S101
    shown = settings.config_path or "no config file (OUTAGE_BOT_CONFIG unset)"
    typer.echo(f"OK: {shown}: {len(config.sources)} source(s), {len(config.channels)} channel(s)")
    redis = "REDIS_URL answers PING" if settings.redis_url else (
        f"embedded Redis in {settings.data_dir} (started on demand)")  # fmt: skip
    typer.echo(f"   {redis}; summarizer: {settings.summarizer_model}")
    if settings.slack_bot_token is None:
        typer.echo("   SLACK_BOT_TOKEN unset: digests print to the terminal")
