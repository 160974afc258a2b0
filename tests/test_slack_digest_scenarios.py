"""Channel digests in Slack, end to end: one thread per incident, updates, failures, pace.

The real slack_sdk WebClient posts to the fake Slack on 127.0.0.1; state lives in
the real Redis. Time for the pacer is a fake clock that only sleeping moves.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.config import ChannelConfig
from bot.delivery.deliver import DeliveryReport, deliver
from bot.delivery.digests import digest_and_deliver
from bot.delivery.messages import MessageLog, PostedMessage
from bot.delivery.pacing import ChannelPacer
from bot.digest.build import pending_incidents
from bot.digest.render import HEADER_MAX, SECTION_MAX
from bot.intake.pipeline import Intelligence, ingest
from bot.schema import Digest, DigestItem, Incident, IncidentArticle, Source, Summary
from bot.slack.poster import SlackProblemReporter, SlackSink
from bot.store import Store
from bot.summarize.extractive import ExtractiveSummarizer
from tests.conftest import SAMPLES, markdown_report
from tests.fake_slack import Call, FakeSlackServer, Scripted

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
OPS = ChannelConfig(id="C0OPS0001")
SRE = ChannelConfig(id="C0SRE0002")
ADMIN = "U0ADMIN01"
ARTICLES = [Source(name="articles", location=str(SAMPLES / "articles"))]
INTELLIGENCE = Intelligence.load()


class FakeTime:
    """A clock that only ``sleep`` moves, so the pacer's waits are exact."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _run(
    store: Store,
    client: WebClient,
    channels: list[ChannelConfig],
    time: FakeTime | None = None,
    reporter: SlackProblemReporter | None = None,
) -> list[DeliveryReport]:
    time = time or FakeTime()
    pacer = ChannelPacer(store, sleep=time.sleep, clock=time.clock)
    return digest_and_deliver(store, channels, ExtractiveSummarizer(), SlackSink(client), NOW,
                              INTELLIGENCE.catalog, reporter=reporter, pacer=pacer)  # fmt: skip


def _follow_up(tmp_path: Path, name: str, title: str, body: str) -> Source:
    return markdown_report(tmp_path, name, title, body, published="2026-11-21T02:00:00Z",
                           host="status-news.example")  # fmt: skip


RESTORED = (
    "AWS: US-EAST-1 services fully restored after Friday outage",
    "Amazon Web Services said all services in US-EAST-1 were restored and operating "
    "normally, after the outage that took down Netflix and Disney+.",
)


def _aws(store: Store, channel: str) -> Incident:
    (aws,) = [i for i in pending_incidents(store, channel, NOW) if i.provider == "aws"]
    return aws


def _top_level(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "chat.postMessage" and "thread_ts" not in c.body]


# --- first delivery, then nothing ---------------------------------------------------------


