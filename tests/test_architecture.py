"""The package's shape: no import cycles between folders or modules, stages point one way.

Imports are read from the source with ``ast`` (every ``import``, also those inside
functions and under TYPE_CHECKING: a lazy import is still a dependency), so a
cycle fails here before it fails at start-up.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

BOT = REPO / "bot"

# Foundation modules every stage may use are the only flat ones; each counts as a
# node of its own here.
FOUNDATION = {"errors", "schema", "config", "keys", "filters", "languages"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in BOT.rglob("*.py") if p.name != "__main__.py"}


def _imports(path: Path) -> Iterator[str]:
    """The bot modules ``path`` imports (a name imported from a package may be a module)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "bot")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "bot":
                continue
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                yield child if child in MODULES else node.module


def _graph() -> dict[str, set[str]]:
    return {
        name: {i for i in _imports(path) if i in MODULES and i != name}
        for name, path in MODULES.items()
    }


def _folder(module: str) -> str | None:
    """The top-level node of a module: its folder under bot/, or the flat module itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None  # "bot" itself holds only __version__


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected component with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_another_that_imports_it_back() -> None:
    assert _cycles(_graph()) == []


def test_no_import_cycle_between_folders() -> None:
    folders: dict[str, set[str]] = {}
    for module, deps in _graph().items():
        source = _folder(module)
        if source is None:
            continue
        targets = {t for t in map(_folder, deps) if t is not None and t != source}
        folders.setdefault(source, set()).update(targets)
    assert _cycles(folders) == []


def test_every_top_level_module_is_a_folder_or_a_known_flat_module() -> None:
    flat = {p.stem for p in BOT.glob("*.py")} - {"__init__", "__main__"}
    assert flat <= FOUNDATION, sorted(flat - FOUNDATION)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("delivery", "slack"),  # delivery owns its ports; Slack implements them
        ("digest", "delivery"),
        ("summarize", "qa"),
        ("store", "intake"),
        ("jobs", "cli"),
        ("slack", "cli"),
    ],
)
def test_a_stage_never_imports_a_later_one(lower: str, higher: str) -> None:
    offenders = [
        (module, dep)
        for module, deps in _graph().items()
        if _folder(module) == lower
        for dep in deps
        if _folder(dep) == higher
    ]
    assert offenders == []


def test_the_light_commands_import_no_model_slack_or_scipy() -> None:
    # `--help`, `config check` and `sources` must start fast: nothing heavy is imported
    # until a command needs it (a model is loaded only by commands that summarise).
    probe = (
        "import sys\n"
        "from bot.cli.main import main\n"
        "try:\n"
        "    main(['config', 'check'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ['torch', 'transformers', 'scipy', 'datasketch', 'slack_bolt', 'slack_sdk',\n"
        "         'trafilatura', 'httpx']\n"
        "print('heavy:', *[m for m in heavy if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.splitlines()[-1] == "heavy:"
