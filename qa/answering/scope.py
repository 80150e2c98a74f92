"""Which reports a question is about: the names it gives (any name a report goes by, partial names,
places), then the year; and the question read against those reports (in_scope)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.answering.context import Context, Filters, Scope, abbreviates
from qa.answering.intent import Intent, question_qualifiers, wording
from qa.domain.lexicon import (
    BUDGET_TOTAL,
    ITEM_BY_NAME,
)
from qa.domain.sites import site_lookups, site_names
from qa.domain.tokenize import words
from qa.ingest.facets import (
    ORG_NAME,
    PLACE,
    YEAR_WORD,
    Facets,
    blank_names,
    department_spans,
    generic,
    without_scope,
)
from qa.records import Answer, Hit

# A word naming an organisation: 教育局, 卫健委, 财政厅, 人民医院 …
ORG_SUFFIXES = ("局", "委", "厅", "院", "中心")  # not 办: "办了多少笔" is a verb
YEAR_GLUE = re.compile(r"^(?:年度|年|度)+")
DEPARTMENT_WORD = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:局|委员会|委|办公室|厅|院|中心|政府|管委会)$")


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
            if w not in department and abbreviates(w, department)
        ),
        default=0,
    )
    # "巢湖法院" for 巢湖市人民法院: the organisation word with the characters before it
    spelled = max(
        (len(w) for w in name_runs(question, orgs) if w[0] == department[:1] and abbreviates(w, department)),
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


# "辽宁2021年…", "奉新2023年…": two characters before the year name a place or unit in short
BARE_OPENING = re.compile(r"^([\u4e00-\u9fff]{2})(?=(?:19|20)\d{2}\s*年)")


def opening_in(question: str, text: str) -> int:
    """How many of the question's opening characters (where an auditor names the report: 金罗镇中心校…)
    the report's text holds as they are; 0 under three, unless they are two before the year (辽宁2021年)."""
    opening = QUESTION_OPENING.match(question)
    if not opening:
        bare = BARE_OPENING.match(question)
        return 2 if bare and not generic(bare.group(1)) and bare.group(1) in text else 0
    run = opening.group(1)
    return next((size for size in range(len(run), 2, -1) if run[:size] in text), 0)


def strong_opening(question: str, size: int) -> bool:
    """The question's first `size` characters, printed in a report, name it: a place (金罗镇) or 5+."""
    opening = QUESTION_OPENING.match(question)
    if opening is None and size == 2:
        return BARE_OPENING.match(question) is not None  # 辽宁2021年: a short name, then the year
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


def place_not_printed(counties: Sequence[str], facets: Facets, text: str) -> bool:
    """True when the question names a county or district (宣州区) that neither the report's names, its
    text nor the address it was saved from (www.qinan.gov.cn for 秦安县) give (a county the body
    mentions in passing, past its opening, is not its place)."""
    return any(not prints_place(c, facets, text) and not site_names(c, facets.site) for c in counties)


def prints_place(place: str, facets: Facets, text: str) -> bool:
    """The report's names or its opening print the place (names first: folded, and they usually hold it;
    the opening is where a report names its own place, and bounds the work per report)."""
    return any(place in n for n in facets.names) or place in text[:OPENING_CHARS]


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
        named = {d for d in named if not place_not_printed(counties, ctx.facets[d], ctx.data.docs[d].text)}
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
    asked_sites = [(c, site_lookups(c)) for c in counties]
    for place, lookups in asked_sites:
        # no report the question names prints 秦安县, and a page saved from www.qinan.gov.cn says only 全县:
        # it is 秦安县's, as if its name held the county (a report printing the county wins over an address)
        named_here = [d for d, v in strength.items() if v > 1]
        if not any(prints_place(place, ctx.facets[d], ctx.data.docs[d].text) for d in named_here):
            for d in ctx.site_named(lookups) & set(strength):
                strength[d] = max(strength[d], 2 * len(place))
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
                and all(any(abbreviates(w, n) for n in names) for w in orgs)
                and all(any(p in n for n in names) or site_names(p, ctx.facets[d].site) for p in places)
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
        docs = [d for d in kept if not place_not_printed(counties, ctx.facets[d], ctx.data.docs[d].text)]
        if not docs:
            return Scope((), f"没有关于“{'、'.join(counties)}”的报告")
    for word in orgs:
        if not any(
            any(abbreviates(word, n) for n in ctx.facets[d].names) or mentions(ctx.data.docs[d].text, word)
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
        if any(abbreviates(word, n) for d in docs for n in ctx.facets[d].names):
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
