"""Resolve a question to one printed figure, a computed one with its formula, or a decline.

The question (intent.py) names an item, a kind of figure, qualifiers and maybe a year or a
department.  The year and department pick the reports; every fact in the retrieved
passages, and every fact whose label names the item, is scored; the best one answers only
when its score clears a threshold set so that a wrong figure is rarer than a decline.  When
no printed figure answers but the report prints the parts, the answer is computed
(derive.py) and labelled so, with every input cited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from qa.answering.derive import (
    Derived,
    change_of,
    combine,
    last_year_of,
    qualifier_fit,
    remaining_of,
    share_of,
    sum_of,
    total_of,
)
from qa.answering.intent import Intent, bigrams, question_qualifiers, wording
from qa.answering.rank import TOP_CANDIDATES, Candidate, describe, ranker
from qa.domain.lexicon import (
    BUDGET_TOTAL,
    FUNDING,
    IDENTITIES,
    ITEM_BY_NAME,
    RATE,
    Item,
    label_item,
    label_matches,
    outranked,
    unit_family,
    unit_kind,
)
from qa.domain.numbers import SIGNS, fold, holds_number, normalise
from qa.domain.tokenize import words
from qa.index.chunktable import doc_id_of, ids_by_doc
from qa.index.factdb import FactTable
from qa.index.store import IndexData
from qa.ingest.facets import (
    ORG_NAME,
    PLACE,
    YEAR_WORD,
    Facets,
    blank_names,
    department_spans,
    facets_of,
    generic,
    stage_of,
    without_scope,
)
from qa.ingest.facts import CLAUSE_BREAK
from qa.records import SCORE_THRESHOLD, Answer, Chunk, Fact, Hit, Row, Source

# A question asking 哪里/谁/什么 with no word asking a quantity asks no figure ("河西务镇人民政府归
# 哪里管辖?", "因公出国(境)经费由谁统筹安排使用?"); "PM2.5平均浓度" (no question word) and "满意度
# 怎么样" (a kind of figure named) still may.
WORDS_ASKED = re.compile(r"哪里|哪儿|哪个|哪家|哪些|谁|什么|何时")
HOW_ASKED = re.compile(r"怎么|怎样|如何")  # words too, unless an item or a kind of figure is named
QUANTITY_ASKED = re.compile(r"多少|几|多大|多长|多深|多高|多重|多久|数额|数量|金额|数字|合计|总计|共计|是多|有多")
FEW_REPORTS = 50  # up to this many reports in scope, their facts are scanned; beyond, label indexes are used
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
MAX_RELATED = 4
NOT_FOUND = "报告中未找到该数字；以下是最接近的段落。"
# A word naming an organisation: 教育局, 卫健委, 财政厅, 人民医院 …
ORG_SUFFIXES = ("局", "委", "厅", "院", "中心")  # not 办: "办了多少笔" is a verb
YEAR_GLUE = re.compile(r"^(?:年度|年|度)+")
DEPARTMENT_WORD = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:局|委员会|委|办公室|厅|院|中心|政府|管委会)$")


class DocFacts:
    """ctx.by_doc: a report's facts, read from the index's FactTable when first asked for."""

    def __init__(self, table: FactTable) -> None:
        self.table = table

    def get(self, doc_id: str, default: list[Fact] | None = None) -> list[Fact]:
        return self.table.of_doc(doc_id) or (default if default is not None else [])

    def __getitem__(self, doc_id: str) -> list[Fact]:
        return self.table.of_doc(doc_id)


class ChunkFacts:
    """ctx.by_chunk: a chunk's facts, through its report's facts."""

    def __init__(self, table: FactTable, chunks: Sequence[Chunk]) -> None:
        self.table, self.chunks = table, chunks

    def get(self, chunk_id: int, default: list[Fact] | None = None) -> list[Fact]:
        found = (
            self.table.of_chunk(doc_id_of(self.chunks, chunk_id), chunk_id) if 0 <= chunk_id < len(self.chunks) else []
        )
        return found or (default if default is not None else [])


@dataclass
class Context:
    """An index prepared for answering: facts by chunk and by document (read on demand), facets."""

    data: IndexData
    by_chunk: ChunkFacts
    by_doc: DocFacts
    chunks_of: dict[str, set[int]] = field(default_factory=dict)
    facets: dict[str, Facets] = field(default_factory=dict)

    years: set[str | None] = field(default_factory=set)  # of all reports, for unscoped questions
    _labels_naming: dict[str, list[str]] = field(default_factory=dict)
    _name_chars: dict[str, set[str]] | None = None  # character → reports whose names hold it
    _name_bigrams: dict[str, set[str]] | None = None  # bigram → reports whose names hold it

    def named_by(self, question: str, orgs: Sequence[str]) -> set[str]:
        """The reports the question may name (a superset of those name_strength scores above 0):
        a name sharing a bigram with the question (珑原县…, 施甸), or holding every character of an
        organisation word it uses (卫健局 for 卫生健康局). Found in an index, not by trying every report."""
        if self._name_chars is None or self._name_bigrams is None:
            self._name_chars, self._name_bigrams = {}, {}
            for d, facets in self.facets.items():
                for name in facets.names:
                    for ch in name:
                        self._name_chars.setdefault(ch, set()).add(d)
                    for gram in bigrams(name):
                        self._name_bigrams.setdefault(gram, set()).add(d)
        found: set[str] = set()
        for gram in bigrams(question):
            found |= self._name_bigrams.get(gram, set())
        for word in orgs:
            holders = [self._name_chars.get(ch, set()) for ch in dict.fromkeys(word)]
            found |= set.intersection(*holders) if holders else set()
        return found

    def naming(self, item: Item, docs: Sequence[str] | None) -> list[Fact]:
        """Facts whose label names the item, in the given reports (all when None).

        A few reports: their facts are scanned.  Many (an unscoped question over thousands of
        reports): the distinct labels are matched once per item and the answer read from a
        label index, instead of matching every fact's label on every question.
        """
        if docs is not None and len(docs) <= FEW_REPORTS:
            return [f for d in docs for f in self.by_doc.get(d, []) if label_matches(item, fold(f.label))]
        if item.name not in self._labels_naming:
            labels = self.data.facts.labels()
            self._labels_naming[item.name] = [lb for lb in labels if label_matches(item, fold(lb))]
        wanted = set(docs) if docs is not None else None
        return [
            f
            for f in self.data.facts.with_labels(self._labels_naming[item.name])
            if wanted is None or f.doc_id in wanted
        ]

    @classmethod
    def of(cls, data: IndexData) -> Context:
        facets = data.facets if data.facets is not None else {d: facets_of(doc) for d, doc in data.docs.items()}
        ctx = cls(data, ChunkFacts(data.facts, data.chunks), DocFacts(data.facts), facets=facets)
        ctx.years = {f.year for f in ctx.facets.values()}
        ctx.chunks_of.update(ids_by_doc(data.chunks))
        return ctx


@dataclass(frozen=True)
class Filters:
    """A scope the user picked (CLI --dept/--year/--doc, the page's pickers); None = any."""

    department: str | None = None
    year: str | None = None
    doc: str | None = None

    def __bool__(self) -> bool:
        return any((self.department, self.year, self.doc))

    def describe(self) -> str:
        parts = [("部门", self.department), ("年份", self.year), ("文档", self.doc)]
        return "，".join(f"{name}：{value}" for name, value in parts if value)

    def admits(self, doc_id: str, ctx: Context) -> bool:
        facets, doc = ctx.facets[doc_id], ctx.data.docs[doc_id]
        if self.department and not any(
            self.department in name or _abbreviates(self.department, name) for name in facets.names
        ):
            return False
        if self.year and facets.year != self.year.removesuffix("年"):
            return False
        return not self.doc or doc.goes_by(self.doc)


@dataclass(frozen=True)
class Scope:
    """The reports a question is about: None = all; an empty tuple = none (with the reason)."""

    docs: tuple[str, ...] | None
    reason: str = ""


def _abbreviates(word: str, name: str) -> bool:
    """True when word's characters stand in name in order: 卫健局 ⊂ 卫生健康局, 市场监管局 ⊂ 市场监督管理局."""
    rest = iter(name)
    return all(ch in rest for ch in word)


def organisations(text: str) -> list[str]:
    """Organisation names in a question: jieba words like 教育局, or a lone 局/委 with the two words before it."""
    tokens = words(text)
    found = []
    for i, token in enumerate(tokens):
        if DEPARTMENT_WORD.match(token):
            found.append(token)
        elif token in ORG_SUFFIXES and i > 0:
            found.append("".join(t for t in tokens[max(0, i - 2) : i + 1] if not t.isdigit()))
    # "涓峰市应急管理局" that jieba cuts into 涓峰市 / 应急 / 管理局: the name after the place
    for match in ORG_NAME.finditer(text):
        name = re.split(r"[省市县区]", match.group(0))[-1]
        if len(name) <= 8 and re.search(r"(?:局|委员会|委|办公室|厅)$", name):
            found.append(name)
    # jieba may glue the 年 of "2017年" to the name that follows ("年翠泽县自然资源局")
    names = dict.fromkeys(w for w in (YEAR_GLUE.sub("", w) for w in found) if len(w) >= 2)
    return sorted(names, key=len, reverse=True)  # the fullest name first: 应急管理局 before 管理局


LEVEL_NAME = re.compile(r"^([\u4e00-\u9fff]{2,3}?)([省市县区旗])([\u4e00-\u9fff]{2,})$")


def mentions(text: str, org: str) -> bool:
    """The report's text names the organisation: as asked, or, for 保山市交通运输局, as its own
    level's 市交通运输局 in a text that names 保山市 too (a report names its place once)."""
    if org in text:
        return True
    split = LEVEL_NAME.match(org)
    if split is None:
        return False
    place, level, name = split.groups()
    return level + name in text and place + level in text


PLACE_STEM = re.compile(r"^(?:中共)?([\u4e00-\u9fff]{2})[县市区旗]")  # 中共寻甸县委统战部: 寻甸


def name_strength(question: str, orgs: Sequence[str], department: str) -> int:
    """How much of a report's department name the question gives: characters of the name it
    holds in runs of 3+ (珑原县, 自然资源局), plus the longest short form it uses (县卫健局)."""
    # a piece that names a place (枞阳县…, 茗塘区医疗保障局) counts in full, any other (镇卫生院 of
    # 稷山县翟店镇卫生院 in "乡镇卫生院") at half: shared words are not a name
    spans = department_spans(question, department)
    literal = sum(len(p) if PLACE.search(p) else len(p) // 2 for p in spans)
    stem = PLACE_STEM.match(department)
    if stem and stem.group(1) in question and not any(stem.group(1) in p for p in spans):
        # "施甸新型农业…" for 施甸县农业农村局: a place said without its 县 names every report of
        # that place alike (合肥图书馆: 合肥市图书馆 and 合肥市纪委监委); the rest of the name decides
        literal += len(stem.group(1))
    # a short form's characters a literal piece already counted count once (北京市委 for 北京市卫生健康委员会
    # is 北京市 and one more character, not seven: 中国民主建国会北京市委员会 prints 北京市委 whole)
    short = max(
        (
            len(w) - max((len(p) for p in spans if p in w), default=0)
            for w in orgs
            if w not in department and _abbreviates(w, department)
        ),
        default=0,
    )
    # "巢湖法院" for 巢湖市人民法院: the organisation word with the characters before it
    spelled = max(
        (len(w) for w in name_runs(question, orgs) if w[0] == department[:1] and _abbreviates(w, department)),
        default=0,
    )
    return literal + max(short, spelled if spelled > max(map(len, orgs), default=0) else 0)


def name_runs(question: str, orgs: Sequence[str], most: int = 6) -> list[str]:
    """Each organisation word of the question with up to `most` Chinese characters before it."""
    runs = []
    for word in orgs:
        at = question.find(word)
        if at < 0:
            continue
        head = re.search(rf"[\u4e00-\u9fff]{{0,{most}}}$", question[:at])
        for size in range(len(head.group(0)) if head else 0, 0, -1):
            runs.append(question[at - size : at] + word)
    return runs


OPENING_CHARS = 3000
WEAK_NAME = 3  # _strength of one shared 3-character piece that is not a place (half counted, plus the tie-break)
STRONG_OPENING = 5  # this many opening characters of the question printed in a report's text
QUESTION_OPENING = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?)?([\u4e00-\u9fff]{3,12})")


def opening_in(question: str, text: str) -> int:
    """How many of the question's opening characters (where an auditor names the report: 金罗镇中心校…)
    the report's text holds as they are; 0 under three."""
    opening = QUESTION_OPENING.match(question)
    if not opening:
        return 0
    run = opening.group(1)
    return next((size for size in range(len(run), 2, -1) if run[:size] in text), 0)


def strong_opening(question: str, size: int) -> bool:
    """The question's first `size` characters, printed in a report, name it: a place (金罗镇) or 5+."""
    opening = QUESTION_OPENING.match(question)
    run = opening.group(1)[:size] if opening and size >= 3 else ""
    return len(run) >= STRONG_OPENING or bool(PLACE.search(run))


def _strength(question: str, orgs: Sequence[str], names: Sequence[str], seen: dict[str, int]) -> int:
    """How well the question names a report by any of its names, the first (its department) breaking ties.
    `seen` keeps each name's strength for this question: the years of one department share their names."""
    for n in names:
        if n not in seen:
            seen[n] = name_strength(question, orgs, n)
    return max((2 * seen[n] + (i == 0) for i, n in enumerate(names)), default=0)


PLACE_TOKEN = re.compile(r"([\u4e00-\u9fff]{2})([县市区旗])(?=[\u4e00-\u9fff])")


def look_alike_place(asked: Sequence[tuple[str, str]], names: Sequence[str]) -> bool:
    """True when the question names a place (璃岗县) that the report's names do not hold, and they
    hold one a single character apart with the same suffix (澧岗县): another county, never this one."""
    for stem, suffix in asked:
        if any(stem + suffix in name for name in names):
            continue
        for name in names:
            for other, other_suffix in PLACE_TOKEN.findall(name):
                if other_suffix == suffix and sum(a != b for a, b in zip(stem, other, strict=True)) == 1:
                    return True
    return False


# A county or district opening a name or following its city ("宣城市宣州区直属机关…"): not 全县, 目全县
COUNTY = re.compile(r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[省市州]))[\u4e00-\u9fff]{2}[县区旗]")


