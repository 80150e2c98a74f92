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
import re
from collections.abc import Sequence
from dataclasses import replace

from qa.domain.lexicon import label_item
from qa.domain.numbers import find_figures, fold
from qa.ingest.clauses import (
    CHANGE_WORDS,
    CLASSIFIERS,
    CLAUSE_BREAK,
    COMPARED,
    COMPARISON,
    PARTS_FOLLOW,
    PRIOR_ASIDE,
    SENTENCE_WINDOW,
    STAGES,
    VERB_ONLY,
    clean_label,
    counted_noun,
    item_clause,
    label_after,
    label_before,
    qualifiers_of,
    sentence_span,
    subject_of,
    subjectless,
    year_of,
)
from qa.ingest.facets import facets_of
from qa.ingest.sangong import sangong_facts
from qa.ingest.selfeval import selfeval_facts
from qa.ingest.stacked import stacked_facts
from qa.ingest.tables import table_facts
from qa.records import Chunk, Document, Fact


def prose_facts(doc: Document, chunk: Chunk, doc_year: str | None, folded: str | None = None) -> list[Fact]:
    """Facts for the figures printed with their unit inside one chunk (spans are document offsets);
    `folded` is fold(doc.text), passed by callers that read many chunks of one document."""
    folded = fold(doc.text) if folded is None else folded
    # "一、2022年财政收入预算执行情况" in a 2023 budget book: its figures are 2022's when their own
    # sentence names no year (the innermost heading naming one wins; else the report's year)
    year = year_of(fold(" / ".join(chunk.section)), (), None) or doc_year
    return _prose_facts(doc, chunk, year, folded)


def glued_to(folded: str, previous: Fact, start: int, label: str) -> bool:
    """A short word printed right after the previous figure, no break between ("27人实有37人"): it
    qualifies that figure's subject rather than naming one of its own."""
    between = folded[previous.end : start]
    return (
        0 < len(label) <= 3
        and (label_item(label)[0] is None or label in COUNTERPARTS)
        and previous.sentence_start <= start
        and not CLAUSE_BREAK.search(between)
        and not find_figures(between)
        and not re.search(r"[()（）\s]", between)
    )


COUNTERPARTS = ("实有", "在职", "在编", "现有")  # of a 编制 count: "行政编制30人实有19人"
LEAD_BREAK = re.compile(r"[，,。；;]")


def lead_stage(folded: str, s_start: int, start: int) -> tuple[str, ...]:
    """The stage a sentence's lead names before its colon ("年初预算为:…"), for the figures listed after it."""
    prefix = folded[s_start:start]
    colon = max(prefix.rfind("："), prefix.rfind(":"))
    if colon < 0:
        return ()
    head = prefix[:colon]
    lead = head[max((m.end() for m in LEAD_BREAK.finditer(head)), default=0) :]
    # not "决算支出785万元,较年初预算减少28%其中:": a comparison, or a list of parts (PARTS_FOLLOW's own rule)
    if re.search(r"\d", lead) or PARTS_FOLLOW.search(lead) or COMPARISON.search(lead) or CHANGE_WORDS.search(lead):
        return ()
    return tuple(q for q in qualifiers_of(lead) if q in STAGES)


RATES = {"执行率", "占比", "上年"}  # not the whole a 其中 list breaks down


def _prose_facts(doc: Document, chunk: Chunk, doc_year: str | None, folded: str) -> list[Fact]:
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
            elif previous and glued_to(folded, previous, start, label):
                label = subject_of(previous.label) + label  # "事业编制27人实有37人": 事业编制实有
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
        if not set(quals) & set(STAGES):  # "批准的年初预算为:一般公共预算收入76138万元(税收收入…)"
            quals = (*quals, *lead_stage(folded, s_start, start))
        if fig.per:  # "1300元/人/月": a rate per head and month, as 每人 before it would say
            quals = tuple(dict.fromkeys((*quals, "单价")))
        year = year_of(prefix, quals, doc_year)
        if previous and same_sentence and PARTS_FOLLOW.search(folded[previous.end : start]):
            # "年初部门预算3,468.90万元，其中：基本支出1,124.30万元" (…具体包括…): the parts share its stage;
            # "决算支出785万元,较年初预算减少28%其中:…": the whole is the amount, not the change after it
            # (not a rate beside it: "收入88435元,完成调整预算的99.2%,…其中:税收收入…" lists the amount's parts;
            # nor the base it is compared with: "总支出完成223326万元,比上年同期196978万元增长13.38%,其中…")
            amounts = (
                f
                for f in reversed(facts)
                if f.sentence_start == s_start and not (COMPARED | RATES) & set(f.qualifiers) and f.unit != "%"
            )
            whole = next(amounts, previous)
            if not set(quals) & set(STAGES):  # "其中:土地出让收入由年初预算的65000万元": its own stage stands
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
