"""Follow-up questions in a chat ("那上年呢？", "公务用车呢？", "预算数呢"): completed from the
question before, so the engine answers a whole question and the page shows which one.

The completion keeps what the earlier question said about whom and when (the words before its
item: "青岛市政协2015年") and changes only what the fragment names: a year, 上年, a stage, or the
item.  Pure functions of the two texts; nothing is guessed from the answers.
"""

from __future__ import annotations

import re

from qa.answering.intent import YEAR, _span, items_in
from qa.domain.numbers import fold

# A fragment: short, ends in 呢 or starts with 那, and asks nothing by itself (no 多少/几/是否 …)
FOLLOW_UP = re.compile(r"^(?:那么|那)?\s*(?P<body>[^？?。！!]{1,16}?)\s*(?:的)?\s*呢?\s*[？?。]*$")
ASKS_ITSELF = re.compile(r"多少|几|是否|有没有|为什么|什么|哪|怎么|如何")
PREVIOUS_YEAR = re.compile(r"^(?:上年度?|去年|上一年度?|前一年)$")
STAGE = re.compile(r"^(?:年初)?(?:预算|决算|调整后?预算|执行数|实际(?:支出)?)数?$")
STAGE_IN_QUESTION = re.compile(r"(?:年初)?(?:预算|决算|调整后?预算|执行|实际)数?")
TAIL = re.compile(r"(?:是|为|有|花了|支出了?)?(?:多少|几)[^，,。]*$")


def is_follow_up(text: str) -> bool:
    """A fragment that only makes sense after the question before ("那上年呢？", "公务用车呢")."""
    folded = fold(text).strip()
    if not folded or ASKS_ITSELF.search(folded):
        return False
    said = FOLLOW_UP.match(folded)
    return said is not None and (folded.rstrip("？?。 ").endswith("呢") or folded.startswith("那"))


def fragment(text: str) -> str:
    """What the follow-up names: "那上年呢？" → "上年"."""
    said = FOLLOW_UP.match(fold(text).strip())
    return said.group("body").strip() if said else fold(text).strip()


def complete(previous: str, text: str) -> str:
    """The whole question a follow-up asks, from the question before it."""
    before = fold(previous).strip().rstrip("？?。")
    body = fragment(text)
    years = YEAR.findall(before)
    if YEAR.fullmatch(body) or re.fullmatch(r"(?:19|20)\d{2}年?度?", body):
        year = re.match(r"\d{4}", body)
        assert year is not None
        return _with_year(before, f"{year.group(0)}年") + "？"
    if PREVIOUS_YEAR.match(body):
        if years:
            return _with_year(before, f"{int(years[0]) - 1}年") + "？"
        return f"上年{before}？"
    if STAGE.match(body):
        without = STAGE_IN_QUESTION.sub("", before)
        tail = TAIL.search(without)
        at = tail.start() if tail else len(without)
        return f"{without[:at]}{body}{without[at:]}？"
    return _with_item(before, body) + "？"


def _with_year(question: str, year: str) -> str:
    if YEAR.search(question):
        return YEAR.sub(year, question, count=1)
    return year + question


def _with_item(question: str, item: str) -> str:
    """The earlier question's words about whom and when, the new item, its way of asking."""
    items = items_in(question)
    starts = [s for s in (_span(question, i)[0] for i in items) if s >= 0]
    tail = TAIL.search(question)
    ask = tail.group(0) if tail else "是多少"
    if starts:
        prefix = question[: min(starts)]
    else:
        years = list(YEAR.finditer(question))
        prefix = question[: years[-1].end()] if years else ""
    return f"{prefix}{item}{ask}"
