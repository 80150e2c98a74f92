"""Every figure in a report becomes a Fact: label, exact raw string, value, unit, qualifiers,
year, section and span.

Prose: the label is what the figure measures, read from the words before it in its clause
("2、公务接待费2.97万元" → 公务接待费), or after it when nothing stands before
("62名入党积极分子得到了培训").  Figures back to back share the label ("共接待65批216人次"),
and a change with no subject of its own takes the subject before it ("公务接待费2.5万元，比上年
增加0.3万元": 0.3万元 is 公务接待费, qualified 增长 and 比上年).

Tables flattened to text: a line "单位：万元" (or a caption holding it) sets the unit, a row of
non-numeric cells is the header (a cell "年度预算数(万元)" carries its own unit), and each bare
number in a following row is a fact labelled by the row's first cell, qualified by its column.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from qa.domain.lexicon import PER_UNIT, label_item
from qa.domain.numbers import PINYIN, Figure, find_figures, fold, normalise, parse_cell
from qa.ingest.chunk import CELL_SEP
from qa.ingest.facets import YEAR_RE, facets_of
from qa.ingest.sangong import sangong_facts
from qa.ingest.selfeval import selfeval_facts
from qa.records import Chunk, Document, Fact

CLAUSE_BREAK = re.compile(r"[，,。；;：:、\n！？!?\t]")
SENTENCE_BREAK_CHARS = "。；;！？!?\n"
SENTENCE_BREAK = re.compile(f"[{SENTENCE_BREAK_CHARS}]")
LEAD_NOISE = re.compile(
    r"^(?:\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]+、|其中|另外|此外|同时|全年|今年|目前|"
    r"\d{4}\s*年度?|[：:\s])+"
)
TAIL_NOISE = re.compile(
    r"(?:为|是|达到|达|共计|(?<!收入|支出)合计|共|(?<![节制])约|近|(?<!收入总|支出总|收入合|支出合)计|(?<!收入|支出)总计|累计|超过|大约|不到|约为|分别为|分别|未|不足|低于|高于|仅|[：:\s])+$"
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
    r"增长|增加(?!值)|上升|提高|增幅|下降|减少|降低|节约|压减|减幅|增减|超出|超支|增收|增支|减收|减支|短收"
    rf"|{MORE_THAN}|{LESS_THAN}"
)
# Words that carry no subject: a label made only of these inherits the subject before it.
SUBJECTLESS = re.compile(
    r"(?:比|较|与)\s*(?:19|20)\d{2}\s*年度?(?:同期)?(?:相比)?|调整预算数?|增收|增支|减收|减支|年度|比上年|较上年|同比|与上年相比|比去年|较去年|增长率|增长|增加(?!值)|上升|提高|下降|减少|降低|主要|其中|分别|率|了|为|约|近|共"
    r"|支出|年初|调整后|预算数?|决算数?|实际|执行数?|完成|占|比例|比重|金额|资金|数|的|达到|达|较|节约|超出|超支|压减"
)
QUALIFIERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("调整后预算", re.compile(r"调整后预算|调整预算")),
    # 一般公共预算/政府性基金预算/国有资本经营预算 name a book, 预算稳定调节基金 a fund: no stage
    ("预算", re.compile(r"(?<!公共)(?<!基金)(?<!经营)预算(?!执行|单位|稳定调节)")),
    ("决算", re.compile(r"决算")),
    ("实际", re.compile(r"实际|执行数|支出数|完成数")),
    ("执行率", re.compile(r"执行率|完成率|完成(?:年初|调整后)?预算的")),
    ("占比", re.compile(r"^占|占比|比重|占本年|占全年|比例(?:为|达到?|是)?\s*$")),
    ("上年", re.compile(r"上年|去年|上一年")),
    ("预计", re.compile(r"预计|预期")),
    ("目标", re.compile(r"目标|计划(?!生育)|力争|确保|任务")),
    ("完成", re.compile(r"完成|实现|累计")),
    # "提高至220场", "压减到5万元": the level reached, not a change
    ("增长", re.compile(rf"(?:增长|增加(?!值)|上升|提高)(?![至到])|增幅|超出|超支|增收|增支|{MORE_THAN}")),
    ("下降", re.compile(rf"(?:下降|减少|降低|压减)(?![至到])|节约|减幅|降幅|减收|减支|短收|{LESS_THAN}")),
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


def year_of(sentence_prefix: str, qualifiers: tuple[str, ...], doc_year: str | None) -> str | None:
    """The year a figure belongs to: the last year named before it in its sentence, else the
    report's year (minus one for 上年 figures)."""
    # Neither "与2017年度相比" nor a closed aside "（2018年为5.37万元）" names the figure's year.
    years = YEAR_RE.findall(PARENTHETICAL.sub(" ", COMPARISON.sub(" ", sentence_prefix)))
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


