"""Names in headlines, for outages of companies the catalogue does not know.

"Ingram Micro confirms ransomware behind multi-day outage" and "Technical
difficulties or cyber attack? Ingram Micro's website goes down" share almost no
characters but one name. Capitalised (or all-caps) Latin words that are not
ordinary headline words are taken as names, in English and in Chinese headlines
alike ("移动运营商Cellcom确认…").

A Chinese headline often names no one ("美国知名卫星电视服务中断超一周") while its
first sentences do, in Latin script ("…运营商Dish Network主要业务…瘫痪"): Latin words
in Chinese prose are nearly always names, so the opening of a Chinese report adds
its names. That is also what lets a Chinese and an English report of a company the
catalogue does not know meet.

Chinese names of organisations are built as a proper name and a kind of body
("江城地铁", "招商银行", "皇家邮政"): a run of Chinese characters ending in such a kind is
a name too. A headline may run words into it ("致江城地铁…", "英国皇家邮政"), so two
such names are one when one ends with the other (``same_name``).
"""

from __future__ import annotations

import re

from bot.languages import HAN_CHARACTER, in_simplified

# A capitalised or all-caps word, or one that starts with digits ("4chan", "1Password";
# not "8h", "5G", "10mins": a number with its unit). A slash may join its parts ("Data
# I/O", "AC/DC").
NAME = re.compile(
    r"(?<![A-Za-z0-9/])(?:[A-Z][A-Za-z0-9&+/-]*[A-Za-z0-9]|[A-Z]{2,}"
    r"|\d+(?!(?:mins?|hours?|hrs|days?|secs?|weeks?|years?)(?![A-Za-z0-9]))[A-Za-z]{3,}[A-Za-z0-9]*)"
    r"(?![A-Za-z0-9])"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*")
# Capitalised words in headlines that name nothing in particular.
_ORDINARY = frozenset(
    """
    a an and as at be but by can did do does for from has have he her his how i if in into is
    it its may more new no not now of on or our out over says she so some than that the their
    them then there these they this to up us was we were what when where which while who why
    will with would yes you your after again all also amid another are back before being
    between both could down during each even first following here just last latest many most
    much multi multiple next once only other own same second several since still such third
    through today too under until very via week weekend yesterday monday tuesday wednesday
    thursday friday saturday sunday january february march april june july august september
    october november december update updated breaking exclusive report reports reported
    confirms confirmed technical difficulties difficulty cyber cyberattack attack attacks
    ransomware ddos data website websites site sites network networks system systems service
    services customers users outage outages offline online hours days hit hits takes took
    app apps
    behind caused cause causes led leads says said internet global worldwide school schools
    thousands millions company companies giant satellite tv down up fails failed failure
    ceo cfo cto cio officials covid covid-19
    """.split()  # noqa: SIM905 - a word list reads best as words
)


# A headline's site suffix ("… | ZDNet", "… | The Register") names the outlet, which
# every headline of that site shares: no subject. Latin words only, so a digest's
# "FreeBuf早报 | <story>" keeps its story.
_OUTLET_SUFFIX = re.compile(
    r"(?<=\S)\s+[|｜]\s+[A-Za-z0-9][A-Za-z0-9.&'’ ]{0,40}$"
    # News aggregators and pages' <title> put the outlet after a hyphen or an en dash:
    # "… - BBC News", "… – The Register", "… - 新浪科技". Only a short name (up to four
    # capitalised words, "of"/"the" between; or a Chinese outlet's name by its ending):
    # "… - what we know", "… – Lloyds and Halifax", "— CrowdStrike Update Crashes
    # Windows PCs", "- 全城断网" are the headline's own.
    r"|(?<=\S)\s+[-–]\s+(?:[A-Z0-9][\w.&'’]*(?:\s(?:of|the|[A-Z0-9][\w.&'’]*)){0,3}"
    r"|[\u4e00-\u9fffA-Za-z0-9]{1,8}?(?:新闻网?|科技|之家|财经|日报|早报|晚报|时报|周刊|氪|内参|频道|在线))$"
)
# A name right before one of these is who attacked, not who is down: "KP Snacks hit by
# Conti ransomware" and "Shutterfly disrupted by Conti ransomware" are two victims.
_ATTACKER_AFTER = re.compile(
    r"\s+(?:ransomware|malware|botnet|gang|hackers?|hacking group|trojan|wiper)\b", re.IGNORECASE
)


def without_outlet(title: str) -> str:
    """``title`` without a site suffix ("… | ZDNet")."""
    return _OUTLET_SUFFIX.sub("", title)


def title_names(title: str, text: str = "") -> set[str]:
    """Names a headline gives in Latin script, lower-cased. In a Title Case headline
    every word is capitalised, so only all-caps and camel-case words (DISH, FinalSite)
    stand out as names there, and words the report's opening also writes capitalised
    in mid-sentence ("Ingram Micro Confirms …" over "… distributor Ingram Micro said").
    Not names: the outlet of a site suffix, an attacker's name, kinds of body
    shared by many ("Department", "Health"), and a sentence-case headline's first word
    that the report's opening writes in lower case ("Card terminals fail…").
    """
    title = without_outlet(title)
    words = _WORD.findall(title)
    title_case = len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
    confirmed = _mid_sentence_capitals(text[:LEAD_NAME_CHARS]) if title_case else set()
    return {
        word.lower()
        for match in NAME.finditer(title)
        if (word := match.group(0)).lower() not in _ORDINARY
        and word.lower() not in _KINDS
        and not _ATTACKER_AFTER.match(title, match.end())
        and (not title_case or _inner_capital(word) or word.lower() in confirmed)
        and not _ordinary_first_word(title, match, text)
    }


def _ordinary_first_word(title: str, match: re.Match[str], text: str) -> bool:
    """A sentence-case headline capitalises its first word whatever it is ("Card
    terminals fail…"): it is no name when the report's opening writes it in lower case
    ("unable to pay by card")."""
    word = match.group(0)
    if match.start() != len(title) - len(title.lstrip(" \"'“‘[(")) or not word[1:].islower():
        return False
    return (
        re.search(
            rf"(?<![A-Za-z]){re.escape(word.lower())}(?![A-Za-z])", text[: LEAD_NAME_CHARS * 2]
        )
        is not None
    )


# A capitalised word after a lower-case word or a comma: not a sentence's first word.
_MID_SENTENCE = re.compile(r"(?<=[a-z0-9,;] )[A-Z][A-Za-z0-9&+/-]*[A-Za-z0-9]")
# Words of kinds of body, capitalised in their names ("Bank of …", "… Airlines") and
# shared by many bodies: no name on their own.
_KINDS = frozenset(
    """
    bank banks airline airlines airways airport city council county state national federal
    government ministry department agency police hospital health university college group
    holdings inc corp ltd plc international news media telecom mobile energy power water
    post office digital technologies technology solutions cloud north south east west new
    district borough unified independent air aviation games studios interactive software labs
    brands retail financial insurance
    """.split()  # noqa: SIM905 - a word list reads best as words
)


def _mid_sentence_capitals(text: str) -> set[str]:
    return {word.lower() for word in _MID_SENTENCE.findall(text) if word.lower() not in _KINDS}


# How much of a Chinese report's text is read for names: its first sentences, where
# the company that is down is introduced (later ones name sources, experts, other firms).
LEAD_NAME_CHARS = 200


# Kinds of body that end a Chinese organisation's name. Two characters of proper name at
# least: "城地铁" (of "全城地铁停运") names nothing.
_HAN_KINDS = (
    "地铁", "银行", "证券", "交易所", "航空", "机场", "医院", "电信", "移动", "联通", "邮政",
    "铁路", "网盘", "商城", "大学", "政府", "电视台", "快递",
)  # fmt: skip
# Telecom kinds are also adjectives: "移动运营商" is a mobile operator, "电信诈骗" fraud.
# (Not "丨", a digest's separator, though it is a Han character.)
_HAN_NAME = re.compile(
    rf"(?P<proper>[\u4e00-\u4e27\u4e29-\u9fff]{{2,6}}?)(?:{'|'.join(_HAN_KINDS)})"
    r"(?<!移动(?=运营商|支付|应用|端|业务|互联网))(?<!电信(?=运营商|诈骗|业务))"
)
# Words before a kind that make it no one in particular ("某银行", "多家银行").
_HAN_VAGUE = re.compile(
    r"^(?:某|一家|多家|多个|多国|多处|多所|多座|各大|各家|各地|部分|该|这家|全国|全球|多地|国内|海外|当地)"
)


# A Chinese headline that opens with what is down and what befell it ("微漾崩了？", "微漾回应
# 服务异常", "微漾宕机两小时背后") names it by those first characters, as "B站崩了" does.
_HAN_HEAD = re.compile(
    r"^[\u4e00-\u4e27\u4e29-\u9fff]{2,4}?(?=崩了|崩溃|宕机|故障|瘫痪|回应|致歉|道歉|服务(?:异常|中断))"
)
_HAN_HEAD_VAGUE = re.compile(
    r"^(?:多|全|某|一|各|部分|大量|网友|用户|突发|今天|今日|昨日|昨天|再次|又)"
)
# "丹麦一市政府", "美国某银行": one body of a kind, not a name.
_HAN_ONE_OF_A_KIND = re.compile(r"[一某][家所个座市县州地区]?$")


# What ends a phrase before an organisation's name and is no part of one: a regulator's
# "就系统故障问询峡湾银行", "金融厅对樱川银行", "用户无法登录网银和手机银行". The name starts
# after the last of them (if two characters of proper name are left: "中和银行" is one).
_HAN_BEFORE_NAME = re.compile(
    r".*(?:对|就|向|与|和|及|被|遭|让|把|给|令|问询|约谈|起诉|处罚|罚款|调查|要求|命令|下达|"
    r"故障|宕机|中断|瘫痪|无法|登录|称)"
)
# Kinds of service, not organisations: "手机银行", "网上银行".
_HAN_SERVICE = re.compile(r"^(?:手机|网上|网络|线上|电子|个人|企业|直销)")


def han_names(title: str) -> set[str]:
    """Chinese organisation names in a headline ("江城地铁", "招商银行")."""
    names = set()
    for match in _HAN_NAME.finditer(title):
        name, proper = match.group(0), match.group("proper")
        before = _HAN_BEFORE_NAME.match(proper)
        if before is not None and len(proper) - before.end() >= 2:
            name, proper = name[before.end() :], proper[before.end() :]
        if not (
            _HAN_VAGUE.search(name)
            or _HAN_SERVICE.search(name)
            or _HAN_ONE_OF_A_KIND.search(proper)
        ):
            names.add(name)
    return names


def chinese_names(title: str) -> set[str]:
    """The names a Chinese headline gives for filing: its organisation names, and what it
    opens with when it says next what befell it ("微漾崩了"). (Only the first are evidence
    that a headline names who was hit: the opening words of "某某崩溃…" may be anything.)
    A Traditional headline's names are read in Simplified script ("報稅系統" is "报税系统")."""
    title = in_simplified(title)
    head = _HAN_HEAD.match(title)
    heads = {head.group(0)} if head and not _HAN_HEAD_VAGUE.match(head.group(0)) else set()
    return han_names(title) | heads


def written_in_chinese(name: str) -> bool:
    return bool(HAN_CHARACTER.match(name))


def has_chinese(text: str) -> bool:
    """``text`` holds a Chinese character anywhere (a Chinese report's headline)."""
    return bool(HAN_CHARACTER.search(text))


def same_name(a: str, b: str) -> bool:
    """Two names are one: equal, or Chinese names one of which ends with the other
    ("英国皇家邮政", "皇家邮政"), or one is a part of the other's slashed name
    ("twitter/x", "twitter"; not a single letter: "I/O" is no "O")."""
    if a == b:
        return True
    if "/" in a or "/" in b:
        return bool(_slash_parts(a) & _slash_parts(b))
    if not (HAN_CHARACTER.match(a) and HAN_CHARACTER.match(b)):
        return False
    short, long = sorted((a, b), key=len)
    return long.endswith(short)


def _slash_parts(name: str) -> set[str]:
    return {name, *(part for part in name.split("/") if len(part) > 1)}


def report_names(title: str, text: str) -> tuple[str, ...]:
    """The names a report gives for what is down: its headline's, and for a report in
    Chinese those in its opening text too. So does an English report whose headline
    names it only by what it is ("Canadian oil giant confirms cyberattack", "Council
    website down after cyber incident"): its opening names it ("Suncor Energy said…",
    "Westmere Borough Council said…"), not by a place many share. Sorted, for a stable
    stored value."""
    title, text = in_simplified(title), in_simplified(text[:REPORT_TEXT_CHARS])
    names = title_names(title, text) | chinese_names(title)
    opening = cut(text, LEAD_NAME_CHARS)
    if has_chinese(title):
        # A translator's note names the source's author and outlet, not who is down;
        # unless the source is the company's own blog: a translated post-mortem.
        head = text[: LEAD_NAME_CHARS * 2]
        opening = cut(_TRANSLATION_NOTE.sub("", head), LEAD_NAME_CHARS)
        own_blog = _OWN_BLOG.search(head)
        for part in (opening, own_blog.group("company") if own_blog else ""):
            names |= {word.lower() for word in NAME.findall(part) if word.lower() not in _ORDINARY}
    elif all(is_place(name) for name in names):  # no name, or only places
        names |= _opening_names(opening)
    return tuple(sorted(names))


def cut(text: str, chars: int) -> str:
    """The first ``chars`` characters of ``text``, less a word the cut splits ("… the
    Minist" is no name "minist")."""
    if len(text) <= chars or not _LATIN.match(text[chars]):
        return text[:chars]
    return _SPLIT_WORD.sub("", text[:chars])


# Latin letters (accented ones too: "Zü|rich") and digits; Chinese has no words to split.
_LATIN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
_SPLIT_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+$")


# How much of a report's text its names are looked for in.
REPORT_TEXT_CHARS = 1_000
# A sentence of a translator's note ("译文声明：本文是翻译文章，原文作者Mark Ellison，…").
_TRANSLATION_NOTE = re.compile(
    r"[^。！？\n]{0,200}(?:译文声明|翻译文章|译文仅供参考|原文作者|原文地址|原文链接|本文译自|编译自)"
    r"[^。！？\n]{0,200}[。！？\n]?"
)


# A translation whose source is the company's own blog ("本文翻译自Stratus Edge官方博客",
# "译自 Cloudflare 博客"): the company is who is down.
_OWN_BLOG = re.compile(
    r"(?:翻译自|译自|编译自|原文来自|来自|原载于)\s*(?P<company>[^，,。：:\s][^，,。：:\n]{0,40}?)\s*"
    r"(?:的)?(?:官方|工程|技术|团队)?(?:博客|博文|(?i:blog))"
)


def _opening_names(opening: str) -> set[str]:
    """Names an English report's opening gives: capitalised words, but not its dateline
    ("SYDNEY (Reuters) -"), who reported it, places, and not a sentence's first word on its
    own ("Hackers demanded…"): that one counts only when it is written like a name
    ("FinalSite", "DISH"), in a run of names ("Pine Hollow Independent School District
    said…"), as an owner ("Bramley's said…") or followed by what it is ("Suncor, a…")."""
    opening = without_dateline(opening)
    found = set()
    for match in NAME.finditer(opening):
        lower = match.group(0).lower()
        if lower in NO_NAME_IN_OPENING or is_place(lower):
            continue
        starts_sentence = not opening[: match.start()].strip() or bool(
            _SENTENCE_END.search(opening[max(0, match.start() - 3) : match.start()])
        )
        word = match.group(0)
        distinctive = _inner_capital(word) or word.isupper()
        if starts_sentence and not distinctive and not _RUN_OR_OWNER.match(opening, match.end()):
            continue
        if _HONORIFIC.search(opening[max(0, match.start() - 5) : match.start()]):
            continue  # a person: "Mr Smith, a customer, said…"
        found.add(lower)
    return found


_SENTENCE_END = re.compile(r"[.!?]\s+$")
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir)\.?\s+$")
# After a sentence's first word: another capitalised word, an owner's "'s", or what it is
# ("FinalSite, a school website provider, …").
# Or who speaks: "Versmarkt told customers…", "Holdvast said…" (who else speaks is in
# _LEAD_ORDINARY: "Officials said…").
_RUN_OR_OWNER = re.compile(
    r"(?:['’]s\b|\s+[A-Z]|,\s+(?:a|an|the)\s"
    r"|\s+(?:told|said|says|confirmed|confirms|announced|apologi[sz]ed|apologi[sz]es|warned)\b)"
)
# Who reports, quotes or is quoted: no subject of the outage.
_SOURCES = frozenset(
    """
    reuters bloomberg afp ap bbc cnn cnbc nikkei xinhua kyodo yonhap downdetector mr mrs ms dr
    sir
    """.split()  # noqa: SIM905 - a word list reads best as words
)


