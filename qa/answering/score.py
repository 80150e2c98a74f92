"""The hand-written scoring of candidate figures: what the question cues (Cues), how each figure stands
in its report (Printed), and score_fact's named rules (`ask --json` shows those that moved a figure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from qa.answering.context import FEW_REPORTS, Context
from qa.answering.derive import (
    qualifier_fit,
)
from qa.answering.intent import Intent, bigrams
from qa.domain.lexicon import (
    FUNDING,
    RATE,
    label_item,
    label_matches,
    outranked,
    unit_family,
    unit_kind,
)
from qa.domain.numbers import fold, holds_number
from qa.ingest.clauses import CLAUSE_BREAK
from qa.ingest.facets import (
    YEAR_WORD,
    stage_of,
)
from qa.records import SCORE_THRESHOLD, Fact, Hit

ANSWER_THRESHOLD = SCORE_THRESHOLD  # 2.0, chosen on the dev sets: 2.6 → 2.0 gained 6 points at equal precision
DISQUALIFIED = 8.0
MARGIN = 0.6  # the best figure must beat every different figure by this much
# A question in words the lexicon does not know scores lower; its best figure still answers when
# it beats every other figure by far (measured on the dev sets and a generated corpus, see README).
CLEAR_THRESHOLD = 1.0
CLEAR_MARGIN = 1.0
COMMON_UNITS = {"个", "人", "名", "项", "次", "家"}  # units too common to tell what was counted
CHANGES = {"增长", "下降", "增减", "比上年", "比预算"}
BUDGET_STAGES = {"预算", "年初预算", "调整后预算"}
PLANNED = BUDGET_STAGES | {"预计", "目标"}  # 计划花多少 reads as 预算, 产值目标 as 目标
STAGED = PLANNED | {"决算", "实际", "上年", "执行率"}  # a figure carrying one of these has its own stage
DIRECTIONS = {"增长", "下降", "增减"}
DIRECTION_ASKED = re.compile(
    r"(?:增长|增加|上升|提高|下降|减少|降低|节约|压减|涨|降|多出|少用|多用|多花|少花)了?(?:多少|几|百分之)"
)
COMPARED = {"比上年", "比预算"}
WEIGHT_ASKED = re.compile(r"分值|满分|权重|总分")
TOTAL_LABEL = re.compile(r"总计|合计")
TOTAL_COLUMN = re.compile(r"合计|小计|总计|总额|金额")
TOTAL_ASKED = re.compile(r"总计|合计|总共|一共|共计|总额|总和|加起来")
POINTS_ASKED = re.compile(r"分|评|打了|得了")  # a question about points: 得分, 几分, 自评, 打了多少


def is_weight(text: str, fact: Fact) -> bool:
    """A 分值: "预算执行情况(20分)" in parentheses, or a cell of a 分值/权重 column."""
    if fact.unit != "分" and not re.search(r"分值|权重|满分", fact.column):
        return False
    before, after = text[max(0, fact.start - 1) : fact.start], text[fact.end : fact.end + 1]
    # "(20分)", "(20分*执行率)": what the indicator can earn
    return bool(re.search(r"分值|权重|满分", fact.column)) or (bool(before) and before in "(（" and after in ")）*×")


def clause_of(text: str, fact: Fact) -> str:
    """The clause (between commas etc.) around a fact, from the document text."""
    left = max(
        (m.end() for m in CLAUSE_BREAK.finditer(text, fact.sentence_start, fact.start)), default=fact.sentence_start
    )
    right_match = CLAUSE_BREAK.search(text, fact.end, fact.sentence_end)
    return text[left : right_match.start() if right_match else fact.sentence_end]


@lru_cache(maxsize=1024)
def _compact(text: str) -> str:
    """Folded text without whitespace (each question's is made once, not once per candidate fact)."""
    return re.sub(r"\s+", "", fold(text))


def stated_in(question: str, fact: Fact) -> bool:
    """The question prints this figure itself, number and unit ("编制63人" for "63 人")."""
    printed = _compact(fact.display)
    if len(printed) < 2 or not any(ch.isdigit() for ch in printed):
        return False
    return holds_number(_compact(question), printed)  # the whole number: "202" is not stated by "2023年"


@dataclass(frozen=True)
class Cues:
    """What the question's own words say, read once per question rather than once per candidate."""

    adjusted: bool  # 剔除/扣除 asked: the figure after an adjustment
    funds: frozenset[str]  # the budget books it names (FUND)
    carried_over: bool  # 从上年结转过来: this year's 年初结转, not last year's figure
    directed: bool  # 下降了多少 without a base still asks a change
    total: bool  # 总计, 一共 …: a total row may answer
    points: bool  # 得分, 几分, 自评: a figure in 分 may answer
    weight: bool  # 分值, 权重: the points an indicator can earn may answer
    change: bool  # a direction or a comparison is asked
    level: str = ""  # 本级 (the government's own budget) or 全 (the whole area: 全市, 全旗 …), see level_of
    places: frozenset[str] = frozenset()  # the counties and districts it names (places_in: 太白县, 眉县)


def cues_of(intent: Intent) -> Cues:
    text, asked = intent.text, set(intent.qualifiers)
    return Cues(
        adjusted=ADJUSTED.search(text) is not None,
        funds=frozenset(funds_in(text)),
        carried_over=CARRIED_OVER.search(text) is not None,
        directed=bool({"增长", "下降"} & asked) and DIRECTION_ASKED.search(text) is not None,
        total=TOTAL_ASKED.search(text) is not None,
        points=POINTS_ASKED.search(text) is not None,
        weight=WEIGHT_ASKED.search(text) is not None,
        change=bool(asked & (DIRECTIONS | COMPARED)),
        level=level_of(text),
        places=frozenset(places_in(text)),
    )


# "眉县对总额80126.57万元的427个项目…", "宝鸡市太白县…": a county or district opening a clause or after its city
# (not 兄弟县市, 县区乡镇)
COUNTY_WORD = re.compile(r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[市州]))([\u4e00-\u9fff]{1,3}?[县区旗])(?![市县区乡镇])")
# 全县, 本区, 该县, 我县, 园区, 辖区 name no county
NOT_A_COUNTY = re.compile(r"^[全本各该我此其每城园辖社景年月度]")