def test_a_digest_posts_a_header_and_one_message_per_incident_then_nothing(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    incidents = pending_incidents(store, OPS.id, NOW)
    assert len(incidents) == 2
    (report,) = _run(store, client, [OPS])
    assert (report.delivered, report.updated, report.error) == (2, 0, None)
    posts = fake_slack.fake.calls_to("chat.postMessage")
    assert len(posts) == 3 and _top_level(posts) == posts
    assert posts[0].body["blocks"][0]["type"] == "header"
    messages = MessageLog(store)
    for incident, post in zip(incidents, posts[1:], strict=True):
        shown = messages.get(OPS.id, incident.id)
        assert shown is not None and shown.revision == incident.revision
        assert shown.status == incident.status
        assert shown.article_ids == tuple(a.article_id for a in incident.articles)
        assert shown.ts in report.message_ids
        # A question asked in the thread of this message is about this incident.
        assert messages.incident_at(OPS.id, shown.ts) == incident.id
        assert incident.articles[0].url.split("/")[2] in str(post.body["blocks"])
    assert messages.incident_at(OPS.id, report.message_ids[0]) is None  # the header
    assert messages.incident_at(SRE.id, report.message_ids[1]) is None  # another channel

    assert _run(store, client, [OPS]) == [DeliveryReport(OPS.id, 0, 0)]
    assert len(fake_slack.fake.calls) == 3


def test_two_processes_with_the_same_digest_post_each_incident_once(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    from bot.digest.build import build_digest

    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    digest = build_digest(store, OPS.id, ExtractiveSummarizer(), NOW, INTELLIGENCE.catalog)
    pacer = ChannelPacer(store, sleep=lambda seconds: None)
    first = deliver(store, digest, SlackSink(client), pacer=pacer)
    second = deliver(store, digest, SlackSink(client), pacer=pacer)  # a stale copy of it
    assert (first.delivered, second.delivered, second.skipped) == (2, 0, 2)
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == 3


# --- updates --------------------------------------------------------------------------------


def test_an_update_edits_the_incident_message_and_explains_in_its_thread(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    before = _aws(store, OPS.id)
    _run(store, client, [OPS])
    shown = MessageLog(store).get(OPS.id, before.id)
    assert shown is not None and shown.status == "mitigated"
    fake_slack.fake.calls.clear()

    ingest([_follow_up(tmp_path, "restored", *RESTORED)], store, [OPS], NOW, INTELLIGENCE)
    after = _aws(store, OPS.id)
    assert after.revision > before.revision and after.status == "resolved"
    (report,) = _run(store, client, [OPS])
    assert (report.delivered, report.updated) == (1, 1)

    (edit,) = fake_slack.fake.calls_to("chat.update")
    assert edit.body["channel"] == OPS.id and edit.body["ts"] == shown.ts
    assert edit.body["text"].startswith("AWS · us-east-1 · resolved")
    assert "https://status-news.example/restored" in str(edit.body["blocks"])
    (reply,) = fake_slack.fake.calls_to("chat.postMessage")  # no header, no second message
    assert reply.body["thread_ts"] == shown.ts and reply.body["channel"] == OPS.id
    assert reply.body["unfurl_links"] is False and reply.body["unfurl_media"] is False
    change = reply.body["blocks"][0]["text"]["text"]
    assert "*Status:* mitigated → *resolved*" in change
    assert "*New report:*\n• <https://status-news.example/restored|AWS: US-EAST-1" in change
    assert reply.body["text"] == "Update: Status: mitigated → resolved; 1 new report"

    now_shown = MessageLog(store).get(OPS.id, after.id)
    assert now_shown == PostedMessage(
        ts=shown.ts,
        revision=after.revision,
        status="resolved",
        article_ids=tuple(a.article_id for a in after.articles),
        channel_id=OPS.id,
    )
    assert MessageLog(store).incident_at(OPS.id, shown.ts) == after.id
    fake_slack.fake.calls.clear()
    assert _run(store, client, [OPS])[0].delivered == 0 and fake_slack.fake.calls == []


def test_a_root_cause_report_is_called_out_in_the_thread(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    _run(store, client, [OPS])
    fake_slack.fake.calls.clear()
    cause = _follow_up(
        tmp_path,
        "rca",
        "AWS publishes root cause of the US-EAST-1 outage",
        "Amazon Web Services said the US-EAST-1 outage was caused by a faulty DNS automation "
        "change in its DynamoDB endpoint management; it has since been rolled back.",
    )
    ingest([cause], store, [OPS], NOW, INTELLIGENCE)
    assert _aws(store, OPS.id).status == "postmortem"
    _run(store, client, [OPS])
    (reply,) = fake_slack.fake.calls_to("chat.postMessage")
    change = reply.body["blocks"][0]["text"]["text"]
    assert "*Root cause / post-mortem:* <https://status-news.example/rca|AWS publishes" in change
    assert "*New report" not in change  # the report is listed once, as the root cause


def test_a_failed_thread_reply_is_retried_without_a_second_message(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    _run(store, client, [OPS])
    ingest([_follow_up(tmp_path, "restored", *RESTORED)], store, [OPS], NOW, INTELLIGENCE)
    fake_slack.fake.calls.clear()
    fake_slack.fake.script("chat.postMessage", Scripted(error="internal_error"))
    (failed,) = _run(store, client, [OPS])
    assert failed.delivered == 0 and "internal_error" in (failed.error or "")
    assert len(pending_incidents(store, OPS.id, NOW)) == 1  # still pending
    shown = MessageLog(store).get(OPS.id, _aws(store, OPS.id).id)
    assert shown is not None and shown.status == "mitigated"

    (retried,) = _run(store, client, [OPS])
    assert (retried.delivered, retried.updated) == (1, 1)
    assert len(fake_slack.fake.calls_to("chat.update")) == 2  # the same edit, made again
    replies = fake_slack.fake.calls_to("chat.postMessage")
    assert len(replies) == 2 and all("thread_ts" in r.body for r in replies)
    assert pending_incidents(store, OPS.id, NOW) == []


def test_a_deleted_message_is_posted_again(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    aws = _aws(store, OPS.id)
    _run(store, client, [OPS])
    old = MessageLog(store).get(OPS.id, aws.id)
    assert old is not None
    ingest([_follow_up(tmp_path, "restored", *RESTORED)], store, [OPS], NOW, INTELLIGENCE)
    fake_slack.fake.calls.clear()
    fake_slack.fake.script("chat.update", Scripted(error="message_not_found"))
    (report,) = _run(store, client, [OPS])
    assert (report.delivered, report.updated) == (1, 0)
    (post,) = fake_slack.fake.calls_to("chat.postMessage")
    assert "thread_ts" not in post.body  # nothing to reply to: a fresh message instead
    new = MessageLog(store).get(OPS.id, aws.id)
    assert new is not None and new.ts != old.ts and new.status == "resolved"
    assert MessageLog(store).incident_at(OPS.id, new.ts) == aws.id


# --- a channel that cannot receive ----------------------------------------------------------


def test_a_refused_channel_is_reported_once_and_other_channels_still_get_theirs(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    ingest(ARTICLES, store, [OPS, SRE], NOW, INTELLIGENCE)
    reporter = SlackProblemReporter(client, store, {OPS.id: ADMIN}.get)
    fake_slack.fake.script("chat.postMessage", Scripted(error="not_in_channel"))
    ops, sre = _run(store, client, [OPS, SRE], reporter=reporter)
    assert ops.delivered == 0 and ops.error == f"Slack refused the post to {OPS.id}: not_in_channel"
    assert (sre.delivered, sre.error) == (2, None)
    assert any(r.levelname == "ERROR" and OPS.id in r.getMessage() for r in caplog.records)
    assert len(pending_incidents(store, OPS.id, NOW)) == 2  # nothing lost
    assert not list(store.redis.scan_iter(match=f"test:posted:{OPS.id}:*"))

    posts = fake_slack.fake.calls_to("chat.postMessage")
    (dm,) = [p for p in posts if p.body["channel"] == ADMIN]
    assert f"<#{OPS.id}>" in dm.body["text"] and "`not_in_channel`" in dm.body["text"]
    assert "/invite" in dm.body["text"]
    assert len([p for p in posts if p.body["channel"] == SRE.id]) == 3
    ttl = store.redis.ttl(store.keys.problem(OPS.id, "not_in_channel"))
    assert 0 < ttl <= 6 * 3600

    # Still refused on the next run: logged again, but the admin is not told twice.
    fake_slack.fake.script("chat.postMessage", Scripted(error="not_in_channel"))
    (again,) = _run(store, client, [OPS], reporter=reporter)
    assert again.error is not None
    assert len([p for p in fake_slack.fake.calls_to("chat.postMessage")
                if p.body["channel"] == ADMIN]) == 1  # fmt: skip

    (fixed,) = _run(store, client, [OPS], reporter=reporter)  # someone invited the bot
    assert (fixed.delivered, fixed.error) == (2, None)
    assert pending_incidents(store, OPS.id, NOW) == []


def test_a_problem_without_a_known_owner_is_only_logged(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    reporter = SlackProblemReporter(client, store, lambda channel: None)
    fake_slack.fake.script("chat.postMessage", Scripted(error="is_archived"))
    (report,) = _run(store, client, [OPS], reporter=reporter)
    assert report.error is not None and "is_archived" in report.error
    assert len(fake_slack.fake.calls) == 1  # the refused post; no direct message


def test_a_failed_direct_message_is_tried_again_next_time(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    reporter = SlackProblemReporter(client, store, {OPS.id: ADMIN}.get)
    fake_slack.fake.script("chat.postMessage", Scripted(error="user_not_found"))
    reporter.report(OPS.id, "channel_not_found")  # logged, not raised
    reporter.report(OPS.id, "channel_not_found")
    reporter.report(OPS.id, "channel_not_found")  # told once: the third is within 6 hours
    reporter.report(OPS.id, "is_archived")  # another problem is news
    assert [c.body["channel"] for c in fake_slack.fake.calls] == [ADMIN] * 3
    assert "channel_not_found" in fake_slack.fake.calls[1].body["text"]
    assert "archived" in fake_slack.fake.calls[2].body["text"]


def test_a_channel_failing_transiently_is_not_reported(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    reporter = SlackProblemReporter(client, store, {OPS.id: ADMIN}.get)
    fake_slack.fake.script("chat.postMessage", Scripted(error="internal_error"))
    (report,) = _run(store, client, [OPS], reporter=reporter)
    assert report.error is not None
    assert [c.body["channel"] for c in fake_slack.fake.calls] == [OPS.id]


# --- pace -----------------------------------------------------------------------------------


def test_posts_to_one_channel_are_a_second_apart(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    ingest(ARTICLES, store, [OPS, SRE], NOW, INTELLIGENCE)
    time = FakeTime()
    _run(store, client, [OPS, SRE], time)
    # Three posts per channel: the first of each goes at once, the others wait a second.
    assert time.sleeps == [1.0, 1.0, 1.0, 1.0]


def test_the_pace_is_shared_by_every_process(store: Store) -> None:
    time = FakeTime()
    one = ChannelPacer(store, sleep=time.sleep, clock=time.clock)
    two = ChannelPacer(store, sleep=time.sleep, clock=time.clock)
    assert [one.wait("C1"), two.wait("C1"), two.wait("C2"), one.wait("C1")] == [0, 1, 0, 1]
    time.now += 5  # idle for a while: the next post goes at once
    assert two.wait("C1") == 0
    queued = [ChannelPacer(store, sleep=lambda s: None, clock=time.clock).wait("C1")
              for _ in range(3)]  # fmt: skip
    assert queued == [1, 2, 3]  # nobody slept: each reservation queues behind the last
    assert 0 < store.redis.pttl(store.keys.pace("C1")) <= 4000


# --- Block Kit limits and escaping ----------------------------------------------------------


def _incident(number: int, *, title: str, articles: int = 8) -> DigestItem:
    at = NOW - timedelta(hours=number)
    reports = tuple(
        IncidentArticle(
            article_id=f"a{number}-{j}",
            url=f"https://news{j}.example/{number}?q=" + "x" * 300,
            title=f"{title} report {j}",
            language="en" if j % 2 else "zh",
            source="news",
            published=at,
        )
        for j in range(articles)
    )
    incident = Incident(
        id=f"inc-{number}", is_outage=True, provider="aws", regions=("aws:us-east-1",),
        status="investigating", title=title, first_seen=at, updated_at=at,
        lead_article_id=reports[0].article_id, articles=reports,
    )  # fmt: skip
    summary = Summary(article_id=reports[0].article_id, text="Long & <detail> " * 500,
                      engine="extractive", language="en")  # fmt: skip
    return DigestItem(incident=incident, summary=summary, provider_name="AWS")


def _limits_hold(call: Call) -> None:
    blocks = call.body["blocks"]
    assert 1 <= len(blocks) <= 50
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= HEADER_MAX
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_MAX


def test_forty_incidents_with_huge_titles_stay_within_block_kit_limits(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    items = tuple(_incident(n, title=f"Incident {n} " + "T&<" * 2000) for n in range(40))
    digest = Digest(channel=OPS.id, generated_at=NOW, items=items)
    time = FakeTime()
    report = deliver(store, digest, SlackSink(client),
                     pacer=ChannelPacer(store, sleep=time.sleep, clock=time.clock))  # fmt: skip
    assert report.delivered == 40
    posts = fake_slack.fake.calls_to("chat.postMessage")
    assert len(posts) == 41 and _top_level(posts) == posts
    assert posts[0].body["text"].startswith("Outage digest: 40 new incidents")
    for number, post in enumerate(posts[1:]):
        _limits_hold(post)
        section = post.body["blocks"][0]["text"]["text"]
        assert f"|Incident {number} T&amp;&lt;" in section
        assert "Sources: " in section
        assert len(post.body["text"]) < 600
    assert time.sleeps == [1.0] * 40


def test_an_update_with_a_hundred_new_reports_stays_within_limits(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    first = _incident(1, title="<!channel> AT&T down", articles=1)
    pacer = ChannelPacer(store, sleep=lambda s: None)
    deliver(store, Digest(channel=OPS.id, generated_at=NOW, items=(first,)), SlackSink(client),
            pacer=pacer)  # fmt: skip
    grown = _incident(1, title="<!channel> AT&T down", articles=101)
    grown = grown.model_copy(update={"incident": grown.incident.model_copy(
        update={"revision": 2, "status": "resolved"})})  # fmt: skip
    deliver(store, Digest(channel=OPS.id, generated_at=NOW, items=(grown,)), SlackSink(client),
            pacer=pacer)  # fmt: skip
    (edit,) = fake_slack.fake.calls_to("chat.update")
    _limits_hold(edit)
    reply = fake_slack.fake.calls_to("chat.postMessage")[-1]
    _limits_hold(reply)
    change = reply.body["blocks"][0]["text"]["text"]
    assert change.startswith("*Status:* investigating → *resolved*\n*New reports:*\n• <https://")
    assert "more" in change.splitlines()[-1]
    header, card, _ = fake_slack.fake.calls_to("chat.postMessage")
    assert "<!channel>" not in str(header.body)
    for call in (card, edit, reply):
        assert "<!channel>" not in str(call.body)
        assert "&lt;!channel&gt; AT&amp;T down" in str(call.body)


def test_every_key_written_for_slack_expires(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    reporter = SlackProblemReporter(client, store, {OPS.id: ADMIN}.get)
    fake_slack.fake.script("chat.postMessage", Scripted(error="not_in_channel"))
    assert _run(store, client, [OPS], reporter=reporter)[0].error is not None
    assert _run(store, client, [OPS], reporter=reporter)[0].delivered == 2
    ingest([_follow_up(tmp_path, "restored", *RESTORED)], store, [OPS], NOW, INTELLIGENCE)
    assert _run(store, client, [OPS], reporter=reporter)[0].updated == 1
    families = set()
    for key in store.redis.scan_iter(match="test:*"):
        families.add(key.split(":")[1])
        if key.split(":")[1] in ("pending", "unfiled"):
            continue  # trimmed instead (bot/keys.py)
        assert store.redis.ttl(key) > 0, f"{key} never expires"
    assert {"message", "incident-at", "posted", "delivered", "problem"} <= families


def test_a_channel_configured_by_name_is_edited_by_its_id(
    store: Store, client: WebClient, fake_slack: FakeSlackServer
) -> None:
    # Slack answers a post to "#ops" with the channel's id; chat.update only takes ids.
    item = _incident(1, title="Queue errors", articles=1)
    MessageLog(store).record("#ops", item.incident.id, PostedMessage(
        ts="1700000000.000777", revision=1, status="investigating",
        article_ids=("a1-0",), channel_id="C0REAL001"))  # fmt: skip
    assert MessageLog(store).incident_at("#ops", "1700000000.000777") == item.incident.id
    assert MessageLog(store).incident_at("C0REAL001", "1700000000.000777") == item.incident.id
    grown = _incident(1, title="Queue errors", articles=2)
    grown = grown.model_copy(update={"incident": grown.incident.model_copy(update={"revision": 2})})
    digest = Digest(channel="#ops", generated_at=NOW, items=(grown,))
    pacer = ChannelPacer(store, sleep=lambda s: None)
    report = deliver(store, digest, SlackSink(client), pacer=pacer)
    assert (report.delivered, report.updated) == (1, 1)
    (edit,) = fake_slack.fake.calls_to("chat.update")
    assert (edit.body["channel"], edit.body["ts"]) == ("C0REAL001", "1700000000.000777")
    (reply,) = fake_slack.fake.calls_to("chat.postMessage")
    assert reply.body["thread_ts"] == "1700000000.000777"
    shown = MessageLog(store).get("#ops", item.incident.id)
    assert shown is not None and (shown.revision, shown.channel_id) == (2, "C0REAL001")


# --- news, then the provider's status page, then the post-mortem (issue 14) -------------


def _aws_health(tmp_path: Path) -> Source:
    """AWS Health data.json with one us-east-1 event of the sample outage's morning."""
    opened = int(datetime(2026, 11, 20, 18, 20, tzinfo=UTC).timestamp())
    event = {
        "service_name": "Amazon DynamoDB (N. Virginia)",
        "summary": "[RESOLVED] Increased API Error Rates",
        "date": str(opened),
        "status": "1",
        "details": "",
        "description": (
            '<div><span class="yellowfg">10:20 AM PST</span>&nbsp;We are investigating '
            "increased API error rates for DynamoDB in the US-EAST-1 Region.</div>"
            '<div><span class="yellowfg">4:40 PM PST</span>&nbsp;Error rates have returned '
            "to normal levels and the issue is resolved.</div>"
        ),
        "service": "dynamodb-us-east-1",
    }
    path = tmp_path / "aws-health.json"
    path.write_text(json.dumps({"archive": [event], "current": []}), encoding="utf-8")
    return Source(name="aws-health", location=str(path), kind="status")


def test_news_then_official_status_then_post_mortem_in_one_thread(
    store: Store, client: WebClient, fake_slack: FakeSlackServer, tmp_path: Path
) -> None:
    # 1. News in zh and en: one message, labelled news only.
    ingest(ARTICLES, store, [OPS], NOW, INTELLIGENCE)
    aws_id = _aws(store, OPS.id).id
    _run(store, client, [OPS])
    (section,) = [
        c.body["blocks"][0]["text"]["text"]
        for c in _top_level(fake_slack.fake.calls)
        if "metadata" in c.body and "us-east-1" in c.body["text"]
    ]
    assert "*news only* · Started 2026-11-20" in section
    assert "(official" not in section
    thread = MessageLog(store).get(OPS.id, aws_id)
    assert thread is not None
    fake_slack.fake.calls.clear()

    # 2. AWS Health confirms: the same message is edited, now confirmed and official first.
    ingest([_aws_health(tmp_path)], store, [OPS], NOW, INTELLIGENCE)
    _run(store, client, [OPS])
    (edit,) = fake_slack.fake.calls_to("chat.update")
    assert edit.body["ts"] == thread.ts
    edited = edit.body["blocks"][0]["text"]["text"]
    assert "confirmed by AWS status*" in edited
    assert "Sources: <https://health.aws.amazon.com" in edited and "(official" in edited
    assert not _top_level(fake_slack.fake.calls)  # no second message for the incident
    fake_slack.fake.calls.clear()

    # 3. The post-mortem: it leads, a root cause line, a post-incident summary in the thread.
    cause = _follow_up(
        tmp_path,
        "rca",
        "Summary of the AWS Service Event in the US-EAST-1 Region",
        "An automated DNS management change triggered bad answers for the DynamoDB endpoint "
        "in US-EAST-1. Engineers rolled back the change and error rates returned to normal.",
    )
    ingest([cause], store, [OPS], NOW, INTELLIGENCE)
    _run(store, client, [OPS])
    (edit,) = fake_slack.fake.calls_to("chat.update")
    edited = edit.body["blocks"][0]["text"]["text"]
    assert edited.split("\n")[1].startswith("*<https://status-news.example/rca|Summary of the AWS")
    assert "\n*Root cause:* An automated DNS management change triggered" in edited
    assert "confirmed by AWS status*" in edited
    (reply,) = fake_slack.fake.calls_to("chat.postMessage")
    assert reply.body["thread_ts"] == thread.ts
    change = reply.body["blocks"][0]["text"]["text"]
    assert "*Post-incident summary*" in change
    assert "• Cause: An automated DNS management change triggered" in change
    assert "• Fix: Engineers rolled back the change" in change
