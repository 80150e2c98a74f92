"""Read a question: the item it asks for, the kind of figure, unit words, qualifiers, year,
department words, and whether it asks for a computation (sum, share, change)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from qa.domain.lexicon import (
    AREA,
    BUDGET_STAGE,
    COUNT,
    DATE,
    FUNDING,
    IDENTITIES,
    ITEM_BY_NAME,
    LENGTH,
    MONEY,
    PER_UNIT,
    QUESTION_NOISE,
    RATE,
    SPEC,
    Item,
    items_in,
)
from qa.domain.numbers import UNITS, fold
from qa.domain.tokenize import word_bounds
from qa.ingest.facets import YEAR_WORD

KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (DATE, re.compile(r"几月|哪个?月|几号|哪一?天|什么时候|什么时间|何时|哪一?年(?!度)|几几年")),
    # 规格 (0.6*0.6), 型号, 标号 (C25), 文号: words and codes, which no figure answers
    (SPEC, re.compile(r"规格|型号|标号|文号|编号|尺寸")),
    # "“预算执行率”这一项得了几分": the points earned, whatever the indicator measures
    (COUNT, re.compile(r"得了?几分|得了?多少分|打了?多少分|打了?几分")),
    (
        RATE,
        re.compile(
            r"比例|比重|百分|%|率|占(?![用地有]).*多少|增长多少|增长了多少|下降多少|[涨降]了?多少(?!钱|元|万)|增幅|降幅|幅度|占比|几成|满意度"
            r"|完成[^，,。？?]{0,10}?的多少"  # 决算完成年初预算的多少
        ),
    ),
    (LENGTH, re.compile(r"多长|多深|多宽|多远|长度|深度|宽度|里程|几公里|多少公里|多少米")),
    # 预算盘子一共多大, 资金规模多大: the size of a sum of money, not an area
    (MONEY, re.compile(r"(?:预算|收支|资金|经费|收入|支出|钱)[^，,。？?]*多大|多大[^，,。？?]*(?:钱|资金|经费)")),
    (AREA, re.compile(r"面积|多大|几亩|多少亩|亩|平方")),
    (
        COUNT,
        re.compile(r"(?:几|多少)[个家名人台辆批拨栋项套条次场件处起宗篇户所座]|人数|人次|数量|几$|得分|多少分|几分"),
    ),
    (
        MONEY,
        re.compile(
            r"钱|费|经费|资金|支出|花|元|投入|投了|预算|金额|开销|拨|税|产值|增加值|补贴|补助|奖补|专款|收入|订单|决算|成本"
        ),
    ),
)
UNIT_CUES = {
    "批": "批",
    "拨": "批",
    "人": "人",
    "人次": "人次",
    "亩": "亩",
    "台": "台",
    "辆": "台",
    "家": "家",
    "名": "名",
    "个": "个",
    "栋": "栋",
    "平方公里": "平方公里",
    "平方米": "平方米",
    "分": "分",
}
# Everyday phrases and the report words for them, added to the words a label is matched with.
EVERYDAY = {
    "平均每": "人均",
    "每人平均": "人均",
    "人均": "人均",
    "剩下": "结余",
    "还剩": "结余",
    "没花": "结余",
    "人看": "观看",  # 多少人看 → 观看演出群众
    "建起来": "建成",
    "建好": "建成",
    "盖了": "新建",
    "空气好": "优良",  # 空气好的天数 → 空气质量优良天数
    "招了": "招聘",
    "百姓": "群众",  # 老百姓满意的比例 → 群众满意度
}
# Question words → the fact qualifiers they ask for (facts.QUALIFIERS names).
QUESTION_QUALIFIERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "预算后来调成了多少": the figure the budget was changed to
    ("调整后预算", re.compile(r"调整后|调整预算|调整以后|追加(?:预算)?(?:以|之)?后|调增后|调(?:整)?(?:成|为|到|至)")),
    (
        "预算",
        re.compile(rf"(?<!调整){BUDGET_STAGE}|年初(?!定)|计划安排|预算数|打算|原本|本来|原计划"),
    ),
    ("决算", re.compile(r"决算|实际|执行数|实际支出|花了|花费|用了")),
    ("执行率", re.compile(r"执行率|完成率|执行了百分之|完成(?:年初|调整后)?预算的")),
    # 占用 (耕地占用税, 资产占用), 占地 and 占有 are not shares
    ("占比", re.compile(r"占比|比重|占(?![用地有]).*(?:比例|百分之|多少)")),
    ("上年", re.compile(r"(?<![比较与])上年|(?<![比较与])去年|(?<![比较与])上一年")),
    ("比上年", re.compile(r"比上年|较上年|同比|比去年|较去年|与上年|(?:比|较|与)上一年|(?:比|较|与)(?:19|20)\d{2}年")),
    (
        "比预算",
        re.compile(r"超预算|超出预算|超过预算|比预算|较预算|比年初预算|较年初预算|[比较](?:年度)?(?:目标|计划)"),
    ),
    ("预计", re.compile(r"预计|预期|估计")),
    ("目标", re.compile(r"目标|计划(?!安排|生育)|年初定|任务")),
    ("完成", re.compile(r"已完成|实际完成|完成了|截至|截止|已经")),
    ("单价", re.compile(PER_UNIT + r"|每个|单价|标准是")),
    # 多拿了多少, 少安排了多少: 多/少 + a verb + 了多少 asks the rise or the fall
    (
        "增长",
        re.compile(
            r"增长|增加(?!值)|多了|多花|多出|多用|多[\u4e00-\u9fff]{1,2}了(?=多少)|上升|提高|增幅|增减|变化|涨|高了|升了|超"
            r"|增收|增支"
        ),
    ),
    (
        "下降",
        re.compile(
            r"下降|减少|(?<!多)少了|少花|少用|(?<!多)少[\u4e00-\u9fff]{1,2}了(?=多少)|降低|节约|压减|降幅|降了|低了|减了"
            r"|减收|减支|短收"
        ),
    ),
)
# "多少入党积极分子", "几名工人", "多少想入党的人": the thing counted is people
PERSON = re.compile(
    r"(?:多少|几)(?:名|位|个)?[\u4e00-\u9fff]{0,6}?(?:人(?!次|员经费)|职工|工人|分子|党员|群众|学生|干部|游客|农户)"
)
PEOPLE_COUNTED = re.compile(r"(?:几|多少)个(?:人(?!次|员经费)|干部|职工|老师|同志)")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# "2017到2019年", "2017年至2019年", "2017-2019年": every year in between
YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?度?\s*(?:到|至|—|–|-|－|~|～)\s*((?:19|20)\d{2})\s*年")
# A question about several reports at once: 各部门…对比, 历年…, 哪个部门…最多
ACROSS = re.compile(
    r"各部门|各单位|各个部门|各个单位|各局|各年|历年|逐年|各年度|对比|比较一下|分别是|分别为|哪个部门|哪个单位|哪一年"
)
SHARE = re.compile(r"占.*(?:比例|比重|百分之|多少|几成|%)|占比")
COMPARED_YEAR = re.compile(r"(?:比|较|与)\s*(?:19|20)\d{2}\s*年度?")
TOTAL = re.compile(r"合计|总共|一共|总计|加起来|总额|共计|总和")
REMAINING = re.compile(r"还剩|剩下|剩余|结余|节余|没花|未花|没执行|未执行|没用完|节约了?多少")
ADDITION = re.compile(r"加上?|和|与|及|\+")


@dataclass(frozen=True, kw_only=True)
class Intent:
    """What a question asks for."""

    text: str
    items: tuple[Item, ...]
    kind: str | None
    units: tuple[str, ...]
    qualifiers: tuple[str, ...]
    years: tuple[str, ...]
    bigrams: frozenset[str]
    share: tuple[Item, Item] | None = None  # part, whole
    total: bool = False
    change: bool = False  # 比上年增加/减少多少, 增长了百分之几
    remaining: bool = False  # 预算还剩多少没花, 结余多少
    added: tuple[Item, ...] = ()  # 人员经费加日常公用经费合计
    across: bool = False  # list the figure per report: 各部门公务接待费对比, 2017到2019年…变化
    parts: tuple[frozenset[str], ...] = ()  # 中央和省级补助合计: the bigrams of each part of a total
    runs: tuple[str, ...] = ()  # the content as runs of Chinese characters ("基本公卫项目"), for short forms
    excluded: frozenset[str] = frozenset()  # 除掉控违中心那台: bigrams of what the question leaves out
    year_implied: bool = False  # years are the reports' own, the question named none
    whole: frozenset[str] = frozenset()  # 总编制中行政编: bigrams of the whole the asked figure is part of
    versus: tuple[Item, Item, int] | None = None  # 项目支出比基本支出多多少: (A, B, +1) asks A − B
    negated: tuple[str, ...] = ()  # 收入合计(不是收入总计): what the question says it does not ask


@lru_cache(maxsize=1 << 15)
def bigrams(text: str) -> frozenset[str]:
    """Character bigrams inside each run of Chinese characters (none across a gap or a digit).
    Cached: the same labels, clauses and sentences are read for every question."""
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return frozenset(run[i : i + 2] for run in runs for i in range(len(run) - 1))


def runs_of(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[\u4e00-\u9fff]{2,}", text))


def content_of(q: str) -> str:
    """The words of a question that say what is asked: less year and question words, plus the
    report words for everyday ones (平均每 → 人均)."""
    return (
        QUESTION_NOISE.sub(" ", YEAR_WORD.sub(" ", q)) + " " + " ".join(EVERYDAY.get(w, "") for w in EVERYDAY if w in q)
    )


# "决算数是多少(不是预算数)": the words after a negation name what is not asked
THAT_ONE = re.compile(r"(?:的)?那(?:笔|个|项|部分|块|些|次|批)$")  # "不是9月1日那笔": what is ruled out is 9月1日
NEGATED = re.compile(r"(?:[（(，,；;]\s*(?:而)?|而)(?:不是|并非|非|不要)\s*([^，,。？?！!（()）]{1,8})")


def question_qualifiers(text: str, kind: str | None = None) -> tuple[str, ...]:
    text = NEGATED.sub(" ", text)
    found = [name for name, pattern in QUESTION_QUALIFIERS if pattern.search(text)]
    if kind == MONEY and "目标" in found:  # 计划花多少 is a budget, 计划演多少场 a target
        found = [q for q in found if q != "目标"] + (["预算"] if "预算" not in found else [])
    if "比预算" in found:
        found = [q for q in found if q not in ("预算", "决算")]
    elif "比上年" in found or "上年" in found and ("增长" in found or "下降" in found):
        found = [q for q in found if q not in ("上年", "决算")] + (["比上年"] if "比上年" not in found else [])
    if "调整后预算" in found and "预算" in found:
        found.remove("预算")
    return tuple(dict.fromkeys(found))


def share_items(text: str) -> tuple[Item, Item] | None:
    """For "项目支出占总支出的比例": (项目支出, 部门整体支出)."""
    if not SHARE.search(text) or "占" not in text:
        return None
    left, right = text.split("占", 1)
    part, whole = items_in(left), items_in(right)
    if part and whole and part[0] != whole[0]:
        return part[0], whole[0]
    return None


def added_items(text: str) -> tuple[Item, ...]:
    """Items joined by 加/和/与 in a question asking for their total (人员经费加日常公用经费合计)."""
    if not TOTAL.search(text) or not ADDITION.search(text):
        return ()
    parts = [items_in(p) for p in ADDITION.split(TOTAL.split(text)[0])]
    found = tuple(dict.fromkeys(p[0] for p in parts if p))
    return found if len(found) >= 2 else ()


def whole_of(added: Sequence[Item]) -> Item | None:
    """The item named as the conjunction of exactly the items a question adds up (公务用车购置及运行费
    for 买车和养车, lexicon.IDENTITIES): the report prints that sum under its own name.  A whole with a
    name of its own (基本支出 for 人员经费加日常公用经费) is not taken: its printed figure may differ
    from the sum asked by rounding."""
    names = {item.name for item in added}
    return next((ITEM_BY_NAME[w] for w, parts in IDENTITIES if "及" in w and names and names == set(parts)), None)


JOINED = re.compile(r"(?<![追增参])加上?|和|与|及|\+")


def parts_of(text: str) -> tuple[frozenset[str], ...]:
    """The content bigrams of each thing a total adds up ("中央和省级补助合计" → 中央 | 省级补助);
    empty unless the question asks for a total of two or more things."""
    if not TOTAL.search(text):
        return ()
    parts = tuple(b for b in (bigrams(content_of(p)) for p in JOINED.split(TOTAL.split(text)[0])) if b)
    return parts if len(parts) >= 2 else ()


# Between two items, words that make the earlier one asked too (比, 占, 和 …), not a modifier.
NOT_MODIFIER = re.compile(r"比|较|占|和|与|及|加|、|,|，|或|还是|分别|以及")


def _span(text: str, item: Item) -> tuple[int, int]:
    """Where the item's longest word printed in text starts and ends (-1, -1 if nowhere)."""
    found = [(len(w), text.find(w)) for w in item.words if w and w in text]
    if not found:
        return -1, -1
    size, at = max(found)
    return at, at + size