def prose_facts(doc: Document, chunk: Chunk, doc_year: str | None, folded: str | None = None) -> list[Fact]:
    """Facts for the figures printed with their unit inside one chunk (spans are document offsets);
    `folded` is fold(doc.text), passed by callers that read many chunks of one document."""
    folded = fold(doc.text) if folded is None else folded
    facts: list[Fact] = []
    previous: Fact | None = None
    whole: Fact | None = None  # the figure a "其中" list of the current sentence breaks down
    after_aside = False
    counted_to = 0  # the end of the noun the previous figure counted ("16个科室"): not the next one's label
    for fig in find_figures(chunk.text):
        start, end = chunk.start + fig.start, chunk.start + fig.end
        s_start, s_end = sentence_span(doc.text, start, end)
        # "；" ends a sentence but not the subject: "…决算10.47万元；比上年决算13.26万元减少2.79万元"
        same_sentence = previous is not None and not re.search(r"[。\n]", doc.text[previous.end : start])
        floor = max(s_start, chunk.start, previous.end if previous and previous.sentence_start == s_start else 0)
        floor = max(floor, counted_to) if counted_to <= start else floor
        clause = label_before(folded, start, floor)
        inherited = False
        if same_sentence and previous and folded[previous.end : start].strip() == "":
            label = previous.label  # 65批216人次
        else:
            label = clean_label(clause)
            noun = (
                counted_noun(folded, end, min(s_end, chunk.end), label_item(label)[0] is None)
                if fig.unit in CLASSIFIERS
                else ""
            )
            if noun:  # "…等16个科室", "全县15家乡镇卫生院、5家…": the noun counted, not the words before
                label, counted_to = noun, end + len(noun)
            elif same_sentence and previous and subjectless(label):
                label, inherited = subject_of(previous.label), True  # 公务接待费2.5万元，比上年增加0.3万元
            else:
                after = clean_label(label_after(folded, end, min(s_end, chunk.end)))
                named = item_clause(folded, floor, start) if VERB_ONLY.fullmatch(label) else ""
                if named:
                    label, clause = clean_label(named), named + clause  # "“三公”经费预算…，控制在10.00万元"
                elif len(label) < 2:
                    label = after
                elif after and label_item(label)[0] is None and label_item(after)[0] is not None:
                    if not find_figures(after):  # not "150人次" after "45批次"
                        label = f"{label} {after}"  # 园区非公企业62名入党积极分子得到了培训
        prefix = folded[max(s_start, start - SENTENCE_WINDOW) : start]  # bounded: a "sentence" may be a 2 MB line
        quals = qualifiers_of(clause, prefix)
        if fig.per:  # "1300元/人/月": a rate per head and month, as 每人 before it would say
            quals = tuple(dict.fromkeys((*quals, "单价")))
        year = year_of(prefix, quals, doc_year)
        if previous and same_sentence and PARTS_FOLLOW.search(folded[previous.end : start]):
            # "年初部门预算3,468.90万元，其中：基本支出1,124.30万元" (…具体包括…): the parts share its stage;
            # "决算支出785万元,较年初预算减少28%其中:…": the whole is the amount, not the change after it
            amounts = (f for f in reversed(facts) if f.sentence_start == s_start and not COMPARED & set(f.qualifiers))
            whole = next(amounts, previous)
            quals = tuple(dict.fromkeys((*quals, *(q for q in whole.qualifiers if q in STAGES))))
        elif whole is not None and same_sentence and not set(quals) & set(STAGES):
            # "…预算为20万元,其中:因公出国(境)费0万元,公务接待费9万元": every part of the list, not the first only
            quals = tuple(dict.fromkeys((*quals, *(q for q in whole.qualifiers if q in STAGES))))
        elif not same_sentence:
            whole = None
        if (inherited or after_aside) and previous and CHANGE_WORDS.search(clause) and not COMPARISON.search(clause):
            # "比上年减少0.19万元，减少3.27%", "比上年（5.81万元）减少0.19万元": a change against the same base
            base = ("比上年",) if after_aside else tuple(q for q in previous.qualifiers if q in ("比上年", "比预算"))
            quals = tuple(dict.fromkeys((*quals, *base)))
        aside = PRIOR_ASIDE.search(folded[floor:start])
        after_aside = bool(aside)
        if aside:
            named = aside.group(1)
            year = named if named.isdigit() else (str(int(doc_year) - 1) if doc_year else None)
            label = subject_of(previous.label) if same_sentence and previous else label
            quals = ("上年",) if not named.isdigit() else ()
        fact = Fact(
            doc_id=doc.doc_id,
            chunk_id=chunk.chunk_id,
            label=label,
            raw=fig.raw,
            value=fig.value,
            unit=fig.unit,
            norm_value=fig.norm_value,
            norm_unit=fig.norm_unit,
            start=start,
            end=end,
            sentence_start=s_start,
            sentence_end=s_end,
            qualifiers=quals,
            year=year,
            section=" / ".join(chunk.section),
        )
        facts.append(fact)
        previous = fact
    return facts