def counties_in(question: str) -> list[str]:
    """The counties and districts a question names, where its words say for certain that they are places."""
    return [m.group(0) for m in COUNTY.finditer(YEAR_WORD.sub(" ", question)) if not generic(m.group(0))]


def place_not_printed(counties: Sequence[str], names: Sequence[str], text: str) -> bool:
    """True when the question names a county or district (宣州区) that neither the report's names nor
    its text print."""
    # names first (folded, and they usually hold it); then the opening as printed, where a report names
    # its own place (bounded work per report; a county the body mentions in passing is not its place)
    return any(not any(c in n for n in names) and c not in text[:OPENING_CHARS] for c in counties)


def _next_year(year: str) -> str:
    return str(int(year) + 1)


def scope_of(intent: Intent, ctx: Context, filters: Filters | None = None) -> Scope:
    """Reports picked by the department and the year the question names.

    The department first (its name, or 3+ consecutive characters of it); an organisation
    word in the question (教育局) that no report of that place names rules the question out.
    Then the year: reports of that year, else reports that give figures for that year
    (a 2020 report prints its 2019 figures as 上年).
    """
    docs = list(ctx.data.docs)
    if filters:
        docs = [d for d in docs if filters.admits(d, ctx)]
        if not docs:
            return Scope((), f"没有符合所选范围（{filters.describe()}）的报告")
    orgs = organisations(intent.text)
    # Any name a report goes by counts; its own department wins a tie with a name it only mentions.
    named = ctx.named_by(intent.text, orgs)  # every other report scores its tie-break alone (1, or 0 unnamed)
    # 宣州区直工委 is not 宣城市直工委: a county or district asked that a report never prints is not its place
    counties = counties_in(intent.text)
    if counties:
        named = {d for d in named if not place_not_printed(counties, ctx.facets[d].names, ctx.data.docs[d].text)}
    seen: dict[str, int] = {}
    strength = {
        d: _strength(intent.text, orgs, ctx.facets[d].names, seen) if d in named else int(bool(ctx.facets[d].names))
        for d in docs
    }
    if max(strength.values(), default=0) <= WEAK_NAME:
        # no report's name given, or only a fragment of one (镇中心 of 天星镇中心卫生院 for 金罗镇中心校):
        # the question's opening words printed in a report's text name it better
        opening = {d: opening_in(intent.text, ctx.data.docs[d].text[:OPENING_CHARS]) for d in docs}
        if max(strength.values(), default=0) <= 1 or strong_opening(intent.text, max(opening.values(), default=0)):
            strength = opening
    if intent.years:
        # 朝阳区财政局2022年: its 2022 决算 (北京市朝阳区财政局) over a 2021 report printing 朝阳区财政局 itself
        # (the place and organisation asked must be its own: 苍庄县水利局2017年 is the 2018 report's 上年,
        # not 住建局's 2017 report; 涓峰市应急管理局 is not 翠洲县应急管理局)
        # — and so must the longest piece of the best report's name the question prints: 南漳招商服务中心2020
        # is no 2020 report that merely shares 服务中心
        places = ["".join(p) for p in PLACE_TOKEN.findall(intent.text)]
        top = max(strength, key=lambda d: strength[d], default=None)
        pieces = [department_spans(intent.text, n) for n in (ctx.facets[top].names if top else ())]
        longest = max((ps[0] for ps in pieces if ps), key=len, default="")

        def of_year(d: str) -> bool:
            names = ctx.facets[d].names
            return (
                ctx.facets[d].year in intent.years
                and all(any(_abbreviates(w, n) for n in names) for w in orgs)
                and all(any(p in n for n in names) for p in places)
                and any(longest in n for n in names)
            )

        in_year = [v for d, v in strength.items() if v > WEAK_NAME and of_year(d)]
        if in_year and max(in_year) < max(strength.values()):
            strength = {d: v if of_year(d) else 0 for d, v in strength.items()}
    best = max(strength.values(), default=0)
    if best > 0:  # 珑原县自然资源局 picks that county's reports, not every 自然资源局
        docs = [d for d in docs if strength[d] == best]
        asked_places = PLACE_TOKEN.findall(intent.text)
        kept = [d for d in docs if not look_alike_place(asked_places, ctx.facets[d].names)]
        if not kept:
            place = "".join(asked_places[0])
            return Scope((), f"没有关于“{place}”的报告（只有名字相近的地方）")
        docs = [d for d in kept if not place_not_printed(counties, ctx.facets[d].names, ctx.data.docs[d].text)]
        if not docs:
            return Scope((), f"没有关于“{'、'.join(counties)}”的报告")
    for word in orgs:
        if not any(
            any(_abbreviates(word, n) for n in ctx.facets[d].names) or mentions(ctx.data.docs[d].text, word)
            for d in docs
        ):
            return Scope((), f"没有关于“{word}”的报告")
    if intent.years:
        by_year = [d for d in docs if ctx.facets[d].year in intent.years]
        if not by_year:
            dated = ctx.data.facts.docs_where(years=intent.years)
            by_year = [d for d in docs if d in dated]
        if not by_year:  # next year's report, which compares with this year (比上年)
            by_year = [
                d
                for d in docs
                if any(_next_year(y) == ctx.facets[d].year for y in intent.years)
                and d in ctx.data.facts.docs_where(qualifier="比上年")
            ]
        if not by_year:
            return Scope((), f"没有{'、'.join(intent.years)}年的报告")
        docs = by_year
    return Scope(tuple(docs) if len(docs) < len(ctx.data.docs) else None)


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


