"""Thread Q&A end to end: a digest posts incident messages, a reply in one's thread asks.

Events arrive as real signed HTTP requests (and as Socket Mode envelopes); the
answer is posted by the real WebClient to the fake Slack, in the right thread,
exactly once however Slack repeats the event.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import ChannelConfig
from bot.delivery.deliver import deliver
from bot.delivery.messages import MessageLog
from bot.digest.build import build_digest
from bot.slack.poster import SlackSink
from bot.slack.server import run_socket_mode
from bot.store import Store
from bot.summarize.extractive import ExtractiveSummarizer
from tests.fake_slack import FakeSlackServer
from tests.fake_socket_mode import FakeSocketModeServer
from tests.slack_app_kit import (
    CHANNEL,
    INTELLIGENCE,
    NOW,
    SECRET,
    ingest_samples,
    our_app,
    wait_for,
    web_client,
)
from tests.slack_signing import (
    JSON,
    event_body,
    event_payload,
    post,
    running_http_server,
    slash_command_payload,
)


def post_digest(store: Store, fake_slack: FakeSlackServer) -> dict[str, str]:
    """Deliver the sample digest to CHANNEL; returns {provider: incident message ts}."""
    ingest_samples(store, (ChannelConfig(id=CHANNEL),))
    digest = build_digest(store, CHANNEL, ExtractiveSummarizer(), NOW, INTELLIGENCE.catalog)
    deliver(store, digest, SlackSink(web_client(fake_slack)))
    log = MessageLog(store)
    posted = {}
    for item in digest.items:
        message = log.get(CHANNEL, item.incident.id)
        assert message is not None
        posted[str(item.incident.provider)] = message.ts
    return posted


def answers_in(fake_slack: FakeSlackServer, thread_ts: str) -> list[dict[str, Any]]:
    return [
        c.body
        for c in fake_slack.fake.calls_to("chat.postMessage")
        if c.body.get("thread_ts") == thread_ts
    ]


def question(thread_ts: str, text: str, ts: str = "1800000000.000100") -> dict[str, Any]:
    return {
        "type": "message",
        "channel": CHANNEL,
        "user": "U0ALICE",
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "channel_type": "channel",
    }


@pytest.fixture
def served(store: Store, fake_slack: FakeSlackServer) -> Iterator[Any]:
    with running_http_server(our_app(store, fake_slack)) as server:
        yield server


def send(server: Any, event: dict[str, Any], event_id: str, retry_num: int | None = None) -> None:
    reply = post(
        server.url + "/slack/events",
        event_body(event, event_id),
        JSON,
        secret=SECRET,
        retry_num=retry_num,
    )
    assert reply.status == 200


def test_a_thread_question_gets_one_grounded_answer_and_retries_get_none(
    served: Any, fake_slack: FakeSlackServer, store: Store
) -> None:
    thread = post_digest(store, fake_slack)["aws"]
    ask = question(thread, "Which services went down with us-east-1?")
    send(served, ask, "Ev1")
    (answer,) = wait_for(lambda: answers_in(fake_slack, thread), what="the answer")
    assert answer["channel"] == CHANNEL and answer["unfurl_links"] is False
    sections = [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"]
    quoted = [text for text in sections if text.startswith(">")]
    assert quoted, "the evidence is quoted"
    assert any("<https://example-tech.com/2026/11/20/aws-us-east-1-outage|" in q for q in quoted)
    # Answered from what the incident knows (its affected services), quoted as evidence.
    assert sections[0].startswith("Affected: ") and "Disney+" in sections[0]
    assert "From the facts extracted" in str(answer["blocks"][-1])
    # Slack retries the same event (it thought we missed it), and the same question
    # also arrives as an app_mention: neither produces a second answer.
    send(served, ask, "Ev1", retry_num=1)
    send(served, {**ask, "type": "app_mention", "text": "<@UBOT> " + ask["text"]}, "Ev2")
    send(served, ask, "Ev1", retry_num=2)
    settled(served, fake_slack, thread)
    assert len(answers_in(fake_slack, thread)) == 2  # the first answer and the sentinel's


def settled(served: Any, fake_slack: FakeSlackServer, thread: str) -> None:
    """Wait until events sent so far have been handled: ask a new question and await it.

    Listener threads may finish out of order, so wait a moment more after it.
    """
    before = len(answers_in(fake_slack, thread))
    send(served, question(thread, "Is it resolved?", ts="1800000000.009999"), "EvSentinel")
    wait_for(lambda: len(answers_in(fake_slack, thread)) > before, what="the sentinel answer")
    time.sleep(0.5)


def test_a_second_question_in_the_thread_is_answered_too(
    served: Any, fake_slack: FakeSlackServer, store: Store
) -> None:
    thread = post_digest(store, fake_slack)["aliyun"]
    send(served, question(thread, "杭州哪个可用区受影响？", ts="1800000000.000200"), "Ev10")
    send(served, question(thread, "When was it resolved?", ts="1800000000.000300"), "Ev11")
    answers = wait_for(
        lambda: len(answers_in(fake_slack, thread)) == 2 and answers_in(fake_slack, thread),
        what="two answers",
    )
    assert all(a["thread_ts"] == thread for a in answers)


def test_a_cause_question_quotes_only_a_passage_that_states_a_cause(
    served: Any, fake_slack: FakeSlackServer, store: Store
) -> None:
    # The English report says the trigger is not known yet; the Chinese one says what
    # the problem stemmed from (源于): that is the passage quoted for an English question.
    thread = post_digest(store, fake_slack)["aws"]
    send(served, question(thread, "What was the root cause?", ts="1800000000.000400"), "Ev12")
    (answer,) = wait_for(lambda: answers_in(fake_slack, thread), what="the answer")
    quoted = [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"][1:]
    assert quoted and "问题源于" in quoted[0]


def test_ordinary_messages_and_the_bots_own_posts_are_left_alone(
    served: Any, fake_slack: FakeSlackServer, store: Store
) -> None:
    thread = post_digest(store, fake_slack)["aws"]
    posts_before = len(fake_slack.fake.calls_to("chat.postMessage"))
    send(
        served,
        {
            "type": "message",
            "channel": CHANNEL,
            "user": "U0BOB",
            "text": "lunch?",
            "ts": "1800000000.000400",
        },
        "Ev20",
    )
    send(
        served,
        {**question(thread, "bot talking"), "bot_id": "B1", "ts": "1800000000.000500"},
        "Ev21",
    )
    send(
        served,
        question("1700000099.000001", "not an incident thread", ts="1800000000.000600"),
        "Ev22",
    )
    # A mention outside an incident thread is answered with a pointer, once.
    send(
        served,
        {
            "type": "app_mention",
            "channel": CHANNEL,
            "user": "U0BOB",
            "text": "<@UBOT> hello",
            "ts": "1800000000.000700",
        },
        "Ev23",
    )
    pointer = wait_for(lambda: answers_in(fake_slack, "1800000000.000700"), what="the pointer")
    assert "thread of one of my incident messages" in pointer[0]["text"]
    assert len(fake_slack.fake.calls_to("chat.postMessage")) == posts_before + 1


def test_socket_mode_serves_the_same_app(
    store: Store, fake_slack: FakeSlackServer, socket_mode_server: FakeSocketModeServer
) -> None:
    thread = post_digest(store, fake_slack)["aws"]
    app = our_app(store, fake_slack, signing_secret=None)
    connection = run_socket_mode(app, "xapp-1-test", web_client(fake_slack))
    try:
        (opened,) = fake_slack.fake.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-test"
        socket_mode_server.wait_for_connections(1)
        # A slash command: the ack carries the reply (help needs no later response).
        command = slash_command_payload(command="/outage-summary", text="help", channel_id=CHANNEL)
        envelope = socket_mode_server.send("slash_commands", command, accepts_response_payload=True)
        ack = socket_mode_server.wait_for_ack(envelope)
        assert "subscribe <feed-url>" in ack["payload"]["text"]
        # A thread question as an events_api envelope, then Slack's retry of it.
        payload = event_payload(question(thread, "What broke in us-east-1?"), "Ev30")
        socket_mode_server.wait_for_ack(socket_mode_server.send("events_api", payload))
        wait_for(lambda: answers_in(fake_slack, thread), what="the answer over Socket Mode")
        retry = socket_mode_server.send(
            "events_api", payload, retry_attempt=1, retry_reason="timeout"
        )
        socket_mode_server.wait_for_ack(retry)
        sentinel = event_payload(question(thread, "Resolved yet?", ts="1800000000.009999"), "Ev31")
        socket_mode_server.send("events_api", sentinel)
        wait_for(lambda: len(answers_in(fake_slack, thread)) >= 2, what="the sentinel answer")
        time.sleep(0.5)
        assert len(answers_in(fake_slack, thread)) == 2  # the retry added nothing
    finally:
        connection.close()
