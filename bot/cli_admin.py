"""``outage-bot incidents | sources | models list|pull | config check``: looking and setting up.

Registered on the CLI's typer app by ``bot.cli`` (kept apart so each file stays small).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from bot.briefing import confirmation, official, timing
from bot.cli import _iso, _now, _settings_and_config, app, config_app, models_app
from bot.config import Settings, check_sources_exist, load_config, load_settings
from bot.digest import region_label
from bot.errors import ConfigError, ConfigProblem, OutageBotError, SummarizerError
from bot.incidents import IncidentBook
from bot.pipeline import Intelligence
from bot.schema import Incident
from bot.sources.health import SourceStates
from bot.store import connect


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
        typer.echo(f"No incidents in the last {since}.")


def _parse_since(text: str) -> timedelta | None:
    if text.strip().lower() == "all":
        return None
    match = re.fullmatch(r"(\d+)\s*([hdw])", text.strip().lower())
    if match is None:
        raise ConfigError([ConfigProblem("--since", text, "use e.g. 24h, 7d, 2w or all")])
    unit = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
    return int(match.group(1)) * unit[match.group(2)]


def _incident_json(incident: Incident, provider_name: str | None) -> dict[str, object]:
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
        "started_at": _iso(incident.started_at) if incident.started_at else None,
        "first_seen": _iso(incident.first_seen),
        "updated_at": _iso(incident.updated_at),
        "revision": incident.revision,
        # "news only", "confirmed by <provider> status", "resolved" or both of the last two.
        "confirmation": confirmation(incident, provider_name),
        "resolved_at": _iso(told.resolved) if told.resolved else None,
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
                "official": official(a),
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
    from bot.summarize.ct2 import precision_label
    from bot.summarize.presets import DEFAULT_PRESET, load_presets
    from bot.summarize.revision import recorded_revision

    settings = load_settings()
    for name, preset in sorted(load_presets().items()):
        folder = settings.models_dir / name
        present = (folder / "config.json").exists()
        commit = recorded_revision(folder) if present else None
        marks = [m for m, on in (("default", name == DEFAULT_PRESET),
                                 ("in use", name == settings.summarizer_model)) if on]  # fmt: skip
        licence = preset.license + (" (NON-COMMERCIAL)" if preset.non_commercial else "")
        precision = precision_label(folder, quantize=settings.quantize) if present else "-"
        typer.echo(f"{name:16} {'present' if present else 'absent ':8} {precision:17} {licence:32} "
                   f"{','.join(preset.languages):20} {preset.hub_id}"
                   + (f"@{commit[:12]}" if commit else "")
                   + (f"  [{', '.join(marks)}]" if marks else ""))  # fmt: skip
    typer.echo(
        f"models folder: {settings.models_dir} (precision on the CPU; CUDA runs fp32; "
        f"OUTAGE_BOT_QUANTIZE={'1' if settings.quantize else '0'})"
    )


@models_app.command("pull")
def models_pull(
    name: Annotated[str, typer.Argument(help="A preset name (see `models list`).")],
) -> None:
    """Download a preset's weights into the models folder (needs internet access)."""
    from bot.summarize.presets import load_presets
    from bot.summarize.revision import is_commit, record_revision

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
    try:
        from huggingface_hub import HfApi, snapshot_download

        # Resolve a branch ("main") to its commit first and download exactly that
        # commit, so what is recorded is what was downloaded.
        commit = HfApi().model_info(preset.hub_id, revision=preset.revision).sha
        if commit is None or not is_commit(commit):
            raise ValueError(f"the hub gave no commit id for {preset.revision!r}")
        typer.echo(f"downloading {preset.hub_id}@{commit} ({preset.revision}) into {target}",
                   err=True)  # fmt: skip
        snapshot_download(repo_id=preset.hub_id, revision=commit, local_dir=target,
                          allow_patterns=["*.json", "*.safetensors", "*.model", "*.txt",
                                          "spiece.model", "tokenizer*"])  # fmt: skip
    except Exception as exc:  # the hub client raises many kinds; all mean "not downloaded"
        raise OutageBotError(
            f"could not download {preset.hub_id}: {type(exc).__name__}: {exc} "
            "(this needs internet access to the Hugging Face hub; HF_HUB_OFFLINE must be unset)"
        ) from exc
    record_revision(target, commit)
    _convert_for_ctranslate2(target)
    typer.echo(f"{name} is ready in {target} (commit {commit}; pin it in models/presets.toml)")


def _convert_for_ctranslate2(target: Path) -> None:
    """The int8 CTranslate2 copy the CPU engine prefers; without it transformers runs."""
    from bot.summarize.ct2 import convert

    typer.echo(f"converting {target.name} to CTranslate2 int8", err=True)
    try:
        folder = convert(target, force=True)
    except SummarizerError as exc:
        typer.echo(f"warning: {exc}; the transformers engine will be used", err=True)
        return
    typer.echo(f"converted into {folder}", err=True)


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
