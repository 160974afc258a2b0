"""A copy of a model's tokenizer that loads in one parse, written beside its CTranslate2 model.

Why: mT5's tokenizer has 250k pieces, and loading it through ``AutoTokenizer``
costs about four times the file's own parse. transformers reads
``tokenizer.json`` as Python JSON to find the added tokens when
``tokenizer_config.json`` does not list them (mT5/mT0 checkpoints don't), and a
``T5Tokenizer`` class parses the file once more and then rebuilds its Unigram
model and pipeline from a Python list (measured on a random mT5-size tokenizer:
1.9 s, against 0.4 s for one parse). For the CTranslate2 engine the tokenizer
is the last thing between start-up and the first summary.

What: ``models pull`` (``ct2.convert``) saves the tokenizer *as loaded* (the
pipeline ``T5Tokenizer`` built, with its special tokens) and marks the copy as
the generic tokenizers class, which reads the file once and rebuilds nothing.
So the copy is the loaded tokenizer itself, not the checkpoint's raw
``tokenizer.json`` (whose pipeline can differ from what ``T5Tokenizer`` builds).
Before it is kept, the copy is loaded back and must tokenise and detokenise
probe texts of every script the bot reads exactly as the original does; one
that doesn't is dropped, and the engine loads the model folder's tokenizer as
before. A copy that later fails to load costs a warning and the same fallback.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from transformers import PreTrainedTokenizerBase, TokenizersBackend

log = logging.getLogger(__name__)

TOKENIZER_COPY = "tokenizer"
_GENERIC_CLASS = "TokenizersBackend"
# Texts whose ids and decoded text must be the same through the copy: English,
# Chinese (full-width punctuation, digits in CJK text), accents, ligatures and
# circled digits that a normalizer folds, runs of whitespace, and special tokens
# written inside the text.
PROBES = (
    "summarize: AWS us-east-1 outage took down Disney+, Netflix, Slack and Coinbase.",
    "阿里云华东1（杭州）地域故障，2024年7月2日 09:30 起部分用户无法访问。",
    "  Zürich   data-centre\tfire;\n\nﬁber cut ① — 3.5h down  ",
    "<pad>Outage</s> over <unk> <extra_id_0> done",
    "ＡＢＣ　全角 테스트 ไทย",
)


def write_tokenizer_copy(tokenizer: PreTrainedTokenizerBase, folder: Path) -> bool:
    """Save ``tokenizer`` to ``folder`` as the generic class; False (nothing left) if the
    copy would not behave exactly like ``tokenizer``."""
    if not getattr(tokenizer, "is_fast", False):
        return False  # no tokenizers pipeline to copy (a SentencePiece-only folder)
    shutil.rmtree(folder, ignore_errors=True)
    tokenizer.save_pretrained(folder)
    config_path = folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    # Where the copy was saved from is no setting of it.
    for key in ("is_local", "local_files_only", "name_or_path"):
        config.pop(key, None)
    config["tokenizer_class"] = _GENERIC_CLASS
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False), encoding="utf-8")
    try:
        difference = first_difference(tokenizer, _load(folder))
    except Exception as exc:  # broad: any failure to load it back means "no copy"
        difference = f"it does not load back ({type(exc).__name__}: {exc})"
    if difference is not None:
        log.info("%s: no fast tokenizer copy: %s", folder.parent, difference)
        shutil.rmtree(folder, ignore_errors=True)
        return False
    return True


def load_tokenizer_copy(folder: Path) -> PreTrainedTokenizerBase | None:
    """The copy in ``folder``, or None when there is none or it cannot be read (logged)."""
    if not (folder / "tokenizer.json").is_file():
        return None
    try:
        return _load(folder)
    except Exception as exc:  # broad: a damaged copy is a missing copy
        log.warning(
            "%s: the tokenizer copy cannot be read (%s: %s); loading the model's own",
            folder,
            type(exc).__name__,
            exc,
        )
        return None


def first_difference(
    original: PreTrainedTokenizerBase, copy: PreTrainedTokenizerBase
) -> str | None:
    """How ``copy`` behaves otherwise than ``original`` on the probes, or None if it doesn't."""
    checks: list[tuple[str, Any, Any]] = [
        ("size", len(original), len(copy)),
        ("special tokens", original.all_special_tokens, copy.all_special_tokens),
        ("special ids", original.all_special_ids, copy.all_special_ids),
        ("pad id", original.pad_token_id, copy.pad_token_id),
        ("longest input", original.model_max_length, copy.model_max_length),
    ]
    for text in PROBES:
        ids = original(text)["input_ids"]
        checks.append((f"ids of {text!r}", ids, copy(text)["input_ids"]))
        for skip in (False, True):
            checks.append(
                (
                    f"decoding of {text!r}",
                    original.decode(ids, skip_special_tokens=skip),
                    copy.decode(ids, skip_special_tokens=skip),
                )
            )
    for what, expected, got in checks:
        if expected != got:
            return f"{what} differs ({expected!r} against {got!r})"
    return None


def _load(folder: Path) -> PreTrainedTokenizerBase:
    # An empty added_tokens_decoder skips transformers' second, Python parse of
    # tokenizer.json: the added tokens and their flags are in the file the
    # tokenizers library reads, and the special tokens in tokenizer_config.json.
    tokenizer: PreTrainedTokenizerBase = TokenizersBackend.from_pretrained(
        str(folder), local_files_only=True, added_tokens_decoder={}
    )
    return tokenizer
