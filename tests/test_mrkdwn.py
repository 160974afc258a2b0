"""Outside text cannot change a message: a property test over hostile titles and summaries.

Titles are built at random (seeded, so a failure repeats) from the pieces that break
Slack mrkdwn: mentions, links, entities, formatting characters, quotes, pipes.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime

import pytest

from bot.digest import mrkdwn
from bot.digest.render import render_change, render_incident
from bot.schema import DigestItem, Incident, IncidentArticle, Summary
from bot.slack.replies import incident_list

PIECES = [
    "<!channel>", "<!here>", "<@U0123>", "<#C0123>", "<https://evil.example|login>",
    "*boom*", "~strike~", "_under_", "`code`", "```block```", "*", "_", "~", "`",
    "&amp;", "&lt;", "&", "<", ">", "> quote", "|", ":skull:", "AT&T", "美国东部1区",
    "Disney+", " ", "\u202e", "**", "__", "https://x.example/a_b*c", "a*b*c",
]  # fmt: skip
FORMATTING = set(mrkdwn.FORMATTING)
NOW = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - test data, not secrets


def _hostile(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))


def _unescape(text: str) -> str:
    back = {v: k for k, v in zip("*_~`", "\u2217\u02cd\u223c\u02cb", strict=True)}
    text = "".join(back.get(c, c) for c in text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _assert_literal(text: str) -> None:
    """Nothing in ``text`` is markup: no control or formatting character, whole entities."""
    assert not set(text) & (FORMATTING | {"<", ">"}), text
    assert not ENTITY.search(text), text


@pytest.mark.parametrize("seed", range(200))
def test_mrkdwn_text_is_literal_and_reversible(seed: int) -> None:
    raw = _hostile(_rng(seed))
    shown = mrkdwn.text(raw)
    _assert_literal(shown)
    assert _unescape(shown) == raw


def _item(rng: random.Random) -> tuple[DigestItem, str, str]:
    title, summary = _hostile(rng), _hostile(rng) + "\n" + _hostile(rng)
    reports = tuple(
        IncidentArticle(
            article_id=f"a{i}", url=f"https://news{i}.example/{i}", title=_hostile(rng),
            language=rng.choice(["en", "zh", "e*n"]), source=_hostile(rng), published=NOW,
            status_page=i == 2, status="ongoing" if i == 2 else None,
        )
        for i in range(3)
    )  # fmt: skip
    reports = (reports[0].model_copy(update={"title": title}), *reports[1:])
    incident = Incident(
        id="inc", is_outage=True, provider="aws", regions=(f"aws:{_hostile(rng)}",),
        affected=(_hostile(rng),), status="ongoing", title=_hostile(rng), first_seen=NOW,
        updated_at=NOW, lead_article_id="a0", articles=reports,
    )  # fmt: skip
    item = DigestItem(
        incident=incident,
        summary=Summary(article_id="a0", text=summary, engine="extractive", language="en"),
        provider_name=_hostile(rng),
    )
    return item, title, summary


@pytest.mark.parametrize("seed", range(100))
def test_hostile_titles_cannot_change_the_incident_message(seed: int) -> None:
    item, title, summary = _item(_rng(seed))
    message = render_incident(item, "UTC", NOW)
    section = message["blocks"][0]["text"]["text"]
    lines = section.split("\n")
    facts, heading, told = lines[0], lines[1], lines[2]
    _assert_literal(facts)
    # Our bold around our link, whose label is the title shown literally and whole.
    match = re.fullmatch(r"\*<https://news0\.example/0\|([^<>]*)>\*", heading)
    assert match is not None, heading
    _assert_literal(match.group(1))
    assert _unescape(match.group(1)) == title
    # The confirmation label is the only bold of the timing line.
    assert told.startswith("*") and told.count("*") == 2
    _assert_literal(told.split("*")[2])
    # The summary (any lines) is literal; the sources line has our three links only.
    shown_summary = "\n".join(lines[3:-1])
    _assert_literal(shown_summary)
    assert _unescape(shown_summary) == summary
    assert section.count("<") == 1 + 3 and section.count(">") == 1 + 3
    _assert_literal(message["text"])
    _assert_literal(message["blocks"][1]["elements"][0]["text"])


@pytest.mark.parametrize("seed", range(30))
def test_hostile_titles_cannot_change_thread_updates_or_the_incident_list(seed: int) -> None:
    item, _, _ = _item(_rng(seed))
    change = render_change(item, status_before="investigating", articles_before=("a0",))
    body = change["blocks"][0]["text"]["text"]
    # Our own markup: "*Status:*", "*ongoing*", "*New reports:*"; links to the two reports.
    plain = re.sub(r"<https://news\d\.example/\d\|([^<>]*)>", r"\1", body)
    plain = plain.replace("*Status:*", "").replace("*ongoing*", "").replace("*New reports:*", "")
    _assert_literal(plain.replace("→", ""))
    listed = incident_list(
        "Incidents", [(item.incident, item.summary, "AWS")], 1, "UTC", public=False
    )
    section = listed["blocks"][1]["text"]["text"]
    assert section.count("<") <= 1  # the lead link only
    assert "<!channel>" not in str(listed) and "*boom*" not in str(listed)
