"""Chinese tokenisation for keyword search: jieba with the fiscal user dictionary.

`cut_for_search` also emits the dictionary words inside long compounds (公务接待费 →
公务, 接待, 公务接待费), so an everyday question word (接待) still meets the report's term.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from functools import lru_cache

from qa.domain.lexicon import user_dictionary
from qa.domain.numbers import fold

STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 为 对 将 把 被 也 都 就 而 并 其 之 以 于 由 从 向 我们 今年 一个 "
    "多少 多少钱 几 吗 呢 吧 啊 请问 什么 怎么 如何 有 有多少 是 报告 情况 一共 总共".split()
)
_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff%]", re.UNICODE)


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    for term in user_dictionary():
        tok.add_word(term, freq=2000)
    return tok


def tokens(text: str) -> list[str]:
    """Search tokens of text: folded, lower-cased, jieba search-mode words, no stopwords."""
    folded = fold(text).lower()
    out = []
    for word in _jieba().cut_for_search(folded):
        word = word.strip()
        if word and word not in STOPWORDS and _TOKEN_OK.search(word):
            out.append(word)
    return out


PARALLEL_FROM = 4000  # passages: below this, starting worker processes costs more than it saves


def tokens_of_all(texts: Sequence[str], parallel_from: int = PARALLEL_FROM) -> list[list[str]]:
    """tokens() of every text, in order; a large ingest (a 20 MB budget book) spreads jieba over the
    cores in spawned worker processes (jieba is pure Python: threads would not run it in parallel)."""
    workers = min(os.cpu_count() or 1, 4)
    if len(texts) < parallel_from or workers < 2:
        return [tokens(t) for t in texts]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    # spawn, not fork: the parent may hold onnxruntime's threads and locks
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        return list(pool.map(tokens, texts, chunksize=max(64, len(texts) // (workers * 8))))


def words(text: str) -> list[str]:
    """jieba's precise-mode words of text (folded), for reading names out of a question."""
    return [w for w in _jieba().lcut(fold(text)) if w.strip()]


def word_bounds(text: str) -> frozenset[int]:
    """Offsets in text where jieba's precise-mode words start or end (fold keeps offsets)."""
    bounds, at = {0}, 0
    for word in _jieba().lcut(fold(text)):
        at += len(word)
        bounds.add(at)
    return frozenset(bounds)