# Places and their peoples: in a headline they describe a company ("UK retailer",
# "Texas school district"), many bodies share them, and they name none.
_PLACES = frozenset(
    """
    uk us usa u.s. america american americans britain british england english scotland
    scottish wales welsh ireland irish europe european eu canada canadian australia
    australian japan japanese china chinese hong kong taiwan taiwanese korea korean india
    indian germany german france french dutch netherlands belgium belgian spain spanish
    italy italian sweden swedish norway norwegian denmark danish finland finnish poland
    polish russia russian ukraine ukrainian brazil brazilian mexico mexican singapore
    african africa asia asian midwest new york london texas california florida ohio
    virginia washington
    alabama alaska arizona arkansas colorado connecticut delaware georgia hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
    minnesota mississippi missouri montana nebraska nevada hampshire jersey carolina dakota
    oklahoma oregon pennsylvania rhode island tennessee utah vermont wisconsin wyoming
    ontario quebec alberta manitoba saskatchewan queensland victoria tasmania zealand
    """.split()  # noqa: SIM905 - a word list reads best as words
)


def is_place(name: str) -> bool:
    """A place or where something is based ("Iowa-based"): no one's name."""
    return name in _PLACES or name.endswith("-based")


# Capitalised words that open an English report's first sentence and name nobody.
_LEAD_ORDINARY = frozenset(
    """
    according customers residents voters users shoppers players workers staff students
    patients officials people thousands hundreds millions many some several hackers
    engineers analysts experts researchers authorities police investigators passengers
    travellers travelers callers subscribers members parents teachers drivers merchants
    retailers businesses companies sources spokespeople spokesperson administrators
    prosecutors regulators lawmakers doctors nurses spokesman spokeswoman commuters
    witnesses ministers executives employees agents owners tenants operators clients
    """.split()  # noqa: SIM905 - a word list reads best as words
)


NO_NAME_IN_OPENING = _ORDINARY | _KINDS | _LEAD_ORDINARY | _SOURCES


def _inner_capital(word: str) -> bool:
    # "FinalSite", "MoneyGram"; not a Title Case compound ("Days-Long", "Multi-Day").
    return any(char.isupper() and word[i] != "-" for i, char in enumerate(word[1:]))


# A wire story's dateline ("SHANGHAI, March 10 (Reuters) - "): where the reporter filed
# from, not where the outage is, nor who is down.
_DATELINE = re.compile(
    r"^\s*[A-Z][\w .,'’-]{0,40}\((?:Reuters|AP|AFP|Bloomberg|Xinhua|Kyodo|Yonhap|PA)\)"
    r"\s*[-–—:]\s*"
)


def without_dateline(text: str) -> str:
    """``text`` without a wire story's opening dateline."""
    return _DATELINE.sub("", text, count=1)
