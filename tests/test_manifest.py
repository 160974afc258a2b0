"""Both Slack app manifests ask for exactly what the code registers and calls.

What the code registers is read from its source (``@app.command``, ``@app.event``,
Web API methods called), so a new handler without a manifest change fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.slack.commands import COMMAND
from bot.slack.server import EVENTS_PATH
from tests.conftest import REPO

MANIFESTS = [REPO / "slack-app-manifest.yml", REPO / "slack-app-manifest.http.yml"]
# The scope each thing the code does needs (https://api.slack.com/scopes).
SCOPE_OF: dict[str, str | None] = {
    "command": "commands",
    "event:app_mention": "app_mentions:read",
    "event:message.channels": "channels:history",
    "event:message.groups": "groups:history",
    "call:chat_postMessage": "chat:write",
    "call:chat_update": "chat:write",
    "call:conversations_history": "channels:history",
    "event:app_home_opened": None,  # the Home tab needs no scope
    "call:views_publish": None,
}
# Digests go to channels named in the config without inviting the bot first.
ALSO = {"chat:write.public"}


def registered() -> tuple[set[str], set[str], set[str], set[str]]:
    """Commands, events, interactive handlers and Web API calls in bot/slack/."""
    commands, events, interactive, calls = set(), set(), set(), set()
    for path in (REPO / "bot" / "slack").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                on_app = isinstance(node.func.value, ast.Name) and node.func.value.id == "app"
                if on_app and name in ("action", "view", "shortcut", "options", "block_action"):
                    interactive.add(name)
                if name.startswith(("chat_", "conversations_", "users_", "views_")):
                    calls.add(name)
                if on_app and name in ("command", "event") and node.args:
                    arg = node.args[0]
                    value = arg.value if isinstance(arg, ast.Constant) else COMMAND
                    (commands if name == "command" else events).add(str(value))
    return commands, events, interactive, calls


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_matches_what_the_code_registers(path: Path) -> None:
    manifest = load(path)
    commands, events, interactive, calls = registered()
    assert {c["command"] for c in manifest["features"]["slash_commands"]} == commands == {COMMAND}
    bot_events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    # "message.channels"/"message.groups" are how a manifest subscribes to `message`.
    assert {e.split(".")[0] for e in bot_events} == events
    assert manifest["settings"]["interactivity"]["is_enabled"] is bool(interactive)
    needed = {SCOPE_OF["command"]} | {SCOPE_OF[f"event:{e}"] for e in bot_events}
    needed |= {SCOPE_OF[f"call:{c}"] for c in calls}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == (needed - {None}) | ALSO
    # The Home tab is on exactly when the code publishes one.
    home = manifest["features"].get("app_home", {})
    assert home.get("home_tab_enabled", False) is ("app_home_opened" in events)


def test_the_http_manifest_points_slack_at_the_events_path() -> None:
    socket_mode, http = (load(p) for p in MANIFESTS)
    assert socket_mode["settings"]["socket_mode_enabled"] is True
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    assert all(c["url"].endswith(EVENTS_PATH) for c in http["features"]["slash_commands"])
    # Everything else is the same app.
    for key in ("display_information", "oauth_config"):
        assert socket_mode[key] == http[key]