PIPE = re.compile(r"[|｜]")


def cells_of(line: str, offset: int) -> list[tuple[int, int, str]]:
    """Cells of a flattened table row: (start, end, text) with document offsets.

    In a pipe-separated row ("公务用车运行费 |  | 1.10") an empty cell keeps its place, so
    every figure stands under its own column header; rows split by spaces cannot say.
    """
    if PIPE.search(line):
        cells = []
        pos = 0
        for part in PIPE.split(line):
            lead = len(part) - len(part.lstrip())
            start = offset + pos + lead
            cells.append((start, start + len(part.strip()), part.strip()))
            pos += len(part) + 1
        return cells if any(text for _, _, text in cells) else []
    cells = []
    pos = 0
    for sep in [*CELL_SEP.finditer(line), None]:
        stop = sep.start() if sep else len(line)
        text = line[pos:stop]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            cells.append((offset + pos + lead, offset + pos + lead + len(text.strip()), text.strip()))
        pos = sep.end() if sep else len(line)
    return cells


def table_facts(doc: Document, doc_year: str | None) -> list[Fact]:
    """Facts for bare numbers in table rows whose unit is given by a header or caption.

    chunk_id is -1 here; extract_facts assigns the chunk that holds each cell.
    """
    facts: list[Fact] = []
    unit: str | None = None
    title = ""
    header: list[str] = []
    composed = False  # header is a two-level header composed (two_level), aligned cell by cell
    previous_header: list[str] | None = None  # the header row just above, when the last line was one
    offset = 0
    for line in doc.text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        folded = fold(line)
        declared = UNIT_DECL.search(folded)
        cells = cells_of(line, line_start)
        if declared:
            # "单位：万元" alone under "…“三公”经费支出决算表": the caption above stays the table's title
            only_unit = len(cells) < 2 and len(folded.strip()) <= len(declared.group(0)) + 2
            unit, header, composed = declared.group(1), [], False
            title = title if only_unit and title else line.strip()
            if len(cells) < 2:
                continue
        if len(cells) < 2:
            if len(line.strip()) > 40 or re.search(r"[。；]", line):
                unit, title, header = None, "", []  # prose resumes: the table is over
            elif line.strip():
                title = line.strip()
            continue
        bare = [parse_cell(text) for _, _, text in cells]
        printed = [_cell_figure(text) for _, _, text in cells]  # "280000人次", "≥95%": unit in the cell
        if all(v is None for v in bare) and all(f is None for f in printed[1:]):
            row_texts = [text for _, _, text in cells]
            if not any(row_texts[1:]):
                continue  # "因公出国(境)费 | ||": a row left blank, not a header
            both = two_level(previous_header, row_texts) if previous_header else None
            header, composed = (both, True) if both else (row_texts, False)
            previous_header = row_texts
            continue
        previous_header = None
        if bare[0] is not None:
            continue  # a row without a label cell
        values = [v if v is not None or f is None else (f.value, f.unit) for v, f in zip(bare, printed, strict=True)]
        label = clean_label(fold(cells[0][2]))
        for index, ((start, end, text), parsed) in enumerate(zip(cells, values, strict=True)):
            if parsed is None or index == 0:
                continue
            fact = _cell_fact(
                doc,
                Cell(start, end, text),
                parsed,
                printed[index] if bare[index] is None else None,
                label=label,
                column=_column(header, index, _filled(cells) if composed else len(cells)),
                table=(title, unit),
                row=(line_start, line_start + len(line)),
                doc_year=doc_year,
            )
            if fact is not None:
                facts.append(fact)
    return facts


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell's text and where it stands in the document."""

    start: int
    end: int
    text: str


