"""What a root-cause report adds to an incident: the cause and the fix, one sentence each.

Extractive on purpose: the sentence that states the cause, as the report wrote it,
is what an engineer can trust at a glance; a model may paraphrase a guess into a
fact. Pure functions over stored articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.schema import Article
from bot.summarize.sentences import split_sentences

SENTENCE_MAX = 300  # characters: one line in the message

# Words that state a cause, not merely mention one: "导致" alone is as often the outage
# causing something else ("故障导致司机无法送货") as the cause of the outage, and
# "has not said what triggered it" states nothing.
CAUSE_TEXT = re.compile(
    r"root[- ]cause|caused by|(?:was|were) caused|triggered by|due to|because of|the cause"
    r"|resulted from|stemm(?:ed|ing) from|traced (?:back )?to|blamed (?:it )?on"
    r"|(?<!what )\btriggered\b"
    r"|(?<!what )caused (?:the|this|a|an) (?:\w+ )?(?:outage|disruption|failure|incident"
    r"|problem|issue|errors?|downtime)"
    r"|原因|根因|起因|由于|归因|源于|引发(?:了)?(?:这次|此次|本次)?(?:故障|中断|宕机)"
    r"|导致(?:了)?(?:这次|此次|本次)?(?:故障|中断|宕机|服务中断)",
    re.I,
)
# What was done about it: rolled back, restored, mitigated (en and zh).
FIX_TEXT = re.compile(
    r"roll(?:ed|ing)? back|rollback|reverted|restored|mitigat(?:ed|ion)|fixed|remediat"
    r"|disabled|deployed a fix|回滚|修复|恢复|缓解|撤回",
    re.I,
)


# Wording that names the cause itself, tried before the looser CAUSE_TEXT ("because of
# the importance of these services" explains a design, not the outage).
STRONG_CAUSE = re.compile(
    r"root[- ]cause (?:was|is)|(?<!what )\btriggered\b|caused by|(?:was|were) caused"
    r"|原因是|根因是|源于|起因是",
    re.I,
)


def cause_sentence(reports: Sequence[Article]) -> str | None:
    """The first sentence of ``reports`` (root-cause reports, best first) that states a cause."""
    return _first(reports, STRONG_CAUSE) or _first(reports, CAUSE_TEXT)


def fix_sentence(reports: Sequence[Article]) -> str | None:
    """The first sentence that says what was done to end it."""
    return _first(reports, FIX_TEXT)


def _first(reports: Sequence[Article], pattern: re.Pattern[str]) -> str | None:
    for article in reports:
        for paragraph in article.paragraphs:
            for sentence in split_sentences(paragraph):
                sentence = " ".join(sentence.split())
                if pattern.search(sentence) and len(sentence) >= 8:  # not a stray fragment
                    return _clip(sentence)
    return None


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= SENTENCE_MAX else sentence[: SENTENCE_MAX - 1] + "…"