def places_in(text: str) -> list[str]:
    """The counties and districts a text names by name (not 全县, 我县, 园区)."""
    text = YEAR_WORD.sub(" ", text)  # "2020年全县…": not a county called 年全县
    found = (m.group(1) for m in COUNTY_WORD.finditer(text))
    # "覆盖全县", "是我县": the word before 县 says "all of" or "this", not a name
    return [p for p in found if not NOT_A_COUNTY.match(p) and not NOT_A_COUNTY.match(p[-2])]


LEVEL_WORD = re.compile(r"本级|全[省市县区旗州盟]")


def _level(word: str) -> str:
    return "本级" if word == "本级" else "全"


def last_level(before: str) -> str:
    """The level the words before a figure name last ("全旗…(其中:一般公共预算收入290000万元": 全)."""
    found = LEVEL_WORD.findall(before)
    return _level(found[-1]) if found else ""


def level_of(text: str) -> str:
    """Which budget a question or a label names: 本级 (市本级, 旗本级: the government's own) or 全 (全市,
    全旗: every level of the area together), 本级 when it says both; "" when it says neither.
    决算/预算草案 reports print both."""
    found = LEVEL_WORD.findall(text)
    return "本级" if "本级" in found else _level(found[0]) if found else ""


@dataclass(frozen=True)
class Printed:
    """How a figure stands in its report, beyond the fact itself (see `standing_of`)."""

    clause: str  # folded clause around the figure
    sentence: str = ""  # folded sentence
    stage: str = ""  # the report's own stage (预算 for a 部门预算 report): a figure printed without one has it
    weight: bool = False  # a 分值 (the points an indicator can earn), not a score earned
    part: bool = False  # in an aside "(其中…)" naming a part of the figure before it
    fund: str = ""  # the budget book its sentence names before it (fund_of)
    places: frozenset[str] = frozenset()  # the counties its sentence names before it (places_in)
    adjusted: bool = False  # printed after 剔除…因素 (adjusted_figure)
    own_year: bool = False  # its year is the report's own
    level: str = ""  # 本级 or 全: the budget its label or, failing that, its sentence before it names (level_of)


