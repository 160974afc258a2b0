"""One Slack message per real event, even when filing changes its mind: incidents found
to be one (a report bridging two, follow-ups emptied into the incident they follow) and
follow-ups moved to a nearer incident.

The real tracker, filer and slack_sdk WebClient against the fake Slack on 127.0.0.1;
state in the real Redis.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.config import ChannelConfig
from bot.delivery.deliver import deliver
from bot.delivery.digests import digest_and_deliver
from bot.delivery.messages import MessageLog, PostedMessage
from bot.delivery.pacing import ChannelPacer
from bot.digest.build import pending_incidents
from bot.digest.render import render_change
from bot.errors import DeliveryError
from bot.intake.pipeline import Intelligence, ingest
from bot.schema import Digest, DigestItem, Incident, IncidentArticle, Source, Summary
from bot.slack.poster import SlackSink
from bot.store import Store
from bot.summarize.extractive import ExtractiveSummarizer
from tests.conftest import markdown_report
from tests.fake_slack import FakeSlackServer, Scripted

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
OPS = ChannelConfig(id="C0OPS0001")
INTELLIGENCE = Intelligence.load()


def _run(store: Store, client: WebClient) -> None:
    pacer = ChannelPacer(store, sleep=lambda seconds: None)
    digest_and_deliver(store, [OPS], ExtractiveSummarizer(), SlackSink(client), NOW,
                       INTELLIGENCE.catalog, pacer=pacer)  # fmt: skip


def _report(tmp_path: Path, name: str, published: str, title: str, body: str) -> Source:
    return markdown_report(tmp_path, name, title, body, published=published,
                           host="dev-news.example")  # fmt: skip


def _stored(store: Store, key: str) -> dict[str, object]:
    raw = store.redis.get(key)
    assert raw is not None
    record: dict[str, object] = json.loads(raw)
    return record


def _top_level_posts(fake_slack: FakeSlackServer) -> list[dict[str, object]]:
    return [c.body for c in fake_slack.fake.calls_to("chat.postMessage")
            if "thread_ts" not in c.body and c.body["blocks"][0]["type"] != "header"]  # fmt: skip


def test_a_report_that_bridges_two_posted_incidents_leaves_one_message_for_the_event(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    # Two reports of one provider four days apart are two incidents, posted apart; a
    # report two days from each makes them one.
    first = _report(
        tmp_path,
        "monday",
        "2026-11-20T10:00:00Z",
        "GitHub outage disrupts pull requests and Actions",
        "Developers could not open pull requests or run Actions workflows.",
    )
    second = _report(tmp_path, "friday", "2026-11-24T10:00:00Z",
                     "GitHub suffers outage, users cannot push code",
                     "Pushes to repositories failed for developers worldwide.")  # fmt: skip
    ingest([first, second], store, [OPS], NOW, INTELLIGENCE)
    incidents = pending_incidents(store, OPS.id, NOW)
    assert len(incidents) == 2
    _run(store, client)
    log = MessageLog(store)
    shown = {i.id: log.get(OPS.id, i.id) for i in incidents}
    assert all(shown.values())
    # Records a worker of the version before merges can read (its schemas forbid
    # unknown fields): nothing absorbed, nothing merged, no field for it.
    assert "absorbed" not in _stored(store, store.keys.incident(incidents[0].id))
    assert "merged_into" not in _stored(store, store.keys.message(OPS.id, incidents[0].id))
    fake_slack.fake.calls.clear()

    bridge = _report(tmp_path, "wednesday", "2026-11-22T10:00:00Z",
                     "GitHub outage leaves developers unable to merge",
                     "Merges and pushes failed for hours on GitHub.")  # fmt: skip
    ingest([bridge], store, [OPS], NOW, INTELLIGENCE)
    (merged,) = pending_incidents(store, OPS.id, NOW)
    (gone,) = [i for i in incidents if i.id != merged.id]
    assert gone.id in merged.absorbed
    assert _stored(store, store.keys.incident(merged.id))["absorbed"] == [gone.id]
    _run(store, client)

    assert _top_level_posts(fake_slack) == []  # no second message for the event
    edits = {c.body["ts"]: c.body for c in fake_slack.fake.calls_to("chat.update")}
    kept, retired = shown[merged.id], shown[gone.id]
    assert kept is not None and retired is not None
    assert set(edits) == {kept.ts, retired.ts}
    assert "3 reports" in str(edits[kept.ts]["blocks"])
    (reply,) = [c.body for c in fake_slack.fake.calls_to("chat.postMessage")]
    assert reply["thread_ts"] == kept.ts  # what is new since it showed its own reports
    assert "https://dev-news.example/" in str(reply["blocks"])
    assert str(edits[retired.ts]["text"]).startswith("Merged into ")
    assert "same event as" in str(edits[retired.ts]["blocks"])
    # A question asked under either message is about the merged incident.
    assert log.incident_at(OPS.id, retired.ts) == log.incident_at(OPS.id, kept.ts) == merged.id
    handed = log.get(OPS.id, gone.id)
    assert handed is not None and handed.merged_into == merged.id

    fake_slack.fake.calls.clear()
    _run(store, client)
    assert fake_slack.fake.calls == []  # nothing left to say


def _item(number: int, *, absorbed: tuple[str, ...] = (), reports: int = 1) -> DigestItem:
    at = NOW - timedelta(days=number)
    articles = tuple(
        IncidentArticle(
            article_id=f"a{number}-{j}",
            url=f"https://news.example/{number}/{j}",
            title=f"Report {j} of outage {number}",
            language="en",
            source="news",
            published=at,
        )
        for j in range(reports)
    )
    incident = Incident(
        id=f"inc-{number}", is_outage=True, provider="github", status="investigating",
        title=f"GitHub outage {number}", first_seen=at, updated_at=at,
        lead_article_id=articles[0].article_id, articles=articles, absorbed=absorbed,
    )  # fmt: skip
    summary = Summary(article_id=articles[0].article_id, text="Pushes failed.",
                      engine="extractive", language="en")  # fmt: skip
    return DigestItem(incident=incident, summary=summary, provider_name="GitHub")


def _at_revision(item: DigestItem, revision: int) -> DigestItem:
    return item.model_copy(
        update={"incident": item.incident.model_copy(update={"revision": revision})}
    )


def _deliver(store: Store, client: WebClient, *items: DigestItem) -> None:
    digest = Digest(channel=OPS.id, generated_at=NOW, items=items)
    deliver(store, digest, SlackSink(client), pacer=ChannelPacer(store, sleep=lambda s: None))


def test_an_incident_never_posted_takes_over_the_message_of_one_it_absorbed(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    _deliver(store, client, _item(1))
    log = MessageLog(store)
    old = log.get(OPS.id, "inc-1")
    assert old is not None
    fake_slack.fake.calls.clear()

    _deliver(store, client, _item(2, absorbed=("inc-1",), reports=2))
    assert _top_level_posts(fake_slack) == []
    (edit,) = fake_slack.fake.calls_to("chat.update")
    assert edit.body["ts"] == old.ts and "https://news.example/2/0" in str(edit.body["blocks"])
    (reply,) = fake_slack.fake.calls_to("chat.postMessage")
    assert reply.body["thread_ts"] == old.ts  # what is new since the message it took over
    assert "New reports" in str(reply.body["blocks"])
    now = log.get(OPS.id, "inc-2")
    assert now is not None and now.ts == old.ts and now.revision == 1
    assert log.incident_at(OPS.id, old.ts) == "inc-2"
    handed = log.get(OPS.id, "inc-1")
    assert handed is not None and handed.merged_into == "inc-2"

    # A digest built before the merge still holds the absorbed incident, with news: it
    # is not posted again (its news is in the message that took it over).
    fake_slack.fake.calls.clear()
    stale = _at_revision(_item(1, reports=3), 2)
    _deliver(store, client, stale)
    assert fake_slack.fake.calls == []


def test_a_merged_message_that_slack_will_not_edit_is_done_by_the_next_delivery(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    _deliver(store, client, _item(1), _item(2))
    log = MessageLog(store)
    retired = log.get(OPS.id, "inc-1")
    assert retired is not None
    fake_slack.fake.calls.clear()
    # The merged incident's own message is edited; the other's edit fails.
    fake_slack.fake.script("chat.update", Scripted(), Scripted(error="internal_error"))
    merged = _at_revision(_item(2, absorbed=("inc-1",), reports=2), 2)
    _deliver(store, client, merged)
    assert "left as it was" in caplog.text
    assert log.get(OPS.id, "inc-1") == retired  # not handed over: still to be done

    # The next delivery to the channel, of another incident, finishes it.
    fake_slack.fake.calls.clear()
    _deliver(store, client, _item(4))
    retire = [c for c in fake_slack.fake.calls_to("chat.update") if c.body["ts"] == retired.ts]
    assert len(retire) == 1 and str(retire[0].body["text"]).startswith("Merged into ")
    handed = log.get(OPS.id, "inc-1")
    assert handed is not None and handed.merged_into == "inc-2"
    fake_slack.fake.calls.clear()
    _deliver(store, client, _item(5))
    assert fake_slack.fake.calls_to("chat.update") == []  # done once


def test_a_delivery_that_dies_before_the_merge_is_shown_leaves_it_to_the_next(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    _deliver(store, client, _item(1), _item(2))
    log = MessageLog(store)
    retired = log.get(OPS.id, "inc-1")
    assert retired is not None
    merged = _at_revision(_item(2, absorbed=("inc-1",), reports=2), 2)
    # Slack is unreachable when the merged incident's message is to be edited: the
    # item goes back to the queue, and the absorbed message stays as it was.
    fake_slack.fake.script("chat.update", Scripted(error="internal_error"))
    with pytest.raises(DeliveryError):
        _deliver(store, client, merged)
    assert log.get(OPS.id, "inc-1") == retired
    fake_slack.fake.calls.clear()
    _deliver(store, client, merged)
    edited = {c.body["ts"] for c in fake_slack.fake.calls_to("chat.update")}
    assert retired.ts in edited and len(edited) == 2
    handed = log.get(OPS.id, "inc-1")
    assert handed is not None and handed.merged_into == "inc-2"


def test_an_incident_absorbed_in_turn_brings_the_threads_merged_into_it(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    _deliver(store, client, _item(1), _item(2))
    log = MessageLog(store)
    first, second = log.get(OPS.id, "inc-1"), log.get(OPS.id, "inc-2")
    assert first is not None and second is not None
    _deliver(store, client, _at_revision(_item(2, absorbed=("inc-1",), reports=2), 2))
    # Then a third incident, never posted, absorbs the second (and with it the first).
    fake_slack.fake.calls.clear()
    _deliver(store, client, _item(3, absorbed=("inc-2", "inc-1"), reports=3))
    assert _top_level_posts(fake_slack) == []
    (edit,) = fake_slack.fake.calls_to("chat.update")
    assert edit.body["ts"] == second.ts  # the third took over the second's message
    assert log.incident_at(OPS.id, second.ts) == log.incident_at(OPS.id, first.ts) == "inc-3"


def test_a_channel_configured_by_name_has_its_merged_message_edited_by_id(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    log = MessageLog(store)
    for number, ts in ((1, "1700000000.000701"), (2, "1700000000.000702")):
        log.record("#ops", f"inc-{number}", PostedMessage(
            ts=ts, revision=1, status="investigating", article_ids=(f"a{number}-0",),
            channel_id="C0REAL001"))  # fmt: skip
    merged = _at_revision(_item(2, absorbed=("inc-1",), reports=2), 2)
    digest = Digest(channel="#ops", generated_at=NOW, items=(merged,))
    deliver(store, digest, SlackSink(client), pacer=ChannelPacer(store, sleep=lambda s: None))
    edits = {c.body["ts"]: c.body["channel"] for c in fake_slack.fake.calls_to("chat.update")}
    assert edits == {"1700000000.000701": "C0REAL001", "1700000000.000702": "C0REAL001"}
    assert log.incident_at("C0REAL001", "1700000000.000701") == "inc-2"
    assert log.incident_at("#ops", "1700000000.000701") == "inc-2"


def test_an_update_says_how_many_reports_moved_to_another_incident() -> None:
    item = _item(3, reports=2)
    before = [a.article_id for a in item.incident.articles] + ["moved-1", "moved-2"]
    change = render_change(item, status_before="investigating", articles_before=before)
    assert "*Moved:* 2 reports now listed under the incident they follow" in str(change)
    assert change["text"] == "Update: 2 reports moved to another incident"


def test_a_follow_up_moved_to_a_nearer_incident_leaves_the_old_message(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    # A post-mortem three weeks on, naming no day, is attached to the only R2 outage
    # known; news of a second outage four days before it takes it away.
    news = _report(
        tmp_path,
        "first",
        "2026-10-27T09:00:00Z",
        "Cloudflare R2 outage takes down websites",
        "Sites that keep images in R2 storage failed to load for two hours.",
    )
    post_mortem = _report(
        tmp_path,
        "pm",
        "2026-11-16T09:00:00Z",
        "Cloudflare publishes post-mortem of R2 storage outage",
        "The company said an operator disabled the R2 gateway by mistake.",
    )
    ingest([news, post_mortem], store, [OPS], NOW, INTELLIGENCE)
    (first,) = pending_incidents(store, OPS.id, NOW)
    assert len(first.articles) == 2
    _run(store, client)
    shown = MessageLog(store).get(OPS.id, first.id)
    assert shown is not None
    fake_slack.fake.calls.clear()

    again = _report(tmp_path, "again", "2026-11-12T09:00:00Z",
                    "Cloudflare R2 storage outage breaks websites",
                    "Images on many sites failed to load.")  # fmt: skip
    ingest([again], store, [OPS], NOW, INTELLIGENCE)
    by_id = {i.id: i for i in pending_incidents(store, OPS.id, NOW)}
    assert len(by_id) == 2 and len(by_id[first.id].articles) == 1  # queued again, without it
    _run(store, client)
    (edit,) = fake_slack.fake.calls_to("chat.update")
    assert edit.body["ts"] == shown.ts and "1 report ·" in str(edit.body["blocks"])
    replies = [c.body for c in fake_slack.fake.calls_to("chat.postMessage")
               if c.body.get("thread_ts") == shown.ts]  # fmt: skip
    assert len(replies) == 1 and "*Moved:* 1 report" in str(replies[0]["blocks"])
    (second,) = _top_level_posts(fake_slack)  # the second outage, post-mortem and all
    assert "2 reports ·" in str(second["blocks"]) and "postmortem" in str(second["blocks"])
