"""Answering a question about one incident from its articles.

The best passages are found first (``retrieve``). With a text generator (the QA
model preset) they become the context of a prompt and the model writes the
answer; without one, or when it fails or writes nothing usable, the answer is
those passages themselves and says so plainly. A question that matches no
passage is answered honestly, without asking the model to make something up.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from typing import Literal, Protocol

from bot.languages import LANGUAGES
from bot.outage.entities import EntityCatalog
from bot.qa.facts import Facts, answer_from_facts, topic_of
from bot.qa.retrieve import Passage, retrieve
from bot.schema import Article, Frozen

log = logging.getLogger(__name__)

EVIDENCE = "evidence"  # Answer.engine when no model wrote the text
FACTS = "facts"  # Answer.engine when the incident's extracted facts answered
_MAX_ANSWER_CHARS = 600
# Slack user, channel and special mentions ("<@U123>", "<!here>") are not the question.
_MENTION = re.compile(r"<[@!#][^>]*>")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_ANSWER_LABEL = re.compile(r"^(?:answer|a)\s*[:：]\s*|^答案?\s*[:：]\s*", re.IGNORECASE)
# What instruction-tuned models say when the context does not hold the answer.
_UNANSWERABLE = frozenset(
    {"unanswerable", "no answer", "unknown", "none", "n/a", "i don't know", "无法回答", "不知道"}
)

Why = Literal["no_match", "no_model", "failed", "no_answer"]
# What each Why says to the asker is in bot/data/languages.toml ([<language>.messages]).


class TextGenerator(Protocol):
    """A model that writes text, as thread Q&A needs it.

    ``prompt`` builds the model's answer prompt from the question and the
    passages (best first), fitting the passages to the model's input and never
    cutting the question; ``language`` is the language to answer in.
    ``complete`` generates deterministically, one text per prompt, and raises
    on failure.
    """

    name: str

    def prompt(self, question: str, context: Sequence[str], language: str = "en") -> str: ...

    def complete(self, prompts: Sequence[str], max_new_tokens: int = 64) -> list[str]: ...


class Answer(Frozen):
    question: str
    text: str
    evidence: tuple[Passage, ...] = ()
    engine: str  # the model preset that wrote ``text``, or "evidence"
    from_model: bool
    language: str = "en"  # of the question, which the bot's own words follow


class Answerer:
    def __init__(
        self,
        generator: TextGenerator | None,
        catalog: EntityCatalog,
        *,
        k: int = 3,
        max_new_tokens: int = 64,
        max_question_chars: int = 500,
    ) -> None:
        if k < 1 or max_new_tokens < 1 or max_question_chars < 1:
            raise ValueError("k, max_new_tokens and max_question_chars must be >= 1")
        self.generator = generator
        self.catalog = catalog
        self.k = k
        self.max_new_tokens = max_new_tokens
        self.max_question_chars = max_question_chars

    @property
    def engine(self) -> str:
        return self.generator.name if self.generator is not None else EVIDENCE

    def answer(
        self, question: str, articles: Sequence[Article], facts: Facts | None = None
    ) -> Answer:
        """Answer ``question`` from ``articles`` (an incident's); never raises for the model.

        Questions about region, timing, affected services and status are answered from
        ``facts`` when given; a question about the cause only from passages that speak
        of one (bot/qa/facts.py).
        """
        question = clean_question(question)[: self.max_question_chars]
        language = question_language(question)
        topic = topic_of(question) if question else None
        evidence: tuple[Passage, ...]
        if topic is not None and (facts is not None or topic == "cause"):
            found = answer_from_facts(
                topic, question, language, facts, articles, self.catalog, self.k
            )
            if topic != "cause" or not found.answered:
                return Answer(question=question, text=found.text, evidence=found.evidence,
                              engine=FACTS, from_model=False, language=language)  # fmt: skip
            evidence = found.evidence  # passages about a cause: answered as any question
        else:
            evidence = tuple(retrieve(question, articles, self.catalog, self.k)) if question else ()
        if not evidence:
            return self._fallback(question, language, (), "no_match")
        if self.generator is None:
            return self._fallback(question, language, evidence, "no_model")
        name = self.generator.name
        try:
            prompt = self.generator.prompt(question, [p.text for p in evidence], language)
            raw = self.generator.complete([prompt], self.max_new_tokens)[0]
        except Exception as exc:
            # Broad on purpose: whatever the model does wrong, the person asking
            # still gets the evidence; the log keeps the reason.
            log.warning("QA model %s failed on a question (%s); answering with evidence", name, exc)
            return self._fallback(question, language, evidence, "failed")
        text = clean_answer(raw, question)
        if text is None:
            log.info("QA model %s gave no usable answer (%r); answering with evidence", name, raw)
            return self._fallback(question, language, evidence, "no_answer")
        return Answer(
            question=question,
            text=text,
            evidence=evidence,
            engine=name,
            from_model=True,
            language=language,
        )

    def _fallback(
        self, question: str, language: str, evidence: tuple[Passage, ...], why: Why
    ) -> Answer:
        return Answer(
            question=question,
            text=LANGUAGES.of(language).say(why, name=self.engine),
            evidence=evidence,
            engine=EVIDENCE,
            from_model=False,
            language=language,
        )


def clean_question(text: str) -> str:
    """A Slack message as a plain question: mentions gone, entities decoded, one line."""
    return " ".join(html.unescape(_MENTION.sub(" ", text)).split())


def question_language(question: str) -> str:
    """ "zh" when the question is mostly Chinese, else "en" (the two the bot answers in)."""
    han = len(_HAN.findall(question))
    return "zh" if han and han >= 2 * len(_LATIN_WORD.findall(question)) else "en"


def clean_answer(raw: str, question: str) -> str | None:
    """The model's answer tidied up, or None when it is empty, a refusal or garbage."""
    text = _ANSWER_LABEL.sub("", " ".join(raw.split())).strip()
    if not any(char.isalnum() for char in text):
        return None
    bare = _bare(text)
    if bare in _UNANSWERABLE or bare == _bare(question):
        return None
    units = text.split() if len(text.split()) > 1 else list(text)
    # A model gone wrong repeats a few tokens over and over.
    if len(units) >= 8 and len(set(units)) / len(units) < 0.3:
        return None
    if len(text) > _MAX_ANSWER_CHARS:
        text = text[: _MAX_ANSWER_CHARS - 1].rstrip() + "…"
    return text


def _bare(text: str) -> str:
    return text.casefold().rstrip(".。!！?？ ")
