"""The extractive summarizer: lead sentence plus the most central of the next few.

News is written lead-first, so the opening sentence anchors the summary; the
rest of the budget goes to the sentences most about the story. This engine
needs no model and is the fallback whenever a model is missing or fails.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.dedupe.textsim import char_pairs, jaccard
from bot.languages import LANGUAGES
from bot.schema import Article, Summary
from bot.summarize.sentences import split_sentences

# Budgets and the shortest real sentence per language: bot/data/languages.toml.
MAX_SENTENCES = 3
LEAD_WINDOW = 6  # sentences considered: news puts what matters near the top
NEAR_REPEAT = 0.8  # character-pair overlap above which a sentence repeats a chosen one
POSITION_PENALTY = 0.01


class ExtractiveSummarizer:
    name = "extractive"
    cache_key = "extractive@2"  # bump when the selection rules change

    def __init__(self, *, fallback: bool = False) -> None:
        # fallback: a model was configured but is unavailable, so summaries say so.
        self._fallback = fallback

    def summarize(self, articles: Sequence[Article], language: str | None = None) -> list[Summary]:
        # Extraction cannot translate: the summary is in the article's own language,
        # whatever ``language`` asks for (Summary.language tells the digest).
        return [self._one(article) for article in articles]

    def _one(self, article: Article) -> Summary:
        return Summary(
            article_id=article.id,
            text=lead(article.text or article.title, article.language),
            engine=self.name,
            language=article.language,
            fallback=self._fallback,
        )


def lead(text: str, language: str) -> str:
    """The opening sentence, then the most central of the next few, in text order.

    "Central" means sharing the most character pairs with the rest of the
    article, which favours sentences about the story over asides and quotes.
    Near-repeats of a chosen sentence are skipped.
    """
    speech = LANGUAGES.of(language)
    budget, separator = speech.summary_chars, speech.separator
    candidates: list[str] = []
    for sentence in split_sentences(text):
        if len(sentence) >= speech.min_sentence_chars and sentence not in candidates:
            candidates.append(sentence)
        if len(candidates) == LEAD_WINDOW:
            break
    if not candidates:  # nothing sentence-like: fall back to the raw opening
        return _clip(text.strip(), budget)
    pairs = [char_pairs(s) for s in candidates]
    chosen = [0]
    used = len(candidates[0])
    by_centrality = sorted(range(1, len(candidates)), key=lambda i: -_centrality(i, pairs))
    for index in by_centrality:
        if len(chosen) == MAX_SENTENCES:
            break
        if any(jaccard(pairs[index], pairs[c]) > NEAR_REPEAT for c in chosen):
            continue
        if used + len(separator) + len(candidates[index]) <= budget:
            chosen.append(index)
            used += len(separator) + len(candidates[index])
    return _clip(separator.join(candidates[i] for i in sorted(chosen)), budget)


def _centrality(index: int, pairs: list[set[str]]) -> float:
    others = [p for i, p in enumerate(pairs) if i != index]
    score = sum(jaccard(pairs[index], p) for p in others) / max(len(others), 1)
    return score - POSITION_PENALTY * index  # earlier sentences win ties


def _clip(summary: str, budget: int) -> str:
    return summary if len(summary) <= budget else summary[: budget - 1].rstrip() + "…"
