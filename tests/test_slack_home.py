"""The App Home tab: open and recent incidents, published when opened and when they change.

The real bolt app receives a signed ``app_home_opened`` event over HTTP and
publishes the view with the real WebClient to the fake Slack; refreshes are
driven directly (the daemon thread only calls ``HomeTab.refresh`` once a minute).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.incidents.tracker import IncidentTracker
from bot.schema import Entry
from bot.slack.home import HomeTab
from bot.sources.article import to_article
from bot.store import Store
from tests.fake_slack import TEAM_URL, FakeSlackServer
from tests.slack_app_kit import CHANNEL, INTELLIGENCE, NOW, SECRET, our_app, wait_for, web_client
from tests.slack_signing import JSON, event_body, post, running_http_server
from tests.test_slack_threads import post_digest


@pytest.fixture
def served(store: Store, fake_slack: FakeSlackServer) -> Iterator[Any]:
    with running_http_server(our_app(store, fake_slack)) as server:
        yield server


def published(fake_slack: FakeSlackServer) -> list[tuple[str, dict[str, Any]]]:
    """(user, view) of every views.publish call so far."""
    found = []
    for call in fake_slack.fake.calls_to("views.publish"):
        view = call.body["view"]
        found.append((call.body["user_id"], json.loads(view) if isinstance(view, str) else view))
    return found


def texts(view: dict[str, Any]) -> str:
    parts = []
    for block in view["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [e["text"] for e in block.get("elements", [])]
    return "\n".join(parts)


def opened(user: str, tab: str = "home") -> dict[str, Any]:
    return {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": tab}


def send(server: Any, event: dict[str, Any], event_id: str) -> None:
    reply = post(server.url + "/slack/events", event_body(event, event_id), JSON, secret=SECRET)
    assert reply.status == 200


def home_tab(store: Store) -> HomeTab:
    return HomeTab(store, INTELLIGENCE.catalog, lambda: NOW)


def test_opening_the_home_tab_lists_open_incidents_with_links_to_their_messages(
    served: Any, fake_slack: FakeSlackServer, store: Store
) -> None:
    posted = post_digest(store, fake_slack)
    send(served, opened("U0ALICE"), "EvHome1")
    ((user, view),) = wait_for(lambda: published(fake_slack), what="the Home view")
    assert user == "U0ALICE" and view["type"] == "home"
    shown = texts(view)
    # The AWS incident is mitigated, Alibaba Cloud's resolved this morning.
    assert "*Open now* (1)\n*AWS* · mitigated · " in shown
    assert "*Resolved in the last 24 h* (1)\n*Alibaba Cloud* · resolved · " in shown
    # Provider, status, confirmation and timing on each line; the message linked.
    assert "news only" in shown and "Started 2026-11-20" in shown
    for ts in posted.values():
        link = f"<{TEAM_URL}archives/{CHANNEL}/p{ts.replace('.', '')}|message> in <#{CHANNEL}>"
        assert link in shown
    # The Messages tab is not ours to fill.
    send(served, opened("U0BOB", tab="messages"), "EvHome2")
    send(served, opened("U0CAROL"), "EvHome3")
    wait_for(lambda: len(published(fake_slack)) == 2, what="Carol's view")
    assert [u for u, _ in published(fake_slack)] == ["U0ALICE", "U0CAROL"]


def test_the_tab_is_published_again_to_its_viewers_only_when_it_changes(
    store: Store, fake_slack: FakeSlackServer
) -> None:
    post_digest(store, fake_slack)
    home, client = home_tab(store), web_client(fake_slack)
    for user in ("U0ALICE", "U0CAROL"):
        home.open(client, user)
    assert home.refresh(client) == 2  # first refresh of this process: sent
    assert home.refresh(client) == 0  # nothing changed
    # A new outage is filed: everyone who opened the tab gets it.
    entry = Entry(
        source="outlet",
        guid="gh",
        link="https://news.example/github",
        title="GitHub outage: <!channel> *pushes fail* for hours",
        html="<p>GitHub said git pushes and Actions were failing for many users.</p>",
        published=NOW - timedelta(hours=2),
    )
    article = to_article(entry, NOW)
    IncidentTracker(store).file(article, INTELLIGENCE.classifier.classify(article))
    assert home.refresh(client) == 2
    view = published(fake_slack)[-1][1]
    shown = texts(view)
    assert "*Open now* (2)\n*GitHub* · ongoing · news only" in shown
    # Outside text cannot mention anyone or change the formatting around it.
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert "*pushes fail*" not in shown
    assert len(view["blocks"]) <= 100
