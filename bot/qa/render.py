"""An answer as a Slack thread reply, and as plain text for a terminal.

Everything that came from an article or a model is escaped: a passage quoting
"<!channel>" must show those characters, not ping a channel. Lengths stay
within Block Kit's limits (3000 characters a section, 2000 a context element).
"""

from __future__ import annotations

from typing import Any

from bot.digest.mrkdwn import escape
from bot.digest.mrkdwn import text as md
from bot.digest.render import host_of
from bot.qa.answerer import FACTS, Answer
from bot.qa.retrieve import Passage

SECTION_MAX = 3000
CONTEXT_MAX = 2000
FALLBACK_MAX = 3000  # the notification text; the blocks carry the whole reply
QUOTE_MAX = 900  # one evidence passage, escaped
TITLE_MAX = 200
# Longer links are shown as text: quote, title and link must share one section.
LINK_TARGET_MAX = 1800

Message = dict[str, Any]


def render_answer(answer: Answer) -> Message:
    """A chat.postMessage payload (without ``channel`` and ``thread_ts``)."""
    # Our own fixed texts keep their `code`; a model's answer is outside text.
    body = _escaped_within(answer.text, SECTION_MAX, literal=answer.from_model)
    blocks: list[dict[str, Any]] = [_section(body)]
    blocks.extend(_section(_quote(number, passage)) for number, passage in _numbered(answer))
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _byline(answer)}]})
    text = _escaped_within(answer.text, FALLBACK_MAX, literal=answer.from_model)
    return {"text": text, "blocks": blocks}


def answer_text(answer: Answer) -> str:
    """The answer, its evidence and who answered, for a terminal."""
    lines = [answer.text]
    if answer.evidence:
        lines += ["", "Evidence:"]
        for number, passage in _numbered(answer):
            lines.append(f"[{number}] {passage.title or host_of(passage.url)} — {passage.url}")
            lines.append(f"    {passage.text}")
    lines += ["", _who(answer)]
    return "\n".join(lines)


def _numbered(answer: Answer) -> list[tuple[int, Passage]]:
    return list(enumerate(answer.evidence, start=1))


def _quote(number: int, passage: Passage) -> str:
    # One line: a newline would end the ">" quote.
    text = _escaped_within(" ".join(passage.text.split()), QUOTE_MAX)
    label = _escaped_within(passage.title or host_of(passage.url) or passage.url, TITLE_MAX)
    target = _link_target(passage.url)
    source = f"<{target}|{label}>" if target else f"{label} ({_path(passage.url)})"
    return f"> {text}\n[{number}] {source}"


def _byline(answer: Answer) -> str:
    return _escaped_within(_who(answer), CONTEXT_MAX, literal=False)


def _who(answer: Answer) -> str:
    if answer.engine == FACTS:
        if answer.evidence:
            return "From the facts extracted from the incident's reports, stated above."
        return "Searched the incident's reports and the facts extracted from them."
    if answer.from_model:
        return (
            f"Answered by the {answer.engine} model from the quoted passages; "
            "check them before acting on it."
        )
    if answer.evidence:
        return "No model answer: the passages above are quoted from the incident's articles."
    return "Searched the incident's articles; no model was asked."


def _path(path: str) -> str:
    """A file path as code, where mrkdwn formats nothing, so it can be copied as it is."""
    if "`" in path or "\n" in path or len(path) > 300:
        return _escaped_within(path, 300)
    return f"`{escape(path)}`"


def _link_target(url: str) -> str | None:
    """The URL as a Slack link target, or None when it is not a web address."""
    if not url.lower().startswith(("http://", "https://")):
        return None
    # "|" ends a Slack link's target and a space ends the link: neither may occur.
    target = escape(url).replace("|", "%7C").replace(" ", "%20")
    return target if len(target) <= LINK_TARGET_MAX else None


def _escaped_within(raw: str, limit: int, *, literal: bool = True) -> str:
    """``raw`` escaped and, when too long, shortened before escaping so no entity is cut.

    ``literal``: outside text, whose mrkdwn formatting characters are neutralised too.
    """
    shown = md if literal else escape
    escaped = shown(raw)
    while len(escaped) > limit and raw:
        raw = raw[: max(len(raw) * limit // len(escaped) - 2, 0)]
        escaped = shown(raw) + "…"
    return escaped


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}