def _cell_fact(
    doc: Document,
    cell: Cell,
    parsed: tuple[Decimal, str],
    figure: Figure | None,
    *,
    label: str,
    column: str,
    table: tuple[str, str | None],
    row: tuple[int, int],
    doc_year: str | None,
) -> Fact | None:
    """The fact of one table cell: its unit printed in the cell, else its column header's
    ("2017年度支出 (万元)"), a rate column's %, or the table's; None when no unit is known.
    `figure` is the cell's printed figure when it holds more than a bare number ("≥95%")."""
    start, end, text = cell.start, cell.end, cell.text
    if figure is not None:  # the figure less any ≥/约 before it
        start, end, text = start + figure.start, start + figure.end, figure.raw
    title, table_unit = table
    column_unit = HEADER_UNIT.search(fold(column))
    unit = (
        parsed[1]
        or (column_unit.group(1) if column_unit else None)
        or ("%" if re.search(r"率|比例|比重|%", column) else table_unit)
    )
    if not unit:
        return None
    value = parsed[0]
    quals = cell_qualifiers(column, title)
    norm_value, norm_unit = normalise(value, unit)
    return Fact(
        doc_id=doc.doc_id,
        chunk_id=-1,
        label=label,
        raw=text,
        value=value,
        unit=unit,
        norm_value=norm_value,
        norm_unit=norm_unit,
        start=start,
        end=end,
        sentence_start=row[0],
        sentence_end=row[1],
        qualifiers=quals,
        year=_cell_year(title, column, quals, doc_year),
        section="",
        column=column,
        unit_source="text" if parsed[1] else "header",
    )


# Tables printed one cell per line (web pages copied to text, the 部门决算 公开表): a run of short
# single-cell lines where a label cell is followed by its value cells.  The row's width says how many
# of the label cells just before it are the header ("项目 / 行次 / 金额"); 行次/栏次 cells number the
# rows and are not figures; "其中:" spans columns in a two-level header and stands over none.
STACK_CELL_CHARS = 40
EMPTY_CELL = re.compile(r"[-－—–/／]+")
SPANNING = re.compile(r"其中\s*[:：]?")
ROW_NUMBERS = re.compile(r"行次|栏次|序号|编号")
MAX_HEADER_CELL = 24
ORDINAL_CELL = re.compile(r"\d{1,3}")
MIN_ORDINAL_RUN = 4  # 1, 2, 3, 4 … down a 序号 column; three bare integers in a row may be counts


