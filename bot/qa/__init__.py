"""Thread Q&A: a reply under an incident asks about it, the bot answers with evidence.

``retrieve`` finds the passages of the incident's articles that match the
question (Chinese and English alike); ``Answerer`` has the QA model answer from
them, or quotes them when there is no model; ``render_answer`` and
``answer_text`` show the result in Slack and in a terminal.
"""

from __future__ import annotations

from bot.entities import EntityCatalog
from bot.qa.answerer import (
    EVIDENCE,
    Answer,
    Answerer,
    TextGenerator,
    clean_answer,
    clean_question,
    question_language,
)
from bot.qa.model import build_answerer
from bot.qa.render import answer_text, render_answer
from bot.qa.retrieve import Passage, passages, retrieve
from bot.summarize.base import Summarizer

__all__ = [
    "EVIDENCE",
    "Answer",
    "Answerer",
    "Passage",
    "TextGenerator",
    "answer_text",
    "answerer_for",
    "clean_answer",
    "clean_question",
    "passages",
    "question_language",
    "render_answer",
    "retrieve",
]


def answerer_for(engine: Summarizer, catalog: EntityCatalog | None = None) -> Answerer:
    """The Answerer for a bot whose loaded engine is ``engine``: its model answers when it can.

    Shares the loaded weights (no second copy); logs one warning at build time
    when there is no QA model, after which answers quote evidence only.
    """
    return Answerer(build_answerer(engine), catalog or EntityCatalog.load())
