"""Resolve a question to one printed figure, or decline.

The question is read for the item it asks about (fiscal lexicon), the kind of figure it
wants (money, count, area, rate), unit words (批, 人次, 亩), qualifiers (预计, 目标, 已完成)
and a year.  Every fact in the top passages is scored against that; the best one is the
answer only when its score clears a threshold that was set so that a wrong figure is
rarer than a declined question.  Nothing is computed or rephrased: the answer is the
figure string exactly as printed, with its offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .facts import CLAUSE_BREAK
from .lexicon import AREA, COUNT, MONEY, QUESTION_NOISE, RATE, Item, items_in, label_matches, unit_kind
from .numbers import fold
from .records import Answer, Fact, Hit, Source
from .store import IndexData

ANSWER_THRESHOLD = 2.6
MAX_RELATED = 4

KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (RATE, re.compile(r"比例|比重|百分|%|％|率|占.*多少|增长多少|增长了多少|下降多少")),
    (AREA, re.compile(r"面积|多大|几亩|多少亩|亩|平方")),
    (COUNT, re.compile(r"几[个家名人台辆批拨栋项套条次]|多少[个家名人台辆批拨栋项套条次]|人数|人次|数量|几$")),
    (MONEY, re.compile(r"钱|费|经费|资金|支出|花|元|投入|投了|预算|金额|开销|拨|税|产值|增加值|补贴|专款|收入|订单")),
)
UNIT_CUES = {
    "批": "批",
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
}
QUALIFIERS = ("预计", "目标", "计划", "已完成", "完成", "实际", "截至", "年初", "调整", "上年", "同比", "增长", "下降")
YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")


@dataclass(frozen=True)
class Intent:
    """What a question asks for."""

    items: tuple[Item, ...]
    kind: str | None
    units: tuple[str, ...]
    qualifiers: tuple[str, ...]
    years: tuple[str, ...]
    bigrams: frozenset[str]


def bigrams(text: str) -> frozenset[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return frozenset(a + b for a, b in zip(chars, chars[1:], strict=False))


def read_question(question: str) -> Intent:
    q = fold(question)
    items = tuple(items_in(q))
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
    if not units and items and items[0].units and kind == COUNT:
        units = items[0].units
    qualifiers = tuple(w for w in QUALIFIERS if w in q)
    content = QUESTION_NOISE.sub(" ", YEAR.sub(" ", q))
    return Intent(items, kind, units, qualifiers, tuple(YEAR.findall(q)), bigrams(content))


def clause_of(text: str, fact: Fact) -> str:
    """The clause (between commas etc.) around a fact, from the document text."""
    left = max(
        (m.end() for m in CLAUSE_BREAK.finditer(text, fact.sentence_start, fact.start)), default=fact.sentence_start
    )
    right_match = CLAUSE_BREAK.search(text, fact.end, fact.sentence_end)
    return text[left : right_match.start() if right_match else fact.sentence_end]


def score_fact(intent: Intent, fact: Fact, sentence: str, clause: str, title: str, rank: int) -> float:
    """How well a fact answers the question; higher is better, see ANSWER_THRESHOLD."""
    label = fold(fact.label)
    score = 0.0
    for position, item in enumerate(intent.items[:3]):
        hit = label_matches(item, label)
        if hit:
            score = max(score, 3.0 + 0.15 * min(hit, 6) - 0.4 * position)
        elif label_matches(item, clause):
            score = max(score, 1.6 - 0.4 * position)
    if intent.bigrams:
        overlap = len(intent.bigrams & bigrams(label)) / len(intent.bigrams)
        context = len(intent.bigrams & bigrams(clause)) / len(intent.bigrams)
        score += 1.6 * overlap + 0.8 * context
    kind = unit_kind(fact.unit)
    if intent.kind and kind != intent.kind:
        score -= 4.0
    if intent.units:
        score += 1.0 if fact.unit in intent.units else -1.5
    for word in intent.qualifiers:
        score += 0.7 if word in sentence else -0.5
    for year in intent.years:
        if year not in sentence and year not in title:
            score -= 3.0
    return score + 0.6 / (1 + rank)


def source_of(data: IndexData, fact: Fact) -> Source:
    doc = data.docs[fact.doc_id]
    chunk = data.chunks[fact.chunk_id]
    return Source(
        doc.doc_id,
        doc.title,
        doc.path,
        " / ".join(chunk.section),
        doc.text[fact.sentence_start : fact.sentence_end],
        fact.start,
        fact.end,
        fact.sentence_start,
        fact.sentence_end,
    )


def facts_by_chunk(facts: list[Fact]) -> dict[int, list[Fact]]:
    out: dict[int, list[Fact]] = {}
    for fact in facts:
        out.setdefault(fact.chunk_id, []).append(fact)
    return out


def candidates(intent: Intent, hits: list[Hit], data: IndexData, by_chunk: dict[int, list[Fact]]) -> dict[int, int]:
    """Chunks whose facts are scored, with the retrieval rank each counts as.

    The retrieved passages, plus every chunk holding a fact whose label names an item of
    the question (ranked after the passages): a literal question finds its figure even
    when retrieval ranks the passage low.
    """
    ranks = {hit.chunk.chunk_id: rank for rank, hit in enumerate(hits)}
    if intent.items:
        for chunk_id, facts in by_chunk.items():
            if chunk_id not in ranks and any(label_matches(intent.items[0], fold(f.label)) for f in facts):
                ranks[chunk_id] = len(hits)
    return ranks


def resolve(question: str, hits: list[Hit], data: IndexData, by_chunk: dict[int, list[Fact]]) -> Answer:
    """The answer for a question given its retrieved passages and the facts of each chunk."""
    intent = read_question(question)
    best: tuple[float, Fact] | None = None
    for chunk_id, rank in candidates(intent, hits, data, by_chunk).items():
        doc = data.docs[data.chunks[chunk_id].doc_id]
        for fact in by_chunk.get(chunk_id, []):
            sentence = doc.text[fact.sentence_start : fact.sentence_end]
            s = score_fact(intent, fact, fold(sentence), fold(clause_of(doc.text, fact)), doc.title, rank)
            if best is None or s > best[0]:
                best = (s, fact)
    if best is None or best[0] < ANSWER_THRESHOLD:
        return Answer(
            question, False, None, None, None, (), tuple(hits), message="报告中未找到该数字；以下是最接近的段落。"
        )
    fact = best[1]
    related = tuple(
        f.raw for f in by_chunk.get(fact.chunk_id, []) if f is not fact and f.sentence_start == fact.sentence_start
    )[:MAX_RELATED]
    return Answer(question, True, fact.raw, fact.value, fact.unit, (source_of(data, fact),), tuple(hits), related)