def cues_of(intent: Intent) -> Cues:
    text, asked = intent.text, set(intent.qualifiers)
    return Cues(
        adjusted=ADJUSTED.search(text) is not None,
        funds=frozenset(f.replace("财政", "") for f in FUND.findall(text)),
        carried_over=CARRIED_OVER.search(text) is not None,
        directed=bool({"增长", "下降"} & asked) and DIRECTION_ASKED.search(text) is not None,
        total=TOTAL_ASKED.search(text) is not None,
        points=POINTS_ASKED.search(text) is not None,
        weight=WEIGHT_ASKED.search(text) is not None,
        change=bool(asked & (DIRECTIONS | COMPARED)),
        level=level_of(text),
    )


OWN_LEVEL = re.compile(r"本级")
WHOLE_AREA = re.compile(r"全[省市县区旗州盟]")
LEVEL_WORD = re.compile(r"本级|全[省市县区旗州盟]")


def last_level(before: str) -> str:
    """The level the words before a figure name last ("全旗…(其中:一般公共预算收入290000万元": 全)."""
    found = LEVEL_WORD.findall(before)
    return "本级" if found and found[-1] == "本级" else "全" if found else ""


def level_of(text: str) -> str:
    """Which budget a question or a label names: 本级 (市本级, 旗本级: the government's own) or 全 (全市,
    全旗: every level of the area together); "" when it says neither.  决算/预算草案 reports print both."""
    if OWN_LEVEL.search(text):
        return "本级"
    return "全" if WHOLE_AREA.search(text) else ""


