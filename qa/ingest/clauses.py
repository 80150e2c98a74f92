"""How a figure's words are read: sentence and clause bounds, the label before it (or the subject it inherits),
its qualifiers (stage, year, change, comparison) and the year it is of."""

from __future__ import annotations

import re

from qa.domain.lexicon import BUDGET_STAGE, PER_UNIT, label_item
from qa.domain.numbers import find_figures
from qa.ingest.facets import YEAR_RE

CLAUSE_BREAK = re.compile(r"[，,。；;：:、\n！？!?\t]")
SENTENCE_BREAK_CHARS = "。；;！？!?\n"
SENTENCE_BREAK = re.compile(f"[{SENTENCE_BREAK_CHARS}]")
LEAD_NOISE = re.compile(
    r"^(?:\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]+、|其中|另外|此外|同时|全年|今年|目前|"
    r"\d{4}\s*年度?|[：:\s])+"
)
TAIL_NOISE = re.compile(
    # "一般公共预算收入由年初的76138万元调整为89138万元": the subject, less the from-form and the verb
    r"(?:由(?:年初|原)(?:预算)?数?的?|调整|为|是|达到|达|共计|(?<!收入|支出)合计|共|(?<![节制])约|近|(?<!收入总|支出总|收入合|支出合)计|(?<!收入|支出)总计|累计|超过|大约|不到|约为|分别为|分别|未|不足|低于|高于|仅|[：:\s])+$"
)
# "决算数大于预算数55.93万元", "低于上年": a comparison word followed by its base
MORE_THAN = r"(?:大于|多于|高于)(?=(?:年初|调整后)?预算|上年)"
LESS_THAN = r"(?:小于|少于|低于)(?=(?:年初|调整后)?预算|上年)"
COMPARISON = re.compile(
    r"比上年|较上年|同比|与上年相比|比去年|较去年|比年初预算|较年初|比预算|超出预算|超过预算"
    rf"|(?:比|较|与)\s*(?:19|20)\d{{2}}\s*年度?(?:相比)?|{MORE_THAN}|{LESS_THAN}"
)
# 增加值 (value added) is an item, not a change.
# "与2021年度预算相比，减少0.57万元": the comparison is the clause before the figure's own
COMPARED_BEFORE = re.compile(r"(?:与|和|同)([^，,。；;]{0,16})相比\s*[，,]?[^，,。；;]*$")
CHANGE_WORDS = re.compile(
    r"增长|增加(?!值)|上升|提高|增幅|下降|减少|降低|节约|压减|减幅|增减|超出|超支|增收|增支|减收|减支|短收|调增|调减"
    rf"|{MORE_THAN}|{LESS_THAN}"
)
# Words that carry no subject: a label made only of these inherits the subject before it.
SUBJECTLESS = re.compile(
    r"(?:比|较|与)\s*(?:19|20)\d{2}\s*年度?(?:同期)?(?:相比)?|上年同期|同期|调整预算数?|调整|增收|增支|减收|减支|年度|比上年|较上年|同比|与上年相比|比去年|较去年|增长率|增长|增加(?!值)|上升|提高|下降|减少|降低|主要|其中|分别|率|了|为|约|近|共"
    r"|支出|年初|调整后|预算数?|决算数?|实际|执行数?|完成|占|比例|比重|金额|资金|数|的|达到|达|较|节约|超出|超支|压减"
)
QUALIFIERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "…由年初的76138万元调整为89138万元": the figure the budget was changed to
    ("调整后预算", re.compile(r"调整后预算|调整预算|调整(?:为|到|至)")),
    ("预算", re.compile(BUDGET_STAGE + r"|由(?:年初|原)的?\s*$")),
    ("决算", re.compile(r"决算")),
    ("实际", re.compile(r"实际|执行数|支出数|完成数")),
    ("执行率", re.compile(r"执行率|完成率|完成(?:年初|调整后?)?预算的")),
    ("占比", re.compile(r"^占|占比|比重|占本年|占全年|比例(?:为|达到?|是)?\s*$")),
    ("上年", re.compile(r"上年|去年|上一年")),
    ("预计", re.compile(r"预计|预期")),
    ("目标", re.compile(r"目标|计划(?!生育)|力争|确保|任务")),
    ("完成", re.compile(r"完成|实现|累计")),
    # "提高至220场", "压减到5万元": the level reached, not a change
    ("增长", re.compile(rf"(?:增长|增加(?!值)|上升|提高)(?![至到])|增幅|超出|超支|增收|增支|调增|{MORE_THAN}")),
    ("下降", re.compile(rf"(?:下降|减少|降低|压减)(?![至到])|节约|减幅|降幅|减收|减支|短收|调减|{LESS_THAN}")),
    ("增减", re.compile(r"增减")),
    ("单价", re.compile(PER_UNIT)),
    # "预算执行率未达100%", "不足5万元": a threshold the figure is compared with, not a measured value
    ("阈值", re.compile(r"(?:未达到?|不足|不到|低于|高于|超过|最高不超过)\s*$")),
)
STAGES = ("预算", "调整后预算", "决算", "实际", "上年")
COMPARED = {"比上年", "比预算"}  # a change against a base, not an amount at a stage
# "比上年（5.81万元）减少0.19万元": the figure in the aside is last year's (or the named year's) amount
PRIOR_ASIDE = re.compile(r"(?:比|较|与)\s*(上年|去年|上一年|(?:19|20)\d{2})\s*年?度?(?:同期)?\s*\(\s*$")
# A clause that is only a verb says nothing of what its figure measures
VERB_ONLY = re.compile(
    r"(?:将|要|拟|力争)?(?:控制在|控制|压减到|压缩到|压减至|下降到|降至|增加到|提高到|增至|达到|达|为|安排)"
)
STAGE_TAIL = re.compile(r"(?:(?:年初|调整后)?(?:预算|决算)数?|实际支出|执行数)$")
PARENTHETICAL = re.compile(r"\([^()]*\)")
SENTENCE_WIDE = ("预计", "目标")  # these govern every figure of their sentence
# how far back in its sentence a figure's year and sentence-wide words are looked for: real sentences
# are far shorter; a text with no sentence breaks made this quadratic (60 KB: 7 s, 240 KB: 98 s)
SENTENCE_WINDOW = 2000
PARTS_FOLLOW = re.compile(r"其中|(?:具体|主要)包括|包括如下")  # after a figure: its parts are listed
UNIT_DECL = re.compile(r"单位\s*[：:]\s*(亿元|万元|千元|元|人次|人|个|家|台|辆|亩|平方米|%)")
HEADER_UNIT = re.compile(r"[（(]\s*(亿元|万元|千元|元|人次|人|个|家|台|辆|亩|平方米|%)\s*[）)]")


