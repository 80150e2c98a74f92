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
from dataclasses import replace

from qa.answering.choose import best_printed, printed_candidates
from qa.answering.computed import derive
from qa.answering.context import NOT_FOUND, Context, Scope, source_of
from qa.answering.derive import (
    Derived,
)
from qa.answering.intent import Intent
from qa.answering.rank import ranker
from qa.answering.scope import in_scope, out_of_scope
from qa.answering.score import (
    ANSWER_THRESHOLD,
    BARE_SCALE,
    covers_parts,
    explain,
    granularity,
    same_quantity,
    scored_facts,
)
from qa.domain.lexicon import (
    label_matches,
    unit_kind,
)
from qa.domain.numbers import SIGNS, fold, normalise
from qa.index.store import IndexData
from qa.records import Answer, Fact, Hit, Row, Source

# A question asking 哪里/谁/什么 with no word asking a quantity asks no figure ("河西务镇人民政府归
# 哪里管辖?", "因公出国(境)经费由谁统筹安排使用?"); "PM2.5平均浓度" (no question word) and "满意度
# 怎么样" (a kind of figure named) still may.
WORDS_ASKED = re.compile(r"哪里|哪儿|哪个|哪家|哪些|谁|什么|何时")
HOW_ASKED = re.compile(r"怎么|怎样|如何")  # words too, unless an item or a kind of figure is named
QUANTITY_ASKED = re.compile(r"多少|几|多大|多长|多深|多高|多重|多久|数额|数量|金额|数字|合计|总计|共计|是多|有多")
MAX_RELATED = 4


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
    printed figure is what the report says. It must still be a plausible answer (score above 0), or
    be printed, exactly equal, in the very sentence its inputs are (…完成年度收入计划535,000万元的
    101.0%,超收5,459万元)."""
    value, unit = normalise(derived.value, derived.unit)
    doc_id = derived.inputs[0].doc_id if derived.inputs else None

    def equal(fact: Fact, rounding: bool = True) -> bool:
        slack = granularity(fact) * max(1, len(derived.inputs)) if rounding else 0
        close = abs(fact.norm_value - value) <= slack
        return fact.doc_id == doc_id and fact.norm_unit == unit and close and fact not in derived.inputs

    sentences = {(f.doc_id, f.sentence_start) for f in derived.inputs}
    beside = [f for f in ctx.by_doc.get(doc_id or "", []) if (f.doc_id, f.sentence_start) in sentences]
    for fact in beside:
        if equal(fact, rounding=False):
            return fact
    for score, fact in scored_facts(intent, hits, ctx, docs):
        if score <= 0:
            break
        if equal(fact):
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