SHORT_WORD = 2  # an item's word this short names it only as a word of the question, not inside another


def whole_word_items(text: str) -> tuple[Item, ...]:
    """items_in, less items named only by a short word printed inside another word: 个人所得税收入 holds
    税收 across 所得税|收入, and asks no 税收收入."""
    bounds = word_bounds(text)

    def as_word(w: str) -> bool:
        if len(w) > SHORT_WORD:
            return w in text
        return any(m.start() in bounds and m.end() in bounds for m in re.finditer(re.escape(w), text))

    return tuple(item for item in items_in(text) if any(as_word(w) for w in item.words if w))


def head_first(text: str, items: tuple[Item, ...]) -> tuple[Item, ...]:
    """The asked item first when the longest one only says who paid: in "一般公共预算财政拨款开支的
    公务接待费" the 公务接待费 is asked (Chinese puts the head noun last). Not when the two are
    compared or joined (财政拨款和其他收入)."""
    if len(items) < 2:
        return items
    (first_start, ends), (starts, last_end) = _span(text, items[0]), _span(text, items[1])
    if first_start < starts < ends < last_end and not items[0].units and not items[1].units:
        return (items[1], *items[2:])  # "一般公共预算收入总计": one compound, the 收入总计 (its last word) alone
    if items[0].name in FUNDING:
        if not (ends <= starts and not NOT_MODIFIER.search(text[ends:starts])):
            return items
    elif not (items[0].units and set(items[0].units) == set(items[1].units) and 0 <= starts - ends <= 2):
        return items  # "公务用车实际保有量": two counts of 辆, the later (保有量) is the head noun
    return (items[1], items[0], *items[2:])


