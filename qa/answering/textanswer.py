"""Text answers: 为什么…减少, 有没有安排出国, 项目编码是什么, 自评结论 — the clause that answers.

Some questions ask for words, not a figure.  The answer is the report's own clause, cited with
its offsets and labelled as text, taken from the scoped reports' top passages: the clause that
holds the cue of what is asked (原因是…, 未安排…, 编码 123…, 自评结论…) and most of the
question's words.  No cue in the passages: declined with the passages shown, as for figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answering.context import NOT_FOUND, source_at
from qa.answering.intent import bigrams
from qa.domain.numbers import fold
from qa.index.store import IndexData
from qa.records import Answer, Hit


@dataclass(frozen=True)
class TextAsk:
    """A kind of text question: the words that ask it and the words of a clause that answers it."""

    name: str
    asked: re.Pattern[str]
    answers: re.Pattern[str]
    whole_sentence: bool = False  # a reason runs to the sentence end: "主要原因是…，…"


TEXT_ASKS: tuple[TextAsk, ...] = (
    TextAsk(
        "原因",
        re.compile(r"为什么|为何|什么原因|原因|怎么(?:会|回事)"),
        re.compile(r"原因|主要是|由于|因为|系|主要用于|用于"),
        whole_sentence=True,
    ),
    TextAsk(
        "是否",
        re.compile(r"是否|有没有|有无|有没|有安排|发生过?吗|吗$"),
        re.compile(r"未(?:安排|发生|使用|购置|开支)|没有|无|不存在|均未|零|已(?:安排|完成)|安排了"),
    ),
    TextAsk("编码", re.compile(r"编码|编号|代码"), re.compile(r"(?:编码|编号|代码)[:：]?\s*[A-Za-z0-9-]{4,}")),
    TextAsk(
        "结论",
        re.compile(r"结论|评价(?:结果|等级)|自评等级|评为|等级是"),
        re.compile(r"结论|等级|评定为|评为|[为是][“\"]?(?:优秀?|良好?|合格|中|差)"),
        whole_sentence=True,
    ),
    TextAsk(
        "依据",
        re.compile(r"(?:按照?|依据|根据)(?:什么|哪个|哪些)|(?:什么|哪个)(?:文件|规范|标准|文号|依据)"),
        re.compile(r"按照|依据|根据|《|〔|【"),
    ),
    TextAsk(
        "目标",
        re.compile(r"(?:总体)?目标是什么|什么目标"),
        re.compile(r"目标|确保|实现|完成|改进|提高"),
        whole_sentence=True,
    ),
    TextAsk(
        "方式",
        re.compile(r"(?:什么|哪些|何种)(?:方式|方法|办法|措施)|怎么(?:了解|评价|做)"),
        re.compile(r"方式|方法|采取|采用|通过"),
    ),
    TextAsk(
        "性质",
        re.compile(r"什么(?:性质|级别|类别|类型)|(?:性质|级别|类别)是什么|属于什么"),
        re.compile(r"性质|级别|类别|属|事业单位|行政单位"),
    ),
    TextAsk(
        "用途",
        re.compile(r"(?:主要)?用(?:于|在|来|到)(?:什么|哪些|哪里|何处)|花在(?:什么|哪)|做什么用"),
        re.compile(r"主要用于|用于|主要是|包括"),
        whole_sentence=True,
    ),
)
TEXT_ANSWER = "文字回答"  # how a text answer's message starts: it is the report's words, not a figure
FIGURE_ASKED = re.compile(r"多少|几[个项辆台批次人名家亩]|金额|数额|比例|百分")
CLAUSE_END = re.compile(r"[，,；;。！？\n]")
SENTENCE_END = re.compile(r"[。！？\n]")
CUE_WORDS = re.compile(
    r"为什么|为何|什么|原因|是否|有没有|有无|吗|是|呢|的|了|请问|编码|编号|结论|用于|用在|哪些|哪个|按照|依据|方式|性质|级别|类别|属于"
)


# "天水市幼儿园的办学形式是什么": the thing asked (办学形式) is named right before 是什么
ATTRIBUTE_ASKED = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:是什么|是啥|是哪[个种样一]|为何种)[？?。]?$")
ATTRIBUTE_LEAD = re.compile(r"^.*(?:的|之)")


def attribute_ask(q: str) -> TextAsk | None:
    """A question asking what one named attribute is: answered by the clause printing that attribute
    followed by 为/是/：(“办学形式为日托制”)."""
    match = ATTRIBUTE_ASKED.search(q)
    if match is None:
        return None
    thing = ATTRIBUTE_LEAD.sub("", match.group(1))
    if len(thing) < 2:
        return None
    spaced = r"\s*".join(map(re.escape, thing))  # "辦學(xué)形式" folds to 办学 and 形式 with blanks between
    return TextAsk("是什么", ATTRIBUTE_ASKED, re.compile(spaced + r"\s*(?:为|是|：|:|属于)"))


def text_ask(question: str) -> TextAsk | None:
    """The kind of text the question asks for, or None when it asks for a figure."""
    q = fold(question)
    if FIGURE_ASKED.search(q):
        return None
    return next((ask for ask in TEXT_ASKS if ask.asked.search(q)), None) or attribute_ask(q)


@dataclass(frozen=True)
class Clause:
    doc_id: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    score: float


# The longest text answer: a reason or a target is a clause or a sentence; hundreds of characters
# without a break are table cells run together (项目名称…负责人及电话…资金情况(万元)…).
MAX_CLAUSE_CHARS = 150


def clauses(text: str, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(clause start, clause end, sentence start, sentence end) for the passage text[start:end]."""
    out = []
    sentence_start = start
    clause_start = start
    for match in CLAUSE_END.finditer(text, start, end):
        if match.start() > clause_start:
            out.append((clause_start, match.start(), sentence_start, -1))
        clause_start = match.end()
        if SENTENCE_END.match(match.group(0)):
            out = [(a, b, s, match.start() if e == -1 else e) for a, b, s, e in out]
            sentence_start = clause_start
    if clause_start < end:
        out.append((clause_start, end, sentence_start, end))
    return [(a, b, s, end if e == -1 else e) for a, b, s, e in out]


