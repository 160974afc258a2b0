"""Where an outage happened and what kind of body went down, in either language.

Chinese outlets often name a foreign company only by a Chinese name of their own
("星空航空" for Hoshizora Air, "肯纳里电讯" for Kenari Telecom): no name is shared with
the English reports of the same event. What is shared is the setting: the country
("日本" / "Japan") and the kind of body ("航空" / "airline"). Two reports in different
languages, first news within a few days of each other, of an airline in Japan the
catalogue does not know, are one event far more often than two.

Tags are "country:<code>" and "sector:<kind>", read from a report's headline and the
opening of its text. The tables are data: a country or a kind of body is one row.
"""

from __future__ import annotations

import re
from itertools import groupby

from bot.incidents.names import without_outlet
from bot.languages import in_simplified

# How much of a report's text is read for its setting: the opening sentence or two.
SETTING_TEXT_CHARS = 240
# The length of headline the classifier reads (bot/outage/classify.py; incidents do not
# import the outage stage).
TITLE_CHARS = 2_000

# country code -> (English words, Chinese words)
_COUNTRIES: dict[str, tuple[str, str]] = {
    "jp": ("Japan|Japanese|Tokyo|Osaka|Narita|Haneda|Kansai", "日本|东京|大阪|成田|羽田|关西"),
    "kr": ("South Korea|Korea|Korean|Seoul", "韩国|首尔"),
    "cn": ("China|Chinese|Beijing|Shanghai", "中国|北京|上海"),
    "hk": ("Hong Kong", "香港"),
    "tw": ("Taiwan|Taiwanese|Taipei", "台湾|臺灣|台北|臺北"),
    "sg": ("Singapore|Singaporean", "新加坡"),
    "my": ("Malaysia|Malaysian|Kuala Lumpur", "马来西亚|馬來西亞|吉隆坡|大马"),
    "id": ("Indonesia|Indonesian|Jakarta", "印度尼西亚|印尼|雅加达"),
    "th": ("Thailand|Thai|Bangkok", "泰国|曼谷"),
    "vn": ("Vietnam|Vietnamese|Hanoi", "越南|河内"),
    "ph": ("Philippines|Philippine|Filipino|Manila", "菲律宾|马尼拉"),
    "in": ("India|Indian|Mumbai|Delhi|Bengaluru", "印度|孟买|新德里"),
    "au": ("Australia|Australian|Sydney|Melbourne", "澳大利亚|澳洲|悉尼|墨尔本"),
    "nz": ("New Zealand", "新西兰"),
    "us": ("United States|U\\.S\\.|US|American|America", "美国"),
    "ca": ("Canada|Canadian|Ontario|Toronto", "加拿大|安大略|多伦多"),
    "gb": ("United Kingdom|UK|Britain|British|England|London", "英国|伦敦"),
    "ie": ("Ireland|Irish|Dublin", "爱尔兰|都柏林"),
    "fr": ("France|French|Paris", "法国|巴黎"),
    "de": ("Germany|German|Berlin", "德国|柏林"),
    "nl": ("Netherlands|Dutch|Amsterdam", "荷兰|阿姆斯特丹"),
    "be": ("Belgium|Belgian|Brussels", "比利时|布鲁塞尔"),
    "es": ("Spain|Spanish|Madrid", "西班牙|马德里"),
    "pt": ("Portugal|Portuguese|Lisbon", "葡萄牙|里斯本"),
    "it": ("Italy|Italian|Rome|Milan", "意大利|罗马|米兰"),
    "ch": ("Switzerland|Swiss|Zurich", "瑞士|苏黎世"),
    "at": ("Austria|Austrian|Vienna", "奥地利|维也纳"),
    "se": ("Sweden|Swedish|Stockholm", "瑞典|斯德哥尔摩"),
    "no": ("Norway|Norwegian|Oslo", "挪威|奥斯陆"),
    "dk": ("Denmark|Danish|Copenhagen", "丹麦|哥本哈根"),
    "fi": ("Finland|Finnish|Helsinki", "芬兰|赫尔辛基"),
    "pl": ("Poland|Polish|Warsaw", "波兰|华沙"),
    "ru": ("Russia|Russian|Moscow", "俄罗斯|莫斯科"),
    "ua": ("Ukraine|Ukrainian|Kyiv", "乌克兰|基辅"),
    "tr": ("Turkey|Turkish|Istanbul", "土耳其|伊斯坦布尔"),
    "il": ("Israel|Israeli", "以色列"),
    "ae": ("United Arab Emirates|UAE|Dubai", "阿联酋|迪拜"),
    "za": ("South Africa|South African", "南非"),
    # The EU's own systems (its border, its payments) are reported as the EU's.
    "eu": ("EU|European Union|Schengen", "欧盟|申根"),
    "br": ("Brazil|Brazilian|São Paulo|Sao Paulo", "巴西|圣保罗"),
    "mx": ("Mexico|Mexican", "墨西哥"),
    "ar": ("Argentina|Argentine", "阿根廷"),
    "cl": ("Chile|Chilean", "智利"),
    "co": ("Colombia|Colombian", "哥伦比亚"),
    "pe": ("Peru|Peruvian", "秘鲁"),
    "gr": ("Greece|Greek|Athens", "希腊|雅典"),
    "cz": ("Czech Republic|Czechia|Czech|Prague", "捷克|布拉格"),
    "hu": ("Hungary|Hungarian|Budapest", "匈牙利|布达佩斯"),
    "ro": ("Romania|Romanian|Bucharest", "罗马尼亚|布加勒斯特"),
    "sa": ("Saudi Arabia|Saudi", "沙特"),
    "ir": ("Iran|Iranian|Tehran", "伊朗|德黑兰"),
    "pk": ("Pakistan|Pakistani", "巴基斯坦"),
    "bd": ("Bangladesh|Bangladeshi", "孟加拉"),
    "lk": ("Sri Lanka|Sri Lankan", "斯里兰卡"),
    "eg": ("Egypt|Egyptian|Cairo", "埃及|开罗"),
    "ng": ("Nigeria|Nigerian|Lagos", "尼日利亚"),
    "ke": ("Kenya|Kenyan|Nairobi", "肯尼亚"),
    "sy": ("Syria|Syrian|Damascus", "叙利亚|大马士革"),
    "by": ("Belarus|Belarusian|Minsk", "白俄罗斯|明斯克"),
}

