"""A learned, calibrated choice among candidate facts: features per candidate, a logistic model.

The hand-written scoring (answer.score_fact) ranks the candidate facts of a question; its
constants were fitted by reading our own dev sets and do not transfer to real reports.  Here
each of the top candidates is described by features (the hand score and its lead over the next
different figure, label/question word overlap, expected kind and unit, stage and year match,
passage rank, table cell, how many candidates agree …) and a logistic regression, fitted on
question files whose gold figures are known (`reportqa fit-ranker`), gives the probability that
it is the answer.  The most probable candidate answers only when that probability clears a
threshold calibrated on held-out folds of the training questions for precision: a decline with
the right passages shown beats a wrong figure.  Weights, scaling and threshold are one small
JSON file (qa/answering/ranker.json); applying them needs no scikit-learn.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.answering.derive import qualifier_fit
from qa.answering.intent import Intent, bigrams
from qa.domain.lexicon import label_matches, unit_family, unit_kind
from qa.domain.numbers import fold, holds_number
from qa.records import Fact, Hit

RANKER_FILE = Path(__file__).with_name("ranker.json")
TOP_CANDIDATES = 12  # candidates described per question (by hand score)
FEATURES = (
    "score",
    "lead",
    "is_top",
    "passage_rank",
    "from_label_index",
    "names_item",
    "lexicon_item",
    "q_in_label",
    "label_in_q",
    "q_in_clause",
    "q_in_sentence",
    "kind_match",
    "kind_mismatch",
    "unit_match",
    "year_match",
    "year_other",
    "qualifier_fit",
    "table_cell",
    "header_unit",
    "top_passage_doc",
    "distinct_top5",
    "agreeing",
    "hand_answers_this",
    "hand_declines",
    "table_cell_unknown_item",
    "lead_if_kind_match",
    "value_in_question",
    "opposite_word",
)
HAND = FEATURES.index("hand_answers_this")
# Words whose counterpart in a label means another figure: 支出 asked, 收入 printed.
OPPOSITES = (("收入", "支出"), ("本年", "上年"), ("实有", "编制"), ("在职", "退休"), ("年初", "调整"))


@dataclass(frozen=True)
class Candidate:
    fact: Fact
    score: float  # the hand score
    features: tuple[float, ...]


def _clip(x: float, bound: float = 10.0) -> float:
    return max(-bound, min(bound, x))


def describe(
    intent: Intent,
    scored: Sequence[tuple[float, Fact]],
    hits: Sequence[Hit],
    words: dict[int, tuple[str, str]],
    same: Callable[[Fact, Fact], bool],
    accepted: Fact | None = None,
) -> list[Candidate]:
    """Features of the top candidates.  `words` maps id(fact) to its folded (clause, sentence);
    `same(a, b)` tells two facts that are one figure printed twice; `accepted` is the figure the
    hand-written rules would answer with (None: they decline)."""
    top = list(scored[:TOP_CANDIDATES])
    ranks = {h.chunk.chunk_id: r for r, h in enumerate(hits)}
    top_doc = hits[0].chunk.doc_id if hits else None
    head = [f for _, f in top[:5]]
    distinct: list[Fact] = []
    for f in head:
        if not any(same(f, g) for g in distinct):
            distinct.append(f)
    asked = intent.bigrams
    out = []
    for i, (score, fact) in enumerate(top):
        rival = next((s for s, g in top if g is not fact and not same(g, fact)), None)
        lead = score - rival if rival is not None else 10.0
        label = fold(fact.label) + (" " + fold(fact.column) if fact.column else "")
        own = bigrams(label)
        clause, sentence = words.get(id(fact), ("", ""))
        rank = ranks.get(fact.chunk_id)
        kind = unit_kind(fact.unit)
        families = {unit_family(u) for u in intent.units}
        values = (
            _clip(score),
            _clip(lead),
            float(i == 0),
            (rank if rank is not None else len(hits)) / 10.0,
            float(rank is None),
            float(bool(intent.items) and label_matches(intent.items[0], label) > 0),
            float(bool(intent.items)),
            len(asked & own) / len(asked) if asked else 0.0,
            len(asked & own) / len(own) if own else 0.0,
            len(asked & bigrams(clause)) / len(asked) if asked else 0.0,
            len(asked & bigrams(sentence)) / len(asked) if asked else 0.0,
            float(intent.kind is not None and kind == intent.kind),
            float(intent.kind is not None and kind != intent.kind),
            float(bool(families) and unit_family(fact.unit) in families),
            float(bool(intent.years) and fact.year in intent.years),
            float(bool(intent.years) and fact.year not in intent.years),
            _clip(qualifier_fit(intent.qualifiers, fact.qualifiers), 5.0),
            float(bool(fact.column)),
            float(fact.unit_source == "header"),
            float(fact.doc_id == top_doc),
            len(distinct) / 5.0,
            sum(1 for g in head if same(g, fact)) / 5.0,
            float(accepted is not None and same(accepted, fact)),
            float(accepted is None),
            float(bool(fact.column) and not intent.items),
            _clip(lead) * float(intent.kind is not None and kind == intent.kind),
            float(holds_number(intent.text, _number_of(fact))),
            float(bool(_opposed(intent.text, label))),
        )
        out.append(Candidate(fact, score, values))
    return out


def _number_of(fact: Fact) -> str:
    """The digits of a figure as printed ("63" of "63 人"): a figure the question itself quotes is
    what it starts from (编制63人，实际在职多少), not the answer."""
    digits = re.match(r"[\d.,]+", fold(fact.raw).strip())
    return digits.group(0) if digits and len(digits.group(0)) >= 2 else "\0"


def _opposed(question: str, label: str) -> bool:
    """The label says one of a pair of words and the question only the other."""
    return any(
        (a in label and b in question and a not in question) or (b in label and a in question and b not in question)
        for a, b in OPPOSITES
    )


@dataclass(frozen=True)
class Ranker:
    """Fitted weights over standardised features, and the answer threshold on the probability."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float  # a figure the hand rules decline answers only at or above this probability
    veto: float = 0.0  # a figure the hand rules would give is declined below this probability
    features: tuple[str, ...] = FEATURES
    trained_on: tuple[str, ...] = ()
    calibration: str = ""

    def probability(self, values: Sequence[float]) -> float:
        z = self.bias + sum(
            w * (v - m) / s for w, v, m, s in zip(self.weights, values, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-_clip(z, 30.0)))

    def choose(self, candidates: Sequence[Candidate]) -> tuple[float, Candidate] | None:
        """The most probable candidate and its probability (None when there is none)."""
        if not candidates:
            return None
        return max(((self.probability(c.features), c) for c in candidates), key=lambda pair: pair[0])

    def decide(self, candidates: Sequence[Candidate]) -> Candidate | None:
        """The figure to answer with, or None to decline: the hand rules' figure unless its
        probability is under the veto; when they decline, the most probable candidate if it
        clears the threshold."""
        hand = next((c for c in candidates if c.features[HAND] == 1.0), None)
        if hand is not None:
            return hand if self.probability(hand.features) >= self.veto else None
        chosen = self.choose(candidates)
        return chosen[1] if chosen is not None and chosen[0] >= self.threshold else None

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "mean": [round(m, 6) for m in self.mean],
            "scale": [round(s, 6) for s in self.scale],
            "threshold": round(self.threshold, 4),
            "veto": round(self.veto, 4),
            "trained_on": list(self.trained_on),
            "calibration": self.calibration,
        }

    @classmethod
    def read(cls, path: Path = RANKER_FILE) -> Ranker | None:
        """The fitted ranker, or None when the file is absent or was fitted on other features."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if tuple(raw.get("features", ())) != FEATURES:
            return None  # fitted for another feature set: re-fit (reportqa fit-ranker)
        return cls(
            tuple(raw["weights"]),
            float(raw["bias"]),
            tuple(raw["mean"]),
            tuple(raw["scale"]),
            float(raw["threshold"]),
            float(raw.get("veto", 0.0)),
            FEATURES,
            tuple(raw.get("trained_on", ())),
            str(raw.get("calibration", "")),
        )


_LOADED: dict[Path, Ranker | None] = {}


def ranker(path: Path | None = None) -> Ranker | None:
    """The ranker in use, read once per process: REPORTQA_RANKER names another file, or "off"
    for the hand-written scoring alone (to compare the two)."""
    setting = os.environ.get("REPORTQA_RANKER", "")
    if setting == "off":
        return None
    path = path or (Path(setting) if setting else RANKER_FILE)
    if path not in _LOADED:
        _LOADED[path] = Ranker.read(path)
    return _LOADED[path]
