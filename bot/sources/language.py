"""Which language an article is in: "zh" or "en" for now.

A script count is enough to tell Chinese from English, the two languages the
bot serves today; a statistical detector (and zh-Hant) arrives with ingestion.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")

# Chinese prose mixes in English names (AWS, Netflix); a third of the letters in
# Han script is already unmistakably a Chinese article.
CJK_SHARE_FOR_CHINESE = 0.3


def detect_language(text: str, hint: str | None = None) -> str:
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk + latin == 0:
        return hint or "en"
    return "zh" if cjk / (cjk + latin) >= CJK_SHARE_FOR_CHINESE else "en"


def is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))