def last_break(text: str, start: int, window: int = 512, floor: int = 0) -> int:
    """Index of the last sentence break before start (floor - 1: none after floor), looked for
    backwards in growing windows: scanning from the document's start for every figure made ingest
    quadratic."""
    lo = start
    while lo > floor:
        lo = max(floor, lo - window)
        found = max(text.rfind(ch, lo, start) for ch in SENTENCE_BREAK_CHARS)
        if found >= 0:
            return found
        window *= 4
    return floor - 1


# A sentence is cut this far either side of its figure: text with no breaks at all (a 2 MB line)
# made every figure scan to both ends of it; no real report's sentence is near this long
SENTENCE_MAX = 8000


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between 。；！？ or line breaks) around text[start:end], at most SENTENCE_MAX
    characters either side of the figure."""
    left = last_break(text, start, floor=max(0, start - SENTENCE_MAX)) + 1
    right_match = SENTENCE_BREAK.search(text, end, min(len(text), end + SENTENCE_MAX))
    right = right_match.end() if right_match else min(len(text), end + SENTENCE_MAX)
    while left < start and text[left].isspace():
        left += 1
    return left, right


def subjectless(label: str) -> bool:
    """A label that only qualifies ("比上年减少", "支出决算", "占"): it needs the subject before it."""
    if label_item(label)[0] is not None:
        return False  # 预算执行率 is a measure of its own
    return len(SUBJECTLESS.sub("", label)) < 2 and (not label or any(p.search(label) for _, p in QUALIFIERS))


def subject_of(label: str) -> str:
    """What a label measures less its stage: "“三公”经费年初预算" → "“三公”经费" (for figures that inherit it)."""
    return STAGE_TAIL.sub("", label) or label


INNER_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def clean_label(label: str) -> str:
    """A label less lead and tail noise, and less the spaces a PDF or a folded mirror's pinyin
    leaves between characters ("合 计", "经      费")."""
    label = LEAD_NOISE.sub("", INNER_SPACE.sub("", label.strip()))
    return TAIL_NOISE.sub("", label).strip()


def label_before(folded: str, start: int, floor: int) -> str:
    """Clause text between the last break (or floor) and start.

    "公务接待费：1.82万元": nothing stands after the colon, so the words before it are the
    clause.  "公务接待费4.41万元（2018年为5.37万元）": inside an open parenthesis only the
    words after it count.
    """
    breaks = list(CLAUSE_BREAK.finditer(folded, floor, start))
    if folded[floor:start].rstrip().endswith("等"):
        # "共接待上级检查指导、兄弟县市考察交流等45批次": the list closed by 等 is one clause
        while breaks and breaks[-1].group() == "、":
            breaks.pop()
    clause = folded[breaks[-1].end() if breaks else floor : start]
    if not clause.strip() and breaks and breaks[-1].group() in "：:":
        clause = folded[breaks[-2].end() if len(breaks) > 1 else floor : breaks[-1].start()]
    opened = clause.rfind("(")
    if opened >= 0 and ")" not in clause[opened:]:
        clause = clause[opened + 1 :]
    return clause


def item_clause(folded: str, floor: int, start: int) -> str:
    """The nearest earlier clause of the sentence that names a lexicon item, for a figure whose
    own clause is only a verb ("控制在10.00万元以内"); empty when none does."""
    pieces = re.split(r"[，,；;：:]", folded[floor:start])[:-1]
    return next((p for p in reversed(pieces) if label_item(clean_label(p))[0] is not None), "")


def label_after(folded: str, end: int, limit: int) -> str:
    match = CLAUSE_BREAK.search(folded, end, limit)
    return folded[end : match.start() if match else limit]


def qualifiers_of(clause: str, sentence_prefix: str = "") -> tuple[str, ...]:
    """Qualifier words for a figure from its clause (and sentence-wide ones from the sentence)."""
    found = [name for name, pattern in QUALIFIERS if pattern.search(clause)]
    if "实际" not in found:  # "计划完成…200场，实际完成…216场": the second is not a target
        found += [name for name, pattern in QUALIFIERS if name in SENTENCE_WIDE and pattern.search(sentence_prefix)]
    before = COMPARED_BEFORE.search(sentence_prefix)
    if (COMPARISON.search(clause) or before) and CHANGE_WORDS.search(clause):
        against_budget = re.search(r"(?:比|较|超出|超过|[大小多少高低]于)(?:年初|调整后)?预算", clause) or (
            before is not None and "预算" in before.group(1)
        )
        found = [q for q in found if q != "上年"] + (["比预算"] if against_budget else ["比上年"])
    if "调整后预算" in found and "预算" in found:
        found.remove("预算")
    if "执行率" in found:
        found = [q for q in found if q not in ("预算", "调整后预算", "完成")]
    return tuple(dict.fromkeys(found))


# "我局成立于1958年，…，设17个内设机构": when the unit was founded dates no figure after it
FOUNDED = re.compile(
    r"(?:成立|始建|组建|创建|设立|创办|建)于\s*(?:19|20)\d{2}\s*年|(?:19|20)\d{2}\s*年\s*(?:成立|始建|组建|创建|创办)"
)


def year_of(sentence_prefix: str, qualifiers: tuple[str, ...], doc_year: str | None) -> str | None:
    """The year a figure belongs to: the last year named before it in its sentence, else the
    report's year (minus one for 上年 figures)."""
    # Neither "与2017年度相比", a closed aside "（2018年为5.37万元）" nor a founding year names the figure's year.
    years = YEAR_RE.findall(PARENTHETICAL.sub(" ", COMPARISON.sub(" ", FOUNDED.sub(" ", sentence_prefix))))
    if years:
        return str(years[-1])
    if doc_year and "上年" in qualifiers:
        return str(int(doc_year) - 1)
    return doc_year


# "设16个科室", "下辖8个二级单位": after a classifier the noun counted follows the figure
CLASSIFIERS = frozenset({"个", "家", "所", "座", "处", "项", "类"})


COUNTED_NOUN = re.compile(r"[\u4e00-\u9fff]{2,10}")


def counted_noun(folded: str, end: int, limit: int, any_noun: bool) -> str:
    """The noun right after a classifier count, up to a break or 及/和 ("16个科室及东区服务队" → 科室):
    one naming a lexicon item, or with any_noun (the words before the figure name none: "全县190家
    村卫生室") any short Chinese noun; empty when what follows holds a figure."""
    noun = re.split(r"及|和|与|以及", label_after(folded, end, limit), maxsplit=1)[0]
    if noun != noun.strip() or len(noun) < 2 or find_figures(noun):
        return ""
    if label_item(noun)[0] is not None or (any_noun and COUNTED_NOUN.fullmatch(noun)):
        return noun
    return ""