def score_fact(
    intent: Intent,
    cues: Cues,
    fact: Fact,
    printed: Printed,
    rank: int,
    trace: list[tuple[str, float]] | None = None,
) -> float:
    """How well a fact answers the question; higher is better, see ANSWER_THRESHOLD.  Each rule
    that moves the score is named; `trace` (when given) receives (rule, points) in order
    (`ask --json`)."""
    clause, sentence, stage, weight = printed.clause, printed.sentence, printed.stage, printed.weight
    part, fund, adjusted, own_year = printed.part, printed.fund, printed.adjusted, printed.own_year
    score = 0.0

    def rule(name: str, points: float) -> None:
        nonlocal score
        score += points
        if trace is not None and points:
            trace.append((name, round(points, 3)))

    qualifiers = with_stage(fact.qualifiers, stage)
    row_label = fold(fact.label)
    label = row_label + (" " + fold(fact.column) if fact.column else "")
    item_points = 0.0
    for position, item in enumerate(intent.items[:3]):
        hit = label_matches(item, label)
        if hit:
            # The label names another, more specific item: 公务用车购置及运行费 does not answer 运行维护费.
            specific = -4.0 if outranked(item, row_label, hit) else 0.0
            item_points = max(item_points, 3.0 + 0.15 * min(hit, 6) - 0.7 * position + specific)
        elif label_matches(item, clause):
            item_points = max(item_points, 1.6 - 0.4 * position)
        elif item.units and unit_family(fact.unit) in {unit_family(u) for u in item.units} - COMMON_UNITS:
            item_points = max(item_points, 2.4 - 0.4 * position)  # 58批次 answers 几批, whatever its label (not any 名)
    rule("item_named", item_points)
    asked = label_matches(intent.items[0], label) if intent.items else 0
    if intent.items and (not asked or outranked(intent.items[0], row_label, asked)):
        named, hit = label_item(row_label, ignore=FUNDING)
        if named is not None and hit >= 3 and named not in intent.items:
            rule("other_item", -DISQUALIFIED)  # 公务用车购置及运行费 answers neither 公务用车购置费 nor 运行维护费
    if TOTAL_LABEL.search(row_label) and not cues.total:
        rule("total_not_asked", -1.0)  # 一般公共预算收入 asked: the 收入总计 adds transfers and balances to it
    if stated_in(intent.text, fact):
        rule("stated_in_question", -DISQUALIFIED)  # "编制63人，实际在职多少": what the question starts from
    if any(n in row_label for n in intent.negated):
        rule("negated", -DISQUALIFIED)  # 收入合计(不是收入总计): the 收入总计 row is what the question rules out
    elif any(n in clause for n in intent.negated):
        rule("negated_clause", -2.5)  # 9月7日拨给…多少(不是9月1日那笔): "9月1日拨…160万元" is the one ruled out
    if intent.excluded & bigrams(label):
        rule("excluded", -DISQUALIFIED)  # 除掉控违中心那台，公车还有几辆: not the 控违中心's figure
    if intent.bigrams:
        own = bigrams(label)
        shared = len(intent.bigrams & own)
        # how much of the question the label says, how much of the label the question says
        # (a short label such as 防汛 fully named counts half), and the clause around it
        rule("question_in_label", 1.2 * shared / len(intent.bigrams))
        if own == intent.bigrams:
            rule("label_is_asked", 0.5)  # "2018年度支出是多少": the row 支出, not 基本支出 beside it
        rule("label_in_question", 1.4 * (shared / len(own)) * min(1.0, len(own) / 2) if own else 0.0)
        rule("question_in_clause", 0.8 * len(intent.bigrams & bigrams(clause)) / len(intent.bigrams))
        # "…种粮大户按每亩40元发放稻谷生产补贴，共发放38万元": the sentence names what a bare 共发放 counts
        rule("question_in_sentence", 0.5 * len(intent.bigrams & bigrams(sentence)) / len(intent.bigrams))
    if cues.adjusted:
        # 剔除土地指标调剂因素后完成预算多少: the figure after 剔除, never the one before it
        rule("adjusted", 1.5 if adjusted else -DISQUALIFIED)
    elif adjusted:
        rule("adjusted_not_asked", -1.5)  # 完成年度预算多少: 94.5%, not the 101.3% 若剔除该项因素
    if fund and cues.funds and fund not in cues.funds:
        rule("other_fund", -2.0)  # 一般公共预算收入总计 asked: the 政府性基金 sentence's 收入总计 is another book's
    elif not fund and cues.funds and not cues.funds & set(funds_in(sentence)) and funds_in(sentence):
        # 国有资本经营预算收入 asked: "地方财政收入…335000万元(其中:一般公共预算收入…,政府性基金收入…)" sums other books
        rule("other_books", -2.0)
    if cues.level and printed.level and printed.level != cues.level:
        rule("other_level", -DISQUALIFIED)  # 市本级收入 is never the 全市 figure, nor 全旗收入 旗本级's
    if cues.places and printed.places and not cues.places & printed.places:
        rule("other_place", -2.5)  # 太白县 asked of a city's report: "眉县对…427个项目开展…" is another county's
    if _income_or_spending(intent.text, row_label):
        rule("income_or_spending", -1.5)  # 收入 asked, 支出 printed (or the reverse): another figure
    if intent.whole and len(bigrams(label) & intent.whole) > len(bigrams(label) & (intent.bigrams - intent.whole)):
        rule("whole_not_part", -4.0)  # 总编制中行政编有几个: 行政事业总编制249个 is the whole, not the part asked
    if fact.column and intent.bigrams:
        row = bigrams(row_label)
        named_row = bool(intent.items) and label_matches(intent.items[0], row_label) > 0  # 一共打了 → 总分
        if row and not intent.bigrams & row and not named_row:
            rule("column_only", -2.5)  # a table cell answers questions about its row, not about its column alone
    if intent.kind and unit_kind(fact.unit) != intent.kind:
        # 2台 never answers 购置费是多少; 办公经费比上年降了多少 may be answered in %
        rule("kind", -4.0 if intent.change and unit_kind(fact.unit) == RATE else -DISQUALIFIED)
    if not intent.items:  # words the lexicon does not know: 公卫 for 公共卫生, 环评 for 环境影响评价
        rule("short_form", 0.3 * min(short_form(intent.runs, label), 4))
    if intent.units:
        families = {unit_family(u) for u in intent.units}
        if unit_family(fact.unit) in families:
            rule("unit", 0.3 if families == {"个"} else 1.0)
        elif "人" in families and unit_family(fact.unit) == "人次":
            rule("unit", 0.5)  # 招待了多少人 is counted in 人次
        elif families == {"个"}:
            pass  # 多少个违法案子: 个 counts anything (156件)
        elif families & {"人", "台", "批", "亩", "分"} and unit_kind(fact.unit) == unit_kind(intent.units[0]):
            rule("unit", -DISQUALIFIED)  # 行政编制多少名 is never answered by 2个 (units of the counted thing)
        else:
            rule("unit", -1.5)
    staged = qualifiers if set(intent.qualifiers) & STAGED else fact.qualifiers
    rule("qualifiers", qualifier_fit(intent.qualifiers, staged))
    asks_change = cues.change
    previous_asked = (
        "上年" in intent.qualifiers
        and not asks_change
        and "上年" not in row_label
        and not cues.carried_over  # 从上年结转过来多少: this year's 年初结转, not last year's figure
    )
    if previous_asked and "上年" not in fact.qualifiers and own_year:
        rule("not_the_previous_year", -DISQUALIFIED)  # 上年公务接待费: the report's own year's figure is not it
    if "单价" in fact.qualifiers and "单价" not in intent.qualifiers:
        rule("unit_price", -3.0)  # 按每亩40元 is not what 补贴发了多少 asks
    if set(fact.qualifiers) & DIRECTIONS and not asks_change:
        # "公务接待费2.30万元，较上年减少1.5万元": 公务接待费多少 is not the change; "减少了“三公”
        # 经费342.74万元" without a base is likely one too, but "提高到95%" may be a level
        rule("change_not_asked", -DISQUALIFIED if set(fact.qualifiers) & COMPARED else -3.0)
    sub = fact.column.rsplit(" ", 1)[1] if " " in fact.column else ""  # a two-level header's lower cell
    if sub and not TOTAL_COLUMN.fullmatch(sub) and not bigrams(fold(sub)) & intent.bigrams:
        rule("subcolumn_not_asked", -1.0)  # 公务用车购置费决算数: the 合计 column, not 政府性基金's 0
    if part and fold(fact.label)[:2] not in intent.text:
        rule("part_not_asked", -1.0)  # 一共接待了多少批: 15批次, not the 外事接待0批次 inside it
    if fact.unit == "分" and not cues.points:
        rule("points_not_asked", -4.0)  # "新建省级中心村数量的年度指标值" asks for the target, not the points
    if weight and not cues.weight:
        rule("weight_not_asked", -DISQUALIFIED)  # "预算执行情况(20分)": the points it can earn, not the 得分
    years = asked_years(intent, fact)
    if years and fact.year not in years and intent.year_implied:
        rule("other_year", -2.0)  # the question named no year: a figure of another year is unlikely, not ruled out
    elif years and fact.year not in years:
        rule("other_year", -DISQUALIFIED)  # a figure of another year is not the answer
    if (
        intent.kind != RATE
        and "预算" in intent.text
        and set(intent.qualifiers) & BUDGET_STAGES
        and not set(qualifiers) & (PLANNED | (CHANGES if asks_change else set()))
    ):
        rule("spent_not_budget", -DISQUALIFIED)  # 调整后预算是多少 is never answered by a figure printed as spent
    spent = "决算" in intent.qualifiers and intent.kind != RATE and not asks_change
    if spent and set(qualifiers) & PLANNED and not {"决算", "实际"} & set(qualifiers):
        rule("budget_not_spent", -DISQUALIFIED)  # 实际支出了多少 is never answered by a figure printed as planned
    # "下降了多少" without a base asks a change too; "提高到多少", "2019到2020年…变化" ask levels
    if (intent.change or cues.directed) and not set(fact.qualifiers) & CHANGES:
        rule("not_a_change", -DISQUALIFIED)  # 比上年少花了多少 is never answered by the amount itself
    if intent.remaining and "比预算" not in fact.qualifiers and not re.search(r"结余|节约|剩余|结转", fact.label):
        rule("not_what_remained", -DISQUALIFIED)  # 预算还剩多少 is what was left of the budget, not the budget
    rule("passage_rank", 0.6 / (1 + rank))
    return score


