"""The fitted ranker: its file, its fitting and its two calibrations."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

from qa.answering.rank import FEATURES, HAND, RANKER_FILE, Ranker, ranker
from qa.quality.fitrank import Example, calibrate, calibrate_veto, fit


def test_the_shipped_weights_fit_the_features_and_say_what_they_were_fitted_on() -> None:
    model = Ranker.read(RANKER_FILE)
    assert model is not None and len(model.weights) == len(FEATURES)
    assert any("tests/data/real/tuning.jsonl" in s for s in model.trained_on)
    assert not any("check" in s for s in model.trained_on)  # the check half is never fitted on
    assert 0.0 <= model.veto < 1.0 and 0.0 < model.threshold <= 1.0
    assert "held-out" in model.calibration


def test_weights_for_other_features_are_not_used(tmp_path: Path) -> None:
    raw = json.loads(RANKER_FILE.read_text(encoding="utf-8"))
    raw["features"] = raw["features"][:-1]
    (tmp_path / "old.json").write_text(json.dumps(raw), encoding="utf-8")
    assert Ranker.read(tmp_path / "old.json") is None


def test_off_switch(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REPORTQA_RANKER", "off")
    assert ranker() is None


def test_threshold_is_the_lowest_with_the_precision_asked() -> None:
    # six questions, best candidate's probability and whether it is right
    groups = ["a", "b", "c", "d", "e", "f"]
    p = [0.99, 0.95, 0.9, 0.8, 0.7, 0.6]
    right = [1, 1, 1, 0, 1, 0]
    threshold, note = calibrate(groups, p, right, precision=0.8)
    assert threshold == 0.7  # 4 of 5 right down to 0.7; at 0.6, 4 of 6
    assert "5 answered" in note


def test_veto_drops_the_unlikely_wrong_figures_only_when_worth_it() -> None:
    p = [0.1, 0.2, 0.3, 0.9, 0.95]
    right = [0, 0, 1, 1, 1]
    veto, _ = calibrate_veto(p, right)
    assert 0.2 < veto <= 0.3 + 1e-6  # dropping two wrong ones is worth more than nothing; keeping 0.3 right
    veto, _ = calibrate_veto([0.5, 0.9], [1, 1])
    assert veto == 0.0  # nothing wrong: nothing vetoed


def test_fit_learns_a_separable_signal() -> None:
    rng = random.Random(3)
    rows = []
    for q in range(120):
        for c in range(4):
            good = c == 0 and q % 5 != 0
            values = [rng.random() for _ in FEATURES]
            values[FEATURES.index("lead")] = 3.0 if good else -1.0
            values[HAND] = 1.0 if c == 0 else 0.0
            rows.append(Example(f"q{q}", tuple(values), good))
    model = fit(rows, trained_on=["synthetic"], precision=0.9)
    likely = [0.5] * len(FEATURES)
    likely[FEATURES.index("lead")] = 3.0
    unlikely = list(likely)
    unlikely[FEATURES.index("lead")] = -1.0
    assert model.probability(likely) > 0.8 > 0.2 > model.probability(unlikely)
    assert model.trained_on == ("synthetic",)


def test_calibration_questions_place_the_veto_that_training_folds_cannot() -> None:
    """Training rows whose hand answers are all right give no veto; fresh questions whose
    middling hand answers are wrong raise it above them, and the note says where it came from."""
    rng = random.Random(5)

    def rows(tag: str, n: int, lead_of: Callable[[int], float], right_of: Callable[[int], bool]) -> list[Example]:
        out = []
        for q in range(n):
            values = [rng.random() for _ in FEATURES]
            values[FEATURES.index("lead")] = lead_of(q)
            values[HAND] = 1.0
            out.append(Example(f"{tag}{q}", tuple(values), right_of(q)))
        return out

    train = rows("t", 200, lambda q: 3.0 if q % 2 else -1.0, lambda q: q % 2 == 1)
    fresh = rows("c", 60, lambda q: 3.0 if q % 3 else 1.0, lambda q: q % 3 != 0)  # lead 1.0: wrong
    plain = fit(train, trained_on=["t"])
    calibrated = fit(train, trained_on=["t"], calibration=fresh)
    middling = [0.5] * len(FEATURES)
    middling[FEATURES.index("lead")] = 1.0
    middling[HAND] = 1.0
    assert plain.weights == calibrated.weights  # the calibration rows are not trained on
    assert plain.veto <= plain.probability(middling) < calibrated.veto
    assert (
        calibrated.calibration.startswith("calibration questions") and "60 figures (20 wrong)" in calibrated.calibration
    )