@dataclass(frozen=True)
class Printed:
    """How a figure stands in its report, beyond the fact itself (see `standing_of`)."""

    clause: str  # folded clause around the figure
    sentence: str = ""  # folded sentence
    stage: str = ""  # the report's own stage (预算 for a 部门预算 report): a figure printed without one has it
    weight: bool = False  # a 分值 (the points an indicator can earn), not a score earned
    part: bool = False  # in an aside "(其中…)" naming a part of the figure before it
    fund: str = ""  # the budget book its sentence names before it (fund_of)
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
    if cues.level and printed.level and printed.level != cues.level:
        rule("other_level", -DISQUALIFIED)  # 市本级收入 is never the 全市 figure, nor 全旗收入 旗本级's
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
    if intent.years and fact.year not in intent.years and intent.year_implied:
        rule("other_year", -2.0)  # the question named no year: a figure of another year is unlikely, not ruled out
    elif intent.years and fact.year not in intent.years:
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
    """The question says one of 收入/支出 and not the other, the label only the other."""
    return any(a in question and b not in question and b in label and a not in label for a, b in INCOME_SPENDING)


INCOME_SPENDING = (("收入", "支出"), ("支出", "收入"))


def short_form(runs: Sequence[str], label: str) -> int:
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


def source_of(data: IndexData, fact: Fact) -> Source:
    """The citation of a printed figure, with its column header and qualifiers."""
    at = source_at(data, fact.doc_id, fact.section, fact.start, fact.end, fact.sentence_start, fact.sentence_end)
    return replace(at, column=fact.column, qualifiers=fact.qualifiers)