def _income_or_spending(question: str, label: str) -> bool:
    """The question says one of 收入/支出 (in report words or everyday ones: 花了, 收上来) and not the
    other, the label only the other."""
    said = {side for side, words in ASKED_SIDE.items() if words.search(question)}
    return len(said) == 1 and any(a in said and b in label and a not in label for a, b in INCOME_SPENDING)


INCOME_SPENDING = (("收入", "支出"), ("支出", "收入"))
# "收支相抵" names both sides; "花了多少" asks spending, "收了多少" income
ASKED_SIDE = {
    "收入": re.compile(r"收入|收了|收上来|收到|征收|(?<!支)收(?!支)多少"),
    "支出": re.compile(r"支出|花了|花出去|花掉|花费|花多少|开支|开销"),
}


LISTED_LAST_YEAR = re.compile(r"上年[\u4e00-\u9fff]{0,4}等|加上")


def asked_years(intent: Intent, fact: Fact) -> tuple[str, ...]:
    """The years a figure may be of: the question's, and the year before each when the question asks
    the 上年 figure of its year's report and the figure is printed as 上年 (2020年…上年结余: the 2020
    report's balance from 2019, dated 2019).  Not when 上年 names one part of a list the question adds up
    (托底保障补助、…、上年结转等合计; 加上上级补助、上年结转等之后的总收入)."""
    listed = intent.total or "、" in intent.text or LISTED_LAST_YEAR.search(intent.text)
    if "上年" in intent.qualifiers and "上年" in fact.qualifiers and not listed:
        return (*intent.years, *(str(int(y) - 1) for y in intent.years))
    return intent.years