# "项目支出比基本支出多多少": the difference of two items, never either of them
MORE_OR_LESS = re.compile(r"^\s*(?:还|要)?(?:多|高|大)|^\s*(?:还|要)?(?:少|低|小)")


def versus_items(text: str, items: tuple[Item, ...]) -> tuple[Item, Item, int] | None:
    """(A, B, +1) for "A比B多多少", (A, B, -1) for "A比B少多少" (B − A is then asked), (A, B, 0)
    for "A比B多几倍"."""
    placed = sorted(((_span(text, i), i) for i in items[:3]), key=lambda pair: pair[0])  # items never compared
    for ((_, a_end), a), ((b_start, b_end), b) in zip(placed, placed[1:], strict=False):
        if a is b or text[a_end:b_start].strip() not in ("比", "较"):
            continue
        after = MORE_OR_LESS.match(text[b_end:])
        if after and re.search(r"倍|百分|%|比例|比重", text[b_end:]):
            return a, b, 0  # a ratio: not computed (yet), and neither figure answers it
        if after:
            return a, b, 1 if re.search(r"多|高|大", after.group(0)) else -1
    return None


EXCEPT = re.compile(r"(?<![剔扣])除(?:掉|了|去|开)?([\u4e00-\u9fff]{2,12}?)(?:以外|之外|外|那[台辆个些])?[，,]")