def source_at(
    data: IndexData, doc_id: str, section: str, start: int, end: int, sentence_start: int, sentence_end: int
) -> Source:
    """The citation of text[start:end] in its sentence (a figure, or a text answer's clause)."""
    doc = data.docs[doc_id]
    return Source(
        doc_id=doc.doc_id,
        title=doc.title,
        path=doc.path,
        section=section,
        text=doc.text[sentence_start:sentence_end],
        start=start,
        end=end,
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        page=doc.page_at(start),
    )


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


def fund_of(before: str) -> str:
    """The budget book named last in the text before a figure ("全镇政府性基金收入…收入总计0万元"), or ""."""
    found = FUND.findall(before)
    return found[-1].replace("财政", "") if found else ""  # 一般公共财政预算 is 一般公共预算's older name


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


def printed_candidates(
    intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None
) -> list[Candidate]:
    """The top candidate facts with the features the ranker reads (rank.describe)."""
    scored = scored_facts(intent, hits, ctx, docs)
    hand = hand_choice(intent, scored, ctx)
    accepted = hand[1] if hand is not None and hand[0] >= ANSWER_THRESHOLD else None
    words = {}
    for _, fact in scored[:TOP_CANDIDATES]:
        text = ctx.data.docs[fact.doc_id].text
        words[id(fact)] = (fold(clause_of(text, fact)), fold(text[fact.sentence_start : fact.sentence_end]))
    return describe(intent, scored, hits, words, same_quantity, accepted)


def candidates_for(intent: Intent, hits: Sequence[Hit], ctx: Context, scope: Scope) -> list[Candidate]:
    """What resolve weighs for a question, for fitting the ranker (none when the scope rules it out)."""
    if scope.docs == ():
        return []
    return printed_candidates(in_scope(intent, ctx, scope), hits, ctx, scope.docs)


def best_printed(
    intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None
) -> tuple[float, Fact] | None:
    """The best-scoring printed fact among the passages and the facts naming the item."""
    return hand_choice(intent, scored_facts(intent, hits, ctx, docs), ctx)


def hand_choice(intent: Intent, scored: Sequence[tuple[float, Fact]], ctx: Context) -> tuple[float, Fact] | None:
    """The hand-written rules' pick among scored facts, its score lowered below the threshold
    when two different figures fit alike (the margin rule) and raised for a clear winner."""
    if not scored:
        return None
    best = scored[0]
    rival = next((p for p in scored[1:] if not same_quantity(p[1], best[1])), None)
    margin = best[0] - rival[0] if rival is not None else float("inf")
    if (
        margin >= CLEAR_MARGIN
        and best[0] >= CLEAR_THRESHOLD
        and unnamed(intent, best[1])
        and on_topic(intent, best[1], ctx)
    ):
        return (max(best[0], ANSWER_THRESHOLD), best[1])  # no lexicon item, but one figure stands far above the rest
    if margin < MARGIN:
        return (min(best[0], ANSWER_THRESHOLD - 0.01), best[1])  # two different figures fit alike: decline
    return best


def unnamed(intent: Intent, fact: Fact) -> bool:
    """Neither the question nor the figure's label is about a lexicon item (执法装备采购 is not
    政府采购 just because it says 采购): the clear-winner rule may answer."""
    label = fold(fact.label)
    return not intent.items or (not label_matches(intent.items[0], label) and label_item(label)[0] is None)


def on_topic(intent: Intent, fact: Fact, ctx: Context) -> bool:
    """The fact's label or clause shares a word (bigram) with what the question asks, or its
    unit is the uncommon one asked for (几拨客人 → 65批)."""
    if intent.units and fact.unit not in COMMON_UNITS:
        if unit_family(fact.unit) in {unit_family(u) for u in intent.units}:
            return True
    said = words_of(fact, ctx)
    return bool(intent.bigrams & bigrams(said)) or short_form(intent.runs, said) >= 2


