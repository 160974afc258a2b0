"""The extractive summarizer: the article's lead sentences, within a length budget.

News is written lead-first, so the opening sentences are a fair summary; this
engine needs no model and is the fallback whenever a model is missing or fails.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.schema import Article, Summary
from bot.summarize.sentences import split_sentences

# Slack shows about this much without "show more"; Chinese carries more per character.
MAX_CHARS = {"zh": 160, "en": 320}
MAX_SENTENCES = 3
# Shorter "sentences" are usually datelines, headings or captions.
MIN_SENTENCE_CHARS = {"zh": 8, "en": 25}


class ExtractiveSummarizer:
    name = "extractive"

    def __init__(self, *, fallback: bool = False) -> None:
        # fallback: a model was configured but is unavailable, so summaries say so.
        self._fallback = fallback

    def summarize(self, articles: Sequence[Article]) -> list[Summary]:
        return [self._one(article) for article in articles]

    def _one(self, article: Article) -> Summary:
        language = "zh" if article.language.startswith("zh") else "en"
        return Summary(
            article_id=article.id,
            text=lead(article.text or article.title, language),
            engine=self.name,
            language=article.language,
            fallback=self._fallback,
        )


def lead(text: str, language: str) -> str:
    budget = MAX_CHARS[language]
    separator = "" if language == "zh" else " "
    chosen: list[str] = []
    seen: set[str] = set()
    for sentence in split_sentences(text):
        if len(sentence) < MIN_SENTENCE_CHARS[language] or sentence in seen:
            continue
        joined_length = sum(map(len, chosen)) + len(separator) * len(chosen)
        if chosen and joined_length + len(sentence) > budget:
            break
        chosen.append(sentence)
        seen.add(sentence)
        if len(chosen) == MAX_SENTENCES:
            break
    if not chosen:  # nothing sentence-like: fall back to the raw opening
        chosen = [text.strip()]
    summary = separator.join(chosen)
    if len(summary) > budget:
        summary = summary[: budget - 1].rstrip() + "…"
    return summary