# kind of body -> (English words, Chinese words)
_SECTORS: dict[str, tuple[str, str]] = {
    "airline": ("airlines?|airways|(low-cost|budget|flag) carrier|flights?|check-in",
                "航空|航班|航司|值机"),
    "airport": ("airports?", "机场"),
    "bank": ("banks?|banking", "银行"),
    "payments": ("payments?|card terminals|card machines|payment processor", "支付|刷卡"),
    "telecom": ("telcos?|telecoms?|mobile (operator|carrier|network|data)|network operator|"
                "wireless carrier",
                "电信|电讯|运营商|移动网络|断网"),
    "game": ("games?|gaming|gamers|players|game servers", "游戏|网游|玩家|手游"),
    "hospital": ("hospitals?|health system|healthcare|ambulances?|patients",
                 "医院|医疗|救护车|患者"),
    "council": ("council|municipality|city government|county", "市政府|市政|议会|县政府"),
    "retail": ("supermarkets?|grocer|grocery|retailer|tills|(?<!app )(?<!play )stores?",
               "超市|零售|门店|商店"),
    "tax": ("tax", "报税|税务|个税"),
    "election": ("election|voting|voters|poll books?|ballots?", "选举|投票|选民"),
    "exchange": ("stock exchange|bourse|crypto exchange|cryptocurrency exchange", "交易所"),
    "rail": ("railway|rail|trains?|metro|subway", "铁路|列车|地铁"),
    "border": ("border|passport control|e-?gates|immigration", "边境|出入境|口岸|海关"),
    "school": ("schools?|school district|university|universities|college|students",
               "学校|学区|大学|高校|学生"),
    "pharmacy": ("pharmac(y|ies)|drugstores?|chemists?", "药店|药房|连锁药"),
    "carmaker": ("carmaker|automaker|car maker|factory|factories|production lines?",
                 "车企|汽车制造|工厂|生产线|停产"),
    "logistics": ("logistics|shipping|courier|parcels?|seaports?|port of|container terminals?",
                  "物流|快递|航运|港口|码头"),
    "broadcaster": ("broadcaster|tv stations?|television|radio station", "电视台|广播"),
    "energy": ("(oil|gas|fuel) pipelines?|fuel|utility|utilities|gas stations?",
               "输油管道|燃气管道|燃油|加油站|能源公司"),
}  # fmt: skip