def row_numbers(cells: Sequence[Cell]) -> set[int]:
    """Starts of the cells that number a table's rows: bare integers counting up by one from 1
    (1, 2, 3 … with the row's other cells between them), which the cell-per-line copy of a 序号
    column leaves among the values ("516.39 |", "2 |" — 2 is the next row's number, not 2万元)."""
    runs: list[list[Cell]] = []
    for cell in cells:
        text = fold(cell.text).strip()
        if not ORDINAL_CELL.fullmatch(text):
            continue
        number = int(text)
        run = next((r for r in reversed(runs) if int(fold(r[-1].text).strip()) == number - 1), None)
        if run is not None:
            run.append(cell)
        elif number == 1:
            runs.append([cell])
    return {c.start for r in runs if len(r) >= MIN_ORDINAL_RUN for c in r}


def single_cell(line: str, offset: int) -> Cell | None:
    """The line's one cell ("团区委 |", "440.55"), or None for prose and rows of several cells."""
    parts = [c for c in cells_of(line, offset) if c[2]]
    if len(parts) != 1 or len(parts[0][2]) > STACK_CELL_CHARS or re.search(r"[。；]", line):
        return None
    return Cell(*parts[0])


def stacked_regions(text: str) -> list[list[Cell]]:
    """Runs of single-cell lines (blank lines between them allowed), in document order.

    A line of one pipe ends a row where such lines follow values ("0 |", "0 |", "|"); in a table
    where none does, the ones after a label are its blank cells ("因公出国(境)费 |", "|", "|",
    "公务接待费 |"), kept so that the label reads as a row and not as one more header cell."""
    regions: list[list[Cell]] = []
    current: list[Cell | int] = []  # an int: the start of a one-pipe line
    offset = 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue  # a blank line: the run goes on
        if not [c for c in cells_of(line, line_start) if c[2]]:
            if line.strip() == "|" and current:
                current.append(line_start)
            continue  # only pipes: the run goes on
        cell = single_cell(line, line_start)
        if cell is None:
            if current:
                regions.append(_with_blank_cells(current))
            current = []
        else:
            current.append(cell)
    if current:
        regions.append(_with_blank_cells(current))
    return regions


def _with_blank_cells(run: Sequence[Cell | int]) -> list[Cell]:
    """The run's cells, one-pipe lines as blank cells unless they end rows (see stacked_regions)."""
    ends_rows = any(isinstance(b, int) and isinstance(a, Cell) and _is_value(a) for a, b in itertools.pairwise(run))
    out: list[Cell] = []
    for item in run:
        if isinstance(item, Cell):
            out.append(item)
        elif not ends_rows and out and (not out[-1].text or not _is_value(out[-1])):
            out.append(Cell(item, item, ""))
    return out


def _is_value(cell: Cell) -> bool:
    return (
        not cell.text
        or EMPTY_CELL.fullmatch(cell.text) is not None
        or parse_cell(cell.text) is not None
        or (_cell_figure(cell.text) is not None)
    )


def stacked_rows(cells: Sequence[Cell]) -> list[tuple[list[Cell], list[Cell]]]:
    """(label cells, value cells) pairs: each run of label cells with the run of values after it."""
    pairs = []
    i = 0
    while i < len(cells):
        labels = []
        while i < len(cells) and not _is_value(cells[i]):
            labels.append(cells[i])
            i += 1
        values = []
        while i < len(cells) and _is_value(cells[i]):
            values.append(cells[i])
            i += 1
        if labels and values:
            pairs.append((labels, values))
    return pairs