def best_clause(ask: TextAsk, question: str, hits: Sequence[Hit], data: IndexData) -> Clause | None:
    """The clause of the top passages that holds the answering cue and most of the question's words."""
    asked = bigrams(CUE_WORDS.sub(" ", fold(question)))
    best: Clause | None = None
    for rank, hit in enumerate(hits[:5]):
        chunk = hit.chunk
        text = data.docs[chunk.doc_id].text
        for start, end, s_start, s_end in clauses(text, chunk.start, chunk.end):
            clause = fold(text[start:end])
            cue = ask.answers.search(clause)
            if cue is None:
                continue
            sentence = fold(text[s_start:s_end])
            words = len(asked & bigrams(sentence)) / len(asked) if asked else 0.0
            score = words + 0.5 * bool(asked & bigrams(clause)) - 0.1 * rank
            if ask.whole_sentence:
                end = s_end  # the reason runs on past the cue's clause
            if end - start > MAX_CLAUSE_CHARS:
                continue  # a table's cells run together, not a clause anybody wrote
            if best is None or score > best.score:
                best = Clause(chunk.doc_id, start, end, s_start, s_end, score)
    return best if best is not None and best.score > 0 else None


def text_answer(question: str, ask: TextAsk, hits: Sequence[Hit], data: IndexData) -> Answer:
    """The answering clause cited with offsets and labelled as text, or a decline with the passages."""
    found = best_clause(ask, question, hits, data)
    if found is None:
        return Answer.declined(question, hits, NOT_FOUND)
    chunk = next(h.chunk for h in hits if h.chunk.doc_id == found.doc_id and h.chunk.start <= found.start < h.chunk.end)
    source = source_at(
        data, found.doc_id, " / ".join(chunk.section), found.start, found.end, found.sentence_start, found.sentence_end
    )
    words = data.docs[found.doc_id].text[found.start : found.end]
    message = f"{TEXT_ANSWER}（{ask.name}，报告原文）"
    return Answer(
        question=question,
        found=True,
        answer=words,
        value=None,
        unit=None,
        sources=(source,),
        passages=tuple(hits),
        message=message,
    )