def derive(intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None) -> Derived | None:
    """A computed answer from one report, when the question asks for one and its parts are printed."""
    doc_ids = list(docs) if docs is not None else [h.chunk.doc_id for h in hits[:1]]
    if len(doc_ids) != 1:
        return None
    if intent.versus is not None:
        return difference_of(intent, hits, ctx, docs)
    planned = against_plan(intent, hits, ctx, docs)
    if planned is not None:
        return planned
    if intent.parts and len(intent.added) < 2:
        summed = sum_of_parts(intent, hits, ctx, docs)
        if summed is not None:
            return summed
    every = staged(ctx.by_doc.get(doc_ids[0], []), stage_of(ctx.data.docs[doc_ids[0]].title))
    facts = [f for f in every if not intent.years or f.year in intent.years]
    plain = tuple(q for q in intent.qualifiers if q not in ("比上年", "增长", "下降", "占比", "执行率"))
    year = intent.years[0] if intent.years else ctx.facets[doc_ids[0]].year
    report_year = ctx.facets[doc_ids[0]].year
    if intent.share:
        return share_of(intent.share[0], intent.share[1], facts, plain)
    if intent.items and intent.change and year:
        falling = "下降" in intent.qualifiers and intent.kind != "rate"
        return change_of(intent.items[0], every, year, percent=intent.kind == "rate", falling=falling)
    if intent.items and year and report_year and int(year) == int(report_year) - 1 and not plain:
        derived = last_year_of(intent.items[0], every, report_year)  # a 2020 report's 2019 figure
        if derived is not None:
            return derived
    if intent.items and intent.remaining:
        budget = "调整后预算" if "调整后预算" in intent.qualifiers else "预算"
        return remaining_of(intent.items[0], facts, budget)
    if intent.total and len(intent.added) >= 2:
        return sum_of(intent.added, facts, plain)
    totals = dict(IDENTITIES)
    for item in intent.items[:1]:
        if item.name in totals:
            return total_of(item.name, facts, plain)
    return None


def with_stage(qualifiers: tuple[str, ...], stage: str) -> tuple[str, ...]:
    """A figure's qualifiers with the report's own stage (预算 for a 部门预算 report) added when it prints none."""
    return qualifiers if set(qualifiers) & STAGED or not stage else (*qualifiers, stage)


def staged(facts: Sequence[Fact], stage: str) -> list[Fact]:
    """The facts with the report's stage added where they print none (a 部门预算 table's cells are 预算):
    a computed 决算 is never added up from a budget report's figures."""
    if not stage:
        return list(facts)
    return [f if (q := with_stage(f.qualifiers, stage)) == f.qualifiers else replace(f, qualifiers=q) for f in facts]


PLAN_BASE = re.compile(r"[比较](?:年度)?(?:目标|计划)")
# Words that name a stage, not a thing: "实际完成送戏下乡演出" and "完成送戏下乡演出" are one thing
STAGE_WORDS = re.compile(r"实际|计划|目标|年初|调整后|预算数?|决算数?|执行数|全年|部门|我局|本局")


def against_plan(intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None) -> Derived | None:
    """ "实际演出比目标多了几场", "调整后预算比年初预算增加了多少", "…支出比年初预算多了多少": the
    asked stage less the planned one, for one thing printed at both stages (same label, sentence
    or table row), each figure found with the same confidence as a printed answer."""
    if not (intent.change and "比预算" in intent.qualifiers) or intent.kind == RATE:
        return None
    base = "目标" if PLAN_BASE.search(intent.text) else "预算"
    stage = "调整后预算" if "调整后预算" in intent.qualifiers else "决算"
    plain = replace(intent, change=False, qualifiers=())
    if budget_in_all(plain):
        plain = replace(plain, items=(BUDGET_TOTAL,))
    now = best_printed(replace(plain, qualifiers=(stage,)), hits, ctx, docs)
    then = best_printed(replace(plain, qualifiers=(base,)), hits, ctx, docs)
    if now is None or then is None or min(now[0], then[0]) < ANSWER_THRESHOLD:
        return None
    a, b = now[1], then[1]
    if same_quantity(a, b) or unit_kind(a.unit) != unit_kind(b.unit) or a.doc_id != b.doc_id:
        return None
    if STAGE_WORDS.sub("", a.label) != STAGE_WORDS.sub("", b.label) and a.sentence_start != b.sentence_start:
        return None  # two figures about different things
    named = [(f, " ".join(x for x in (f.label, f.column) if x)) for f in (a, b)]
    (a, la), (b, lb) = named
    terms = [(1, b, lb), (-1, a, la)] if "下降" in intent.qualifiers else [(1, a, la), (-1, b, lb)]
    return combine(f"{stage}与{base}之差", terms)


def difference_of(intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None) -> Derived | None:
    """ "项目支出比基本支出多多少": each item's printed figure, found as confidently as a printed
    answer, in one report and of one kind; their difference. None (a decline) otherwise: either
    figure alone would be a wrong answer."""
    assert intent.versus is not None
    a_item, b_item, sign = intent.versus
    if not sign:
        return None
    found = []
    for item in (a_item, b_item):
        sub = replace(intent, items=(item,), bigrams=bigrams(item.name), versus=None, parts=(), total=False, runs=())
        best = best_printed(sub, hits, ctx, docs)
        if best is None or best[0] < ANSWER_THRESHOLD or not label_matches(item, fold(best[1].label)):
            return None
        found.append(best[1])
    a, b = found
    if a.doc_id != b.doc_id or unit_kind(a.unit) != unit_kind(b.unit) or same_quantity(a, b):
        return None
    terms = [(1, a, a_item.name), (-1, b, b_item.name)] if sign > 0 else [(1, b, b_item.name), (-1, a, a_item.name)]
    return combine(f"{a_item.name}与{b_item.name}之差", terms)


def sum_of_parts(intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None) -> Derived | None:
    """ "中央和省级补助合计多少": each part answered on its own words, as confidently as a
    printed answer, then added up."""
    chosen: list[Fact] = []
    for part in intent.parts:
        sub = replace(intent, bigrams=part, parts=(), total=False, runs=(), items=())
        best = best_printed(sub, hits, ctx, docs)
        if best is None or best[0] < ANSWER_THRESHOLD or not part & bigrams(fold(best[1].label)):
            return None
        chosen.append(best[1])
    if len({id(f) for f in chosen}) < len(chosen) or len({f.doc_id for f in chosen}) != 1:
        return None
    return combine("合计", [(1, f, f.label) for f in chosen])


