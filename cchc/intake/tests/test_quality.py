"""The gate: indicators of every seed against the gold (precision, recall, fields)."""

import pytest

from cchc.intake.draft import Draft
from cchc.intake.extract.indicators import extract_indicators
from cchc.intake.scoring import load_gold, score, seed_document, seed_files, similarity

SEEDS = {path.name[:3]: path for path in seed_files()}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_indicators_precision_recall(seed):
    predicted = Draft(indicators=extract_indicators(seed_document(SEEDS[seed]))).to_json()["indicators"]
    s = score(predicted, load_gold(seed)["indicators"])
    print(f"{seed}: P={s.precision:.2f} R={s.recall:.2f} " +
          " ".join(f"{f}={v:.2f}" for f, v in s.field_accuracy.items()))
    assert s.precision >= 0.95, s.extras
    assert s.recall >= 0.95, s.misses
    assert s.field_accuracy["comparator"] >= 0.9
    assert s.field_accuracy["value"] >= 0.9


def test_score_matches_fuzzily_and_by_fields():
    gold = [{"text": "100% hồ sơ; ít nhất 70% đạt mức độ 4", "value": 100},
            {"text": "100% hồ sơ; ít nhất 70% đạt mức độ 4", "value": 70},
            {"text": "Tỷ lệ máy tính đạt 100%.", "value": 100}]
    predicted = [{"text": "100% ho so; it nhat 70% dat muc do 4", "value": 70},
                 {"text": "100% hồ sơ; ít nhất 70% đạt mức độ 4", "value": 100},
                 {"text": "Hoàn thành kế hoạch đào tạo.", "value": 98}]
    s = score(predicted, gold, fields=("value",))
    assert (s.precision, s.recall, s.field_accuracy["value"]) == (2 / 3, 2 / 3, 1.0)
    assert [m["text"] for m in s.misses] == ["Tỷ lệ máy tính đạt 100%."]
    assert [e["value"] for e in s.extras] == [98]


def test_score_empty_lists_and_containment():
    assert score([], []).f1 == 1.0
    assert score([], [{"text": "a b c d e f g"}]).recall == 0.0
    assert similarity("Hoàn thành trên 98% kế hoạch.", "100% đơn vị. Hoàn thành trên 98% kế hoạch.") == 0.99