def joined(text: str) -> str:
    """Cell text with the spaces between Chinese characters removed ("预 算 数" → "预算数"), and a
    mirror's glued pinyin with them ("預(yù) 算 數(shù)" → "預算數"): a cell's words, not its offsets."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", PINYIN.sub("", text).strip())


@dataclass(frozen=True, slots=True)
class StackedRow:
    """One row of a one-cell-per-line table, with what stands above it."""

    label: Cell
    values: list[Cell]
    header: tuple[str, ...]  # the table's header cells, label column first when printed
    title: str
    unit: str | None


def stacked_table_rows(pairs: Sequence[tuple[list[Cell], list[Cell]]]) -> list[StackedRow]:
    """Rows with their header, title and unit; label cells before a row's own label start a new header."""
    rows = []
    unit: str | None = None
    title = ""
    pool: tuple[str, ...] = ()
    for labels, values in pairs:
        row_label, before = labels[-1], labels[:-1]
        for cell in before:
            declared = UNIT_DECL.search(fold(cell.text))
            unit = declared.group(1) if declared else unit
        heads = [joined(c.text) for c in before if not (UNIT_DECL.search(fold(c.text)) or SPANNING.fullmatch(c.text))]
        if heads:  # new header cells: a new table (or its second level)
            above = heads[: -len(values) - 1]  # cells above the header: the table's title
            title = next((h for h in reversed(above) if len(h) > MAX_HEADER_CELL // 2), title)
            captioned = next((m for h in above if (m := HEADER_UNIT.search(fold(h)))), None)
            unit = captioned.group(1) if captioned else unit  # "年度收入情况(万元)"
            pool = tuple(heads)
        if not ROW_NUMBERS.fullmatch(row_label.text.strip()):  # not the 栏次 line under the header
            rows.append(StackedRow(row_label, values, pool, title, unit))
    return rows


def stacked_columns(row: StackedRow, widest: int) -> list[str]:
    """The header cell over each value of the row; none when the row is narrower than the widest
    row under its header (a blank cell was dropped: which column lost it cannot be told)."""
    width = 1 + len(row.values)
    pool = list(row.header)
    if width < widest or any(len(h) > MAX_HEADER_CELL for h in pool[-width:]):
        return [""] * len(row.values)
    if len(pool) >= width:
        return pool[-width + 1 :]
    return pool if len(pool) == width - 1 else [""] * len(row.values)


def stacked_facts(doc: Document, doc_year: str | None) -> list[Fact]:
    """Facts of tables printed one cell per line (see STACK_CELL_CHARS); chunk_id -1 as in table_facts."""
    facts: list[Fact] = []
    for region in stacked_regions(doc.text):
        pairs = stacked_rows(region)
        if len(pairs) < 2 and not (pairs and len(pairs[0][1]) >= 2):
            continue  # one label and one number is not yet a table
        rows = stacked_table_rows(pairs)
        numbering = row_numbers(region)
        widest: dict[tuple[str, ...], int] = {}
        for row in rows:
            widest[row.header] = max(widest.get(row.header, 0), 1 + len(row.values))
        for row in rows:
            label = clean_label(fold(joined(row.label.text))) or joined(row.label.text)  # 合计 is a row
            span = (row.label.start, row.values[-1].end)
            for cell, column in zip(row.values, stacked_columns(row, widest[row.header]), strict=True):
                if ROW_NUMBERS.search(column) or EMPTY_CELL.fullmatch(cell.text) or cell.start in numbering:
                    continue
                bare, printed = parse_cell(cell.text), _cell_figure(cell.text)
                parsed = bare or ((printed.value, printed.unit) if printed else None)
                if parsed is None:
                    continue
                fact = _cell_fact(
                    doc,
                    cell,
                    parsed,
                    printed if bare is None else None,
                    label=label,
                    column=column,
                    table=(row.title, row.unit),
                    row=span,
                    doc_year=doc_year,
                )
                if fact is not None:
                    facts.append(fact)
    return facts


CELL_STAGES = frozenset({"预算", "调整后预算", "决算", "实际"})


def cell_qualifiers(column: str, title: str) -> tuple[str, ...]:
    """A cell's qualifiers: its column's, then the table title's; a stage the column names
    (预算数) overrides the title's (…“三公”经费支出决算表)."""
    own = qualifiers_of(fold(joined(column)))  # "预 算 数" is a 预算数
    table = qualifiers_of(fold(title))
    if CELL_STAGES & set(own):
        table = tuple(q for q in table if q not in CELL_STAGES)
    return tuple(dict.fromkeys([*own, *table]))


def _cell_year(title: str, column: str, quals: tuple[str, ...], doc_year: str | None) -> str | None:
    """A cell's year: its column's ("2019年决算数"), else the table's, one less under a 上年 column."""
    year = year_of(fold(title + " " + column), quals, doc_year)
    if year and "上年" in quals and not YEAR_RE.search(fold(column)) and YEAR_RE.search(fold(title)):
        return str(int(year) - 1)  # "2021年…表" with a 上年决算数 column
    return year


def _cell_figure(text: str) -> Figure | None:
    """The one figure a table cell prints with its unit ("216场", "≥95%", "13.4万人次"), else None."""
    found = find_figures(text)
    if len(found) != 1:
        return None
    rest = fold(text[: found[0].start] + text[found[0].end :]).strip()
    return found[0] if re.fullmatch(r"[≥≤>< 约近超过以上下左右余多]*", rest) else None


def two_level(top: list[str], sub: list[str]) -> list[str] | None:
    """A two-level header as one row: "项目 | 预算数 | 决算数" over "合计 | 一般公共预算 | 政府性基金" twice
    gives 项目, 预算数 合计, 预算数 一般公共预算, …, 决算数 政府性基金 — each top cell spans an equal share of
    the cells below it, and the label column (项目) stands in the top row only.  None when the rows do
    not divide so."""
    tops = [t for t in top[1:] if t]
    subs = [c for c in sub if c]
    if not top or not top[0] or len(tops) < 2 or len(subs) <= len(tops) or len(subs) % len(tops):
        return None
    span = len(subs) // len(tops)
    return [top[0], *(f"{tops[i // span]} {subs[i]}" for i in range(len(subs)))]


def _filled(cells: Sequence[tuple[int, int, str]]) -> int:
    """The number of cells up to the last non-empty one (a row's trailing pipes add empty cells)."""
    return max((i + 1 for i, (_, _, text) in enumerate(cells) if text), default=0)


def _column(header: list[str], index: int, n_cells: int) -> str:
    """The header cell above cell `index` of a row of n_cells (headers may omit the label column)."""
    if len(header) == n_cells:
        return header[index]
    if len(header) == n_cells - 1:
        return header[index - 1]
    return ""


def extract_facts(doc: Document, chunks: Sequence[Chunk]) -> list[Fact]:
    """All facts of a document: prose figures chunk by chunk, then table cells placed in their chunks."""
    doc_year = facets_of(doc).year
    own = sorted((c for c in chunks if c.doc_id == doc.doc_id), key=lambda c: c.start)
    starts = [c.start for c in own]
    cells = {}
    template = [*selfeval_facts(doc, doc_year), *sangong_facts(doc, doc_year)]
    claimed = sorted((f.start, f.end) for f in template)
    generic = [f for f in [*table_facts(doc, doc_year), *stacked_facts(doc, doc_year)] if not _overlaps(f, claimed)]
    for fact in [*generic, *template]:
        at = bisect.bisect_right(starts, fact.start) - 1  # the chunk holding it, found in log time
        holder = own[at] if at >= 0 and own[at].start <= fact.start < own[at].end else None
        if holder is not None:
            cells[fact.start] = replace(fact, chunk_id=holder.chunk_id, section=" / ".join(holder.section))
    # A table cell printed with its unit ("95.5%") is read by both passes; the table's reading,
    # which knows the row and column, wins; a 绩效自评表's template reading wins over both
    # ("1020万元" glued is 分值 10 and 20万元).
    folded = fold(doc.text)  # once per document, not once per chunk
    prose = [
        f
        for chunk in own
        for f in prose_facts(doc, chunk, doc_year, folded)
        if f.start not in cells and not _overlaps(f, claimed)
    ]
    return sorted([*prose, *cells.values()], key=lambda f: f.start)


def _overlaps(fact: Fact, spans: Sequence[tuple[int, int]]) -> bool:
    """The fact's span overlaps one of the sorted spans."""
    at = bisect.bisect_right(spans, (fact.start, 1 << 62))
    return any(s < fact.end and fact.start < e for s, e in spans[max(0, at - 2) : at + 1])