@lru_cache(maxsize=1 << 15)
def short_form(runs: tuple[str, ...], label: str) -> int:
    """The length of the longest piece of the question that the label spells out in full:
    its characters appear in order within a short stretch of the label, at most half of
    them together (公卫 in 基本公共卫生服务项目, 环评 in 环境影响评价, 社保 in 社会保障; not
    一般公共预算财政拨款支出 in …拨款基本支出, which is another item)."""
    best = 0
    for run in runs:
        for size in range(len(run), max(best, 1), -1):
            for i in range(len(run) - size + 1):
                piece = run[i : i + size]
                if _shared_run(piece, label) * 2 <= size and _spelled_out(piece, label):
                    best = size
                    break
            if best == size:
                break
    return best


def _shared_run(piece: str, label: str) -> int:
    """The longest run of piece's characters that the label holds as they are."""
    for size in range(len(piece), 0, -1):
        if any(piece[i : i + size] in label for i in range(len(piece) - size + 1)):
            return size
    return 0


def _spelled_out(piece: str, label: str) -> bool:
    """piece's characters in order in label, first to last within 3 characters per character."""
    start = label.find(piece[0])
    while start >= 0:
        pos, ok = start, True
        for ch in piece[1:]:
            pos = label.find(ch, pos + 1)
            if pos < 0 or pos - start >= 3 * len(piece):
                ok = False
                break
        if ok:
            return True
        start = label.find(piece[0], start + 1)
    return False


