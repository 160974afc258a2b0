"""The Slack app: the ``/outage-summary`` command and thread questions, on slack-bolt.

``build_app`` takes every collaborator (WebClient, services, answerer): the same
App serves HTTP mode (``bot.slack.server``) and Socket Mode. Bolt verifies
request signatures and refuses stale timestamps before any listener runs.

Slack wants an acknowledgement within 3 seconds. Cheap requests are answered in
the acknowledgement itself; everything else is acknowledged first and answered
later through ``response_url`` (bolt's ``respond``), from bolt's listener
threads, so a slow feed or model never makes Slack show "operation timed out".
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from redis import RedisError
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.digest.mrkdwn import escape
from bot.errors import StoreError
from bot.slack.commands import COMMAND, Request, UsageError, parse
from bot.slack.gate import refuse_replays
from bot.slack.handlers import CommandHandler, Invocation, SlackServices
from bot.slack.home import HomeTab
from bot.slack.replies import Message
from bot.slack.slowwork import SlowWork
from bot.slack.threads import ThreadQuestions

log = logging.getLogger(__name__)

# Slack wants the acknowledgement within 3 seconds; leave room for the network.
ACK_BUDGET_S = 2.0
STORAGE_DOWN = (
    ":warning: The bot cannot reach its storage (Redis) right now; nothing was changed. "
    "Please try again in a minute."
)


def build_app(
    client: WebClient,
    services: SlackServices,
    questions: ThreadQuestions,
    *,
    signing_secret: str | None,
    verify_token: bool = True,
    slow_work: SlowWork | None = None,
    home: HomeTab | None = None,
) -> App:
    """A bolt App with our listeners. ``signing_secret`` None: Socket Mode only."""
    app = App(
        client=client,
        # Listeners only ack and hand work on (SlowWork), but thread questions still
        # run here: more than bolt's default 5 threads keeps acks from queueing.
        listener_executor=ThreadPoolExecutor(max_workers=16, thread_name_prefix="bolt-listener"),
        signing_secret=signing_secret or "",
        # Socket Mode has no HTTP requests to sign; HTTP mode always verifies.
        request_verification_enabled=signing_secret is not None,
        token_verification_enabled=verify_token,
        logger=logging.getLogger("bot.slack.bolt"),
    )
    # After bolt's own signature check: a verified request is accepted once.
    app.use(refuse_replays(services.store))
    commands = CommandHandler(services)
    # Quick replies run here so the acknowledgement can stop waiting for them.
    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="quick-reply")
    slow = slow_work or SlowWork()

    @app.command(COMMAND)
    def on_command(ack: Ack, respond: Respond, command: dict[str, Any]) -> None:
        text = str(command.get("text", ""))
        who = Invocation(
            channel_id=str(command.get("channel_id", "")), user_id=str(command.get("user_id", ""))
        )
        try:
            request = parse(text)
        except UsageError as exc:
            ack(
                text=f":warning: {escape(str(exc))}  (`{COMMAND} help` lists everything)",
                response_type="ephemeral",
            )
            return
        if commands.is_quick(request):
            # Answered in the acknowledgement, unless a dependency is slow (Redis
            # retrying a dead connection): then acknowledge and answer later.
            pending = pool.submit(reply, request, who)
            try:
                ack(**pending.result(timeout=ACK_BUDGET_S))
            except FutureTimeout:
                ack(text="Working on it …", response_type="ephemeral")
                # Answered when ready, without holding this listener thread.
                pending.add_done_callback(lambda done: _respond(respond, done.result()))
            return
        acked = threading.Event()

        def answer_later() -> None:
            message = reply(request, who)
            acked.wait(ACK_BUDGET_S)  # the ack goes first, as Slack shows them in order
            _respond(respond, message)

        refused = slow.start(who.user_id, who.channel_id, answer_later)
        if refused is not None:
            ack(text=f":hourglass: {refused}", response_type="ephemeral")
            return
        note = commands.working_note(request)
        if note:
            ack(text=note, response_type="ephemeral")
        else:
            ack()
        acked.set()

    def reply(request: Request, who: Invocation) -> Message:
        try:
            quick = commands.quick_reply(request, who)
            return quick if quick is not None else commands.slow_reply(request, who)
        except (RedisError, StoreError) as exc:
            log.error("/outage-summary %s: Redis failed: %s", request.kind, exc)
            return {"text": STORAGE_DOWN, "response_type": "ephemeral"}
        except Exception:  # a bug must still end in a reply, not silence
            log.exception("/outage-summary %s failed", request.kind)
            return {
                "text": ":warning: Something went wrong on our side; it has been logged.",
                "response_type": "ephemeral",
            }

    def on_question(event: dict[str, Any], client: WebClient, *, mentioned: bool) -> None:
        try:
            questions.handle(event, client, mentioned=mentioned)
        except (RedisError, StoreError) as exc:
            # Unanswered rather than perhaps answered twice: the claim could not be taken.
            log.error("thread question %s not answered: Redis failed: %s", event.get("ts"), exc)

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        on_question(event, client, mentioned=True)

    @app.event("message")
    def on_message(event: dict[str, Any], client: WebClient) -> None:
        on_question(event, client, mentioned=False)

    home_tab = home or HomeTab(services.store, services.intelligence.catalog, services.now)

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":  # the Messages tab: nothing of ours
            return
        try:
            home_tab.open(client, str(event.get("user", "")))
        except RedisError as exc:
            log.error("Home tab for %s not built: Redis failed: %s", event.get("user"), exc)

    return app


def _respond(respond: Respond, message: Message) -> None:
    try:
        respond(**message)
    except Exception as exc:  # response_url expired or unreachable: nothing else to tell
        log.warning("could not send a reply to response_url: %s", exc)
