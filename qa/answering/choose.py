"""Choosing among scored figures: the hand rules' choice (a threshold and a margin over any different
figure), and the candidates with the features the fitted ranker reads."""

from __future__ import annotations

from collections.abc import Sequence

from qa.answering.context import Context, Scope
from qa.answering.intent import Intent, bigrams
from qa.answering.rank import TOP_CANDIDATES, Candidate, describe
from qa.answering.scope import in_scope
from qa.answering.score import (
    ANSWER_THRESHOLD,
    CLEAR_MARGIN,
    CLEAR_THRESHOLD,
    COMMON_UNITS,
    MARGIN,
    clause_of,
    same_quantity,
    scored_facts,
    short_form,
    words_of,
)
from qa.domain.lexicon import (
    label_item,
    label_matches,
    unit_family,
)
from qa.domain.numbers import fold
from qa.records import Fact, Hit


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