def granularity(fact: Fact) -> Decimal:
    """The rounding step of a printed figure in its normalised unit: 1,193.5千元 → 100元."""
    digits = re.search(r"[.．](\d+)", fold(fact.raw))
    step = Decimal(1).scaleb(-len(digits.group(1))) if digits else Decimal(1)
    return step * (fact.norm_value / fact.value if fact.value else Decimal(1))


BARE_SCALE = {"万": "元", "亿": "元"}  # "2.26万" beside "2.26万元": the 元 is left out, the amount is the same


def same_quantity(a: Fact, b: Fact) -> bool:
    """The same figure, perhaps printed at another precision (1,193,486.50元 in the text, 1,193.5千元 in a table),
    or with its 元 left out ("2.26万" beside "2.26万元")."""
    if BARE_SCALE.get(a.norm_unit, a.norm_unit) != BARE_SCALE.get(b.norm_unit, b.norm_unit):
        return False
    return abs(a.norm_value - b.norm_value) <= max(granularity(a), granularity(b)) / 2


def covers_parts(intent: Intent, fact: Fact, ctx: Context) -> bool:
    """A printed total answers "中央和省级补助合计" only when its words name every part; one
    part's figure (省级补助资金300,000.00元) is not the total."""
    if not intent.parts:
        return True
    said = bigrams(words_of(fact, ctx))
    return all(part & said for part in intent.parts)


def words_of(fact: Fact, ctx: Context) -> str:
    """What the report says about a figure: its label, column and clause, folded."""
    return fold(fact.label + " " + fact.column + " " + clause_of(ctx.data.docs[fact.doc_id].text, fact))


def _candidates(
    intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None
) -> tuple[Intent, list[tuple[Fact, int]]]:
    """Every fact of the passages and every fact naming the item, with its passage rank; and the
    intent as scoring reads it (a short form only where no label prints the words as they are)."""
    ranks = {hit.chunk.chunk_id: rank for rank, hit in enumerate(hits)}
    candidates = [(fact, rank) for chunk_id, rank in ranks.items() for fact in ctx.by_chunk.get(chunk_id, [])]
    if intent.items:
        # the passages of every figure naming the item; over thousands of reports, of the
        # reports the passages come from (the rest cannot be told apart by the question)
        many = len(ctx.data.docs if docs is None else docs) > FEW_REPORTS
        among = sorted({hit.chunk.doc_id for hit in hits}) if many else docs
        extra = dict.fromkeys(f.chunk_id for f in ctx.naming(intent.items[0], among) if f.chunk_id not in ranks)
        candidates += [(fact, len(hits)) for chunk_id in extra for fact in ctx.by_chunk.get(chunk_id, [])]
    if docs is not None and len(docs) == 1 and intent.bigrams:
        # the question names its report: a figure whose label shares the question's words is a candidate
        # even where retrieval missed its passage (a table row whose name and cells stand on two lines)
        seen = {id(f) for f, _ in candidates}
        candidates += [
            (f, len(hits))
            for f in ctx.by_doc.get(docs[0], [])
            if id(f) not in seen and intent.bigrams & label_bigrams(f.label)
        ]
    labels = [fold(fact.label) for fact, _ in candidates]
    intent = replace(intent, runs=tuple(r for r in intent.runs if not any(r in label for label in labels)))
    return intent, candidates


@lru_cache(maxsize=1 << 16)
def label_bigrams(label: str) -> frozenset[str]:
    """The bigrams of a folded label (a corpus repeats its labels; cached)."""
    return bigrams(fold(label))


