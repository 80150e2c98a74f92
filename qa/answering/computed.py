"""Computed answers picked for a question: sums of parts, changes, differences, what was left of a
plan — each from printed figures the question's report gives (derive.py does the arithmetic)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.answering.choose import best_printed
from qa.answering.context import Context
from qa.answering.derive import (
    Derived,
    change_of,
    combine,
    last_year_of,
    remaining_of,
    share_of,
    sum_of,
    total_of,
)
from qa.answering.intent import Intent, bigrams
from qa.answering.scope import budget_in_all
from qa.answering.score import ANSWER_THRESHOLD, same_quantity, with_stage
from qa.domain.lexicon import (
    BUDGET_TOTAL,
    IDENTITIES,
    RATE,
    label_matches,
    unit_kind,
)
from qa.domain.numbers import fold
from qa.ingest.facets import (
    stage_of,
)
from qa.records import Fact, Hit


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
