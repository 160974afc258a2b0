"""``outage-bot models list|pull``: the presets, and downloading their weights.

Downloading is separate from loading (``bot.summarize.factory``): only ``pull``
talks to the model hub, and only it imports huggingface_hub.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.errors import ConfigError, ConfigProblem, OutageBotError, SummarizerError


def models_list() -> None:
    """The presets, their licences and languages, and whether their weights are here."""
    from bot.config import load_settings
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


def models_pull(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A preset name (see `models list`).")],
) -> None:
    """Download a preset's weights into the models folder (needs internet access)."""
    from bot.config import load_settings
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
    typer.echo(f"{name} is ready in {target} (commit {commit}; pin it in bot/data/presets.toml)")


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
