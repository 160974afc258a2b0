"""Fitting text into a seq2seq model's input: exact token counts, windows cut between words.

The engine (bot/summarize/seq2seq.py) reads an article whole when its prompt
fits ``max_input_tokens``, and otherwise as overlapping token windows that it
summarises map-reduce; chunk summaries that run over together get equal shares.
Every size here is measured on the prompt as the model will read it, so a
window comes out full and the tokenizer's safety truncation never cuts it again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from transformers import PreTrainedTokenizerBase

from bot.languages import LANGUAGES
from bot.schema import Article

# How many tokens to look for a word start before cutting inside a word.
_WORD_SEARCH = 16

# (text, language) -> the model's input, the preset's prompt filled in.
PromptFormat = Callable[[str, str], str]


class ChunkPlanner:
    """Measures and cuts text for one tokenizer, prompt and input size."""

    def __init__(
        self, tokenizer: PreTrainedTokenizerBase, prompt: PromptFormat, max_input_tokens: int
    ) -> None:
        self._tokenizer = tokenizer
        self._prompt = prompt
        self._max_input_tokens = max_input_tokens

    def windows(
        self, text: str, language: str, *, overlap_tokens: int, max_chunks: int
    ) -> list[str]:
        """``text`` whole when it fits; otherwise windows of the input budget that
        overlap by ``overlap_tokens``. Beyond ``max_chunks`` windows, they are
        spread evenly from the first token to the last."""
        if self.fits(text, language):
            return [text]
        offsets = self.token_offsets(text)
        budget = self.text_budget(text, offsets, language)
        overlap = min(overlap_tokens, budget // 2)
        step = budget - overlap
        last = len(offsets) - budget
        count = math.ceil(last / step) + 1
        if count > max_chunks:
            count = max_chunks
        starts = [0] if count == 1 else [round(i * last / (count - 1)) for i in range(count)]
        fits = partial(self.fits, language=language)
        return [_cut(text, offsets, start, start + budget, fits) for start in starts]

    def fit(self, text: str, language: str) -> str:
        """``text``, shortened from the end until its prompt fits the input."""
        if self.fits(text, language):
            return text
        offsets = self.token_offsets(text)
        budget = self.text_budget(text, offsets, language)
        return _cut(text, offsets, 0, budget, partial(self.fits, language=language))

    def join(self, summaries: list[str], language: str) -> str:
        """The chunk summaries as one input; when they do not fit, each gets an
        equal share, so the last chunk's summary is not the one cut away."""
        separator = LANGUAGES.of(language).separator
        joined = separator.join(summaries)
        if self.fits(joined, language):
            return joined
        budget = self.text_budget(joined, self.token_offsets(joined), language)
        share = max(1, budget // len(summaries) - 1)  # - 1: room for the separators

        def fits_share(piece: str) -> bool:
            return self.count_tokens(piece) <= share

        trimmed = []
        for summary in summaries:
            offsets = self.token_offsets(summary)
            too_long = len(offsets) > share
            trimmed.append(_cut(summary, offsets, 0, share, fits_share) if too_long else summary)
        # The engine's format_prompt makes the last exact cut, should the pieces
        # joined run over.
        return separator.join(trimmed)

    def fits(self, text: str, language: str) -> bool:
        """Whether the prompt around ``text`` is within the model's input, as encoded.

        Counted on the whole prompt, never as prompt + text counted apart: a
        tokenizer may merge the space before the text into its first word (byte-level
        BPE's "ĠAzure") or not ("Ġ" "10"), so the parts do not add up exactly and
        a budget from a stand-in text wastes a token or overflows by one.
        """
        prompt = self._prompt(text, language)
        size = len(self._tokenizer(prompt, verbose=False)["input_ids"])
        return size <= self._max_input_tokens

    def text_budget(self, text: str, offsets: list[tuple[int, int]], language: str) -> int:
        """Tokens of ``text`` (as tokenised alone) that the prompt leaves room for.

        The prompt's overhead is measured around this very text, so the windows
        cut from it come out full; ``_cut`` checks each window exactly.
        """
        prompt = self._prompt(text, language)
        overhead = len(self._tokenizer(prompt, verbose=False)["input_ids"]) - len(offsets)
        return max(8, self._max_input_tokens - overhead)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        encoded = self._tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        return [(int(start), int(end)) for start, end in encoded["offset_mapping"]]

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])


def source_text(article: Article) -> str:
    """Title and body as one line of text; newlines mean nothing to these models.

    The title leads (as a sentence of its own) unless the body already opens
    with it: for a short status update it is often half of what there is to say.
    """
    body = " ".join(article.text.split())
    title = " ".join(article.title.split())
    if not title or body.startswith(title):
        return body
    if not body:
        return title
    if title[-1] in ".!?。！？":
        return f"{title} {body}"
    han = "\u3400" <= title[-1] <= "\u9fff"
    return f"{title}。{body}" if han else f"{title}. {body}"


def _cut(
    text: str,
    offsets: list[tuple[int, int]],
    start: int,
    end: int,
    fits: Callable[[str], bool],
) -> str:
    """The text of tokens ``start`` to ``end`` (exclusive), cut between words,
    shortened further until ``fits`` accepts it."""
    total = len(offsets)
    # Both cuts move back to a word start: a word cut in two tokenises
    # differently alone, and adjacent windows still meet or overlap.
    start = _word_start(text, offsets, start, step=-1)
    if end < total:
        end = max(_word_start(text, offsets, end, step=-1), start + 1)
    while True:
        stop = offsets[end][0] if end < total else len(text)
        piece = text[offsets[start][0] : stop].strip()
        if end - start <= 1 or fits(piece):
            return piece
        # Still too long: give up a word at the end, or at the
        # start for the article's last window, whose end is what matters.
        if end < total:
            end = max(_word_start(text, offsets, end - 1, step=-1), start + 1)
        else:
            start = min(_word_start(text, offsets, start + 1, step=1), end - 1)


def _word_start(text: str, offsets: list[tuple[int, int]], index: int, step: int) -> int:
    """The nearest token at or from ``index`` (searching by ``step``) that starts a word.

    Gives up after a few tokens (a long URL has no word start to find) and
    returns ``index`` itself.
    """
    for candidate in range(index, index + step * _WORD_SEARCH, step):
        if not 0 <= candidate < len(offsets):
            break
        position = offsets[candidate][0]
        if candidate == 0 or position == 0:
            return candidate
        if position == offsets[candidate - 1][0]:
            continue  # a byte-level token inside the same character
        if not (_in_word(text[position - 1]) and _in_word(text[position])):
            return candidate
    return index


def _in_word(char: str) -> bool:
    # Han characters are words on their own: any cut between them is clean.
    return char.isalnum() and not ("\u3400" <= char <= "\u9fff")
