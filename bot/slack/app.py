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
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.digest import escape
from bot.slack.commands import COMMAND, UsageError, parse
from bot.slack.handlers import CommandHandler, Invocation, SlackServices
from bot.slack.threads import ThreadQuestions

log = logging.getLogger(__name__)


def build_app(
    client: WebClient,
    services: SlackServices,
    questions: ThreadQuestions,
    *,
    signing_secret: str | None,
    verify_token: bool = True,
) -> App:
    """A bolt App with our listeners. ``signing_secret`` None: Socket Mode only."""
    app = App(
        client=client,
        signing_secret=signing_secret or "",
        # Socket Mode has no HTTP requests to sign; HTTP mode always verifies.
        request_verification_enabled=signing_secret is not None,
        token_verification_enabled=verify_token,
        logger=logging.getLogger("bot.slack.bolt"),
    )
    commands = CommandHandler(services)

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
        quick = commands.quick_reply(request, who)
        if quick is not None:
            ack(**quick)
            return
        note = commands.working_note(request)
        if note:
            ack(text=note, response_type="ephemeral")
        else:
            ack()
        try:
            reply = commands.slow_reply(request, who)
        except Exception:  # a bug must still end in a reply, not silence
            log.exception("/outage-summary %r failed", text)
            reply = {"text": ":warning: Something went wrong on our side; it has been logged."}
        respond(**reply)

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        questions.handle(event, client, mentioned=True)

    @app.event("message")
    def on_message(event: dict[str, Any], client: WebClient) -> None:
        questions.handle(event, client, mentioned=False)

    return app