def standing_of(fact: Fact, ctx: Context) -> tuple[Fact, Printed]:
    """The fact as scored (its label less the report's own names) and how it stands in its report."""
    doc = ctx.data.docs[fact.doc_id]
    sentence = fold(doc.text[fact.sentence_start : fact.sentence_end])
    label = unnamed_label(fact.label, ctx.facets[fact.doc_id].names)
    if label != fact.label:
        fact = replace(fact, label=label)
    before = sentence[: fact.start - fact.sentence_start]  # fold keeps length
    return fact, Printed(
        clause=fold(clause_of(doc.text, fact)),
        sentence=sentence,
        stage=stage_of(doc.title),
        weight=is_weight(doc.text, fact),
        part=in_aside_part(doc.text, fact),
        fund=fund_of(before + " " + fold(fact.column)),
        places=frozenset(places_in(before)),
        adjusted=adjusted_figure(before),
        own_year=fact.year is not None and fact.year == ctx.facets[fact.doc_id].year,
        level=level_of(fold(fact.label)) or last_level(before),
    )


def _score(
    intent: Intent, cues: Cues, fact: Fact, rank: int, ctx: Context, trace: list[tuple[str, float]] | None = None
) -> float:
    scored, printed = standing_of(fact, ctx)
    return score_fact(intent, cues, scored, printed, rank, trace)


CARRIED_OVER = re.compile(r"上年度?的?(?:结转|结余)")

# "若剔除该项因素,则完成年度预算101.3%", "扣除一次性因素后增长8%": a figure adjusted for a factor
ADJUSTED = re.compile(r"剔除|扣除")


def adjusted_figure(before: str) -> bool:
    """The figure is printed as adjusted: 剔除/扣除 stands before it in its sentence, at most one
    comma back (the figure after "剔除X因素后" or "若剔除X,则…"), not a sentence part earlier."""
    window = before[-48:]
    found = list(ADJUSTED.finditer(window))
    if not found:
        return False
    between = window[found[-1].end() :]
    return len(re.findall(r"[,，]", between)) <= 1 and not re.search(r"[；;。）)]", between)


# The four budget books; a figure belongs to the one its sentence names last before it
FUND = re.compile(r"一般公共(?:财政)?预算|政府性基金|国有资本经营|社会保险基金")


def funds_in(text: str) -> list[str]:
    """The budget books text names, in order; 一般公共财政预算 (the name before 2014) is 一般公共预算."""
    return [f.replace("财政", "") for f in FUND.findall(text)]


def fund_of(before: str) -> str:
    """The budget book named last in the text before a figure ("全镇政府性基金收入…收入总计0万元"), or ""."""
    found = funds_in(before)
    return found[-1] if found else ""


ASIDE_PART = re.compile(r"[（(]\s*其中[^（()）]{0,30}$")


def in_aside_part(text: str, fact: Fact) -> bool:
    """The figure stands in an aside naming a part of the figure before it: "共15批次(其中外事接待0批次)"."""
    return ASIDE_PART.search(fold(text[max(fact.sentence_start, fact.start - 32) : fact.start])) is not None


@lru_cache(maxsize=1 << 16)
def unnamed_label(label: str, names: tuple[str, ...]) -> str:
    """A label less the report's own names ("杜集区机关事务管理中心国内公务接待" → "国内公务接待"): the
    question's copy of them is taken out before scoring, so the label's must not count either."""
    out = label
    for name in names:
        if len(name) >= 3:
            out = out.replace(name, "")
    return out.strip() or label


def scored_facts(
    intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None
) -> list[tuple[float, Fact]]:
    """Every candidate fact scored, best first."""
    intent, candidates = _candidates(intent, hits, ctx, docs)
    cues = cues_of(intent)
    return sorted(
        ((_score(intent, cues, fact, rank, ctx), fact) for fact, rank in candidates), key=lambda pair: -pair[0]
    )


def explain(
    intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None, fact: Fact
) -> tuple[tuple[str, float], ...]:
    """The rules that scored this figure for this question, with their points, in order."""
    intent, candidates = _candidates(intent, hits, ctx, docs)
    rank = next((r for f, r in candidates if f is fact), len(hits))
    trace: list[tuple[str, float]] = []
    _score(intent, cues_of(intent), fact, rank, ctx, trace)
    return tuple(trace)


def with_stage(qualifiers: tuple[str, ...], stage: str) -> tuple[str, ...]:
    """A figure's qualifiers with the report's own stage (预算 for a 部门预算 report) added when it prints none."""
    return qualifiers if set(qualifiers) & STAGED or not stage else (*qualifiers, stage)