def read_question(question: str) -> Intent:
    q = fold(question)
    left_out = EXCEPT.search(q)
    excluded = bigrams(left_out.group(1)) if left_out else frozenset()
    affirmed = NEGATED.sub(" ", q)  # "(不是收入总计)" names no item asked
    items = head_first(affirmed, whole_word_items(affirmed))
    kind = next((k for k, cue in KIND_CUES if cue.search(q)), None)
    if kind is None and items:
        kind = items[0].kind
    units = tuple(
        dict.fromkeys(
            u
            for cue, u in UNIT_CUES.items()
            if re.search(rf"[几多少]{cue}|{cue}数|{cue}次", q) or (len(cue) > 1 and cue in q)
        )
    )
    asked = re.search(r"(?:几|多少)(个百分点|平方米|平方公里|人次|批次|[\u4e00-\u9fff])", q)
    if not units and asked and asked.group(1) in UNITS and asked.group(1) not in ("万", "亿", "元"):
        units = (asked.group(1),)  # 多少场, 几件
    person = PERSON.search(q)
    if units == ("个",) and PEOPLE_COUNTED.search(q):
        units = ()  # 有几个人: people, counted in 人/名, not 个
    if not units and kind in (None, COUNT) and person:
        kind, units = COUNT, ("人",)  # 多少入党积极分子, 多少在岗职工: people are counted in 人/名
    if not units and items and items[0].units and kind == COUNT:
        units = items[0].units
    said = wording(q)
    quals = question_qualifiers(q, kind)
    added = added_items(q)
    whole = whole_of(added)
    if whole is not None:  # 买车和养车一共: the report prints 公务用车购置及运行费 itself
        items, added = (whole, *(i for i in items if i not in added and i is not whole)), ()
    return Intent(
        text=q,
        items=items,
        kind=kind,
        units=units,
        qualifiers=quals,
        years=years_of(q),
        bigrams=said.said,
        share=share_items(q),
        total=bool(TOTAL.search(q)),
        change=bool({"比上年", "比预算"} & set(quals)) and bool({"增长", "下降"} & set(quals)),
        remaining=bool(REMAINING.search(q)),
        added=added,
        across=bool(ACROSS.search(q) or YEAR_RANGE.search(q)),
        parts=said.parts,
        runs=said.runs,
        excluded=excluded,
        whole=said.whole,
        versus=versus_items(q, items),
        negated=tuple(n for m in NEGATED.finditer(q) if len(n := THAT_ONE.sub("", m.group(1).strip())) >= 2),
    )