def spending_in_all(intent: Intent) -> bool:
    """ "(园区2018年)一共花了多少钱" with nothing else named asks for the whole department's spending."""
    spending = re.search(r"花|支出|开支|开销", intent.text)
    return not intent.items and intent.kind == "money" and intent.total and bool(spending) and len(intent.bigrams) <= 2


BUDGET_CHARS = set("年初中预算安排追加以后之调整全部门总数额计划打算本来原")


def budget_in_all(intent: Intent) -> bool:
    """ "(白沙区农业农村局2020年)年初安排了多少预算", "年中追加以后预算一共是多少": the whole budget."""
    if intent.items or intent.kind != "money" or "预算" not in intent.text or intent.change or intent.remaining:
        return False
    return all(set(b) <= BUDGET_CHARS for b in intent.bigrams)


def without_names(question: str, ctx: Context, docs: Sequence[str]) -> str:
    """The question less the names of the reports in scope: their department in full, in pieces
    (白沙区) or short (卫健局), the title's subject (送戏下乡) and its projects (营养改善计划)."""
    text = question
    for word in organisations(question):
        if any(_abbreviates(word, n) for d in docs for n in ctx.facets[d].names):
            text = text.replace(word, " ", 1)
    names = [n for d in docs for n in (*ctx.facets[d].names, *ctx.facets[d].subject.split(), *ctx.facets[d].projects)]
    text = without_scope(text, names)
    for name in names:  # "云岭" left of a removed 县卫健局
        for piece in {name[i : i + 2] for i in range(len(name) - 1)}:
            text = re.sub(rf"{re.escape(piece)}(?=\s)", " ", text)
    return text


def with_report_year(intent: Intent, ctx: Context, scope: Scope) -> Intent:
    """A question that names no year asks about the year of the reports in scope, when they share one.

    "公务接待费多少" over a 2019 report means 2019's figure, not the 2018 one it prints for
    comparison; a question about last year (上年) keeps its own reading.
    """
    if intent.years or {"上年", "比上年"} & set(intent.qualifiers):
        return intent
    years = {ctx.facets[d].year for d in scope.docs} if scope.docs is not None else ctx.years
    if len(years) != 1 or None in years:
        return intent
    return replace(intent, years=tuple(y for y in years if y), year_implied=True)


def in_scope(intent: Intent, ctx: Context, scope: Scope) -> Intent:
    """The question read against its reports: their names say nothing about the item, a
    question naming no year asks about theirs, and one naming no item may ask for the whole."""
    if scope.docs:
        said = wording(without_names(intent.text, ctx, scope.docs))
        # 营养改善计划 names the project, it does not ask for a 计划 (target) figure
        projects = [p for d in scope.docs for p in ctx.facets[d].projects]
        kept = set(question_qualifiers(blank_names(intent.text, projects), intent.kind))
        qualifiers = tuple(q for q in intent.qualifiers if q in kept)
        intent = replace(
            intent, bigrams=said.said, parts=said.parts, runs=said.runs, whole=said.whole, qualifiers=qualifiers
        )
    intent = with_report_year(intent, ctx, scope)
    if spending_in_all(intent):
        return replace(intent, items=(ITEM_BY_NAME["部门整体支出"],))
    if budget_in_all(intent):
        return replace(intent, items=(BUDGET_TOTAL,))
    return intent


def out_of_scope(question: str, hits: Sequence[Hit], scope: Scope) -> Answer:
    """The decline for a question about reports the index does not hold, with the reason."""
    return Answer.declined(question, hits, f"报告中未找到：{scope.reason}。")


def resolve(intent: Intent, hits: Sequence[Hit], ctx: Context, scope: Scope, explained: bool = False) -> Answer:
    """The answer for a question given its scope and retrieved passages; `explained` adds the
    scoring rules of a printed figure (Answer.scoring)."""
    question = intent.text
    if scope.docs == ():
        return out_of_scope(question, hits, scope)
    intent = in_scope(intent, ctx, scope)
    plain_how = intent.kind is None and not intent.items and HOW_ASKED.search(intent.text)
    if (WORDS_ASKED.search(intent.text) or plain_how) and not QUANTITY_ASKED.search(intent.text):
        return Answer.declined(question, hits, NOT_FOUND)  # "归哪里管辖?", "由谁统筹": words, not a figure
    model = ranker()
    if model is None:
        best = best_printed(intent, hits, ctx, scope.docs)
    else:  # the fitted ranker vetoes unlikely figures and may take one the hand rules decline
        candidates = printed_candidates(intent, hits, ctx, scope.docs)
        chosen = model.decide(candidates)
        best = (ANSWER_THRESHOLD, chosen.fact) if chosen is not None else None
        if chosen is None and candidates:
            best = (ANSWER_THRESHOLD - 0.01, candidates[0].fact)  # declined: derivation may still answer
    names_item = best is not None and bool(intent.items) and label_matches(intent.items[0], fold(best[1].label)) > 0
    names_item = names_item and not (intent.total and len(intent.added) >= 2)
    printed_ok = (
        best is not None
        and best[0] >= ANSWER_THRESHOLD
        and not (intent.share and best[1].unit != "%")
        and covers_parts(intent, best[1], ctx)
    )
    # a share the report prints itself ("占“三公”经费的100.0%") is its answer; computing one is the fallback
    printed_share = (
        intent.share is not None
        and printed_ok
        and best is not None
        and best[1].unit == "%"
        and label_matches(intent.share[0], fold(best[1].label)) > 0  # the part's own share, not "占整体支出的"
    )
    if (not (printed_ok and names_item) or intent.share) and not printed_share or intent.versus is not None:
        derived = derive(intent, hits, ctx, scope.docs)
        if derived is not None and intent.kind and unit_kind(derived.unit) != intent.kind:
            derived = None  # 绩效评价总得分 is never a sum of money (部门整体支出 = 基本 + 项目)
        printed = printed_as(derived, intent, hits, ctx, scope.docs) if derived is not None else None
        if printed is not None:
            best, printed_ok, derived = (ANSWER_THRESHOLD, printed), True, None
        if derived is not None:
            sources = tuple(source_of(ctx.data, f) for f in derived.inputs)
            return Answer(
                question=question,
                found=True,
                answer=derived.answer,
                value=derived.value,
                unit=derived.unit,
                sources=sources,
                passages=tuple(hits),
                derived=derived.formula,
                message="计算所得（非报告原文数字）",
            )
    if best is None or not printed_ok or intent.versus is not None:  # a difference is never one of its terms
        return Answer.declined(question, hits, NOT_FOUND)
    scoring = explain(intent, hits, ctx, scope.docs, best[1]) if explained else ()
    fact = fuller(best[1], ctx)
    shown, source = signed(ctx.data, fact)
    related = tuple(
        f.display
        for f in ctx.by_chunk.get(fact.chunk_id, [])
        if f is not fact and f.sentence_start == fact.sentence_start
    )[:MAX_RELATED]
    return Answer(
        question=question,
        found=True,
        answer=shown,
        value=fact.value,
        unit=fact.unit,
        sources=(source,),
        passages=tuple(hits),
        related=related,
        scoring=scoring,
    )


