"""Fit the ranker (qa/answering/rank.py) on question files whose gold figures are known.

`reportqa fit-ranker --set INDEX=QUESTIONS.jsonl …` asks every question of each set against its
index, labels each candidate fact right when it is the gold figure in the gold report, fits a
logistic regression (scikit-learn, only here) and calibrates the answer threshold: on held-out
folds (questions grouped, never split across folds) each question's most probable candidate
answers when its probability clears the threshold, and the threshold is the lowest at which the
answers given are at least PRECISION right.  The result is written as JSON (qa/answering/ranker.json).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.answering.rank import FEATURES, HAND, Candidate, Ranker
from qa.api import ReportQA
from qa.quality.evaluate import Question, same_figure

PRECISION = 0.98  # target on held-out folds; the check half must show ≥ 0.97
FOLDS = 5
C = 1.0  # inverse regularisation strength


@dataclass(frozen=True)
class Example:
    group: str  # the question
    features: tuple[float, ...]
    right: bool


def examples(qa: ReportQA, questions: Sequence[Question], tag: str) -> list[Example]:
    """Every candidate of every figure question (text questions are answered by other means)."""
    out = []
    for q in questions:
        if q.kind == "text":
            continue
        for cand in qa.candidates(q.question):
            out.append(Example(f"{tag}:{q.id}", cand.features, right_candidate(q, cand, qa)))
    return out


def right_candidate(q: Question, cand: Candidate, qa: ReportQA) -> bool:
    if q.gold is None or not same_figure(cand.fact.display, q.gold):
        return False
    return not q.doc or Path(qa.data.docs[cand.fact.doc_id].path).name == q.doc


def fit(
    rows: Sequence[Example],
    trained_on: Sequence[str] = (),
    precision: float = PRECISION,
    calibration: Sequence[Example] = (),
) -> Ranker:
    """Fit the weights on all rows; calibrate the threshold and veto on grouped held-out folds,
    or, when calibration rows are given, on those: questions of reports the hand rules were never
    fit on, whose wrong answers the training rows lack (the hand rules answer their own tuning
    questions 0.98 right at every veto, so folds of them cannot place the veto)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    x = np.array([r.features for r in rows], dtype=float)
    y = np.array([r.right for r in rows], dtype=int)
    groups = np.array([r.group for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    held_out = np.zeros(len(rows))
    for train, test in GroupKFold(n_splits=FOLDS).split(z, y, groups):
        model = LogisticRegression(C=C, max_iter=5000).fit(z[train], y[train])
        held_out[test] = model.predict_proba(z[test])[:, 1]
    model = LogisticRegression(C=C, max_iter=5000).fit(z, y)
    if calibration:
        x = np.array([r.features for r in calibration], dtype=float)
        y = np.array([r.right for r in calibration], dtype=int)
        groups = np.array([r.group for r in calibration])
        held_out = model.predict_proba((x - mean) / scale)[:, 1]
    hand = x[:, HAND] == 1.0
    declined = np.array([not hand[groups == g].any() for g in groups])  # questions the hand rules decline
    threshold, note = calibrate(list(groups[declined]), list(held_out[declined]), list(y[declined]), precision)
    veto, veto_note = calibrate_veto(list(held_out[hand]), list(y[hand]))
    where = "calibration questions" if calibration else f"{FOLDS}-fold held-out"
    return Ranker(
        tuple(float(w) for w in model.coef_[0]),
        float(model.intercept_[0]),
        tuple(float(m) for m in mean),
        tuple(float(s) for s in scale),
        threshold,
        veto,
        FEATURES,
        tuple(trained_on),
        f"{where}: declined by the hand rules: {note}; given by them: {veto_note}",
    )


WRONG_COST = 3.0  # a wrong figure costs as much as three declines (precision first)


def calibrate_veto(probability: Sequence[float], right: Sequence[int]) -> tuple[float, str]:
    """The probability under which the hand rules' figures are declined: the cut that maximises
    right answers kept less WRONG_COST per wrong one kept, on held-out folds."""
    pairs = sorted(zip(probability, right, strict=True))
    kept_right, kept_wrong = sum(right), len(right) - sum(right)
    best, best_gain, dropped = 0.0, kept_right - WRONG_COST * kept_wrong, (0, 0)
    lost_right = lost_wrong = 0
    for p, r in pairs:
        lost_right, lost_wrong = lost_right + r, lost_wrong + (1 - r)
        gain = (kept_right - lost_right) - WRONG_COST * (kept_wrong - lost_wrong)
        if gain > best_gain:
            best, best_gain, dropped = p + 1e-9, gain, (lost_right, lost_wrong)
    note = (
        f"{len(pairs)} figures ({kept_wrong} wrong); veto below p {best:.3f} drops "
        f"{dropped[1]} wrong and {dropped[0]} right"
    )
    return best, note


def calibrate(
    groups: Sequence[str], probability: Sequence[float], right: Sequence[int], precision: float
) -> tuple[float, str]:
    """The lowest threshold at which each question's top candidate, answered when above it, is
    right at least `precision` of the time; with the figures it gives, for the record."""
    best: dict[str, tuple[float, int]] = {}
    for g, p, r in zip(groups, probability, right, strict=True):
        if g not in best or p > best[g][0]:
            best[str(g)] = (float(p), int(r))
    tops = sorted(best.values(), key=lambda pr: -pr[0])
    chosen, answered, correct = 1.0, 0, 0
    n_right = 0
    for i, (p, r) in enumerate(tops, start=1):
        n_right += r
        if n_right / i >= precision:
            chosen, answered, correct = p, i, n_right
    note = (
        f"{len(tops)} questions, {answered} answered at p ≥ {chosen:.3f}, "
        f"{correct} right ({correct / answered if answered else 0:.3f})"
    )
    return chosen, note