@dataclass(frozen=True)
class Wording:
    """What a question's words ask, less what it leaves out (除掉…)."""

    said: frozenset[str]  # content bigrams
    parts: tuple[frozenset[str], ...]  # the parts of a total it asks for
    runs: tuple[str, ...]  # runs of characters, for short forms
    whole: frozenset[str]  # "总编制中行政编有几个": bigrams of what the asked thing is part of


# "总编制中行政编", "在项目支出构成里": the figure asked is a part of the whole named before 中/里
WHOLE = re.compile(
    r"([\u4e00-\u9fff]{0,8}?(?:编制|支出|收入|经费|资金|预算|决算|人员|人数|总额|合计|农户|户数|人口|对象|学生|职工))"
    r"(?:构成)?(?:当中|之中|中|里)(?![心央学])"
)


def wording(text: str) -> Wording:
    """What a question's words ask. scope.in_scope reads the question again with these once the
    reports' names are taken out."""
    content = content_of(NEGATED.sub(" ", EXCEPT.sub(" ", text)))
    whole = WHOLE.search(text)
    of_whole = bigrams(content_of(whole.group(1))) if whole else frozenset()
    return Wording(bigrams(content), parts_of(text), runs_of(content), of_whole)


def years_of(q: str) -> tuple[str, ...]:
    """Years the question is about: a range counts every year in it; 比2017年增加多少 asks about the report's year."""
    span = YEAR_RANGE.search(q)
    if span:
        lo, hi = sorted((int(span.group(1)), int(span.group(2))))
        if hi - lo <= 30:
            return tuple(str(y) for y in range(lo, hi + 1))
    return tuple(YEAR.findall(COMPARED_YEAR.sub(" ", q)))


__all__ = ["AREA", "COUNT", "MONEY", "RATE", "Intent", "Wording", "read_question", "bigrams", "wording"]