# Phrases that hold a country's name and name no country: Beijing time in a Chinese report
# of a foreign outage, continents, a US state. Read as spans like the rest, so that the
# name inside them is not named (they add no tag).
_NOT_A_COUNTRY = (
    "Latin America|Latin American|South America|South American|North America|North American|"
    "Central America|Central American|Indian Ocean|New Mexico",
    "北京时间|东京时间|欧美国家|南美国家|北美国家|拉美国家|欧美|南美|北美|拉美|美洲|新墨西哥|大马路",
)


def _table(
    rows: dict[str, tuple[str, str]], kind: str, flags: int = 0
) -> list[tuple[str, re.Pattern[str]]]:
    return [
        (
            f"{kind}:{key}" if key else "",
            re.compile(rf"(?<![A-Za-z])(?:{english})(?![A-Za-z])|{chinese}", flags),
        )
        for key, (english, chinese) in rows.items()
    ]


# Country names are capitalised ("US", not "us"); kinds of body are words in any case.
_TAGS = [
    *_table(_COUNTRIES, "country"),
    *_table({"": _NOT_A_COUNTRY}, "country"),
    *_table(_SECTORS, "sector", re.IGNORECASE),
]


def setting_of(title: str, text: str) -> tuple[str, ...]:
    """The country and kind-of-body tags of a report, sorted."""
    # The outlet's name is no setting: "… - The Japan Times". A hostile headline is read
    # to the length the classifier reads.
    words = in_simplified(f"{without_outlet(title[:TITLE_CHARS])}\n{text[:SETTING_TEXT_CHARS]}")
    found = [
        (match.start(), match.end(), tag)
        for tag, pattern in _TAGS
        for match in pattern.finditer(words)
    ]
    outermost = _outermost(found)
    return tuple(sorted({tag for start, end, tag in found if tag and (start, end) in outermost}))


def _outermost(spans: list[tuple[int, int, str]]) -> set[tuple[int, int]]:
    """The spans no other span contains: a name inside a longer one is not named, as
    印度尼西亚 (Indonesia) is no 印度 (India) and 都柏林 (Dublin) no 柏林 (Berlin). One
    sweep in order of start, so a hostile headline of thousands of names costs no more
    than sorting them."""
    kept: set[tuple[int, int]] = set()
    reach = -1  # the furthest end of the spans that start before the current one
    for start, ends in groupby(
        sorted({(s, e) for s, e, _ in spans}, key=lambda x: (x[0], -x[1])), key=lambda x: x[0]
    ):
        longest = next(ends)[1]
        if longest > reach:
            kept.add((start, longest))
        reach = max(reach, longest)
    return kept


def same_setting(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Both name a country and a kind of body, and share one of each."""
    shared = set(a) & set(b)
    return any(t.startswith("country:") for t in shared) and any(
        t.startswith("sector:") for t in shared
    )
