"""Find and parse printed figures ("2.97万元", "65批", "1.5万\\n元", "３,５１４.６９万元").

Pure functions.  Matching runs on a length-preserving fold of the text (full-width ASCII
to half-width, ideographic space to space), so every match span is also a span of the
original text and `text[start:end]` is the figure exactly as printed.

Chinese numerals with a unit ("一百二十万元", "三台") are read too.  Not handled: ranges
("10-20万元") and bare numbers; table cells whose unit stands in a header are read by
`facts.table_facts`, which uses `parse_cell`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

MONEY_SCALE = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
# Units as printed, longest first so 人次 wins over 人 and 万元 over 万.
UNITS = (
    "个百分点",
    "平方公里",
    "平方米",
    "万美元",
    "亿美元",
    "美元",
    "亿元",
    "万元",
    "千元",
    "元",
    "亿",
    "万",
    "微克/立方米",
    "毫克/升",
    "公顷",
    "人次",
    "场次",
    "批次",
    "%",
    "％",
    "‰",
    "㎡",
    "亩",
    "公里",
    "千米",
    "厘米",
    "米",
    "人",
    "名",
    "批",
    "台",
    "辆",
    "个",
    "项",
    "家",
    "栋",
    "套",
    "条",
    "户",
    "所",
    "座",
    "次",
    "期",
    "分",
    "倍",
    "吨",
    "场",
    "件",
    "处",
    "起",
    "宗",
    "篇",
    "册",
)
# Latin length units as tables print them ("3800m", "12km"); never the m of m², m3 or mg
LATIN_UNITS = ("km", "m")
_UNIT_ALT = "|".join(
    [re.escape(u).replace("万元", r"万\s*元").replace("亿元", r"亿\s*元") for u in UNITS]
    + [rf"{u}(?![A-Za-z0-9²³/])" for u in LATIN_UNITS]
)
# "1300元/人/月", "583元/人*月", "5830元/户": a rate per head, household, month … printed as part of the figure
PER_SUFFIX = (
    r"(?:\s*[/／]\s*(?:人次|人|户|月|年|亩|天|日|次|平方米|吨|台|辆|公里|小时|份|名|头|只|所|个)){1,2}"
    r"(?:\s*[*·・×]\s*(?:月|年|天|日|次))?"
)
ARABIC = r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
CN_DIGIT = "〇零一二两三四五六七八九"
CN_NUMERAL = rf"[{CN_DIGIT}十](?:[{CN_DIGIT}十百千]*)(?:[万亿][{CN_DIGIT}十百千]+)*"
# "2000余人", "14万平方米": an approximation word and a 万/亿 multiplier may stand between.
NUMBER_RE = re.compile(
    rf"(?<!\d)(?<!\d[.,])(?<![第每])(?:(?P<num>{ARABIC})|(?P<cn>{CN_NUMERAL}))\s*(?P<approx>余|多)?"
    r"(?P<unit>(?:(?:万|亿)(?=平方|人|吨|户|亩|个|名))?(?:" + _UNIT_ALT + "))"
    rf"(?P<per>{PER_SUFFIX})?"
)
CELL_RE = re.compile(rf"\s*(?P<num>{ARABIC})\s*(?P<pct>%)?\s*")
CN_VALUES = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
CN_SCALES = {"十": 10, "百": 100, "千": 1000}


T2S_FILE = Path(__file__).with_name("data") / "t2s.txt"


def _t2s_table() -> dict[int, int]:
    """Traditional → simplified, one character for one (qa/data/t2s.txt, from OpenCC)."""
    lines = T2S_FILE.read_text(encoding="utf-8").splitlines()
    return {ord(t): ord(s) for t, s in (ln.split("\t") for ln in lines if ln and not ln.startswith("#"))}


FOLD_TABLE = (
    _t2s_table()
    | {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF0C}
    | {0x3000: 0x20}
)


# "經(jīng)費(fèi)", "萬(wàn)元": the pinyin a mirror site glues after characters (tone marks tell it from "(a)")
PINYIN = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")


def fold(text: str) -> str:
    """Length-preserving normalisation for matching: full-width ASCII → ASCII, U+3000 → space,
    traditional characters → simplified (萬元 → 万元, 財政撥款 → 财政拨款), glued pinyin → spaces.

    Mirror sites print reports in traditional characters with pinyin after some of them; folding
    both the report and the question lets one lexicon serve both ("35萬(wàn)元" reads as 35 万 元),
    while offsets and printed figures stay the file's own.  The full-width comma is kept: in
    Chinese text "３，５１４" is two numbers, not 3514 ("，" is a clause break, never a separator).
    """
    folded = text.translate(FOLD_TABLE)
    if "(" in folded:
        folded = PINYIN.sub(lambda m: " " * len(m.group(0)), folded)
    return folded


def unglossed(text: str) -> str:
    """fold, less the glued pinyin itself (not its length): for names read off a mirror's
    title, where "九華山風(fēng)景區(qū)宗教事務(wù)局" must be one word, 九华山风景区宗教事务局, and no
    offset points into the result."""
    return PINYIN.sub("", text).translate(FOLD_TABLE)


@dataclass(frozen=True)
class Figure:
    """A figure found in text: text[start:end] == raw."""

    start: int
    end: int
    raw: str
    value: Decimal
    unit: str  # as printed, whitespace removed, full-width folded (％ → %)
    norm_value: Decimal
    norm_unit: str
    per: str = ""  # "/人/月" of "1300元/人/月": what the amount is counted per (PER_SUFFIX), in raw


def normalise(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """Money to 元; counts, areas and rates stay in their own units."""
    if unit in MONEY_SCALE:
        return value * MONEY_SCALE[unit], "元"
    if unit == "万":
        return value * 10000, "万"  # "38万": money or count, the context decides
    if unit == "亿":
        return value * 100000000, "亿"
    if len(unit) > 1 and unit[0] in "万亿":  # 14万平方米 → 140000 平方米
        return value * (10000 if unit[0] == "万" else 100000000), unit[1:]
    return value, unit


def chinese_number(text: str) -> int:
    """Value of a Chinese numeral: 一百二十 → 120, 三万五千 → 35000, 两 → 2, 十二 → 12."""
    if "亿" in text:
        high, low = text.split("亿", 1)
        return chinese_number(high) * 100000000 + (chinese_number(low) if low else 0)
    if "万" in text:
        high, low = text.split("万", 1)
        return chinese_number(high) * 10000 + (chinese_number(low) if low else 0)
    total = digit = 0
    for ch in text:
        if ch in CN_SCALES:
            total += (digit or 1) * CN_SCALES[ch]
            digit = 0
        elif ch in CN_VALUES:
            digit = digit * 10 + CN_VALUES[ch] if digit and ch in "〇零" else CN_VALUES[ch]
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + digit


def parse_number(text: str) -> Decimal:
    """An Arabic number as printed ("1,234.50", "-16.77", "−3") to an exact Decimal."""
    try:
        return Decimal(fold(text).strip().replace(",", "").replace("−", "-"))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc


def parse_cell(text: str) -> tuple[Decimal, str] | None:
    """A table cell holding only a number (and maybe %): its value and unit ("%" or "")."""
    match = CELL_RE.fullmatch(fold(text))
    if not match:
        return None
    return parse_number(match.group("num")), "%" if match.group("pct") else ""


SIGNS = "≥≤><≧≦＞＜"  # comparison signs printed before a target's figure ("≥95%")
COMPARISON = re.compile(rf"^[{SIGNS}=＝═]+\s*")


def parse_figure(raw: str) -> tuple[Decimal, str]:
    """Value and unit of one printed figure, e.g. "1,234.5 万\\n元" → (1234.5, "万元")."""
    folded = COMPARISON.sub("", fold(raw).strip())  # "≥95%" is the figure 95% printed as a floor
    match = NUMBER_RE.fullmatch(folded.strip())
    if not match:
        raise ValueError(f"not a figure: {raw!r}")
    if match.group("cn"):
        value = Decimal(chinese_number(match.group("cn")))
    else:
        value = parse_number(match.group("num"))
    unit = re.sub(r"\s+", "", match.group("unit")).replace("％", "%")
    return value, unit


def find_figures(text: str) -> list[Figure]:
    """Every number-with-unit in text, with exact spans.

    Dates ("2018年", "3月5日") and document numbers ("19号") carry no unit in UNITS and
    bare numbers are left out: they are not figures an auditor asks for.
    """
    folded = fold(text)
    figures: list[Figure] = []
    for match in NUMBER_RE.finditer(folded):
        start, end = match.start(), match.end()
        if folded[start] in "-−" and start > 0 and folded[start - 1].isdigit():
            start += 1  # "2017-2019" style: the minus is a dash
        raw = text[start:end]
        value, unit = parse_figure(raw)
        norm_value, norm_unit = normalise(value, unit)
        per = re.sub(r"\s+", "", match.group("per") or "")
        figures.append(Figure(start, end, raw, value, unit, norm_value, norm_unit, per))
    return figures


def holds_number(text: str, printed: str) -> bool:
    """text holds `printed` (digits, maybe with a unit) as a whole number: "202" is not in "2023年"."""
    at = text.find(printed)
    while at >= 0:
        before = text[at - 1] if at else ""
        after = text[at + len(printed)] if at + len(printed) < len(text) else ""
        if not (before.isdigit() or before == ".") and not (
            after.isdigit() or (after == "." and printed[-1].isdigit())
        ):
            return True
        at = text.find(printed, at + 1)
    return False