def printed_as(
    derived: Derived, intent: Intent, hits: Sequence[Hit], ctx: Context, docs: Sequence[str] | None
) -> Fact | None:
    """The report's own figure for what was computed, when it prints one equal to the result up to
    the rounding of the parts (1094.65万元 printed, 869.08 + 225.58 = 1094.66 computed): the
    printed figure is what the report says. It must still be a plausible answer (score above 0)."""
    value, unit = normalise(derived.value, derived.unit)
    doc_id = derived.inputs[0].doc_id if derived.inputs else None
    for score, fact in scored_facts(intent, hits, ctx, docs):
        if score <= 0:
            break
        close = abs(fact.norm_value - value) <= granularity(fact) * max(1, len(derived.inputs))
        if fact.doc_id == doc_id and fact.norm_unit == unit and close and fact not in derived.inputs:
            return fact
    return None


def fuller(fact: Fact, ctx: Context) -> Fact:
    """The same figure printed with its whole unit when the report also prints it so
    ("2.26万元" rather than a later "2.26万")."""
    if fact.unit not in BARE_SCALE:
        return fact
    return next(
        (
            f
            for f in ctx.by_doc.get(fact.doc_id, [])
            if f.unit == fact.unit + "元" and f.label == fact.label and same_quantity(f, fact)
        ),
        fact,
    )


SIGN_BEFORE = re.compile(rf"[{SIGNS}]+[ \t]*$")


def signed(data: IndexData, fact: Fact) -> tuple[str, Source]:
    """The figure with a comparison sign printed right before it ("≥266米", a target's floor),
    its source's span widened to cover the sign; the bare figure and source otherwise."""
    source = source_of(data, fact)
    text = data.docs[fact.doc_id].text
    sign = SIGN_BEFORE.search(text, max(fact.sentence_start, fact.start - 4), fact.start)
    if sign is None:
        return fact.display, source
    return text[sign.start() : fact.start] + fact.display, replace(source, start=sign.start())


MAX_ROWS = 50


def compare(intent: Intent, hits: Sequence[Hit], ctx: Context, scope: Scope) -> Answer:
    """One figure per report for a question across reports (各部门公务接待费对比, 2017到2019年…).

    Each report is answered on its own, for its own year, with the same rules as a single
    question, so a report that does not print the item is left out rather than guessed.
    """
    question = intent.text
    if scope.docs == ():
        return out_of_scope(question, hits, scope)
    doc_ids = list(scope.docs) if scope.docs is not None else list(ctx.data.docs)
    doc_ids.sort(key=lambda d: (ctx.facets[d].department, ctx.facets[d].year or "", d))
    rows = []
    for doc_id in doc_ids[:MAX_ROWS]:
        year = ctx.facets[doc_id].year
        one = replace(intent, years=(year,) if year else (), across=False)
        answer = resolve(one, [h for h in hits if h.chunk.doc_id == doc_id], ctx, Scope((doc_id,)))
        if answer.found and answer.sources and answer.answer:
            rows.append(
                Row(
                    doc_id=doc_id,
                    department=ctx.facets[doc_id].department,
                    year=year,
                    answer=answer.answer,
                    value=answer.value,
                    unit=answer.unit,
                    source=answer.sources[0],
                    derived=answer.derived,
                )
            )
    if not rows:
        return Answer.declined(question, hits, NOT_FOUND)
    listed = "；".join(f"{r.department or r.doc_id}{r.year + '年' if r.year else ''}：{r.answer}" for r in rows)
    skipped = len(doc_ids) - len(rows)
    note = f"逐份报告列出：{len(rows)} 份报告有此数字" + (f"，{skipped} 份未找到" if skipped else "")
    return Answer(
        question=question,
        found=True,
        answer=listed,
        value=None,
        unit=None,
        sources=tuple(r.source for r in rows),
        passages=tuple(hits),
        message=note,
        rows=tuple(rows),
    )
