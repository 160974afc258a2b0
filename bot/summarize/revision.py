"""Which exact commit of a model's hub repository is on disk.

``presets.toml`` names a revision: a commit id, or a branch such as "main" for a
preset nobody has pinned yet. ``outage-bot models pull`` resolves that to a
commit id, downloads exactly that commit and records it in the model folder's
``REVISION`` file. Loading then runs with the recorded commit, so the summary
cache key (and the log line) name the weights that really produced a summary,
and a later pull of a moved branch cannot be mistaken for the old weights.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bot.summarize.presets import Preset

log = logging.getLogger(__name__)

REVISION_FILE = "REVISION"
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


def is_commit(revision: str) -> bool:
    return bool(_COMMIT.match(revision))


def recorded_revision(folder: Path) -> str | None:
    """The commit id ``models pull`` recorded in ``folder``, if it holds a valid one."""
    try:
        text = (folder / REVISION_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if is_commit(text) else None


def record_revision(folder: Path, commit: str) -> None:
    if not is_commit(commit):
        raise ValueError(f"not a commit id: {commit!r}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / REVISION_FILE).write_text(commit + "\n", encoding="ascii")


def as_loaded(preset: Preset, folder: Path) -> Preset:
    """``preset`` with the revision of the weights in ``folder``.

    A folder pulled at another commit than the preset pins still loads (the
    weights are what they are) but says so once, with the fix.
    """
    recorded = recorded_revision(folder)
    if recorded is None:
        return preset
    if is_commit(preset.revision) and recorded != preset.revision:
        log.warning(
            "%s: %s holds commit %s but bot/data/presets.toml pins %s; run "
            "`outage-bot models pull %s` to get the pinned weights",
            preset.name,
            folder,
            recorded[:12],
            preset.revision[:12],
            preset.name,
        )
    return preset.model_copy(update={"revision": recorded})
